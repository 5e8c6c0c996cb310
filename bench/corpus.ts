/**
 * A spec root made from the 2020 Matrix corpus (../shared/corpus), when it is
 * there: its schemas, examples and APIs, one page holding every event's block
 * plus a heading for every section the descriptions refer to, as the real
 * spec's pages had, and the API pages (every API and definition block).
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";

export const CORPUS = fileURLToPath(new URL("../../shared/corpus/matrix-doc-2020", import.meta.url));

/** The page text: a heading per referenced title, then every event block. */
export function corpusPage(corpus: string): string {
  const schemaDir = path.join(corpus, "event-schemas/schema");
  const names = readdirSync(schemaDir).filter((n) => n.startsWith("m."));
  const titles = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else for (const m of readFileSync(full, "utf8").matchAll(/`([^`<>\n]+)`_(?![A-Za-z0-9_])/g)) titles.add(m[1].replace(/\s+/g, " "));
    }
  };
  walk(schemaDir);
  for (const name of names) titles.delete(name);
  const sections = [...titles].sort().map((t) => `## ${t}\n\nThe real spec's section of this name.\n`);
  return `# Events\n\n${sections.join("\n")}\n## Event definitions\n\n${names.map((n) => `{{${n.replace(/[.$]/g, "_")}_event}}`).join("\n\n")}\n`;
}

/** The 2020 pages' substitution of the API files' `%CLIENT_MAJOR_VERSION%`. */
export const CORPUS_CONFIG = "substitutions:\n  CLIENT_MAJOR_VERSION: r0\n";

/** The `*_http_api` and `definition_*` blocks the 2020 pages used (template-variables.tsv), in its order, once each. */
export function corpusApiBlocks(corpus: string): string[] {
  const names = readFileSync(path.join(corpus, "template-variables.tsv"), "utf8")
    .split("\n")
    .map((line) => /^\{\{(\w+)\}\}/.exec(line)?.[1])
    .filter((n): n is string => n !== undefined && (n.endsWith("_http_api") || n.startsWith("definition_")));
  return [...new Set(names)];
}

/**
 * The API pages: `api/index.md` holding every API and definition block of the
 * 2020 pages and a section for each title the API descriptions refer to
 * (`Title`_ other than events, endpoints and `taken`, and `#fragment`s), and
 * `appendices.md` for their `../appendices.html#…` links, as the real pages had.
 */
export function corpusApiPages(corpus: string, taken: readonly string[] = []): Record<string, string> {
  const titles = new Set<string>();
  const fragments = new Set<string>();
  const appendices = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".yaml")) {
        const text = readFileSync(full, "utf8");
        for (const m of text.matchAll(/`([^`<>\n]+)`_(?![A-Za-z0-9_])/g)) titles.add(m[1].replace(/\s+/g, " "));
        for (const m of text.matchAll(/<#([\w-]+)>`_/g)) fragments.add(m[1]);
        for (const m of text.matchAll(/<\.\.\/appendices\.html#([\w-]+)>`_/g)) appendices.add(m[1]);
      }
    }
  };
  walk(path.join(corpus, "api"));
  const sections = [...titles].filter((t) => !/^m\.|^(GET|PUT|POST|DELETE) \//.test(t) && !taken.includes(t)).sort();
  const headings = [...sections, ...fragments].map((t) => `## ${t}\n\nThe real spec's section of this name.\n`).join("\n");
  const blocks = corpusApiBlocks(corpus)
    .map((b) => `{{${b}}}`)
    .join("\n\n");
  return {
    "specification/api/index.md": `# APIs\n\n${blocks}\n\n# Sections\n\n${headings}`,
    "specification/appendices.md": `# Appendices\n\n${[...appendices].map((a) => `## ${a}\n\nAn appendix.\n`).join("\n")}`,
  };
}

/**
 * The corpus' examples that break their schemas, which specgen reports (see
 * README): each file with the pointers of its errors' values, and the edit
 * that fixes a copy of it.
 */
