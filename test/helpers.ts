/** Fixture spec roots for tests: the sample spec, temporary roots, and the corpus. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { loadConfig } from "../src/config.js";
import { check } from "../src/pipeline.js";

export const REPO = fileURLToPath(new URL("..", import.meta.url));
export const CORPUS = path.resolve(REPO, "../shared/corpus/matrix-doc-2020");
export const hasCorpus = existsSync(CORPUS);

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = "specgen-test-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A temporary spec root holding `files` (path → text). */
export function makeRoot(files: Record<string, string>): string {
  const root = tempDir();
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** A copy of the sample spec (schemas, examples, pages) in a temporary root. */
export function copySample(): string {
  const root = tempDir();
  for (const dir of ["event-schemas", "specification"]) cpSync(path.join(REPO, dir), path.join(root, dir), { recursive: true });
  return root;
}

/** A copy of the 2020 corpus with a page holding the given text. */
export function copyCorpus(page: string): string {
  const root = tempDir("specgen-corpus-");
  for (const dir of ["event-schemas", "api", "schemas"])
    cpSync(path.join(CORPUS, dir), path.join(root, dir), { recursive: true, verbatimSymlinks: true });
  writeFiles(root, { "specification/index.md": page });
  return root;
}

export function read(file: string): string {
  return readFileSync(file, "utf8");
}

export async function checkRoot(root: string) {
  return check(loadConfig(root));
}
