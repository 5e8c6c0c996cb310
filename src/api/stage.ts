/**
 * The API stage: reads the API folder's documents and definitions, resolves
 * their schemas, merges and validates their examples, and models them for the
 * http-api and definition blocks.
 *
 * Every schema file of the data root is a definition, named at once; it is
 * dereferenced and modelled only when a page shows it (`modelDefinitions`),
 * which most never are (an event's schema file is one too).
 *
 * Like the schema stage, it keeps each file's results while the file's closure
 * (the file and everything its `$ref`s reach) is unchanged, so a rebuild redoes
 * only the documents an edit touched. Endpoint anchors are made unique across
 * the site (two documents may describe the same method and path), so a model
 * is rebuilt when its anchors change.
 */
import path from "node:path";
import { type Config, isWithin } from "../config.js";
import { type Diagnostic, error } from "../diagnostics.js";
import { ExampleMerger } from "../examples/merge.js";
import { documentSchemaRoots, schemaExamples } from "../examples/schema-examples.js";
import type { Draft, Validators } from "../examples/validate.js";
import type { Spec } from "../load/index.js";
import type { Source } from "../load/source.js";
import { uniqueId } from "../render/plugins/headings.js";
import { isObject, nodeKey, resolveSchemaNodes, type SchemaNode, type SchemaObject } from "../schema/resolve.js";
import { slugify } from "../slug.js";
import {
  type ApiDocument,
  apiFormat,
  type BodySpec,
  documentDraft,
  type ExampleAt,
  isJsonMediaType,
  type NodeAt,
  readApiDocument,
} from "./document.js";
import {
  type ApiInputs,
  type ApiModel,
  schemaExample as composedExample,
  type DefinitionModel,
  dataRoot,
  definitionBlockName,
  endpointAnchors,
  endpointSlug,
  exampleKey,
  modelApi,
  modelDefinition,
  toJson,
} from "./model.js";

/** What the pipeline knows of `$ref` closures (see pipeline.ts). */
export interface ClosureIndex {
  /** Equal keys mean the very same loaded files. */
  key(file: string): string;
  files(file: string): Source[];
}

/** The run's API documents; its definitions are `definitionRefs()`, with the models `modelDefinitions` made. */
export interface ApiResult {
  apis: ApiModel[];
  diagnostics: Diagnostic[];
}

/** A definition block's file, with its model once a page asked for the block (null: it could not be modelled). */
export interface DefinitionRef {
  source: Source;
  blockName: string;
  model?: DefinitionModel | null;
}

interface Entry {
  key: string;
  document?: ApiDocument;
  /** For a definition: its draft, its example as written (merged), and its model with what making it reported. */
  draft?: Draft;
  example?: { value: unknown };
  definition?: { model?: DefinitionModel; diagnostics: Diagnostic[] };
  /** A document's: its schemas, resolved, and its shown examples, merged (made with `document`: every event's schema file is a definition, kept while unchanged). */
  schemas?: Map<string, SchemaObject>;
  examples?: Map<string, unknown>;
  diagnostics: Diagnostic[];
  model?: { anchors: string; api: ApiModel };
}

const NONE: ReadonlyMap<string, never> = new Map<string, never>();

export class ApiStage {
  private entries = new Map<string, Entry>();
  /** Definition block names by path (they depend on the path and the config only). */
  private readonly blockNames = new Map<string, string>();
  /** This run's definitions, in order, and its closures. */
  private definitionFiles: Source[] = [];
  private closures?: ClosureIndex;

  constructor(private readonly config: Config) {}

  async run(spec: Spec, closures: ClosureIndex, validators: Validators): Promise<ApiResult> {
    const { config } = this;
    const entries = new Map<string, Entry>();
    const stale: Source[] = [];
    const documents = spec.apis.filter((s) => apiFormat(s.value) !== undefined);
    const definitions = definitionSources(spec);
    for (const source of [...documents, ...definitions]) {
      const key = closures.key(source.path);
      const known = this.entries.get(source.path);
      if (known?.key === key) entries.set(source.path, known);
      else {
        entries.set(source.path, { key, diagnostics: [] });
        stale.push(source);
      }
    }
    if (stale.length > 0) await this.refresh(spec, stale, entries, closures, validators, folderDrafts(config, documents));
    this.entries = entries;
    this.definitionFiles = definitions;
    this.closures = closures;

    const apis = this.models(documents, entries);
    const diagnostics = [...entries.values()].flatMap((e) => e.diagnostics);
    return { apis, diagnostics };
  }

  /** This run's definitions, each with its model when it has one. */
  definitionRefs(): DefinitionRef[] {
    return this.definitionFiles.map((source) => {
      const made = this.entries.get(source.path)?.definition;
      return { source, blockName: this.blockName(source), model: made && (made.model ?? null) };
    });
  }

