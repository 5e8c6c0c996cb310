/**
 * The block parser: a state machine over lines, as docutils' (states.py)
 * reads a body: at each line, the first construct whose start it matches
 * (section title, transition, explicit markup, list item, table, indented
 * block, paragraph) takes the lines it owns, and bodies nested in them
 * (list items, directive contents, table cells) are parsed again, dedented,
 * with their original line numbers. Nothing is thrown for an author's
 * mistake: it becomes a located message and the text stays visible.
 */

import { blockCall, blockName } from "../../render/plugins/blocks.js";
import type { RuleCode } from "../../rules.js";
import type { Block, Cell, Line, RstDocument, SubstitutionDefinition, Text } from "./nodes.js";
import {
  dedent as dedentLines,
  isSimpleTableBorder,
  parseCsv,
  parseGridTable,
  parseSimpleTable,
  type RawTable,
  simpleTableEnd,
  TableError,
} from "./tables.js";

export interface Message {
  line: number;
  severity: "warning" | "error";
  code: RuleCode;
  message: string;
  /** The text the message is about, to find its column. */
  text?: string;
}

/** One file of a document: its text, and how far its titles are pushed down (a `targets.yaml` level). */
export interface RstPart {
  text: string;
  shift: number;
  /** Added to every line number of this part (the part's first line in the page's text). */
  firstLine: number;
}

export interface ParseOptions {
  /**
   * Adornment characters by level (targets.yaml's `title_styles`): a title's
   * level is then its style's place relative to the file's first title, as
   * gendoc.py adjusted them; without it, styles take levels by order of first
   * use, as docutils gives them.
   */
  titleStyles?: readonly string[];
  allowHtml?: boolean;
  /**
   * targets.yaml's `relative_title_styles`: adornments the 2020 templates
   * wrote for "one level down", "the same level", "one level up" from the
   * title before (gendoc.py's fix_relative_titles).
   */
  relativeStyles?: { subtitle?: string; sametitle?: string; supertitle?: string };
}

