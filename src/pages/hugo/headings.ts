/**
 * Heading ids as Hugo's Goldmark gives them: an explicit `{#id}` at the end of
 * the heading, else the heading's source text (inline markup included: the
 * backticks of `` `m.room.member` `` are simply dropped) anchorized, made
 * unique on the page by "-1", "-2", … The headings plugin keeps ids set here.
 */
import type MarkdownIt from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type { RenderEnv } from "../../render/env.js";
import { type AutoIdType, explicitId, HeadingIds } from "./anchorize.js";

export function hugoHeadingsPlugin(md: MarkdownIt, type: AutoIdType = "github"): void {
  // Explicit ids leave the heading's text before its inline content is parsed.
  md.core.ruler.before("inline", "hugo_heading_attributes", (state) => {
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type !== "heading_open") continue;
      const inline = tokens[i + 1];
      const { title, id } = explicitId(inline.content);
      if (id === undefined) continue;
      inline.content = title;
      tokens[i].meta = { ...tokens[i].meta, explicitId: id };
    }
  });
  // After the blocks have claimed their ids (blocks.ts), before the generic heading ids.
  const rule = (state: StateCore) => {
    const tokens = state.tokens;
    // The env only when there is a heading: a description without one stays independent of its page (describe.ts).
    if (!tokens.some((t) => t.type === "heading_open")) return;
    const ids = new HeadingIds((state.env as RenderEnv).ids, type);
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i].type !== "heading_open") continue;
      const explicit = tokens[i].meta?.explicitId as string | undefined;
      tokens[i].attrSet("id", explicit !== undefined ? ids.explicit(explicit) : ids.auto(tokens[i + 1].content));
    }
  };
  // Needs the headings plugin (render/plugins/headings.ts), which then keeps these ids.
  md.core.ruler.before("specgen_heading_ids", "hugo_heading_ids", rule);
}
