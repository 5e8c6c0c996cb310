/** The CLI tests run bin/specgen.js, which runs the bundled dist/: bundle once before them. */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const repo = fileURLToPath(new URL("..", import.meta.url));
  // As `npm run prepare` does: nothing of an earlier bundle (its code cache above all) stays beside this one.
  rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
  execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: repo });
}
