/**
 * Reporters: diagnostics as text for people (`pretty`: place, severity, code,
 * message and a code frame), for tools (`json`) and for GitHub Actions
 * (`github`: workflow annotations). Source text can be hostile, so everything
 * printed to a terminal is stripped of control characters first.
 */
import path from "node:path";
import type { Diagnostic } from "./diagnostics.js";

export const FORMATS = ["pretty", "json", "github"] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportContext {
  /** The spec root: diagnostics' files are relative to it. */
  root?: string;
  /** Paths are printed relative to this folder (the working directory) when they lie in it. */
  cwd?: string;
  /** Root-relative path → text, for code frames. */
  texts?: ReadonlyMap<string, string>;
  /** How many files the run read. */
  checked?: number;
  /** `--max-warnings`, to say when it was exceeded. */
  maxWarnings?: number;
  color?: boolean;
  /** `--quiet`: errors only; warnings are neither listed nor summarised (still counted). */
  quiet?: boolean;
  /** `--verbose`: pretty output lists every warning, however many there are. */
  verbose?: boolean;
}

/** More warnings than this are summarised by rule in pretty output (`--verbose` lists them). */
export const WARNINGS_LISTED = 10;

export interface Summary {
  errors: number;
  warnings: number;
  /** Files with at least one diagnostic. */
  files: number;
  checked?: number;
}

export function report(diagnostics: readonly Diagnostic[], format: Format, context: ReportContext = {}): string {
  const totals = summarize(diagnostics, context.checked);
  const warnings = diagnostics.filter((d) => d.severity === "warning");
  // As ESLint and Redocly: errors are always listed; many warnings are summarised by rule in pretty output.
  const summarised = !context.quiet && format === "pretty" && !context.verbose && warnings.length > WARNINGS_LISTED;
  const listed = context.quiet || summarised ? diagnostics.filter((d) => d.severity === "error") : diagnostics;
  if (format === "json") return `${JSON.stringify({ diagnostics: listed, summary: totals }, null, 2)}\n`;
  const lines = format === "github" ? listed.map((d) => githubLine(d, context)) : listed.map((d) => prettyBlock(d, context));
  const byRule = summarised ? `${warningsByRule(warnings)}; --verbose lists them\n` : "";
  return lines.join("") + byRule + summaryLine(totals, context);
}

/** `45 warnings: 20 property-no-description, 25 link-broken` (the most frequent rule first). */
export function warningsByRule(warnings: readonly Diagnostic[]): string {
  const counts = new Map<string, number>();
  for (const d of warnings) counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  const rules = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([code, n]) => `${n} ${code}`);
  return `${warnings.length} warning${warnings.length === 1 ? "" : "s"}: ${rules.join(", ")}`;
}

export function summarize(diagnostics: readonly Diagnostic[], checked?: number): Summary {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const files = new Set(diagnostics.flatMap((d) => (d.file ? [d.file] : []))).size;
  return { errors, warnings: diagnostics.length - errors, files, ...(checked === undefined ? {} : { checked }) };
}

function summaryLine(s: Summary, context: ReportContext): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const where = s.files > 0 ? ` in ${plural(s.files, "file")}` : "";
  const checked = s.checked === undefined ? "" : ` (${plural(s.checked, "file")} checked)`;
  const hidden = context.quiet && s.warnings > 0 ? " (not shown: --quiet)" : "";
  let out = `${plural(s.errors, "error")}, ${plural(s.warnings, "warning")}${hidden}${where}${checked}\n`;
  if (context.maxWarnings !== undefined && s.warnings > context.maxWarnings) {
    out += `too many warnings: ${s.warnings}, more than --max-warnings ${context.maxWarnings}\n`;
  }
  return out;
}

