/**
 * Resolves the spec root, its folders and every default once. The rest of the
 * code reads a `Config` and never looks at the command line or the disk layout.
 */

import path from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import { findLayout, LAYOUTS } from "./layouts/index.js";
import type { Layout } from "./layouts/layout.js";
import { isRuleCode, RULES, type RuleCode, type RuleSetting, ruleSettings } from "./rules.js";
import { existsSync, readFileSync, realpathSync, statSync } from "./trace.js";

export const CONFIG_FILE = "specgen.config.yaml";

/** The templates shipped with specgen; a spec root's `templates/` overrides them. */
export const BUILTIN_TEMPLATES = fileURLToPath(new URL("../templates/", import.meta.url));

export interface Config {
  /** Absolute, symlinks resolved. */
  root: string;
  /** The kind of repository: which files are pages, where they go, how headings get ids (`layout:`, else detected). */
  layout: Layout;
  title: string;
  version: string;
  schemas: string;
  examples: string;
  pages: string;
  templates: string;
  output: string;
  /** Let `$ref`s, symlinks and `paths` read files outside the root. */
  allowExternalRefs: boolean;
  /** Let `$ref` fetch http(s) URLs. */
  allowNetworkRefs: boolean;
  /** Let Markdown pages and descriptions carry raw HTML. */
  allowHtml: boolean;
  /** Files larger than this are refused, in bytes. */
  maxFileSize: number;
  /** Group block name → patterns over event names (see render/blocks/group.ts). */
  groups: Readonly<Record<string, readonly string[]>>;
  /** `format` names known beside ajv-formats' (they validate anything). */
  formats: string[];
  /** Formats readers know by a title (and a link): from `data/string-formats.yaml` (`paths.formats`) and `formats:`. */
  formatTitles: Readonly<Record<string, FormatTitle>>;
  /** The formats file (`paths.formats`), read with the config when it is there. */
  formatsFile: string;
  /** Severities of lint rules, from `rules:`. */
  rules: Partial<Record<RuleCode, RuleSetting>>;
  /** `--strict`: warnings are errors. */
  strict: boolean;
  /** `--max-warnings`: more warnings than this fail the run. */
  maxWarnings?: number;
  /** The folder of HTTP API definitions (`paths.apis`). */
  apis: string;
  /** API sub-folder → the suffix of its blocks' names (`client-server` → `cs`: `{{account_data_cs_http_api}}`). */
  apiSuffixes: Readonly<Record<string, string>>;
  /** `%NAME%` in data files → its value (`CLIENT_MAJOR_VERSION: r0`). */
  substitutions: Readonly<Record<string, string>>;
  /** `nav:` page files (relative to the pages folder) in sidebar order; pages not listed follow. */
  nav: readonly string[];
  /** `exclude:` globs, relative to the root: files and folders no source folder lists. */
  exclude: readonly string[];
}

/** How a type cell names a `format`: `mx-user-id` → `User ID`, linking to where it is defined. */
export interface FormatTitle {
  title: string;
  /** Absolute, or relative to the site's root (`appendices#user-identifiers`). */
  url?: string;
}

/** The API folders of the Matrix spec and the suffixes its block names used. */
export const DEFAULT_API_SUFFIXES: Readonly<Record<string, string>> = {
  "client-server": "cs",
  "server-server": "ss",
  "application-service": "as",
  identity: "is",
  "push-gateway": "push",
};

/**
 * The groups of the Matrix spec's pages, as its 2020 pipeline made them:
 * message types in reading order (server notices have a module of their own),
 * VoIP events in call order, presence, and the `m.room.*` events (the 2020 filter
 * was the prefix `m.room`, which also caught the `m.room_key*` to-device events).
 */
export const DEFAULT_GROUPS: Readonly<Record<string, readonly string[]>> = {
  msgtype_events: [
    "m.room.message$m.text",
    "m.room.message$m.emote",
    "m.room.message$m.notice",
    "m.room.message$m.image",
    "m.room.message$m.file",
    "m.room.message$*",
    "!m.room.message$m.server_notice",
  ],
  voip_events: ["m.call.invite", "m.call.candidates", "m.call.answer", "m.call.hangup", "m.call.*"],
  presence_events: ["m.presence*"],
  room_events: ["m.room.*", "!m.room.message$*"],
};

