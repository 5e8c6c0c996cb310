/** KaTeX, for the maths of RST and Hugo pages. */
import { createRequire } from "node:module";
import type Katex from "katex";

const require = createRequire(import.meta.url);

let katexModule: typeof Katex | undefined;

/** KaTeX, required on first use (not `import`: it would be evaluated at every start, for the few pages with maths). */
export function katex(): typeof Katex {
  katexModule ??= require("katex") as typeof Katex;
  return katexModule;
}
