import { describe, expect, it } from "vitest";
import { formatChecks } from "../src/examples/formats.js";
import { type Draft, interpret, type SchemaProblem } from "../src/examples/interpret.js";
import { compilePattern } from "../src/examples/patterns.js";
import { checkRoot, makeRoot } from "./helpers.js";

const formats = formatChecks(["mx-user-id"]);

/** `[instancePath, keyword, message]` of each error of `value` against `schema`. */
function errors(schema: unknown, value: unknown, draft: Draft = "07", refs = new Map<object, unknown>()) {
  const options = { draft, refTarget: (h: object) => refs.get(h), format: (n: string) => formats.get(n), pattern: compilePattern };
  return interpret(schema, value, options).map((e) => [e.instancePath, e.keyword, e.message]);
}

describe("interpret", () => {
  it("words each keyword's error like ajv, at the offending value", () => {
    const schema = {
      type: "object",
      required: ["a", "gone"],
      additionalProperties: false,
      properties: {
        a: { type: "string", minLength: 3, pattern: "^x" },
        b: { type: ["integer", "null"], minimum: 0, multipleOf: 2 },
        c: { enum: ["one", "two"] },
        d: { type: "array", items: { const: 1 }, uniqueItems: true, maxItems: 3 },
        "e/f": { type: "boolean" },
        gone: {},
      },
    };
    const value = { a: "ab", b: 3, c: "three", d: [1, 2, 1, 1], "e/f": 0, extra: true };
    expect(errors(schema, value)).toEqual([
      ["", "required", "must have required property 'gone'"],
      ["", "additionalProperties", "must NOT have additional properties"],
      ["/a", "minLength", "must NOT have fewer than 3 characters"],
      ["/a", "pattern", 'must match pattern "^x"'],
      ["/b", "multipleOf", "must be multiple of 2"],
      ["/c", "enum", "must be equal to one of the allowed values"],
      ["/d", "maxItems", "must NOT have more than 3 items"],
      ["/d", "uniqueItems", "must NOT have duplicate items (items ## 3 and 2 are identical)"],
      ["/d/1", "const", "must be equal to constant"],
      ["/e~1f", "type", "must be boolean"],
    ]);
    expect(errors(schema, { a: "xyz", b: null, c: "one", d: [1], "e/f": true, gone: 0 })).toEqual([]);
  });

  it("reports the failing branches of anyOf and oneOf, and nothing from a branch that passed", () => {
    const schema = { anyOf: [{ type: "string" }, { type: "number", maximum: 5 }], oneOf: [{ minimum: 0 }, { maximum: 10 }] };
    expect(errors(schema, 3)).toEqual([["", "oneOf", "must match exactly one schema in oneOf"]]);
    expect(errors(schema, 50)).toEqual([
      ["", "type", "must be string"],
      ["", "maximum", "must be <= 5"],
      ["", "anyOf", "must match a schema in anyOf"],
    ]);
    // A schema with `then`, parsed as the sources would be (a literal object with `then` reads as a promise).
    const conditional = JSON.parse('{"not": {"type": "null"}, "if": {"minimum": 1}, "then": {"maximum": 2}}');
    expect(errors(conditional, 3)).toEqual([
      ["", "maximum", "must be <= 2"],
      ["", "if", 'must match "then" schema'],
    ]);
  });

  // The cases below are where test/interpret-vs-ajv.test.ts found interpret.ts reporting otherwise than ajv.
  it("reports the failing branches when several oneOf branches pass, and tries none after the second", () => {
    const schema = { oneOf: [{}, { type: "string" }, {}, { type: "boolean" }] };
    expect(errors(schema, 1)).toEqual([
      ["", "type", "must be string"],
      ["", "oneOf", "must match exactly one schema in oneOf"],
    ]);
  });

  it("says why the items do not count when contains fails", () => {
    expect(errors({ contains: { type: "string" } }, [1])).toEqual([
      ["/0", "type", "must be string"],
      ["", "contains", "must contain at least 1 valid item(s)"],
    ]);
    expect(errors({ contains: { type: "string" } }, [1, "a"])).toEqual([]);
  });

  it("reports a false item schema at each item, and false after a tuple once at the array", () => {
    expect(errors({ items: false }, [1, 2])).toEqual([
      ["/0", "false schema", "boolean schema is false"],
      ["/1", "false schema", "boolean schema is false"],
    ]);
    expect(errors({ items: [{}, false] }, [1, 2])).toEqual([["/1", "false schema", "boolean schema is false"]]);
    expect(errors({ prefixItems: [{}], items: false }, [1, 2, 3], "2020")).toEqual([["", "items", "must NOT have more than 1 items"]]);
  });

  it("does not repeat a rejected property as unevaluated (properties, patterns, additionalProperties, allOf)", () => {
    const schema = {
      properties: { a: { type: "string" } },
      patternProperties: { "^b": { type: "string" } },
      allOf: [{ properties: { c: { type: "string" } } }, { additionalProperties: false }],
      unevaluatedProperties: false,
    };
    expect(errors(schema, { a: 1, b: 1, c: 1, d: 1 }, "2020").map(([p, k]) => `${p} ${k}`)).toEqual([
      "/c type",
      " additionalProperties",
      " additionalProperties",
      " additionalProperties",
      " additionalProperties",
      "/a type",
      "/b type",
    ]);
    // A failing anyOf branch still evaluates nothing: the verdict does not change.
    expect(errors({ anyOf: [{ properties: { a: { type: "string" } } }, {}], unevaluatedProperties: false }, { a: 1 }, "2020")).toEqual([
      ["", "unevaluatedProperties", "must NOT have unevaluated properties"],
    ]);
  });

  it("compares for uniqueItems only the items of the type items of scalar types want, as ajv", () => {
    expect(errors({ uniqueItems: true, items: { type: "string" } }, [false, false, "a"])).toEqual([
      ["/0", "type", "must be string"],
      ["/1", "type", "must be string"],
    ]);
    expect(errors({ uniqueItems: true, items: { type: "object" } }, [false, false])).toEqual([
      ["", "uniqueItems", "must NOT have duplicate items (items ## 1 and 0 are identical)"],
      ["/0", "type", "must be object"],
      ["/1", "type", "must be object"],
    ]);
  });

  it("follows a $ref through the table, and leaves out a $ref the table has no target for", () => {
    const target = { type: "string" };
    const holder = { $ref: "other.yaml#/definitions/name" };
    const left = { $ref: "#/nowhere", type: "object" };
    const schema = { properties: { name: holder, other: left } };
    const refs = new Map<object, unknown>([[holder, target]]);
    const found = interpret(
      schema,
      { name: 5, other: 1 },
      {
        draft: "07",
        refTarget: (h) => refs.get(h),
        format: () => undefined,
        pattern: compilePattern,
      },
    );
    expect(found.map((e) => [e.instancePath, e.keyword])).toEqual([
      ["/name", "type"],
      ["/other", "type"],
    ]);
    expect(found[0].schema).toBe(target); // the object whose origin names the file and pointer
  });

  it("checks formats by their type, accepts the config's own, and ignores unknown ones", () => {
    const schema = {
      properties: {
        when: { format: "date-time" },
        n: { format: "int32" },
        user: { format: "mx-user-id" },
        odd: { format: "no-such-format" },
      },
    };
    expect(errors(schema, { when: "yesterday", n: 2 ** 40, user: "anything", odd: "x" })).toEqual([
      ["/when", "format", 'must match format "date-time"'],
      ["/n", "format", 'must match format "int32"'],
    ]);
    expect(errors(schema, { when: "2020-01-02T03:04:05Z", n: 7 })).toEqual([]);
  });

  it("reads each draft's own keywords", () => {
    // draft-04: boolean exclusiveMaximum; later drafts: a number.
    expect(errors({ maximum: 10, exclusiveMaximum: true }, 10, "04")).toEqual([["", "maximum", "must be < 10"]]);
    expect(errors({ exclusiveMaximum: 10 }, 10, "07")).toEqual([["", "exclusiveMaximum", "must be < 10"]]);
    // draft-07: dependencies, items as a list and additionalItems.
    expect(errors({ dependencies: { a: ["b"] }, items: [{ type: "string" }], additionalItems: false }, { a: 1 }, "07")).toEqual([
      ["", "dependencies", "must have property b when property a is present"],
    ]);
    expect(errors({ items: [{ type: "string" }], additionalItems: false }, ["a", "b"], "07")).toEqual([
      ["", "additionalItems", "must NOT have more than 1 items"],
    ]);
    // 2019-09: dependentRequired, unevaluatedProperties seeing through allOf.
    const unevaluated = { allOf: [{ properties: { a: {} } }], dependentRequired: { a: ["c"] }, unevaluatedProperties: false };
    expect(errors(unevaluated, { a: 1, b: 2 }, "2019")).toEqual([
      ["", "dependentRequired", "must have property c when property a is present"],
      ["", "unevaluatedProperties", "must NOT have unevaluated properties"],
    ]);
    // 2020-12: prefixItems, then items for the rest; contains with maxContains; unevaluatedItems.
    expect(errors({ prefixItems: [{ type: "string" }], items: false }, ["a", "b"], "2020")).toEqual([
      ["", "items", "must NOT have more than 1 items"],
    ]);
    expect(errors({ contains: { type: "number" }, maxContains: 1 }, [1, 2], "2020")).toEqual([
      ["", "contains", "must contain at least 1 and no more than 1 valid item(s)"],
    ]);
    expect(errors({ prefixItems: [{}], unevaluatedItems: false }, [1, 2], "2020")).toEqual([
      ["", "unevaluatedItems", "must NOT have more than 1 items"],
    ]);
  });

  it("runs a pattern that backtracks for ever in linear time, and refuses an invalid one as the schema's fault", () => {
    const value = { a: `${"a".repeat(60)}!`, b: { [`${"ab ".repeat(40)}!`]: 1 } };
    const schema = { properties: { a: { pattern: "^(a+)+$" }, b: { patternProperties: { "^(\\w+\\s?)*$": false } } } };
    expect(errors(schema, value)).toEqual([["/a", "pattern", 'must match pattern "^(a+)+$"']]);
    // A pattern that cannot be applied is left out, and the rest of the schema still applies.
    const broken = {
      properties: {
        a: { pattern: "(", minLength: 2 },
        b: { pattern: "^(a)\\1$" },
        c: { patternProperties: { "^(?!x)": false }, additionalProperties: false },
        d: { type: "integer" },
      },
    };
    const problems: SchemaProblem[] = [];
    const options = { draft: "07" as const, refTarget: () => undefined, format: () => undefined, pattern: compilePattern };
    const found = interpret(broken, { a: "x", b: "ab", c: { y: 1, x: 2 }, d: "no" }, options, problems);
    expect(found.map((e) => [e.instancePath, e.keyword])).toEqual([
      ["/a", "minLength"],
      ["/d", "type"],
    ]);
    expect(problems.map((p) => [p.kind, p.keyword])).toEqual([
      ["invalid", "pattern"],
      ["unsupported", "pattern"],
      ["unsupported", "^(?!x)"],
    ]);
  });
});

