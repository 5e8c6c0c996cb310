/**
 * Template blocks by name. Each kind of block (events, groups of events, common
 * fields; later HTTP APIs) is one file that supplies a BlockKind.
 */
import type { RenderEnv } from "../env.js";

export interface BlockKind {
  /** Every block name this kind renders. */
  names(): Iterable<string>;
  /** The per-use options its blocks take (`title`, `example`); none when absent. */
  options?: readonly string[];
  /** What the block will put on its page, known before any page renders; undefined when the name is not this kind's. */
  outline(name: string, options?: BlockOptions): BlockOutline | undefined;
  /**
   * The block's HTML, or undefined when the name is not this kind's. `env.where`
   * locates the block's own line, for diagnostics about the block itself.
   */
  render(name: string, env: RenderEnv, options?: BlockOptions): string | undefined;
}

/** A block's per-use options, as its page wrote them (`{{name title="…"}}`). */
export type BlockOptions = Readonly<Record<string, string>>;

/** A heading a block renders; h2 and h3 go into the page's contents. */
export interface OutlineHeading {
  level: number;
  title: string;
  id: string;
  /** What search calls it: `event`, or `section` when absent. */
  kind?: string;
}

/**
 * What search finds inside a block besides its headings: the fields of one
 * table, each by its key. A table's rows themselves, not an entry made for
 * each: an outline is kept as long as its block, and a large spec has
 * hundreds of thousands of fields.
 */
export interface OutlineTerm {
  fields: readonly { key: string }[];
  /** Where they are found. */
  id: string;
  /** Where they are, e.g. `m.room_key.withheld › Content`. */
  context: string;
}

/**
 * A block's place in the site, for the two-pass render: the contents and the
 * search index list its headings and terms, `` `Title`_ `` references may name
 * its titles, and its ids are taken before the page's own headings get theirs.
 */
export interface BlockOutline {
  /** Changes whenever the block's HTML would: a cache key for the pages that show it. */
  key: string;
  headings: OutlineHeading[];
  titles: { title: string; id: string }[];
  ids: string[];
  terms: OutlineTerm[];
}

export class BlockRegistry {
  private readonly outlines = new Map<string, BlockOutline | undefined>();

  constructor(private readonly kinds: readonly BlockKind[]) {}

  /** `call`: a block name, or a call with options as `blockCall` writes it (plugins/blocks.ts). */
  render(call: string, env: RenderEnv): string | undefined {
    const { name, options } = parseCall(call);
    for (const kind of this.kinds) {
      const html = kind.render(name, env, options);
      if (html !== undefined) return html;
    }
    return undefined;
  }

  outline(call: string): BlockOutline | undefined {
    if (this.outlines.has(call)) return this.outlines.get(call);
    const { name, options } = parseCall(call);
    let outline: BlockOutline | undefined;
    for (const kind of this.kinds) {
      outline = kind.outline(name, options);
      if (outline) break;
    }
    this.outlines.set(call, outline);
    return outline;
  }

  /** The options of `keys` that the kind of block `name` does not take. */
  unknownOptions(name: string, keys: readonly string[]): string[] {
    if (keys.length === 0) return [];
    const kind = this.kinds.find((k) => k.outline(name) !== undefined);
    return keys.filter((k) => !kind?.options?.includes(k));
  }

  /** The known block name closest to `name`, if it is close enough to be a typo. */
  suggest(name: string): string | undefined {
    let best: string | undefined;
    let bestDistance = Math.max(3, Math.floor(name.length / 4)) + 1;
    for (const kind of this.kinds) {
      for (const candidate of kind.names()) {
        const d = editDistance(name, candidate, bestDistance);
        if (d < bestDistance) {
          best = candidate;
          bestDistance = d;
        }
      }
    }
    return best;
  }
}

/** Each item by its block name; the first item wins a name two items share. */
export function byBlockName<T>(items: Iterable<T>, nameOf: (item: T) => string): Map<string, T> {
  const byName = new Map<string, T>();
  for (const item of items) {
    const name = nameOf(item);
    if (!byName.has(name)) byName.set(name, item);
  }
  return byName;
}

/** Levenshtein distance, giving up once it reaches `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      rowMin = Math.min(rowMin, row[j]);
    }
    if (rowMin >= limit) return limit;
    prev = row;
  }
  return prev[b.length];
}

/** `name key="value" …` (callKey's form) → the name and options. */
function parseCall(call: string): { name: string; options?: BlockOptions } {
  const space = call.indexOf(" ");
  if (space < 0) return { name: call };
  const options: Record<string, string> = {};
  for (const m of call.slice(space + 1).matchAll(/([\w-]+)=("(?:[^"\\]|\\.)*")/g)) options[m[1]] = JSON.parse(m[2]) as string;
  return { name: call.slice(0, space), options };
}
