/**
 * Today's Matrix spec (../shared/corpus/matrix-spec-v1.9, OpenAPI 3.1 and
 * JSON Schema 2020-12) rendered: a page with the block of every event schema
 * and one with the block of every API document. Expectations are read here
 * from the YAML, not from specgen's models.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { HtmlValidate } from "html-validate";
import yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../src/pipeline.js";
import { CORPUS_V19, checkRoot, corpusV19Root, hasCorpusV19, makeRoot } from "./helpers.js";
import { endpoints, examples, section, sectionIds, tables } from "./html.js";

type Json = Record<string, any>;
const SUFFIXES: Record<string, string> = {
  "client-server": "cs",
  "server-server": "ss",
  "application-service": "as",
  identity: "is",
  "push-gateway": "push",
};
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
const DATA = path.join(CORPUS_V19, "data");

function load(file: string): Json {
  return yaml.load(readFileSync(file, "utf8")) as Json;
}

/** A `$ref` followed (relative file and/or pointer), once or more. */
function deref(file: string, node: Json): Json {
  for (let hops = 0; typeof node?.$ref === "string" && hops < 10; hops++) {
    const [rel, fragment = ""] = node.$ref.split("#");
    file = rel ? path.resolve(path.dirname(file), rel) : file;
    node = fragment
      .split("/")
      .slice(1)
      .reduce((v: Json, t: string) => v?.[t.replace(/~1/g, "/").replace(/~0/g, "~")], load(file));
  }
  return node;
}

/** The API documents, in the page's order, with each operation in document order. */
function apiDocuments(): { file: string; block: string; ops: Json[] }[] {
  const out = [];
  for (const folder of readdirSync(path.join(DATA, "api")).sort()) {
    for (const name of readdirSync(path.join(DATA, "api", folder))
      .filter((n) => n.endsWith(".yaml"))
      .sort()) {
      const file = path.join(DATA, "api", folder, name);
      const doc = load(file);
      const ops = Object.values((doc.paths ?? {}) as Json).flatMap((item: Json) =>
        Object.keys(item)
          .filter((k) => METHODS.includes(k))
          .map((k) => item[k]),
      );
      out.push({ file, block: `${name.replace(/\.yaml$/, "").replace(/[.\- ]/g, "_")}_${SUFFIXES[folder]}_http_api`, ops });
    }
  }
  return out;
}

/** Every definition file, as `[file, block name]`. */
function definitionFiles(): [string, string][] {
  const out: [string, string][] = [];
  for (const folder of readdirSync(path.join(DATA, "api")).sort()) {
    const walk = (dir: string, parts: string[]) => {
      let names: string[] = [];
      try {
        names = readdirSync(dir).sort();
      } catch {
        return;
      }
      for (const name of names) {
        const file = path.join(dir, name);
        if (name.endsWith(".yaml"))
          out.push([file, `definition_${SUFFIXES[folder]}_${[...parts, name.replace(/\.yaml$/, "")].join("_").replace(/[.\- ]/g, "_")}`]);
        else if (!name.includes(".")) walk(file, [...parts, name]);
      }
    };
    walk(path.join(DATA, "api", folder, "definitions"), []);
  }
  return out;
}

/** Event schemas: the top of the schema folder, those that describe a `content`. */
function eventNames(): string[] {
  const dir = path.join(DATA, "event-schemas/schema");
  return readdirSync(dir)
    .filter((n) => n.endsWith(".yaml") && "content" in (load(path.join(dir, n)).properties ?? {}))
    .map((n) => n.replace(/\.yaml$/, ""))
    .sort();
}

const notes = (html: string) => (html.match(/class="added-in"|class="changed-in"/g) ?? []).length;
const annotated = (node: Json) => ("x-addedInMatrixVersion" in node ? 1 : 0) + Object.keys(node["x-changedInMatrixVersion"] ?? {}).length;

