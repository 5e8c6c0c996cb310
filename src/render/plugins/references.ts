/**
 * The RST-flavoured syntax of the 2020 Matrix sources, inside Markdown:
 * `` `Title`_ `` links to the heading or event of that title anywhere in the
 * site (unresolved: an error), and `` `text <url>`_ `` is a plain link.
 * ``literal`` needs nothing: CommonMark reads it as a code span already.
 * A `|name|_` substitution reference is shown as written, with a warning at
 * its place: no source defines substitutions for it.
 */
import type MarkdownIt from "markdown-it";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import type Token from "markdown-it/lib/token.mjs";
import { error, warning } from "../../diagnostics.js";
import { forEachInline, type RenderEnv } from "../env.js";
import { SiteIndex } from "../site-index.js";

const REFERENCE = /^`([^`\n]+)`__?(?![A-Za-z0-9_])/;
const WITH_URL = /^(.*?)\s*<([^<>\s]+)>$/s;
/** `|name|_` or `|name|__`: RST's substitution reference used as a link (the name neither starts nor ends with a space). */
const SUBSTITUTION = /(?<![|\w])\|([^|\s`](?:[^|`\n]*[^|\s`])?)\|__?(?![\w|])/g;

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
        token.markup = m[0];
        // markdown-it's own check refuses javascript:, vbscript:, file: and most data: URLs.
        if (link) token.meta = { refusedUrl: link[2] };
      }
    }
    state.pos += m[0].length;
    return true;
  });

  // Inline tokens carry no line; give each reference the line it starts on (at least) and the end of its block.
  md.core.ruler.push("specgen_reference_lines", (state) => {
    forEachInline(state.tokens, (child, line, endLine) => {
      if (child.type === "specgen_reference") child.meta = { ...child.meta, line, endLine };
      if (child.type === "text" && child.content.includes("|")) {
        const env = state.env as RenderEnv;
        for (const m of child.content.matchAll(SUBSTITUTION)) {
          const where = env.where(line, { text: m[0], endLine });
          env.diagnostics.push(
            warning(
              "rst-substitution-unresolved",
              `|${m[1]}|_ is an RST substitution reference; no substitution defines it, so it shows as written`,
              where,
            ),
          );
        }
      }
    });
  });

  md.renderer.rules.specgen_reference = (tokens: Token[], idx: number, _options, env: RenderEnv) => {
    const token = tokens[idx];
    const title = token.content;
    // The RST reader gives a reference shown otherwise than its name (`text <name_>`_, `|sub|`_) its text in meta.
    const text = md.utils.escapeHtml(token.meta?.text ?? token.meta?.substitution ?? title);
    const where = () => env.where(token.meta?.line ?? 0, { text: token.markup, endLine: token.meta?.endLine });
    if (token.meta?.refusedUrl) {
      env.diagnostics.push(
        error(
          "link-unsafe",
          `\`${title}\`_: a link to ${token.meta.refusedUrl} is not allowed (javascript:, vbscript:, file: or data: URL)`,
          where(),
        ),
      );
      return `<span class="unresolved">${text}</span>`;
    }
    const anchor = env.site.find(title);
    if (anchor) return `<a href="${md.utils.escapeHtml(SiteIndex.href(env.page, anchor))}">${text}</a>`;
    env.diagnostics.push(error("reference-unresolved", `\`${title}\`_ names no heading or event in the site`, where()));
    return `<span class="unresolved">${text}</span>`;
  };
}
