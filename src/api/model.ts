/**
 * The API model: one EndpointModel per operation and one DefinitionModel per
 * definition file, everything a template needs and nothing it has to compute,
 * built from a read document (document.ts), its resolved schemas and its
 * merged examples. Field tables are the events' (schema/fields.ts).
 */
import path from "node:path";
import type { Config } from "../config.js";
import type { Layout } from "../layouts/layout.js";
import { writtenJson } from "../load/numbers.js";
import { type Origin, origins, type Source } from "../load/source.js";
import type { ExampleView } from "../render/blocks/event.js";
import { uniqueId } from "../render/plugins/headings.js";
import { type Annotations, annotationsOf } from "../schema/annotations.js";
import { buildFieldTables, buildValueTables, type FieldTable, stringOr, type TypePart } from "../schema/fields.js";
import { isObject, nodeKey, type SchemaObject, setOwn } from "../schema/resolve.js";
import { slugify } from "../slug.js";
import type { ApiDocument, BodySpec, ExampleAt, NodeAt, OperationSpec, ParameterSpec } from "./document.js";

export interface BodyModel {
  description: string;
  /** Where the description is written, for diagnostics. */
  origin?: Origin;
  mediaType?: string;
  /** Every media type the body may be sent as, in document order. */
  mediaTypes: string[];
  /** The body's type: `Event`, `[Event]`, `{string: integer}`, `file`. */
  type: TypePart[];
  tables: FieldTable[];
}

export interface ParameterGroup {
  /** `path`, `query`, `header`, `cookie`, `formData`. */
  location: string;
  title: string;
  tables: FieldTable[];
}

export interface ResponseModel {
  status: string;
  /** The response's own version notes and `deprecated`. */
  notes: Annotations;
  description: string;
  origin: Origin;
  headers: FieldTable[];
  body?: BodyModel;
  examples: ExampleView[];
}

export interface RequestExample {
  /** `PUT /_matrix/client/r0/user/%40alice%3Aexample.com/... HTTP/1.1` and header lines. */
  head: string;
  /** The body as JSON text, if there is one. */
  json?: string;
  /** The body as text to show as it is (`<bytes>`), when the document gives one. */
  text?: string;
}

export interface EndpointModel {
  /** The API document. */
  source: Source;
  /** The operation object: its description's place. */
  origin: Origin;
  /** `PUT`. */
  method: string;
  /** Base path and path: `/_matrix/client/r0/user/{userId}/account_data/{type}`. */
  path: string;
  /** `PUT /_matrix/client/r0/user/{userId}/account_data/{type}`. */
  heading: string;
  anchor: string;
  summary: string;
  description: string;
  deprecated: boolean;
  /** The operation's version notes (`x-addedInMatrixVersion`, `x-changedInMatrixVersion`). */
  notes: Annotations;
  requiresAuth: boolean;
  authOptional: boolean;
  rateLimited: boolean;
  parameters: ParameterGroup[];
  request?: BodyModel;
  requestExample?: RequestExample;
  responses: ResponseModel[];
}

/** One API document: the endpoints of one `{{<file>_<api>_http_api}}` block. */
export interface ApiModel {
  source: Source;
  blockName: string;
  title: string;
  endpoints: EndpointModel[];
  /**
   * The same endpoints with anchors under a block's `anchor` option
   * (`prefix-put-_matrix-…`), for two documents sharing a page; kept per prefix.
   */
  withAnchorPrefix?: (prefix: string) => ApiModel;
}

export interface DefinitionModel {
  source: Source;
  /** `definition_ss_pdu_v3`. */
  blockName: string;
  anchor: string;
  title: string;
  description: string;
  /** The definition's own version notes and `deprecated`. */
  notes: Annotations;
  /** The type, when the definition is not an object with fields (an array, a map). */
  type?: TypePart[];
  tables: FieldTable[];
  examples: ExampleView[];
}

