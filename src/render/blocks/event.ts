/** The event block, `{{m_room_key_withheld_event}}`: one event's section. */
import type MarkdownIt from "markdown-it";
import { error } from "../../diagnostics.js";
import { objectId } from "../../identity.js";
import { origins } from "../../load/source.js";
import type { Annotations } from "../../schema/annotations.js";
import type { FieldTable, TypePart } from "../../schema/fields.js";
import type { EventKind, EventModel } from "../../schema/model.js";
import { renderDescription, renderInlineDescription } from "../describe.js";
import { type RenderEnv, valueLocator } from "../env.js";
import type { Highlighter } from "../highlight.js";
import type { Templates } from "../templates.js";
import type { BlockKind, BlockOptions, BlockOutline, OutlineTerm } from "./registry.js";

export interface ExampleView {
  name: string;
  json: string;
  /** Made from the examples of the fields, not written as a whole. */
  composed?: boolean;
}

/** Renders events' sections and says what each puts on its page; shared by the event and group blocks. */
export interface EventSections {
  render(event: EventModel, env: RenderEnv, options?: BlockOptions): string;
  outline(event: EventModel, options?: BlockOptions): BlockOutline;
}

/**
 * What a page may choose per use of an event block, as the published spec's
 * pages do: `title` (Markdown) in place of the type as the heading, and
 * `example`, the one example to show (`m.room.message$m.text`).
 */
export const EVENT_OPTIONS = ["title", "example"] as const;

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
  const shown = (event: EventModel, options: BlockOptions | undefined, env?: RenderEnv): ExampleView[] => {
    const all = examples.get(event.name) ?? [];
    if (options?.example === undefined) return all;
    const chosen = all.filter((e) => e.name === options.example);
    if (chosen.length === 0 && env) {
      const names = all.map((e) => e.name).join(", ") || "none";
      env.diagnostics.push(
        error("block-option-invalid", `example="${options.example}" names no example of ${event.heading} (it has: ${names})`, env.where(0)),
      );
    }
    return chosen;
  };
  return {
    render: (event, env, options) => {
      const view = eventView(event, shown(event, options, env), md, env, highlight);
      const title = options?.title;
      return templates.event(title ? { ...view, heading: plainTitle(title), headingHtml: renderInlineDescription(md, title, env) } : view);
    },
    outline: (event, options) => {
      const own = examples.get(event.name) ?? [];
      if (options && Object.keys(options).length > 0) {
        const key = [objectId(event), ...shown(event, options).map(objectId), JSON.stringify(options)].join(",");
        return eventOutline(event, key, options.title === undefined ? undefined : plainTitle(options.title));
      }
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
    options: EVENT_OPTIONS,
    outline(name, options) {
      const event = byBlock.get(name);
      return event && sections.outline(event, options);
    },
    render(name, env, options) {
      const event = byBlock.get(name);
      return event && sections.render(event, env, options);
    },
  };
}

/** A Markdown title as the text of a heading: code spans and emphasis marks dropped. */
function plainTitle(title: string): string {
  return title.replace(/[`*_]/g, "").replace(/\s+/g, " ").trim();
}

/**
 * The event's heading (an h3 in event.hbs), the names references use (heading,
 * file name, and the variant's name or else the type), its tables' ids, and its fields for search.
 */
function eventOutline(event: EventModel, key: string, title?: string): BlockOutline {
  // A variant goes by its own name too (`m.image`_: the 2020 sections of message types were titled so).
  const titles = [event.heading, event.name, event.variant ?? event.type, ...(title ? [title] : [])];
  return {
    key,
    headings: [{ level: 3, title: title ?? event.heading, id: event.anchor, kind: "event" }],
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
    headingHtml: `<code>${md.utils.escapeHtml(event.heading)}</code>`,
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
  return tables
    .filter((table) => table.rows.length > 0)
    .map((table) => ({ fields: table.rows, id: table.anchor, context: `${owner} › ${table.title}` }));
}

/**
 * A type cell's parts as shown: a format the spec names by a title shows the
 * title (`User ID`), linking to where it is defined (a link relative to the
 * site's root is made relative to the page).
 */
export function typeView(parts: readonly TypePart[], env: RenderEnv): (TypePart & { href?: string })[] {
  const formats = env.formats;
  if (!formats) return parts as TypePart[];
  return parts.map((part) => {
    const named = part.format !== undefined && Object.hasOwn(formats, part.format) ? formats[part.format] : undefined;
    if (!named) return part;
    const url = named.url;
    if (url === undefined || url === "") return { text: named.title };
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("#");
    const href = absolute ? url : `${"../".repeat(env.page.split("/").length - 1)}${url.replace(/^\/+/, "")}`;
    // Only web and in-site links: a javascript: or data: url is shown as text.
    return /^(?:https?:|mailto:|#|[^:]*$)/i.test(href) ? { text: named.title, href } : { text: named.title };
  });
}

/** A map's keys row, `<mx-user-id>` (its `x-pattern-format`), by the format's title: `<User ID>`. */
function mapKeysView(key: string, env: RenderEnv): string {
  const name = key.slice(1, -1);
  const formats = env.formats;
  return formats && Object.hasOwn(formats, name) ? `<${formats[name].title}>` : key;
}

export function tableView(table: FieldTable, md: MarkdownIt, env: RenderEnv) {
  return {
    anchor: table.anchor,
    title: table.title,
    descriptionHtml: table.description
      ? renderDescription(md, table.description, env, valueLocator(origins.of(table.originRef), "description"))
      : "",
    rows: table.rows.map((row) => ({
      key: row.mapKeys ? mapKeysView(row.key, env) : row.key,
      mapKeys: row.mapKeys,
      type: typeView(row.type, env),
      required: row.required,
      enum: row.enum,
      facts: row.facts,
      ...annotationsView(row, md, env),
      descriptionHtml: renderDescription(md, row.description, env, valueLocator(origins.of(row.originRef), "description")),
    })),
  };
}

/** Deprecation and version notes, their Markdown rendered. */
export function annotationsView(annotations: Annotations, md: MarkdownIt, env: RenderEnv) {
  return {
    deprecated: annotations.deprecated,
    addedIn: annotations.addedIn,
    changes: annotations.changes.map((c) => ({
      version: c.version,
      html: renderDescription(md, c.description, env, valueLocator(c.origin, c.key)),
    })),
  };
}
