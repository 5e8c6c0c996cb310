/** Blocks kept across rebuilds (src/render/block-cache.ts): kept while what they read is the same, with what they wrote. */
import { describe, expect, it } from "vitest";
import { BlockCache } from "../src/render/block-cache.js";
import type { BlockKind } from "../src/render/blocks/registry.js";
import { BlockRegistry } from "../src/render/blocks/registry.js";
import { renderDescription } from "../src/render/describe.js";
import type { RenderEnv } from "../src/render/env.js";
import { createMarkdown } from "../src/render/markdown.js";
import { SiteIndex } from "../src/render/site-index.js";

const md = createMarkdown({ allowHtml: false });
const PAGE = "# Page\n\n{{outer}}\n\n{{inner}}\n";
/** `outer` shows a description with a heading, a reference, a broken reference, a link and the `inner` block. */
const DESCRIPTION = "### Notes\n\nSee `Target`_, `Nowhere`_ and [there](other.html#x).\n\n{{inner}}\n";

function blocks(innerKey: string, renders: string[]): BlockRegistry {
  const kind: BlockKind = {
    names: () => ["outer", "inner"],
    outline: (name) => {
      if (name !== "outer" && name !== "inner") return undefined;
      return { key: name === "outer" ? "o1" : innerKey, headings: [], titles: [], ids: [], terms: [] };
    },
    render(name, env) {
      if (name !== "outer" && name !== "inner") return undefined;
      renders.push(name);
      return name === "inner" ? `<p>inner ${innerKey}</p>\n` : renderDescription(md, DESCRIPTION, env, () => ({ file: "schema" }));
    },
  };
  return new BlockRegistry([kind]);
}

function render(cache: BlockCache, site: SiteIndex, innerKey: string, ids: string[] = []) {
  const renders: string[] = [];
  const env: RenderEnv = {
    page: "page.html",
    where: (line) => ({ file: "page.md", line: line + 1 }),
    site,
    blocks: blocks(innerKey, renders),
    diagnostics: [],
    ids: new Set(ids),
    marks: { links: [], anchors: [] },
    blockCache: cache,
  };
  const tokens = md.parse(PAGE, env);
  cache.begin(env.ids);
  const html = md.renderer.render(tokens, md.options, env);
  return {
    html,
    renders,
    diagnostics: env.diagnostics.map((d) => `${d.code} ${d.file}`),
    links: env.marks.links.map((l) => l.href),
    anchors: env.marks.anchors.map((a) => a.id),
    ids: [...env.ids],
  };
}

describe("kept blocks", () => {
  const site = new SiteIndex();
  site.add("Target", { page: "target.html", id: "t" });

  it("renders a block again only when its key, a nested block's key, the site or the ids before it changed", () => {
    const cache = new BlockCache();
    const first = render(cache, site, "i1");
    expect(first.renders).toEqual(["outer", "inner", "inner"]);
    expect(first.html).toContain('<h3 id="notes"');
    expect(first.html).toContain('href="target.html#t"');
    expect(first.diagnostics).toEqual(["reference-unresolved schema"]);
    expect(first.links).toEqual(["other.html#x"]);

    // The same inputs: nothing renders, and the page's env gets all the blocks wrote.
    const again = render(cache, site, "i1");
    expect(again.renders).toEqual([]);
    expect(again).toEqual({ ...first, renders: [] });

    // The block inside `outer` changed: both render again.
    const nested = render(cache, site, "i2");
    expect(nested.renders).toEqual(["outer", "inner", "inner"]);
    expect(nested.html).toContain("inner i2");

    // An id the heading would take is taken: `outer` renders again (and so `inner` after it: the ids before it differ).
    const taken = render(cache, site, "i2", ["notes"]);
    expect(taken.renders).toEqual(["outer", "inner", "inner"]);
    expect(taken.html).toContain('<h3 id="notes-2"');

    // Another site index (a heading changed somewhere): every block renders again.
    const other = new SiteIndex();
    expect(render(cache, other, "i2", ["notes"]).renders).toEqual(["outer", "inner", "inner"]);
  });
});
