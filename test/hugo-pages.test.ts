import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics.js";
import type { Source } from "../src/load/source.js";
import { frontMatterBody, readFrontMatter } from "../src/pages/front-matter.js";
import { anchorize, explicitId, HeadingIds } from "../src/pages/hugo/anchorize.js";
import { parseTag } from "../src/pages/hugo/shortcode-syntax.js";
import { hugoShortcodesPlugin, type ShortcodeDef } from "../src/pages/hugo/shortcodes.js";
import { BlockRegistry } from "../src/render/blocks/registry.js";
import { pageLocator, type RenderEnv } from "../src/render/env.js";
import { SiteIndex } from "../src/render/site-index.js";

describe("front matter", () => {
  it("reads YAML and keeps the page's lines", () => {
    const fm = readFrontMatter('---\ntitle: "Client-Server API"\nweight: 10\n---\n\n# Body\n', "a.md");
    expect(fm.data).toEqual({ title: "Client-Server API", weight: 10 });
    expect(fm.body.split("\n")[5]).toBe("# Body");
    expect(
      fm.body
        .split("\n")
        .slice(0, 4)
        .every((l) => l === ""),
    ).toBe(true);
    expect(fm.diagnostics).toEqual([]);
  });
  it("reads TOML", () => {
    const fm = readFrontMatter('+++\ntitle = "Rooms"\nweight = 60\nheadless = true\n+++\ntext\n', "a.md");
    expect(fm.data).toEqual({ title: "Rooms", weight: 60, headless: true });
    expect(fm.bodyLine).toBe(5);
  });
  it("reports bad front matter at its line", () => {
    const yaml = readFrontMatter("---\ntitle: x\n  bad: : [\n---\n", "p.md");
    expect(yaml.diagnostics[0]).toMatchObject({ code: "front-matter-invalid", file: "p.md", line: 3 });
    const toml = readFrontMatter("+++\ntitle = \n+++\n", "p.md");
    expect(toml.diagnostics[0]).toMatchObject({ code: "front-matter-invalid", line: 2 });
    expect(readFrontMatter("---\ntitle: x\n", "p.md").diagnostics[0].message).toMatch(/never closed/);
    expect(readFrontMatter("---\n- a\n---\n", "p.md").diagnostics[0].message).toMatch(/not a mapping/);
  });
  it("gives readers the same body without reading the front matter", () => {
    for (const text of [
      "---\ntitle: A\n---\n# Body\n",
      "\uFEFF+++\nweight = 1\n+++\ntext",
      "---\nnever: closed\n",
      "---\nnot: [yaml\n---\nafter\n",
      "# No front matter\n---\n",
      "",
    ]) {
      expect(frontMatterBody(text)).toBe(readFrontMatter(text, "a.md").body);
    }
  });

  it("leaves a page without front matter as it is", () => {
    expect(readFrontMatter("# T\n---\n", "p.md")).toMatchObject({ data: {}, body: "# T\n---\n", bodyLine: 0 });
  });
});

describe("anchorize", () => {
  it("makes Hugo's ids", () => {
    expect(anchorize("m.room.member")).toBe("mroommember");
    expect(anchorize("GET /_matrix/client/v3/sync")).toBe("get-_matrixclientv3sync");
    expect(anchorize("/_matrix/client/v3/rooms/{roomId}/members")).toBe("_matrixclientv3roomsroomidmembers");
    expect(anchorize("`m.room.member`")).toBe("mroommember");
    expect(anchorize("  Room Versions  ")).toBe("room-versions");
    expect(anchorize("Élan vital")).toBe("élan-vital");
    expect(anchorize("Élan vital", "github-ascii")).toBe("elan-vital");
    expect(anchorize("Hello, World!  again", "blackfriday")).toBe("hello-world-again");
  });
  it("numbers repeated heading ids from 1 and names empty ones", () => {
    const ids = new HeadingIds(new Set());
    expect([ids.auto("Examples"), ids.auto("Examples"), ids.auto("Examples"), ids.auto("!!")]).toEqual([
      "examples",
      "examples-1",
      "examples-2",
      "heading",
    ]);
    expect(explicitId("Knocking upon a room {#knocking-rooms}")).toEqual({ title: "Knocking upon a room", id: "knocking-rooms" });
    expect(explicitId("Plain")).toEqual({ title: "Plain" });
    expect(explicitId('Client behaviour {id="annotations-client-behaviour"}')).toEqual({
      title: "Client behaviour",
      id: "annotations-client-behaviour",
    });
    expect(explicitId("T {.wide #x}")).toEqual({ title: "T", id: "x" });
    expect(explicitId("Sets {a, b}")).toEqual({ title: "Sets {a, b}" });
  });
});

