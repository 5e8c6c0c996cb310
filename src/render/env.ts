/** What markdown-it rules and block renderers share while one page renders. */

import type Token from "markdown-it/lib/token.mjs";
import type { FormatTitle } from "../config.js";
import type { Diagnostic } from "../diagnostics.js";
import { escapePointer, lineOffset, type Origin, offsetToPosition, type Source, valueRange } from "../load/source.js";
import type { RstDocument } from "../pages/rst/nodes.js";
import type { BlockCache } from "./block-cache.js";
import type { BlockRegistry } from "./blocks/registry.js";
import type { SiteIndex } from "./site-index.js";

export type Place = Pick<Diagnostic, "file" | "line" | "column">;

/** What is known about where a thing sits besides its first line: its text, and the last line of its block. */
export interface Hint {
  /** The text as written, or the ways it may have been written, tried in order. */
  text?: string | readonly string[];
  /** 0-based, exclusive. */
  endLine?: number;
}

/**
 * Maps a 0-based line of the text being rendered to a place in a source file.
 * markdown-it knows lines only roughly inside a paragraph (a code span or a
 * reference can hide a line break) and not at all inside a YAML scalar that was
 * folded; the hint's text is looked for from that line on, which gives the
 * exact line and column.
 */
export type Locator = (line: number, hint?: Hint) => Place;

/** Places are computed only for what is reported: locating can parse a file a second time. */
export interface LinkSite {
  href: string;
  where: () => Place;
}

export interface AnchorSite {
  id: string;
  where: () => Place;
}

/** Links and ids as written in the sources, with their places, for the site checks. */
export interface PageMarks {
  links: LinkSite[];
  anchors: AnchorSite[];
}

export interface RenderEnv {
  /** The output path of the page being rendered, e.g. `modules/e2e.html`. */
  page: string;
  where: Locator;
  site: SiteIndex;
  blocks: BlockRegistry;
  diagnostics: Diagnostic[];
  /** Ids already used on the page. */
  ids: Set<string>;
  marks: PageMarks;
  /** The page's blocks as a rebuild before rendered them, when they are kept (a preview's rebuilds). */
  blockCache?: BlockCache;
  /** What the layout's own plugins read (Layout.pageContext), e.g. Hugo's shortcodes. */
  layout?: unknown;
  /** Format names readers know by a title (Config.formatTitles). */
  formats?: Readonly<Record<string, FormatTitle>>;
  /** The page's reStructuredText document, when it is one: descriptions shown on it are read as RST in it. */
  rst?: RstDocument;
}

/**
 * A file included into pages (a Hugo `cs-module`) is parsed in place, its
 * lines numbered from a base of its own, a multiple of INCLUDED_LINES: a page's
 * locator finds them in that file. One base per file path, kept for the run.
 */
export const INCLUDED_LINES = 10_000_000;
const includedBases = new Map<string, number>();
const included: Source[] = [];

export function includedLineBase(source: Source): number {
  let index = includedBases.get(source.path);
  if (index === undefined) {
    index = included.length;
    includedBases.set(source.path, index);
    included.push(source);
  }
  included[index] = source;
  return (index + 1) * INCLUDED_LINES;
}

/** Lines of a page's own text (and of the files included into it). */
export function pageLocator(source: Source): Locator {
  return (line, hint) => {
    if (line >= INCLUDED_LINES) {
      const file = included[Math.floor(line / INCLUDED_LINES) - 1];
      if (file)
        return pageLocator(file)(line % INCLUDED_LINES, hint && { ...hint, endLine: hint.endLine && hint.endLine % INCLUDED_LINES });
    }
    const lineStart = lineOffset(source, line);
    const found = hint?.text ? search(source, hint.text, lineStart, lineOffset(source, hint.endLine ?? line + 1)) : undefined;
    return { file: source.rel, ...offsetToPosition(source, found ?? firstNonSpace(source, lineStart)) };
  };
}

/** Lines of a string value in a data file (a description), located only when needed. */
export function valueLocator(origin: Origin | undefined, key: string): Locator {
  return (line, hint) => {
    if (!origin) return {};
    const { source } = origin;
    const range = valueRange(source, `${origin.pointer}/${escapePointer(key)}`);
    if (!range) return { file: source.rel };
    const [start, end] = range;
    // A value line is never above the same line of the source (folding only joins lines).
    const guess = Math.min(Math.max(lineOffset(source, offsetToPosition(source, start).line - 1 + line), start), end);
    const found = hint?.text ? (search(source, hint.text, guess, end) ?? search(source, hint.text, start, end)) : undefined;
    return { file: source.rel, ...offsetToPosition(source, found ?? Math.max(start, firstNonSpace(source, guess))) };
  };
}

/** The first offset in [from, to) where the first line of (one of) `text` starts. */
function search(source: Source, text: string | readonly string[], from: number, to: number): number | undefined {
  for (const candidate of typeof text === "string" ? [text] : text) {
    const needle = candidate.split("\n")[0];
    if (!needle) continue;
    const at = source.text.indexOf(needle, from);
    if (at >= 0 && at < to) return at;
  }
  return undefined;
}

function firstNonSpace(source: Source, offset: number): number {
  let i = offset;
  while (source.text[i] === " " || source.text[i] === "\t") i++;
  return source.text[i] === "\n" || i >= source.text.length ? offset : i;
}

/**
 * Calls `fn` with every child of every inline token and the 0-based line it
 * starts on, as far as line breaks show (a break inside a code span does not),
 * and the end of its block.
 */
export function forEachInline(tokens: readonly Token[], fn: (child: Token, line: number, endLine: number) => void): void {
  for (const block of tokens) {
    if (block.type !== "inline" || !block.children) continue;
    let line = block.map?.[0] ?? 0;
    const endLine = block.map?.[1] ?? line + 1;
    for (const child of block.children) {
      if (child.type === "softbreak" || child.type === "hardbreak") line++;
      fn(child, line, endLine);
    }
  }
}
