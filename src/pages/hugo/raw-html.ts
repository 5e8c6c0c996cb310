/**
 * Raw HTML written in pages (Hugo's Goldmark keeps it when the config says
 * `unsafe = true`), made safe tag by tag: each start tag goes through
 * sanitize-html, which keeps the elements and attributes a spec page uses and
 * drops scripts, event handlers and `javascript:` URLs, whatever the source
 * says; end tags of kept elements stay; the content of a dropped `<script>`
 * or `<style>` goes with it. Tag by tag, because markdown-it hands over raw
 * HTML in pieces (`<details>` in one block, its Markdown, `</details>` in
 * another), which a whole-fragment sanitizer would close or drop. What the
 * sanitizer changed is reported at its place.
 */

import { createRequire } from "node:module";
import type MarkdownIt from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type sanitizeHtml from "sanitize-html";
import { warning } from "../../diagnostics.js";
import { forEachInline, type RenderEnv } from "../../render/env.js";

const require = createRequire(import.meta.url);

const GLOBAL_ATTRIBUTES = ["id", "class", "title", "lang", "dir", "role", "aria-*", "data-*"];
/** What sanitize-html keeps of a spec page's HTML, with the package: both made on first use (not at every start). */
let sanitizer: { sanitize: typeof sanitizeHtml; allowedTags: string[]; options: sanitizeHtml.IOptions } | undefined;

function sanitizerOf(): NonNullable<typeof sanitizer> {
  if (sanitizer) return sanitizer;
  const sanitize = require("sanitize-html") as typeof sanitizeHtml;
  const extra = ["img", "details", "summary", "del", "ins", "picture", "source", "center", "font"];
  const allowedTags = [...sanitize.defaults.allowedTags, ...extra];
  sanitizer = { sanitize, allowedTags, options: { ...OPTIONS, allowedTags } };
  return sanitizer;
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedAttributes: {
    "*": GLOBAL_ATTRIBUTES,
    a: ["href", "name", "target", "rel"],
    img: ["src", "srcset", "alt", "width", "height", "loading"],
    source: ["src", "srcset", "type", "media"],
    td: ["colspan", "rowspan", "align"],
    th: ["colspan", "rowspan", "align", "scope"],
    ol: ["start", "type", "reversed"],
    details: ["open"],
    time: ["datetime"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
};
/** Elements whose content is dropped with them. */
const DROP_CONTENT = new Set(["script", "style", "textarea", "noscript", "iframe", "object", "template", "title"]);
const TAG = /<!--[\s\S]*?-->|<\/?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?\/?>/g;

/** What the plugin asks of the layout: where a URL written in a page points (site-absolute ones made relative). */
export type UrlRewrite = (url: string, env: RenderEnv) => string;

export function rawHtmlPlugin(md: MarkdownIt, rewrite?: UrlRewrite): void {
  md.core.ruler.push("hugo_raw_html", (state: StateCore) => {
    const env = state.env as RenderEnv;
    const cleaner = new Cleaner(env, rewrite);
    for (const token of state.tokens) {
      if (token.type === "html_block") token.content = cleaner.clean(token.content, token.map?.[0] ?? 0, token.map?.[1]);
      else if (token.type === "inline") {
        forEachInline([token], (child, line, endLine) => {
          if (child.type === "html_inline") child.content = cleaner.clean(child.content, line, endLine);
          else if (cleaner.dropping && (child.type === "text" || child.type === "code_inline")) child.content = "";
        });
      } else if (cleaner.dropping && token.type !== "html_block") token.hidden = true;
    }
  });
}

class Cleaner {
  /** The element whose content is being dropped. */
  dropping?: string;

  constructor(
    private readonly env: RenderEnv,
    private readonly rewrite?: UrlRewrite,
  ) {}

  clean(html: string, line: number, endLine?: number): string {
    let out = "";
    let last = 0;
    for (const m of html.matchAll(TAG)) {
      const text = html.slice(last, m.index);
      if (!this.dropping) out += text;
      last = m.index + m[0].length;
      const tag = m[0];
      const name = m[1]?.toLowerCase();
      if (!name) {
        if (!this.dropping) out += tag; // a comment
        continue;
      }
      const closing = tag.startsWith("</");
      if (this.dropping) {
        if (closing && name === this.dropping) this.dropping = undefined;
        continue;
      }
      if (closing) {
        if (sanitizerOf().allowedTags.includes(name)) out += `</${name}>`;
        continue;
      }
      if (!sanitizerOf().allowedTags.includes(name)) {
        this.report(`<${name}> removed`, tag, line, endLine);
        if (DROP_CONTENT.has(name) && !tag.endsWith("/>")) this.dropping = name;
        continue;
      }
      const cleaned = this.cleanStart(name, tag);
      if (cleaned.dropped.length > 0) this.report(`${cleaned.dropped.join(", ")} removed from <${name}>`, tag, line, endLine);
      out += cleaned.html;
    }
    if (!this.dropping) out += html.slice(last);
    return out;
  }

  private cleanStart(name: string, tag: string): { html: string; dropped: string[] } {
    const before = attributeNames(tag);
    const { sanitize, options } = sanitizerOf();
    let html = sanitize(tag, {
      ...options,
      transformTags: this.rewrite ? { "*": (tagName, attribs) => ({ tagName, attribs: this.rewriteUrls(attribs) }) } : undefined,
    });
    html = html.replace(new RegExp(`</${name}>$`), "");
    if (!html.startsWith(`<${name}`)) html = "";
    const after = new Set(attributeNames(html));
    return { html, dropped: before.filter((a) => !after.has(a)) };
  }

  private rewriteUrls(attribs: Record<string, string>): Record<string, string> {
    const out = { ...attribs };
    for (const key of ["href", "src"]) if (out[key] !== undefined && this.rewrite) out[key] = this.rewrite(out[key], this.env);
    return out;
  }

  private report(what: string, tag: string, line: number, endLine?: number): void {
    this.env.diagnostics.push(warning("html-unsafe", `raw HTML: ${what}`, this.env.where(line, { text: tag, endLine })));
  }
}

function attributeNames(tag: string): string[] {
  const body = tag.replace(/^<[A-Za-z][A-Za-z0-9-]*/, "").replace(/\/?>$/, "");
  return [...body.matchAll(/([^\s"'=<>`/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g)].map((m) => m[1].toLowerCase());
}
