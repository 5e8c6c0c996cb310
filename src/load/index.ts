/**
 * The load stage: reads every source of a spec root into one in-memory index,
 * keyed by absolute path, and follows `$ref`s so that every file a schema or an
 * example needs (also outside the schema folder, e.g. `../../api/...`) is loaded.
 * This is the only stage that reads the disk.
 */
import { type Dirent, existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { BUILTIN_TEMPLATES, type Config, isWithin } from "../config.js";
import { type Diagnostic, error, warning } from "../diagnostics.js";
import { findRefs, type RefSite, refTarget } from "./refs.js";
import { at, parseData, type Source, type SourceKind } from "./source.js";
import { templateProblem } from "./templates.js";

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
    templates: new Map(),
    refs: new Map(),
  };
  loadTemplates(spec, diagnostics);
  const add = (file: string, kind: SourceKind) => {
    const source = cache.read(config, file, kind, diagnostics);
    if (source) spec.sources.set(file, source);
    return source;
  };
  const unreadable = (dir: string, e: Error) =>
    diagnostics.push(error("file-unreadable", `cannot read folder: ${e.message}`, { file: relPath(config, dir) }));
  for (const file of listFiles(config.schemas, isDataFile, unreadable)) pushIf(spec.schemas, add(file, "data"));
  for (const file of listFiles(config.examples, isDataFile, unreadable)) pushIf(spec.examples, add(file, "data"));
  for (const file of listFiles(config.pages, (f) => f.endsWith(".md"), unreadable)) pushIf(spec.pages, add(file, "page"));
  if (spec.schemas.length + spec.examples.length + spec.pages.length === 0 && diagnostics.length === 0) {
    const folders = [config.schemas, config.examples, config.pages].map((d) => relPath(config, d) || ".").join(", ");
    diagnostics.push(warning("spec-empty", `nothing to check: no schema, example or page files in ${folders}`));
  }
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
export function listFiles(dir: string, keep: (file: string) => boolean, onError?: (dir: string, e: Error) => void): string[] {
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
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      onError?.(d, e as Error);
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
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
  if (!isInside(config, file)) {
    // A symlink in a source folder must not let a spec print or publish the machine's files.
    diagnostics.push(
      error("file-outside-root", "is a symlink to a file outside the spec root; set allowExternalRefs: true to read it", where),
    );
    return undefined;
  }
  let bytes: Buffer;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) {
      diagnostics.push(error("file-unreadable", "not a regular file (a device, pipe or socket?)", where));
      return undefined;
    }
    const size = stat.size;
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
      // Located only when reported: locating parses the file a second time.
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
  return isWithin(real, config.root);
}

/**
 * The built-in templates, overridden by the root's own of the same name. An
 * override that does not compile is reported and the built-in one is kept, so
 * the rest of the site can still be checked.
 */
function loadTemplates(spec: Spec, diagnostics: Diagnostic[]): void {
  const { config } = spec;
  const name = (dir: string, file: string) => path.relative(dir, file).split(path.sep).join("/");
  const isTemplate = (f: string) => /\.(hbs|css|js)$/.test(f);
  for (const file of listFiles(BUILTIN_TEMPLATES, isTemplate))
    spec.templates.set(name(BUILTIN_TEMPLATES, file), readFileSync(file, "utf8"));
  const overrides: Source[] = [];
  for (const file of listFiles(config.templates, isTemplate, (dir, e) =>
    diagnostics.push(error("file-unreadable", `cannot read folder: ${e.message}`, { file: relPath(config, dir) })),
  )) {
    const source = readSource(config, file, "template", diagnostics);
    if (source) overrides.push(source);
  }
  const partials = new Set([...spec.templates.keys(), ...overrides.map((s) => name(config.templates, s.path))]);
  for (const source of overrides) {
    spec.sources.set(source.path, source);
    const problem = source.path.endsWith(".hbs") ? templateProblem(source.text, partials) : undefined;
    if (problem) {
      diagnostics.push(
        error("template-invalid", `${problem.message}; using the built-in template instead`, { file: source.rel, ...problem.at }),
      );
    } else {
      spec.templates.set(name(config.templates, source.path), source.text);
    }
  }
}
