/** Lint rules, their places, and their severities: defaults, the config, --strict and --max-warnings. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import type { Diagnostic } from "../src/diagnostics.js";
import { check } from "../src/pipeline.js";
import { applyRules, RULES } from "../src/rules.js";
import { checkRoot, copySample, makeRoot, REPO, specgen, writeFiles } from "./helpers.js";

const S = "event-schemas/schema";
const E = "event-schemas/examples";

const place = (d: Diagnostic) => [d.code, d.file, d.line, d.column];

/** One spec that breaks every lint rule once. */
const LINTY = {
  [`${S}/m.state`]: [
    "type: object", // 1
    "description: A state event.",
    "properties:",
    "  type: {type: string, enum: [m.state]}",
    "  state_key: {type: string}", // 5
    "  content:",
    "    type: object",
    "    properties:",
    "      size: {type: integer, format: int64, description: Known to ajv-formats.}",
    "      user: {type: string, format: mx-user-id, description: A Matrix user ID.}", // 10
    "      bare: {type: string}",
    "      format: {type: string, description: A property named format is not a keyword.}",
  ].join("\n"),
  [`${E}/m.lonely`]: '{"type": "m.lonely"}',
  "specification/index.md": [
    "# Home", // 1
    "",
    "{{m_state_event}}",
    "",
    "See [the other page](other.md#nowhere) and [a missing page](gone.md).", // 5
    "",
    "{{m_state_event}}",
    "",
  ].join("\n"),
  "specification/other.md": "# Other\n",
};

describe("lint rules", () => {
  it("each rule fires at its place, as a warning by default", async () => {
    const { diagnostics } = await checkRoot(makeRoot(LINTY));
    expect(diagnostics.every((d) => d.severity === "warning")).toBe(true);
    expect(diagnostics.map(place)).toEqual([
      ["example-no-schema", `${E}/m.lonely`, 1, 1],
      ["event-no-example", `${S}/m.state`, 1, 1],
      ["state-key-no-description", `${S}/m.state`, 5, 3],
      ["format-unknown", `${S}/m.state`, 10, 28],
      ["property-no-description", `${S}/m.state`, 11, 7],
      ["link-broken", "specification/index.md", 5, 22],
      ["link-broken", "specification/index.md", 5, 61],
      ["anchor-duplicate", "specification/index.md", 7, 1],
      ["anchor-duplicate", "specification/index.md", 7, 1],
      ["block-repeated", "specification/index.md", 7, 1],
    ]);
    const messages = diagnostics.map((d) => d.message);
    expect(messages).toContain('link "other.html#nowhere" in index.html: other.html has no #nowhere');
    expect(messages).toContain('link "gone.html" in index.html: no page gone.html in the site');
    expect(messages).toContain('id "m-state" is used 2 times in index.html; links to #m-state reach only the first');
  });

  it("knows the formats of the config's list", async () => {
    const root = makeRoot({ ...LINTY, "specgen.config.yaml": "formats: [mx-user-id]\n" });
    const { diagnostics } = await checkRoot(root);
    expect(diagnostics.filter((d) => d.code === "format-unknown")).toEqual([]);
  });

  it("finds no lint in the sample spec", async () => {
    const { diagnostics } = await check(loadConfig(REPO));
    expect(diagnostics).toEqual([]);
  });

  it("applies severities in one place: defaults, config, --strict; hard errors stay errors", () => {
    const found: Diagnostic[] = [
      { severity: "warning", code: "event-no-example", message: "a" },
      { severity: "warning", code: "property-no-description", message: "b" },
      { severity: "warning", code: "link-broken", message: "c" },
      { severity: "error", code: "block-unknown", message: "d" },
    ];
    const severities = (rules: object, strict = false) => applyRules(found, { rules, strict }).map((d) => `${d.code}:${d.severity}`);
    expect(severities({})).toEqual([
      "event-no-example:warning",
      "property-no-description:warning",
      "link-broken:warning",
      "block-unknown:error",
    ]);
    expect(severities({ "event-no-example": "off", "property-no-description": "error" })).toEqual([
      "property-no-description:error",
      "link-broken:warning",
      "block-unknown:error",
    ]);
    expect(severities({ "event-no-example": "off" }, true)).toEqual([
      "property-no-description:error",
      "link-broken:error",
      "block-unknown:error",
    ]);
  });

  it("lists every rule code in the README", () => {
    const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
    for (const [code, rule] of Object.entries(RULES)) {
      expect(readme, code).toMatch(new RegExp(`\\| \`${code}\` +\\| ${rule.severity} `));
    }
  });
});