const ADMONITIONS = new Set(["attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning", "seealso"]);
const CODE = new Set(["code", "code-block", "sourcecode"]);
const ADORNMENT = /^([!-/:-@[-`{-~])\1*$/;
const BULLET = /^([-*+\u2022\u2023\u2043])( +|$)/;
const ENUMERATOR = /^(\(?)(\d+|#|[a-zA-Z]|[ivxlcdmIVXLCDM]+)([.)])( +|$)/;
const FIELD = /^:((?:[^:\\]|\\.|:(?! |$))+?):( +|$)/;
const EXPLICIT = /^\.\.( +|$)/;
const DIRECTIVE = /^([A-Za-z0-9][\w:+.-]*?)[ ]?::( +|$)(.*)$/;
const TARGET = /^_(`?)((?:[^`\\]|\\.)+?)\1:( +|$)(.*)$/;
const SUBSTITUTION_DEF = /^\|([^|]*[^|\s])\|\s+([A-Za-z0-9][\w:+.-]*?)::( +|$)(.*)$/;
const FOOTNOTE = /^\[([0-9]+|#(?:[\w-]+)?|\*|[\w][\w.-]*)\]( +|$)(.*)$/;

const isBlank = (line: Line | undefined) => line === undefined || line.text.trim() === "";
const isBlankLine = (line: Line) => line.text.trim() === "";
const indentOf = (text: string) => text.length - text.trimStart().length;

export function expandTabs(text: string): string {
  if (!text.includes("\t")) return text;
  let out = "";
  for (const ch of text) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
  return out;
}

export function parseDocument(parts: readonly RstPart[], options: ParseOptions = {}): { document: RstDocument; messages: Message[] } {
  const parser = new Parser(options);
  const blocks: Block[] = [];
  for (const part of parts) {
    const lines = part.text.split(/\r?\n/).map((text, i) => ({ text: expandTabs(text).trimEnd(), line: part.firstLine + i }));
    parser.startPart(part.shift);
    blocks.push(...parser.body(lines, true));
  }
  return { document: { blocks, substitutions: parser.substitutions, title: parser.title }, messages: parser.messages };
}

class Parser {
  readonly messages: Message[] = [];
  readonly substitutions = new Map<string, SubstitutionDefinition>();
  title?: string;
  /** Styles by order of first use (docutils); a style is its character, with `o` when overlined. */
  private styles: string[] = [];
  private shift = 0;
  private fileOffset: number | undefined;
  /** The level of the title before, and of the last title of an absolute style (for relative styles). */
  private lastLevel = 0;
  private lastAbsolute = 0;

  constructor(private readonly options: ParseOptions) {}

  startPart(shift: number): void {
    this.shift = shift;
    this.fileOffset = undefined;
    this.lastLevel = shift;
    this.lastAbsolute = shift;
    if (!this.options.titleStyles) this.styles = [];
  }

  private message(line: number, code: RuleCode, message: string, severity: Message["severity"] = "warning", text?: string): void {
    this.messages.push({ line, severity, code, message, text });
  }

  /** Parses a body: `lines` dedented to column 0 (except indented blocks, which are block quotes). */
  body(lines: readonly Line[], top = false): Block[] {
    const out: Block[] = [];
    let i = 0;
    while (i < lines.length) {
      if (isBlank(lines[i])) {
        i++;
        continue;
      }
      i = this.block(lines, i, out, top);
    }
    return out;
  }

  /** Reads the construct starting at `i` into `out`; returns the index after it. */
  private block(lines: readonly Line[], i: number, out: Block[], top: boolean): number {
    const { text, line } = lines[i];
    const next = lines[i + 1];
    if (indentOf(text) > 0) {
      const end = indentedEnd(lines, i);
      out.push({ kind: "block_quote", line, children: this.body(dedentLines(lines.slice(i, end))) });
      return end;
    }
    // In docutils' order: explicit markup and anonymous targets before titles (`..` is an adornment too).
    if (EXPLICIT.test(text)) return this.explicit(lines, i, out);
    if (/^__( +|$)/.test(text)) {
      const { body, end } = firstKnownIndented(lines, i, text.match(/^__ */)?.[0].length ?? 2);
      out.push({ kind: "target", line, name: "_", anonymous: true, ...targetValue(body) });
      return end;
    }
    if (/^\+[-=]+\+/.test(text)) return this.gridTable(lines, i, out);
    if (isSimpleTableBorder(text)) {
      const end = simpleTableEnd(lines, i);
      if (end > 0) {
        this.pushTable(out, line, () => parseSimpleTable(lines.slice(i, end)));
        return end;
      }
    }
    if (BULLET.test(text)) return this.bulletList(lines, i, out);
    if (this.enumerator(lines, i)) return this.enumeratedList(lines, i, out);
    if (FIELD.test(text) && !/^:[\w.+-]+:`/.test(text)) return this.fieldList(lines, i, out);
    const title = this.sectionTitle(lines, i, top);
    if (title) {
      out.push(title.section);
      return title.end;
    }
    if (ADORNMENT.test(text) && text.length >= 4 && isBlank(next) && (i === 0 || isBlank(lines[i - 1]))) {
      out.push({ kind: "transition", line });
      return i + 1;
    }
    return this.paragraph(lines, i, out);
  }

  private sectionTitle(lines: readonly Line[], i: number, top: boolean): { section: Block; end: number } | undefined {
    const { text, line } = lines[i];
    const next = lines[i + 1];
    const third = lines[i + 2];
    let style: string;
    let titleText: Line;
    let end: number;
    if (ADORNMENT.test(text) && next && !isBlank(next) && third && third.text === text && !ADORNMENT.test(next.text.trim())) {
      style = `${text[0]}o`;
      titleText = { text: next.text.trim(), line: next.line };
      end = i + 3;
    } else if (
      next &&
      ADORNMENT.test(next.text) &&
      !isBlank(lines[i]) &&
      !ADORNMENT.test(text) &&
      (next.text.length >= 4 || next.text.length >= text.trim().length)
    ) {
      if (next.text.length < text.trim().length) this.message(next.line, "rst-markup", "title underline too short", "warning", next.text);
      style = next.text[0];
      titleText = { text: text.trim(), line };
      end = i + 2;
    } else return undefined;
    if (!top) {
      this.message(
        line,
        "rst-markup",
        "a section title is not allowed here (inside a list, table or directive); shown as a paragraph",
        "warning",
        titleText.text,
      );
      return { section: { kind: "paragraph", text: titleText, demotedTitle: true }, end };
    }
    const level = this.levelOf(style, line);
    if (level === undefined) {
      this.message(
        line,
        "rst-markup",
        "title level inconsistent (deeper than one below the title before it); shown as a paragraph",
        "warning",
        titleText.text,
      );
      return { section: { kind: "paragraph", text: titleText, demotedTitle: true }, end };
    }
    return { section: { kind: "section", title: titleText, level, line, style }, end };
  }

  private levelOf(style: string, line: number): number | undefined {
    const level = this.absoluteLevel(style, line);
    if (level === undefined) return undefined;
    this.lastLevel = level;
    const relative = this.options.relativeStyles;
    if (!relative || !Object.values(relative).includes(style)) this.lastAbsolute = level;
    return level;
  }

  private absoluteLevel(style: string, line: number): number | undefined {
    const styles = this.options.titleStyles;
    const char = style[0];
    const relative = this.options.relativeStyles;
    // Relative to the last title of an absolute style (gendoc.py's fix_relative_titles): `<` titles in a row are siblings.
    if (relative && style.length === 1 && this.lastAbsolute > 0) {
      if (char === relative.subtitle) return this.lastAbsolute + 1;
      if (char === relative.sametitle) return this.lastAbsolute;
      if (char === relative.supertitle) return Math.max(1, this.lastAbsolute - 1);
    }
    if (styles?.includes(char)) {
      const index = styles.indexOf(char);
      this.fileOffset ??= index;
      return this.shift + index - this.fileOffset + 1;
    }
    const known = this.styles.indexOf(style);
    const level = this.shift + (known < 0 ? this.styles.length : known) + 1;
    // docutils: a title may go one level deeper than the one before, or any number up; else it is no title.
    if (level > Math.max(this.lastLevel, this.shift) + 1) return undefined;
    if (known < 0) {
      if (styles) this.message(line, "rst-markup", `title adornment "${char}" is not one of targets.yaml's title_styles`, "warning");
      this.styles.push(style);
    }
    return level;
  }

  private paragraph(lines: readonly Line[], i: number, out: Block[]): number {
    let end = i + 1;
    while (end < lines.length && !isBlank(lines[end]) && indentOf(lines[end].text) === 0) end++;
    // A line followed at once by an indented one is a definition list's term.
    if (end < lines.length && !isBlank(lines[end]) && end === i + 1) return this.definitionList(lines, i, out);
    if (end < lines.length && !isBlank(lines[end])) {
      // Text then indented lines with no blank between: the indented lines are an unexpected block quote (docutils says so too).
      this.message(lines[end].line, "rst-markup", "unexpected indentation", "warning");
    }
    const chunk = lines.slice(i, end);
    const joined = chunk.map((l) => l.text).join("\n");
    const call = chunk.length === 1 ? blockCall(joined) : undefined;
    if (call) {
      out.push({ kind: "specgen_block", line: lines[i].line, ...call, raw: joined.trim() });
      return end;
    }
    if (/::$/.test(joined) && !/\\::$/.test(joined)) {
      const text = joined === "::" ? "" : /\s::$/.test(joined) ? joined.replace(/\s+::$/, "") : joined.slice(0, -1);
      if (text) out.push({ kind: "paragraph", text: { text, line: lines[i].line } });
      return this.literalBlock(lines, end, out);
    }
    out.push({ kind: "paragraph", text: { text: joined, line: lines[i].line } });
    return end;
  }

  /** The indented block after `::` (blank lines first). */
  private literalBlock(lines: readonly Line[], from: number, out: Block[]): number {
    let i = from;
    while (i < lines.length && isBlank(lines[i])) i++;
    if (i >= lines.length || indentOf(lines[i].text) === 0) {
      // docutils' quoted literal block: unindented lines starting with the same punctuation.
      const quote = lines[i]?.text[0];
      if (i < lines.length && quote && /[!-/:-@[-`{-~]/.test(quote)) {
        let end = i;
        while (end < lines.length && !isBlank(lines[end]) && lines[end].text[0] === quote) end++;
        out.push({
          kind: "literal_block",
          line: lines[i].line,
          text: lines
            .slice(i, end)
            .map((l) => l.text)
            .join("\n"),
        });
        return end;
      }
      this.message(lines[from - 1]?.line ?? 0, "rst-markup", "literal block expected (after `::`); none found");
      return from;
    }
    const end = indentedEnd(lines, i);
    out.push({
      kind: "literal_block",
      line: lines[i].line,
      text: dedentLines(lines.slice(i, end))
        .map((l) => l.text)
        .join("\n"),
    });
    return end;
  }

  private definitionList(lines: readonly Line[], i: number, out: Block[]): number {
    const items: Extract<Block, { kind: "definition_list" }>["items"] = [];
    let at = i;
    while (
      at + 1 < lines.length &&
      !isBlank(lines[at]) &&
      indentOf(lines[at].text) === 0 &&
      !isBlank(lines[at + 1]) &&
      indentOf(lines[at + 1].text) > 0
    ) {
      if (items.length > 0 && this.startsOther(lines, at)) break;
      const [term, ...classifiers] = lines[at].text.split(/ +: +/);
      const end = indentedEnd(lines, at + 1);
      items.push({
        term: { text: term, line: lines[at].line },
        classifiers: classifiers.map((c) => ({ text: c, line: lines[at].line })),
        definition: this.body(dedentLines(lines.slice(at + 1, end))),
      });
      at = end;
      while (at < lines.length && isBlank(lines[at])) at++;
    }
    out.push({ kind: "definition_list", line: lines[i].line, items });
    return items.length > 0 ? skipBackBlank(lines, at) : i + 1;
  }

  /** Whether the line starts a construct other than a definition list item. */
  private startsOther(lines: readonly Line[], at: number): boolean {
    const text = lines[at].text;
    return (
      EXPLICIT.test(text) ||
      BULLET.test(text) ||
      FIELD.test(text) ||
      this.enumerator(lines, at) !== undefined ||
      /^\+[-=]+\+/.test(text) ||
      isSimpleTableBorder(text)
    );
  }

  private bulletList(lines: readonly Line[], i: number, out: Block[]): number {
    const bullet = lines[i].text[0];
    const items: Block[][] = [];
    let at = i;
    while (at < lines.length && lines[at].text[0] === bullet && BULLET.test(lines[at].text)) {
      const marker = (BULLET.exec(lines[at].text) as RegExpExecArray)[0].length;
      const { body, end } = firstKnownIndented(lines, at, marker);
      items.push(this.body(body));
      at = end;
      while (at < lines.length && isBlank(lines[at])) at++;
    }
    out.push({ kind: "bullet_list", line: lines[i].line, items });
    return skipBackBlank(lines, at);
  }

  /** The enumerator at line `at`, when it starts a list item (the next line must not be plain text that is no item). */
  private enumerator(
    lines: readonly Line[],
    at: number,
  ): { type: "1" | "a" | "A" | "i" | "I"; auto: boolean; value: number; format: string; length: number } | undefined {
    const m = ENUMERATOR.exec(lines[at].text);
    if (!m || (m[1] === "(" && m[3] !== ")")) return undefined;
    const [, open, value, close, space] = m;
    if (!space && lines[at].text.length > m[0].length) return undefined;
    const next = lines[at + 1];
    if (next && !isBlank(next) && indentOf(next.text) === 0 && !ENUMERATOR.test(next.text)) return undefined;
    let type: "1" | "a" | "A" | "i" | "I";
    let n: number;
    if (value === "#") {
      type = "1";
      n = 1;
    } else if (/^\d+$/.test(value)) {
      type = "1";
      n = Number(value);
    } else if (/^[ivxlcdm]+$/.test(value) && (value.length > 1 || value === "i")) {
      type = "i";
      n = roman(value);
    } else if (/^[IVXLCDM]+$/.test(value) && (value.length > 1 || value === "I")) {
      type = "I";
      n = roman(value);
    } else if (value.length === 1) {
      type = value === value.toLowerCase() ? "a" : "A";
      n = value.toLowerCase().charCodeAt(0) - 96;
    } else return undefined;
    if (!Number.isFinite(n) || n < 0 || (n === 0 && type !== "1")) return undefined;
    return { type, auto: value === "#", value: n, format: `${open}${close}`, length: m[0].length };
  }

  private enumeratedList(lines: readonly Line[], i: number, out: Block[]): number {
    const first = this.enumerator(lines, i) as NonNullable<ReturnType<Parser["enumerator"]>>;
    const items: Block[][] = [];
    let at = i;
    for (;;) {
      const e = at < lines.length ? this.enumerator(lines, at) : undefined;
      // `#.` continues a list of any type.
      if (!e || e.format !== first.format || (items.length > 0 && e.type !== first.type && !e.auto)) break;
      const { body, end } = firstKnownIndented(lines, at, e.length);
      items.push(this.body(body));
      at = end;
      while (at < lines.length && isBlank(lines[at])) at++;
    }
    out.push({ kind: "enumerated_list", line: lines[i].line, start: first.value, type: first.type, items });
    return skipBackBlank(lines, at);
  }

  private fieldList(lines: readonly Line[], i: number, out: Block[]): number {
    const fields: Extract<Block, { kind: "field_list" }>["fields"] = [];
    let at = i;
    while (at < lines.length && FIELD.test(lines[at].text) && !/^:[\w.+-]+:`/.test(lines[at].text)) {
      const m = FIELD.exec(lines[at].text) as RegExpExecArray;
      const { body, end } = firstKnownIndented(lines, at, m[0].length);
      fields.push({ name: { text: m[1], line: lines[at].line }, body: this.body(body) });
      at = end;
      while (at < lines.length && isBlank(lines[at])) at++;
    }
    out.push({ kind: "field_list", line: lines[i].line, fields });
    return skipBackBlank(lines, at);
  }

  private gridTable(lines: readonly Line[], i: number, out: Block[]): number {
    let end = i;
    while (end < lines.length && /^[+|]/.test(lines[end].text)) end++;
    this.pushTable(out, lines[i].line, () => parseGridTable(lines.slice(i, end)));
    return end;
  }

  private pushTable(out: Block[], line: number, read: () => RawTable, title?: Text): Block | undefined {
    try {
      const raw = read();
      const cells = (rows: RawTable["head"]): Cell[][] =>
        rows.map((row) => row.map((c) => ({ blocks: this.body(c.lines), colspan: c.colspan, rowspan: c.rowspan })));
      const table: Block = { kind: "table", line, title, head: cells(raw.head), body: cells(raw.body), stubColumns: 0 };
      out.push(table);
      return table;
    } catch (e) {
      if (!(e instanceof TableError)) throw e;
      this.message(line, "rst-table-malformed", e.message, "error");
      return undefined;
    }
  }

  /** `.. ` lines: footnotes, targets, substitution definitions, directives, comments. */
  private explicit(lines: readonly Line[], i: number, out: Block[]): number {
    const { body, end } = firstKnownIndented(lines, i, (EXPLICIT.exec(lines[i].text) as RegExpExecArray)[0].length);
    const first = body[0]?.text ?? "";
    const line = lines[i].line;
    const footnote = FOOTNOTE.exec(first);
    if (footnote) {
      const content = [{ text: footnote[3], line }, ...body.slice(1)];
      out.push({ kind: "footnote", line, label: footnote[1], children: this.body(dedentFirst(content)) });
      return end;
    }
    const target = TARGET.exec(first);
    if (target) {
      const name = target[2].replace(/\\(.)/g, "$1");
      const value = targetValue([{ text: target[4], line }, ...body.slice(1)]);
      out.push({ kind: "target", line, name: name === "_" ? "_" : name, anonymous: name === "_", ...value });
      return end;
    }
    const substitution = SUBSTITUTION_DEF.exec(first);
    if (substitution) {
      const [, name, directive, , rest] = substitution;
      const text = [rest, ...body.slice(1).map((l) => l.text)].join(" ").trim();
      if (directive.toLowerCase() === "replace")
        this.substitutions.set(name.replace(/\s+/g, " ").toLowerCase(), { name, text: { text, line }, line });
      else if (directive.toLowerCase() === "unicode")
        this.substitutions.set(name.toLowerCase(), { name, text: { text: unicodeText(text), line }, line });
      else
        this.message(
          line,
          "rst-directive-unknown",
          `substitution directive "${directive}::" is not supported; |${name}| stays as written`,
          "warning",
          first,
        );
      return end;
    }
    const directive = DIRECTIVE.exec(first);
    if (
      directive &&
      /^(topic|admonition)$/i.test(directive[1]) &&
      body.slice(1).every(isBlankLine) &&
      end < lines.length &&
      blockName(lines[end].text)
    ) {
      // The 2020 templates filled a topic from the block line under it (`{{x_changelog}}` rendered indented): it is the topic's content.
      const block = lines[end];
      body.push({ text: "", line: block.line }, { text: block.text.trim(), line: block.line });
      this.directive(
        directive[1].toLowerCase(),
        directive[1],
        [{ text: directive[3], line }, ...body.slice(1)],
        line,
        lines.slice(i, end + 1),
        out,
      );
      return end + 1;
    }
    if (directive) {
      this.directive(
        directive[1].toLowerCase(),
        directive[1],
        [{ text: directive[3], line }, ...body.slice(1)],
        line,
        lines.slice(i, end),
        out,
      );
      return end;
    }
    return end; // a comment
  }

  private directive(name: string, written: string, body: Line[], line: number, source: readonly Line[], out: Block[]): void {
    const { argument, options, content } = splitDirective(body, !ADMONITIONS.has(name));
    const unknown = (why: string) => {
      this.message(line, "rst-directive-unknown", why, "warning", `.. ${written}::`);
      out.push({ kind: "unknown", line, text: source.map((l) => l.text).join("\n") });
    };
    if (ADMONITIONS.has(name)) {
      out.push({ kind: "admonition", line, name, children: this.body(dedentLines(body)) });
    } else if (name === "admonition" || name === "topic") {
      out.push({ kind: "admonition", line, name, title: { text: argument, line }, children: this.body(content) });
    } else if (CODE.has(name)) {
      out.push({ kind: "literal_block", line, text: content.map((l) => l.text).join("\n"), language: argument || undefined });
    } else if (name === "contents") {
      const depth = Number.parseInt(options.get("depth") ?? "", 10);
      out.push({
        kind: "contents",
        line,
        title: argument || undefined,
        depth: Number.isFinite(depth) ? depth : undefined,
        local: options.has("local"),
      });
    } else if (name === "sectnum") {
      // Section numbers: the 2020 documents numbered their sections; the renderer numbers headings under the contents it shows.
      out.push({ kind: "contents", line, local: false, depth: -1 });
    } else if (name === "title") {
      this.title = argument;
    } else if (name === "table") {
      const tables: Block[] = this.body(content);
      const table = tables.find((b) => b.kind === "table");
      if (table && table.kind === "table") {
        table.title = { text: argument, line };
        out.push(table);
      } else unknown(`".. table::" holds no table`);
    } else if (name === "csv-table") {
      const rows = parseCsv(content);
      const count = (key: string) => Math.max(0, Number.parseInt(options.get(key) ?? "0", 10) || 0);
      const headerRows = count("header-rows");
      const cell = (row: { cells: string[]; line: number }) =>
        row.cells.map((text) => ({ blocks: this.body([{ text, line: row.line }]), colspan: 1, rowspan: 1 }));
      const header = options.has("header") ? parseCsv([{ text: options.get("header") ?? "", line }]) : [];
      out.push({
        kind: "table",
        line,
        title: argument ? { text: argument, line } : undefined,
        head: [...header, ...rows.slice(0, headerRows)].map(cell),
        body: rows.slice(headerRows).map(cell),
        stubColumns: count("stub-columns"),
      });
    } else if (name === "raw") {
      if (this.options.allowHtml && argument.toLowerCase() === "html")
        out.push({ kind: "raw", line, format: "html", text: content.map((l) => l.text).join("\n") });
      else unknown(`".. raw:: ${argument}" is shown as text: raw HTML needs allowHtml`);
    } else {
      unknown(`reStructuredText directive "${written}::" is not supported; its text is shown as it is`);
    }
  }
}

/** The lines after `start` that are blank or indented; up to the first unindented line, trailing blanks left out. */
function indentedEnd(lines: readonly Line[], start: number): number {
  let end = start;
  while (end < lines.length && (isBlank(lines[end]) || indentOf(lines[end].text) > 0)) end++;
  return skipBackBlank(lines, end);
}

function skipBackBlank(lines: readonly Line[], end: number): number {
  let e = end;
  while (e > 0 && isBlank(lines[e - 1])) e--;
  return e;
}

/** docutils' get_first_known_indented: the first line from column `column`, the indented lines after it dedented. */
function firstKnownIndented(lines: readonly Line[], start: number, column: number): { body: Line[]; end: number } {
  const end = indentedEnd(lines, start + 1);
  const first = { text: lines[start].text.slice(column), line: lines[start].line };
  // The lines after the first lose no more indentation than the first line's text starts at (as docutils trims them).
  const rest = lines.slice(start + 1, end);
  let indent = column;
  for (const l of rest) if (!isBlankLine(l)) indent = Math.min(indent, indentOf(l.text));
  return { body: [first, ...rest.map((l) => ({ text: l.text.slice(Math.min(indent, indentOf(l.text))), line: l.line }))], end };
}

/** Dedents all lines but the first, which is already at column 0. */
function dedentFirst(lines: Line[]): Line[] {
  return [lines[0], ...dedentLines(lines.slice(1))];
}

/** A directive's argument (up to the first blank line or option), its `:options:`, its content (dedented). */
function splitDirective(body: Line[], hasArguments: boolean): { argument: string; options: Map<string, string>; content: Line[] } {
  const options = new Map<string, string>();
  if (!hasArguments) return { argument: "", options, content: body };
  const option = /^:([\w-]+):(?: +(.*))?$/;
  const argument: string[] = [];
  let i = 1;
  if (!isBlank(body[0])) {
    argument.push(body[0].text.trim());
    while (i < body.length && !isBlank(body[i]) && !option.test(body[i].text.trim())) argument.push(body[i++].text.trim());
  }
  while (i < body.length && !isBlank(body[i])) {
    const m = option.exec(body[i].text.trim());
    if (m) options.set(m[1].toLowerCase(), (m[2] ?? "").trim());
    else if (options.size > 0) {
      const last = [...options.keys()].pop() as string;
      options.set(last, `${options.get(last)} ${body[i].text.trim()}`);
    }
    i++;
  }
  return { argument: argument.join(" ").trim(), options, content: trimEdges(dedentLines(body.slice(i))) };
}

function trimEdges(lines: Line[]): Line[] {
  let a = 0;
  let b = lines.length;
  while (a < b && isBlank(lines[a])) a++;
  while (b > a && isBlank(lines[b - 1])) b--;
  return lines.slice(a, b);
}

/** A target's value: a URI (whitespace removed), or `name_` / `` `name`_ `` (an indirect target). */
function targetValue(lines: readonly Line[]): { refuri?: string; refname?: string } {
  const value = lines
    .map((l) => l.text.trim())
    .join(" ")
    .trim();
  if (!value) return {};
  const indirect = /^(?:`([^`]+)`|([^\s`]+))_$/.exec(value);
  if (indirect && !/\\_$/.test(value)) return { refname: (indirect[1] ?? indirect[2]).replace(/\s+/g, " ") };
  return { refuri: value.replace(/\s+/g, "").replace(/\\(.)/g, "$1") };
}

function unicodeText(text: string): string {
  return text
    .split(/\s+/)
    .map((code) => {
      const m = /^(?:0x|x|\\x|U\+|u|\\u|&#x)([0-9a-f]+);?$/i.exec(code);
      return m ? String.fromCodePoint(Number.parseInt(m[1], 16)) : code;
    })
    .join("");
}

function roman(value: string): number {
  const digits: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };
  let total = 0;
  const s = value.toLowerCase();
  for (let k = 0; k < s.length; k++) {
    const v = digits[s[k]];
    const next = digits[s[k + 1]] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}
