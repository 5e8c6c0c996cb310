/**
 * Handlebars in two parts. The runtime, bundled, runs templates. The compiler
 * (parse, precompile, compile) is required from node_modules on first use: the
 * bundle holds the built-in templates precompiled (render/precompiled.ts), so a
 * run that overrides none of them never loads it, and every start is spared
 * evaluating it.
 */
import { createRequire } from "node:module";
import type Handlebars from "handlebars";

const require = createRequire(import.meta.url);

export { default as handlebarsRuntime } from "handlebars/runtime";

let compiler: typeof Handlebars | undefined;

export function handlebarsCompiler(): typeof Handlebars {
  // Not `import`: the bundle would evaluate it at start.
  compiler ??= require("handlebars") as typeof Handlebars;
  return compiler;
}
