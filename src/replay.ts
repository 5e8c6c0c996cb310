/**
 * `check --cache` keeps its report beside the parse cache, with every read
 * that made it (src/trace.ts). The next check with the same arguments, in the
 * same folder and environment, by the same build of specgen on the same
 * Node, whose reads all find what they found, prints that report again and
 * exits as it did, without loading the rest of specgen: a check's report is a
 * function of those and nothing else. A check that learnt something files do
 * not tell (the 2020 pages' git version) keeps no report.
 *
 * bin/specgen.js runs `replayCheck` first; it is bundled on its own
 * (dist/replay.cjs), so that a replay reads a small script, not the CLI.
 */
import { realpathSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { readCacheFile, writeCacheFile } from "./cache-file.js";
import { type Read, unchanged } from "./trace.js";

/** Where `--cache` keeps the parsed YAML, in the spec root, unless `--cache-location` says. */
export const DEFAULT_CACHE = "node_modules/.cache/specgen/parsed.json";

/** `check`'s options that take a value: what tells them from the root argument (test/replay.test.ts holds it to src/cli.ts). */
export const VALUE_OPTIONS = ["format", "max-warnings", "cache-location"] as const;

/** The environment a report depends on: the default format, colour, collation. */
const ENVIRONMENT = ["GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "LANG", "LC_ALL", "LC_COLLATE"] as const;

interface LastCheck {
  run: string;
  reads: Read[];
  /** The stream the report went to: 1 stdout, 2 stderr. */
  stream: 1 | 2;
  report: string;
  exitCode: number;
}

/** What a run is, but for its reads: `build` names specgen's build (the SHA-1 of the bin's bundle). */
export function runOf(argv: readonly string[], build: string): string {
  return JSON.stringify({
    build,
    node: `${process.version} ${process.platform} ${process.arch}`,
    cwd: process.cwd(),
    argv: argv.slice(2),
    env: ENVIRONMENT.map((name) => process.env[name] ?? null),
    tty: [process.stdout.isTTY === true, process.stderr.isTTY === true],
  });
}

/** The last check's file, beside the parse cache file. */
export function lastCheckFile(cacheFile: string): string {
  return `${cacheFile}.last-check.json`;
}

/** Keeps a check's report and reads for the next run; throws, saying why, when it cannot. */
export function saveLastCheck(cacheFile: string, last: LastCheck): void {
  writeCacheFile(lastCheckFile(cacheFile), JSON.stringify(last));
}

/**
 * Prints the last check's report and returns its exit code, when `argv` is a
 * `check --cache` that would make it again; otherwise undefined, having
 * printed nothing. Never throws: anything amiss means a check is run.
 */
export function replayCheck(argv: readonly string[], build: string): number | undefined {
  try {
    const cacheFile = cacheFileOf(argv.slice(2));
    const text = cacheFile && readCacheFile(lastCheckFile(cacheFile));
    if (!text) return undefined;
    const last = JSON.parse(text) as LastCheck;
    if (!isLastCheck(last) || last.run !== runOf(argv, build) || !unchanged(last.reads)) return undefined;
    (last.stream === 1 ? process.stdout : process.stderr).write(last.report);
    return last.exitCode;
  } catch {
    return undefined;
  }
}

/** The parse cache file of a `check --cache` (as src/cli.ts finds it); undefined for any other command. */
function cacheFileOf(args: string[]): string | undefined {
  // Both options begin so (commander takes no abbreviations): any other check is told without parsing.
  if (args[0] !== "check" || !args.some((a) => a.startsWith("--cache"))) return undefined;
  const options = Object.fromEntries(VALUE_OPTIONS.map((name) => [name, { type: "string" as const }]));
  const { values, positionals } = parseArgs({ args: args.slice(1), options, strict: false, allowPositionals: true });
  const location = values["cache-location"];
  if (typeof location === "string") return path.resolve(location);
  if (values.cache !== true) return undefined;
  return path.join(realpathSync(path.resolve(positionals[0] ?? ".")), DEFAULT_CACHE);
}

function isLastCheck(value: LastCheck): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof value.run === "string" &&
    Array.isArray(value.reads) &&
    value.reads.every((r) => Array.isArray(r) && r.length === 3 && r.every((part) => typeof part === "string")) &&
    (value.stream === 1 || value.stream === 2) &&
    typeof value.report === "string" &&
    Number.isInteger(value.exitCode)
  );
}
