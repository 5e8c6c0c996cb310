/**
 * Hyperlink targets and substitution definitions written in descriptions
 * (`.. _name: url`, `.. |/sync| replace:: ...` in an API document). The 2020
 * templates wrote every description into its document's text, so docutils
 * let a definition in one description serve a reference in another; here
 * they serve every RST page's descriptions. Each data file is scanned once
 * (kept by its Source object).
 */
import type { Source } from "../../load/source.js";
import type { Block, RstDocument, SubstitutionDefinition } from "./nodes.js";
import { parseDocument } from "./parse.js";

interface Found {
  targets: Block[];
  substitutions: [string, SubstitutionDefinition][];
}

const scanned = new WeakMap<Source, Found>();
const DEFINITION = /(?:^|\n)[ \t]*\.\. +(?:_|\|)/;

export function descriptionDefinitions(sources: Iterable<Source>): RstDocument {
  const blocks: Block[] = [];
  const substitutions = new Map<string, SubstitutionDefinition>();
  for (const source of sources) {
    if (source.kind !== "data" || !DEFINITION.test(source.text)) continue;
    let found = scanned.get(source);
    if (!found) {
      found = scan(source.value);
      scanned.set(source, found);
    }
    blocks.push(...found.targets);
    for (const [name, definition] of found.substitutions) if (!substitutions.has(name)) substitutions.set(name, definition);
  }
  return { blocks, substitutions };
}

function scan(value: unknown): Found {
  const found: Found = { targets: [], substitutions: [] };
  const seen = new Set<object>();
  const walk = (node: unknown) => {
    if (typeof node === "string") {
      if (!DEFINITION.test(node)) return;
      const { document } = parseDocument([{ text: node, shift: 0, firstLine: 0 }]);
      // A target naming its own place (`.. _name:`) is an id where its description is shown: `#name` on the same document, as docutils had it.
      found.targets.push(...document.blocks.filter((b) => b.kind === "target" && !b.anonymous));
      found.substitutions.push(...document.substitutions);
      return;
    }
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    for (const child of Array.isArray(node) ? node : Object.values(node)) walk(child);
  };
  walk(value);
  return found;
}
