/** Places: problems inside descriptions and pages are reported at their exact line and column, whatever the YAML style. */
import { describe, expect, it } from "vitest";
import { scanJson } from "../src/load/json.js";
import { checkRoot, makeRoot } from "./helpers.js";

const S = "event-schemas/schema";

describe("places inside descriptions", () => {
  it("finds a reference's line and column in literal, folded, plain, quoted and JSON descriptions", async () => {
    const schema = [
      "type: object", // 1
      "description: |-",
      "  First line.",
      "",
      "  Third line with `Nowhere literal`_ here.", // 5
      "properties:",
      "  type: {type: string, enum: [m.x]}",
      "  content:",
      "    type: object",
      "    properties:", // 10
      "      folded:",
      "        type: string",
      "        description: >-",
      "          Folded text that runs",
      "          over lines, then `Nowhere folded`_.", // 15
      "      plain:",
      "        type: string",
      "        description: Plain text",
      "          that continues, `Nowhere plain`_ and",
      "          more.", // 20
      "      quoted:",
      "        type: string",
      "        description: 'Quoted text",
      "",
      "          a paragraph later: `Nowhere quoted`_.'", // 25
      "      block:",
      "        type: string",
      "        description: |",
      "          A block:",
      "", // 30
      "          {{no_such_block}}",
    ].join("\n");
    const json =
      '{\n  "properties": {\n    "type": {"enum": ["m.j"]},\n    "content": {"properties": {"k": {"type": "string", "description": "one\\ntwo `Nowhere json`_"}}}\n  }\n}\n';
    const { diagnostics } = await checkRoot(
      makeRoot({
        [`${S}/m.x`]: schema,
        [`${S}/m.j.json`]: json,
        "specification/index.md": "# Home\n\n{{m_x_event}}\n\n{{m_j_event}}\n\n*Emphasis* and `code\nspan` then `Nowhere page`_.\n",
      }),
    );
    const places = diagnostics
      .filter((d) => d.code === "reference-unresolved" || d.code === "block-unknown")
      .map((d) => [d.file, d.line, d.column, d.message.split(" ")[0]]);
    expect(places).toEqual([
      [`${S}/m.j.json`, 4, 81, "`Nowhere"],
      [`${S}/m.x`, 5, 19, "`Nowhere"],
      [`${S}/m.x`, 15, 28, "`Nowhere"],
      [`${S}/m.x`, 19, 27, "`Nowhere"],
      [`${S}/m.x`, 25, 30, "`Nowhere"],
      [`${S}/m.x`, 31, 11, "unknown"],
      ["specification/index.md", 8, 12, "`Nowhere"],
    ]);
  });
});

describe("strict JSON", () => {
  it("says where a syntax error is and finds duplicate keys, however deep", () => {
    expect(scanJson('{"a": [1, 2, {"b": "c"}], "d": null}')).toBeUndefined();
    expect(scanJson('{"a": 1,}')).toMatchObject({ code: "parse-syntax", offset: 8 });
    expect(scanJson('{"a": "x\ny"}')).toMatchObject({
      code: "parse-syntax",
      offset: 8,
      message: expect.stringContaining("control character"),
    });
    expect(scanJson('{"a": 1} x')).toMatchObject({ code: "parse-syntax", offset: 9 });
    expect(scanJson("[01]")).toMatchObject({ code: "parse-syntax", offset: 2 });
    expect(scanJson('{"a": {"b": 1, "\\u0062": 2}}')).toMatchObject({
      code: "parse-duplicate-key",
      offset: 15,
      message: 'duplicate key "b"',
    });
    expect(scanJson("[".repeat(100_000))).toMatchObject({ code: "parse-syntax", message: "unexpected end of file" });
  });
});
