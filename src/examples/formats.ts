/**
 * The `format` checks of examples: ajv-formats' definitions (its "full" mode,
 * the one ajv used here), read as plain checks, plus the config's own formats,
 * which accept anything.
 */
import { createRequire } from "node:module";
import type { FormatCheck } from "./interpret.js";

const require = createRequire(import.meta.url);
const { fullFormats } = require("ajv-formats/dist/formats") as { fullFormats: Record<string, unknown> };

/** The format names ajv-formats checks. */
export const checkedFormats: readonly string[] = Object.keys(fullFormats);

const anything: FormatCheck = { type: "string", test: () => true };

/** Format name → its check; `extra` names (the config's `formats`) accept anything. */
export function formatChecks(extra: readonly string[] = []): Map<string, FormatCheck> {
  const checks = new Map<string, FormatCheck>();
  for (const [name, definition] of Object.entries(fullFormats)) checks.set(name, toCheck(definition));
  plainFirst(checks, "uri", PLAIN_URI);
  plainFirst(checks, "uri-reference", PLAIN_URI_REFERENCE);
  for (const name of extra) if (!checks.has(name)) checks.set(name, anything);
  return checks;
}

/**
 * Plain `scheme://host[:port]/path?query#fragment` URIs written with
 * unreserved and sub-delimiter characters only: each string this accepts,
 * ajv-formats' RFC 3986 `uri` accepts too (every part here is a narrower
 * case of one of its parts), so it answers for the usual example values
 * without V8 compiling that 3 KB pattern, 10–20 ms of a cold check. Anything
 * else goes to ajv-formats' check.
 */
export const PLAIN_URI =
  /^[a-z][a-z0-9+\-.]*:\/\/[a-z0-9\-._~]*(?::\d*)?(?:\/[a-z0-9\-._~!$&'()*+,;=:@]*)*(?:\?[a-z0-9\-._~!$&'()*+,;=:@/?]*)?(?:#[a-z0-9\-._~!$&'()*+,;=:@/?]*)?$/i;

/**
 * Relative references as schemas write them in `$ref` and `$id` (`../a/b.yaml`,
 * `#/definitions/x`, `b.json#/c`), or a plain URI: each string this accepts,
 * ajv-formats' `uri-reference` accepts too (a first segment without `:`, as
 * RFC 3986's path-noscheme has it; a path-absolute starts with a non-empty
 * segment), so the meta-schema check of `$ref`s seldom needs its 1 KB pattern.
 */
export const PLAIN_URI_REFERENCE = new RegExp(
  `${PLAIN_URI.source}|^(?:[a-z0-9\\-._~!$&'()*+,;=@]+(?:/[a-z0-9\\-._~!$&'()*+,;=:@]*)*|/(?:[a-z0-9\\-._~!$&'()*+,;=:@]+(?:/[a-z0-9\\-._~!$&'()*+,;=:@]*)*)?)?(?:#[a-z0-9\\-._~!$&'()*+,;=:@/?]*)?$`,
  "i",
);

/** Answers format `name` by `plain` where it says yes, else by ajv-formats' check (a faster answer, never another one). */
function plainFirst(checks: Map<string, FormatCheck>, name: string, plain: RegExp): void {
  const full = checks.get(name);
  if (full) checks.set(name, { type: full.type, test: (s) => (typeof s === "string" && plain.test(s)) || full.test(s) });
}

/** A definition is `true`, a RegExp, a function, or `{type?, validate}` with one of those. */
function toCheck(definition: unknown): FormatCheck {
  if (definition instanceof RegExp) return { type: "string", test: (s) => definition.test(String(s)) };
  if (typeof definition === "function") return { type: "string", test: definition as FormatCheck["test"] };
  if (typeof definition === "object" && definition !== null && "validate" in definition) {
    const { type, validate } = definition as { type?: "string" | "number"; validate: unknown };
    return { type: type ?? "string", test: toCheck(validate).test };
  }
  return anything;
}
