/** Group and common-fields blocks, the `groups:` config, block ids, and the RST block syntax, on small fixtures. */
import { describe, expect, it } from "vitest";
import { ConfigError, DEFAULT_GROUPS, loadConfig } from "../src/config.js";
import { selectGroup } from "../src/render/blocks/group.js";
import type { EventModel } from "../src/schema/model.js";
import { checkRoot, makeRoot } from "./helpers.js";
import { section, sectionIds, tables } from "./html.js";

const event = (name: string, extra = "") =>
  [
    `description: The ${name} event.${extra}`,
    "properties:",
    `  type: {type: string, enum: [${name.split("$")[0]}]}`,
    "  content:",
    "    type: object",
    "    properties:",
    "      body: {type: string, description: The body.}",
  ].join("\n");

describe("groups", () => {
  const events = ["m.b", "m.a", "m.c.x", "m.c.y", "m.c$v"].map((name) => ({ name }) as EventModel);

  it("selects by name and glob, in pattern order then name order, each once, leaving out ! patterns", () => {
    const { events: chosen, missing } = selectGroup(["m.c.y", "m.c*", "m.a", "!m.c$*", "m.gone", "m.none.*"], events);
    expect(chosen.map((e) => e.name)).toEqual(["m.c.y", "m.c.x", "m.a"]);
    expect(missing).toEqual(["m.gone"]);
  });

  it("reads groups: from the config, over the defaults, and refuses malformed ones", () => {
    const root = makeRoot({ "specgen.config.yaml": "groups:\n  voip_events: [m.call.*]\n  mine: [m.a, '!m.b']\n" });
    const { groups } = loadConfig(root);
    expect(groups.voip_events).toEqual(["m.call.*"]);
    expect(groups.mine).toEqual(["m.a", "!m.b"]);
    expect(groups.msgtype_events).toEqual(DEFAULT_GROUPS.msgtype_events);
    for (const bad of ["groups: [a]", "groups:\n  x: m.a", "groups:\n  x: [1]", "groups:\n  'a b': [m.a]"]) {
      expect(() => loadConfig(makeRoot({ "specgen.config.yaml": bad })), bad).toThrow(ConfigError);
    }
  });

  it("renders a group's events, warns of an empty group, of a named event that is not there, and of a repeated event", async () => {
    const root = makeRoot({
      "specgen.config.yaml": "groups:\n  pair: [m.b, m.a, m.missing]\n  nothing: ['m.zzz.*']\n",
      "event-schemas/schema/m.a": event("m.a"),
      "event-schemas/schema/m.b": event("m.b"),
      "event-schemas/examples/m.a": '{"type": "m.a", "content": {"body": "x"}}',
      "event-schemas/examples/m.b": '{"type": "m.b", "content": {"body": "y"}}',
      "specification/index.md": "# Home\n\n{{pair}}\n\n## Empty\n\n{{nothing}}\n\nSee `m.a`_.\n\n{{m_a_event}}\n",
    });
    const { files, diagnostics } = await checkRoot(root);
    const page = files.get("index.html") as string;
    expect(sectionIds(page)).toEqual(["m-b", "m-a", "m-a"]);
    expect(page).toContain('See <a href="#m-a">m.a</a>.');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["group-missing-event", 3],
      ["group-empty", 7],
      // The repeated event's ids (its section's and its table's) are on the page twice.
      ["anchor-duplicate", 11],
      ["anchor-duplicate", 11],
      ["block-repeated", 11],
    ]);
  });
});

