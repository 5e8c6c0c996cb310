/**
 * The site as a whole, on the sample spec: valid HTML, navigation and contents
 * complete on every page, nothing loaded from the network, the search index,
 * and templates overridden from the spec root.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { HtmlValidate } from "html-validate";
import { beforeAll, describe, expect, it } from "vitest";
import { relativeHref } from "../src/render/site-index.js";
import { FULL_NAV_PAGES, NEIGHBOURS, sectionTree } from "../src/site/nav.js";
import { SEARCH_GLOBAL, SEARCH_INDEX_FILE, type SearchEntry } from "../src/site/search.js";
import { CORPUS, checkRoot, copyCorpus, copySample, hasCorpus, makeRoot, REPO, writeFiles } from "./helpers.js";

const MODULE_PAGE = "modules/end_to_end_encryption.html";

/** The part of a page between an element's opening tag (found by `start`) and its closing `</tag>`. */
function element(html: string, start: string, tag: string): string {
  const from = html.indexOf(start);
  expect(from, start).toBeGreaterThanOrEqual(0);
  let depth = 0;
  const re = new RegExp(`<(/?)${tag}[\\s>]`, "g");
  re.lastIndex = from;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(from, m.index);
  }
  throw new Error(`no </${tag}> after ${start}`);
}

const validator = new HtmlValidate({
  extends: ["html-validate:recommended", "html-validate:document"],
  // Integrity hashes guard resources from other origins; the site has none (a test below checks).
  rules: { "require-sri": ["error", { target: "crossorigin" }] },
});

async function htmlProblems(name: string, html: string): Promise<string[]> {
  const report = await validator.validateString(html, name);
  return report.results.flatMap((r) => r.messages.map((m) => `${name}:${m.line}:${m.column} ${m.ruleId} ${m.message}`));
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1]);
}

