/**
 * The matrix-2020 layout on small repositories of its shape (the corpus
 * tests are in matrix-2020.test.ts): detection, documents from targets.yaml,
 * levels, groups, labels, substitutions, the layout's blocks, pages in no
 * target, broken targets.yaml, and the preview watching pages and targets.yaml.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { diffSpec } from "../src/diff/index.js";
import { type Preview, serve } from "../src/serve/index.js";
import { checkRoot, git as gitIn, makeRoot } from "./helpers.js";
import { withoutBreaks } from "./html.js";

const TARGETS = `targets:
  index:
    files:
      - index.rst
  client_server:
    files:
      - cs.rst
      - { 1: "group:modules" }
    version_label: "%CLIENT_RELEASE_LABEL%"
  rooms@v1:
    files:
      - rooms/v1.rst
    version_label: v1
groups:
  modules:
    - modules/one.rst
    - { 1: modules/two.rst }
title_styles: ["=", "-", "~", "+"]
relative_title_styles:
  subtitle: "<"
  sametitle: "/"
  supertitle: ">"
`;

function repository(extra: Record<string, string> = {}): string {
  return makeRoot({
    "specification/targets.yaml": TARGETS,
    "specification/index.rst": "Index\n=====\n\n{{apis}}\n\nSee `the client API <client_server/unstable.html#module-one>`_.\n",
    "specification/cs.rst":
      "Client-Server API\n=================\n\n{{unstable_warning_block_CLIENT_RELEASE_LABEL}}\n\nCalls ``/_matrix/client/%CLIENT_MAJOR_VERSION%/sync``; see `One`_ and `Two`_.\n\n.. topic:: Version: %CLIENT_RELEASE_LABEL%\n{{client_server_changelog}}\n",
    "specification/modules/one.rst": ".. _module:one:\n\nOne\n===\n\nSub\n<<<\n\nText.\n",
    "specification/modules/two.rst": "Two\n===\n\nDeep\n----\n",
    "specification/modules/_template.rst": "Template\n========\n\n{{nothing_at_all}}\n",
    "specification/modules/orphan.rst": "Orphan\n======\n\nNever built in 2020.\n",
    "specification/rooms/v1.rst": "Room Version 1\n==============\n",
    "changelogs/client_server.rst":
      "r0.6.1\n======\n\nNew Endpoints\n-------------\n\n- Added ``/aliases``. (`#2562 <https://example.org/2562>`_)\n",
    "changelogs/client_server/pyproject.toml":
      '[tool.towncrier]\n    issue_format = "`#{issue} <https://example.org/{issue}>`_"\n\n    [[tool.towncrier.type]]\n        directory = "new"\n        name = "New Endpoints"\n        showcontent = true\n\n    [[tool.towncrier.type]]\n        directory = "clarification"\n        name = "Spec Clarifications"\n        showcontent = true\n',
    "changelogs/client_server/newsfragments/20.clarification": "Fix typos.\n",
    "changelogs/client_server/newsfragments/10.clarification": "Fix typos.\n",
    "changelogs/client_server/newsfragments/15.new": "Add ``/whoami``.\n",
    "changelogs/client_server/newsfragments/.gitignore": "!.gitignore\n",
    ...extra,
  });
}

const headings = (html: string) =>
  [...html.matchAll(/<h(\d) id="([^"]*)"[^>]*>(?:<span class="sectnum">[^<]*<\/span> )?([^<]*)/g)].map((m) => `h${m[1]} ${m[3].trim()}`);

let preview: Preview | undefined;
afterEach(async () => {
  await preview?.close();
  preview = undefined;
});

describe("the matrix-2020 layout", () => {
  it("is detected by specification/targets.yaml, with gendoc.py's substitutions as defaults", () => {
    const config = loadConfig(repository());
    expect(config.layout.name).toBe("matrix-2020");
    expect(config.substitutions).toMatchObject({ CLIENT_RELEASE_LABEL: "unstable", CLIENT_MAJOR_VERSION: "r0" });
  });

  it("makes one document per target at gendoc.py's path, files in order with their levels, groups expanded", async () => {
    const { files, diagnostics } = await checkRoot(repository());
    expect([...files.keys()].filter((f) => f.endsWith(".html")).sort()).toEqual([
      "client_server/unstable.html",
      "index.html",
      "modules/orphan.html",
      "rooms/v1.html",
    ]);
    const cs = withoutBreaks(files.get("client_server/unstable.html") as string);
    // A group's `{1: file}` is one level below the level the group is used at, as gendoc.py nested them.
    expect(headings(cs)).toEqual(["h1 Client-Server API", "h2 One", "h3 Sub", "h3 Two", "h4 Deep"]);
    // The section titles and targets of every file of the document resolve; %VARS% are replaced in the text.
    expect(cs).toContain('<a href="#one">One</a>');
    expect(cs).toContain('<span id="module-one"></span>');
    expect(cs).toContain("<code>/_matrix/client/r0/sync</code>");
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([["page-not-in-target", "specification/modules/orphan.rst"]]);
  });

  it("renders its blocks: the unstable warning, the APIs table, the changelog as towncrier drafts it", async () => {
    const { files } = await checkRoot(repository());
    const cs = files.get("client_server/unstable.html") as string;
    expect(cs).toContain("You are viewing an unstable version of this specification");
    const changelog = cs.slice(cs.indexOf("Version: unstable"));
    // Categories in pyproject.toml's order; the same text once with all its issues; no .gitignore.
    expect(changelog).toMatch(
      /New Endpoints<\/p>\n<ul>\n<li>Add <code>\/whoami<\/code>\. \(<a href="https:\/\/example.org\/15">#15<\/a>\)<\/li>/,
    );
    expect(changelog).toMatch(
      /Spec Clarifications<\/p>\n<ul>\n<li>Fix typos\. \(<a href="https:\/\/example.org\/10">#10<\/a>, <a href="https:\/\/example.org\/20">#20<\/a>\)<\/li>/,
    );
    const index = files.get("index.html") as string;
    expect(index).toContain('<a href="client_server/unstable.html">Client-Server API</a>');
    expect(index).toContain("<td>unstable</td>");
  });

  it("builds a release when substitutions say so: its path, its released changelog, no warning", async () => {
    const root = repository({ "specgen.config.yaml": "substitutions:\n  CLIENT_RELEASE_LABEL: r0.6.1\n" });
    const { files } = await checkRoot(root);
    const cs = files.get("client_server/r0.6.1.html") as string;
    expect(cs).toBeDefined();
    expect(cs).not.toContain("You are viewing an unstable version");
    expect(cs).toContain("Added <code>/aliases</code>");
    expect(files.get("index.html")).toContain('<a href="client_server/r0.6.1.html">Client-Server API</a>');
  });

  it("reports a broken targets.yaml and a target naming a missing file, and still builds the rest", async () => {
    const root = repository({
      "specification/targets.yaml": TARGETS.replace("      - rooms/v1.rst", "      - rooms/v9.rst").replace(
        '"group:modules"',
        '"group:nothing"',
      ),
    });
    const { diagnostics, files } = await checkRoot(root);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual(
      expect.arrayContaining([
        ["targets-invalid", "error"],
        ["target-file-missing", "warning"],
      ]),
    );
    expect(files.has("client_server/unstable.html")).toBe(true);
  });

  it("is watched by the preview: an edited page and an edited targets.yaml rebuild", async () => {
    const root = repository();
    const rebuilt: string[][] = [];
    preview = await serve({ root, port: 0, host: "127.0.0.1", onRebuild: (e) => rebuilt.push(e.changedPages) });
    const page = new URL("client_server/unstable.html", preview.url);
    expect(await (await fetch(page)).text()).toContain("Deep");
    const two = path.join(root, "specification/modules/two.rst");
    writeFileSync(two, readFileSync(two, "utf8").replace("Deep\n----", "Deeper\n------"));
    await until(async () => (await (await fetch(page)).text()).includes("Deeper"));
    // A new newsfragment shows in the changelog.
    writeFileSync(path.join(root, "changelogs/client_server/newsfragments/30.new"), "Add ``/fresh``.\n");
    await until(async () => (await (await fetch(page)).text()).includes("<code>/fresh</code>"));
    const targets = path.join(root, "specification/targets.yaml");
    writeFileSync(targets, readFileSync(targets, "utf8").replace("version_label: v1", "version_label: v1b"));
    await until(async () => (await fetch(new URL("rooms/v1b.html", preview?.url))).status === 200);
  });

  it("in a git checkout: {{git_version}} from git, and diff reads each revision's documents", async () => {
    const root = repository({
      "specification/modules/two.rst":
        "Two\n===\n\nBuilt from {{git_version}} (`tree <https://example.org/tree/{{git_rev}}>`_).\n\n{{m_x_event}}\n",
      "event-schemas/schema/m.x":
        "type: object\nproperties:\n  type: {type: string, enum: [m.x]}\n  content:\n    type: object\n    properties:\n      a: {type: string, description: '``a`` as RST'}\n",
      "event-schemas/examples/m.x": '{"type": "m.x", "content": {"a": "b"}}',
    });
    const git = (...args: string[]) => gitIn(root, ...args).trim();
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    const commit = git("rev-parse", "--short", "HEAD");
    const { files } = await checkRoot(root);
    const cs = files.get("client_server/unstable.html") as string;
    expect(cs).toContain(`Built from main,${commit} (<a href="https://example.org/tree/${commit}">tree</a>)`);
    expect(cs).toContain("<code>a</code> as RST");

    const schema = path.join(root, "event-schemas/schema/m.x");
    writeFileSync(schema, readFileSync(schema, "utf8").replace("a: {type: string", "a: {type: integer"));
    const report = await diffSpec({ root, base: "HEAD" });
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.targets.get("m.x")?.href).toBe("client_server/unstable.html#m-x");
  });
});

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}
