/**
 * Validates a value against a JSON Schema by walking the two together, once.
 * An example is validated once per run, so compiling its schema to code (as
 * ajv does) costs far more than it saves; walking costs about what one run of
 * compiled code does.
 *
 * It walks the loaded schema values themselves, with no copy: a `$ref` is
 * followed through `refTarget` (the table schema/refs-check.ts builds), and a
 * `$ref` that has no target there (reported as broken or looping) is left out.
 * Errors name the schema object that rejected the value, so that its origin
 * gives the file and pointer; messages are worded like ajv's, and the
 * errors are ajv's (test/interpret-vs-ajv.test.ts compares the two).
 *
 * Drafts 04, 07, 2019-09 and 2020-12: what differs between them for
 * validation is draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum`;
 * `items` as a list, `prefixItems`, `dependencies` and `dependentRequired`/
 * `dependentSchemas` are read in every draft. A `$dynamicRef` or
 * `$recursiveRef` is followed where `refTarget` knows it (in the meta-schemas,
 * see meta.ts); in a spec's schemas it is not (the resolve stage does not
 * follow them either).
 */
import { writtenNumber } from "../load/numbers.js";
import { escapePointer } from "../load/source.js";
import { isObject, type SchemaObject } from "../schema/resolve.js";
import { type Pattern, PatternProblem } from "./patterns.js";

export type Draft = "04" | "07" | "2019" | "2020";

export interface SchemaError {
  /** JSON pointer to the rejected value. */
  instancePath: string;
  keyword: string;
  message: string;
  /** `allowedValues` (enum), `additionalProperty`, `unevaluatedProperty`. */
  params: Record<string, unknown>;
  /** The schema object holding the keyword (a `false` schema's: the one holding it). */
  schema: SchemaObject;
}

/** A check of a string or number for a `format`. */
export interface FormatCheck {
  type: "string" | "number";
  test(value: string | number): boolean;
}

export interface InterpretOptions {
  draft: Draft;
  /** The schema a `$ref` (or `$dynamicRef`, `$recursiveRef`) holder points to; undefined to leave it out. */
  refTarget(holder: object): unknown;
  /** The check of a format; undefined for a format not checked. */
  format(name: string): FormatCheck | undefined;
  /** The matcher of a `pattern` or `patternProperties` key (throws PatternProblem when it cannot be applied). */
  pattern(source: string): Pattern;
}

/**
 * A keyword that cannot be applied (a pattern that is invalid, or that RE2
 * cannot run): the schema's fault, not the value's. The keyword is left out
 * and the rest of the schema still applies.
 */
export interface SchemaProblem {
  message: string;
  kind: PatternProblem["kind"];
  /** The schema object holding the keyword (for `patternProperties`: that object). */
  schema: SchemaObject;
  /** The keyword (for `patternProperties`: the pattern, its key). */
  keyword: string;
}

/** Properties and items that a schema evaluated (for `unevaluatedProperties`/`unevaluatedItems`). */
interface Evaluated {
  props: Set<string>;
  items: Set<number>;
}

/** The errors of `value` against `schema` (none when valid); keywords it cannot apply go to `problems`. */
export function interpret(schema: unknown, value: unknown, options: InterpretOptions, problems: SchemaProblem[] = []): SchemaError[] {
  const errors: SchemaError[] = [];
  new Walker(options, problems).check(schema, value, "", errors, undefined, {});
  return errors;
}

function evaluated(): Evaluated {
  return { props: new Set(), items: new Set() };
}

function merge(into: Evaluated | undefined, from: Evaluated | undefined): void {
  if (!into || !from) return;
  for (const p of from.props) into.props.add(p);
  for (const i of from.items) into.items.add(i);
}

/** One schema object applied to one value: where the value is, and where errors and evaluated names go. */
interface Frame {
  schema: SchemaObject;
  path: string;
  errors: SchemaError[];
  /** Only tracked where an `unevaluated*` keyword will read it (undefined elsewhere: most schemas). */
  seen: Evaluated | undefined;
}

class Walker {
  constructor(
    private readonly options: InterpretOptions,
    private readonly problems: SchemaProblem[],
  ) {}

