/**
 * The reference checker: today's Matrix spec's
 * `scripts/check-event-schema-examples.py` (python-jsonschema validating every
 * event example against its schema), run in place as CI runs it. It needs
 * python3 with jsonschema and PyYAML; `referenceProblem` says what is missing.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { CORPUS_2026 } from "./corpus.js";
import { type Timing, timeCommand } from "./process.js";

export const REFERENCE_SCRIPT = path.join(CORPUS_2026, "scripts/check-event-schema-examples.py");

/** Why the reference cannot run here, or undefined when it can. */
export function referenceProblem(): string | undefined {
  if (!existsSync(REFERENCE_SCRIPT)) return `${REFERENCE_SCRIPT} is not there`;
  const probe = spawnSync("python3", ["-c", "import jsonschema, yaml"], { encoding: "utf8" });
  if (probe.error) return "python3 is not installed";
  if (probe.status !== 0) return "python3 lacks jsonschema or PyYAML (pip install jsonschema PyYAML)";
  return undefined;
}

/**
 * One run of the reference. A shell runs it so that `times` reports the
 * child's CPU time; the shell adds about a millisecond of wall time.
 */
export function timeReference(): Promise<Timing> {
  const script = 'python3 "$0" >/dev/null 2>&1; rc=$?; times >&2; exit $rc';
  return timeCommand("sh", ["-c", script, REFERENCE_SCRIPT], (stderr) => {
    // `times` prints the shell's own user/system times, then its children's: "0m0.640s 0m0.120s".
    const lines = stderr.trim().split("\n");
    const seconds = [...(lines[lines.length - 1] ?? "").matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    return { cpuMs: seconds.length === 2 ? (seconds[0] + seconds[1]) * 1000 : Number.NaN, rssMb: Number.NaN };
  });
}
