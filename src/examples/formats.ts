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
  for (const name of extra) if (!checks.has(name)) checks.set(name, anything);
  return checks;
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
