/** The CLI tests run bin/specgen.js, which runs the bundled dist/: bundle once before them. */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const repo = fileURLToPath(new URL("..", import.meta.url));
  // As `npm run prepare` does: no chunk of an earlier bundle stays beside this one's.
  rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
  execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: repo });
}