export const CORPUS_INVALID_EXAMPLES: { file: string; pointers: string[]; fix: (text: string) => string }[] = [
  // The body examples of PUT /send_leave lack the `depth` their schema requires.
  ...["leaving-v1", "leaving-v2"].map((name) => ({
    file: `api/server-server/${name}.yaml`,
    pointers: ["/"],
    fix: (t: string) => t.replace(/(example: \{\n\s*"\$ref": "examples\/minimal_pdu.json",)/, '$1\n            "depth": 12,'),
  })),
  // field_types requires a property named "fieldname" of what is a map of field names.
  {
    file: "api/application-service/definitions/protocol.yaml",
    pointers: ["/"],
    fix: (t) => t.replace("    required: ['fieldname']\n", ""),
  },
  {
    // The same, and the gitter protocol has no `icon`, which a protocol requires.
    file: "api/application-service/definitions/protocol_metadata.yaml",
    pointers: ["/gitter", "/gitter/field_types", "/irc/field_types"],
    fix: (t) => t.replace('"gitter": {\n', '"gitter": {\n    "icon": "mxc://example.org/gItTeR",\n'),
  },
  // "<bytes>" is not base64 (format: byte); the upload body is the raw bytes.
  { file: "api/client-server/content-repo.yaml", pointers: ["/"], fix: (t) => t.replace("            format: byte\n", "") },
  // Each additional property of auth data is an object; the example's is a string.
  {
    file: "api/client-server/definitions/auth_data.yaml",
    pointers: ["/example_credential"],
    fix: (t) => t.replace('example_credential: "verypoorsharedsecret"', 'example_credential: {"secret": "verypoorsharedsecret"}'),
  },
  // room_id is one string; its x-example a list.
  {
    file: "api/client-server/peeking_events.yaml",
    pointers: ["/"],
    fix: (t) => t.replace('x-example:\n            - "!somewhere:over.the.rainbow"', 'x-example: "!somewhere:over.the.rainbow"'),
  },
  // `kind` is one of five values; "cake" is none of them.
  {
    file: "api/client-server/pushrules.yaml",
    pointers: ["/"],
    fix: (t) => t.replace("x-example: cake\n          enum:", "x-example: content\n          enum:"),
  },
  // The schema's example is wrapped in an `application/json` key.
  ...["store_invite", "v2_store_invite"].map((name) => ({
    file: `api/identity/${name}.yaml`,
    pointers: ["/", "/", "/"],
    fix: (t: string) => t.replace("            example:\n              application/json: {", "            example: {"),
  })),
  // user_accepts is a list of URLs; its example one URL.
  {
    file: "api/identity/v2_terms.yaml",
    pointers: ["/"],
    fix: (t) =>
      t.replace(
        'example: "https://example.org/somewhere/terms-2.0-en.html"',
        'example: ["https://example.org/somewhere/terms-2.0-en.html"]',
      ),
  },
  // m.read is described as one receipt; the example (rightly) maps user IDs to receipts.
  {
    file: "api/server-server/definitions/event-schemas/m.receipt.yaml",
    pointers: ["/!some_room:example.org/m.read", "/!some_room:example.org/m.read"],
    fix: (t) => dropFlowExample(t, '          "!some_room:example.org": {'),
  },
  // Examples of the maps of keys, written on the schema of one key.
  {
    file: "api/server-server/definitions/keys.yaml",
    pointers: ["/", "/", "/"],
    fix: (t) => dropFlowExample(dropFlowExample(t, '        "ed25519:abc123": {'), '        "ed25519:0ldK3y": {'),
  },
  // unsigned_pdu_base requires event_id and [id, hashes] pairs in auth_events and prev_events, and
  // pdu_v3 and pdu_v4 are `allOf` it: no PDU of room version 3 or later satisfies them.
  ...["pdu_v3", "pdu_v4", "unsigned_pdu_base"].map((name) => ({
    file: `api/server-server/definitions/${name}.yaml`,
    pointers: ["/"],
    fix: (t: string) => t.replace(/\nexample:\n {2}\$ref: "\.\.\/examples\/\w+\.json"\n/, "\n"),
  })),
  ...["pdu_v3", "pdu_v4"].map((name) => ({
    file: `api/server-server/examples/${name}.json`,
    pointers: ["/auth_events/0", "/auth_events/1", "/prev_events/0", "/prev_events/1"],
    fix: (t: string) => t,
  })),
  // A type list holding a schema (`type` names types only), one map level short of the example's.
  {
    file: "api/server-server/user_keys.yaml",
    pointers: ["/@alice:example.com/JLAFKJWSCS"],
    fix: (t) => t.replace(/( +)type:\n +- string\n( +)- type: object\n/, "$1type: object\n$1additionalProperties:\n$2  type: object\n"),
  },
];

/** Removes the flow-mapping `example: {` whose first line inside is `inside`, up to its closing brace. */
function dropFlowExample(text: string, inside: string): string {
  const lines = text.split("\n");
  const first = lines.findIndex((l, i) => l === inside && i > 0 && /^ *example: \{$/.test(lines[i - 1]));
  const start = first - 1;
  if (first < 1) return text;
  const indent = lines[start].indexOf("example");
  const end = lines.findIndex((l, i) => i > first && l === `${" ".repeat(indent)}}`);
  if (end < 0) return text;
  lines.splice(start, end - start + 1);
  return lines.join("\n");
}

/** Fixes those examples in a copy of the corpus, so that it builds. */
export function fixInvalidExamples(root: string): void {
  for (const { file: rel, fix } of CORPUS_INVALID_EXAMPLES) {
    const file = path.join(root, rel);
    if (!existsSync(file)) continue; // a copy without the APIs
    const text = readFileSync(file, "utf8");
    const fixed = fix(text);
    if (fixed === text && !rel.endsWith(".json")) throw new Error(`${rel}: the example to fix is not there`);
    writeFileSync(file, fixed);
  }
}

export interface CorpusRoot {
  events: number;
  root: string;
  /** The schema the benchmark edits. */
  edit: string;
}

/** The corpus with its events' page and the API pages; its two invalid API examples fixed so that `build` writes. */
export function corpusRoot(scratch: string): CorpusRoot | undefined {
  if (!existsSync(CORPUS)) return undefined;
  const page = corpusPage(CORPUS);
  const made = corpusCopy(path.join(scratch, "matrix-doc-2020"), ["event-schemas", "api", "schemas"], page);
  const titles = [...page.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  mkdirSync(path.join(made.root, "specification/api"), { recursive: true });
  for (const [rel, text] of Object.entries(corpusApiPages(CORPUS, titles))) writeFileSync(path.join(made.root, rel), text);
  writeFileSync(path.join(made.root, "specgen.config.yaml"), CORPUS_CONFIG);
  fixInvalidExamples(made.root);
  return made;
}

/**
 * The corpus' events alone: the files the reference checker reads (event
 * schemas and examples, and the API definitions one event schema refers to)
 * and the events' page, without the HTTP APIs.
 */
export function corpusEventsRoot(scratch: string): CorpusRoot | undefined {
  if (!existsSync(CORPUS)) return undefined;
  const dirs = ["event-schemas", "api/client-server/definitions", "api/identity/definitions"];
  return corpusCopy(path.join(scratch, "matrix-doc-2020-events"), dirs, corpusPage(CORPUS));
}

/** A root holding the corpus' `dirs` and `page` as its events' page. */
function corpusCopy(root: string, dirs: readonly string[], page: string): CorpusRoot {
  for (const dir of dirs) cpSync(path.join(CORPUS, dir), path.join(root, dir), { recursive: true, verbatimSymlinks: true });
  mkdirSync(path.join(root, "specification"), { recursive: true });
  writeFileSync(path.join(root, "specification/index.md"), page);
  return { events: eventCount(), root, edit: path.join(root, "event-schemas/schema/m.room.member") };
}

function eventCount(): number {
  return readdirSync(path.join(CORPUS, "event-schemas/schema")).filter((n) => n.startsWith("m.")).length;
}

/** Today's Matrix spec (Hugo layout); its `scripts/check-event-schema-examples.py` is the reference checker. */
export const CORPUS_2026 = fileURLToPath(new URL("../../shared/corpus/matrix-spec-v1.9", import.meta.url));

/**
 * Today's corpus' events alone, as a specgen root: the files the reference
 * checker reads (`data/event-schemas`, and the API definitions their `$ref`s
 * reach) and one page holding every event's block.
 */
export function corpus2026EventsRoot(scratch: string): CorpusRoot | undefined {
  const data = path.join(CORPUS_2026, "data");
  if (!existsSync(data)) return undefined;
  const root = path.join(scratch, "matrix-spec-v1.9-events");
  for (const dir of ["event-schemas", "api/client-server/definitions", "api/identity/definitions"]) {
    cpSync(path.join(data, dir), path.join(root, dir), { recursive: true, verbatimSymlinks: true });
  }
  // The one example the definitions hold that breaks its schema, on purpose (its comment says so): unwrapped, so the root builds.
  const relatesTo = path.join(root, "api/client-server/definitions/m.relates_to.yaml");
  if (existsSync(relatesTo)) {
    const text = readFileSync(relatesTo, "utf8");
    const fixed = text.replace(/example: \{\n(?:\s*#.*\n)*\s*"m\.relates_to": (\{[^}]*\})\n\}/, "example: $1");
    // Another revision may have mended it already.
    if (fixed !== text) {
      chmodSync(relatesTo, 0o644); // copied from a read-only corpus
      writeFileSync(relatesTo, fixed);
    }
  }
  // An event schema describes a `content` at the top of the schema folder (src/schema/model.ts isEventSchema).
  const schemaDir = path.join(root, "event-schemas/schema");
  const names = readdirSync(schemaDir)
    .filter((n) => n.endsWith(".yaml") && describesContent(yaml.load(readFileSync(path.join(schemaDir, n), "utf8"))))
    .map((n) => n.slice(0, -".yaml".length))
    .sort();
  mkdirSync(path.join(root, "specification"), { recursive: true });
  const blocks = names.map((n) => `{{${n.replace(/[.$]/g, "_")}_event}}`).join("\n\n");
  writeFileSync(path.join(root, "specification/index.md"), `# Events\n\n${blocks}\n`);
  return { events: names.length, root, edit: path.join(schemaDir, "m.room.member.yaml") };
}

/** A `content` property, on the schema or one of its `allOf` parts. */
function describesContent(schema: unknown): boolean {
  if (typeof schema !== "object" || schema === null) return false;
  const { properties, allOf } = schema as { properties?: unknown; allOf?: unknown };
  if (typeof properties === "object" && properties !== null && "content" in properties) return true;
  return Array.isArray(allOf) && allOf.some(describesContent);
}
