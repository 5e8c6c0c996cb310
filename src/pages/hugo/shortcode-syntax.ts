/**
 * Hugo shortcode tags: `{{% name k="v" %}}` (its output is Markdown),
 * `{{< name k="v" >}}` (its output is HTML), a closing tag `{{% /name %}}`,
 * a self-closing `{{< name />}}`, and the escaped form (a comment inside the
 * delimiters, `{{</*` … `*\/>}}`), which Hugo prints as the tag itself. Parameters are named (`k="v"`, `` k=`raw` ``,
 * `k=bare`) or positional, as Hugo's lexer reads them.
 */
export interface ShortcodeTag {
  name: string;
  /** `%`: Markdown output, `<`: HTML output. */
  delim: "%" | "<";
  closing: boolean;
  selfClosing: boolean;
  params: Record<string, string>;
  positional: string[];
  /** Offsets in the text: [start, end). */
  start: number;
  end: number;
  raw: string;
  /** The escaped form (a comment inside the delimiters): shown as the tag it escapes. */
  escaped?: string;
}

export interface TagError {
  error: string;
  start: number;
  end: number;
}

const NAME = /[A-Za-z0-9_./-]/;

/** Whether a shortcode tag opens at `pos`. */
export function opensTag(src: string, pos: number): boolean {
  return src.charCodeAt(pos) === 0x7b && src.charCodeAt(pos + 1) === 0x7b && (src[pos + 2] === "%" || src[pos + 2] === "<");
}

/** The tag opening at `pos` (which `opensTag`), or why it is not one. `limit` bounds the search for its end. */
export function parseTag(src: string, pos: number, limit = src.length): ShortcodeTag | TagError {
  const delim = src[pos + 2] as "%" | "<";
  const close = `${delim === "%" ? "%" : ">"}}}`;
  const end = src.indexOf(close, pos + 3);
  if (end < 0 || end + 3 > limit)
    return { error: `shortcode tag \`{{${delim}\` is not closed by \`${close}\``, start: pos, end: Math.min(limit, pos + 3) };
  const raw = src.slice(pos, end + 3);
  let body = src.slice(pos + 3, end).trim();
  const fail = (error: string): TagError => ({ error, start: pos, end: end + 3 });
  if (body.startsWith("/*")) {
    if (!body.endsWith("*/")) return fail("an escaped shortcode is not closed by `*/`");
    return { ...emptyTag(delim, pos, end + 3, raw), escaped: `{{${delim} ${body.slice(2, -2).trim()} ${close}` };
  }
  let closing = false;
  let selfClosing = false;
  if (body.startsWith("/")) {
    closing = true;
    body = body.slice(1).trimStart();
  }
  if (body.endsWith("/") && !closing) {
    selfClosing = true;
    body = body.slice(0, -1).trimEnd();
  }
  let i = 0;
  while (i < body.length && NAME.test(body[i])) i++;
  const name = body.slice(0, i);
  if (!name) return fail("shortcode tag has no name");
  const tag: ShortcodeTag = { ...emptyTag(delim, pos, end + 3, raw), name, closing, selfClosing };
  const rest = body.slice(i);
  if (closing && rest.trim()) return fail(`closing tag of \`${name}\` has parameters`);
  const lexed = lexParams(rest);
  if (typeof lexed === "string") return fail(`shortcode \`${name}\`: ${lexed}`);
  for (const [key, value] of lexed) {
    if (key === undefined) tag.positional.push(value);
    else tag.params[key] = value;
  }
  if (tag.positional.length > 0 && Object.keys(tag.params).length > 0) {
    return fail(`shortcode \`${name}\` mixes named and positional parameters`);
  }
  return tag;
}

function emptyTag(delim: "%" | "<", start: number, end: number, raw: string): ShortcodeTag {
  return { name: "", delim, closing: false, selfClosing: false, params: {}, positional: [], start, end, raw };
}

/** `k="v" k2=v2 "pos"` → [key | undefined, value] pairs, or what is wrong. */
function lexParams(text: string): [string | undefined, string][] | string {
  const out: [string | undefined, string][] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (): string | undefined => {
    const q = text[i];
    if (q === '"') {
      let v = "";
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        v += text[i];
      }
      if (text[i] !== '"') return undefined;
      i++;
      return v;
    }
    if (q === "`") {
      const endAt = text.indexOf("`", i + 1);
      if (endAt < 0) return undefined;
      const v = text.slice(i + 1, endAt);
      i = endAt + 1;
      return v;
    }
    const start = i;
    while (i < text.length && !/[\s"`=]/.test(text[i])) i++;
    return text.slice(start, i);
  };
  for (skipSpace(); i < text.length; skipSpace()) {
    const keyMatch = /^([A-Za-z0-9_-]+)\s*=\s*/.exec(text.slice(i));
    if (keyMatch) {
      i += keyMatch[0].length;
      const v = value();
      if (v === undefined) return `the value of \`${keyMatch[1]}\` is not closed`;
      out.push([keyMatch[1], v]);
      continue;
    }
    const before = i;
    const v = value();
    if (v === undefined) return "a quoted value is not closed";
    if (i === before) return `unexpected \`${text[i]}\``;
    out.push([undefined, v]);
  }
  return out;
}
