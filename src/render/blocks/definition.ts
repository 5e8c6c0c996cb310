/**
 * Definition blocks, `{{definition_ss_pdu_v3}}`: a schema of an API folder's
 * `definitions/` (nested folders joined with `_`), shown as an event is:
 * title, description, field tables and its example.
 */
import type MarkdownIt from "markdown-it";
import type { DefinitionRef } from "../../api/stage.js";
import { objectId } from "../../identity.js";
import type { Source } from "../../load/source.js";
import { origins } from "../../load/source.js";
import { renderDescription } from "../describe.js";
import { valueLocator } from "../env.js";
import type { Highlighter } from "../highlight.js";
import type { Templates } from "../templates.js";
import { annotationsView, tableTerms, tableView, typeView } from "./event.js";
import { type BlockKind, byBlockName } from "./registry.js";

/**
 * A definition is modelled only when a page shows it: one asked for without
 * its model goes into `unmodelled`, for the pipeline to model and render again.
 */
export function definitionBlocks(
  definitions: readonly DefinitionRef[],
  templates: Templates,
  md: MarkdownIt,
  highlight: Highlighter,
  unmodelled: Set<Source>,
): BlockKind {
  const byBlock = byBlockName(definitions, (d) => d.blockName);
  const modelOf = (name: string) => {
    const ref = byBlock.get(name);
    if (ref?.model === undefined && ref) unmodelled.add(ref.source);
    return ref?.model ?? undefined;
  };
  return {
    names: () => byBlock.keys(),
    outline(name) {
      const definition = modelOf(name);
      if (!definition) return undefined;
      return {
        key: String(objectId(definition)),
        headings: [{ level: 3, title: definition.title, id: definition.anchor, kind: "definition" }],
        titles: [{ title: definition.title, id: definition.anchor }],
        ids: [definition.anchor, ...definition.tables.map((t) => t.anchor)],
        terms: tableTerms(definition.tables, definition.title),
      };
    },
    render(name, env) {
      const definition = modelOf(name);
      if (!definition) return undefined;
      const origin = origins.get(definition.source.value as object);
      return templates.definition({
        anchor: definition.anchor,
        title: definition.title,
        descriptionHtml: renderDescription(md, definition.description, env, valueLocator(origin, "description")),
        ...annotationsView(definition.notes, md, env),
        type: definition.type && typeView(definition.type, env),
        tables: definition.tables.map((t) => tableView(t, md, env)),
        examples: definition.examples.map((e) => ({ ...e, html: highlight(e.json) })),
      });
    },
  };
}
