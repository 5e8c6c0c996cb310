/**
 * The pipeline: load → resolve → model → examples → validate → render → links,
 * each a stage with a typed result and its diagnostics.
 *
 * A Pipeline keeps every stage's results keyed by their inputs, so a rebuild
 * after an edit re-parses only the changed files, re-resolves and re-validates
 * only what depends on them, and re-renders only the pages that show them. A
 * cold build is the same code with nothing kept: `check` and `build` run a new
 * Pipeline once.
 */
import path from "node:path";
import { ApiStage, type DefinitionRef, isDefinition } from "./api/stage.js";
import { type Config, ConfigError } from "./config.js";
import { type Diagnostic, error, hasErrors, sortDiagnostics, uniqueDiagnostics, warning } from "./diagnostics.js";
import { ExampleMerger } from "./examples/merge.js";
import { schemaExamples } from "./examples/schema-examples.js";
import { draftOf, schemaOfExample, Validators } from "./examples/validate.js";
import { objectId } from "./identity.js";
import { eventAnchorRule, eventHeadingRule } from "./layouts/layout.js";
import { knownFormats, lintEvents, lintFormats } from "./lint.js";
import { isApiDocument, loadSpec, SourceCache, type Spec } from "./load/index.js";
import { writtenJson } from "./load/numbers.js";
import type { ParseCache } from "./load/parse-cache.js";
import { at, type Source } from "./load/source.js";
import { descriptionDefinitions } from "./pages/rst/definitions.js";
import type { ComponentSchema } from "./render/blocks/common.js";
import type { ExampleView } from "./render/blocks/event.js";
import { applyRules } from "./rules.js";
import { type EventModel, isEventSchema, modelEvent, schemaName } from "./schema/model.js";
import { isObject, resolveSchemas, type SchemaObject } from "./schema/resolve.js";
import { LinkChecker } from "./site/links.js";
import { type FileContent, SiteRenderer } from "./site/pages.js";
import { StagedOutput } from "./site/write.js";

export interface CheckResult {
  spec: Spec;
  events: EventModel[];
  /** Output path → content of the rendered site: every file not given to `PipelineOptions.emit`. */
  files: Map<string, string>;
  /** Output path → bytes of the layout's static files (images), beside `files`. */
  staticFiles: Map<string, Uint8Array>;
  /** Every output path of the site. */
  paths: Set<string>;
  diagnostics: Diagnostic[];
}

export interface PipelineOptions {
  /**
   * Only the diagnostics are wanted (`specgen check`): the pages still render,
   * for the link checks, but without what only readers need, which changes no
   * diagnostic: colour in the examples and the search index.
   */
  reportOnly?: boolean;
  /** YAML values kept on disk between runs (`--cache`); the caller saves it. */
  parseCache?: ParseCache;
  /**
   * Takes each file of the site as soon as it is rendered, instead of
   * `CheckResult.files` holding them all: a one-shot run (build, check) never
   * holds the whole site's HTML, and its pages are not kept for a rebuild.
   */
  emit?: (file: string, content: FileContent) => void;
}

/** A schema file's results, valid while its closure (the file and all it refers to) is unchanged. */
interface SchemaEntry {
  key: string;
  /** The allOf-merged schema of a component (not kept for an event). */
  schema?: SchemaObject;
  event?: EventModel;
  diagnostics: Diagnostic[];
}

/** A top-level example's results, valid while its closure and its schema's are unchanged. */
interface ExampleEntry {
  key: string;
  owner?: string;
  view?: ExampleView;
  diagnostics: Diagnostic[];
}

export class Pipeline {
  private readonly sources: SourceCache;
  private readonly validators: Validators;
  private readonly formats: ReadonlySet<string>;
  /** Per schema file: its meta-schema check and its unknown formats. */
  private readonly schemaChecks = new WeakMap<Source, Diagnostic[]>();
  private schemaEntries = new Map<string, SchemaEntry>();
  private exampleEntries = new Map<string, ExampleEntry>();
  /** Per schema file (not an API document or definition): its closure key and what its own `example`s broke. */
  private schemaExampleEntries = new Map<string, { key: string; diagnostics: Diagnostic[] }>();
  private readonly closureKeyNumbers = new Map<string, number>();
  private readonly closureKeys = new WeakMap<Source, { targets: string[]; key: string }>();
  private site: SiteRenderer;
  private readonly links = new LinkChecker();
  private readonly apis: ApiStage;

