/**
 * Property-based: the sample spec with its schemas, examples and pages mutated
 * at random (hostile text spliced in, values replaced by odd JSON, loops and
 * refs planted) never makes the pipeline throw, hang, report an internal error,
 * leave a diagnostic without its place, or write unsafe HTML.
 * FUZZ_RUNS raises the run count; a failure prints the seed and the
 * shrunk mutations to replay.
 */
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { listFiles } from "../src/load/index.js";
import { check } from "../src/pipeline.js";
import { serve } from "../src/serve/index.js";
import { copySample, makeRoot, RAW_REQUEST_CLOSED, REPO, rawRequest, tempDir, unsafeHtml, writeFiles } from "./helpers.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const SAMPLE: Record<string, string> = Object.fromEntries(
  ["event-schemas", "specification"].flatMap((dir) =>
    listFiles(path.join(REPO, dir), () => true).map((f) => [path.relative(REPO, f), readFileSync(f, "utf8")]),
  ),
);
const FILES = Object.keys(SAMPLE).sort();

const HOSTILE_TEXT = [
  "$ref: ",
  '{"$ref": "#"}',
  "allOf: [{$ref: '#'}]",
  "$ref: ../../../../etc/passwd",
  "$ref: http://example.org/x",
  "\t",
  "\u0000",
  "\ufeff",
  "\ud800",
  "\u202e",
  "&a ",
  "*a",
  "<<: *a",
  "{{",
  "}}",
  "{{m_room_key_withheld_event}}",
  "\n\n{{m_room_key_withheld_event}}\n\n",
  "\n{{nope}}\n",
  "<<",
  "`",
  "`x`_",
  "`Key requests`_",
  "`t <javascript:alert(1)>`_",
  "`t <https://example.org/>`_",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "[x](javascript:alert(1))",
  "[x](a%E0.md)",
  "[x](#nowhere)",
  "# Heading\n",
  "\n",
  "\r\n",
  "- ",
  ": ",
  "[",
  "]",
  "{",
  "}",
  '"',
  "'",
  "\\",
  "%",
  "1e999",
  "null",
  "---",
  "|",
  ">",
  "!!binary ",
  "!!js/function ",
  "? ",
  "format: mx-weird",
];

const HOSTILE_VALUES: unknown[] = [
  null,
  { $ref: "#" },
  { $ref: 5 },
  { allOf: [{ $ref: "#" }] },
  { $ref: "../../../../etc/passwd" },
  { $ref: "https://example.org/x" },
  { $ref: "#/definitions/%E0" },
  { $ref: "core-event-schema/event.yaml" },
  { type: "object", properties: { self: { $ref: "#" } } },
  { format: "mx-weird", type: "string" },
  { description: "<script>alert(1)</script> `x`_ {{nope}}", enum: ['"><svg onload=alert(1)>'] },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  // Recursion through a list, a map, and a type list.
  {
    properties: {
      content: { properties: { l: { $ref: "#/definitions/l" }, m: { $ref: "#/definitions/m" }, n: { $ref: "#/definitions/n" } } },
    },
    definitions: {
      l: { type: "array", items: { $ref: "#/definitions/l" } },
      m: { type: "object", additionalProperties: { $ref: "#/definitions/m" } },
      n: { type: ["object", "null"], properties: { n: { $ref: "#/definitions/n" } } },
    },
  },
  "<script>alert(1)</script>",
  [],
  {},
  Array.from({ length: 300 }).reduce<unknown>((inner) => [inner], 1),
];

const mutation = fc.record({
  file: fc.nat(),
  kind: fc.constantFrom("insert", "delete", "replace-value", "truncate"),
  position: fc.nat(),
  length: fc.nat(40),
  token: fc.constantFrom(...HOSTILE_TEXT),
  path: fc.array(fc.nat(), { maxLength: 6 }),
  value: fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.jsonValue({ maxDepth: 3 })),
  asJson: fc.boolean(),
});
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(files: Record<string, string>, m: Mutation): void {
  const name = FILES[m.file % FILES.length];
  const text = files[name];
  const at = text.length === 0 ? 0 : m.position % (text.length + 1);
  if (m.kind === "insert") files[name] = text.slice(0, at) + m.token + text.slice(at);
  else if (m.kind === "delete") files[name] = text.slice(0, at) + text.slice(at + m.length);
  else if (m.kind === "truncate") files[name] = text.slice(0, at);
  else files[name] = replaceValue(name, text, m);
}

/** Replaces the node at a random path of a data file's value; pages get the value as text. */
function replaceValue(name: string, text: string, m: Mutation): string {
  if (name.endsWith(".md")) return `${text}\n${typeof m.value === "string" ? m.value : JSON.stringify(m.value)}\n`;
  let root: unknown;
  try {
    root = yaml.load(text);
  } catch {
    return text;
  }
  let parent: unknown = null;
  let key: string | number = "";
  let node = root;
  for (const step of m.path) {
    if (typeof node !== "object" || node === null) break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    parent = node;
    key = keys[step % keys.length];
    node = (node as Record<string, unknown>)[key];
  }
  if (parent === null) root = m.value;
  else (parent as Record<string | number, unknown>)[key] = m.value;
  return m.asJson ? JSON.stringify(root, null, 2) : yaml.dump(root, { noRefs: true });
}

