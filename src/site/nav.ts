/**
 * Navigation view models: the sidebar (every page with its sections), a page's
 * contents, and the previous and next pages. Hrefs are relative to the page
 * that shows them, so the site works from any folder.
 *
 * On a site of more than FULL_NAV_PAGES pages, a page's sidebar lists the home
 * page and the NEIGHBOURS pages either side of it, each gap standing as one
 * entry that links to the home page's sidebar, which lists every page. A
 * sidebar of every page would make each page as long as the site is wide: at
 * 1,500 pages it was half of every page and made the site's size quadratic.
 */
import path from "node:path";
import type { OutlineHeading } from "../render/blocks/registry.js";
import { relativeHref } from "../render/site-index.js";

/** A page as navigation sees it: its output path, title and headings in order. */
export interface PageOutline {
  out: string;
  title: string;
  headings: readonly OutlineHeading[];
}

export interface NavSection {
  title: string;
  href: string;
  sections: NavSection[];
}

export interface NavPage {
  title: string;
  href: string;
  current: boolean;
  sections: NavSection[];
  /** An entry standing for pages the sidebar leaves out ("312 earlier pages"). */
  more?: boolean;
}

export interface NavLink {
  title: string;
  href: string;
}

export interface PageNav {
  nav: NavPage[];
  toc: NavSection[];
  /** Absent on a site of one page. */
  pager?: { prev?: NavLink; next?: NavLink };
}

/** The contents levels: h2, with its h3s nested. */
const TOP = 2;
const NESTED = 3;

/** The most pages whose every page's sidebar lists them all. */
export const FULL_NAV_PAGES = 100;
/** Above that, how many pages a sidebar lists either side of its own. */
export const NEIGHBOURS = 20;

/** `pages` in the navigation's order, the home page first. */
export function pageNav(pages: readonly PageOutline[], current: string): PageNav {
  const index = pages.findIndex((p) => p.out === current);
  const link = (p: PageOutline | undefined) => p && { title: p.title, href: relativeHref(current, p.out) };
  const entry = (p: PageOutline): NavPage =>
    p.out === current
      ? { title: p.title, href: relativeHref(current, p.out), current: true, sections: sectionTree(p, current) }
      : otherPageEntry(p, current);
  let nav: NavPage[];
  if (pages.length <= FULL_NAV_PAGES || index <= 0) nav = pages.map(entry);
  else {
    // The home page, the gap before the window, the window, the gap after it.
    const from = Math.max(1, index - NEIGHBOURS);
    const to = Math.min(pages.length, index + NEIGHBOURS + 1);
    const everyPage = relativeHref(current, pages[0].out, "site-nav");
    const gap = (count: number, which: string): NavPage[] =>
      count > 0
        ? [{ title: `${count} ${which} page${count === 1 ? "" : "s"}`, href: everyPage, current: false, sections: [], more: true }]
        : [];
    nav = [entry(pages[0]), ...gap(from - 1, "earlier"), ...pages.slice(from, to).map(entry), ...gap(pages.length - to, "later")];
  }
  const prev = link(pages[index - 1]);
  const next = link(pages[index + 1]);
  return {
    nav,
    toc: nav.find((p) => p.current)?.sections ?? [],
    pager: prev || next ? { prev, next } : undefined,
  };
}

/** Per page outline: folder of the pages showing it → its sidebar entry there. */
const otherEntries = new WeakMap<PageOutline, Map<string, NavPage>>();

/**
 * A page's entry in the sidebar of another page. Its hrefs depend only on the
 * other page's folder, so every page of a folder shares it: the sidebar lists
 * every page, and building it anew for each would cost pages × sections.
 */
function otherPageEntry(page: PageOutline, from: string): NavPage {
  const dir = path.posix.dirname(from);
  let byDir = otherEntries.get(page);
  if (!byDir) {
    byDir = new Map();
    otherEntries.set(page, byDir);
  }
  let entry = byDir.get(dir);
  if (!entry) {
    // Other pages show their h2s only: their h3s (one per event) would make every page as long as the
    // whole spec, also those before the page's first h2, which stand on their own in its own contents.
    const sections = page.headings
      .filter((h) => h.level === TOP)
      .map((h) => ({ title: h.title, href: relativeHref(from, page.out, h.id), sections: [] }));
    entry = { title: page.title, href: relativeHref(from, page.out), current: false, sections };
    byDir.set(dir, entry);
  }
  return entry;
}

/** A page's h2s, each with the h3s that follow it; an h3 before any h2 stands on its own. */
export function sectionTree(page: PageOutline, from: string): NavSection[] {
  const tree: { level: number; section: NavSection }[] = [];
  for (const heading of page.headings) {
    if (heading.level !== TOP && heading.level !== NESTED) continue;
    const section: NavSection = { title: heading.title, href: relativeHref(from, page.out, heading.id), sections: [] };
    const parent = tree.at(-1);
    if (heading.level === NESTED && parent && parent.level === TOP) parent.section.sections.push(section);
    else tree.push({ level: heading.level, section });
  }
  return tree.map((t) => t.section);
}
