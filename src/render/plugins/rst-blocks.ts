/**
 * The block syntax of the RST-flavoured 2020 Matrix descriptions, inside
 * Markdown, so that both dialects render in one build:
 *
 * - `.. NOTE::`, `.. WARNING::` and the other admonitions (`.. admonition:: Title`
 *   too): a box holding the indented body, rendered as Markdown;
 * - `.. csv-table::` with `:header-rows:` and `:stub-columns:`: a table whose
 *   cells are inline Markdown;
 * - `.. code:: lang` (and `code-block`, `sourcecode`): a code block;
 * - `.. anything else` without `::`: a comment, dropped with its indented lines;
 * - `#.` auto-numbered list items: numbered list items.
 *
 * Any other directive renders its body in a plain box and is reported.
 */
import type MarkdownIt from "markdown-it";
import type StateBlock from "markdown-it/lib/rules_block/state_block.mjs";
import { warning } from "../../diagnostics.js";
import { parseCsv } from "../../pages/rst/tables.js";
import type { RenderEnv } from "../env.js";

const ADMONITIONS = new Set(["attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning", "seealso"]);
const CODE = new Set(["code", "code-block", "sourcecode"]);
const DIRECTIVE = /^([A-Za-z][\w-]*)::(?:[ \t]+(.*))?$/;
const OPTION = /^:([\w-]+):[ \t]*(.*)$/;

interface CsvMeta {
  headerRows: number;
  stubColumns: number;
  rows: { cells: string[]; line: number }[];
}

