/**
 * The 2020 Matrix spec repository as it is (matrix-doc before Hugo): its
 * reStructuredText pages assembled into documents by
 * `specification/targets.yaml` (targets.ts), `%NAME%` release labels as
 * gendoc.py substituted them (`unstable` by default), ids as docutils makes
 * them. A page that no target includes is still read and checked, at its own
 * path, with a warning (the 2020 build never rendered it); a file whose name
 * starts with `_` is a template for authors, not a page.
 */

import path from "node:path";
import type MarkdownIt from "markdown-it";
import type { Config } from "../../config.js";
import { type Diagnostic, warning } from "../../diagnostics.js";
import type { Source } from "../../load/source.js";
import { makeId } from "../../pages/rst/nodes.js";
import { type ApiRow, apisBlock } from "../../render/blocks/apis.js";
import { changelogBlocks } from "../../render/blocks/changelog.js";
import type { BlockKind } from "../../render/blocks/registry.js";
import { sasEmojiBlock } from "../../render/blocks/sas-emoji.js";
import { unstableWarningBlocks } from "../../render/blocks/unstable-warning.js";
import { existsSync } from "../../trace.js";
import type { Layout, PageSource } from "../layout.js";
import { gitVersion, readRepository } from "./repository.js";
import { readTargets, type Target } from "./targets.js";

const TARGETS = "targets.yaml";

/** gendoc.py's substitutions, with its defaults: every release label `unstable`, the client major version `r0`. */
export const RELEASE_SUBSTITUTIONS: Readonly<Record<string, string>> = {
  CLIENT_RELEASE_LABEL: "unstable",
  CLIENT_MAJOR_VERSION: "r0",
  SERVER_RELEASE_LABEL: "unstable",
  APPSERVICE_RELEASE_LABEL: "unstable",
  IDENTITY_RELEASE_LABEL: "unstable",
  PUSH_GATEWAY_RELEASE_LABEL: "unstable",
};

export const matrix2020Layout: Layout = {
  name: "matrix-2020",
  detect: (root) => existsSync(path.join(root, "specification", TARGETS)),
  settings: () => ({ title: "Matrix Specification", substitutions: { ...RELEASE_SUBSTITUTIONS } }),
  isPageFile: (file) => file.endsWith(".rst") || path.basename(file) === TARGETS,
  pages,
  anchor: makeId,
  blocks,
};

/** The 2020 index page's table of APIs (scripts/templating's load_apis): the targets it lists, by name. */
const API_TABLE: readonly { target: string; title: string; description: string }[] = [
  { target: "client_server", title: "Client-Server API", description: "Interaction between clients and servers" },
  { target: "server_server", title: "Server-Server API", description: "Federation between servers" },
  { target: "application_service", title: "Application Service API", description: "Privileged server plugins" },
  { target: "identity_service", title: "Identity Service API", description: "Mapping of third party IDs to Matrix IDs" },
  { target: "push_gateway", title: "Push Gateway API", description: "Push notifications for Matrix events" },
];

/** Per configuration: the targets its pages were made from. */
const known = new WeakMap<Config, { targets: Target[] }>();

function blocks(config: Config, md: MarkdownIt, diagnostics: Diagnostic[]): BlockKind[] {
  const state = known.get(config) ?? { targets: [] };
  // Read at every render (a few dozen small files), so that the preview shows an edited newsfragment.
  const data = readRepository(config.root, diagnostics);
  const byName = new Map(state.targets.map((t) => [t.name, t]));
  const rows: ApiRow[] = [];
  for (const api of API_TABLE) {
    const target = byName.get(api.target);
    if (target) rows.push({ title: api.title, out: target.out, version: target.label ?? "", description: api.description });
  }
  const kinds = [
    unstableWarningBlocks(md, config.substitutions),
    apisBlock(md, rows),
    changelogBlocks(md, data.changelogs, (name) => byName.get(name)?.label ?? "unstable"),
  ];
  if (data.sasEmoji) kinds.push(sasEmojiBlock(md, data.sasEmoji));
  return kinds;
}

function pages(config: Config, files: readonly Source[], diagnostics: Diagnostic[]): PageSource[] {
  const byRel = new Map<string, Source>();
  for (const source of files) byRel.set(path.relative(config.pages, source.path).split(path.sep).join("/"), source);
  const targetsSource = byRel.get(TARGETS);
  const substitute = (text: string) => substituted(text, config.substitutions);
  const { targets, titleStyles, relativeStyles } = targetsSource
    ? readTargets(targetsSource, substitute, diagnostics)
    : { targets: [], titleStyles: [], relativeStyles: {} };
  known.set(config, { ...known.get(config), targets });
  const used = new Set<string>();
  const out: PageSource[] = [];
  targets.forEach((target, order) => {
    const parts: PageSource["parts"] = [];
    for (const { file, shift } of target.files) {
      const source = byRel.get(file);
      if (!source) {
        diagnostics.push(
          warning(
            "target-file-missing",
            `target "${target.name}" names ${file}, which is not a page of ${path.relative(config.root, config.pages) || "."}`,
            { file: targetsSource?.rel },
          ),
        );
        continue;
      }
      used.add(file);
      parts.push({ source: withSubstitutions(source, config), shift });
    }
    if (parts.length > 0)
      out.push({ out: target.out, parts, format: "rst", order, headingStyles: { levels: titleStyles, relative: relativeStyles } });
  });
  for (const [rel, source] of byRel) {
    if (rel === TARGETS || used.has(rel) || path.posix.basename(rel).startsWith("_")) continue;
    diagnostics.push(
      warning(
        "page-not-in-target",
        `${rel} is in no target of ${TARGETS}: the 2020 build never rendered it; it is checked and written at its own path`,
        {
          file: source.rel,
          line: 1,
          column: 1,
        },
      ),
    );
    out.push({
      out: rel.replace(/\.rst$/, ".html"),
      parts: [{ source: withSubstitutions(source, config), shift: 0 }],
      format: "rst",
      order: targets.length + 1,
      headingStyles: { levels: titleStyles, relative: relativeStyles },
    });
  }
  return out;
}

const VARIABLE = /%([A-Z][A-Z0-9_]*)%/g;
/** `{{git_version}}` and `{{git_rev}}`, which the pages write inside text and links, not on lines of their own. */
const GIT_VARIABLE = /\{\{\s*(git_version|git_rev)\s*\}\}/g;

function substituted(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : whole));
}

/** The git version of each configuration's root, found once. */
const gitVersions = new WeakMap<Config, { version: string; revision: string }>();
function gitOf(config: Config): { version: string; revision: string } {
  let git = gitVersions.get(config);
  if (!git) {
    git = gitVersion(config.root);
    gitVersions.set(config, git);
  }
  return git;
}

/**
 * The page with `%NAME%` and the git variables replaced in its text (lines
 * stay where they were); the same object while the source and values are.
 */
const derived = new WeakMap<Source, { key: string; source: Source }>();
function withSubstitutions(source: Source, config: Config): Source {
  if (!source.text.includes("%") && !source.text.includes("{{")) return source;
  const git = gitOf(config);
  const key = JSON.stringify([config.substitutions, git]);
  const known = derived.get(source);
  if (known?.key === key) return known.source;
  const text = substituted(source.text, config.substitutions).replace(GIT_VARIABLE, (_, name: string) =>
    name === "git_rev" ? git.revision : git.version,
  );
  const copy = { ...source, text };
  derived.set(source, { key, source: copy });
  return copy;
}
