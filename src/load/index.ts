/**
 * The load stage: reads every source of a spec root into one in-memory index,
 * keyed by absolute path, and follows `$ref`s so that every file a schema or an
 * example needs (also outside the schema folder, e.g. `../../api/...`) is loaded.
 * This is the only stage that reads the disk.
 */
import type { Dirent } from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import { BUILTIN_TEMPLATES, type Config, isWithin } from "../config.js";
import { type Diagnostic, error, warning } from "../diagnostics.js";
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from "../trace.js";
import { readHabits } from "./habits.js";
import type { ParseCache } from "./parse-cache.js";
import { findRefs, type RefSite, type RefTarget, refTarget } from "./refs.js";
import { at, parseData, type Source, type SourceKind, sharesNodes } from "./source.js";
import { substitute } from "./substitute.js";
import { templateProblem } from "./templates.js";

export interface Spec {
  config: Config;
  /** Every loaded file, by absolute path. */
  sources: Map<string, Source>;
  schemas: Source[];
  examples: Source[];
  pages: Source[];
  /** Every data file of the API folder: API documents, their definitions, their example files. */
  apis: Source[];
  /** Schema files outside the listed folders that pages name as definitions (Layout.namedData). */
  named: Source[];
  /** Every data file the pages name as a definition (Layout.namedData), loaded elsewhere or not. */
  namedFiles: Set<string>;
  /** Template name (file name without extension) → text; the root's own override the built-in ones. */
  templates: Map<string, string>;
  /** `$ref` edges: absolute path → absolute paths it refers to. */
  refs: Map<string, Set<string>>;
  /**
   * `$ref`s that resolve only the way the 2020 pipeline resolved them, relative
   * to the target of the `$ref` whose siblings hold them: `path#pointer` of the
   * object holding the `$ref` → where it points (see refTargetAt).
   */
  redirects: Map<string, RefTarget>;
  /** Data files that hold examples rather than schemas: the examples folder's, and those only example `$ref`s reach. */
  exampleFiles: Set<string>;
}

export interface LoadResult {
  spec: Spec;
  diagnostics: Diagnostic[];
}

/**
 * Files read so far, by path. A preview keeps one across rebuilds and forgets
 * the paths that changed; a cold build starts with an empty one. Either way the
 * result is the same.
 *
 * It also keeps what does not change while the same files exist: the folders'
 * listings and templates, and where each file's `$ref`s lead. A changed path
 * that was not a loaded or listed file, or that is no longer a file (something
 * was added, removed or renamed), drops them all.
 */
export class SourceCache {
  /** `parsed`: YAML values kept on disk from earlier runs (`--cache`). */
  constructor(readonly parsed?: ParseCache) {}

  private readonly entries = new Map<string, { source?: Source; diagnostics: Diagnostic[]; from: string }>();
  /** The last load's listings and templates. */
  listing?: Listing;
  /** Each file's `$ref` walk, while no file was added or removed (its results depend on which files exist). */
  refWalks = new WeakMap<Source, RefWalk>();

  /** Reads `file`, or the file `from` that a link file shows at that path. */
  read(config: Config, file: string, kind: SourceKind, diagnostics: Diagnostic[], from = file): Source | undefined {
    let entry = this.entries.get(file);
    if (!entry || entry.source?.kind !== kind || entry.from !== from) {
      const own: Diagnostic[] = [];
      entry = { source: readSource(config, file, kind, own, from, this.parsed), diagnostics: own, from };
      this.entries.set(file, entry);
    }
    if (entry.diagnostics.length > 0) diagnostics.push(...entry.diagnostics);
    return entry.source;
  }

  forget(files: Iterable<string>): void {
    const gone = new Set(files);
    if (gone.size === 0) return;
    const known = this.listing?.known;
    if (!known || [...gone].some((file) => !known.has(file) || !exists(file))) {
      this.listing = undefined;
      this.refWalks = new WeakMap();
    }
    for (const [file, entry] of this.entries) if (gone.has(file) || gone.has(entry.from)) this.entries.delete(file);
  }
}

/** What listing the folders and reading the templates found. */
interface Listing {
  schemas: string[];
  examples: string[];
  pages: string[];
  apis: string[];
  templates: Map<string, string>;
  /** The template overrides that were read, by path. */
  overrides: Source[];
  diagnostics: Diagnostic[];
  /** Every file listed or loaded through a `$ref` (not a template): a change to any other path may add a file. */
  known: Set<string>;
}

