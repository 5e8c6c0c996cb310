import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { loadSpec } from "../src/load/index.js";
import { locate, origins } from "../src/load/source.js";
import { makeRoot } from "./helpers.js";

describe("load", () => {
  it("parses YAML and JSON with or without an extension, and keeps positions", () => {
    const root = makeRoot({
      "event-schemas/schema/m.a": "type: object\nproperties:\n  content:\n    type: object\n",
      "event-schemas/schema/m.b.yaml": "type: object\n",
      "event-schemas/examples/m.a": '{\n  "type": "m.a",\n  "content": {\n    "x": 1\n  }\n}\n',
      "event-schemas/examples/m.c$v.json": '{"type": "m.c"}',
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics).toEqual([]);
    expect(spec.schemas.map((s) => s.rel)).toEqual(["event-schemas/schema/m.a", "event-schemas/schema/m.b.yaml"]);
    const [a] = spec.schemas;
    expect(a.value).toEqual({ type: "object", properties: { content: { type: "object" } } });
    expect(locate(a, "/properties/content/type")).toEqual({ line: 4, column: 5 });
    const example = spec.examples[0];
    expect(locate(example, "/content/x")).toEqual({ line: 4, column: 5 });
    expect(locate(example, "/content/x", "value")).toEqual({ line: 4, column: 10 });
    const content = (example.value as { content: object }).content;
    expect(origins.get(content)).toEqual({ source: example, pointer: "/content" });
  });

  it("reports syntax errors at their line and column and goes on", () => {
    const root = makeRoot({
      "event-schemas/schema/m.bad": "type: object\nproperties:\n  content: [unclosed\n",
      "event-schemas/examples/m.bad": '{\n  "type": "m.bad",\n  "content": {,}\n}',
      "event-schemas/schema/m.good": "type: object\n",
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ["parse-syntax", "event-schemas/schema/m.bad", 4],
      ["parse-syntax", "event-schemas/examples/m.bad", 3],
    ]);
    expect(spec.schemas.find((s) => s.rel.endsWith("m.good"))?.value).toEqual({ type: "object" });
  });

  it("refuses $refs that leave the root or use the network, and loads those that stay inside", () => {
    const root = makeRoot({
      "event-schemas/schema/m.a":
        "allOf:\n  - $ref: ../../api/defs/thing.yaml\n  - $ref: ../../../etc/passwd\n  - $ref: https://example.org/x.yaml\n",
      "api/defs/thing.yaml": "type: object\n",
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["ref-outside-root", 3],
      ["ref-network", 4],
    ]);
    expect([...spec.sources.values()].map((s) => s.rel)).toContain("api/defs/thing.yaml");
  });
});
