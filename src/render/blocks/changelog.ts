/**
 * `{{client_server_changelog}}` and the other `{{NAME_changelog}}`: a
 * document's changes at its release label. For `unstable`, the newsfragments
 * as `towncrier --draft` renders them: by category in pyproject.toml's order,
 * fragments of the same text one entry with all their issues, entries by
 * their first issue; for a released label, that release's section of
 * `changelogs/NAME.rst`. Category titles are kept as plain lines, as the 2020
 * templates kept them (their underlines dropped).
 */
import type MarkdownIt from "markdown-it";
import type { Changelog } from "../../layouts/matrix-2020/repository.js";
import type { BlockKind } from "./registry.js";
import { rstTextBlocks } from "./rst-text.js";

export function changelogBlocks(md: MarkdownIt, changelogs: readonly Changelog[], labelOf: (name: string) => string): BlockKind {
  const byName = new Map(changelogs.map((c) => [`${c.name}_changelog`, c]));
  return rstTextBlocks(md, [...byName.keys()], (name) => {
    const changelog = byName.get(name);
    if (!changelog) return undefined;
    const label = labelOf(changelog.name);
    return label === "unstable" ? draft(changelog) : released(changelog, label);
  });
}

function draft(changelog: Changelog): string {
  const out: string[] = [];
  for (const category of changelog.categories) {
    const entries = new Map<string, string[]>();
    for (const fragment of changelog.fragments) {
      if (fragment.type !== category.directory) continue;
      const text = category.showContent ? fragment.text : "";
      entries.set(text, [...(entries.get(text) ?? []), fragment.issue]);
    }
    if (entries.size === 0) continue;
    const issueKey = (issues: string[]) => Math.min(...issues.map((i) => (/^\d+$/.test(i) ? Number(i) : Number.POSITIVE_INFINITY)));
    const sorted = [...entries].sort((a, b) => issueKey(a[1]) - issueKey(b[1]) || a[0].localeCompare(b[0]));
    out.push(category.name, "");
    for (const [text, issues] of sorted) {
      const refs = issues.sort((a, b) => Number(a) - Number(b)).map((i) => issueLink(changelog, i));
      const body = text ? `${text} (${refs.join(", ")})` : refs.join(", ");
      out.push(`- ${body.replace(/\n/g, "\n  ")}`);
    }
    out.push("", "");
  }
  return out.length > 0 ? out.join("\n") : "No significant changes.\n";
}

function issueLink(changelog: Changelog, issue: string): string {
  return changelog.issueFormat ? changelog.issueFormat.replaceAll("{issue}", issue) : `#${issue}`;
}

/** The lines under the release's `===` title up to the next release's, subheading underlines and comments dropped. */
function released(changelog: Changelog, label: string): string {
  const lines = (changelog.released ?? "").split(/\r?\n/);
  const out: string[] = [];
  let inRelease = false;
  for (let i = 0; i < lines.length; i++) {
    const next = lines[i + 1] ?? "";
    if (/^={3,}\s*$/.test(next)) {
      inRelease = lines[i].trim() === label;
      i++;
      continue;
    }
    if (!inRelease || /^-{3,}\s*$/.test(lines[i]) || lines[i].trim().startsWith(".. ")) continue;
    out.push(lines[i]);
  }
  return out.join("\n");
}
