/**
 * Checks the rendered site: every relative link and `#fragment` must land on a
 * file and an id that exist in it, and no page may use an id twice.
 * Site-absolute (`/…`) and external links are beyond what one build can know.
 * Links and ids written in the sources are reported at their place there;
 * those that only templates wrote, at the page.
 */
import path from "node:path";
import { type Diagnostic, warning } from "../diagnostics.js";
import type { Source } from "../load/source.js";
import type { PageMarks, Place } from "../render/env.js";

const ID = /\sid="([^"]*)"/g;
/** `<a name="x">`: an older way to name a fragment, still written in pages. */
const NAMED_ANCHOR = /<a\s[^>]*>/g;
const HREF = /\shref="([^"]*)"/g;

/**
 * What the link check needs of a rendered page's HTML: its ids and its hrefs
 * in page order, as written there (entities not decoded), each ended by `"`,
 * which no attribute value holds. One string each, copied out of the page: a
 * regexp match is a slice that would keep all its HTML alive, and a build
 * keeps only these of a page it wrote.
 */
export interface PageLinks {
  ids: string;
  hrefs: string;
}

/** A rendered page as the link check sees it. */
export interface CheckedPage {
  /** The page's source, for the place of what is reported (none for the fallback index). */
  source?: Source;
  /** Its links and ids as written, with their places. */
  marks?: PageMarks;
  links: PageLinks;
}

export function pageLinks(html: string): PageLinks {
  const ids = attributeValues(html, ID);
  const names = [...html.matchAll(NAMED_ANCHOR)]
    .map((m) => [/\sname="([^"]*)"/.exec(m[0])?.[1], /\sid="([^"]*)"/.exec(m[0])?.[1]])
    .filter(([name, id]) => name !== undefined && name !== id)
    .map(([name]) => `${name}"`)
    .join("");
  // Both lists end each value with `"`, so they join as they are.
  return { ids: ids + names, hrefs: attributeValues(html, HREF) };
}

function attributeValues(html: string, pattern: RegExp): string {
  const values = [...html.matchAll(pattern)].map((m) => m[1]);
  values.push("");
  return values.join('"');
}

/** The values of a PageLinks list, entities decoded. */
export function linkValues(list: string): string[] {
  return list.split('"').slice(0, -1).map(unescapeHtml);
}

interface KnownPage {
  links: PageLinks;
  ids: string[];
  idSet: Set<string>;
  /** What the last check found on the page, against which version of the site's ids and with which marks. */
  found?: { version: number; marks: PageMarks | undefined; diagnostics: Diagnostic[] };
}

/**
 * Remembers each page's ids while its links are the same object (the renderer
 * hands over the same one while the page's HTML is unchanged), and what the
 * check found there while no page's ids changed either: a rebuild checks only
 * the pages that changed (every page links to every other through the
 * navigation, so this matters).
 */
export class LinkChecker {
  private pages = new Map<string, KnownPage>();
  private version = 0;

  /** `files`: every file of the site; `pages`: its HTML pages. */
  check(files: ReadonlySet<string>, pages: ReadonlyMap<string, CheckedPage>): Diagnostic[] {
    const known = new Map<string, KnownPage>();
    let idsChanged = false;
    for (const [file, page] of pages) {
      const last = this.pages.get(file);
      if (last?.links === page.links) known.set(file, last);
      else {
        if (last?.links.ids !== page.links.ids) idsChanged = true;
        const ids = linkValues(page.links.ids);
        known.set(file, { links: page.links, ids, idSet: new Set(ids) });
      }
    }
    if (idsChanged || [...this.pages.keys()].some((file) => !known.has(file))) this.version++;
    this.pages = known;
    const diagnostics: Diagnostic[] = [];
    for (const [file, page] of known) {
      const { source, marks } = pages.get(file) as CheckedPage;
      if (page.found?.version !== this.version || page.found.marks !== marks) {
        const place: Place = { file: source?.rel ?? file };
        page.found = { version: this.version, marks, diagnostics: checkPage(file, place, page, files, known, marks) };
      }
      diagnostics.push(...page.found.diagnostics);
    }
    return diagnostics;
  }
}

