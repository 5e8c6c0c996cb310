/**
 * The resolve stage: dereferences every schema file with json-schema-ref-parser
 * (reading only from the loaded index, so nothing outside the spec root and no
 * network is reached unless the config allows it), then merges `allOf`
 * inheritance into one object per schema. Recursive schemas stay as object
 * cycles; later stages walk them with a visited set.
 */
import path from "node:path";
import $RefParser, { type JSONParserError, JSONParserErrorGroup } from "@apidevtools/json-schema-ref-parser";
import { type Diagnostic, error } from "../diagnostics.js";
import { refTargetAt, type Spec } from "../load/index.js";
import { findRefs } from "../load/refs.js";
import { at, escapePointer, origins, type Source, splitPointer } from "../load/source.js";

export type SchemaObject = Record<string, unknown>;

export interface ResolveResult {
  /** Schema file path → its dereferenced, allOf-merged schema. */
  schemas: Map<string, SchemaObject>;
  diagnostics: Diagnostic[];
}

/** Resolves the given schema files (by default every file of the schema folder). */
export async function resolveSchemas(spec: Spec, files: readonly Source[] = spec.schemas): Promise<ResolveResult> {
  const diagnostics: Diagnostic[] = [];
  for (const s of files) {
    if (s.value !== undefined && !isObject(s.value)) {
      diagnostics.push(error("schema-not-object", "a schema must be a mapping of keywords, not a scalar or a list", at(s, "")));
    }
  }
  const usable = files.filter((s) => isObject(s.value));
  const resolved = await resolveSchemaNodes(
    spec,
    usable.map((source) => ({ source, pointer: "" })),
  );
  const schemas = new Map<string, SchemaObject>();
  for (const s of usable) {
    const schema = resolved.schemas.get(nodeKey({ source: s, pointer: "" }));
    if (schema) schemas.set(s.path, schema);
  }
  return { schemas, diagnostics: [...diagnostics, ...resolved.diagnostics] };
}

/** A schema inside a file: the whole file (pointer ""), or a node of it (an API document's response schema). */
export interface SchemaNode {
  source: Source;
  pointer: string;
}

export function nodeKey(node: SchemaNode): string {
  return `${node.source.path}#${node.pointer}`;
}

/**
 * Dereferences and allOf-merges schema nodes, all in one call so that the
 * files they share are parsed once. Results are keyed by nodeKey. The `$ref`s
 * of the nodes' files and of `checkFiles` are checked to land somewhere.
 */
export async function resolveSchemaNodes(
  spec: Spec,
  nodes: readonly SchemaNode[],
  checkFiles: readonly Source[] = [],
): Promise<ResolveResult> {
  const files = [...new Map([...checkFiles, ...nodes.map((n) => n.source)].map((s) => [s.path, s])).values()];
  const diagnostics: Diagnostic[] = checkRefTargets(spec, files);
  const root: SchemaObject = {};
  for (const node of nodes) root[nodeKey(node)] = { $ref: encodeRef(path.relative(spec.config.root, node.source.path), node.pointer) };

  let dereferenced: SchemaObject;
  try {
    dereferenced = (await new $RefParser().dereference(
      path.join(spec.config.root, "(specgen)"),
      root,
      refParserOptions(spec),
    )) as SchemaObject;
  } catch (e) {
    if (!(e instanceof JSONParserErrorGroup)) throw e;
    dereferenced = e.files.schema as SchemaObject;
    diagnostics.push(...refParserDiagnostics(spec, e.errors));
  }

  const merger = new AllOfMerger();
  const schemas = new Map<string, SchemaObject>();
  for (const node of nodes) {
    const value = dereferenced[nodeKey(node)];
    if (isObject(value)) schemas.set(nodeKey(node), merger.merge(value) as SchemaObject);
  }
  diagnostics.push(...merger.diagnostics);
  return { schemas, diagnostics };
}

