/**
 * The render stage: every Markdown page to an HTML file. Pages are parsed
 * first, all of them, so that the site index knows every heading and event
 * before any `` `Title`_ `` reference is resolved, and the navigation knows
 * every page's sections; then they are rendered.
 */
import path from "node:path";
import type { Config } from "../config.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Source } from "../load/source.js";
import { type ExampleView, eventBlocks } from "../render/blocks/event.js";
import { BlockRegistry, type OutlineHeading, type OutlineTerm } from "../render/blocks/registry.js";
import { pageLocator, type RenderEnv } from "../render/env.js";
import { createMarkdown } from "../render/markdown.js";
import { SiteIndex } from "../render/site-index.js";
import { ASSET_NAMES, compileTemplates } from "../render/templates.js";
import type { EventModel } from "../schema/model.js";
import { pageNav } from "./nav.js";
import { SEARCH_INDEX_FILE, type SearchPage, searchEntries, searchIndexScript } from "./search.js";

export interface SiteInput {
  config: Config;
  pages: readonly Source[];
  templates: ReadonlyMap<string, string>;
  events: readonly EventModel[];
  examples: ReadonlyMap<string, ExampleView[]>;
}

export interface RenderedSite {
  /** Output path → content. */
  files: Map<string, string>;
  /** Output path of each page → its source, for diagnostics. */
  sources: Map<string, Source>;
}

/** A page after the first pass: its outline, and how to render its content. */
interface ParsedPage extends SearchPage {
  source?: Source;
  headings: OutlineHeading[];
  terms: OutlineTerm[];
  content: () => string;
}

/** `specification/modules/e2e.md` → `modules/e2e.html`. */
export function outputPath(config: Config, page: Source): string {
  return path.relative(config.pages, page.path).split(path.sep).join("/").replace(/\.md$/, ".html");
}

export function renderSite(input: SiteInput, diagnostics: Diagnostic[]): RenderedSite {
  const { config } = input;
  const md = createMarkdown({ allowHtml: config.allowHtml });
  const templates = compileTemplates(input.templates);
  const blocks = new BlockRegistry([eventBlocks(input.events, input.examples, templates, md)]);
  const site = new SiteIndex();

  const parsed: ParsedPage[] = input.pages.map((source) => {
    const out = outputPath(config, source);
    const env: RenderEnv = { page: out, where: pageLocator(source.rel), site, blocks, diagnostics, ids: new Set() };
    const tokens = md.parse(source.text, env);
    const page: ParsedPage = {
      source,
      out,
      title: "",
      headings: [],
      terms: [],
      content: () => md.renderer.render(tokens, md.options, env),
    };
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.type === "heading_open") {
        const title = token.meta?.title as string;
        const id = token.attrGet("id") as string;
        if (!page.title && token.tag === "h1") page.title = title;
        else page.headings.push({ level: Number(token.tag.slice(1)), title, id });
        site.add(title, { page: out, id });
      } else if (token.type === "specgen_block") {
        const outline = blocks.outline(token.meta.name);
        if (!outline) continue;
        page.headings.push(...outline.headings);
        page.terms.push(...outline.terms);
        for (const { title, id } of outline.titles) site.add(title, { page: out, id });
      }
    }
    page.title ||= path.basename(out, ".html");
    return page;
  });
  if (!parsed.some((p) => p.out === "index.html")) parsed.push(fallbackIndex(config, parsed, md.utils.escapeHtml));
  parsed.sort((a, b) => navOrder(a.out, b.out));

  const files = new Map<string, string>();
  const sources = new Map<string, Source>();
  for (const page of parsed) {
    const up = "../".repeat(page.out.split("/").length - 1);
    const html = templates.page({
      site: { title: config.title, version: config.version },
      page: { title: page.title, path: page.out },
      home: `${up}index.html`,
      assets: up,
      ...pageNav(parsed, page.out),
      content: page.content(),
    });
    files.set(page.out, html);
    if (page.source) sources.set(page.out, page.source);
  }
  files.set(SEARCH_INDEX_FILE, searchIndexScript(searchEntries(parsed)));
  for (const name of ASSET_NAMES) files.set(name, input.templates.get(name) ?? "");
  return { files, sources };
}

/** The home page when the spec has no `index.md`: its title and a list of the pages. */
function fallbackIndex(config: Config, pages: readonly ParsedPage[], escapeHtml: (s: string) => string): ParsedPage {
  const list = [...pages]
    .sort((a, b) => navOrder(a.out, b.out))
    .map((p) => `<li><a href="${escapeHtml(encodeURI(p.out))}">${escapeHtml(p.title)}</a></li>`)
    .join("\n");
  const html = `<h1>${escapeHtml(config.title)}</h1>\n<ul>\n${list}\n</ul>\n`;
  return { out: "index.html", title: config.title, headings: [], terms: [], content: () => html };
}

/** The index page first, then by path. */
function navOrder(a: string, b: string): number {
  if (a === "index.html") return -1;
  if (b === "index.html") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
