/**
 * The render stage: every Markdown page to an HTML file. All pages are parsed
 * first, so that the site index knows every heading and every block's titles
 * before any `` `Title`_ `` reference resolves, and the navigation knows every
 * page's sections; then each page renders.
 *
 * A SiteRenderer remembers each page's parse and HTML, keyed by everything they
 * depend on, so a rebuild renders only the pages whose inputs changed. A cold
 * build is the same code with nothing remembered.
 */

import path from "node:path";
import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import type { ApiModel } from "../api/model.js";
import type { DefinitionRef } from "../api/stage.js";
import type { Config } from "../config.js";
import type { Diagnostic } from "../diagnostics.js";
import { objectId } from "../identity.js";
import type { PageSource } from "../layouts/layout.js";
import type { Source } from "../load/source.js";
import { partsLocator, readPage } from "../pages/index.js";
import { rstDocumentOf } from "../pages/rst/index.js";
import type { RstDocument } from "../pages/rst/nodes.js";
import { BlockCache } from "../render/block-cache.js";
import { type ComponentSchema, commonFieldBlocks } from "../render/blocks/common.js";
import { definitionBlocks } from "../render/blocks/definition.js";
import { type ExampleView, eventBlocks, eventSections } from "../render/blocks/event.js";
import { groupBlocks } from "../render/blocks/group.js";
import { httpApiBlocks } from "../render/blocks/http-api.js";
import { BlockRegistry, type OutlineHeading, type OutlineTerm } from "../render/blocks/registry.js";
import type { PageMarks, RenderEnv } from "../render/env.js";
import { type Highlighter, highlightJson } from "../render/highlight.js";
import { createMarkdown } from "../render/markdown.js";
import { pathHref, SiteIndex } from "../render/site-index.js";
import { ASSET_NAMES, compileTemplates, type Templates } from "../render/templates.js";
import type { EventModel } from "../schema/model.js";
import { readFileSync, statSync } from "../trace.js";
import { type CheckedPage, type PageLinks, pageLinks } from "./links.js";
import { pageNav } from "./nav.js";
import { SEARCH_INDEX_FILE, type SearchPage, searchIndexChunks } from "./search.js";

export interface SiteInput {
  config: Config;
  /** The pages as the layout makes them, in any order. */
  pages: readonly PageSource[];
  /** Every loaded file of the pages folder (those only included by pages too). */
  pageFiles?: readonly Source[];
  templates: ReadonlyMap<string, string>;
  events: readonly EventModel[];
  examples: ReadonlyMap<string, ExampleView[]>;
  /** Schemas that are not events, for the common-fields blocks. */
  components: readonly ComponentSchema[];
  /** API documents, for the http-api blocks, and API definitions, for the definition blocks. */
  apis: readonly ApiModel[];
  definitions: readonly DefinitionRef[];
  /**
   * What only a site for readers needs (build, serve): examples' JSON highlighted,
   * and the search index. Without it (check) examples are escaped text and the
   * index is empty: no diagnostic depends on either.
   */
  publish?: boolean;
  /**
   * Takes each file as soon as it is made (a cold build writes it to its
   * staging folder), so that the site's HTML is never all held at once;
   * nothing of it is then kept for a rebuild either. Without it, `files` holds the site.
   */
  emit?: (file: string, content: FileContent) => void;
  /** Targets and substitutions defined in descriptions, for RST pages (their descriptions may use them). */
  rstDefinitions?: RstDocument;
}

/** A file's text, whole or in pieces to be written one after the other (a large file is never held whole), or bytes copied as they are. */
export type FileContent = string | Iterable<string> | Uint8Array;

/** The text of a file given in pieces. */
export function joinContent(content: string | Iterable<string>): string {
  return typeof content === "string" ? content : [...content].join("");
}

export interface RenderedSite {
  /** Output path → content, of every file not given to `emit`. */
  files: Map<string, string>;
  /** Output path → bytes of the layout's static files not given to `emit`. */
  staticFiles: Map<string, Uint8Array>;
  /** Every output path, in the order made. */
  paths: Set<string>;
  /** Output path of each HTML page → what the link check needs of it. */
  pages: Map<string, CheckedPage>;
  diagnostics: Diagnostic[];
  /** Definitions a page showed that had no model yet: the site is wrong until they have one and it renders again. */
  unmodelled: Source[];
}

