/** The layouts specgen reads, in the order they are tried on a root; specgen's own, which takes any root, last. */
import { hugoLayout } from "./hugo/index.js";
import type { Layout } from "./layout.js";
import { specgenLayout } from "./specgen.js";

export const LAYOUTS: readonly Layout[] = [hugoLayout, specgenLayout];

/** The layout of `root` (absolute, a folder): the one named, else the first that recognises it. */
export function findLayout(root: string, name?: string): Layout | undefined {
  if (name !== undefined) return LAYOUTS.find((l) => l.name === name);
  return LAYOUTS.find((l) => l.detect(root));
}
