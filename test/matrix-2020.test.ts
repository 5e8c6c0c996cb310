/**
 * The 2020 Matrix spec repository built as it is (issue 16): the corpus
 * checkout, unchanged but for its real errors mended in a copy, builds
 * with no configuration into one document per targets.yaml target at
 * gendoc.py's path; no template variable or RST markup is left in the text;
 * every section title docutils finds in the document (assembled as the 2020
 * build assembled it, test/rst/docutils-targets.py) is a heading at its
 * level; links and references resolve. Skips without the corpus (and the
 * heading check without python3's docutils).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { HtmlValidate } from "html-validate";
import { beforeAll, describe, expect, it } from "vitest";
import { CORPUS_INVALID_EXAMPLES, fixInvalidExamples } from "../bench/corpus.js";
import { CORPUS, checkRoot, hasCorpus, REPO, specgen, tempDir, unsafeHtml } from "./helpers.js";
import { text, unescapeHtml } from "./html.js";

if (!hasCorpus) console.warn(`matrix-2020 tests skipped: ${CORPUS} is not there`);
const hasDocutils = spawnSync("python3", ["-c", "import docutils, yaml"]).status === 0;

/**
 * The errors of the corpus that are not examples breaking their schemas (issue 16, item 6), each as
 * `check` reports it: code, file, line. The examples are CORPUS_INVALID_EXAMPLES (the two
 * `PUT /send_leave` bodies of issue 16 and those issue 15's validation of every example found).
 */
const REAL_ERRORS = [
  ["reference-unresolved", "api/client-server/login.yaml", 121],
  ["reference-unresolved", "event-schemas/schema/m.room.encrypted", 7],
  ["block-unknown", "specification/modules/anonymous_access.rst", 32],
  ["reference-unresolved", "specification/client_server_api.rst", 1074],
];

/** Each error mended as its authors would: [file, text as written, text mended] (the examples: fixInvalidExamples). */
const MENDS: [string, string, string][] = [
  ["api/client-server/login.yaml", "Part of `Token-based`_ login.", "Part of token-based login."],
  ["event-schemas/schema/m.room.encrypted", "`Room Event fields`_", "`Room Events`_"],
  ["specification/modules/anonymous_access.rst", "{{m_room_guest_accessibility}}", "{{m_room_guest_access_event}}"],
  ["specification/client_server_api.rst", "As with `token-based`_ interactive login", "As with token-based interactive login"],
];

/**
 * Links of the corpus' pages that lead nowhere in any build of it (the 2020
 * site served some of them from matrix.org's web server), with the reason.
 */
const BROKEN_IN_CORPUS: Record<string, string> = {
  "index.html proposals": "`<proposals>` without `.html`: only matrix.org's server found proposals.html",
  "client_server/unstable.html ../server_server/unstable#pdus": "without `.html`, as above",
  "client_server/unstable.html #get-matrix-client-r0-search": "the search endpoint is POST: the anchor is #post-matrix-client-r0-search",
  "client_server/unstable.html index.html#event-graphs": "written relative to the site root, from client_server/",
};

/** The documents of targets.yaml at gendoc.py's paths (labels `unstable` with no configuration). */
const DOCUMENTS: Record<string, string> = {
  index: "index.html",
  client_server: "client_server/unstable.html",
  application_service: "application_service/unstable.html",
  server_server: "server_server/unstable.html",
  identity_service: "identity_service/unstable.html",
  push_gateway: "push_gateway/unstable.html",
  "rooms@v1": "rooms/v1.html",
  "rooms@v2": "rooms/v2.html",
  "rooms@v3": "rooms/v3.html",
  "rooms@v4": "rooms/v4.html",
  "rooms@v5": "rooms/v5.html",
  "rooms@v6": "rooms/v6.html",
  appendices: "appendices.html",
  proposals: "proposals.html",
};

function mendedCopy(): string {
  const root = tempDir("specgen-2020-");
  cpSync(CORPUS, root, { recursive: true, verbatimSymlinks: true });
  for (const [file, from, to] of MENDS) {
    const full = path.join(root, file);
    const before = readFileSync(full, "utf8");
    expect(before.includes(from), `${file} holds ${from}`).toBe(true);
    writeFileSync(full, before.replace(from, to));
  }
  fixInvalidExamples(root);
  return root;
}

