/**
 * Descriptions from schemas and API documents, rendered by markdown-it. The
 * same words come back on every event that inherits them (a core schema's
 * field descriptions), so each text renders once: its HTML is kept when the
 * render read nothing of its env (no page, site index, block, id, link or
 * diagnostic was involved), since the HTML then depends on the text alone.
 */
import type MarkdownIt from "markdown-it";
import { renderRstDescription } from "../pages/rst/index.js";
import type { Locator, RenderEnv } from "./env.js";
import { withoutShortcodes } from "./shortcodes-in-descriptions.js";

/** Per markdown-it instance (its options and plugins shape the HTML): text → HTML, for block and inline rendering. */
const known = new WeakMap<MarkdownIt, { block: Map<string, string>; inline: Map<string, string> }>();

/** A description's HTML; `where` places what it reports in the file it was written in. */
export function renderDescription(md: MarkdownIt, text: string, env: RenderEnv, where: Locator): string {
  if (hasShortcodes(env)) return rendered(md, "block", text, { ...env, where });
  const plain = withoutShortcodes(text, where);
  if (plain.diagnostics.length > 0) env.diagnostics.push(...plain.diagnostics);
  return rendered(md, "block", plain.text, { ...env, where });
}

/** A layout with shortcodes (Hugo's) renders them in descriptions too; otherwise they are reported and left out. */
function hasShortcodes(env: RenderEnv): boolean {
  return (env.layout as { shortcodes?: unknown } | undefined)?.shortcodes !== undefined;
}

/** A description's HTML without its paragraph, for a line of a table. */
export function renderInlineDescription(md: MarkdownIt, text: string, env: RenderEnv): string {
  if (hasShortcodes(env)) return rendered(md, "inline", text, env);
  const plain = withoutShortcodes(text, env.where);
  if (plain.diagnostics.length > 0) env.diagnostics.push(...plain.diagnostics);
  return rendered(md, "inline", plain.text, env);
}

function rendered(md: MarkdownIt, mode: "block" | "inline", text: string, env: RenderEnv): string {
  let cache = known.get(md);
  if (!cache) {
    cache = { block: new Map(), inline: new Map() };
    known.set(md, cache);
  }
  const hit = cache[mode].get(text);
  if (hit !== undefined) return hit;
  let read = false;
  // Every way a rule or plugin can look at the env (markdown-it's own reference-style links included).
  const watched = new Proxy(env, {
    get(target, key, receiver) {
      read = true;
      return Reflect.get(target, key, receiver);
    },
    set(target, key, value, receiver) {
      read = true;
      return Reflect.set(target, key, value, receiver);
    },
    has(target, key) {
      read = true;
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      read = true;
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, key) {
      read = true;
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    defineProperty(target, key, descriptor) {
      read = true;
      return Reflect.defineProperty(target, key, descriptor);
    },
    deleteProperty(target, key) {
      read = true;
      return Reflect.deleteProperty(target, key);
    },
  });
  // On an RST page, descriptions are RST (the 2020 templates wrote them into the document's text).
  const html = env.rst
    ? renderRstDescription(md, text, watched, mode === "inline")
    : mode === "block"
      ? md.render(text, watched)
      : md.renderInline(text, watched);
  if (!read) cache[mode].set(text, html);
  return html;
}
