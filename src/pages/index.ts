/**
 * Page readers: the text of a page's files to markdown-it tokens, whatever
 * their format, so that headings, blocks, references and links render the
 * same for every layout.
 */
import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import type { PageFormat, PageSource } from "../layouts/layout.js";
import type { Source } from "../load/source.js";
import { type Locator, pageLocator, type RenderEnv } from "../render/env.js";
import { frontMatterBody } from "./front-matter.js";
import { readRst } from "./rst/index.js";
import type { ParseOptions, RstPart } from "./rst/parse.js";

/** Tokens of one file's text; `env.where` locates its lines. */
export type PageReader = (md: MarkdownIt, text: string, env: RenderEnv) => Token[];

const READERS: Record<PageFormat, PageReader> = {
  // Front matter is read by the layout; its lines stay, empty, so lines keep their numbers.
  markdown: (md, text, env) => md.parse(frontMatterBody(text), env),
  rst: (md, text, env) => readRst(md, text, env),
};

/**
 * The tokens of a page: each file read on its own, its headings pushed down
 * by its part's shift, its lines numbered after the files before it (which
 * `partsLocator` maps back).
 */
export function readPage(md: MarkdownIt, page: PageSource, env: RenderEnv): Token[] {
  // An RST document is read whole: its targets and substitutions reach across its files, its titles take levels from its styles.
  if (page.format === "rst") return readRst(md, rstParts(page), env, rstOptions(page));
  const read = READERS[page.format];
  if (page.parts.length === 1 && page.parts[0].shift === 0) return read(md, page.parts[0].source.text, env);
  const tokens: Token[] = [];
  let first = 0;
  for (const { source, shift } of page.parts) {
    const own = read(md, source.text, { ...env, where: pageLocator(source) });
    for (const token of own) {
      if (token.map) token.map = [token.map[0] + first, token.map[1] + first];
      if (shift > 0 && (token.type === "heading_open" || token.type === "heading_close")) {
        token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + shift)}`;
      }
      tokens.push(token);
    }
    first += lineCount(source);
  }
  return tokens;
}

/** Lines of a page's text, through the files it is made of. */
export function partsLocator(page: PageSource): Locator {
  if (page.parts.length === 1) return pageLocator(page.parts[0].source);
  const parts: { first: number; where: Locator }[] = [];
  let first = 0;
  for (const { source } of page.parts) {
    parts.push({ first, where: pageLocator(source) });
    first += lineCount(source);
  }
  return (line, hint) => {
    let i = parts.length - 1;
    while (i > 0 && parts[i].first > line) i--;
    const { first: start, where } = parts[i];
    return where(line - start, hint && { ...hint, endLine: hint.endLine === undefined ? undefined : hint.endLine - start });
  };
}

function rstParts(page: PageSource): RstPart[] {
  const parts: RstPart[] = [];
  let first = 0;
  for (const { source, shift } of page.parts) {
    parts.push({ text: source.text, shift, firstLine: first });
    first += lineCount(source);
  }
  return parts;
}

function rstOptions(page: PageSource): ParseOptions {
  const styles = page.headingStyles;
  return styles ? { titleStyles: styles.levels, relativeStyles: styles.relative } : {};
}

function lineCount(source: Source): number {
  let n = 1;
  for (let i = source.text.indexOf("\n"); i >= 0; i = source.text.indexOf("\n", i + 1)) n++;
  return n;
}
