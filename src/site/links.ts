/**
 * Checks every relative link and `#fragment` of the rendered site against the
 * files and ids that exist in it. Site-absolute (`/…`) and external links are
 * beyond what one build can know.
 */
import path from "node:path";
import { type Diagnostic, warning } from "../diagnostics.js";
import type { Source } from "../load/source.js";

const ID = /\sid="([^"]*)"/g;
const HREF = /\shref="([^"]*)"/g;

interface PageLinks {
  html: string;
  ids: Set<string>;
  /** Relative links: the href, and the page and fragment it names. */
  links: { href: string; target: string; fragment: string }[];
}

/** Remembers each page's ids and links while its HTML is unchanged. */
export class LinkChecker {
  private pages = new Map<string, PageLinks>();

  check(files: ReadonlyMap<string, string>, sources: ReadonlyMap<string, Source>): Diagnostic[] {
    const pages = new Map<string, PageLinks>();
    for (const [file, html] of files) {
      if (!file.endsWith(".html")) continue;
      const known = this.pages.get(file);
      pages.set(file, known?.html === html ? known : extract(file, html));
    }
    this.pages = pages;
    const diagnostics: Diagnostic[] = [];
    for (const [file, page] of pages) {
      for (const { href, target, fragment } of page.links) {
        const where = { file: sources.get(file)?.rel ?? file };
        if (!files.has(target)) {
          diagnostics.push(warning("link-broken", `link "${href}" in ${file}: no page ${target} in the site`, where));
        } else if (fragment && target.endsWith(".html") && !pages.get(target)?.ids.has(fragment)) {
          diagnostics.push(warning("link-broken", `link "${href}" in ${file}: ${target} has no #${fragment}`, where));
        }
      }
    }
    return diagnostics;
  }
}

function extract(file: string, html: string): PageLinks {
  const links: PageLinks["links"] = [];
  for (const m of html.matchAll(HREF)) {
    const href = unescapeHtml(m[1]);
    if (/^[a-z][a-z0-9+.-]*:|^\/\/|^\//i.test(href)) continue;
    const [target, fragment] = splitHref(file, href);
    links.push({ href, target, fragment });
  }
  return { html, ids: new Set([...html.matchAll(ID)].map((m) => unescapeHtml(m[1]))), links };
}

function splitHref(from: string, href: string): [string, string] {
  const hash = href.indexOf("#");
  const pathPart = decodeURIComponent((hash >= 0 ? href.slice(0, hash) : href).replace(/\?.*$/, ""));
  const fragment = hash >= 0 ? decodeURIComponent(href.slice(hash + 1)) : "";
  if (pathPart === "") return [from, fragment];
  let target = path.posix.normalize(path.posix.join(path.posix.dirname(from), pathPart));
  if (target.endsWith("/") || target === ".") target = path.posix.join(target, "index.html");
  return [target, fragment];
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
