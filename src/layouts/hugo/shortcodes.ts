/**
 * What each shortcode of a Hugo spec repository renders (read from its
 * `layouts/shortcodes/` for behaviour): boxes, version notes, transclusion of
 * modules and room-version fragments, the data blocks (events, HTTP APIs,
 * definitions, groups of events), diagrams, the SAS emoji table and the MSC
 * proposal tables. Data blocks become specgen block calls; the rest is HTML
 * made here, every value escaped.
 */

import type { Source } from "../../load/source.js";
import type { Expansion, ShortcodeCall, ShortcodeContext, ShortcodeDef, ShortcodeTable } from "../../pages/hugo/shortcodes.js";
import { editDistance } from "../../render/blocks/registry.js";

/** What the shortcodes need of the site. */
export interface HugoSite {
  /** `params.version` of the config: `1.9`. */
  version?: string;
  /** A content file by its path below the content folder (`client-server-api/modules/tags.md`). */
  contentFile(rel: string): Source | undefined;
  /** The other Markdown files of the leaf bundle of the page being rendered (its resources), newest `date` first. */
  bundleResources(context: ShortcodeContext): Source[];
  /** The unreleased changes (Markdown) from the repository's newsfragments, when it has any. */
  unreleasedChangelog?: string;
  /** A JSON or YAML file of the repository by its path from the root, parsed; undefined when absent. */
  dataFile(rel: string): { value: unknown } | undefined;
  /** The site path of a diagram (`diagrams/x.png`) when the repository has it. */
  diagram(name: string): string | undefined;
  /** The href of a site path from the page being rendered. */
  href(sitePath: string, context: ShortcodeContext): string;
  /** The event names, API documents (`spec/api`), definition paths (below `data/`) and core event schemas the data holds. */
  events: ReadonlySet<string>;
  apis: ReadonlySet<string>;
  definitions: ReadonlySet<string>;
  coreEvents: ReadonlySet<string>;
  /** The block names for them. */
  blockNames: {
    event(name: string): string;
    api(spec: string, api: string): string;
    definition(path: string): string;
    coreEvent(name: string): string;
    /** A group of events by patterns (`m.call.*`, `!m.x`), in the order given. */
    group(patterns: readonly string[]): string;
  };
  /** The msgtype events' order and exclusions, when the repository's `msgtypes` shortcode lists them. */
  msgtypes?: { prefix?: string; first: string[]; excluded: string[] };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const BOXES: Record<string, string> = { note: "Info", warning: "Warning", rationale: "Rationale", "added-in-paragraph": "" };

export function hugoShortcodes(site: HugoSite): ShortcodeTable {
  const defs = new Map<string, ShortcodeDef>();
  for (const [kind, title] of Object.entries(BOXES)) {
    defs.set(`boxes/${kind}`, {
      paired: true,
      expand: () => ({
        type: "container",
        tag: "div",
        attrs: [
          ["class", `admonition admonition-${kind} alert ${kind}`],
          ["role", "note"],
        ],
        prefix: title ? `<p class="admonition-title">${title}</p>\n` : undefined,
      }),
    });
  }
  const versionNote = (added: boolean) => ({
    inline: true,
    expand(call: ShortcodeCall, context: ShortcodeContext): Expansion {
      const word = added ? "Added" : "Changed";
      if (call.params.this === "true") {
        return {
          type: "html",
          html: context.dropVersionNotes
            ? ""
            : `<span class="version-note"><strong>[${added ? "New" : "Changed"} in this version]</strong></span>`,
        };
      }
      if (!call.params.v) return { type: "error", message: `${call.name} needs v="1.x" or this=true` };
      return { type: "html", html: `<span class="version-note"><strong>[${word} in <code>v${esc(call.params.v)}</code>]</strong></span>` };
    },
  });
  defs.set("added-in", versionNote(true));
  defs.set("changed-in", versionNote(false));

  const include = (folder: string, versioned: boolean): ShortcodeDef => ({
    expand(call) {
      const name = call.params.name;
      if (!name) return { type: "error", message: `${call.name} needs name="…"` };
      const source = site.contentFile(`${folder}/${name}.md`);
      if (!source) return { type: "error", message: `${call.name}: no ${folder}/${name}.md in the content folder` };
      return { type: "include", sources: [source], dropVersionNotes: versioned && call.params.withVersioning !== "true" };
    },
  });
  defs.set("cs-module", include("client-server-api/modules", false));
  defs.set("rver-fragment", include("rooms/fragments", true));

  const named = (what: string, known: ReadonlySet<string>, value: string | undefined, param: string, call: ShortcodeCall) => {
    if (!value) return `${call.name} needs ${param}="…"`;
    if (known.has(value)) return undefined;
    const near = closest(value, known);
    return `${call.name}: no ${what} ${value}${near ? `; did you mean ${near}?` : ""}`;
  };
  defs.set("event", {
    expand(call) {
      const unknown = unknownParams(call, ["event", "title", "desired_example_name"]);
      if (unknown) return unknown;
      const problem = named("event schema", site.events, call.params.event, "event", call);
      if (problem) return { type: "error", message: problem };
      return {
        type: "block",
        name: site.blockNames.event(call.params.event),
        options: blockOptions(call, { title: "title", desired_example_name: "example" }),
      };
    },
  });
  defs.set("http-api", {
    expand(call) {
      const unknown = unknownParams(call, ["spec", "api", "anchor_base"]);
      if (unknown) return unknown;
      const { spec, api } = call.params;
      const problem = named("API document", site.apis, spec && api ? `${spec}/${api}` : undefined, 'spec="…" api', call);
      if (problem) return { type: "error", message: problem };
      return { type: "block", name: site.blockNames.api(spec, api), options: blockOptions(call, { anchor_base: "anchor" }) };
    },
  });
  defs.set("definition", {
    expand(call) {
      const unknown = unknownParams(call, ["path", "compact"]);
      if (unknown) return unknown;
      const problem = named("definition", site.definitions, call.params.path, "path", call);
      if (problem) return { type: "error", message: problem };
      return { type: "block", name: site.blockNames.definition(call.params.path), options: {} };
    },
  });
  defs.set("event-fields", {
    expand(call) {
      const unknown = unknownParams(call, ["event_type"]);
      if (unknown) return unknown;
      const problem = named("core event schema", site.coreEvents, call.params.event_type, "event_type", call);
      if (problem) return { type: "error", message: problem };
      return { type: "block", name: site.blockNames.coreEvent(call.params.event_type), options: {} };
    },
  });
  defs.set("event-group", {
    expand(call) {
      const unknown = unknownParams(call, ["group_name"]);
      if (unknown) return unknown;
      const prefix = call.params.group_name;
      if (!prefix) return { type: "error", message: 'event-group needs group_name="…"' };
      if (![...site.events].some((e) => e.startsWith(prefix)))
        return { type: "error", message: `event-group: no event name starts with ${prefix}` };
      return { type: "block", name: site.blockNames.group([`${globEscape(prefix)}*`]), options: {} };
    },
  });
  defs.set("msgtypes", {
    expand(call) {
      const unknown = unknownParams(call, []);
      if (unknown) return unknown;
      const order = site.msgtypes ?? { first: [], excluded: [] };
      const patterns = [...order.first, `${order.prefix ?? "m.room.message$"}*`, ...order.excluded.map((e) => `!${e}`)];
      return { type: "block", name: site.blockNames.group(patterns), options: {} };
    },
  });
  defs.set("diagram", {
    expand(call, context) {
      const { name, alt } = call.params;
      if (!name) return { type: "error", message: 'diagram needs name="…"' };
      const file = site.diagram(name);
      if (!file) return { type: "error", message: `diagram: no diagrams/${name}.png in assets/ or static/` };
      return {
        type: "html",
        html: `<figure class="diagram"><img src="${esc(site.href(file, context))}" alt="${esc(alt ?? "")}"></figure>\n`,
      };
    },
  });
  defs.set("sas-emojis", {
    expand() {
      const data = site.dataFile("data-definitions/sas-emoji.json")?.value;
      if (!Array.isArray(data)) return { type: "error", message: "sas-emojis: data-definitions/sas-emoji.json is missing or not a list" };
      const cell = (v: unknown) => `<td>${esc(typeof v === "string" || typeof v === "number" ? String(v) : "")}</td>`;
      const rows = data.map((e) => {
        const entry = (typeof e === "object" && e !== null ? e : {}) as Record<string, unknown>;
        return `<tr>${cell(entry.number)}${cell(entry.emoji)}${cell(entry.unicode)}${cell(entry.description)}</tr>`;
      });
      return {
        type: "html",
        html: `<table class="sas-emojis">\n<thead><tr><th>Number</th><th>Emoji</th><th>Unicode</th><th>Description</th></tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>\n`,
      };
    },
  });
  defs.set("proposal-tables", { expand: () => proposalTables(site) });
  defs.set("changelog/changelogs", {
    expand: (_call, context) => ({
      type: "include",
      sources: site.bundleResources(context),
      dropVersionNotes: false,
      before: site.unreleasedChangelog,
    }),
  });
  defs.set("changelog/changelog-description", {
    expand() {
      return {
        type: "html",
        html: site.version
          ? `<p>This is version <strong>v${esc(site.version)}</strong> of the specification.</p>\n`
          : "<p>This is the <strong>unstable</strong> version of the specification.</p>\n",
      };
    },
  });
  return { get: (name) => defs.get(name), names: () => defs.keys() };
}

/** The tables of MSCs by state, from `data/msc/proposals.json` when the repository has it; else a stated placeholder. */
function proposalTables(site: HugoSite): Expansion {
  const states = site.dataFile("data/msc/proposals.json")?.value;
  if (!Array.isArray(states)) {
    return {
      type: "html",
      html: '<p class="placeholder"><strong>The tables of proposals are not in this build.</strong> The published site makes them from data fetched from GitHub at build time (<code>data/msc/proposals.json</code>), which this repository does not hold.</p>\n',
      warning: "proposal-tables: data/msc/proposals.json is fetched online by the published build; a placeholder is shown",
    };
  }
  const text = (v: unknown) => esc(typeof v === "string" || typeof v === "number" ? String(v) : "");
  const url = (v: unknown) => (typeof v === "string" && /^https?:\/\//.test(v) ? esc(v) : "");
  const html = states.map((s) => {
    const state = (s ?? {}) as Record<string, unknown>;
    const proposals = Array.isArray(state.proposals) ? state.proposals : [];
    const head = `<h3 id="${text(state.label)}" class="proposal-table-title">${text(state.title)}</h3>\n`;
    if (proposals.length === 0) return `${head}<p>No MSCs are currently in this state.</p>\n`;
    const rows = proposals.map((p) => {
      const m = (p ?? {}) as Record<string, unknown>;
      const docs = (Array.isArray(m.documentation) ? m.documentation : []).map((d, i) => `<a href="${url(d)}">${i + 1}</a>`).join(", ");
      const authors = (Array.isArray(m.authors) ? m.authors : [])
        .map((a) => `<a href="https://github.com/${text(a)}">@${text(a)}</a>`)
        .join(", ");
      const shepherd = m.shepherd ? `<a href="https://github.com/${text(m.shepherd)}">@${text(m.shepherd)}</a>` : "";
      return `<tr><td><a href="${url(m.url)}">${text(m.number)}</a></td><td>${text(m.title)}</td><td>${text(m.created_at)}</td><td>${text(m.updated_at)}</td><td>${docs}</td><td>${authors}</td><td>${shepherd}</td></tr>`;
    });
    return `${head}<table class="msc-table">\n<thead><tr><th>MSC</th><th>Title</th><th>Created at</th><th>Updated at</th><th>Docs</th><th>Author</th><th>Shepherd</th></tr></thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>\n`;
  });
  return { type: "html", html: html.join("") };
}

/** An error naming the parameters a shortcode does not take (its template would ignore them: a typo, most likely). */
function unknownParams(call: ShortcodeCall, known: readonly string[]): Expansion | undefined {
  const extra = [...Object.keys(call.params), ...call.positional.map((p) => `"${p}"`)].filter((k) => !known.includes(k));
  if (extra.length === 0) return undefined;
  return {
    type: "error",
    message: `${call.name} takes no parameter ${extra.join(", ")}${known.length ? ` (it takes ${known.join(", ")})` : ""}`,
  };
}

/** The shortcode's parameters that a block takes, under the block's names for them (`desired_example_name` → `example`). */
function blockOptions(call: ShortcodeCall, names: Record<string, string>): Record<string, string> {
  const options: Record<string, string> = {};
  for (const [param, option] of Object.entries(names)) if (call.params[param] !== undefined) options[option] = call.params[param];
  return options;
}

function globEscape(s: string): string {
  return s.replace(/[*!]/g, "");
}

function closest(value: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(value.length / 4)) + 1;
  for (const candidate of known) {
    const d = editDistance(value, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