describe("severities from the command line and the config", () => {
  it("exits 0 with warnings, 1 with --strict or over --max-warnings, and honours rules: in the config", () => {
    const root = makeRoot(LINTY);
    const plain = specgen(["check", root]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/0 errors, 10 warnings in 3 files \(\d+ files checked\)\n$/);
    expect(specgen(["check", root, "--max-warnings", "10"]).code).toBe(0);
    const over = specgen(["check", root, "--max-warnings", "9"]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain("too many warnings: 10, more than --max-warnings 9");
    const strict = specgen(["check", root, "--strict", "--format", "json"]);
    expect(strict.code).toBe(1);
    expect(new Set(JSON.parse(strict.stdout).diagnostics.map((d: Diagnostic) => d.severity))).toEqual(new Set(["error"]));

    writeFiles(root, {
      "specgen.config.yaml": "rules:\n  property-no-description: error\n  event-no-example: off\n  link-broken: off\n",
    });
    const configured = specgen(["check", root, "--format", "json"]);
    expect(configured.code).toBe(1);
    const codes = JSON.parse(configured.stdout).diagnostics.map((d: Diagnostic) => `${d.code}:${d.severity}`);
    expect(codes).toContain("property-no-description:error");
    expect(codes.some((c: string) => c.startsWith("event-no-example") || c.startsWith("link-broken"))).toBe(false);
  });

  it("lets a spec being written lower missing sections and blocks to warnings, and shows the gaps", () => {
    const root = makeRoot({ "specification/index.md": "# Home\n\n{{m_later_event}}\n\nSee `A later section`_.\n" });
    const strictByDefault = specgen(["build", root]);
    expect(strictByDefault.code).toBe(1);
    expect(strictByDefault.stderr).toContain("2 errors, 0 warnings");
    writeFiles(root, { "specgen.config.yaml": "rules:\n  block-unknown: warning\n  reference-unresolved: warning\n" });
    const partial = specgen(["build", root]);
    expect(partial.code).toBe(0);
    expect(partial.stderr).toMatch(/index\.md:3:1 {2}warning {2}block-unknown /);
    expect(partial.stderr).toMatch(/index\.md:5:5 {2}warning {2}reference-unresolved /);
    const html = readFileSync(path.join(root, "output/index.html"), "utf8");
    expect(html).toContain('<p class="block-unknown" role="note">Not in the spec yet: <code>{{m_later_event}}</code></p>');
    expect(html).toContain('<span class="unresolved">A later section</span>');
    expect(specgen(["build", root, "--strict"]).code).toBe(1);
  });

  it("does not write the site when --strict finds a warning", () => {
    const root = makeRoot(LINTY);
    expect(specgen(["build", root, "--strict"]).code).toBe(1);
    expect(specgen(["build", root]).code).toBe(0);
  });

  it("refuses unknown rules, hard errors, bad severities and bad flags with exit 2", () => {
    const root = copySample();
    const config = (text: string) => {
      writeFiles(root, { "specgen.config.yaml": text });
      return specgen(["check", root]);
    };
    const unknown = config("rules:\n  property-without-description: error\n");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'unknown rule "rules.property-without-description" (known: block-unknown, reference-unresolved, property-no-description,',
    );
    const fixed = config("rules:\n  example-invalid: warning\n");
    expect(fixed.code).toBe(2);
    expect(fixed.stderr).toContain('rule "rules.example-invalid" is always an error');
    const off = config("rules:\n  block-unknown: off\n");
    expect(off.code).toBe(2);
    expect(off.stderr).toContain('"rules.block-unknown" must be error or warning');
    expect(config("rules:\n  event-no-example: loud\n").stderr).toContain('"rules.event-no-example" must be error, warning or off');
    expect(config("rulez: {}\n").stderr).toContain('unknown setting "rulez"');
    expect(config("formats: mx-user-id\n").stderr).toContain('"formats" must be a list of names or a mapping');
    expect(config("maxFileSize: -1\n").code).toBe(2);
    const syntax = config("title: [unclosed\n");
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/^specgen: specgen\.config\.yaml:2:1: /);
    writeFiles(root, { "specgen.config.yaml": "title: ok\n" });
    expect(specgen(["check", root, "--max-warnings", "many"]).code).toBe(2);
    expect(specgen(["check", root, "--max-warnings", "-1"]).code).toBe(2);
  });
});
