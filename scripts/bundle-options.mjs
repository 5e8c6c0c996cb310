// The bundle's options and plugins; scripts/bundle.mjs builds with them.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

/**
 * json-schema-ref-parser's options merge asks `val instanceof Headers` of every
 * options object. On Node 20 the first read of the global `Headers` loads
 * undici, http, tls and http2 (about 25 ms of every check); specgen's
 * options never hold a Headers, so the bundle skips the question. A new
 * version that words it differently fails the bundle rather than going slow.
 */
const refParserWithoutHeaders = {
  name: "ref-parser-without-headers",
  setup(b) {
    b.onLoad({ filter: /json-schema-ref-parser[\\/]dist[\\/]lib[\\/]options\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const question = '(typeof Headers !== "undefined" && val instanceof Headers)';
      if (!text.includes(question)) throw new Error(`${args.path} no longer asks ${question}: see scripts/bundle-options.mjs`);
      return { contents: text.replace(question, "false"), loader: "js" };
    });
  },
};

/**
 * commander requires child_process (and so net, dgram and their streams,
 * about 4 ms) at its top, for subcommands that are separate executables,
 * which specgen has none of. The bundle hands it a stand-in that requires
 * child_process when one is spawned.
 */
const lazyChildProcessInCommander = {
  name: "lazy-child-process-in-commander",
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const line = "const childProcess = require('node:child_process');";
      if (!text.includes(line) || /childProcess\.(?!spawn\()/.test(text))
        throw new Error(`${args.path} no longer uses child_process as it did: see scripts/bundle-options.mjs`);
      const lazy = "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
      return { contents: text.replace(line, lazy), loader: "js" };
    });
  },
};

/**
 * markdown-it makes a linkify-it in its constructor, which compiles a dozen
 * large patterns (4–7 ms of every check); specgen turns linkify off, so they
 * are never used. The bundle hands markdown-it a stand-in that makes the real
 * linkify-it the first time anything of it is asked for, so behaviour is the
 * same if some use of it appears.
 */
const lazyLinkify = {
  name: "lazy-linkify",
  setup(b) {
    b.onResolve({ filter: /^linkify-it$/ }, (args) =>
      /[\\/]markdown-it[\\/]/.test(args.importer) ? { path: "lazy-linkify-it", namespace: "specgen" } : undefined,
    );
    b.onLoad({ filter: /^lazy-linkify-it$/, namespace: "specgen" }, () => ({
      resolveDir: fileURLToPath(new URL("..", import.meta.url)),
      loader: "js",
      contents: `import LinkifyIt from "linkify-it";
export default function LazyLinkifyIt(...args) {
  let real;
  const made = () => (real ??= new LinkifyIt(...args));
  return new Proxy({}, {
    get: (_, key) => {
      const value = Reflect.get(made(), key);
      return typeof value === "function" ? value.bind(made()) : value;
    },
    set: (_, key, value) => Reflect.set(made(), key, value),
    has: (_, key) => Reflect.has(made(), key),
  });
}
`,
    }));
  },
};

/**
 * Fills src/render/precompiled.ts with the built-in templates compiled by
 * Handlebars now, each with its text: the CLI uses one only while the template
 * it renders has that very text, so an edited or overridden template is
 * compiled at run time as before.
 */
const precompiledTemplates = {
  name: "precompiled-templates",
  setup(b) {
    b.onLoad({ filter: /src[\\/]render[\\/]precompiled\.ts$/ }, async () => {
      const dir = new URL("../templates/", import.meta.url);
      const entries = [];
      for (const file of (await readdir(dir)).filter((f) => f.endsWith(".hbs")).sort()) {
        const text = await readFile(new URL(file, dir), "utf8");
        // The same options as compileTemplates' (src/render/templates.ts).
        const spec = Handlebars.precompile(text, { preventIndent: true });
        entries.push(`  [${JSON.stringify(file)}, { text: ${JSON.stringify(text)}, spec: ${spec} }],`);
      }
      return { contents: `export const PRECOMPILED = new Map([\n${entries.join("\n")}\n]);\n`, loader: "js" };
    });
  },
};

/**
 * The CLI's bundle is one CommonJS script, so that bin/specgen.js can compile
 * it with V8's code cache (Node 20 has no code cache for ES modules). A
 * `require()` esbuild can see is bundled, where it stays lazy: each source
 * file that requires a package on first use says `const require =
 * createRequire(import.meta.url)` (what an ES module needs under vitest), and
 * this plugin drops that line, so that its `require("…")` calls are the
 * bundle's own.
 */
const bundledRequire = {
  name: "bundled-require",
  setup(b) {
    const line = "const require = createRequire(import.meta.url);";
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const rest = text.replace(line, "");
      if (rest.includes("createRequire("))
        throw new Error(`${args.path}: require packages through \`${line}\` (scripts/bundle-options.mjs)`);
      return { contents: rest, loader: "ts" };
    });
  },
};

/**
 * esbuild writes every non-ASCII character as an escape except inside regular
 * expression literals (KaTeX's, markdown-it's), where `\uXXXX` stands for the
 * same code unit. Escaping those too makes the CLI's bundle all ASCII, which
 * bin/specgen.js reads as a one-byte string without decoding UTF-8 (7 ms of
 * every start), and which V8 keeps at a byte a character.
 */
const asciiOutput = {
  name: "ascii-output",
  setup(b) {
    b.onEnd(async (result) => {
      if (result.errors.length > 0) return;
      const file = b.initialOptions.outfile;
      const text = await readFile(file, "utf8");
      const unicodeEscape = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
      await writeFile(file, text.replace(/[\u0080-\uffff]/g, unicodeEscape));
    });
  },
};

const shared = {
  bundle: true,
  platform: "node",
  target: "node20",
  // Less text to parse (function names stay, for stack traces).
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  logLevel: "warning",
};

/**
 * The CLI: dist/specgen.cjs. Each command's action imports what it runs
 * (src/cli.ts), and esbuild evaluates a module imported that way only when
 * the import runs: `--version` evaluates commander only, `check` neither the
 * preview server nor the diff (test/startup.test.ts holds that).
 */
export const cliOptions = {
  ...shared,
  entryPoints: ["src/cli.ts"],
  outfile: "dist/specgen.cjs",
  format: "cjs",
  define: { "import.meta.url": "__specgenUrl" },
  banner: { js: "const __specgenUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [refParserWithoutHeaders, lazyChildProcessInCommander, lazyLinkify, precompiledTemplates, bundledRequire, asciiOutput],
};

/** `check --cache`'s replay (src/replay.ts), which bin/specgen.js runs before it loads the CLI: dist/replay.cjs. */
export const replayOptions = {
  ...shared,
  entryPoints: ["src/replay.ts"],
  outfile: "dist/replay.cjs",
  format: "cjs",
  plugins: [bundledRequire],
};

/** The library (package.json `exports`): dist/index.js, an ES module. */
export const libraryOptions = {
  ...shared,
  entryPoints: ["src/index.ts"],
  outfile: "dist/index.js",
  format: "esm",
  // CommonJS dependencies inside an ES bundle still call require().
  banner: { js: "import { createRequire as __specgenRequire } from 'node:module'; const require = __specgenRequire(import.meta.url);" },
  plugins: [refParserWithoutHeaders, lazyLinkify, precompiledTemplates],
};
