/**
 * Every kind of example in today's Matrix spec (../shared/corpus/matrix-spec-v1.9,
 * OpenAPI 3.1 and JSON Schema 2020-12) is validated: a copy of its `data/`
 * gets, for each kind, a value of the wrong type in several files, and
 * `check` must report each exactly once, at the corrupted value's line, with
 * the JSON pointer of the value inside its example. The places are chosen and
 * their lines found here, from the YAML (the `yaml` package's ranges), not by
 * specgen.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { LineCounter, parseDocument } from "yaml";
import { loadConfig } from "../src/config.js";
import type { Diagnostic } from "../src/diagnostics.js";
import { check } from "../src/pipeline.js";
import { corpusV19Root, hasCorpusV19 } from "./helpers.js";

type Json = Record<string, any>;
const COMBINATORS = ["allOf", "anyOf", "oneOf", "not", "enum", "const", "if", "$ref"];

/** A file of the corpus' data, parsed (js-yaml reads JSON too). */
function load(file: string): Json {
  return yaml.load(readFileSync(file, "utf8")) as Json;
}

/** Follows `$ref`s (relative file and/or `#/pointer`) from a node of `file`. */
function deref(file: string, node: unknown, hops = 0): { file: string; node: Json } | undefined {
  if (typeof node !== "object" || node === null || hops > 10) return undefined;
  const ref = (node as Json).$ref;
  if (typeof ref !== "string") return { file, node: node as Json };
  const [rel, fragment = ""] = ref.split("#");
  const target = rel ? path.resolve(path.dirname(file), rel) : file;
  let value: unknown = load(target);
  for (const token of fragment.split("/").slice(1)) value = (value as Json)?.[token.replace(/~1/g, "/").replace(/~0/g, "~")];
  return deref(target, value, hops + 1);
}

/** A value of a type the schema rejects, on its `type` alone; undefined when other keywords would also reject it. */
function wrongValue(schema: Json | undefined, parameter = false): unknown {
  if (!schema || typeof schema.type !== "string" || COMBINATORS.some((k) => k in schema)) return undefined;
  // A parameter's example is read as text: a number would read as a string parameter's text.
  if (schema.type === "string") return parameter ? { corrupted: true } : 12.5;
  return "corrupted";
}

interface Site {
  kind: string;
  /** Absolute path of the file to change. */
  file: string;
  /** Where in the file the corrupted value is written. */
  at: (string | number)[];
  value: unknown;
  /** The pointer the diagnostic must carry: the value's, inside its example. */
  pointer: string;
  /**
   * A kind the corpus does not write (named request examples, a parameter
   * schema's example) is made by moving an example there first: from, to.
   */
  move?: [(string | number)[], (string | number)[]];
}

/** For an example object and its schema: one property of it to corrupt, or undefined. */
function propertySite(
  kind: string,
  file: string,
  at: (string | number)[],
  example: unknown,
  schemaFile: string,
  schema: unknown,
): Site | undefined {
  const s = deref(schemaFile, schema);
  if (!s || typeof example !== "object" || example === null || Array.isArray(example) || "$ref" in example) return undefined;
  if (COMBINATORS.some((k) => k in s.node) || typeof s.node.properties !== "object") return undefined;
  for (const key of Object.keys(example)) {
    const prop = deref(s.file, s.node.properties[key]);
    const value = wrongValue(prop?.node);
    if (value !== undefined) return { kind, file, at: [...at, key], value, pointer: `/${key}` };
  }
  return undefined;
}

const METHODS = ["get", "put", "post", "delete", "patch"];

