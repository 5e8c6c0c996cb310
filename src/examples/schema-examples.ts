/**
 * Examples written inside schemas: every `example` (OpenAPI, Swagger) and
 * every item of `examples` (JSON Schema draft-06 and later) is validated
 * against the schema node it is written on, so that a part's example is held
 * to the part and not to the whole (the 2020 sources write such examples).
 *
 * Each file's own nodes are walked once, from its schema roots: a `$ref` is
 * followed only while it stays in the file, since the file it leads to is
 * walked on its own. So an example is reported once however many schemas
 * reach it.
 */
import type { Diagnostic } from "../diagnostics.js";
import type { Spec } from "../load/index.js";
import { escapePointer, origins, type Source } from "../load/source.js";
import { isObject, resolvePointer, type SchemaObject } from "../schema/resolve.js";
import { subschemas } from "../schema/walk.js";
import { ExampleMerger } from "./merge.js";
import type { Draft, Validators } from "./validate.js";

/**
 * Validates the examples written in `source`'s schemas, walked from each
 * pointer of `roots` (`""`: the file is one schema). `checked`: nodes whose
 * own `example` is validated elsewhere (a Swagger 2.0 parameter or header is
 * its own schema, and its example is read as request text).
 */
export function schemaExamples(
  spec: Spec,
  source: Source,
  roots: readonly string[],
  draft: Draft,
  validators: Validators,
  checked: ReadonlySet<string> = new Set(),
): Diagnostic[] {
  if (source.value === undefined) return [];
  const merger = new ExampleMerger(spec);
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<object>();
  const validate = (schemaPointer: string, examplePointer: string) => {
    const value = merger.mergeAt(source, examplePointer);
    if (value === undefined) return;
    diagnostics.push(...validators.validate(source, source, value, { pointer: schemaPointer, draft }, examplePointer));
  };
  const walk = (node: SchemaObject, pointer: string) => {
    if (seen.has(node)) return;
    seen.add(node);
    if ("example" in node && !checked.has(pointer)) validate(pointer, `${pointer}/example`);
    // `examples` is a keyword from draft-06 on; in a draft-04 (Swagger, OpenAPI 3.0) schema it is not one.
    if (draft !== "04" && Array.isArray(node.examples)) {
      for (let i = 0; i < node.examples.length; i++) validate(pointer, `${pointer}/examples/${i}`);
    }
    for (const sub of subschemas(node)) walk(sub.node, pointer + sub.path);
    const target = typeof node.$ref === "string" ? validators.refTargetOf(node) : undefined;
    const origin = isObject(target) ? origins.get(target) : undefined;
    if (isObject(target) && origin?.source === source) walk(target, origin.pointer);
  };
  for (const root of roots) {
    const node = resolvePointer(source.value, root);
    if (isObject(node)) walk(node, root);
  }
  diagnostics.push(...merger.diagnostics);
  return diagnostics;
}

/** The schema roots of an API document: where its operations' schemas are, and its named schemas. */
export function documentSchemaRoots(
  document: SchemaObject,
  nodes: readonly { source: Source; pointer: string }[],
  source: Source,
): string[] {
  const roots = nodes.filter((n) => n.source === source).map((n) => n.pointer);
  const named = (pointer: string) => {
    const map = resolvePointer(document, pointer);
    if (isObject(map)) for (const key of Object.keys(map)) roots.push(`${pointer}/${escapePointer(key)}`);
  };
  named("/components/schemas");
  named("/definitions");
  return [...new Set(roots)];
}
