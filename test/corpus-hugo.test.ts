/**
 * Today's Matrix spec repository (../shared/corpus/matrix-spec-v1.9, Hugo
 * layout), built unchanged, when it is there. Expectations are computed here
 * from the repository's files with Hugo's rules as its templates apply them
 * (layouts/shortcodes, layouts/partials), not from specgen's models.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_API_SUFFIXES, loadConfig } from "../src/config.js";
import { type CheckResult, check } from "../src/pipeline.js";
import { makeRoot, REPO } from "./helpers.js";

const V19 = path.resolve(REPO, "../shared/corpus/matrix-spec-v1.9");
const hasV19 = existsSync(V19);
if (!hasV19) console.warn(`skipping the Hugo corpus tests: ${V19} is not there`);

/** Hugo's `anchorize` (github ids): letters, digits, `_` kept lower-cased, spaces and `-` as `-`, the rest dropped. */
function hugoId(text: string): string {
  return [...text.trim()].map((c) => (c === " " || c === "-" ? "-" : /[\p{L}\p{Nd}_]/u.test(c) ? c.toLowerCase() : "")).join("");
}

function walk(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

const content = () => walk(path.join(V19, "content")).filter((f) => f.endsWith(".md"));
const text = (rel: string) => readFileSync(path.join(V19, rel), "utf8");

/** Where Hugo publishes each page of content/: bundles' resources and headless bundles are no pages. */
function publishedPaths(): Map<string, string> {
  const files = content();
  const leaves = files.filter((f) => path.posix.basename(f) === "index.md").map((f) => path.posix.dirname(f));
  const out = new Map<string, string>();
  for (const f of files) {
    const dir = path.posix.dirname(f);
    const base = path.posix.basename(f, ".md");
    if (leaves.some((leaf) => f.startsWith(`${leaf}/`) && base !== "index")) continue;
    if (/^---\n(?:.*\n)*?headless: true\n/.test(text(`content/${f}`))) continue;
    const folder = dir === "." ? "" : `${dir}/`;
    out.set(f, base === "_index" || base === "index" ? `${folder}index.html` : `${folder}${base}/index.html`);
  }
  return out;
}

/** specgen's block line for every API document the pages' http-api shortcodes show (`{{sync_cs_http_api}}`). */
function httpApiBlocks(): string[] {
  const names = new Set<string>();
  for (const rel of content()) {
    for (const m of text(`content/${rel}`).matchAll(/\{\{%\s*http-api\s+spec="([^"]+)"\s+api="([^"]+)"/g)) {
      const suffix = DEFAULT_API_SUFFIXES[m[1]] ?? m[1].replace(/[.$\-/ ]/g, "_");
      names.add(`{{${m[2].replace(/[.$\-/ ]/g, "_")}_${suffix}_http_api}}`);
    }
  }
  return [...names].sort();
}

/** A definition's title as the templates find it: its own, else that of what its allOf merges in. */
function definitionTitle(rel: string): string {
  const def = yaml.load(text(rel)) as Record<string, any>;
  if (typeof def.title === "string") return def.title;
  for (const part of def.allOf ?? []) {
    if (typeof part.title === "string") return part.title;
    if (typeof part.$ref === "string") return definitionTitle(path.posix.join(path.posix.dirname(rel), part.$ref));
  }
  return "";
}

/** The ids of a page's HTML, with `<a name>`s. */
function idsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]*)"|<a name="([^"]*)"/g)].map((m) => (m[1] ?? m[2]).replace(/&amp;/g, "&")));
}