/** The page's content (inside <main>), its code and pre blocks and MathML left out: the text a reader reads as prose. */
function prose(html: string): string {
  const main = /<main id="content">([\s\S]*?)<\/main>/.exec(html)?.[1] ?? "";
  return text(main.replace(/<pre[\s\S]*?<\/pre>|<code[\s\S]*?<\/code>|<math[\s\S]*?<\/math>/g, " "));
}

/** The page's headings in order: level and text (without the self-link and section number). */
function headings(html: string): [number, string][] {
  const main = /<main id="content">([\s\S]*?)<\/main>/.exec(html)?.[1] ?? "";
  return [...main.matchAll(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => [
    Number(m[1]),
    unescapeHtml(m[2].replace(/<a class="heading-anchor"[\s\S]*?<\/a>|<span class="sectnum">[^<]*<\/span>/g, "").replace(/<[^>]*>/g, ""))
      .replace(/\s+/g, " ")
      .trim(),
  ]);
}

describe.skipIf(!hasCorpus)("the 2020 Matrix repository, built as it is", () => {
  let out: string;
  let build: ReturnType<typeof specgen>;
  beforeAll(() => {
    const root = mendedCopy();
    out = tempDir("specgen-2020-out-");
    build = specgen(["build", root, "--out", out, "--format", "json"]);
  }, 120_000);

  it("reports exactly the real errors on the corpus as given", async () => {
    const result = await checkRoot(CORPUS);
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    const others = errors.filter((d) => d.code !== "example-invalid").map((d) => [d.code, d.file, d.line]);
    expect(others).toEqual(expect.arrayContaining(REAL_ERRORS));
    expect(others).toHaveLength(REAL_ERRORS.length);
    const examples = errors.filter((d) => d.code === "example-invalid").map((d) => `${d.file} ${d.pointer || "/"}`);
    const known = CORPUS_INVALID_EXAMPLES.flatMap(({ file, pointers }) => pointers.map((p) => `${file} ${p}`));
    expect(examples.sort()).toEqual(known.sort());
  }, 120_000);

  it("builds the mended copy with no error, one document per target at gendoc.py's path", () => {
    const { diagnostics } = JSON.parse(build.stdout) as {
      diagnostics: { severity: string; code: string; file?: string; message: string }[];
    };
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(build.code).toBe(0);
    for (const [target, file] of Object.entries(DOCUMENTS)) expect(existsSync(path.join(out, file)), `${target} → ${file}`).toBe(true);
    // The page no target includes is checked and written at its own path, with a warning.
    expect(diagnostics.filter((d) => d.code === "page-not-in-target").map((d) => d.file)).toEqual([
      "specification/modules/anonymous_access.rst",
    ]);
  });

  it("leaves no template variable and no RST markup in any document's text", () => {
    const problems: string[] = [];
    const markup: [string, RegExp][] = [
      ["{{…}}", /\{\{[^}]*\}\}/],
      ["``literal``", /``/],
      ["`reference`_", /`[^`\n]+`__?/],
      ["|substitution|", /\|[A-Za-z/][^|\s]*\|_?/],
      [".. directive::", /^\s*\.\. [\w-]+::/m],
      ["adornment line", /^\s*([=\-~^+`#<>])\1{3,}\s*$/m],
    ];
    for (const file of Object.values(DOCUMENTS)) {
      const shown = prose(readFileSync(path.join(out, file), "utf8"));
      for (const [name, pattern] of markup) {
        const m = pattern.exec(shown);
        if (m) problems.push(`${file}: ${name}: …${shown.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
      }
    }
    expect(problems).toEqual([]);
  });

  it.skipIf(!hasDocutils)("has every section title docutils finds in a document as a heading of it, at its level", () => {
    const found = JSON.parse(
      spawnSync("python3", [path.join(REPO, "test/rst/docutils-targets.py"), path.join(CORPUS, "specification")], {
        encoding: "utf8",
        maxBuffer: 1 << 26,
      }).stdout,
    ) as Record<string, [number, string][]>;
    expect(Object.keys(found).sort()).toEqual(Object.keys(DOCUMENTS).sort());
    let checked = 0;
    for (const [target, sections] of Object.entries(found)) {
      const shown = headings(readFileSync(path.join(out, DOCUMENTS[target]), "utf8"));
      // In order: the blocks' headings (events, endpoints) sit between them.
      let at = 0;
      for (const [level, title] of sections) {
        const expected: [number, string] = [Math.min(level, 6), title.replace(/\{\{git_version\}\}/g, "")];
        const index = shown.findIndex((h, i) => i >= at && h[0] === expected[0] && h[1] === expected[1]);
        expect(index, `${target}: h${expected[0]} "${expected[1]}" after heading ${at}`).toBeGreaterThanOrEqual(0);
        at = index + 1;
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("resolves every reference and internal link, but for the corpus' own broken links", () => {
    const { diagnostics } = JSON.parse(build.stdout) as { diagnostics: { code: string; message: string }[] };
    expect(diagnostics.filter((d) => d.code === "reference-unresolved")).toEqual([]);
    const broken = diagnostics
      .filter((d) => d.code === "link-broken")
      .map((d) => /link "([^"]*)" in ([^:]*):/.exec(d.message))
      .map((m) => (m ? `${m[2]} ${m[1]}` : "?"));
    expect([...new Set(broken)].sort()).toEqual(Object.keys(BROKEN_IN_CORPUS).sort());
  });

  it("writes documents that pass html-validate and hold no unsafe HTML", async () => {
    const validator = new HtmlValidate({
      extends: ["html-validate:recommended", "html-validate:document"],
      rules: { "require-sri": ["error", { target: "crossorigin" }] },
    });
    const problems: string[] = [];
    // The reader's own elements (definition lists, citations, MathML) are not in the Markdown list of unsafeHtml.
    const own = /^tag <\/?(dl|dt|dd|cite|abbr|math|semantics|mrow|mi|mo|mn|msub|msup|msubsup|mtext|annotation|merror|mstyle|mspace)>$/;
    for (const file of Object.values(DOCUMENTS)) {
      const html = readFileSync(path.join(out, file), "utf8");
      const report = await validator.validateString(html, file);
      // Heading levels as the 2020 documents had them (docutils' levels, held above): a few go two down after a block.
      for (const r of report.results)
        for (const m of r.messages) if (m.ruleId !== "heading-level") problems.push(`${file}:${m.line} ${m.ruleId} ${m.message}`);
      for (const p of unsafeHtml(html)) if (!own.test(p)) problems.push(`${file}: ${p}`);
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it("shows m.room_key.withheld in the client-server document, with its fields", () => {
    const page = readFileSync(path.join(out, "client_server/unstable.html"), "utf8");
    expect(page).toContain('data-event-type="m.room_key.withheld"');
    expect(prose(page)).toContain("m.room_key.withheld");
  });

  it("renders the template variables of the 2020 pages: changelog, warnings, APIs table, SAS emoji", () => {
    const cs = readFileSync(path.join(out, "client_server/unstable.html"), "utf8");
    expect(prose(cs)).toContain("You are viewing an unstable version of this specification");
    // The unreleased changes: each newsfragment (ISSUE.TYPE) is listed with its issue number, under its category's name.
    const fragments = readdirSync(path.join(CORPUS, "changelogs/client_server/newsfragments")).filter((f) => /^\d+\.\w+$/.test(f));
    expect(fragments.length).toBeGreaterThan(10);
    for (const file of fragments) expect(prose(cs), file).toContain(`#${file.split(".")[0]}`);
    expect(prose(cs)).toContain("Backwards Compatible Changes");
    const emoji = JSON.parse(readFileSync(path.join(CORPUS, "data-definitions/sas-emoji.json"), "utf8")) as {
      emoji: string;
      description: string;
    }[];
    for (const e of emoji) expect(cs).toContain(e.emoji);
    const index = readFileSync(path.join(out, "index.html"), "utf8");
    expect(index).toMatch(/<a href="client_server\/unstable.html">Client-Server API<\/a>/);
    // Not a checkout: the stated placeholder, never a crash.
    expect(prose(cs).replace(/\s+/g, " ")).toContain("as of Git commit unknown (not built from a git checkout)");
  });
});
