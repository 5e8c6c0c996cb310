/**
 * One source file: its text, its parsed value, and a way back from any node of
 * that value to its line and column.
 *
 * Values are parsed with the fast parsers (JSON.parse, js-yaml). js-yaml gives
 * no node positions, so positions come from a second, lazy reading: js-yaml
 * again with a listener (places.ts), or, for the shapes that reading does not
 * model, the `yaml` package's syntax tree, which keeps source ranges. Either
 * only runs for a file that has something to report, which keeps clean builds
 * at one parse per file.
 */
import { createRequire } from "node:module";
import yaml from "js-yaml";
import type { Node } from "yaml";
import { type Diagnostic, error } from "../diagnostics.js";
import { type JsonProblem, scanJson } from "./json.js";
import type { ParseCache } from "./parse-cache.js";
import { type Place, readPlaces } from "./places.js";

const require = createRequire(import.meta.url);

export type SourceKind = "data" | "page" | "template";

export interface Source {
  /** Absolute path. */
  path: string;
  /** Relative to the spec root, `/`-separated: the name used in diagnostics. */
  rel: string;
  kind: SourceKind;
  text: string;
  /** The parsed value of a data file; undefined for pages and for files that failed to parse. */
  value: unknown;
}

/** Where an object of a parsed value came from. */
export interface Origin {
  source: Source;
  readonly pointer: string;
}

/** A node's origin, unmade: `origins.ref` gives it, `origins.of` makes the Origin. */
export type OriginRef = object;

export interface Position {
  line: number;
  column: number;
}

/**
 * Every object and array of every parsed value, mapped to its file; its
 * pointer is found when asked, which few are (a diagnostic's place, an
 * inexact number). A record and a pointer string kept for every node of every
 * file were an eighth of a 30,000-event build's heap and its CPU time.
 */
class OriginIndex {
  /** A parsed node → its file: the first file registered that holds it. */
  private readonly files = new WeakMap<object, Source>();
  // Only objects made after loading (copies, merged nodes) are given origins, so no node is in two of these maps.
  /** A copy made by a later stage → the parsed node it comes from, whose origin it has. */
  private readonly copies = new WeakMap<object, object>();
  /** A made object given an origin that is no parsed node's (an API document's node, by file and pointer). */
  private readonly given = new WeakMap<object, Origin>();

  has(node: object): boolean {
    return this.files.has(node) || this.copies.has(node) || this.given.has(node);
  }

  get(node: object): Origin | undefined {
    const parsed = this.parsedNode(node);
    if (parsed) return new ParsedOrigin(this.files.get(parsed) as Source, parsed);
    return this.given.get(node);
  }

  /**
   * What `of` makes `node`'s origin from, for what is kept long (a field
   * table's rows): the parsed node it is or was copied from, or the origin it
   * was given. It is no new object, where an Origin made for each row was.
   */
  ref(node: object): OriginRef | undefined {
    return this.parsedNode(node) ?? this.given.get(node);
  }

  /** The origin `ref` stands for (see `ref`). */
  of(ref: OriginRef | undefined): Origin | undefined {
    if (ref === undefined) return undefined;
    const source = this.files.get(ref);
    // A given origin is never a parsed node: those are only registered by `register`.
    return source ? new ParsedOrigin(source, ref) : (ref as Origin);
  }

  /** The parsed node `node` is or was copied from (the node at its origin), if any. */
  parsedNode(node: object): object | undefined {
    return this.files.has(node) ? node : this.copies.get(node);
  }

  /** `node`, an object made after loading, comes from where `origin` points. */
  set(node: object, origin: Origin): void {
    if (origin instanceof ParsedOrigin) this.copies.set(node, origin.node);
    else this.given.set(node, origin);
  }

  /** `copy`, an object made after loading, has the origin of `original`, when that has one. */
  copy(original: object, copy: object): void {
    const parsed = this.parsedNode(original);
    if (parsed) this.copies.set(copy, parsed);
    else {
      const given = this.given.get(original);
      if (given) this.given.set(copy, given);
    }
  }

  /** Registers every node of a parsed value not registered yet: a node shared with an earlier file keeps that file. */
  register(source: Source, value: unknown): void {
    const walk = (node: unknown) => {
      if (typeof node !== "object" || node === null || this.has(node)) return;
      this.files.set(node, source);
      for (const child of Object.values(node)) walk(child);
    };
    walk(value);
  }