describe.skipIf(!hasV19)("the Matrix spec v1.9 (Hugo layout) as it is", () => {
  let result: CheckResult;
  let published: Map<string, string>;
  const ids = new Map<string, Set<string>>();
  beforeAll(async () => {
    result = await check(loadConfig(V19));
    published = publishedPaths();
    for (const [file, html] of result.files) if (file.endsWith(".html")) ids.set(file, idsOf(html));
  }, 120_000);

  it("is recognised, and its pages raise no error: only the data's own examples do", () => {
    expect(loadConfig(V19).layout.name).toBe("hugo");
    // The data's examples that break their schemas (found the same through specgen's own layout, below) are
    // the only errors: none of a page, a shortcode, a link or the renderer.
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.filter((d) => d.code !== "example-invalid" || !d.file?.startsWith("data/"))).toEqual([]);
    // What it warns about besides: the data's own gaps, a definition shown twice on a page (twice on the published site too), the proposals.
    const warnings = new Set(result.diagnostics.filter((d) => d.severity === "warning").map((d) => d.code));
    const expected = [
      "property-no-description",
      "event-no-example",
      "api-path-space",
      "anchor-duplicate",
      "block-repeated",
      "shortcode-placeholder",
    ];
    for (const code of warnings) expect(expected, code).toContain(code);
    expect(warnings).toContain("shortcode-placeholder");
  });

  it("writes every published page at its published path, and nothing else as a page", () => {
    const pages = [...result.paths].filter((p) => p.endsWith(".html")).sort();
    expect(pages).toEqual([...new Set(published.values())].sort());
    expect(pages).toContain("client-server-api/index.html");
    expect(pages).toContain("rooms/v11/index.html");
    expect(pages.some((p) => p.includes("_index") || p.includes("modules/") || p.includes("fragments/"))).toBe(false);
    // Front matter is read, not shown: the title is the page's.
    expect(result.files.get("client-server-api/index.html")).toContain("<title>Client-Server API");
    expect(result.files.get("client-server-api/index.html")).not.toMatch(/weight: 10|type: docs/);
  });

  it("leaves no shortcode in the output and no site-absolute link", () => {
    for (const [file, html] of result.files) {
      expect(html.includes("{{%") || html.includes("{{<"), file).toBe(false);
      expect(html.match(/\s(?:href|src)="\/[^"]*"/g) ?? [], file).toEqual([]);
    }
    expect(result.paths).toContain("diagrams/membership.png");
  });

  it("shows every event, http-api and definition shortcode with the published ids", () => {
    const all = new Set([...ids.values()].flatMap((s) => [...s]));
    const where = (rel: string) => {
      const page = published.get(rel);
      return page ? (ids.get(page) ?? new Set<string>()) : all;
    };
    let count = 0;
    for (const rel of content()) {
      const page = text(`content/${rel}`);
      const pageIds = where(rel);
      for (const m of page.matchAll(/\{\{%\s*event\s+event="([^"]+)"/g)) {
        expect(pageIds.has(hugoId(m[1])), `${rel}: #${hugoId(m[1])}`).toBe(true);
        count++;
      }
      for (const m of page.matchAll(/\{\{%\s*http-api\s+spec="([^"]+)"\s+api="([^"]+)"/g)) {
        const doc = yaml.load(text(`data/api/${m[1]}/${m[2]}.yaml`)) as Record<string, any>;
        const base = doc.servers?.[0]?.variables?.basePath?.default ?? "";
        for (const [p, item] of Object.entries(doc.paths ?? {}) as [string, Record<string, unknown>][]) {
          for (const method of ["get", "put", "post", "delete", "patch", "head", "options"]) {
            if (!item[method]) continue;
            const id = `${method}${hugoId(`${base}${p}`)}`;
            expect(pageIds.has(id), `${rel}: #${id}`).toBe(true);
            count++;
          }
        }
      }
      for (const m of page.matchAll(/\{\{%\s*definition\s+path="([^"]+)"/g)) {
        const id = `definition-${hugoId(definitionTitle(`data/${m[1]}.yaml`))}`;
        expect(pageIds.has(id), `${rel}: #${id}`).toBe(true);
        count++;
      }
    }
    expect(count).toBeGreaterThan(250);
    // The anchors spec.matrix.org has.
    const cs = ids.get("client-server-api/index.html") as Set<string>;
    for (const id of ["mroommember", "get_matrixclientv3sync", "mtext", "mroomjoin_rules", "user-interactive-authentication-api"]) {
      expect(cs.has(id), id).toBe(true);
    }
  });

  it("shows version notes as the repository's added-in and changed-in templates do: `this` alone says so", () => {
    // The templates print "in this version" for `this` and "Added in vX" for any `v`, the site's own version too.
    const cs = result.files.get("client-server-api/index.html") as string;
    expect(text("config.toml")).toMatch(/^minor = "9"$/m);
    expect(text("content/client-server-api/modules/push.md")).toContain('{{% added-in v="1.9" %}}');
    expect(cs).toContain("<strong>[Added in <code>v1.9</code>]</strong>");
    expect(cs).not.toContain("in this version]");
    const v11 = result.files.get("rooms/v11/index.html") as string;
    expect(v11).toContain("<strong>[New in this version]</strong>");
    expect(v11).toContain("<strong>[Changed in this version]</strong>");
  });

  it("resolves every site-absolute link written in content/ and data/ to a page and an id", () => {
    const sources = [
      ...content().map((f) => `content/${f}`),
      ...walk(path.join(V19, "data"))
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .map((f) => `data/${f}`),
    ];
    const broken: string[] = [];
    let count = 0;
    for (const rel of sources) {
      for (const m of text(rel).matchAll(/\]\((\/[^)\s]*)\)/g)) {
        count++;
        const [pathPart, fragment] = m[1].split("#");
        const clean = pathPart.replace(/^\/|\/$/g, "");
        const target = /\.[a-z]+$/.test(clean) ? clean : clean ? `${clean}/index.html` : "index.html";
        if (!result.paths.has(target)) broken.push(`${rel}: ${m[1]} (no ${target})`);
        else if (fragment && !ids.get(target)?.has(decodeURIComponent(fragment))) broken.push(`${rel}: ${m[1]} (no #${fragment})`);
      }
    }
    expect(count).toBeGreaterThan(500);
    // None of them is broken on the published site either.
    expect(broken).toEqual([]);
  });

  it("models the same events and reports the same data problems as specgen's own layout on the same data/", async () => {
    const root = makeRoot({
      "specgen.config.yaml": [
        "layout: specgen",
        "allowExternalRefs: true",
        "paths:",
        `  schemas: ${path.join(V19, "data/event-schemas/schema")}`,
        `  examples: ${path.join(V19, "data/event-schemas/examples")}`,
        `  apis: ${path.join(V19, "data/api")}`,
        "",
      ].join("\n"),
      "specification/index.md": `# Data only\n\n${httpApiBlocks().join("\n\n")}\n`,
    });
    const own = await check(loadConfig(root));
    const view = (r: CheckResult) =>
      r.events.map((e) => ({
        name: e.name,
        kind: e.kind,
        tables: e.tables.map((t) => [t.title, t.rows.map((row) => [row.key, row.required, row.description])]),
      }));
    expect(result.events.length).toBeGreaterThan(60);
    expect(view(result)).toEqual(view(own));
    const dataProblems = (r: CheckResult, base: string) =>
      r.diagnostics
        // Links between sections are the site's, whose ids differ by layout (the descriptions link to Hugo's).
        .filter((d) => d.code !== "link-broken" && d.file && path.resolve(base, d.file).startsWith(path.join(V19, "data")))
        // Files are named from the root, in the message too.
        // Files are named from the root, in the message too.
        .map(
          (d) =>
            `${path.relative(V19, path.resolve(base, d.file as string))}:${d.line}:${d.code}:${base === V19 ? d.message : d.message.replaceAll(`${path.relative(base, V19)}/`, "")}`,
        )
        .sort();
    // The same endpoints, with the same parameters and fields.
    const endpoints = (r: CheckResult) =>
      [...r.files.values()]
        .flatMap((html) => [...html.matchAll(/<section class="endpoint" data-endpoint="([^"]*)"[\s\S]*?<\/section>/g)])
        .map((m) => [m[1], [...m[0].matchAll(/<th scope="row"><code>([^<]*)</g)].map((f) => f[1])])
        .sort();
    expect(endpoints(result).length).toBeGreaterThan(200);
    expect(endpoints(result)).toEqual(endpoints(own));
    expect(dataProblems(result, V19).length).toBeGreaterThan(10);
    expect(dataProblems(result, V19)).toEqual(dataProblems(own, root));
  });
});