describe("validating examples", () => {
  it("guards a pattern reached only through a $ref into another file, and reports an invalid one at its line", async () => {
    const root = makeRoot({
      "event-schemas/schema/core/names.yaml": [
        "definitions:",
        "  slow: {type: string, pattern: '^(a+)+$'}",
        "  keys:",
        "    type: object",
        "    patternProperties:",
        "      '^(\\w+\\s?)*$': {type: integer}",
        "  broken: {type: string, pattern: '(unclosed'}",
      ].join("\n"),
      "event-schemas/schema/m.x": [
        "type: object",
        "properties:",
        "  type: {type: string}",
        "  content:",
        "    type: object",
        "    properties:",
        "      name: {$ref: 'core/names.yaml#/definitions/slow'}",
        "      map: {$ref: 'core/names.yaml#/definitions/keys'}",
      ].join("\n"),
      "event-schemas/examples/m.x": JSON.stringify({
        type: "m.x",
        content: { name: `${"a".repeat(60)}!`, map: { [`${"ab ".repeat(40)}`]: "x" } },
      }),
      "event-schemas/schema/m.y": "type: object\nproperties:\n  content: {$ref: 'core/names.yaml#/definitions/broken'}\n",
      "event-schemas/examples/m.y": '{"type": "m.y", "content": "x"}',
    });
    const { diagnostics } = await checkRoot(root);
    const invalid = diagnostics.filter((d) => d.code === "example-invalid");
    expect(invalid.map((d) => d.message)).toEqual([
      '/content/name must match pattern "^(a+)+$" (event-schemas/schema/core/names.yaml#/definitions/slow pattern)',
      `/content/map/${"ab ".repeat(40)} must be integer (event-schemas/schema/core/names.yaml#/definitions/keys/patternProperties/^(\\w+\\s?)*$ type)`,
    ]);
    const compile = diagnostics.filter((d) => d.code === "schema-compile");
    expect(compile.map((d) => [d.file, d.line, d.pointer])).toEqual([
      ["event-schemas/schema/core/names.yaml", 7, "/definitions/broken/pattern"],
    ]);
    expect(compile[0].message).toContain('"(unclosed" is not a valid regular expression');
  });
});

