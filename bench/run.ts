/**
 * `npm run bench`: times specgen on synthetic specs of 100, 1,000 and 10,000
 * events (and on the 2020 Matrix corpus when ../shared has it), as whole
 * processes and in-process: cold check, cold build, a rebuild after one schema
 * edit, and the preview's edit-to-browser latency. Prints one JSON object per
 * measurement and writes BENCHMARKS.md.
 *
 *   npm run bench                  all sizes
 *   npm run bench -- --sizes 100,1000 --runs 3
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { Pipeline } from "../src/pipeline.js";
import { corpusEventsRoot, corpusRoot } from "./corpus.js";
import { generateSpec } from "./generate.js";
import { serveLatency } from "./latency.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const CLI = path.join(REPO, "bin/specgen.js");

interface Row {
  spec: string;
  events: number;
  phase: string;
  runs: number;
  median_ms: number;
  max_ms: number;
  peak_rss_mb: number | null;
  /** Each process run's peak RSS, in run order. */
  rss_runs_mb?: number[];
}

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000,10000" },
    runs: { type: "string", default: "5" },
    "no-browser": { type: "boolean", default: false },
  },
});
const sizes = (args.sizes as string).split(",").map(Number);
const runs = Number(args.runs);
const rows: Row[] = [];
const scratch = mkdtempSync(path.join(os.tmpdir(), "specgen-bench-"));

function record(row: Row): void {
  rows.push(row);
  process.stdout.write(`${JSON.stringify(row)}\n`);
  // Written after every row, so that an interrupted run keeps what it measured.
  writeFileSync(path.join(REPO, "BENCHMARKS.md"), markdown(rows));
}

function stats(times: number[]): { median_ms: number; max_ms: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { median_ms: round(sorted[Math.floor(sorted.length / 2)]), max_ms: round(sorted[sorted.length - 1]) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Runs the CLI in a fresh process; returns wall time and the process's peak RSS. */
function timeProcess(cliArgs: string[]): Promise<{ ms: number; rssMb: number }> {
  const harness = `import(${JSON.stringify(path.join(REPO, "dist/cli.js"))}).then(async ({ main }) => {
    const code = await main(["node", "specgen", ...process.argv.slice(1)]);
    process.stderr.write("\\nSPECGEN_MAXRSS_KB " + process.resourceUsage().maxRSS + "\\n");
    process.exitCode = code;
  });`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--input-type=module", "-e", harness, ...cliArgs], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += String(d);
    });
    child.on("error", reject);
    child.on("exit", () => {
      const ms = performance.now() - started;
      const kb = Number(/SPECGEN_MAXRSS_KB (\d+)/.exec(stderr)?.[1] ?? Number.NaN);
      resolve({ ms, rssMb: Math.round(kb / 1024) });
    });
  });
}

/** `cache`: with `--cache`, after one untimed run has filled it (what a CI run with a kept cache sees when few files changed). */
async function measureProcess(
  spec: string,
  events: number,
  root: string,
  command: "check" | "build",
  n: number,
  cache = false,
): Promise<void> {
  const times: number[] = [];
  const rssRuns: number[] = [];
  const cacheArgs = cache ? ["--cache-location", path.join(scratch, `cache-${spec}.json`)] : [];
  const args = [
    ...(command === "build" ? ["build", root, "--out", path.join(scratch, `out-${spec}`)] : ["check", root, "--format", "json"]),
    ...cacheArgs,
  ];
  if (cache) await timeProcess(args);
  for (let i = 0; i < n; i++) {
    const { ms, rssMb } = await timeProcess(args);
    times.push(ms);
    rssRuns.push(rssMb);
  }
  const phase = `${command} (process${cache ? ", --cache filled" : ""})`;
  record({ spec, events, phase, runs: n, ...stats(times), peak_rss_mb: Math.max(...rssRuns), rss_runs_mb: rssRuns });
}

async function measureInProcess(spec: string, events: number, root: string, editFile: string, n: number): Promise<void> {
  const config = loadConfig(root);
  const cold: number[] = [];
  for (let i = 0; i < n; i++) {
    // As `specgen check` runs it.
    const pipeline = new Pipeline(config, { reportOnly: true });
    const started = performance.now();
    await pipeline.run();
    cold.push(performance.now() - started);
  }
  record({ spec, events, phase: "check (in-process)", runs: n, ...stats(cold), peak_rss_mb: null });

  // As `specgen serve` holds it: a full pipeline, warm after its first run.
  const pipeline = new Pipeline(config);
  await pipeline.run();
  const original = readFileSync(editFile, "utf8");
  const edits: number[] = [];
  for (let i = 0; i < 20; i++) {
    writeFileSync(editFile, `${original}\n# edit ${i}\n`);
    const started = performance.now();
    await pipeline.run([editFile]);
    edits.push(performance.now() - started);
  }
  writeFileSync(editFile, original);
  record({ spec, events, phase: "rebuild after one schema edit (in-process)", runs: edits.length, ...stats(edits), peak_rss_mb: null });
}

