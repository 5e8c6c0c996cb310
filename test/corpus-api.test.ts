/**
 * Conformance of the API blocks on the 2020 Matrix corpus (../shared/corpus),
 * when it is there: a page holding every `*_http_api` and `definition_*` block
 * the 2020 pages used. Expectations are computed from the YAML files here, with
 * the 2020 pipeline's rules (a `$ref`'s siblings are read against its target),
 * not from specgen's models.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { CORPUS_INVALID_EXAMPLES, corpusApiBlocks, fixInvalidExamples } from "../bench/corpus.js";
import type { CheckResult } from "../src/pipeline.js";
import { CORPUS, checkRoot, corpusApiRoot, hasCorpus, specgen, tempDir } from "./helpers.js";
import { endpoints, examples, tables } from "./html.js";

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
type Json = Record<string, any>;

interface Expected {
  file: string;
  heading: string;
  op: Json;
}

/** The corpus' endpoints, read here: base path (r0 substituted) and path, trimmed. */
function expectedEndpoints(): Expected[] {
  const out: Expected[] = [];
  for (const folder of readdirSync(path.join(CORPUS, "api"))) {
    const dir = path.join(CORPUS, "api", folder);
    if (!statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".yaml"))) {
      const file = path.join(dir, name);
      const doc = yaml.load(readFileSync(file, "utf8")) as Json;
      const base = String(doc.basePath ?? "").replace("%CLIENT_MAJOR_VERSION%", "r0");
      for (const [p, item] of Object.entries(doc.paths ?? {}) as [string, Json][]) {
        for (const method of METHODS)
          if (item[method]) out.push({ file, heading: `${method.toUpperCase()} ${base}${p.trim()}`, op: item[method] });
      }
    }
  }
  return out;
}

/** A file path a `$ref` names, through the link file git writes for definitions/event-schemas. */
function refFile(from: string, ref: string): string {
  let target = path.resolve(path.dirname(from), ref.split("#")[0]);
  for (let head = target; !existsSync(target) && head !== path.dirname(head); head = path.dirname(head)) {
    if (existsSync(head) && statSync(head).isFile()) {
      target = path.join(path.resolve(path.dirname(head), readFileSync(head, "utf8").trim()), path.relative(head, target));
    }
  }
  return target;
}

