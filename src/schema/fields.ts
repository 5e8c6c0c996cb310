/**
 * Field tables: the rows a reader sees for an object schema, and the tables of
 * the objects nested in it. Nested objects get a table of their own, titled by
 * their `title`; tables of the same structure are shown once (however often
 * and wherever the object occurs, with or without a shared `$ref`), and a
 * recursive schema links back to its table instead of looping.
 *
 * Type cells: `string`, `[X]` (array), `[A, B]` (tuple), `X|Y` (union, oneOf,
 * anyOf, `type: [X, Y]`), `{string: X}` (map), `{$USER_ID: X}` (map whose keys
 * are named by `x-pattern` or `x-pattern-format`), or an object's title.
 * A map's keys also get a row of their own, `<string>`, so that an object that
 * is only a map (m.direct's content) still shows what it holds.
 */
import { writtenValue } from "../load/numbers.js";
import { type OriginRef, origins } from "../load/source.js";
import { slugify } from "../slug.js";
import { type Annotations, annotationsOf, type Fact, factsOf, orNone } from "./annotations.js";
import { isObject, type SchemaObject } from "./resolve.js";

/** One piece of a type cell: text, linking to a nested table when `anchor` is set. */
export interface TypePart {
  text: string;
  anchor?: string;
  /** The `format` the text stands for (a string's, or a map's keys' `x-pattern-format`): shown by its title when the spec names it. */
  format?: string;
}

export interface FieldRow extends Annotations {
  /** The property name, or `<name>` for the keys of a map. */
  key: string;
  /** True for the row of a map's keys rather than a named property. */
  mapKeys: boolean;
  type: TypePart[];
  required: boolean;
  description: string;
  /** Allowed values: of the field, of its items, or of its map's values. */
  enum: readonly string[];
  facts: readonly Fact[];
  /** Where the property's schema node is, for locating its description (`origins.of`). */
  originRef?: OriginRef;
}

export interface FieldTable {
  anchor: string;
  title: string;
  description: string;
  rows: FieldRow[];
  /** Where the object's schema node is (`origins.of`). */
  originRef?: OriginRef;
}

/** One kind of key of a map: `patternProperties` entries and a schema-valued `additionalProperties`. */
interface MapPart {
  /** What the keys are: `x-pattern`, `x-pattern-format`, or `string`. */
  keys: TypePart;
  schema: SchemaObject;
}

/**
 * Builds the tables of `schema` and of everything nested in it, the first table
 * being `schema`'s own (shown even when it has no rows). Anchors are
 * `${prefix}_${slug(title)}`, unique in the set.
 */
export function buildFieldTables(schema: SchemaObject, title: string, prefix: string, description = ""): FieldTable[] {
  return new TableBuilder(prefix).build(schema, title, description);
}

/**
 * The type of a value (a request or response body, which may be an array, a
 * map or a scalar) and the tables of the objects in it: `[Event]` and the
 * table of Event, say. An object with properties is its own first table.
 */
export function buildValueTables(schema: SchemaObject, title: string, prefix: string, description = ""): ValueTables {
  return new TableBuilder(prefix).buildValue(schema, title, description);
}

export interface ValueTables {
  type: TypePart[];
  tables: FieldTable[];
}

class TableBuilder {
  private readonly tables: FieldTable[] = [];
  private readonly anchorOf = new Map<object, string>();
  private readonly used = new Set<string>();
  private readonly queue: { schema: SchemaObject; title: string; anchor: string }[] = [];
  /** One copy per schema and type, so that a recursive `type: [object, "null"]` meets its own table again. */
  private readonly narrowings = new Map<object, Map<unknown, SchemaObject>>();
  /** Schemas whose type cell is being computed: a list or map inside itself. */
  private readonly typing = new Set<SchemaObject>();

  constructor(private readonly prefix: string) {}

  build(root: SchemaObject, title: string, description: string): FieldTable[] {
    this.tableFor(root, title);
    return this.drain(root, description);
  }

  buildValue(root: SchemaObject, title: string, description: string): ValueTables {
    const type = this.typeOf(root, title);
    return { type, tables: this.drain(root, description) };
  }

  private drain(root: SchemaObject, description: string): FieldTable[] {
    while (this.queue.length > 0) {
      const next = this.queue.shift() as (typeof this.queue)[number];
      this.tables.push({
        anchor: next.anchor,
        title: next.title,
        description: next.schema === root ? description : stringOr(next.schema.description),
        rows: this.rows(next.schema),
        originRef: origins.ref(next.schema),
      });
    }
    return removeDuplicates(this.tables);
  }