  /**
   * This run's definitions that the pages may show: those whose block name
   * (`definition_…`) some loaded file writes, and those the layout says the
   * pages name (Hugo's `definition` shortcode).
   */
  namedDefinitions(spec: Spec): Source[] {
    const written = new Set<string>();
    for (const source of spec.sources.values()) for (const name of blockNamesIn(source)) written.add(name);
    return this.definitionFiles.filter((s) => spec.namedFiles.has(s.path) || written.has(this.blockName(s)));
  }

  private blockName(source: Source): string {
    let name = this.blockNames.get(source.path);
    if (name === undefined) {
      name = definitionBlockName(this.config, source.path);
      this.blockNames.set(source.path, name);
    }
    return name;
  }

  /**
   * Dereferences and models the given definitions of this run that have no
   * model yet (together, so that the files they share are read once), and
   * returns what modelling every given one reported.
   */
  async modelDefinitions(spec: Spec, sources: Iterable<Source>): Promise<Diagnostic[]> {
    const wanted = new Map<Source, Entry>();
    for (const source of sources) {
      const entry = this.entries.get(source.path);
      if (entry?.draft) wanted.set(source, entry);
    }
    const fresh = [...wanted].filter(([, entry]) => !entry.definition);
    if (fresh.length > 0) {
      const resolved = await resolveSchemaNodes(
        spec,
        fresh.map(([source]) => ({ source, pointer: "" })),
      );
      for (const [source, entry] of fresh) {
        // A diagnostic belongs to each definition whose closure holds the file it is about, as in refresh.
        const files = new Set(this.closures?.files(source.path).map((f) => f.rel));
        entry.definition = { diagnostics: resolved.diagnostics.filter((d) => d.file === undefined || files.has(d.file)) };
        const schema = resolved.schemas.get(nodeKey({ source, pointer: "" }));
        if (schema) this.modelDefinition(source, entry, schema);
      }
    }
    return [...wanted.values()].flatMap((entry) => entry.definition?.diagnostics ?? []);
  }

  /** Reads, resolves, merges and validates the files whose closure changed. */
  private async refresh(
    spec: Spec,
    stale: readonly Source[],
    entries: Map<string, Entry>,
    closures: ClosureIndex,
    validators: Validators,
    drafts: ReadonlyMap<string, Draft>,
  ): Promise<void> {
    const nodes: SchemaNode[] = [];
    const wanted = new Map<Entry, SchemaNode[]>();
    for (const source of stale) {
      const entry = entries.get(source.path) as Entry;
      const document = readApiDocument(spec, source);
      let own: SchemaNode[] = [];
      if (document) {
        entry.document = document;
        entry.schemas = new Map();
        entry.examples = new Map();
        entry.diagnostics.push(...document.diagnostics);
        own = schemaNodes(document);
      } else if (isObject(source.value)) {
        // A definition: its `$ref`s are checked with the rest; it is dereferenced when a page shows it (modelDefinitions).
        entry.draft = draftOfSchema(source.value) ?? drafts.get(folderOf(this.config, source.path)) ?? "04";
      }
      wanted.set(entry, own);
      nodes.push(...own);
    }
    const resolved = await resolveSchemaNodes(spec, nodes, stale);
    validators.addRefs(resolved.refs);
    // A document's schemas may live in other files: each entry keeps those it asked for.
    for (const [entry, own] of wanted) {
      for (const node of own) {
        const schema = resolved.schemas.get(nodeKey(node));
        if (schema) entry.schemas?.set(nodeKey(node), schema);
      }
    }
    // A diagnostic belongs to every re-read file whose closure holds the file it is about.
    for (const d of resolved.diagnostics) {
      const owners = stale.filter((s) => d.file === undefined || closures.files(s.path).some((f) => f.rel === d.file));
      for (const owner of owners.length > 0 ? owners : stale) entries.get(owner.path)?.diagnostics.push(d);
    }
    for (const source of stale) {
      const entry = entries.get(source.path) as Entry;
      if (entry.document) this.examples(spec, entry, entry.document, validators);
      else if (entry.draft) this.definition(spec, source, entry, validators);
    }
  }

