/**
 * Checks every `$ref` of the schema files before anything follows them, and
 * tells what each one names: a `$ref` that is not a string, that names
 * nothing, or that closes a loop is reported (at its own line) and left out
 * (of the copies the resolver dereferences, and by the validator). A loop here is
 * a chain of `$ref`/`allOf`/`anyOf`/… that comes back to the same schema
 * without descending into a property or item: no value can be validated
 * against it (the validator would recurse forever) and it cannot be merged.
 * A schema that contains itself through a property or item is recursion, and
 * legal. (A network `$ref` the config allows is kept, for json-schema-ref-parser
 * to fetch.)
 */
import path from "node:path";
import { type Diagnostic, error } from "../diagnostics.js";
import type { Spec } from "../load/index.js";
import { refTargetAt } from "../load/index.js";
import { findRefs, refTarget } from "../load/refs.js";
import { at, origins, type Source } from "../load/source.js";
import { isObject, resolvePointer, type SchemaObject } from "./resolve.js";
import { eachSchemaNode, sameValueSubschemas } from "./walk.js";

export interface CheckedSchemas {
  /** Every object holding a `$ref` → the schema it names, or undefined when the `$ref` is left out (a network `$ref` is not here). */
  refs: Map<object, unknown>;
  /** The files checked, and how to copy their values for dereferencing (see copyWithOrigins). */
  copy: { files: ReadonlySet<string>; dropped: ReadonlySet<object>; rewritten: ReadonlyMap<object, string> };
  diagnostics: Diagnostic[];
}

export function checkSchemaRefs(spec: Spec, files: readonly Source[]): CheckedSchemas {
  const diagnostics: Diagnostic[] = [];
  /** Objects whose `$ref` is left out of the copies. */
  const dropped = new Set<object>();
  /** Objects whose `$ref` resolves → its target. */
  const targets = new Map<object, unknown>();
  /** Objects whose `$ref` is read the 2020 pipeline's way (Spec.redirects) → the `$ref` as it should be written. */
  const rewritten = new Map<object, string>();

  for (const source of files) {
    if (source.value === undefined) continue;
    for (const site of findRefs(source.value)) {
      const holder = resolvePointer(source.value, site.pointer) as object;
      const redirect = spec.redirects.get(`${source.path}#${site.pointer}`);
      if (redirect?.kind === "file") {
        const rel = path.relative(path.dirname(source.path), redirect.path).split(path.sep).join("/");
        rewritten.set(holder, `${rel}${redirect.fragment ? `#${redirect.fragment}` : ""}`);
      }
      const target = refTargetValue(spec, source, site.pointer, site.ref, diagnostics);
      if (target !== undefined) targets.set(holder, target);
      else if (!(spec.config.allowNetworkRefs && refTarget(source.path, site.ref).kind === "network")) dropped.add(holder);
    }
    for (const node of nonStringRefs(source.value)) {
      const origin = origins.get(node);
      diagnostics.push(
        error("ref-invalid", "$ref must be a string (a property named $ref is not supported)", {
          ...at(source, `${origin?.pointer ?? ""}/$ref`),
          pointer: origin?.pointer,
        }),
      );
      dropped.add(node);
    }
  }
  for (const node of findLoops(files, targets, diagnostics)) dropped.add(node);

  const refs = new Map<object, unknown>(targets);
  for (const node of dropped) refs.set(node, undefined);
  const checked = new Set(files.filter((s) => s.value !== undefined).map((s) => s.path));
  return { refs, copy: { files: checked, dropped, rewritten }, diagnostics };
}

/**
 * What a `$ref` points to, or undefined when it points to nothing usable. Refs
 * the load stage refused or could not load were reported there; a missing
 * pointer or a fragment that is not a pointer is reported here.
 */
function refTargetValue(spec: Spec, source: Source, pointer: string, ref: string, diagnostics: Diagnostic[]): unknown {
  const target = refTargetAt(spec, source, pointer, ref);
  if (target.kind !== "file") return undefined;
  const targetSource = spec.sources.get(target.path);
  if (!targetSource || targetSource.value === undefined) return undefined;
  const where = () => ({ ...at(source, `${pointer}/$ref`), pointer });
  if (target.fragment && !target.fragment.startsWith("/")) {
    diagnostics.push(error("ref-unsupported", `$ref "${ref}": only JSON pointer fragments (#/...) are supported`, where()));
    return undefined;
  }
  const value = resolvePointer(targetSource.value, target.fragment);
  if (value === undefined) {
    diagnostics.push(error("ref-missing-pointer", `$ref "${ref}": ${targetSource.rel} has nothing at ${target.fragment}`, where()));
  }
  return value;
}

function nonStringRefs(value: unknown): object[] {
  const out: object[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown) => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    if (!Array.isArray(node) && "$ref" in node && typeof (node as { $ref: unknown }).$ref !== "string") out.push(node);
    for (const child of Object.values(node)) walk(child);
  };
  walk(value);
  return out;
}

