/**
 * The HTML of each block a page shows, kept across rebuilds: a rebuild after an
 * edit to one event re-renders its page, but only that event's block. A block
 * is kept while its key (BlockOutline.key: it changes whenever the block's HTML
 * would) and those of the blocks rendered inside it (a description may hold a
 * block line) are the same, and so is all else it reads of the page: the site
 * index (references), the ids taken before it (its headings' ids avoid them) and
 * the page's text and line (places). What it wrote into the page's env (its
 * diagnostics, links, anchors and ids) is recorded and written again.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { AnchorSite, LinkSite, RenderEnv } from "./env.js";
import type { SiteIndex } from "./site-index.js";

interface KeptBlock {
  name: string;
  key: string;
  site: SiteIndex;
  idsBefore: string;
  /** Blocks rendered inside it, with their keys. */
  nested: [name: string, key: string | undefined][];
  html: string;
  diagnostics: Diagnostic[];
  links: LinkSite[];
  anchors: AnchorSite[];
  ids: string[];
}

/** One page's blocks, by line: a page's text (one Source) puts the same block on the same line. */
export class BlockCache {
  private readonly kept = new Map<number, KeptBlock>();
  private recording?: [string, string | undefined][];

  /** The HTML of the top-level block `name` on `line`, kept or made by `render`. */
  render(name: string, line: number, env: RenderEnv, render: () => string | undefined): string | undefined {
    const key = env.blocks.outline(name)?.key;
    if (key === undefined) return render();
    const idsBefore = [...env.ids].join("\n");
    const known = this.kept.get(line);
    if (
      known?.name === name &&
      known.key === key &&
      known.site === env.site &&
      known.idsBefore === idsBefore &&
      known.nested.every(([n, k]) => env.blocks.outline(n)?.key === k)
    ) {
      env.diagnostics.push(...known.diagnostics);
      env.marks.links.push(...known.links);
      env.marks.anchors.push(...known.anchors);
      for (const id of known.ids) env.ids.add(id);
      return known.html;
    }
    const [diagnostics, links, anchors, ids] = [env.diagnostics.length, env.marks.links.length, env.marks.anchors.length, env.ids.size];
    const nested: [string, string | undefined][] = [];
    this.recording = nested;
    let html: string | undefined;
    try {
      html = render();
    } finally {
      this.recording = undefined;
    }
    // A block line naming no block reports the names close to it: that depends on every block, so is not kept.
    if (html !== undefined && nested.every(([, k]) => k !== undefined)) {
      this.kept.set(line, {
        name,
        key,
        site: env.site,
        idsBefore,
        nested,
        html,
        diagnostics: env.diagnostics.slice(diagnostics),
        links: env.marks.links.slice(links),
        anchors: env.marks.anchors.slice(anchors),
        ids: [...env.ids].slice(ids),
      });
    }
    return html;
  }

  /** Notes a block rendered inside the one being rendered. */
  nested(name: string, env: RenderEnv): void {
    this.recording?.push([name, env.blocks.outline(name)?.key]);
  }
}
