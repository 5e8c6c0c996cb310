/**
 * What the 2020 templates read besides the spec data, read at each
 * render: the changelogs (released `changelogs/NAME.rst`, and the
 * towncrier newsfragments of the next release, with the categories of
 * `changelogs/NAME/pyproject.toml`), `data-definitions/sas-emoji.json`, and
 * the git version of the checkout. Missing or malformed files give empty
 * data and a diagnostic, never an exception.
 */

import { createRequire } from "node:module";
import path from "node:path";
import { type Diagnostic, warning } from "../../diagnostics.js";
import { existsSync, learntBeyondFiles, readdirSync, readFileSync, statSync } from "../../trace.js";

// child_process (with net and dgram) is loaded when git is first asked, not at every start.
const require = createRequire(import.meta.url);

export interface NewsCategory {
  directory: string;
  name: string;
  showContent: boolean;
}

export interface Changelog {
  /** `client_server`: the changelog of the target of that name. */
  name: string;
  /** The released changelog's text (`changelogs/NAME.rst`), if any. */
  released?: string;
  categories: NewsCategory[];
  /** `ISSUE.TYPE` fragments: their issue, type and text. */
  fragments: { issue: string; type: string; text: string }[];
  issueFormat?: string;
}

export interface SasEmoji {
  number: number;
  emoji: string;
  description: string;
  unicode: string;
}

export interface RepositoryData {
  changelogs: Changelog[];
  sasEmoji?: SasEmoji[];
}

/** Shown for `{{git_version}}` / `{{git_rev}}` when the root is not a git checkout. */
export const NO_GIT = { version: "unknown (not built from a git checkout)", revision: "HEAD" };

export function readRepository(root: string, diagnostics: Diagnostic[]): RepositoryData {
  return { changelogs: readChangelogs(root, diagnostics), sasEmoji: readSasEmoji(root, diagnostics) };
}

function readChangelogs(root: string, diagnostics: Diagnostic[]): Changelog[] {
  const dir = path.join(root, "changelogs");
  if (!isDir(dir)) return [];
  const names = new Set<string>();
  for (const entry of readdirSync(dir)) {
    if (entry.endsWith(".rst") && entry !== "README.rst") names.add(entry.slice(0, -4));
    else if (isDir(path.join(dir, entry)) && existsSync(path.join(dir, entry, "pyproject.toml"))) names.add(entry);
  }
  return [...names].sort().map((name) => {
    const released = readText(path.join(dir, `${name}.rst`));
    const toml = readText(path.join(dir, name, "pyproject.toml"));
    const { categories, issueFormat, directory } = toml
      ? towncrierSettings(toml)
      : { categories: [], issueFormat: undefined, directory: "newsfragments" };
    const fragments: Changelog["fragments"] = [];
    const news = path.join(dir, name, directory);
    if (isDir(news)) {
      for (const file of readdirSync(news).sort()) {
        const m = /^([^.]+)\.([^.]+)(?:\.\d+)?$/.exec(file);
        if (!m) continue;
        if (!categories.some((c) => c.directory === m[2])) {
          diagnostics.push(
            warning("repository-data", `newsfragment ${file} has type "${m[2]}", which pyproject.toml does not list`, {
              file: rel(root, path.join(news, file)),
            }),
          );
          continue;
        }
        fragments.push({ issue: m[1], type: m[2], text: (readText(path.join(news, file)) ?? "").trim() });
      }
    }
    return { name, released, categories, fragments, issueFormat };
  });
}

/** The parts of towncrier's TOML the 2020 changelogs use: `[[tool.towncrier.type]]` tables, `issue_format`, `directory`. */
function towncrierSettings(toml: string): { categories: NewsCategory[]; issueFormat?: string; directory: string } {
  const categories: NewsCategory[] = [];
  let issueFormat: string | undefined;
  let directory = "newsfragments";
  let current: Partial<NewsCategory> | undefined;
  let section = "";
  const finish = () => {
    if (current?.directory)
      categories.push({ directory: current.directory, name: current.name ?? current.directory, showContent: current.showContent ?? true });
    current = undefined;
  };
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      finish();
      section = line;
      if (line === "[[tool.towncrier.type]]") current = {};
      continue;
    }
    const m = /^([\w-]+)\s*=\s*(.+)$/.exec(line);
    if (!m) continue;
    const value = tomlValue(m[2]);
    if (current) {
      if (m[1] === "directory" && typeof value === "string") current.directory = value;
      else if (m[1] === "name" && typeof value === "string") current.name = value;
      else if (m[1] === "showcontent") current.showContent = value === true;
    } else if (section === "[tool.towncrier]") {
      if (m[1] === "issue_format" && typeof value === "string") issueFormat = value;
      if (m[1] === "directory" && typeof value === "string") directory = value;
    }
  }
  finish();
  return { categories, issueFormat, directory };
}

function tomlValue(text: string): string | boolean | undefined {
  const t = text.trim();
  if (t === "true" || t === "false") return t === "true";
  const m = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(t);
  if (!m) return undefined;
  return m[2] ?? m[1].replace(/\\(["\\])/g, "$1");
}

function readSasEmoji(root: string, diagnostics: Diagnostic[]): SasEmoji[] | undefined {
  const file = path.join(root, "data-definitions", "sas-emoji.json");
  const text = readText(file);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (!Array.isArray(value)) throw new Error("not a list");
    return value.map((row: Record<string, unknown>, i) => ({
      number: typeof row.number === "number" ? row.number : i,
      emoji: String(row.emoji ?? ""),
      description: String(row.description ?? ""),
      unicode: String(row.unicode ?? ""),
    }));
  } catch (e) {
    diagnostics.push(warning("repository-data", `cannot read the SAS emoji: ${(e as Error).message}`, { file: rel(root, file) }));
    return undefined;
  }
}

/** gendoc.py's `git_version` and `git_rev`: branch, tag, short commit, dirty; from the root's checkout, or NO_GIT. */
export function gitVersion(root: string): { version: string; revision: string } {
  learntBeyondFiles("the git version");
  const git = (...args: string[]) => {
    try {
      const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
      return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 }).trim();
    } catch {
      return "";
    }
  };
  const commit = git("rev-parse", "--short", "HEAD");
  if (!commit) return NO_GIT;
  const branch = git("rev-parse", "--abbrev-ref", "HEAD");
  const tag = git("describe", "--exact-match");
  const dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".") ? "dirty" : "";
  return { version: [branch, tag && `tag=${tag}`, commit, dirty].filter(Boolean).join(","), revision: commit };
}

function readText(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? readFileSync(file, "utf8") : undefined;
  } catch {
    return undefined;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}
