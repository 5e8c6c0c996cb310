/**
 * The seam between a kind of repository and the rest of specgen. A layout is a
 * reader: it says which files of a root are pages and how they make the
 * site's pages (their output paths, order and titles), which settings the
 * layout implies, and how headings get their ids. Nothing downstream asks
 * which layout a page came from.
 */
import type MarkdownIt from "markdown-it";
import type { Config } from "../config.js";
import type { Diagnostic } from "../diagnostics.js";
import type { Source } from "../load/source.js";
import type { BlockKind } from "../render/blocks/registry.js";

/** Which reader turns a page's text into markdown-it tokens (src/pages/); Markdown may open with front matter. */
export type PageFormat = "markdown" | "rst";

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
  /**
   * For formats whose titles are marked by adornment (RST): the characters by
   * level, and those that mean "one level down / the same / one up" from the
   * title before (targets.yaml's `title_styles`, `relative_title_styles`).
   * Without them, styles take levels by order of first use.
   */
  headingStyles?: { levels: readonly string[]; relative?: { subtitle?: string; sametitle?: string; supertitle?: string } };
  /** Files the page's text pulls in where it names them (Hugo's `cs-module`): a change to one parses the page again. */
  includes?: readonly Source[];
}

/** What a layout's page plugins may need of the site being rendered. */
export interface LayoutSite {
  config: Config;
  pages: readonly PageSource[];
  /** Every loaded page file (those that are no page too: fragments, bundle resources). */
  pageFiles: readonly Source[];
  events: readonly { name: string; blockName: string; source?: Source }[];
  apis: readonly { source: Source; blockName: string }[];
  definitions: readonly { source: Source; blockName: string }[];
  components: readonly { name: string }[];
}

export interface Layout {
  readonly name: string;
  /** True when `root` (absolute, a folder) is a repository of this layout. */
  detect(root: string): boolean;
  /** What this layout implies, as specgen.config.yaml would write it; the config file's own settings win. */
  settings(root: string): Record<string, unknown>;
  /** True for the files of the pages folder that are page sources. */
  isPageFile(file: string): boolean;
  /**
   * Data files (absolute paths that exist) the pages name as definitions
   * outside the listed folders: loaded as schemas, so that a definition may
   * show any schema file of the data root (Hugo's `definition` reads all of `data/`).
   */
  namedData?(config: Config, pages: readonly Source[]): string[];
  /** The site's pages, made of the loaded page files (in path order). */
  pages(config: Config, files: readonly Source[], diagnostics: Diagnostic[]): PageSource[];
  /** A heading's id before it is made unique on its page, from its text. */
  anchor(text: string): string;
  /** Block kinds only this layout's pages use (the 2020 changelogs, warnings, tables); problems go to `diagnostics`. */
  blocks?(config: Config, md: MarkdownIt, diagnostics: Diagnostic[]): BlockKind[];
  /** Ids of what blocks show that this layout names otherwise than `anchor` of their heading. */
  blockIds?: {
    /** An event's, by its schema's name (`m.room.message$m.text`), where `anchor` of the name is not it. */
    event?(name: string, config: Config): string;
    /** An event's heading, where the layout shows it otherwise than specgen (`m.text` for a message type). */
    eventHeading?(name: string, config: Config): string | undefined;
    /** An endpoint's (`GET`, `/_matrix/client/v3/sync`), before it is made unique across the site. */
    endpoint(method: string, fullPath: string): string;
    /** A definition's, from its schema's title (or its block name when it has none). */
    definition(title: string): string;
  };
  /**
   * Where a site-absolute link of the sources (`/client-server-api/#sync`) points:
   * an output path and fragment (`client-server-api/index.html#sync`), which is written
   * relative to the page. Without it such links stay as written.
   */
  siteLink?(href: string): string | undefined;
  /** The layout's markdown-it plugins (its block-call spellings, heading rules, maths, raw HTML). */
  markdown?(md: MarkdownIt, config: Config): void;
  /** What the layout's plugins read while a page renders, made once per render of the site (on `env.layout`). */
  pageContext?(site: LayoutSite): unknown;
  /** The layout's own configuration files (relative to the root): the preview starts afresh when one changes. */
  configFiles?(root: string): string[];
  /** Files copied into the output as they are (images, diagrams, fonts): output path → absolute path. */
  staticFiles?(config: Config): Map<string, string>;
}

/** The id rule for an event of this layout: its own, else `anchor` of the event's name. */
export function eventAnchorRule(config: Config): (name: string) => string {
  const { layout } = config;
  return (name) => layout.blockIds?.event?.(name, config) ?? layout.anchor(name);
}

/** The layout's heading for an event, when it has its own rule. */
export function eventHeadingRule(config: Config): (name: string) => string | undefined {
  const { layout } = config;
  return (name) => layout.blockIds?.eventHeading?.(name, config);
}
