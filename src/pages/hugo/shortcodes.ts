/**
 * Hugo shortcodes in Markdown (pages and descriptions): a markdown-it plugin.
 *
 * What a shortcode does is the layout's (a `ShortcodeTable` on the render
 * env); this plugin only finds the tags and turns each into tokens:
 * - a block call (`{{% event event="m.room.member" %}}`) becomes the same
 *   `specgen_block` token a `{{name}}` line makes, with the tag's parameters
 *   as `meta.options`;
 * - a paired shortcode (`{{% boxes/note %}}…{{% /boxes/note %}}`) wraps its
 *   inner Markdown, parsed as part of the page;
 * - an include (`{{% cs-module name="tags" %}}`) parses another file in place,
 *   its lines located in that file;
 * - an inline shortcode (`{{< added-in v="1.2" >}}`) becomes HTML in its line.
 * An unknown shortcode is a located error with a did-you-mean, never text.
 */
import type MarkdownIt from "markdown-it";
import type StateBlock from "markdown-it/lib/rules_block/state_block.mjs";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import type Token from "markdown-it/lib/token.mjs";
import { error, warning } from "../../diagnostics.js";
import type { Source } from "../../load/source.js";
import { editDistance } from "../../render/blocks/registry.js";
import { INCLUDED_LINES, includedLineBase, type RenderEnv } from "../../render/env.js";
import { callKey } from "../../render/plugins/blocks.js";
import { frontMatterOf } from "../front-matter.js";
import { opensTag, parseTag, type ShortcodeTag } from "./shortcode-syntax.js";

export interface ShortcodeCall {
  name: string;
  params: Record<string, string>;
  positional: string[];
  /** The tag as written. */
  raw: string;
}

/** What the shortcode's template says where it stands. */
export interface ShortcodeContext {
  env: RenderEnv;
  /** Inside an include that drops "this version" notes (a room version fragment without `withVersioning`). */
  dropVersionNotes: boolean;
}

export type Expansion =
  /** A specgen block, rendered by the block registry. */
  | { type: "block"; name: string; options: Record<string, string> }
  /** HTML the shortcode's definition has escaped. */
  | { type: "html"; html: string; warning?: string }
  /** A paired shortcode's wrapper around its inner Markdown. */
  | { type: "container"; tag: string; attrs: [string, string][]; prefix?: string }
  /** Another file's Markdown, parsed in place. */
  /** Other files' Markdown, parsed in place, after Markdown the definition made (`before`, located at the tag). */
  | { type: "include"; sources: Source[]; dropVersionNotes: boolean; before?: string }
  | { type: "error"; message: string };

export interface ShortcodeDef {
  /** Stands in running text (`added-in`); the others stand alone on their line. */
  inline?: boolean;
  /** Takes the Markdown up to its closing tag. */
  paired?: boolean;
  expand(call: ShortcodeCall, context: ShortcodeContext): Expansion;
}

export interface ShortcodeTable {
  get(name: string): ShortcodeDef | undefined;
  names(): Iterable<string>;
}

/** What a layout with shortcodes puts on the env (`env.layout`). */
export interface ShortcodePageContext {
  shortcodes: ShortcodeTable;
}

function tableOf(env: RenderEnv): ShortcodeTable | undefined {
  return (env.layout as Partial<ShortcodePageContext> | undefined)?.shortcodes;
}

const INCLUDE_DEPTH = 8;

export function hugoShortcodesPlugin(md: MarkdownIt): void {
  md.block.ruler.before("paragraph", "hugo_shortcode", shortcodeBlock, { alt: ["paragraph", "blockquote", "list"] });
  md.inline.ruler.before("text", "hugo_shortcode", shortcodeInline);
  md.core.ruler.after("inline", "hugo_shortcode_inline", expandInline);
  md.renderer.rules.hugo_html = (tokens, idx) => tokens[idx].content;
  md.renderer.rules.hugo_marker = () => "";
}

function shortcodeBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const lineEnd = state.eMarks[startLine];
  // The text first: a description without shortcodes never reads the env, so its HTML is kept (describe.ts).
  if (!opensTag(state.src, start)) return false;
  const env = state.env as RenderEnv;
  const table = tableOf(env);
  if (!table) return false;
  const tag = parseTag(state.src, start, lineEnd);
  if ("error" in tag) return false; // the inline rule reports it
  if (tag.escaped !== undefined) return false;
  // Text after the tag: a paragraph the inline rule reads.
  if (state.src.slice(tag.end, lineEnd).trim() !== "") return false;
  const def = table.get(tag.name);
  if (def?.inline) return false;
  if (silent) return true;
  const { context, base } = contextAt(state.tokens, env);
  // Inside an included file, lines count from that file's base (see include()).
  const line = startLine + base;
  const report = (message: string) => {
    env.diagnostics.push(error(def ? "shortcode-invalid" : "shortcode-unknown", message, env.where(line, { text: tag.raw })));
  };
  state.line = startLine + 1;
  if (tag.closing) {
    report(`closing tag {{${tag.delim} /${tag.name} ${tag.delim === "%" ? "%" : ">"}}} has no opening tag`);
    return true;
  }
  if (!def) {
    report(unknownMessage(tag.name, table));
    // An unknown paired shortcode: its inner Markdown still shows, its closing tag is not reported again.
    const unknownClose = findClose(state, startLine + 1, endLine, tag.name);
    if (unknownClose !== undefined) {
      tokenizeInner(state, startLine + 1, unknownClose);
      state.line = unknownClose + 1;
    }
    return true;
  }
  const call = toCall(tag);
  const closeLine = def.paired && !tag.selfClosing ? findClose(state, startLine + 1, endLine, tag.name) : undefined;
  if (def.paired && !tag.selfClosing && closeLine === undefined) {
    report(`shortcode {{${tag.delim} ${tag.name} …}} has no closing tag {{${tag.delim} /${tag.name} ${tag.delim === "%" ? "%" : ">"}}}`);
    return true;
  }
  const expansion = def.expand(call, context);
  switch (expansion.type) {
    case "error":
      report(expansion.message);
      break;
    case "block": {
      const token = state.push("specgen_block", "", 0);
      // As a `{{name key="value"}}` line makes it (plugins/blocks.ts): the call keys the block's caches.
      token.meta = { name: expansion.name, call: callKey(expansion.name, expansion.options), raw: tag.raw, options: expansion.options };
      token.map = [startLine, startLine + 1];
      token.block = true;
      break;
    }
    case "html":
      if (expansion.warning) env.diagnostics.push(warning("shortcode-placeholder", expansion.warning, env.where(line, { text: tag.raw })));
      pushHtml(state, expansion.html, startLine);
      break;
    case "include":
      if (expansion.before) generated(state, expansion.before, startLine);
      for (const source of expansion.sources) include(state, source, expansion.dropVersionNotes, report);
      break;
    case "container": {
      const open = state.push("hugo_container_open", expansion.tag, 1);
      open.attrs = expansion.attrs;
      open.map = [startLine, closeLine ?? startLine + 1];
      open.block = true;
      if (expansion.prefix) pushHtml(state, expansion.prefix, startLine);
      if (closeLine !== undefined) tokenizeInner(state, startLine + 1, closeLine);
      const close = state.push("hugo_container_close", expansion.tag, -1);
      close.block = true;
      break;
    }
  }
  if (closeLine !== undefined) state.line = closeLine + 1;
  return true;
}

/** The line of the closing tag of `name`, same-named tags nested in between counted. */
function findClose(state: StateBlock, from: number, endLine: number, name: string): number | undefined {
  let depth = 0;
  for (let line = from; line < endLine; line++) {
    const start = state.bMarks[line] + state.tShift[line];
    if (!opensTag(state.src, start)) continue;
    const tag = parseTag(state.src, start, state.eMarks[line]);
    if ("error" in tag || tag.name !== name || tag.selfClosing) continue;
    if (!tag.closing) depth++;
    else if (depth-- === 0) return line;
  }
  return undefined;
}

/** The inner Markdown of a paired shortcode, parsed as a container's content (as markdown-it's blockquote does). */
function tokenizeInner(state: StateBlock, from: number, to: number): void {
  const oldParent = state.parentType;
  const oldLineMax = state.lineMax;
  state.parentType = "container" as typeof state.parentType;
  state.lineMax = to;
  state.md.block.tokenize(state, from, to);
  state.parentType = oldParent;
  state.lineMax = oldLineMax;
}

function pushHtml(state: StateBlock, html: string, line: number): void {
  const token = state.push("hugo_html", "", 0);
  token.content = html;
  token.map = [line, line + 1];
  token.block = true;
}

/** The included file's Markdown, parsed now; its lines are numbered past the page's, where the locator finds that file. */
function include(state: StateBlock, source: Source, dropVersionNotes: boolean, report: (m: string) => void): void {
  const env = state.env as RenderEnv;
  const open = openIncludes(state.tokens).map((m) => m.rel);
  if (open.includes(source.rel) || open.length >= INCLUDE_DEPTH) {
    report(open.includes(source.rel) ? `${source.rel} includes itself` : `includes nested deeper than ${INCLUDE_DEPTH}`);
    return;
  }
  const front = frontMatterOf(source);
  env.diagnostics.push(...front.diagnostics);
  const base = includedLineBase(source);
  state.push("hugo_marker", "", 1).meta = { include: source.rel, dropVersionNotes, base };
  // The included tokens sit among the page's: nested includes see the open markers above.
  const before = state.tokens.length;
  state.md.block.parse(front.body, state.md, env, state.tokens);
  // A nested include's tokens are numbered from their own base already.
  for (const token of state.tokens.slice(before)) {
    if (token.map && token.map[0] < INCLUDED_LINES) token.map = [token.map[0] + base, token.map[1] + base];
  }
  state.push("hugo_marker", "", -1).meta = { include: source.rel };
}

