/**
 * The resolve stage: dereferences every schema file with json-schema-ref-parser
 * (reading only from the loaded index, so nothing outside the spec root and no
 * network is reached unless the config allows it), then merges `allOf`
 * inheritance into one object per schema. Recursive schemas stay as object
 * cycles; later stages walk them with a visited set.
 */
import path from "node:path";
import $RefParser, { type JSONParserError, JSONParserErrorGroup } from "@apidevtools/json-schema-ref-parser";
import { type Diagnostic, error, uniqueDiagnostics } from "../diagnostics.js";
import type { Spec } from "../load/index.js";
import { at, escapePointer, origins, type Source, splitPointer } from "../load/source.js";
import { type CheckedSchemas, checkSchemaRefs, copyWithOrigins } from "./refs-check.js";

export type SchemaObject = Record<string, unknown>;

export interface ResolveResult {
  /** Schema file path (for resolveSchemaNodes: nodeKey) → its dereferenced, allOf-merged schema. */
  schemas: Map<string, SchemaObject>;
  /**
   * Every object holding a `$ref` in the files the resolved schemas reach →
   * the schema it names; undefined for a `$ref` reported as broken or looping
   * (see refs-check.ts): what the validator follows.
   */
  refs: Map<object, unknown>;
  diagnostics: Diagnostic[];
}

/**
 * Resolves the given schema files (by default every file of the schema folder).
 * With `use`, each file's schema is handed to it as soon as it is merged and
 * none is kept in the result: the resolver's copies are made a batch of files
 * at a time, so a large spec never holds them all at once.
 */
export async function resolveSchemas(
  spec: Spec,
  files: readonly Source[] = spec.schemas,
  use?: (source: Source, schema: SchemaObject) => void,
): Promise<ResolveResult> {
  const diagnostics: Diagnostic[] = [];
  for (const s of files) {
    if (s.value !== undefined && !isObject(s.value)) {
      diagnostics.push(error("schema-not-object", "a schema must be a mapping of keywords, not a scalar or a list", at(s, "")));
    }
  }
  const usable = files.filter((s) => isObject(s.value));
  const schemas = new Map<string, SchemaObject>();
  const sourceOf = new Map(usable.map((source) => [nodeKey({ source, pointer: "" }), source]));
  const resolved = await resolveSchemaNodes(
    spec,
    usable.map((source) => ({ source, pointer: "" })),
    [],
    (key, schema) => {
      const source = sourceOf.get(key) as Source;
      if (use) use(source, schema);
      else schemas.set(source.path, schema);
    },
    use ? BATCH : Number.POSITIVE_INFINITY,
  );
  return { schemas, refs: resolved.refs, diagnostics: [...diagnostics, ...resolved.diagnostics] };
}

/** Schema nodes dereferenced together when their schemas are not all kept: large enough to share the common files' parses. */
const BATCH = 500;

/** A schema inside a file: the whole file (pointer ""), or a node of it (an API document's response schema). */
export interface SchemaNode {
  source: Source;
  pointer: string;
}

export function nodeKey(node: SchemaNode): string {
  return `${node.source.path}#${node.pointer}`;
}

/**
 * Dereferences and allOf-merges schema nodes. Results are keyed by nodeKey:
 * in the result, or handed to `use` (and not kept) when it is given. The
 * `$ref`s of every file the nodes (and `checkFiles`) reach are checked first,
 * and those reported are left out of the copies that are dereferenced. Nodes
 * are dereferenced `batchSize` at a time (all in one call by default, so that
 * the files they share are parsed once).
 */
export async function resolveSchemaNodes(
  spec: Spec,
  nodes: readonly SchemaNode[],
  checkFiles: readonly Source[] = [],
  use?: (key: string, schema: SchemaObject) => void,
  batchSize = Number.POSITIVE_INFINITY,
): Promise<ResolveResult> {
  const checked = checkSchemaRefs(spec, closureOf(spec, [...checkFiles, ...nodes.map((n) => n.source)]));
  const schemas = new Map<string, SchemaObject>();
  const diagnostics = [...checked.diagnostics];
  for (let start = 0; start < nodes.length; start += batchSize) {
    const batch = nodes.slice(start, start + batchSize);
    diagnostics.push(...(await dereferenceAndMerge(spec, batch, checked.copy, use ?? ((key, schema) => schemas.set(key, schema)))));
  }
  return { schemas, refs: checked.refs, diagnostics: uniqueDiagnostics(diagnostics) };
}

async function dereferenceAndMerge(
  spec: Spec,
  nodes: readonly SchemaNode[],
  copy: CheckedSchemas["copy"],
  use: (key: string, schema: SchemaObject) => void,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const root: SchemaObject = {};
  // A node with no `$ref` in it needs no resolver: it is merged from the loaded value itself.
  const plain = new Map<string, unknown>();
  for (const node of nodes) {
    const loaded = resolvePointer(node.source.value, node.pointer);
    if (loaded !== undefined && !holdsRef(loaded)) plain.set(nodeKey(node), loaded);
    else root[nodeKey(node)] = { $ref: encodeRef(path.relative(spec.config.root, node.source.path), node.pointer) };
  }

  let dereferenced: SchemaObject = {};
  try {
    if (Object.keys(root).length > 0) {
      dereferenced = (await new $RefParser().dereference(
        path.join(spec.config.root, "(specgen)"),
        root,
        refParserOptions(spec, copy),
      )) as SchemaObject;
    }
  } catch (e) {
    if (e instanceof JSONParserErrorGroup) {
      dereferenced = e.files.schema as SchemaObject;
      diagnostics.push(...refParserDiagnostics(spec, e.errors));
    } else {
      diagnostics.push(error("internal-error", `resolving $refs failed: ${(e as Error).message}`));
    }
  }

  // A plain node's result must not share the loaded value (which the validator walks): its merger copies every node.
  // The resolver's copies are this batch's own: a part of them with no `allOf` is its own merged form.
  const plainMerger = new AllOfMerger();
  const merger = new AllOfMerger(true);
  for (const node of nodes) {
    const key = nodeKey(node);
    const value = plain.has(key) ? plain.get(key) : dereferenced[key];
    if (isObject(value)) use(key, (plain.has(key) ? plainMerger : merger).merge(value) as SchemaObject);
  }
  return diagnostics;
}

