/** The event block, `{{m_room_key_withheld_event}}`: one event's section. */
import type MarkdownIt from "markdown-it";
import { origins } from "../../load/source.js";
import type { Annotations } from "../../schema/annotations.js";
import type { FieldTable } from "../../schema/fields.js";
import type { EventKind, EventModel } from "../../schema/model.js";
import { type RenderEnv, valueLocator } from "../env.js";
import type { Templates } from "../templates.js";
import type { BlockKind, BlockTargets } from "./registry.js";

export interface ExampleView {
  name: string;
  json: string;
}

/** Renders one event's section; shared by the event block and the group blocks. */
export type EventRenderer = (event: EventModel, env: RenderEnv) => string;

const KIND_LABELS: Record<EventKind, string> = {
  state: "State event",
  room: "Room event",
  event: "Event",
};

export function eventRenderer(examples: ReadonlyMap<string, ExampleView[]>, templates: Templates, md: MarkdownIt): EventRenderer {
  return (event, env) => templates.event(eventView(event, examples.get(event.name) ?? [], md, env));
}

export function eventBlocks(events: readonly EventModel[], render: EventRenderer): BlockKind {
  const byBlock = new Map(events.map((e) => [e.blockName, e]));
  return {
    names: () => byBlock.keys(),
    targets(name) {
      const event = byBlock.get(name);
      return event && eventTargets(event);
    },
    render(name, env) {
      const event = byBlock.get(name);
      return event && render(event, env);
    },
  };
}

/** The section's and tables' ids; the event is found by heading, file name and (unless a variant) type. */
export function eventTargets(event: EventModel): BlockTargets {
  const titles = [event.heading, event.name, ...(event.variant ? [] : [event.type])];
  return {
    ids: [event.anchor, ...event.tables.map((t) => t.anchor)],
    titles: titles.map((title) => ({ title, id: event.anchor })),
  };
}

/** Everything the event template shows, computed. */
export function eventView(event: EventModel, examples: ExampleView[], md: MarkdownIt, env: RenderEnv) {
  const schemaOrigin = origins.get(event.source.value as object);
  return {
    anchor: event.anchor,
    type: event.type,
    variant: event.variant,
    heading: event.heading,
    title: event.title,
    kind: event.kind,
    kindLabel: KIND_LABELS[event.kind],
    stateKeyHtml: event.stateKey ? md.renderInline(event.stateKey, env) : undefined,
    descriptionHtml: md.render(event.description, { ...env, where: valueLocator(schemaOrigin, "description") }),
    ...annotationsView(event, md, env),
    tables: event.tables.map((t) => tableView(t, md, env)),
    examples,
  };
}

export function tableView(table: FieldTable, md: MarkdownIt, env: RenderEnv) {
  return {
    anchor: table.anchor,
    title: table.title,
    descriptionHtml: table.description ? md.render(table.description, { ...env, where: valueLocator(table.origin, "description") }) : "",
    rows: table.rows.map((row) => ({
      key: row.key,
      mapKeys: row.mapKeys,
      type: row.type,
      required: row.required,
      enum: row.enum,
      facts: row.facts,
      ...annotationsView(row, md, env),
      descriptionHtml: md.render(row.description, { ...env, where: valueLocator(row.origin, "description") }),
    })),
  };
}

/** Deprecation and version notes, their Markdown rendered. */
function annotationsView(annotations: Annotations, md: MarkdownIt, env: RenderEnv) {
  return {
    deprecated: annotations.deprecated,
    addedIn: annotations.addedIn,
    changes: annotations.changes.map((c) => ({
      version: c.version,
      html: md.render(c.description, { ...env, where: valueLocator(c.origin, c.key) }),
    })),
  };
}
