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
  const uri = checks.get("uri");
  if (uri) checks.set("uri", { type: uri.type, test: (s) => (typeof s === "string" && PLAIN_URI.test(s)) || uri.test(s) });
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
