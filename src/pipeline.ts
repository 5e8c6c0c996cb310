/**
 * The pipeline: load → resolve → model → examples → validate → render, each a
 * stage with a typed result and its diagnostics. `check` stops before writing;
 * `build` writes the site when there are no errors.
 */
import path from "node:path";
import { type Config, ConfigError } from "./config.js";
import { type Diagnostic, error, hasErrors, sortDiagnostics, uniqueDiagnostics, warning } from "./diagnostics.js";
import { ExampleMerger } from "./examples/merge.js";
import { schemaOfExample, Validators } from "./examples/validate.js";
import { knownFormats, lintEvents, lintFormats } from "./lint.js";
import { loadSpec, type Spec } from "./load/index.js";
import { at, type Source } from "./load/source.js";
import type { ExampleView } from "./render/blocks/event.js";
import { applyRules } from "./rules.js";
import { type EventModel, isEventSchema, modelEvent, schemaName } from "./schema/model.js";
import { resolveSchemas } from "./schema/resolve.js";
import { checkLinks } from "./site/links.js";
import { renderSite } from "./site/pages.js";
import { writeOutput } from "./site/write.js";

export interface CheckResult {
  spec: Spec;
  events: EventModel[];
  /** Output path → content of the rendered site. */
  files: Map<string, string>;
  diagnostics: Diagnostic[];
}

export async function check(config: Config): Promise<CheckResult> {
  const diagnostics: Diagnostic[] = [];
  const { spec, diagnostics: loadDiagnostics } = loadSpec(config);
  diagnostics.push(...loadDiagnostics);

  const resolved = await resolveSchemas(spec).catch((e) => {
    diagnostics.push(internalError("resolving schemas", e, {}));
    return { schemas: new Map(), values: new Map(), diagnostics: [] };
  });
  diagnostics.push(...resolved.diagnostics);

  const events: EventModel[] = [];
  for (const source of spec.schemas) {
    const schema = resolved.schemas.get(source.path);
    if (!schema) continue;
    const event = guarded(diagnostics, { file: source.rel }, "modelling the event", () =>
      isEventSchema(config.schemas, source, schema) ? modelEvent(source, schema) : undefined,
    );
    if (event) events.push(event);
  }

  const schemaFiles = [...spec.sources.values()].filter((s) => s.kind === "data" && !isInside(s.path, config.examples));
  const validators = new Validators(schemaFiles, resolved.values, [...knownFormats(config)]);
  for (const file of schemaFiles)
    diagnostics.push(...(guarded(diagnostics, { file: file.rel }, "checking the schema", () => validators.checkSchema(file)) ?? []));
  const examples = validateExamples(spec, events, validators, diagnostics);
  diagnostics.push(...lintEvents(events, spec.examples, config), ...lintFormats(schemaFiles, knownFormats(config)));

  const site = guarded(diagnostics, {}, "rendering the site", () =>
    renderSite({ config, pages: spec.pages, templates: spec.templates, events, examples }, diagnostics),
  );
  if (site) diagnostics.push(...checkLinks(site.files, site.sources, site.marks));
  const final = applyRules(uniqueDiagnostics(diagnostics), config);
  return { spec, events, files: site?.files ?? new Map(), diagnostics: sortDiagnostics(final) };
}

/** True when the run failed: errors, or more warnings than `--max-warnings` allows. */
export function failed(diagnostics: readonly Diagnostic[], config: Pick<Config, "maxWarnings">): boolean {
  if (hasErrors(diagnostics)) return true;
  return config.maxWarnings !== undefined && diagnostics.filter((d) => d.severity === "warning").length > config.maxWarnings;
}

export async function build(config: Config): Promise<CheckResult & { written: boolean }> {
  const result = await check(config);
  if (failed(result.diagnostics, config)) return { ...result, written: false };
  try {
    writeOutput(config.output, result.files);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`cannot write the site to ${config.output}: ${(e as Error).message}`);
  }
  return { ...result, written: true };
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

function internalError(what: string, e: unknown, where: Partial<Diagnostic>): Diagnostic {
  return error("internal-error", `${what} failed: ${e instanceof Error ? e.message : String(e)}`, where);
}

/**
 * Merges every example at the top of the examples folder, validates it against
 * its schema, and returns each schema's examples, sorted by name.
 */
function validateExamples(
  spec: Spec,
  events: readonly EventModel[],
  validators: Validators,
  diagnostics: Diagnostic[],
): Map<string, ExampleView[]> {
  const { config } = spec;
  const schemaByName = new Map<string, Source>();
  for (const s of spec.schemas) if (path.dirname(s.path) === config.schemas) schemaByName.set(schemaName(s.path), s);
  const eventNames = new Set(events.map((e) => e.name));
  const merger = new ExampleMerger(spec);
  const byEvent = new Map<string, ExampleView[]>();
  for (const example of spec.examples) {
    if (path.dirname(example.path) !== config.examples || example.value === undefined) continue;
    const name = schemaName(example.path);
    const owner = schemaOfExample(name, new Set(schemaByName.keys()));
    if (!owner) {
      diagnostics.push(warning("example-no-schema", `example ${name} has no schema of the same name`, at(example, "")));
      continue;
    }
    const value = guarded(diagnostics, { file: example.rel }, "merging the example", () => merger.merge(example));
    if (value === undefined) continue;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      const what = value === null ? "null" : Array.isArray(value) ? "a list" : `a ${typeof value}`;
      diagnostics.push(error("example-not-object", `example ${name} is ${what}, not an event object`, at(example, "")));
      continue;
    }
    diagnostics.push(
      ...(guarded(diagnostics, { file: example.rel }, "validating the example", () =>
        validators.validate(schemaByName.get(owner) as Source, example, value),
      ) ?? []),
    );
    if (!eventNames.has(owner)) continue;
    const list = byEvent.get(owner) ?? [];
    list.push({ name, json: JSON.stringify(value, null, 2) });
    byEvent.set(owner, list);
  }
  diagnostics.push(...merger.diagnostics);
  for (const list of byEvent.values()) list.sort((a, b) => (a.name < b.name ? -1 : 1));
  return byEvent;
}

function isInside(file: string, dir: string): boolean {
  return file.startsWith(dir + path.sep);
}
