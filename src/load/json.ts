/**
 * A strict JSON scan for what JSON.parse does not say: where its syntax error
 * is (V8's messages carry no position for some errors), and whether an object
 * has the same key twice (JSON.parse silently keeps the last). Iterative, so
 * deep nesting cannot overflow the stack.
 */
import type { RuleCode } from "../rules.js";

export interface JsonProblem {
  code: Extract<RuleCode, "parse-syntax" | "parse-duplicate-key">;
  message: string;
  /** Offset in the text. */
  offset: number;
}

type Expect = "value" | "value-or-close" | "key" | "key-or-close" | "colon" | "after";

interface Frame {
  close: "}" | "]";
  keys?: Set<string>;
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** The first syntax error or duplicate key of `text`, or undefined when it is clean JSON. */
export function scanJson(text: string): JsonProblem | undefined {
  const stack: Frame[] = [];
  let expect: Expect = "value";
  let i = 0;
  const fail = (message: string, offset = i): JsonProblem => ({ code: "parse-syntax", message, offset });
  while (true) {
    WHITESPACE.lastIndex = i;
    WHITESPACE.exec(text);
    i = WHITESPACE.lastIndex;
    if (i >= text.length) {
      return expect === "after" && stack.length === 0 ? undefined : fail("unexpected end of file");
    }
    const c = text[i];
    const top = stack[stack.length - 1];
    if (expect === "after") {
      if (!top) return fail(`unexpected ${describe(c)} after the end of the document`);
      if (c === ",") {
        expect = top.keys ? "key" : "value";
        i++;
      } else if (c === top.close) {
        stack.pop();
        i++;
      } else {
        return fail(`expected ',' or '${top.close}', found ${describe(c)}`);
      }
    } else if (expect === "colon") {
      if (c !== ":") return fail(`expected ':' after the property name, found ${describe(c)}`);
      expect = "value";
      i++;
    } else if (expect === "key" || expect === "key-or-close") {
      if (c === "}" && expect === "key-or-close") {
        stack.pop();
        expect = "after";
        i++;
        continue;
      }
      if (c !== '"') return fail(`expected a property name in double quotes, found ${describe(c)}`);
      const end = stringEnd(text, i);
      if (typeof end !== "number") return end;
      const raw = text.slice(i + 1, end - 1);
      const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end)) as string) : raw;
      if (top.keys?.has(key)) return { code: "parse-duplicate-key", message: `duplicate key "${key}"`, offset: i };
      top.keys?.add(key);
      expect = "colon";
      i = end;
    } else {
      if (c === "]" && expect === "value-or-close") {
        stack.pop();
        expect = "after";
        i++;
      } else if (c === "{") {
        stack.push({ close: "}", keys: new Set() });
        expect = "key-or-close";
        i++;
      } else if (c === "[") {
        stack.push({ close: "]" });
        expect = "value-or-close";
        i++;
      } else if (c === '"') {
        const end = stringEnd(text, i);
        if (typeof end !== "number") return end;
        i = end;
        expect = "after";
      } else {
        const length = match(NUMBER, text, i) || match(LITERAL, text, i);
        if (!length) return fail(`expected a value, found ${describe(c)}`);
        i += length;
        expect = "after";
      }
    }
  }
}

/** The offset just past the string starting at `start`, or the problem in it. */
function stringEnd(text: string, start: number): number | JsonProblem {
  for (let j = start + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return { code: "parse-syntax", message: "unescaped control character in a string (line break or tab?)", offset: j };
    if (c === 0x5c) {
      const next = text[j + 1];
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) j += 5;
      else if (next !== undefined && '"\\/bfnrt'.includes(next)) j++;
      else return { code: "parse-syntax", message: "invalid escape in a string", offset: j };
    }
  }
  return { code: "parse-syntax", message: "unterminated string", offset: start };
}

function match(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.exec(text) ? re.lastIndex - at : 0;
}

function describe(c: string): string {
  return c === "'" ? `"'"` : `'${c}'`;
}