function load(file: string): unknown {
  const text = readFileSync(file, "utf8");
  return file.endsWith(".json") || /^\s*[[{]/.test(text) ? JSON.parse(text) : yaml.load(text);
}

/** The top-level property names of a schema, through `$ref` and `allOf`. */
function topProperties(schema: Json | undefined, file: string, depth = 0): string[] {
  if (!schema || depth > 10) return [];
  if (typeof schema.$ref === "string") {
    const target = refFile(file, schema.$ref);
    const [, fragment] = schema.$ref.split("#");
    let value = load(target) as Json;
    for (const token of (fragment ?? "").split("/").filter(Boolean)) value = value[token];
    return topProperties(value, target, depth + 1);
  }
  const own = Object.keys(schema.properties ?? {});
  const inherited = (schema.allOf ?? []).flatMap((s: Json) => topProperties(s, file, depth + 1));
  return [...new Set([...inherited, ...own])];
}

/** An example as the 2020 pipeline merged it: a `$ref`'s target, then its siblings, read against the target. */
function mergeOld(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((v) => mergeOld(v, base));
  if (typeof value !== "object" || value === null) return value;
  const object = value as Json;
  let out: Json = {};
  let siblingsBase = base;
  if (typeof object.$ref === "string") {
    siblingsBase = refFile(base, object.$ref);
    const merged = mergeOld(load(siblingsBase), siblingsBase);
    if (typeof merged !== "object" || merged === null || Array.isArray(merged)) return merged;
    out = { ...(merged as Json) };
  }
  for (const [k, v] of Object.entries(object)) if (k !== "$ref") out[k] = mergeOld(v, siblingsBase);
  return out;
}

describe.skipIf(!hasCorpus)("API blocks on the 2020 Matrix corpus", () => {
  let root: string;
  let result: CheckResult;
  let page: string;
  let sections: Map<string, string>;
  const expected = hasCorpus ? expectedEndpoints() : [];
  beforeAll(async () => {
    root = corpusApiRoot();
    result = await checkRoot(root);
    page = result.files.get("api/index.html") as string;
    sections = endpoints(page);
  });

  it("renders every *_http_api and definition_* block of template-variables.tsv", () => {
    const blocks = corpusApiBlocks(CORPUS);
    expect(blocks.filter((b) => b.endsWith("_http_api"))).toHaveLength(97);
    const definitions = blocks.filter((b) => b.startsWith("definition_"));
    expect(definitions).toHaveLength(9);
    expect(result.diagnostics.filter((d) => d.code === "block-unknown")).toEqual([]);
    for (const name of definitions) expect(page).toContain(`<section class="definition" id="${name}">`);
  });

  it("checks with no error but the examples that break their schemas, and warns only of the 2020 habits it reads", () => {
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    const found = errors.map((d) => `${d.code} ${d.file} ${d.pointer || "/"}`).sort();
    const known = CORPUS_INVALID_EXAMPLES.flatMap(({ file, pointers }) => pointers.map((p) => `example-invalid ${file} ${p}`));
    expect(found).toEqual(known.sort());
    // Each at a line of the example (the offending value's, or where the example opens).
    for (const d of errors)
      expect(
        readFileSync(path.join(root, d.file as string), "utf8")
          .split("\n")
          [(d.line as number) - 1].trim(),
      ).not.toBe("");
    const warnings = new Map<string, number>();
    for (const d of result.diagnostics.filter((d) => d.severity === "warning")) warnings.set(d.code, (warnings.get(d.code) ?? 0) + 1);
    expect(Object.fromEntries(warnings)).toEqual({
      "api-example-media-type": 3,
      "api-path-space": 1,
      "property-no-description": 20,
      "ref-relative-to-outer": 3,
      "rst-substitution-unresolved": 24,
      "schema-2020-habit": 14,
    });
    // Each raw |name|_ is reported at its text, which the page shows as written.
    for (const d of result.diagnostics.filter((d) => d.code === "rst-substitution-unresolved")) {
      const line = readFileSync(path.join(root, d.file as string), "utf8").split("\n")[(d.line as number) - 1];
      expect(line.slice((d.column as number) - 1)).toMatch(/^\|[^|]+\|_/);
    }
  });

  it("renders all 213 endpoints, each headed METHOD and full path, with every parameter and top-level body field", () => {
    expect(expected).toHaveLength(213);
    expect(new Set(sections.keys())).toEqual(new Set(expected.map((e) => e.heading)));
    // Some method and path are described twice (POST …/rooms/{roomId}/invite in inviting and third_party_membership): each is shown.
    expect([...page.matchAll(/<section class="endpoint" /g)]).toHaveLength(213);
    let fields = 0;
    for (const { file, heading, op } of expected) {
      const shown = [...page.matchAll(new RegExp(`data-endpoint="${escapeRegExp(heading)}">`, "g"))].map((m) =>
        tables(page.slice(m.index, page.indexOf("</section>", m.index))),
      );
      const keys = new Set(shown.flat().flatMap((t) => t.rows.map((r) => r.key)));
      for (const p of op.parameters ?? []) {
        const names = p.in === "body" ? topProperties(p.schema, file) : [p.name];
        for (const name of names) expect(keys.has(name), `${heading}: ${name}`).toBe(true);
        fields += names.length;
      }
    }
    expect(fields).toBeGreaterThan(500);
  });

  it("shows every response example (278) as its merged JSON, validated", () => {
    let count = 0;
    for (const { file, heading, op } of expected) {
      const shown = [...page.matchAll(new RegExp(`data-endpoint="${escapeRegExp(heading)}">`, "g"))].flatMap((m) =>
        examples(page.slice(m.index, page.indexOf("</section>", m.index))).map((e) => JSON.parse(e.json)),
      );
      for (const [status, response] of Object.entries(op.responses ?? {}) as [string, Json][]) {
        const example = response.examples?.["application/json"];
        if (example === undefined) continue;
        count++;
        expect(shown, `${heading} ${status}`).toContainEqual(mergeOld(example, file));
      }
    }
    expect(count).toBe(278);
    const known = new Set(CORPUS_INVALID_EXAMPLES.map((e) => e.file));
    expect(result.diagnostics.filter((d) => d.code === "example-invalid" && !known.has(d.file as string))).toEqual([]);
  });

  it("builds the site with the CLI once the known examples are fixed: exit 0, every endpoint, no broken internal link", () => {
    const fixed = corpusApiRoot();
    fixInvalidExamples(fixed);
    const out = path.join(tempDir(), "site");
    const r = specgen(["build", fixed, "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("link-broken");
    const html = readFileSync(path.join(out, "api/index.html"), "utf8");
    for (const { heading } of expected) expect(html).toContain(`data-endpoint="${heading.replace(/&/g, "&amp;")}"`);
  });

  it("with 5 response examples spoiled, check names exactly those files, each with line and pointer", () => {
    const mutated = corpusApiRoot();
    fixInvalidExamples(mutated);
    const spoil: [file: string, from: string, to: string, pointer: string][] = [
      ["api/client-server/whoami.yaml", '"user_id": "@joe:example.org"', '"user_id": 42', "/user_id"],
      ["api/client-server/login.yaml", '"access_token": "abc123"', '"access_token": ["abc123"]', "/access_token"],
      ["api/server-server/version.yaml", '"version": "ArbitraryVersionNumber"', '"version": false', "/server/version"],
      ["api/identity/ping.yaml", "application/json: {}", "application/json: []", ""],
      ["api/application-service/protocols.yaml", '"errcode": "COM.EXAMPLE.MYAPPSERVICE_UNAUTHORIZED"', '"errcode": 401', "/errcode"],
    ];
    for (const [rel, from, to] of spoil) {
      const file = path.join(mutated, rel);
      const text = readFileSync(file, "utf8");
      expect(text, rel).toContain(from);
      writeFileSync(file, text.replace(from, to));
    }
    const r = specgen(["check", mutated, "--format", "json"]);
    expect(r.code).toBe(1);
    const errors = (JSON.parse(r.stdout).diagnostics as { severity: string; file: string; line: number; pointer: string }[]).filter(
      (d) => d.severity === "error",
    );
    expect(new Set(errors.map((d) => d.file))).toEqual(new Set(spoil.map((s) => s[0])));
    for (const [rel, , to, pointer] of spoil) {
      const found = errors.filter((d) => d.file === rel);
      expect(found.length, rel).toBeGreaterThan(0);
      const lines = readFileSync(path.join(mutated, rel), "utf8").split("\n");
      for (const d of found) {
        expect(d.pointer, rel).toBe(pointer);
        expect(lines[d.line - 1], `${rel}:${d.line}`).toContain(to.slice(0, 12));
      }
    }
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