/** A problem with the configuration or the command line: exit code 2. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const FOLDERS = ["schemas", "examples", "pages", "templates", "output", "apis", "formats"] as const;
type Folder = (typeof FOLDERS)[number];

const DEFAULT_FOLDERS: Record<Folder, string> = {
  schemas: "event-schemas/schema",
  examples: "event-schemas/examples",
  pages: "specification",
  templates: "templates",
  output: "output",
  apis: "api",
  // A file, not a folder: the format titles, as the Matrix spec keeps them (read when it is there).
  formats: "data/string-formats.yaml",
};

export interface ConfigOverrides {
  out?: string;
  strict?: boolean;
  maxWarnings?: number;
}

const KNOWN_KEYS = [
  "layout",
  "title",
  "version",
  "paths",
  "allowExternalRefs",
  "allowNetworkRefs",
  "allowHtml",
  "maxFileSize",
  "formats",
  "rules",
  "groups",
  "apis",
  "substitutions",
  "exclude",
  "nav",
] as const;

export function loadConfig(rootArg = ".", overrides: ConfigOverrides = {}): Config {
  const given = path.resolve(rootArg);
  if (!existsSync(given)) throw new ConfigError(`spec root ${rootArg} does not exist`);
  if (!statSync(given).isDirectory()) throw new ConfigError(`spec root ${rootArg} is not a folder`);
  const root = realpathSync(given);
  const file = path.join(root, CONFIG_FILE);
  const own = existsSync(file) ? readConfigFile(file) : {};
  for (const key of Object.keys(own)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(`${CONFIG_FILE}: unknown setting "${key}" (known: ${KNOWN_KEYS.join(", ")})`);
    }
  }
  if (own.layout !== undefined && typeof own.layout !== "string") throw new ConfigError(`${CONFIG_FILE}: "layout" must be a name`);
  const layout = findLayout(root, own.layout as string | undefined);
  if (!layout) {
    throw new ConfigError(`${CONFIG_FILE}: unknown layout "${own.layout}" (known: ${LAYOUTS.map((l) => l.name).join(", ")})`);
  }
  const raw = overlay(layout.settings(root), own);

  const folders = { ...DEFAULT_FOLDERS };
  const pathsValue = raw.paths ?? {};
  if (!isPlainObject(pathsValue)) throw new ConfigError(`${CONFIG_FILE}: "paths" must be a mapping`);
  for (const [key, value] of Object.entries(pathsValue)) {
    if (!(FOLDERS as readonly string[]).includes(key)) {
      throw new ConfigError(`${CONFIG_FILE}: unknown folder "paths.${key}" (known: ${FOLDERS.join(", ")})`);
    }
    if (typeof value !== "string" || value === "") throw new ConfigError(`${CONFIG_FILE}: "paths.${key}" must be a path`);
    folders[key as Folder] = value;
  }

  const config: Config = {
    root,
    layout,
    title: stringOption(raw, "title", "Specification"),
    version: stringOption(raw, "version", ""),
    schemas: path.resolve(root, folders.schemas),
    examples: path.resolve(root, folders.examples),
    pages: path.resolve(root, folders.pages),
    templates: path.resolve(root, folders.templates),
    output: overrides.out ? path.resolve(overrides.out) : path.resolve(root, folders.output),
    allowExternalRefs: booleanOption(raw, "allowExternalRefs", false),
    allowNetworkRefs: booleanOption(raw, "allowNetworkRefs", false),
    allowHtml: booleanOption(raw, "allowHtml", false),
    maxFileSize: numberOption(raw, "maxFileSize", 10 * 1024 * 1024),
    groups: { ...DEFAULT_GROUPS, ...groupsOption(raw.groups) },
    ...formatsOption(raw.formats, path.resolve(root, folders.formats), root, raw.allowExternalRefs === true),
    formatsFile: path.resolve(root, folders.formats),
    rules: rulesOption(raw.rules),
    strict: overrides.strict ?? false,
    maxWarnings: overrides.maxWarnings,
    apis: path.resolve(root, folders.apis),
    apiSuffixes: { ...DEFAULT_API_SUFFIXES, ...apisOption(raw.apis) },
    substitutions: substitutionsOption(raw.substitutions),
    exclude: stringListOption(raw, "exclude"),
    nav: stringListOption(raw, "nav"),
  };
  checkSourceFolders(config);
  checkOutputFolder(config);
  return config;
}

function readConfigFile(file: string): Record<string, unknown> {
  const stat = statSync(file);
  if (!stat.isFile()) throw new ConfigError(`${CONFIG_FILE} is not a file`);
  if (stat.size > 1024 * 1024) throw new ConfigError(`${CONFIG_FILE} is over 1 MiB; it holds settings only`);
  let value: unknown;
  try {
    value = yaml.load(readFileSync(file, "utf8"), { filename: CONFIG_FILE });
  } catch (e) {
    const where = e instanceof yaml.YAMLException && e.mark ? `:${e.mark.line + 1}:${e.mark.column + 1}` : "";
    const reason = e instanceof yaml.YAMLException ? e.reason : (e as Error).message;
    throw new ConfigError(`${CONFIG_FILE}${where}: ${reason}`);
  }
  if (value == null) return {};
  if (!isPlainObject(value)) throw new ConfigError(`${CONFIG_FILE} must be a mapping of settings`);
  return value;
}

/** Source folders lie in the root, unless the config lets specgen read outside it. */
function checkSourceFolders(config: Config): void {
  if (config.allowExternalRefs) return;
  for (const key of ["schemas", "examples", "pages", "templates"] as const) {
    if (!isWithin(realish(config[key]), config.root)) {
      throw new ConfigError(
        `${CONFIG_FILE}: "paths.${key}" (${config[key]}) lies outside the spec root; set allowExternalRefs: true to allow it`,
      );
    }
  }
}