describe.skipIf(!hasCorpusV19)("the v1.9 Matrix spec rendered", () => {
  let result: CheckResult;
  const documents = hasCorpusV19 ? apiDocuments() : [];
  const events = hasCorpusV19 ? eventNames() : [];
  const definitions = hasCorpusV19 ? definitionFiles() : [];

  beforeAll(async () => {
    const root = corpusV19Root({
      "content/apis.md": `# APIs\n\n## Endpoints\n\n${documents.map((d) => `{{${d.block}}}`).join("\n\n")}\n`,
      "content/definitions.md": `# Definitions\n\n## All\n\n${definitions.map(([, b]) => `{{${b}}}`).join("\n\n")}\n`,
      "content/events.md": `# Events\n\n## All\n\n${events.map((n) => `{{${n.replace(/[.$]/g, "_")}_event}}`).join("\n\n")}\n`,
    });
    result = await checkRoot(root);
  }, 60_000);

  it("renders every event, those typed by their file name included, and every API block", () => {
    expect(result.diagnostics.filter((d) => d.code === "block-unknown" || d.code === "internal-error")).toEqual([]);
    const page = result.files.get("events.html") as string;
    expect(sectionIds(page)).toHaveLength(events.length);
    // An event shows every example of its type: m.room.message those of its msgtypes.
    const variants = readdirSync(path.join(DATA, "event-schemas/examples")).filter((n) => n.startsWith("m.room.message$"));
    expect(variants.length).toBeGreaterThan(5);
    const message = section(page, "m-room-message");
    expect(examples(message).map((e) => e.name)).toEqual(variants.map((n) => n.replace(/\.(yaml|json)$/, "")).sort());
  });

  it("lists every media type of a body, and shows the headers of responses without a body", () => {
    const page = result.files.get("apis.html") as string;
    const sections = [...page.matchAll(/<section class="endpoint" [\s\S]*?<\/section>/g)].map((m) => m[0]);
    const ops = documents.flatMap((d) => d.ops.map((op) => ({ file: d.file, op })));
    let several = 0;
    let headersOnly = 0;
    ops.forEach(({ file, op }, i) => {
      for (const [status, raw] of Object.entries((op.responses ?? {}) as Json)) {
        const response = deref(file, raw);
        const types = Object.keys(response.content ?? {});
        const part = sections[i].slice(sections[i].indexOf(`<h5 class="endpoint-status">${status} response</h5>`));
        // Up to the next response's part.
        const next = part.indexOf('<div class="endpoint-response">');
        const own = next < 0 ? part : part.slice(0, next);
        if (types.length > 1) {
          several++;
          for (const t of types) expect(own, `${op.operationId} ${status}`).toContain(`<code>${t}</code>`);
        }
        if (types.length === 0 && Object.keys(response.headers ?? {}).length > 0) {
          headersOnly++;
          expect(tables(own)[0]?.caption, `${op.operationId} ${status}`).toBe("Headers");
        }
      }
    });
    expect(several).toBeGreaterThan(0);
    expect(headersOnly).toBeGreaterThan(0);
  });

  it("shows a definition without an example of its own one composed from its fields', and says so", () => {
    const page = result.files.get("definitions.html") as string;
    let composed = 0;
    for (const [file, block] of definitions) {
      const schema = load(file);
      if (!schema || "example" in schema || "examples" in schema) continue;
      const fields = Object.values((schema.properties ?? {}) as Json).filter((p: Json) => p && "example" in p);
      if (fields.length === 0 || schema.allOf) continue;
      const html = section(page, block);
      expect(html, block).toContain("(composed from its fields' examples)");
      composed++;
    }
    expect(composed).toBeGreaterThan(0);
  });

  it("writes pages that pass html-validate", async () => {
    const validator = new HtmlValidate({
      extends: ["html-validate:recommended", "html-validate:document"],
      rules: { "require-sri": ["error", { target: "crossorigin" }] },
    });
    for (const name of ["apis.html", "definitions.html"]) {
      const report = await validator.validateString(result.files.get(name) as string, name);
      expect(
        report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId} ${m.message}`)),
        name,
      ).toEqual([]);
    }
  }, 60_000);

  it("shows a definition's own version notes under its heading", () => {
    const page = result.files.get("definitions.html") as string;
    let annotatedDefinitions = 0;
    for (const [file, block] of definitions) {
      const own = annotated(load(file) ?? {});
      const html = section(page, block);
      const head = html.slice(0, html.indexOf('<div class="definition-description">'));
      expect(notes(head), block).toBe(own);
      if (own > 0) annotatedDefinitions++;
    }
    expect(annotatedDefinitions).toBeGreaterThan(0);
  });

  it("shows the version notes of operations, parameters and responses where the sources write them", () => {
    const page = result.files.get("apis.html") as string;
    // Every section in page order (a method and path two documents describe is shown twice).
    const sections = [...page.matchAll(/<section class="endpoint" [\s\S]*?<\/section>/g)].map((m) => m[0]);
    expect(new Set(sections.map((s) => /data-endpoint="([^"]*)"/.exec(s)?.[1])).size).toBe(endpoints(page).size);
    // Endpoints in page order: documents in block order, operations in document order.
    const ops = documents.flatMap((d) => d.ops.map((op) => ({ file: d.file, op })));
    expect(sections).toHaveLength(ops.length);
    let operations = 0;
    let parameters = 0;
    let responses = 0;
    ops.forEach(({ file, op }, i) => {
      const html = sections[i];
      const head = html.slice(0, html.indexOf('<dl class="endpoint-facts">'));
      expect(notes(head), `${op.operationId}`).toBe(annotated(op));
      operations += annotated(op);
      // A parameter's notes: its own over its schema's.
      const params = (op.parameters ?? []).map((p: Json) => deref(file, p));
      const expected = params.reduce((n: number, p: Json) => n + (annotated(p) || annotated(deref(file, p.schema ?? {}))), 0);
      const shown = tables(html)
        .filter((t) => / parameters$/.test(t.caption))
        .reduce((n, t) => n + notes(t.html), 0);
      expect(shown, `${op.operationId} parameters`).toBe(expected);
      parameters += expected;
      const statuses = html.slice(
        html.indexOf('<table class="endpoint-statuses">'),
        html.indexOf("</table>", html.indexOf("endpoint-statuses")),
      );
      const own = Object.values((op.responses ?? {}) as Json).reduce((n: number, r: Json) => n + annotated(deref(file, r)), 0);
      expect(notes(statuses), `${op.operationId} responses`).toBe(own);
      responses += own;
    });
    // The sources write them: the counts are not all zero.
    expect(operations).toBeGreaterThan(5);
    expect(parameters).toBeGreaterThan(5);
    expect(responses).toBeGreaterThanOrEqual(0);
  });
});

describe("events typed by their file name", () => {
  it("a top-level schema with `content` and no `type` is the event its file names; one whose `type` is any string is a component", async () => {
    const root = makeRoot({
      "event-schemas/schema/m.example.account.yaml":
        "type: object\ntitle: Account thing\nproperties:\n  content:\n    type: object\n    properties:\n      x: {type: string, description: X.}\n",
      "event-schemas/schema/stripped.yaml":
        "type: object\nproperties:\n  content: {type: object}\n  type: {type: string, description: Any type.}\n",
      "event-schemas/examples/m.example.account.yaml": "type: m.example.account\ncontent: {x: 1}\n",
      "specification/index.md": "# Events\n\n{{m_example_account_event}}\n\n{{common_stripped_fields}}\n",
    });
    const result = await checkRoot(root);
    expect(result.events.map((e) => [e.name, e.type])).toEqual([["m.example.account", "m.example.account"]]);
    // Its example is matched by name and validated as any event's.
    expect(result.diagnostics.map((d) => [d.code, d.file, d.pointer])).toEqual([
      ["example-invalid", "event-schemas/examples/m.example.account.yaml", "/content/x"],
    ]);
  });
});
