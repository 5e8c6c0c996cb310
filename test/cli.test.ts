/** The CLI end to end, as a user runs it: a child process on fixture spec roots. */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { LAYOUTS } from "../src/layouts/index.js";
import { copySample, makeRoot, specgen, tempDir } from "./helpers.js";
import { withoutBreaks } from "./html.js";

/** The text of an HTML fragment: tags dropped, entities decoded. */
function textContent(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Every file under a folder, with its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = readFileSync(full, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("specgen build on the sample spec", () => {
  let root: string;
  let page: string;
  beforeAll(() => {
    root = copySample();
    const r = specgen(["build", root]);
    expect(r.code, r.stderr).toBe(0);
    page = readFileSync(path.join(root, "output/modules/end_to_end_encryption.html"), "utf8");
  });

  it("writes the index and the module page", () => {
    expect(existsSync(path.join(root, "output/index.html"))).toBe(true);
    expect(readFileSync(path.join(root, "output/index.html"), "utf8")).toContain('href="modules/end_to_end_encryption.html"');
  });

  it("renders the withheld event's rows, required marks, enum and merged example", () => {
    const section = withoutBreaks(
      page.slice(
        page.indexOf('<section class="event" id="m-room_key-withheld"'),
        page.indexOf("</section>", page.indexOf('data-event-type="m.room_key.withheld"')),
      ),
    );
    expect(section).toContain('data-event-type="m.room_key.withheld"');
    const rows = [
      ...section.matchAll(/<tr>\s*<th scope="row"><code>([^<]+)<\/code><\/th>\s*<td[^>]*>([^<]*)<\/td>\s*<td>([\s\S]*?)<\/td>\s*<\/tr>/g),
    ];
    expect(rows.map((r) => r[1])).toEqual(["algorithm", "room_id", "session_id", "sender_key", "code", "reason"]);
    const required = Object.fromEntries(rows.map((r) => [r[1], r[3].startsWith('<strong class="required">Required')]));
    expect(required).toEqual({ algorithm: true, room_id: false, session_id: false, sender_key: true, code: true, reason: false });
    expect(rows.every((r) => r[2] === "string")).toBe(true);
    expect(section).toContain("<code>m.megolm.v1.aes-sha2</code>");
    const example = /<pre><code class="language-json">([\s\S]*?)<\/code><\/pre>/.exec(section)![1];
    expect(example).toContain('<span class="hljs-attr">&quot;sender_key&quot;</span>');
    expect(JSON.parse(textContent(example))).toEqual({
      content: {
        algorithm: "m.megolm.v1.aes-sha2",
        room_id: "!Cuyf34gef24t:localhost",
        session_id: "X3lUlvLELLYxeTx4yOVu6UDpasGEVO0Jbu+QFnm0cKQ",
        sender_key: "RF3s+E7RkTQTGF2d8Deol0FkQvgII2aJDf3/Jp5mxVU",
        code: "m.unverified",
        reason: "Device not verified",
      },
      type: "m.room_key.withheld",
    });
  });

  it("links the withheld field's `Title`_ reference to its section", () => {
    const section = page.slice(page.indexOf('data-event-type="m.forwarded_room_key"'));
    expect(section).toMatch(/<code>withheld<\/code>/);
    expect(section).toContain('<a href="#reporting-that-decryption-keys-are-withheld">Reporting that decryption keys are withheld</a>');
    expect(page).toContain('<h2 id="reporting-that-decryption-keys-are-withheld">');
  });

  it("gives byte-identical output for the same sources", () => {
    const first = snapshot(path.join(root, "output"));
    expect(specgen(["build", root]).code).toBe(0);
    expect(snapshot(path.join(root, "output"))).toEqual(first);
  });
});

describe("specgen init", () => {
  it("writes a spec root that builds clean, with the event on its page, and never overwrites", () => {
    const root = path.join(tempDir(), "new-spec");
    const init = specgen(["init", root]);
    expect(init.code).toBe(0);
    const built = specgen(["build", root]);
    expect(built.code).toBe(0);
    expect(built.stderr).toMatch(/^0 errors, 0 warnings \(3 files checked\)\n/);
    const html = readFileSync(path.join(root, "output/index.html"), "utf8");
    expect(html).toContain('data-event-type="org.example.greeting"');
    expect(html).toContain("The text of the greeting.");
    expect(html).toContain("Hello, world");
    const page = path.join(root, "specification/index.md");
    writeFileSync(page, "# Mine\n");
    const again = specgen(["init", root]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already holds specgen.config.yaml");
    expect(readFileSync(page, "utf8")).toBe("# Mine\n");
  });
});

describe("specgen on broken sources", () => {
  it("fails on an invalid example, names file and pointer, and leaves output/ untouched", () => {
    const root = copySample();
    expect(specgen(["build", root]).code).toBe(0);
    const before = snapshot(path.join(root, "output"));
    const file = path.join(root, "event-schemas/examples/m.room_key.withheld");
    writeFileSync(file, readFileSync(file, "utf8").replace('"code": "m.unverified"', '"code": 42'));
    const r = specgen(["build", root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/event-schemas\/examples\/m\.room_key\.withheld:\d+:\d+ +error +example-invalid .*\/content\/code/);
    expect(snapshot(path.join(root, "output"))).toEqual(before);
    expect(readdirSync(root).filter((f) => f.startsWith("output"))).toEqual(["output"]);
  });

  it("says why a build failed and that nothing was written", () => {
    const root = copySample();
    const file = path.join(root, "event-schemas/examples/m.room_key.withheld");
    writeFileSync(file, readFileSync(file, "utf8").replace('"code": "m.unverified"', '"code": 42'));
    const r = specgen(["build", "."], {}, root);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\nbuild failed: 1 error; output\/ left as it was\n$/);
    writeFileSync(file, readFileSync(file, "utf8").replace('"code": 42', '"code": "m.unverified"'));
    writeFileSync(path.join(root, "event-schemas/examples/m.orphan"), '{"type": "m.orphan", "content": {}}\n');
    const warned = specgen(["build", ".", "--max-warnings", "0"], {}, root);
    expect(warned.code).toBe(1);
    expect(warned.stderr).toMatch(/\nbuild failed: 1 warnings, more than --max-warnings 0; output\/ left as it was\n$/);
  });

  it("summarises many warnings by rule (--verbose lists them), and prints errors only with --quiet", () => {
    const props = Array.from({ length: 12 }, (_, i) => `      p${i}: {type: string}\n`).join("");
    const root = makeRoot({
      "event-schemas/schema/m.many": `type: object\nproperties:\n  type: {enum: [m.many]}\n  content:\n    type: object\n    properties:\n${props}`,
      "specification/index.md": "# Home\n\n{{m_many_event}}\n\nSee `Nowhere`_.\n",
    });
    const summary = specgen(["check", root]);
    expect(summary.code).toBe(1);
    expect(summary.stderr).toContain("error  reference-unresolved");
    expect(summary.stderr).not.toContain("warning  property-no-description");
    expect(summary.stderr).toContain("13 warnings: 12 property-no-description, 1 event-no-example; --verbose lists them\n");
    const verbose = specgen(["check", root, "--verbose"]);
    expect(verbose.stderr.match(/ warning {2}property-no-description /g)).toHaveLength(12);
    expect(verbose.stderr).not.toContain("--verbose lists them");
    const quiet = specgen(["check", root, "--quiet"]);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toContain("error  reference-unresolved");
    expect(quiet.stderr).not.toMatch(/ {2}warning {2}|property-no-description/);
    expect(quiet.stderr).toMatch(/1 error, 13 warnings \(not shown: --quiet\) in 2 files/);
    const json = JSON.parse(specgen(["check", root, "--quiet", "--format", "json"]).stdout);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toEqual(["reference-unresolved"]);
    expect(json.summary.warnings).toBe(13);
  });

  it("suggests the right name for a misspelt block", () => {
    const root = copySample();
    const page = path.join(root, "specification/modules/end_to_end_encryption.md");
    writeFileSync(page, readFileSync(page, "utf8").replace("{{m_room_key_withheld_event}}", "{{m_room_key_witheld_event}}"));
    const r = specgen(["check", root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /specification\/modules\/end_to_end_encryption\.md:\d+:1 +error +block-unknown .*did you mean \{\{m_room_key_withheld_event\}\}/,
    );
  });

  it("prints json and github formats", () => {
    const root = makeRoot({ "specification/index.md": "# Home\n\n{{nothing_here}}\n\nSee `Nowhere`_.\n" });
    const json = specgen(["check", root, "--format", "json"]);
    expect(json.code).toBe(1);
    const { diagnostics } = JSON.parse(json.stdout);
    expect(diagnostics).toEqual([
      {
        severity: "error",
        code: "block-unknown",
        message: "unknown block {{nothing_here}}",
        file: "specification/index.md",
        line: 3,
        column: 1,
      },
      {
        severity: "error",
        code: "reference-unresolved",
        message: "`Nowhere`_ names no heading or event in the site",
        file: "specification/index.md",
        line: 5,
        column: 5,
      },
    ]);
    const github = specgen(["check", "."], { GITHUB_ACTIONS: "true" }, root);
    expect(github.stderr).toContain("::error file=specification/index.md,line=3,col=1,title=block-unknown::unknown block {{nothing_here}}");
  });

  it("exits 2 for usage and configuration errors", () => {
    expect(specgen(["check", "--format", "xml"]).code).toBe(2);
    expect(specgen(["frobnicate"]).code).toBe(2);
    const root = makeRoot({ "specgen.config.yaml": "paths: [1, 2]\n" });
    const r = specgen(["check", root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"paths" must be a mapping');
  });

  it("refuses an output folder that is the root, holds it, or lies in a source folder", () => {
    const root = copySample();
    for (const out of [root, path.dirname(root), path.join(root, "specification/out"), `${root}/event-schemas/`]) {
      const r = specgen(["build", root, "--out", out]);
      expect(r.code, out).toBe(2);
    }
  });

  it("never replaces a folder it did not write", () => {
    const root = copySample();
    const mine = tempDir();
    writeFileSync(path.join(mine, "precious.txt"), "keep me");
    expect(specgen(["build", root, "--out", mine]).code).toBe(2);
    expect(readFileSync(path.join(mine, "precious.txt"), "utf8")).toBe("keep me");
  });
});

describe("specgen with a remapped layout", () => {
  it("reads folders from specgen.config.yaml", () => {
    const sample = copySample();
    const root = tempDir();
    cpSync(path.join(sample, "event-schemas"), path.join(root, "data/event-schemas"), { recursive: true });
    cpSync(path.join(sample, "specification"), path.join(root, "content"), { recursive: true });
    writeFileSync(
      path.join(root, "specgen.config.yaml"),
      "title: Remapped\npaths:\n  schemas: data/event-schemas/schema\n  examples: data/event-schemas/examples\n  pages: content\n  output: public\n",
    );
    const r = specgen(["build", root]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(root, "public/modules/end_to_end_encryption.html"), "utf8")).toContain(
      'data-event-type="m.room_key.withheld"',
    );
  });

  it("answers --help and --version", () => {
    const help = specgen(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit codes");
    // Every layout, with the folders it reads.
    for (const layout of LAYOUTS) expect(help.stdout).toMatch(new RegExp(`^  ${layout.name} \\(`, "m"));
    for (const folder of ["event-schemas/schema/", "specification/", "api/", "changelogs/", "content/", "data/api/", "static/"]) {
      expect(help.stdout).toContain(folder);
    }
    expect(specgen(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
