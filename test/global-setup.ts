/** The CLI tests run bin/specgen.js, which runs the bundled dist/: bundle once before them. */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  execFileSync(process.execPath, ["scripts/bundle.mjs"], { cwd: fileURLToPath(new URL("..", import.meta.url)) });
}
