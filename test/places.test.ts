/** The cheap reading of places (load/places.ts) puts every node, and every string's end, where the `yaml` syntax tree does. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readPlaces } from "../src/load/places.js";
import { escapePointer, locate, locateInTree, parseData, type Source, valueRange, valueRangeInTree } from "../src/load/source.js";
import { CORPUS, hasCorpus } from "./helpers.js";

function source(text: string, rel = "x.yaml"): Source {
  const s: Source = { path: `/r/${rel}`, rel, kind: "data", text, value: undefined };
  expect(parseData(s)).toEqual([]);
  return s;
}

/** Every pointer of the value, and a missing child of each object (reported at the object). */
function pointers(value: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const visit = (node: unknown, pointer: string) => {
    out.push(pointer);
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    out.push(`${pointer}/no such key`);
    for (const [key, child] of Object.entries(node)) visit(child, `${pointer}/${escapePointer(key)}`);
  };
  visit(value, "");
  return out;
}

/** Pointers whose places differ between the two readings (a fresh source each, so neither reuses the other's work). */
function disagreements(text: string, rel?: string): string[] {
  const fast = source(text, rel);
  const tree = source(text, rel);
  const out: string[] = [];
  for (const pointer of pointers(fast.value)) {
    for (const at of ["key", "value"] as const) {
      const a = locate(fast, pointer, at);
      const b = locateInTree(tree, pointer, at);
      if (a.line !== b.line || a.column !== b.column) out.push(`${at} ${pointer}: ${a.line}:${a.column} vs ${b.line}:${b.column}`);
    }
    const a = valueRange(fast, pointer);
    const b = valueRangeInTree(tree, pointer);
    if (String(a) !== String(b)) out.push(`range ${pointer}: ${a} vs ${b}`);
  }
  return out;
}

const SHAPES: Record<string, string> = {
  "block styles": [
    "%YAML 1.2",
    "---",
    "# a comment",
    "type: object   # trailing",
    "description: |-",
    "  Literal text.",
    "folded: >",
    "  folded",
    "  text",
    "properties:",
    "  # between keys",
    "  a:",
    "    type: string",
    "  empty:",
    "  blank: ",
    "  commented:  # nothing",
    "  'quoted key': 1",
    '  "escaped \\u0041": 2',
    "  ? explicit",
    "  : value",
    "  /slash~tilde: 3",
    "  200: numeric",
    "list:",
    "  - one",
    "  -   two",
    "  - a: 1",
    "    b: [x, {y: 2}]",
    "  - - nested",
    "    - seq",
    "  -",
    "    late: item",
    "  - |",
    "    block item",
    "tags: !!str tagged",
    "anchored: &anchor",
    "  inner: 1",
    "alias: *anchor",
    "flow: {a: 1, 'b': [1, 2], c: }",
    "pairs: [k: v, plain, {m: n}]",
    "multi: plain text",
    "  over lines",
    "strip: |-",
    "  stripped",
    "",
    "",
    "keep: |+",
    "  kept",
    "",
    "indented: |2",
    "    two more",
    "# a comment at the left",
    "last: >",
    "  folded at the end",
    "",
  ].join("\n"),
  JSON: '{\n  "a": {"b": [1, {"c": null}], "d": "x\\ny"},\n  "e": []\n}\n',
  "CRLF line ends": "a:\r\n  b: 1\r\n  c:\r\n    - d\r\n",
  "a list at the top": "- a: 1\n- {b: 2}\n- [3]\n",
  "a scalar at the top": "just text\n",
};

describe("places", () => {
  for (const [name, text] of Object.entries(SHAPES)) {
    it(`agrees with the syntax tree: ${name}`, () => {
      expect(readPlaces(text)).toBeDefined();
      expect(disagreements(text, name === "JSON" ? "x.json" : "x.yaml")).toEqual([]);
    });
  }

  it("gives way to the syntax tree where it cannot vouch for a file, and the places stay right", () => {
    const merge = "base: &b\n  x: 1\nchild:\n  <<: *b\n  y: 2\n";
    const emptyItem = "list:\n  -\n  - b\n";
    for (const text of [merge, emptyItem]) {
      expect(readPlaces(text)).toBeUndefined();
      expect(disagreements(text)).toEqual([]);
    }
    expect(locate(source(merge), "/child/y")).toEqual({ line: 5, column: 3 });
    expect(locate(source(emptyItem), "/list/1")).toEqual({ line: 3, column: 5 });
  });

  it("finds a key, a value, a block scalar's first line and a missing key's holder", () => {
    const s = source("a:\n  b: 1\n  text: |\n    first\n");
    expect(locate(s, "/a/b")).toEqual({ line: 2, column: 3 });
    expect(locate(s, "/a/b", "value")).toEqual({ line: 2, column: 6 });
    expect(locate(s, "/a/text", "value")).toEqual({ line: 4, column: 1 });
    expect(locate(s, "/a/missing")).toEqual({ line: 1, column: 1 });
  });

  it.skipIf(!hasCorpus)("agrees with the syntax tree on every node of the 2020 corpus", () => {
    const files = readdirSync(CORPUS, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && !/\.(md|txt|rst|html?|hbs|css|js|py|sh|png|svg)$|^\./.test(e.name))
      .map((e) => path.join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(300);
    const wrong: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const rel = path.relative(CORPUS, file);
      const probe: Source = { path: file, rel, kind: "data", text, value: undefined };
      if (parseData(probe).length > 0) continue;
      wrong.push(...disagreements(text, rel).map((d) => `${rel} ${d}`));
    }
    expect(wrong).toEqual([]);
  });
});
