/**
 * Conformance on real input: the 2020 Matrix spec's schemas and examples
 * (../shared/corpus), when present; skips with a message when not. The
 * expectations are computed from the schemas and example files themselves,
 * not from specgen's field tables.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixInvalidExamples } from "../bench/corpus.js";
import type { CheckResult } from "../src/pipeline.js";
import { isObject, resolveSchemas, type SchemaObject } from "../src/schema/resolve.js";
import { CORPUS, checkRoot, corpusEventNames, corpusSpecRoot, hasCorpus, specgen, tempDir } from "./helpers.js";
import { examples, section, type TableView, tables } from "./html.js";

if (!hasCorpus) console.warn(`corpus tests skipped: ${CORPUS} is not there`);

const PRIMITIVES = new Set(["string", "integer", "number", "boolean", "null"]);

describe.skipIf(!hasCorpus)("conformance on the 2020 Matrix corpus", () => {
  let root: string;
  let result: CheckResult;
  let page: string;
  let merged: Map<string, SchemaObject>;
  beforeAll(async () => {
    root = corpusSpecRoot();
    result = await checkRoot(root);
    page = result.files.get("index.html") as string;
    merged = (await resolveSchemas(result.spec)).schemas;
  });

  it("checks with no error but auth_data.yaml's example, no broken link, and no warning but undescribed properties and |name|_", () => {
    // The API definitions the events reach hold one example that breaks its schema (see CORPUS_INVALID_EXAMPLES).
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => [d.code, d.file, d.pointer])).toEqual([
      ["example-invalid", "api/client-server/definitions/auth_data.yaml", "/example_credential"],
    ]);
    // m.room.message shows its msgtypes' examples (as the 2020 pipeline and today's spec do): no event lacks one.
    const lint = result.diagnostics.filter(
      (d) => d.code !== "property-no-description" && d.code !== "rst-substitution-unresolved" && d.severity !== "error",
    );
    expect(lint.map((d) => [d.code, d.file])).toEqual([]);
    // The message types' "see |encrypted_files|_", each at its place.
    const substitutions = result.diagnostics.filter((d) => d.code === "rst-substitution-unresolved");
    expect(substitutions.map((d) => d.message.split(" ")[0])).toEqual(Array(substitutions.length).fill("|encrypted_files|_"));
    expect(substitutions.length).toBeGreaterThanOrEqual(7);
    // The corpus leaves some properties undescribed (msgtype of the message types, …): warnings, each at its line.
    const undescribed = result.diagnostics.filter((d) => d.code === "property-no-description");
    expect(undescribed.length).toBeGreaterThan(0);
    for (const d of undescribed) expect(d).toMatchObject({ severity: "warning", line: expect.any(Number) });
  });

  it("renders every event of the schema folder, and nothing else as an event", () => {
    expect(result.events.map((e) => e.name).sort()).toEqual(corpusEventNames());
    for (const event of result.events) expect(page).toContain(`data-event-type="${event.type}"`);
  });

  it("gives every content key and nested object key a row, Required as `required` says, the primitive type in the type cell", () => {
    let checked = 0;
    for (const event of result.events) {
      const schema = merged.get(event.source.path) as SchemaObject;
      const content = (schema.properties as SchemaObject).content as SchemaObject;
      const shown = tables(section(page, event.anchor));
      expect(shown[0].id, event.name).toBe(`${event.anchor}_content`);
      if (!isObject(content.properties)) expect(shown[0].rows.length, `${event.name}: content that is a map`).toBeGreaterThan(0);
      for (const object of objectsWithProperties(content)) {
        expectTableOf(object, shown, event.name);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(80);
  });

  it("shows every example as its merged JSON: the event's own, then its $ variants', by name", () => {
    const dir = path.join(root, "event-schemas/examples");
    const schemaNames = new Set(readdirSync(path.join(root, "event-schemas/schema")));
    const expected = new Map<string, { name: string; json: string }[]>();
    let count = 0;
    for (const name of readdirSync(dir)
      .filter((n) => n.startsWith("m."))
      .sort()) {
      const owner = schemaNames.has(name) ? name : name.split("$")[0];
      const shown = { name, json: JSON.stringify(mergeExample(path.join(dir, name)), null, 2) };
      // A variant's example shows under its own event and under the base event of its type.
      for (const event of new Set([owner, name.split("$")[0]])) expected.set(event, [...(expected.get(event) ?? []), shown]);
      count++;
    }
    for (const event of result.events) {
      expect(examples(section(page, event.anchor)), event.name).toEqual(expected.get(event.name) ?? []);
    }
    expect(count).toBe(61);
  });

  it("builds the site with the CLI once auth_data.yaml's example is fixed: exit 0, no broken internal link", () => {
    fixInvalidExamples(root);
    const out = path.join(tempDir(), "site");
    const r = specgen(["build", root, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/0 errors, \d+ warnings/);
    expect(r.stderr).not.toContain("link-broken");
    expect(readFileSync(path.join(out, "groups.html"), "utf8")).toContain('<section class="common-fields" id="common_room_event_fields">');
  });

  it("with 8 examples made invalid, check exits 1 and names exactly those 8 files, each with line and pointer", () => {
    const mutated = corpusSpecRoot();
    fixInvalidExamples(mutated);
    const mutations: [file: string, change: (example: any) => void, lineHolds: string][] = [
      ["m.room.member", (e) => (e.content.membership = "dancing"), '"membership"'],
      ["m.room.message$m.text", (e) => (e.content.body = 42), '"body"'],
      ["m.room.encrypted$megolm", (e) => delete e.content.algorithm, '"content"'],
      ["m.receipt", (e) => (firstValue(firstValue(e.content)["m.read"]).ts = "soon"), '"ts"'],
      ["m.direct", (e) => (e.content[Object.keys(e.content)[0]] = [1]), "1"],
      ["m.room.power_levels", (e) => (e.content.users[Object.keys(e.content.users)[0]] = "high"), '"high"'],
      ["m.key.verification.start$m.sas.v1", (e) => (e.content.short_authentication_string = ["decimal", "morse"]), '"morse"'],
      ["m.presence", (e) => (e.content.presence = "sleeping"), '"presence"'],
    ];
    const lines = new Map<string, string[]>();
    for (const [name, change] of mutations) {
      const file = path.join(mutated, "event-schemas/examples", name);
      const example = JSON.parse(readFileSync(file, "utf8"));
      change(example);
      const text = `${JSON.stringify(example, null, 2)}\n`;
      writeFileSync(file, text);
      lines.set(`event-schemas/examples/${name}`, text.split("\n"));
    }
    const r = specgen(["check", mutated, "--format", "json"]);
    expect(r.code).toBe(1);
    const errors = (JSON.parse(r.stdout).diagnostics as { severity: string; file: string; line: number; pointer: string }[]).filter(
      (d) => d.severity === "error",
    );
    expect(new Set(errors.map((d) => d.file))).toEqual(new Set(lines.keys()));
    for (const [name, , lineHolds] of mutations) {
      const file = `event-schemas/examples/${name}`;
      const found = errors.filter((d) => d.file === file);
      expect(found.length, file).toBeGreaterThan(0);
      for (const d of found) {
        expect(d.pointer, file).toMatch(/^\/content/);
        expect(lines.get(file)?.[d.line - 1], `${file}:${d.line}`).toContain(lineHolds);
      }
    }
  });
});

/** Every object schema with properties reachable from `root` (itself included), once. */
function objectsWithProperties(root: SchemaObject): SchemaObject[] {
  const found: SchemaObject[] = [];
  const seen = new Set<object>();
  const visit = (node: unknown) => {
    if (!isObject(node) || seen.has(node)) return;
    seen.add(node);
    if (isObject(node.properties) && Object.keys(node.properties).length > 0) found.push(node);
    const children = [
      ...Object.values(isObject(node.properties) ? node.properties : {}),
      ...Object.values(isObject(node.patternProperties) ? node.patternProperties : {}),
      node.additionalProperties,
      ...(Array.isArray(node.items) ? node.items : [node.items]),
      ...(Array.isArray(node.oneOf) ? node.oneOf : []),
      ...(Array.isArray(node.anyOf) ? node.anyOf : []),
    ];
    for (const child of children) visit(child);
  };
  visit(root);
  return found;
}

