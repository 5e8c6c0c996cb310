/** The event block, `{{m_room_key_withheld_event}}`: one event's section. */
import type MarkdownIt from "markdown-it";
import { objectId } from "../../identity.js";
import { origins } from "../../load/source.js";
import type { Annotations } from "../../schema/annotations.js";
import type { FieldTable } from "../../schema/fields.js";
import type { EventKind, EventModel } from "../../schema/model.js";
import { renderDescription, renderInlineDescription } from "../describe.js";
import { type RenderEnv, valueLocator } from "../env.js";
import type { Highlighter } from "../highlight.js";
import type { Templates } from "../templates.js";
import type { BlockKind, BlockOutline, OutlineTerm } from "./registry.js";

export interface ExampleView {
  name: string;
  json: string;
}

/** Renders events' sections and says what each puts on its page; shared by the event and group blocks. */
export interface EventSections {
  render(event: EventModel, env: RenderEnv): string;
  outline(event: EventModel): BlockOutline;
}

const KIND_LABELS: Record<EventKind, string> = {
  state: "State event",
  room: "Room event",
  event: "To-device or plain event",
};

/** Outlines by event, kept while the event and its examples are the same objects (a rebuild asks for every one). */
const outlines = new WeakMap<EventModel, { examples: readonly ExampleView[]; outline: BlockOutline }>();

export function eventSections(
  examples: ReadonlyMap<string, ExampleView[]>,
  templates: Templates,
  md: MarkdownIt,
  highlight: Highlighter,
): EventSections {
  return {
    render: (event, env) => templates.event(eventView(event, examples.get(event.name) ?? [], md, env, highlight)),
    outline: (event) => {
      const own = examples.get(event.name) ?? [];
      const known = outlines.get(event);
      if (known && known.examples.length === own.length && known.examples.every((e, i) => e === own[i])) return known.outline;
      const outline = eventOutline(event, [objectId(event), ...own.map(objectId)].join(","));
      outlines.set(event, { examples: own, outline });
      return outline;
    },
  };
}

export function eventBlocks(events: readonly EventModel[], sections: EventSections): BlockKind {
  const byBlock = new Map(events.map((e) => [e.blockName, e]));
  return {
    names: () => byBlock.keys(),
    outline(name) {
      const event = byBlock.get(name);
      return event && sections.outline(event);
    },
    render(name, env) {
      const event = byBlock.get(name);
      return event && sections.render(event, env);
    },
  };
}

/**
 * The event's heading (an h3 in event.hbs), the names references use (heading,
 * file name, and the variant's name or else the type), its tables' ids, and its fields for search.
 */
function eventOutline(event: EventModel, key: string): BlockOutline {
  // A variant goes by its own name too (`m.image`_: the 2020 sections of message types were titled so).
  const titles = [event.heading, event.name, event.variant ?? event.type];
  return {
    key,
    headings: [{ level: 3, title: event.heading, id: event.anchor, kind: "event" }],
    titles: titles.map((title) => ({ title, id: event.anchor })),
    ids: [event.anchor, ...event.tables.map((t) => t.anchor)],
    terms: tableTerms(event.tables, event.heading),
  };
}

/** Everything the event template shows, computed. */
export function eventView(event: EventModel, examples: ExampleView[], md: MarkdownIt, env: RenderEnv, highlight: Highlighter) {
  const schemaOrigin = origins.get(event.source.value as object);
  return {
    anchor: event.anchor,
    type: event.type,
    variant: event.variant,
    heading: event.heading,
    title: event.title,
    kind: event.kind,
    kindLabel: KIND_LABELS[event.kind],
    stateKeyHtml: event.stateKey ? renderInlineDescription(md, event.stateKey, env) : undefined,
    descriptionHtml: renderDescription(md, event.description, env, valueLocator(schemaOrigin, "description")),
    ...annotationsView(event, md, env),
    tables: event.tables.map((t) => tableView(t, md, env)),
    examples: examples.map((e) => ({ ...e, html: highlight(e.json) })),
  };
}

/** Every field of some tables, for search: each found at its table, in the context `owner › table`. */
export function tableTerms(tables: readonly FieldTable[], owner: string): OutlineTerm[] {
  return tables.flatMap((table) => {
    // One context string per table, shared by its rows' terms (an outline is kept as long as its event).
    const context = `${owner} › ${table.title}`;
    return table.rows.map((row) => ({ title: row.key, id: table.anchor, context }));
  });
}

export function tableView(table: FieldTable, md: MarkdownIt, env: RenderEnv) {
  return {
    anchor: table.anchor,
    title: table.title,
    descriptionHtml: table.description ? renderDescription(md, table.description, env, valueLocator(table.origin, "description")) : "",
    rows: table.rows.map((row) => ({
      key: row.key,
      mapKeys: row.mapKeys,
      type: row.type,
      required: row.required,
      enum: row.enum,
      facts: row.facts,
      ...annotationsView(row, md, env),
      descriptionHtml: renderDescription(md, row.description, env, valueLocator(row.origin, "description")),
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
      html: renderDescription(md, c.description, env, valueLocator(c.origin, c.key)),
    })),
  };
}
