/**
 * HTTP API blocks, `{{account_data_cs_http_api}}`: every endpoint of one API
 * document, each a section headed `METHOD /full/path` with its parameters,
 * request body, example request and responses. Field tables and examples are
 * rendered as events' are.
 */
import type MarkdownIt from "markdown-it";
import { isJsonMediaType } from "../../api/document.js";
import type { ApiModel, BodyModel, EndpointModel } from "../../api/model.js";
import { objectId } from "../../identity.js";
import type { FieldTable } from "../../schema/fields.js";
import { renderDescription } from "../describe.js";
import { type RenderEnv, valueLocator } from "../env.js";
import type { Highlighter } from "../highlight.js";
import type { Templates } from "../templates.js";
import { annotationsView, tableTerms, tableView, typeView } from "./event.js";
import { type BlockKind, type BlockOptions, type BlockOutline, byBlockName } from "./registry.js";

export function httpApiBlocks(apis: readonly ApiModel[], templates: Templates, md: MarkdownIt, highlight: Highlighter): BlockKind {
  const byBlock = byBlockName(apis, (api) => api.blockName);
  // `anchor`: a prefix for the block's ids, for two documents that share a page (and describe the same endpoints).
  const chosen = (name: string, options?: BlockOptions) => {
    const api = byBlock.get(name);
    const prefix = options?.anchor;
    return prefix && api?.withAnchorPrefix ? api.withAnchorPrefix(prefix) : api;
  };
  return {
    names: () => byBlock.keys(),
    options: ["anchor"],
    outline(name, options) {
      const api = chosen(name, options);
      return api && apiOutline(api);
    },
    render(name, env, options) {
      const api = chosen(name, options);
      return api?.endpoints.map((endpoint) => templates.endpoint(endpointView(endpoint, md, env, highlight))).join("\n");
    },
  };
}

/** Each endpoint's heading (an h3 in endpoint.hbs, found by the contents and search as an endpoint), its tables' ids and fields. */
function apiOutline(api: ApiModel): BlockOutline {
  const outline: BlockOutline = { key: String(objectId(api)), headings: [], titles: [], ids: [], terms: [] };
  for (const endpoint of api.endpoints) {
    const tables = endpointTables(endpoint);
    outline.headings.push({ level: 3, title: endpoint.heading, id: endpoint.anchor, kind: "endpoint" });
    outline.titles.push({ title: endpoint.heading, id: endpoint.anchor });
    outline.ids.push(endpoint.anchor, ...tables.map((t) => t.anchor));
    outline.terms.push(...tableTerms(tables, endpoint.heading));
  }
  return outline;
}

function endpointTables(endpoint: EndpointModel): FieldTable[] {
  return [
    ...endpoint.parameters.flatMap((p) => p.tables),
    ...(endpoint.request?.tables ?? []),
    ...endpoint.responses.flatMap((r) => [...r.headers, ...(r.body?.tables ?? [])]),
  ];
}

/** Everything endpoint.hbs shows, computed. */
export function endpointView(endpoint: EndpointModel, md: MarkdownIt, env: RenderEnv, highlight: Highlighter) {
  const described = (text: string, origin: EndpointModel["origin"] | undefined) =>
    text ? renderDescription(md, text, env, valueLocator(origin, "description")) : "";
  const example = endpoint.requestExample;
  return {
    anchor: endpoint.anchor,
    heading: endpoint.heading,
    method: endpoint.method,
    methodClass: endpoint.method.toLowerCase(),
    path: endpoint.path,
    summary: endpoint.summary,
    deprecated: endpoint.deprecated,
    // The deprecation notice has its own words above; the notes say the versions.
    notes: { ...annotationsView(endpoint.notes, md, env), deprecated: false },
    requiresAuth: endpoint.requiresAuth,
    authOptional: endpoint.authOptional,
    rateLimited: endpoint.rateLimited,
    descriptionHtml: described(endpoint.description, endpoint.origin),
    parameters: endpoint.parameters.map((group) => ({ title: group.title, tables: group.tables.map((t) => tableView(t, md, env)) })),
    request: endpoint.request && bodyView(endpoint.request, md, env),
    hasRequest: endpoint.parameters.length > 0 || endpoint.request !== undefined,
    requestExample: example && {
      head: example.head,
      html: [
        md.utils.escapeHtml(example.head),
        example.json !== undefined ? highlight(example.json) : md.utils.escapeHtml(example.text ?? ""),
      ]
        .filter((part) => part !== "")
        .join("\n\n"),
    },
    responses: endpoint.responses.map((response) => ({
      status: response.status,
      notes: annotationsView(response.notes, md, env),
      detailed: response.headers.length > 0 || response.body !== undefined || response.examples.length > 0,
      descriptionHtml: described(response.description, response.origin),
      headers: response.headers.map((t) => tableView(t, md, env)),
      body: response.body && bodyView(response.body, md, env),
      examples: response.examples.map((e) => ({ ...e, html: highlight(e.json) })),
    })),
  };
}

function bodyView(body: BodyModel, md: MarkdownIt, env: RenderEnv) {
  // The type line says what the body is when it is not simply the first table (an array, a map, a file).
  const first = body.tables[0];
  const plain = body.type.length === 1 && first !== undefined && body.type[0].anchor === first.anchor;
  const type = plain || body.type.length === 0 ? undefined : typeView(body.type, env);
  const mediaTypes = body.mediaTypes.length > 0 ? body.mediaTypes : body.mediaType ? [body.mediaType] : [];
  return {
    descriptionHtml: body.description ? renderDescription(md, body.description, env, valueLocator(body.origin, "description")) : "",
    mediaType: body.mediaType,
    mediaTypes,
    // Without a type to show, the media types get a line when they say more than "JSON": several, or one that is not JSON.
    mediaOnly: !type && (mediaTypes.length > 1 || mediaTypes.some((m) => !isJsonMediaType(m))),
    type,
    tables: body.tables.map((t) => tableView(t, md, env)),
  };
}
