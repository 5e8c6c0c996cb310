/**
 * The load stage: reads every source of a spec root into one in-memory index,
 * keyed by absolute path, and follows `$ref`s so that every file a schema or an
 * example needs (also outside the schema folder, e.g. `../../api/...`) is loaded.
 * This is the only stage that reads the disk.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { BUILTIN_TEMPLATES, type Config } from "../config.js";
import { type Diagnostic, error } from "../diagnostics.js";
import { findRefs, type RefSite, refTarget } from "./refs.js";
import { at, parseData, type Source, type SourceKind } from "./source.js";

export interface Spec {
  config: Config;
  /** Every loaded file, by absolute path. */
  sources: Map<string, Source>;
  schemas: Source[];
  examples: Source[];
  pages: Source[];
  /** Template name (file name without extension) → text; the root's own override the built-in ones. */
  templates: Map<string, string>;
  /** `$ref` edges: absolute path → absolute paths it refers to. */
  refs: Map<string, Set<string>>;
}

export interface LoadResult {
  spec: Spec;
  diagnostics: Diagnostic[];
}

/**
 * Files read so far, by path. A preview keeps one across rebuilds and forgets
 * the paths that changed; a cold build starts with an empty one. Either way the
 * result is the same.
 */
export class SourceCache {
  private readonly entries = new Map<string, { source?: Source; diagnostics: Diagnostic[] }>();

  read(config: Config, file: string, kind: SourceKind, diagnostics: Diagnostic[]): Source | undefined {
    let entry = this.entries.get(file);
    if (!entry || entry.source?.kind !== kind) {
      const own: Diagnostic[] = [];
      entry = { source: readSource(config, file, kind, own), diagnostics: own };
      this.entries.set(file, entry);
    }
    diagnostics.push(...entry.diagnostics);
    return entry.source;
  }

  forget(files: Iterable<string>): void {
    for (const file of files) this.entries.delete(file);
  }
}

export function loadSpec(config: Config, cache = new SourceCache()): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const spec: Spec = {
    config,
    sources: new Map(),
    schemas: [],
    examples: [],
    pages: [],
    templates: loadTemplates(config),
    refs: new Map(),
  };
  const add = (file: string, kind: SourceKind) => {
    const source = cache.read(config, file, kind, diagnostics);
    if (source) spec.sources.set(file, source);
    return source;
  };
  for (const file of listFiles(config.schemas, isDataFile)) pushIf(spec.schemas, add(file, "data"));
  for (const file of listFiles(config.examples, isDataFile)) pushIf(spec.examples, add(file, "data"));
  for (const file of listFiles(config.pages, (f) => f.endsWith(".md"))) pushIf(spec.pages, add(file, "page"));
  followRefs(spec, cache, diagnostics);
  return { spec, diagnostics };
}

function pushIf(list: Source[], source: Source | undefined) {
  if (source) list.push(source);
}

/** Data files are YAML or JSON, with or without an extension; prose beside them is skipped. */
function isDataFile(file: string): boolean {
  return !/\.(md|markdown|txt|rst|html?)$/i.test(file);
}