describe("checking schemas against their meta-schema", () => {
  const drafts = {
    "04": "http://json-schema.org/draft-04/schema#",
    "07": "http://json-schema.org/draft-07/schema#",
    "2019": "https://json-schema.org/draft/2019-09/schema",
    "2020": "https://json-schema.org/draft/2020-12/schema",
  };

  it("finds a bad keyword however deep, in each draft (through $recursiveRef and $dynamicRef in the newer ones)", async () => {
    const files: Record<string, string> = {};
    for (const [name, uri] of Object.entries(drafts)) {
      files[`event-schemas/schema/m.d${name}`] = [
        `$schema: "${uri}"`,
        "type: object",
        "properties:",
        "  content:",
        "    properties:",
        "      deep: {items: {properties: {deeper: {type: nope, minLength: -1}}}}",
        "      fine: {type: [string, 'null'], pattern: '^a', format: date-time}",
      ].join("\n");
    }
    const { diagnostics } = await checkRoot(makeRoot(files));
    const invalid = diagnostics.filter((d) => d.code === "schema-invalid");
    for (const name of Object.keys(drafts)) {
      const own = invalid.filter((d) => d.file === `event-schemas/schema/m.d${name}`);
      const deeper = "/properties/content/properties/deep/items/properties/deeper";
      expect(
        own.every((d) => d.line === 6 && d.message.startsWith("/properties/content/properties/deep/items")),
        name,
      ).toBe(true);
      expect(
        own.map((d) => d.message),
        name,
      ).toEqual(expect.arrayContaining([`${deeper}/type must match a schema in anyOf`, `${deeper}/minLength must be >= 0`]));
    }
  });

  it("reports an invalid regular expression in the schema, and does not run it on the example", async () => {
    const root = makeRoot({
      "event-schemas/schema/m.x": "type: object\nproperties:\n  content: {type: string, pattern: '([a-'}\n",
      "event-schemas/examples/m.x": '{"type": "m.x", "content": "a"}',
    });
    const { diagnostics } = await checkRoot(root);
    expect(diagnostics.filter((d) => d.code.startsWith("schema-")).map((d) => [d.code, d.line, d.message.split(":")[0]])).toEqual([
      ["schema-compile", 3, "schema cannot be applied"],
      ["schema-invalid", 3, '/properties/content/pattern must match format "regex"'],
    ]);
  });
});
