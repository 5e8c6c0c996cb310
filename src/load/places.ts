/**
 * Where the nodes of a data file are, read cheaply: js-yaml parses the text
 * again with a listener that sees every node open and close, and the nodes of
 * each mapping and sequence are matched to its keys and items. That costs a
 * small part of a `yaml` syntax tree (which source.ts builds only when this
 * reading cannot vouch for a file: a shape it does not model, like merge keys
 * or empty sequence items). Offsets are those of the `yaml` tree: a key's
 * start, a value's content after its tag and anchor, an empty value's place
 * after its colon.
 */
import yaml from "js-yaml";

export interface Place {
  /** Where the node's content starts. */
  start: number;
  /** A string's end, where known: after a quote, a plain text's last character, a block's last line. */
  end?: number;
  /** A mapping's keys: where each key starts, and its value. */
  entries?: Map<string, { key: number; value: Place }>;
  /** A sequence's items. */
  items?: Place[];
}

/** One node as the listener saw it. */
interface Seen {
  place: Place;
  result: unknown;
  empty: boolean;
}

interface Frame {
  open: number;
  children: Seen[];
}

/** js-yaml's parser state at an event; `tag` and `anchor` are not in its published type. */
interface ParserState {
  position: number;
  result: unknown;
  tag: string | null;
  anchor: string | null;
}

/** The places of a file's nodes, or undefined when this reading cannot say them for certain. */
export function readPlaces(text: string): Place | undefined {
  const stack: Frame[] = [];
  let root: Seen | undefined;
  let sound = true;
  const listener = (event: "open" | "close", state: ParserState) => {
    if (event === "open") {
      stack.push({ open: state.position, children: [] });
      return;
    }
    const frame = stack.pop() as Frame;
    const { result } = state;
    const empty = result === null && state.tag === null && state.anchor === null;
    const { children } = frame;
    let seen: Seen;
    if (children.length === 1 && children[0].result === result && typeof result === "object" && result !== null) {
      // A collection read where a block mapping's first key might have been (`- {a: 1}`, a JSON file): the same node.
      seen = children[0];
    } else {
      const start = empty ? skipBlanks(text, frame.open) : contentStart(text, frame.open);
      const end = typeof result === "string" && !empty ? stringEnd(text, start, state.position) : undefined;
      seen = { place: end === undefined ? { start } : { start, end }, result, empty };
      if (children.length > 0 && typeof result === "object" && result !== null) {
        const filled = Array.isArray(result) ? fillItems(seen.place, result, children) : fillEntries(seen.place, result, children);
        if (!filled) sound = false;
      }
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(seen);
    else root = seen;
  };
  try {
    // The depth source.ts parses to (MAX_DEPTH + 2), or a deep file that parsed would have no places.
    const options = { listener: listener as unknown as yaml.LoadOptions["listener"], maxDepth: 258 };
    yaml.load(text, options);
  } catch {
    return undefined;
  }
  return sound && root ? root.place : undefined;
}

function fillItems(place: Place, items: readonly unknown[], children: Seen[]): boolean {
  const out: Place[] = [];
  let next = 0;
  for (const item of items) {
    const node = children[next];
    // js-yaml reads an empty item (`-` alone) without a node of its own.
    if (!node) return false;
    if (node.result === item) {
      out.push(node.place);
      next += 1;
      continue;
    }
    // A flow sequence's `[key: value]` item is a mapping of one pair, read as a key node and a value node.
    const value = children[next + 1];
    const name = typeof node.result === "object" && node.result !== null ? undefined : String(node.result);
    const keys = typeof item === "object" && item !== null ? Object.keys(item) : [];
    if (!value || name === undefined || keys.length !== 1 || keys[0] !== name || (item as Record<string, unknown>)[name] !== value.result) {
      return false;
    }
    out.push({ start: node.place.start, entries: new Map([[name, { key: node.place.start, value: value.place }]]) });
    next += 2;
  }
  if (next !== children.length) return false;
  place.items = out;
  return true;
}

function fillEntries(place: Place, mapping: object, children: Seen[]): boolean {
  // Keys and values alternate; a last attempt at a key that found nothing is no entry.
  const nodes = children.length % 2 === 1 && children[children.length - 1].empty ? children.slice(0, -1) : children;
  if (nodes.length % 2 === 1) return false;
  const entries = new Map<string, { key: number; value: Place }>();
  for (let i = 0; i < nodes.length; i += 2) {
    const key = nodes[i].result;
    if (typeof key === "object" && key !== null) return false;
    const name = String(key);
    // A merge key (`<<`) adds other keys: its entries are not its children.
    if (name === "<<" || !Object.hasOwn(mapping, name) || entries.has(name)) return false;
    if ((mapping as Record<string, unknown>)[name] !== nodes[i + 1].result) return false;
    entries.set(name, { key: nodes[i].place.start, value: nodes[i + 1].place });
  }
  if (entries.size !== Object.keys(mapping).length) return false;
  place.entries = entries;
  return true;
}

/**
 * Where the `yaml` tree ends a string that starts at `start` and that js-yaml
 * read up to `position` (past the white space after it): a quoted one at its
 * closing quote, a plain one at its last character, a block scalar after the
 * line break of its last line with text. A block that keeps its trailing
 * lines (`|+`) is left to the tree.
 */
function stringEnd(text: string, start: number, position: number): number | undefined {
  const c = text[start];
  // js-yaml reads the text with a line break added at its end if it has none.
  let end = Math.min(position, text.length);
  if (c === '"' || c === "'") return end;
  while (end > start && /\s/.test(text[end - 1])) end--;
  if (c !== "|" && c !== ">") return end;
  const header = text.indexOf("\n", start);
  if (header < 0 || end <= header || text.slice(start, header).includes("+")) return undefined;
  const lineEnd = text.indexOf("\n", end);
  return lineEnd < 0 ? text.length : lineEnd + 1;
}

/** The offset after spaces and tabs: where the `yaml` tree puts an empty value. */
function skipBlanks(text: string, at: number): number {
  let i = at;
  while (text[i] === " " || text[i] === "\t") i++;
  return i;
}

/** The offset of a node's content: past white space, line breaks, comments, and its tag and anchor. */
function contentStart(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") i++;
    else if (c === "#") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (c === "!" || c === "&") {
      while (i < text.length && !/\s/.test(text[i])) i++;
    } else return i;
  }
}
