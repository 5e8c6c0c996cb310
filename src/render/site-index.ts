/**
 * Every heading and event of the site, by title, so that `` `Title`_ ``
 * references resolve across pages. Built before any page renders.
 */
import path from "node:path";

export interface Anchor {
  /** Output path of the page. */
  page: string;
  id: string;
}

export class SiteIndex {
  private readonly byTitle = new Map<string, Anchor>();

  /** Registers a title; the first page to claim a title keeps it. */
  add(title: string, anchor: Anchor): void {
    const key = normalizeTitle(title);
    if (!this.byTitle.has(key)) this.byTitle.set(key, anchor);
  }

  find(title: string): Anchor | undefined {
    return this.byTitle.get(normalizeTitle(title));
  }

  /** The href from page `from` to an anchor. */
  static href(from: string, to: Anchor): string {
    return relativeHref(from, to.page, to.id);
  }
}

/** The relative href from page `from` to page `to`, or to an id on it (just `#id` on the same page). */
export function relativeHref(from: string, to: string, id?: string): string {
  const fragment = fragmentHref(id);
  if (from === to && id) return fragment;
  return pathHref(path.posix.relative(path.posix.dirname(from), to)) + fragment;
}

/** `#id`, encoded; empty without an id. */
export function fragmentHref(id?: string): string {
  return id ? `#${encodeURIComponent(id)}` : "";
}

/**
 * A relative path as an href: each name percent-encoded, so that a page file
 * called `javascript:alert(1).md` (or holding `#`, `?`, spaces) links to itself
 * instead of running or breaking.
 */
export function pathHref(rel: string): string {
  return rel
    .split("/")
    .map((name) => (name === "." || name === ".." ? name : encodeURIComponent(name)))
    .join("/");
}

function normalizeTitle(title: string): string {
  return title.trim().replace(/\s+/g, " ").toLowerCase();
}
