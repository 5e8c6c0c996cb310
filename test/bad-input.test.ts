/**
 * Bad input, end to end through the CLI: each kind gets a clear error naming
 * its file (and line), the run goes on to report the rest, exit code 1, and
 * never a stack trace.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkRoot, copySample, makeRoot, specgen, writeFiles } from "./helpers.js";

const S = "event-schemas/schema";
const E = "event-schemas/examples";

interface Found {
  code: string;
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

function json(stdout: string): Found[] {
  return JSON.parse(stdout).diagnostics;
}

function noCrash(r: { stderr: string; stdout: string }) {
  expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+\)?\n/);
  expect(r.stdout).not.toMatch(/internal error/);
}

const aliasBomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
  .concat("bcdefghi".split("").map((c, i) => `${c}: &${c} [${Array(10).fill(`*${"abcdefghi"[i]}`).join(", ")}]`))
  .join("\n");

describe("bad input never crashes", () => {
  it("reports every kind of broken file, each naming its file and line, in one run", () => {
    const root = makeRoot({
      "specgen.config.yaml": "maxFileSize: 65536\n",
      [`${S}/m.empty`]: "",
      [`${S}/m.blank.yaml`]: "  \n\n",
      [`${S}/m.scalar`]: "just some text\n",
      [`${S}/m.list`]: "- a\n- b\n",
      [`${S}/m.bomb`]: `${aliasBomb}\n`,
      [`${S}/m.deep.json`]: `${"[".repeat(1000)}${"]".repeat(1000)}`,
      [`${S}/m.deep.yaml`]: `x: ${"[".repeat(1000)}${"]".repeat(1000)}\n`,
      [`${S}/m.huge`]: `description: "${"x".repeat(70_000)}"\n`,
      [`${S}/m.loop_a`]: "type: object\nallOf:\n  - $ref: m.loop_b\nproperties:\n  content: {type: object}\n",
      [`${S}/m.loop_b`]: "allOf:\n  - $ref: m.loop_a\n",
      [`${S}/m.self`]: "properties:\n  content:\n    $ref: '#/properties/content'\n",
      [`${S}/m.trailing.json`]: '{\n  "type": "object",\n}\n',
      [`${S}/m.tab`]: "type: object\nproperties:\n\tcontent: {}\n",
      [`${S}/m.dupe`]: "type: object\ndescription: one\ndescription: two\n",
      [`${S}/m.dupe_json.json`]: '{"type": "object",\n "type": "string"}',
      [`${S}/m.null`]: "type: object\nproperties:\n  content: {type: object, description: c}\n",
      [`${E}/m.null`]: "null\n",
      [`${S}/m.loopy`]: "type: object\n",
      [`${E}/m.loopy`]: '{"$ref": "core/a.json", "type": "m.loopy"}',
      [`${E}/core/a.json`]: '{"$ref": "b.json"}',
      [`${E}/core/b.json`]: '{\n  "$ref": "a.json"\n}',
      "specification/index.md": "# Home\n",
    });
    writeFileSync(path.join(root, S, "m.latin1"), Buffer.from([0x74, 0x79, 0x70, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    writeFileSync(path.join(root, S, "m.binary"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    writeFileSync(path.join(root, "specification/nul.md"), Buffer.from("# Page\n\u0000\n"));
    if (process.platform !== "win32") execFileSync("mkfifo", [path.join(root, S, "m.fifo")]);

    const r = specgen(["check", root, "--format", "json"]);
    expect(r.code).toBe(1);
    noCrash(r);
    const found = json(r.stdout).map((d) => [d.file, d.code, d.line]);
    const expected: [string, string, number][] = [
      [`${S}/m.empty`, "parse-empty", 1],
      [`${S}/m.blank.yaml`, "parse-empty", 1],
      [`${S}/m.scalar`, "schema-not-object", 1],
      [`${S}/m.list`, "schema-not-object", 1],
      [`${S}/m.bomb`, "parse-too-complex", 1],
      [`${S}/m.deep.json`, "parse-too-complex", 1],
      [`${S}/m.huge`, "file-too-large", 1],
      [`${S}/m.loop_b`, "schema-ref-loop", 2],
      [`${S}/m.self`, "schema-ref-loop", 3],
      [`${S}/m.trailing.json`, "parse-syntax", 3],
      [`${S}/m.tab`, "parse-syntax", 3],
      [`${S}/m.dupe`, "parse-duplicate-key", 3],
      [`${S}/m.dupe_json.json`, "parse-duplicate-key", 2],
      [`${E}/m.null`, "example-not-object", 1],
      [`${E}/core/b.json`, "example-ref-loop", 2],
      [`${S}/m.latin1`, "file-encoding", 1],
      [`${S}/m.binary`, "file-binary", 1],
      ["specification/nul.md", "file-binary", 2], // at the NUL byte
    ];
    for (const e of expected) expect(found, e.join(" ")).toContainEqual(e);
    expect(found.find((d) => d[0] === `${S}/m.deep.yaml`)?.[1]).toBe("parse-too-complex");
    if (process.platform !== "win32") expect(found).toContainEqual([`${S}/m.fifo`, "file-unreadable", 1]);

    const messages = Object.fromEntries(json(r.stdout).map((d) => [`${d.file} ${d.code}`, d.message]));
    expect(messages[`${S}/m.trailing.json parse-syntax`]).toBe("JSON syntax error: expected a property name in double quotes, found '}'");
    expect(messages[`${S}/m.dupe parse-duplicate-key`]).toBe('duplicate key "description"');
    expect(messages[`${S}/m.dupe_json.json parse-duplicate-key`]).toBe('duplicate key "type"');
    expect(messages[`${S}/m.loop_b schema-ref-loop`]).toContain(`${S}/m.loop_a → ${S}/m.loop_b → ${S}/m.loop_a`);
    expect(messages[`${E}/m.null example-not-object`]).toBe("example m.null is null, not an event object");
    expect(messages[`${E}/core/b.json example-ref-loop`]).toBe(
      `example $ref "a.json" loops back to ${E}/core/a.json: an example cannot extend itself`,
    );

    // The same run, pretty: every file is named with its line, and there is no stack trace.
    const pretty = specgen(["check", "."], {}, root);
    expect(pretty.code).toBe(1);
    noCrash(pretty);
    for (const [file, code, line] of expected) expect(pretty.stderr).toMatch(new RegExp(`^${file}:${line}:\\d+  error  ${code}  `, "m"));
  });

  it("validates against a pattern written to backtrack for ever without hanging", () => {
    const root = makeRoot({
      [`${S}/m.redos`]: [
        "type: object",
        "properties:",
        "  content:",
        "    type: object",
        "    properties:",
        "      a: {type: string, pattern: '^(a+)+$'}",
        "      b: {type: string, pattern: '^(\\w+\\s?)*$'}",
        "      c: {type: string, pattern: '^\\p{L}+$'}",
      ].join("\n"),
      [`${E}/m.redos`]: JSON.stringify({ content: { a: `${"a".repeat(60)}!`, b: `${"ab ".repeat(40)}!`, c: "é1" } }),
    });
    const r = specgen(["check", root, "--format", "json"]);
    expect(r.code, "killed after 60 s").toBe(1);
    const invalid = json(r.stdout).filter((d) => d.code === "example-invalid");
    expect(invalid.map((d) => d.message.split(" ")[0])).toEqual(["/content/a", "/content/b", "/content/c"]);
  });

  it("builds a recursive schema (a type that contains itself) and links its table to itself", () => {
    const root = copySample();
    writeFiles(root, {
      [`${S}/m.tree`]: [
        "type: object",
        "description: A tree.",
        "properties:",
        "  type: {type: string, enum: [m.tree]}",
        "  content: {$ref: '#/definitions/node'}",
        "definitions:",
        "  node:",
        "    type: object",
        "    title: Node",
        "    properties:",
        "      name: {type: string, description: The name.}",
        "      children: {type: array, description: The subtrees., items: {$ref: '#/definitions/node'}}",
      ].join("\n"),
      [`${E}/m.tree`]: '{"type": "m.tree", "content": {"name": "a", "children": [{"name": "b", "children": [{"name": 5}]}]}}',
      "specification/tree.md": "# Tree\n\n{{m_tree_event}}\n",
    });
    const bad = specgen(["check", root, "--format", "json"]);
    expect(bad.code).toBe(1);
    expect(json(bad.stdout).map((d) => [d.code, d.file, d.message.split(" ")[0]])).toEqual([
      ["example-invalid", `${E}/m.tree`, "/content/children/0/children/0/name"],
    ]);
    writeFiles(root, { [`${E}/m.tree`]: '{"type": "m.tree", "content": {"name": "a", "children": [{"name": "b"}]}}' });
    const r = specgen(["build", root]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(path.join(root, "output/tree.html"), "utf8");
    expect(html).toMatch(
      /<th scope="row"><code>children<\/code><\/th>\s*<td class="field-type">\[<a href="#m-tree_content">[^<]+<\/a>\]<\/td>/,
    );
  });

  it("builds recursive schemas whose type is a list, or that recur through lists and maps only", () => {
    const root = makeRoot({
      [`${S}/m.tree`]: [
        "properties:",
        "  content: {$ref: '#/definitions/node'}",
        "definitions:",
        "  node:",
        "    type: [object, 'null']",
        "    title: Node",
        "    properties:",
        "      kids: {type: array, description: Subtrees., items: {$ref: '#/definitions/node'}}",
        "      alt: {description: Either., oneOf: [{$ref: '#/definitions/node'}, {type: string}]}",
        "      list: {$ref: '#/definitions/list', description: Lists of lists.}",
        "      map: {$ref: '#/definitions/map', description: Maps of maps.}",
        "  list: {type: array, items: {$ref: '#/definitions/list'}}",
        "  map: {type: object, additionalProperties: {$ref: '#/definitions/map'}}",
      ].join("\n"),
      [`${E}/m.tree`]: '{"content": {"kids": [null, {"alt": "x"}]}}',
      "specification/index.md": "# Tree\n\n{{m_tree_event}}\n",
    });
    const r = specgen(["build", root]);
    expect(r.code, "killed after 60 s").toBe(0);
    const html = readFileSync(path.join(root, "output/index.html"), "utf8");
    expect(html).toMatch(/<th scope="row"><code>kids<\/code><\/th>\s*<td class="field-type">\[<a href="#m-tree_node">Node<\/a>/);
    expect(html).toMatch(/<th scope="row"><code>list<\/code><\/th>\s*<td class="field-type">\[\[list\]\]<\/td>/);
    expect(html).toMatch(/<th scope="row"><code>map<\/code><\/th>\s*<td class="field-type">\{string: \{string: map\}\}<\/td>/);
  });

  it("reports a description that includes its own block instead of rendering it for ever", async () => {
    const root = makeRoot({
      [`${S}/m.self`]: "description: |\n  Me again:\n\n  {{m_self_event}}\nproperties:\n  content: {type: object}\n",
      "specification/index.md": "# Home\n\n{{m_self_event}}\n",
    });
    const { diagnostics, files } = await checkRoot(root);
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.file, d.line, d.column])).toEqual([
      ["block-recursive", `${S}/m.self`, 4, 3],
    ]);
    expect(files.get("index.html")).toContain('<section class="event" id="m-self"');
  });

  it("reports a malformed schema, a broken $ref, an invalid example, an unknown block and a dangling reference in one run, in every format", () => {
    const root = copySample();
    const edit = (rel: string, from: string, to: string) => {
      const file = path.join(root, rel);
      const text = readFileSync(file, "utf8");
      expect(text).toContain(from);
      writeFileSync(file, text.replace(from, to));
    };
    writeFiles(root, { [`${S}/m.broken`]: "type: object\nproperties:\n  content: {type: object\n" });
    edit(`${S}/m.forwarded_room_key`, "$ref: core-event-schema/event.yaml", "$ref: core-event-schema/evnet.yaml");
    edit(`${E}/m.room_key.withheld`, '"code": "m.unverified"', '"code": 42');
    edit("specification/modules/end_to_end_encryption.md", "{{m_room_key_withheld_event}}", "{{m_room_key_witheld_event}}");
    edit("specification/modules/end_to_end_encryption.md", "`Key requests`_", "`Key requets`_");
    const page = "specification/modules/end_to_end_encryption.md";
    const lines = readFileSync(path.join(root, page), "utf8").split("\n");
    const lineOf = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
    const columnOf = (s: string) => lines[lineOf(s) - 1].indexOf(s) + 1;
    const expected = [
      [`${E}/m.room_key.withheld`, 9, 13, "example-invalid"],
      [`${S}/m.broken`, 4, 1, "parse-syntax"],
      [`${S}/m.forwarded_room_key`, 3, 5, "ref-missing-file"],
      // The withheld event is on no page now, so references to it dangle too.
      [page, lineOf("`m.room_key.withheld`_"), columnOf("`m.room_key.withheld`_"), "reference-unresolved"],
      [page, lineOf("`Key requets`_"), columnOf("`Key requets`_"), "reference-unresolved"],
      [page, lineOf("{{m_room_key_witheld_event}}"), 1, "block-unknown"],
    ];

    const r = specgen(["check", root, "--format", "json"]);
    expect(r.code).toBe(1);
    const errors = json(r.stdout).filter((d) => d.code !== "event-no-example" && d.code !== "schema-compile");
    expect(errors.map((d) => [d.file, d.line, d.column, d.code])).toEqual(expected);
    expect(errors[2].message).toContain("no file event-schemas/schema/core-event-schema/evnet.yaml");
    expect(errors[0].message).toContain(`/content/code must be string (${S}/m.room_key.withheld#/properties/content/properties/code type)`);

    const pretty = specgen(["check", "."], {}, root);
    const github = specgen(["check", "."], { GITHUB_ACTIONS: "true" }, root);
    for (const [file, line, column, code] of expected) {
      expect(pretty.stderr).toMatch(new RegExp(`^${file}:${line}:${column}  error  ${code}  `, "m"));
      expect(github.stderr).toContain(`::error file=${file},line=${line},col=${column},title=${code}::`);
    }
    expect(pretty.stderr).toMatch(/\d+ errors, \d+ warnings? in 4 files \(\d+ files checked\)\n$/);
  });
});
