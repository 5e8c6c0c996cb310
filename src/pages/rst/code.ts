/**
 * Code blocks of RST pages (`.. code:: LANG`), highlighted at build time so
 * the site ships no highlighter: JSON by specgen's own scanner (as the
 * examples are), the other languages the 2020 pages use by highlight.js,
 * required from node_modules on first use with only those grammars. Any
 * other language is shown plain, escaped.
 */
import { createRequire } from "node:module";
import type { HLJSApi, LanguageFn } from "highlight.js";
import { highlightJson } from "../../render/highlight.js";

const require = createRequire(import.meta.url);

/** A language name as written → highlight.js's grammar file. */
const GRAMMARS: Record<string, string> = {
  yaml: "yaml",
  yml: "yaml",
  python: "python",
  py: "python",
  javascript: "javascript",
  js: "javascript",
  html: "xml",
  xml: "xml",
  diff: "diff",
  http: "http",
  bash: "bash",
  sh: "bash",
  shell: "bash",
};

let hljs: HLJSApi | undefined;

function highlighter(): HLJSApi {
  if (!hljs) {
    hljs = require("highlight.js/lib/core") as HLJSApi;
    for (const grammar of new Set(Object.values(GRAMMARS)))
      hljs.registerLanguage(grammar, require(`highlight.js/lib/languages/${grammar}`) as LanguageFn);
  }
  return hljs;
}

/** The code's HTML (inside `<code>`), or undefined for a language shown plain. */
export function highlightCode(code: string, language: string): string | undefined {
  const name = language.trim().toLowerCase();
  if (name === "json") return highlightJson(code);
  const grammar = GRAMMARS[name];
  if (!grammar) return undefined;
  return highlighter().highlight(code, { language: grammar, ignoreIllegals: true }).value;
}
