/**
 * Syntax highlighting at build time, so the site ships no highlighter. The
 * text is always JSON as JSON.stringify writes it (the merged examples), which
 * has five kinds of token; they are coloured with highlight.js's class names
 * (`hljs-attr`, `hljs-string`, …; the colours are in style.css), and
 * test/highlight.test.ts holds the output to highlight.js's, byte for byte.
 * A scanner this size runs about ten times faster than highlight.js, which
 * was most of the time spent rendering an event.
 */

/** JSON text → escaped HTML. */
export type Highlighter = (json: string) => string;

/** Strings (a key when a `:` follows), numbers, the literals, punctuation; anything else one character at a time. */
const TOKEN = /("(?:[^"\\\r\n]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false|null)|([\s{}[\],:]+)|([\s\S])/y;

/** JSON text as highlighted, escaped HTML. */
export function highlightJson(text: string): string {
  // Joined once rather than concatenated piece by piece: the site keeps the examples of every event.
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const [, string, colon, number, literal, plain, other] = m;
    if (string !== undefined) {
      // The quotes around it are escaped as written: only its inside needs looking at.
      const inside = string.slice(1, -1);
      const escaped = UNSAFE.test(inside) ? escapeHtml(inside) : inside;
      out.push(`${colon ? ATTR_OPEN : STRING_OPEN}&quot;${escaped}&quot;</span>${colon ?? ""}`);
    } else if (number !== undefined) out.push(`<span class="hljs-number">${number}</span>`);
    else if (literal !== undefined) out.push(`<span class="hljs-literal"><span class="hljs-keyword">${literal}</span></span>`);
    else out.push(plain ?? escapeHtml(other));
  }
  return out.join("");
}

const ATTR_OPEN = '<span class="hljs-attr">';
const STRING_OPEN = '<span class="hljs-string">';
const UNSAFE = /[&<>"']/;

/** As highlight.js escapes. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