/** What following one file's `$ref`s found, replayed while the file and the set of files are the same. */
interface RefWalk {
  edges: Set<string>;
  fromSchema: Set<string>;
  redirects: [string, RefTarget][];
  diagnostics: Diagnostic[];
  /** The files its `$ref`s reach, in order, each with the pointer of the object holding the `$ref` (for the diagnostic when the file is missing). */
  targets: { path: string; ref: string; pointer: string }[];
  /** Where each target is read from (a link file may show it), or null when it is missing; made when a target is first looked for. */
  from?: Map<string, string | null>;
}

export function loadSpec(config: Config, cache = new SourceCache()): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const listing = cache.listing ?? listFolders(config);
  cache.listing = listing;
  const spec: Spec = {
    config,
    sources: new Map(),
    schemas: [],
    examples: [],
    pages: [],
    apis: [],
    named: [],
    namedFiles: new Set(),
    templates: listing.templates,
    refs: new Map(),
    redirects: new Map(),
    exampleFiles: new Set(),
  };
  diagnostics.push(...listing.diagnostics);
  for (const source of listing.overrides) spec.sources.set(source.path, source);
  const add = (list: Source[], file: string, kind: SourceKind) => {
    const source = cache.read(config, file, kind, diagnostics);
    if (!source) return;
    spec.sources.set(file, source);
    list.push(source);
  };
  for (const file of listing.schemas) add(spec.schemas, file, "data");
  for (const file of listing.examples) add(spec.examples, file, "data");
  for (const file of listing.pages) add(spec.pages, file, "page");
  for (const file of listing.apis) add(spec.apis, file, "data");
  // Read on every load, as the pages say now: a page naming another file needs no new listing.
  spec.namedFiles = new Set(config.layout.namedData?.(config, spec.pages));
  for (const file of spec.namedFiles) {
    if (!spec.sources.has(file) && isInside(config, file)) add(spec.named, file, "data");
  }
  if (spec.schemas.length + spec.examples.length + spec.pages.length + spec.apis.length === 0 && diagnostics.length === 0) {
    const folders = [config.schemas, config.examples, config.pages].map((d) => relPath(config, d) || ".").join(", ");
    diagnostics.push(warning("spec-empty", `nothing to check: no schema, example or page files in ${folders}`));
  }
  const schemaEdges = followRefs(spec, cache, diagnostics);
  // Not the templates: a change to one is read again with the listing.
  for (const [file, source] of spec.sources) if (source.kind !== "template") listing.known.add(file);
  spec.exampleFiles = exampleFiles(spec, schemaEdges);
  return { spec, diagnostics };
}

/** Lists the source folders and reads the templates. */
function listFolders(config: Config): Listing {
  const diagnostics: Diagnostic[] = [];
  const unreadable = (dir: string, e: Error) =>
    diagnostics.push(error("file-unreadable", `cannot read folder: ${e.message}`, { file: relPath(config, dir) }));
  const bound: LinkBound | undefined = config.allowExternalRefs
    ? undefined
    : {
        root: config.root,
        outside: (link) =>
          diagnostics.push(
            error("file-outside-root", "is a symlink to a folder outside the spec root; set allowExternalRefs: true to read it", {
              file: relPath(config, link),
            }),
          ),
      };
  const templates = loadTemplates(config, diagnostics, bound);
  const included = excluder(config);
  const list = (dir: string, keep: (file: string) => boolean, followLinks = true) =>
    listFiles(dir, (f) => keep(f) && included(f), unreadable, followLinks, included, bound);
  const listing: Listing = {
    schemas: list(config.schemas, isEventFolderFile),
    examples: list(config.examples, isEventFolderFile),
    pages: list(config.pages, (f) => {
      if (config.layout.isPageFile(f)) return true;
      // Nothing is silently ignored: a page in a format this layout does not read is reported.
      if (PAGE_LIKE.test(f) && included(f)) {
        diagnostics.push(
          warning(
            "page-format-unknown",
            `${path.basename(f)} looks like a page, but the ${config.layout.name} layout does not read this format; it is not built`,
            {
              file: relPath(config, f),
            },
          ),
        );
      }
      return false;
    }),
    // Links in the API folder (definitions/event-schemas) are followed by `$ref`s, not listed: what they show is listed where it lives.
    apis: list(config.apis, (f) => DATA_EXTENSION.test(f) && linkedFolder(f) === undefined, false),
    ...templates,
    diagnostics,
    known: new Set(),
  };
  for (const list of [listing.schemas, listing.examples, listing.pages, listing.apis]) for (const file of list) listing.known.add(file);
  return listing;
}

