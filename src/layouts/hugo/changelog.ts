/**
 * The unreleased changelog: towncrier newsfragments (`changelogs/<section>/newsfragments/<issue>.<type>`)
 * grouped as the repository's `changelogs/pyproject.toml` says (its sections
 * and types, in order) and written as its `template.md.jinja` does (a bullet
 * per text, with the issues that give it, linked as the template links them).
 */

import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { existsSync, readdirSync, readFileSync, statSync } from "../../trace.js";

interface Named {
  name: string;
  key: string;
}

export function unreleasedChangelog(root: string): string | undefined {
  const dir = path.join(root, "changelogs");
  const configFile = path.join(dir, "pyproject.toml");
  if (!isFile(configFile)) return undefined;
  let towncrier: Record<string, unknown>;
  try {
    const value = parseToml(readFileSync(configFile, "utf8")) as { tool?: { towncrier?: Record<string, unknown> } };
    towncrier = value.tool?.towncrier ?? {};
  } catch {
    return undefined;
  }
  const list = (key: string, field: string): Named[] =>
    (Array.isArray(towncrier[key]) ? (towncrier[key] as Record<string, unknown>[]) : [])
      .filter((e) => typeof e.name === "string" && typeof e[field] === "string")
      .map((e) => ({ name: e.name as string, key: e[field] as string }));
  const sections = list("section", "path");
  const types = list("type", "directory");
  const issueUrl = issueLink(path.join(dir, "template.md.jinja"));
  const out: string[] = [];
  for (const section of sections) {
    const folder = path.join(dir, section.key, "newsfragments");
    if (!isDir(folder)) continue;
    const byType = new Map<string, Map<string, string[]>>();
    for (const name of readdirSync(folder).sort()) {
      const m = /^(\d+)\.([A-Za-z]+)(?:\.\d+)?$/.exec(name);
      if (!m || !isFile(path.join(folder, name))) continue;
      const text = readFileSync(path.join(folder, name), "utf8").trim();
      const texts = byType.get(m[2]) ?? new Map<string, string[]>();
      texts.set(text, [...(texts.get(text) ?? []), m[1]]);
      byType.set(m[2], texts);
    }
    if (byType.size === 0) continue;
    out.push(`### ${section.name}`, "");
    for (const type of types) {
      const texts = byType.get(type.key);
      if (!texts) continue;
      out.push(`**${type.name}**`, "");
      for (const [text, issues] of texts) {
        const refs = issues.map((n) => (issueUrl ? `[#${n}](${issueUrl}${n})` : `#${n}`)).join(", ");
        out.push(`- ${text} (${refs})`);
      }
      out.push("");
    }
  }
  return out.length > 0 ? `## Unreleased changes\n\n${out.join("\n")}\n` : undefined;
}

/** The URL before the issue number in the template's links (`…/issues/{{issue|trim('#')}}`). */
function issueLink(template: string): string | undefined {
  if (!isFile(template)) return undefined;
  const m = /\]\((https?:\/\/[^)\s{]+)\{\{\s*issue/.exec(readFileSync(template, "utf8"));
  return m?.[1];
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
