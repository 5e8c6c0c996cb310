/**
 * The model stage: one EventModel per event schema, everything a template needs
 * and nothing it has to compute.
 */
import path from "node:path";
import type { Source } from "../load/source.js";
import { buildFieldTables, type FieldTable, slugify, stringOr } from "./fields.js";
import { isObject, type SchemaObject } from "./resolve.js";

export type EventKind = "state" | "room" | "event";

export interface EventModel {
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

/** `m.room.message$m.text.yaml` → `m.room.message$m.text`. */
export function schemaName(file: string): string {
  return path.basename(file).replace(/\.(ya?ml|json)$/i, "");
}

export function eventBlockName(name: string): string {
  return `${name.replace(/[.$]/g, "_")}_event`;
}

/** Event schemas are the files at the top of the schema folder that describe a `content`. */
export function isEventSchema(schemasDir: string, source: Source, schema: SchemaObject): boolean {
  if (path.dirname(source.path) !== schemasDir) return false;
  return isObject(schema.properties) && "content" in schema.properties;
}

export function modelEvent(source: Source, schema: SchemaObject): EventModel {
  const name = schemaName(source.path);
  const properties = isObject(schema.properties) ? schema.properties : {};
  const typeSchema = isObject(properties.type) ? properties.type : {};
  const content = isObject(properties.content) ? properties.content : {};
  const contentProps = isObject(content.properties) ? content.properties : {};
  const type = Array.isArray(typeSchema.enum) && typeof typeSchema.enum[0] === "string" ? typeSchema.enum[0] : name.split("$")[0];
  const variant = name.includes("$")
    ? (firstEnum(contentProps.msgtype) ?? firstEnum(contentProps.method) ?? name.slice(name.indexOf("$") + 1))
    : undefined;
  const anchor = slugify(name);
  const kind: EventKind = "state_key" in properties ? "state" : "room_id" in properties ? "room" : "event";
  const tables = buildFieldTables(content, "Content", anchor);
  const declared = (source.value as SchemaObject | undefined)?.properties;
  if (isObject(declared) && "unsigned" in declared && isObject(properties.unsigned)) {
    tables.push(...buildFieldTables(properties.unsigned, stringOr(properties.unsigned.title, "Unsigned"), `${anchor}_unsigned`));
  }
  return {
    source,
    name,
    type,
    variant,
    heading: variant ? `${type} (${variant})` : type,
    blockName: eventBlockName(name),
    anchor,
    kind,
    description: stringOr(schema.description),
    stateKey: kind === "state" && isObject(properties.state_key) ? stringOr(properties.state_key.description) : undefined,
    tables,
  };
}

function firstEnum(schema: unknown): string | undefined {
  if (!isObject(schema) || !Array.isArray(schema.enum)) return undefined;
  return typeof schema.enum[0] === "string" ? schema.enum[0] : undefined;
}
