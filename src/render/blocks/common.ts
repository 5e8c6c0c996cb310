/**
 * Common-fields blocks, `{{common_room_event_fields}}`: the fields of a schema
 * that is not an event (core-event-schema/room_event.yaml), with everything it
 * inherits, as the field tables of the events built on it.
 */
import type MarkdownIt from "markdown-it";
import { objectId } from "../../identity.js";
import { origins, type Source } from "../../load/source.js";
import { buildFieldTables, type FieldTable, stringOr } from "../../schema/fields.js";
import type { SchemaObject } from "../../schema/resolve.js";
import { slugify } from "../../slug.js";
import { renderDescription } from "../describe.js";
import { valueLocator } from "../env.js";
import type { Templates } from "../templates.js";
import { tableTerms, tableView } from "./event.js";
import { type BlockKind, byBlockName } from "./registry.js";

/** A schema file that is not an event, by name (file name without extension). */
export interface ComponentSchema {
  name: string;
  source: Source;
  schema: SchemaObject;
}

interface CommonFields {
  anchor: string;
  title: string;
  description: string;
  schema: SchemaObject;
  tables: FieldTable[];
}

export function commonFieldsBlockName(component: string): string {
  return `common_${component.replace(/[.$-]/g, "_")}_fields`;
}

export function commonFieldBlocks(components: readonly ComponentSchema[], templates: Templates, md: MarkdownIt): BlockKind {
  const byBlock = byBlockName(components, (c) => commonFieldsBlockName(c.name));
  const built = new Map<string, CommonFields>();
  const model = (name: string): CommonFields | undefined => {
    const component = byBlock.get(name);
    if (!component) return undefined;
    const known = built.get(name);
    if (known) return known;
    const anchor = slugify(name);
    const title = stringOr(component.schema.title, component.name);
    const tables = buildFieldTables(component.schema, title, anchor);
    const fields = { anchor, title, description: stringOr(component.schema.description), schema: component.schema, tables };
    built.set(name, fields);
    return fields;
  };
  return {
    names: () => byBlock.keys(),
    outline(name) {
      const fields = model(name);
      if (!fields) return undefined;
      return {
        key: String(objectId(fields.schema)),
        headings: [],
        titles: [],
        ids: [fields.anchor, ...fields.tables.map((t) => t.anchor)],
        terms: tableTerms(fields.tables, fields.title),
      };
    },
    render(name, env) {
      const fields = model(name);
      if (!fields) return undefined;
      return templates.commonFields({
        anchor: fields.anchor,
        title: fields.title,
        descriptionHtml: renderDescription(md, fields.description, env, valueLocator(origins.get(fields.schema), "description")),
        tables: fields.tables.map((t) => tableView(t, md, env)),
      });
    },
  };
}