  /** The anchor of the table for an object schema, queueing the table once. */
  private tableFor(schema: SchemaObject, title: string): string {
    const known = this.anchorOf.get(schema);
    if (known) return known;
    const base = `${this.prefix}_${slugify(title) || "object"}`;
    let anchor = base;
    for (let i = 2; this.used.has(anchor); i++) anchor = `${base}-${i}`;
    this.used.add(anchor);
    this.anchorOf.set(schema, anchor);
    this.queue.push({ schema, title, anchor });
    return anchor;
  }

  private rows(schema: SchemaObject): FieldRow[] {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    const rows = Object.entries(properties).map(([key, value]) =>
      this.row(key, false, isObject(value) ? value : {}, required.includes(key)),
    );
    for (const part of mapParts(schema)) rows.push(this.row(`<${part.keys.text}>`, true, part.schema, false));
    return rows;
  }

  private row(key: string, mapKeys: boolean, schema: SchemaObject, required: boolean): FieldRow {
    const { deprecated, addedIn, changes } = annotationsOf(schema);
    // Every property named in one literal: the object then holds them all itself (a spread adds them one by one, outside it).
    return {
      key,
      mapKeys,
      type: this.typeOf(schema, mapKeys ? stringOr(schema.title, "value") : key),
      required,
      description: stringOr(schema.description),
      enum: orNone(enumOf(schema)),
      facts: factsOf(schema),
      deprecated,
      addedIn,
      changes,
      originRef: origins.ref(schema),
    };
  }

  /** `schema` with one of its `type: [X, Y]` alternatives; made once per pair, so recursion through it ends. */
  private narrowed(schema: SchemaObject, type: unknown): SchemaObject {
    const byType = this.narrowings.get(schema) ?? new Map<unknown, SchemaObject>();
    this.narrowings.set(schema, byType);
    let copy = byType.get(type);
    if (!copy) {
      copy = { ...schema, type };
      origins.copy(schema, copy);
      byType.set(type, copy);
    }
    return copy;
  }

  /** The type cell of a schema; `key` titles an untitled nested object. */
  private typeOf(schema: SchemaObject, key: string): TypePart[] {
    // A list or map that contains itself (no table to link to) is named, not expanded for ever.
    if (this.typing.has(schema)) return plainCell(stringOr(schema.title) || key);
    this.typing.add(schema);
    try {
      return this.typeParts(schema, key);
    } finally {
      this.typing.delete(schema);
    }
  }

  private typeParts(schema: SchemaObject, key: string): TypePart[] {
    const alternatives = schema.oneOf ?? schema.anyOf;
    if (Array.isArray(alternatives) && alternatives.length > 0) {
      return joinParts(
        alternatives.map((a) => this.typeOf(asSchema(a), key)),
        "|",
      );
    }
    const type = schema.type;
    if (Array.isArray(type) && type.length > 0) {
      return joinParts(
        type.map((t) => this.typeOf(this.narrowed(schema, t), key)),
        "|",
      );
    }
    const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
    if (type === "array" || (type === undefined && (tuple || isObject(schema.items)))) {
      if (tuple)
        return bracket(
          "[",
          joinParts(
            tuple.map((i) => this.typeOf(asSchema(i), key)),
            ", ",
          ),
          "]",
        );
      if (isObject(schema.items)) return bracket("[", this.typeOf(schema.items, key), "]");
      return plainCell("array");
    }
    if (typeof type === "string" && type !== "object") {
      return plainCell(type, typeof schema.format === "string" && type === "string" ? schema.format : undefined);
    }
    if (isObject(schema.properties) && Object.keys(schema.properties).length > 0) {
      const title = stringOr(schema.title) || key;
      return [{ text: title, anchor: this.tableFor(schema, title) }];
    }
    const maps = mapParts(schema);
    if (maps.length > 0) {
      return joinParts(
        maps.map((m) => [plainPart("{"), m.keys, ...bracket(": ", this.typeOf(m.schema, key), "}")]),
        "|",
      );
    }
    const values = enumValues(schema);
    if (values) return plainCell(values.every((v) => typeof v === "string") ? "string" : "enum");
    return plainCell(stringOr(schema.title) || (type === "object" ? "object" : "any"));
  }
}

function mapParts(schema: SchemaObject): MapPart[] {
  const parts: MapPart[] = [];
  if (isObject(schema.patternProperties)) {
    for (const value of Object.values(schema.patternProperties)) if (isObject(value)) parts.push({ keys: keysPart(value), schema: value });
  }
  const additional = schema.additionalProperties;
  if (isObject(additional)) parts.push({ keys: keysPart(additional), schema: additional });
  return parts;
}

