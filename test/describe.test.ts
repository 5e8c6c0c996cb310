/**
 * Descriptions render once per text when their HTML depends on the text alone,
 * and again on every page when it does not (references, links, headings).
 */
import { describe, expect, it, vi } from "vitest";
import { renderDescription } from "../src/render/describe.js";
import type { RenderEnv } from "../src/render/env.js";
import { createMarkdown } from "../src/render/markdown.js";
import { SiteIndex } from "../src/render/site-index.js";
import { FULL_NAV_PAGES, NEIGHBOURS, pageNav } from "../src/site/nav.js";
import { checkRoot, makeRoot } from "./helpers.js";

function env(page: string, site: SiteIndex): RenderEnv {
  return {
    page,
    where: () => ({}),
    site,
    blocks: undefined as unknown as RenderEnv["blocks"],
    diagnostics: [],
    ids: new Set(),
    marks: { links: [], anchors: [] },
  };
}

describe("descriptions", () => {
  it("renders a text that reads nothing of its page once, and one with a reference on every page", () => {
    const md = createMarkdown({ allowHtml: false });
    const render = vi.spyOn(md, "render");
    const site = new SiteIndex();
    site.add("Far section", { page: "other/far.html", id: "far-section" });
    const where = () => ({});

    const plain = "The *body* of the event.";
    expect(renderDescription(md, plain, env("index.html", site), where)).toBe("<p>The <em>body</em> of the event.</p>\n");
    expect(renderDescription(md, plain, env("a/b.html", site), where)).toBe("<p>The <em>body</em> of the event.</p>\n");
    expect(render).toHaveBeenCalledTimes(1);

    const linked = "See `Far section`_.";
    expect(renderDescription(md, linked, env("index.html", site), where)).toContain('href="other/far.html#far-section"');
    expect(renderDescription(md, linked, env("other/near.html", site), where)).toContain('href="far.html#far-section"');

    // A heading takes an id of the page (and a link is a mark of it): rendered each time, so both pages get them.
    const headed = "## Notes\n\nSee [the spec](https://example.org/).";
    const first = env("index.html", site);
    const second = env("a/b.html", site);
    renderDescription(md, headed, first, where);
    renderDescription(md, headed, second, where);
    for (const e of [first, second]) {
      expect([...e.ids]).toEqual(["notes"]);
      expect(e.marks.links.map((l) => l.href)).toEqual(["https://example.org/"]);
    }
    expect(render).toHaveBeenCalledTimes(5);
  });

  it("gives each page of a site its own references from a shared field description", async () => {
    const schema = (type: string) =>
      [
        "allOf: [{$ref: core/base.yaml}]",
        "properties:",
        `  type: {type: string, enum: [${type}]}`,
        "  content: {type: object, properties: {a: {type: string, description: Plain words.}}}",
      ].join("\n");
    const root = makeRoot({
      "event-schemas/schema/core/base.yaml": [
        "type: object",
        "properties:",
        "  content: {type: object}",
        "  type: {type: string}",
        "  unsigned: {type: object, description: 'Shared; see `Far section`_.', properties: {age: {type: integer, description: Plain words.}}}",
      ].join("\n"),
      "event-schemas/schema/m.one": `${schema("m.one")}\n  unsigned: {$ref: core/base.yaml#/properties/unsigned}\n`,
      "event-schemas/schema/m.two": `${schema("m.two")}\n  unsigned: {$ref: core/base.yaml#/properties/unsigned}\n`,
      "specification/index.md": "# Home\n\n{{m_one_event}}\n",
      "specification/deep/two.md": "# Two\n\n{{m_two_event}}\n",
      "specification/deep/far.md": "# Far\n\n## Far section\n\nText.\n",
    });
    const { files } = await checkRoot(root);
    const home = files.get("index.html") ?? "";
    const two = files.get("deep/two.html") ?? "";
    expect(home).toContain('href="deep/far.html#far-section"');
    expect(two).toContain('href="far.html#far-section"');
    expect(home.match(/<p>Plain words.<\/p>/g)).toHaveLength(2);
    expect(two.match(/<p>Plain words.<\/p>/g)).toHaveLength(2);
  });
});

