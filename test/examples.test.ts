import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { ExampleMerger, originOf } from "../src/examples/merge.js";
import { schemaOfExample } from "../src/examples/validate.js";
import { loadSpec } from "../src/load/index.js";
import { checkRoot, makeRoot } from "./helpers.js";

describe("examples", () => {
  it("extends a base with a sibling-key $ref: the base's keys, then the file's own", () => {
    const root = makeRoot({
      "event-schemas/examples/core/event.json": '{"content": {"key": "value"}, "type": "org.example", "sender": "@a:b"}',
      "event-schemas/examples/core/room.json": '{"$ref": "event.json", "room_id": "!r:b"}',
      "event-schemas/examples/m.x": '{"$ref": "core/room.json", "type": "m.x", "content": {"k": 1}}',
      "event-schemas/examples/list.json": "[1, 2]",
      "event-schemas/examples/m.y": '{"content": {"items": {"$ref": "list.json"}}}',
    });
    const { spec } = loadSpec(loadConfig(root));
    const merger = new ExampleMerger(spec);
    const byName = (n: string) => spec.examples.find((e) => e.rel.endsWith(n))!;
    expect(merger.merge(byName("m.x"))).toEqual({ content: { k: 1 }, type: "m.x", sender: "@a:b", room_id: "!r:b" });
    expect(Object.keys(merger.merge(byName("m.x")) as object)).toEqual(["content", "type", "sender", "room_id"]);
    expect(merger.merge(byName("m.y"))).toEqual({ content: { items: [1, 2] } });
    expect(merger.diagnostics).toEqual([]);
  });

  it("keeps a part with no $ref as loaded, and copies one whose YAML aliases share nodes; origins say where each value was written", () => {
    const root = makeRoot({
      "event-schemas/examples/core/event.json": '{"content": {"base": true}, "type": "org.example"}',
      "event-schemas/examples/m.x": '{"$ref": "core/event.json", "content": {"info": {"size": 3}}, "tags": ["a"]}',
      "event-schemas/examples/m.shared": "info: &i {size: 3}\nagain: *i\n",
    });
    const { spec } = loadSpec(loadConfig(root));
    const merger = new ExampleMerger(spec);
    const byName = (n: string) => spec.examples.find((e) => e.rel.endsWith(n))!;
    const x = byName("m.x");
    const merged = merger.merge(x) as Record<string, any>;
    const loaded = x.value as Record<string, any>;
    expect(merged).not.toBe(loaded);
    expect(merged.content).toBe(loaded.content);
    expect(merged.tags).toBe(loaded.tags);
    expect(originOf(merged, "/content/info/size")).toEqual({ source: x, pointer: "/content/info/size" });
    expect(originOf(merged, "/type")?.source).toBe(byName("core/event.json"));
    const shared = byName("m.shared");
    const copied = merger.merge(shared) as Record<string, any>;
    expect(copied).toEqual({ info: { size: 3 }, again: { size: 3 } });
    expect(copied.again).not.toBe((shared.value as Record<string, any>).again);
    expect(originOf(copied, "/again/size")).toEqual({ source: shared, pointer: "/again/size" });
  });

  it("belongs to the schema of its name, or of the part before $", () => {
    const names = new Set(["m.room.message", "m.room.message$m.text"]);
    expect(schemaOfExample("m.room.message$m.text", names)).toBe("m.room.message$m.text");
    expect(schemaOfExample("m.room.message$m.notice", names)).toBe("m.room.message");
    expect(schemaOfExample("m.other", names)).toBeUndefined();
  });

  it("reports an invalid value at its line in the example file, with pointer and schema location", async () => {
    const root = makeRoot({
      "event-schemas/schema/core/event.yaml": "properties:\n  type: {type: string}\n  content: {type: object}\nrequired: [type, content]\n",
      "event-schemas/schema/m.x":
        "allOf: [{$ref: core/event.yaml}]\nproperties:\n  content:\n    properties:\n      code: {type: string}\n",
      "event-schemas/examples/core/event.json": '{\n  "type": 5,\n  "content": {}\n}\n',
      "event-schemas/examples/m.x": '{\n  "$ref": "core/event.json",\n  "content": {\n    "code": 7\n  }\n}\n',
    });
    const { diagnostics } = await checkRoot(root);
    const errors = diagnostics.filter((d) => d.code === "example-invalid");
    expect(errors.map((d) => [d.file, d.line, d.pointer])).toEqual([
      ["event-schemas/examples/core/event.json", 2, "/type"],
      ["event-schemas/examples/m.x", 4, "/content/code"],
    ]);
    expect(errors[1].message).toContain("must be string");
    expect(errors[1].message).toContain("event-schemas/schema/m.x#/properties/content/properties/code type");
    expect(errors[0].message).toContain("event-schemas/schema/core/event.yaml#/properties/type type");
  });

  it("honours $schema: draft-04 and 2020-12 keywords mean what their draft says", async () => {
    const schema = (draft: string) =>
      `$schema: "${draft}"\nproperties:\n  content:\n    properties:\n      n: {type: number, maximum: 10, exclusiveMaximum: true}\n  type: {type: string}\n`;
    const root = makeRoot({
      "event-schemas/schema/m.four": schema("http://json-schema.org/draft-04/schema#"),
      "event-schemas/examples/m.four": '{"type": "m.four", "content": {"n": 10}}',
      "event-schemas/schema/m.twenty": `$schema: "https://json-schema.org/draft/2020-12/schema"\nproperties:\n  content:\n    prefixItems: [{type: string}]\n    items: false\n`,
      "event-schemas/examples/m.twenty": '{"content": ["a", "b"]}',
    });
    const { diagnostics } = await checkRoot(root);
    const invalid = diagnostics.filter((d) => d.code === "example-invalid");
    expect(invalid.map((d) => [d.file, d.pointer])).toEqual([
      ["event-schemas/examples/m.four", "/content/n"],
      ["event-schemas/examples/m.twenty", "/content"],
    ]);
    expect(diagnostics.filter((d) => d.code === "schema-invalid")).toEqual([]);
  });

  it("checks each schema against its meta-schema", async () => {
    const root = makeRoot({ "event-schemas/schema/m.x": "type: object\nproperties:\n  content:\n    type: 12\n" });
    const { diagnostics } = await checkRoot(root);
    const invalid = diagnostics.filter((d) => d.code === "schema-invalid");
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid[0]).toMatchObject({ file: "event-schemas/schema/m.x", line: 4, pointer: "/properties/content/type" });
  });
});
