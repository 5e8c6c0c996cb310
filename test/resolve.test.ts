import $RefParser from "@apidevtools/json-schema-ref-parser";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.js";
import { loadSpec } from "../src/load/index.js";
import { origins } from "../src/load/source.js";
import { nodeKey, resolveSchemaNodes, resolveSchemas } from "../src/schema/resolve.js";
import { copySample, makeRoot, writeFiles } from "./helpers.js";

async function resolve(files: Record<string, string>) {
  const root = makeRoot(files);
  const { spec } = loadSpec(loadConfig(root));
  const result = await resolveSchemas(spec);
  const byName = (name: string) =>
    result.schemas.get(spec.schemas.find((s) => s.rel.endsWith(`/${name}`))?.path ?? "") as Record<string, any>;
  return { ...result, byName };
}

describe("resolve", () => {
  it("merges allOf deeply: parents first, the child wins, required united, nothing dropped", async () => {
    const { byName, diagnostics } = await resolve({
      "event-schemas/schema/core/base.yaml": [
        "title: Base",
        "description: parent",
        "x-parent: kept",
        "properties:",
        "  type: {type: string, format: uri}",
        "  content: {type: object, properties: {a: {type: string, enum: [x, y]}}, required: [a]}",
        "required: [type]",
      ].join("\n"),
      "event-schemas/schema/m.child": [
        "allOf: [{$ref: core/base.yaml}]",
        "description: child",
        "properties:",
        "  content:",
        "    properties:",
        "      b: {type: array, items: {type: integer}}",
        "      c: {oneOf: [{type: string}, {type: integer}]}",
        "    required: [b]",
        "required: [content]",
      ].join("\n"),
    });
    expect(diagnostics).toEqual([]);
    const child = byName("m.child");
    expect(child.description).toBe("child");
    expect(child.title).toBe("Base");
    expect(child["x-parent"]).toBe("kept");
    expect(child.required).toEqual(["type", "content"]);
    expect(child.properties.type).toEqual({ type: "string", format: "uri" });
    expect(Object.keys(child.properties.content.properties)).toEqual(["a", "b", "c"]);
    expect(child.properties.content.properties.a.enum).toEqual(["x", "y"]);
    expect(child.properties.content.properties.b.items).toEqual({ type: "integer" });
    expect(child.properties.content.properties.c.oneOf).toHaveLength(2);
    expect(child.properties.content.required).toEqual(["a", "b"]);
    expect(child.allOf).toBeUndefined();
  });

  it("follows refs without extension, with JSON pointers, and across folders", async () => {
    const { byName, diagnostics } = await resolve({
      "event-schemas/schema/m.a":
        "properties:\n  content:\n    properties:\n      rule: {$ref: ../../api/defs/rule.yaml#/definitions/rule}\n      other: {$ref: m.b}\n",
      "event-schemas/schema/m.b": "type: integer\n",
      "api/defs/rule.yaml": "definitions:\n  rule: {type: object, title: Rule, properties: {entity: {type: string}}}\n",
    });
    expect(diagnostics).toEqual([]);
    const a = byName("m.a");
    expect(a.properties.content.properties.rule.title).toBe("Rule");
    expect(a.properties.content.properties.other).toEqual({ type: "integer" });
  });

  it("keeps a recursive schema as a cycle instead of looping", async () => {
    const { byName, diagnostics } = await resolve({
      "event-schemas/schema/m.tree":
        "properties:\n  content: {$ref: '#/definitions/node'}\ndefinitions:\n  node:\n    type: object\n    title: Node\n    properties:\n      children: {type: array, items: {$ref: '#/definitions/node'}}\n",
    });
    expect(diagnostics).toEqual([]);
    const node = byName("m.tree").properties.content;
    expect(node.properties.children.items).toBe(node);
  });

  it("reports a missing pointer at the line of its $ref", async () => {
    const { diagnostics } = await resolve({
      "event-schemas/schema/m.a": "type: object\nproperties:\n  x:\n    $ref: 'm.b#/nope'\n",
      "event-schemas/schema/m.b": "type: integer\n",
    });
    expect(diagnostics.map((d) => [d.code, d.file, d.line, d.pointer])).toEqual([
      ["ref-missing-pointer", "event-schemas/schema/m.a", 4, "/properties/x"],
    ]);
  });

  it("resolves nodes with and without $refs in one call; a node without needs no resolver and shares nothing with the loaded value", async () => {
    const root = makeRoot({
      "api/a.yaml": [
        'swagger: "2.0"',
        "plain:",
        "  type: object",
        "  description: no refs here",
        "  properties: {n: {type: integer}}",
        "  allOf: [{required: [n]}]",
        "linked:",
        "  allOf: [{$ref: defs.yaml#/base}]",
        "  properties: {m: {type: string}}",
        "scalar: 3",
      ].join("\n"),
      "api/defs.yaml": "base: {title: Base, properties: {id: {type: string}}}\n",
    });
    const { spec } = loadSpec(loadConfig(root));
    const source = spec.sources.get(`${root}/api/a.yaml`)!;
    const nodes = ["/plain", "/linked", "/scalar"].map((pointer) => ({ source, pointer }));
    const { schemas, diagnostics } = await resolveSchemaNodes(spec, nodes);
    expect(diagnostics).toEqual([]);
    const plain = schemas.get(nodeKey(nodes[0])) as Record<string, any>;
    expect(plain).toEqual({ required: ["n"], type: "object", description: "no refs here", properties: { n: { type: "integer" } } });
    expect(origins.get(plain.properties.n)).toMatchObject({ source, pointer: "/plain/properties/n" });
    const loaded = (source.value as Record<string, any>).plain;
    expect(plain.properties).not.toBe(loaded.properties);
    expect(loaded.allOf).toEqual([{ required: ["n"] }]);
    const linked = schemas.get(nodeKey(nodes[1])) as Record<string, any>;
    expect(linked).toEqual({ title: "Base", properties: { id: { type: "string" }, m: { type: "string" } } });
    expect(schemas.has(nodeKey(nodes[2]))).toBe(false);

    const dereference = vi.spyOn($RefParser.prototype, "dereference");
    const again = await resolveSchemaNodes(spec, [nodes[0]]);
    expect(again.schemas.get(nodeKey(nodes[0]))).toEqual(plain);
    expect(dereference).not.toHaveBeenCalled();
    await resolveSchemaNodes(spec, nodes);
    expect(dereference).toHaveBeenCalledTimes(1);
    dereference.mockRestore();
  });
});

