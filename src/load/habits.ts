/**
 * Schema habits of the 2020 Matrix sources that JSON Schema does not allow
 * but the 2020 pipeline read without complaint. Each is read the way that
 * pipeline read it, with a warning saying how to write it:
 *
 * - `type: enum` beside an `enum` list: the type is the enum's values' type;
 * - `properties: []` (an object whose properties vary): no properties.
 *
 * The parsed value is changed in place (as substitutions are), so every later
 * stage (meta-schema check, ajv, field tables) sees valid JSON Schema. Values
 * inside examples are left alone.
 */
import { type Diagnostic, warning } from "../diagnostics.js";
import { EXAMPLE_KEYS, NAMING_KEYS } from "./example-pointer.js";
import { at, joinPointer, type Source, sharesNodes } from "./source.js";

export function readHabits(source: Source): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = sharesNodes(source) ? new Set<object>() : undefined;
  // The keys on the way to the node; its pointer is made only for a warning.
  const keys: string[] = [];
  const walk = (node: unknown, inExample: boolean) => {
    if (typeof node !== "object" || node === null || seen?.has(node)) return;
    seen?.add(node);
    const record = node as Record<string, unknown>;
    if (!Array.isArray(node) && !inExample) {
      if (record.type === "enum" && Array.isArray(record.enum)) {
        const types = [...new Set(record.enum.map(jsonType))];
        if (types.length === 1) record.type = types[0];
        else delete record.type;
        diagnostics.push(
          habit(
            source,
            joinPointer([...keys, "type"]),
            `"type: enum" is not a JSON Schema type; write the type of its values${types.length === 1 ? ` (${types[0]})` : ""}`,
          ),
        );
      }
      if (Array.isArray(record.properties) && record.properties.length === 0) {
        record.properties = {};
        diagnostics.push(
          habit(source, joinPointer([...keys, "properties"]), '"properties: []" must be a mapping; write "properties: {}" or leave it out'),
        );
      }
    }
    const naming = keys.length > 0 && NAMING_KEYS.has(keys[keys.length - 1]);
    for (const key of Object.keys(record)) {
      keys.push(key);
      walk(record[key], inExample || (EXAMPLE_KEYS.has(key) && !naming));
      keys.pop();
    }
  };
  walk(source.value, false);
  return diagnostics;
}

function habit(source: Source, pointer: string, message: string): Diagnostic {
  return warning("schema-2020-habit", `${message} (read as the 2020 pipeline read it)`, { ...at(source, pointer), pointer });
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
