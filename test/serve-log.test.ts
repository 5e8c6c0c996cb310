/** What the preview prints of its rebuilds' diagnostics: what changed, warnings summarised once. */
import { describe, expect, it } from "vitest";
import { type Diagnostic, error, warning } from "../src/diagnostics.js";
import { DiagnosticLog } from "../src/serve/log.js";

const texts = new Map([["a.yaml", "one: 1\ntwo: [\nthree: 3\n"]]);
const broken = error("parse-syntax", "unclosed flow sequence", { file: "a.yaml", line: 2, column: 6 });
const undescribed = (n: number): Diagnostic =>
  warning("property-no-description", `property p${n} has no description`, { file: "a.yaml", pointer: `/properties/p${n}` });

describe("DiagnosticLog", () => {
  it("prints errors with their code frame once, a line when fixed, and summarises warnings once", () => {
    const log = new DiagnosticLog({});
    const warnings = [undescribed(1), undescribed(2), warning("event-no-example", "no example", { file: "b.yaml" })];
    const first = log.update([broken, ...warnings], texts);
    expect(first).toBe(
      [
        "a.yaml:2:6  error  parse-syntax  unclosed flow sequence",
        "  1 | one: 1",
        "> 2 | two: [",
        "    |      ^",
        "  3 | three: 3",
        "3 warnings: 2 property-no-description, 1 event-no-example",
        "",
      ].join("\n"),
    );
    // The same diagnostics again (the error moved a line down by an edit above it): nothing to say.
    expect(log.update([{ ...broken, line: 3 }, ...warnings], texts)).toBe("");
    // A new warning is listed; the fixed error gets one line.
    expect(log.update([...warnings, undescribed(3)], texts)).toBe(
      "fixed: a.yaml:3:6  parse-syntax  unclosed flow sequence\n" +
        "a.yaml  warning  property-no-description  property p3 has no description (at /properties/p3)\n",
    );
    // Many new warnings at once are summarised; fixed ones are counted.
    const many = Array.from({ length: 12 }, (_, i) => undescribed(10 + i));
    expect(log.update([...many], texts)).toBe("fixed: 4 warnings\n12 warnings: 12 property-no-description\n");
  });
});