describe("navigation", () => {
  it("shares another page's entry between the pages of a folder, with hrefs relative to each", () => {
    const pages = [
      { out: "index.html", title: "Home", headings: [{ level: 2, title: "Intro", id: "intro" }] },
      { out: "a/one.html", title: "One", headings: [{ level: 3, title: "Lone", id: "lone" }] },
      { out: "a/two.html", title: "Two", headings: [] },
    ];
    const fromOne = pageNav(pages, "a/one.html");
    const fromTwo = pageNav(pages, "a/two.html");
    const fromHome = pageNav(pages, "index.html");
    expect(fromOne.nav[0]).toBe(fromTwo.nav[0]);
    expect(fromOne.nav[0]).toEqual({
      title: "Home",
      href: "../index.html",
      current: false,
      sections: [{ title: "Intro", href: "../index.html#intro", sections: [] }],
    });
    // An h3 before any h2 (an event on a page without sections) is in its own page's contents only.
    expect(fromHome.nav[1]).toEqual({ title: "One", href: "a/one.html", current: false, sections: [] });
    expect(fromTwo.nav[1].href).toBe("one.html");
    expect(fromOne.nav[1]).toMatchObject({ current: true, href: "one.html", sections: [{ title: "Lone", href: "#lone" }] });
    expect(fromOne.toc).toBe(fromOne.nav[1].sections);
  });

  it("lists every page on the home page of a large site, and elsewhere the home page, the page's neighbours and the gaps", () => {
    const count = FULL_NAV_PAGES + 50;
    const pages = Array.from({ length: count }, (_, i) =>
      i === 0
        ? { out: "index.html", title: "Home", headings: [] }
        : { out: `m/p${i}.html`, title: `P${i}`, headings: [{ level: 2, title: "S", id: "s" }] },
    );
    const titles = (current: string) => pageNav(pages, current).nav.map((p) => p.title);
    expect(titles("index.html")).toHaveLength(count);
    const middle = 75;
    const window = Array.from({ length: 2 * NEIGHBOURS + 1 }, (_, i) => `P${middle - NEIGHBOURS + i}`);
    expect(titles(`m/p${middle}.html`)).toEqual([
      "Home",
      `${middle - NEIGHBOURS - 1} earlier pages`,
      ...window,
      `${count - middle - NEIGHBOURS - 1} later pages`,
    ]);
    // At the ends, one gap only; one page left out is "1 … page".
    expect(titles("m/p1.html").at(1)).toBe("P1");
    expect(titles("m/p1.html").at(-1)).toBe(`${count - NEIGHBOURS - 2} later pages`);
    expect(titles(`m/p${NEIGHBOURS + 2}.html`).at(1)).toBe("1 earlier page");
    expect(titles(`m/p${count - 1}.html`).at(-1)).toBe(`P${count - 1}`);
    const nav = pageNav(pages, `m/p${middle}.html`);
    // The gaps lead to the home page's sidebar; the page's own entry is its contents.
    expect(nav.nav[1]).toEqual({
      title: `${middle - NEIGHBOURS - 1} earlier pages`,
      href: "../index.html#site-nav",
      current: false,
      sections: [],
      more: true,
    });
    expect(nav.toc).toEqual([{ title: "S", href: "#s", sections: [] }]);
    expect(nav.pager).toEqual({
      prev: { title: `P${middle - 1}`, href: `p${middle - 1}.html` },
      next: { title: `P${middle + 1}`, href: `p${middle + 1}.html` },
    });
    // Up to the limit, every page lists every page.
    expect(pageNav(pages.slice(0, FULL_NAV_PAGES), "m/p50.html").nav).toHaveLength(FULL_NAV_PAGES);
  });
});
