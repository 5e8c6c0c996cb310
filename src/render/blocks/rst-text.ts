/**
 * Blocks whose content is reStructuredText made from data (the 2020
 * templates' changelogs, warnings, tables): the text is read by the RST
 * reader into the page it is shown on, as the 2020 build wrote it into the
 * document's text. They add no headings or ids of their own.
 */
import type MarkdownIt from "markdown-it";
import { renderRstDescription } from "../../pages/rst/index.js";
import type { RenderEnv } from "../env.js";
import type { BlockKind } from "./registry.js";

/** `text(name, env)`: the block's RST (it may depend on the page, e.g. for relative links), or undefined when the name is not the kind's. */
export function rstTextBlocks(
  md: MarkdownIt,
  names: readonly string[],
  text: (name: string, env?: RenderEnv) => string | undefined,
): BlockKind {
  const known = new Set(names);
  return {
    names: () => known,
    outline(name) {
      if (!known.has(name)) return undefined;
      return { key: `rst-text:${name}:${text(name) ?? ""}`, headings: [], titles: [], ids: [], terms: [] };
    },
    render(name, env) {
      if (!known.has(name)) return undefined;
      const rst = text(name, env) ?? "";
      return rst.trim() ? renderRstDescription(md, rst, env, false) : "";
    },
  };
}

/** A CSV field, quoted for `.. csv-table::`. */
export function csvField(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}
