/**
 * Hugo's ids: `anchorize` (the template function the shortcodes use for
 * event and endpoint ids) and the heading ids Goldmark gives, by the site's
 * `markup.goldmark.parser.autoHeadingIDType`: "github" (Hugo's default),
 * "github-ascii" or "blackfriday".
 */
export type AutoIdType = "github" | "github-ascii" | "blackfriday";

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}_]/u;

export function anchorize(text: string, type: AutoIdType = "github"): string {
  if (type === "blackfriday") return blackfriday(text);
  const ascii = type === "github-ascii";
  // github-ascii keeps the letters of accented characters ("é" → "e").
  const input = (ascii ? text.normalize("NFD") : text).trim();
  let out = "";
  for (const ch of input) {
    if (ascii && ch.codePointAt(0)! > 0x7f) continue;
    if (ch === "-" || ch === " ") out += "-";
    else if (LETTER_OR_DIGIT.test(ch)) out += ch.toLowerCase();
  }
  return out;
}

/** Blackfriday's rule: runs of anything but letters and digits become one dash between words. */
function blackfriday(text: string): string {
  let out = "";
  let dash = false;
  for (const ch of text) {
    if (/[\p{L}\p{N}]/u.test(ch)) {
      if (dash && out) out += "-";
      dash = false;
      out += ch.toLowerCase();
    } else dash = true;
  }
  return out;
}

/**
 * A page's heading ids as Goldmark makes them: an empty id is "heading", and
 * an id already taken gets "-1", "-2", … Explicit `{#id}` ids are taken as written.
 */
export class HeadingIds {
  constructor(
    private readonly taken: Set<string>,
    private readonly type: AutoIdType = "github",
  ) {}

  /** The id of a heading whose source line (inline markup included, as Goldmark reads it) is `line`. */
  auto(line: string): string {
    const base = anchorize(line, this.type) || "heading";
    let id = base;
    for (let i = 1; this.taken.has(id); i++) id = `${base}-${i}`;
    this.taken.add(id);
    return id;
  }

  explicit(id: string): string {
    this.taken.add(id);
    return id;
  }
}

/**
 * Goldmark's heading attributes, `## Title {#id}` or `## Title {id="id" .class}`:
 * the title without them and the id they give, if the heading ends with a list of them.
 */
export function explicitId(title: string): { title: string; id?: string } {
  const m = /\s*\{([^{}]*)\}\s*$/.exec(title);
  if (!m) return { title };
  const attrs = m[1].trim();
  if (!/^(?:(?:#[^\s{}#.]+|\.[^\s{}#.]+|[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'{}]+))\s*)+$/.test(attrs)) return { title };
  const id =
    /(?:^|\s)#([^\s{}#.]+)/.exec(attrs)?.[1] ??
    /(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'{}]+))/
      .exec(attrs)
      ?.slice(1)
      .find((v) => v !== undefined);
  return { title: title.slice(0, m.index), id };
}

/** The markup settings of a Hugo config that decide ids. */
export function autoIdType(config: Record<string, unknown>): AutoIdType {
  const markup = config.markup as Record<string, unknown> | undefined;
  const goldmark = markup?.goldmark as Record<string, unknown> | undefined;
  const parser = goldmark?.parser as Record<string, unknown> | undefined;
  const type = parser?.autoHeadingIDType;
  return type === "github-ascii" || type === "blackfriday" ? type : "github";
}
