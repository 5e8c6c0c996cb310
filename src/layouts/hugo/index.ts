/**
 * The Hugo layout: today's Matrix spec repository as it is. A Hugo config
 * (`config.toml`, `hugo.toml` or `config/_default/`) beside `content/` and
 * `data/`; pages are `content/**\/*.md` with front matter and shortcodes,
 * published at Hugo's URLs; event schemas, examples and APIs under `data/`.
 * Ids are Hugo's (`anchorize`): events `#mroommember`, endpoints
 * `#get_matrixclientv3sync`, definitions `#definition-…`.
 */

import path from "node:path";
import type { Config } from "../../config.js";
import type { Diagnostic } from "../../diagnostics.js";
import type { Source } from "../../load/source.js";
import { frontMatterOf, frontString } from "../../pages/front-matter.js";
import { anchorize } from "../../pages/hugo/anchorize.js";
import { hugoHeadingsPlugin } from "../../pages/hugo/headings.js";
import { mathsPlugin } from "../../pages/hugo/maths.js";
import { rawHtmlPlugin } from "../../pages/hugo/raw-html.js";
import { hugoShortcodesPlugin, type ShortcodePageContext } from "../../pages/hugo/shortcodes.js";
import { commonFieldsBlockName } from "../../render/blocks/common.js";
import { patternGroupName } from "../../render/blocks/group.js";
import { siteRelative } from "../../render/plugins/links.js";
import { existsSync, readdirSync, readFileSync, statSync } from "../../trace.js";
import type { Layout, LayoutSite, PageSource } from "../layout.js";
import { unreleasedChangelog } from "./changelog.js";
import { type HugoSettings, hugoConfigFiles, hugoSettings, readHugoConfig } from "./config.js";
import { contentPages } from "./content.js";
import { type HugoSite, hugoShortcodes } from "./shortcodes.js";

const CONTENT = "content";
const DATA = "data";

/** Each root's Hugo settings, read once per config file text. */
const settingsCache = new Map<string, { key: string; settings: HugoSettings; diagnostics: Diagnostic[] }>();

function settingsOf(root: string): { settings: HugoSettings; diagnostics: Diagnostic[] } {
  const files = hugoConfigFiles(root);
  const key = files.map((f) => `${f}\n${readFileSync(path.join(root, f), "utf8")}`).join("\n\0");
  const known = settingsCache.get(root);
  if (known?.key === key) return known;
  const config = readHugoConfig(root);
  const entry = { key, settings: hugoSettings(config.values), diagnostics: config.diagnostics };
  settingsCache.set(root, entry);
  return entry;
}

export const hugoLayout: Layout = {
  name: "hugo",
  detect: (root) => hugoConfigFiles(root).length > 0 && isDir(path.join(root, CONTENT)) && isDir(path.join(root, DATA)),
  settings(root) {
    const { settings } = settingsOf(root);
    return {
      ...(settings.title ? { title: settings.title } : {}),
      ...(settings.version && settings.version.status !== "unstable"
        ? { version: `v${settings.version.major}.${settings.version.minor}` }
        : {}),
      allowHtml: settings.rawHtml,
      paths: {
        schemas: `${DATA}/event-schemas/schema`,
        examples: `${DATA}/event-schemas/examples`,
        apis: `${DATA}/api`,
        pages: CONTENT,
      },
    };
  },
  isPageFile: (file) => /\.(md|markdown)$/i.test(file),
  namedData(config, pages) {
    const dataDir = path.join(config.root, DATA);
    const out = new Set<string>();
    for (const page of pages) {
      for (const m of page.text.matchAll(DEFINITIONS)) {
        const file = dataFileOf(dataDir, m[1]);
        if (file) out.add(file);
      }
    }
    return [...out];
  },
  pages(config, files, diagnostics) {
    const { settings, diagnostics: configDiagnostics } = settingsOf(config.root);
    diagnostics.push(...configDiagnostics);
    const byRel = new Map<string, { source: Source; data: Record<string, unknown> }>();
    for (const source of files) {
      const front = frontMatterOf(source);
      diagnostics.push(...front.diagnostics);
      byRel.set(contentRel(config, source), { source, data: front.data });
    }
    const published = contentPages(
      [...byRel].map(([rel, f]) => ({ rel, data: f.data })),
      { uglyUrls: settings.uglyUrls },
    );
    return published.map((p): PageSource => {
      const file = byRel.get(p.rel) as { source: Source; data: Record<string, unknown> };
      return {
        out: p.out,
        parts: [{ source: file.source, shift: 0 }],
        format: "markdown",
        title: p.title,
        order: p.order,
        includes: includedFiles(file.source, byRel),
      };
    });
  },
  anchor: (text) => anchorize(text),
  blockIds: {
    // The msgtypes shortcode shows each message type under its own name (`m.text`), but those it leaves to other pages.
    event: (name, config) => anchorize(msgtypeName(name, config.root) ?? name),
    eventHeading: (name, config) => msgtypeName(name, config.root),
    endpoint: (method, fullPath) => `${method.toLowerCase()}${anchorize(fullPath)}`,
    definition: (title) => `definition-${anchorize(title)}`,
  },
  siteLink: (href) => siteLinkTarget(href),
  markdown(md, config) {
    const { settings } = settingsOf(config.root);
    md.use(hugoShortcodesPlugin).use(hugoHeadingsPlugin, settings.autoIdType);
    if (settings.maths) md.use(mathsPlugin, settings.maths);
    if (config.allowHtml) md.use(rawHtmlPlugin, (url: string, env: { page: string }) => siteRelative(url, env.page, siteLinkTarget) ?? url);
    // A code block scrolls sideways when its lines are long: keyboard users reach it too.
    for (const rule of ["fence", "code_block"] as const) {
      const render = md.renderer.rules[rule];
      if (!render) continue;
      md.renderer.rules[rule] = (...args) => render(...args).replace(/^<pre>/, '<pre tabindex="0">');
    }
  },
  pageContext: (site): ShortcodePageContext => ({ shortcodes: hugoShortcodes(hugoSite(site)) }),
  configFiles: (root) => hugoConfigFiles(root),
  staticFiles(config) {
    const files = new Map<string, string>();
    // Hugo publishes static/ as it is; diagrams of later revisions live in assets/diagrams.
    for (const [folder, prefix] of [
      ["static", ""],
      ["assets/diagrams", "diagrams/"],
    ] as const) {
      const dir = path.join(config.root, folder);
      for (const rel of listFiles(dir)) files.set(`${prefix}${rel}`, path.join(dir, rel));
    }
    return files;
  },
};

