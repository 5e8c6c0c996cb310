/**
 * The examples stage: an example object with a sibling-key `$ref` extends a base
 * example: the base's keys first, then the file's own keys win. A `$ref` to
 * something that is not an object (a JSON array, say) replaces the node.
 */
import { type Diagnostic, error } from "../diagnostics.js";
import { refTargetAt, type Spec } from "../load/index.js";
import { at, escapePointer, type Origin, origins, type Source, sharesNodes, unescapePointer } from "../load/source.js";
import { isObject, resolvePointer, setOwn } from "../schema/resolve.js";

/** For objects built by merging: where each key's value came from. */
export const keyOrigins = new WeakMap<object, Record<string, Origin>>();

export interface MergedExample {
  source: Source;
  value: unknown;
}

export class ExampleMerger {
  readonly diagnostics: Diagnostic[] = [];
  private readonly done = new Map<string, unknown>();
  private readonly active = new Set<string>();

  constructor(private readonly spec: Spec) {}

  /** The merged value of a whole file, or undefined when it cannot be built. */
  merge(source: Source): unknown {
    return this.mergeAt(source, "");
  }

  /** The merged value of the node at `pointer` of a file (an example inside an API document, say). */
  mergeAt(source: Source, pointer: string): unknown {
    const key = `${source.path}#${pointer}`;
    if (this.done.has(key)) return this.done.get(key);
    this.active.add(key);
    const value = this.node(source, resolvePointer(source.value, pointer), pointer);
    this.active.delete(key);
    this.done.set(key, value);
    return value;
  }

  private node(source: Source, node: unknown, pointer: string): unknown {
    if (typeof node !== "object" || node === null) return node;
    // A part with no `$ref` to follow merges to itself: the loader gave each of its nodes the origin a copy would get.
    if (!sharesNodes(source) && !holdsBaseRef(node)) return node;
    if (Array.isArray(node)) {
      const out = node.map((item, i) => this.node(source, item, `${pointer}/${i}`));
      origins.set(out, { source, pointer });
      return out;
    }
    const ref = (node as Record<string, unknown>).$ref;
    const out: Record<string, unknown> = {};
    const from: Record<string, Origin> = {};
    if (typeof ref === "string") {
      const base = this.base(source, ref, pointer);
      if (!isObject(base)) return base;
      const baseOrigins = keyOrigins.get(base);
      const baseOrigin = origins.get(base);
      for (const [k, v] of Object.entries(base)) {
        setOwn(out, k, v);
        const o =
          (baseOrigins && Object.hasOwn(baseOrigins, k) ? baseOrigins[k] : undefined) ??
          (baseOrigin && { source: baseOrigin.source, pointer: `${baseOrigin.pointer}/${escapePointer(k)}` });
        if (o) setOwn(from, k, o);
      }
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof ref === "string") continue;
      const at = `${pointer}/${escapePointer(k)}`;
      setOwn(out, k, this.node(source, v, at));
      setOwn(from, k, { source, pointer: at });
    }
    origins.set(out, { source, pointer });
    keyOrigins.set(out, from);
    return out;
  }

  private base(source: Source, ref: string, pointer: string): unknown {
    const target = refTargetAt(this.spec, source, pointer, ref);
    const where = () => ({ ...at(source, `${pointer}/$ref`), pointer });
    if (target.kind !== "file") return undefined; // refused by the load stage
    const baseSource = this.spec.sources.get(target.path);
    if (!baseSource) return undefined; // reported by the load stage
    if (baseSource.value === undefined) return undefined;
    if (target.fragment && resolvePointer(baseSource.value, target.fragment) === undefined) {
      this.diagnostics.push(error("ref-missing-pointer", `$ref "${ref}": ${baseSource.rel} has nothing at ${target.fragment}`, where()));
      return undefined;
    }
    if (this.active.has(`${baseSource.path}#${target.fragment}`)) {
      const looped = `${baseSource.rel}${target.fragment ? `#${target.fragment}` : ""}`;
      this.diagnostics.push(
        error("example-ref-loop", `example $ref "${ref}" loops back to ${looped}: an example cannot extend itself`, where()),
      );
      return undefined;
    }
    return this.mergeAt(baseSource, target.fragment);
  }
}

/** True when some object in `node` extends a base (has a string `$ref`). */
function holdsBaseRef(node: object): boolean {
  if (!Array.isArray(node) && typeof (node as Record<string, unknown>).$ref === "string") return true;
  for (const child of Object.values(node)) if (typeof child === "object" && child !== null && holdsBaseRef(child)) return true;
  return false;
}

/**
 * Where the value at `pointer` of a merged example was written: the file and
 * pointer of the nearest node whose origin is known, plus the rest of the path.
 */
export function originOf(root: unknown, pointer: string): Origin | undefined {
  let origin = typeof root === "object" && root !== null ? origins.get(root) : undefined;
  let node: unknown = root;
  const tokens = pointer === "" ? [] : pointer.slice(1).split("/");
  for (const token of tokens) {
    if (!origin) return undefined;
    const byKey = typeof node === "object" && node !== null ? keyOrigins.get(node)?.[unescapePointer(token)] : undefined;
    node = typeof node === "object" && node !== null ? (node as Record<string, unknown>)[unescapePointer(token)] : undefined;
    const own = typeof node === "object" && node !== null ? origins.get(node) : undefined;
    origin = own ?? byKey ?? { source: origin.source, pointer: `${origin.pointer}/${token}` };
  }
  return origin;
}
