/** Links between pages are written to the `.md` sources and must point at the `.html` output. */
import type MarkdownIt from "markdown-it";

export function mdToHtml(href: string): string {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) return href;
  return href.replace(/\.md(?=$|#|\?)/, ".html");
}

export function linksPlugin(md: MarkdownIt): void {
  md.core.ruler.push("specgen_links", (state) => {
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        const href = token.type === "link_open" ? token.attrGet("href") : null;
        if (href) token.attrSet("href", mdToHtml(href));
      }
    }
  });
}
