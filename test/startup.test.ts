/**
 * What each command evaluates. Start-up is most of a small check's time, so
 * the CLI's bundle (one script, compiled from V8's code cache) evaluates a
 * module only when a command imports or requires it, and a check touches no
 * network module. Timings live in the benchmark; these tests hold what makes
 * them.
 */
import { isAscii } from "node:buffer";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.js";
import { loadSpec } from "../src/load/index.js";
import { templateProblem } from "../src/load/templates.js";
import { build as buildSite, Pipeline } from "../src/pipeline.js";
import { copySample, makeRoot, REPO, specgen, tempDir, writeFiles } from "./helpers.js";

// The template check, watched: it runs Handlebars' compiler.
vi.mock("../src/load/templates.js", async (original) => {
  const actual = await original<typeof import("../src/load/templates.js")>();
  return { ...actual, templateProblem: vi.fn(actual.templateProblem) };
});

const BUNDLE = path.join(REPO, "dist/specgen.cjs");

interface Loaded {
  code: number | null;
  stderr: string;
  /** The bundle's modules the run evaluated, of those it evaluates on first import or require (see `lazy`). */
  modules: Set<string>;
  /** The Node built-ins it loaded. */
  builtins: Set<string>;
  /** The CommonJS files it required from outside the bundle. */
  required: string[];
}

/** On exit, the built-ins the process loaded and the files it required. */
const PROBE = `import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
process.on("exit", () => {
  const required = Object.keys(createRequire(import.meta.url).cache);
  writeFileSync(process.env.PROBE_OUT, JSON.stringify({ builtins: process.moduleLoadList, required }));
});
`;

let probe: string;

/**
 * esbuild wraps each module that is evaluated on demand in a function named
 * by its path (`"src/pipeline.ts"() {…}`), so V8's coverage of a run tells
 * which of them ran.
 */
