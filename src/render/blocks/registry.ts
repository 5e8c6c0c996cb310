/**
 * Template blocks by name. Each kind of block (events, groups of events, common
 * fields; later HTTP APIs) is one file that supplies a BlockKind.
 */
import type { RenderEnv } from "../env.js";

/** What a block puts on its page, known before any page renders (for ids and `Title`_ references). */
export interface BlockTargets {
  /** Ids the block's HTML holds. */
  ids: string[];
  /** Titles that references may name, each with the id it leads to. */
  titles: { title: string; id: string }[];
}

export interface BlockKind {
  /** Every block name this kind renders. */
  names(): Iterable<string>;
  /** The block's targets, or undefined when the name is not this kind's. */
  targets(name: string): BlockTargets | undefined;
  /**
   * The block's HTML, or undefined when the name is not this kind's. `env.where`
   * locates the block's own line, for diagnostics about the block itself.
   */
  render(name: string, env: RenderEnv): string | undefined;
}

export class BlockRegistry {
  constructor(private readonly kinds: readonly BlockKind[]) {}

  targets(name: string): BlockTargets | undefined {
    for (const kind of this.kinds) {
      const targets = kind.targets(name);
      if (targets) return targets;
    }
    return undefined;
  }

  render(name: string, env: RenderEnv): string | undefined {
    for (const kind of this.kinds) {
      const html = kind.render(name, env);
      if (html !== undefined) return html;
    }
    return undefined;
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