/** Markdown a shortcode's definition made, parsed in place; its lines are the tag's. */
function generated(state: StateBlock, text: string, line: number): void {
  const before = state.tokens.length;
  state.md.block.parse(text, state.md, state.env, state.tokens);
  for (const token of state.tokens.slice(before)) if (token.map) token.map = [line, line + 1];
}

/** The includes open at the end of the tokens so far, outermost first. */
function openIncludes(tokens: readonly Token[]): { rel: string; drop: boolean; base: number }[] {
  const stack: { rel: string; drop: boolean; base: number }[] = [];
  for (const t of tokens) {
    if (t.type !== "hugo_marker" || !t.meta?.include) continue;
    if (t.nesting === 1) stack.push({ rel: t.meta.include as string, drop: Boolean(t.meta.dropVersionNotes), base: t.meta.base as number });
    else stack.pop();
  }
  return stack;
}

/** Whether the tokens so far are inside an include that drops version notes, and the line base of the innermost include. */
function contextAt(tokens: readonly Token[], env: RenderEnv): { context: ShortcodeContext; base: number } {
  const stack = openIncludes(tokens);
  return { context: { env, dropVersionNotes: stack.some((s) => s.drop) }, base: stack.at(-1)?.base ?? 0 };
}

function shortcodeInline(state: StateInline, silent: boolean): boolean {
  if (!opensTag(state.src, state.pos)) return false;
  const env = state.env as RenderEnv;
  if (!tableOf(env)) return false;
  const tag = parseTag(state.src, state.pos, state.posMax);
  if ("error" in tag) {
    if (!silent) {
      const token = state.push("hugo_shortcode", "", 0);
      token.meta = { error: tag.error, raw: state.src.slice(tag.start, tag.end) };
    }
    state.pos = tag.end;
    return true;
  }
  if (!silent) {
    if (tag.escaped !== undefined) state.push("text", "", 0).content = tag.escaped;
    else state.push("hugo_shortcode", "", 0).meta = { tag };
  }
  state.pos = tag.end;
  return true;
}

/** Inline shortcodes become HTML once the page's blocks are known (the includes they sit in). */
function expandInline(state: StateCore): void {
  if (!state.tokens.some((t) => t.type === "inline" && t.children?.some((c) => c.type === "hugo_shortcode"))) return;
  const env = state.env as RenderEnv;
  const table = tableOf(env);
  if (!table) return;
  const drops: boolean[] = [];
  for (const block of state.tokens) {
    if (block.type === "hugo_marker" && block.meta?.include) {
      if (block.nesting === 1) drops.push(Boolean(block.meta.dropVersionNotes));
      else drops.pop();
      continue;
    }
    if (block.type !== "inline" || !block.children?.some((c) => c.type === "hugo_shortcode")) continue;
    let line = block.map?.[0] ?? 0;
    for (const child of block.children) {
      if (child.type === "softbreak" || child.type === "hardbreak") line++;
      if (child.type !== "hugo_shortcode") continue;
      const tokenLine = line;
      const raw = (child.meta.tag?.raw ?? child.meta.raw) as string;
      const report = (code: "shortcode-unknown" | "shortcode-invalid", message: string) =>
        env.diagnostics.push(error(code, message, env.where(tokenLine, { text: raw, endLine: block.map?.[1] })));
      child.type = "html_inline";
      child.content = "";
      if (child.meta.error) {
        report("shortcode-invalid", child.meta.error);
        continue;
      }
      const tag = child.meta.tag as ShortcodeTag;
      const def = table.get(tag.name);
      if (!def) {
        report("shortcode-unknown", unknownMessage(tag.name, table));
        continue;
      }
      if (!def.inline || tag.closing) {
        report("shortcode-invalid", `shortcode ${tag.name} must stand alone on its line`);
        continue;
      }
      const expansion = def.expand(toCall(tag), { env, dropVersionNotes: drops.some(Boolean) });
      if (expansion.type === "html") child.content = expansion.html;
      else if (expansion.type === "error") report("shortcode-invalid", expansion.message);
      else report("shortcode-invalid", `shortcode ${tag.name} must stand alone on its line`);
    }
  }
}

function toCall(tag: ShortcodeTag): ShortcodeCall {
  return { name: tag.name, params: tag.params, positional: tag.positional, raw: tag.raw };
}

function unknownMessage(name: string, table: ShortcodeTable): string {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 4)) + 1;
  for (const candidate of table.names()) {
    const d = editDistance(name, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return `unknown shortcode \`${name}\`${best ? `; did you mean \`${best}\`?` : ""}`;
}
