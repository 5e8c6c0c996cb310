/**
 * What each command loads. Start-up is most of a small check's time, so the
 * bundle keeps what a command does not run in chunks it does not import, and a
 * check touches no network module. Timings live in the benchmark; these tests
 * hold what makes them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { build as bundle, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { bundleOptions } from "../scripts/bundle-options.mjs";
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

interface Loaded {
  code: number | null;
  stderr: string;
  /** The modules bundled into the dist/ files the run imported. */
  modules: Set<string>;
  /** The Node built-ins it loaded. */
  builtins: Set<string>;
  /** The CommonJS files it required from outside the bundle. */
  required: string[];
}

/**
 * A loader hook (on its own thread) posts each module URL to the main thread,
 * which on exit takes them all, without waiting, and writes them with the
 * built-ins it loaded.
 */
const PROBE = `import { writeFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
const { port1, port2 } = new MessageChannel();
register("./hooks.mjs", { parentURL: import.meta.url, data: { port: port2 }, transferList: [port2] });
process.on("exit", () => {
  const urls = [];
  for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) urls.push(m.message);
  const required = Object.keys(createRequire(import.meta.url).cache);
  writeFileSync(process.env.PROBE_OUT, JSON.stringify({ urls, builtins: process.moduleLoadList, required }));
});
`;
const HOOKS = `let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
`;

let probeDir: string;
/** dist/ file name → the modules it holds, from a build of the same sources with the same options (so the same names). */
let chunks: Map<string, string[]>;

function run(args: string[]): Loaded {
  const out = path.join(tempDir(), "loaded.json");
  const r = specgen(args, { NODE_OPTIONS: `--import=${path.join(probeDir, "probe.mjs")}`, PROBE_OUT: out });
  const { urls, builtins, required } = JSON.parse(readFileSync(out, "utf8")) as { urls: string[]; builtins: string[]; required: string[] };
  const modules = new Set<string>();
  for (const url of urls.filter((u) => u.includes("/dist/"))) {
    const held = chunks.get(path.basename(url));
    if (!held) throw new Error(`${url} is not in a bundle of these sources: is dist/ stale?`);
    for (const m of held) modules.add(m);
  }
  const natives = builtins.filter((b) => b.startsWith("NativeModule ")).map((b) => b.slice("NativeModule ".length));
  return { code: r.code, stderr: r.stderr, modules, builtins: new Set(natives), required };
}

const has = (loaded: Loaded, prefix: string) => [...loaded.modules].some((m) => m.startsWith(prefix));
/** Handlebars' compiler: in the bundle, or required from node_modules. */
const compiles = (loaded: Loaded) =>
  has(loaded, "node_modules/handlebars/dist/cjs/handlebars/compiler/") ||
  loaded.required.some((f) => f.includes("/node_modules/handlebars/"));

beforeAll(async () => {
  const { metafile } = await bundle({
    ...bundleOptions,
    absWorkingDir: REPO,
    outdir: path.join(REPO, "dist"),
    write: false,
    metafile: true,
  });
  chunks = new Map(Object.entries((metafile as Metafile).outputs).map(([file, o]) => [path.basename(file), Object.keys(o.inputs)]));
  probeDir = tempDir();
  writeFiles(probeDir, { "probe.mjs": PROBE, "hooks.mjs": HOOKS });
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

  it("--version loads commander and the command definitions, nothing that runs a command", () => {
    const loaded = run(["--version"]);
    expect(loaded.code).toBe(0);
    expect(loaded.modules).toContain("src/cli.ts");
    const packages = new Set([...loaded.modules].filter((m) => m.startsWith("node_modules/")).map((m) => m.split("/")[1]));
    expect([...packages]).toEqual(["commander"]);
    expect(has(loaded, "src/pipeline.ts")).toBe(false);
  });

  it("check loads neither the preview server nor the diff; neither check nor build compiles templates", () => {
    expect(check.code, check.stderr).toBe(0);
    expect(check.modules).toContain("src/pipeline.ts");
    for (const prefix of ["node_modules/chokidar/", "src/serve/server.ts", "src/diff/git.ts"]) {
      expect(has(check, prefix), prefix).toBe(false);
    }
    expect(build.code, build.stderr).toBe(0);
    // Their templates are the built-in ones: the bundle holds each precompiled, from its current text.
    expect(compiles(check)).toBe(false);
    expect(compiles(build)).toBe(false);
  });

  it("a check of a spec without patterns never loads re2js (it is required at the first pattern)", () => {
    expect(check.required.some((f) => f.includes("/node_modules/re2js/"))).toBe(false);
    const root = copySample();
    writeFiles(root, { "event-schemas/schema/m.p": "type: object\nproperties:\n  content: {type: string, pattern: '^a'}\n" });
    writeFiles(root, { "event-schemas/examples/m.p": '{"type": "m.p", "content": "a"}' });
    const patterned = run(["check", root]);
    expect(patterned.code, patterned.stderr).toBe(0);
    expect(patterned.required.filter((f) => f.includes("/node_modules/re2js/"))).toHaveLength(1);
  });

  it("a clean check never loads the yaml package (only a diagnostic in a shape places.ts does not model needs it)", () => {
    expect(has(check, "node_modules/yaml/")).toBe(false);
    expect(check.required.some((f) => f.includes("/node_modules/yaml/"))).toBe(false);
  });

  it("check loads no network module (json-schema-ref-parser's options merge would load undici)", () => {
    // The schemas went through json-schema-ref-parser, whose options merge is where undici came from.
    expect(check.modules).toContain("node_modules/@apidevtools/json-schema-ref-parser/dist/lib/options.js");
    for (const name of ["internal/deps/undici/undici", "http", "https", "tls", "http2"]) expect(check.builtins).not.toContain(name);
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
