/** Fixture spec roots for tests: the sample spec, temporary roots, and the corpus. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { CORPUS_CONFIG, corpusApiPages } from "../bench/corpus.js";
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

/**
 * A copy of the 2020 corpus with a page holding the given text, and any other
 * files given. Without `apis`, only the API definitions the event schemas reach
 * (m.push_rules → client-server's, which refer to identity's) are copied, not
 * the API documents.
 */
export function copyCorpus(page: string, files: Record<string, string> = {}, apis = false): string {
  const root = tempDir("specgen-corpus-");
  const dirs = ["event-schemas", "schemas", ...(apis ? ["api"] : ["api/client-server/definitions", "api/identity/definitions"])];
  for (const dir of dirs) cpSync(path.join(CORPUS, dir), path.join(root, dir), { recursive: true, verbatimSymlinks: true });
  writeFiles(root, { "specification/index.md": page, ...files });
  return root;
}

/** The names of the corpus' event schemas (`m.*` files of the schema folder), sorted. */
export function corpusEventNames(): string[] {
  return readdirSync(path.join(CORPUS, "event-schemas/schema"))
    .filter((n) => n.startsWith("m."))
    .sort();
}

/**
 * The sections of the Matrix spec's pages that the corpus' descriptions refer
 * to with `Title`_ (or link to, `#conditions`): the conformance page holds them,
 * as the real pages did, so that every reference resolves.
 */
export const CORPUS_SECTIONS = [
  "to-device",
  "MXC URI",
  "Room Event fields",
  "Messaging Algorithms",
  "receipts module",
  "Reporting that decryption keys are withheld",
  "Direct Messaging",
  "Conditions",
];

/**
 * The conformance spec root: the corpus, `index.md` holding every event's block
 * and the sections descriptions refer to, `groups.md` the group and common blocks.
 */
export function corpusSpecRoot(apis = false): string {
  const blocks = corpusEventNames().map((n) => `{{${n.replace(/[.$]/g, "_")}_event}}`);
  const sections = CORPUS_SECTIONS.map((title) => `## ${title}\n\nSee the events above.`);
  const index = `# Events\n\n${blocks.join("\n\n")}\n\n# Sections\n\n${sections.join("\n\n")}\n`;
  const groups = [
    "common_event_fields",
    "common_room_event_fields",
    "common_state_event_fields",
    "msgtype_events",
    "voip_events",
    "presence_events",
    "room_events",
  ];
  return copyCorpus(index, { "specification/groups.md": `# Groups\n\n${groups.map((g) => `## ${g}\n\n{{${g}}}`).join("\n\n")}\n` }, apis);
}

/**
 * The conformance root with the APIs: corpusSpecRoot, plus the API pages of
 * bench/corpus.ts (every API and definition block of the 2020 pages, and the
 * sections their descriptions refer to) and the 2020 substitutions.
 */
export function corpusApiRoot(): string {
  const root = corpusSpecRoot(true);
  writeFiles(root, { "specgen.config.yaml": CORPUS_CONFIG, ...corpusApiPages(CORPUS, CORPUS_SECTIONS) });
  return root;
}

/** Runs the compiled CLI (test/global-setup.ts builds it) as a user would. */
export function specgen(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [path.join(REPO, "bin/specgen.js"), ...args], {
    encoding: "utf8",
    env: { ...process.env, GITHUB_ACTIONS: "", NO_COLOR: "1", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function read(file: string): string {
  return readFileSync(file, "utf8");
}

export async function checkRoot(root: string) {
  return check(loadConfig(root));
}
