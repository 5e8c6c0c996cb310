import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { diffSpec } from "../src/diff/index.js";
import { hugoLayout, siteLinkTarget } from "../src/layouts/hugo/index.js";
import { check, Pipeline } from "../src/pipeline.js";
import { serve } from "../src/serve/index.js";
import { git as gitIn, makeRoot } from "./helpers.js";

const EVENT = `---
type: object
title: Foo
description: A foo event.
properties:
  type:
    type: string
    enum: [m.foo]
  content:
    type: object
    properties:
      bar:
        type: string
        description: |-
          The bar.

          {{% boxes/rationale %}}
          Why.
          {{% /boxes/rationale %}}
`;

const API = `openapi: 3.1.0
info:
  title: Foo API
  version: 1.0.0
servers:
  - url: "{protocol}://{hostname}{basePath}"
    variables:
      protocol: { default: https }
      hostname: { default: localhost }
      basePath: { default: /_matrix/client/v3 }
paths:
  "/foo/{id}":
    get:
      summary: Get a foo.
      description: See [the event](/guide/#mfoo).
      parameters:
        - in: path
          name: id
          required: true
          description: The id.
          schema: { type: string }
      responses:
        "200":
          description: The foo.
          content:
            application/json:
              schema: { type: object, properties: { a: { type: string, description: A. } } }
              example: { a: "x" }
`;

function hugoRoot(extra: Record<string, string> = {}) {
  return makeRoot({
    "config.toml":
      'title = "Foo Spec"\n[markup.goldmark.renderer]\nunsafe = true\n[params.version]\nmajor = "1"\nminor = "2"\nstatus = "stable"\n',
    "content/_index.md": "---\ntitle: Home\n---\n\nSee the [guide](/guide) and [its note](/guide/#a-note).\n",
    "content/guide.md": [
      "+++",
      'title = "Guide"',
      "weight = 5",
      "+++",
      "",
      "## A note",
      "",
      "{{% boxes/note %}}",
      'Inner *text*, {{< added-in v="1.2" >}}.',
      "{{% /boxes/note %}}",
      "",
      '{{% event event="m.foo" %}}',
      "",
      '{{% http-api spec="client-server" api="foo" %}}',
      "",
      '{{% cs-module name="extra" %}}',
      "",
      "![d](/diagrams/x.png) and a [broken](/guide/#nowhere) link.",
      "",
    ].join("\n"),
    "content/client-server-api/modules/index.md": "---\nheadless: true\n---\n",
    "content/client-server-api/modules/extra.md": '\n### Extra module\n\n{{% evnt event="m.foo" %}}\n',
    "data/event-schemas/schema/m.foo.yaml": EVENT,
    "data/event-schemas/examples/m.foo.json": '{"type": "m.foo", "content": {"bar": "x"}}\n',
    "data/api/client-server/foo.yaml": API,
    "static/diagrams/x.png": "\x89PNG not really",
    ...extra,
  });
}