/** Prose formats a page could be written in. */
const PAGE_LIKE = /\.(md|markdown|rst|txt|adoc|asciidoc|org|html?|tex)$/i;

/** YAML or JSON, by extension: what the API folder lists (a checkout keeps viewers, scripts and notes beside the documents). */
const DATA_EXTENSION = /\.(ya?ml|json)$/i;

/** Prose, code and images: never spec data, wherever they sit. */
const OTHER_FORMAT = /\.(md|markdown|txt|rst|html?|[cm]?js|ts|css|py|sh|png|jpe?g|gif|svg|webp|ico|pdf)$/i;

/**
 * A file of the schema or example folder: files there are named by event type,
 * with or without `.yaml`/`.json` (`m.room.message$m.text` has no extension of
 * its own), so everything but prose, code and images is data.
 */
function isEventFolderFile(file: string): boolean {
  return !OTHER_FORMAT.test(file);
}

/** The config's `exclude:` globs as a test on absolute paths: true for a path no folder lists. */
function excluder(config: Config): (file: string) => boolean {
  if (config.exclude.length === 0) return () => true;
  const matches = picomatch([...config.exclude], { dot: true });
  return (file) => !matches(relPath(config, file));
}

/** Where symlinked folders may lead: a link to a folder outside `root` is reported, never walked. */
export interface LinkBound {
  root: string;
  outside(link: string): void;
}

/**
 * Files under `dir`, sorted, skipping dotfiles and the folders `walkInto`
 * refuses; symlinked folders are followed once (unless `followLinks` is
 * false), and only inside `bound` when given. Nothing here throws: a folder
 * or link that cannot be read goes to `onError`.
 */
export function listFiles(
  dir: string,
  keep: (file: string) => boolean,
  onError?: (dir: string, e: Error) => void,
  followLinks = true,
  walkInto: (dir: string) => boolean = () => true,
  bound?: LinkBound,
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string) => {
    let real: string;
    try {
      real = realpathSync.native(d);
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
    // What path.join would give, without normalising each name again.
    const prefix = d.endsWith(path.sep) ? d : `${d}${path.sep}`;
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith(".")) continue;
      const full = `${prefix}${entry.name}`;
      if (entry.isSymbolicLink()) {
        if (!followLinks) continue;
        const target = linkTarget(full);
        if (target instanceof Error) {
          // Not followed (`/proc/1/cwd`: EACCES); where it was written to lead still says whether it leaves the root.
          if (bound && !isWithin(target.written, bound.root)) bound.outside(full);
          else onError?.(full, target);
          continue;
        }
        if (target?.isDir) {
          // Never walked, never listed: one diagnostic at the link, not the names of what it points to.
          if (bound && !isWithin(target.real, bound.root)) bound.outside(full);
          else if (walkInto(full)) walk(full);
          continue;
        }
        // A link to a file (or a dangling one): read, or refused, where it is read.
      } else if (entry.isDirectory()) {
        if (walkInto(full)) walk(full);
        continue;
      }
      if (keep(full)) out.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** What a symlink points to: undefined when dangling; an Error (with where the link says it leads) when it cannot be followed. */
function linkTarget(link: string): { real: string; isDir: boolean } | (Error & { written: string }) | undefined {
  try {
    const real = realpathSync.native(link);
    return { real, isDir: statSync(real).isDirectory() };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    let written = link;
    try {
      written = path.resolve(path.dirname(link), readlinkSync(link));
    } catch {
      // not readable either: reported as unreadable
    }
    return Object.assign(e as Error, { written });
  }
}

/** The line and column (in characters, 1-based) of byte `offset`, from the valid text before it. */
function bytePosition(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    lineStart = i + 1;
  }
  const before = bytes
    .subarray(lineStart, offset)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  return { line, column: [...before].length + 1 };
}

/** The offset of the first byte that is not part of well-formed UTF-8 (as TextDecoder's fatal mode reads it). */
export function invalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: how many continuation bytes, and the allowed range of the first (no overlongs, surrogates or > U+10FFFF).
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

export function relPath(config: Config, file: string): string {
  // Loaded paths are normalised: one under the root is the root, a separator, and the rest.
  const under = `${config.root}${path.sep}`;
  const rel = file.startsWith(under) ? file.slice(under.length) : path.relative(config.root, file);
  return path.sep === "/" ? rel : rel.split(path.sep).join("/");
}