function run(args: string[]): Loaded {
  const dir = tempDir();
  const out = path.join(dir, "loaded.json");
  const coverage = path.join(dir, "coverage");
  const r = specgen(args, { NODE_OPTIONS: `--import=${probe}`, PROBE_OUT: out, NODE_V8_COVERAGE: coverage });
  const { builtins, required } = JSON.parse(readFileSync(out, "utf8")) as { builtins: string[]; required: string[] };
  const modules = new Set<string>();
  for (const file of readdirSync(coverage)) {
    const { result } = JSON.parse(readFileSync(path.join(coverage, file), "utf8")) as {
      result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
    };
    for (const script of result.filter((s) => s.url.endsWith("/dist/specgen.cjs"))) {
      for (const f of script.functions)
        if (/^(src|node_modules)\//.test(f.functionName) && f.ranges[0].count > 0) modules.add(f.functionName);
    }
  }
  const natives = builtins.filter((b) => b.startsWith("NativeModule ")).map((b) => b.slice("NativeModule ".length));
  return { code: r.code, stderr: r.stderr, modules, builtins: new Set(natives), required };
}

/** The modules whose evaluation the bundle defers: only of those can a run say it did not evaluate them. */
let lazy: Set<string>;

const has = (loaded: Loaded, prefix: string) => {
  if (![...lazy].some((m) => m.startsWith(prefix))) throw new Error(`the bundle evaluates ${prefix} at every start`);
  return [...loaded.modules].some((m) => m.startsWith(prefix));
};
/** Handlebars' compiler ran (it is in the bundle, evaluated on first require). */
const compiles = (loaded: Loaded) => has(loaded, "node_modules/handlebars/dist/cjs/handlebars/compiler/");

beforeAll(() => {
  lazy = new Set([...readFileSync(BUNDLE, "utf8").matchAll(/"((?:src|node_modules)\/[^"]+)"\(/g)].map((m) => m[1]));
  const dir = tempDir();
  writeFiles(dir, { "probe.mjs": PROBE });
  probe = path.join(dir, "probe.mjs");
});

describe("start-up", () => {
  let root: string;
  let check: Loaded;
  let build: Loaded;
  beforeAll(() => {
    root = copySample();
    check = run(["check", root]);
    build = run(["build", root]);
  });

  it("has the code cache that `npm run prepare` made for this very bundle, and the bundle's id", () => {
    // bin/specgen.js uses it only while its first bytes are the bundle's SHA-1 (a stale one is never read).
    const sha1 = createHash("sha1").update(readFileSync(BUNDLE)).digest();
    const cache = readFileSync(`${BUNDLE}.cache`);
    expect(cache.subarray(0, 20).equals(sha1)).toBe(true);
    expect(cache.length).toBeGreaterThan(100_000);
    // The SHA-1 the bin takes for the bundle's while its size and time are those written with it.
    const { size, mtimeMs } = statSync(BUNDLE);
    expect(JSON.parse(readFileSync(`${BUNDLE}.id`, "utf8"))).toEqual({ stamp: `${size} ${mtimeMs}`, sha1: sha1.toString("hex") });
  });

  it("falls back to compiling the bundle when the cache is not its own or V8 refuses it, with the same results", () => {
    // An installed copy of bin/ and dist/ whose cache can be spoiled without touching the repository's.
    const copy = tempDir();
    cpSync(path.join(REPO, "bin"), path.join(copy, "bin"), { recursive: true });
    // With their times, so that the bundle's id (dist/specgen.cjs.id) still holds.
    cpSync(path.join(REPO, "dist"), path.join(copy, "dist"), { recursive: true, preserveTimestamps: true });
    cpSync(path.join(REPO, "templates"), path.join(copy, "templates"), { recursive: true });
    cpSync(path.join(REPO, "package.json"), path.join(copy, "package.json"));
    symlinkSync(path.join(REPO, "node_modules"), path.join(copy, "node_modules"));
    const cache = path.join(copy, "dist/specgen.cjs.cache");
    const good = readFileSync(cache);
    const runCopy = (more: string[] = []) =>
      spawnSync(process.execPath, [path.join(copy, "bin/specgen.js"), "check", root, "--format", "json", ...more], { encoding: "utf8" });
    const expected = runCopy();
    expect(expected.status, expected.stderr).toBe(0);
    // Another bundle's cache (its digest differs): never handed to V8.
    writeFileSync(cache, Buffer.concat([Buffer.alloc(20), good.subarray(20)]));
    expect(runCopy().stdout).toBe(expected.stdout);
    // This bundle's digest, but data V8 refuses (as after a Node upgrade).
    writeFileSync(cache, Buffer.concat([good.subarray(0, 20), Buffer.from("not a code cache")]));
    expect(runCopy().stdout).toBe(expected.stdout);
    rmSync(cache);
    expect(runCopy().stdout).toBe(expected.stdout);
    // A bundle that is no longer all ASCII (edited by hand) is read as UTF-8; it is another build, whose
    // check --cache replays no report of the one before.
    const cacheFile = path.join(tempDir(), "parsed.json");
    const cached = ["--cache-location", cacheFile];
    expect(runCopy(cached).stdout).toBe(expected.stdout);
    const kept = `${cacheFile}.last-check.json`;
    writeFileSync(kept, JSON.stringify({ ...JSON.parse(readFileSync(kept, "utf8")), report: "REPLAYED\n" }));
    expect(runCopy(cached).stdout).toBe("REPLAYED\n");
    const bundle = path.join(copy, "dist/specgen.cjs");
    writeFileSync(bundle, `${readFileSync(bundle, "utf8")}\nprocess.stdout.write("\u00e9 ");\n`);
    expect(runCopy().stdout).toBe(`\u00e9 ${expected.stdout}`);
    expect(runCopy(cached).stdout).toBe(`\u00e9 ${expected.stdout}`);
  });

  it("is all ASCII, so that bin/specgen.js reads it as one-byte text without decoding UTF-8", () => {
    expect(isAscii(readFileSync(BUNDLE))).toBe(true);
  });

  it("--version evaluates commander and the command definitions, nothing that runs a command", () => {
    const loaded = run(["--version"]);
    expect(loaded.code).toBe(0);
    const packages = new Set([...loaded.modules].filter((m) => m.startsWith("node_modules/")).map((m) => m.split("/")[1]));
    expect([...packages]).toEqual(["commander"]);
    expect(has(loaded, "src/pipeline.ts")).toBe(false);
  });

  it("check evaluates neither the preview server nor the diff; neither check nor build compiles templates", () => {
    expect(check.code, check.stderr).toBe(0);
    expect(has(check, "src/pipeline.ts")).toBe(true);
    for (const prefix of ["node_modules/chokidar/", "src/serve/server.ts", "src/diff/git.ts"]) {
      expect(has(check, prefix), prefix).toBe(false);
    }
    expect(build.code, build.stderr).toBe(0);
    // Their templates are the built-in ones: the bundle holds each precompiled, from its current text.
    expect(compiles(check)).toBe(false);
    expect(compiles(build)).toBe(false);
  });

  it("a check of a spec without patterns never evaluates re2js (it is required at the first pattern)", () => {
    expect(has(check, "node_modules/re2js/")).toBe(false);
    const root = copySample();
    writeFiles(root, { "event-schemas/schema/m.p": "type: object\nproperties:\n  content: {type: string, pattern: '^a'}\n" });
    writeFiles(root, { "event-schemas/examples/m.p": '{"type": "m.p", "content": "a"}' });
    const patterned = run(["check", root]);
    expect(patterned.code, patterned.stderr).toBe(0);
    expect(has(patterned, "node_modules/re2js/")).toBe(true);
  });

  it("a clean check never evaluates the yaml package, KaTeX or sanitize-html", () => {
    // yaml: only a diagnostic in a shape places.ts does not model needs it; the others only pages with maths or raw HTML.
    for (const prefix of ["node_modules/yaml/", "node_modules/katex/", "node_modules/sanitize-html/"]) {
      expect(has(check, prefix), prefix).toBe(false);
    }
  });

  it("check requires nothing from node_modules and loads no network or process module (json-schema-ref-parser's options merge would load undici)", () => {
    // The schemas went through json-schema-ref-parser, whose options merge is where undici came from.
    expect(has(check, "node_modules/@apidevtools/json-schema-ref-parser/dist/lib/options.js")).toBe(true);
    for (const name of ["internal/deps/undici/undici", "http", "https", "tls", "http2"]) expect(check.builtins).not.toContain(name);
    // Nor child_process (with dgram): commander and the 2020 layout's git version require it when they spawn; nor perf_hooks;
    // nor crypto: the bin names its build by the SHA-1 prepare wrote (dist/specgen.cjs.id), and only a traced run hashes files.
    for (const name of ["child_process", "dgram", "perf_hooks", "crypto"]) expect(check.builtins).not.toContain(name);
    // The meta-schemas are JSON files read by name; everything else is in the bundle.
    expect(check.required.filter((f) => f.includes("/node_modules/") && !f.endsWith(".json"))).toEqual([]);
  });
});

describe("a report-only run (check)", () => {
  it("reports what a full run reports; its examples are escaped JSON, and its search index is empty", async () => {
    const root = copySample();
    const plain = await new Pipeline(loadConfig(root), { reportOnly: true }).run();
    const coloured = await new Pipeline(loadConfig(root)).run();
    expect(plain.diagnostics).toEqual(coloured.diagnostics);
    expect([...plain.files.keys()]).toEqual([...coloured.files.keys()]);
    expect(coloured.files.get("search-index.js")).toContain("specgenSearchIndex");
    expect(plain.files.get("search-index.js")).toBe("");
    const page = (files: Map<string, string>) => files.get("modules/end_to_end_encryption.html") as string;
    expect(page(coloured.files)).toContain('<span class="hljs-attr">&quot;sender_key&quot;</span>');
    expect(page(plain.files)).not.toContain("hljs-");
    expect(page(plain.files)).toContain("&quot;sender_key&quot;: &quot;");
    // Only the examples' spans differ.
    const unspanned = (html: string) => html.replace(/<\/?span[^>]*>/g, "");
    expect(unspanned(page(plain.files))).toBe(unspanned(page(coloured.files)));
  });
});

describe("template overrides", () => {
  it("are checked unless they are copies of the built-in templates", () => {
    const builtin = (file: string) => readFileSync(path.join(REPO, "templates", file), "utf8");
    const changed = builtin("page.hbs").replace("<body", "<body data-x");
    const root = makeRoot({
      "specification/index.md": "# Home\n",
      "templates/event.hbs": builtin("event.hbs"),
      "templates/page.hbs": changed,
    });
    vi.mocked(templateProblem).mockClear();
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics).toEqual([]);
    expect(vi.mocked(templateProblem).mock.calls.map(([text]) => text)).toEqual([changed]);
    expect(spec.templates.get("page.hbs")).toBe(changed);
  });
});

describe("templates compiled ahead of time", () => {
  it("render what Handlebars compiles at run time, with an overridden partial called by a precompiled template", async () => {
    // An indented partial call shows whether the override was compiled with the templates' options (preventIndent).
    const example = readFileSync(path.join(REPO, "templates/example.hbs"), "utf8").replace(
      "<figcaption>",
      "  {{> sections nothing}}\n<figcaption>",
    );
    const root = copySample();
    writeFiles(root, { "templates/example.hbs": example });
    const cli = run(["build", root, "--out", path.join(root, "bundled")]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(compiles(cli)).toBe(true);
    const compiled = await buildSite(loadConfig(root, { out: path.join(root, "compiled") }));
    expect(compiled.written).toBe(true);
    const read = (out: string, file: string) => readFileSync(path.join(root, out, file), "utf8");
    expect(read("compiled", "modules/end_to_end_encryption.html")).toContain("  <ul>\n</ul>\n<figcaption>");
    for (const file of compiled.paths) expect(read("bundled", file), file).toBe(read("compiled", file));
  });
});
