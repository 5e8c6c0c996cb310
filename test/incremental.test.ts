/**
 * A rebuild after edits must equal a cold build of the same sources: same
 * files, same diagnostics. Each step edits the spec, then compares.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { check, Pipeline } from "../src/pipeline.js";
import { copySample, writeFiles } from "./helpers.js";

/** A step may name a diagnostic code the edit must bring (or, after `!`, clear), so that it is known to matter. */
type Step = [name: string, edit: (root: string) => string[], code?: string];

function replaceIn(root: string, rel: string, from: string, to: string): string[] {
  const file = path.join(root, rel);
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${rel} has no ${from}`);
  writeFileSync(file, text.replace(from, to));
  return [file];
}

const CORE = "event-schemas/schema/core-event-schema/event.yaml";
const WITHHELD = "event-schemas/schema/m.room_key.withheld";
const REQUEST = "event-schemas/schema/m.room_key_request";
const FORWARDED = "event-schemas/schema/m.forwarded_room_key";
const PAGE = "specification/modules/end_to_end_encryption.md";
/** Outside every listed folder: only a `$ref` reaches it. */
const EXTRA = "shared/extra.yaml";
const swap = (rel: string, from: string, to: string) => (root: string) => replaceIn(root, rel, from, to);
/** A heading "Key requests" (the page has one too) and a paragraph, at the end of a description. */
const heading = (word: string) => `\n\n  ### Key requests\n\n  ${word} here.`;
/** Several replacements, each [file, from, to]. */
const swaps =
  (...edits: [string, string, string][]) =>
  (root: string) =>
    edits.flatMap(([rel, from, to]) => replaceIn(root, rel, from, to));

const STEPS: Step[] = [
  ["edit an event schema", (r) => replaceIn(r, "event-schemas/schema/m.room_key.withheld", "A machine-readable code", "A new code")],
  ["edit a core schema", (r) => replaceIn(r, "event-schemas/schema/core-event-schema/event.yaml", "title: Event", "title: BaseEvent")],
  // What a `$ref` reaches changes: the validator's `$ref` table must follow.
  ["tighten a core schema", swap(CORE, "  type:\n    type: string", "  type:\n    type: integer"), "example-invalid"],
  ["loosen it again", swap(CORE, "  type:\n    type: integer", "  type:\n    type: string"), "!example-invalid"],
  ["point a $ref at nothing", swap(WITHHELD, "event.yaml\n", "event.yaml#/nothing\n"), "ref-missing-pointer"],
  ["point it back", swap(WITHHELD, "event.yaml#/nothing\n", "event.yaml\n"), "!ref-missing-pointer"],
  ["close a $ref loop", swap(CORE, "title: BaseEvent\n", "title: BaseEvent\nallOf: [{$ref: room_event.yaml}]\n"), "schema-ref-loop"],
  ["open it", swap(CORE, "title: BaseEvent\nallOf: [{$ref: room_event.yaml}]\n", "title: BaseEvent\n"), "!schema-ref-loop"],
  // Descriptions render once per text (src/render/describe.ts): a shared one must change on every page, and
  // one that comes to name a heading must link from each page to it.
  [
    "edit a description every room event inherits",
    (r) => replaceIn(r, "event-schemas/schema/core-event-schema/room_event.yaml", "A globally unique identifier", "A *unique* identifier"),
  ],
  [
    "make it reference a heading",
    (r) =>
      replaceIn(r, "event-schemas/schema/core-event-schema/room_event.yaml", "A *unique* identifier", "See `Key requests`_, an identifier"),
  ],
  ["break an example", (r) => replaceIn(r, "event-schemas/examples/m.room_key.withheld", '"code": "m.unverified"', '"code": 7')],
  ["fix the example", (r) => replaceIn(r, "event-schemas/examples/m.room_key.withheld", '"code": 7', '"code": "m.unverified"')],
  [
    "edit a base example",
    (r) => replaceIn(r, "event-schemas/examples/core/event.json", '"content"', '"unsigned": {"age": 1},\n  "content"'),
  ],
  [
    "rename a heading that references point to",
    (r) => replaceIn(r, "specification/modules/end_to_end_encryption.md", "## Key requests", "## Requesting keys"),
  ],
  ["restore it", (r) => replaceIn(r, "specification/modules/end_to_end_encryption.md", "## Requesting keys", "## Key requests")],
  ["break YAML", (r) => replaceIn(r, "event-schemas/schema/m.room_key_request", "properties:", "properties: [")],
  ["fix YAML", (r) => replaceIn(r, "event-schemas/schema/m.room_key_request", "properties: [", "properties:")],
  // A page renders again when one of its events changed; its other blocks are kept (src/render/block-cache.ts)
  // with what they reported, linked and took as ids, unless what they read of the page changed.
  [
    "give two events' descriptions headings of the same title, one a broken reference",
    swaps(
      [REQUEST, "respond to it.", `respond to it, and \`Nowhere\`_.${heading("Handled")}`],
      [FORWARDED, "message.", `message.${heading("Answered")}`],
    ),
    "reference-unresolved",
  ],
  ["edit the event before it on its page", swap(WITHHELD, "sent as a to-device event.", "sent to a device."), "reference-unresolved"],
  ["give the event before it a heading that takes the id", swap(WITHHELD, "sent to a device.", `sent to a device.${heading("Withheld")}`)],
  ["edit the page's text between two blocks", swap(PAGE, "The two events below carry", "The events below carry")],
  ["move the blocks down a line", swap(PAGE, "{{m_room_key_withheld_event}}", "\n{{m_room_key_withheld_event}}")],
  [
    "drop the reference and the headings",
    swaps(
      [REQUEST, `, and \`Nowhere\`_.${heading("Handled")}`, "."],
      [WITHHELD, heading("Withheld"), ""],
      [FORWARDED, heading("Answered"), ""],
    ),
    "!reference-unresolved",
  ],
  // A file added or removed changes what the folders list and where `$ref`s lead.
  [
    "point a $ref at a file not there yet",
    swap(WITHHELD, "core-event-schema/event.yaml\n", "core-event-schema/event.yaml\n  - $ref: ../../shared/extra.yaml\n"),
    "ref-missing-file",
  ],
  [
    "add the file it names",
    (r) => {
      writeFiles(r, { [EXTRA]: "properties:\n  content:\n    properties:\n      extra: {type: string, description: An extra field.}\n" });
      return [path.join(r, EXTRA)];
    },
    "!ref-missing-file",
  ],
  ["edit the added file", swap(EXTRA, "An extra field.", "One more field.")],
  [
    "remove it",
    (r) => {
      rmSync(path.join(r, EXTRA));
      return [path.join(r, EXTRA)];
    },
    "ref-missing-file",
  ],
  [
    "drop the $ref",
    swap(WITHHELD, "core-event-schema/event.yaml\n  - $ref: ../../shared/extra.yaml\n", "core-event-schema/event.yaml\n"),
    "!ref-missing-file",
  ],
  [
    "add an event, its example and a page",
    (r) => {
      writeFiles(r, {
        "event-schemas/schema/m.new":
          "allOf: [{$ref: core-event-schema/event.yaml}]\nproperties:\n  type: {type: string, enum: [m.new]}\n  content: {properties: {x: {type: string, description: An x.}}}\n",
        "event-schemas/examples/m.new": '{"$ref": "core/event.json", "type": "m.new", "content": {"x": "y"}}\n',
        "specification/new.md": "# New\n\n{{m_new_event}}\n\nSee `Key requests`_.\n",
      });
      return ["event-schemas/schema/m.new", "event-schemas/examples/m.new", "specification/new.md"].map((f) => path.join(r, f));
    },
  ],
  [
    "rename the page",
    (r) => {
      const [from, to] = ["specification/new.md", "specification/renamed.md"].map((f) => path.join(r, f));
      renameSync(from, to);
      return [from, to];
    },
  ],
  [
    "save a schema by rename",
    (r) => {
      const file = path.join(r, "event-schemas/schema/m.new");
      writeFileSync(`${file}.swp`, readFileSync(file, "utf8").replace("An x.", "An x, saved by rename."));
      renameSync(`${file}.swp`, file);
      return [file, `${file}.swp`];
    },
  ],
  [
    "delete the example and the page",
    (r) => {
      const files = ["event-schemas/examples/m.new", "specification/renamed.md"].map((f) => path.join(r, f));
      for (const f of files) rmSync(f);
      return files;
    },
  ],
  [
    "add an API document, a definition it refers to, and a page showing both",
    (r) => {
      writeFiles(r, {
        "api/client-server/things.yaml": [
          "swagger: '2.0'",
          "info: {title: Things, version: '1'}",
          "basePath: /_matrix/client/%V%",
          "paths:",
          "  /things/{id}:",
          "    get:",
          "      summary: Get a thing.",
          "      parameters:",
          "        - {in: path, name: id, type: string, required: true, description: The thing., x-example: t1}",
          "      responses:",
          "        200:",
          "          description: The thing.",
          "          schema: {$ref: definitions/thing.yaml}",
          "          examples: {application/json: {name: one}}",
          "",
        ].join("\n"),
        "api/client-server/definitions/thing.yaml":
          "type: object\ntitle: Thing\nproperties:\n  name: {type: string, description: Its name.}\n",
        "specification/api.md": "# API\n\n{{things_cs_http_api}}\n\n{{definition_cs_thing}}\n",
      });
      return ["api/client-server/things.yaml", "api/client-server/definitions/thing.yaml", "specification/api.md"].map((f) =>
        path.join(r, f),
      );
    },
  ],
  ["edit an endpoint", (r) => replaceIn(r, "api/client-server/things.yaml", "Get a thing.", "Fetch a thing.")],
  ["edit the definition it refers to", (r) => replaceIn(r, "api/client-server/definitions/thing.yaml", "Its name.", "What it is called.")],
  [
    "give a parameter without a $ref one to the definition",
    (r) =>
      replaceIn(
        r,
        "api/client-server/things.yaml",
        "        - {in: path,",
        "        - {in: query, name: like, type: array, items: {$ref: definitions/thing.yaml}, description: Like these.}\n        - {in: path,",
      ),
  ],
  [
    "edit the definition both refer to",
    (r) => replaceIn(r, "api/client-server/definitions/thing.yaml", "What it is called.", "Its given name."),
  ],
  [
    "share a node of the definition through a YAML alias",
    (r) =>
      replaceIn(
        r,
        "api/client-server/definitions/thing.yaml",
        "  name: {type: string, description: Its given name.}",
        "  name: &name {type: string, description: Its given name.}\n  alias: *name",
      ),
  ],
  ["break its example", (r) => replaceIn(r, "api/client-server/things.yaml", "{name: one}", "{name: 1}")],
  ["fix its example", (r) => replaceIn(r, "api/client-server/things.yaml", "{name: 1}", "{name: one}")],
  [
    "delete the API document",
    (r) => {
      const file = path.join(r, "api/client-server/things.yaml");
      rmSync(file);
      return [file];
    },
  ],
  [
    "override a template",
    (r) => {
      writeFiles(r, { "templates/example.hbs": '<pre class="mine"><code class="language-json">{{json}}</code></pre>\n' });
      return [path.join(r, "templates/example.hbs")];
    },
  ],
  ["edit the overridden template", swap("templates/example.hbs", 'class="mine"', 'class="theirs"')],
  [
    "remove the override",
    (r) => {
      rmSync(path.join(r, "templates/example.hbs"));
      return [path.join(r, "templates/example.hbs")];
    },
  ],
];

describe("incremental rebuild", () => {
  it("equals a cold build after every kind of edit", async () => {
    const root = copySample();
    const config = loadConfig(root);
    const pipeline = new Pipeline(config);
    await pipeline.run();
    for (const [name, edit, code] of STEPS) {
      const changed = edit(root);
      const warm = await pipeline.run(changed);
      const cold = await check(config);
      expect(warm.diagnostics, name).toEqual(cold.diagnostics);
      expect(Object.fromEntries(warm.files), name).toEqual(Object.fromEntries(cold.files));
      const codes = warm.diagnostics.map((d) => d.code);
      if (code?.startsWith("!")) expect(codes, name).not.toContain(code.slice(1));
      else if (code) expect(codes, name).toContain(code);
    }
  });

  it("re-renders only the pages that show what changed", async () => {
    const root = copySample();
    writeFiles(root, { "specification/other.md": "# Other\n\nNo events here.\n" });
    const pipeline = new Pipeline(loadConfig(root));
    const before = (await pipeline.run()).files;
    const after = (await pipeline.run(replaceIn(root, "event-schemas/schema/m.room_key.withheld", "A machine-readable code", "A new code")))
      .files;
    expect(after.get("other.html")).toBe(before.get("other.html"));
    expect(after.get("modules/end_to_end_encryption.html")).not.toBe(before.get("modules/end_to_end_encryption.html"));
  });
});
