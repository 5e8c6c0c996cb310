/** Timing a command as a fresh process: wall time, and what the process says of its CPU time and memory on stderr. */
import { spawn } from "node:child_process";

export interface Timing {
  ms: number;
  /** User + system CPU time of the process: steadier than wall time on a shared machine. */
  cpuMs: number;
  rssMb: number;
  code: number | null;
}

/** Runs `command args`, its stdout dropped; `usage` reads CPU time and peak RSS from its stderr (NaN where it says none). */
export function timeCommand(
  command: string,
  args: readonly string[],
  usage: (stderr: string) => Pick<Timing, "cpuMs" | "rssMb">,
): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += String(d);
    });
    child.on("error", reject);
    child.on("exit", (code) => resolve({ ms: performance.now() - started, ...usage(stderr), code }));
  });
}
