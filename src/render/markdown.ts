/** The markdown-it instance for pages and descriptions: CommonMark (with tables) plus specgen's plugins. */
import MarkdownIt from "markdown-it";
import { rstPlugin } from "../pages/rst/index.js";
import { slugify } from "../slug.js";
import { blocksPlugin } from "./plugins/blocks.js";
import { codeBreaksPlugin } from "./plugins/code-breaks.js";
import { headingsPlugin } from "./plugins/headings.js";
import { linksPlugin } from "./plugins/links.js";
import { referencesPlugin } from "./plugins/references.js";
import { rstBlocksPlugin } from "./plugins/rst-blocks.js";

/**
 * `anchor`: the layout's rule for heading ids (config.layout.anchor); `siteLink`: where its
 * site-absolute links point; `plugins`: the layout's own (Layout.markdown).
 */
export function createMarkdown(options: {
  allowHtml: boolean;
  anchor?: (text: string) => string;
  siteLink?: (href: string) => string | undefined;
  plugins?: (md: MarkdownIt) => void;
}): MarkdownIt {
  const md = new MarkdownIt({ html: options.allowHtml, linkify: false, typographer: false })
    .use(blocksPlugin)
    .use(referencesPlugin)
    .use(rstBlocksPlugin)
    .use(headingsPlugin, options.anchor ?? slugify)
    .use(linksPlugin, options.siteLink)
    .use(codeBreaksPlugin)
    .use(rstPlugin);
  options.plugins?.(md);
  return md;
}