describe("shortcode tags", () => {
  it("reads named, positional, quoted and raw parameters", () => {
    const tag = parseTag('{{% http-api spec="client-server" api=sync anchor_base=`a "b"` %}}', 0);
    expect(tag).toMatchObject({ name: "http-api", delim: "%", params: { spec: "client-server", api: "sync", anchor_base: 'a "b"' } });
    expect(parseTag("{{< added-in this=true >}}", 0)).toMatchObject({ name: "added-in", delim: "<", params: { this: "true" } });
    expect(parseTag("{{% /boxes/note %}}", 0)).toMatchObject({ name: "boxes/note", closing: true });
    expect(parseTag("{{< x />}}", 0)).toMatchObject({ name: "x", selfClosing: true });
    expect(parseTag('{{< x "a b" c >}}', 0)).toMatchObject({ positional: ["a b", "c"] });
    expect(parseTag("{{</* event */>}}", 0)).toMatchObject({ escaped: "{{< event >}}" });
  });
  it("says what is wrong with a bad tag", () => {
    expect(parseTag('{{% event event="m.x %}}', 0)).toHaveProperty("error");
    expect(parseTag("{{% event", 0)).toHaveProperty("error");
    expect(parseTag('{{% x a="1" b %}}', 0)).toMatchObject({ error: expect.stringMatching(/mixes/) });
  });
});

function source(rel: string, text: string): Source {
  return { path: `/root/${rel}`, rel, kind: "page", text, value: undefined };
}

const DEFS: Record<string, ShortcodeDef> = {
  "boxes/note": { paired: true, expand: () => ({ type: "container", tag: "div", attrs: [["class", "alert note"]] }) },
  "added-in": {
    inline: true,
    expand: (call, ctx) =>
      call.params.this === "true" && ctx.dropVersionNotes
        ? { type: "html", html: "" }
        : {
            type: "html",
            html: call.params.this ? "<strong>[New in this version]</strong>" : `<strong>[Added in v${call.params.v}]</strong>`,
          },
  },
  event: {
    expand: (call) =>
      call.params.event ? { type: "block", name: `ev:${call.params.event}`, options: call.params } : { type: "error", message: "no event" },
  },
  fragment: { expand: (call) => ({ type: "include", sources: [FRAGMENT], dropVersionNotes: call.params.withVersioning !== "true" }) },
};
const FRAGMENT = source("content/frag.md", "\n## Included\n\n{{< added-in this=true >}} Inside.\n\n{{% nope %}}\n");

/** `text` as a Hugo page through `md` (the shortcodes plugin, blocks shown as `<BLOCK name options>`, unless given another). */
function render(text: string, md = blockShowingMarkdown()) {
  const page = source("content/page.md", text);
  const diagnostics: Diagnostic[] = [];
  const env: RenderEnv = {
    page: "page/index.html",
    where: pageLocator(page),
    site: new SiteIndex(),
    blocks: new BlockRegistry([]),
    diagnostics,
    ids: new Set(),
    marks: { links: [], anchors: [] },
    layout: { shortcodes: { get: (n: string) => DEFS[n], names: () => Object.keys(DEFS) } },
  };
  const tokens = md.parse(text, env);
  return { html: md.renderer.render(tokens, md.options, env), diagnostics, tokens };
}

function blockShowingMarkdown(): MarkdownIt {
  const md = new MarkdownIt({ html: true }).use(hugoShortcodesPlugin);
  md.renderer.rules.specgen_block = (tokens, idx) => `<BLOCK ${tokens[idx].meta.name} ${JSON.stringify(tokens[idx].meta.options)}>`;
  return md;
}

