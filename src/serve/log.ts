/**
 * What the preview prints of each rebuild's diagnostics: only what changed.
 * New errors are printed as `check` prints them (place, rule, message, code
 * frame); fixed ones get a line. Warnings are summarised by rule on the first
 * build and never re-printed on later saves: only new ones are shown (listed
 * when few, summarised when many), and a count of those fixed.
 */
import type { Diagnostic } from "../diagnostics.js";
import { prettyBlock, type ReportContext, WARNINGS_LISTED, warningsByRule } from "../report.js";

/** A diagnostic's identity across rebuilds: not its line, which an edit above it moves. */
function identity(d: Diagnostic): string {
  return JSON.stringify([d.severity, d.code, d.file, d.pointer, d.message]);
}

export class DiagnosticLog {
  private shown = new Map<string, Diagnostic>();
  private first = true;

  constructor(private readonly context: Omit<ReportContext, "texts">) {}

  /** The text to print after a rebuild that ended with `diagnostics` ("" when nothing changed). */
  update(diagnostics: readonly Diagnostic[], texts: ReadonlyMap<string, string>): string {
    const current = new Map(diagnostics.map((d) => [identity(d), d]));
    const added = [...current].filter(([k]) => !this.shown.has(k)).map(([, d]) => d);
    const gone = [...this.shown].filter(([k]) => !current.has(k)).map(([, d]) => d);
    this.shown = current;
    const context = { ...this.context, texts };
    let out = "";
    for (const d of gone.filter((d) => d.severity === "error")) out += `fixed: ${shortLine(d, context)}\n`;
    const goneWarnings = gone.filter((d) => d.severity === "warning").length;
    if (goneWarnings > 0) out += `fixed: ${goneWarnings} warning${goneWarnings === 1 ? "" : "s"}\n`;
    for (const d of added.filter((d) => d.severity === "error")) out += prettyBlock(d, context);
    const warnings = added.filter((d) => d.severity === "warning");
    if (warnings.length > (this.first ? 0 : WARNINGS_LISTED)) out += `${warningsByRule(warnings)}\n`;
    else for (const d of warnings) out += prettyBlock(d, context);
    this.first = false;
    return out;
  }
}

/** `file:line  code  message`, the first line of a pretty block without its severity. */
function shortLine(d: Diagnostic, context: ReportContext): string {
  return prettyBlock(d, { ...context, texts: undefined, color: false })
    .replace(/\n$/, "")
    .replace(/ {2}error {2}/, "  ");
}
