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
 * gives the file and pointer; messages are worded like ajv's.
 *
 * Drafts 04, 07, 2019-09 and 2020-12: what differs between them for
 * validation is draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum`;
 * `items` as a list, `prefixItems`, `dependencies` and `dependentRequired`/
 * `dependentSchemas` are read in every draft. A `$dynamicRef` or
 * `$recursiveRef` is followed where `refTarget` knows it (in the meta-schemas,
 * see meta.ts); in a spec's schemas it is not (the resolve stage does not
 * follow them either).
 */
import { escapePointer } from "../load/source.js";
import { isObject, type SchemaObject } from "../schema/resolve.js";

export type Draft = "04" | "07" | "2019" | "2020";

export interface SchemaError {
  /** JSON pointer to the rejected value. */
  instancePath: string;
  keyword: string;
  message: string;
  /** `allowedValues` (enum), `additionalProperty`, `unevaluatedProperty`. */
  params: Record<string, unknown>;
  /** The schema object holding the keyword. */
  schema: SchemaObject;
  /** Keyword path from the validated schema (through `$ref`s), used where the schema object has no origin. */
  schemaPath: string;
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
  /** The regular expression of a `pattern` or `patternProperties` key (throws SyntaxError when invalid). */
  pattern(source: string): RegExp;
}

/** A schema that cannot be applied (an invalid regular expression): the schema's fault, not the value's. */
export class SchemaProblem extends Error {
  constructor(
    message: string,
    readonly schema: SchemaObject,
    readonly keyword: string,
  ) {
    super(message);
  }
}

/** Properties and items that a schema evaluated (for `unevaluatedProperties`/`unevaluatedItems`). */
interface Evaluated {
  props: Set<string>;
  items: Set<number>;
}

/** The errors of `value` against `schema` (none when valid). Throws SchemaProblem. */
export function interpret(schema: unknown, value: unknown, options: InterpretOptions): SchemaError[] {
  const errors: SchemaError[] = [];
  new Walker(options).check(schema, value, "", "#", errors, evaluated());
  return errors;
}

function evaluated(): Evaluated {
  return { props: new Set(), items: new Set() };
}

function merge(into: Evaluated, from: Evaluated): void {
  for (const p of from.props) into.props.add(p);
  for (const i of from.items) into.items.add(i);
}

class Walker {
  constructor(private readonly options: InterpretOptions) {}

  /** Checks `value` at `path` against `schema`, pushing errors; true when valid. */
  check(schema: unknown, value: unknown, path: string, at: string, errors: SchemaError[], seen: Evaluated): boolean {
    if (schema === false) {
      errors.push({
        instancePath: path,
        keyword: "false schema",
        message: "boolean schema is false",
        params: {},
        schema: {},
        schemaPath: at,
      });
      return false;
    }
    if (!isObject(schema)) return true;
    const before = errors.length;
    const fail = (keyword: string, message: string, params: Record<string, unknown> = {}) =>
      errors.push({ instancePath: path, keyword, message, params, schema, schemaPath: `${at}/${keyword}` });

    const type = typeOf(value);
    const types = schemaTypes(schema);
    if (types && !types.some((t) => t === type || (t === "number" && type === "integer"))) {
      fail("type", `must be ${types.join(",")}`);
    }

    const ref = typeof schema.$ref === "string" ? "$ref" : typeof schema.$dynamicRef === "string" ? "$dynamicRef" : "$recursiveRef";
    if (typeof schema[ref] === "string") {
      const target = this.options.refTarget(schema);
      if (target !== undefined) this.check(target, value, path, `${at}/${ref}`, errors, seen);
    }
    if ("const" in schema && !equal(value, schema.const)) fail("const", "must be equal to constant", { allowedValue: schema.const });
    if (Array.isArray(schema.enum) && !schema.enum.some((v) => equal(value, v))) {
      fail("enum", "must be equal to one of the allowed values", { allowedValues: schema.enum });
    }
    const frame: Frame = { schema, path, at, errors, seen, fail };
    this.applicators(frame, value);
    if (type === "number" || type === "integer") this.number(frame, value as number);
    else if (type === "string") this.string(frame, value as string);
    else if (type === "array") this.array(frame, value as unknown[]);
    else if (type === "object") this.object(frame, value as Record<string, unknown>);
    return errors.length === before;
  }

  /** `not`, `anyOf`, `oneOf`, `allOf`, `if`/`then`/`else`. */
  private applicators({ schema, path, at, errors, seen, fail }: Frame, value: unknown): void {
    if (schema.not !== undefined && this.check(schema.not, value, path, `${at}/not`, [], evaluated())) fail("not", "must NOT be valid");
    if (Array.isArray(schema.anyOf)) {
      const failed: SchemaError[] = [];
      let valid = false;
      for (const [i, sub] of schema.anyOf.entries()) {
        const own = evaluated();
        if (this.check(sub, value, path, `${at}/anyOf/${i}`, failed, own)) {
          valid = true;
          merge(seen, own);
        }
      }
      if (!valid) {
        errors.push(...failed);
        fail("anyOf", "must match a schema in anyOf");
      }
    }
    if (Array.isArray(schema.oneOf)) {
      const failed: SchemaError[] = [];
      const passing: number[] = [];
      for (const [i, sub] of schema.oneOf.entries()) {
        const own = evaluated();
        if (this.check(sub, value, path, `${at}/oneOf/${i}`, failed, own)) {
          passing.push(i);
          merge(seen, own);
        }
      }
      if (passing.length === 0) errors.push(...failed);
      if (passing.length !== 1) fail("oneOf", "must match exactly one schema in oneOf", { passingSchemas: passing });
    }
    if (Array.isArray(schema.allOf)) {
      for (const [i, sub] of schema.allOf.entries()) {
        const own = evaluated();
        if (this.check(sub, value, path, `${at}/allOf/${i}`, errors, own)) merge(seen, own);
      }
    }
    if (schema.if !== undefined) {
      const own = evaluated();
      const holds = this.check(schema.if, value, path, `${at}/if`, [], own);
      const branch = holds ? "then" : "else";
      if (holds) merge(seen, own);
      if (schema[branch] !== undefined) {
        const sub = evaluated();
        if (this.check(schema[branch], value, path, `${at}/${branch}`, errors, sub)) merge(seen, sub);
        else fail("if", `must match "${branch}" schema`, { failingKeyword: branch });
      }
    }
  }

  private number({ schema, fail }: Frame, value: number): void {
    const draft04 = this.options.draft === "04";
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
    if (typeof minimum === "number") {
      const exclusive = draft04 && exclusiveMinimum === true;
      if (exclusive ? value <= minimum : value < minimum) fail("minimum", `must be ${exclusive ? ">" : ">="} ${minimum}`);
    }
    if (typeof maximum === "number") {
      const exclusive = draft04 && exclusiveMaximum === true;
      if (exclusive ? value >= maximum : value > maximum) fail("maximum", `must be ${exclusive ? "<" : "<="} ${maximum}`);
    }
    if (typeof exclusiveMinimum === "number" && value <= exclusiveMinimum) fail("exclusiveMinimum", `must be > ${exclusiveMinimum}`);
    if (typeof exclusiveMaximum === "number" && value >= exclusiveMaximum) fail("exclusiveMaximum", `must be < ${exclusiveMaximum}`);
    if (typeof multipleOf === "number" && multipleOf > 0 && !isMultiple(value, multipleOf))
      fail("multipleOf", `must be multiple of ${multipleOf}`);
    this.format(schema, value, "number", fail);
  }

  private string({ schema, fail }: Frame, value: string): void {
    const { minLength, maxLength, pattern } = schema;
    if (typeof minLength === "number" || typeof maxLength === "number") {
      const length = [...value].length; // in code points, as the drafts count
      if (typeof minLength === "number" && length < minLength) fail("minLength", `must NOT have fewer than ${minLength} characters`);
      if (typeof maxLength === "number" && length > maxLength) fail("maxLength", `must NOT have more than ${maxLength} characters`);
    }
    if (typeof pattern === "string" && !this.regExp(schema, "pattern", pattern).test(value))
      fail("pattern", `must match pattern "${pattern}"`);
    this.format(schema, value, "string", fail);
  }

  private format(schema: SchemaObject, value: string | number, type: "string" | "number", fail: Fail): void {
    if (typeof schema.format !== "string") return;
    const check = this.options.format(schema.format);
    if (check && check.type === type && !check.test(value)) fail("format", `must match format "${schema.format}"`);
  }

  private array({ schema, path, at, errors, seen, fail }: Frame, value: unknown[]): void {
    const { minItems, maxItems, items, prefixItems, additionalItems, contains, uniqueItems } = schema;
    if (typeof maxItems === "number" && value.length > maxItems) fail("maxItems", `must NOT have more than ${maxItems} items`);
    if (typeof minItems === "number" && value.length < minItems) fail("minItems", `must NOT have fewer than ${minItems} items`);
    if (uniqueItems === true) {
      outer: for (let i = value.length - 1; i > 0; i--) {
        for (let j = i - 1; j >= 0; j--) {
          if (equal(value[i], value[j])) {
            fail("uniqueItems", `must NOT have duplicate items (items ## ${i} and ${j} are identical)`);
            break outer;
          }
        }
      }
    }
    const item = (sub: unknown, i: number, where: string) => {
      if (sub === false) fail(where.split("/").pop() as string, `must NOT have more than ${i} items`);
      else if (this.check(sub, value[i], `${path}/${i}`, where, errors, evaluated())) seen.items.add(i);
    };
    // A tuple (`prefixItems`, or `items` as a list), then a schema for the items after it.
    const tuple = Array.isArray(prefixItems) ? prefixItems : Array.isArray(items) ? items : undefined;
    const tupleKeyword = Array.isArray(prefixItems) ? "prefixItems" : "items";
    const rest = Array.isArray(items) ? additionalItems : items;
    const restKeyword = Array.isArray(items) ? "additionalItems" : "items";
    const start = tuple ? Math.min(tuple.length, value.length) : 0;
    for (let i = 0; i < start; i++) item((tuple as unknown[])[i], i, `${at}/${tupleKeyword}/${i}`);
    if (rest !== undefined) {
      if (rest === false && value.length > start) fail(restKeyword, `must NOT have more than ${start} items`);
      else if (rest !== false) for (let i = start; i < value.length; i++) item(rest, i, `${at}/${restKeyword}`);
    }
    if (contains !== undefined) {
      const min = typeof schema.minContains === "number" ? schema.minContains : 1;
      const max = typeof schema.maxContains === "number" ? schema.maxContains : undefined;
      let count = 0;
      for (let i = 0; i < value.length; i++) {
        if (this.check(contains, value[i], `${path}/${i}`, `${at}/contains`, [], evaluated())) {
          count++;
          seen.items.add(i);
        }
      }
      if (count < min || (max !== undefined && count > max)) {
        fail("contains", `must contain at least ${min}${max === undefined ? "" : ` and no more than ${max}`} valid item(s)`);
      }
    }
    if (schema.unevaluatedItems !== undefined) {
      for (let i = 0; i < value.length; i++) {
        if (seen.items.has(i)) continue;
        if (schema.unevaluatedItems === false) {
          fail("unevaluatedItems", `must NOT have more than ${i} items`);
          break;
        }
        if (this.check(schema.unevaluatedItems, value[i], `${path}/${i}`, `${at}/unevaluatedItems`, errors, evaluated())) seen.items.add(i);
      }
    }
  }

  private object({ schema, path, at, errors, seen, fail }: Frame, value: Record<string, unknown>): void {
    const keys = Object.keys(value);
    const { properties, patternProperties, additionalProperties, propertyNames } = schema;
    if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) {
      fail("maxProperties", `must NOT have more than ${schema.maxProperties} properties`);
    }
    if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) {
      fail("minProperties", `must NOT have fewer than ${schema.minProperties} properties`);
    }
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name === "string" && !Object.hasOwn(value, name))
          fail("required", `must have required property '${name}'`, { missingProperty: name });
      }
    }
    const dependencies = (keyword: string, map: unknown, lists: boolean, schemas: boolean) => {
      if (!isObject(map)) return;
      for (const [name, dependency] of Object.entries(map)) {
        if (!Object.hasOwn(value, name)) continue;
        if (lists && Array.isArray(dependency)) {
          const missing = dependency.filter((d) => typeof d === "string" && !Object.hasOwn(value, d));
          if (missing.length > 0) {
            fail(
              keyword,
              `must have ${missing.length === 1 ? "property" : "properties"} ${missing.join(", ")} when property ${name} is present`,
            );
          }
        } else if (schemas && !Array.isArray(dependency)) {
          const own = evaluated();
          if (this.check(dependency, value, path, `${at}/${keyword}/${escapePointer(name)}`, errors, own)) merge(seen, own);
        }
      }
    };
    dependencies("dependentRequired", schema.dependentRequired, true, false);
    if (propertyNames !== undefined) {
      for (const key of keys) {
        const failed: SchemaError[] = [];
        if (!this.check(propertyNames, key, path, `${at}/propertyNames`, failed, evaluated())) {
          errors.push(...failed.map((e) => ({ ...e, params: { ...e.params, propertyName: key } })));
          fail("propertyNames", "property name must be valid", { propertyName: key });
        }
      }
    }
    // Which keys `properties` and `patternProperties` cover, and which regular expressions.
    const patterns = isObject(patternProperties)
      ? Object.keys(patternProperties).map((p) => ({ source: p, regExp: this.regExp(patternProperties, p, p) }))
      : [];
    const covered = (key: string) => (isObject(properties) && Object.hasOwn(properties, key)) || patterns.some((p) => p.regExp.test(key));
    if (additionalProperties !== undefined) {
      for (const key of keys) {
        if (covered(key)) continue;
        const where = `${path}/${escapePointer(key)}`;
        if (additionalProperties === false)
          fail("additionalProperties", "must NOT have additional properties", { additionalProperty: key });
        else if (this.check(additionalProperties, value[key], where, `${at}/additionalProperties`, errors, evaluated()))
          seen.props.add(key);
      }
    }
    dependencies("dependencies", schema.dependencies, true, true);
    if (isObject(properties)) {
      for (const [key, sub] of Object.entries(properties)) {
        if (!Object.hasOwn(value, key)) continue;
        if (this.check(sub, value[key], `${path}/${escapePointer(key)}`, `${at}/properties/${escapePointer(key)}`, errors, evaluated())) {
          seen.props.add(key);
        }
      }
    }
    for (const { source, regExp } of patterns) {
      for (const key of keys) {
        if (!regExp.test(key)) continue;
        const sub = (patternProperties as SchemaObject)[source];
        const where = `${at}/patternProperties/${escapePointer(source)}`;
        if (this.check(sub, value[key], `${path}/${escapePointer(key)}`, where, errors, evaluated())) seen.props.add(key);
      }
    }
    dependencies("dependentSchemas", schema.dependentSchemas, false, true);
    if (schema.unevaluatedProperties !== undefined) {
      for (const key of keys) {
        if (seen.props.has(key) || covered(key)) continue;
        if (schema.unevaluatedProperties === false) {
          fail("unevaluatedProperties", "must NOT have unevaluated properties", { unevaluatedProperty: key });
        } else if (
          this.check(
            schema.unevaluatedProperties,
            value[key],
            `${path}/${escapePointer(key)}`,
            `${at}/unevaluatedProperties`,
            errors,
            evaluated(),
          )
        ) {
          seen.props.add(key);
        }
      }
    }
  }

  private regExp(holder: SchemaObject, keyword: string, source: string): RegExp {
    try {
      return this.options.pattern(source);
    } catch (e) {
      throw new SchemaProblem(`${JSON.stringify(source)} is not a valid regular expression: ${(e as Error).message}`, holder, keyword);
    }
  }
}

type Fail = (keyword: string, message: string, params?: Record<string, unknown>) => void;

/** One schema object applied to one value: where both are, and where errors and evaluated names go. */
interface Frame {
  schema: SchemaObject;
  path: string;
  at: string;
  errors: SchemaError[];
  seen: Evaluated;
  fail: Fail;
}

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonType;
}

/** The types `type` allows (with OpenAPI's `nullable`), or undefined when any. */
function schemaTypes(schema: SchemaObject): string[] | undefined {
  const { type } = schema;
  const types =
    typeof type === "string" ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : undefined;
  if (types && schema.nullable === true && !types.includes("null")) types.push("null");
  return types;
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
