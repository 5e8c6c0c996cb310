/**
 * The command line: parse flags, run a pipeline command, report, set the exit code.
 * Each command's action imports what it runs, so that `--version` and `--help`
 * evaluate only commander and `check` neither the preview server nor the diff
 * (the bundle evaluates a dynamically imported module when the import runs).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import type { Config } from "./config.js";
import { diffCommand } from "./diff/command.js";
import type { ParseCache } from "./load/parse-cache.js";
import type { CheckResult } from "./pipeline.js";
import { DEFAULT_CACHE, lastCheckFile, runOf, saveLastCheck } from "./replay.js";
import { FORMATS, type Format, report, summarize, WARNINGS_LISTED } from "./report.js";
import { RULES } from "./rules.js";
import { serveCommand } from "./serve/command.js";
import { useColor } from "./terminal.js";
import { traced } from "./trace.js";

const require = createRequire(import.meta.url);

/** 0: clean (warnings allowed); 1: the sources have errors (or too many warnings); 2: usage or configuration error. */
export const EXIT = { ok: 0, errors: 1, usage: 2 } as const;

interface CommonOptions {
  format: Format;
  strict?: boolean;
  maxWarnings?: number;
  cache?: boolean;
  cacheLocation?: string;
  quiet?: boolean;
  verbose?: boolean;
}

function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option("--format <format>", "how to print diagnostics")
        .choices(FORMATS)
        .default(process.env.GITHUB_ACTIONS === "true" ? "github" : "pretty", "github when GITHUB_ACTIONS=true, else pretty"),
    )
    .option("--strict", "treat warnings as errors")
    .option("-q, --quiet", "print errors only (warnings are still counted, and --max-warnings still applies)")
    .option("--verbose", `list every warning (by default more than ${WARNINGS_LISTED} are summarised by rule)`)
    .option("--max-warnings <n>", "fail (exit 1) when there are more than n warnings", count)
    .option(
      "--cache",
      "keep parsed YAML files between runs, so that only changed files are parsed, and the last check's report, printed again while nothing it read has changed (results are the same)",
    )
    .option("--cache-location <file>", `where to keep the cache (implies --cache; default: ${DEFAULT_CACHE} in the spec root)`);
}

/** Whether --cache (or --cache-location) is given. */
const cached = (opts: CommonOptions) => opts.cache === true || opts.cacheLocation !== undefined;

/** The parse cache that --cache asks for, or undefined. */
async function openCache(config: Config, opts: CommonOptions): Promise<ParseCache | undefined> {
  if (!cached(opts)) return undefined;
  const { ParseCache } = await import("./load/parse-cache.js");
  return new ParseCache(opts.cacheLocation === undefined ? path.join(config.root, DEFAULT_CACHE) : path.resolve(opts.cacheLocation));
}

/** Writes a cache file with `save`; one that cannot be written only costs the next run its speed. */
function saveCache(file: string, save: () => void): void {
  try {
    save();
  } catch (e) {
    process.stderr.write(`specgen: cache not saved to ${file}: ${(e as Error).message}\n`);
  }
}

/**
 * Runs a build that SIGINT or SIGTERM stops: the build removes its staging
 * folder (at once: its render yields between pages), and the process exits
 * 130 or 143, as a shell reports a process a signal ended.
 */
async function stoppable<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    controller.abort();
    process.stderr.write(`specgen: stopped by ${signal}; nothing was written\n`);
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await run(controller.signal);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a whole number, 0 or more");
  return Number(value);
}

const LINT_RULES = Object.entries(RULES)
  .filter(([, r]) => r.lint && r.severity === "warning")
  .map(([code]) => code);
const PENDING_RULES = Object.entries(RULES)
  .filter(([, r]) => r.lint && r.severity === "error")
  .map(([code]) => code);

/** How the process was run: its arguments, and the build of specgen running (the SHA-1 of the bin's bundle), if any. */
interface Invocation {
  argv: readonly string[];
  build?: string;
}

