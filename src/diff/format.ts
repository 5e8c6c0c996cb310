/** The diff's three reports: Markdown for a pull-request comment, pretty text for a terminal, JSON for tools. */
import type { Change, JsonValue } from "./compare.js";
import type { DiffReport, Revision } from "./index.js";

export const DIFF_FORMATS = ["markdown", "pretty", "json"] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface FormatOptions {
  /** Where the head revision's site is published: targets link to their sections. */
  siteUrl?: string;
}

export function formatDiff(report: DiffReport, format: DiffFormat, options: FormatOptions = {}): string {
  if (format === "json") return jsonReport(report.changes);
  if (format === "markdown") return markdownReport(report, options);
  return prettyReport(report);
}

/** Exactly `{"changes": [{kind, target, path, before, after, breaking}]}`. */
function jsonReport(changes: readonly Change[]): string {
  const out = changes.map(({ kind, target, path, before, after, breaking }) => ({ kind, target, path, before, after, breaking }));
  return `${JSON.stringify({ changes: out }, null, 2)}\n`;
}

/** One side of a change as a report shows it: code (a type, a value) or prose; absent when undefined. */
interface Cell {
  text: string;
  code: boolean;
}

/** Longest value shown in a cell; the JSON report has the whole value. */
const MAX_CELL = 80;

function cells(change: Change): [Cell | undefined, Cell | undefined] {
  const side = (v: JsonValue): Cell | undefined => {
    if (v === null) return undefined;
    switch (change.kind) {
      case "required-added":
      case "required-removed":
        return { text: v ? "required" : "optional", code: false };
      case "description-changed":
        return { text: String(v), code: false };
      case "constraint-changed":
        return { text: Object.entries(v as Record<string, JsonValue>).map(([k, x]) => `${k}: ${plain(x)}`)[0] ?? "", code: true };
      case "example-changed":
        return { text: JSON.stringify(v), code: true };
      default:
        return { text: plain(v), code: true };
    }
  };
  return [side(change.before), side(change.after)];
}

function plain(v: JsonValue): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > MAX_CELL ? `${line.slice(0, MAX_CELL - 1)}…` : line;
}

function kindLabel(change: Change): string {
  return change.kind.replace("-", " ");
}

/**
 * The field a change is about: its pointer, or what the empty pointer stands
 * for; an example change also names its example when that is not the event's own.
 */
function fieldLabel(change: Change, code: (s: string) => string): string {
  const whole = change.kind.endsWith("-added") || change.kind.endsWith("-removed") ? "" : "(the event)";
  const field = change.path !== "" ? code(change.path) : change.kind === "example-changed" ? "(the example)" : whole;
  return change.example && change.example !== change.target ? `${field} in ${code(change.example)}` : field;
}

/** Targets in report order, with their changes. */
function byTarget(changes: readonly Change[]): Map<string, Change[]> {
  const groups = new Map<string, Change[]>();
  for (const c of changes) groups.set(c.target, [...(groups.get(c.target) ?? []), c]);
  return groups;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function summary(report: DiffReport): string {
  const { changes } = report;
  if (changes.length === 0) return "no changes";
  const targets = [...byTarget(changes).keys()];
  const counts = new Map<string, number>();
  for (const t of targets) {
    const kind = report.targets.get(t)?.kind ?? "event";
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const what = [...counts].map(([kind, n]) => plural(n, kind)).join(" and ");
  const breaking = changes.filter((c) => c.breaking).length;
  return `${plural(changes.length, "change")} to ${what}, ${breaking} breaking`;
}

function revisionText(r: Revision, code: (s: string) => string): string {
  return r.commit ? `${code(r.label)} (${code(r.commit.slice(0, 12))})` : r.label;
}

// Markdown

function markdownReport(report: DiffReport, options: FormatOptions): string {
  const range = `${revisionText(report.base, codeSpan)} → ${revisionText(report.head, codeSpan)}`;
  const breaking = report.changes.some((c) => c.breaking);
  const lines = [`**specgen diff** ${range}: ${breaking ? "⚠️ " : ""}**${summary(report)}**`];
  const site = options.siteUrl?.replace(/\/+$/, "");
  for (const [target, changes] of byTarget(report.changes)) {
    const href = report.targets.get(target)?.href;
    const title = codeSpan(target);
    lines.push("", `#### ${site && href ? `[${title}](${site}/${encodeURI(href)})` : title}`, "");
    lines.push("| Change | Field | Before | After |", "| --- | --- | --- | --- |");
    for (const c of changes) {
      const [before, after] = cells(c).map((cell) => (cell ? markdownCell(cell) : ""));
      const kind = c.breaking ? `⚠️ **${kindLabel(c)}** (breaking)` : kindLabel(c);
      lines.push(`| ${kind} | ${fieldLabel(c, codeSpan)} | ${before} | ${after} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function markdownCell(cell: Cell): string {
  const text = clip(cell.text);
  return cell.code ? codeSpan(text) : escapeMarkdown(text);
}

/** A code span that survives any backticks in its text, inside a table cell. */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text.replace(/\|/g, "\\|")}${pad}${fence}`;
}

/** Spec text shown as plain text: no Markdown, HTML or entity in it takes effect. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|~&]/g, "\\$&");
}

// Pretty

function prettyReport(report: DiffReport): string {
  const lines = [`specgen diff ${revisionText(report.base, (s) => s)} → ${revisionText(report.head, (s) => s)}`];
  const groups = byTarget(report.changes);
  const all = [...groups.values()].flat();
  const kindWidth = Math.max(0, ...all.map((c) => kindLabel(c).length));
  const fieldWidth = Math.max(0, ...all.map((c) => fieldLabel(c, (s) => s).length));
  for (const [target, changes] of groups) {
    lines.push("", target);
    for (const c of changes) {
      const [before, after] = cells(c).map((cell) => (cell ? clip(cell.text) : "–"));
      const mark = c.breaking ? "BREAKING" : "";
      lines.push(
        `  ${mark.padEnd(8)}  ${kindLabel(c).padEnd(kindWidth)}  ${fieldLabel(c, (s) => s).padEnd(fieldWidth)}  ${before} → ${after}`,
      );
    }
  }
  lines.push("", summary(report));
  return `${lines.join("\n")}\n`;
}
