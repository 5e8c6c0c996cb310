/**
 * The regular expressions of `pattern`, `patternProperties` and (through
 * `pattern`) `propertyNames` come from the sources, and a backtracking engine
 * can be made to run for ever on one (`^(a+)+$`, `^(\p{L}+)+$`, a
 * backreference). So every one is run by re2js, a port of RE2 whose matching
 * time is linear in the input, and never by RegExp. What RE2 cannot express
 * (backreferences, lookaround) is `unsupported`: reported and not applied.
 * re2js is loaded on the first pattern (a spec without one never pays for it),
 * and each pattern is compiled once per run.
 */
import { createRequire } from "node:module";
import type { RE2JS } from "re2js";

/** What a schema's pattern is run as. */
export interface Pattern {
  /** Whether the pattern matches somewhere in `input` (as RegExp.test). */
  test(input: string): boolean;
}

/** A pattern the validator cannot apply: not a regular expression at all, or one RE2 cannot run. */
export class PatternProblem extends Error {
  constructor(
    message: string,
    readonly kind: "invalid" | "unsupported",
  ) {
    super(message);
  }
}

const require = createRequire(import.meta.url);
let engine: typeof RE2JS | undefined;
const compiled = new Map<string, Pattern | PatternProblem>();

/** The linear-time matcher of a pattern; throws PatternProblem when it cannot be applied. */
export function compilePattern(source: string): Pattern {
  let pattern = compiled.get(source);
  if (pattern === undefined) {
    pattern = compile(source);
    compiled.set(source, pattern);
  }
  if (pattern instanceof PatternProblem) throw pattern;
  return pattern;
}

function compile(source: string): Pattern | PatternProblem {
  // ECMA-262 is the patterns' language: what RegExp refuses (with `u` or without) is invalid.
  // Compiling never runs it.
  const invalid = syntaxError(source, "u") && syntaxError(source, "");
  if (invalid) return new PatternProblem(`${JSON.stringify(source)} is not a valid regular expression: ${invalid.message}`, "invalid");
  if (hasNamedBackreference(source)) return unsupported(source, "a backreference `\\k<…>`");
  engine ??= (require("re2js") as typeof import("re2js")).RE2JS;
  try {
    // translateRegExp rewrites what JavaScript writes differently (`\u0041`, `(?<name>…)`, `[^]`).
    const re = engine.compile(engine.translateRegExp(source));
    return { test: (input) => re.test(input) };
  } catch (e) {
    return unsupported(source, (e as Error).message.replace(/^error parsing regexp: /, ""));
  }
}

function unsupported(source: string, reason: string): PatternProblem {
  return new PatternProblem(`${JSON.stringify(source)} cannot be run in linear time (${reason}): not applied`, "unsupported");
}

/** `\k<name>` (translateRegExp would read it as the letter k); a `\k` that is only a k is refused too. */
function hasNamedBackreference(source: string): boolean {
  for (let i = 0; i < source.length - 1; i++) {
    if (source[i] !== "\\") continue;
    if (source[i + 1] === "k") return true;
    i++; // the escaped character
  }
  return false;
}

function syntaxError(source: string, flags: string): SyntaxError | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (e) {
    return e as SyntaxError;
  }
}
