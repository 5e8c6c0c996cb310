/**
 * The model stage: one EventModel per event schema, everything a template needs
 * and nothing it has to compute.
 *
 * Types, fields and `required` come from the allOf-merged schema, so they may be
 * declared in an `allOf` entry. Title, description and version notes are the
 * event's own (its top level or its inline `allOf` entries): what a base schema
 * such as core-event-schema/event.yaml says is not said of every event.
 */
import path from "node:path";
import { origins, type Source } from "../load/source.js";
import { slugify } from "../slug.js";
import { type Annotations, annotationsOf } from "./annotations.js";
import { buildFieldTables, type FieldTable, stringOr } from "./fields.js";
import { isObject, type SchemaObject } from "./resolve.js";

export type EventKind = "state" | "room" | "event";

export interface EventModel extends Annotations {
  /** The schema file. */
  source: Source;
  /** File name without extension: `m.room.message$m.text`. */
  name: string;
  /** The event type: `m.room.message`. */
  type: string;
  /** `m.text` for `m.room.message$m.text`. */
  variant?: string;
  /** `m.room.message (m.text)`. */
  heading: string;
  /** The schema's own `title`, if any. */
  title?: string;
  /** `m_room_message_m_text_event`. */
  blockName: string;
  /** The section's id. */
  anchor: string;
  kind: EventKind;
  description: string;
  /** The description of `state_key`, for state events. */
  stateKey?: string;
  tables: FieldTable[];
}

const names = new Map<string, string>();

/** `m.room.message$m.text.yaml` → `m.room.message$m.text`. */
export function schemaName(file: string): string {
  let name = names.get(file);
  if (name === undefined) {
    name = path.basename(file).replace(/\.(ya?ml|json)$/i, "");
    names.set(file, name);
  }
  return name;
}

export function eventBlockName(name: string): string {
  return `${name.replace(/[.$]/g, "_")}_event`;
}

/**
 * Event schemas are the files at the top of the schema folder that describe a
 * `content` and either name their event type (`properties.type` with an `enum`
 * or `const`) or leave `type` out (the type is then the file name). Anything
 * else there (stripped_state.yaml, whose `type` is any string) is a component.
 */
export function isEventSchema(schemasDir: string, source: Source, schema: SchemaObject): boolean {
  if (path.dirname(source.path) !== schemasDir) return false;
  const properties = isObject(schema.properties) ? schema.properties : {};
  // A `type` that names no event type (stripped_state.yaml's plain string) describes many events: a component.
  return "content" in properties && (!("type" in properties) || eventTypeOf(properties.type) !== undefined);
}

function eventTypeOf(typeSchema: unknown): string | undefined {
  if (!isObject(typeSchema)) return undefined;
  const value = Array.isArray(typeSchema.enum) ? typeSchema.enum[0] : typeSchema.const;
  return typeof value === "string" ? value : undefined;
}

/** `anchor`: the layout's id rule (config.layout.anchor). */
export function modelEvent(
  source: Source,
  schema: SchemaObject,
  anchorOf: (text: string) => string = slugify,
  /** The layout's heading for the event, when it names it otherwise (Hugo's message types: `m.text`). */
  headingOf?: (name: string) => string | undefined,
): EventModel {
  const name = schemaName(source.path);
  const own = isObject(source.value) ? source.value : {};
  const properties = isObject(schema.properties) ? schema.properties : {};
  const content = isObject(properties.content) ? properties.content : {};
  const contentProps = isObject(content.properties) ? content.properties : {};
  const type = eventTypeOf(properties.type) ?? name.split("$")[0];
  const variant = name.includes("$")
    ? (firstEnum(contentProps.msgtype) ?? firstEnum(contentProps.method) ?? name.slice(name.indexOf("$") + 1))
    : undefined;
  const id = anchorOf(name);
  // As the spec defines kinds: a state_key makes a state event, a room_id a room event.
  const kind: EventKind = "state_key" in properties ? "state" : "room_id" in properties ? "room" : "event";
  const tables = buildFieldTables(content, "Content", id, ownContentDescription(own, content));
  if (ownProperty(own, "unsigned") && isObject(properties.unsigned)) {
    tables.push(...buildFieldTables(properties.unsigned, stringOr(properties.unsigned.title, "Unsigned"), `${id}_unsigned`));
  }
  const title = ownKeyword(own, "title");
  return {
    source,
    name,
    type,
    variant,
    heading: headingOf?.(name) ?? (variant ? `${type} (${variant})` : type),
    title: typeof title === "string" ? title : undefined,
    blockName: eventBlockName(name),
    anchor: id,
    kind,
    description: stringOr(ownKeyword(own, "description")),
    stateKey: kind === "state" && isObject(properties.state_key) ? stringOr(properties.state_key.description) : undefined,
    tables,
    ...annotationsOf(ownKeywords(own)),
  };
}

/**
 * The nodes of a schema file that speak for the file itself: its top level,
 * then its inline `allOf` entries, the later first (as the later wins when
 * merged). Entries that are only a `$ref` add nothing; a `$ref` is not followed.
 */
function* ownNodes(schema: SchemaObject, depth = 0): Generator<SchemaObject> {
  yield schema;
  if (!Array.isArray(schema.allOf) || depth > 16) return;
  for (const entry of [...schema.allOf].reverse()) if (isObject(entry)) yield* ownNodes(entry, depth + 1);
}

/** A keyword as the file itself writes it. */
export function ownKeyword(schema: SchemaObject, key: string): unknown {
  for (const node of ownNodes(schema)) if (node[key] !== undefined) return node[key];
  return undefined;
}

function ownKeywords(schema: SchemaObject): SchemaObject {
  const out: SchemaObject = {};
  for (const key of ["deprecated", "x-addedInMatrixVersion", "x-changedInMatrixVersion"]) out[key] = ownKeyword(schema, key);
  return out;
}

/** The raw schema of a property the file itself declares (not one it inherits). */
function ownProperty(schema: SchemaObject, name: string): SchemaObject | undefined {
  for (const node of ownNodes(schema)) {
    const props = node.properties;
    if (isObject(props) && isObject(props[name])) return props[name];
  }
  return undefined;
}

/**
 * The description of the event's `content`, when the event gives one: written
 * beside it, or in the component it refers to, but not the base schema's
 * generic one. The merged node's origin says which node that is.
 */
function ownContentDescription(own: SchemaObject, merged: SchemaObject): string {
  // The node the merged one came from, as loaded.
  const written = ownProperty(own, "content") ? origins.parsedNode(merged) : undefined;
  return stringOr(isObject(written) ? ownKeyword(written, "description") : undefined);
}

function firstEnum(schema: unknown): string | undefined {
  if (!isObject(schema) || !Array.isArray(schema.enum)) return undefined;
  return typeof schema.enum[0] === "string" ? schema.enum[0] : undefined;
}
