/**
 * What a diff compares: the things a spec defines for implementers, each as a
 * neutral tree of resolved schemas and examples. Events come from the schema
 * folder, HTTP endpoints (their request and response bodies) from the API
 * documents; both are resolved by the usual stages and go through the same comparer.
 */
import path from "node:path";
import { type ApiDocument, type BodySpec, type OperationSpec, readApiDocument } from "../api/document.js";
import { apiBlockName, definitionBlockName, endpointAnchors, endpointHeading } from "../api/model.js";
import { definitionSources } from "../api/stage.js";
import type { Config } from "../config.js";
import { type Diagnostic, uniqueDiagnostics } from "../diagnostics.js";
import { ExampleMerger } from "../examples/merge.js";
import { schemaOfExample } from "../examples/validate.js";
import { eventAnchorRule, eventHeadingRule } from "../layouts/layout.js";
import { loadSpec, type Spec } from "../load/index.js";
import { escapePointer } from "../load/source.js";
import { partsLocator, readPage } from "../pages/index.js";
import { BlockRegistry } from "../render/blocks/registry.js";
import type { RenderEnv } from "../render/env.js";
import { createMarkdown } from "../render/markdown.js";
import { SiteIndex } from "../render/site-index.js";
import { eventBlockName, isEventSchema, modelEvent, schemaName } from "../schema/model.js";
import { nodeKey, resolveSchemaNodes, resolveSchemas, type SchemaObject } from "../schema/resolve.js";

export type SubjectKind = "event" | "endpoint";

export interface Subject {
  kind: SubjectKind;
  /** The same subject in two revisions has the same key: an event's schema file name, an endpoint's `METHOD /path`. */
  key: string;
  /** What reports call it: the event's heading (`m.room.message (m.text)`), or `METHOD /path`. */
  target: string;
  /** The file that defines it, relative to the spec root. */
  file: string;
  /**
   * Its schemas, by the JSON pointer their fields start at: an event has one
   * at "" (fields are `/content/reason`); an endpoint has one per body that
   * has a schema (`/request`, `/responses/200`; fields are `/responses/200/changed`).
   */
  schemas: ReadonlyMap<string, SchemaObject>;
  /** Its examples by name, merged with their bases (events only: an endpoint's are not compared). */
  examples: ReadonlyMap<string, unknown>;
  /** Its rendered section, relative to the site's root (`modules/e2e.html#m-room_key-withheld`), when a page shows it. */
  href?: string;
}

export interface SpecSubjects {
  subjects: Subject[];
  /** What the load and resolve stages reported. */
  diagnostics: Diagnostic[];
}

/** Loads and resolves the spec at `config` and lists its subjects. */
export async function specSubjects(config: Config): Promise<SpecSubjects> {
  const { spec, diagnostics } = loadSpec(config);
  const resolved = await resolveSchemas(spec);
  diagnostics.push(...resolved.diagnostics);

  const topSchemas = spec.schemas.filter((s) => path.dirname(s.path) === config.schemas);
  const schemaNames = new Set(topSchemas.map((s) => schemaName(s.path)));
  const examples = eventExamples(spec, schemaNames);
  const pages = blockPages(spec);
  const subjects: Subject[] = [];
  for (const source of topSchemas) {
    const schema = resolved.schemas.get(source.path);
    if (!schema || !isEventSchema(config.schemas, source, schema)) continue;
    const event = modelEvent(source, schema, eventAnchorRule(config), eventHeadingRule(config));
    const page = pages.get(event.blockName);
    subjects.push({
      kind: "event",
      key: event.name,
      target: event.heading,
      file: source.rel,
      schemas: new Map([["", schema]]),
      examples: examples.get(event.name) ?? new Map(),
      href: page && `${page}#${event.anchor}`,
    });
  }
  subjects.push(...(await endpointSubjects(spec, pages, diagnostics)));
  // An API document may reach the event schemas resolved above: their problems are reported once.
  return { subjects, diagnostics: uniqueDiagnostics(diagnostics) };
}

