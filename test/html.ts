/** Reading specgen's own HTML back in tests: sections, field tables, rows, examples. */

export interface RowView {
  key: string;
  /** The type cell as text. */
  type: string;
  /** Anchors the type cell links to. */
  links: string[];
  required: boolean;
  /** The description cell's HTML. */
  html: string;
}

export interface TableView {
  id: string;
  caption: string;
  rows: RowView[];
  html: string;
}

/** HTML without the line-break opportunities (`<wbr>`) the site puts into identifiers: what a reader reads. */
export function withoutBreaks(html: string): string {
  return html.replace(/<wbr>/g, "");
}

/** The `<section class="event">` (or other section) with this id, without `<wbr>`s. */
export function section(page: string, id: string): string {
  page = withoutBreaks(page);
  const start = page.indexOf(`<section class="`);
  const at = page.indexOf(` id="${id}"`, start);
  if (start < 0 || at < 0) throw new Error(`no section #${id}`);
  const open = page.lastIndexOf("<section", at);
  const close = page.indexOf("</section>", at);
  return page.slice(open, close + "</section>".length);
}

export function sectionIds(page: string, kind = "event"): string[] {
  return [...page.matchAll(new RegExp(`<section class="${kind}" id="([^"]*)"`, "g"))].map((m) => unescapeHtml(m[1]));
}

export function tables(html: string): TableView[] {
  html = withoutBreaks(html);
  // A table with no rows is a line saying so (field-table.hbs).
  return [...html.matchAll(/<div class="field-table" id="([^"]*)">([\s\S]*?)(?:<\/table>|no fixed fields\.<\/p>)/g)].map((m) => ({
    id: unescapeHtml(m[1]),
    // The table's caption, else the title of an empty table's line (after the description, which may hold <strong> too).
    caption: unescapeHtml(
      /<caption>([\s\S]*?)<\/caption>/.exec(m[2])?.[1] ?? /<p class="field-table-empty"><strong>([\s\S]*?)<\/strong>/.exec(m[2])?.[1] ?? "",
    ),
    rows: rows(m[2]),
    html: m[2],
  }));
}

function rows(table: string): RowView[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? "";
  return [
    ...body.matchAll(
      /<tr[^>]*>\s*<th scope="row"><code>([\s\S]*?)<\/code><\/th>\s*<td class="field-type">([\s\S]*?)<\/td>\s*<td>([\s\S]*?)<\/td>\s*<\/tr>/g,
    ),
  ].map((m) => ({
    key: unescapeHtml(m[1]),
    type: text(m[2]),
    links: [...m[2].matchAll(/href="#([^"]*)"/g)].map((l) => unescapeHtml(l[1])),
    required: m[3].startsWith('<strong class="required">Required<'),
    html: m[3],
  }));
}

/** The JSON text of every example of a section, unescaped. */
export function examples(html: string): { name: string; json: string }[] {
  return [
    ...html.matchAll(
      /<figcaption>Example(?:: <code>([^<]*)<\/code>)?<\/figcaption>\s*<pre><code class="language-json">([\s\S]*?)<\/code><\/pre>/g,
    ),
  ].map((m) => ({ name: unescapeHtml(m[1] ?? ""), json: text(m[2]) }));
}

export function text(html: string): string {
  return unescapeHtml(html.replace(/<[^>]*>/g, ""));
}

export function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&#x3D;/g, "=")
    .replace(/&#x60;/g, "`")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Every endpoint section of a page, by its `data-endpoint` (`PUT /_matrix/...`). */
export function endpoints(page: string): Map<string, string> {
  page = withoutBreaks(page);
  const out = new Map<string, string>();
  for (const m of page.matchAll(/<section class="endpoint" data-endpoint="([^"]*)">/g)) {
    const close = page.indexOf("</section>", m.index);
    out.set(unescapeHtml(m[1]), page.slice(m.index, close + "</section>".length));
  }
  return out;
}

/** The text of an endpoint's example request. */
export function requestExample(html: string): string | undefined {
  const m = /<figcaption>Request example<\/figcaption>\s*<pre><code class="language-http">([\s\S]*?)<\/code><\/pre>/.exec(html);
  return m ? text(m[1]) : undefined;
}
