/**
 * Numbers as their sources wrote them. A value is parsed into a double, which
 * rounds an integer beyond 2^53 (`9007199254740993` becomes `…992`) and which
 * JSON writes `-0` as `0`; shown or reported from the double, the site and the
 * diagnostics would state a number the spec does not. Those few numbers are
 * looked up in their file's text (by the origin of the object holding them),
 * only when one is shown: every other number is written as JSON writes it.
 */
import { escapePointer, origins, valueRange } from "./source.js";

/** Whether JSON would write `n` otherwise than a source may have written it. */
function inexact(n: number): boolean {
  return Object.is(n, -0) || (Number.isInteger(n) && !Number.isSafeInteger(n));
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

/** The number `holder[key]` as written in its source, else as JSON writes it. */
export function writtenNumber(holder: object | undefined, key: string | number, n: number): string {
  if (!inexact(n)) return String(n);
  const origin = holder && origins.get(holder);
  if (origin) {
    const range = valueRange(origin.source, `${origin.pointer}/${escapePointer(String(key))}`);
    const text = range && origin.source.text.slice(range[0], range[1]).trim();
    if (text && NUMBER.test(text) && Number(text) === n) return text;
  }
  return String(n);
}

/** A value as text for a table or message: a string as it is, anything else as JSON with its numbers as written. */
export function writtenValue(value: unknown, holder?: object, key?: string | number): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" && key !== undefined) return writtenNumber(holder, key, value);
  return writtenJson(value);
}

/** JSON.stringify(value, null, indent), with each rounded integer or `-0` as its source wrote it. */
export function writtenJson(value: unknown, indent?: number): string {
  if (!holdsInexact(value, 0)) return JSON.stringify(value, null, indent) ?? "null";
  const texts: string[] = [];
  const nonce = `specgen-number-${Math.random().toString(36).slice(2)}-`;
  const json =
    JSON.stringify(
      value,
      function (this: Record<string, unknown>, key, v) {
        if (typeof v !== "number" || !inexact(v)) return v;
        texts.push(writtenNumber(this, Array.isArray(this) ? Number(key) : key, v));
        return `${nonce}${texts.length - 1}`;
      },
      indent,
    ) ?? "null";
  return json.replace(new RegExp(`"${nonce}(\\d+)"`, "g"), (_, i: string) => texts[Number(i)]);
}

function holdsInexact(value: unknown, depth: number): boolean {
  if (typeof value === "number") return inexact(value);
  if (typeof value !== "object" || value === null || depth > 512) return false;
  for (const child of Object.values(value)) if (holdsInexact(child, depth + 1)) return true;
  return false;
}
