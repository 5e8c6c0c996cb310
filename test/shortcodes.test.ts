/**
 * Hugo shortcodes inside data descriptions are not rendered there yet: each is
 * a located error, and none of their markup reaches the HTML.
 */
import { describe, expect, it } from "vitest";
import { checkRoot, makeRoot } from "./helpers.js";

const schema = `type: object
description: |-
  A thing.

  {{% boxes/note %}}
  Mind the gap.
  {{% /boxes/note %}}
properties:
  type: {type: string, enum: [m.thing]}
  content:
    type: object
    properties:
      size:
        type: integer
        description: "How big. {{% added-in v=\\"1.7\\" %}} Or {{< changed-in v=\\"1.8\\" >}}."
`;

describe("shortcodes in descriptions", () => {
  it("reports each at its line and column and leaves its markup out of the page", async () => {
    const root = makeRoot({
      "event-schemas/schema/m.thing.yaml": schema,
      "event-schemas/examples/m.thing.json": '{"type": "m.thing", "content": {"size": 1}}',
      "specification/index.md": "# Things\n\n{{m_thing_event}}\n",
    });
    const result = await checkRoot(root);
    const lines = schema.split("\n");
    const place = (text: string) => {
      const line = lines.findIndex((l) => l.includes(text));
      return { line: line + 1, column: lines[line].indexOf(text) + 1 };
    };
    expect(result.diagnostics.map((d) => ({ code: d.code, file: d.file, line: d.line, column: d.column }))).toEqual([
      { code: "shortcode-unknown", file: "event-schemas/schema/m.thing.yaml", ...place("{{% boxes/note %}}") },
      { code: "shortcode-unknown", file: "event-schemas/schema/m.thing.yaml", ...place("{{% added-in") },
      { code: "shortcode-unknown", file: "event-schemas/schema/m.thing.yaml", ...place("{{< changed-in") },
    ]);
    const page = result.files.get("index.html") as string;
    expect(page).not.toMatch(/\{\{[%<]|[%>]\}\}/);
    expect(page).toContain("Mind the gap.");
    expect(page).toContain("How big.");
  });
});