/** Each operation of the API documents, with its bodies' resolved schemas; pushes what reading and resolving reported. */
async function endpointSubjects(spec: Spec, pages: ReadonlyMap<string, string>, diagnostics: Diagnostic[]): Promise<Subject[]> {
  const documents = spec.apis.map((source) => readApiDocument(spec, source)).filter((d): d is ApiDocument => d !== undefined);
  const nodes = documents.flatMap((d) => d.operations.flatMap((op) => bodiesOf(op).flatMap(([, body]) => body.schema ?? [])));
  const resolved = await resolveSchemaNodes(
    spec,
    nodes,
    documents.map((d) => d.source),
  );
  diagnostics.push(...documents.flatMap((d) => d.diagnostics), ...resolved.diagnostics);

  const subjects: Subject[] = [];
  const taken = new Set<string>();
  const keys = new Set<string>();
  for (const document of documents) {
    // The anchors the site gives, documents in the same order as the API stage's.
    const anchors = endpointAnchors(document, taken, spec.config.layout);
    const page = pages.get(apiBlockName(spec.config, document.source.path));
    document.operations.forEach((op, i) => {
      const schemas = new Map<string, SchemaObject>();
      for (const [pointer, body] of bodiesOf(op)) {
        const schema = body.schema && resolved.schemas.get(nodeKey(body.schema));
        if (schema) schemas.set(pointer, schema);
      }
      const heading = endpointHeading(document, op);
      // Two documents may describe the same endpoint: the later ones are told apart by their file.
      const key = keys.has(heading) ? `${heading} (${document.source.rel})` : heading;
      keys.add(key);
      subjects.push({
        kind: "endpoint",
        key,
        target: key,
        file: document.source.rel,
        schemas,
        examples: new Map(),
        href: page && `${page}#${anchors[i]}`,
      });
    });
  }
  return subjects;
}

/** An operation's bodies by the pointer their fields start at: `/request`, `/responses/<status>`. */
function bodiesOf(op: OperationSpec): [string, BodySpec][] {
  const bodies: [string, BodySpec | undefined][] = [
    ["/request", op.body],
    ...op.responses.map((r): [string, BodySpec | undefined] => [`/responses/${escapePointer(r.status)}`, r.body]),
  ];
  return bodies.filter((b): b is [string, BodySpec] => b[1] !== undefined);
}

/** Schema name → its examples (example name → merged value), as the site shows them. */
function eventExamples(spec: Spec, schemaNames: ReadonlySet<string>): Map<string, Map<string, unknown>> {
  const merger = new ExampleMerger(spec);
  const byOwner = new Map<string, Map<string, unknown>>();
  for (const example of spec.examples) {
    if (path.dirname(example.path) !== spec.config.examples || example.value === undefined) continue;
    const name = schemaName(example.path);
    const owner = schemaOfExample(name, schemaNames);
    const value = owner && merger.merge(example);
    if (!owner || value === undefined) continue;
    const list = byOwner.get(owner) ?? new Map<string, unknown>();
    list.set(name, value);
    byOwner.set(owner, list);
  }
  return byOwner;
}

/** Block name → output path of the first page that shows the block. */
function blockPages(spec: Spec): Map<string, string> {
  const { config } = spec;
  const { layout } = config;
  const md = createMarkdown({
    allowHtml: config.allowHtml,
    anchor: layout.anchor,
    siteLink: layout.siteLink?.bind(layout),
    plugins: (m) => layout.markdown?.(m, config),
  });
  const blocks = new BlockRegistry([]);
  const pages = new Map<string, string>();
  const sources = layout.pages(config, spec.pages, []);
  // What a layout's block-call spellings need to name blocks (Hugo's shortcodes), without modelling anything.
  const named = (files: typeof spec.apis, name: (file: string) => string) =>
    files.map((source) => ({ source, blockName: name(source.path) }));
  const context = layout.pageContext?.({
    config,
    pages: sources,
    pageFiles: spec.pages,
    events: spec.schemas
      .filter((s) => path.dirname(s.path) === config.schemas)
      .map((s) => ({ name: schemaName(s.path), blockName: eventBlockName(schemaName(s.path)) })),
    apis: named(
      spec.apis.filter((s) => !isDefinitionFile(config, s.path)),
      (f) => apiBlockName(config, f),
    ),
    definitions: named(definitionSources(spec), (f) => definitionBlockName(config, f)),
    components: [],
  });
  for (const from of sources) {
    const page = from.out;
    const env: RenderEnv = {
      page,
      where: partsLocator(from),
      site: new SiteIndex(),
      blocks,
      diagnostics: [],
      ids: new Set(),
      marks: { links: [], anchors: [] },
      layout: context,
    };
    for (const token of readPage(md, from, env)) {
      const name = token.type === "specgen_block" ? (token.meta.name as string) : undefined;
      if (name && !pages.has(name)) pages.set(name, page);
    }
  }
  return pages;
}

/** A file of an API folder's `definitions/` (as the API stage reads them). */
function isDefinitionFile(config: Config, file: string): boolean {
  return path.relative(config.apis, file).split(path.sep)[1] === "definitions";
}