describe("the Hugo layout", () => {
  it("is detected by a Hugo config beside content/ and data/, and reads its settings", () => {
    const root = hugoRoot();
    const config = loadConfig(root);
    expect(config.layout.name).toBe("hugo");
    expect(config.title).toBe("Foo Spec");
    expect(config.version).toBe("v1.2");
    expect(config.allowHtml).toBe(true);
    expect(config.pages).toBe(`${root}/content`);
    expect(config.schemas).toBe(`${root}/data/event-schemas/schema`);
    expect(hugoLayout.detect(makeRoot({ "config.toml": "", "content/a.md": "" }))).toBe(false);
    expect(hugoLayout.detect(makeRoot({ "config/_default/hugo.toml": "", "content/a.md": "", "data/x.yaml": "" }))).toBe(true);
    // specgen.config.yaml still decides.
    expect(loadConfig(hugoRoot({ "specgen.config.yaml": "title: Mine\n" })).title).toBe("Mine");
    expect(loadConfig(hugoRoot({ "specgen.config.yaml": "layout: specgen\n" })).layout.name).toBe("specgen");
  });

  it("builds pages at Hugo's URLs with shortcodes, published ids and relative site links", async () => {
    const result = await check(loadConfig(hugoRoot()));
    const pages = [...result.paths].filter((p) => p.endsWith(".html"));
    expect(pages.sort()).toEqual(["guide/index.html", "index.html"]);
    expect(result.paths).toContain("diagrams/x.png");
    const guide = result.files.get("guide/index.html") as string;
    expect(guide).toContain("<h1>Guide</h1>");
    expect(guide).toContain('<div class="admonition admonition-note alert note" role="note">');
    expect(guide).toContain("<strong>[Added in <code>v1.2</code>]</strong>");
    expect(guide).toMatch(/id="mfoo"/);
    expect(guide).toMatch(/id="get_matrixclientv3fooid"/);
    expect(guide).toContain('<h3 id="extra-module">Extra module');
    expect(guide).toContain('<img src="../diagrams/x.png" alt="d">');
    // The rationale box inside a description renders too.
    expect(guide).toContain("admonition-rationale");
    // A site-absolute link of a description, on the page it points to: its fragment only.
    expect(guide).toContain('href="#mfoo"');
    expect(guide).not.toMatch(/\{\{[%<]|href="\//);
    const home = result.files.get("index.html") as string;
    expect(home).toContain('href="guide/index.html"');
    expect(home).toContain('href="guide/index.html#a-note"');
    expect(
      result.diagnostics.filter((d) => d.severity === "error" || d.code === "link-broken").map((d) => [d.code, d.file, d.line, d.column]),
    ).toEqual([
      ["shortcode-unknown", "content/client-server-api/modules/extra.md", 4, 1],
      ["link-broken", "content/guide.md", 18, 38],
    ]);
    expect(result.diagnostics.find((d) => d.code === "shortcode-unknown")?.message).toBe("unknown shortcode `evnt`; did you mean `event`?");
  });

  it("shows the released changelogs of the changelog bundle, and the unreleased one from the newsfragments", async () => {
    const root = hugoRoot({
      "content/changelog/index.md":
        "---\ntitle: Changelog\n---\n\n{{% changelog/changelog-description %}}\n\n{{% changelog/changelogs %}}\n",
      "content/changelog/v1.1.md": "---\ndate: 2021-01-01\n---\n\n## v1.1\n\nOld.\n",
      "content/changelog/v1.2.md": "---\ndate: 2022-01-01\n---\n\n## v1.2\n\nNewer, see [the guide](/guide/#a-note).\n",
      "changelogs/pyproject.toml": [
        "[tool.towncrier]",
        "[[tool.towncrier.type]]",
        'directory = "feature"',
        'name = "Backwards Compatible Changes"',
        "[[tool.towncrier.type]]",
        'directory = "clarification"',
        'name = "Spec Clarifications"',
        "[[tool.towncrier.section]]",
        'name = "Client-Server API"',
        'path = "client_server"',
        "",
      ].join("\n"),
      "changelogs/template.md.jinja": "- {{ content }} ([{{issue}}](https://example.org/issues/{{issue|trim('#')}}))\n",
      "changelogs/client_server/newsfragments/12.clarification": "Fix a typo.\n",
      "changelogs/client_server/newsfragments/13.clarification": "Fix a typo.\n",
      "changelogs/client_server/newsfragments/20.feature": "Add `m.foo`.\n",
      "changelogs/client_server/newsfragments/.gitignore": "!.gitignore\n",
    });
    const result = await check(loadConfig(root));
    expect([...result.paths].filter((p) => p.startsWith("changelog/"))).toEqual(["changelog/index.html"]);
    const html = result.files.get("changelog/index.html") as string;
    expect(html).toContain("This is version <strong>v1.2</strong>");
    const order = [
      "Unreleased changes",
      "Client-Server API",
      "Backwards Compatible Changes",
      "Add <code>m.foo</code>",
      "Spec Clarifications",
      'id="v12"',
      'id="v11"',
    ];
    const main = html.indexOf("<h1>Changelog");
    const at = order.map((t) => html.indexOf(t, main));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(html).toContain(
      '<li>Fix a typo. (<a href="https://example.org/issues/12">#12</a>, <a href="https://example.org/issues/13">#13</a>)</li>',
    );
    expect(html).toContain('href="../guide/index.html#a-note"');
  });

  it("gives diff its changes with the sections' published hrefs", async () => {
    const root = hugoRoot();
    const git = (...args: string[]) => gitIn(root, ...args);
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    const file = path.join(root, "data/event-schemas/schema/m.foo.yaml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("      bar:\n", "      baz:\n        type: string\n        description: New.\n      bar:\n"),
    );
    const report = await diffSpec({ root, base: "HEAD" });
    expect(report.problems).toEqual([]);
    expect(report.changes.map((c) => [c.kind, c.target, c.path])).toEqual([["field-added", "m.foo", "/content/baz"]]);
    expect(report.targets.get("m.foo")?.href).toBe("guide/index.html#mfoo");
    expect(report.targets.get("GET /_matrix/client/v3/foo/{id}")?.href).toBe("guide/index.html#get_matrixclientv3fooid");
  });

  it("previews: an included module's edit renders its page again, a Hugo config edit starts afresh, static files are served", async () => {
    // No error, or the preview would serve nothing.
    const root = hugoRoot({ "content/client-server-api/modules/extra.md": "\n### Extra module\n" });
    const rebuilt: string[][] = [];
    const preview = await serve({ root, port: 0, host: "127.0.0.1", onRebuild: (e) => rebuilt.push(e.changedPages) });
    try {
      const page = new URL("guide/", preview.url);
      expect(await (await fetch(page)).text()).toContain("Extra module");
      const png = await fetch(new URL("diagrams/x.png", preview.url));
      expect(png.status).toBe(200);
      expect(Buffer.from(await png.arrayBuffer()).equals(readFileSync(path.join(root, "static/diagrams/x.png")))).toBe(true);
      writeFileSync(path.join(root, "content/client-server-api/modules/extra.md"), "\n### Changed module\n");
      await expect.poll(async () => (await (await fetch(page)).text()).includes("Changed module"), { timeout: 10_000 }).toBe(true);
      writeFileSync(path.join(root, "config.toml"), 'title = "Renamed Spec"\n');
      await expect.poll(async () => (await (await fetch(page)).text()).includes("Renamed Spec"), { timeout: 10_000 }).toBe(true);
    } finally {
      await preview.close();
    }
  });

  it("reads a page again on a rebuild when the data its shortcodes name comes or goes", async () => {
    const root = hugoRoot({ "content/client-server-api/modules/extra.md": '\n{{% event event="m.bar" %}}\n' });
    const pipeline = new Pipeline(loadConfig(root));
    const first = await pipeline.run();
    expect(first.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      "event: no event schema m.bar; did you mean m.foo?",
    ]);
    const added = path.join(root, "data/event-schemas/schema/m.bar.yaml");
    writeFileSync(added, EVENT.replace("[m.foo]", "[m.bar]"));
    const second = await pipeline.run([added]);
    expect(second.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(second.files.get("guide/index.html")).toMatch(/id="mbar"/);
  });

  it("shows message types as the repository's msgtypes template orders and names them", async () => {
    const msgtype = (variant: string, weight?: number) =>
      `${weight === undefined ? "" : `x-weight: ${weight}\n`}type: object\ndescription: ${variant}.\nproperties:\n  type:\n    type: string\n    enum: [m.room.message]\n  content:\n    type: object\n    properties:\n      msgtype:\n        type: string\n        enum: [${variant}]\n`;
    const root = hugoRoot({
      "content/client-server-api/modules/extra.md": "\n{{% msgtypes %}}\n",
      "layouts/shortcodes/msgtypes.html":
        '{{ $expected_prefix := "m.room.message$" }}\n{{ $excluded := slice "m.room.message$m.x" }}\n{{ sort $events "x-weight" }}\n',
      "data/event-schemas/schema/m.room.message$m.a.yaml": msgtype("m.a", 20),
      "data/event-schemas/schema/m.room.message$m.b.yaml": msgtype("m.b", 10),
      "data/event-schemas/schema/m.room.message$m.c.yaml": msgtype("m.c"),
      "data/event-schemas/schema/m.room.message$m.x.yaml": msgtype("m.x"),
    });
    const result = await check(loadConfig(root));
    const html = result.files.get("guide/index.html") as string;
    const ids = ["mb", "ma", "mc"].map((id) => html.indexOf(`id="${id}"`));
    expect(ids.every((i) => i > 0)).toBe(true);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    // Headed by their own names, as the published pages show them.
    expect(html).toContain("<code>m.b</code>");
    expect(result.events.find((e) => e.name === "m.room.message$m.b")?.heading).toBe("m.b");
    expect(result.events.find((e) => e.name === "m.room.message$m.x")?.heading).toBe("m.room.message (m.x)");
    // The excluded one is left to its own page, under its full name.
    expect(html).not.toContain('id="mroommessagemx"');
    expect(html).not.toContain('id="mx"');
  });

  it("passes a shortcode's parameters to its block under the block's option names, and refuses unknown ones", async () => {
    const root = hugoRoot({
      "content/client-server-api/modules/extra.md": [
        "",
        '{{% event event="m.foo" title="The `m.foo` event" desired_example_name="m.foo" %}}',
        "",
        '{{% event event="m.foo" titel="typo" %}}',
        "",
      ].join("\n"),
    });
    const result = await check(loadConfig(root));
    const html = result.files.get("guide/index.html") as string;
    expect(html).toContain("The <code>m.foo</code> event");
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.file, d.line, d.message])).toEqual([
      [
        "shortcode-invalid",
        "content/client-server-api/modules/extra.md",
        4,
        "event takes no parameter titel (it takes event, title, desired_example_name)",
      ],
    ]);
  });

  it("shows as a definition any schema file of data/ by its path, also one only a page names", async () => {
    const files = {
      "content/client-server-api/modules/extra.md": [
        "",
        '{{% definition path="schemas/client-metadata" %}}',
        "",
        '{{% definition path="event-schemas/schema/components/sub_part" %}}',
        "",
        '{{% definition path="api/client-server/definitions/thing" %}}',
        "",
        '{{% definition path="schemas/client-metdata" %}}',
        "",
        '{{% definition path="../config" %}}',
        "",
      ].join("\n"),
      // Named by the page only: no `$ref` reaches it. JSON Schema 2020-12 writes `examples`.
      "data/schemas/client-metadata.yaml":
        "$schema: https://json-schema.org/draft/2020-12/schema\ntitle: Client Metadata\ntype: object\nproperties:\n  client_uri:\n    type: string\n    description: The client's home page.\nexamples:\n  - client_uri: https://example.org\n",
      "data/event-schemas/schema/components/sub_part.yaml":
        "title: Sub Component\ntype: object\nproperties:\n  size:\n    type: integer\n    description: How big.\n    example: 3\n",
      "data/api/client-server/definitions/thing.yaml":
        "title: Thing\ntype: object\nproperties:\n  name:\n    type: string\n    description: Its name.\nexample: {name: widget}\n",
    };
    const result = await check(loadConfig(hugoRoot(files)));
    const html = result.files.get("guide/index.html") as string;
    for (const [id, title] of [
      ["definition-client-metadata", "Client Metadata"],
      ["definition-sub-component", "Sub Component"],
      ["definition-thing", "Thing"],
    ]) {
      expect(html).toContain(`id="${id}"`);
      expect(html).toContain(title);
    }
    // Each with its example: its own (`examples`, `example`) or one composed from its fields'.
    expect(html).toMatch(/client_uri.*?https:\/\/example\.org/s);
    expect(html).toMatch(/widget/);
    const sub = html.slice(html.indexOf('id="definition-sub-component"'), html.indexOf('id="definition-thing"'));
    expect(sub).toMatch(/composed from its fields/);
    expect(sub).toContain('&quot;size&quot;</span>: <span class="hljs-number">3</span>');
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.file, d.line, d.message])).toEqual([
      [
        "shortcode-invalid",
        "content/client-server-api/modules/extra.md",
        8,
        expect.stringMatching(/^definition: no definition schemas\/client-metdata; did you mean schemas\/client-metadata\?/),
      ],
      [
        "shortcode-invalid",
        "content/client-server-api/modules/extra.md",
        10,
        expect.stringMatching(/^definition: no definition \.\.\/config/),
      ],
    ]);

    // A file only a page names is checked like any schema file, its broken example reported once.
    const broken = {
      ...files,
      "data/schemas/client-metadata.yaml": files["data/schemas/client-metadata.yaml"].replace("https://example.org", "[1]"),
    };
    const second = await check(loadConfig(hugoRoot(broken)));
    const errors = second.diagnostics.filter((d) => d.severity === "error" && d.file === "data/schemas/client-metadata.yaml");
    expect(errors.map((d) => [d.code, d.line])).toEqual([["example-invalid", 9]]);
  });

  it("models a definition that only a description names, and renders the page again with it", async () => {
    // No page names the inner one (the API folder's files are read whatever names them): the render that meets it asks for its model, and the site is made again.
    const files = {
      "content/client-server-api/modules/extra.md": '\n{{% definition path="schemas/outer" %}}\n',
      "data/schemas/outer.yaml":
        'title: Outer\ntype: object\ndescription: |\n  Holds an inner one.\n\n  {{% definition path="api/client-server/definitions/inner" %}}\nproperties:\n  a: {type: string, description: A.}\nexample: {a: x}\n',
      "data/api/client-server/definitions/inner.yaml":
        "title: Inner Part\ntype: object\nproperties:\n  b: {type: integer, description: B.}\nexample: {b: 7}\n",
    };
    const root = hugoRoot(files);
    const pipeline = new Pipeline(loadConfig(root));
    for (const run of [await pipeline.run(), await pipeline.run([path.join(root, "data/schemas/outer.yaml")])]) {
      expect(run.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const html = run.files.get("guide/index.html") as string;
      expect(html).toContain('id="definition-outer"');
      expect(html).toContain('id="definition-inner-part"');
      expect(html).toContain('<span class="hljs-number">7</span>');
    }
  });

  it("shows a definition whose file comes after the page named it, on a rebuild", async () => {
    const root = hugoRoot({ "content/client-server-api/modules/extra.md": '\n{{% definition path="schemas/late" %}}\n' });
    const pipeline = new Pipeline(loadConfig(root));
    const first = await pipeline.run();
    expect(first.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([
      expect.stringMatching(/^definition: no definition schemas\/late/),
    ]);
    const added = path.join(root, "data/schemas/late.yaml");
    mkdirSync(path.dirname(added), { recursive: true });
    writeFileSync(added, "title: Late\ntype: object\nproperties:\n  a: {type: string, description: A.}\nexample: {a: x}\n");
    const second = await pipeline.run([added]);
    expect(second.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(second.files.get("guide/index.html")).toContain('id="definition-late"');
  });

  it("says where a site path is served from", () => {
    expect(siteLinkTarget("/client-server-api/#get_matrixclientv3sync")).toBe("client-server-api/index.html#get_matrixclientv3sync");
    expect(siteLinkTarget("/client-server-api#mroommember")).toBe("client-server-api/index.html#mroommember");
    expect(siteLinkTarget("/rooms")).toBe("rooms/index.html");
    expect(siteLinkTarget("/")).toBe("index.html");
    expect(siteLinkTarget("/diagrams/x.png")).toBe("diagrams/x.png");
  });
});
