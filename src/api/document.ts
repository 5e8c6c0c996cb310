/**
 * Reading one API document, Swagger 2.0 or OpenAPI 3.x, into the same plain
 * description of its operations: where each parameter, body, response, schema
 * and example is (file and pointer, after following the structural `$ref`s of
 * parameters, responses, request bodies and examples). Structural problems are
 * diagnostics at their line; nothing here resolves schemas or merges examples.
 */

import { type Diagnostic, error, warning } from "../diagnostics.js";
import type { Draft } from "../examples/validate.js";
import { refTargetAt, type Spec } from "../load/index.js";
import { at, escapePointer, type Source } from "../load/source.js";
import type { RuleCode } from "../rules.js";
import { isObject, resolvePointer, type SchemaObject } from "../schema/resolve.js";

export type ApiFormat = "swagger-2.0" | "openapi-3";

/** A node of a loaded file, where a structural `$ref` chain ended. */
export interface NodeAt {
  source: Source;
  pointer: string;
  value: unknown;
}

export interface ExampleAt {
  /** The node holding the example value. */
  node: NodeAt;
  /** The media type or the example's name, when there are several. */
  name: string;
}

export interface ParameterSpec {
  name: string;
  /** `path`, `query`, `header`, `cookie` or (Swagger) `formData`. */
  location: string;
  required: boolean;
  /** The parameter object: its description and `deprecated`. */
  node: NodeAt;
  /** What to resolve as its schema: the parameter itself in Swagger 2.0, its `schema` in OpenAPI 3. */
  schema?: NodeAt;
  /** `x-example`, `example` or the first of `examples`: for the example request. */
  example?: unknown;
  /** Every example written on the parameter (`x-example`, `example`, each of `examples`), validated against its schema. */
  examples: ExampleAt[];
}

/** One media type of a body's `content` (or, in Swagger 2.0, of its `examples`). */
export interface MediaSpec {
  mediaType: string;
  schema?: NodeAt;
  /** Its written examples (`example`, each `examples.<name>.value`), named by example name. */
  examples: ExampleAt[];
}

/** A response header: its schema (the header itself in Swagger 2.0) and its written examples. */
export interface HeaderSpec {
  name: string;
  required: boolean;
  node: NodeAt;
  schema?: NodeAt;
  examples: ExampleAt[];
}

/** A request or response body. */
export interface BodySpec {
  description: string;
  /** The node whose `description` that is, for diagnostics. */
  node: NodeAt;
  mediaType?: string;
  schema?: NodeAt;
  /** Written examples, in document order. */
  examples: ExampleAt[];
  /** Text to show as the example request's body as it is (Swagger's `x-example` on a body parameter: `<bytes>`). */
  raw?: string;
  /** Every media type, in document order, each with its schema and examples (the shown one among them). */
  media: MediaSpec[];
}

export interface ResponseSpec {
  status: string;
  description: string;
  node: NodeAt;
  headers: HeaderSpec[];
  body?: BodySpec;
}

export interface OperationSpec {
  method: string;
  /** The path as written, trimmed. */
  path: string;
  node: NodeAt;
  summary: string;
  description: string;
  deprecated: boolean;
  requiresAuth: boolean;
  /** Some `security` alternatives name a scheme and one is empty (`{}`): authentication is optional. */
  authOptional: boolean;
  rateLimited: boolean;
  parameters: ParameterSpec[];
  body?: BodySpec;
  responses: ResponseSpec[];
}

export interface ApiDocument {
  source: Source;
  format: ApiFormat;
  /** The JSON Schema draft its schemas are written in. */
  draft: Draft;
  title: string;
  /** `basePath`, or the path of the first server's URL. */
  basePath: string;
  operations: OperationSpec[];
  diagnostics: Diagnostic[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const PATH_ITEM_KEYS = new Set([...METHODS, "parameters", "summary", "description", "servers", "$ref"]);
const LOCATIONS: Record<ApiFormat, readonly string[]> = {
  "swagger-2.0": ["path", "query", "header", "body", "formData"],
  "openapi-3": ["path", "query", "header", "cookie"],
};

export function apiFormat(value: unknown): ApiFormat | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.swagger === "string" || typeof value.swagger === "number") return "swagger-2.0";
  if (typeof value.openapi === "string") return "openapi-3";
  return undefined;
}