describe("shortcodes plugin", () => {
  it("wraps a paired shortcode's inner Markdown", () => {
    const { html, diagnostics } = render("Before\n\n{{% boxes/note %}}\nSome *inner* text.\n\n- a list\n{{% /boxes/note %}}\n\nAfter\n");
    expect(diagnostics).toEqual([]);
    expect(html).toContain('<div class="alert note">\n<p>Some <em>inner</em> text.</p>\n<ul>\n<li>a list</li>\n</ul>\n</div>');
    expect(html).toContain("<p>After</p>");
  });
  it("makes block calls with the tag's options", () => {
    const { html, tokens } = render('{{% event event="m.room.member" title="Member" %}}\n');
    expect(html).toBe('<BLOCK ev:m.room.member {"event":"m.room.member","title":"Member"}>');
    expect(tokens[0]).toMatchObject({ type: "specgen_block", map: [0, 1] });
  });
  it("expands inline shortcodes in their text", () => {
    const { html } = render('* {{< added-in v="1.1" >}} [GET /x](#get) now\n');
    expect(html).toContain('<li><strong>[Added in v1.1]</strong> <a href="#get">GET /x</a> now</li>');
  });
  it("reports unknown and misplaced shortcodes at their place, with a did-you-mean", () => {
    const { html, diagnostics } = render(
      'Text\n\n{{% boxes/notes %}}\nx\n{{% /boxes/notes %}}\n\nand {{% event event="a" %}} inline\n\n{{% event %}}\n',
    );
    expect(html).not.toContain("{{");
    expect(html).toContain("<p>x</p>");
    expect(diagnostics.map((d) => [d.code, d.line, d.column, d.message])).toEqual([
      ["shortcode-unknown", 3, 1, "unknown shortcode `boxes/notes`; did you mean `boxes/note`?"],
      ["shortcode-invalid", 9, 1, "no event"],
      ["shortcode-invalid", 7, 5, "shortcode event must stand alone on its line"],
    ]);
  });
  it("reports an unclosed paired shortcode", () => {
    const { diagnostics } = render("{{% boxes/note %}}\ntext\n");
    expect(diagnostics[0]).toMatchObject({ code: "shortcode-invalid", line: 1, message: expect.stringMatching(/no closing tag/) });
  });
  it("includes another file in place, located in that file, and drops its version notes", () => {
    const { html, diagnostics, tokens } = render("# Page\n\n{{% fragment %}}\n\nEnd\n");
    expect(html).toContain("<h2>Included</h2>");
    expect(html).toContain("<p> Inside.</p>");
    expect(html).toContain("<p>End</p>");
    expect(diagnostics.map((d) => [d.file, d.line, d.code])).toEqual([["content/frag.md", 6, "shortcode-unknown"]]);
    expect(tokens.some((t) => t.type === "heading_open" && t.tag === "h2")).toBe(true);
    const kept = render('{{% fragment withVersioning="true" %}}\n');
    expect(kept.html).toContain("[New in this version]");
  });
  it("leaves escaped shortcodes as their text and code as it is", () => {
    const { html, diagnostics } = render("Write `{{% x %}}` or {{</* event */>}}\n\n```\n{{% x %}}\n```\n");
    expect(diagnostics).toEqual([]);
    expect(html).toContain("{{&lt; event &gt;}}");
    expect(html).toContain("<code>{{% x %}}</code>");
  });
});

describe("Hugo heading ids", () => {
  it("anchorizes the heading's source, keeps explicit ids and numbers repeats from 1", async () => {
    const { createMarkdown } = await import("../src/render/markdown.js");
    const { hugoHeadingsPlugin } = await import("../src/pages/hugo/headings.js");
    const md = createMarkdown({ allowHtml: false }).use(hugoHeadingsPlugin);
    const page = source("content/p.md", "");
    const env = {
      page: "p/index.html",
      where: pageLocator(page),
      site: new SiteIndex(),
      blocks: new BlockRegistry([]),
      diagnostics: [],
      ids: new Set<string>(["mroomname"]),
      marks: { links: [], anchors: [] },
    };
    const text =
      "## `m.room.member`\n\n## Examples\n\n## Examples\n\n### Extensions to /sync {#e2e-extensions-to-sync}\n\n## m.room.name\n";
    const ids = md
      .parse(text, env)
      .filter((t) => t.type === "heading_open")
      .map((t) => t.attrGet("id"));
    expect(ids).toEqual(["mroommember", "examples", "examples-1", "e2e-extensions-to-sync", "mroomname-1"]);
    expect(md.render(text, { ...env, ids: new Set<string>() })).toContain(">Extensions to /sync <a");
  });
});