/**
 * Reads and parses one file; refuses oversized, binary and non-UTF-8 files.
 * `from` is the file to read when `file` is a path through a link file.
 * Data files get their substitutions.
 */
/** One decoder for every file (a call without `stream` keeps nothing between files). */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

export function readSource(
  config: Config,
  file: string,
  kind: SourceKind,
  diagnostics: Diagnostic[],
  from = file,
  parsed?: ParseCache,
): Source | undefined {
  const rel = relPath(config, file);
  const where = { file: rel, line: 1, column: 1 };
  if (!isInside(config, from)) {
    // A symlink in a source folder must not let a spec print or publish the machine's files.
    diagnostics.push(
      error("file-outside-root", "is a symlink to a file outside the spec root; set allowExternalRefs: true to read it", where),
    );
    return undefined;
  }
  let bytes: Buffer;
  try {
    const stat = statSync(from);
    if (!stat.isFile()) {
      diagnostics.push(error("file-unreadable", "not a regular file (a device, pipe or socket?)", where));
      return undefined;
    }
    const size = stat.size;
    if (size > config.maxFileSize) {
      diagnostics.push(error("file-too-large", `file is ${size} bytes, over the limit of ${config.maxFileSize} (maxFileSize)`, where));
      return undefined;
    }
    bytes = readFileSync(from);
  } catch (e) {
    diagnostics.push(error("file-unreadable", `cannot read file: ${(e as Error).message}`, where));
    return undefined;
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    diagnostics.push(error("file-binary", "file holds binary data (NUL bytes), not text", { file: rel, ...bytePosition(bytes, nul) }));
    return undefined;
  }
  let text: string;
  try {
    text = UTF8.decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    const bad = invalidUtf8(bytes);
    diagnostics.push(error("file-encoding", "file is not valid UTF-8 text", { file: rel, ...bytePosition(bytes, bad) }));
    return undefined;
  }
  const source: Source = { path: file, rel, kind, text, value: undefined };
  if (kind === "data") diagnostics.push(...parseData(source, parsed));
  if (source.value !== undefined) diagnostics.push(...substitute(source, config.substitutions));
  if (source.value !== undefined && !isInsideFolder(file, config.examples)) diagnostics.push(...readHabits(source));
  return source;
}

/**
 * Loads the files that `$ref`s point to, transitively, and records the edges.
 * Refs that leave the root or use the network are refused here unless the
 * config allows them, so no later stage can reach them. Returns the edges that
 * a schema position makes (not those inside examples).
 */
function followRefs(spec: Spec, cache: SourceCache, diagnostics: Diagnostic[]): Map<string, Set<string>> {
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
  const schemaEdges = new Map<string, Set<string>>();
  const queue = [...spec.sources.values()].filter((s) => s.kind === "data");
  // An index, not shift(): shifting a queue of thousands of files moves all of them, for each one.
  for (let next = 0; next < queue.length; next++) {
    const source = queue[next];
    let walk = cache.refWalks.get(source);
    if (!walk) {
      walk = walkRefs(spec, source, isAllowed);
      cache.refWalks.set(source, walk);
    }
    spec.refs.set(source.path, walk.edges);
    schemaEdges.set(source.path, walk.fromSchema);
    for (const [key, target] of walk.redirects) spec.redirects.set(key, target);
    if (walk.diagnostics.length > 0) diagnostics.push(...walk.diagnostics);
    for (const target of walk.targets) {
      if (spec.sources.has(target.path)) continue;
      walk.from ??= new Map();
      let from = walk.from.get(target.path);
      if (from === undefined) {
        const found = exists(target.path) ? target.path : throughLinkFiles(target.path);
        from = found !== undefined && isAllowed(found) ? found : null;
        walk.from.set(target.path, from);
      }
      if (from === null) {
        const place = refPlace(source, target.pointer);
        diagnostics.push(error("ref-missing-file", `$ref "${target.ref}": no file ${relPath(config, target.path)}`, place));
        continue;
      }
      const loaded = cache.read(config, target.path, "data", diagnostics, from);
      if (loaded) {
        spec.sources.set(target.path, loaded);
        queue.push(loaded);
      }
    }
  }
  return schemaEdges;
}