/** True when some object in `value` has a `$ref` key (a string or not). */
function holdsRef(value: unknown, seen = new Set<object>()): boolean {
  if (typeof value !== "object" || value === null || seen.has(value)) return false;
  seen.add(value);
  if (!Array.isArray(value) && Object.hasOwn(value, "$ref")) return true;
  for (const child of Object.values(value)) if (holdsRef(child, seen)) return true;
  return false;
}

/** The given files and every schema file their `$ref`s reach (example files are not schemas). */
function closureOf(spec: Spec, files: readonly Source[]): Source[] {
  const seen = new Map<string, Source>();
  const queue = [...files];
  while (queue.length > 0) {
    const source = queue.pop() as Source;
    if (seen.has(source.path)) continue;
    seen.set(source.path, source);
    for (const target of spec.refs.get(source.path) ?? []) {
      const next = spec.sources.get(target);
      if (next && next.kind === "data" && !spec.exampleFiles.has(target) && !isInside(target, spec.config.examples)) queue.push(next);
    }
  }
  // In path order, so that a loop is reported at the same `$ref` however the files were reached.
  return [...seen.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function isInside(file: string, dir: string): boolean {
  return file.startsWith(dir + path.sep);
}

function encodeRef(rel: string, pointer: string): string {
  const fragment = pointer ? `#${pointer.split("/").map(encodeURIComponent).join("/")}` : "";
  return `./${rel.split(path.sep).map(encodeURIComponent).join("/")}${fragment}`;
}

function refParserOptions(spec: Spec, copy: CheckedSchemas["copy"]) {
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
          if (!source || !copy.files.has(source.path)) throw new Error(`cannot parse ${file.url}`);
          // It replaces `$ref`s in place, so it gets a fresh copy (whose nodes keep their origins).
          return copyWithOrigins(source.value, copy.dropped, new Map(), copy.rewritten);
        },
      },
    },
    dereference: { circular: true },
  };
}

export function resolvePointer(value: unknown, pointer: string): unknown {
  let node = value;
  for (const token of splitPointer(pointer)) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Kinds of failure that the load stage and checkSchemaRefs report, with better places. */
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
 * Sets a key from the sources on an object as an own property. Assigning
 * `__proto__` would set the object's prototype instead (and the key would
 * vanish from tables and examples); a property or example key may be any name.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * Merges `allOf` into its schema: the parents first, in order, then the schema's
 * own keywords win. Objects merge deeply, `required` is united, nothing else is
 * dropped. Results are memoised per node, so shared and recursive schemas are
 * merged once. (A schema that inherits from itself was reported, and its
 * closing `$ref` removed, by checkSchemaRefs; the guard stays for safety.)
 */
export class AllOfMerger {
  private readonly merged = new Map<object, unknown>();
  private readonly inProgress = new Set<object>();
  /** Nodes known to reach no `allOf` and no loop (true), or not (false). */
  private readonly allOfFree = new Map<object, boolean>();

  /** `reuse`: the nodes merged are not shared with anyone else, so those that need no merging are kept, not copied. */
  constructor(private readonly reuse = false) {}

  merge(node: unknown): unknown {
    if (typeof node !== "object" || node === null) return node;
    const done = this.merged.get(node);
    if (done !== undefined) return done;
    if (this.reuse && this.free(node, new Set())) return node;
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
        if (typeof parent === "object" && parent !== null && this.inProgress.has(parent)) continue;
        const mergedParent = this.merge(parent);
        if (isObject(mergedParent)) mergeInto(out, mergedParent);
      }
    }
    const own: SchemaObject = {};
    for (const [key, value] of Object.entries(node)) if (key !== "allOf" || !Array.isArray(allOf)) setOwn(own, key, this.merge(value));
    mergeInto(out, own);
    this.inProgress.delete(node);
    return out;
  }

  /** True when nothing `node` reaches has an `allOf` or loops back (such a node is copied, as before). */
  private free(node: object, open: Set<object>): boolean {
    const known = this.allOfFree.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) return false;
    let free = Array.isArray(node) || !Object.hasOwn(node, "allOf");
    open.add(node);
    for (const child of Object.values(node)) {
      if (!free) break;
      if (typeof child === "object" && child !== null) free = this.free(child, open);
    }
    open.delete(node);
    this.allOfFree.set(node, free);
    return free;
  }
}

function mergeInto(target: SchemaObject, source: SchemaObject): void {
  for (const [key, value] of Object.entries(source))
    setOwn(target, key, combine(Object.hasOwn(target, key) ? target[key] : undefined, value, key));
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
  origins.copy(from, to);
}
