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
    const re = engine.compile(withJsClasses(engine.translateRegExp(source)));
    return { test: (input) => re.test(input) };
  } catch (e) {
    return unsupported(source, (e as Error).message.replace(/^error parsing regexp: /, ""));
  }
}

/** JavaScript's white space (`\s`): RE2's is ASCII only. */
const WHITE_SPACE = "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";
/** What JavaScript's `.` matches: RE2's also matches `\r`, U+2028 and U+2029. */
const ANY_BUT_LINE_END = "[^\\n\\r\\x{2028}\\x{2029}]";

/**
 * An RE2 expression (translateRegExp's) with JavaScript's meaning of `\s`,
 * `\S` and `.`, which translateRegExp leaves to RE2's. (`\S` inside a class
 * stays RE2's: a class cannot hold a negated one.)
 */
function withJsClasses(re2: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < re2.length; i++) {
    const c = re2[i];
    if (c === "\\") {
      const next = re2[i + 1] ?? "";
      if (next === "s") out += inClass ? WHITE_SPACE : `[${WHITE_SPACE}]`;
      else if (next === "S" && !inClass) out += `[^${WHITE_SPACE}]`;
      else out += c + next;
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
      // RE2 reads a `]` first in a class (after any `^`) as the character.
      if (re2[i + 1] === "^") out += re2[++i];
      if (re2[i + 1] === "]") out += re2[++i];
    } else out += c === "." ? ANY_BUT_LINE_END : c;
  }
  return out;
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
