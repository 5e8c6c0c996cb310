/**
 * Substitutions: `%NAME%` in the strings of a data file is replaced by the
 * value `substitutions:` gives it (the 2020 API files write
 * `/_matrix/client/%CLIENT_MAJOR_VERSION%`). Replacing in the parsed value, not
 * the text, keeps every line and column of the file where it was. A variable
 * with no value stays as it is, with a warning at its first string in the file.
 */
import { type Diagnostic, warning } from "../diagnostics.js";
import { at, joinPointer, type Source, sharesNodes } from "./source.js";

const VARIABLE = /%([A-Z][A-Z0-9_]*)%/g;

export function substitute(source: Source, values: Readonly<Record<string, string>>): Diagnostic[] {
  // No string of the file can hold a `%` that its text does not (unless written as an escape).
  if (!source.text.includes("%") && !source.text.includes("\\")) return [];
  const unknown = new Map<string, { pointer: string; count: number }>();
  // The keys on the way to the string; its pointer is made only for a warning.
  const keys: string[] = [];
  const replace = (text: string): string => {
    if (!text.includes("%")) return text;
    return text.replace(VARIABLE, (whole, name: string) => {
      if (Object.hasOwn(values, name)) return values[name];
      const seen = unknown.get(name);
      if (seen) seen.count++;
      else unknown.set(name, { pointer: joinPointer(keys), count: 1 });
      return whole;
    });
  };
  const seen = sharesNodes(source) ? new Set<object>() : undefined;
  const walk = (node: unknown) => {
    if (typeof node !== "object" || node === null || seen?.has(node)) return;
    seen?.add(node);
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const value = record[key];
      keys.push(key);
      if (typeof value === "string") {
        const replaced = replace(value);
        if (replaced !== value) record[key] = replaced;
      } else walk(value);
      keys.pop();
    }
  };
  if (typeof source.value === "string") source.value = replace(source.value);
  else walk(source.value);
  return [...unknown].map(([name, { pointer, count }]) =>
    warning(
      "substitution-unknown",
      `%${name}% has no value${count > 1 ? ` (${count} times in this file)` : ""}; give it one under substitutions: in specgen.config.yaml`,
      { ...at(source, pointer), pointer },
    ),
  );
}
