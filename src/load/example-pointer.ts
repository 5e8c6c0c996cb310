/** Telling example values from schemas inside a data file, by the keys on the way to them. */
import { splitPointer } from "./source.js";

/** Keys under which a value is an example, not a schema (unless the key names a property or definition). */
export const EXAMPLE_KEYS = new Set(["example", "examples", "x-example"]);
export const NAMING_KEYS = new Set(["properties", "patternProperties", "definitions", "$defs"]);

/** True when a pointer lies inside an example (`/responses/200/examples/application~1json/...`). */
export function isExamplePointer(pointer: string): boolean {
  const tokens = splitPointer(pointer);
  return tokens.some((t, i) => EXAMPLE_KEYS.has(t) && !NAMING_KEYS.has(tokens[i - 1]));
}
