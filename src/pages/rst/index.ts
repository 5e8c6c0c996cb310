/**
 * The reStructuredText reader: text (or the files of a document, each with
 * its heading shift) → the markdown-it tokens a Markdown page produces, with
 * specgen's core rules (block ids, heading ids, reference lines, links) run
 * over them as markdown-it runs them after its own parse. `rstPlugin` adds
 * the renderer rules for what only RST has (targets, maths, contents,
 * footnotes, section numbers).
 */
import type MarkdownIt from "markdown-it";
import Token from "markdown-it/lib/token.mjs";
import { error, warning } from "../../diagnostics.js";
import type { RenderEnv } from "../../render/env.js";
import { katex } from "../katex.js";
import { highlightCode } from "./code.js";
import { normalizeName, type RstDocument } from "./nodes.js";
import { type ParseOptions, parseDocument, type RstPart } from "./parse.js";
import { TokenWriter } from "./tokens.js";

export type { RstPart } from "./parse.js";

/** markdown-it's own core rules, which the RST reader replaces (and the Markdown-only rewrites). */
const PARSING_RULES = new Set(["normalize", "block", "inline", "linkify", "replacements", "smartquotes", "rst_enumerators"]);

interface CoreRule {
  name: string;
  enabled: boolean;
  fn: (state: InstanceType<MarkdownIt["core"]["State"]>) => unknown;
}

/** The document a page's tokens were read from: descriptions rendered into the page read its targets and substitutions. */
const documents = new WeakMap<Token[], RstDocument>();

export function rstDocumentOf(tokens: Token[] | undefined): RstDocument | undefined {
  return tokens ? documents.get(tokens) : undefined;
}

export function readRst(md: MarkdownIt, parts: readonly RstPart[] | string, env: RenderEnv, options: ParseOptions = {}): Token[] {
  const given = typeof parts === "string" ? [{ text: parts, shift: 0, firstLine: 0 }] : parts;
  const { document, messages } = parseDocument(given, { allowHtml: md.options.html, ...options });
  const tokens = new TokenWriter(md, document, messages, env.rst).write();
  for (const m of messages) {
    const make = m.severity === "error" ? error : warning;
    env.diagnostics.push(make(m.code, m.message, env.where(m.line, m.text ? { text: m.text } : undefined)));
  }
  for (const token of tokens) {
    if (token.type !== "rst_target") continue;
    const id = token.meta.id as string;
    if (!id || env.ids.has(id)) continue;
    env.ids.add(id);
    const line = token.map?.[0] ?? 0;
    const { where } = env;
    env.marks?.anchors.push({ id, where: () => where(line) });
  }
  // Inline targets (`_`name``) sit in inline children; they are ids too.
  for (const token of tokens) {
    for (const child of token.children ?? []) {
      if (child.type === "rst_target" && !env.ids.has(child.meta.id)) env.ids.add(child.meta.id);
    }
  }
  const state = new md.core.State("", md, env);
  state.tokens = tokens;
  // The chain's rules after parsing, in their order (Ruler keeps them in `__rules__`; it has no public list with names).
  for (const rule of (md.core.ruler as unknown as { __rules__: CoreRule[] }).__rules__) {
    if (rule.enabled && !PARSING_RULES.has(rule.name)) rule.fn(state);
  }
  if (!env.rst) sectionsFirst(state.tokens, document);
  documents.set(state.tokens, document);
  return state.tokens;
}

/**
 * A description (of a schema, field or endpoint) shown in an RST page: read
 * as RST in the page's document. Inline (a table cell), a lone paragraph
 * gives its text without the `<p>`.
 */
export function renderRstDescription(md: MarkdownIt, text: string, env: RenderEnv, inline: boolean): string {
  const tokens = readRst(md, text, env);
  const lone = tokens.length === 3 && tokens[0].type === "paragraph_open" && tokens[1].type === "inline";
  if (inline && lone) return md.renderer.renderInline(tokens[1].children ?? [], md.options, env);
  return md.renderer.render(tokens, md.options, env);
}

/**
 * docutils resolves `Title`_ to a section of its own document before any
 * other: the page's headings, now that they have ids, take the references
 * to their titles that the site index would otherwise resolve.
 */
