/**
 * Inline code gets a line-break opportunity after each `_`, `.`, `/` and `|`
 * (`/rooms/{roomId}/send`, `m.room.member`): the site breaks no word inside
 * its letters, so a long identifier in a narrow table cell breaks only there.
 */
import type MarkdownIt from "markdown-it";
import { breakable } from "../templates.js";

export function codeBreaksPlugin(md: MarkdownIt): void {
  md.renderer.rules.code_inline = (tokens, idx, _options, _env, self) => {
    const token = tokens[idx];
    return `<code${self.renderAttrs(token)}>${breakable(token.content, md.utils.escapeHtml)}</code>`;
  };
}
