/**
 * The meta-schema of each draft, for checking schema files with interpret.ts:
 * the published documents as ajv and ajv-draft-04 ship them, read once per
 * draft when a schema of that draft is first checked, with the table of their
 * `$ref`s. In the 2019-09 and 2020-12 meta-schemas every `$recursiveRef` and
 * `$dynamicRef` names the dialect's root (the outermost schema with the
 * anchor, where checking starts), so the table sends them there.
 */
import { createRequire } from "node:module";
import { isObject, resolvePointer, type SchemaObject } from "../schema/resolve.js";
import type { Draft } from "./interpret.js";

const require = createRequire(import.meta.url);

const VOCABULARIES_2019 = ["core", "applicator", "validation", "meta-data", "format", "content"];
const VOCABULARIES_2020 = ["core", "applicator", "unevaluated", "validation", "meta-data", "format-annotation", "content"];

/** Each draft's documents, its root first. */
const DOCUMENTS: Record<Draft, readonly string[]> = {
  "04": ["ajv-draft-04/dist/refs/json-schema-draft-04.json"],
  "07": ["ajv/dist/refs/json-schema-draft-07.json"],
  "2019": [
    "ajv/dist/refs/json-schema-2019-09/schema.json",
    ...VOCABULARIES_2019.map((v) => `ajv/dist/refs/json-schema-2019-09/meta/${v}.json`),
  ],
  "2020": [
    "ajv/dist/refs/json-schema-2020-12/schema.json",
    ...VOCABULARIES_2020.map((v) => `ajv/dist/refs/json-schema-2020-12/meta/${v}.json`),
  ],
};

export interface MetaSchema {
  root: SchemaObject;
  /** Object holding a `$ref`, `$recursiveRef` or `$dynamicRef` → the schema it names. */
  refs: Map<object, unknown>;
}

const loaded = new Map<Draft, MetaSchema>();

export function metaSchema(draft: Draft): MetaSchema {
  let meta = loaded.get(draft);
  if (!meta) {
    const documents = DOCUMENTS[draft].map((file) => require(file) as SchemaObject);
    const byUrl = new Map(documents.map((d) => [withoutFragment(String(d.$id ?? d.id)), d]));
    const root = documents[0];
    const refs = new Map<object, unknown>();
    for (const document of documents) {
      const base = withoutFragment(String(document.$id ?? document.id));
      for (const node of objects(document)) {
        if (typeof node.$recursiveRef === "string" || typeof node.$dynamicRef === "string") refs.set(node, root);
        if (typeof node.$ref !== "string") continue;
        const url = new URL(node.$ref, base);
        const target = resolvePointer(byUrl.get(withoutFragment(url.href)), decodeURIComponent(url.hash.slice(1)));
        if (target === undefined) throw new Error(`the draft ${draft} meta-schema's $ref ${node.$ref} names nothing`);
        refs.set(node, target);
      }
    }
    meta = { root, refs };
    loaded.set(draft, meta);
  }
  return meta;
}

function withoutFragment(url: string): string {
  const hash = url.indexOf("#");
  return hash === -1 ? url : url.slice(0, hash);
}

/** Every object in a JSON value, outermost first. */
export function objects(value: unknown, out: SchemaObject[] = []): SchemaObject[] {
  if (Array.isArray(value)) for (const item of value) objects(item, out);
  else if (isObject(value)) {
    out.push(value);
    for (const child of Object.values(value)) objects(child, out);
  }
  return out;
}
