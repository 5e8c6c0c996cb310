/**
 * The parsed values of YAML files, kept on disk between runs and keyed by a
 * hash of each file's text (`--cache`): a run parses only the files that
 * changed since the last one. Parsing YAML is the largest single cost of a
 * fresh process on a small spec, and reading a value back as JSON is several
 * times faster.
 *
 * Results stay identical: a value is kept only when JSON holds it exactly (a
 * tree of null, booleans, finite numbers, strings, arrays and plain objects;
 * js-yaml also makes dates, binary data and shared nodes), and the cache file
 * names the js-yaml version that made it. A cache file that does not read, or
 * that another version wrote, is ignored and written anew. Only the files of
 * the last run are kept, so the cache never grows beyond the spec.
 *
 * It also keeps the positions that diagnostics asked for (a pointer's line
 * and column is a function of the text alone): finding them means parsing
 * the file again, with a listener.
 *
 * The cache is trusted input, like node_modules: its values are used as they
 * are (src/cache-file.ts says what guards it).
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { readCacheFile, writeCacheFile } from "../cache-file.js";
import type { Position } from "./source.js";

const require = createRequire(import.meta.url);

const PARSER = `js-yaml ${(require("js-yaml/package.json") as { version: string }).version}`;

interface CacheFile {
  parser: string;
  /** Hash of a file's text → its value as JSON text (parsed only when asked for: most runs use a few). */
  values: Record<string, string>;
  /** Hash of a file's text → located pointer (with how: `key` or `value`) → position. */
  positions: Record<string, Record<string, Position>>;
}

export class ParseCache {
  private readonly known: Map<string, string>;
  private readonly knownPositions: Map<string, Record<string, Position>>;
  private readonly used = new Map<string, string>();
  private readonly usedPositions = new Map<string, Record<string, Position>>();
  private readonly hashes = new Map<string, string>();
  private changed = false;

  constructor(readonly file: string) {
    const data = readCache(file);
    this.known = new Map(Object.entries(data?.values ?? {}));
    this.knownPositions = new Map(Object.entries(data?.positions ?? {}));
  }

  /** The value of a YAML text parsed in an earlier run, or undefined. */
  get(text: string): unknown {
    const key = this.hash(text);
    const json = this.known.get(key);
    if (json === undefined) return undefined;
    this.used.set(key, json);
    return JSON.parse(json);
  }

  /** Keeps the value of a freshly parsed YAML text, when JSON holds it exactly (`shares`: the text has aliases). */
  put(text: string, value: unknown, shares: boolean): void {
    if (shares || !jsonExact(value, 0)) return;
    // As JSON now: later stages must not change what is kept.
    this.used.set(this.hash(text), JSON.stringify(value));
    this.changed = true;
  }

  /** The position of `pointer` in `text` found in this or an earlier run (`how`: locate's `key` or `value`), or undefined. */
  position(text: string, pointer: string, how: string): Position | undefined {
    const key = this.hash(text);
    let positions = this.usedPositions.get(key);
    if (!positions) {
      positions = { ...this.knownPositions.get(key) };
      this.usedPositions.set(key, positions);
    }
    return positions[`${how}${pointer}`];
  }

  putPosition(text: string, pointer: string, how: string, position: Position): void {
    const positions = this.usedPositions.get(this.hash(text));
    if (positions) positions[`${how}${pointer}`] = { line: position.line, column: position.column };
    this.changed = true;
  }

  private hash(text: string): string {
    let key = this.hashes.get(text);
    if (key === undefined) {
      key = createHash("sha256").update(text).digest("base64url");
      this.hashes.set(text, key);
    }
    return key;
  }

  /** Writes the values and positions this run used, atomically; an error says why it could not (the run's results stand). */
  save(): void {
    if (!this.changed && this.used.size === this.known.size && this.usedPositions.size === this.knownPositions.size) return;
    const data: CacheFile = { parser: PARSER, values: Object.fromEntries(this.used), positions: Object.fromEntries(this.usedPositions) };
    writeCacheFile(this.file, JSON.stringify(data));
  }
}

function readCache(file: string): CacheFile | undefined {
  try {
    const text = readCacheFile(file);
    if (text === undefined) return undefined;
    const data = JSON.parse(text) as Partial<CacheFile>;
    if (data.parser !== PARSER || !isRecord(data.values) || !isRecord(data.positions)) return undefined;
    const valid =
      Object.values(data.values).every((v) => typeof v === "string") &&
      Object.values(data.positions).every(
        (p) => isRecord(p) && Object.values(p).every((q) => isRecord(q) && Number.isInteger(q.line) && Number.isInteger(q.column)),
      );
    return valid ? (data as CacheFile) : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Whether JSON.parse(JSON.stringify(value)) gives the same value back (nesting is bounded by the parse's own check). */
function jsonExact(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (depth > 512) return false;
      if (Array.isArray(value)) return value.every((v) => jsonExact(v, depth + 1));
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!jsonExact((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}
