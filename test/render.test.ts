import { describe, expect, it } from "vitest";
import { editDistance } from "../src/render/blocks/registry.js";
import { blockName } from "../src/render/plugins/blocks.js";
import { mdToHtml } from "../src/render/plugins/links.js";
import { checkRoot, makeRoot } from "./helpers.js";

describe("render", () => {
  it("recognises block lines in both syntaxes, and nothing else", () => {
    expect(blockName("{{m_room_key_withheld_event}}")).toBe("m_room_key_withheld_event");
    expect(blockName("  << m_room_key_withheld_event >>  ")).toBe("m_room_key_withheld_event");
    expect(blockName("text {{m_x_event}}")).toBeUndefined();
    expect(blockName("{{a}} {{b}}")).toBeUndefined();
  });

  it("rewrites links to .md pages, leaving URLs alone", () => {
    expect(mdToHtml("modules/e2e.md#keys")).toBe("modules/e2e.html#keys");
    expect(mdToHtml("https://example.org/a.md")).toBe("https://example.org/a.md");
  });

  it("measures edit distance", () => {
    expect(editDistance("witheld", "withheld")).toBe(1);
    expect(editDistance("abc", "xyz")).toBe(3);
  });

  it("renders event blocks, references across pages, RST links, and escapes schema text", async () => {
    const root = makeRoot({
      "event-schemas/schema/m.x": [
        "description: 'Uses ``code``, `Far section`_ and `the site <https://example.org/>`_. <script>alert(1)</script>'",
        "properties:",
        "  type: {type: string, enum: [m.x]}",
        "  content:",
        "    type: object",
        "    properties:",
        "      '<b>key</b>': {type: string, description: '<img src=x onerror=alert(1)>'}",
      ].join("\n"),
      "event-schemas/examples/m.x": '{"type": "m.x", "content": {"<b>key</b>": "</code><script>"}}',
      "specification/index.md": "# Home\n\n<<m_x_event>>\n",
      "specification/other/far.md": "# Far\n\n## Far section\n\nBack to `m.x`_.\n",
    });
    const { files, diagnostics } = await checkRoot(root);
    expect(diagnostics).toEqual([]);
    const home = files.get("index.html") as string;
    expect(home).toContain('<section class="event" id="m-x" data-event-type="m.x">');
    expect(home).toContain("<code>code</code>");
    expect(home).toContain('<a href="other/far.html#far-section">Far section</a>');
    expect(home).toContain('<a href="https://example.org/">the site</a>');
    expect(home).not.toMatch(/<script>|<img|<b>key/);
    expect(home).toContain("&lt;script&gt;");
    expect(files.get("other/far.html")).toContain('<a href="../index.html#m-x">m.x</a>');
  });
});
