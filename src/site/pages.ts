/**
 * The render stage: every Markdown page to an HTML file. All pages are parsed
 * first, so that the site index knows every heading and every block's anchors
 * before any `` `Title`_ `` reference resolves; then each page renders.
 *
 * A SiteRenderer remembers each page's parse (by source) and HTML (by a key of
 * everything the page shows), so a rebuild renders only the pages whose inputs
 * changed. A cold build is the same code with nothing remembered.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import type { Config } from "../config.js";
import type { Diagnostic } from "../diagnostics.js";
import { objectId } from "../identity.js";
import type { Source } from "../load/source.js";
import { type ExampleView, eventBlocks } from "../render/blocks/event.js";
import { BlockRegistry } from "../render/blocks/registry.js";
import { pageLocator, type RenderEnv } from "../render/env.js";
import { createMarkdown } from "../render/markdown.js";
import { SiteIndex } from "../render/site-index.js";
import { compileTemplates, type Templates } from "../render/templates.js";
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
  diagnostics: Diagnostic[];
}

interface ParsedPage {
  source: Source;
  out: string;
  title: string;
  tokens: Token[];
  headings: { title: string; id: string }[];
  blocks: string[];
  /** Ids the page's own headings took. */
  ids: string[];
}

interface RenderedPage {
  key: string;
  html: string;
  diagnostics: Diagnostic[];
}

/** `specification/modules/e2e.md` → `modules/e2e.html`. */
export function outputPath(config: Config, page: Source): string {
  return path.relative(config.pages, page.path).split(path.sep).join("/").replace(/\.md$/, ".html");
}

export class SiteRenderer {
  private setup?: { key: string; md: MarkdownIt; templates: Templates };
  private readonly parsed = new Map<Source, ParsedPage>();
  private rendered = new Map<string, RenderedPage>();

  constructor(private readonly config: Config) {}

  render(input: SiteInput): RenderedSite {
    const { config } = this;
    const { md, templates, key: setupKey } = this.prepare(input.templates);
    const blocks = new BlockRegistry([eventBlocks(input.events, input.examples, templates, md)]);

    const pages = input.pages.map((source) => this.parse(md, source)).sort((a, b) => navOrder(a.out, b.out));
    for (const stale of [...this.parsed.keys()].filter((s) => !input.pages.includes(s))) this.parsed.delete(stale);

    const site = new SiteIndex();
    const entries: string[] = [];
    const add = (title: string, page: string, id: string) => {
      site.add(title, { page, id });
      entries.push(`${title}\t${page}#${id}`);
    };
    for (const page of pages) {
      for (const h of page.headings) add(h.title, page.out, h.id);
      for (const name of page.blocks) for (const a of blocks.info(name)?.anchors ?? []) for (const t of a.titles) add(t, page.out, a.id);
    }
    const nav = pages.map((p) => ({ title: p.title, out: p.out }));
    // Everything every page shows: templates, navigation, and where each title links to.
    const siteKey = createHash("sha1")
      .update([setupKey, config.title, config.version, JSON.stringify(nav), entries.join("\n")].join("\0"))
      .digest("hex");

    const files = new Map<string, string>();
    const sources = new Map<string, Source>();
    const diagnostics: Diagnostic[] = [];
    const rendered = new Map<string, RenderedPage>();
    const layout = (out: string, title: string, content: string) => {
      const up = "../".repeat(out.split("/").length - 1);
      return templates.page({
        site: { title: config.title, version: config.version },
        page: { title, path: out },
        home: `${up}index.html`,
        assets: up,
        nav: nav.map((p) => ({ title: p.title, href: up + p.out, current: p.out === out })),
        content,
      });
    };
    for (const page of pages) {
      const key = [siteKey, objectId(page.source), ...page.blocks.map((b) => `${b}=${blocks.info(b)?.key ?? "?"}`)].join("\0");
      let result = this.rendered.get(page.out);
      if (result?.key !== key) {
        const env: RenderEnv = {
          page: page.out,
          where: pageLocator(page.source.rel),
          site,
          blocks,
          diagnostics: [],
          ids: new Set([...page.ids, ...page.blocks.flatMap((b) => blocks.info(b)?.anchors.map((a) => a.id) ?? [])]),
        };
        const html = layout(page.out, page.title, md.renderer.render(page.tokens, md.options, env));
        result = { key, html, diagnostics: env.diagnostics };
      }
      rendered.set(page.out, result);
      files.set(page.out, result.html);
      sources.set(page.out, page.source);
      diagnostics.push(...result.diagnostics);
    }
    this.rendered = rendered;
    if (!files.has("index.html")) {
      const list = pages.map((p) => `<li><a href="${md.utils.escapeHtml(p.out)}">${md.utils.escapeHtml(p.title)}</a></li>`).join("\n");
      files.set("index.html", layout("index.html", config.title, `<h1>${md.utils.escapeHtml(config.title)}</h1>\n<ul>\n${list}\n</ul>`));
    }
    files.set("style.css", input.templates.get("style.css") ?? "");
    return { files, sources, diagnostics };
  }

  /** The markdown-it instance and compiled templates, rebuilt only when the templates change. */
  private prepare(templateSources: ReadonlyMap<string, string>) {
    const key = createHash("sha1")
      .update(JSON.stringify([...templateSources]))
      .digest("hex");
    if (this.setup?.key !== key) {
      this.setup = { key, md: createMarkdown({ allowHtml: this.config.allowHtml }), templates: compileTemplates(templateSources) };
      this.parsed.clear();
    }
    return this.setup;
  }

  private parse(md: MarkdownIt, source: Source): ParsedPage {
    const known = this.parsed.get(source);
    if (known) return known;
    const out = outputPath(this.config, source);
    const ids = new Set<string>();
    const env = { page: out, where: pageLocator(source.rel), ids } as RenderEnv;
    const tokens = md.parse(source.text, env);
    const headings: ParsedPage["headings"] = [];
    const blocks: string[] = [];
    let title = "";
    for (const token of tokens) {
      if (token.type === "heading_open") {
        const heading = token.meta.title as string;
        if (!title && token.tag === "h1") title = heading;
        headings.push({ title: heading, id: token.attrGet("id") as string });
      } else if (token.type === "specgen_block") {
        blocks.push(token.meta.name as string);
      }
    }
    const page: ParsedPage = { source, out, title: title || path.basename(out, ".html"), tokens, headings, blocks, ids: [...ids] };
    this.parsed.set(source, page);
    return page;
  }
}

/** The index page first, then by path. */
function navOrder(a: string, b: string): number {
  if (a === "index.html") return -1;
  if (b === "index.html") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
