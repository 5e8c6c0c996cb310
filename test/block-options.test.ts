/**
 * Per-use options of blocks, as the published spec's pages use them: an event
 * block's `title` and the `example` it shows.
 */
import { describe, expect, it } from "vitest";
import { blockCall } from "../src/render/plugins/blocks.js";
import { checkRoot, makeRoot } from "./helpers.js";
import { examples, section } from "./html.js";

const event = (type: string, msgtype?: string) =>
  `type: object\nproperties:\n  type: {type: string, enum: [${type}]}\n  content:\n    type: object\n    properties:\n      ${msgtype ? `msgtype: {type: string, enum: [${msgtype}], description: M.}` : "body: {type: string, description: B.}"}\n`;

describe("block options", () => {
  it('reads key="value" options after the name, \\" escapes included; without options the call is the name', () => {
    expect(blockCall('{{m_x_event title="A \\"b\\"" example="m.x$y"}}')).toEqual({
      name: "m_x_event",
      options: { title: 'A "b"', example: "m.x$y" },
      call: 'm_x_event example="m.x$y" title="A \\"b\\""',
    });
    expect(blockCall("<< m_x_event >>")).toEqual({ name: "m_x_event", options: {}, call: "m_x_event" });
    expect(blockCall("{{m_x_event title=unquoted}}")).toBeUndefined();
  });

  it("an event block shows the chosen example only, under the chosen title; a bad option or example is a located error", async () => {
    const root = makeRoot({
      "event-schemas/schema/m.room.message.yaml": event("m.room.message"),
      "event-schemas/schema/m.room.message$m.text.yaml": event("m.room.message", "m.text"),
      "event-schemas/schema/m.room.message$m.notice.yaml": event("m.room.message", "m.notice"),
      "event-schemas/examples/m.room.message$m.text.json": '{"type": "m.room.message", "content": {"msgtype": "m.text"}}',
      "event-schemas/examples/m.room.message$m.notice.json": '{"type": "m.room.message", "content": {"msgtype": "m.notice"}}',
      "specification/index.md": [
        "# Messages",
        "",
        '{{m_room_message_event title="`m.room.message` <b>messages</b>" example="m.room.message$m.text"}}',
        "",
        "# Others",
        "",
        '{{m_room_message_m_notice_event colour="red"}}',
        "",
        '{{m_room_message_m_text_event example="m.nothing"}}',
        "",
      ].join("\n"),
    });
    const result = await checkRoot(root);
    const page = result.files.get("index.html") as string;
    const message = section(page, "m-room-message");
    expect(examples(message).map((e) => e.name)).toEqual(["m.room.message$m.text"]);
    expect(message).toContain('<h3 class="event-heading"><code>m.room.message</code> &lt;b&gt;messages&lt;/b&gt; <a');
    // The contents list the chosen title, as text.
    expect(page).toMatch(/<a href="#m-room-message">m\.room\.message &lt;b&gt;messages&lt;\/b&gt;<\/a>/);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ["block-option-invalid", 7, 'block {{m_room_message_m_notice_event}} takes no option "colour"'],
      ["block-option-invalid", 9, 'example="m.nothing" names no example of m.room.message (m.text) (it has: m.room.message$m.text)'],
    ]);
  });

  it("an API block's anchor option prefixes its ids, so two documents can share a page", async () => {
    const doc = (summary: string) =>
      `openapi: 3.1.0\ninfo: {title: T, version: '1'}\nservers: [{url: /v1}]\npaths:\n  /ping:\n    get:\n      summary: ${summary}\n      responses:\n        '200': {description: OK}\n`;
    const root = makeRoot({
      "api/a/old.yaml": doc("Old"),
      "api/a/new.yaml": doc("New"),
      "specification/index.md": '# API\n\n{{old_a_http_api anchor="Old API"}}\n\n{{new_a_http_api anchor="new"}}\n',
    });
    const result = await checkRoot(root);
    expect(result.diagnostics).toEqual([]);
    const page = result.files.get("index.html") as string;
    expect([...page.matchAll(/<h3 class="endpoint-heading" id="([^"]+)"/g)].map((m) => m[1])).toEqual([
      "old-api-get-v1-ping",
      "new-get-v1-ping",
    ]);
  });
});