  constructor(
    readonly config: Config,
    private readonly options: PipelineOptions = {},
  ) {
    this.sources = new SourceCache(options.parseCache);
    this.site = new SiteRenderer(config);
    this.formats = knownFormats(config);
    this.validators = new Validators([...this.formats]);
    this.apis = new ApiStage(config);
  }

  /** Brings every result up to date, re-reading the given paths (everything, on the first run). */
  async run(changed: Iterable<string> = []): Promise<CheckResult> {
    this.sources.forget(changed);
    const { config } = this;
    const diagnostics: Diagnostic[] = [];
    const { spec, diagnostics: loadDiagnostics } = loadSpec(config, this.sources);
    diagnostics.push(...loadDiagnostics);
    const closures = new Closures(spec, this.closureKeyNumbers, this.closureKeys);

    const schemas = await this.resolve(spec, closures, diagnostics);
    const events: EventModel[] = [];
    const components: ComponentSchema[] = [];
    for (const source of spec.schemas) {
      const entry = schemas.get(source.path);
      diagnostics.push(...(entry?.diagnostics ?? []));
      if (entry?.event) events.push(entry.event);
      else if (entry?.schema) components.push({ name: schemaName(source.path), source, schema: entry.schema });
    }

    const schemaFiles = [...spec.sources.values()].filter(
      (s) => s.kind === "data" && !isInside(s.path, config.examples) && !spec.exampleFiles.has(s.path),
    );
    for (const file of schemaFiles) if (!isApiDocument(file.value)) diagnostics.push(...this.schemaCheck(file));

    const examples = this.examples(spec, closures, events, diagnostics);
    for (const entry of this.exampleEntries.values()) diagnostics.push(...entry.diagnostics);
    diagnostics.push(...orphanExamples(spec, this.exampleEntries), ...lintEvents(events, spec.examples, config));

    const apis = await this.apis.run(spec, closures, this.validators).catch((e) => {
      diagnostics.push(internalError("reading the HTTP APIs", e, {}));
      return undefined;
    });
    diagnostics.push(...(apis?.diagnostics ?? []));
    // After the API stage: the validator then knows the `$ref`s of files only API documents reach.
    diagnostics.push(...this.schemaFileExamples(spec, closures, schemaFiles));

    const pages = config.layout.pages(config, spec.pages, diagnostics);
    const render = (definitions: readonly DefinitionRef[]) =>
      guardedAsync(diagnostics, {}, "rendering the site", () =>
        this.site.render({
          config,
          pages,
          pageFiles: spec.pages,
          rstDefinitions: pages.some((p) => p.format === "rst") ? descriptionDefinitions(spec.sources.values()) : undefined,
          templates: spec.templates,
          events,
          examples,
          components,
          apis: apis?.apis ?? [],
          definitions,
          publish: !this.options.reportOnly,
          emit: this.options.emit,
        }),
      );
    // Definitions are modelled for the pages that may show them; a render that asks for another is made again after modelling it.
    const definitions = () => (apis ? this.apis.definitionRefs() : []);
    if (apis) diagnostics.push(...(await this.modelDefinitions(spec, this.apis.namedDefinitions(spec))));
    let site = await render(definitions());
    if (site && site.unmodelled.length > 0) {
      diagnostics.push(...(await this.modelDefinitions(spec, site.unmodelled)));
      // Nothing of the render that lacked them is kept.
      this.site = new SiteRenderer(config);
      site = await render(definitions());
    }
    if (site) diagnostics.push(...site.diagnostics, ...this.links.check(site.paths, site.pages));
    const final = applyRules(uniqueDiagnostics(diagnostics), config);
    return {
      spec,
      events,
      files: site?.files ?? new Map(),
      staticFiles: site?.staticFiles ?? new Map(),
      paths: site?.paths ?? new Set(),
      diagnostics: sortDiagnostics(final),
    };
  }

  private modelDefinitions(spec: Spec, sources: Iterable<Source>): Promise<Diagnostic[]> {
    return this.apis.modelDefinitions(spec, sources).catch((e) => [internalError("modelling the definitions", e, {})]);
  }

