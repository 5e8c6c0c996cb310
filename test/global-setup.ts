/** The CLI tests run bin/specgen.js, which runs the compiled dist/: compile once before them. */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
  });
}
