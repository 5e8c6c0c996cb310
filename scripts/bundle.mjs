// Bundles the CLI and the library into dist/: one file to load instead of
// hundreds starts the CLI several times faster. Heavy modules that a command
// may not need are loaded with import() and land in chunks of their own.
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli.ts", "src/index.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // CommonJS dependencies inside an ES bundle still call require().
  banner: { js: "import { createRequire as __specgenRequire } from 'node:module'; const require = __specgenRequire(import.meta.url);" },
  legalComments: "none",
  logLevel: "warning",
});