  /** Resolves and models the schema files whose closure changed. */
  private async resolve(spec: Spec, closures: Closures, diagnostics: Diagnostic[]): Promise<Map<string, SchemaEntry>> {
    const entries = new Map<string, SchemaEntry>();
    const stale: Source[] = [];
    for (const source of spec.schemas) {
      const key = closures.key(source.path);
      const known = this.schemaEntries.get(source.path);
      if (known?.key === key) entries.set(source.path, known);
      else {
        entries.set(source.path, { key, diagnostics: [] });
        stale.push(source);
      }
    }
    if (stale.length > 0) {
      // Each event is modelled as soon as its schema is merged, so the merged schemas are never all held at once.
      const model = (source: Source, schema: SchemaObject) => {
        const entry = entries.get(source.path) as SchemaEntry;
        if (isEventSchema(this.config.schemas, source, schema)) {
          entry.event = guarded(entry.diagnostics, { file: source.rel }, "modelling the event", () =>
            modelEvent(source, schema, eventAnchorRule(this.config), eventHeadingRule(this.config)),
          );
        }
        // An event needs its merged schema no more once modelled; a component's is what its block shows.
        if (!entry.event) entry.schema = schema;
      };
      const resolved = await resolveSchemas(spec, stale, model).catch((e) => {
        diagnostics.push(internalError("resolving schemas", e, {}));
        return { schemas: new Map<string, SchemaObject>(), refs: new Map<object, unknown>(), diagnostics: [] };
      });
      this.validators.addRefs(resolved.refs);
      // A diagnostic belongs to every re-resolved file whose closure holds the file it is about.
      for (const d of resolved.diagnostics) {
        const owners = stale.filter((s) => d.file === undefined || closures.files(s.path).some((f) => f.rel === d.file));
        for (const owner of owners.length > 0 ? owners : stale) entries.get(owner.path)?.diagnostics.push(d);
      }
    }
    this.schemaEntries = entries;
    return entries;
  }

  /** The `example`s written inside schema files (those of the API folder's documents and definitions: the API stage's). */
  private schemaFileExamples(spec: Spec, closures: Closures, files: readonly Source[]): Diagnostic[] {
    const entries = new Map<string, { key: string; diagnostics: Diagnostic[] }>();
    for (const file of files) {
      if (isApiDocument(file.value) || isDefinition(this.config, file.path) || !isObject(file.value)) continue;
      const key = closures.key(file.path);
      let entry = this.schemaExampleEntries.get(file.path);
      if (entry?.key !== key) {
        const own: Diagnostic[] = [];
        const found = guarded(own, { file: file.rel }, "checking the schema's examples", () =>
          schemaExamples(spec, file, [""], draftOf(file.value) ?? "07", this.validators),
        );
        entry = { key, diagnostics: [...own, ...(found ?? [])] };
      }
      entries.set(file.path, entry);
    }
    this.schemaExampleEntries = entries;
    return [...entries.values()].flatMap((e) => e.diagnostics);
  }

  /** A schema file's meta-schema check and unknown formats, once per loaded file. */
  private schemaCheck(file: Source): Diagnostic[] {
    let result = this.schemaChecks.get(file);
    if (!result) {
      const own: Diagnostic[] = [];
      own.push(...(guarded(own, { file: file.rel }, "checking the schema", () => this.validators.checkSchema(file)) ?? []));
      own.push(...lintFormats([file], this.formats));
      result = own;
      this.schemaChecks.set(file, result);
    }
    return result;
  }