async function main(): Promise<void> {
  const targets: { spec: string; events: number; root: string; edit: string }[] = [];
  for (const size of sizes) {
    const root = path.join(scratch, `spec-${size}`);
    const edit = generateSpec(root, size);
    targets.push({ spec: `synthetic-${size}`, events: size, root, edit });
  }
  const corpus = corpusRoot(scratch);
  if (corpus) targets.unshift({ spec: "matrix-doc-2020", ...corpus });
  const corpusEvents = corpusEventsRoot(scratch);
  if (corpusEvents) targets.unshift({ spec: EVENTS_CORPUS, ...corpusEvents });
  targets.unshift({ spec: "sample", events: 3, root: REPO, edit: path.join(REPO, "event-schemas/schema/m.room_key.withheld") });

  for (const t of targets) {
    // Three runs at 10,000 events, for a median: V8 sometimes lets the heap grow to 4× the live data before a full GC.
    const n = t.events >= 10_000 ? Math.min(runs, 3) : runs;
    await measureProcess(t.spec, t.events, t.root, "check", n);
    await measureProcess(t.spec, t.events, t.root, "check", n, true);
    await measureProcess(t.spec, t.events, t.root, "build", n);
    await measureInProcess(t.spec, t.events, t.root, t.edit, Math.min(n, 3));
    if (!args["no-browser"] && (t.spec === "sample" || t.events === 1000)) {
      const latency = await serveLatency(CLI, t.root, t.edit, 20);
      if (latency && latency.times.length > 0) {
        record({
          spec: t.spec,
          events: t.events,
          phase: `serve: edit → page updated in Chromium${latency.missed ? ` (${latency.missed} edits missed)` : ""}`,
          runs: latency.times.length,
          ...stats(latency.times),
          peak_rss_mb: latency.rssMb,
        });
      }
    }
  }
  writeFileSync(path.join(REPO, "BENCHMARKS.md"), markdown(rows));
  rmSync(scratch, { recursive: true, force: true });
}

/** The corpus root holding only what the reference checker reads (bench/corpus.ts). */
const EVENTS_CORPUS = "matrix-doc-2020 events";
/** The reference checker's time for validating a Matrix corpus' event examples (issue 7). */
const REFERENCE_MS = 600;

/** Issue 7's goals, each against the row that measures it (a goal whose rows did not run is left out). */
function goals(table: readonly Row[]): string[] {
  const find = (spec: string, phase: string) => table.find((r) => r.spec === spec && r.phase === phase);
  const lines: string[] = [];
  const add = (goal: string, measured: string | undefined, met: boolean | undefined) => {
    if (measured !== undefined && met !== undefined) lines.push(`| ${goal} | ${measured} | ${met ? "yes" : "**no**"} |`);
  };
  const check = find(EVENTS_CORPUS, "check (process)");
  const build = find(EVENTS_CORPUS, "build (process)");
  const cached = find(EVENTS_CORPUS, "check (process, --cache filled)");
  add(
    "cold `check` of the corpus' events, as a process: at least 5× faster than the reference (< 120 ms; 10×: < 60 ms)",
    check &&
      `${check.median_ms} ms (${(REFERENCE_MS / check.median_ms).toFixed(1)}×)${cached ? `; with a filled --cache ${cached.median_ms} ms` : ""}`,
    check && check.median_ms < REFERENCE_MS / 5,
  );
  add(
    "cold `build` of the corpus' events, as a process: under half the reference (< 300 ms)",
    build && `${build.median_ms} ms`,
    build && build.median_ms < REFERENCE_MS / 2,
  );
  const thousand = find("synthetic-1000", "build (process)");
  if (build && thousand) {
    const ratio = thousand.median_ms / build.median_ms;
    const size = thousand.events / build.events;
    add(
      `linear: ${size.toFixed(0)}× the corpus' events (synthetic-1000) costs at most ${size.toFixed(0)}× the time`,
      `${ratio.toFixed(1)}×`,
      ratio <= size,
    );
  }
  const big = find("synthetic-10000", "build (process)");
  add(
    "10,000 events build in under 10 s and 500 MB",
    big && `${(big.median_ms / 1000).toFixed(1)} s, ${big.peak_rss_mb} MB (each run: ${big.rss_runs_mb?.join(", ")} MB)`,
    big && big.median_ms < 10_000 && (big.peak_rss_mb ?? Infinity) < 500,
  );
  const edit = find("synthetic-1000", "rebuild after one schema edit (in-process)");
  add("rebuild after one schema edit at 1,000 events, in-process: < 20 ms", edit && `${edit.median_ms} ms`, edit && edit.median_ms < 20);
  if (lines.length === 0) return [];
  return ["## Goals (issue 7)", "", "| goal | measured (median) | met |", "|---|---|---|", ...lines, "", "## All measurements", ""];
}

function markdown(table: Row[]): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand.",
    "",
    `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}.`,
    "",
    "Synthetic specs come from bench/generate.ts (allOf chains to core schemas, titled nested objects, refs across folders, maps, enums, variants, examples extending base examples; 20 events a page). Process times include Node's start-up; peak RSS is the largest of the runs' maximum resident sets (the goals table gives each run's), except for the preview, where it is the server's resident set after the edits (what holding the spec costs).",
    "",
    ...goals(table),
    "| spec | events | phase | runs | median ms | max ms | peak RSS MB |",
    "|---|---:|---|---:|---:|---:|---:|",
    ...table.map((r) => `| ${r.spec} | ${r.events} | ${r.phase} | ${r.runs} | ${r.median_ms} | ${r.max_ms} | ${r.peak_rss_mb ?? ""} |`),
    "",
    "Reference points (issue 7, same kind of machine): python-jsonschema validates the 83 examples of the 2026 Matrix corpus in about 600 ms; the 2020 pipeline's templating took about 2 s, its full build about 10.6 s, and its preview rebuilt everything (about 12 s) on each save.",
    "",
  ];
  return lines.join("\n");
}

if (!existsSync(path.join(REPO, "dist/cli.js"))) throw new Error("run `npm ci` (or `npx tsc`) first: the process benchmarks run dist/");
await main();