function encodeRef(rel: string, pointer: string): string {
  const fragment = pointer ? `#${pointer.split("/").map(encodeURIComponent).join("/")}` : "";
  return `./${rel.split(path.sep).map(encodeURIComponent).join("/")}${fragment}`;
}

function refParserOptions(spec: Spec) {
  const lookup = (url: string) =>
    spec.sources.get(path.normalize(url.startsWith("file:") ? new URL(url).pathname : decodeURIComponent(url)));
  return {
    continueOnError: true,
    resolve: {
      file: false,
      http: spec.config.allowNetworkRefs,
      specgen: {
        order: 1,
        canRead: (file: { url: string }) => !/^https?:/i.test(file.url),
        read: (file: { url: string }) => {
          const source = lookup(file.url);
          if (!source) throw new Error(`not a loaded file: ${file.url}`);
          return source.text;
        },
      },
    },
    parse: {
      json: false,
      yaml: false,
      text: false,
      binary: false,
      specgen: {
        order: 1,
        canParse: true,
        allowEmpty: true,
        parse: (file: { url: string }) => {
          const source = lookup(file.url);
          if (!source || source.value === undefined) throw new Error(`cannot parse ${file.url}`);
          return cloneWithOrigins(spec, source);
        },
      },
    },
    dereference: { circular: true },
  };
}

/**
 * json-schema-ref-parser replaces `$ref`s in place, so it gets a copy of each
 * loaded value; the copy's nodes keep their origins for diagnostics. A `$ref`
 * the load stage redirected (Spec.redirects) is rewritten to where it points.
 */
function cloneWithOrigins(spec: Spec, source: Source): unknown {
  const copies = new Map<object, unknown>();
  const clone = (node: unknown): unknown => {
    if (typeof node !== "object" || node === null) return node;
    const known = copies.get(node);
    if (known !== undefined) return known;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(node) ? [] : {};
    copies.set(node, copy);
    const origin = origins.get(node);
    if (origin) origins.set(copy, origin);
    for (const [k, v] of Object.entries(node)) (copy as Record<string, unknown>)[k] = clone(v);
    const redirect = spec.redirects.size > 0 && origin ? spec.redirects.get(`${source.path}#${origin.pointer}`) : undefined;
    if (redirect?.kind === "file") {
      const rel = path.relative(path.dirname(source.path), redirect.path).split(path.sep).join("/");
      (copy as Record<string, unknown>).$ref = `${rel}${redirect.fragment ? `#${redirect.fragment}` : ""}`;
    }
    return copy;
  };
  return clone(source.value);
}

/**
 * Checks that each `$ref` of the given files, and of the files they reach,
 * lands on a loaded file and an existing pointer, reporting at the `$ref`'s
 * own line. (Missing files and refused targets were reported by the load stage.)
 */
function checkRefTargets(spec: Spec, files: readonly Source[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const queue = files.map((f) => f.path);
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = spec.sources.get(file);
    if (!source || source.value === undefined) continue;
    for (const site of findRefs(source.value)) {
      const target = refTargetAt(spec, source, site.pointer, site.ref);
      if (target.kind !== "file") continue;
      const targetSource = spec.sources.get(target.path);
      if (!targetSource || targetSource.value === undefined) continue;
      queue.push(target.path);
      if (!target.fragment) continue;
      if (!target.fragment.startsWith("/")) {
        diagnostics.push(
          error("ref-unsupported", `$ref "${site.ref}": only JSON pointer fragments (#/...) are supported`, {
            ...at(source, `${site.pointer}/$ref`),
            pointer: site.pointer,
          }),
        );
      } else if (resolvePointer(targetSource.value, target.fragment) === undefined) {
        diagnostics.push(
          error("ref-missing-pointer", `$ref "${site.ref}": ${targetSource.rel} has nothing at ${target.fragment}`, {
            ...at(source, `${site.pointer}/$ref`),
            pointer: site.pointer,
          }),
        );
      }
    }
  }
  return diagnostics;
}

