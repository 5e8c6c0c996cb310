/**
 * The validate stage: every schema is checked against its meta-schema and every
 * example against its schema, with ajv. Each loaded schema file is registered
 * once under its file URL, so `$ref`s between files (core schemas above all) are
 * compiled once and shared. The JSON Schema draft follows `$schema`
 * (draft-04 to 2020-12; draft-07 when absent).
 */
import { pathToFileURL } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import ajvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { type Diagnostic, error, warning } from "../diagnostics.js";
import { at, locate, origins, type Source } from "../load/source.js";
import { isObject } from "../schema/resolve.js";
import { originOf } from "./merge.js";
import { patternEngine } from "./patterns.js";

// CommonJS packages: their ES default import is `module.exports`, whose `default` is the export.
const Ajv04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

export type Draft = "04" | "07" | "2019" | "2020";

function draftOf(schema: unknown): Draft | undefined {
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
  private readonly instances = new Map<Draft, Ajv>();
  /** File URL → the value registered under it. */
  private values = new Map<string, unknown>();
  /** File URL → the keys of the nodes of it compiled on their own (an API document's schemas). */
  private readonly nodeKeys = new Map<string, Set<string>>();

  /** `extraFormats`: format names beside ajv-formats' that validate anything. */
  constructor(private readonly extraFormats: readonly string[] = []) {}

  /**
   * Registers what to compile for each schema file: its value without the
   * `$ref`s reported as broken or looping (see schema/refs-check.ts). A value
   * that changed, appeared or went away is dropped from every ajv instance
   * together with every file that refers to it, since their compiled
   * validators embed it; the rest stay compiled.
   */
  sync(values: ReadonlyMap<string, unknown>, refs: ReadonlyMap<string, ReadonlySet<string>>): void {
    const next = new Map([...values].filter(([, v]) => isObject(v)).map(([file, v]) => [fileKey(file), v]));
    const changed = new Set<string>();
    for (const [key, value] of this.values) if (next.get(key) !== value) changed.add(key);
    for (const [key, value] of next) if (this.values.get(key) !== value) changed.add(key);
    this.values = next;
    if (changed.size === 0) return;
    const referrers = new Map<string, string[]>();
    for (const [from, targets] of refs) {
      for (const to of targets) {
        const list = referrers.get(fileKey(to));
        if (list) list.push(fileKey(from));
        else referrers.set(fileKey(to), [fileKey(from)]);
      }
    }
    const stale = new Set<string>();
    const queue = [...changed];
    while (queue.length > 0) {
      const key = queue.pop() as string;
      if (stale.has(key)) continue;
      stale.add(key);
      queue.push(...(referrers.get(key) ?? []));
    }
    for (const ajv of this.instances.values()) {
      for (const key of stale) {
        ajv.removeSchema(key);
        for (const nodeKey of this.nodeKeys.get(key) ?? []) ajv.removeSchema(nodeKey);
        if (next.has(key)) register(ajv, key, next.get(key));
      }
    }
  }

  private instance(draft: Draft): Ajv {
    let ajv = this.instances.get(draft);
    if (!ajv) {
      const options = {
        strict: false,
        allErrors: true,
        verbose: true,
        validateSchema: false,
        logger: false,
        // Code optimisation costs more than it saves when each validator runs a few times.
        // Referenced schemas compile once as functions of their own instead of inline in each event's.
        inlineRefs: false,
        code: { regExp: patternEngine, optimize: false },
      } as const;
      ajv =
        draft === "04"
          ? new Ajv04(options)
          : draft === "2019"
            ? new Ajv2019(options)
            : draft === "2020"
              ? new Ajv2020(options)
              : new Ajv(options);
      addFormats(ajv);
      for (const name of this.extraFormats) if (!ajv.formats[name]) ajv.addFormat(name, true);
      for (const [key, value] of this.values) register(ajv, key, value);
      this.instances.set(draft, ajv);
    }
    return ajv;
  }

  /** Checks a schema file against its draft's meta-schema. */
  checkSchema(file: Source): Diagnostic[] {
    if (!isObject(file.value)) return []; // not a schema at all: reported by the resolve stage or the compiler
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
    const ajv = this.instance(draft);
    if (ajv.validateSchema(file.value as object)) return [];
    return (ajv.errors ?? []).map((e) =>
      error("schema-invalid", `${e.instancePath || "schema"} ${e.message}${paramsText(e)}`, {
        ...at(file, e.instancePath),
        pointer: e.instancePath,
      }),
    );
  }

  /**
   * The compiled validator of a schema file, or of the schema at `node.pointer`
   * in it under `node.draft` (an API document's); a diagnostic when it cannot be compiled.
   */
  validator(file: Source, node?: SchemaAt): ValidateFunction | Diagnostic {
    const ajv = this.instance(node?.draft ?? draftOf(file.value) ?? "07");
    let key = fileKey(file.path);
    if (node?.pointer) {
      key = `${key}#${node.pointer.split("/").map(encodeURIComponent).join("/")}`;
      const keys = this.nodeKeys.get(fileKey(file.path)) ?? new Set();
      keys.add(key);
      this.nodeKeys.set(fileKey(file.path), keys);
    }
    // Located only when reported: locating parses the file a second time.
    const where = () => ({ ...at(file, node?.pointer ?? ""), pointer: node?.pointer });
    try {
      const validate = ajv.getSchema(key);
      if (validate) return validate;
      return error("schema-compile", "schema could not be compiled", where());
    } catch (e) {
      return error("schema-compile", `schema could not be compiled: ${(e as Error).message}`, where());
    }
  }

  /**
   * Validates a merged example; errors point at the example file and line of
   * each offending value (`examplePointer`: where in `example` the value is written).
   */
  validate(schema: Source, example: Source, value: unknown, node?: SchemaAt, examplePointer = ""): Diagnostic[] {
    if (!isObject(schema.value)) return []; // the schema did not parse: reported there
    const validate = this.validator(schema, node);
    if (typeof validate !== "function") return [validate];
    try {
      if (validate(value)) return [];
    } catch (e) {
      return [error("internal-error", `validating against ${schema.rel} failed: ${(e as Error).message}`, at(example, examplePointer))];
    }
    return (validate.errors ?? []).map((e) => exampleError(e, schema, example, value, examplePointer));
  }
}

