/** `{{sas_emoji_table}}`: the emoji of SAS verification (data-definitions/sas-emoji.json) as the 2020 table. */
import type MarkdownIt from "markdown-it";
import type { SasEmoji } from "../../layouts/matrix-2020/repository.js";
import type { BlockKind } from "./registry.js";
import { csvField, rstTextBlocks } from "./rst-text.js";

export function sasEmojiBlock(md: MarkdownIt, emoji: readonly SasEmoji[]): BlockKind {
  const rows = emoji.map((e) => `   ${e.number}, ${csvField(e.emoji)}, ${csvField(`\`\`${e.unicode}\`\``)}, ${csvField(e.description)}`);
  const text = `.. csv-table::\n   :header: "Number", "Emoji", "Unicode", "Description"\n\n${rows.join("\n")}\n`;
  return rstTextBlocks(md, ["sas_emoji_table"], () => text);
}
