/**
 * The reStructuredText reader held to docutils, as interpret-vs-ajv holds the
 * validator to ajv: every .rst page of the 2020 corpus is read by docutils
 * (test/rst/docutils-structure.py) and by src/pages/rst, and their structures
 * must be equal: section titles and levels, lists and their item counts,
 * tables with their cells' text, literal blocks, admonitions, targets and
 * footnotes, in document order. Where they differ on purpose, EXCEPTIONS says
 * why. Skips with a message without the corpus or without python3's docutils.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Inline, parseInline } from "../src/pages/rst/inline.js";
import { type Block, makeId, normalizeName, type RstDocument } from "../src/pages/rst/nodes.js";
import { parseDocument } from "../src/pages/rst/parse.js";
import { CORPUS, hasCorpus, REPO } from "./helpers.js";

const hasDocutils = spawnSync("python3", ["-c", "import docutils"]).status === 0;
if (!hasCorpus) console.warn(`rst-vs-docutils skipped: ${CORPUS} is not there`);
else if (!hasDocutils) console.warn("rst-vs-docutils skipped: python3 cannot import docutils (apt-get install python3-docutils)");

type Entry = (string | number | string[][])[];

/**
 * Where the reader differs from docutils on purpose. Each is an entry of the
 * reader's structure that docutils does not have; the test leaves them out
 * and counts them, so that a new difference cannot hide among them.
 */
const EXCEPTIONS = {
  /**
   * `.. topic:: Version: %X%` followed by an unindented `{{x_changelog}}`
   * line: the 2020 templates rendered that block indented, so the topic held
   * the changelog; the reader gives the topic the block. docutils, reading
   * the page untemplated, finds a topic without content (an error) and drops it.
   */
  "topic-filled-by-block": 5,
  /**
   * A title more than one level below the title before it: docutils reports
   * "Title level inconsistent" and drops it; the reader warns and keeps its
   * text as a paragraph. All ten are in client_server_api.rst, whose `<`
   * titles (written for gendoc.py to make relative) take a level of their own
   * when the page is read alone; in the 2020 build, and in the matrix-2020
   * layout, targets.yaml's title_styles give them their proper levels.
   */
  "title-shown-as-paragraph": 10,
};

function pages(): string[] {
  const root = path.join(CORPUS, "specification");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".rst")) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

/** The structure the reader finds, walked as the Python script walks docutils' tree. */
function structure(doc: RstDocument): Entry[] {
  footnotes.count = 0;
  const out: Entry[] = [];
  // docutils' ids: the first element of a name takes makeId(name), later ones `-1`, `-2`, … (sections and targets alike).
  const ids = new Map<string, number>();
  const unique = (name: string) => {
    const base = makeId(name);
    const n = ids.get(base);
    ids.set(base, (n ?? 0) + 1);
    return n === undefined ? base : `${base}-${n}`;
  };
  const walk = (blocks: readonly Block[]) => {
    for (const block of blocks) {
      switch (block.kind) {
        case "section":
          unique(inlineText(doc, block.title.text));
          out.push(["section", block.level, inlineText(doc, block.title.text)]);
          break;
        case "contents":
          if (block.depth !== -1) out.push(["contents"]);
          break;
        case "table":
          out.push(["table", [...block.head, ...block.body].map((row) => row.map((cell) => blocksText(doc, cell.blocks)))]);
          break;
        case "bullet_list":
        case "enumerated_list":
          out.push([block.kind, block.items.length]);
          for (const item of block.items) walk(item);
          break;
        case "definition_list":
          out.push([block.kind, block.items.length]);
          for (const item of block.items) walk(item.definition);
          break;
        case "field_list":
          out.push([block.kind, block.fields.length]);
          for (const field of block.fields) walk(field.body);
          break;
        case "literal_block":
          out.push(["literal_block", block.text.trimEnd()]);
          break;
        case "admonition":
          if (block.name === "topic" && block.children.length === 1 && block.children[0].kind === "specgen_block") {
            // docutils has the block line as a paragraph after the (dropped) topic.
            out.push(["topic-filled-by-block"], ["paragraph", block.children[0].raw]);
            break;
          }
          out.push(["admonition", block.name]);
          walk(block.children);
          break;
        case "target":
          if (!block.anonymous) out.push(["target", unique(block.name)]);
          break;
        case "footnote":
          out.push(["footnote"]);
          walk(block.children);
          break;
        case "block_quote":
          walk(block.children);
          break;
        case "paragraph":
          out.push(block.demotedTitle ? ["title-shown-as-paragraph"] : ["paragraph", inlineText(doc, block.text.text)]);
          break;
        case "specgen_block":
          out.push(["paragraph", block.raw]);
          break;
        default:
          break;
      }
    }
  };
  walk(doc.blocks);
  return out;
}