  /**
   * Checks `value` at `path` against `schema`, pushing errors; true when valid.
   * `seen` collects what it evaluates, for the schema that applied it in place;
   * `parent` holds it (a `false` schema's error names its parent).
   */
  check(schema: unknown, value: unknown, path: string, errors: SchemaError[], seen: Evaluated | undefined, parent: SchemaObject): boolean {
    if (schema === false) {
      errors.push({ instancePath: path, keyword: "false schema", message: "boolean schema is false", params: {}, schema: parent });
      return false;
    }
    if (!isObject(schema)) return true;
    const before = errors.length;
    const tracked = seen ?? (schema.unevaluatedProperties !== undefined || schema.unevaluatedItems !== undefined ? evaluated() : undefined);
    const f: Frame = { schema, path, errors, seen: tracked };

    const type = typeOf(value);
    if (schema.type !== undefined && !typeMatches(schema.type, type) && !(schema.nullable === true && type === "null")) {
      // A type list holding a schema (a 2020 mistake) names it so, not "[object Object]".
      const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).map((t) =>
        typeof t === "string" ? t : "(a schema, not a type)",
      );
      this.fail(f, "type", `must be ${[...types, ...(schema.nullable === true ? ["null"] : [])].join(",")}`);
    }
    const ref = typeof schema.$ref === "string" ? "$ref" : typeof schema.$dynamicRef === "string" ? "$dynamicRef" : "$recursiveRef";
    if (typeof schema[ref] === "string") {
      const target = this.options.refTarget(schema);
      if (target !== undefined) this.inPlace(f, target, value, errors);
    }
    if ("const" in schema && !equal(value, schema.const))
      this.fail(f, "const", "must be equal to constant", { allowedValue: schema.const });
    if (Array.isArray(schema.enum) && !schema.enum.some((v) => equal(value, v))) {
      this.fail(f, "enum", "must be equal to one of the allowed values", { allowedValues: schema.enum });
    }
    this.applicators(f, value);
    if (type === "number" || type === "integer") this.number(f, value as number);
    else if (type === "string") this.string(f, value as string);
    else if (type === "array") this.array(f, value as unknown[]);
    else if (type === "object") this.object(f, value as Record<string, unknown>);
    return errors.length === before;
  }

  private fail(f: Frame, keyword: string, message: string, params: Record<string, unknown> = {}): void {
    f.errors.push({ instancePath: f.path, keyword, message, params, schema: f.schema });
  }

  /**
   * Applies `sub` to the same value; what it evaluates counts for `f` when it
   * passes, or in any case (`always`: `allOf`, as ajv counts it; when it fails, `f` fails anyway).
   */
  private inPlace(f: Frame, sub: unknown, value: unknown, errors: SchemaError[], always = false): boolean {
    const own = f.seen && evaluated();
    const valid = this.check(sub, value, f.path, errors, own, f.schema);
    if (valid || always) merge(f.seen, own);
    return valid;
  }

  /** Applies `sub` to a part of the value (a property, an item): a new place, so nothing counts for `f`. */
  private part(f: Frame, sub: unknown, value: unknown, path: string): boolean {
    return this.check(sub, value, path, f.errors, undefined, f.schema);
  }

  /** `not`, `anyOf`, `oneOf`, `allOf`, `if`/`then`/`else`. */
  private applicators(f: Frame, value: unknown): void {
    const { schema, errors } = f;
    if (schema.not !== undefined && this.check(schema.not, value, f.path, [], undefined, schema)) this.fail(f, "not", "must NOT be valid");
    if (Array.isArray(schema.anyOf)) {
      const failed: SchemaError[] = [];
      let valid = false;
      for (const sub of schema.anyOf) if (this.inPlace(f, sub, value, failed)) valid = true;
      if (!valid) {
        errors.push(...failed);
        this.fail(f, "anyOf", "must match a schema in anyOf");
      }
    }
    if (Array.isArray(schema.oneOf)) {
      const failed: SchemaError[] = [];
      const passing: number[] = [];
      // As ajv: a second passing branch settles it; the branches after it are not tried.
      for (let i = 0; i < schema.oneOf.length && passing.length < 2; i++)
        if (this.inPlace(f, schema.oneOf[i], value, failed)) passing.push(i);
      // As ajv: the failing branches' errors whenever oneOf fails (also when several branches pass).
      if (passing.length !== 1) errors.push(...failed);
      if (passing.length !== 1) this.fail(f, "oneOf", "must match exactly one schema in oneOf", { passingSchemas: passing });
    }
    if (Array.isArray(schema.allOf)) for (const sub of schema.allOf) this.inPlace(f, sub, value, errors, true);
    if (schema.if !== undefined) {
      const branch = this.inPlace(f, schema.if, value, []) ? "then" : "else";
      if (schema[branch] !== undefined && !this.inPlace(f, schema[branch], value, errors)) {
        this.fail(f, "if", `must match "${branch}" schema`, { failingKeyword: branch });
      }
    }
  }

  private number(f: Frame, value: number): void {
    const draft04 = this.options.draft === "04";
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = f.schema;
    const written = (keyword: string, n: number) => writtenNumber(f.schema, keyword, n);
    if (typeof minimum === "number") {
      const exclusive = draft04 && exclusiveMinimum === true;
      if (exclusive ? value <= minimum : value < minimum)
        this.fail(f, "minimum", `must be ${exclusive ? ">" : ">="} ${written("minimum", minimum)}`);
    }
    if (typeof maximum === "number") {
      const exclusive = draft04 && exclusiveMaximum === true;
      if (exclusive ? value >= maximum : value > maximum)
        this.fail(f, "maximum", `must be ${exclusive ? "<" : "<="} ${written("maximum", maximum)}`);
    }
    if (typeof exclusiveMinimum === "number" && value <= exclusiveMinimum)
      this.fail(f, "exclusiveMinimum", `must be > ${written("exclusiveMinimum", exclusiveMinimum)}`);
    if (typeof exclusiveMaximum === "number" && value >= exclusiveMaximum)
      this.fail(f, "exclusiveMaximum", `must be < ${written("exclusiveMaximum", exclusiveMaximum)}`);
    if (typeof multipleOf === "number" && multipleOf > 0 && !isMultiple(value, multipleOf)) {
      this.fail(f, "multipleOf", `must be multiple of ${written("multipleOf", multipleOf)}`);
    }
    this.format(f, value, "number");
  }

  private string(f: Frame, value: string): void {
    const { minLength, maxLength, pattern } = f.schema;
    if (typeof minLength === "number" || typeof maxLength === "number") {
      const length = [...value].length; // in code points, as the drafts count
      if (typeof minLength === "number" && length < minLength)
        this.fail(f, "minLength", `must NOT have fewer than ${minLength} characters`);
      if (typeof maxLength === "number" && length > maxLength) this.fail(f, "maxLength", `must NOT have more than ${maxLength} characters`);
    }
    if (typeof pattern === "string" && this.regExp(f.schema, "pattern", pattern)?.test(value) === false) {
      this.fail(f, "pattern", `must match pattern "${pattern}"`);
    }
    this.format(f, value, "string");
  }

  private format(f: Frame, value: string | number, type: "string" | "number"): void {
    const { format } = f.schema;
    if (typeof format !== "string") return;
    const check = this.options.format(format);
    if (check && check.type === type && !check.test(value)) this.fail(f, "format", `must match format "${format}"`);
  }

  private array(f: Frame, value: unknown[]): void {
    const { schema, path, seen } = f;
    const { minItems, maxItems, items, prefixItems, additionalItems, contains, uniqueItems } = schema;
    if (typeof maxItems === "number" && value.length > maxItems) this.fail(f, "maxItems", `must NOT have more than ${maxItems} items`);
    if (typeof minItems === "number" && value.length < minItems) this.fail(f, "minItems", `must NOT have fewer than ${minItems} items`);
    if (uniqueItems === true) {
      // As ajv: under `items` of scalar types only, an item of another type (an error already) is not compared.
      const types = isObject(items) && items.type !== undefined ? [items.type].flat() : [];
      const scalar = types.length > 0 && !types.some((t) => t === "object" || t === "array");
      const compared = (item: unknown) => !scalar || typeMatches((items as SchemaObject).type, typeOf(item));
      outer: for (let i = value.length - 1; i > 0; i--) {
        if (!compared(value[i])) continue;
        for (let j = i - 1; j >= 0; j--) {
          if (compared(value[j]) && equal(value[i], value[j])) {
            this.fail(f, "uniqueItems", `must NOT have duplicate items (items ## ${i} and ${j} are identical)`);
            break outer;
          }
        }
      }
    }
    // A tuple (`prefixItems`, or `items` as a list), then a schema for the items after it.
    const tuple = Array.isArray(prefixItems) ? prefixItems : Array.isArray(items) ? items : undefined;
    const rest = Array.isArray(items) ? additionalItems : items;
    const restKeyword = Array.isArray(items) ? "additionalItems" : "items";
    const start = tuple ? Math.min(tuple.length, value.length) : 0;
    for (let i = 0; i < start; i++) if (this.part(f, (tuple as unknown[])[i], value[i], `${path}/${i}`)) seen?.items.add(i);
    // As ajv: `false` after a tuple is one error at the array; `items: false` alone, a false schema at each item.
    if (rest === false && tuple) {
      if (value.length > start) this.fail(f, restKeyword, `must NOT have more than ${start} items`);
    } else if (rest !== undefined) {
      for (let i = start; i < value.length; i++) if (this.part(f, rest, value[i], `${path}/${i}`)) seen?.items.add(i);
    }
    if (contains !== undefined) {
      const min = typeof schema.minContains === "number" ? schema.minContains : 1;
      const max = typeof schema.maxContains === "number" ? schema.maxContains : undefined;
      let count = 0;
      const failed: SchemaError[] = [];
      for (let i = 0; i < value.length; i++) {
        if (this.check(contains, value[i], `${path}/${i}`, failed, undefined, schema)) {
          count++;
          seen?.items.add(i);
        }
      }
      if (count < min || (max !== undefined && count > max)) {
        f.errors.push(...failed); // as ajv: why the other items do not count
        this.fail(f, "contains", `must contain at least ${min}${max === undefined ? "" : ` and no more than ${max}`} valid item(s)`);
      }
    }
    if (schema.unevaluatedItems !== undefined) {
      for (let i = 0; i < value.length; i++) {
        if (seen?.items.has(i)) continue;
        if (schema.unevaluatedItems === false) {
          this.fail(f, "unevaluatedItems", `must NOT have more than ${i} items`);
          break;
        }
        if (this.part(f, schema.unevaluatedItems, value[i], `${path}/${i}`)) seen?.items.add(i);
      }
    }
  }

  private object(f: Frame, value: Record<string, unknown>): void {
    const { schema, path, errors, seen } = f;
    const keys = Object.keys(value);
    const { properties, patternProperties, additionalProperties, propertyNames } = schema;
    if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) {
      this.fail(f, "maxProperties", `must NOT have more than ${schema.maxProperties} properties`);
    }
    if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) {
      this.fail(f, "minProperties", `must NOT have fewer than ${schema.minProperties} properties`);
    }
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name === "string" && !Object.hasOwn(value, name)) {
          this.fail(f, "required", `must have required property '${name}'`, { missingProperty: name });
        }
      }
    }
    this.dependencies(f, value, "dependentRequired", true, false);
    if (propertyNames !== undefined) {
      for (const key of keys) {
        const failed: SchemaError[] = [];
        if (!this.check(propertyNames, key, path, failed, undefined, schema)) {
          errors.push(...failed.map((e) => ({ ...e, params: { ...e.params, propertyName: key } })));
          this.fail(f, "propertyNames", "property name must be valid", { propertyName: key });
        }
      }
    }
    // Which keys `properties` and `patternProperties` cover, and which regular expressions.
    const patterns = isObject(patternProperties)
      ? Object.keys(patternProperties).map((p) => ({ sub: patternProperties[p], regExp: this.regExp(patternProperties, p, p) }))
      : NO_PATTERNS;
    // A pattern not applied applies its schema to no name, and leaves every name to it (so `additionalProperties` wrongs none).
    const covered = (key: string) =>
      (isObject(properties) && Object.hasOwn(properties, key)) || patterns.some((p) => p.regExp?.test(key) ?? true);
    // As ajv, `properties`, `patternProperties`, `additionalProperties` and `unevaluatedProperties` evaluate
    // the names they apply to, valid or not (where one is not, the schema fails anyway).
    if (additionalProperties !== undefined) {
      for (const key of keys) {
        seen?.props.add(key);
        if (covered(key)) continue;
        if (additionalProperties === false)
          this.fail(f, "additionalProperties", "must NOT have additional properties", { additionalProperty: key });
        else this.part(f, additionalProperties, value[key], `${path}/${token(key)}`);
      }
    }
    this.dependencies(f, value, "dependencies", true, true);
    if (isObject(properties)) {
      // Over the value's keys: a meta-schema's `properties` names every keyword, a schema node uses a few.
      for (const key of keys) {
        if (!Object.hasOwn(properties, key)) continue;
        this.part(f, properties[key], value[key], `${path}/${token(key)}`);
        seen?.props.add(key);
      }
    }
    for (const { sub, regExp } of patterns) {
      for (const key of keys) {
        if (!regExp?.test(key)) continue;
        this.part(f, sub, value[key], `${path}/${token(key)}`);
        seen?.props.add(key);
      }
    }
    this.dependencies(f, value, "dependentSchemas", false, true);
    if (schema.unevaluatedProperties !== undefined) {
      for (const key of keys) {
        if (seen?.props.has(key) || covered(key)) continue;
        if (schema.unevaluatedProperties === false) {
          this.fail(f, "unevaluatedProperties", "must NOT have unevaluated properties", { unevaluatedProperty: key });
        } else this.part(f, schema.unevaluatedProperties, value[key], `${path}/${token(key)}`);
        seen?.props.add(key);
      }
    }
  }

  /** `dependentRequired` (lists), `dependentSchemas` (schemas) or draft-07's `dependencies` (either). */
  private dependencies(f: Frame, value: Record<string, unknown>, keyword: string, lists: boolean, schemas: boolean): void {
    const map = f.schema[keyword];
    if (!isObject(map)) return;
    for (const [name, dependency] of Object.entries(map)) {
      if (!Object.hasOwn(value, name)) continue;
      if (lists && Array.isArray(dependency)) {
        const missing = dependency.filter((d) => typeof d === "string" && !Object.hasOwn(value, d));
        if (missing.length > 0) {
          const what = missing.length === 1 ? "property" : "properties";
          this.fail(f, keyword, `must have ${what} ${missing.join(", ")} when property ${name} is present`);
        }
      } else if (schemas && !Array.isArray(dependency)) {
        this.inPlace(f, dependency, value, f.errors);
      }
    }
  }

  /** The pattern's matcher; undefined (and a problem) for one that cannot be applied. */
  private regExp(holder: SchemaObject, keyword: string, source: string): Pattern | undefined {
    try {
      return this.options.pattern(source);
    } catch (e) {
      if (!(e instanceof PatternProblem)) throw e;
      if (!this.problems.some((p) => p.schema === holder && p.keyword === keyword)) {
        this.problems.push({ message: e.message, kind: e.kind, schema: holder, keyword });
      }
      return undefined;
    }
  }
}

const NO_PATTERNS: readonly { sub: unknown; regExp: Pattern | undefined }[] = [];

/** A property name as a JSON pointer token (most need no escaping). */
function token(key: string): string {
  return key.includes("~") || key.includes("/") ? escapePointer(key) : key;
}

/** Whether a value of JSON type `type` has the schema's `type` (a name or a list of names). */
function typeMatches(wanted: unknown, type: JsonType): boolean {
  if (typeof wanted === "string") return wanted === type || (wanted === "number" && type === "integer");
  return Array.isArray(wanted) && wanted.some((w) => w === type || (w === "number" && type === "integer"));
}

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonType;
}

/** Exact for decimal multiples like 0.01, where floating-point remainders are not. */
function isMultiple(value: number, divisor: number): boolean {
  const quotient = value / divisor;
  return Number.isInteger(quotient) || Math.abs(quotient - Math.round(quotient)) < 1e-9;
}

/** Equality of JSON values (key order does not matter). */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => equal(v, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && equal((a as SchemaObject)[k], (b as SchemaObject)[k]));
}
