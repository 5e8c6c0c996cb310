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

/**
 * Calls `visit` for each subschema of `schema`, by keyword: the keyword, the
 * index or name under it (for lists and maps), and whether it applies to the
 * same value. Same-value keywords come first.
 */
function eachSubschema(
  schema: SchemaObject,
  visit: (node: SchemaObject, keyword: string, member: string | undefined, sameValue: boolean) => void,
): void {
  const one = (keys: string[], sameValue: boolean) => {
    for (const k of keys) if (isObject(schema[k])) visit(schema[k], k, undefined, sameValue);
  };
  const list = (keys: string[], sameValue: boolean) => {
    for (const k of keys) {
      const v = schema[k];
      if (!Array.isArray(v)) continue;
      for (let i = 0; i < v.length; i++) if (isObject(v[i])) visit(v[i], k, String(i), sameValue);
    }
  };
  const map = (keys: string[], sameValue: boolean) => {
    for (const k of keys) {
      const v = schema[k];
      if (!isObject(v)) continue;
      for (const [name, item] of Object.entries(v)) if (isObject(item)) visit(item, k, name, sameValue);
    }
  };
  one(SAME_VALUE_ONE, true);
  list(SAME_VALUE_LIST, true);
  map(SAME_VALUE_MAP, true);
  one(PART_ONE, false);
  list(PART_LIST, false);
  map(PART_MAP, false);
}

export function subschemas(schema: SchemaObject): SubSchema[] {
  const out: SubSchema[] = [];
  eachSubschema(schema, (node, keyword, member, sameValue) => {
    const path = `/${escapePointer(keyword)}${member === undefined ? "" : `/${escapePointer(member)}`}`;
    out.push({ node, path, sameValue });
  });
  return out;
}

/** The subschemas that apply to the same value as `schema` (`allOf`, `not`, …), without their paths. */
export function sameValueSubschemas(schema: SchemaObject): SchemaObject[] {
  const out: SchemaObject[] = [];
  eachSubschema(schema, (node, _keyword, _member, sameValue) => {
    if (sameValue) out.push(node);
  });
  return out;
}

/** Every schema object in a file's value (the root included), each once, without pointers: what a search for loops starts from. */
export function eachSchemaNode(root: unknown, visit: (node: SchemaObject) => void): void {
  const seen = new Set<object>();
  const stack = isObject(root) ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop() as SchemaObject;
    if (seen.has(node)) continue;
    seen.add(node);
    visit(node);
    const children: SchemaObject[] = [];
    eachSubschema(node, (child) => children.push(child));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
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