describe("fuzz: mutated sample specs", () => {
  it(`never throws, hangs, loses a place or writes unsafe HTML (${RUNS} runs)`, async () => {
    const root = tempDir("specgen-fuzz-");
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        const files = { ...SAMPLE };
        for (const m of mutations) apply(files, m);
        for (const dir of ["event-schemas", "specification"]) rmSync(path.join(root, dir), { recursive: true, force: true });
        writeFiles(root, files);

        const started = Date.now();
        const { diagnostics, files: site } = await check(loadConfig(root));
        expect(Date.now() - started, "one run took over 10 s").toBeLessThan(10_000);
        expect(diagnostics.filter((d) => d.code === "internal-error")).toEqual([]);
        for (const d of diagnostics) {
          if (d.file && d.code !== "link-broken" && d.code !== "anchor-duplicate") expect(d.line, `${d.code} ${d.file}`).toBeGreaterThan(0);
        }
        for (const [file, html] of site) if (file.endsWith(".html")) expect(unsafeHtml(html), file).toEqual([]);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

/** Pieces of regular expressions, the kinds that make a backtracking engine take for ever, or that RE2 cannot run. */
const ATOMS = [
  "a",
  "aa",
  ".",
  "\\w",
  "\\s",
  "\\d",
  "\\p{L}",
  "[a-z]",
  "[^!]",
  "(a|aa)",
  "(a|a)",
  "\\1",
  "(?=a)",
  "(?!b)",
  "(?<=a)",
  "(?<n>a)",
  "\\k<n>",
  "(",
  "!",
  "$",
  "^",
];
const QUANTIFIERS = ["", "+", "*", "?", "{2,}", "{1,30}", "+?"];
const regexPart: fc.Memo<string> = fc.memo((depth) =>
  depth <= 1
    ? fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q)
    : fc.oneof(
        fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS)).map(([a, q]) => a + q),
        fc
          .tuple(fc.array(regexPart(depth - 1), { minLength: 1, maxLength: 3 }), fc.constantFrom(...QUANTIFIERS))
          .map(([parts, q]) => `(${parts.join("")})${q}`),
        fc.tuple(regexPart(depth - 1), regexPart(depth - 1)).map(([a, b]) => `(${a}|${b})+`),
      ),
);
const longInput = fc
  .tuple(fc.constantFrom("a", "ab", "a ", "é", "1"), fc.integer({ min: 10_000, max: 60_000 }), fc.constantFrom("", "!", "b", "\n"))
  .map(([unit, times, end]) => unit.repeat(Math.ceil(times / unit.length)) + end);

describe("fuzz: hostile patterns", () => {
  it(`check ends within 10 s for random patterns against long values (${Math.ceil(RUNS / 3)} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("^", ""), regexPart(4), fc.constantFrom("$", "")), { minLength: 1, maxLength: 4 }),
        longInput,
        async (parts, input) => {
          const patterns = parts.map(([start, body, end]) => start + body + end);
          const content = Object.fromEntries(patterns.map((_, i) => [`p${i}`, input]));
          const root = makeRoot({
            "event-schemas/schema/m.fuzz.json": JSON.stringify({
              type: "object",
              properties: {
                content: {
                  type: "object",
                  properties: Object.fromEntries(patterns.map((p, i) => [`p${i}`, { type: "string", pattern: p }])),
                  patternProperties: { [patterns[0]]: { type: "string" } },
                  propertyNames: { pattern: patterns[patterns.length - 1] },
                },
              },
            }),
            "event-schemas/examples/m.fuzz.json": JSON.stringify({ type: "m.fuzz", content: { ...content, [input]: input } }),
          });
          const started = Date.now();
          const { diagnostics } = await check(loadConfig(root));
          expect(Date.now() - started, patterns.join("  ")).toBeLessThan(10_000);
          expect(diagnostics.filter((d) => d.code === "internal-error")).toEqual([]);
          rmSync(root, { recursive: true, force: true });
        },
      ),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  }, 300_000);
});

describe("fuzz: hostile requests to serve", () => {
  it(`always answers a random request target, never with a 5xx, and keeps serving (${RUNS * 5} requests)`, async () => {
    const preview = await serve({ root: copySample(), port: 0, host: "127.0.0.1" });
    try {
      const target = fc.oneof(
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.string({ unit: "binary", maxLength: 200 }).map((t) => `/${t}`),
        fc
          .tuple(
            fc.constantFrom("//", "/%", "/..", "http://", "/__specgen/events?page=", "/?", "*", "//["),
            fc.string({ unit: "grapheme-ascii", maxLength: 100 }),
          )
          .map(([a, b]) => a + b),
        fc.webPath(),
        fc.webUrl(),
        fc.integer({ min: 1, max: 200_000 }).map((n) => `/${"%".repeat(n % 7 === 0 ? n : 10)}${"a".repeat(n)}`),
      );
      await fc.assert(
        fc.asyncProperty(target, fc.constantFrom("GET", "HEAD", "POST", "OPTIONS", "G\u00e9T"), async (t, method) => {
          const status = await rawRequest(preview.url, `${method} ${t} HTTP/1.1\r\nHost: ${new URL(preview.url).host}\r\n\r\n`);
          // Either an answer that is not a server error, or a connection closed after Node's own 400 for bytes it cannot parse.
          if (status !== RAW_REQUEST_CLOSED) expect(status >= 200 && status < 500, `${status} ${JSON.stringify(t)}`).toBe(true);
          expect(await rawRequest(preview.url, `GET / HTTP/1.1\r\nHost: ${new URL(preview.url).host}\r\n\r\n`)).toBe(200);
        }),
        { numRuns: RUNS * 5 },
      );
    } finally {
      await preview.close();
    }
  }, 120_000);
});
