/**
 * A diagnostic is a value: every stage returns them, nothing throws for a user's
 * mistake, and a reporter formats them all at the end of the run.
 */
import type { RuleCode } from "./rules.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  /** Stable rule code, e.g. `example-invalid`: see rules.ts. */
  code: RuleCode;
  message: string;
  /** Path relative to the spec root, `/`-separated. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** JSON pointer of the offending node inside `file` (schemas) or the example. */
  pointer?: string;
}

export function error(code: RuleCode, message: string, where: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "error", code, message, ...where };
}

export function warning(code: RuleCode, message: string, where: Partial<Diagnostic> = {}): Diagnostic {
  return { severity: "warning", code, message, ...where };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Deterministic order: by file, line, column, then code and message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [d.file ?? "", d.line ?? 0, d.column ?? 0, d.code, d.message] as const;
  return [...diagnostics].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] < kb[i]) return -1;
      if (ka[i] > kb[i]) return 1;
    }
    return 0;
  });
}

/** Removes exact repeats (the same problem found through two paths). */
export function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const k = JSON.stringify([d.severity, d.code, d.message, d.file, d.line, d.column, d.pointer]);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
