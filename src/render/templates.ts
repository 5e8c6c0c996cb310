/**
 * Handlebars templates: `page`, `event`, `common-fields`, `endpoint`, `definition`, and the partials
 * `field-table`, `example`, `version-notes` and `sections`; and the assets
 * copied as they are, `style.css` and `site.js`. A spec root's `templates/`
 * overrides any of them by file name.
 * Templates get fully computed view models: loops and conditionals only.
 */
import Handlebars from "handlebars";

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
  const hb = Handlebars.create();
  const text = (name: string) => {
    const t = sources.get(`${name}.hbs`);
    if (t === undefined) throw new Error(`template ${name}.hbs is missing`);
    return t;
  };
  for (const name of PARTIAL_NAMES) hb.registerPartial(name, text(name));
  const compile = (name: string): Template => {
    const template = hb.compile(text(name), { preventIndent: true });
    return (view) => template(view);
  };
  return {
    page: compile("page"),
    event: compile("event"),
    commonFields: compile("common-fields"),
    endpoint: compile("endpoint"),
    definition: compile("definition"),
  };
}
