/**
 * The write stage: the whole site goes to a fresh folder beside the output
 * folder, which then takes the output folder's place. A failed build never
 * touches the previous output, and a folder specgen did not write is never
 * replaced.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ConfigError } from "../config.js";

/** Marks a folder as specgen's output, safe to replace. */
export const OUTPUT_MARKER = ".specgen-output";

export function writeOutput(outDir: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(path.join(outDir, OUTPUT_MARKER))) {
    throw new ConfigError(`${outDir} exists and was not written by specgen; refusing to replace it (remove it or choose another --out)`);
  }
  mkdirSync(path.dirname(outDir), { recursive: true });
  const staging = mkdtempSync(`${outDir}.tmp-`);
  try {
    // One mkdir per folder, not per file.
    const folders = new Set<string>([staging]);
    for (const [rel, content] of files) {
      const file = path.join(staging, ...rel.split("/"));
      const folder = path.dirname(file);
      if (!folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        folders.add(folder);
      }
      writeFileSync(file, content);
    }
    writeFileSync(path.join(staging, OUTPUT_MARKER), "This folder is written by specgen and replaced on every build.\n");
    const previous = existsSync(outDir) ? `${staging}.old` : undefined;
    if (previous) renameSync(outDir, previous);
    renameSync(staging, outDir);
    if (previous) rmSync(previous, { recursive: true, force: true });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
