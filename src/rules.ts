/**
 * Every diagnostic code specgen emits, with its default severity and what it
 * means. Codes are stable: CI configurations and `--format json` consumers key
 * on them. Lint rules (`lint: true`) can be set to error, warning or off in
 * specgen.config.yaml; the others are always errors, because the site cannot be
 * right while they stand. Severities are applied once, at the end of the
 * pipeline (`applyRules`).
 */
import type { Diagnostic, Severity } from "./diagnostics.js";

export type RuleSetting = Severity | "off";

export interface Rule {
  severity: Severity;
  /** Configurable in specgen.config.yaml `rules:`. */
  lint: boolean;
  /** The settings `rules:` may give it, when not error, warning and off. */
  settings?: readonly RuleSetting[];
  description: string;
}

const fatal = (description: string): Rule => ({ severity: "error", lint: false, description });
const lint = (description: string): Rule => ({ severity: "warning", lint: true, description });
/**
 * An error that a spec being written may lower to a warning (a section it
 * does not have yet), but never turn off: the reader still sees the gap.
 */
const pending = (description: string): Rule => ({ severity: "error", lint: true, settings: ["error", "warning"], description });

/** What `rules:` may set a rule to. */
export function ruleSettings(rule: Rule): readonly RuleSetting[] {
  return rule.settings ?? ["error", "warning", "off"];
}

