/**
 * Syntax highlighting at build time with highlight.js, so the site ships no
 * highlighter. Its output is escaped text in `<span class="hljs-…">`s; the
 * colours are in style.css.
 */
import hljs from "highlight.js/lib/core";
import json from "highlight.js/lib/languages/json";

const highlighter = hljs.newInstance();
highlighter.registerLanguage("json", json);

/** JSON text → escaped HTML. */
export type Highlighter = (json: string) => string;

/** JSON text as highlighted, escaped HTML. */
export function highlightJson(text: string): string {
  const html = highlighter.highlight(text, { language: "json", ignoreIllegals: true }).value;
  // Braces and commas are not coloured; unwrapping them halves the markup of an example.
  return html.replace(/<span class="hljs-punctuation">([^<]*)<\/span>/g, "$1");
}
