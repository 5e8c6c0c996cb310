/**
 * Syntax highlighting at build time, so the site ships no highlighter. Its
 * output is escaped text in `<span class="hljs-…">`s (highlight.js's classes);
 * the colours are in style.css.
 *
 * Examples are JSON as JSON.stringify writes it, which a scanner of its own
 * colours as highlight.js does, byte for byte, at a fraction of the cost (it
 * was most of the time spent rendering an event). Any other text goes to
 * highlight.js.
 */
import hljs from "highlight.js/lib/core";
import json from "highlight.js/lib/languages/json";

const highlighter = hljs.newInstance();
highlighter.registerLanguage("json", json);

/** JSON text as highlighted, escaped HTML. */
export function highlightJson(text: string): string {
  return scanJson(text) ?? highlightJsonWithHljs(text);
}

/** highlight.js's JSON highlighting. */
export function highlightJsonWithHljs(text: string): string {
  const html = highlighter.highlight(text, { language: "json", ignoreIllegals: true }).value;
  // Braces and commas are not coloured; unwrapping them halves the markup of an example.
  return html.replace(/<span class="hljs-punctuation">([^<]*)<\/span>/g, "$1");
}

/** Strings (a key when a `:` follows), numbers and the literals, as JSON.stringify writes them. */
const TOKEN = /("(?:[^"\\\r\n]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false|null)|([\s{}[\],:]+)/y;

/** The highlighted text, or undefined when it holds anything JSON.stringify would not write. */
function scanJson(text: string): string | undefined {
  // Joined once rather than concatenated piece by piece: the site keeps the examples of every event.
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    const [, string, colon, number, literal, plain] = m;
    if (string !== undefined) out.push(`<span class="hljs-${colon ? "attr" : "string"}">${escapeHtml(string)}</span>${colon ?? ""}`);
    else if (number !== undefined) out.push(`<span class="hljs-number">${number}</span>`);
    else if (literal !== undefined) out.push(`<span class="hljs-literal"><span class="hljs-keyword">${literal}</span></span>`);
    else out.push(plain);
  }
  return out.join("");
}

/** As highlight.js escapes. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
