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
  /** The ids taken before it: the page's ids when it began (by version), then those taken on the page since, in order. */
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
  /** The ids the page began its last render with, and a number that changes with them. */
  private initial = { ids: "", version: 0 };
  /** Ids taken since the page began rendering, and how many of the env's ids that accounts for. */
  private taken: string[] = [];
  private counted = 0;

  /** Called as the page begins to render, with the ids it has then (its headings' and its blocks'). */
  begin(ids: ReadonlySet<string>): void {
    const snapshot = [...ids].join("\n");
    if (snapshot !== this.initial.ids) this.initial = { ids: snapshot, version: this.initial.version + 1 };
    this.taken = [];
    this.counted = ids.size;
  }

  /** The HTML of the top-level block `name` on `line`, kept or made by `render`. */
  render(name: string, line: number, env: RenderEnv, render: () => string | undefined): string | undefined {
    const key = env.blocks.outline(name)?.key;
    if (key === undefined) return render();
    const idsBefore = `${this.initial.version}\n${this.takenSince(env.ids).join("\n")}`;
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
      this.takenSince(env.ids);
      return known.html;
    }
    const [diagnostics, links, anchors] = [env.diagnostics.length, env.marks.links.length, env.marks.anchors.length];
    const ids = this.taken.length;
    const nested: [string, string | undefined][] = [];
    this.recording = nested;
    let html: string | undefined;
    try {
      html = render();
    } finally {
      this.recording = undefined;
      this.takenSince(env.ids);
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
        ids: this.taken.slice(ids),
      });
    }
    return html;
  }

  /** The ids taken since the page began, brought up to date with the env's (ids are only ever added). */
  private takenSince(ids: ReadonlySet<string>): string[] {
    if (ids.size > this.counted) {
      this.taken.push(...[...ids].slice(this.counted));
      this.counted = ids.size;
    }
    return this.taken;
  }

  /** Notes a block rendered inside the one being rendered. */
  nested(name: string, env: RenderEnv): void {
    this.recording?.push([name, env.blocks.outline(name)?.key]);
  }
}
