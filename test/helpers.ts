/** Fixture spec roots for tests: the sample spec, temporary roots, and the corpus. */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
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
/** Today's Matrix spec (Hugo layout, OpenAPI 3.1, JSON Schema 2020-12). */
export const CORPUS_V19 = path.resolve(REPO, "../shared/corpus/matrix-spec-v1.9");
export const hasCorpusV19 = existsSync(CORPUS_V19);

/** The folders of the v1.9 corpus' data, as a spec root's config names them. */
export const V19_CONFIG = [
  "paths:",
  "  schemas: data/event-schemas/schema",
  "  examples: data/event-schemas/examples",
  "  apis: data/api",
  "  pages: content",
  "",
].join("\n");

/** A temporary spec root holding a copy of the v1.9 corpus' `data/` (no pages), and `files`. */
export function corpusV19Root(files: Record<string, string> = {}): string {
  const root = tempDir("specgen-v19-");
  cpSync(path.join(CORPUS_V19, "data"), path.join(root, "data"), { recursive: true });
  writeFiles(root, { "specgen.config.yaml": V19_CONFIG, ...files });
  return root;
}

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

const BIN = path.join(REPO, "bin/specgen.js");

/** Runs the CLI as a user would: a child process, no colour, not in GitHub Actions unless `env` says so. */
export function specgen(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GITHUB_ACTIONS: "", NO_COLOR: "1", FORCE_COLOR: "", ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function read(file: string): string {
  return readFileSync(file, "utf8");
}

export async function checkRoot(root: string) {
  return check(loadConfig(root));
}

/** Tags that the templates and markdown-it (raw HTML off) write; anything else came from a source. */
const SAFE_TAGS = new Set(
  "html head meta title link body header footer div nav ul ol li a main section article aside h1 h2 h3 h4 h5 h6 p span code pre table caption thead tbody tr th td strong em figure figcaption blockquote hr br img del s sup sub search label input wbr".split(
    " ",
  ),
);

/** The site's own scripts, as page.hbs loads them: nothing else may be a script. */
const SITE_SCRIPT = /^<script src="(?:\.\.\/)*site\.js" defer><\/script>$/;

/**
 * What in `html` could run script: a tag no template or Markdown writes, an
 * event-handler attribute, or an href/src with a javascript:, vbscript: or
 * data: URL (a data: image for `img` excepted).
 */
export function unsafeHtml(html: string): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(/<script[^>]*>[\s\S]*?<\/script>/gi))
    if (!SITE_SCRIPT.test(m[0])) problems.push(`script ${m[0].slice(0, 60)}`);
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)) {
    const tag = m[2].toLowerCase();
    if (!SAFE_TAGS.has(tag) && tag !== "script") problems.push(`tag <${tag}>`);
    const attrs = m[3];
    if (!/^(\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(="[^"<]*")?)*\s*\/?$/.test(attrs)) problems.push(`odd attributes in <${tag}${attrs}>`);
    for (const a of attrs.matchAll(/\s([^\s="]+)(?:="([^"]*)")?/g)) {
      const name = a[1].toLowerCase();
      if (name.startsWith("on")) problems.push(`handler ${name} on <${tag}>`);
      if (name !== "href" && name !== "src") continue;
      // Browsers ignore control characters and spaces in a URL's scheme, so the check does too.
      const url = [...decodeEntities(a[2] ?? "")]
        .filter((c) => c.charCodeAt(0) > 0x20)
        .join("")
        .toLowerCase();
      if (
        /^(javascript|vbscript):/.test(url) ||
        (url.startsWith("data:") && !(tag === "img" && /^data:image\/(gif|png|jpeg|webp);/.test(url)))
      ) {
        problems.push(`${name}="${a[2]}" on <${tag}>`);
      }
    }
  }
  return problems;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h) => codePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d) => codePoint(Number(d)))
    .replace(/&colon;/gi, ":")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function codePoint(n: number): string {
  return n <= 0x10ffff ? String.fromCodePoint(n) : "\ufffd";
}

/** rawRequest's answer when the connection closed without a status line. */
export const RAW_REQUEST_CLOSED = 0;

/** Sends `head` (a request line and headers) as written, and gives the status of the answer (0 when the connection closed without one). */
export function rawRequest(url: string, head: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(head));
    let answer = "";
    socket.on("data", (d) => {
      answer += String(d);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      if (m) {
        resolve(Number(m[1]));
        socket.destroy();
      }
    });
    socket.on("close", () => resolve(RAW_REQUEST_CLOSED));
    socket.on("error", reject);
    socket.setTimeout(5000, () => reject(new Error(`no answer to ${JSON.stringify(head.slice(0, 80))}`)));
  });
}

/** git in `repo` with a fixed identity and no user or system configuration. */
export function git(repo: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: repo,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.org",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.org",
    },
  });
}
