/** `{{apis}}`: the table of the spec's APIs, each linked to its document, with its version and what it is for. */
import type MarkdownIt from "markdown-it";
import { relativeHref } from "../site-index.js";
import type { BlockKind } from "./registry.js";
import { csvField, rstTextBlocks } from "./rst-text.js";

export interface ApiRow {
  title: string;
  /** The document's output path. */
  out: string;
  version: string;
  description: string;
}

export function apisBlock(md: MarkdownIt, rows: readonly ApiRow[]): BlockKind {
  return rstTextBlocks(md, ["apis"], (_name, env) => {
    const lines = rows.map((row) => {
      const href = env ? relativeHref(env.page, row.out) : row.out;
      return `   ${csvField(`\`${row.title} <${href}>\`_`)}, ${csvField(row.version)}, ${csvField(row.description)}`;
    });
    return `.. csv-table::\n   :header: "API", "Version", "Description"\n\n${lines.join("\n")}\n`;
  });
}