  /**
   * The pointers of the nodes registered to `source`, as registering met them
   * (depth first, a shared node at its first path). Only the last file asked
   * about is kept: the asking comes a file at a time.
   */
  pointers(source: Source): Map<object, string> {
    if (this.lastPointers?.source === source) return this.lastPointers.pointers;
    const pointers = new Map<object, string>();
    const walk = (node: unknown, pointer: string) => {
      if (typeof node !== "object" || node === null || pointers.has(node) || this.files.get(node) !== source) return;
      pointers.set(node, pointer);
      const prefix = `${pointer}/`;
      for (const [key, child] of Object.entries(node)) walk(child, prefix + escapePointer(key));
    };
    walk(source.value, "");
    this.lastPointers = { source, pointers };
    return pointers;
  }

  private lastPointers?: { source: Source; pointers: Map<object, string> };
}

class ParsedOrigin implements Origin {
  private found?: string;

  constructor(
    readonly source: Source,
    readonly node: object,
  ) {}

  get pointer(): string {
    this.found ??= origins.pointers(this.source).get(this.node) ?? "";
    return this.found;
  }
}

export const origins = new OriginIndex();

const MAX_DEPTH = 256;
const MAX_EXPANDED_NODES = 1_000_000;
/**
 * js-yaml stops at its own depth (100 unless told), counted its way: this one
 * lets through every value checkShape accepts, so that MAX_DEPTH is the limit.
 */
const YAML_OPTIONS = (filename: string) => ({ filename, maxDepth: MAX_DEPTH + 2 }); // places.ts parses to the same depth

/** Parses a data file; problems come back as diagnostics. `cache` holds YAML values of earlier runs. */
export function parseData(source: Source, cache?: ParseCache): Diagnostic[] {
  const text = source.text;
  if (text.trim() === "") return [error("parse-empty", "file is empty", { file: source.rel, line: 1, column: 1 })];
  const shares = ANCHOR.test(text) && ALIAS.test(text);
  let value: unknown;
  try {
    if (looksLikeJson(source)) value = parseJson(source);
    else {
      value = cache?.get(text);
      if (value === undefined) {
        value = yaml.load(text, YAML_OPTIONS(source.rel));
        cache?.put(text, value, shares);
      }
    }
  } catch (e) {
    return [e instanceof JsonFailure ? jsonFailure(source, e.problem) : parseFailure(source, e)];
  }
  const problem = checkShape(value, shares);
  if (problem) return [error("parse-too-complex", problem, { file: source.rel, line: 1, column: 1 })];
  source.value = value;
  if (cache) positionCaches.set(source, cache);
  if (shares) sharing.add(source);
  origins.register(source, value);
  return [];
}