function blocksText(doc: RstDocument, blocks: readonly Block[]): string {
  const parts: string[] = [];
  const walk = (list: readonly Block[]) => {
    for (const b of list) {
      if (b.kind === "paragraph") parts.push(inlineText(doc, b.text.text));
      else if (b.kind === "specgen_block") parts.push(b.raw);
      else if (b.kind === "literal_block" || b.kind === "unknown") parts.push(b.text);
      else if (b.kind === "bullet_list" || b.kind === "enumerated_list") for (const item of b.items) walk(item);
      else if (b.kind === "definition_list")
        for (const item of b.items) {
          parts.push(inlineText(doc, item.term.text));
          walk(item.definition);
        }
      else if (b.kind === "block_quote" || b.kind === "admonition") walk(b.children);
    }
  };
  walk(blocks);
  return parts.join(" ").split(/\s+/).filter(Boolean).join(" ");
}

/** Auto-numbered footnote references seen so far in the document being walked. */
const footnotes = { count: 0 };

/** The text docutils' astext() gives for inline markup: markup removed, substitutions replaced. */
function inlineText(doc: RstDocument, text: string, depth = 0): string {
  const node = (n: Inline): string => {
    switch (n.t) {
      case "text":
      case "emphasis":
      case "strong":
      case "literal":
      case "uri":
        return n.s;
      case "role":
        return n.s;
      case "reference":
        return n.text;
      case "target":
        return n.name;
      case "substitution": {
        const definition = doc.substitutions.get(normalizeName(n.name));
        // Undefined (its definition is in another file of the document): docutils shows it as written, without the `_`.
        return definition && depth < 8 ? inlineText(doc, definition.text.text, depth + 1) : `|${n.name}|`;
      }
      case "footnote_reference":
        // docutils shows the footnote's number: auto-numbered ones count up through the document.
        return /^\d+$/.test(n.label) ? n.label : String(++footnotes.count);
    }
  };
  return parseInline(text).map(node).join("").split(/\s+/).filter(Boolean).join(" ");
}

describe.skipIf(!hasCorpus || !hasDocutils)("the reStructuredText reader against docutils, on the 2020 corpus", () => {
  const files = hasCorpus ? pages() : [];
  const oracle: Record<string, Entry[]> =
    hasCorpus && hasDocutils
      ? JSON.parse(
          execFileSync("python3", [path.join(REPO, "test/rst/docutils-structure.py"), ...files], { encoding: "utf8", maxBuffer: 64 << 20 }),
        )
      : {};

  it("reads all 58 pages", () => {
    expect(files.length).toBe(58);
  });

  const excepted = new Map<string, number>();
  for (const file of files) {
    const rel = path.relative(path.join(CORPUS, "specification"), file);
    it(`finds docutils' structure in ${rel}`, () => {
      const { document } = parseDocument([{ text: readFileSync(file, "utf8"), shift: 0, firstLine: 0 }]);
      const mine = structure(document).filter((entry) => {
        const kind = String(entry[0]);
        if (!Object.hasOwn(EXCEPTIONS, kind)) return true;
        excepted.set(kind, (excepted.get(kind) ?? 0) + 1);
        return false;
      });
      expect(mine).toEqual(oracle[file]);
    });
  }

  it("differs from docutils only where EXCEPTIONS says, as often as it says", () => {
    expect(Object.fromEntries(excepted)).toEqual(EXCEPTIONS);
  });
});
