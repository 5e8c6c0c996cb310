/** The layouts specgen reads, in the order they are tried on a root; specgen's own, which takes any root, last. */
import { hugoLayout } from "./hugo/index.js";
import type { Layout } from "./layout.js";
import { matrix2020Layout } from "./matrix-2020/index.js";
import { specgenLayout } from "./specgen.js";

export const LAYOUTS: readonly Layout[] = [matrix2020Layout, hugoLayout, specgenLayout];

/** The layout of `root` (absolute, a folder): the one named, else the first that recognises it. */
export function findLayout(root: string, name?: string): Layout | undefined {
  if (name !== undefined) return LAYOUTS.find((l) => l.name === name);
  return LAYOUTS.find((l) => l.detect(root));
}
