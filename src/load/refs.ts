/** Finding `$ref`s in parsed values and naming their targets. */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { EXAMPLE_KEYS, NAMING_KEYS } from "./example-pointer.js";
import { joinPointer } from "./source.js";

export interface RefSite {
  /** Pointer of the object holding the `$ref`. */
  pointer: string;
  ref: string;
  /** Whether the pointer lies inside an example (`/responses/200/examples/application~1json/...`), not a schema. */
  inExample: boolean;
}

export type RefTarget =
  | { kind: "file"; path: string; fragment: string }
  | { kind: "network"; url: string }
  | { kind: "unsupported"; url: string };

const found = new WeakMap<object, RefSite[]>();

/**
 * Every `$ref` string in a value, in document order; found once per value
 * (a loaded value does not change). `shares` says whether a node may be met
 * twice (YAML aliases); a tree needs no record of the nodes met.
 */
export function findRefs(value: unknown, shares = true): RefSite[] {
  if (typeof value !== "object" || value === null) return [];
  const known = found.get(value);
  if (known) return known;
  const sites: RefSite[] = [];
  const seen = shares ? new Set<object>() : undefined;
  const keys: string[] = [];
  const walk = (node: unknown, inExample: boolean) => {
    if (typeof node !== "object" || node === null || seen?.has(node)) return;
    seen?.add(node);
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === "string" && !Array.isArray(node)) sites.push({ pointer: joinPointer(keys), ref, inExample });
    // Under `example(s)` is an example, unless the key names a property or definition.
    const naming = keys.length > 0 && NAMING_KEYS.has(keys[keys.length - 1]);
    for (const key of Object.keys(node)) {
      keys.push(key);
      walk((node as Record<string, unknown>)[key], inExample || (EXAMPLE_KEYS.has(key) && !naming));
      keys.pop();
    }
  };
  walk(value, false);
  found.set(value, sites);
  return sites;
}

const targets = new Map<string, RefTarget>();

/** Where a `$ref` written in `fromFile` points. A bare `#...` points into `fromFile`. */
export function refTarget(fromFile: string, ref: string): RefTarget {
  // Only the folder matters, except for refs into the same file; few distinct pairs exist.
  const key = `${ref.startsWith("#") ? fromFile : path.dirname(fromFile)}\n${ref}`;
  let target = targets.get(key);
  if (!target) {
    target = computeTarget(fromFile, ref);
    targets.set(key, target);
  }
  return target;
}

function computeTarget(fromFile: string, ref: string): RefTarget {
  let url: URL;
  try {
    url = new URL(ref, pathToFileURL(fromFile));
  } catch {
    return { kind: "unsupported", url: ref };
  }
  if (url.protocol === "http:" || url.protocol === "https:") return { kind: "network", url: url.href };
  if (url.protocol !== "file:") return { kind: "unsupported", url: url.href };
  try {
    const fragment = decodeURIComponent(url.hash.replace(/^#/, ""));
    url.hash = "";
    return { kind: "file", path: path.normalize(fileURLToPath(url)), fragment };
  } catch {
    // A malformed %-escape, or a file URL naming a host (`//host/x`).
    return { kind: "unsupported", url: url.href };
  }
}
