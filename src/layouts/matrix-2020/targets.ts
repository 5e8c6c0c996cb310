/**
 * `specification/targets.yaml`, read as gendoc.py read it: each target is a
 * document made of files, a `{N: file}` entry pushing a file's titles down N
 * levels, a `group:NAME` entry standing for the group's files (at the level
 * the entry gives them), `version_label` putting the document at
 * `NAME/LABEL.html` (NAME: the target's name before any `@`), else
 * `NAME.html`. Problems are located diagnostics, never exceptions.
 */
import yaml from "js-yaml";
import { type Diagnostic, error } from "../../diagnostics.js";
import type { Source } from "../../load/source.js";

export interface TargetFile {
  /** Relative to the pages folder, `/`-separated, as targets.yaml writes it. */
  file: string;
  shift: number;
}

export interface Target {
  name: string;
  out: string;
  /** `version_label`, substituted. */
  label?: string;
  files: TargetFile[];
}

export interface Targets {
  targets: Target[];
  titleStyles: string[];
  relativeStyles: { subtitle?: string; sametitle?: string; supertitle?: string };
}

/** The adornments gendoc.py knew when targets.yaml gives none. */
const TITLE_STYLES = ["=", "-", "~", "+", "^", "`", "@", ":"];

export function readTargets(source: Source, substitute: (text: string) => string, diagnostics: Diagnostic[]): Targets {
  const fail = (message: string) => diagnostics.push(error("targets-invalid", message, { file: source.rel, line: 1, column: 1 }));
  let value: unknown;
  try {
    value = yaml.load(source.text, { filename: source.rel });
  } catch (e) {
    const mark = e instanceof yaml.YAMLException ? e.mark : undefined;
    diagnostics.push(
      error("parse-syntax", e instanceof yaml.YAMLException ? e.reason : String(e), {
        file: source.rel,
        line: (mark?.line ?? 0) + 1,
        column: (mark?.column ?? 0) + 1,
      }),
    );
    return { targets: [], titleStyles: TITLE_STYLES, relativeStyles: {} };
  }
  const root = isRecord(value) ? value : {};
  if (!isRecord(value)) fail("targets.yaml must be a mapping with `targets:`");
  const titleStyles =
    Array.isArray(root.title_styles) && root.title_styles.every((s) => typeof s === "string")
      ? (root.title_styles as string[])
      : TITLE_STYLES;
  const relative = isRecord(root.relative_title_styles) ? root.relative_title_styles : {};
  const relativeStyles = {
    subtitle: stringOr(relative.subtitle),
    sametitle: stringOr(relative.sametitle),
    supertitle: stringOr(relative.supertitle),
  };
  const groups = isRecord(root.groups) ? root.groups : {};
  const targets: Target[] = [];
  const entries = isRecord(root.targets) ? Object.entries(root.targets) : [];
  if (!isRecord(root.targets)) fail("targets.yaml has no `targets:` mapping");

  /** One `files:` entry at `shift`: a file, `group:NAME`, or `{N: entry}`. */
  const expand = (entry: unknown, shift: number, where: string, out: TargetFile[], depth: number): void => {
    if (typeof entry === "string") {
      if (!entry.startsWith("group:")) {
        out.push({ file: entry, shift });
        return;
      }
      const name = entry.slice("group:".length);
      const group = groups[name];
      if (!Array.isArray(group)) {
        fail(`${where}: group "${name}" is not a list in \`groups:\``);
        return;
      }
      // A group's `{N: file}` entries are relative to the level the group is used at.
      if (depth > 8) fail(`${where}: groups nest too deeply`);
      else for (const member of group) expand(member, shift, `${where} → group:${name}`, out, depth + 1);
      return;
    }
    if (Array.isArray(entry)) {
      for (const item of entry) expand(item, shift, where, out, depth);
      return;
    }
    if (isRecord(entry)) {
      // gendoc.py takes a mapping's levels in order.
      const levels = Object.keys(entry).sort((a, b) => Number(a) - Number(b));
      for (const level of levels) {
        const n = Number(level);
        if (!Number.isInteger(n) || n < 0) fail(`${where}: "${level}" is not a title level`);
        else expand(entry[level], shift + n, where, out, depth);
      }
      return;
    }
    fail(`${where}: a files entry must be a file, \`group:NAME\` or \`{LEVEL: file}\``);
  };

  for (const [name, target] of entries) {
    if (!isRecord(target) || !Array.isArray(target.files)) {
      fail(`target "${name}" has no \`files:\` list`);
      continue;
    }
    const files: TargetFile[] = [];
    for (const entry of target.files) expand(entry, 0, `target "${name}"`, files, 0);
    const label = typeof target.version_label === "string" ? substitute(target.version_label) : undefined;
    const out = label ? `${name.split("@")[0]}/${label}.html` : `${name}.html`;
    targets.push({ name, out, label, files });
  }
  return { targets, titleStyles, relativeStyles };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringOr(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}
