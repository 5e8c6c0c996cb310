/**
 * Links between pages are written to the `.md` sources and must point at the
 * `.html` output. Every link is also recorded with its place, for the site's
 * link check.
 */
import type MarkdownIt from "markdown-it";
import { forEachInline, type RenderEnv } from "../env.js";

export function mdToHtml(href: string): string {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) return href;
  return href.replace(/\.md(?=$|#|\?)/, ".html");
}

export function linksPlugin(md: MarkdownIt): void {
  md.core.ruler.push("specgen_links", (state) => {
    const env = state.env as RenderEnv;
    forEachInline(state.tokens, (token, line, endLine) => {
      const href = token.type === "link_open" ? token.attrGet("href") : null;
      if (!href) return;
      const rewritten = mdToHtml(href);
      token.attrSet("href", rewritten);
      const text = [href, md.normalizeLinkText(href)];
      // The place thunk keeps the locator only: a page's parse is kept across rebuilds, its env's blocks are not.
      const { where } = env;
      env.marks?.links.push({ href: rewritten, where: () => where(line, { text, endLine }) });
    });
  });
}
