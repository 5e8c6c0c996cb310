/**
 * The document tree of the reStructuredText reader, as docutils builds it
 * (docutils/nodes.py): blocks hold their text unparsed until the transforms
 * know every substitution and target; then inline text is parsed and the tree
 * becomes markdown-it tokens (tokens.ts).
 */

/** A line of the source: its text with tabs expanded, and its 0-based line in the text read. */
export interface Line {
  text: string;
  line: number;
}

/** Text to be parsed as inline markup, with the line it starts on. */
export interface Text {
  text: string;
  line: number;
}

export interface Cell {
  blocks: Block[];
  colspan: number;
  rowspan: number;
}

export type Block =
  | { kind: "section"; title: Text; level: number; line: number; style: string }
  /** `demotedTitle`: a section title where none may be (nested, or a level too deep), kept visible as a paragraph. */
  | { kind: "paragraph"; text: Text; demotedTitle?: boolean }
  | { kind: "bullet_list"; line: number; items: Block[][] }
  | { kind: "enumerated_list"; line: number; start: number; type: "1" | "a" | "A" | "i" | "I"; items: Block[][] }
  | { kind: "definition_list"; line: number; items: { term: Text; classifiers: Text[]; definition: Block[] }[] }
  | { kind: "field_list"; line: number; fields: { name: Text; body: Block[] }[] }
  | { kind: "literal_block"; line: number; text: string; language?: string }
  | { kind: "block_quote"; line: number; children: Block[] }
  | { kind: "admonition"; line: number; name: string; title?: Text; children: Block[] }
  | { kind: "table"; line: number; title?: Text; head: Cell[][]; body: Cell[][]; stubColumns: number }
  | { kind: "specgen_block"; line: number; name: string; options: Record<string, string>; call: string; raw: string }
  | { kind: "target"; line: number; name: string; anonymous: boolean; refuri?: string; refname?: string }
  | { kind: "footnote"; line: number; label: string; children: Block[] }
  | { kind: "contents"; line: number; title?: string; depth?: number; local: boolean }
  | { kind: "raw"; line: number; format: string; text: string }
  | { kind: "transition"; line: number }
  /** A directive or construct this reader does not render: its text, shown as it is written. */
  | { kind: "unknown"; line: number; text: string };

/** `.. |name| replace:: text` and friends. */
export interface SubstitutionDefinition {
  name: string;
  text: Text;
  line: number;
}

export interface RstDocument {
  blocks: Block[];
  substitutions: Map<string, SubstitutionDefinition>;
  /** `.. title::`, when given. */
  title?: string;
  /** Section titles (normalised) → their heading ids, once the page's ids are given: references in the document find them first. */
  sections?: Map<string, string>;
}

/** docutils' `fully_normalize_name`: whitespace collapsed, lower case (references are case-insensitive). */
export function normalizeName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** docutils' `make_id`: the id a section or target gets from its name. */
export function makeId(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[-0-9]+|-+$/g, "");
}
