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
const HREF = /\shref="([^"]*)"/g;

interface PageLinks {
  html: string;
  ids: string[];
  idSet: Set<string>;
  hrefs: string[];
  /** What the last check found on the page, against which version of the site's ids and with which marks. */
  found?: { version: number; marks: PageMarks | undefined; diagnostics: Diagnostic[] };
}

/**
 * Remembers each page's ids and links while its HTML is unchanged, and what
 * the check found there while no page's ids changed either: a rebuild checks
 * only the pages that changed (every page links to every other through the
 * navigation, so this matters).
 */
export class LinkChecker {
  private pages = new Map<string, PageLinks>();
  private version = 0;

  check(
    files: ReadonlyMap<string, string>,
    sources: ReadonlyMap<string, Source>,
    marks: ReadonlyMap<string, PageMarks> = new Map(),
  ): Diagnostic[] {
    const pages = new Map<string, PageLinks>();
    let idsChanged = false;
    for (const [file, html] of files) {
      if (!file.endsWith(".html")) continue;
      const known = this.pages.get(file);
      if (known?.html === html) pages.set(file, known);
      else {
        const page = extract(html);
        if (known?.ids.join("\n") !== page.ids.join("\n")) idsChanged = true;
        pages.set(file, page);
      }
    }
    if (idsChanged || [...this.pages.keys()].some((file) => !pages.has(file))) this.version++;
    this.pages = pages;
    const diagnostics: Diagnostic[] = [];
    for (const [file, links] of pages) {
      const written = marks.get(file);
      if (links.found?.version !== this.version || links.found.marks !== written) {
        const place: Place = { file: sources.get(file)?.rel ?? file };
        links.found = { version: this.version, marks: written, diagnostics: checkPage(file, place, links, files, pages, written) };
      }
      diagnostics.push(...links.found.diagnostics);
    }
    return diagnostics;
  }
}

function checkPage(
  file: string,
  page: Place,
  links: PageLinks,
  files: ReadonlyMap<string, string>,
  pages: ReadonlyMap<string, PageLinks>,
  marks: PageMarks | undefined,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const written = marks ?? { links: [], anchors: [] };
  // Links as written, then those only in the HTML (from templates): each href of the HTML
  // counts once against the written links, the rest are reported at the page.
  const unplaced = new Map<string, number>();
  for (const href of links.hrefs) unplaced.set(href, (unplaced.get(href) ?? 0) + 1);
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
  if (links.ids.length === links.idSet.size) return diagnostics;
  const counts = new Map<string, number>();
  for (const id of links.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
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

function extract(html: string): PageLinks {
  const ids = [...html.matchAll(ID)].map((m) => unescapeHtml(m[1]));
  return { html, ids, idSet: new Set(ids), hrefs: [...html.matchAll(HREF)].map((m) => unescapeHtml(m[1])) };
}

function linkProblem(
  from: string,
  href: string,
  files: ReadonlyMap<string, string>,
  pages: ReadonlyMap<string, PageLinks>,
): string | undefined {
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

function unescapeHtml(s: string): string {
  if (!s.includes("&")) return s;
  return s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
