/**
 * Inline markup (docutils/parsers/rst/states.py, `Inliner`): emphasis,
 * strong, literals, interpreted text and roles, references of every kind,
 * substitution and footnote references, inline targets and standalone URIs.
 * Markup is recognised only where docutils recognises it: a start-string
 * after whitespace or an opening punctuation mark and before a non-space, an
 * end-string after a non-space and before whitespace or punctuation.
 * Backslash escapes become characters marked by U+FDD0 (a noncharacter) first, as docutils marks them with NUL, so
 * an escaped character never starts or ends markup.
 */

export type Inline =
  | { t: "text"; s: string }
  | { t: "emphasis"; s: string }
  | { t: "strong"; s: string }
  | { t: "literal"; s: string }
  /** Interpreted text with a role (`:math:`x``); no role is docutils' default, title-reference. */
  | { t: "role"; role: string; s: string; raw: string }
  /** `text <uri>`_, `name`_, name_ (and `__` anonymous forms). */
  | { t: "reference"; text: string; refuri?: string; refname?: string; anonymous: boolean; raw: string }
  | { t: "substitution"; name: string; reference: "" | "_" | "__"; raw: string }
  | { t: "footnote_reference"; label: string; raw: string }
  | { t: "target"; name: string }
  | { t: "uri"; s: string };

