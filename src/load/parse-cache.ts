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
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const PARSER = `js-yaml ${(createRequire(import.meta.url)("js-yaml/package.json") as { version: string }).version}`;

interface CacheFile {
  parser: string;
  /** Hash of a file's text → its value as JSON text (parsed only when asked for: most runs use a few). */
  values: Record<string, string>;
}

export class ParseCache {
  private readonly known: Map<string, string>;
  private readonly used = new Map<string, string>();
  private changed = false;

  constructor(readonly file: string) {
    this.known = new Map(Object.entries(readCache(file)?.values ?? {}));
  }

  /** The value of a YAML text parsed in an earlier run, or undefined. */
  get(text: string): unknown {
    const key = hash(text);
    const json = this.known.get(key);
    if (json === undefined) return undefined;
    this.used.set(key, json);
    return JSON.parse(json);
  }

  /** Keeps the value of a freshly parsed YAML text, when JSON holds it exactly (`shares`: the text has aliases). */
  put(text: string, value: unknown, shares: boolean): void {
    if (shares || !jsonExact(value, 0)) return;
    // As JSON now: later stages must not change what is kept.
    this.used.set(hash(text), JSON.stringify(value));
    this.changed = true;
  }

  /** Writes the values this run used, atomically; an error says why it could not (the run's results stand). */
  save(): void {
    if (!this.changed && this.used.size === this.known.size) return;
    const data: CacheFile = { parser: PARSER, values: Object.fromEntries(this.used) };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      writeFileSync(temp, JSON.stringify(data));
      renameSync(temp, this.file);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
  }
}

function readCache(file: string): CacheFile | undefined {
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<CacheFile>;
    const ok = data.parser === PARSER && typeof data.values === "object" && data.values !== null;
    return ok && Object.values(data.values as object).every((v) => typeof v === "string") ? (data as CacheFile) : undefined;
  } catch {
    return undefined;
  }
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
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