/** What the stage worked out for a document: its schemas, resolved, and its examples, merged. */
export interface ApiInputs {
  schemas: ReadonlyMap<string, SchemaObject>;
  examples: ReadonlyMap<string, unknown>;
}

export function exampleKey(example: ExampleAt): string {
  return `${example.node.source.path}#${example.node.pointer}`;
}

const LOCATION_TITLES: Record<string, string> = {
  path: "Path parameters",
  query: "Query parameters",
  header: "Header parameters",
  cookie: "Cookie parameters",
  formData: "Form parameters",
};

/** `api/client-server/account-data.yaml` → `account_data_cs_http_api`. */
export function apiBlockName(config: Config, file: string): string {
  const [folder, ...rest] = path.relative(config.apis, file).split(path.sep);
  if (rest.length === 0) return `${wordOf(folder)}_http_api`;
  return `${wordOf(rest.join("_"))}_${suffixOf(config, folder)}_http_api`;
}

/**
 * The folder a definition is named from: the API folder's parent (the spec
 * root of specgen's own layout, `data/` of the Hugo layout), where every
 * loaded schema file is a definition.
 */
export function dataRoot(config: Config): string {
  return path.dirname(config.apis);
}

/**
 * `api/server-server/definitions/event-schemas/m.receipt.yaml` → `definition_ss_event_schemas_m_receipt`;
 * any other schema file by its path from the data root: `schemas/server-signatures.yaml` → `definition_schemas_server_signatures`.
 */
export function definitionBlockName(config: Config, file: string): string {
  const [folder, definitions, ...rest] = path.relative(config.apis, file).split(path.sep);
  if (definitions === "definitions" && rest.length > 0 && folder !== "..")
    return `definition_${suffixOf(config, folder)}_${wordOf(rest.join("_"))}`;
  return `definition_${wordOf(path.relative(dataRoot(config), file).split(path.sep).join("_"))}`;
}

function suffixOf(config: Config, folder: string): string {
  return Object.hasOwn(config.apiSuffixes, folder) ? config.apiSuffixes[folder] : wordOf(folder);
}

function wordOf(name: string): string {
  return name.replace(/\.(ya?ml|json)$/i, "").replace(/[.$\-/ ]/g, "_");
}

/** The anchor an endpoint has unless another took it first: the layout's rule for endpoints, else its id rule on `METHOD /path`. */
export function endpointSlug(method: string, fullPath: string, layout?: Pick<Layout, "blockIds" | "anchor">): string {
  if (layout?.blockIds) return layout.blockIds.endpoint(method, fullPath);
  return (layout?.anchor ?? slugify)(`${method} ${fullPath}`);
}

/** `PUT /_matrix/client/r0/user/{userId}/account_data/{type}`: the method and the base path and path. */
export function endpointHeading(doc: ApiDocument, op: OperationSpec): string {
  return `${op.method.toUpperCase()} ${doc.basePath}${op.path}`;
}

/**
 * Each operation's anchor, in document order: its slug, or the slug made
 * unique when an endpoint before it (in `taken`, across the site) has it.
 */
export function endpointAnchors(doc: ApiDocument, taken: Set<string>, layout?: Pick<Layout, "blockIds" | "anchor">): string[] {
  return doc.operations.map((op) => uniqueId(taken, endpointSlug(op.method.toUpperCase(), `${doc.basePath}${op.path}`, layout)));
}

export function modelApi(config: Config, doc: ApiDocument, inputs: ApiInputs, anchors: readonly string[]): ApiModel {
  return {
    source: doc.source,
    blockName: apiBlockName(config, doc.source.path),
    title: doc.title,
    endpoints: doc.operations.map((op, i) => modelEndpoint(doc, op, inputs, anchors[i])),
  };
}

