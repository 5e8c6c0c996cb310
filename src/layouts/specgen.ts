/** specgen's own layout: every Markdown file of the pages folder is a page at the same path, `.md` → `.html`. */
import path from "node:path";
import { slugify } from "../slug.js";
import type { Layout } from "./layout.js";

export const specgenLayout: Layout = {
  name: "specgen",
  detect: () => true,
  settings: () => ({}),
  isPageFile: (file) => file.endsWith(".md"),
  pages: (config, files) =>
    files.map((source) => ({
      out: path.relative(config.pages, source.path).split(path.sep).join("/").replace(/\.md$/, ".html"),
      parts: [{ source, shift: 0 }],
      format: "markdown",
      order: 0,
    })),
  anchor: slugify,
};