/** Where one file's `$ref`s lead, and what is wrong with them, short of reading the files they reach. */
function walkRefs(spec: Spec, source: Source, isAllowed: (file: string) => boolean): RefWalk {
  const { config } = spec;
  const walk: RefWalk = { edges: new Set(), fromSchema: new Set(), redirects: [], diagnostics: [], targets: [] };
  // The file each `$ref` object's siblings are read against, by pointer (the 2020 pipeline's habit).
  const bases: { pointer: string; file: string }[] = [];
  const sites = refSites(source);
  const targets = siteTargets(source, sites);
  for (const [i, site] of sites.entries()) {
    while (bases.length > 0 && !site.pointer.startsWith(`${bases[bases.length - 1].pointer}/`)) bases.pop();
    const here = () => refPlace(source, site.pointer);
    let target = targets[i];
    const outer = bases[bases.length - 1];
    if (target.kind === "file" && outer && !(isAllowed(target.path) && resolvable(target.path))) {
      const corrected = refTarget(outer.file, site.ref);
      if (corrected.kind === "file" && isAllowed(corrected.path) && resolvable(corrected.path)) {
        const fixed = path.relative(path.dirname(source.path), corrected.path).split(path.sep).join("/");
        const fragment = corrected.fragment ? `#${corrected.fragment}` : "";
        walk.diagnostics.push(
          warning(
            "ref-relative-to-outer",
            `$ref "${site.ref}" is written relative to ${relPath(config, outer.file)}, the target of the $ref around it; ` +
              `relative to this file it is "${fixed}${fragment}"`,
            here(),
          ),
        );
        walk.redirects.push([`${source.path}#${site.pointer}`, corrected]);
        target = corrected;
      }
    }
    if (target.kind === "network") {
      if (!config.allowNetworkRefs) {
        walk.diagnostics.push(
          error("ref-network", `$ref "${site.ref}" points to the network; set allowNetworkRefs: true to allow it`, here()),
        );
      }
      continue;
    }
    if (target.kind === "unsupported") {
      walk.diagnostics.push(error("ref-unsupported", `$ref "${site.ref}" is not a file path or URL specgen can read`, here()));
      continue;
    }
    bases.push({ pointer: site.pointer, file: target.path });
    if (target.path === source.path) continue;
    if (!isAllowed(target.path)) {
      walk.diagnostics.push(
        error("ref-outside-root", `$ref "${site.ref}" leaves the spec root; set allowExternalRefs: true to allow it`, here()),
      );
      continue;
    }
    walk.edges.add(target.path);
    if (!site.inExample) walk.fromSchema.add(target.path);
    walk.targets.push({ path: target.path, ref: site.ref, pointer: site.pointer });
  }
  // Kept for every file while it is unchanged: a list grown by push has room for 17, and most files have a target or two.
  walk.targets = walk.targets.slice();
  // A schema file's `$ref`s are all in schema positions: one set for both.
  if (walk.fromSchema.size === walk.edges.size) walk.fromSchema = walk.edges;
  return walk;
}

/** Where the `$ref` of the object at `pointer` is, for a diagnostic. */
function refPlace(source: Source, pointer: string): Partial<Diagnostic> {
  return { ...at(source, `${pointer}/$ref`), pointer };
}

/** Where a `$ref` at `pointer` of `source` points: as written, or as the 2020 pipeline read it (see Spec.redirects). */
export function refTargetAt(spec: Spec, source: Source, pointer: string, ref: string): RefTarget {
  return spec.redirects.get(`${source.path}#${pointer}`) ?? refTarget(source.path, ref);
}

function exists(file: string): boolean {
  return statOf(file)?.isFile() ?? false;
}

/** stat, or undefined where there is nothing (also when a folder on the way is a file). */
function statOf(file: string) {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function resolvable(file: string): boolean {
  return exists(file) || throughLinkFiles(file) !== undefined;
}

/** An OpenAPI or Swagger document (not a schema): a mapping with `openapi` or `swagger`. */
export function isApiDocument(value: unknown): boolean {
  return typeof value === "object" && value !== null && ("openapi" in value || "swagger" in value);
}

/**
 * Example files: those of the examples folder, and any other that only
 * example `$ref`s reach. What schema folders, API definitions and API
 * documents refer to from schema positions is schema.
 */
function exampleFiles(spec: Spec, schemaEdges: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const { config } = spec;
  const definitions = (file: string) => path.relative(config.apis, file).split(path.sep)[1] === "definitions";
  const schemaish = new Set<string>();
  const stack = [...spec.schemas, ...spec.named, ...spec.apis.filter((s) => definitions(s.path) || isApiDocument(s.value))].map(
    (s) => s.path,
  );
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (schemaish.has(file)) continue;
    schemaish.add(file);
    stack.push(...(schemaEdges.get(file) ?? []));
  }
  const out = new Set<string>();
  for (const source of spec.sources.values()) if (source.kind === "data" && !schemaish.has(source.path)) out.add(source.path);
  return out;
}