function modelEndpoint(doc: ApiDocument, op: OperationSpec, inputs: ApiInputs, anchor: string): EndpointModel {
  const method = op.method.toUpperCase();
  const fullPath = `${doc.basePath}${op.path}`;
  const parameters: ParameterGroup[] = [];
  for (const location of Object.keys(LOCATION_TITLES)) {
    const list = op.parameters.filter((p) => p.location === location);
    if (list.length === 0) continue;
    const title = LOCATION_TITLES[location];
    const fields = fieldsObject(list.map((p) => ({ name: p.name, required: p.required, schema: parameterSchema(p, inputs) })));
    parameters.push({ location, title, tables: buildFieldTables(fields, title, anchor) });
  }
  const request = op.body && bodyModel(op.body, inputs, "Request body", `${anchor}_request`);
  return {
    source: doc.source,
    origin: originOf(op.node),
    method,
    path: fullPath,
    heading: endpointHeading(doc, op),
    anchor,
    summary: op.summary,
    description: op.description,
    deprecated: op.deprecated,
    notes: annotationsOf(op.node.value as SchemaObject),
    requiresAuth: op.requiresAuth,
    authOptional: op.authOptional,
    rateLimited: op.rateLimited,
    parameters,
    request,
    requestExample: requestExample(method, fullPath, op, inputs),
    responses: op.responses.map((r) => {
      const prefix = `${anchor}_response_${slugify(r.status)}`;
      const headers = r.headers.map((h) => ({
        name: h.name,
        required: h.required,
        schema: withDescription(h.node, resolved(h.schema, inputs)),
      }));
      return {
        status: r.status,
        notes: annotationsOf(r.node.value as SchemaObject),
        description: r.description,
        origin: originOf(r.node),
        headers: headers.length > 0 ? buildFieldTables(fieldsObject(headers), "Headers", `${prefix}_headers`) : [],
        // Its heading says "200 response" already.
        body: r.body && bodyModel(r.body, inputs, "Body", prefix),
        examples: r.body ? bodyExamples(r.body, inputs) : [],
      };
    }),
  };
}

export function modelDefinition(config: Config, source: Source, schema: SchemaObject, examples: ExampleView[]): DefinitionModel {
  const blockName = definitionBlockName(config, source.path);
  const title = stringOr(schema.title, path.basename(source.path).replace(/\.(ya?ml|json)$/i, ""));
  const anchor = config.layout.blockIds ? config.layout.blockIds.definition(title) : slugify(blockName);
  const fields = isObject(schema.properties) && Object.keys(schema.properties).length > 0;
  const value = buildValueTables(schema, title, anchor);
  return {
    source,
    blockName,
    anchor,
    title,
    description: stringOr(schema.description),
    // The file's own words, not those of an allOf base.
    notes: annotationsOf(isObject(source.value) ? source.value : schema),
    type: fields ? undefined : value.type,
    tables: value.tables,
    examples,
  };
}

function bodyModel(body: BodySpec, inputs: ApiInputs, fallbackTitle: string, prefix: string): BodyModel | undefined {
  const schema = resolved(body.schema, inputs);
  const mediaTypes = body.media.map((m) => m.mediaType);
  if (!schema && !body.description && mediaTypes.length === 0) return undefined;
  const value = schema ? buildValueTables(schema, stringOr(schema.title, fallbackTitle), prefix, stringOr(schema.description)) : undefined;
  return {
    description: body.description,
    origin: originOf(body.node),
    mediaType: body.mediaType,
    mediaTypes,
    type: value?.type ?? [],
    tables: value?.tables ?? [],
  };
}

/** The body's written examples, else one made from its schema's. */
function bodyExamples(body: BodySpec, inputs: ApiInputs): ExampleView[] {
  const written = body.examples.filter((e) => inputs.examples.has(exampleKey(e)));
  if (written.length > 0) {
    return written.map((e) => ({ name: written.length > 1 ? e.name : "", json: toJson(inputs.examples.get(exampleKey(e))) }));
  }
  const schema = resolved(body.schema, inputs);
  const made = schema && schemaExample(schema);
  return made === undefined ? [] : [{ name: "", json: toJson(made) }];
}

