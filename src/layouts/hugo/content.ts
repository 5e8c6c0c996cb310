/**
 * Which files of a Hugo `content/` folder are pages, and where Hugo publishes
 * them: `_index.md` is its folder's page (a branch bundle), a folder holding
 * `index.md` is one page (a leaf bundle) whose other files are its resources,
 * not pages, and `x.md` is published at `x/` (`x.html` with `uglyURLs`).
 * A bundle marked `headless`, a draft, or one whose build says it is never
 * rendered is not a page; its files may still be included by other pages.
 */
import path from "node:path";
import { frontFlag, frontNumber, frontString } from "../../pages/front-matter.js";

export interface ContentFile {
  /** Relative to the content folder, `/`-separated. */
  rel: string;
  data: Record<string, unknown>;
}

export interface ContentPage {
  rel: string;
  /** Output path, e.g. `client-server-api/index.html`. */
  out: string;
  title?: string;
  /** Sidebar order: the front matter's weight; pages without one (or 0) come last, as in Hugo. */
  order: number;
}

const UNWEIGHTED = 1_000_000;

export function isContentPageFile(rel: string): boolean {
  return /\.(md|markdown)$/i.test(rel);
}

export function contentPages(files: readonly ContentFile[], options: { uglyUrls: boolean; lowerPaths?: boolean }): ContentPage[] {
  // Leaf bundles: every folder with an index.md owns everything below it.
  const leafIndexes = files.filter((f) => /^index\.(md|markdown)$/i.test(path.posix.basename(f.rel)) && f.rel.includes("/"));
  const inLeaf = (rel: string) => leafIndexes.some((index) => index.rel !== rel && rel.startsWith(`${path.posix.dirname(index.rel)}/`));
  // A headless branch bundle's section publishes nothing under it either.
  const headlessDirs = files
    .filter((f) => /^_index\.(md|markdown)$/i.test(path.posix.basename(f.rel)) && !published(f.data))
    .map((f) => path.posix.dirname(f.rel));
  const underHeadless = (rel: string) => headlessDirs.some((dir) => dir === "." || rel.startsWith(`${dir}/`));
  const pages: ContentPage[] = [];
  for (const file of files) {
    if (!isContentPageFile(file.rel) || inLeaf(file.rel) || underHeadless(file.rel) || !published(file.data)) continue;
    const out = outputOf(file, options);
    const weight = frontNumber(file.data, "weight");
    pages.push({
      rel: file.rel,
      out: options.lowerPaths === false ? out : out.toLowerCase(),
      title: frontString(file.data, "title"),
      order: weight && weight > 0 ? weight : UNWEIGHTED,
    });
  }
  return pages;
}

/** Whether Hugo renders the page: not headless, not a draft, not `build.render: never`. */
function published(data: Record<string, unknown>): boolean {
  if (frontFlag(data, "headless") || frontFlag(data, "draft")) return false;
  for (const key of ["build", "_build"]) {
    const build = data[key];
    if (typeof build === "object" && build !== null) {
      const render = (build as Record<string, unknown>).render;
      if (render === false || render === "never" || render === "false") return false;
    }
  }
  return true;
}

function outputOf(file: ContentFile, options: { uglyUrls: boolean }): string {
  const url = frontString(file.data, "url");
  if (url) return urlPath(url);
  const dir = path.posix.dirname(file.rel);
  const prefix = dir === "." ? "" : `${dir}/`;
  const base = path.posix.basename(file.rel).replace(/\.(md|markdown)$/i, "");
  if (base === "_index" || base === "index") return `${prefix}index.html`;
  const slug = frontString(file.data, "slug") ?? base;
  return options.uglyUrls ? `${prefix}${slug}.html` : `${prefix}${slug}/index.html`;
}

/** A site path (`/a/b/`, `/a/b`, `/a/b.html`) → the output file that serves it. */
export function urlPath(url: string): string {
  const clean = url.replace(/[?#].*$/, "").replace(/^\/+/, "");
  if (clean === "") return "index.html";
  if (clean.endsWith("/")) return `${clean}index.html`;
  return /\.[A-Za-z0-9]+$/.test(clean) ? clean : `${clean}/index.html`;
}