describe("resolveSchemaNodes in batches", () => {
  it("hands every schema to `use` and finds what one batch finds, each diagnostic once", async () => {
    const root = copySample();
    writeFiles(root, {
      "event-schemas/schema/m.loop_a": "allOf: [{$ref: m.loop_b}]\n",
      "event-schemas/schema/m.loop_b": "allOf: [{$ref: m.loop_a}]\n",
      "event-schemas/schema/m.broken_one": "properties: {content: {$ref: core/shared.yaml#/nothing}}\n",
      "event-schemas/schema/m.broken_two": "properties: {content: {$ref: core/shared.yaml#/nothing}}\n",
      "event-schemas/schema/core/shared.yaml": "type: object\n",
    });
    const { spec } = loadSpec(loadConfig(root));
    const nodes = spec.schemas.map((source) => ({ source, pointer: "" }));
    const whole = await resolveSchemaNodes(spec, nodes);
    const handed = new Map<string, unknown>();
    const batched = await resolveSchemaNodes(spec, nodes, [], (key, schema) => handed.set(key, schema), 1);
    expect(batched.schemas.size).toBe(0);
    expect(handed.size).toBeGreaterThan(5);
    expect([...handed.keys()]).toEqual([...whole.schemas.keys()]);
    expect(Object.fromEntries(handed)).toEqual(Object.fromEntries(whole.schemas));
    expect(batched.diagnostics).toEqual(whole.diagnostics);
    expect(whole.diagnostics.map((d) => d.code).sort()).toEqual(["ref-missing-pointer", "ref-missing-pointer", "schema-ref-loop"]);
  });
});
