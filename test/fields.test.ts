/** Field tables on hand-made schemas: the cases no real file holds. */
import { describe, expect, it } from "vitest";
import { buildFieldTables } from "../src/schema/fields.js";
import type { SchemaObject } from "../src/schema/resolve.js";

const typeText = (parts: { text: string }[]) => parts.map((p) => p.text).join("");

describe("field tables", () => {
  it("ends on a recursive schema reached through `type: [object, null]`, linking back to its table", () => {
    const node: SchemaObject = { type: ["object", "null"], title: "Node", properties: { value: { type: "integer" } } };
    (node.properties as SchemaObject).next = node;
    const tables = buildFieldTables({ type: "object", properties: { head: node } }, "Content", "x");
    expect(tables.map((t) => [t.anchor, t.rows.map((r) => `${r.key}: ${typeText(r.type)}`)])).toEqual([
      ["x_content", ["head: Node|null"]],
      ["x_node", ["value: integer", "next: Node|null"]],
    ]);
    expect(tables[1].rows[1].type[0]).toEqual({ text: "Node", anchor: "x_node" });
  });

  it("names untyped enums and consts, untitled objects by their key, and shows a map's keys as a row", () => {
    const [content, nested] = buildFieldTables(
      {
        properties: {
          mode: { enum: ["a", "b"] },
          answer: { const: 42 },
          anything: {},
          inner: { properties: { x: { type: "boolean" } } },
        },
        additionalProperties: { type: "string", "x-pattern-format": "mx-room-id", description: "Room names." },
      },
      "Content",
      "y",
    );
    expect(content.rows.map((r) => [r.key, typeText(r.type), r.enum, r.mapKeys])).toEqual([
      ["mode", "string", ["a", "b"], false],
      ["answer", "enum", ["42"], false],
      ["anything", "any", [], false],
      ["inner", "inner", [], false],
      ["<mx-room-id>", "string", [], true],
    ]);
    expect(content.rows[4].description).toBe("Room names.");
    expect(nested.title).toBe("inner");
  });
});