  /**
   * Merges and validates every example at the top of the examples folder whose
   * inputs changed, against its schema (the variant's when there is one, else
   * the base's), and returns each event's examples: its own first, then its `$`
   * variants', by name.
   */
  private examples(spec: Spec, closures: Closures, events: readonly EventModel[], diagnostics: Diagnostic[]): Map<string, ExampleView[]> {
    const { config } = spec;
    const schemaByName = new Map<string, Source>();
    for (const s of spec.schemas) if (path.dirname(s.path) === config.schemas) schemaByName.set(schemaName(s.path), s);
    const schemaNames = new Set(schemaByName.keys());
    const entries = new Map<string, ExampleEntry>();
    for (const example of spec.examples) {
      if (path.dirname(example.path) !== config.examples || example.value === undefined) continue;
      const name = schemaName(example.path);
      const owner = schemaOfExample(name, schemaNames);
      const ownerSource = owner ? schemaByName.get(owner) : undefined;
      const key = `${closures.key(example.path)}|${ownerSource ? closures.key(ownerSource.path) : ""}`;
      const known = this.exampleEntries.get(example.path);
      if (known?.key === key) entries.set(example.path, known);
      else {
        const entry = guarded(diagnostics, { file: example.rel }, "checking the example", () =>
          this.example(spec, example, name, key, owner, ownerSource),
        );
        entries.set(example.path, entry ?? { key, owner, diagnostics: [] });
      }
    }
    this.exampleEntries = entries;

    const eventNames = new Set(events.map((e) => e.name));
    const byEvent = new Map<string, ExampleView[]>();
    const add = (event: string, view: ExampleView) => byEvent.set(event, [...(byEvent.get(event) ?? []), view]);
    for (const entry of entries.values()) {
      if (!entry.owner || !entry.view) continue;
      if (eventNames.has(entry.owner)) add(entry.owner, entry.view);
      // An event shows every example of its type, as the published spec does: m.room.message those of its msgtype variants.
      const base = entry.view.name.split("$")[0];
      if (base !== entry.owner && eventNames.has(base)) add(base, entry.view);
    }
    for (const list of byEvent.values()) list.sort((a, b) => (a.name < b.name ? -1 : 1));
    return byEvent;
  }

  private example(spec: Spec, example: Source, name: string, key: string, owner?: string, ownerSource?: Source): ExampleEntry {
    if (!owner || !ownerSource) return { key, diagnostics: [] };
    const merger = new ExampleMerger(spec);
    const value = merger.merge(example);
    const diagnostics = [...merger.diagnostics];
    if (value === undefined) return { key, owner, diagnostics };
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      const what = value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
      diagnostics.push(error("example-not-object", `example ${name} is ${what}, not an event object`, at(example, "")));
      return { key, owner, diagnostics };
    }
    diagnostics.push(...this.validators.validate(ownerSource, example, value));
    return { key, owner, view: { name, json: writtenJson(value, 2) }, diagnostics };
  }
}

/** Examples without a schema, except the files other examples extend (parts, like invite_room_state.json). */
function orphanExamples(spec: Spec, entries: ReadonlyMap<string, ExampleEntry>): Diagnostic[] {
  const orphans = [...entries].filter(([, entry]) => !entry.owner);
  if (orphans.length === 0) return [];
  const extended = new Set(spec.examples.flatMap((e) => [...(spec.refs.get(e.path) ?? [])]));
  const diagnostics: Diagnostic[] = [];
  for (const [file] of orphans) {
    const example = spec.sources.get(file);
    if (extended.has(file) || !example) continue;
    diagnostics.push(warning("example-no-schema", `example ${schemaName(file)} has no schema of the same name`, at(example, "")));
  }
  return diagnostics;
}

/** A file whose key is being made: met again, it is on a `$ref` loop. No key is empty. */
const OPEN = "";

/** The closure of each loaded data file: itself and every file its `$ref`s reach. */
class Closures {
  private readonly memo = new Map<string, Source[]>();
  private readonly keys = new Map<string, string>();

  /**
   * `keyNumbers`: kept by the pipeline across runs, so that equal keys of two runs give equal numbers;
   * `lastKeys`: each file's key and its targets' keys when last made.
   */
  constructor(
    private readonly spec: Spec,
    private readonly keyNumbers: Map<string, number>,
    private readonly lastKeys: WeakMap<Source, { targets: string[]; key: string }>,
  ) {}

  files(file: string): Source[] {
    let result = this.memo.get(file);
    if (!result) {
      const seen = new Set<string>();
      const stack = [file];
      result = [];
      while (stack.length > 0) {
        const next = stack.pop() as string;
        if (seen.has(next)) continue;
        seen.add(next);
        const source = this.spec.sources.get(next);
        if (source) result.push(source);
        stack.push(...(this.spec.refs.get(next) ?? []));
      }
      this.memo.set(file, result);
    }
    return result;
  }

  /**
   * Equal keys mean the very same loaded files. A file's key is its source's
   * id and the numbers of its targets' keys, so each file is looked at once
   * per run however many closures hold it (the core schemas are in every
   * event's); a file on a `$ref` loop gets the ids of its whole closure.
   */
  key(file: string): string {
    return this.treeKey(file) ?? this.flatKey(file);
  }

