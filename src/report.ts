/** Reporters: diagnostics as text for people (`pretty`), for tools (`json`) and for GitHub Actions (`github`). */
import type { Diagnostic } from "./diagnostics.js";

export const FORMATS = ["pretty", "json", "github"] as const;
export type Format = (typeof FORMATS)[number];

export function report(diagnostics: readonly Diagnostic[], format: Format): string {
  if (format === "json") return `${JSON.stringify({ diagnostics }, null, 2)}\n`;
  if (format === "github") return diagnostics.map(githubLine).join("") + summary(diagnostics);
  return diagnostics.map(prettyLine).join("") + summary(diagnostics);
}

function place(d: Diagnostic): string {
  if (!d.file) return "specgen";
  return [d.file, d.line, d.column].filter((x) => x !== undefined).join(":");
}

function prettyLine(d: Diagnostic): string {
  const pointer = d.pointer ? ` (at ${d.pointer})` : "";
  return `${place(d)}  ${d.severity}  ${d.code}  ${d.message}${pointer}\n`;
}

function githubLine(d: Diagnostic): string {
  const props = [
    d.file && `file=${escapeProperty(d.file)}`,
    d.line && `line=${d.line}`,
    d.column && `col=${d.column}`,
    `title=${escapeProperty(d.code)}`,
  ]
    .filter(Boolean)
    .join(",");
  return `::${d.severity === "error" ? "error" : "warning"} ${props}::${escapeData(d.message)}\n`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function summary(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const files = new Set(diagnostics.map((d) => d.file ?? "")).size;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}${diagnostics.length ? ` in ${plural(files, "file")}` : ""}\n`;
}