describe("Hugo content pages", () => {
  it("publishes pages where Hugo does", async () => {
    const { contentPages } = await import("../src/layouts/hugo/content.js");
    const files = [
      { rel: "_index.md", data: { title: "Home" } },
      { rel: "client-server-api/_index.md", data: { title: "Client-Server API", weight: 10 } },
      { rel: "client-server-api/modules/index.md", data: { headless: true } },
      { rel: "client-server-api/modules/tags.md", data: {} },
      { rel: "changelog/index.md", data: { title: "Changelog", weight: 1000 } },
      { rel: "changelog/v1.9.md", data: { date: "2023-11-29" } },
      { rel: "rooms/v1.md", data: { title: "Room Version 1", weight: 10 } },
      { rel: "Draft.md", data: { draft: true } },
      { rel: "Moved.md", data: { url: "/elsewhere/" } },
    ];
    const pages = contentPages(files, { uglyUrls: false });
    expect(pages.map((p) => [p.rel, p.out, p.order])).toEqual([
      ["_index.md", "index.html", 1_000_000],
      ["client-server-api/_index.md", "client-server-api/index.html", 10],
      ["changelog/index.md", "changelog/index.html", 1000],
      ["rooms/v1.md", "rooms/v1/index.html", 10],
      ["Moved.md", "elsewhere/index.html", 1_000_000],
    ]);
    expect(contentPages(files, { uglyUrls: true }).find((p) => p.rel === "rooms/v1.md")?.out).toBe("rooms/v1.html");
  });
});

describe("Hugo config", () => {
  it("reads config.toml, or config/_default/*.toml with a file per table", async () => {
    const { makeRoot } = await import("./helpers.js");
    const { readHugoConfig, hugoSettings } = await import("../src/layouts/hugo/config.js");
    const one = makeRoot({
      "config.toml": 'title = "Spec"\n[markup.goldmark.renderer]\nunsafe = true\n[params.version]\nmajor = "1"\nminor = "9"\n',
    });
    expect(hugoSettings(readHugoConfig(one).values)).toMatchObject({
      title: "Spec",
      rawHtml: true,
      uglyUrls: false,
      version: { major: "1", minor: "9" },
    });
    const split = makeRoot({
      "config/_default/hugo.toml": 'title = "Split"\nuglyURLs = true\n',
      "config/_default/params.toml": '[version]\nmajor = "1"\nminor = "12"\n',
      "config/_default/markup.toml":
        "[goldmark.extensions.passthrough]\nenable = true\n[goldmark.extensions.passthrough.delimiters]\nblock = [['\\[', '\\]'], ['$$', '$$']]\ninline = [['\\(', '\\)']]\n",
    });
    const config = readHugoConfig(split);
    expect(config.files).toEqual(["config/_default/hugo.toml", "config/_default/markup.toml", "config/_default/params.toml"]);
    expect(hugoSettings(config.values)).toMatchObject({
      title: "Split",
      uglyUrls: true,
      version: { minor: "12" },
      maths: {
        block: [
          ["\\[", "\\]"],
          ["$$", "$$"],
        ],
        inline: [["\\(", "\\)"]],
      },
    });
    const bad = makeRoot({ "config.toml": "title = \n" });
    expect(readHugoConfig(bad).diagnostics[0]).toMatchObject({ code: "config-invalid", file: "config.toml", line: 1 });
  });
});

