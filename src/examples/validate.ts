/**
 * The validate stage: every schema file is checked against its draft's
 * meta-schema and every example against its schema, by walking the two
 * (interpret.ts: compiling each schema once per run, as ajv does, costs more
 * than it saves). The JSON Schema draft follows `$schema` (draft-04 to
 * 2020-12; draft-07 when absent).
 */
import { type Diagnostic, error, warning } from "../diagnostics.js";
import { at, escapePointer, locate, origins, type Source } from "../load/source.js";
import { isObject, resolvePointer } from "../schema/resolve.js";
import { formatChecks } from "./formats.js";
import { type Draft, type FormatCheck, type InterpretOptions, interpret, type SchemaError, type SchemaProblem } from "./interpret.js";
import { originOf } from "./merge.js";
import { metaSchema } from "./meta.js";
import { compilePattern } from "./patterns.js";

export type { Draft } from "./interpret.js";

/** The draft a schema file is written in, by its `$schema` (draft-07 when absent; undefined when unknown). */
export function draftOf(schema: unknown): Draft | undefined {
  const id = isObject(schema) ? schema.$schema : undefined;
  if (id === undefined) return "07";
  if (typeof id !== "string") return undefined;
  if (id.includes("draft-04")) return "04";
  if (id.includes("draft-06") || id.includes("draft-07")) return "07";
  if (id.includes("2019-09")) return "2019";
  if (id.includes("2020-12")) return "2020";
  return undefined;
}

export class Validators {
  /** Holder of a `$ref` → the schema it names (see schema/refs-check.ts); a holder not here has its `$ref` left out. */
  private readonly refs = new WeakMap<object, unknown>();
  private readonly formats: ReadonlyMap<string, FormatCheck>;

  /** `extraFormats`: format names beside ajv-formats' that validate anything. */
  constructor(extraFormats: readonly string[] = []) {
    this.formats = formatChecks(extraFormats);
  }

  /**
   * Takes the `$ref` targets of the schema files just checked (ResolveResult.refs):
   * undefined for a `$ref` reported as broken or looping, which is left out.
   * Objects of files no longer loaded drop out by themselves.
   */
  addRefs(refs: ReadonlyMap<object, unknown>): void {
    for (const [holder, target] of refs) {
      if (target === undefined) this.refs.delete(holder);
      else this.refs.set(holder, target);
    }
  }

  /** The schema a `$ref` holder names, when its `$ref` was checked and kept. */
  refTargetOf(holder: object): unknown {
    return this.refs.get(holder);
  }

  private options(draft: Draft, refTarget: InterpretOptions["refTarget"]): InterpretOptions {
    return { draft, refTarget, format: (name) => this.formats.get(name), pattern: compilePattern };
  }

  /** Checks a schema file against its draft's meta-schema. */
  checkSchema(file: Source): Diagnostic[] {
    if (!isObject(file.value)) return []; // not a schema at all: reported by the resolve stage
    const draft = draftOf(file.value);
    if (!draft) {
      return [
        warning(
          "schema-unknown-draft",
          `unknown $schema ${JSON.stringify((file.value as { $schema: unknown }).$schema)}; checked as draft-07`,
          at(file, "/$schema"),
        ),
      ];
    }
    const meta = metaSchema(draft);
    const errors = interpret(
      meta.root,
      file.value,
      this.options(draft, (holder) => meta.refs.get(holder)),
    );
    return errors.map((e) =>
      error("schema-invalid", `${e.instancePath || "schema"} ${e.message}${paramsText(e.params)}`, {
        ...at(file, e.instancePath),
        pointer: e.instancePath,
      }),
    );
  }