export function resolvePointer(value: unknown, pointer: string): unknown {
  let node = value;
  for (const token of splitPointer(pointer)) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Kinds of failure that the load stage and checkRefTargets report, with better places. */
const REPORTED_ELSEWHERE = new Set(["EMISSINGPOINTER", "ERESOLVER", "EUNMATCHEDRESOLVER", "EPARSER", "EUNMATCHEDPARSER"]);

/** Reports what json-schema-ref-parser could not resolve and the checks above did not already name. */
function refParserDiagnostics(spec: Spec, errors: JSONParserError[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of errors) {
    if (REPORTED_ELSEWHERE.has(e.code)) continue;
    const source = e.source ? spec.sources.get(path.normalize(e.source)) : undefined;
    if (!source || source.value === undefined || e.source?.endsWith("(specgen)")) continue;
    const pointer = (e.path ?? []).map((t) => `/${escapePointer(String(t))}`).join("");
    out.push(error("ref-unresolved", e.message, { ...at(source, pointer), pointer }));
  }
  return out;
}

export function isObject(v: unknown): v is SchemaObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Merges `allOf` into its schema: the parents first, in order, then the schema's
 * own keywords win. Objects merge deeply, `required` is united, nothing else is
 * dropped. Results are memoised per node, so shared and recursive schemas are
 * merged once; a schema that inherits from itself is reported, not looped on.
 */
export class AllOfMerger {
  readonly diagnostics: Diagnostic[] = [];
  private readonly merged = new Map<object, unknown>();
  private readonly inProgress = new Set<object>();

  merge(node: unknown): unknown {
    if (typeof node !== "object" || node === null) return node;
    const done = this.merged.get(node);
    if (done !== undefined) return done;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      this.merged.set(node, out);
      copyOrigin(node, out);
      for (const item of node) out.push(this.merge(item));
      return out;
    }
    const out: SchemaObject = {};
    this.merged.set(node, out);
    copyOrigin(node, out);
    this.inProgress.add(node);
    const allOf = (node as SchemaObject).allOf;
    if (Array.isArray(allOf)) {
      for (const parent of allOf) {
        if (typeof parent === "object" && parent !== null && this.inProgress.has(parent)) {
          this.reportLoop(node);
          continue;
        }
        const mergedParent = this.merge(parent);
        if (isObject(mergedParent)) mergeInto(out, mergedParent);
      }
    }
    const own: SchemaObject = {};
    for (const [key, value] of Object.entries(node)) if (key !== "allOf" || !Array.isArray(allOf)) own[key] = this.merge(value);
    mergeInto(out, own);
    this.inProgress.delete(node);
    return out;
  }

  private reportLoop(node: object): void {
    const origin = origins.get(node);
    this.diagnostics.push(
      error(
        "schema-inheritance-loop",
        "allOf inheritance loop: this schema inherits from itself",
        origin ? { ...at(origin.source, origin.pointer), pointer: origin.pointer } : {},
      ),
    );
  }
}

function mergeInto(target: SchemaObject, source: SchemaObject): void {
  for (const [key, value] of Object.entries(source)) target[key] = combine(target[key], value, key);
}

/** The child's value wins; objects merge key by key; `required` lists are united. */
function combine(parent: unknown, child: unknown, key: string): unknown {
  if (key === "required" && Array.isArray(parent) && Array.isArray(child)) return [...new Set([...parent, ...child])];
  if (isObject(parent) && isObject(child) && parent !== child) {
    const out: SchemaObject = {};
    copyOrigin(child, out);
    mergeInto(out, parent);
    mergeInto(out, child);
    return out;
  }
  return child === undefined ? parent : child;
}

function copyOrigin(from: object, to: object): void {
  const origin = origins.get(from);
  if (origin) origins.set(to, origin);
}