  /**
   * Merges every example written in the document and validates it against
   * the schema it illustrates: a body's, per media type (by the media type's
   * key; only JSON ones), a parameter's and a header's. Examples written
   * inside schemas are validated against their own node (schema-examples.ts).
   * The body's shown examples are kept for the model; without any, the
   * `example` of its schema is shown.
   */
  private examples(spec: Spec, entry: Entry, document: ApiDocument, validators: Validators): void {
    const merger = new ExampleMerger(spec);
    const draft = document.draft;
    const check = (example: ExampleAt, schema: NodeAt | undefined, text = false): unknown => {
      const merged = merger.mergeAt(example.node.source, example.node.pointer);
      if (merged === undefined || !schema) return merged;
      const value = text ? asText(merged, entry.schemas?.get(nodeKey(schema))) : merged;
      const schemaAt = { pointer: schema.pointer, draft };
      entry.diagnostics.push(...validators.validate(schema.source, example.node.source, value, schemaAt, example.node.pointer));
      return value;
    };
    for (const op of document.operations) {
      for (const p of op.parameters) for (const example of p.examples) check(example, p.schema, true);
      for (const r of op.responses) for (const h of r.headers) for (const example of h.examples) check(example, h.schema, true);
      for (const body of [op.body, ...op.responses.map((r) => r.body)]) {
        if (!body) continue;
        for (const media of body.media) {
          const json = isJsonMediaType(media.mediaType);
          for (const example of media.examples) {
            const value = json ? check(example, media.schema) : merger.mergeAt(example.node.source, example.node.pointer);
            if (value !== undefined && body.examples.includes(example)) entry.examples?.set(exampleKey(example), value);
          }
        }
        const fallback = schemaExample(body);
        const value = fallback && merger.mergeAt(fallback.node.source, fallback.node.pointer);
        if (fallback && value !== undefined) entry.examples?.set(exampleKey(fallback), value);
      }
    }
    const roots = documentSchemaRoots(document.source.value as SchemaObject, schemaNodes(document), document.source);
    // A Swagger 2.0 parameter or header is its own schema: its examples were checked above, as request text.
    const selfSchemas = document.operations.flatMap((op) => [...op.parameters, ...op.responses.flatMap((r) => r.headers)]);
    const checked = new Set(selfSchemas.filter((p) => p.schema === p.node && p.node.source === document.source).map((p) => p.node.pointer));
    entry.diagnostics.push(...merger.diagnostics, ...schemaExamples(spec, document.source, roots, draft, validators, checked));
  }

  /** A definition's checks, which every run makes: its examples (the API folder's own; other files' are the pipeline's). */
  private definition(spec: Spec, source: Source, entry: Entry, validators: Validators): void {
    const own = isDefinition(this.config, source.path);
    if (own) entry.diagnostics.push(...schemaExamples(spec, source, [""], entry.draft ?? "04", validators));
    // `example` (OpenAPI, Swagger) or the first of `examples` (JSON Schema 2020-12).
    const value = isObject(source.value) ? source.value : {};
    const at = "example" in value ? "/example" : Array.isArray(value.examples) && value.examples.length > 0 ? "/examples/0" : undefined;
    if (at) {
      const merger = new ExampleMerger(spec);
      entry.example = { value: merger.mergeAt(source, at) };
      if (own) entry.diagnostics.push(...merger.diagnostics);
    }
  }

  private modelDefinition(source: Source, entry: Entry, schema: SchemaObject): void {
    const examples = [];
    if (entry.example) {
      if (entry.example.value !== undefined) examples.push({ name: "", json: toJson(entry.example.value) });
    } else {
      // As the published spec does: one made from its fields' examples, said to be so.
      const made = composedExample(schema);
      if (made !== undefined) examples.push({ name: "", json: toJson(made), composed: true });
    }
    // One that trips the model costs only its own block.
    try {
      (entry.definition as NonNullable<Entry["definition"]>).model = modelDefinition(this.config, source, schema, examples);
    } catch (e) {
      entry.definition?.diagnostics.push(
        error("internal-error", `modelling the definition failed: ${e instanceof Error ? e.message : String(e)}`, { file: source.rel }),
      );
    }
  }

  /** Models every document, giving each endpoint an anchor no endpoint before it took. */
  private models(documents: readonly Source[], entries: ReadonlyMap<string, Entry>): ApiModel[] {
    const taken = new Set<string>();
    const apis: ApiModel[] = [];
    for (const source of documents) {
      const entry = entries.get(source.path);
      const document = entry?.document;
      if (!entry || !document) continue;
      const anchors = endpointAnchors(document, taken, this.config.layout);
      const key = anchors.join(" ");
      if (entry.model?.anchors !== key) {
        const api = modelApi(this.config, document, inputsOf(entry), anchors);
        const prefixed = new Map<string, ApiModel>();
        api.withAnchorPrefix = (prefix) => {
          let model = prefixed.get(prefix);
          if (!model) {
            const taken = new Set<string>();
            const own = document.operations.map((op) =>
              uniqueId(
                taken,
                `${slugify(prefix)}-${endpointSlug(op.method.toUpperCase(), `${document.basePath}${op.path}`, this.config.layout)}`,
              ),
            );
            model = modelApi(this.config, document, inputsOf(entry), own);
            prefixed.set(prefix, model);
          }
          return model;
        };
        entry.model = { anchors: key, api };
      }
      apis.push(entry.model.api);
    }
    return apis;
  }
}

