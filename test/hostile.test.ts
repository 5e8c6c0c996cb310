/**
 * Hostile input, second round (issue 14): each class of hole a hostile test
 * found, with variants of its own. A contributor's sources and any web page
 * the editor has open are untrusted.
 */
import { describe, expect, it } from "vitest";
import { makeRoot, specgen } from "./helpers.js";

const S = "event-schemas/schema";
const E = "event-schemas/examples";

interface Found {
  code: string;
  severity: string;
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
  message: string;
}

function json(stdout: string): Found[] {
  return JSON.parse(stdout).diagnostics;
}

describe("patterns run in linear time, whatever they are", () => {
  it("ends within seconds on 50,000-character values against patterns a backtracking engine never finishes", () => {
    const long = `${"a".repeat(50_000)}!`;
    const patterns = {
      a: "^(\\p{L}+)+$", // needs the u flag, nested quantifiers
      b: "^(a|a)*$",
      c: "^(a|aa)+$",
      d: "^(.*a){12}$",
      e: "^([a-z]*)*[0-9]$",
    };
    const schema = [
      "type: object",
      "properties:",
      "  content:",
      "    type: object",
      "    properties:",
      ...Object.entries(patterns).map(([k, p]) => `      ${k}: {type: string, pattern: '${p}'}`),
      "    patternProperties:",
      "      '^(\\w+\\s)+$': {type: integer}",
      "    propertyNames: {pattern: '^([a-z]+)+$'}",
    ].join("\n");
    const content: Record<string, unknown> = Object.fromEntries(Object.keys(patterns).map((k) => [k, long]));
    content[`${"ab ".repeat(20_000)}!`] = "x";
    const root = makeRoot({ [`${S}/m.slow`]: schema, [`${E}/m.slow`]: JSON.stringify({ type: "m.slow", content }) });
    const started = Date.now();
    const r = specgen(["check", root, "--format", "json"]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.code, r.stderr).toBe(1);
    const invalid = json(r.stdout).filter((d) => d.code === "example-invalid");
    for (const key of Object.keys(patterns)) {
      expect(invalid.filter((d) => d.message.startsWith(`/content/${key} must match pattern`)).length, key).toBe(1);
    }
    expect(invalid.filter((d) => d.message.startsWith("/content property name must be valid")).length).toBe(1);
  });

  it("reports a backreference or lookaround at the pattern (a warning), does not apply it, and reports the example's other errors", () => {
    const root = makeRoot({
      [`${S}/m.refs`]: [
        "type: object",
        "properties:",
        "  content:",
        "    type: object",
        "    properties:",
        "      same: {type: string, pattern: '^(a+)\\1$'}",
        "      ahead: {type: string, pattern: '^(?=.*[0-9])[a-z0-9]+$'}",
        "      behind: {type: string, pattern: '(?<!x)y'}",
        "      named: {type: string, pattern: '^(?<q>[ab])\\k<q>$'}",
        "      broken: {type: string, pattern: '(unclosed'}",
        "      count: {type: integer}",
        "    patternProperties:",
        "      '^(?!_)': {type: string}",
      ].join("\n"),
      [`${E}/m.refs`]: JSON.stringify({
        type: "m.refs",
        content: { same: `${"a".repeat(30_000)}b`, ahead: "a".repeat(30_000), behind: "xy", named: "ab", broken: "x", count: "no" },
      }),
    });
    const r = specgen(["check", root, "--format", "json"]);
    expect(r.code).toBe(1);
    const found = json(r.stdout).filter((d) => d.code !== "event-no-example" && d.code !== "property-no-description");
    const summary = found.map((d) => [d.code, d.severity, d.line, d.pointer]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ["pattern-unsupported", "warning", 6, "/properties/content/properties/same/pattern"],
        ["pattern-unsupported", "warning", 7, "/properties/content/properties/ahead/pattern"],
        ["pattern-unsupported", "warning", 8, "/properties/content/properties/behind/pattern"],
        ["pattern-unsupported", "warning", 9, "/properties/content/properties/named/pattern"],
        ["pattern-unsupported", "warning", 13, "/properties/content/patternProperties/^(?!_)"],
        ["schema-compile", "error", 10, "/properties/content/properties/broken/pattern"],
      ]),
    );
    // The invalid and unsupported patterns hide nothing: the integer is still checked.
    expect(found.filter((d) => d.code === "example-invalid").map((d) => d.message.split(" (")[0])).toEqual([
      "/content/count must be integer",
    ]);
  });
});
