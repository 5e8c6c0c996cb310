/**
 * The semantic comparison: two revisions' subjects (events and endpoints)
 * → the changes an implementer cares about, each classified as breaking or
 * compatible. It walks resolved schemas (`$ref`s followed, `allOf` merged), so
 * a change in a core schema is reported on every subject that inherits it.
 */
import { escapePointer, splitPointer } from "../load/source.js";
import { isObject, type SchemaObject } from "../schema/resolve.js";
import type { Subject } from "./subjects.js";

/** Every kind of change, in the order a report lists them for one field. */
export const CHANGE_KINDS = [
  "event-added",
  "event-removed",
  "endpoint-added",
  "endpoint-removed",
  "field-added",
  "field-removed",
  "type-changed",
  "required-added",
  "required-removed",
  "enum-added",
  "enum-removed",
  "constraint-changed",
  "description-changed",
  "example-changed",
] as const;

export type ChangeKind = (typeof CHANGE_KINDS)[number];

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface Change {
  kind: ChangeKind;
  /** The subject's `target`: an event's heading or `METHOD /path`. */
  target: string;
  /** The JSON pointer of the field inside the event (or request/response); `*` is any array item or map value. */
  path: string;
  /** What it was and what it is; null for "absent". The meaning per kind is in the README. */
  before: JsonValue;
  after: JsonValue;
  breaking: boolean;
  /** For `example-changed`: which example (an event may have several). Not part of the JSON report. */
  example?: string;
}

/** Keywords that restrict a value, compared one by one (`enum` has its own kinds). */
const CONSTRAINTS = [
  "format",
  "pattern",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
] as const;

/** Compares two revisions' subjects; the changes come sorted (see `sortChanges`). */
export function compareSubjects(before: readonly Subject[], after: readonly Subject[]): Change[] {
  const changes: Change[] = [];
  const old = new Map(before.map((s) => [s.key, s]));
  const now = new Map(after.map((s) => [s.key, s]));
  for (const [key, subject] of old) {
    if (!now.has(key)) changes.push(change(`${subject.kind}-removed`, subject.target, "", subject.file, null, true));
  }
  for (const [key, subject] of now) {
    const previous = old.get(key);
    if (!previous) changes.push(change(`${subject.kind}-added`, subject.target, "", null, subject.file, false));
    else new SubjectComparer(subject.target, changes).compare(previous, subject);
  }
  return sortChanges(changes);
}

function change(kind: ChangeKind, target: string, path: string, before: JsonValue, after: JsonValue, breaking: boolean): Change {
  return { kind, target, path, before, after, breaking };
}

class SubjectComparer {
  /** Pairs of schema nodes already compared: recursive schemas are walked once. */
  private readonly seen = new Map<object, Set<object>>();

  constructor(
    private readonly target: string,
    private readonly changes: Change[],
  ) {}

  compare(before: Subject, after: Subject): void {
    for (const [root, schema] of after.schemas) {
      const old = before.schemas.get(root);
      if (old) this.schema(old, schema, root);
      else this.push("field-added", root, null, fieldType(schema), false);
    }
    for (const [root, schema] of before.schemas) {
      if (!after.schemas.has(root)) this.push("field-removed", root, fieldType(schema), null, true);
    }
    const names = [...new Set([...before.examples.keys(), ...after.examples.keys()])].sort();
    for (const name of names) {
      const found: Change[] = [];
      diffValues(before.examples.get(name), after.examples.get(name), "", (path, b, a) =>
        found.push({ ...change("example-changed", this.target, path, b, a, false), example: name }),
      );
      this.changes.push(...found);
    }
  }

  private push(kind: ChangeKind, path: string, before: JsonValue, after: JsonValue, breaking: boolean): void {
    this.changes.push(change(kind, this.target, path, before, after, breaking));
  }

