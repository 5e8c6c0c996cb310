/** Gives every heading an id: its slug, unique on the page (blocks have claimed theirs already, see blocks.ts). */
import type MarkdownIt from "markdown-it";
import { slugify } from "../../schema/fields.js";
import type { RenderEnv } from "../env.js";

export function uniqueId(ids: Set<string>, base: string): string {
  let id = base || "section";
  for (let i = 2; ids.has(id); i++) id = `${base || "section"}-${i}`;
  ids.add(id);
  return id;
}

export function headingsPlugin(md: MarkdownIt): void {
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
      tokens[i].attrSet("id", uniqueId(env.ids, slugify(title)));
      tokens[i].meta = { title };
    }
  });
}