/**
 * Depth-first search over "applies to the same value" edges (`$ref`, `allOf`,
 * `anyOf`, `oneOf`, `not`, `if`/`then`/`else`, `dependentSchemas`). Reports
 * each `$ref` that closes a loop and returns the objects holding them.
 */
function findLoops(files: readonly Source[], targets: ReadonlyMap<object, unknown>, diagnostics: Diagnostic[]): object[] {
  const closing: object[] = [];
  const state = new Map<object, "open" | "done">();
  const edges = (node: SchemaObject): SchemaObject[] => {
    const out = sameValueSubschemas(node);
    const target = targets.get(node);
    if (isObject(target)) out.push(target);
    return out;
  };
  for (const source of files) {
    eachSchemaNode(source.value, (start) => {
      if (state.has(start)) return;
      // An explicit stack: a long chain of $refs must not overflow the call stack.
      const stack: { node: SchemaObject; next: SchemaObject[] }[] = [{ node: start, next: edges(start) }];
      state.set(start, "open");
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        const child = frame.next.shift();
        if (!child) {
          state.set(frame.node, "done");
          stack.pop();
          continue;
        }
        const seen = state.get(child);
        if (seen === "done") continue;
        if (seen === "open") {
          // Only a $ref can lead back up: the edge frame.node → child is its $ref.
          const path = stack.slice(stack.findIndex((f) => f.node === child)).map((f) => f.node);
          diagnostics.push(loopError(frame.node, [...path, child]));
          closing.push(frame.node);
          continue;
        }
        state.set(child, "open");
        stack.push({ node: child, next: edges(child) });
      }
    });
  }
  return closing;
}

function loopError(holder: SchemaObject, path: SchemaObject[]): Diagnostic {
  const origin = origins.get(holder);
  const name = (node: object) => {
    const o = origins.get(node);
    return o ? `${o.source.rel}${o.pointer ? `#${o.pointer}` : ""}` : "?";
  };
  const chain = path.map(name).filter((n, i, all) => i === 0 || n.split("#")[0] !== all[i - 1].split("#")[0] || i === all.length - 1);
  const message = `$ref "${String(holder.$ref)}" loops back without descending into a property or item (${chain.join(" → ")}); no value can be validated against it`;
  return error("schema-ref-loop", message, origin ? { ...at(origin.source, `${origin.pointer}/$ref`), pointer: origin.pointer } : {});
}

/**
 * A deep copy of `value` without the `$ref` of the `dropped` objects. Copies
 * keep their origins, and shared nodes stay shared (in `copies`).
 */
export function copyWithOrigins(
  value: unknown,
  dropped: ReadonlySet<object> = new Set(),
  copies = new Map<object, unknown>(),
  rewritten: ReadonlyMap<object, string> = new Map(),
): unknown {
  if (typeof value !== "object" || value === null) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  copies.set(value, copy);
  origins.copy(value, copy);
  for (const [k, v] of Object.entries(value)) {
    if (k === "$ref" && dropped.has(value)) continue;
    const ref = k === "$ref" ? rewritten.get(value) : undefined;
    (copy as Record<string, unknown>)[k] = ref ?? copyWithOrigins(v, dropped, copies, rewritten);
  }
  return copy;
}
