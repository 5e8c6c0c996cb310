// Bundles the CLI and the library into dist/: one file to load instead of
// hundreds starts the CLI several times faster. Each command's action imports
// what it runs (src/cli.ts), so esbuild puts those modules in chunks of their
// own: `--version` loads commander only, `check` neither the preview server,
// the diff nor highlight.js (test/startup.test.ts).
import { readFile } from "node:fs/promises";
import { build } from "esbuild";

/**
 * json-schema-ref-parser's options merge asks `val instanceof Headers` of every
 * options object. On Node 20 the first read of the global `Headers` loads
 * undici, http, tls and http2, a quarter of a check's start-up; specgen's
 * options never hold a Headers, so the bundle skips the question. A new
 * version that words it differently fails the bundle rather than going slow.
 */
const refParserWithoutHeaders = {
  name: "ref-parser-without-headers",
  setup(b) {
    b.onLoad({ filter: /json-schema-ref-parser[\\/]dist[\\/]lib[\\/]options\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const question = '(typeof Headers !== "undefined" && val instanceof Headers)';
      if (!text.includes(question)) throw new Error(`${args.path} no longer asks ${question}: see scripts/bundle.mjs`);
      return { contents: text.replace(question, "false"), loader: "js" };
    });
  },
};

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
  plugins: [refParserWithoutHeaders],
  legalComments: "none",
  logLevel: "warning",
});
