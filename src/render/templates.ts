/**
 * Handlebars templates: `page`, `event`, `common-fields`, `endpoint`, `definition`, and the partials
 * `field-table`, `example`, `version-notes` and `sections`; and the assets
 * copied as they are, `style.css` and `site.js`. A spec root's `templates/`
 * overrides any of them by file name.
 * Templates get fully computed view models: loops and conditionals only.
 */
import { handlebarsCompiler, handlebarsRuntime } from "../handlebars.js";
import { PRECOMPILED, type PrecompiledTemplate } from "./precompiled.js";

export type Template = (view: object) => string;

export interface Templates {
  page: Template;
  event: Template;
  commonFields: Template;
  endpoint: Template;
  definition: Template;
}

export const TEMPLATE_NAMES = ["page", "event", "common-fields", "endpoint", "definition"] as const;
export const PARTIAL_NAMES = ["field-table", "example", "version-notes", "sections"] as const;
/** Files copied to the output's root unchanged. */
export const ASSET_NAMES = ["style.css", "site.js"] as const;

export function compileTemplates(sources: ReadonlyMap<string, string>): Templates {
  // The bundle's precompiled built-in while a template's text is the built-in's; any other is compiled here.
  const names = [...TEMPLATE_NAMES, ...PARTIAL_NAMES];
  const precompiled = new Map<string, PrecompiledTemplate["spec"]>();
  for (const name of names) {
    const file = `${name}.hbs`;
    const text = sources.get(file);
    if (text === undefined) throw new Error(`template ${file} is missing`);
    const known = PRECOMPILED.get(file);
    if (known?.text === text) precompiled.set(name, known.spec);
  }
  const hb = precompiled.size === names.length ? handlebarsRuntime.create() : handlebarsCompiler().create();
  const compiled = (name: string) => {
    const spec = precompiled.get(name);
    // The same options as scripts/bundle-options.mjs's; compiled lazily, on first use.
    return spec ? hb.template(spec) : hb.compile(sources.get(`${name}.hbs`) as string, { preventIndent: true });
  };
  hb.registerHelper("breakable", (text: unknown) => new hb.SafeString(breakable(String(text ?? ""), hb.escapeExpression)));
  // Registered compiled: a partial given as text would be compiled with its caller's options, which a precompiled caller lacks.
  for (const name of PARTIAL_NAMES) hb.registerPartial(name, compiled(name));
  const compile = (name: string): Template => {
    const template = compiled(name);
    return (view) => flatten(template(view));
  };
  return {
    page: compile("page"),
    event: compile("event"),
    commonFields: compile("common-fields"),
    endpoint: compile("endpoint"),
    definition: compile("definition"),
  };
}

/**
 * `{{breakable name}}`: the name escaped, with a line-break opportunity
 * (`<wbr>`) after each `_`, `.`, `/` and `|`, the natural break points of an
 * identifier or a type; table cells break nowhere else (never inside a word).
 * Not after a part of one letter: `m.room.member` breaks as `m.room.|member`.
 */
export function breakable(text: string, escapeText: (s: string) => string): string {
  return text
    .split(/(?<=[^_./|]{2}[_./|])(?=.)/)
    .map(escapeText)
    .join("<wbr>");
}

/**
 * The same string, stored as one piece. Handlebars builds its output by
 * concatenation, which V8 keeps as a tree of the pieces (several times the
 * size of the text); a page is kept until it is written, so it is made flat
 * at once. Converting a string to a number flattens it in place.
 */
function flatten(html: string): string {
  Number(html);
  return html;
}