export const RULES = {
  "file-unreadable": fatal("a file cannot be read, or is not a regular file"),
  "file-outside-root": fatal("a symlink in a source folder to a file or folder outside the spec root, while `allowExternalRefs` is off"),
  "file-too-large": fatal("a file is larger than `maxFileSize`"),
  "file-binary": fatal("a file holds binary data"),
  "file-encoding": fatal("a file is not UTF-8 text"),
  "parse-empty": fatal("a schema or example file is empty"),
  "parse-syntax": fatal("a YAML or JSON syntax error"),
  "parse-duplicate-key": fatal("a mapping has the same key twice"),
  "parse-too-complex": fatal("nesting deeper than 256 levels, or YAML aliases that expand to over a million nodes"),
  "template-invalid": fatal("a template override does not compile (the built-in one is used instead)"),
  "ref-invalid": fatal("a `$ref` that is not a string"),
  "ref-network": fatal("a `$ref` to an http(s) URL while `allowNetworkRefs` is off"),
  "ref-outside-root": fatal("a `$ref` leaving the spec root while `allowExternalRefs` is off"),
  "ref-unsupported": fatal("a `$ref` that is neither a file path nor a URL, or whose fragment is not a JSON pointer"),
  "ref-missing-file": fatal("a `$ref` to a file that does not exist"),
  "ref-missing-pointer": fatal("a `$ref` to a JSON pointer that names nothing in its file"),
  "ref-unresolved": fatal("a `$ref` that json-schema-ref-parser could not resolve"),
  "schema-ref-loop": fatal("`$ref`/`allOf` that lead back to the same schema without descending into a property or item"),
  "schema-not-object": fatal("a schema file that is a scalar or a list"),
  "schema-invalid": fatal("a schema that breaks its JSON Schema meta-schema"),
  "schema-compile": fatal("a `pattern` that is not a valid regular expression (not applied; the rest of the schema is)"),
  "example-invalid": fatal("an example that breaks its schema"),
  "example-not-json": fatal("an example holds a value JSON cannot (a YAML timestamp, binary data, .inf)"),
  "example-not-object": fatal("an example that is not an object (e.g. `null`)"),
  "example-ref-loop": fatal("example `$ref`s that extend each other in a loop"),
  "block-option-invalid": fatal('a block\'s option (`{{name key="…"}}`) that its kind does not take, or a value it cannot use'),
  "block-unknown": pending("a `{{block}}` that names no block (shown as a note on the page)"),
  "block-recursive": fatal("a `{{block}}` in a description that includes the block itself"),
  "block-expansion": fatal("`{{block}}`s in descriptions that expand to over 200 blocks on one page (the rest are left out)"),
  "reference-unresolved": pending("a `` `Title`_ `` reference that names no heading or event (shown as its text)"),
  "link-unsafe": fatal("a `` `text <url>`_ `` link to a javascript:, vbscript:, file: or data: URL"),
  "api-malformed": fatal("an API document that is not a well-formed Swagger 2.0 or OpenAPI 3.x structure at this place"),
  "config-invalid": fatal("specgen.config.yaml cannot be used (reported in the preview; the CLI exits 2)"),
  "front-matter-invalid": fatal("a page's front matter (YAML `---` or TOML `+++`) does not parse or is not a mapping"),
  "shortcode-unknown": fatal(
    "a Hugo shortcode (`{{% name %}}`, `{{< name >}}`) that the layout does not know, or any in a description under a layout without shortcodes",
  ),
  "shortcode-invalid": fatal("a Hugo shortcode that is malformed, lacks a parameter, names nothing, or stands where it cannot"),
  "rst-substitution-undefined": fatal(
    "an RST substitution reference `|name|` with no `.. |name| replace::` definition (or one that refers to itself)",
  ),
  "rst-footnote-unknown": fatal("an RST footnote reference `[1]_` to no footnote"),
  "rst-table-malformed": fatal("an RST grid table whose cells do not cover it (shown as nothing)"),
  "targets-invalid": fatal(
    "a 2020 `targets.yaml` that is not the shape gendoc.py read (targets with `files:`, groups that are lists, levels that are numbers)",
  ),
  "internal-error": fatal("specgen failed on this input: please report it"),
  "property-no-description": lint("a property of an event's field tables has no description"),
  "event-no-example": lint("an event schema has no example"),
  "example-no-schema": lint("an example has no schema of its name"),
  "state-key-no-description": lint("a state event does not describe its `state_key`"),
  "format-unknown": lint("a `format` that neither ajv-formats nor the config's `formats` list knows"),
  "pattern-unsupported": lint("a `pattern` that RE2 cannot run in linear time (a backreference, lookaround): not applied"),
  "schema-unknown-draft": lint("a `$schema` specgen does not know (checked as draft-07)"),
  "link-broken": lint("a relative link or `#fragment` that resolves nowhere in the built site"),
  "anchor-duplicate": lint("two elements of a page with the same id"),
  "spec-empty": lint("no schema, example or page files in the configured folders"),
  "group-missing-event": lint("a group in `groups:` names an event the spec does not have"),
  "group-empty": lint("a group block holds no event"),
  "block-repeated": lint("a block shows what its page already shows (its ids repeat)"),
  "rst-markup": lint(
    "RST markup docutils would warn about: a short title underline, a title inside a list, unexpected indentation, inline markup without its end",
  ),
  "rst-role-unknown": lint("an RST role (`:name:`text``) specgen does not render; it is shown as text"),
  "page-format-unknown": lint(
    "a file of the pages folder in a prose format the layout does not read (a `.rst` page in a specgen layout): not built",
  ),
  "nav-page-missing": lint("a page that `nav:` in the config lists is not among the pages (the rest are ordered still)"),
  "page-not-in-target": lint("a page of a 2020 repository that no `targets.yaml` target includes (checked, and written at its own path)"),
  "repository-data": lint(
    "a file the 2020 templates read besides the spec data (a changelog fragment, sas-emoji.json) that cannot be used",
  ),
  "target-file-missing": lint("a `targets.yaml` target names a file that is not among the pages"),
  "rst-directive-unknown": lint("an RST directive (`.. name::`) specgen does not render; it is shown as text"),
  "rst-substitution-unresolved": lint("a `|name|_` RST substitution reference that nothing defines; it is shown as written"),
  "ref-relative-to-outer": lint("a `$ref` written relative to the target of the `$ref` around it (the 2020 habit); read that way"),
  "schema-2020-habit": lint("`type: enum` or `properties: []` (the 2020 habit): read the old way"),
  "substitution-unknown": lint("a `%NAME%` with no value in `substitutions:`; left as written"),
  "api-path-space": lint("an API path with white space around it (trimmed)"),
  "api-path-parameter": lint("a `{name}` in an API path that no path parameter describes"),
  "api-example-external": lint("an OpenAPI example given only as an `externalValue` (not shown)"),
  "api-response-description": lint("an API response without a description"),
  "api-example-media-type": lint("an `examples` key that is not a media type (the 2020 habit)"),
  "maths-invalid": lint("a formula (between the Hugo config's passthrough delimiters) that KaTeX cannot read; shown as written"),
  "html-unsafe": lint("raw HTML in a page that the sanitizer changed (a script, an event handler, a javascript: URL, an unknown element)"),
  "shortcode-placeholder": lint("a Hugo shortcode whose data the published build fetches online: a placeholder is shown"),
} as const satisfies Record<string, Rule>;

export type RuleCode = keyof typeof RULES;

export function isRuleCode(code: string): code is RuleCode {
  return Object.hasOwn(RULES, code);
}

export interface RuleOptions {
  /** Configured severities of lint rules. */
  rules: Readonly<Partial<Record<RuleCode, RuleSetting>>>;
  /** Warnings become errors. */
  strict: boolean;
}

/** The one place severities are decided: defaults, then the config, then `--strict`. Rules set to off are dropped. */
export function applyRules(diagnostics: readonly Diagnostic[], options: RuleOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const rule: Rule | undefined = isRuleCode(d.code) ? RULES[d.code] : undefined;
    const setting = rule?.lint ? (options.rules[d.code as RuleCode] ?? rule.severity) : (rule?.severity ?? d.severity);
    if (setting === "off") continue;
    out.push({ ...d, severity: options.strict ? "error" : setting });
  }
  return out;
}
