/** The reporters: pretty (code frames, colour, safe text), json and github. */
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics.js";
import { codeFrame, report } from "../src/report.js";
import { makeRoot, specgen } from "./helpers.js";

const example: Diagnostic = {
  severity: "error",
  code: "example-invalid",
  message: "/content/code must be string",
  file: "event-schemas/examples/m.x",
  line: 4,
  column: 13,
  pointer: "/content/code",
};
const text = '{\n  "type": "m.x",\n  "content": {\n    "code": 42,\n    "reason": "r"\n  }\n}\n';

describe("pretty", () => {
  it("prints place, severity, code, message and a code frame with a caret", () => {
    const out = report([example], "pretty", { texts: new Map([[example.file as string, text]]) });
    expect(out).toBe(
      [
        "event-schemas/examples/m.x:4:13  error  example-invalid  /content/code must be string (at /content/code)",
        '  2 |   "type": "m.x",',
        '  3 |   "content": {',
        '> 4 |     "code": 42,',
        "    |             ^",
        '  5 |     "reason": "r"',
        "1 error, 0 warnings in 1 file",
        "",
      ].join("\n"),
    );
  });

  it("colours only when asked", () => {
    const texts = new Map([[example.file as string, text]]);
    expect(report([example], "pretty", { texts, color: false })).not.toContain("\x1b[");
    const coloured = report([example], "pretty", { texts, color: true });
    expect(coloured).toContain("\x1b[31merror\x1b[39m");
    expect(coloured).toContain("\x1b[31m^\x1b[39m");
  });

  it("keeps terminal control characters out, in messages and frames", () => {
    const hostile: Diagnostic = { ...example, message: "bad \x1b[2J\x1b]0;pwned\x07 key\nnext", line: 1, column: 3 };
    const out = report([hostile], "pretty", { texts: new Map([[example.file as string, "a\x1b[31mb\u202ec\td\n"]]) });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: they must not be printed
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    expect(out).toContain("bad \\u001b[2J\\u001b]0;pwned\\u0007 key next");
    expect(out).toContain("> 1 | a\ufffd[31mb\ufffdc d\n    |   ^\n");
  });

  it("cuts long lines to a window around the column", () => {
    const line = `${"a".repeat(300)}X${"b".repeat(300)}`;
    const frame = codeFrame(line, 1, 301);
    const [source, caret] = frame.split("\n");
    expect(source.length).toBeLessThan(120);
    expect(source[caret.indexOf("^")]).toBe("X");
  });

  it("says how many files were checked and when there are too many warnings", () => {
    const warning: Diagnostic = { severity: "warning", code: "event-no-example", message: "m", file: "a" };
    expect(report([], "pretty", { checked: 12 })).toBe("0 errors, 0 warnings (12 files checked)\n");
    expect(report([warning, { ...warning, file: "b" }], "pretty", { checked: 12, maxWarnings: 1 })).toMatch(
      /0 errors, 2 warnings in 2 files \(12 files checked\)\ntoo many warnings: 2, more than --max-warnings 1\n$/,
    );
  });
});

describe("json and github", () => {
  it("json holds the diagnostics and a summary", () => {
    expect(JSON.parse(report([example], "json", { checked: 3 }))).toEqual({
      diagnostics: [example],
      summary: { errors: 1, warnings: 0, files: 1, checked: 3 },
    });
  });

  it("github writes one escaped annotation per diagnostic", () => {
    const out = report([{ ...example, message: "50% of\nthis, that" }], "github");
    expect(out.split("\n")[0]).toBe(
      "::error file=event-schemas/examples/m.x,line=4,col=13,title=example-invalid::50%25 of%0Athis, that (at /content/code)",
    );
  });
});

describe("reporters through the CLI", () => {
  const root = () => makeRoot({ "specification/index.md": "# Home\n\n{{nothing}}\n" });

  it("prints paths relative to the working directory, with colour under FORCE_COLOR unless NO_COLOR", () => {
    const r = root();
    const fromParent = specgen(["check", path.basename(r)], {}, path.dirname(r));
    expect(fromParent.stderr).toContain(`${path.basename(r)}/specification/index.md:3:1  error  block-unknown`);
    expect(fromParent.stderr).toContain("> 3 | {{nothing}}");
    expect(specgen(["check", r], { NO_COLOR: "", FORCE_COLOR: "1" }).stderr).toContain("\x1b[31merror");
    expect(specgen(["check", r], { NO_COLOR: "1", FORCE_COLOR: "1" }).stderr).not.toContain("\x1b[");
  });

  it("chooses github annotations under GitHub Actions, and json on stdout when asked", () => {
    const r = root();
    const github = specgen(["check", "."], { GITHUB_ACTIONS: "true" }, r);
    expect(github.stderr).toContain("::error file=specification/index.md,line=3,col=1,title=block-unknown::unknown block {{nothing}}");
    const json = specgen(["check", r, "--format", "json"], { GITHUB_ACTIONS: "true" });
    expect(JSON.parse(json.stdout).summary).toMatchObject({ errors: 1, warnings: 0, files: 1 });
  });
});