describe("common-fields blocks and ids", () => {
  it("renders a component's merged fields, and never gives a heading the id of a block on the page", async () => {
    const root = makeRoot({
      "event-schemas/schema/core/base.yaml":
        "title: Base\ndescription: Every event has these.\nproperties:\n  type: {type: string}\nrequired: [type]\n",
      "event-schemas/schema/core/room_base.yaml":
        "allOf: [{$ref: base.yaml}]\ntitle: RoomBase\ndescription: Room events also have these.\nproperties:\n  room_id: {type: string}\n",
      "event-schemas/schema/m.a": event("m.a"),
      "event-schemas/examples/m.a": '{"type": "m.a", "content": {}}',
      "specification/index.md":
        "# m.a\n\n{{m_a_event}}\n\n## common_room_base_fields\n\n{{common_room_base_fields}}\n\n{{common_bsae_fields}}\n",
    });
    const { files, diagnostics } = await checkRoot(root);
    const page = files.get("index.html") as string;
    expect(page).toContain('<h1 id="m-a-2">');
    expect(page).toContain('<h2 id="common_room_base_fields-2">');
    const common = section(page, "common_room_base_fields");
    expect(common).toContain("<p>Room events also have these.</p>");
    expect(tables(common)[0].rows.map((r) => [r.key, r.required])).toEqual([
      ["type", true],
      ["room_id", false],
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual(["unknown block {{common_bsae_fields}}; did you mean {{common_base_fields}}?"]);
  });
});

describe("RST block syntax", () => {
  it("renders admonitions, csv-tables, code, comments and #. lists; reports unknown directives and references at their lines", async () => {
    const description = [
      "Intro.",
      "",
      ".. WARNING::",
      "   Be *careful*, see `Nowhere`_.",
      "",
      "   Second paragraph.",
      "",
      ".. This is a comment",
      "   that goes on.",
      "",
      ".. csv-table::",
      "  :header-rows: 1",
      "",
      '  "Name","Says"',
      '  "a","one, ``two``"',
      "",
      ".. code:: json",
      "",
      '   {"a": 1}',
      "",
      "#. first",
      "#. second",
      "",
      ".. raw:: html",
      "",
      "   <b>kept as text</b>",
    ];
    const yaml = [
      "description: |-",
      ...description.map((l) => (l ? `  ${l}` : "")),
      "properties:",
      "  type: {type: string, enum: [m.a]}",
      "  content: {type: object}",
    ].join("\n");
    const root = makeRoot({
      "event-schemas/schema/m.a": yaml,
      "event-schemas/examples/m.a": '{"type": "m.a", "content": {}}',
      "specification/index.md": "# Home\n\n{{m_a_event}}\n",
    });
    const { files, diagnostics } = await checkRoot(root);
    const html = section(files.get("index.html") as string, "m-a");
    expect(html).toContain(
      '<div class="admonition admonition-warning">\n<p class="admonition-title">Warning</p>\n<p>Be <em>careful</em>, see <span class="unresolved">Nowhere</span>.</p>\n<p>Second paragraph.</p>\n</div>',
    );
    expect(html).not.toContain("comment");
    expect(html).toContain('<thead>\n<tr><th scope="col">Name</th><th scope="col">Says</th></tr>\n</thead>');
    expect(html).toContain("<tr><td>a</td><td>one, <code>two</code></td></tr>");
    expect(html).toContain('<pre><code class="language-json">{&quot;a&quot;: 1}\n</code></pre>');
    expect(html).toContain("<ol>\n<li>first</li>\n<li>second</li>\n</ol>");
    expect(html).toContain(
      '<div class="admonition admonition-raw">\n<p class="admonition-title">raw html</p>\n<p>&lt;b&gt;kept as text&lt;/b&gt;</p>',
    );
    expect(diagnostics.map((d) => [d.severity, d.code, d.line])).toEqual([
      ["error", "reference-unresolved", 5],
      ["warning", "rst-directive-unknown", 25],
    ]);
  });

  it("warns at each raw |name|_ substitution reference, shown as written, and at nothing else with bars", async () => {
    const yaml = [
      "description: |-",
      "  Use |/sync|_ instead, or |device_lists_sync|__.",
      "  Not these: a | b |_ c, string|null, |plain|, ``|code|_``, x|y|_z.",
      "properties:",
      "  type: {type: string, enum: [m.a]}",
      "  content: {type: object}",
    ].join("\n");
    const root = makeRoot({
      "event-schemas/schema/m.a": yaml,
      "event-schemas/examples/m.a": '{"type": "m.a", "content": {}}',
      "specification/index.md": "# Home\n\n{{m_a_event}}\n\nAnd on a page: |/initialSync|_.\n",
    });
    const { files, diagnostics } = await checkRoot(root);
    expect(diagnostics.map((d) => [d.severity, d.code, d.file, d.line, d.column])).toEqual([
      ["warning", "rst-substitution-unresolved", "event-schemas/schema/m.a", 2, 7],
      ["warning", "rst-substitution-unresolved", "event-schemas/schema/m.a", 2, 28],
      ["warning", "rst-substitution-unresolved", "specification/index.md", 5, 16],
    ]);
    expect(diagnostics[0].message).toBe("|/sync|_ is an RST substitution reference; no substitution defines it, so it shows as written");
    expect(files.get("index.html")).toContain("<p>Use |/sync|_ instead, or |device_lists_sync|__.");
  });
});
