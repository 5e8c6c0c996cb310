/** The command line: parse flags, run a pipeline command, report, set the exit code. */
import { createRequire } from "node:module";
import { Command, CommanderError, Option } from "commander";
import { ConfigError, loadConfig } from "./config.js";
import { hasErrors } from "./diagnostics.js";
import { diffCommand } from "./diff/command.js";
import { build, check } from "./pipeline.js";
import { FORMATS, type Format, report } from "./report.js";
import { serveCommand } from "./serve/command.js";

/** 0: clean (warnings allowed); 1: the sources have errors; 2: usage or configuration error. */
export const EXIT = { ok: 0, errors: 1, usage: 2 } as const;

const formatOption = () =>
  new Option("--format <format>", "how to print diagnostics")
    .choices(FORMATS)
    .default(process.env.GITHUB_ACTIONS === "true" ? "github" : "pretty");

export function program(): Command {
  const cmd = new Command("specgen")
    .description("Build a protocol spec site from event schemas, examples and Markdown pages.")
    .version(VERSION)
    .showHelpAfterError()
    .addHelpText(
      "after",
      `
Spec root layout (folders can be remapped in specgen.config.yaml):
  event-schemas/schema/     one YAML JSON Schema per event (m.room_key.withheld)
  event-schemas/examples/   one JSON or YAML example per event
  specification/            Markdown pages; a line {{m_room_key_withheld_event}} renders that event
  templates/                optional overrides of the built-in Handlebars templates

Exit codes: 0 clean (warnings allowed), 1 errors in the sources, 2 usage or configuration error.

Examples:
  specgen check                   check the spec in this folder
  specgen build --out site        build it into ./site
  specgen check spec --format json`,
    );

  cmd
    .command("build")
    .description("check the spec and, when it has no errors, write the site to the output folder (atomically)")
    .argument("[root]", "the spec root", ".")
    .option("--out <dir>", "output folder (default: output/ in the spec root)")
    .addOption(formatOption())
    .action(async (root: string, opts: { out?: string; format: Format }) => {
      const config = loadConfig(root, { out: opts.out });
      const result = await build(config);
      process.stderr.write(report(result.diagnostics, opts.format));
      if (result.written) process.stderr.write(`wrote ${result.files.size} files to ${config.output}\n`);
      process.exitCode = hasErrors(result.diagnostics) ? EXIT.errors : EXIT.ok;
    });

  cmd
    .command("check")
    .description("check schemas, examples and pages; write nothing")
    .argument("[root]", "the spec root", ".")
    .addOption(formatOption())
    .action(async (root: string, opts: { format: Format }) => {
      const config = loadConfig(root);
      const result = await check(config);
      const out = report(result.diagnostics, opts.format);
      (opts.format === "json" ? process.stdout : process.stderr).write(out);
      process.exitCode = hasErrors(result.diagnostics) ? EXIT.errors : EXIT.ok;
    });

  cmd.addCommand(serveCommand());
  cmd.addCommand(diffCommand());
  return cmd;
}

const VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

export async function main(argv: string[]): Promise<number> {
  const cmd = program();
  cmd.exitOverride();
  for (const sub of cmd.commands) sub.exitOverride();
  try {
    await cmd.parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof ConfigError) {
      process.stderr.write(`specgen: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}
