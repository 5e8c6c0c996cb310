/**
 * What a schema node says to a reader beyond its type: version history
 * (`x-addedInMatrixVersion`, `x-changedInMatrixVersion`), `deprecated`, and
 * the constraints `format`, `default`, `pattern`, `minimum`, `maximum`.
 * Shared by field rows and whole events.
 */
import { writtenValue } from "../load/numbers.js";
import { type Origin, origins } from "../load/source.js";
import { isObject, type SchemaObject } from "./resolve.js";

/** `x-changedInMatrixVersion: {"1.4": "text"}` → one note per version. */
export interface VersionChange {
  /** `v1.4`. */
  version: string;
  /** Markdown. */
  description: string;
  /** The object holding the versions, to locate the description. */
  origin?: Origin;
  /** The key of `description` in that object. */
  key: string;
}

export interface Annotations {
  deprecated: boolean;
  /** `v1.2`, from `x-addedInMatrixVersion`. */
  addedIn?: string;
  changes: readonly VersionChange[];
}

/**
 * The empty list every field without enum values, facts or version changes
 * shares: most fields have none, and a 10,000-event spec has over 100,000 fields.
 */
export const NONE: readonly never[] = Object.freeze([]);

/** `list`, or NONE when it is empty. */
export function orNone<T>(list: T[]): readonly T[] {
  return list.length > 0 ? list : NONE;
}

/** A constraint shown beside a field: `{name: "Format", value: "int64"}`. */
export interface Fact {
  name: string;
  value: string;
}

export function annotationsOf(schema: SchemaObject): Annotations {
  const added = schema["x-addedInMatrixVersion"];
  const changed = schema["x-changedInMatrixVersion"];
  const changes: VersionChange[] = [];
  if (isObject(changed)) {
    const origin = origins.get(changed);
    for (const [version, description] of Object.entries(changed)) {
      if (typeof description === "string") changes.push({ version: versionLabel(version), description, origin, key: version });
    }
  }
  return {
    deprecated: schema.deprecated === true,
    addedIn: typeof added === "string" || typeof added === "number" ? versionLabel(String(added)) : undefined,
    changes: orNone(changes),
  };
}

/** `1.2` → `v1.2`; a label that already starts with `v` is kept. */
export function versionLabel(version: string): string {
  return /^v/i.test(version) ? version : `v${version}`;
}

const FACT_KEYWORDS: [keyword: string, name: string][] = [
  ["format", "Format"],
  ["default", "Default"],
  ["pattern", "Pattern"],
  ["minimum", "Minimum"],
  ["exclusiveMinimum", "Exclusive minimum"],
  ["maximum", "Maximum"],
  ["exclusiveMaximum", "Exclusive maximum"],
  ["minLength", "Minimum length"],
  ["maxLength", "Maximum length"],
  ["minItems", "Minimum items"],
  ["maxItems", "Maximum items"],
];

/** The constraints of a schema node, in a fixed order. Draft-04's boolean `exclusiveMaximum` qualifies `maximum` instead. */
export function factsOf(schema: SchemaObject): readonly Fact[] {
  const facts: Fact[] = [];
  for (const [keyword, name] of FACT_KEYWORDS) {
    const value = schema[keyword];
    if (value === undefined || (typeof value === "boolean" && keyword.startsWith("exclusive"))) continue;
    const exclusive =
      (keyword === "minimum" || keyword === "maximum") && schema[`exclusive${keyword[0].toUpperCase()}${keyword.slice(1)}`] === true;
    facts.push({
      name: exclusive ? `Exclusive ${name.toLowerCase()}` : name,
      value: writtenValue(value, schema, keyword),
    });
  }
  return orNone(facts);
}
