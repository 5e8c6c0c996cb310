/**
 * The render stage: every Markdown page to an HTML file. Pages are parsed
 * first, all of them, so that the site index knows every heading and event
 * before any `` `Title`_ `` reference is resolved; then they are rendered.
 */
import path from "node:path";
import type Token from "markdown-it/lib/token.mjs";
import type { Config } from "../config.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Source } from "../load/source.js";
import { type ExampleView, eventBlocks } from "../render/blocks/event.js";
import { BlockRegistry } from "../render/blocks/registry.js";
import { type PageMarks, pageLocator, type RenderEnv } from "../render/env.js";
import { createMarkdown } from "../render/markdown.js";
import { pathHref, SiteIndex } from "../render/site-index.js";
import { compileTemplates } from "../render/templates.js";
import type { EventModel } from "../schema/model.js";

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
  /** Output path of each page → its links and ids as written, with their places. */
  marks: Map<string, PageMarks>;
}

interface ParsedPage {
  source: Source;
  out: string;
  title: string;
  tokens: Token[];
  env: RenderEnv;
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
  const eventsByBlock = new Map(input.events.map((e) => [e.blockName, e]));
  const site = new SiteIndex();

  const parsed: ParsedPage[] = input.pages.map((source) => {
    const out = outputPath(config, source);
    const marks: PageMarks = { links: [], anchors: [] };
    const env: RenderEnv = { page: out, where: pageLocator(source), site, blocks, diagnostics, ids: new Set(), marks };
    const tokens = md.parse(source.text, env);
    let title = "";
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      if (token.type === "heading_open") {
        const heading = token.meta?.title as string;
        if (!title && token.tag === "h1") title = heading;
        site.add(heading, { page: out, id: token.attrGet("id") as string });
      } else if (token.type === "specgen_block") {
        const event = eventsByBlock.get(token.meta.name);
        if (!event) continue;
        const line = token.map?.[0] ?? 0;
        for (const id of [event.anchor, ...event.tables.map((t) => t.anchor)]) {
          env.ids.add(id);
          marks.anchors.push({ id, where: () => env.where(line) });
        }
        site.add(event.heading, { page: out, id: event.anchor });
        site.add(event.name, { page: out, id: event.anchor });
        if (!event.variant) site.add(event.type, { page: out, id: event.anchor });
      }
    }
    return { source, out, title: title || path.basename(out, ".html"), tokens, env };
  });
  parsed.sort((a, b) => navOrder(a.out, b.out));

  const files = new Map<string, string>();
  const sources = new Map<string, Source>();
  const view = (out: string, title: string, content: string) => {
    const up = "../".repeat(out.split("/").length - 1);
    return templates.page({
      site: { title: config.title, version: config.version },
      page: { title, path: out },
      home: `${up}index.html`,
      assets: up,
      nav: parsed.map((p) => ({ title: p.title, href: up + pathHref(p.out), current: p.out === out })),
      content,
    });
  };
  const marks = new Map<string, PageMarks>();
  for (const page of parsed) {
    files.set(page.out, view(page.out, page.title, md.renderer.render(page.tokens, md.options, page.env)));
    sources.set(page.out, page.source);
    marks.set(page.out, page.env.marks);
  }
  if (!files.has("index.html")) {
    const list = parsed
      .map((p) => `<li><a href="${md.utils.escapeHtml(pathHref(p.out))}">${md.utils.escapeHtml(p.title)}</a></li>`)
      .join("\n");
    files.set("index.html", view("index.html", config.title, `<h1>${md.utils.escapeHtml(config.title)}</h1>\n<ul>\n${list}\n</ul>`));
  }
  files.set("style.css", input.templates.get("style.css") ?? "");
  return { files, sources, marks };
}

/** The index page first, then by path. */
function navOrder(a: string, b: string): number {
  if (a === "index.html") return -1;
  if (b === "index.html") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