function checkPage(
  file: string,
  page: Place,
  { links, ids, idSet }: KnownPage,
  files: ReadonlySet<string>,
  pages: ReadonlyMap<string, KnownPage>,
  marks: PageMarks | undefined,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const written = marks ?? { links: [], anchors: [] };
  // Links as written, then those only in the HTML (from templates): each href of the HTML
  // counts once against the written links, the rest are reported at the page.
  const unplaced = new Map<string, number>();
  for (const href of linkValues(links.hrefs)) unplaced.set(href, (unplaced.get(href) ?? 0) + 1);
  for (const link of written.links) {
    const left = unplaced.get(link.href);
    if (left !== undefined) unplaced.set(link.href, left - 1);
    const problem = linkProblem(file, link.href, files, pages);
    if (problem) diagnostics.push(warning("link-broken", problem, link.where()));
  }
  for (const [href, left] of unplaced) {
    if (left <= 0) continue;
    const problem = linkProblem(file, href, files, pages);
    if (problem) for (let i = 0; i < left; i++) diagnostics.push(warning("link-broken", problem, page));
  }
  if (ids.length === idSet.size) return diagnostics;
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const [id, count] of counts) {
    if (count < 2) continue;
    // The later place on the page is the duplicate (a description's heading has its place in a schema file).
    const places = written.anchors.filter((a) => a.id === id).map((a) => a.where());
    const onPage = places.filter((p) => p.file === page.file).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const where = onPage.at(-1) ?? places.at(-1) ?? page;
    diagnostics.push(
      warning("anchor-duplicate", `id "${id}" is used ${count} times in ${file}; links to #${id} reach only the first`, where),
    );
  }
  return diagnostics;
}

function linkProblem(from: string, href: string, files: ReadonlySet<string>, pages: ReadonlyMap<string, KnownPage>): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:|^\/\/|^\//i.test(href)) return undefined;
  const [target, fragment] = splitHref(from, href);
  if (!files.has(target)) return `link "${href}" in ${from}: no page ${target} in the site`;
  if (fragment && target.endsWith(".html") && !pages.get(target)?.idSet.has(fragment))
    return `link "${href}" in ${from}: ${target} has no #${fragment}`;
  return undefined;
}

/** Folder of a page (`modules` for `modules/e2e.html`) → href → the page and fragment it names. */
const targets = new Map<string, Map<string, [string, string]>>();

/**
 * The page and fragment an href on page `from` names. An href with a path
 * names the same page from every page of a folder (the navigation repeats the
 * same hrefs on every page), so those are remembered per folder.
 */
function splitHref(from: string, href: string): [string, string] {
  const hash = href.indexOf("#");
  if (hash === 0) return [from, decode(href.slice(1))];
  const dir = path.posix.dirname(from);
  let known = targets.get(dir);
  if (!known) {
    known = new Map();
    targets.set(dir, known);
  }
  let result = known.get(href);
  if (!result) {
    const pathPart = decode((hash >= 0 ? href.slice(0, hash) : href).replace(/\?.*$/, ""));
    const fragment = hash >= 0 ? decode(href.slice(hash + 1)) : "";
    let target = from;
    if (pathPart !== "") {
      target = path.posix.normalize(path.posix.join(dir, pathPart));
      if (target.endsWith("/") || target === ".") target = path.posix.join(target, "index.html");
    }
    result = [target, fragment];
    if (pathPart !== "") known.set(href, result);
  }
  return result;
}

/** Percent-decoding that leaves a malformed escape as written. */
function decode(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * An attribute value as the browser reads it: every character reference
 * decoded (Handlebars writes `'`, `=` and `` ` `` as `&#x27;`, `&#x3D;`,
 * `&#x60;`; markdown-it writes `&amp;`, `&lt;`, `&gt;`, `&quot;`).
 */
function unescapeHtml(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g, (whole, hex, dec, name) => {
    if (name) return NAMED[name as keyof typeof NAMED];
    const code = hex ? Number.parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