  private schema(before: SchemaObject, after: SchemaObject, path: string): void {
    const pairs = this.seen.get(before) ?? new Set<object>();
    if (pairs.has(after)) return;
    pairs.add(after);
    this.seen.set(before, pairs);

    if (typeText(before) !== typeText(after)) {
      const narrowed = [...typesOf(before)].some((t) => !accepts(typesOf(after), t));
      this.push("type-changed", path, typeText(before), typeText(after), narrowed);
    }
    this.enums(before, after, path);
    const listed = allowedValues(before) !== undefined && allowedValues(after) !== undefined;
    for (const keyword of CONSTRAINTS) {
      // A const that became an enum, or the other way, is compared as values above.
      if (keyword === "const" && listed) continue;
      if (!sameJson(before[keyword], after[keyword])) {
        this.push("constraint-changed", path, keywordValue(keyword, before), keywordValue(keyword, after), false);
      }
    }
    const oldText = normalizeText(before.description);
    const newText = normalizeText(after.description);
    if (oldText !== newText) {
      const [b, a] = summarizeText(oldText, newText);
      this.push("description-changed", path, b, a, false);
    }
    this.properties(before, after, path);
    for (const key of ["items", "additionalProperties"] as const) {
      const b = before[key];
      const a = after[key];
      if (isObject(b) && isObject(a)) this.schema(b, a, `${path}/*`);
      else if (key === "additionalProperties" && !sameJson(mapValue(b), mapValue(a))) {
        this.push("constraint-changed", path, keywordValue(key, before), keywordValue(key, after), false);
      }
    }
  }

  /**
   * Values added and removed when both revisions list values (a `const` is a
   * list of one: `const: a` → `enum: [a, b]` adds `b`); an enum that appears
   * or goes is a constraint change.
   */
  private enums(before: SchemaObject, after: SchemaObject, path: string): void {
    const b = allowedValues(before);
    const a = allowedValues(after);
    if (Array.isArray(b) && Array.isArray(a)) {
      const had = new Set(b.map((v) => JSON.stringify(v)));
      const has = new Set(a.map((v) => JSON.stringify(v)));
      for (const v of b) if (!has.has(JSON.stringify(v))) this.push("enum-removed", path, v as JsonValue, null, true);
      for (const v of a) if (!had.has(JSON.stringify(v))) this.push("enum-added", path, null, v as JsonValue, false);
    } else if (Array.isArray(before.enum) || Array.isArray(after.enum)) {
      this.push("constraint-changed", path, keywordValue("enum", before), keywordValue("enum", after), false);
    }
  }

  private properties(before: SchemaObject, after: SchemaObject, path: string): void {
    const old = isObject(before.properties) ? before.properties : {};
    const now = isObject(after.properties) ? after.properties : {};
    const wasRequired = new Set(Array.isArray(before.required) ? before.required : []);
    const isRequired = new Set(Array.isArray(after.required) ? after.required : []);
    for (const key of [...new Set([...Object.keys(old), ...Object.keys(now)])].sort()) {
      const child = `${path}/${escapePointer(key)}`;
      const b = isObject(old[key]) ? old[key] : {};
      const a = isObject(now[key]) ? now[key] : {};
      if (!Object.hasOwn(now, key)) this.push("field-removed", child, fieldType(b), null, true);
      else if (!Object.hasOwn(old, key)) {
        this.push("field-added", child, null, fieldType(a), false);
        // A new field that must be sent breaks every sender that does not know it.
        if (isRequired.has(key)) this.push("required-added", child, false, true, true);
      } else {
        if (!wasRequired.has(key) && isRequired.has(key)) this.push("required-added", child, false, true, true);
        if (wasRequired.has(key) && !isRequired.has(key)) this.push("required-removed", child, true, false, false);
        this.schema(b, a, child);
      }
    }
  }
}

/**
 * The values a schema allows when it lists them: its `enum`, its `const` as a
 * list of one, or those of `oneOf`/`anyOf` alternatives that each list theirs
 * (OpenAPI 3.1's documented values: `oneOf: [{const: a, description: …}]`).
 */
function allowedValues(schema: SchemaObject, depth = 0): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ("const" in schema) return [schema.const];
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (!Array.isArray(alternatives) || alternatives.length === 0 || depth > 8) return undefined;
  const values: unknown[] = [];
  for (const alt of alternatives) {
    const listed = isObject(alt) ? allowedValues(alt, depth + 1) : undefined;
    if (!listed) return undefined;
    values.push(...listed);
  }
  return values;
}

/** The JSON types a schema accepts; `any` when it does not say. */
function typesOf(schema: SchemaObject, depth = 0): Set<string> {
  const { type } = schema;
  if (typeof type === "string") return new Set([type]);
  if (Array.isArray(type)) return new Set(type.map(String));
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives) && depth < 8) {
    const all = new Set<string>();
    for (const alt of alternatives) for (const t of typesOf(isObject(alt) ? alt : {}, depth + 1)) all.add(t);
    return all;
  }
  if (isObject(schema.properties) || isObject(schema.additionalProperties)) return new Set(["object"]);
  if (schema.items !== undefined) return new Set(["array"]);
  const values = Array.isArray(schema.enum) ? schema.enum : "const" in schema ? [schema.const] : undefined;
  if (values) return new Set(values.map(jsonType));
  return new Set(["any"]);
}

