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

/**
 * Numbers, the literals, punctuation; anything else one character at a time.
 * Strings are found by stringEnd, not here: a regular expression with an
 * alternation under `*` recurses once per character in V8 and overflows the
 * stack on a string of some megabytes. Each token here is a few characters or
 * one character class.
 */
const TOKEN = /(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false|null)|([\s{}[\],:]+)|([\s\S])/y;
const COLON = /\s*:/y;

/** JSON text as highlighted, escaped HTML. */
export function highlightJson(text: string): string {
  // Joined once rather than concatenated piece by piece: the site keeps the examples of every event.
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const end = text.charCodeAt(at) === QUOTE ? stringEnd(text, at) : -1;
    if (end >= 0) {
      // A key when a `:` follows. The quotes around it are escaped as written: only its inside needs looking at.
      COLON.lastIndex = end;
      const colon = COLON.exec(text)?.[0];
      const inside = text.slice(at + 1, end - 1);
      const escaped = UNSAFE.test(inside) ? escapeHtml(inside) : inside;
      out.push(`${colon ? ATTR_OPEN : STRING_OPEN}&quot;${escaped}&quot;</span>${colon ?? ""}`);
      at = end + (colon?.length ?? 0);
      continue;
    }
    TOKEN.lastIndex = at;
    const [token, number, literal, plain, other] = TOKEN.exec(text) as RegExpExecArray;
    if (number !== undefined) out.push(`<span class="hljs-number">${number}</span>`);
    else if (literal !== undefined) out.push(`<span class="hljs-literal"><span class="hljs-keyword">${literal}</span></span>`);
    else out.push(plain ?? escapeHtml(other));
    at += token.length;
  }
  return out.join("");
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Just past the closing quote of the string starting at `start`, or -1 when
 * it has none before a line break (then the quote is text): a backslash
 * escapes any character but a line terminator (as `.` reads them).
 */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === 0x0a || c === 0x0d) return -1;
    if (c === BACKSLASH) {
      if (i + 1 >= text.length || isLineBreak(text.charCodeAt(i + 1))) return -1;
      i++;
    }
  }
  return -1;
}

function isLineBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

const ATTR_OPEN = '<span class="hljs-attr">';
const STRING_OPEN = '<span class="hljs-string">';
const UNSAFE = /[&<>"']/;

/** As highlight.js escapes. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };
