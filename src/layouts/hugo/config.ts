/**
 * A Hugo site's configuration, read as Hugo reads it: `hugo.toml` or
 * `config.toml` at the root, or the `config/_default/` folder, where
 * `hugo.toml`/`config.toml` hold the top level and any other `name.toml`
 * holds the table `name` (`params.toml` → `params`). Only TOML is read (the
 * repositories this layout knows use it); a YAML or JSON config is reported.
 */

import path from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { type Diagnostic, error } from "../../diagnostics.js";
import type { AutoIdType } from "../../pages/hugo/anchorize.js";
import { autoIdType } from "../../pages/hugo/anchorize.js";
import { existsSync, readdirSync, readFileSync, statSync } from "../../trace.js";

export interface HugoConfig {
  /** The files read, relative to the root (for the preview to watch). */
  files: string[];
  values: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

const ROOT_FILES = ["hugo.toml", "config.toml"];
const DEFAULT_DIR = "config/_default";

/** The Hugo config files of a root, in the order they are merged; none when it has no Hugo config. */
export function hugoConfigFiles(root: string): string[] {
  for (const name of ROOT_FILES) if (isFile(path.join(root, name))) return [name];
  const dir = path.join(root, DEFAULT_DIR);
  if (!isDir(dir)) return [];
  const names = readdirSync(dir)
    .filter((n) => n.endsWith(".toml"))
    .sort((a, b) => topLevel(b) - topLevel(a) || (a < b ? -1 : 1));
  return names.map((n) => `${DEFAULT_DIR}/${n}`);
}

/** The top-level files first, so that a `params.toml` sets `params` over what they say. */
function topLevel(name: string): number {
  return ROOT_FILES.includes(name) ? 1 : 0;
}

export function readHugoConfig(root: string): HugoConfig {
  const files = hugoConfigFiles(root);
  const values: Record<string, unknown> = {};
  const diagnostics: Diagnostic[] = [];
  for (const rel of files) {
    let parsed: Record<string, unknown>;
    try {
      parsed = parseToml(readFileSync(path.join(root, rel), "utf8")) as Record<string, unknown>;
    } catch (e) {
      const where = e instanceof TomlError ? { line: e.line, column: e.column } : {};
      const message = e instanceof TomlError ? e.message.split("\n")[0] : String(e);
      diagnostics.push(error("config-invalid", `Hugo config does not parse: ${message}`, { file: rel, ...where }));
      continue;
    }
    const base = path.posix.basename(rel, ".toml");
    if (rel.startsWith(DEFAULT_DIR) && !ROOT_FILES.includes(`${base}.toml`)) mergeInto(values, { [base]: parsed });
    else mergeInto(values, parsed);
  }
  return { files, values, diagnostics };
}

function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const known = target[key];
    if (isTable(known) && isTable(value)) mergeInto(known, value);
    else target[key] = value;
  }
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** A value at a dotted path of the config (`markup.goldmark.renderer.unsafe`). */
export function configValue(values: Record<string, unknown>, dotted: string): unknown {
  let v: unknown = values;
  for (const key of dotted.split(".")) {
    if (!isTable(v)) return undefined;
    v = v[key];
  }
  return v;
}

/** What the pages need of the config. */
export interface HugoSettings {
  title?: string;
  /** `uglyURLs`: `x.md` → `x.html` instead of `x/index.html`. */
  uglyUrls: boolean;
  /** Goldmark's `renderer.unsafe`: raw HTML in pages is kept (sanitized) rather than dropped. */
  rawHtml: boolean;
  autoIdType: AutoIdType;
  /** Passthrough delimiters (maths), when the Goldmark passthrough extension is on. */
  maths?: { block: [string, string][]; inline: [string, string][] };
  /** `params.version`: `major.minor` of a release, and its status. */
  version?: { major: string; minor: string; status?: string };
}

export function hugoSettings(values: Record<string, unknown>): HugoSettings {
  const title = configValue(values, "title");
  const passthrough = configValue(values, "markup.goldmark.extensions.passthrough");
  const pairs = (v: unknown): [string, string][] =>
    Array.isArray(v)
      ? v.filter((p): p is [string, string] => Array.isArray(p) && p.length === 2 && p.every((s) => typeof s === "string"))
      : [];
  const maths =
    isTable(passthrough) && passthrough.enable === true
      ? { block: pairs(configValue(passthrough, "delimiters.block")), inline: pairs(configValue(passthrough, "delimiters.inline")) }
      : undefined;
  const version = configValue(values, "params.version");
  const major = isTable(version) ? version.major : undefined;
  const minor = isTable(version) ? version.minor : undefined;
  return {
    title: typeof title === "string" ? title : undefined,
    uglyUrls: configValue(values, "uglyURLs") === true || configValue(values, "uglyurls") === true,
    rawHtml: configValue(values, "markup.goldmark.renderer.unsafe") === true,
    autoIdType: autoIdType(values),
    maths,
    version:
      (typeof major === "string" || typeof major === "number") && (typeof minor === "string" || typeof minor === "number")
        ? {
            major: String(major),
            minor: String(minor),
            status: isTable(version) && typeof version.status === "string" ? version.status : undefined,
          }
        : undefined,
  };
}