function requestExample(method: string, fullPath: string, op: OperationSpec, inputs: ApiInputs): RequestExample {
  const value = (p: ParameterSpec) => (Array.isArray(p.example) ? p.example : [p.example]).map((v) => String(v));
  let target = fullPath;
  for (const p of op.parameters.filter((p) => p.location === "path" && p.example !== undefined)) {
    target = target.split(`{${p.name}}`).join(encodeURIComponent(value(p)[0]));
  }
  const query = op.parameters
    .filter((p) => p.location === "query" && p.example !== undefined)
    .flatMap((p) => value(p).map((v) => `${encodeURIComponent(p.name)}=${encodeURIComponent(v)}`));
  const lines = [`${method} ${target}${query.length > 0 ? `?${query.join("&")}` : ""} HTTP/1.1`];
  for (const p of op.parameters.filter((p) => p.location === "header" && p.example !== undefined)) lines.push(`${p.name}: ${value(p)[0]}`);
  const text = op.body?.raw;
  const body = op.body && text === undefined ? bodyExamples(op.body, inputs)[0] : undefined;
  if (body || text !== undefined) lines.push(`Content-Type: ${op.body?.mediaType ?? "application/json"}`);
  return { head: lines.join("\n"), json: body?.json, text };
}

/**
 * An example made from a schema: its `example` (or first `examples`), else an
 * object of its properties' examples or an array of its items' example, as the
 * 2020 pipeline made them; undefined when nothing in it has one.
 */
export function schemaExample(schema: SchemaObject, depth = 0): unknown {
  if ("example" in schema) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (depth > 12) return undefined;
  if (isObject(schema.properties)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(schema.properties)) {
      const example = isObject(value) ? schemaExample(value, depth + 1) : undefined;
      if (example !== undefined) setOwn(out, key, example);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (isObject(schema.items)) {
    const item = schemaExample(schema.items, depth + 1);
    return item === undefined ? undefined : [item];
  }
  return undefined;
}

/** An object schema whose properties are the given fields: parameters and headers as a field table. */
function fieldsObject(fields: { name: string; required: boolean; schema: SchemaObject }[]): SchemaObject {
  const properties: SchemaObject = {};
  for (const f of fields) properties[f.name] = f.schema;
  return { type: "object", properties, required: fields.filter((f) => f.required).map((f) => f.name) };
}

const PARAMETER_ONLY = new Set(["name", "in", "required", "schema", "x-example", "example", "examples", "style", "explode"]);

/**
 * A parameter as a field's schema: Swagger 2.0 writes the type on the
 * parameter, OpenAPI 3 in its `schema`; the description and `deprecated` are
 * the parameter's, and so is the origin, for locating the description.
 */
function parameterSchema(p: ParameterSpec, inputs: ApiInputs): SchemaObject {
  const base = resolved(p.schema, inputs) ?? {};
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(base)) if (!(p.schema === p.node && PARAMETER_ONLY.has(k))) setOwn(out, k, v);
  return withDescription(p.node, out);
}

/** What a parameter or header says of itself, over what its schema says. */
const OWN_WORDS = ["description", "deprecated", "x-addedInMatrixVersion", "x-changedInMatrixVersion"];

function withDescription(node: NodeAt, schema: SchemaObject | undefined): SchemaObject {
  const own = isObject(node.value) ? node.value : {};
  const out: SchemaObject = { ...(schema ?? {}) };
  for (const key of OWN_WORDS) if (own[key] !== undefined && own[key] !== false) out[key] = own[key];
  origins.set(out, originOf(node));
  return out;
}

function resolved(node: NodeAt | undefined, inputs: ApiInputs): SchemaObject | undefined {
  return node ? inputs.schemas.get(nodeKey(node)) : undefined;
}

function originOf(node: NodeAt): Origin {
  return { source: node.source, pointer: node.pointer };
}

export function toJson(value: unknown): string {
  return writtenJson(value, 2);
}
