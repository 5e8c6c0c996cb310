/**
 * Field tables: the rows a reader sees for an object schema, and the tables of
 * the objects nested in it. Nested objects get a table of their own, titled by
 * their `title`, and a structure seen twice is shown once; a recursive schema
 * links back to its table instead of looping.
 */
import { type Origin, origins } from "../load/source.js";
import { isObject, type SchemaObject } from "./resolve.js";

/** One piece of a type cell: text, linking to a nested table when `anchor` is set. */
export interface TypePart {
  text: string;
  anchor?: string;
}

export interface FieldRow {
  key: string;
  type: TypePart[];
  required: boolean;
  description: string;
  enum: string[];
  /** The property's schema node, for locating its description. */
  origin?: Origin;
}

export interface FieldTable {
  anchor: string;
  title: string;
  description: string;
  rows: FieldRow[];
  origin?: Origin;
}

/**
 * Builds the tables of `schema` and of everything nested in it, the first table
 * being `schema`'s own. Anchors are `${prefix}_${slug(title)}`, unique in the set.
 */
export function buildFieldTables(schema: SchemaObject, title: string, prefix: string): FieldTable[] {
  return new TableBuilder(prefix).build(schema, title);
}

class TableBuilder {
  private readonly tables: FieldTable[] = [];
  private readonly anchorOf = new Map<object, string>();
  private readonly bySignature = new Map<string, string>();
  private readonly aliases = new Map<string, string>();
  private readonly used = new Set<string>();
  private readonly queue: { schema: SchemaObject; title: string; anchor: string }[] = [];

  /** One copy per schema and type, so that a recursive `type: [object, "null"]` meets its own table again instead of making new ones for ever. */
  private readonly typed = new Map<SchemaObject, Map<unknown, SchemaObject>>();

  private readonly typing = new Set<SchemaObject>();

  constructor(private readonly prefix: string) {}

  private withType(schema: SchemaObject, type: unknown): SchemaObject {
    const byType = this.typed.get(schema) ?? new Map<unknown, SchemaObject>();
    this.typed.set(schema, byType);
    const copy = byType.get(type) ?? { ...schema, type };
    byType.set(type, copy);
    return copy;
  }

  build(schema: SchemaObject, title: string): FieldTable[] {
    this.tableFor(schema, title);
    while (this.queue.length > 0) {
      const next = this.queue.shift() as (typeof this.queue)[number];
      const table: FieldTable = {
        anchor: next.anchor,
        title: next.title,
        description: next.schema === schema ? "" : stringOr(next.schema.description),
        rows: this.rows(next.schema),
        origin: origins.get(next.schema),
      };
      const signature = JSON.stringify([table.title, table.rows], (k, v) => (k === "origin" ? undefined : v));
      const same = this.bySignature.get(signature);
      if (same) this.aliases.set(table.anchor, same);
      else {
        this.bySignature.set(signature, table.anchor);
        this.tables.push(table);
      }
    }
    for (const table of this.tables) for (const row of table.rows) for (const part of row.type) this.unalias(part);
    return this.tables;
  }

  private unalias(part: TypePart): void {
    while (part.anchor && this.aliases.has(part.anchor)) part.anchor = this.aliases.get(part.anchor);
  }

  /** The anchor of the table for an object schema with properties, queueing it once. */
  private tableFor(schema: SchemaObject, title: string): string {
    const known = this.anchorOf.get(schema);
    if (known) return known;
    let anchor = `${this.prefix}_${slugify(title) || "object"}`;
    for (let i = 2; this.used.has(anchor); i++) anchor = `${this.prefix}_${slugify(title) || "object"}-${i}`;
    this.used.add(anchor);
    this.anchorOf.set(schema, anchor);
    this.queue.push({ schema, title, anchor });
    return anchor;
  }

  private rows(schema: SchemaObject): FieldRow[] {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    return Object.entries(properties).map(([key, value]) => {
      const prop = isObject(value) ? value : {};
      return {
        key,
        type: this.typeOf(prop, key),
        required: required.includes(key),
        description: stringOr(prop.description),
        enum: enumOf(prop),
        origin: origins.get(prop),
      };
    });
  }

  /** `string`, `[string]`, `[A, B]`, `{string: X}`, `X|Y`, or an object's title. */
  typeOf(schema: SchemaObject, key: string): TypePart[] {
    // A list or map that contains itself (no table to link to) is named, not expanded for ever.
    if (this.typing.has(schema)) return [{ text: stringOr(schema.title) || key }];
    this.typing.add(schema);
    try {
      return this.typeParts(schema, key);
    } finally {
      this.typing.delete(schema);
    }
  }

  private typeParts(schema: SchemaObject, key: string): TypePart[] {
    const alternatives = (schema.oneOf ?? schema.anyOf) as unknown;
    if (Array.isArray(alternatives) && alternatives.length > 0) {
      return joinParts(
        alternatives.map((a) => this.typeOf(isObject(a) ? a : {}, key)),
        "|",
      );
    }
    const type = schema.type;
    if (Array.isArray(type))
      return joinParts(
        type.map((t) => this.typeOf(this.withType(schema, t), key)),
        "|",
      );
    if (type === "array" || (type === undefined && schema.items !== undefined)) {
      const items = schema.items;
      if (Array.isArray(items))
        return [
          { text: "[" },
          ...joinParts(
            items.map((i) => this.typeOf(isObject(i) ? i : {}, key)),
            ", ",
          ),
          { text: "]" },
        ];
      if (isObject(items)) return [{ text: "[" }, ...this.typeOf(items, key), { text: "]" }];
      return [{ text: "array" }];
    }
    const properties = isObject(schema.properties) ? Object.keys(schema.properties) : [];
    if (properties.length > 0) {
      const title = stringOr(schema.title) || key;
      return [{ text: title, anchor: this.tableFor(schema, title) }];
    }
    const map = isObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
    if (map) return [{ text: "{string: " }, ...this.typeOf(map, key), { text: "}" }];
    if (typeof type === "string") return [{ text: type }];
    if (schema.enum !== undefined) return [{ text: "enum" }];
    return [{ text: isObject(schema.properties) ? "object" : "any" }];
  }
}

function joinParts(groups: TypePart[][], separator: string): TypePart[] {
  return groups.flatMap((g, i) => (i === 0 ? g : [{ text: separator }, ...g]));
}

function enumOf(schema: SchemaObject): string[] {
  const values = Array.isArray(schema.enum)
    ? schema.enum
    : isObject(schema.items) && Array.isArray(schema.items.enum)
      ? schema.items.enum
      : [];
  return values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
}

export function stringOr(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : fallback;
}

/** Lower-case, runs of anything but letters, digits and `_` become `-`. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9_]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