/**
 * The output folder is replaced wholesale on every build, so it must never be
 * the root, hold the root, or lie inside a folder of sources.
 */
export function checkOutputFolder(config: Config): void {
  const out = realish(config.output);
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new ConfigError(`output folder ${config.output} is a file, not a folder`);
  }
  if (isWithin(config.root, out)) {
    throw new ConfigError(`output folder ${config.output} is the spec root or holds it; choose a folder of its own`);
  }
  for (const folder of [config.schemas, config.examples, config.pages, config.templates, config.apis]) {
    const real = realish(folder);
    if (isWithin(out, real)) throw new ConfigError(`output folder ${config.output} lies inside the source folder ${folder}`);
    if (isWithin(real, out)) throw new ConfigError(`output folder ${config.output} holds the source folder ${folder}`);
  }
}

/** `child` is `parent` or lies in it (both absolute, symlinks resolved). */
export function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/** Like realpath, for a path whose tail may not exist yet. */
export function realish(p: string): string {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let head = abs;
  while (!existsSync(head)) {
    rest.unshift(path.basename(head));
    const up = path.dirname(head);
    if (up === head) break;
    head = up;
  }
  return path.join(realpathSync(head), ...rest);
}

/** A layout's settings under the config file's: a mapping given in both is merged key by key, anything else replaced. */
function overlay(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = out[key];
    out[key] = isPlainObject(under) && isPlainObject(value) ? { ...under, ...value } : value;
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringOption(raw: Record<string, unknown>, key: string, fallback: string): string {
  const v = raw[key];
  if (v === undefined) return fallback;
  if (typeof v !== "string" && typeof v !== "number") throw new ConfigError(`${CONFIG_FILE}: "${key}" must be a string`);
  return String(v);
}

/** `groups:` a mapping of block names to lists of event-name patterns; a name given replaces the default of that name. */
function groupsOption(value: unknown): Record<string, string[]> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new ConfigError(`${CONFIG_FILE}: "groups" must be a mapping of block names to lists of events`);
  const groups: Record<string, string[]> = {};
  for (const [name, patterns] of Object.entries(value)) {
    if (!/^[A-Za-z0-9_.$-]+$/.test(name)) throw new ConfigError(`${CONFIG_FILE}: "groups.${name}" is not a block name`);
    if (!Array.isArray(patterns) || !patterns.every((p) => typeof p === "string" && p !== "" && p !== "!")) {
      throw new ConfigError(`${CONFIG_FILE}: "groups.${name}" must be a list of event names or patterns`);
    }
    groups[name] = patterns;
  }
  return groups;
}

/** `apis: {suffixes: {folder: suffix}}`: a folder given replaces the default of that folder. */
function apisOption(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new ConfigError(`${CONFIG_FILE}: "apis" must be a mapping (suffixes: …)`);
  for (const key of Object.keys(value)) {
    if (key !== "suffixes") throw new ConfigError(`${CONFIG_FILE}: unknown setting "apis.${key}" (known: suffixes)`);
  }
  const suffixes = value.suffixes ?? {};
  if (!isPlainObject(suffixes)) throw new ConfigError(`${CONFIG_FILE}: "apis.suffixes" must map API folders to block suffixes`);
  for (const [folder, suffix] of Object.entries(suffixes)) {
    if (typeof suffix !== "string" || !/^[A-Za-z0-9_]+$/.test(suffix)) {
      throw new ConfigError(`${CONFIG_FILE}: "apis.suffixes.${folder}" must be a word (letters, digits, _)`);
    }
  }
  return suffixes as Record<string, string>;
}