  /** Undefined when `file` reaches a `$ref` loop: the files on the way keep the OPEN mark, as they all reach it. */
  private treeKey(file: string): string | undefined {
    const known = this.keys.get(file);
    if (known !== undefined) return known === OPEN ? undefined : known;
    this.keys.set(file, OPEN);
    const targets: string[] = [];
    for (const target of this.spec.refs.get(file) ?? []) {
      const key = this.treeKey(target);
      if (key === undefined) return undefined;
      targets.push(key);
    }
    const source = this.spec.sources.get(file);
    // The same file with targets of the same keys as last run: the same key, without making it again.
    const last = source && this.lastKeys.get(source);
    let key: string;
    if (last && last.targets.length === targets.length && last.targets.every((k, i) => k === targets[i])) key = last.key;
    else {
      const numbers = targets.map((k) => this.keyNumber(k)).sort((a, b) => a - b);
      key = `${source ? objectId(source) : ""}(${numbers.join(",")})`;
      if (source) this.lastKeys.set(source, { targets, key });
    }
    this.keys.set(file, key);
    return key;
  }

  private flatKey(file: string): string {
    let key = this.keys.get(file);
    if (key === undefined || key === OPEN) {
      key = `[${this.files(file)
        .map(objectId)
        .sort((a, b) => a - b)
        .join(",")}]`;
      this.keys.set(file, key);
    }
    return key;
  }

  /** One number per distinct key, the same in every run: keys stay short however deep the `$ref`s go. */
  private keyNumber(key: string): number {
    let n = this.keyNumbers.get(key);
    if (n === undefined) {
      n = this.keyNumbers.size + 1;
      this.keyNumbers.set(key, n);
    }
    return n;
  }
}

export async function check(config: Config, options?: PipelineOptions): Promise<CheckResult> {
  return new Pipeline(config, options).run();
}

/** True when the run failed: errors, or more warnings than `--max-warnings` allows. */
export function failed(diagnostics: readonly Diagnostic[], config: Pick<Config, "maxWarnings">): boolean {
  if (hasErrors(diagnostics)) return true;
  return config.maxWarnings !== undefined && diagnostics.filter((d) => d.severity === "warning").length > config.maxWarnings;
}

/**
 * Checks the spec, writing each file of the site into a staging folder as it
 * is rendered; the folder takes the output folder's place only when the run
 * did not fail, and is removed otherwise (also when the run throws).
 */
export async function build(
  config: Config,
  options?: Omit<PipelineOptions, "reportOnly" | "emit"> & BuildOptions,
): Promise<CheckResult & { written: boolean; leftover?: string }> {
  const output = new StagedOutput(config.output);
  // Runs inside the aborting call (a signal handler): the render yields between pages, so no file is half written.
  const stop = () => output.discard();
  options?.signal?.addEventListener("abort", stop);
  try {
    const result = await check(config, {
      ...options,
      emit: (file, content) => {
        if (!options?.signal?.aborted) output.write(file, content);
      },
    });
    options?.signal?.throwIfAborted();
    if (failed(result.diagnostics, config)) return { ...result, written: false };
    let published: ReturnType<StagedOutput["publish"]>;
    try {
      published = output.publish();
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      throw new ConfigError(`cannot write the site to ${config.output}: ${(e as Error).message}`);
    }
    return { ...result, written: true, leftover: published.leftover };
  } finally {
    options?.signal?.removeEventListener("abort", stop);
    output.discard();
  }
}

export interface BuildOptions {
  /** Aborted (on SIGINT/SIGTERM), the build removes its staging folder at once and publishes nothing. */
  signal?: AbortSignal;
}

/**
 * A stage that throws on some input is a bug in specgen, not the user's
 * mistake: the run reports it, naming the file, and goes on with the rest.
 */
function guarded<T>(diagnostics: Diagnostic[], where: Partial<Diagnostic>, what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    diagnostics.push(internalError(what, e, where));
    return undefined;
  }
}

async function guardedAsync<T>(
  diagnostics: Diagnostic[],
  where: Partial<Diagnostic>,
  what: string,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    diagnostics.push(internalError(what, e, where));
    return undefined;
  }
}

function internalError(what: string, e: unknown, where: Partial<Diagnostic>): Diagnostic {
  return error("internal-error", `${what} failed: ${e instanceof Error ? e.message : String(e)}`, where);
}

function isInside(file: string, dir: string): boolean {
  return file.startsWith(dir + path.sep);
}