/** Up to `per` places of each kind, each kind in different files. */
function chooseSites(data: string, per = 3): Site[] {
  const sites: Site[] = [];
  const count = (kind: string) => sites.filter((s) => s.kind === kind).length;
  const usedFile = (kind: string, file: string) => sites.some((s) => s.kind === kind && s.file === file);
  const add = (site: Site | undefined) => {
    // One site per operation (or per property of a definition), so that a move never meets another site.
    const clash = (s: Site) => s.file === site?.file && same(s.at.slice(0, 5), site.at.slice(0, 5));
    if (site && count(site.kind) < per && !usedFile(site.kind, site.file) && !sites.some(clash)) sites.push(site);
  };
  const apis = path.join(data, "api");
  for (const folder of readdirSync(apis).sort()) {
    for (const name of readdirSync(path.join(apis, folder))
      .filter((n) => n.endsWith(".yaml"))
      .sort()) {
      const file = path.join(apis, folder, name);
      const doc = load(file);
      for (const [p, item] of Object.entries((doc.paths ?? {}) as Json)) {
        for (const method of METHODS.filter((m) => item[m])) {
          const op = item[method] as Json;
          const base = ["paths", p, method];
          const media = (holder: Json | undefined, at: (string | number)[], named: string, unnamed: string) => {
            for (const [type, m] of Object.entries((holder?.content ?? {}) as Json)) {
              if (!/json/.test(type)) continue;
              for (const [exName, ex] of Object.entries((m.examples ?? {}) as Json)) {
                add(propertySite(named, file, [...at, "content", type, "examples", exName, "value"], ex?.value, file, m.schema));
              }
              if (!("example" in m)) continue;
              const from = [...at, "content", type, "example"];
              if (named === "request named example") {
                // v1.9 names no request example: one is made from the unnamed one.
                const to = [...at, "content", type, "examples", "moved", "value"];
                const site = propertySite(named, file, to, m.example, file, m.schema);
                add(site && { ...site, move: [from, to] });
              }
              add(propertySite(unnamed, file, from, m.example, file, m.schema));
            }
          };
          media(op.requestBody, [...base, "requestBody"], "request named example", "media type example");
          for (const [status, r] of Object.entries((op.responses ?? {}) as Json)) {
            media(r, [...base, "responses", status], "response named example", "media type example");
          }
          (op.parameters ?? []).forEach((param: Json, i: number) => {
            if (!param || "$ref" in param) return;
            const schema = deref(file, param.schema)?.node;
            const value = wrongValue(schema, true);
            if (value === undefined) return;
            if (!("example" in param)) return;
            const from = [...base, "parameters", i, "example"];
            if (!("$ref" in param.schema)) {
              // v1.9 writes no example in a parameter's schema: one is moved there.
              const to = [...base, "parameters", i, "schema", "example"];
              add({ kind: "parameter schema example", file, at: to, value, pointer: "", move: [from, to] });
            }
            add({ kind: "parameter example", file, at: from, value, pointer: "" });
          });
          const body = op.requestBody?.content?.["application/json"]?.schema;
          if (body && !("$ref" in body)) {
            for (const [key, prop] of Object.entries((body.properties ?? {}) as Json)) {
              if (prop && "example" in prop && wrongValue(prop) !== undefined) {
                const at = [...base, "requestBody", "content", "application/json", "schema", "properties", key, "example"];
                add({ kind: "schema example", file, at, value: wrongValue(prop), pointer: "" });
              }
            }
          }
        }
      }
    }
    const defs = path.join(apis, folder, "definitions");
    let names: string[] = [];
    try {
      names = readdirSync(defs)
        .filter((n) => n.endsWith(".yaml"))
        .sort();
    } catch {}
    for (const name of names) {
      const file = path.join(defs, name);
      const schema = load(file);
      for (const [key, prop] of Object.entries((schema?.properties ?? {}) as Json)) {
        if (prop && "example" in prop && wrongValue(prop) !== undefined) {
          add({ kind: "definition schema example", file, at: ["properties", key, "example"], value: wrongValue(prop), pointer: "" });
        }
      }
    }
  }
  const examples = path.join(data, "event-schemas/examples");
  for (const name of readdirSync(examples)
    .filter((n) => n.startsWith("m."))
    .sort()) {
    const file = path.join(examples, name);
    const schemaFile = path.join(data, "event-schemas/schema", `${name.replace(/\.(json|yaml)$/, "")}.yaml`);
    let schema: Json;
    try {
      schema = load(schemaFile);
    } catch {
      continue;
    }
    const example = load(file);
    const site = propertySite("event example", file, ["content"], example?.content, schemaFile, schema?.properties?.content);
    if (site) add({ ...site, pointer: `/content${site.pointer}` });
  }
  return sites;
}

function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Writes each site's value into its file; returns the 1-based line of each written value. */
function corrupt(sites: readonly Site[]): number[] {
  const byFile = new Map<string, Site[]>();
  for (const s of sites) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  for (const [file, list] of byFile) {
    const doc = parseDocument(readFileSync(file, "utf8"));
    for (const s of list) {
      if (s.move) {
        doc.setIn(s.move[1], doc.getIn(s.move[0], true));
        doc.deleteIn(s.move[0]);
      }
      doc.setIn(s.at, doc.createNode(s.value));
    }
    writeFileSync(file, file.endsWith(".json") ? `${JSON.stringify(doc.toJS(), null, 4)}\n` : doc.toString({ lineWidth: 0 }));
  }
  return sites.map((s) => {
    const counter = new LineCounter();
    const doc = parseDocument(readFileSync(s.file, "utf8"), { lineCounter: counter });
    const node = doc.getIn(s.at, true) as { range?: [number, number, number] } | undefined;
    if (!node?.range) throw new Error(`${s.file}: nothing at ${s.at.join("/")}`);
    return counter.linePos(node.range[0]).line;
  });
}