/** `substitutions: {NAME: value}`: replaces `%NAME%` in the strings of data files. */
function substitutionsOption(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new ConfigError(`${CONFIG_FILE}: "substitutions" must be a mapping of names to values`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ConfigError(`${CONFIG_FILE}: "substitutions.${name}" is not a variable name`);
    if (typeof v !== "string" && typeof v !== "number") throw new ConfigError(`${CONFIG_FILE}: "substitutions.${name}" must be a string`);
    out[name] = String(v);
  }
  return out;
}

/**
 * `formats:` a list of names, or a mapping of names to `{title, url}` (or
 * nothing), over the entries of the formats file (`data/string-formats.yaml`
 * by default) when there is one. Every name is known to the format lint.
 */
function formatsOption(value: unknown, file: string, root: string, external: boolean): Pick<Config, "formats" | "formatTitles"> {
  const titles: Record<string, FormatTitle> = {};
  const names = new Set<string>();
  const read = (entries: Record<string, unknown>, where: string) => {
    for (const [name, entry] of Object.entries(entries)) {
      names.add(name);
      if (entry === null || entry === undefined) continue;
      if (!isPlainObject(entry) || typeof entry.title !== "string" || (entry.url !== undefined && typeof entry.url !== "string")) {
        throw new ConfigError(`${where}: "${name}" must be a mapping with a title (and a url)`);
      }
      titles[name] = { title: entry.title, url: entry.url as string | undefined };
    }
  };
  if (existsSync(file) && statSync(file).isFile()) {
    if (!external && !isWithin(realish(file), root)) {
      throw new ConfigError(`${CONFIG_FILE}: "paths.formats" lies outside the spec root; set allowExternalRefs: true to allow it`);
    }
    const rel = path.relative(root, file);
    let parsed: unknown;
    try {
      parsed = yaml.load(readFileSync(file, "utf8"), { filename: rel });
    } catch (e) {
      throw new ConfigError(`${rel}: ${(e as Error).message}`);
    }
    if (parsed != null && !isPlainObject(parsed)) throw new ConfigError(`${rel} must be a mapping of format names`);
    read((parsed ?? {}) as Record<string, unknown>, rel);
  }
  if (Array.isArray(value)) {
    if (!value.every((x) => typeof x === "string")) throw new ConfigError(`${CONFIG_FILE}: "formats" must be a list of names or a mapping`);
    for (const name of value) names.add(name);
  } else if (isPlainObject(value)) read(value, `${CONFIG_FILE}: formats`);
  else if (value !== undefined && value !== null) throw new ConfigError(`${CONFIG_FILE}: "formats" must be a list of names or a mapping`);
  return { formats: [...names], formatTitles: titles };
}

function booleanOption(raw: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = raw[key];
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") throw new ConfigError(`${CONFIG_FILE}: "${key}" must be true or false`);
  return v;
}

function stringListOption(raw: Record<string, unknown>, key: string): string[] {
  const v = raw[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
    throw new ConfigError(`${CONFIG_FILE}: "${key}" must be a list of strings`);
  return v;
}

/** `rules: {property-no-description: error, event-no-example: off}`: lint rules only. */
function rulesOption(value: unknown): Partial<Record<RuleCode, RuleSetting>> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new ConfigError(`${CONFIG_FILE}: "rules" must be a mapping of rule codes to error, warning or off`);
  const rules: Partial<Record<RuleCode, RuleSetting>> = {};
  const lintCodes = Object.entries(RULES)
    .filter(([, r]) => r.lint)
    .map(([code]) => code);
  for (const [code, setting] of Object.entries(value)) {
    if (!isRuleCode(code)) throw new ConfigError(`${CONFIG_FILE}: unknown rule "rules.${code}" (known: ${lintCodes.join(", ")})`);
    if (!RULES[code].lint) throw new ConfigError(`${CONFIG_FILE}: rule "rules.${code}" is always an error and cannot be configured`);
    const allowed = ruleSettings(RULES[code]);
    if (!allowed.includes(setting as RuleSetting)) {
      throw new ConfigError(`${CONFIG_FILE}: "rules.${code}" must be ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}`);
    }
    rules[code] = setting as RuleSetting;
  }
  return rules;
}

function numberOption(raw: Record<string, unknown>, key: string, fallback: number): number {
  const v = raw[key];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0)) throw new ConfigError(`${CONFIG_FILE}: "${key}" must be a positive number`);
  return v;
}
