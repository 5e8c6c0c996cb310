/** Finding `$ref`s in parsed values and naming their targets. */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { escapePointer } from "./source.js";

export interface RefSite {
  /** Pointer of the object holding the `$ref`. */
  pointer: string;
  ref: string;
}

export type RefTarget =
  | { kind: "file"; path: string; fragment: string }
  | { kind: "network"; url: string }
  | { kind: "unsupported"; url: string };

/** Every `$ref` string in a value, in document order. */
export function findRefs(value: unknown): RefSite[] {
  const sites: RefSite[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown, pointer: string) => {
    if (typeof node !== "object" || node === null || seen.has(node)) return;
    seen.add(node);
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === "string" && !Array.isArray(node)) sites.push({ pointer, ref });
    for (const [key, child] of Object.entries(node)) walk(child, `${pointer}/${escapePointer(key)}`);
  };
  walk(value, "");
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