/** `/client-server-api/#sync` → `client-server-api/index.html#sync`; what Hugo serves for a site path. */
export function siteLinkTarget(href: string): string | undefined {
  const hash = href.indexOf("#");
  const pathPart = (hash >= 0 ? href.slice(0, hash) : href).replace(/\?.*$/, "");
  const fragment = hash >= 0 ? href.slice(hash) : "";
  const clean = pathPart.replace(/^\/+/, "");
  let file: string;
  if (clean === "") file = "index.html";
  else if (clean.endsWith("/")) file = `${clean}index.html`;
  else if (/\.[A-Za-z0-9]+$/.test(clean)) file = clean;
  else file = `${clean}/index.html`;
  return `${file}${fragment}`;
}

function contentRel(config: Config, source: Source): string {
  return path.relative(config.pages, source.path).split(path.sep).join("/");
}

const DEFINITIONS = /\{\{[%<]\s*definition\s+[^}]*?path\s*=\s*"([^"]+)"/g;

/** The file under `data/` a definition's path names (`schemas/x` → `data/schemas/x.yaml`), as Hugo's site data has it. */
function dataFileOf(dataDir: string, name: string): string | undefined {
  for (const ext of [".yaml", ".yml", ".json"]) {
    const file = path.resolve(dataDir, `${name}${ext}`);
    if (file.startsWith(dataDir + path.sep) && isFile(file)) return file;
  }
  return undefined;
}

const INCLUDES = /\{\{[%<]\s*(cs-module|rver-fragment)\s+[^}]*?name\s*=\s*"([^"]+)"/g;

/** The files a page pulls in by name, as the shortcode table finds them, and a leaf bundle's own Markdown resources. */
function includedFiles(source: Source, byRel: Map<string, { source: Source }>): Source[] {
  const out: Source[] = [];
  if (/^index\.(md|markdown)$/i.test(path.basename(source.path))) {
    const dir = path.dirname(source.path);
    for (const { source: other } of byRel.values()) if (other !== source && path.dirname(other.path) === dir) out.push(other);
  }
  for (const m of source.text.matchAll(INCLUDES)) {
    const folder = m[1] === "cs-module" ? "client-server-api/modules" : "rooms/fragments";
    const found = byRel.get(`${folder}/${m[2]}.md`);
    if (found) out.push(found.source);
  }
  return out;
}

