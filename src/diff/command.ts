/** The `diff` subcommand: flags, the report on stdout, the exit code. */
import { Command, InvalidArgumentError, Option } from "commander";
import { report as reportDiagnostics } from "../report.js";
import { DIFF_FORMATS, type DiffFormat } from "./format.js";

function siteUrl(value: string): string {
  if (!/^https?:\/\/[^\s]+$/i.test(value)) throw new InvalidArgumentError("give the http(s) address the site is published at");
  return value;
}

export function diffCommand(): Command {
  return new Command("diff")
    .description(
      "report what changed in the spec's events and HTTP endpoints between two git revisions, classified as breaking or compatible",
    )
    .argument("[root]", "the spec root (inside a git repository)", ".")
    .requiredOption("--base <rev>", "the revision to compare from, e.g. origin/main or HEAD~1")
    .option("--head <rev>", "the revision to compare to (default: the working tree)")
    .addOption(new Option("--format <format>", "how to print the report").choices(DIFF_FORMATS).default("pretty"))
    .addOption(new Option("--fail-on <level>", "exit with 1 when a change of this level exists").choices(["breaking"]))
    .option("--verbose", "list the errors of a committed revision's spec too (by default one line says how many)")
    .option(
      "--site-url <url>",
      "where the head revision's site is published; markdown links each event and endpoint to its section",
      siteUrl,
    )
    .addHelpText(
      "after",
      `
Exit codes: 0 done, 1 a breaking change with --fail-on breaking, 2 usage error (unknown revision, no git repository).

Examples:
  specgen diff --base origin/main                       what this branch changes, for the terminal
  specgen diff spec --base HEAD~1 --format json         the last commit's changes, for tools
  specgen diff --base origin/main --format markdown --fail-on breaking --site-url https://spec.example.org`,
    )
    .action(
      async (
        root: string,
        opts: { base: string; head?: string; format: DiffFormat; failOn?: "breaking"; siteUrl?: string; verbose?: boolean },
      ) => {
        const [{ diffSpec }, { formatDiff }] = await Promise.all([import("./index.js"), import("./format.js")]);
        const result = await diffSpec({ root, base: opts.base, head: opts.head });
        for (const { revision, errors } of result.problems) {
          if (!revision.commit || opts.verbose) {
            const where = revision.commit ? `at ${revision.label}` : "in the working tree";
            process.stderr.write(`specgen diff: the spec ${where} has errors; the comparison covers what loads:\n`);
            process.stderr.write(reportDiagnostics(errors, "pretty"));
          } else {
            // A committed revision's errors are history, the same on every run: one line, not the whole report.
            const files = [...new Set(errors.map((d) => d.file ?? "specgen.config.yaml"))];
            const shown = files.length > 3 ? `${files.slice(0, 3).join(", ")}, …` : files.join(", ");
            process.stderr.write(
              `specgen diff: the spec at ${revision.label} has ${errors.length} error${errors.length === 1 ? "" : "s"} (${shown}); ` +
                "the comparison covers what loads (--verbose lists them)\n",
            );
          }
        }
        process.stdout.write(formatDiff(result, opts.format, { siteUrl: opts.siteUrl }));
        process.exitCode = opts.failOn === "breaking" && result.changes.some((c) => c.breaking) ? 1 : 0;
      },
    );
}