/** The name of a map's keys, written beside the schema of its values. */
function keysPart(valueSchema: SchemaObject): TypePart {
  const pattern = valueSchema["x-pattern"];
  if (typeof pattern === "string" && pattern !== "") return plainPart(pattern);
  const format = valueSchema["x-pattern-format"];
  if (typeof format === "string" && format !== "") return plainPart(format, format);
  return plainPart("string");
}

function enumValues(schema: SchemaObject): unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  return "const" in schema ? [schema.const] : undefined;
}

/** The values of `enum` (or `const`) as text: strings as they are, the rest as JSON with numbers as written. */
function enumTexts(schema: SchemaObject): string[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum.map((v, i) => writtenValue(v, schema.enum as unknown[], i));
  return "const" in schema ? [writtenValue(schema.const, schema, "const")] : undefined;
}

/** The enum of a schema, else of its items, else of its map values (an array of enums, a map to an enum). */
function enumOf(schema: SchemaObject, depth = 0): string[] {
  const own = enumTexts(schema);
  if (own) return own;
  if (depth > 8) return [];
  for (const inner of [schema.items, ...mapParts(schema).map((m) => m.schema)]) {
    if (!isObject(inner)) continue;
    const values = enumOf(inner, depth + 1);
    if (values.length > 0) return values;
  }
  return [];
}

/**
 * Tables of the same structure (the same title and rows, linking to tables of
 * the same structure) collapse into the first; links to the others are
 * redirected. Two objects sharing a title but not their rows are both shown;
 * a table's own description is not part of its structure.
 */
function removeDuplicates(tables: FieldTable[]): FieldTable[] {
  const byAnchor = new Map(tables.map((t) => [t.anchor, t]));
  const signatures = new Map<string, string>();
  const signature = (table: FieldTable, path: string[]): string => {
    const known = signatures.get(table.anchor);
    if (known !== undefined) return known;
    if (path.includes(table.anchor)) return `cycle:${path.indexOf(table.anchor)}`;
    path.push(table.anchor);
    const rows = table.rows.map((row) => ({
      ...row,
      originRef: undefined,
      type: row.type.map((part) => {
        const target = part.anchor ? byAnchor.get(part.anchor) : undefined;
        return target ? { text: part.text, table: signature(target, path) } : { text: part.text };
      }),
    }));
    path.pop();
    const text = JSON.stringify([table.title, rows]);
    // Only a signature computed from the top is free of `cycle:` markers relative to a path.
    if (path.length === 0) signatures.set(table.anchor, text);
    return text;
  };
  // A table can only equal another of the same title: one whose title no other has needs no signature.
  const titles = new Map<string, number>();
  for (const table of tables) titles.set(table.title, (titles.get(table.title) ?? 0) + 1);
  const firstOf = new Map<string, string>();
  const alias = new Map<string, string>();
  const kept: FieldTable[] = [];
  for (const table of tables) {
    if (titles.get(table.title) === 1) {
      kept.push(table);
      continue;
    }
    const sig = signature(table, []);
    const first = firstOf.get(sig);
    if (first) alias.set(table.anchor, first);
    else {
      firstOf.set(sig, table.anchor);
      kept.push(table);
    }
  }
  for (const table of kept) {
    for (const row of table.rows) for (const part of row.type) if (part.anchor) part.anchor = alias.get(part.anchor) ?? part.anchor;
  }
  return kept;
}

/**
 * Parts without a link, and cells of one such part, are the same few texts
 * all over a spec (`string`, `[`, `|`): each is made once, frozen, and shared
 * by every row that shows it. A cell and its part per row were a sixth of
 * the field tables, which a build keeps until every page is rendered. Only
 * parts with an anchor are ever changed (removeDuplicates), and those are
 * never shared.
 */
const plainParts = new Map<string, TypePart>();
const plainCells = new Map<TypePart, TypePart[]>();

function plainPart(text: string, format?: string): TypePart {
  const key = format === undefined ? text : `${text}\u0000${format}`;
  let part = plainParts.get(key);
  if (!part) {
    part = Object.freeze(format === undefined ? { text } : { text, format });
    plainParts.set(key, part);
  }
  return part;
}

function plainCell(text: string, format?: string): TypePart[] {
  const part = plainPart(text, format);
  let cell = plainCells.get(part);
  if (!cell) {
    cell = Object.freeze([part]) as TypePart[];
    plainCells.set(part, cell);
  }
  return cell;
}

function asSchema(v: unknown): SchemaObject {
  return isObject(v) ? v : {};
}

function bracket(open: string, inner: TypePart[], close: string): TypePart[] {
  return [plainPart(open), ...inner, plainPart(close)];
}

function joinParts(groups: TypePart[][], separator: string): TypePart[] {
  return groups.flatMap((g, i) => (i === 0 ? g : [plainPart(separator), ...g]));
}

export function stringOr(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}
