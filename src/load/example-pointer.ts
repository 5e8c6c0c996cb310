/** Telling example values from schemas inside a data file, by the keys on the way to them. */

/** Keys under which a value is an example, not a schema (unless the key names a property or definition). */
export const EXAMPLE_KEYS = new Set(["example", "examples", "x-example"]);
export const NAMING_KEYS = new Set(["properties", "patternProperties", "definitions", "$defs"]);