describe("maths", () => {
  it("renders the passthrough delimiters' formulas as MathML at build time and reports bad ones", async () => {
    const { mathsPlugin } = await import("../src/pages/hugo/maths.js");
    const md = new MarkdownIt().use(mathsPlugin, { block: [["\\[", "\\]"]], inline: [["\\(", "\\)"]] });
    const page = source("content/m.md", "");
    const diagnostics: Diagnostic[] = [];
    const env = { page: "m/index.html", where: pageLocator({ ...page, text: TEXT }), diagnostics };
    const html = md.render(TEXT, env);
    expect(html).toContain('<p>Let <span class="katex"><math');
    expect(html).toMatch(/<div class="math"><span class="katex"><math [^>]*display="block"><semantics><mrow><mfrac>/);
    expect(html).toContain('<code class="math-error">\\(\\frac{\\)</code>');
    expect(html).toContain("<p>A list [M0, S1] stays.</p>");
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["maths-invalid", 7, 5]]);
    // The raw-HTML sanitizer leaves KaTeX's MathML alone.
    const { rawHtmlPlugin } = await import("../src/pages/hugo/raw-html.js");
    const both = new MarkdownIt({ html: true }).use(mathsPlugin, { block: [], inline: [["\\(", "\\)"]] }).use(rawHtmlPlugin);
    expect(both.render("\\(x^2\\) <b onclick=x>b</b>", { where: () => ({}), diagnostics: [] })).toMatch(/<math .*<msup>.*<b>b<\/b>/);
    // Without the passthrough extension, \[ is Markdown's escaped bracket.
    expect(new MarkdownIt().use(mathsPlugin, { block: [], inline: [] }).render("\\[M0\\]")).toBe("<p>[M0]</p>\n");
  });
});
const TEXT = "Let \\(x^2\\) be.\n\n\\[\n\\frac{a}{b}\n\\]\n\nBad \\(\\frac{\\) here.\n\nA list [M0, S1] stays.\n";

describe("raw HTML", () => {
  it("keeps a page's HTML, minus scripts, handlers and javascript: URLs, and says what it dropped", async () => {
    const { rawHtmlPlugin } = await import("../src/pages/hugo/raw-html.js");
    const md = new MarkdownIt({ html: true }).use(rawHtmlPlugin, (url: string) => (url.startsWith("/") ? `../${url.slice(1)}` : url));
    const text = [
      '<table class="release-info">',
      '<tr><th>Git</th><td><a href="https://example.org/x" onclick="steal()">x</a></td>',
      "</table>",
      "",
      "<details>",
      "",
      "Some *Markdown*.",
      "",
      "</details>",
      "",
      '<script>alert("x")</script>',
      "",
      'A <a href="javascript:alert(1)">link</a>, <a href="/client-server-api/#sync">sync</a> <img src=x onerror=alert(1)>.',
      "",
    ].join("\n");
    const diagnostics: Diagnostic[] = [];
    const html = md.render(text, { where: pageLocator(source("content/h.md", text)), diagnostics });
    expect(html).toContain('<table class="release-info">\n<tr><th>Git</th><td><a href="https://example.org/x">x</a></td>\n</table>');
    expect(html).toContain("<details>\n<p>Some <em>Markdown</em>.</p>\n</details>");
    expect(html).not.toMatch(/script|alert|onclick|onerror|javascript/);
    expect(html).toContain('A <a>link</a>, <a href="../client-server-api/#sync">sync</a> <img src="x" />.');
    expect(diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [2, 21, "raw HTML: onclick removed from <a>"],
      [11, 1, "raw HTML: <script> removed"],
      [13, 3, "raw HTML: href removed from <a>"],
      [13, 87, "raw HTML: onerror removed from <img>"],
    ]);
  });
});

describe("hostile page text", () => {
  it("never throws and locates every problem, whatever the shortcodes, front matter and maths look like", async () => {
    const fc = (await import("fast-check")).default;
    const { mathsPlugin } = await import("../src/pages/hugo/maths.js");
    const { rawHtmlPlugin } = await import("../src/pages/hugo/raw-html.js");
    const pieces = fc.constantFrom(
      "{{% ",
      "{{< ",
      " %}}",
      " >}}",
      "{{% /boxes/note %}}",
      "{{% boxes/note %}}",
      '{{< added-in v="1" >}}',
      "{{% fragment %}}",
      '{{% event event="x" %}}',
      "{{</* x */>}}",
      'a="',
      "`",
      "\\(",
      "\\)",
      "\\[",
      "\\]",
      "<script>",
      "<a onclick=x>",
      "---",
      "+++",
      "\n",
      "\n\n",
      "# h {#id}",
      "text",
      "  ",
      "- ",
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        const md = new MarkdownIt({ html: true })
          .use(hugoShortcodesPlugin)
          .use(mathsPlugin, { block: [["\\[", "\\]"]], inline: [["\\(", "\\)"]] })
          .use(rawHtmlPlugin);
        readFrontMatter(text, "content/f.md");
        const { html, diagnostics } = render(text, md);
        expect(html).not.toMatch(/<script|<[^>]*\son\w+=/);
        for (const d of diagnostics) expect(d.line, d.message).toBeGreaterThan(0);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