export function program(invocation: Invocation = { argv: process.argv }): Command {
  const cmd = new Command("specgen")
    .description("Build a protocol spec site from event schemas, examples and Markdown pages.")
    .version(VERSION)
    .showHelpAfterError()
    .addHelpText(
      "after",
      `
Spec root layouts: detected from the root ("layout:" in specgen.config.yaml picks one);
folders can be remapped under "paths:".
  specgen (the default; \`specgen init [DIR]\` writes a small root that builds clean):
  specgen.config.yaml       optional settings: title, paths, rules, groups, substitutions, nav, ...
  event-schemas/schema/     one YAML JSON Schema per event (m.room_key.withheld); sub-folders
                            hold shared schemas ($ref targets)
  event-schemas/examples/   one JSON or YAML example per event (m.room_key.withheld, name$variant)
  specification/            Markdown pages (front matter: title, weight); a line
                            {{m_room_key_withheld_event}} renders that event
  api/                      optional HTTP API documents (Swagger 2.0 / OpenAPI 3.x, .yaml/.yml/.json)
  templates/                optional overrides of the built-in Handlebars templates
  output/                   where build writes the site (--out elsewhere); never read
  matrix-2020 (a 2020 Matrix checkout, found by specification/targets.yaml), read as it is:
  specification/            .rst pages; targets.yaml makes one document per target, at the
                            path gendoc.py gave it
  event-schemas/, api/, schemas/   as above
  changelogs/, data-definitions/   changelogs and newsfragments, sas-emoji.json
  hugo (today's Matrix spec: config.toml, hugo.toml or config/_default/ beside content/, data/):
  content/                  Markdown pages with front matter and shortcodes, at Hugo's URLs
  data/event-schemas/, data/api/, data/schemas/, data/string-formats.yaml   the spec data
  changelogs/, static/, assets/diagrams/   newsfragments; files copied into the site

Diagnostics: file:line:col  severity  code  message, with the source lines around it.
  --format json prints {diagnostics, summary} on stdout; --format github prints workflow
  annotations (the default when GITHUB_ACTIONS=true). Colour unless NO_COLOR is set or
  stderr is not a terminal (FORCE_COLOR=1 forces it).

Lint rules (warnings by default; set error, warning or off under "rules:" in specgen.config.yaml):
  ${LINT_RULES.join(", ")}
Errors that a spec being written may lower to warning (never off): ${PENDING_RULES.join(", ")}

Exit codes: 0 clean (warnings allowed), 1 errors in the sources (or more warnings than
  --max-warnings), 2 usage or configuration error.

Examples:
  specgen check                   check the spec in this folder
  specgen check --strict          ... and fail on warnings too
  specgen build --out site        build it into ./site
  specgen check spec --format json`,
    );

  const buildCmd = cmd
    .command("build")
    .description("check the spec and, when it has no errors, write the site to the output folder (atomically)")
    .argument("[root]", "the spec root", ".")
    .option("--out <dir>", "output folder (default: output/ in the spec root)");
  addCommonOptions(buildCmd).action(async (root: string, opts: CommonOptions & { out?: string }) => {
    const [{ loadConfig }, { build }] = await Promise.all([import("./config.js"), import("./pipeline.js")]);
    const config = loadConfig(root, { out: opts.out, strict: opts.strict, maxWarnings: opts.maxWarnings });
    const parseCache = await openCache(config, opts);
    const result = await stoppable((signal) => build(config, { parseCache, signal }));
    if (parseCache) saveCache(parseCache.file, () => parseCache.save());
    const stream = opts.format === "json" ? process.stdout : process.stderr;
    stream.write(render(result, config, opts, stream));
    if (result.written) process.stderr.write(`wrote ${result.paths.size} files to ${shownFolder(config.output)}\n`);
    else process.stderr.write(`build failed: ${whyFailed(result.diagnostics, config)}; ${shownFolder(config.output)} left as it was\n`);
    if (result.leftover) process.stderr.write(`specgen: the previous site could not be removed; it is left at ${result.leftover}\n`);
    process.exitCode = result.written ? EXIT.ok : EXIT.errors;
  });

  const checkCmd = cmd
    .command("check")
    .description("check schemas, examples and pages; write nothing")
    .argument("[root]", "the spec root", ".");
  addCommonOptions(checkCmd).action(async (root: string, opts: CommonOptions) => {
    const [{ loadConfig }, { check, failed }] = await Promise.all([import("./config.js"), import("./pipeline.js")]);
    const run = async () => {
      const config = loadConfig(root, { strict: opts.strict, maxWarnings: opts.maxWarnings });
      const parseCache = await openCache(config, opts);
      // The pages render for the link checks only: each one's HTML is let go as soon as its links are read.
      return { config, parseCache, result: await check(config, { reportOnly: true, parseCache, emit: () => {} }) };
    };
    // With --cache, every read is traced: the next check like this one replays its report while they find the same (src/replay.ts).
    const {
      value: { config, parseCache, result },
      reads,
    } = cached(opts) ? await traced(run) : { value: await run(), reads: undefined };
    if (parseCache) saveCache(parseCache.file, () => parseCache.save());
    const stream = opts.format === "json" ? process.stdout : process.stderr;
    const report = render(result, config, opts, stream);
    stream.write(report);
    const exitCode = failed(result.diagnostics, config) ? EXIT.errors : EXIT.ok;
    process.exitCode = exitCode;
    const { build } = invocation;
    if (parseCache && build && reads) {
      const last = { run: runOf(invocation.argv, build), reads, stream: stream === process.stdout ? 1 : 2, report, exitCode } as const;
      saveCache(lastCheckFile(parseCache.file), () => saveLastCheck(parseCache.file, last));
    }
  });

  cmd
    .command("init")
    .description("write a minimal spec root that builds clean (config, one event schema with an example, one page showing it)")
    .argument("[dir]", "the folder to write it into (made if missing)", ".")
    .action(async (dir: string) => {
      const { initRoot } = await import("./init.js");
      const files = initRoot(dir);
      process.stderr.write(`wrote ${files.join(", ")} in ${shownFolder(path.resolve(dir))}\nnext: npx specgen serve ${dir}\n`);
    });

  cmd.addCommand(serveCommand());
  cmd.addCommand(diffCommand());
  return cmd;
}

