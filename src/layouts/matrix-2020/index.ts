/**
 * The 2020 Matrix spec repository as it is (matrix-doc before Hugo): its
 * reStructuredText pages assembled into documents by
 * `specification/targets.yaml` (targets.ts), `%NAME%` release labels as
 * gendoc.py substituted them (`unstable` by default), ids as docutils makes
 * them. A page that no target includes is still read and checked, at its own
 * path, with a warning (the 2020 build never rendered it); a file whose name
 * starts with `_` is a template for authors, not a page.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Config } from "../../config.js";
import { type Diagnostic, warning } from "../../diagnostics.js";
import type { Source } from "../../load/source.js";
import { makeId } from "../../pages/rst/nodes.js";
import type { Layout, PageSource } from "../layout.js";
import { readTargets } from "./targets.js";

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
};

function pages(config: Config, files: readonly Source[], diagnostics: Diagnostic[]): PageSource[] {
  const byRel = new Map<string, Source>();
  for (const source of files) byRel.set(path.relative(config.pages, source.path).split(path.sep).join("/"), source);
  const targetsSource = byRel.get(TARGETS);
  const substitute = (text: string) => substituted(text, config.substitutions);
  const { targets, titleStyles, relativeStyles } = targetsSource
    ? readTargets(targetsSource, substitute, diagnostics)
    : { targets: [], titleStyles: [], relativeStyles: {} };
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
      parts.push({ source: withSubstitutions(source, config.substitutions), shift });
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
      parts: [{ source: withSubstitutions(source, config.substitutions), shift: 0 }],
      format: "rst",
      order: targets.length + 1,
      headingStyles: { levels: titleStyles, relative: relativeStyles },
    });
  }
  return out;
}

const VARIABLE = /%([A-Z][A-Z0-9_]*)%/g;

function substituted(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(VARIABLE, (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : whole));
}

/** The page with `%NAME%` replaced in its text (lines stay where they were); the same object while the source and values are. */
const derived = new WeakMap<Source, { values: Readonly<Record<string, string>>; source: Source }>();
function withSubstitutions(source: Source, values: Readonly<Record<string, string>>): Source {
  if (!source.text.includes("%")) return source;
  const known = derived.get(source);
  if (known?.values === values) return known.source;
  const copy = { ...source, text: substituted(source.text, values) };
  derived.set(source, { values, source: copy });
  return copy;
}
