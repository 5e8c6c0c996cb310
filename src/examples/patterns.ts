/**
 * The regular expressions of `pattern` and `patternProperties` come from the
 * sources, and one can be written to backtrack for ever on a short string
 * (`^(a+)+$` on "aaa…a!"). V8 can fall back to its linear-time engine when an
 * expression backtracks too much, but only for expressions without the `u`
 * flag (and without backreferences or lookaround). So patterns run without `u`
 * unless they need it for their meaning (`\p{…}`, `\u{…}`).
 */
import v8 from "node:v8";
import type { RegExpEngine } from "ajv/dist/types/index.js";

v8.setFlagsFromString("--enable-experimental-regexp-engine-on-excessive-backtracks");

function compilePattern(pattern: string, flags: string): RegExp {
  const needsUnicode = /\\[pP]\{|\\u\{/.test(pattern);
  return new RegExp(pattern, needsUnicode ? flags : flags.replace("u", ""));
}

/** For ajv's `code.regExp` option. */
export const patternEngine: RegExpEngine = Object.assign(compilePattern, { code: "specgenPattern" });