/** Some table of the section holds exactly this object's properties, with their Required marks and primitive types. */
function expectTableOf(object: SchemaObject, shown: TableView[], where: string): void {
  const properties = Object.entries(object.properties as SchemaObject);
  const required = Array.isArray(object.required) ? object.required : [];
  const keys = properties.map(([k]) => k);
  const table = shown.find((t) => {
    const named = t.rows.filter((r) => !r.key.startsWith("<")).map((r) => r.key);
    return named.length === keys.length && keys.every((k) => named.includes(k));
  });
  expect(table, `${where}: a table with the rows ${keys.join(", ")}`).toBeDefined();
  for (const [key, value] of properties) {
    const row = table?.rows.find((r) => r.key === key);
    expect(row?.required, `${where}: ${key} Required`).toBe(required.includes(key));
    for (const type of primitiveTypes(value)) expect(row?.type, `${where}: ${key} type`).toContain(type);
  }
}

function primitiveTypes(schema: unknown): string[] {
  if (!isObject(schema)) return [];
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const names = types.filter((t): t is string => typeof t === "string" && PRIMITIVES.has(t));
  const items = schema.items;
  if (schema.type === "array" && isObject(items) && typeof items.type === "string" && PRIMITIVES.has(items.type))
    names.push(`[${items.type}]`);
  return names;
}

/** An example with its `$ref`s applied, computed here on its own: the base's keys, then the file's. */
function mergeExample(file: string): unknown {
  const node = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(node);
    if (!isObject(value)) return value;
    const ref = value.$ref;
    let out: Record<string, unknown> = {};
    if (typeof ref === "string") {
      const base = mergeExample(path.resolve(path.dirname(file), ref));
      if (!isObject(base)) return base;
      out = { ...base };
    }
    for (const [k, v] of Object.entries(value)) if (!(k === "$ref" && typeof ref === "string")) out[k] = node(v);
    return out;
  };
  return node(JSON.parse(readFileSync(file, "utf8")));
}

function firstValue(object: Record<string, any>): any {
  return Object.values(object)[0];
}
