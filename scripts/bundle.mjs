// Bundles the CLI and the library into dist/: one file to load instead of
// hundreds starts the CLI several times faster. Each command's action imports
// what it runs (src/cli.ts), so esbuild puts those modules in chunks of their
// own: `--version` loads commander only, `check` neither the preview server,
// the diff nor highlight.js (test/startup.test.ts holds that).
import { build } from "esbuild";
import { bundleOptions } from "./bundle-options.mjs";

await build(bundleOptions);