/** The schema nodes a document's blocks show: parameters, bodies and headers. */
function schemaNodes(document: ApiDocument): SchemaNode[] {
  const nodes: NodeAt[] = [];
  for (const op of document.operations) {
    for (const p of op.parameters) if (p.schema) nodes.push(p.schema);
    for (const body of [op.body, ...op.responses.map((r) => r.body)]) {
      if (body?.schema) nodes.push(body.schema);
      for (const m of body?.media ?? []) if (m.schema) nodes.push(m.schema);
    }
    for (const r of op.responses) for (const h of r.headers) if (h.schema) nodes.push(h.schema);
  }
  // Each node once: Swagger's media types share their body's schema.
  const unique = new Map(nodes.map(({ source, pointer }) => [nodeKey({ source, pointer }), { source, pointer }]));
  return [...unique.values()];
}

/**
 * A parameter's or header's example as the request carries it: as text, so
 * `"3"` is an integer parameter's 3 and `1234` a string parameter's "1234"
 * (the 2020 sources write `x-example` either way). The schema's `type` (of
 * an array's items too) says how the text reads.
 */
function asText(value: unknown, schema: SchemaObject | undefined): unknown {
  if (!schema) return value;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (Array.isArray(value))
    return types.includes("array") && isObject(schema.items) ? value.map((v) => asText(v, schema.items as SchemaObject)) : value;
  if (typeof value === "string") {
    if (types.includes("string")) return value;
    if (types.includes("integer") && /^-?\d+$/.test(value)) return Number(value);
    if (types.includes("number") && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    if (types.includes("boolean") && (value === "true" || value === "false")) return value === "true";
    return value;
  }
  if ((typeof value === "number" || typeof value === "boolean") && types.length === 1 && types[0] === "string") return String(value);
  return value;
}

/** Without examples of its own, a body shows the `example` written in its schema (through `$ref`s). */
function schemaExample(body: BodySpec): ExampleAt | undefined {
  const schema = body.schema;
  if (body.examples.length > 0 || !schema || !isObject(schema.value) || !("example" in schema.value)) return undefined;
  return { node: { source: schema.source, pointer: `${schema.pointer}/example`, value: schema.value.example }, name: "" };
}

/**
 * The definitions: every loaded schema file of the data root (not an API
 * document, an example file or a file of the examples folder), in load order.
 */
export function definitionSources(spec: Spec): Source[] {
  const { config } = spec;
  const root = dataRoot(config);
  const out: Source[] = [];
  for (const s of spec.sources.values()) {
    if (s.kind !== "data" || !isWithin(s.path, root) || isWithin(s.path, config.examples) || spec.exampleFiles.has(s.path)) continue;
    if (isObject(s.value) && apiFormat(s.value) === undefined) out.push(s);
  }
  return out;
}

/** A file under `<api>/definitions/`: a schema the API stage reads (and checks the examples of). */
export function isDefinition(config: Config, file: string): boolean {
  return path.relative(config.apis, file).split(path.sep)[1] === "definitions";
}

function folderOf(config: Config, file: string): string {
  return path.relative(config.apis, file).split(path.sep)[0];
}

/** The definition block names a file's text writes, found once per loaded file. */
const writtenNames = new WeakMap<Source, readonly string[]>();

function blockNamesIn(source: Source): readonly string[] {
  let names = writtenNames.get(source);
  if (!names) {
    names = source.text.includes("definition_") ? [...new Set(source.text.match(/definition_\w+/g))] : [];
    writtenNames.set(source, names);
  }
  return names;
}

function inputsOf(entry: Entry): ApiInputs {
  return { schemas: entry.schemas ?? NONE, examples: entry.examples ?? NONE };
}

/** Each API folder's draft, from its documents: definitions are written like the documents beside them. */
function folderDrafts(config: Config, documents: readonly Source[]): Map<string, Draft> {
  const drafts = new Map<string, Draft>();
  for (const source of documents) {
    const draft = documentDraft(source.value as SchemaObject);
    if (!drafts.has(folderOf(config, source.path))) drafts.set(folderOf(config, source.path), draft);
  }
  return drafts;
}

function draftOfSchema(value: SchemaObject): Draft | undefined {
  const id = value.$schema;
  if (typeof id !== "string") return undefined;
  if (id.includes("draft-04")) return "04";
  if (id.includes("2020-12")) return "2020";
  if (id.includes("2019-09")) return "2019";
  return "07";
}
