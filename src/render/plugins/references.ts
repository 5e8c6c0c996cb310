/**
 * The RST-flavoured syntax of the 2020 Matrix sources, inside Markdown:
 * `` `Title`_ `` links to the heading or event of that title anywhere in the
 * site (unresolved: an error), and `` `text <url>`_ `` is a plain link.
 * ``literal`` needs nothing: CommonMark reads it as a code span already.
 */
import type MarkdownIt from "markdown-it";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import type Token from "markdown-it/lib/token.mjs";
import { error } from "../../diagnostics.js";
import type { RenderEnv } from "../env.js";
import { SiteIndex } from "../site-index.js";

const REFERENCE = /^`([^`\n]+)`__?(?![A-Za-z0-9_])/;
const WITH_URL = /^(.*?)\s*<([^<>\s]+)>$/s;

export function referencesPlugin(md: MarkdownIt): void {
  md.inline.ruler.before("backticks", "specgen_reference", (state: StateInline, silent: boolean) => {
    if (state.src.charCodeAt(state.pos) !== 0x60 /* ` */ || state.src.charCodeAt(state.pos + 1) === 0x60) return false;
    const m = REFERENCE.exec(state.src.slice(state.pos));
    if (!m) return false;
    if (!silent) {
      const link = WITH_URL.exec(m[1]);
      if (link && md.validateLink(link[2])) {
        const open = state.push("link_open", "a", 1);
        open.attrs = [["href", md.normalizeLink(link[2])]];
        const text = state.push("text", "", 0);
        text.content = link[1] || link[2];
        state.push("link_close", "a", -1);
      } else {
        const token = state.push("specgen_reference", "", 0);
        token.content = m[1].replace(/\s+/g, " ");
      }
    }
    state.pos += m[0].length;
    return true;
  });

  // Inline tokens carry no line; give each reference the line it sits on.
  md.core.ruler.push("specgen_reference_lines", (state) => {
    for (const block of state.tokens) {
      if (block.type !== "inline" || !block.children) continue;
      let line = block.map?.[0] ?? 0;
      for (const child of block.children) {
        if (child.type === "softbreak" || child.type === "hardbreak") line++;
        if (child.type === "specgen_reference") child.meta = { line };
      }
    }
  });

  md.renderer.rules.specgen_reference = (tokens: Token[], idx: number, _options, env: RenderEnv) => {
    const token = tokens[idx];
    const title = token.content;
    const anchor = env.site.find(title);
    const text = md.utils.escapeHtml(title);
    if (anchor) return `<a href="${md.utils.escapeHtml(SiteIndex.href(env.page, anchor))}">${text}</a>`;
    env.diagnostics.push(
      error("reference-unresolved", `\`${title}\`_ names no heading or event in the site`, env.where(token.meta?.line ?? 0)),
    );
    return `<span class="unresolved">${text}</span>`;
  };
}