/** `string`, `integer|null`: the types of one node (an array's items are a node of their own, `/*`). */
function typeText(schema: SchemaObject): string {
  return [...typesOf(schema)].sort().join("|");
}

/** `array of string`: the type of an added or removed field, items included. */
function fieldType(schema: SchemaObject, depth = 0): string {
  const types = typeText(schema);
  return types === "array" && isObject(schema.items) && depth < 8 ? `array of ${fieldType(schema.items, depth + 1)}` : types;
}

/** True when a value of JSON type `t` is still accepted by `types`. */
function accepts(types: ReadonlySet<string>, t: string): boolean {
  return types.has("any") || types.has(t) || (t === "integer" && types.has("number"));
}

function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** `{"maxLength": 10}`, or null when the schema does not have the keyword. */
function keywordValue(keyword: string, schema: SchemaObject): JsonValue {
  if (!Object.hasOwn(schema, keyword)) return null;
  return { [keyword]: keyword === "additionalProperties" ? mapValue(schema[keyword]) : (schema[keyword] as JsonValue) };
}

/** `additionalProperties` for a report: a boolean, or the type of the map's values. */
function mapValue(v: unknown): JsonValue {
  return isObject(v) ? typeText(v) : v === undefined ? null : (v as JsonValue);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whitespace does not change rendered Markdown: reflowed descriptions are the same. */
function normalizeText(v: unknown): string {
  return typeof v === "string" ? v.replace(/\s+/g, " ").trim() : "";
}

/** Words of context shown around an edit. */
const CONTEXT_WORDS = 3;
/** Edits longer than this (removed plus added words) are summarised by their lengths. */
const MAX_EDIT_WORDS = 24;

/**
 * A short word diff: the changed words of each side with a little context, or
 * just both lengths when the text was rewritten. Never the whole text.
 */
export function summarizeText(before: string, after: string): [string, string] {
  const b = before ? before.split(" ") : [];
  const a = after ? after.split(" ") : [];
  let head = 0;
  while (head < b.length && head < a.length && b[head] === a[head]) head++;
  let tail = 0;
  while (tail < b.length - head && tail < a.length - head && b[b.length - 1 - tail] === a[a.length - 1 - tail]) tail++;
  const removed = b.slice(head, b.length - tail);
  const added = a.slice(head, a.length - tail);
  if (removed.length + added.length > MAX_EDIT_WORDS) return [`(${before.length} chars)`, `(${after.length} chars)`];
  const lead = [...(head > CONTEXT_WORDS ? ["…"] : []), ...b.slice(Math.max(0, head - CONTEXT_WORDS), head)];
  const trail = [...b.slice(b.length - tail, b.length - tail + CONTEXT_WORDS), ...(tail > CONTEXT_WORDS ? ["…"] : [])];
  return [[...lead, ...removed, ...trail].join(" "), [...lead, ...added, ...trail].join(" ")];
}

/** Reports every place where two JSON values differ, by pointer; absent is null. */
function diffValues(before: unknown, after: unknown, path: string, report: (path: string, b: JsonValue, a: JsonValue) => void): void {
  if (sameJson(before, after)) return;
  const bothObjects = isObject(before) && isObject(after);
  const sameArrays = Array.isArray(before) && Array.isArray(after) && before.length === after.length;
  if (bothObjects || sameArrays) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
    if (bothObjects) keys.sort();
    for (const key of keys) diffValues(b[key], a[key], `${path}/${escapePointer(key)}`, report);
    return;
  }
  report(path, (before ?? null) as JsonValue, (after ?? null) as JsonValue);
}

/**
 * A stable order: by target; then schema changes by field (a field before the
 * fields inside it) and kind; then example changes by example and pointer.
 */
export function sortChanges(changes: readonly Change[]): Change[] {
  const rank = (c: Change) => CHANGE_KINDS.indexOf(c.kind);
  const isExample = (c: Change) => (c.kind === "example-changed" ? 1 : 0);
  return [...changes].sort(
    (x, y) =>
      compareText(x.target, y.target) ||
      isExample(x) - isExample(y) ||
      compareText(x.example ?? "", y.example ?? "") ||
      comparePointers(x.path, y.path) ||
      rank(x) - rank(y) ||
      compareText(JSON.stringify([x.before, x.after]), JSON.stringify([y.before, y.after])),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePointers(a: string, b: string): number {
  const x = splitPointer(a);
  const y = splitPointer(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = compareText(x[i], y[i]);
    if (c) return c;
  }
  return x.length - y.length;
}
