/**
 * The regular expressions of `pattern` and `patternProperties` come from the
 * sources, and one can be written to backtrack for ever on a short string
 * (`^(a+)+$` on "aaa…a!"). V8 can fall back to its linear-time engine when an
 * expression backtracks too much, but only for expressions without the `u`
 * flag (and without backreferences or lookaround). So patterns run without `u`
 * unless they need it for their meaning (`\p{…}`, `\u{…}`). Every pattern the
 * validator runs is made here, once per source text.
 */
import v8 from "node:v8";

v8.setFlagsFromString("--enable-experimental-regexp-engine-on-excessive-backtracks");

const compiled = new Map<string, RegExp | SyntaxError>();

/** The guarded RegExp of a pattern; throws SyntaxError when it is not a valid one. */
export function patternRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (re === undefined) {
    const needsUnicode = /\\[pP]\{|\\u\{/.test(pattern);
    try {
      re = new RegExp(pattern, needsUnicode ? "u" : "");
    } catch (e) {
      re = e as SyntaxError;
    }
    compiled.set(pattern, re);
  }
  if (re instanceof SyntaxError) throw re;
  return re;
}