/** A page after the first pass: its outline, and what its content needs to render. */
interface ParsedPage extends SearchPage {
  /** What the page is made of (none for the fallback index). */
  page?: PageSource;
  /** Its first file: where reports about the page as a whole go. */
  source?: Source;
  headings: OutlineHeading[];
  terms: OutlineTerm[];
  /** The page's own headings, the title included: ids taken at parse time. */
  anchors: { title: string; id: string }[];
  blocks: string[];
  /** The keys of the page's blocks when it was parsed (block ids shape heading ids), in the order of `blocks`. */
  blockKeys: (string | undefined)[];
  /** The titles that references may use for the page's blocks. */
  blockTitles: { title: string; id: string }[];
  tokens?: Token[];
  /** Fixed content (the fallback index page). */
  html?: string;
  /** The layout's title, shown as the page's heading because its text has no h1 (Hugo's front matter `title`). */
  titleHeading?: string;
  /** What parsing found (a block repeated on the page). */
  diagnostics: Diagnostic[];
  /** The page's own links and ids, with their places. */
  marks: PageMarks;
}

interface RenderedPage {
  /** The setup, the site's outline and the page's text it was rendered with, and its blocks' keys. */
  key: string;
  blockKeys: (string | undefined)[];
  html: string;
  diagnostics: Diagnostic[];
  /** Links and ids of the page and of the descriptions rendered into it. */
  marks: PageMarks;
  /** The ids and hrefs of its HTML. */
  links: PageLinks;
}

/** How long a render runs between yields to the event loop (by Date.now: the first `performance` loads perf_hooks, 1.6 ms of a check). */
const YIELD_MS = 20;

export class SiteRenderer {
  /** The templates (the map they came in, and their texts as JSON), and a number that changes with them: it is in every page's key. */
  private setup?: { given: ReadonlyMap<string, string>; sources: string; version: number; md: MarkdownIt; templates: Templates };
  /** By output path. */
  private parsed = new Map<string, ParsedPage>();
  private rendered = new Map<string, RenderedPage>();
  /** The pages the search index was made of (compared by their keys only on a rebuild: a cold build would only pay for them). */
  private search?: { pages: readonly ParsedPage[]; script: string };
  /** The outlines of all pages the last render saw, a number that changes with them, and their site index. */
  private outlines: { keys: string[]; version: number; site?: SiteIndex } = { keys: [], version: 0 };
  /**
   * Each page's blocks, kept from the second render on (a cold build renders
   * once and would only pay for them), while the setup and highlighter are the same.
   */
  private blockCaches?: { setup: number; highlight: Highlighter; pages: Map<string, BlockCache> };
  private renders = 0;
  /** The static files copied by the last render, by their path. */
  private copied = new Map<string, { stamp: string; bytes: Uint8Array }>();
  /** The names of what the layout's plugins could name, when the pages were parsed. */
  private layoutKey?: string;
  /** What the layout's plugins read in this render (Layout.pageContext). */
  private layoutContext?: unknown;

  constructor(private readonly config: Config) {}