function sectionsFirst(tokens: Token[], document: RstDocument): void {
  const sections = new Map<string, string>();
  for (const token of tokens) {
    if (token.type !== "heading_open") continue;
    const key = normalizeName(String(token.meta?.title ?? ""));
    const id = token.attrGet("id");
    if (id && !sections.has(key)) sections.set(key, id);
  }
  document.sections = sections;
  for (const token of tokens) {
    const children = token.children;
    if (!children) continue;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      const id = child.type === "specgen_reference" ? sections.get(normalizeName(child.content)) : undefined;
      if (id === undefined) continue;
      children.splice(i, 1, ...localLink(child, `#${id}`));
      i += 2;
    }
  }
}

/** A reference's tokens as a link to `href` on its page. */
function localLink(reference: Token, href: string): Token[] {
  const open = new Token("link_open", "a", 1);
  open.attrs = [["href", href]];
  const text = new Token("text", "", 0);
  text.content = reference.meta?.text ?? reference.meta?.substitution ?? reference.content;
  return [open, text, new Token("link_close", "a", -1)];
}

export function rstPlugin(md: MarkdownIt): void {
  const esc = md.utils.escapeHtml;
  md.renderer.rules.rst_target = (tokens, idx) => `<span id="${esc(tokens[idx].meta.id)}"></span>`;
  md.renderer.rules.rst_sectnum = (tokens, idx) => `<span class="sectnum">${esc(tokens[idx].content)}</span> `;
  // MathML needs no stylesheet, font or script: browsers lay it out themselves.
  md.renderer.rules.rst_math = (tokens, idx) => katex().renderToString(tokens[idx].content, { output: "mathml", throwOnError: false });
  md.renderer.rules.rst_footnote_open = (tokens, idx) => {
    const token = tokens[idx];
    return `<div class="footnote" id="${esc(token.attrGet("id") ?? "")}"><span class="footnote-label">[${esc(token.meta.label)}]</span>\n`;
  };
  md.renderer.rules.rst_footnote_close = () => "</div>\n";
  md.renderer.rules.rst_contents = (tokens, idx, _options, env) => contents(md, tokens, idx, env);
  // `.. code:: LANG` is highlighted at build time (code.ts); Markdown's fences render as before.
  const fence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const html = token.meta?.rst ? highlightCode(token.content, token.info) : undefined;
    if (html === undefined) return fence ? fence(tokens, idx, options, env, self) : self.renderToken(tokens, idx, options);
    const language = md.utils.escapeHtml(token.info.trim().toLowerCase());
    return `<pre><code class="language-${language}">${html}</code></pre>\n`;
  };
}

/** `.. contents::`: the headings after it (with `:local:`, only those inside its section), to `:depth:`. */
function contents(md: MarkdownIt, tokens: Token[], idx: number, env: unknown): string {
  const esc = md.utils.escapeHtml;
  const { title, depth, local } = tokens[idx].meta as { title?: string; depth?: number; local: boolean };
  let within = 0;
  if (local) {
    for (let k = idx - 1; k >= 0; k--) {
      if (tokens[k].type === "heading_open") {
        within = Number(tokens[k].tag.slice(1));
        break;
      }
    }
  }
  const headings: { level: number; id: string; html: string }[] = [];
  for (let k = idx + 1; k < tokens.length; k++) {
    if (tokens[k].type !== "heading_open") continue;
    const level = Number(tokens[k].tag.slice(1));
    if (local && level <= within) break;
    headings.push({
      level,
      id: tokens[k].attrGet("id") ?? "",
      html: md.renderer.renderInline(tokens[k + 1].children ?? [], md.options, env),
    });
  }
  if (headings.length === 0) return "";
  const top = Math.min(...headings.map((h) => h.level));
  const shown = headings.filter((h) => depth === undefined || h.level - top < depth);
  let html = "";
  let open = 0;
  for (const h of shown) {
    const level = h.level - top + 1;
    if (level > open) html += "<ul>\n".repeat(level - open);
    else {
      html += "</li>\n";
      html += "</ul>\n</li>\n".repeat(open - level);
    }
    open = level;
    html += `<li><a href="#${esc(encodeURIComponent(h.id))}">${h.html.replace(/<a [^>]*>|<\/a>/g, "")}</a>`;
  }
  html += "</li>\n</ul>\n".repeat(open).replace(/^<\/li>\n/, "</li>\n");
  const heading = title ? `<p class="topic-title">${esc(title)}</p>\n` : "";
  // A landmark of its own beside the site's navigation: named, and unique on the page.
  const label = esc(title ?? "Contents");
  return `<nav class="contents topic" aria-label="${label} (this page)">\n${heading}${html}</nav>\n`;
}