const errorsOf = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.severity === "error");
/** Without the line: rewriting a file may move the clean run's errors in it. */
const key = (d: Diagnostic) => `${d.file} ${d.code} ${d.message}`;

/** The diagnostics of `after` beyond those of `before` (as multisets, by key). */
function beyond(after: readonly Diagnostic[], before: readonly Diagnostic[]): Diagnostic[] {
  const left = new Map<string, number>();
  for (const d of before) left.set(key(d), (left.get(key(d)) ?? 0) + 1);
  return after.filter((d) => {
    const n = left.get(key(d)) ?? 0;
    if (n > 0) left.set(key(d), n - 1);
    return n === 0;
  });
}

describe.skipIf(!hasCorpusV19)("every kind of example of the v1.9 Matrix spec is validated", () => {
  let baseline: Diagnostic[];
  let root: string;
  let sites: Site[];

  beforeAll(async () => {
    const clean = corpusV19Root();
    baseline = errorsOf((await check(loadConfig(clean), { reportOnly: true })).diagnostics);
    root = corpusV19Root();
    sites = chooseSites(path.join(root, "data"));
  }, 60_000);

  it("reports, on the clean data, only the examples that really break their schemas", () => {
    const found = baseline.map((d) => `${d.file} ${d.pointer} ${d.message.replace(/ \(.*\)$/, "")}`);
    const pdu = (v: string) => [
      // pdu_v3 and later are `allOf` unsigned_pdu_base, which requires event_id and gives
      // auth_events/prev_events items as [id, hashes] pairs: no v3 PDU satisfies both.
      `data/api/server-server/definitions/pdu_${v}.yaml  / must have required property 'event_id'`,
      ...["auth_events", "prev_events"].flatMap((k) =>
        [0, 1].map((i) => `data/api/server-server/examples/pdu_${v}.json /${k}/${i} /${k}/${i} must be array`),
      ),
    ];
    expect(found.sort()).toEqual(
      [
        // The gitter protocol of the example has no `icon`, which protocol.yaml requires.
        "data/api/application-service/definitions/protocol_metadata.yaml /gitter /gitter must have required property 'icon'",
        // The example wraps the object in "m.relates_to" (its comment says: deliberately, for readers).
        "data/api/client-server/definitions/m.relates_to.yaml  / must have required property 'event_id'",
        "data/api/client-server/definitions/m.relates_to.yaml  / must have required property 'rel_type'",
        // Room v1/v2 PDUs have an event_id, which the example lacks.
        "data/api/server-server/definitions/unsigned_pdu_base.yaml  / must have required property 'event_id'",
        ...pdu("v3"),
        ...pdu("v4"),
        ...pdu("v11"),
      ].sort(),
    );
  });

  it("finds several places of every kind", () => {
    const kinds = new Map<string, number>();
    for (const s of sites) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
    expect([...kinds.keys()].sort()).toEqual([
      "definition schema example",
      "event example",
      "media type example",
      "parameter example",
      "parameter schema example",
      "request named example",
      "response named example",
      "schema example",
    ]);
    for (const n of kinds.values()) expect(n).toBeGreaterThanOrEqual(2);
  });

  it("reports each corrupted example exactly once, at its line, with its pointer", async () => {
    const lines = corrupt(sites);
    const after = errorsOf((await check(loadConfig(root), { reportOnly: true })).diagnostics);
    const added = beyond(after, baseline);
    const expected = sites.map((s, i) => ({
      kind: s.kind,
      file: path.relative(root, s.file),
      line: lines[i],
      pointer: s.pointer,
      code: "example-invalid",
    }));
    const got = added.map((d, i) => ({ kind: sites[i]?.kind, file: d.file, line: d.line, pointer: d.pointer, code: d.code }));
    const order = (a: { file?: string; line?: number }, b: { file?: string; line?: number }) =>
      `${a.file}:${String(a.line).padStart(6)}` < `${b.file}:${String(b.line).padStart(6)}` ? -1 : 1;
    // Kinds are the sites'; compare without them, then check every kind was met.
    const strip = ({ kind: _, ...rest }: { kind?: string }) => rest;
    expect(got.map(strip).sort(order)).toEqual(expected.map(strip).sort(order));
    // Nothing the clean run reported went away.
    expect(beyond(baseline, after)).toEqual([]);
  }, 60_000);
});
