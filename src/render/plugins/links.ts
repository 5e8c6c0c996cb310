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

/**
 * A site-absolute href (`/client-server-api/#sync`) as a path relative to the
 * page (`../client-server-api/index.html#sync`), where the layout says it
 * points; undefined when it is not site-absolute or the layout has no rule.
 */
export function siteRelative(href: string, page: string, siteLink: ((href: string) => string | undefined) | undefined): string | undefined {
  if (!siteLink || !href.startsWith("/") || href.startsWith("//")) return undefined;
  const target = siteLink(href);
  if (target === undefined) return undefined;
  const up = "../".repeat(page.split("/").length - 1);
  const hash = target.indexOf("#");
  const file = hash >= 0 ? target.slice(0, hash) : target;
  // A link to the page itself keeps only its fragment.
  if (file === page && hash >= 0) return target.slice(hash);
  return `${up}${target}`;
}

export function linksPlugin(md: MarkdownIt, siteLink?: (href: string) => string | undefined): void {
  md.core.ruler.push("specgen_links", (state) => {
    const env = state.env as RenderEnv;
    forEachInline(state.tokens, (token, line, endLine) => {
      // An image's site-absolute source is made relative too (its file is checked with the links).
      if (token.type === "image") {
        const src = token.attrGet("src");
        const relative = src ? siteRelative(src, env.page, siteLink) : undefined;
        if (relative === undefined) return;
        token.attrSet("src", relative);
        const { where } = env;
        env.marks?.links.push({ href: relative, where: () => where(line, { text: src ?? "", endLine }) });
        return;
      }
      const href = token.type === "link_open" ? token.attrGet("href") : null;
      if (!href) return;
      const rewritten = siteRelative(href, env.page, siteLink) ?? mdToHtml(href);
      token.attrSet("href", rewritten);
      const text = [href, md.normalizeLinkText(href)];
      // The place thunk keeps the locator only: a page's parse is kept across rebuilds, its env's blocks are not.
      const { where } = env;
      env.marks?.links.push({ href: rewritten, where: () => where(line, { text, endLine }) });
    });
  });
}
