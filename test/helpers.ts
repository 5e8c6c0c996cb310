/** Fixture spec roots for tests: the sample spec, temporary roots, and the corpus. */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/**
 * A copy of the 2020 corpus with a page holding the given text, and any other
 * files given. Without `apis`, only the API definitions the event schemas refer
 * to (`api/client-server/definitions`) are copied, not the API documents.
 */
export function copyCorpus(page: string, files: Record<string, string> = {}, apis = false): string {
  const root = tempDir("specgen-corpus-");
  const dirs = ["event-schemas", "schemas", apis ? "api" : "api/client-server/definitions"];
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

/** The 2020 pages' substitution of the API files' `%CLIENT_MAJOR_VERSION%`. */
export const CORPUS_CONFIG = "substitutions:\n  CLIENT_MAJOR_VERSION: r0\n";

/** The `*_http_api` and `definition_*` blocks the 2020 pages used (template-variables.tsv), in its order, once each. */
export function corpusApiBlocks(): string[] {
  const names = readFileSync(path.join(CORPUS, "template-variables.tsv"), "utf8")
    .split("\n")
    .map((line) => /^\{\{(\w+)\}\}/.exec(line)?.[1])
    .filter((n): n is string => n !== undefined && (n.endsWith("_http_api") || n.startsWith("definition_")));
  return [...new Set(names)];
}

/**
 * The conformance root with the APIs: corpusSpecRoot, plus `api/index.md`
 * holding every API and definition block of the 2020 pages, and the sections
 * the API descriptions refer to (`Title`_, `#fragment`, `../appendices.html#…`),
 * as the real pages had them.
 */
export function corpusApiRoot(): string {
  const root = corpusSpecRoot(true);
  const texts = listCorpusApiFiles().map((f) => readFileSync(f, "utf8"));
  const titles = new Set<string>();
  const fragments = new Set<string>();
  const appendices = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/`([^`<>\n]+)`_(?![A-Za-z0-9_])/g)) titles.add(m[1].replace(/\s+/g, " "));
    for (const m of text.matchAll(/<#([\w-]+)>`_/g)) fragments.add(m[1]);
    for (const m of text.matchAll(/<\.\.\/appendices\.html#([\w-]+)>`_/g)) appendices.add(m[1]);
  }
  // Events and endpoints are in the site already.
  const sections = [...titles].filter((t) => !/^m\.|^(GET|PUT|POST|DELETE) \//.test(t) && !CORPUS_SECTIONS.includes(t)).sort();
  const headings = [...sections, ...fragments].map((t) => `## ${t}\n\nThe real spec's section of this name.\n`).join("\n");
  const blocks = corpusApiBlocks()
    .map((b) => `{{${b}}}`)
    .join("\n\n");
  writeFiles(root, {
    "specgen.config.yaml": CORPUS_CONFIG,
    "specification/api/index.md": `# APIs\n\n${blocks}\n\n# Sections\n\n${headings}`,
    "specification/appendices.md": `# Appendices\n\n${[...appendices].map((a) => `## ${a}\n\nAn appendix.\n`).join("\n")}`,
  });
  return root;
}

/** The corpus' API documents and definitions. */
export function listCorpusApiFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".yaml")) out.push(full);
    }
  };
  walk(path.join(CORPUS, "api"));
  return out.sort();
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
