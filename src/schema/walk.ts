/**
 * Where the subschemas of a schema are, by keyword. A `properties` map holds
 * schemas, but a property *named* `format` or `$ref` is not a keyword: walking
 * by keyword keeps the two apart.
 */
import { escapePointer } from "../load/source.js";
import { isObject, type SchemaObject } from "./resolve.js";

export interface SubSchema {
  node: SchemaObject;
  /** Pointer relative to the parent schema, e.g. `/properties/content`. */
  path: string;
  /** True when it applies to the same value as its parent (`allOf`, `not`, …), false when to a part of it or to nothing (`definitions`). */
  sameValue: boolean;
}

const SAME_VALUE_ONE = ["not", "if", "then", "else"];
const SAME_VALUE_LIST = ["allOf", "anyOf", "oneOf"];
const SAME_VALUE_MAP = ["dependentSchemas", "dependencies"];
const PART_ONE = [
  "items",
  "additionalItems",
  "additionalProperties",
  "contains",
  "propertyNames",
  "unevaluatedItems",
  "unevaluatedProperties",
];
const PART_LIST = ["items", "prefixItems"];
const PART_MAP = ["properties", "patternProperties", "definitions", "$defs"];

export function subschemas(schema: SchemaObject): SubSchema[] {
  const out: SubSchema[] = [];
  const one = (keys: string[], sameValue: boolean) => {
    for (const k of keys) if (isObject(schema[k])) out.push({ node: schema[k], path: `/${escapePointer(k)}`, sameValue });
  };
  const list = (keys: string[], sameValue: boolean) => {
    for (const k of keys) {
      const v = schema[k];
      if (!Array.isArray(v)) continue;
      for (const [i, item] of v.entries()) if (isObject(item)) out.push({ node: item, path: `/${escapePointer(k)}/${i}`, sameValue });
    }
  };
  const map = (keys: string[], sameValue: boolean) => {
    for (const k of keys) {
      const v = schema[k];
      if (!isObject(v)) continue;
      for (const [name, item] of Object.entries(v)) {
        if (isObject(item)) out.push({ node: item, path: `/${escapePointer(k)}/${escapePointer(name)}`, sameValue });
      }
    }
  };
  one(SAME_VALUE_ONE, true);
  list(SAME_VALUE_LIST, true);
  map(SAME_VALUE_MAP, true);
  one(PART_ONE, false);
  list(PART_LIST, false);
  map(PART_MAP, false);
  return out;
}

/** Every schema object in a file's value (the root included), each once, with its pointer. */
export function schemaNodes(root: unknown): { node: SchemaObject; pointer: string }[] {
  const out: { node: SchemaObject; pointer: string }[] = [];
  const seen = new Set<object>();
  const walk = (node: SchemaObject, pointer: string) => {
    if (seen.has(node)) return;
    seen.add(node);
    out.push({ node, pointer });
    for (const sub of subschemas(node)) walk(sub.node, pointer + sub.path);
  };
  if (isObject(root)) walk(root, "");
  return out;
}