function hugoSite(site: LayoutSite): HugoSite {
  const { config } = site;
  const { settings } = settingsOf(config.root);
  const byRel = new Map(site.pageFiles.map((s) => [contentRel(config, s), s]));
  const dataDir = path.dirname(config.apis);
  const withoutExt = (p: string) => p.replace(/\.(ya?ml|json)$/i, "");
  const apis = new Map(
    site.apis.map((a) => [withoutExt(path.relative(config.apis, a.source.path).split(path.sep).join("/")), a.blockName]),
  );
  const definitions = new Map(
    site.definitions.map((d) => [withoutExt(path.relative(dataDir, d.source.path).split(path.sep).join("/")), d.blockName]),
  );
  const events = new Map(site.events.map((e) => [e.name, e.blockName]));
  const sourceByOut = new Map(site.pages.map((p) => [p.out, p.parts[0]?.source]));
  const version =
    settings.version && settings.version.status !== "unstable" ? `${settings.version.major}.${settings.version.minor}` : undefined;
  return {
    version,
    contentFile: (rel) => byRel.get(rel),
    dataFile(rel) {
      const file = path.join(config.root, rel);
      if (!isFile(file)) return undefined;
      try {
        return { value: JSON.parse(readFileSync(file, "utf8")) };
      } catch {
        return undefined;
      }
    },
    diagram(name) {
      for (const folder of ["assets/diagrams", "static/diagrams"]) {
        if (isFile(path.join(config.root, folder, `${name}.png`))) return `diagrams/${name}.png`;
      }
      return undefined;
    },
    href: (sitePath, context) => siteRelative(`/${sitePath}`, context.env.page, siteLinkTarget) ?? sitePath,
    bundleResources(context) {
      const source = sourceByOut.get(context.env.page);
      if (!source || !/^index\.(md|markdown)$/i.test(path.basename(source.path))) return [];
      const dir = path.dirname(source.path);
      return site.pageFiles
        .filter((s) => s !== source && path.dirname(s.path) === dir)
        .map((s) => ({ s, date: frontString(frontMatterOf(s).data, "date") ?? "" }))
        .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.s.rel < b.s.rel ? -1 : 1))
        .map((x) => x.s);
    },
    events: new Set(events.keys()),
    apis: new Set(apis.keys()),
    definitions: new Set(definitions.keys()),
    coreEvents: new Set(site.components.map((c) => c.name)),
    blockNames: {
      event: (name) => events.get(name) ?? name,
      api: (spec, api) => apis.get(`${spec}/${api}`) ?? `${spec}/${api}`,
      definition: (p) => definitions.get(p) ?? p,
      coreEvent: (name) => commonFieldsBlockName(name),
      group: (patterns) => patternGroupName(patterns),
    },
    msgtypes: msgtypesOf(msgtypeOrder(config.root), site.events),
    unreleasedChangelog: unreleasedChangelog(config.root),
  };
}

/**
 * The message types in the order the repository's template shows them: its
 * own list first, or by each schema's `x-weight` where the template sorts by it.
 */
function msgtypesOf(order: MsgtypeOrder | undefined, events: LayoutSite["events"]): HugoSite["msgtypes"] {
  if (!order?.byWeight || !order.prefix) return order;
  const prefix = order.prefix;
  const weight = (e: LayoutSite["events"][number]) => {
    const value = e.source?.value as Record<string, unknown> | undefined;
    const w = value?.["x-weight"];
    return typeof w === "number" ? w : Number.POSITIVE_INFINITY;
  };
  const weighted = events
    .filter((e) => e.name.startsWith(prefix) && !order.excluded.includes(e.name))
    .sort((a, b) => weight(a) - weight(b) || (a.name < b.name ? -1 : 1))
    .map((e) => e.name);
  return { ...order, first: [...order.first, ...weighted] };
}

/**
 * The order the repository's `msgtypes` shortcode gives message types (its
 * first list) and the ones it leaves to other pages: read from the template,
 * so that each revision shows its own order; absent, by name.
 */
/** A message type's own name (`m.text`) when the repository's msgtypes shortcode shows the event under it. */
function msgtypeName(name: string, root: string): string | undefined {
  const msgtypes = msgtypeOrder(root);
  if (!msgtypes?.prefix || !name.startsWith(msgtypes.prefix) || msgtypes.excluded.includes(name)) return undefined;
  return name.slice(msgtypes.prefix.length) || undefined;
}

type MsgtypeOrder = { prefix?: string; first: string[]; excluded: string[]; byWeight: boolean };
const msgtypeCache = new Map<string, { stamp: string; order: MsgtypeOrder | undefined }>();

function msgtypeOrder(root: string): MsgtypeOrder | undefined {
  const file = path.join(root, "layouts/shortcodes/msgtypes.html");
  const stamp = isFile(file) ? String(statSync(file).mtimeMs) : "";
  const known = msgtypeCache.get(root);
  if (known?.stamp === stamp) return known.order;
  const order = stamp ? readMsgtypeOrder(readFileSync(file, "utf8")) : undefined;
  msgtypeCache.set(root, { stamp, order });
  return order;
}

function readMsgtypeOrder(text: string): MsgtypeOrder {
  const prefix = /\$expected_prefix\s*:?=\s*"([^"]+)"/.exec(text)?.[1];
  const list = (name: string) => {
    const m = new RegExp(`\\$${name}\\s*:?=\\s*\\(?\\s*slice((?:\\s+"[^"]*")+)`).exec(text);
    return m ? [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]) : [];
  };
  return { prefix, first: list("msgtypes"), excluded: list("excluded"), byWeight: text.includes("x-weight") };
}

function listFiles(dir: string, prefix = ""): string[] {
  if (!isDir(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(path.join(dir, entry.name), `${rel}/`));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}