/**
 * A link file is how git checks out a symbolic link where it cannot make one:
 * a small file holding the relative path of its target. Returns the folder it
 * links to, if `file` is one.
 */
export function linkedFolder(file: string): string | undefined {
  const stat = statOf(file);
  if (!stat?.isFile() || stat.size > 1024) return undefined;
  const text = readFileSync(file, "utf8").trim();
  if (text === "" || text.includes("\n") || !/^[\w./$-]+$/.test(text) || path.isAbsolute(text)) return undefined;
  const target = path.resolve(path.dirname(file), text);
  return statOf(target)?.isDirectory() ? target : undefined;
}

/** The file that `file` names when a folder on its way is a link file; undefined when there is none. */
function throughLinkFiles(file: string, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  let head = path.dirname(file);
  const rest = [path.basename(file)];
  while (head !== path.dirname(head)) {
    const stat = statOf(head);
    if (stat?.isDirectory()) return undefined;
    if (stat?.isFile()) {
      const folder = linkedFolder(head);
      if (!folder) return undefined;
      const next = path.join(folder, ...rest);
      return exists(next) ? next : throughLinkFiles(next, depth + 1);
    }
    rest.unshift(path.basename(head));
    head = path.dirname(head);
  }
  return undefined;
}

/** The `$ref`s of a loaded file, found once. */
export function refSites(source: Source): RefSite[] {
  return findRefs(source.value, sharesNodes(source));
}

const targetsOf = new WeakMap<Source, RefTarget[]>();

/** Where each `$ref` of a loaded file points as written, worked out once (a rebuild walks every file's `$ref`s). */
function siteTargets(source: Source, sites: readonly RefSite[]): RefTarget[] {
  let targets = targetsOf.get(source);
  if (!targets) {
    targets = sites.map((site) => refTarget(source.path, site.ref));
    targetsOf.set(source, targets);
  }
  return targets;
}

function isInsideFolder(file: string, dir: string): boolean {
  return file.startsWith(dir + path.sep);
}

/** True when `file` (symlinks resolved) lies in the root, or anywhere if the config allows it. */
function isInside(config: Config, file: string): boolean {
  if (config.allowExternalRefs) return true;
  let real: string;
  try {
    // The system's realpath: one call, where the JavaScript one stats every folder on the way.
    real = realpathSync.native(file);
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
function loadTemplates(
  config: Config,
  diagnostics: Diagnostic[],
  bound: LinkBound | undefined,
): { templates: Map<string, string>; overrides: Source[] } {
  const templates = new Map<string, string>();
  const name = (dir: string, file: string) => path.relative(dir, file).split(path.sep).join("/");
  const isTemplate = (f: string) => /\.(hbs|css|js)$/.test(f);
  for (const file of listFiles(BUILTIN_TEMPLATES, isTemplate)) templates.set(name(BUILTIN_TEMPLATES, file), readFileSync(file, "utf8"));
  const overrides: Source[] = [];
  const unreadable = (dir: string, e: Error) =>
    diagnostics.push(error("file-unreadable", `cannot read folder: ${e.message}`, { file: relPath(config, dir) }));
  for (const file of listFiles(config.templates, isTemplate, unreadable, true, undefined, bound)) {
    const source = readSource(config, file, "template", diagnostics);
    if (source) overrides.push(source);
  }
  const partials = new Set([...templates.keys(), ...overrides.map((s) => name(config.templates, s.path))]);
  for (const source of overrides) {
    // A copy of a built-in template (a root that copied the folder to change one file) is as sound as the built-in.
    const builtin = templates.get(name(config.templates, source.path));
    const problem = source.path.endsWith(".hbs") && source.text !== builtin ? templateProblem(source.text, partials) : undefined;
    if (problem) {
      diagnostics.push(
        error("template-invalid", `${problem.message}; using the built-in template instead`, { file: source.rel, ...problem.at }),
      );
    } else {
      templates.set(name(config.templates, source.path), source.text);
    }
  }
  return { templates, overrides };
}
