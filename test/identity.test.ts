/**
 * The fast paths give the plain path's results, to the byte: `specgen check`
 * (reportOnly, no colour, no search index, pages let go as rendered), a check
 * with a filled parse cache, and `specgen build` of the bundled CLI (its
 * precompiled templates and bundle-time patches) against a run in memory of
 * the sources, on the sample and both corpora when present (test/write.test.ts holds
 * the build against the run in memory on a generated spec too).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { corpus2026EventsRoot, fixInvalidExamples } from "../bench/corpus.js";
import { loadConfig } from "../src/config.js";
import type { Diagnostic } from "../src/diagnostics.js";
import { ParseCache } from "../src/load/parse-cache.js";
import { check } from "../src/pipeline.js";
import { OUTPUT_MARKER } from "../src/site/write.js";
import { CORPUS, copySample, corpusApiRoot, hasCorpus, specgen, tempDir } from "./helpers.js";

const roots: [string, () => string | undefined][] = [
  ["the sample", copySample],
  ["today's Matrix corpus' events (matrix-spec-v1.9)", () => corpus2026EventsRoot(tempDir())?.root],
];
if (hasCorpus) {
  roots.push([
    "the 2020 corpus with its APIs (its two invalid examples fixed)",
    () => {
      const root = corpusApiRoot();
      fixInvalidExamples(root);
      return root;
    },
  ]);
} else console.warn(`identity on the 2020 corpus skipped: ${CORPUS} is not there`);

/** Every file under a folder (the output marker aside), by its path relative to it, with `/`. */
function folderFiles(dir: string, rel = "", files = new Map<string, string>()): Map<string, string> {
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) folderFiles(dir, child, files);
    else if (child !== OUTPUT_MARKER) files.set(child, readFileSync(path.join(dir, child), "utf8"));
  }
  return files;
}

/** The CLI's `--format json` diagnostics. */
function jsonDiagnostics(stdout: string): Diagnostic[] {
  return JSON.parse(stdout).diagnostics;
}

describe("fast paths give the plain path's results", () => {
  for (const [name, make] of roots) {
    it(`check, cached check and the bundled build equal a run in memory: ${name}`, async (context) => {
      const root = make();
      if (!root) {
        console.warn(`skipped: ${name} is not in ../shared/corpus`);
        context.skip();
        return;
      }
      const out = path.join(tempDir(), "site");
      const config = loadConfig(root, { out });
      const plain = await check(config);

      // As `specgen check` runs it in process, and with a parse cache, cold then filled.
      const reportOnly = await check(config, { reportOnly: true, emit: () => {} });
      expect(reportOnly.diagnostics).toEqual(plain.diagnostics);
      const cacheFile = path.join(tempDir(), "parsed.json");
      for (let run = 0; run < 2; run++) {
        const parseCache = new ParseCache(cacheFile);
        const cached = await check(config, { reportOnly: true, parseCache, emit: () => {} });
        parseCache.save();
        expect(cached.diagnostics, `cache run ${run}`).toEqual(plain.diagnostics);
      }

      // The bundled CLI: check, filled-cache check and build report the same, and build writes the site in memory, byte for byte.
      const cli = specgen(["check", root, "--format", "json"]);
      const cliCached = specgen(["check", root, "--format", "json", "--cache-location", cacheFile]);
      const built = specgen(["build", root, "--out", out, "--format", "json"]);
      expect(built.code, built.stderr).toBe(0);
      expect(jsonDiagnostics(cli.stdout)).toEqual(JSON.parse(JSON.stringify(plain.diagnostics)));
      expect(cliCached.stdout).toBe(cli.stdout);
      expect(built.stdout).toBe(cli.stdout);
      expect(cliCached.code).toBe(cli.code);
      const written = folderFiles(out);
      expect([...written.keys()].sort()).toEqual([...plain.files.keys()].sort());
      // Compared as booleans: a failure names the file rather than printing two whole pages.
      for (const [file, content] of plain.files) expect(written.get(file) === content, file).toBe(true);
    }, 120_000);
  }
});
