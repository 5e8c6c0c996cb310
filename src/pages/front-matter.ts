/**
 * Front matter (Hugo, VitePress, Jekyll): a YAML block between `---` lines or a TOML block between
 * `+++` lines at the top of a page. It is read, never shown: the body keeps
 * the page's line numbers (the front matter's lines become empty), so every
 * place markdown-it reports is still a line of the file.
 */
import yaml from "js-yaml";
import { parse as parseToml, TomlError } from "smol-toml";
import { type Diagnostic, error } from "../diagnostics.js";
import type { Source } from "../load/source.js";

export interface FrontMatter {
  /** The front matter's values; empty when the page has none or it does not parse. */
  data: Record<string, unknown>;
  /** The page's text with the front matter's lines emptied. */
  body: string;
  /** 0-based line of the first body line. */
  bodyLine: number;
  diagnostics: Diagnostic[];
}

const FENCES = { "---": "yaml", "+++": "toml" } as const;

/** Where the front matter is: its fence and the line that closes it (-1: never closed); undefined when the page has none. */
function frontMatterFence(lines: readonly string[]): { fence: keyof typeof FENCES; close: number } | undefined {
  const first = (lines[0] ?? "").replace(/^\uFEFF/, "").trimEnd();
  if (first !== "---" && first !== "+++") return undefined;
  for (let i = 1; i < lines.length; i++) if (lines[i].trimEnd() === first) return { fence: first, close: i };
  return { fence: first, close: -1 };
}

/** The page's text with its front matter's lines emptied, without reading the front matter (a reader needs no more). */
export function frontMatterBody(text: string): string {
  if (!text.startsWith("---") && !text.startsWith("+++") && !text.startsWith("\uFEFF")) return text;
  const lines = text.split("\n");
  const found = frontMatterFence(lines);
  if (!found || found.close < 0) return text;
  return `${"\n".repeat(found.close + 1)}${lines.slice(found.close + 1).join("\n")}`;
}

const read = new WeakMap<Source, FrontMatter>();

/** A loaded file's front matter, read once per loaded text (layouts, includes and changelogs all ask). */
export function frontMatterOf(source: Source): FrontMatter {
  let front = read.get(source);
  if (!front) {
    front = readFrontMatter(source.text, source.rel);
    read.set(source, front);
  }
  return front;
}

export function readFrontMatter(text: string, file: string): FrontMatter {
  const none: FrontMatter = { data: {}, body: text, bodyLine: 0, diagnostics: [] };
  const lines = text.split("\n");
  const found = frontMatterFence(lines);
  if (!found) return none;
  const { fence, close } = found;
  if (close < 0) {
    return {
      ...none,
      diagnostics: [error("front-matter-invalid", `front matter opened by \`${fence}\` is never closed`, { file, line: 1, column: 1 })],
    };
  }
  const inner = lines.slice(1, close).join("\n");
  const body = frontMatterBody(text);
  const diagnostics: Diagnostic[] = [];
  let data: Record<string, unknown> = {};
  try {
    const value = FENCES[fence] === "yaml" ? yaml.load(inner, { schema: yaml.JSON_SCHEMA }) : parseToml(inner);
    if (value === null || value === undefined) data = {};
    else if (typeof value === "object" && !Array.isArray(value)) data = value as Record<string, unknown>;
    else diagnostics.push(error("front-matter-invalid", "front matter is not a mapping of names to values", { file, line: 2, column: 1 }));
  } catch (e) {
    diagnostics.push(error("front-matter-invalid", `front matter does not parse: ${reason(e)}`, { file, ...place(e) }));
  }
  return { data, body, bodyLine: close + 1, diagnostics };
}

function reason(e: unknown): string {
  if (e instanceof yaml.YAMLException) return e.reason;
  if (e instanceof TomlError) return e.message.split("\n")[0];
  return String(e);
}

/** The place in the file: the parsers count from the line after the opening fence. */
function place(e: unknown): { line: number; column: number } {
  if (e instanceof yaml.YAMLException) return { line: e.mark.line + 2, column: e.mark.column + 1 };
  if (e instanceof TomlError) return { line: e.line + 1, column: e.column };
  return { line: 2, column: 1 };
}

/** A front-matter value as a string, if it is one (numbers too: `weight = 10`). */
export function frontString(data: Record<string, unknown>, key: string): string | undefined {
  const v = data[key];
  return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
}

/** A front-matter value as a number (`weight: 10`, `weight: "10"`). */
export function frontNumber(data: Record<string, unknown>, key: string): number | undefined {
  const v = data[key];
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** A front-matter flag (`headless: true`, `headless = "true"`). */
export function frontFlag(data: Record<string, unknown>, key: string): boolean {
  const v = data[key];
  return v === true || v === "true";
}