describe("the sample site", () => {
  let files: Map<string, string>;
  let pages: [string, string][];
  beforeAll(async () => {
    const result = await checkRoot(REPO);
    expect(result.diagnostics).toEqual([]);
    files = result.files;
    pages = [...files].filter(([name]) => name.endsWith(".html"));
    expect(pages.map(([name]) => name).sort()).toEqual(["index.html", MODULE_PAGE]);
  });

  it("passes html-validate's recommended and document rules on every page", async () => {
    for (const [name, html] of pages) expect(await htmlProblems(name, html)).toEqual([]);
  });

  it("links only relatively, so the site works from file:// and under any path", () => {
    for (const [name, html] of pages) expect(html.match(/\s(href|src)="\/[^"]*"/g) ?? [], name).toEqual([]);
  });

  it("loads no script, style or font from the network", () => {
    for (const [name, text] of files) {
      const tags = text.match(/<(script|link|img|iframe|source)\b[^>]*>/g) ?? [];
      for (const tag of tags) expect(tag, name).not.toMatch(/\s(src|href)="(https?:)?\/\//i);
      if (name.endsWith(".css")) expect(text, name).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
    }
  });

  it("lists every page in the sidebar of every page, and marks the current one", () => {
    for (const [name, html] of pages) {
      const nav = element(html, '<nav class="site-nav"', "nav");
      const pageLinks = [...nav.matchAll(/<a class="nav-page" href="([^"]*)"([^>]*)>/g)];
      const targets = pageLinks.map((m) => relativeTo(name, m[1]));
      expect(targets.sort(), name).toEqual(["index.html", MODULE_PAGE]);
      expect(
        pageLinks.filter((m) => m[2].includes('aria-current="page"')).map((m) => relativeTo(name, m[1])),
        name,
      ).toEqual([name]);
    }
  });

  it("lists every h2 and h3 of a page, by its self-link, in the page's contents and in the sidebar", () => {
    for (const [name, html] of pages) {
      const main = element(html, "<main", "main");
      const headings = [...main.matchAll(/<h([23])\b[^>]*>([\s\S]*?)<\/h\1>/g)];
      const anchors = headings.map((h) => /<a class="heading-anchor" href="(#[^"]*)"/.exec(h[2])?.[1]);
      expect(anchors.every(Boolean), `${name}: every h2/h3 has a # link`).toBe(true);
      const toc = anchors.length > 0 ? hrefs(element(html, '<nav class="toc"', "nav")) : [];
      expect(toc, name).toEqual(anchors);
      const nav = hrefs(element(html, '<nav class="site-nav"', "nav"));
      for (const anchor of anchors) expect(nav, name).toContain(anchor);
    }
    const module = files.get(MODULE_PAGE) as string;
    expect(hrefs(element(module, '<nav class="toc"', "nav"))).toEqual([
      "#key-requests",
      "#reporting-that-decryption-keys-are-withheld",
      "#m-room_key-withheld",
      "#events",
      "#m-room_key_request",
      "#m-forwarded_room_key",
    ]);
    // The index page's sidebar reaches the module page's h2 sections too, but not its h3s (each event is one).
    const indexNav = hrefs(element(files.get("index.html") as string, '<nav class="site-nav"', "nav"));
    expect(indexNav).toContain(`${MODULE_PAGE}#reporting-that-decryption-keys-are-withheld`);
    expect(indexNav).not.toContain(`${MODULE_PAGE}#m-room_key-withheld`);
  });

  it("links each page to the previous and next one", () => {
    const pager = (html: string) => element(html, '<nav class="pager"', "nav");
    expect(pager(files.get("index.html") as string)).toMatch(new RegExp(`<a class="pager-next" href="${MODULE_PAGE}" rel="next">`));
    expect(pager(files.get("index.html") as string)).not.toContain("pager-prev");
    expect(pager(files.get(MODULE_PAGE) as string)).toMatch(/<a class="pager-prev" href="\.\.\/index\.html" rel="prev">/);
    expect(pager(files.get(MODULE_PAGE) as string)).not.toContain("pager-next");
  });

  it("shows the event's kind, required fields and highlighted example", () => {
    const module = files.get(MODULE_PAGE) as string;
    const section = element(module, '<section class="event" id="m-room_key-withheld"', "section");
    expect(section).toContain('<span class="event-kind event-kind-event">To-device or plain event</span>');
    expect(section).toContain('<th scope="row"><code>sender_<wbr>key</code></th>');
    expect(section).toContain('<strong class="required">Required</strong>');
    expect(section).toContain('<pre><code class="language-json">{\n  <span class="hljs-attr">&quot;content&quot;</span>: {');
    expect(section).toContain('<span class="hljs-string">&quot;m.unverified&quot;</span>');
  });

  it("writes a search index of pages, headings, events and fields, relative to the root", () => {
    const script = files.get(SEARCH_INDEX_FILE) as string;
    expect(script).toMatch(/^[\x20-\x7e\n]*$/);
    const sandbox: Record<string, unknown> = {};
    vm.runInNewContext(script, { self: sandbox });
    const entries = sandbox[SEARCH_GLOBAL] as SearchEntry[];
    expect(entries).toContainEqual({ t: "End-to-End Encryption", k: "page", u: MODULE_PAGE, c: "" });
    expect(entries).toContainEqual({ t: "Key requests", k: "section", u: `${MODULE_PAGE}#key-requests`, c: "End-to-End Encryption" });
    expect(entries).toContainEqual({
      t: "m.room_key.withheld",
      k: "event",
      u: `${MODULE_PAGE}#m-room_key-withheld`,
      c: "End-to-End Encryption",
    });
    expect(entries).toContainEqual({
      t: "sender_key",
      k: "field",
      u: `${MODULE_PAGE}#m-room_key-withheld_content`,
      c: "m.room_key.withheld › Content",
    });
    expect(entries).toContainEqual({
      t: "body",
      k: "field",
      u: `${MODULE_PAGE}#m-room_key_request_content`,
      c: "m.room_key_request › Content",
    });
    // Every entry leads somewhere that exists.
    for (const entry of entries) {
      const [page, id] = entry.u.split("#");
      expect(files.has(page), entry.u).toBe(true);
      if (id) expect(files.get(page), entry.u).toContain(`id="${id}"`);
    }
  });

  it("loads the page script and style relative to the page", () => {
    const module = files.get(MODULE_PAGE) as string;
    expect(module).toContain('<link rel="stylesheet" href="../style.css">');
    expect(module).toContain('<script src="../site.js" defer></script>');
    expect(module).toContain('data-root="../"');
    expect(files.get("site.js")).toContain("search-index.js");
  });
});

describe.skipIf(!hasCorpus)("the 2020 Matrix corpus as a site", () => {
  it("renders every event on one valid page, each in its contents", async () => {
    const names = readdirSync(path.join(CORPUS, "event-schemas/schema")).filter((n) => n.startsWith("m."));
    const blocks = names.map((n) => `{{${n.replace(/[.$]/g, "_")}_event}}`).join("\n\n");
    const { files, events } = await checkRoot(copyCorpus(`# Events\n\n## Every event\n\n${blocks}\n`));
    const html = files.get("index.html") as string;
    expect(await htmlProblems("index.html", html)).toEqual([]);
    const toc = hrefs(element(html, '<nav class="toc"', "nav"));
    expect(toc).toEqual(["#every-event", ...names.map((n) => `#${events.find((e) => e.name === n)?.anchor}`)]);
  });
});

describe("event sections", () => {
  it("badge state and room events, and show the state key", async () => {
    const schema = (type: string, extra: string) =>
      [
        `description: The ${type} event.`,
        "properties:",
        `  type: {type: string, enum: [${type}]}`,
        "  room_id: {type: string}",
        extra,
        "  content: {type: object, properties: {body: {type: string, description: The text.}}}",
      ].join("\n");
    const root = makeRoot({
      "event-schemas/schema/m.room.topic": schema(
        "m.room.topic",
        "  state_key: {type: string, description: 'A zero-length string, ``\"\"``.'}",
      ),
      "event-schemas/schema/m.room.message": schema("m.room.message", ""),
      "event-schemas/examples/m.room.topic": '{"type": "m.room.topic", "state_key": "", "room_id": "!r", "content": {"body": "x"}}',
      "event-schemas/examples/m.room.message": '{"type": "m.room.message", "room_id": "!r", "content": {"body": "x"}}',
      "specification/index.md": "# Rooms\n\n{{m_room_topic_event}}\n\n{{m_room_message_event}}\n",
    });
    const { files, diagnostics } = await checkRoot(root);
    expect(diagnostics).toEqual([]);
    const html = files.get("index.html") as string;
    const topic = element(html, '<section class="event" id="m-room-topic"', "section");
    expect(topic).toContain('<span class="event-kind event-kind-state">State event</span>');
    expect(topic).toContain(
      '<p class="state-key"><span class="fact-label"><code>state_key</code>:</span> A zero-length string, <code>&quot;&quot;</code>.</p>',
    );
    const message = element(html, '<section class="event" id="m-room-message"', "section");
    expect(message).toContain('<span class="event-kind event-kind-room">Room event</span>');
    expect(message).not.toContain("state-key");
  });
});

describe("navigation", () => {
  it("nests h3s under the h2 before them, and keeps an h3 before any h2 at the top", () => {
    const page = {
      out: "a/b.html",
      title: "B",
      headings: [
        { level: 3, title: "Intro", id: "intro" },
        { level: 2, title: "One", id: "one" },
        { level: 3, title: "One.a", id: "one-a" },
        { level: 4, title: "Deep", id: "deep" },
        { level: 2, title: "Two", id: "two" },
      ],
    };
    expect(sectionTree(page, "a/b.html")).toEqual([
      { title: "Intro", href: "#intro", sections: [] },
      { title: "One", href: "#one", sections: [{ title: "One.a", href: "#one-a", sections: [] }] },
      { title: "Two", href: "#two", sections: [] },
    ]);
    expect(sectionTree(page, "index.html")[1].href).toBe("a/b.html#one");
    expect(relativeHref("a/b.html", "c d.html")).toBe("../c%20d.html");
  });

  it("keeps each page's sidebar to its neighbours on a large site, the home page listing every page", async () => {
    const count = FULL_NAV_PAGES + 30;
    const files: Record<string, string> = { "specification/index.md": "# Home\n\nThe pages.\n" };
    for (let i = 0; i < count; i++) files[`specification/parts/p${String(i).padStart(3, "0")}.md`] = `# Part ${i}\n\n## Of ${i}\n\nText.\n`;
    const result = await checkRoot(makeRoot(files));
    // Every sidebar link resolves, the gaps' `index.html#site-nav` too.
    expect(result.diagnostics).toEqual([]);
    const sidebar = (name: string) => element(result.files.get(name) as string, '<nav class="site-nav"', "nav");
    const listed = (name: string) => [...sidebar(name).matchAll(/class="nav-page" href="([^"#]*)"/g)].map((m) => relativeTo(name, m[1]));
    expect(listed("index.html")).toHaveLength(count + 1);
    const middle = "parts/p060.html";
    expect(listed(middle)).toEqual([
      "index.html",
      ...Array.from({ length: 2 * NEIGHBOURS + 1 }, (_, i) => `parts/p${String(60 - NEIGHBOURS + i).padStart(3, "0")}.html`),
    ]);
    const gaps = [...sidebar(middle).matchAll(/<li class="nav-more"><a href="([^"]*)">([^<]*)<\/a><\/li>/g)];
    expect(gaps.map((m) => [relativeTo(middle, m[1]), m[2]])).toEqual([
      ["index.html#site-nav", `${60 - NEIGHBOURS} earlier pages`],
      ["index.html#site-nav", `${count - 61 - NEIGHBOURS} later pages`],
    ]);
    expect(await htmlProblems(middle, result.files.get(middle) as string)).toEqual([]);
  });
});

describe("templates", () => {
  it("takes every template, partial and asset from the spec root's templates/ when it has one", async () => {
    const root = copySample();
    writeFiles(root, {
      "templates/sections.hbs": '<ol class="my-sections">{{#each this}}<li><a href="{{href}}">{{title}}</a></li>{{/each}}</ol>\n',
      "templates/example.hbs": '<pre class="my-example">{{json}}</pre>\n',
      "templates/site.js": "// my script\n",
      "templates/style.css": "/* my style */\n",
    });
    const { files, diagnostics } = await checkRoot(root);
    expect(diagnostics).toEqual([]);
    const module = files.get(MODULE_PAGE) as string;
    expect(module).toContain('<ol class="my-sections"><li><a href="#key-requests">Key requests</a></li>');
    expect(module).toContain('<pre class="my-example">{\n  &quot;content&quot;');
    expect(files.get("site.js")).toBe("// my script\n");
    expect(files.get("style.css")).toBe("/* my style */\n");
  });
});

/** A page's href, as a path from the site root. */
function relativeTo(page: string, href: string): string {
  const url = new URL(href, `https://site.invalid/${page}`);
  return decodeURIComponent(url.pathname.slice(1)) + url.hash;
}
