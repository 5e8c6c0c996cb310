/**
 * Formats as readers know them: `data/string-formats.yaml` (the Matrix spec's
 * file, format → title and url) or the config's `formats:` mapping names a
 * format in type cells by its title, linked, and makes it known to the lint.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { checkRoot, makeRoot } from "./helpers.js";
import { tables } from "./html.js";

const schema = `type: object
properties:
  type: {type: string, enum: [m.example]}
  content:
    type: object
    properties:
      user: {type: string, format: mx-user-id, description: Who.}
      users: {type: array, items: {type: string, format: mx-user-id}, description: Who all.}
      counts:
        type: object
        description: By user.
        additionalProperties: {type: integer, x-pattern-format: mx-user-id}
      room: {type: string, format: mx-room-id, description: Where.}
      tally:
        type: object
        title: Tally
        description: Totals.
        properties: {total: {type: integer, description: All.}}
        additionalProperties: {type: integer, x-pattern-format: mx-user-id}
      site: {type: string, format: uri, description: A link.}
      hidden: {type: string, format: evil, description: A bad url.}
`;
const formats = `mx-user-id:
  title: User ID
  url: appendices#user-identifiers
mx-room-id:
  title: Room ID
uri:
  title: URI
  url: https://datatracker.ietf.org/doc/html/rfc3986
evil:
  title: Evil
  url: "javascript:alert(1)"
`;

describe("format titles", () => {
  it("shows a format by its title, linked relative to the page, in strings, arrays and map keys; knows its name", async () => {
    const root = makeRoot({
      "data/string-formats.yaml": formats,
      "event-schemas/schema/m.example.yaml": schema,
      "event-schemas/examples/m.example.json": '{"type": "m.example", "content": {"user": "@a:b"}}',
      "specification/deep/page.md": "# Page\n\n{{m_example_event}}\n",
    });
    const result = await checkRoot(root);
    expect(result.diagnostics.filter((d) => d.code === "format-unknown")).toEqual([]);
    const page = result.files.get("deep/page.html") as string;
    const cells = new Map(tables(page)[0].rows.map((r) => [r.key, r.type]));
    expect(cells.get("user")).toBe("User ID");
    expect(cells.get("users")).toBe("[User ID]");
    expect(cells.get("counts")).toBe("{User ID: integer}");
    // The keys row of a map is named by the title too.
    const tally = tables(page).find((t) => t.caption === "Tally");
    expect(tally?.rows.map((r) => r.key)).toEqual(["total", "<User ID>"]);
    expect(cells.get("room")).toBe("Room ID");
    expect(cells.get("site")).toBe("URI");
    expect(cells.get("hidden")).toBe("Evil");
    expect(page).toContain('<a href="../appendices#user-identifiers">User ID</a>');
    expect(page).toContain('[<a href="../appendices#user-identifiers">User ID</a>]');
    expect(page).toContain('<a href="https://datatracker.ietf.org/doc/html/rfc3986">URI</a>');
    expect(page).not.toContain("javascript:");
  });

  it("takes `formats:` as a mapping over the file, or a list of names; refuses a malformed one", () => {
    const root = makeRoot({
      "data/string-formats.yaml": formats,
      "specgen.config.yaml": "formats:\n  mx-user-id: {title: User, url: 'ids.html#users'}\n  mx-other:\n",
    });
    const config = loadConfig(root);
    expect(config.formatTitles["mx-user-id"]).toEqual({ title: "User", url: "ids.html#users" });
    expect(config.formatTitles["mx-room-id"]).toEqual({ title: "Room ID", url: undefined });
    expect(config.formats).toEqual(expect.arrayContaining(["mx-user-id", "mx-room-id", "uri", "mx-other"]));
    expect(loadConfig(makeRoot({ "specgen.config.yaml": "formats: [a, b]\n" })).formats).toEqual(["a", "b"]);
    for (const bad of ["formats: 3\n", "formats:\n  a: {url: x}\n", "formats: [1]\n"]) {
      expect(() => loadConfig(makeRoot({ "specgen.config.yaml": bad })), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig(makeRoot({ "data/string-formats.yaml": "- a\n" }))).toThrow(/must be a mapping/);
  });
});
