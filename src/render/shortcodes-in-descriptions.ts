/**
 * Hugo shortcodes written inside data descriptions (`{{% boxes/note %}}…
 * {{% /boxes/note %}}`, `{{% added-in v="1.7" %}}`, `{{< changed-in >}}`).
 * Pages get shortcodes from their layout; a description has none to give
 * them yet, so each one is reported where it is written (`shortcode-unknown`)
 * and its markup left out of the HTML (the words between a pair stay), so
 * that `{{%` never reaches a reader.
 */
import { error } from "../diagnostics.js";
import type { Locator } from "./env.js";

/** `{{% name args %}}`, `{{% /name %}}`, `{{< name >}}`: the delimiter, the closing slash, the name. */
const SHORTCODE = /\{\{([%<])\s*(\/?)\s*([\w./-]+)((?:"[^"]*"|[^"%>}])*?)\s*[%>]\}\}/g;

export interface FoundShortcode {
  raw: string;
  name: string;
  closing: boolean;
  /** 0-based line of the text it starts on. */
  line: number;
}

export function findShortcodes(text: string): FoundShortcode[] {
  if (!text.includes("{{")) return [];
  const out: FoundShortcode[] = [];
  for (const m of text.matchAll(SHORTCODE)) {
    const line = text.slice(0, m.index).split("\n").length - 1;
    out.push({ raw: m[0], name: m[3], closing: m[2] === "/", line });
  }
  return out;
}

/**
 * The text without its shortcodes' markup, and an error for each opening one,
 * at its place (`where` locates lines of the text in its file).
 */
export function withoutShortcodes(text: string, where: Locator): { text: string; diagnostics: ReturnType<typeof error>[] } {
  const found = findShortcodes(text);
  if (found.length === 0) return { text, diagnostics: [] };
  const diagnostics = found
    .filter((s) => !s.closing)
    .map((s) =>
      error(
        "shortcode-unknown",
        `shortcode ${s.raw.length > 60 ? `${s.raw.slice(0, 57)}...` : s.raw} in a description is not rendered; write what it says as Markdown`,
        // In a quoted YAML scalar its arguments may be written escaped: up to the name, it is as written.
        where(s.line, { text: [s.raw, s.raw.slice(0, s.raw.indexOf(s.name) + s.name.length)] }),
      ),
    );
  return { text: text.replace(SHORTCODE, ""), diagnostics };
}