export function rstBlocksPlugin(md: MarkdownIt): void {
  md.core.ruler.after("normalize", "rst_enumerators", (state) => {
    state.src = state.src.replace(/^([ \t]*)#\.(?=[ \t])/gm, "$11.");
  });
  md.block.ruler.before("paragraph", "rst_directive", (state: StateBlock, startLine: number, endLine: number, silent: boolean) =>
    directive(md, state, startLine, endLine, silent),
  );
  md.renderer.rules.rst_admonition_open = (tokens, idx) => {
    const { kind, title } = tokens[idx].meta as { kind: string; title: string };
    const esc = md.utils.escapeHtml;
    return `<div class="admonition admonition-${esc(kind)}">\n<p class="admonition-title">${esc(title)}</p>\n`;
  };
  md.renderer.rules.rst_admonition_close = () => "</div>\n";
  md.renderer.rules.rst_csv_table = (tokens, idx, _options, env: RenderEnv) => renderCsv(md, tokens[idx].meta as CsvMeta, env);
}

function directive(md: MarkdownIt, state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const first = state.src.slice(state.bMarks[startLine] + state.tShift[startLine], state.eMarks[startLine]);
  const marker = /^\.\.(?:[ \t]+(.*))?$/.exec(first);
  if (!marker) return false;
  // The body: the following lines that are blank or indented deeper than the marker.
  let next = startLine + 1;
  while (next < endLine && (state.isEmpty(next) || state.sCount[next] > state.sCount[startLine])) next++;
  let end = next;
  while (end > startLine + 1 && state.isEmpty(end - 1)) end--;
  if (silent) return true;
  state.line = next;
  const m = DIRECTIVE.exec(marker[1] ?? "");
  if (!m) return true; // a comment
  const name = m[1].toLowerCase();
  const argument = (m[2] ?? "").trim();
  const body = bodyLines(state, startLine + 1, end);
  if (CODE.has(name)) {
    const token = state.push("fence", "code", 0);
    token.info = argument;
    const code = body
      .map((l) => l.text)
      .join("\n")
      .replace(/^\n+/, "");
    token.content = code ? `${code}\n` : "";
    token.map = [startLine, next];
    return true;
  }
  if (name === "csv-table") {
    const token = state.push("rst_csv_table", "table", 0);
    token.map = [startLine, next];
    token.meta = csvTable(body);
    return true;
  }
  const known = ADMONITIONS.has(name);
  if (!known && name !== "admonition") {
    const env = state.env as RenderEnv;
    env.diagnostics.push(
      warning("rst-directive-unknown", `RST directive "${m[1]}::" is not supported; its text is shown as it is`, env.where(startLine)),
    );
  }
  // An admonition's argument starts its text; any other directive's argument (`.. admonition:: Title`, `.. raw:: html`) names it.
  const open = state.push("rst_admonition_open", "div", 1);
  open.meta = { kind: name, title: known ? titleOf(name) : name === "admonition" ? argument : `${m[1]} ${argument}`.trim() };
  open.map = [startLine, next];
  if (known && argument) {
    state.push("paragraph_open", "p", 1).map = [startLine, startLine + 1];
    const inline = state.push("inline", "", 0);
    inline.content = argument;
    inline.map = [startLine, startLine + 1];
    inline.children = [];
    state.push("paragraph_close", "p", -1);
  }
  tokenizeBody(md, state, startLine + 1, end);
  state.push("rst_admonition_close", "div", -1);
  state.line = next;
  return true;
}

function titleOf(name: string): string {
  return name === "seealso" ? "See also" : name[0].toUpperCase() + name.slice(1);
}

/** Parses the body lines as Markdown blocks nested at the body's indentation, as list items do. */
function tokenizeBody(md: MarkdownIt, state: StateBlock, from: number, to: number): void {
  if (to <= from) return;
  let indent = Number.POSITIVE_INFINITY;
  for (let line = from; line < to; line++) if (!state.isEmpty(line)) indent = Math.min(indent, state.sCount[line]);
  const saved = { blkIndent: state.blkIndent, lineMax: state.lineMax };
  state.blkIndent = indent;
  state.lineMax = to;
  md.block.tokenize(state, from, to);
  state.blkIndent = saved.blkIndent;
  state.lineMax = saved.lineMax;
}

/** The body's lines, dedented to its least-indented line, with their line numbers. */
function bodyLines(state: StateBlock, from: number, to: number): { text: string; line: number }[] {
  const lines: { text: string; line: number }[] = [];
  let indent = Number.POSITIVE_INFINITY;
  for (let line = from; line < to; line++) if (!state.isEmpty(line)) indent = Math.min(indent, state.sCount[line]);
  for (let line = from; line < to; line++) {
    const raw = state.src.slice(state.bMarks[line], state.eMarks[line]);
    lines.push({ text: state.isEmpty(line) ? "" : raw.replace(/^[ \t]*/, (ws) => " ".repeat(Math.max(0, ws.length - indent))), line });
  }
  return lines;
}

function csvTable(body: { text: string; line: number }[]): CsvMeta {
  const options = new Map<string, string>();
  let i = 0;
  for (; i < body.length; i++) {
    const m = OPTION.exec(body[i].text.trim());
    if (!m) break;
    options.set(m[1], m[2]);
  }
  const rows = parseCsv(body.slice(i));
  const count = (key: string) => Math.max(0, Number.parseInt(options.get(key) ?? "0", 10) || 0);
  return { headerRows: count("header-rows"), stubColumns: count("stub-columns"), rows };
}

function renderCsv(md: MarkdownIt, table: CsvMeta, env: RenderEnv): string {
  const row = (r: CsvMeta["rows"][number], header: boolean) => {
    const rowEnv: RenderEnv = { ...env, where: () => env.where(r.line) };
    const cells = r.cells.map((cell, i) => {
      const html = md.renderInline(cell, rowEnv);
      if (header) return `<th scope="col">${html}</th>`;
      return i < table.stubColumns ? `<th scope="row">${html}</th>` : `<td>${html}</td>`;
    });
    return `<tr>${cells.join("")}</tr>\n`;
  };
  const head = table.rows.slice(0, table.headerRows).map((r) => row(r, true));
  const body = table.rows.slice(table.headerRows).map((r) => row(r, false));
  // In a wrapper that scrolls: a wide table in a narrow cell must not crush the cell's words.
  return `<div class="table-scroll"><table class="csv-table">\n${head.length > 0 ? `<thead>\n${head.join("")}</thead>\n` : ""}<tbody>\n${body.join("")}</tbody>\n</table></div>\n`;
}
