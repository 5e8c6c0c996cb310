/**
 * The pipeline: load → resolve → model → examples → validate → render, each a
 * stage with a typed result and its diagnostics. `check` stops before writing;
 * `build` writes the site when there are no errors.
 */
import path from "node:path";
import type { Config } from "./config.js";
import { type Diagnostic, hasErrors, sortDiagnostics, uniqueDiagnostics, warning } from "./diagnostics.js";
import { ExampleMerger } from "./examples/merge.js";
import { schemaOfExample, Validators } from "./examples/validate.js";
import { loadSpec, type Spec } from "./load/index.js";
import { at, type Source } from "./load/source.js";
import type { ComponentSchema } from "./render/blocks/common.js";
import type { ExampleView } from "./render/blocks/event.js";
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

  const resolved = await resolveSchemas(spec);
  diagnostics.push(...resolved.diagnostics);

  const events: EventModel[] = [];
  const components: ComponentSchema[] = [];
  for (const source of spec.schemas) {
    const schema = resolved.schemas.get(source.path);
    if (!schema) continue;
    if (isEventSchema(config.schemas, source, schema)) events.push(modelEvent(source, schema));
    else components.push({ name: schemaName(source.path), source, schema });
  }

  const schemaFiles = [...spec.sources.values()].filter((s) => s.kind === "data" && !isInside(s.path, config.examples));
  const validators = new Validators(schemaFiles);
  for (const file of schemaFiles) if (file.value !== undefined) diagnostics.push(...validators.checkSchema(file));

  const examples = validateExamples(spec, events, validators, diagnostics);
  for (const event of events) {
    if (!examples.has(event.name))
      diagnostics.push(warning("event-no-example", `event ${event.heading} has no example`, at(event.source, "")));
  }

  const site = renderSite({ config, pages: spec.pages, templates: spec.templates, events, examples, components }, diagnostics);
  diagnostics.push(...checkLinks(site.files, site.sources));
  return { spec, events, files: site.files, diagnostics: sortDiagnostics(uniqueDiagnostics(diagnostics)) };
}

export async function build(config: Config): Promise<CheckResult & { written: boolean }> {
  const result = await check(config);
  if (hasErrors(result.diagnostics)) return { ...result, written: false };
  writeOutput(config.output, result.files);
  return { ...result, written: true };
}

/**
 * Merges every example at the top of the examples folder, validates it against
 * its schema (the variant's when there is one, else the base's), and returns
 * each event's examples: its own first, then its `$` variants', by name.
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
  const extended = new Set(spec.examples.flatMap((e) => [...(spec.refs.get(e.path) ?? [])]));
  for (const example of spec.examples) {
    if (path.dirname(example.path) !== config.examples || example.value === undefined) continue;
    const name = schemaName(example.path);
    const owner = schemaOfExample(name, new Set(schemaByName.keys()));
    if (!owner) {
      // A file other examples extend (invite_room_state.json) is a part, not an example.
      if (!extended.has(example.path))
        diagnostics.push(warning("example-no-schema", `example ${name} has no schema of the same name`, at(example, "")));
      continue;
    }
    const value = merger.merge(example);
    if (value === undefined) continue;
    if (value === null || typeof value !== "object") {
      diagnostics.push(warning("example-not-object", `example ${name} is not an object`, at(example, "")));
    }
    diagnostics.push(...validators.validate(schemaByName.get(owner) as Source, example, value));
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