/** A schema inside a file, and the draft it is written in (an API document has no `$schema`). */
export interface SchemaAt {
  pointer: string;
  draft: Draft;
}

function register(ajv: Ajv, key: string, value: unknown): void {
  try {
    ajv.addSchema(value as object, key);
  } catch {
    // A duplicate `$id`; reported when a schema that needs it is compiled.
  }
}

const fileKeys = new Map<string, string>();

/** The URL a file is registered under in ajv. */
function fileKey(file: string): string {
  let key = fileKeys.get(file);
  if (key === undefined) {
    key = pathToFileURL(file).href;
    fileKeys.set(file, key);
  }
  return key;
}

function exampleError(e: ErrorObject, schema: Source, example: Source, value: unknown, examplePointer: string): Diagnostic {
  const pointer = e.instancePath;
  const origin = originOf(value, pointer);
  // At the offending value itself (the caret under `42`, or the `{` of an object missing a property).
  const where = origin ? { file: origin.source.rel, ...locate(origin.source, origin.pointer, "value") } : at(example, examplePointer);
  const rule = schemaLocation(e, schema);
  const message = `${pointer || "/"} ${e.message}${paramsText(e)} (${rule})`;
  return error("example-invalid", message, { ...where, pointer });
}

/** `core-event-schema/event.yaml#/properties/type: type`: the schema node and keyword that rejected the value. */
function schemaLocation(e: ErrorObject, schema: Source): string {
  const parent = e.parentSchema && typeof e.parentSchema === "object" ? origins.get(e.parentSchema) : undefined;
  const file = parent?.source.rel ?? schema.rel;
  return `${file}#${parent?.pointer ?? e.schemaPath.replace(/^#/, "")} ${e.keyword}`;
}

function paramsText(e: ErrorObject): string {
  const params = e.params as Record<string, unknown>;
  if (Array.isArray(params.allowedValues)) return `: ${params.allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  if (typeof params.additionalProperty === "string") return `: "${params.additionalProperty}"`;
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