/** Why a build wrote nothing: its errors, or more warnings than --max-warnings allows. */
function whyFailed(diagnostics: CheckResult["diagnostics"], config: Config): string {
  const { errors, warnings } = summarize(diagnostics);
  if (errors > 0) return `${errors} error${errors === 1 ? "" : "s"}`;
  return `${warnings} warnings, more than --max-warnings ${config.maxWarnings}`;
}

/** A folder as the user would write it: relative to the working directory when inside it, with a final slash. */
function shownFolder(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  const shown = rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : dir;
  return `${shown.split(path.sep).join("/")}/`;
}

function render(result: CheckResult, config: Config, opts: CommonOptions, stream: NodeJS.WriteStream): string {
  const format = opts.format;
  const texts = new Map([...result.spec.sources.values()].map((s) => [s.rel, s.text]));
  const checked = new Set([...texts.keys(), ...result.diagnostics.flatMap((d) => (d.file ? [d.file] : []))]).size;
  return report(result.diagnostics, format, {
    root: config.root,
    texts,
    checked,
    maxWarnings: config.maxWarnings,
    color: useColor(stream),
    quiet: opts.quiet,
    verbose: opts.verbose,
  });
}

const VERSION = (require("../package.json") as { version: string }).version;

/** Runs the command line `argv` (node, script, arguments...); `build` names the build of specgen running, when it is a bundle. */
export async function main(argv: string[], build?: string): Promise<number> {
  const cmd = program({ argv, build });
  cmd.exitOverride();
  for (const sub of cmd.commands) sub.exitOverride();
  try {
    await cmd.parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    // Only an action throws this, and it has loaded the module already.
    const { ConfigError } = await import("./config.js");
    if (e instanceof ConfigError) {
      process.stderr.write(`specgen: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
