/**
 * The seam between a kind of repository and the rest of specgen. A layout is a
 * reader: it says which files of a root are pages and how they make the
 * site's pages (their output paths, order and titles), which settings the
 * layout implies, and how headings get their ids. Nothing downstream asks
 * which layout a page came from.
 */
import type { Config } from "../config.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Source } from "../load/source.js";

/** Which reader turns a page's text into markdown-it tokens (src/pages/). */
export type PageFormat = "markdown";

/** One file of a page, its headings pushed down `shift` levels (a 2020 target's `{1: file}`). */
export interface PagePart {
  source: Source;
  shift: number;
}

export interface PageSource {
  /** Output path, `/`-separated: `modules/e2e.html`, `client_server/unstable.html`. */
  out: string;
  /** The files whose text makes the page, in order. */
  parts: PagePart[];
  format: PageFormat;
  /** The page's title when its layout names one (front matter, a target); else its first h1. */
  title?: string;
  /** Place in the sidebar, lower first; ties go by `out`. The index page always comes first. */
  order: number;
}

export interface Layout {
  readonly name: string;
  /** True when `root` (absolute, a folder) is a repository of this layout. */
  detect(root: string): boolean;
  /** What this layout implies, as specgen.config.yaml would write it; the config file's own settings win. */
  settings(root: string): Record<string, unknown>;
  /** True for the files of the pages folder that are page sources. */
  isPageFile(file: string): boolean;
  /** The site's pages, made of the loaded page files (in path order). */
  pages(config: Config, files: readonly Source[], diagnostics: Diagnostic[]): PageSource[];
  /** A heading's id before it is made unique on its page, from its text. */
  anchor(text: string): string;
}