  /**
   * Validates a merged example against a schema file, or against the schema
   * at `node.pointer` in it under `node.draft` (an API document's); errors
   * point at the example file and line of each offending value
   * (`examplePointer`: where in `example` the value is written).
   */
  validate(schema: Source, example: Source, value: unknown, node?: SchemaAt, examplePointer = ""): Diagnostic[] {
    if (!isObject(schema.value)) return []; // the schema did not parse: reported there
    const root = node?.pointer ? resolvePointer(schema.value, node.pointer) : schema.value;
    const options = this.options(node?.draft ?? draftOf(schema.value) ?? "07", (holder) => this.refs.get(holder));
    const foreign = nonJson(value);
    if (foreign) {
      const origin = originOf(value, foreign.pointer);
      const where = origin ? { file: origin.source.rel, ...locate(origin.source, origin.pointer, "value") } : at(example, examplePointer);
      return [
        error("example-not-json", `${foreign.pointer || "/"} is ${foreign.what}, which JSON cannot hold`, {
          ...where,
          pointer: foreign.pointer,
        }),
      ];
    }
    const problems: SchemaProblem[] = [];
    try {
      const errors = interpret(root, value, options, problems).map((e) => exampleError(e, schema, example, value, examplePointer));
      return [...problems.map((p) => problemDiagnostic(p, schema, node)), ...errors];
    } catch (e) {
      return [error("internal-error", `validating against ${schema.rel} failed: ${(e as Error).message}`, at(example, examplePointer))];
    }
  }
}

/**
 * The first value JSON cannot hold (YAML reads `2020-01-01` as a timestamp,
 * `!!binary` as bytes, `.inf` as Infinity), with its pointer: such an example
 * is not what a JSON body or event would carry.
 */
export function nonJson(value: unknown, pointer = ""): { pointer: string; what: string } | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { pointer, what: `the number ${value}` };
  if (value === null || typeof value === "string" || typeof value === "boolean") return undefined;
  if (value instanceof Date) return { pointer, what: "a YAML timestamp (quote it to make it a string)" };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonJson(value[i], `${pointer}/${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      const found = nonJson(v, `${pointer}/${escapePointer(k)}`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === null) return undefined;
  return { pointer, what: value instanceof Uint8Array ? "binary data (!!binary)" : `a ${typeof value}` };
}

/** A schema inside a file, and the draft it is written in (an API document has no `$schema`). */
export interface SchemaAt {
  pointer: string;
  draft: Draft;
}

/** A keyword left out, at the schema's line: an invalid pattern is an error, one RE2 cannot run a warning. */
function problemDiagnostic(p: SchemaProblem, schema: Source, node: SchemaAt | undefined): Diagnostic {
  const origin = origins.get(p.schema);
  const pointer = origin ? `${origin.pointer}/${escapePointer(p.keyword)}` : node?.pointer;
  const place = { ...at(origin?.source ?? schema, pointer ?? ""), pointer };
  return p.kind === "invalid"
    ? error("schema-compile", `schema cannot be applied: ${p.message}`, place)
    : warning("pattern-unsupported", p.message, place);
}

function exampleError(e: SchemaError, schema: Source, example: Source, value: unknown, examplePointer: string): Diagnostic {
  const pointer = e.instancePath;
  const origin = originOf(value, pointer);
  // At the offending value itself (the caret under `42`, or the `{` of an object missing a property).
  const where = origin ? { file: origin.source.rel, ...locate(origin.source, origin.pointer, "value") } : at(example, examplePointer);
  const message = `${pointer || "/"} ${e.message}${paramsText(e.params)} (${schemaLocation(e, schema)})`;
  return error("example-invalid", message, { ...where, pointer });
}

/** `core-event-schema/event.yaml#/properties/type type`: the schema node and keyword that rejected the value. */
function schemaLocation(e: SchemaError, schema: Source): string {
  const origin = origins.get(e.schema);
  return `${origin?.source.rel ?? schema.rel}#${origin?.pointer ?? ""} ${e.keyword}`;
}

function paramsText(params: Record<string, unknown>): string {
  if (Array.isArray(params.allowedValues)) return `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  if (typeof params.additionalProperty === "string") return `: "${params.additionalProperty}"`;
  if (typeof params.unevaluatedProperty === "string") return `: "${params.unevaluatedProperty}"`;
  return "";
}

/**
 * An example belongs to the schema of the same name, or else to the schema
 * named by the part before `$` (`m.room_key_request$request` → `m.room_key_request`).
 */
export function schemaOfExample(example: string, schemaNames: ReadonlySet<string>): string | undefined {
  if (schemaNames.has(example)) return example;
  const base = example.split("$")[0];
  return schemaNames.has(base) ? base : undefined;
}