const ESC = "\uFDD0";
const START_BEFORE = /[\s\-/:'"<([{\p{Pd}\p{Po}\p{Ps}\p{Pi}\p{Pf}]/u;
const END_AFTER = /[\s\-/:.,;!?\\'")\]}>\p{Pd}\p{Po}\p{Pe}\p{Pi}\p{Pf}\uFDD0]/u;
const PAIRS: Record<string, string> = {
  "'": "'",
  '"': '"',
  "(": ")",
  "[": "]",
  "{": "}",
  "<": ">",
  "\u2018": "\u2019",
  "\u201c": "\u201d",
};
const SIMPLE_REFERENCE = /^((?:(?!_)\w)+(?:[-._+:](?:(?!_)\w)+)*)(__?)/u;
const URI = /^(?:https?|ftp):\/\/[^\s<>"]*[^\s<>"\uFDD0.,;:!?'")\]}]|^mailto:[^\s<>"@]+@[^\s<>".,;:!?'")\]}]+/;
const ROLE = /^:([A-Za-z0-9][\w.+-]*(?::[\w.+-]+)*):`/;

/** Backslash escapes as docutils keeps them: the backslash becomes U+FDD0, so the next character is known to be escaped. */
export function escapeToNull(text: string): string {
  return text.replace(/\\(.)?/gs, (_, c: string | undefined) => `${ESC}${c ?? ""}`);
}

/** Text with escapes applied: `\*` is `*`, `\ ` is nothing. */
export function applyEscapes(text: string): string {
  return text.replace(/\uFDD0( |\n)?/g, "");
}

/** Text with its backslashes back, for literals (which know no escapes). */
export function restoreBackslashes(text: string): string {
  return text.replace(/\uFDD0/g, "\\");
}

function startAllowed(s: string, i: number, length: number): boolean {
  if (i > 0 && !START_BEFORE.test(s[i - 1])) return false;
  if (i > 0 && s[i - 1] === ESC) return false;
  const next = s[i + length];
  if (next === undefined || /\s/.test(next)) return false;
  // `"*"` or `(*)`: a markup character quoted is not markup.
  const before = s[i - 1];
  if (before !== undefined && PAIRS[before] === next) return false;
  return true;
}

function endAllowed(s: string, at: number, length: number): boolean {
  if (/\s/.test(s[at - 1] ?? " ") || s[at - 1] === ESC) return false;
  const after = s[at + length];
  return after === undefined || END_AFTER.test(after);
}

/** The first end-string `end` at or after `from` that may close markup. */
function findEnd(s: string, from: number, end: string): number {
  for (let at = s.indexOf(end, from); at >= 0; at = s.indexOf(end, at + 1)) {
    if (endAllowed(s, at, end.length)) return at;
  }
  return -1;
}

/** Parses inline markup; `warn` hears about start-strings without an end. */
export function parseInline(raw: string, warn?: (message: string) => void): Inline[] {
  const s = escapeToNull(raw);
  const out: Inline[] = [];
  let text = "";
  const flush = () => {
    if (text) out.push({ t: "text", s: applyEscapes(text) });
    text = "";
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    const rest = s.slice(i);
    const wordStart = i === 0 || START_BEFORE.test(s[i - 1]);
    if (c === "*" && s[i + 1] === "*" && startAllowed(s, i, 2)) {
      const end = findEnd(s, i + 2, "**");
      if (end > i + 2) {
        push({ t: "strong", s: applyEscapes(s.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
      warn?.("inline strong start-string without end-string");
    } else if (c === "*" && s[i + 1] !== "*" && startAllowed(s, i, 1)) {
      const end = findEnd(s, i + 1, "*");
      if (end > i + 1) {
        push({ t: "emphasis", s: applyEscapes(s.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
      warn?.("inline emphasis start-string without end-string");
    } else if (c === "`" && s[i + 1] === "`" && startAllowed(s, i, 2)) {
      const end = findLiteralEnd(s, i + 2);
      if (end > i + 2) {
        push({ t: "literal", s: restoreBackslashes(s.slice(i + 2, end)) });
        i = end + 2;
        continue;
      }
      warn?.("inline literal start-string without end-string");
    } else if (c === "`" && startAllowed(s, i, 1)) {
      const node = interpreted(s, i, undefined);
      if (node) {
        push(node.node);
        i = node.end;
        continue;
      }
      warn?.("inline interpreted text or phrase reference start-string without end-string");
    } else if (c === ":" && wordStart && ROLE.test(rest)) {
      const m = ROLE.exec(rest) as RegExpExecArray;
      const node = startAllowed(s, i + m[0].length - 1, 1) ? interpreted(s, i + m[0].length - 1, m[1]) : undefined;
      if (node) {
        push(node.node);
        i = node.end;
        continue;
      }
    } else if (c === "|" && startAllowed(s, i, 1)) {
      const m = /^\|([^|]*[^|\s\uFDD0])\|(__?)?/.exec(rest);
      if (m && endAllowed(s, i + m[0].length - 1 - (m[2]?.length ?? 0), 1 + (m[2]?.length ?? 0))) {
        push({ t: "substitution", name: applyEscapes(m[1]), reference: (m[2] ?? "") as "" | "_" | "__", raw: applyEscapes(m[0]) });
        i += m[0].length;
        continue;
      }
    } else if (c === "_" && s[i + 1] === "`" && startAllowed(s, i, 2)) {
      const end = findEnd(s, i + 2, "`");
      if (end > i + 2) {
        push({ t: "target", name: applyEscapes(s.slice(i + 2, end)) });
        i = end + 1;
        continue;
      }
    } else if (c === "[" && startAllowed(s, i, 1)) {
      const m = /^\[([0-9]+|#(?:[\w-]+)?|\*|[\w][\w.-]*)\]_/u.exec(rest);
      if (m && endAllowed(s, i + m[0].length - 2, 2)) {
        push({ t: "footnote_reference", label: m[1], raw: m[0] });
        i += m[0].length;
        continue;
      }
    } else if (wordStart && /[hfm]/.test(c) && URI.test(rest)) {
      const m = URI.exec(rest) as RegExpExecArray;
      push({ t: "uri", s: applyEscapes(m[0]) });
      i += m[0].length;
      continue;
    } else if (wordStart && /\w/u.test(c)) {
      const m = SIMPLE_REFERENCE.exec(rest);
      if (m && endAllowed(s, i + m[1].length, m[2].length) && !/\w/u.test(s[i + m[0].length] ?? "")) {
        push({ t: "reference", text: m[1], refname: m[1], anonymous: m[2] === "__", raw: m[0] });
        i += m[0].length;
        continue;
      }
      // Skip the rest of the word: markup never starts inside one.
      const word = /^[\w\uFDD0]+/u.exec(rest) as RegExpExecArray;
      text += word[0];
      i += word[0].length;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return out;
}

/** ``literal`` ends at the first ``` `` ``` that may end markup (its text knows no escapes). */
function findLiteralEnd(s: string, from: number): number {
  for (let at = s.indexOf("``", from); at >= 0; at = s.indexOf("``", at + 1)) {
    if (/\s/.test(s[at - 1])) continue;
    const after = s[at + 2];
    // A longer run of backticks ends at its last two.
    if (after === "`") continue;
    if (after === undefined || END_AFTER.test(after)) return at;
  }
  return -1;
}

/** `text`, `text`_, `text`__, `text <uri>`_, `text`:role:, after `:role:` when `role` is given. */
function interpreted(s: string, open: number, role: string | undefined): { node: Inline; end: number } | undefined {
  for (let at = s.indexOf("`", open + 1); at >= 0; at = s.indexOf("`", at + 1)) {
    if (/\s/.test(s[at - 1]) || s[at - 1] === ESC) continue;
    let suffix = "";
    if (role === undefined && s[at + 1] === "_") suffix = s[at + 2] === "_" ? "__" : "_";
    const after = s[at + 1 + suffix.length];
    if (after !== undefined && !END_AFTER.test(after)) continue;
    const body = s.slice(open + 1, at);
    const raw = applyEscapes(s.slice(role === undefined ? open : open - role.length - 2, at + 1 + suffix.length));
    const end = at + 1 + suffix.length;
    if (suffix) return { node: phraseReference(body, suffix === "__", raw), end };
    const trailing = role === undefined ? /^:([A-Za-z0-9][\w.+-]*):/.exec(s.slice(end)) : null;
    if (trailing) {
      return {
        node: { t: "role", role: trailing[1].toLowerCase(), s: roleText(trailing[1], body), raw: raw + trailing[0] },
        end: end + trailing[0].length,
      };
    }
    const name = (role ?? "").toLowerCase();
    return { node: { t: "role", role: name, s: roleText(name, body), raw }, end };
  }
  return undefined;
}

function roleText(role: string, body: string): string {
  // Maths and literals keep backslashes (`\frac`); other roles take escapes.
  return role === "math" || role === "literal" || role === "code" ? restoreBackslashes(body) : applyEscapes(body);
}

function phraseReference(body: string, anonymous: boolean, raw: string): Inline {
  const embedded = /^([\s\S]*?)\s*(?<!\uFDD0)<([^<>]+)>$/.exec(body);
  if (embedded) {
    const target = applyEscapes(embedded[2]).replace(/\s+/g, "");
    const text = applyEscapes(embedded[1]).replace(/\s+/g, " ").trim();
    // `text <name_>`_ is an embedded alias of a named reference.
    if (/[^\\]_$/.test(target) && !/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      const refname = target.slice(0, -1).replace(/^`|`$/g, "");
      return { t: "reference", text: text || refname, refname, anonymous, raw };
    }
    return { t: "reference", text: text || target, refuri: target, anonymous, raw };
  }
  const text = applyEscapes(body).replace(/\s+/g, " ").trim();
  return { t: "reference", text, refname: text, anonymous, raw };
}