  /**
   * Renders the site. It yields to the event loop between pages every few
   * milliseconds, so that a signal (a stopped build removes its staging folder)
   * or a preview's request is handled during a long render, never in the
   * middle of a page.
   */
  async render(input: SiteInput): Promise<RenderedSite> {
    const { config } = this;
    const { md, templates, version: setupVersion } = this.prepare(input.templates);
    const highlight: Highlighter = input.publish ? highlightJson : md.utils.escapeHtml;
    const sections = eventSections(input.examples, templates, md, highlight);
    const layoutDiagnostics: Diagnostic[] = [];
    const unmodelled = new Set<Source>();
    const blocks = new BlockRegistry([
      eventBlocks(input.events, sections),
      groupBlocks(config.groups, input.events, sections),
      commonFieldBlocks(input.components, templates, md),
      httpApiBlocks(input.apis, templates, md, highlight),
      definitionBlocks(input.definitions, templates, md, highlight, unmodelled),
      ...(config.layout.blocks?.(config, md, layoutDiagnostics) ?? []),
    ]);
    const blockKeys = (names: readonly string[]) => names.map((n) => blocks.outline(n)?.key);

    this.layoutContext = config.layout.pageContext?.({
      config,
      pages: input.pages,
      pageFiles: input.pageFiles ?? [],
      events: input.events,
      apis: input.apis,
      definitions: input.definitions,
      components: input.components,
    });
    // A layout's page syntax may name data by file (Hugo's shortcodes): when what there is changes, every page is read again.
    if (config.layout.pageContext) {
      const names = (list: readonly { source: Source }[]) => list.map((x) => x.source.path);
      const key = JSON.stringify([
        input.events.map((e) => e.name),
        names(input.apis),
        names(input.definitions),
        input.components.map((c) => c.name),
        (input.pageFiles ?? []).map((s) => s.path),
      ]);
      if (key !== this.layoutKey) this.parsed = new Map();
      this.layoutKey = key;
    }
    const parsed = new Map<string, ParsedPage>();
    for (const page of input.pages) {
      const known = this.parsed.get(page.out);
      const same = known?.page && samePage(known.page, page) && sameStrings(known.blockKeys, blockKeys(known.blocks));
      parsed.set(page.out, same && known ? known : this.parse(md, blocks, page, blockKeys));
    }
    this.parsed = parsed;
    const pages = [...parsed.values()];
    if (!pages.some((p) => p.out === "index.html")) pages.push(fallbackIndex(config, pages, md.utils.escapeHtml));
    pages.sort(navOrder);

    // Every page shows the navigation, and links through the site index: both are in every page's key.
    const { version, site } = this.siteOutline(pages);
    const siteKey = `${setupVersion}\n${version}`;

    const files = new Map<string, string>();
    const staticFiles = new Map<string, Uint8Array>();
    const paths = new Set<string>();
    const put = (file: string, content: FileContent) => {
      paths.add(file);
      if (input.emit) input.emit(file, content);
      else if (content instanceof Uint8Array) staticFiles.set(file, content);
      else files.set(file, joinContent(content));
    };
    const checked = new Map<string, CheckedPage>();
    const diagnostics: Diagnostic[] = [...layoutDiagnostics];
    const rendered = new Map<string, RenderedPage>();
    const blockCaches = this.keptBlocks(setupVersion, highlight, pages);
    let yielded = Date.now();
    for (const page of pages) {
      if (Date.now() - yielded > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = Date.now();
      }
      const key = `${siteKey}\n${page.page ? pageKey(page.page) : "fallback"}`;
      let result = this.rendered.get(page.out);
      if (result?.key !== key || !sameStrings(result.blockKeys, page.blockKeys)) {
        const env: RenderEnv = {
          page: page.out,
          where: page.page ? partsLocator(page.page) : () => ({}),
          site,
          blocks,
          diagnostics: [],
          marks: { links: [], anchors: [] },
          ids: new Set([...page.anchors.map((a) => a.id), ...page.blocks.flatMap((b) => blocks.outline(b)?.ids ?? [])]),
          blockCache: blockCaches?.get(page.out),
          layout: this.layoutContext,
          formats: this.config.formatTitles,
          rst: withDefinitions(rstDocumentOf(page.tokens), input.rstDefinitions),
        };
        env.blockCache?.begin(env.ids);
        const heading = page.titleHeading ? `<h1>${md.utils.escapeHtml(page.titleHeading)}</h1>\n` : "";
        const content = page.tokens ? heading + md.renderer.render(page.tokens, md.options, env) : (page.html ?? "");
        const up = "../".repeat(page.out.split("/").length - 1);
        const html = templates.page({
          site: { title: config.title, version: config.version },
          page: { title: page.title, path: page.out },
          home: `${up}index.html`,
          assets: up,
          ...pageNav(pages, page.out),
          content,
        });
        const pageMarks = { links: [...page.marks.links, ...env.marks.links], anchors: [...page.marks.anchors, ...env.marks.anchors] };
        const links = pageLinks(html);
        result = { key, blockKeys: page.blockKeys, html, diagnostics: env.diagnostics, marks: pageMarks, links };
      }
      // Given to `emit`, the page's HTML is let go at once.
      if (!input.emit) rendered.set(page.out, result);
      put(page.out, result.html);
      checked.set(page.out, { source: page.source, marks: result.marks, links: result.links });
      diagnostics.push(...page.diagnostics, ...result.diagnostics);
    }
    this.rendered = rendered;
    // Listed either way, so that a link to it checks the same.
    put(SEARCH_INDEX_FILE, !input.publish ? "" : input.emit ? searchIndexChunks(pages) : this.searchScript(pages));
    for (const name of ASSET_NAMES) put(name, input.templates.get(name) ?? "");
    for (const [file, content] of this.staticFiles()) if (!paths.has(file)) put(file, content);
    return { files, staticFiles, paths, pages: checked, diagnostics, unmodelled: [...unmodelled] };
  }

  /**
   * The layout's static files (images, diagrams), read again only when their
   * size or time changed: a rebuild hands the preview the same bytes, which it
   * then does not count as changed.
   */
  private staticFiles(): [string, Uint8Array][] {
    const list = this.config.layout.staticFiles?.(this.config) ?? new Map<string, string>();
    const kept = new Map<string, { stamp: string; bytes: Uint8Array }>();
    const out: [string, Uint8Array][] = [];
    for (const [file, from] of list) {
      let stat: ReturnType<typeof statSync>;
      try {
        stat = statSync(from);
      } catch {
        continue;
      }
      const stamp = `${stat.size}:${stat.mtimeMs}`;
      let entry = this.copied.get(from);
      if (entry?.stamp !== stamp) entry = { stamp, bytes: readFileSync(from) };
      kept.set(from, entry);
      out.push([file, entry.bytes]);
    }
    this.copied = kept;
    return out;
  }

  /** The block caches of the pages, by source, when blocks are kept. */
  private keptBlocks(setup: number, highlight: Highlighter, pages: readonly ParsedPage[]): Map<string, BlockCache> | undefined {
    if (this.renders++ === 0) return undefined;
    const known = this.blockCaches?.setup === setup && this.blockCaches.highlight === highlight ? this.blockCaches.pages : new Map();
    const kept = new Map<string, BlockCache>();
    for (const { page, out } of pages) if (page) kept.set(out, known.get(out) ?? new BlockCache());
    this.blockCaches = { setup, highlight, pages: kept };
    return kept;
  }

  /** The markdown-it instance and compiled templates, rebuilt only when the templates change. */
  private prepare(templateSources: ReadonlyMap<string, string>) {
    // The load stage hands over the same map while no template changed.
    if (this.setup?.given === templateSources) return this.setup;
    const sources = JSON.stringify([...templateSources]);
    if (this.setup?.sources !== sources) {
      const version = (this.setup?.version ?? 0) + 1;
      this.setup = {
        given: templateSources,
        sources,
        version,
        md: createMarkdown({
          allowHtml: this.config.allowHtml,
          anchor: this.config.layout.anchor,
          siteLink: this.config.layout.siteLink?.bind(this.config.layout),
          plugins: (md) => this.config.layout.markdown?.(md, this.config),
        }),
        templates: compileTemplates(templateSources),
      };
    }
    this.setup.given = templateSources;
    return this.setup;
  }

  private parse(
    md: MarkdownIt,
    blocks: BlockRegistry,
    from: PageSource,
    blockKeys: (names: string[]) => (string | undefined)[],
  ): ParsedPage {
    const { out } = from;
    const marks: PageMarks = { links: [], anchors: [] };
    const where = partsLocator(from);
    const env: RenderEnv = {
      page: out,
      where,
      site: new SiteIndex(),
      blocks,
      diagnostics: [],
      ids: new Set(),
      marks,
      layout: this.layoutContext,
    };
    const tokens = readPage(md, from, env);
    const source = from.parts[0]?.source;
    const page: ParsedPage = { ...emptyPage(out, from.title ?? ""), page: from, source, tokens, diagnostics: env.diagnostics, marks };
    for (const token of tokens) {
      if (token.type === "heading_open") {
        const title = token.meta?.title as string;
        const id = token.attrGet("id") as string;
        page.anchors.push({ title, id });
        if (!page.title && token.tag === "h1") page.title = title;
        else page.headings.push({ level: Number(token.tag.slice(1)), title, id });
      } else if (token.type === "specgen_block") {
        const name = token.meta.call as string;
        page.blocks.push(name);
        const outline = blocks.outline(name);
        if (!outline) continue;
        const line = token.map?.[0] ?? 0;
        // One place for all of the block's ids: an event has several, and a build keeps them until the links are checked.
        const at = () => where(line);
        for (const id of outline.ids) marks.anchors.push({ id, where: at });
        page.headings.push(...outline.headings);
        page.terms.push(...outline.terms);
        page.blockTitles.push(...outline.titles);
      }
    }
    if (from.title && !tokens.some((t) => t.type === "heading_open" && t.tag === "h1")) page.titleHeading = from.title;
    page.title ||= path.basename(out, ".html");
    page.blockKeys = blockKeys(page.blocks);
    return page;
  }

  /** The search index, rebuilt when anything it lists changed. */
  private searchScript(pages: readonly ParsedPage[]): string {
    // It lists every page's title, sections and terms.
    const known = this.search?.pages;
    const same = (a: ParsedPage, b: ParsedPage) => a === b || (outlineKey(a) === outlineKey(b) && searchKey(a) === searchKey(b));
    if (!this.search || known?.length !== pages.length || !pages.every((p, i) => same(p, known[i]))) {
      this.search = { pages, script: joinContent(searchIndexChunks(pages)) };
    }
    return this.search.script;
  }