/** Files under `dir`, sorted, skipping dotfiles; symlinked folders are followed once. */
export function listFiles(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string) => {
    let real: string;
    try {
      real = realpathSync(d);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith(".")) continue;
      const full = path.join(d, entry.name);
      let isDir = entry.isDirectory();
      if (entry.isSymbolicLink()) isDir = statSync(full, { throwIfNoEntry: false })?.isDirectory() ?? false;
      if (isDir) walk(full);
      else if (keep(full)) out.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export function relPath(config: Config, file: string): string {
  return path.relative(config.root, file).split(path.sep).join("/");
}

/** Reads and parses one file; refuses oversized, binary and non-UTF-8 files. */
export function readSource(config: Config, file: string, kind: SourceKind, diagnostics: Diagnostic[]): Source | undefined {
  const rel = relPath(config, file);
  const where = { file: rel, line: 1, column: 1 };
  let bytes: Buffer;
  try {
    const size = statSync(file).size;
    if (size > config.maxFileSize) {
      diagnostics.push(error("file-too-large", `file is ${size} bytes, over the limit of ${config.maxFileSize} (maxFileSize)`, where));
      return undefined;
    }
    bytes = readFileSync(file);
  } catch (e) {
    diagnostics.push(error("file-unreadable", `cannot read file: ${(e as Error).message}`, where));
    return undefined;
  }
  if (bytes.includes(0)) {
    diagnostics.push(error("file-binary", "file holds binary data (NUL bytes), not text", where));
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    diagnostics.push(error("file-encoding", "file is not valid UTF-8 text", where));
    return undefined;
  }
  const source: Source = { path: file, rel, kind, text, value: undefined };
  if (kind === "data") diagnostics.push(...parseData(source));
  return source;
}

/**
 * Loads the files that `$ref`s point to, transitively, and records the edges.
 * Refs that leave the root or use the network are refused here unless the
 * config allows them, so no later stage can reach them.
 */
function followRefs(spec: Spec, cache: SourceCache, diagnostics: Diagnostic[]): void {
  const { config } = spec;
  const inside = new Map<string, boolean>();
  const isAllowed = (file: string) => {
    let ok = inside.get(file);
    if (ok === undefined) {
      ok = isInside(config, file);
      inside.set(file, ok);
    }
    return ok;
  };
  const queue = [...spec.sources.values()].filter((s) => s.kind === "data");
  while (queue.length > 0) {
    const source = queue.shift() as Source;
    const edges = new Set<string>();
    spec.refs.set(source.path, edges);
    for (const site of refSites(source)) {
      const target = refTarget(source.path, site.ref);
      const here = () => ({ ...at(source, `${site.pointer}/$ref`), pointer: site.pointer });
      if (target.kind === "network") {
        if (!config.allowNetworkRefs) {
          diagnostics.push(
            error("ref-network", `$ref "${site.ref}" points to the network; set allowNetworkRefs: true to allow it`, here()),
          );
        }
        continue;
      }
      if (target.kind === "unsupported") {
        diagnostics.push(error("ref-unsupported", `$ref "${site.ref}" is not a file path or URL specgen can read`, here()));
        continue;
      }
      if (target.path === source.path) continue;
      if (!isAllowed(target.path)) {
        diagnostics.push(
          error("ref-outside-root", `$ref "${site.ref}" leaves the spec root; set allowExternalRefs: true to allow it`, here()),
        );
        continue;
      }
      edges.add(target.path);
      if (spec.sources.has(target.path)) continue;
      if (!existsSync(target.path) || !statSync(target.path).isFile()) {
        diagnostics.push(error("ref-missing-file", `$ref "${site.ref}": no file ${relPath(config, target.path)}`, here()));
        continue;
      }
      const loaded = cache.read(config, target.path, "data", diagnostics);
      if (loaded) {
        spec.sources.set(target.path, loaded);
        queue.push(loaded);
      }
    }
  }
}

const refSitesOf = new WeakMap<Source, RefSite[]>();

/** The `$ref`s of a loaded file, found once. */
export function refSites(source: Source): RefSite[] {
  let sites = refSitesOf.get(source);
  if (!sites) {
    sites = findRefs(source.value);
    refSitesOf.set(source, sites);
  }
  return sites;
}

/** True when `file` (symlinks resolved) lies in the root, or anywhere if the config allows it. */
function isInside(config: Config, file: string): boolean {
  if (config.allowExternalRefs) return true;
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    real = path.resolve(file);
  }
  return real === config.root || real.startsWith(config.root + path.sep);
}

function loadTemplates(config: Config): Map<string, string> {
  const templates = new Map<string, string>();
  for (const dir of [BUILTIN_TEMPLATES, config.templates]) {
    for (const file of listFiles(dir, (f) => /\.(hbs|css|js)$/.test(f))) {
      templates.set(path.relative(dir, file).split(path.sep).join("/"), readFileSync(file, "utf8"));
    }
  }
  return templates;
}
