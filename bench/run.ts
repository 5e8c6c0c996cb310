/**
 * `npm run bench`: times specgen on synthetic specs of 100, 1,000 and 10,000
 * events (and on the 2020 Matrix corpus when ../shared has it), as whole
 * processes and in-process: cold check, cold build, a rebuild after one schema
 * edit, and the preview's edit-to-browser latency. Prints one JSON object per
 * measurement and writes BENCHMARKS.md.
 *
 *   npm run bench                  all sizes
 *   npm run bench -- --sizes 100,1000 --runs 3
 *   npm run bench -- --sizes "" --no-browser   the sample and the corpora only
 *   npm run bench -- --rows out.txt   BENCHMARKS.md again from a run's printed rows, measuring nothing
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config.js";
import { Pipeline } from "../src/pipeline.js";
import { corpus2026EventsRoot, corpusEventsRoot, corpusRoot } from "./corpus.js";
import { generateSpec } from "./generate.js";
import { serveLatency } from "./latency.js";
import { type Timing, timeCommand } from "./process.js";
import { referenceProblem, timeReference } from "./reference.js";

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
  /** Median user + system CPU time of the process runs. */
  cpu_ms?: number;
  /** Paired rows: the median over runs of (the reference's time / this row's time) in the same round, by wall and by CPU time. */
  vs_reference?: { wall: number; cpu: number };
}

const { values: args } = parseArgs({
  options: {
    sizes: { type: "string", default: "100,1000,10000,30000" },
    runs: { type: "string", default: "5" },
    "no-browser": { type: "boolean", default: false },
    rows: { type: "string" },
  },
});
const sizes = (args.sizes as string)
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
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

/** Runs the CLI (bin/specgen.js, as users do) in a fresh process; returns wall time, CPU time and the process's peak RSS. */
function timeProcess(cliArgs: string[]): Promise<Timing> {
  const bin = path.join(REPO, "bin/specgen.js");
  const harness = `process.on("exit", () => {
    const u = process.resourceUsage();
    process.stderr.write("\\nSPECGEN_MAXRSS_KB " + u.maxRSS + " CPU_US " + (u.userCPUTime + u.systemCPUTime) + "\\n");
  });
  process.argv.splice(1, 0, ${JSON.stringify(bin)});
  require(${JSON.stringify(bin)});`;
  // A CommonJS harness, as bin/specgen.js is: an ES module one would load Node's ES module loader too (about 5 ms).
  return timeCommand(process.execPath, ["-e", harness, ...cliArgs], (stderr) => {
    const used = /SPECGEN_MAXRSS_KB (\d+) CPU_US (\d+)/.exec(stderr);
    return { cpuMs: Number(used?.[2] ?? Number.NaN) / 1000, rssMb: Math.round(Number(used?.[1] ?? Number.NaN) / 1024) };
  });
}

/**
 * `cache`: with `--cache`, after one untimed run has filled it and with nothing
 * changed since, so that the last check's report is replayed (a build keeps
 * none: it uses the parsed files).
 */
async function measureProcess(
  spec: string,
  events: number,
  root: string,
  command: "check" | "build",
  n: number,
  cache = false,
): Promise<void> {
  const args = cliArgs(spec, root, command, cache && "filled");
  if (cache) await timeProcess(args);
  const timings: Timing[] = [];
  for (let i = 0; i < n; i++) timings.push(await timeProcess(args));
  record(processRow(spec, events, `${command} (process${cache ? ", --cache filled" : ""})`, timings));
}

/** `cache`: with `--cache`, kept in a file of that name (runs that share one share its last check). */
function cliArgs(spec: string, root: string, command: "check" | "build", cache: string | false): string[] {
  const cacheArgs = cache ? ["--cache-location", path.join(scratch, `cache-${spec}-${cache}.json`)] : [];
  return [
    ...(command === "build" ? ["build", root, "--out", path.join(scratch, `out-${spec}`)] : ["check", root, "--format", "json"]),
    ...cacheArgs,
  ];
}

function processRow(spec: string, events: number, phase: string, timings: readonly Timing[], reference?: readonly Timing[]): Row {
  const rssRuns = timings.map((t) => t.rssMb).filter((mb) => !Number.isNaN(mb));
  const row: Row = {
    spec,
    events,
    phase,
    runs: timings.length,
    ...stats(timings.map((t) => t.ms)),
    peak_rss_mb: rssRuns.length > 0 ? Math.max(...rssRuns) : null,
    cpu_ms: stats(timings.map((t) => t.cpuMs)).median_ms,
  };
  if (rssRuns.length > 0) row.rss_runs_mb = rssRuns;
  if (reference) {
    const ratio = (f: (t: Timing) => number) => median(timings.map((t, i) => f(reference[i]) / f(t)));
    row.vs_reference = { wall: Math.round(ratio((t) => t.ms) * 100) / 100, cpu: Math.round(ratio((t) => t.cpuMs) * 100) / 100 };
  }
  return row;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The reference checker and specgen's cold check, filled-cache check (nothing
 * changed: a replay), filled-cache check after one schema's edit (the parse
 * cache serves every other file) and cold build of the same files, in rounds:
 * each round runs them all, in an order that rotates from round to round, so
 * that load on a shared machine falls on all of them alike and each ratio
 * compares runs made moments apart.
 */