  /**
   * A number that changes whenever some page's outline does (the keys are the
   * same strings while pages are not parsed again), and the site index of those
   * outlines, built again only then.
   */
  private siteOutline(pages: readonly ParsedPage[]): { version: number; site: SiteIndex } {
    const keys = pages.map(outlineKey);
    const known = this.outlines;
    if (known.site && sameStrings(known.keys, keys)) return { version: known.version, site: known.site };
    const site = new SiteIndex();
    for (const page of pages) {
      for (const { title, id } of page.anchors) site.add(title, { page: page.out, id });
      for (const { title, id } of page.blockTitles) site.add(title, { page: page.out, id });
    }
    this.outlines = { keys, version: known.version + 1, site };
    return { version: known.version + 1, site };
  }
}

const outlineKeys = new WeakMap<ParsedPage, string>();
const searchKeys = new WeakMap<ParsedPage, string>();

/** What every page shows of this one (navigation, reference targets), as a string; made once per parse. */
function outlineKey(page: ParsedPage): string {
  let key = outlineKeys.get(page);
  if (key === undefined) {
    key = JSON.stringify([page.out, page.title, page.anchors, page.headings, page.blockTitles]);
    outlineKeys.set(page, key);
  }
  return key;
}

/** What search lists of this page, as a string; made once per parse. */
function searchKey(page: ParsedPage): string {
  let key = searchKeys.get(page);
  if (key === undefined) {
    key = JSON.stringify(page.terms.map((term) => [term.id, term.context, term.fields.map((field) => field.key)]));
    searchKeys.set(page, key);
  }
  return key;
}

function sameStrings(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** The home page when the spec has no `index.md`: its title and a list of the pages. */
function fallbackIndex(config: Config, pages: readonly ParsedPage[], escapeHtml: (s: string) => string): ParsedPage {
  const list = [...pages]
    .sort(navOrder)
    .map((p) => `<li><a href="${escapeHtml(pathHref(p.out))}">${escapeHtml(p.title)}</a></li>`)
    .join("\n");
  const html = `<h1>${escapeHtml(config.title)}</h1>\n<ul>\n${list}\n</ul>\n`;
  return { ...emptyPage("index.html", config.title), html };
}

/** A page with nothing on it yet. */
function emptyPage(out: string, title: string): ParsedPage {
  return {
    out,
    title,
    headings: [],
    terms: [],
    anchors: [],
    blocks: [],
    blockKeys: [],
    blockTitles: [],
    diagnostics: [],
    marks: { links: [], anchors: [] },
  };
}

/** The index page first, then by the layout's order, then by path. */
function navOrder(a: ParsedPage, b: ParsedPage): number {
  if (a.out === "index.html") return -1;
  if (b.out === "index.html") return 1;
  const order = (a.page?.order ?? 0) - (b.page?.order ?? 0);
  if (order !== 0) return order;
  return a.out < b.out ? -1 : a.out > b.out ? 1 : 0;
}

/** The same files, read the same way: a page parsed from them still holds. */
/** A page's RST document with the descriptions' definitions after its own (its own win). */
function withDefinitions(page: RstDocument | undefined, definitions: RstDocument | undefined): RstDocument | undefined {
  if (!page || !definitions) return page;
  const substitutions = new Map(page.substitutions);
  for (const [name, definition] of definitions.substitutions) if (!substitutions.has(name)) substitutions.set(name, definition);
  return { blocks: [...page.blocks, ...definitions.blocks], substitutions, title: page.title, sections: page.sections };
}

function samePage(a: PageSource, b: PageSource): boolean {
  return (
    a.format === b.format &&
    a.title === b.title &&
    a.order === b.order &&
    a.parts.length === b.parts.length &&
    a.parts.every((p, i) => p.source === b.parts[i].source && p.shift === b.parts[i].shift) &&
    (a.includes ?? []).length === (b.includes ?? []).length &&
    (a.includes ?? []).every((s, i) => s === b.includes?.[i])
  );
}

/** The identities of a page's files, for the key of its render. */
function pageKey(page: PageSource): string {
  const includes = (page.includes ?? []).map((s) => `+${objectId(s)}`);
  return [...page.parts.map((p) => `${objectId(p.source)}:${p.shift}`), ...includes].join(",");
}
