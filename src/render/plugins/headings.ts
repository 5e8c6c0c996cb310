/**
 * Gives every heading an id (its slug, unique on the page; blocks have claimed
 * theirs already, see blocks.ts) and, below the page title, a visible `#`
 * self-link to copy.
 */
import type MarkdownIt from "markdown-it";

import type { RenderEnv } from "../env.js";

export function uniqueId(ids: Set<string>, base: string): string {
  let id = base || "section";
  for (let i = 2; ids.has(id); i++) id = `${base || "section"}-${i}`;
  ids.add(id);
  return id;
}

export function headingsPlugin(md: MarkdownIt, anchor: (text: string) => string): void {
  md.core.ruler.push("specgen_heading_ids", (state) => {
    const env = state.env as RenderEnv;
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type !== "heading_open") continue;
      const inline = tokens[i + 1];
      const title = (inline.children ?? [])
        .filter((t) => t.type === "text" || t.type === "code_inline")
        .map((t) => t.content)
        .join("");
      // An id the page's reader set (Hugo's rules, an explicit `{#id}`) is kept.
      const id = tokens[i].attrGet("id") ?? uniqueId(env.ids, anchor(title));
      tokens[i].attrSet("id", id);
      tokens[i].meta = { title };
      const line = tokens[i].map?.[0] ?? 0;
      // The place thunk keeps the locator only: a page's parse is kept across rebuilds, its env's blocks are not.
      const { where } = env;
      env.marks?.anchors.push({ id, where: () => where(line) });
    }
  });

  md.renderer.rules.heading_close = (tokens, idx) => {
    const close = tokens[idx];
    let open = idx - 1;
    while (open > 0 && tokens[open].type !== "heading_open") open--;
    const id = tokens[open].attrGet("id");
    if (close.tag === "h1" || !id) return `</${close.tag}>\n`;
    return `${selfLink(md, id, tokens[open].meta?.title ?? "")}</${close.tag}>\n`;
  };
}

/**
 * The `#` link a heading carries to its own id. Screen readers hear the hidden
 * words rather than "#" (an aria-label would hide the visible text from voice control).
 */
function selfLink(md: MarkdownIt, id: string, title: string): string {
  const { escapeHtml } = md.utils;
  return ` <a class="heading-anchor" href="#${escapeHtml(id)}"><span aria-hidden="true">#</span><span class="visually-hidden">Link to this section: ${escapeHtml(title)}</span></a>`;
}
