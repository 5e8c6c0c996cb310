import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { loadSpec, refSites } from "../src/load/index.js";
import { locate, origins, parseData, type Source, sharesNodes } from "../src/load/source.js";
import { makeRoot } from "./helpers.js";

describe("load", () => {
  it("parses YAML and JSON with or without an extension, and keeps positions", () => {
    const root = makeRoot({
      "event-schemas/schema/m.a": "type: object\nproperties:\n  content:\n    type: object\n",
      "event-schemas/schema/m.b.yaml": "type: object\n",
      "event-schemas/examples/m.a": '{\n  "type": "m.a",\n  "content": {\n    "x": 1\n  }\n}\n',
      "event-schemas/examples/m.c$v.json": '{"type": "m.c"}',
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics).toEqual([]);
    expect(spec.schemas.map((s) => s.rel)).toEqual(["event-schemas/schema/m.a", "event-schemas/schema/m.b.yaml"]);
    const [a] = spec.schemas;
    expect(a.value).toEqual({ type: "object", properties: { content: { type: "object" } } });
    expect(locate(a, "/properties/content/type")).toEqual({ line: 4, column: 5 });
    const example = spec.examples[0];
    expect(locate(example, "/content/x")).toEqual({ line: 4, column: 5 });
    expect(locate(example, "/content/x", "value")).toEqual({ line: 4, column: 10 });
    const content = (example.value as { content: object }).content;
    expect(origins.get(content)).toMatchObject({ source: example, pointer: "/content" });
  });

  it("reads only spec data: YAML/JSON documents in the API folder, event files by any name, never prose, code or images", () => {
    const root = makeRoot({
      "event-schemas/schema/m.a": "type: object\n",
      "event-schemas/schema/m.room.message$m.text": "type: object\n",
      "event-schemas/README.md": "# notes\n",
      "event-schemas/schema/check_examples.py": "import sys\n",
      "event-schemas/examples/m.a": '{"type": "m.a"}',
      "event-schemas/examples/viewer.js": "var x = {;\n",
      "api/client-server/sync.yaml": "swagger: '2.0'\npaths: {}\n",
      "api/client-server/definitions/thing.json": '{"type": "object"}',
      "api/README": "How to read these files.\n",
      "api/validator.js": "module.exports = function () {};\n",
      "api/files/swagger-ui.css": "body { color: red }\n",
      "api/files/logo.png": "not really a picture\n",
      "api/check_examples.py": "print('hi')\n",
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics).toEqual([]);
    expect([...spec.sources.values()].map((s) => s.rel).sort()).toEqual([
      "api/client-server/definitions/thing.json",
      "api/client-server/sync.yaml",
      "event-schemas/examples/m.a",
      "event-schemas/schema/m.a",
      "event-schemas/schema/m.room.message$m.text",
    ]);
  });

  it("leaves out what `exclude:` globs match, files and whole folders, in every source folder", () => {
    const root = makeRoot({
      "specgen.config.yaml": "exclude:\n  - api/drafts/**\n  - '**/m.broken*'\n  - specification/wip.md\n",
      "event-schemas/schema/m.a": "type: object\n",
      "event-schemas/schema/m.broken": "type: [unclosed\n",
      "event-schemas/examples/m.broken.json": "{,}",
      "api/client-server/sync.yaml": "swagger: '2.0'\npaths: {}\n",
      "api/drafts/new.yaml": "swagger: [\n",
      "api/drafts/deeper/more.yaml": "swagger: [\n",
      "specification/index.md": "# Home\n",
      "specification/wip.md": "# Not yet\n",
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics).toEqual([]);
    expect([...spec.sources.values()].map((s) => s.rel).sort()).toEqual([
      "api/client-server/sync.yaml",
      "event-schemas/schema/m.a",
      "specification/index.md",
    ]);
    expect(() => loadConfig(makeRoot({ "specgen.config.yaml": "exclude: api/**\n" }))).toThrow(/"exclude" must be a list of strings/);
  });

  it("reports syntax errors at their line and column and goes on", () => {
    const root = makeRoot({
      "event-schemas/schema/m.bad": "type: object\nproperties:\n  content: [unclosed\n",
      "event-schemas/examples/m.bad": '{\n  "type": "m.bad",\n  "content": {,}\n}',
      "event-schemas/schema/m.good": "type: object\n",
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ["parse-syntax", "event-schemas/schema/m.bad", 4],
      ["parse-syntax", "event-schemas/examples/m.bad", 3],
    ]);
    expect(spec.schemas.find((s) => s.rel.endsWith("m.good"))?.value).toEqual({ type: "object" });
  });

  it("refuses $refs that leave the root or use the network, and loads those that stay inside", () => {
    const root = makeRoot({
      "event-schemas/schema/m.a":
        "allOf:\n  - $ref: ../../api/defs/thing.yaml\n  - $ref: ../../../etc/passwd\n  - $ref: https://example.org/x.yaml\n",
      "api/defs/thing.yaml": "type: object\n",
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["ref-outside-root", 3],
      ["ref-network", 4],
    ]);
    expect([...spec.sources.values()].map((s) => s.rel)).toContain("api/defs/thing.yaml");
  });

  it("tells values that may share nodes (YAML aliases) from trees, and reads shared nodes once, at their first place", () => {
    const parsed = (text: string) => {
      const source: Source = { path: "/r/x.yaml", rel: "x.yaml", kind: "data", text, value: undefined };
      expect(parseData(source)).toEqual([]);
      return source;
    };
    /** True when some node is reached on two paths. */
    const shared = (value: unknown) => {
      const seen = new Set<object>();
      const walk = (node: unknown): boolean => {
        if (typeof node !== "object" || node === null) return false;
        if (seen.has(node)) return true;
        seen.add(node);
        return Object.values(node).some(walk);
      };
      return walk(value);
    };
    const aliased = [
      "a: &x {b: 1}\nc: *x\n",
      "a: &x\n  b: 1\nc:\n  - *x\n",
      "{a: &x [1], c: *x}",
      '{"a":&x {"b": 1}, "c":*x}',
      "[&x {b: 1},*x]",
      "---\n- &x [1]\n- *x\n",
      "base: &b {x: {y: 1}}\nchild:\n  <<: *b\n",
      "a: !!map &x {b: 1}\nc: *x\n",
    ];
    for (const text of aliased) {
      const source = parsed(text);
      expect(shared(source.value), text).toBe(true);
      expect(sharesNodes(source), text).toBe(true);
    }
    expect(sharesNodes(parsed("a: 1\nb: [2]\n"))).toBe(false);

    const root = makeRoot({
      "specgen.config.yaml": "substitutions:\n  V: v1\n",
      "event-schemas/schema/m.a": [
        "type: object",
        "properties:",
        "  one: &shared",
        "    type: enum",
        "    enum: [a, b]",
        "    description: version %V% and %W%",
        "    items: {$ref: m.b}",
        "  two: *shared",
      ].join("\n"),
      "event-schemas/schema/m.b": "type: string\n",
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    const a = spec.schemas[0];
    expect(sharesNodes(a)).toBe(true);
    const value = a.value as { properties: Record<string, { type: string; description: string }> };
    expect(value.properties.two).toBe(value.properties.one);
    expect(value.properties.one.type).toBe("string");
    expect(value.properties.one.description).toBe("version v1 and %W%");
    expect(refSites(a)).toEqual([{ pointer: "/properties/one/items", ref: "m.b", inExample: false }]);
    expect(origins.get(value.properties.two)).toMatchObject({ source: a, pointer: "/properties/one" });
    expect(diagnostics.map((d) => [d.code, d.line, d.pointer])).toEqual([
      ["substitution-unknown", 6, "/properties/one/description"],
      ["schema-2020-habit", 4, "/properties/one/type"],
    ]);
  });

  it("tells the files that only example $refs reach (example files) from schema files", () => {
    const root = makeRoot({
      "api/client-server/things.yaml": [
        "swagger: '2.0'",
        "paths:",
        "  /x:",
        "    get:",
        "      responses:",
        "        200:",
        "          description: ok",
        "          schema:",
        "            properties:",
        "              example: {$ref: defs/named.yaml}",
        "            allOf: [{$ref: defs/base.yaml}]",
        "          examples:",
        "            application/json: {$ref: examples/one.json}",
        "      x-example: {$ref: examples/two.json}",
      ].join("\n"),
      "api/client-server/defs/named.yaml": "type: string\n",
      "api/client-server/defs/base.yaml": "type: object\n",
      "api/client-server/examples/one.json": '{"a": 1}',
      "api/client-server/examples/two.json": '{"b": 2}',
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(diagnostics).toEqual([]);
    const rel = (files: Iterable<string>) => [...files].map((f) => f.slice(root.length + 1)).sort();
    expect(rel(spec.exampleFiles)).toEqual(["api/client-server/examples/one.json", "api/client-server/examples/two.json"]);
    expect(rel(spec.refs.get(`${root}/api/client-server/things.yaml`) ?? [])).toEqual([
      "api/client-server/defs/base.yaml",
      "api/client-server/defs/named.yaml",
      "api/client-server/examples/one.json",
      "api/client-server/examples/two.json",
    ]);
  });

  it("substitutes variables however the text writes the %, also as an escape", () => {
    const root = makeRoot({
      "specgen.config.yaml": "substitutions:\n  V: v1\n",
      "event-schemas/schema/m.a": "description: plain %V%\n",
      "event-schemas/schema/m.b.json": '{"description": "escaped \\u0025V\\u0025"}',
      "event-schemas/schema/m.c": 'description: "quoted \\x25V\\x25 and %W%"\n',
    });
    const { spec, diagnostics } = loadSpec(loadConfig(root));
    expect(spec.schemas.map((s) => (s.value as { description: string }).description)).toEqual([
      "plain v1",
      "escaped v1",
      "quoted v1 and %W%",
    ]);
    expect(diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([["substitution-unknown", "event-schemas/schema/m.c", 1]]);
  });
});