/** Swagger 2.0 and OpenAPI 3.0 write draft-04 schemas; OpenAPI 3.1 writes 2020-12. */
export function documentDraft(value: SchemaObject): Draft {
  return typeof value.openapi === "string" && /^3\.[1-9]/.test(value.openapi) ? "2020" : "04";
}

export function readApiDocument(spec: Spec, source: Source): ApiDocument | undefined {
  const format = apiFormat(source.value);
  if (!format) return undefined;
  return new DocumentReader(spec, source, format).read();
}

const JSON_MEDIA = /^application\/(?:[\w.+-]*\+)?json\b/i;

export function isJsonMediaType(mediaType: string): boolean {
  return JSON_MEDIA.test(mediaType);
}

class DocumentReader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly root: SchemaObject;

  constructor(
    private readonly spec: Spec,
    private readonly source: Source,
    private readonly format: ApiFormat,
  ) {
    this.root = source.value as SchemaObject;
  }

  read(): ApiDocument {
    const { root, source, format } = this;
    const operations: OperationSpec[] = [];
    const paths = root.paths;
    if (paths !== undefined && !isObject(paths)) this.problem("/paths", "paths must be a mapping of paths to path items");
    for (const [key, raw] of Object.entries(isObject(paths) ? paths : {})) {
      const pointer = `/paths/${escapePointer(key)}`;
      const path = key.trim();
      if (path !== key) {
        this.warn("api-path-space", pointer, `path "${key}" has white space around it; it is shown as "${path}"`);
      }
      if (!path.startsWith("/")) this.problem(pointer, `path "${key}" must start with /`);
      const item = this.follow({ source, pointer, value: raw });
      if (!item) continue;
      if (!isObject(item.value)) {
        this.problem(item.pointer, `the path item of ${path} must be a mapping of methods to operations`, item.source);
        continue;
      }
      for (const name of Object.keys(item.value)) {
        if (!PATH_ITEM_KEYS.has(name) && !name.startsWith("x-")) {
          this.problem(`${item.pointer}/${escapePointer(name)}`, `"${name}" is not an HTTP method nor a path item field`, item.source);
        }
      }
      const shared = this.parameterList(item, "parameters");
      for (const method of Object.keys(item.value).filter((k) => METHODS.includes(k))) {
        const op = { source: item.source, pointer: `${item.pointer}/${method}`, value: item.value[method] };
        if (!isObject(op.value)) {
          this.problem(op.pointer, `${method.toUpperCase()} ${path}: an operation must be a mapping`, op.source);
          continue;
        }
        operations.push(this.operation(method, path, op as NodeAt & { value: SchemaObject }, shared));
      }
    }
    const info = isObject(root.info) ? root.info : {};
    return {
      source,
      format,
      draft: documentDraft(root),
      title: typeof info.title === "string" ? info.title : "",
      basePath: this.basePath(),
      operations,
      diagnostics: this.diagnostics,
    };
  }

  private basePath(): string {
    const { root } = this;
    if (this.format === "swagger-2.0") return typeof root.basePath === "string" ? root.basePath.replace(/\/+$/, "") : "";
    const server = Array.isArray(root.servers) && isObject(root.servers[0]) ? root.servers[0] : undefined;
    if (!server || typeof server.url !== "string") return "";
    // Server variables take their defaults: `{version}` → `v3`.
    const variables = isObject(server.variables) ? server.variables : {};
    const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
      const v = variables[name];
      return isObject(v) && typeof v.default === "string" ? v.default : whole;
    });
    return url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, "").replace(/\/+$/, "");
  }

  private operation(method: string, path: string, op: NodeAt & { value: SchemaObject }, shared: ParameterSpec[]): OperationSpec {
    const own = this.parameterList(op, "parameters");
    // An operation's parameter replaces a path item's of the same name and location.
    const parameters = [...shared.filter((s) => !own.some((o) => o.name === s.name && o.location === s.location)), ...own];
    const body =
      this.format === "swagger-2.0"
        ? this.swaggerBody(parameters, op)
        : this.openApiBody(op, "requestBody", `${method.toUpperCase()} ${path}`);
    for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
      if (!parameters.some((p) => p.location === "path" && p.name === name)) {
        this.warn("api-path-parameter", op.pointer, `${method.toUpperCase()} ${path}: no path parameter describes {${name}}`, op.source);
      }
    }
    const responses = this.responses(op, `${method.toUpperCase()} ${path}`);
    const security = op.value.security ?? this.root.security;
    const alternatives = Array.isArray(security) ? security : [];
    const named = alternatives.filter((s) => isObject(s) && Object.keys(s).length > 0).length;
    return {
      method,
      path,
      node: op,
      summary: stringOf(op.value.summary),
      description: stringOf(op.value.description),
      deprecated: op.value.deprecated === true,
      // Authentication is required when every alternative names a scheme (an empty one makes it optional).
      requiresAuth: alternatives.length > 0 && named === alternatives.length,
      authOptional: named > 0 && named < alternatives.length,
      rateLimited: op.value["x-rateLimited"] === true || responses.some((r) => r.status === "429"),
      parameters: parameters.filter((p) => p.location !== "body"),
      body,
      responses,
    };
  }

  private parameterList(holder: NodeAt, key: string): ParameterSpec[] {
    const list = (holder.value as SchemaObject)[key];
    if (list === undefined) return [];
    const pointer = `${holder.pointer}/${key}`;
    if (!Array.isArray(list)) {
      this.problem(pointer, "parameters must be a list", holder.source);
      return [];
    }
    const out: ParameterSpec[] = [];
    list.forEach((raw, i) => {
      const node = this.follow({ source: holder.source, pointer: `${pointer}/${i}`, value: raw });
      if (!node) return;
      const p = node.value;
      if (!isObject(p) || typeof p.name !== "string" || typeof p.in !== "string") {
        this.problem(node.pointer, "a parameter must be a mapping with a name and an in", node.source);
        return;
      }
      if (!LOCATIONS[this.format].includes(p.in)) {
        this.problem(`${node.pointer}/in`, `parameter ${p.name}: in must be one of ${LOCATIONS[this.format].join(", ")}`, node.source);
        return;
      }
      const swagger = this.format === "swagger-2.0";
      const schemaAt = swagger && p.in !== "body" ? node : this.child(node, "schema");
      out.push({
        name: p.name,
        location: p.in,
        required: p.required === true || p.in === "path",
        node,
        schema: schemaAt,
        example: p["x-example"] ?? p.example ?? firstExampleValue(p.examples),
        examples: p.in === "body" ? [] : this.writtenExamples(node),
      });
    });
    return out;
  }

  /** Swagger 2.0: the `in: body` parameter; its `example` (a Matrix habit) or its schema's. */
  private swaggerBody(parameters: ParameterSpec[], op: NodeAt): BodySpec | undefined {
    const param = parameters.find((p) => p.location === "body");
    if (!param) return undefined;
    const value = param.node.value as SchemaObject;
    const examples: ExampleAt[] = [];
    if ("example" in value) examples.push({ node: this.childNode(param.node, "example"), name: "" });
    const consumes = (op.value as SchemaObject).consumes ?? this.root.consumes;
    const types = Array.isArray(consumes) ? consumes.filter((c): c is string => typeof c === "string") : [];
    const mediaType = types[0] ?? "application/json";
    return {
      description: stringOf(value.description),
      node: param.node,
      mediaType,
      schema: param.schema,
      examples,
      raw: typeof value["x-example"] === "string" ? value["x-example"] : undefined,
      media: (types.length > 0 ? types : [mediaType]).map((t, i) => ({
        mediaType: t,
        schema: param.schema,
        examples: i === 0 ? examples : [],
      })),
    };
  }

  /** OpenAPI 3: a request body or response's `content`: every media type; the JSON one's (else the first's) is shown. */
  private openApiBody(holder: NodeAt, key: string, where: string): BodySpec | undefined {
    const node = key ? this.child(holder, key) : holder;
    if (!node) return undefined;
    if (!isObject(node.value)) {
      this.problem(node.pointer, `${where}: ${key || "the response"} must be a mapping`, node.source);
      return undefined;
    }
    const description = stringOf(node.value.description);
    const content = this.child(node, "content");
    if (!content) return key ? { description, node, examples: [], media: [] } : undefined;
    if (!isObject(content.value)) {
      this.problem(content.pointer, `${where}: content must be a mapping of media types`, content.source);
      return undefined;
    }
    const media: MediaSpec[] = [];
    for (const mediaType of Object.keys(content.value)) {
      const entry = this.child(content, mediaType);
      if (!entry || !isObject(entry.value)) continue;
      media.push({ mediaType, schema: this.child(entry, "schema"), examples: this.writtenExamples(entry) });
    }
    const shown = media.find((m) => isJsonMediaType(m.mediaType)) ?? media[0];
    if (!shown) return { description, node, examples: [], media };
    return { description, node, mediaType: shown.mediaType, schema: shown.schema, examples: shown.examples, media };
  }

  /**
   * The examples written on a media type, parameter or header: `x-example`
   * (Swagger 2.0, a Matrix habit), `example`, and the `value` of each of
   * `examples` (named); an `externalValue` is not read.
   */
  private writtenExamples(holder: NodeAt): ExampleAt[] {
    const own = holder.value as SchemaObject;
    const out: ExampleAt[] = [];
    if ("x-example" in own && this.format === "swagger-2.0") out.push({ node: this.childNode(holder, "x-example"), name: "" });
    if ("example" in own) out.push({ node: this.childNode(holder, "example"), name: "" });
    const named = this.format === "openapi-3" ? this.child(holder, "examples") : undefined;
    if (named && isObject(named.value)) {
      for (const name of Object.keys(named.value)) {
        const example = this.child(named, name);
        if (!example || !isObject(example.value)) continue;
        if ("value" in example.value) out.push({ node: this.childNode(example, "value"), name });
        else if ("externalValue" in example.value) {
          this.warn("api-example-external", example.pointer, `example ${name} is an externalValue, which is not shown`, example.source);
        }
      }
    }
    return out;
  }

  private responses(op: NodeAt, where: string): ResponseSpec[] {
    const responses = this.child(op, "responses");
    if (!responses) {
      if (this.format === "swagger-2.0") this.problem(op.pointer, `${where}: an operation must have responses`, op.source);
      return [];
    }
    if (!isObject(responses.value)) {
      this.problem(responses.pointer, `${where}: responses must be a mapping of status codes`, responses.source);
      return [];
    }
    const out: ResponseSpec[] = [];
    for (const status of Object.keys(responses.value)) {
      if (status.startsWith("x-")) continue;
      if (!/^(?:[1-5](?:\d\d|XX)|default)$/i.test(status)) {
        this.problem(`${responses.pointer}/${escapePointer(status)}`, `${where}: "${status}" is not a status code`, responses.source);
        continue;
      }
      const node = this.child(responses, status);
      if (!node) continue;
      if (!isObject(node.value)) {
        this.problem(node.pointer, `${where}: response ${status} must be a mapping`, node.source);
        continue;
      }
      if (typeof node.value.description !== "string") {
        this.warn("api-response-description", node.pointer, `${where}: response ${status} has no description`, node.source);
      }
      out.push({
        status,
        description: stringOf(node.value.description),
        node,
        headers: this.headers(node),
        body: this.format === "swagger-2.0" ? this.swaggerResponseBody(node) : this.openApiBody(node, "", `${where} ${status}`),
      });
    }
    return out;
  }

  private swaggerResponseBody(node: NodeAt): BodySpec | undefined {
    const examples: ExampleAt[] = [];
    const written = this.child(node, "examples");
    if (written && isObject(written.value)) {
      for (const mediaType of Object.keys(written.value)) {
        if (!/^[\w.+-]+\/[\w.+*-]+$/.test(mediaType)) {
          this.warn(
            "api-example-media-type",
            `${written.pointer}/${escapePointer(mediaType)}`,
            `examples key "${mediaType}" is not a media type (is it indented too far?)`,
            written.source,
          );
          continue;
        }
        examples.push({ node: this.childNode(written, mediaType), name: mediaType });
      }
    }
    const schema = this.child(node, "schema");
    if (!schema && examples.length === 0) return undefined;
    const mediaType = examples.find((e) => isJsonMediaType(e.name))?.name ?? examples[0]?.name;
    // The media types are those the examples name (`produces` lists what the server may send, not what this body is).
    const media = examples.map((e) => ({ mediaType: e.name, schema, examples: [e] }));
    return { description: "", node, mediaType, schema, examples: examples.filter((e) => e.name === mediaType), media };
  }

  private headers(response: NodeAt): HeaderSpec[] {
    const headers = this.child(response, "headers");
    if (!headers || !isObject(headers.value)) return [];
    const out: HeaderSpec[] = [];
    for (const name of Object.keys(headers.value)) {
      const node = this.child(headers, name);
      if (!node || !isObject(node.value)) continue;
      const schema = this.format === "swagger-2.0" ? node : this.child(node, "schema");
      out.push({ name, required: node.value.required === true, node, schema, examples: this.writtenExamples(node) });
    }
    return out;
  }

  /** The child `key` of a node, its structural `$ref`s followed; undefined when absent or unresolved. */
  private child(node: NodeAt, key: string): NodeAt | undefined {
    if (!isObject(node.value) || !(key in node.value)) return undefined;
    return this.follow(this.childNode(node, key));
  }

  private childNode(node: NodeAt, key: string): NodeAt {
    return { source: node.source, pointer: `${node.pointer}/${escapePointer(key)}`, value: (node.value as SchemaObject)[key] };
  }

  /**
   * Follows a chain of `$ref`s (to another file or into this one). One that
   * lands nowhere returns undefined: the load and resolve stages report it at its line.
   */
  follow(node: NodeAt): NodeAt | undefined {
    let current = node;
    for (let hops = 0; isObject(current.value) && typeof current.value.$ref === "string"; hops++) {
      if (hops > 32) {
        this.problem(node.pointer, "$ref chain loops", node.source);
        return undefined;
      }
      const target = refTargetAt(this.spec, current.source, current.pointer, current.value.$ref);
      if (target.kind !== "file") return undefined;
      const source = this.spec.sources.get(target.path);
      if (!source || source.value === undefined) return undefined;
      const value = resolvePointer(source.value, target.fragment);
      if (value === undefined) return undefined;
      current = { source, pointer: target.fragment, value };
    }
    return current;
  }

  private problem(pointer: string, message: string, source = this.source): void {
    this.diagnostics.push(error("api-malformed", message, { ...at(source, pointer), pointer }));
  }

  private warn(code: RuleCode, pointer: string, message: string, source = this.source): void {
    this.diagnostics.push(warning(code, message, { ...at(source, pointer), pointer }));
  }
}

function stringOf(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function firstExampleValue(examples: unknown): unknown {
  if (!isObject(examples)) return undefined;
  const first = Object.values(examples)[0];
  return isObject(first) ? first.value : undefined;
}
