/** Gives every heading an id (its slug, unique on the page) and a self-link. */
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
      const id = uniqueId(env.ids, slugify(title));
      tokens[i].attrSet("id", id);
      tokens[i].meta = { title };
      const line = tokens[i].map?.[0] ?? 0;
      env.marks?.anchors.push({ id, where: () => env.where(line) });
    }
  });
}