async function measurePaired(spec: string, events: number, root: string, edit: string, n: number): Promise<void> {
  const original = readFileSync(edit, "utf8");
  let edits = 0;
  const kinds = [
    { phase: "reference checker (python3, process)", run: timeReference },
    { phase: "check (process)", run: () => timeProcess(cliArgs(spec, root, "check", false)) },
    { phase: "check (process, --cache filled)", run: () => timeProcess(cliArgs(spec, root, "check", "filled")) },
    {
      phase: "check (process, --cache filled, one schema edited)",
      run: async () => {
        // Other than at this row's last run, and as it was for every other row.
        writeFileSync(edit, `${original}\n# edit ${edits++ % 2}\n`);
        try {
          return await timeProcess(cliArgs(spec, root, "check", "edited"));
        } finally {
          writeFileSync(edit, original);
        }
      },
    },
    { phase: "build (process)", run: () => timeProcess(cliArgs(spec, root, "build", false)) },
  ];
  // Fills the caches.
  await timeProcess(cliArgs(spec, root, "check", "filled"));
  await timeProcess(cliArgs(spec, root, "check", "edited"));
  const timings: Timing[][] = kinds.map(() => []);
  for (let round = 0; round < n; round++) {
    for (let k = 0; k < kinds.length; k++) {
      const at = (k + round) % kinds.length;
      timings[at].push(await kinds[at].run());
    }
  }
  const failed = timings[0].find((t) => t.code !== 0);
  if (failed) process.stderr.write(`reference checker exited with ${failed.code}: its times are those of a failing run\n`);
  record(processRow(spec, events, kinds[0].phase, timings[0]));
  for (let k = 1; k < kinds.length; k++) record(processRow(spec, events, kinds[k].phase, timings[k], timings[0]));
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
  const today = corpus2026EventsRoot(scratch);
  if (today) targets.unshift({ spec: TODAY_EVENTS, ...today });
  targets.unshift({ spec: "sample", events: 3, root: REPO, edit: path.join(REPO, "event-schemas/schema/m.room_key.withheld") });
  referenceNote = today ? referenceProblem() : "../shared/corpus/matrix-spec-v1.9 is not there";
  if (referenceNote) process.stdout.write(`reference checker not run: ${referenceNote}\n`);

  for (const t of targets) {
    if (t.spec === TODAY_EVENTS && !referenceNote) {
      // Twice the runs: the ratios against the reference are the goals.
      await measurePaired(t.spec, t.events, t.root, t.edit, runs * 2);
      await measureInProcess(t.spec, t.events, t.root, t.edit, Math.min(runs, 3));
      continue;
    }
    if (t.events >= 30_000) {
      // About half a minute a run: one check; three builds, whose median is the linearity goal's (one run could be a fifth off).
      await measureProcess(t.spec, t.events, t.root, "check", 1);
      await measureProcess(t.spec, t.events, t.root, "build", Math.min(runs, 3));
      continue;
    }
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

/** The 2020 corpus root holding what the 2020 reference checker read (bench/corpus.ts). */
const EVENTS_CORPUS = "matrix-doc-2020 events";
/** Today's corpus' events, the files its reference checker reads: the goals' rows. */
const TODAY_EVENTS = "matrix-spec-v1.9 events";
/** Why the reference checker did not run, when it did not. */
let referenceNote: string | undefined;

/** Issue 19's goals, each against the rows that measure it (a goal whose rows did not run is left out). */
function goals(table: readonly Row[]): string[] {
  const find = (spec: string, phase: string) => table.find((r) => r.spec === spec && r.phase === phase);
  const lines: string[] = [];
  const add = (goal: string, measured: string | undefined, met: boolean | undefined) => {
    if (measured !== undefined && met !== undefined) lines.push(`| ${goal} | ${measured} | ${met ? "yes" : "**no**"} |`);
  };
  const reference = find(TODAY_EVENTS, "reference checker (python3, process)");
  const paired = (phase: string) => {
    const row = find(TODAY_EVENTS, phase);
    return row?.vs_reference && reference ? { row, ...row.vs_reference } : undefined;
  };
  const says = (r: { row: Row; wall: number; cpu: number }) =>
    `${r.wall}× (CPU time ${r.cpu}×): ${r.row.median_ms} ms against ${reference?.median_ms} ms`;
  const check = paired("check (process)");
  add("cold `check` of today's corpus' events: ≥ 4× faster than the reference, paired", check && says(check), check && check.wall >= 4);
  const cached = paired("check (process, --cache filled)");
  add(
    "the same with a filled `--cache` (nothing changed since: the last report is replayed): ≥ 6×",
    cached && says(cached),
    cached && cached.wall >= 6,
  );
  const build = paired("build (process)");
  add("cold `build` of the same: ≥ 3× faster than the reference's check", build && says(build), build && build.wall >= 3);

  // The cost of each added event, between the synthetic sizes (start-up cancels out).
  const slope = (from: number, to: number, of: (r: Row) => number | undefined) => {
    const a = find(`synthetic-${from}`, "build (process)");
    const b = find(`synthetic-${to}`, "build (process)");
    const [x, y] = [a && of(a), b && of(b)];
    return x !== undefined && y !== undefined ? (y - x) / (to - from) : undefined;
  };
  const big = find("synthetic-30000", "build (process)");
  // By wall time and by CPU time (steadier when other work shares the machine); met only when both are.
  const slopes = [(r: Row) => r.median_ms, (r: Row) => r.cpu_ms].map((of) => [
    slope(100, 1000, of),
    slope(1000, 10_000, of),
    slope(10_000, 30_000, of),
  ]);
  if (big && slopes.every((s) => s.every((x) => x !== undefined))) {
    const text = ([low, mid, high]: number[]) =>
      `${low.toFixed(2)} ms an event from 100 to 1,000, ${mid.toFixed(2)} from 1,000 to 10,000, ${high.toFixed(2)} from 10,000 to 30,000 (${(high / low).toFixed(2)}×, ${(high / mid).toFixed(2)}×)`;
    const [wall, cpu] = slopes as number[][];
    add(
      "linear: each added event at 30,000 costs within 1.2× of one at 1,000 and at 10,000 (build)",
      `wall: ${text(wall)}; CPU: ${text(cpu)}`,
      [wall, cpu].every(([low, mid, high]) => high <= 1.2 * Math.min(low, mid)),
    );
  }
  add(
    "30,000 events build under 1 GB",
    big && `${(big.median_ms / 1000).toFixed(1)} s, ${big.peak_rss_mb} MB`,
    big && (big.peak_rss_mb ?? Infinity) < 1024,
  );
  const edit = find("synthetic-1000", "rebuild after one schema edit (in-process)");
  add("preview: rebuild after one schema edit at 1,000 events < 20 ms", edit && `${edit.median_ms} ms`, edit && edit.median_ms < 20);
  const shown = table.find((r) => r.spec === "synthetic-1000" && r.phase.startsWith("serve:"));
  add("preview: edit → page shown at 1,000 events < 200 ms", shown && `${shown.median_ms} ms`, shown && shown.median_ms < 200);
  const out = ["## Goals (issue 19)", ""];
  if (referenceNote) out.push(`The reference checker did not run: ${referenceNote}.`, "");
  if (lines.length > 0) out.push("| goal | measured (median) | met |", "|---|---|---|", ...lines, "");
  out.push(
    "Ratios are paired: each round runs the reference and specgen's check, cached check (nothing changed since the last: a replay), cached check after one schema's edit (a run over the parsed files kept) and build one after another (the order rotating), and the ratio is the median over rounds of the reference's time over specgen's in the same round. CPU time (user + system, all threads) is steadier than wall time when other work shares the machine.",
    "",
    "## All measurements",
    "",
  );
  return out;
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
    "| spec | events | phase | runs | median ms | max ms | CPU ms | peak RSS MB | × reference (wall, CPU) |",
    "|---|---:|---|---:|---:|---:|---:|---:|---|",
    ...table.map(
      (r) =>
        `| ${r.spec} | ${r.events} | ${r.phase} | ${r.runs} | ${r.median_ms} | ${r.max_ms} | ${r.cpu_ms ?? ""} | ${r.peak_rss_mb ?? ""} | ${r.vs_reference ? `${r.vs_reference.wall}, ${r.vs_reference.cpu}` : ""} |`,
    ),
    "",
    "Reference points (issue 7, same kind of machine): the 2020 pipeline's templating took about 2 s, its full build about 10.6 s, and its preview rebuilt everything (about 12 s) on each save.",
    "",
  ];
  return lines.join("\n");
}

if (args.rows) {
  for (const line of readFileSync(args.rows as string, "utf8").split("\n")) {
    if (line.startsWith("{")) rows.push(JSON.parse(line));
    referenceNote ??= /^reference checker not run: (.*)$/.exec(line)?.[1];
  }
  writeFileSync(path.join(REPO, "BENCHMARKS.md"), markdown(rows));
  rmSync(scratch, { recursive: true, force: true });
} else {
  if (!existsSync(path.join(REPO, "dist/specgen.cjs")))
    throw new Error("run `npm ci` (or `npm run prepare`) first: the process benchmarks run dist/");
  await main();
}
