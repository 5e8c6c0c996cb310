/**
 * Maths between the delimiters a Hugo site's Goldmark passthrough extension
 * names (`\[…\]`, `$$…$$` for display, `\(…\)` inline), rendered at build time
 * by KaTeX as MathML, which browsers lay out themselves: the page needs no
 * script, stylesheet or font for it. A formula KaTeX cannot read is reported
 * at its place and shown as written.
 */
import type MarkdownIt from "markdown-it";
import type StateBlock from "markdown-it/lib/rules_block/state_block.mjs";
import type StateInline from "markdown-it/lib/rules_inline/state_inline.mjs";
import type Token from "markdown-it/lib/token.mjs";
import { warning } from "../../diagnostics.js";
import { forEachInline, type RenderEnv } from "../../render/env.js";
import { katex } from "../katex.js";

export interface MathDelimiters {
  block: [string, string][];
  inline: [string, string][];
}

export function mathsPlugin(md: MarkdownIt, delimiters: MathDelimiters): void {
  if (delimiters.block.length === 0 && delimiters.inline.length === 0) return;
  md.block.ruler.before("paragraph", "hugo_math_block", (state: StateBlock, startLine, endLine, silent) => {
    if (state.sCount[startLine] - state.blkIndent >= 4) return false;
    const start = state.bMarks[startLine] + state.tShift[startLine];
    const pair = delimiters.block.find(([open]) => state.src.startsWith(open, start));
    if (!pair) return false;
    const [open, close] = pair;
    // The formula runs to the line that ends with the closing delimiter.
    for (let line = startLine; line < endLine; line++) {
      const from = line === startLine ? start + open.length : state.bMarks[line] + state.tShift[line];
      const text = state.src.slice(from, state.eMarks[line]).trimEnd();
      if (!text.endsWith(close) || (line === startLine && text.length < close.length)) {
        if (line > startLine && state.isEmpty(line)) return false;
        continue;
      }
      if (silent) return true;
      const token = state.push("hugo_math", "math", 0);
      token.content = state.src.slice(start + open.length, from + text.length - close.length);
      token.meta = { display: true, raw: `${open}${token.content}${close}` };
      token.map = [startLine, line + 1];
      token.block = true;
      state.line = line + 1;
      return true;
    }
    return false;
  });
  md.inline.ruler.before("escape", "hugo_math_inline", (state: StateInline, silent) => {
    for (const [pairs, display] of [
      [delimiters.inline, false],
      [delimiters.block, true],
    ] as const) {
      for (const [open, close] of pairs) {
        if (!state.src.startsWith(open, state.pos)) continue;
        const end = state.src.indexOf(close, state.pos + open.length);
        if (end < 0 || end + close.length > state.posMax) continue;
        if (!silent) {
          const token = state.push("hugo_math", "math", 0);
          token.content = state.src.slice(state.pos + open.length, end);
          token.meta = { display, raw: state.src.slice(state.pos, end + close.length) };
        }
        state.pos = end + close.length;
        return true;
      }
    }
    return false;
  });
  md.renderer.rules.hugo_math_html = (tokens, idx) => tokens[idx].content;
  // Rendered once the page is parsed, where each formula's line is known.
  md.core.ruler.after("inline", "hugo_math_render", (state) => {
    const env = state.env as RenderEnv;
    const render = (token: Token, line: number, endLine?: number) => {
      const display = Boolean(token.meta.display);
      try {
        const html = katex().renderToString(token.content, {
          displayMode: display,
          output: "mathml",
          throwOnError: true,
          strict: "ignore",
          trust: false,
        });
        token.content = token.block ? `<div class="math">${html}</div>\n` : html;
      } catch (e) {
        const reason = e instanceof katex().ParseError ? e.rawMessage : String(e);
        env.diagnostics.push(
          warning("maths-invalid", `KaTeX cannot read this formula: ${reason}`, env.where(line, { text: token.meta.raw, endLine })),
        );
        const text = md.utils.escapeHtml(token.meta.raw);
        token.content = token.block ? `<pre class="math-error">${text}</pre>\n` : `<code class="math-error">${text}</code>`;
      }
      // Not html_inline/html_block: the raw-HTML sanitizer is for what pages write, not for KaTeX's MathML.
      token.type = "hugo_math_html";
    };
    for (const token of state.tokens) if (token.type === "hugo_math") render(token, token.map?.[0] ?? 0);
    forEachInline(state.tokens, (child, line, endLine) => {
      if (child.type === "hugo_math") render(child, line, endLine);
    });
  });
}
