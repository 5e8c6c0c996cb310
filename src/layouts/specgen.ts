/**
 * specgen's own layout: every Markdown file of the pages folder is a page at
 * the same path, `.md` → `.html`. The sidebar follows `nav:` in the config,
 * then the pages' front matter (`weight` or `order`, lower first), then paths;
 * a front-matter `title` names a page.
 */
import path from "node:path";
import { CONFIG_FILE } from "../config.js";
import { warning } from "../diagnostics.js";
import { frontMatterOf, frontNumber, frontString } from "../pages/front-matter.js";
import { slugify } from "../slug.js";
import type { Layout, PageSource } from "./layout.js";

/** Orders below and above any front-matter weight: listed in `nav:` first, unweighted last. */
const LISTED = -1e9;
const UNWEIGHTED = 1e9;

export const specgenLayout: Layout = {
  name: "specgen",
  detect: () => true,
  settings: () => ({}),
  isPageFile: (file) => file.endsWith(".md"),
  pages: (config, files, diagnostics) => {
    const listed = new Map(config.nav.map((file, i) => [file, i]));
    const pages = files.map((source): PageSource => {
      const rel = path.relative(config.pages, source.path).split(path.sep).join("/");
      const front = frontMatterOf(source);
      diagnostics.push(...front.diagnostics);
      const at = listed.get(rel);
      const weight = frontNumber(front.data, "weight") ?? frontNumber(front.data, "order");
      return {
        out: rel.replace(/\.md$/, ".html"),
        parts: [{ source, shift: 0 }],
        format: "markdown",
        title: frontString(front.data, "title"),
        order: at !== undefined ? LISTED + at : (weight ?? UNWEIGHTED),
      };
    });
    const found = new Set(files.map((f) => path.relative(config.pages, f.path).split(path.sep).join("/")));
    for (const file of config.nav) {
      if (!found.has(file)) diagnostics.push(warning("nav-page-missing", `nav: lists ${file}, which is not a page`, { file: CONFIG_FILE }));
    }
    return pages;
  },
  anchor: slugify,
};