/** A path to print: relative to the working directory when the file lies in it, else absolute. */
function shownPath(file: string, context: ReportContext): string {
  if (!context.root) return file;
  const abs = path.join(context.root, file);
  const rel = path.relative(context.cwd ?? process.cwd(), abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : abs;
}

function place(d: Diagnostic, context: ReportContext): string {
  if (!d.file) return "specgen";
  return [shownPath(d.file, context), d.line, d.column].filter((x) => x !== undefined).join(":");
}

const STYLES = { bold: [1, 22], dim: [2, 22], red: [31, 39], yellow: [33, 39], cyan: [36, 39] } as const;

function paint(on: boolean | undefined, style: keyof typeof STYLES, s: string): string {
  return on ? `\x1b[${STYLES[style][0]}m${s}\x1b[${STYLES[style][1]}m` : s;
}

export function prettyBlock(d: Diagnostic, context: ReportContext): string {
  const c = context.color;
  const severity = paint(c, d.severity === "error" ? "red" : "yellow", d.severity);
  const pointer = d.pointer ? ` (at ${clean(d.pointer)})` : "";
  const head = `${paint(c, "bold", clean(place(d, context)))}  ${severity}  ${paint(c, "dim", d.code)}  ${clean(d.message)}${pointer}\n`;
  const text = d.file ? context.texts?.get(d.file) : undefined;
  return text !== undefined && d.line ? head + codeFrame(text, d.line, d.column ?? 1, c) : head;
}

const FRAME_BEFORE = 2;
const FRAME_AFTER = 1;
const FRAME_WIDTH = 100;

/** The lines around `line`, numbered, with a caret under `column`. */
export function codeFrame(text: string, line: number, column: number, color?: boolean): string {
  const lines = text.split("\n");
  // The empty "line" after a final newline is shown only when the problem is there (an unexpected end of file).
  if (lines.length > 1 && lines[lines.length - 1] === "" && line < lines.length) lines.pop();
  if (text === "" || line < 1 || line > lines.length) return "";
  const first = Math.max(1, line - FRAME_BEFORE);
  const last = Math.min(lines.length, line + FRAME_AFTER);
  const width = String(last).length;
  // Long lines (minified JSON) are cut to a window around the column, the same window for every line.
  const start = column - 1 > FRAME_WIDTH - 20 ? column - 1 - (FRAME_WIDTH >> 1) : 0;
  const cut = (s: string) => {
    if (start > 0 && s.length <= start) return "";
    const body = frameText(s.slice(start, start + FRAME_WIDTH));
    return (start > 0 ? "…" : "") + body + (s.length > start + FRAME_WIDTH ? "…" : "");
  };
  let out = "";
  for (let n = first; n <= last; n++) {
    const body = cut(lines[n - 1].replace(/\r$/, ""));
    const gutter = `${n === line ? ">" : " "} ${String(n).padStart(width)} |${body ? " " : ""}`;
    out += `${paint(color, "dim", gutter)}${body}\n`;
    if (n === line) {
      const pad = " ".repeat(Math.max(0, column - 1 - start) + (start > 0 ? 1 : 0));
      out += `${paint(color, "dim", `  ${" ".repeat(width)} | `)}${pad}${paint(color, "red", "^")}\n`;
    }
  }
  return out;
}

/** One printable character per source character, so the caret stays under its column. */
function frameText(s: string): string {
  return s.replace(/\t/g, " ").replace(UNPRINTABLE, "\uFFFD");
}

// C0/C1 control characters and the bidirectional overrides that can disguise text in a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A one-line, terminal-safe message. */
function clean(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, " ").replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function githubLine(d: Diagnostic, context: ReportContext): string {
  const props = [
    d.file && `file=${escapeProperty(shownPath(d.file, context))}`,
    d.line && `line=${d.line}`,
    d.column && `col=${d.column}`,
    `title=${escapeProperty(d.code)}`,
  ]
    .filter(Boolean)
    .join(",");
  const pointer = d.pointer ? ` (at ${d.pointer})` : "";
  return `::${d.severity === "error" ? "error" : "warning"} ${props}::${escapeData(d.message + pointer)}\n`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(UNPRINTABLE, "\ufffd");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
