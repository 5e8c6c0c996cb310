/**
 * Synthetic spec roots of any size, shaped like a real Matrix spec: allOf
 * chains to core schemas, nested and titled objects, refs across files and
 * folders, maps, enums, variants, and examples that extend base examples.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const EVENTS_PER_PAGE = 20;

function write(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const CORE: Record<string, string> = {
  "event-schemas/schema/core-event-schema/event.yaml": `title: Event
type: object
description: Fields every event has.
properties:
  content: {type: object, description: The body of the event.}
  type: {type: string, description: The type of the event.}
required: [type, content]
`,
  "event-schemas/schema/core-event-schema/room_event.yaml": `title: RoomEvent
allOf: [{$ref: event.yaml}]
description: Fields of events sent in a room.
properties:
  event_id: {type: string, description: The event's ID.}
  room_id: {type: string, description: The room's ID.}
  sender: {type: string, description: Who sent it.}
  origin_server_ts: {type: integer, format: int64, description: When it was sent.}
  unsigned: {$ref: unsigned.yaml}
required: [event_id, room_id, sender, origin_server_ts]
`,
  "event-schemas/schema/core-event-schema/state_event.yaml": `title: StateEvent
allOf: [{$ref: room_event.yaml}]
description: Fields of state events.
properties:
  state_key: {type: string, description: What the state is about.}
required: [state_key]
`,
  "event-schemas/schema/core-event-schema/unsigned.yaml": `title: UnsignedData
type: object
description: Extra information added by the server.
properties:
  age: {type: integer, description: Milliseconds since the event was sent.}
  transaction_id: {type: string, description: The sender's transaction ID.}
`,
  "api/definitions/thumbnail_info.yaml": `title: ThumbnailInfo
type: object
description: Metadata of a thumbnail.
properties:
  w: {type: integer, description: Width in pixels.}
  h: {type: integer, description: Height in pixels.}
  mimetype: {type: string, description: The MIME type.}
  size: {type: integer, description: Size in bytes.}
`,
  "event-schemas/examples/core/event.json": `{"content": {"key": "value"}, "type": "org.example.event"}\n`,
  "event-schemas/examples/core/room_event.json": `{"$ref": "event.json", "event_id": "$abc:example.org", "room_id": "!room:example.org", "sender": "@alice:example.org", "origin_server_ts": 1432735824653, "unsigned": {"age": 1234}}\n`,
  "event-schemas/examples/core/state_event.json": `{"$ref": "room_event.json", "state_key": ""}\n`,
};

const BASES = ["event", "room_event", "state_event"] as const;

function eventSchema(i: number): string {
  const base = BASES[i % 3];
  const type = `org.bench.e${i}`;
  return `allOf: [{$ref: core-event-schema/${base}.yaml}]
description: |-
  Event number ${i}, used by the benchmark. It links to \`Section ${i % 7}\`_
  and mentions \`\`literal\`\` text like the 2020 sources do.
properties:
  type: {type: string, enum: [${type}]}
  content:
    type: object
    properties:
      name: {type: string, description: A name.}
      count: {type: integer, minimum: 0, description: How many.}
      mode: {type: string, enum: [fast, slow, off], description: The mode.}
      tags: {type: array, items: {type: string}, description: Labels.}
      info:
        title: Info${i % 50}
        type: object
        description: Details.
        properties:
          size: {type: integer, description: Size in bytes.}
          thumbnail: {$ref: ../../api/definitions/thumbnail_info.yaml}
          extra: {type: object, additionalProperties: {type: string}, description: Free-form.}
      members:
        type: object
        description: Per-user data.
        additionalProperties:
          title: Member
          type: object
          properties:
            level: {type: integer, description: Power level.}
            since: {type: integer, format: int64, description: Since when.}
    required: [name, mode]
`;
}

function variantSchema(i: number, variant: string): string {
  return `allOf: [{$ref: core-event-schema/room_event.yaml}]
description: Variant ${variant} of event ${i}.
properties:
  type: {type: string, enum: [org.bench.e${i}]}
  content:
    type: object
    properties:
      msgtype: {type: string, enum: [${variant}]}
      body: {type: string, description: The text.}
    required: [msgtype, body]
`;
}

function example(i: number): string {
  const base = BASES[i % 3];
  const content = {
    name: `event ${i}`,
    count: i,
    mode: "fast",
    tags: ["a", "b"],
    info: { size: 100, thumbnail: { w: 10, h: 10, mimetype: "image/png", size: 99 }, extra: { k: "v" } },
    members: { "@alice:example.org": { level: 100, since: 1 } },
  };
  return `${JSON.stringify({ $ref: `core/${base}.json`, type: `org.bench.e${i}`, content }, null, 2)}\n`;
}

/** Writes a spec root with `events` events to `root`; returns the file name of one event schema, for edit benchmarks. */
export function generateSpec(root: string, events: number): string {
  for (const [rel, text] of Object.entries(CORE)) write(root, rel, text);
  const pages = Math.ceil(events / EVENTS_PER_PAGE);
  for (let p = 0; p < pages; p++) {
    const lines = [`# Module ${p}`, "", `Events ${p * EVENTS_PER_PAGE} onwards.`, ""];
    if (p === 0) for (let s = 0; s < 7; s++) lines.push(`## Section ${s}`, "", `Text of section ${s}.`, "");
    for (let i = p * EVENTS_PER_PAGE; i < Math.min(events, (p + 1) * EVENTS_PER_PAGE); i++) {
      const withVariant = i % 10 === 9;
      const name = withVariant ? `org.bench.e${i}$v.text` : `org.bench.e${i}`;
      write(root, `event-schemas/schema/${name}`, withVariant ? variantSchema(i, "v.text") : eventSchema(i));
      write(root, `event-schemas/examples/${name}`, withVariant ? variantExample(i) : example(i));
      lines.push(`{{${name.replace(/[.$]/g, "_")}_event}}`, "");
    }
    write(root, `specification/modules/module_${String(p).padStart(4, "0")}.md`, lines.join("\n"));
  }
  write(root, "specification/index.md", `# Bench spec\n\n${events} events on ${pages} pages.\n`);
  write(root, "specgen.config.yaml", `title: Bench spec\nversion: "${events}"\n`);
  return path.join(root, "event-schemas/schema/org.bench.e0");
}

function variantExample(i: number): string {
  return `${JSON.stringify({ $ref: "core/room_event.json", type: `org.bench.e${i}`, content: { msgtype: "v.text", body: "hello" } }, null, 2)}\n`;
}