/** A YAML anchor (`&name`) and alias (`*name`) where a node may start; text that has no pair of them is a tree. */
const ANCHOR = /(?:^|[\s[{,:])&[^\s[\]{},]/m;
const ALIAS = /(?:^|[\s[{,:])\*[^\s[\]{},]/m;

/** Data files read with a parse cache, which also keeps the positions found in them. */
const positionCaches = new WeakMap<Source, ParseCache>();

/** Sources whose parsed value may reach one node on two paths (YAML aliases). */
const sharing = new WeakSet<Source>();

/**
 * Whether the parsed value of `source` may reach a node on two paths. A walk
 * over a value that cannot needs no set of visited nodes.
 */
export function sharesNodes(source: Source): boolean {
  return sharing.has(source);
}

function looksLikeJson(source: Source): boolean {
  return source.rel.endsWith(".json") || /^\s*[[{]/.test(source.text);
}

class JsonFailure extends Error {
  constructor(readonly problem: JsonProblem) {
    super(problem.message);
  }
}

/**
 * JSON.parse, then a scan for duplicate keys (which JSON.parse hides). A file
 * without the `.json` extension that is not JSON may still be YAML in flow style.
 */
function parseJson(source: Source): unknown {
  let value: unknown;
  try {
    value = JSON.parse(source.text);
  } catch (e) {
    const problem = scanJson(source.text);
    if (source.rel.endsWith(".json")) throw problem ? new JsonFailure(problem) : e;
    try {
      return yaml.load(source.text, YAML_OPTIONS(source.rel));
    } catch (yamlError) {
      throw problem ? new JsonFailure(problem) : yamlError;
    }
  }
  const duplicate = scanJson(source.text);
  if (duplicate) throw new JsonFailure(duplicate);
  return value;
}

function jsonFailure(source: Source, problem: JsonProblem): Diagnostic {
  const message = problem.code === "parse-syntax" ? `JSON syntax error: ${problem.message}` : problem.message;
  return error(problem.code, message, { file: source.rel, ...offsetToPosition(source, problem.offset) });
}

function parseFailure(source: Source, e: unknown): Diagnostic {
  if (e instanceof yaml.YAMLException) {
    const mark = e.mark;
    const where = { file: source.rel, line: mark ? mark.line + 1 : 1, column: mark ? mark.column + 1 : 1 };
    if (/^duplicated mapping key/.test(e.reason)) {
      const key = mark ? /^[^\n:]*?(?=\s*:)/.exec(source.text.slice(mark.position, mark.position + 200))?.[0] : undefined;
      return error("parse-duplicate-key", `duplicate key${key ? ` "${key.replace(/^(["'])(.*)\1$/, "$2")}"` : ""}`, where);
    }
    if (/^nesting exceeded maxDepth/.test(e.reason))
      return error("parse-too-complex", `YAML nesting is deeper than ${MAX_DEPTH} levels`, where);
    return error("parse-syntax", `syntax error: ${e.reason}`, where);
  }
  if (e instanceof RangeError) {
    return error("parse-too-complex", "nesting is too deep to parse", { file: source.rel, line: 1, column: 1 });
  }
  return error("parse-syntax", `cannot parse: ${(e as Error).message}`, { file: source.rel, line: 1, column: 1 });
}

/**
 * Refuses values that later stages cannot walk safely: nesting deeper than
 * MAX_DEPTH, and YAML aliases that expand into a huge tree (an "alias bomb":
 * js-yaml shares aliased nodes, so the tree is only large when walked).
 */
function checkShape(value: unknown, shares: boolean): string | undefined {
  // Without shared nodes nothing is met twice: no sizes to remember, no cycles to find.
  const sizes = shares ? new Map<object, number>() : undefined;
  const onPath = shares ? new Set<object>() : undefined;
  let problem: string | undefined;
  const size = (node: unknown, depth: number): number => {
    if (problem || typeof node !== "object" || node === null) return 1;
    if (depth > MAX_DEPTH) {
      problem = `nesting is deeper than ${MAX_DEPTH} levels`;
      return 1;
    }
    const known = sizes?.get(node);
    if (known !== undefined) return known;
    if (onPath?.has(node)) {
      problem = "a YAML alias refers to a node that contains it";
      return 1;
    }
    onPath?.add(node);
    let total = 1;
    for (const child of Object.values(node)) total += size(child, depth + 1);
    onPath?.delete(node);
    sizes?.set(node, total);
    if (total > MAX_EXPANDED_NODES) problem = `the document expands to more than ${MAX_EXPANDED_NODES} nodes (YAML aliases?)`;
    return total;
  };
  size(value, 0);
  return problem;
}

export function escapePointer(token: string): string {
  // Most keys hold neither character, and then no new string is made.
  return token.includes("~") || token.includes("/") ? token.replace(/~/g, "~0").replace(/\//g, "~1") : token;
}

export function unescapePointer(token: string): string {
  return token.includes("~") ? token.replace(/~1/g, "/").replace(/~0/g, "~") : token;
}

export function splitPointer(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map(unescapePointer);
}

export function joinPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => `/${escapePointer(String(t))}`).join("");
}

const lineStartsOf = new WeakMap<Source, number[]>();
const syntaxTrees = new WeakMap<Source, Node | null>();
const placesOf = new WeakMap<Source, Place | null>();

function lineStarts(source: Source): number[] {
  let starts = lineStartsOf.get(source);
  if (!starts) {
    starts = [0];
    for (let i = 0; i < source.text.length; i++) if (source.text.charCodeAt(i) === 10) starts.push(i + 1);
    lineStartsOf.set(source, starts);
  }
  return starts;
}

let yamlModule: typeof import("yaml") | undefined;

/** The `yaml` package, required on first use (not `import`: the bundle would evaluate it at every start). */
function yamlPackage(): typeof import("yaml") {
  yamlModule ??= require("yaml") as typeof import("yaml");
  return yamlModule;
}

/** The `yaml` syntax tree of a data file, parsed on first use. */
function syntaxTree(source: Source): Node | null {
  let root = syntaxTrees.get(source);
  if (root === undefined) {
    root = null;
    if (source.kind === "data") {
      try {
        root = yamlPackage().parseDocument(source.text, { uniqueKeys: false }).contents as Node | null;
      } catch {
        root = null;
      }
    }
    syntaxTrees.set(source, root);
  }
  return root;
}

export function offsetToPosition(source: Source, offset: number): Position {
  const starts = lineStarts(source);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/**
 * The position of the node at `pointer`, or of its nearest existing ancestor
 * (a missing property is reported at the object that lacks it). A value is
 * located at its key, where a reader looks for it; `at: "value"` gives the
 * start of the value itself (the first line of a block scalar's text).
 */
export function locate(source: Source, pointer: string, at: "key" | "value" = "key"): Position {
  const cache = positionCaches.get(source);
  const known = cache?.position(source.text, pointer, at);
  if (known) return known;
  const place = findPlace(source, pointer, at);
  const position = place
    ? offsetToPosition(source, at === "value" ? textStartAt(source, place.offset) : place.offset)
    : locateInTree(source, pointer, at);
  cache?.putPosition(source.text, pointer, at, position);
  return position;
}

/** locate by the `yaml` syntax tree: what the cheap reading falls back on, and the reference it is tested against. */
export function locateInTree(source: Source, pointer: string, at: "key" | "value" = "key"): Position {
  const found = findNode(source, pointer, at);
  const offset = at === "value" && found.node ? textStart(source, found.node, found.offset) : found.offset;
  return offsetToPosition(source, offset);
}

/**
 * The node at `pointer` (or its nearest existing ancestor) by the cheap
 * reading of places (places.ts), with locate's offset; undefined when that
 * reading cannot vouch for the file.
 */
function findPlace(source: Source, pointer: string, at: "key" | "value"): { node: Place; offset: number; complete: boolean } | undefined {
  let root = placesOf.get(source);
  if (root === undefined) {
    root = source.kind === "data" ? (readPlaces(source.text) ?? null) : null;
    placesOf.set(source, root);
  }
  if (root === null) return undefined;
  let node = root;
  let offset = node.start;
  for (const token of splitPointer(pointer)) {
    const entry = node.entries?.get(token);
    const item = node.items?.[Number(token)];
    if (entry) {
      offset = at === "value" ? entry.value.start : entry.key;
      node = entry.value;
    } else if (item) {
      offset = item.start;
      node = item;
    } else return { node, offset, complete: false };
  }
  return { node, offset, complete: true };
}

/** A block scalar's text starts on the line after its `|` or `>` header (no other node starts with either). */
function textStartAt(source: Source, offset: number): number {
  if (source.text[offset] !== "|" && source.text[offset] !== ">") return offset;
  const next = source.text.indexOf("\n", offset);
  return next >= 0 ? next + 1 : offset;
}

/**
 * The source range [start, end) of the value at `pointer` (a block scalar's
 * from its first line of text), or undefined when the file has no such node.
 */
export function valueRange(source: Source, pointer: string): [number, number] | undefined {
  const place = findPlace(source, pointer, "value");
  if (place?.complete && place.node.end !== undefined) return [textStartAt(source, place.offset), place.node.end];
  return valueRangeInTree(source, pointer);
}

/** valueRange by the `yaml` syntax tree (see locateInTree). */
export function valueRangeInTree(source: Source, pointer: string): [number, number] | undefined {
  const found = findNode(source, pointer, "value");
  if (!found.complete || !found.node?.range) return undefined;
  return [textStart(source, found.node, found.node.range[0]), found.node.range[1]];
}

/** The 0-based line's first offset. */
export function lineOffset(source: Source, line: number): number {
  const starts = lineStarts(source);
  return line < starts.length ? starts[Math.max(0, line)] : source.text.length;
}

function findNode(source: Source, pointer: string, at: "key" | "value"): { node: Node | null; offset: number; complete: boolean } {
  let node: Node | null = syntaxTree(source);
  const { isMap, isSeq } = yamlPackage();
  let offset = node?.range?.[0] ?? 0;
  for (const token of splitPointer(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === token);
      if (!pair) return { node, offset, complete: false };
      const key = pair.key as Node | null;
      const value = pair.value as Node | null;
      offset = (at === "value" ? value?.range?.[0] : undefined) ?? key?.range?.[0] ?? value?.range?.[0] ?? offset;
      node = value;
    } else if (isSeq(node)) {
      const item = node.items[Number(token)] as Node | undefined;
      if (!item) return { node, offset, complete: false };
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return { node, offset, complete: false };
    }
  }
  return { node, offset, complete: true };
}

/** A block scalar's text starts on the line after its `|` or `>` header. */
function textStart(source: Source, node: Node, offset: number): number {
  if (!("type" in node) || (node.type !== "BLOCK_LITERAL" && node.type !== "BLOCK_FOLDED")) return offset;
  const next = source.text.indexOf("\n", offset);
  return next >= 0 ? next + 1 : offset;
}

function keyText(key: unknown): string | undefined {
  if (key && typeof key === "object" && "value" in key) return String((key as { value: unknown }).value);
  return key == null ? undefined : String(key);
}

/** The diagnostic fields that point at `pointer` in `source`. */
export function at(source: Source, pointer: string): Pick<Diagnostic, "file" | "line" | "column"> {
  return { file: source.rel, ...locate(source, pointer) };
}
