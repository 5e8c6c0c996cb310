/**
 * The transforms (docutils/transforms/references.py, footnotes) and the
 * writer: the tree becomes the markdown-it tokens a Markdown page makes, so
 * headings, blocks, references, links, contents and search need nothing new.
 * Targets, substitutions and anonymous references are resolved here, over the
 * whole document; a reference to a name the document does not define becomes
 * a `specgen_reference`, which the site index resolves across documents
 * (case-insensitively, as docutils matches names) or reports.
 */
import type MarkdownIt from "markdown-it";
import Token from "markdown-it/lib/token.mjs";
import type { RuleCode } from "../../rules.js";
import { type Inline, parseInline } from "./inline.js";
import { type Block, type Cell, makeId, normalizeName, type RstDocument, type Text } from "./nodes.js";
import type { Message } from "./parse.js";

/** Roles rendered as an HTML element around their text. */
const ELEMENT_ROLES: Record<string, string> = {
  emphasis: "em",
  strong: "strong",
  sup: "sup",
  superscript: "sup",
  sub: "sub",
  subscript: "sub",
  "title-reference": "cite",
  title: "cite",
  t: "cite",
  "": "cite",
  abbreviation: "abbr",
  abbr: "abbr",
  acronym: "abbr",
};

interface Target {
  refuri?: string;
  refname?: string;
  id?: string;
}

/** The named targets of documents that descriptions are read in. */
const contextTargets = new WeakMap<RstDocument, Map<string, Target>>();

export class TokenWriter {
  private readonly targets = new Map<string, Target>();
  private readonly anonymous: Target[] = [];
  private anonymousUsed = 0;
  private footnoteNumber = 0;
  private readonly footnotes = new Map<string, string>();
  /** How many `[#]_` references and `.. [#]` footnotes are written: the n-th of each takes the n-th auto-numbered id. */
  private autoFootnoteRefs = 0;
  private autoFootnoteDefs = 0;
  private readonly autoFootnoteIds: string[] = [];
  private substituting = new Set<string>();
  private out: Token[] = [];
  private readonly numbering: boolean;
  private readonly sections?: Map<string, string>;

  /**
   * `context`: the document a description is rendered into (its targets and
   * substitutions apply to it, as they did when the 2020 templates wrote
   * descriptions into the document's text).
   */
  constructor(
    private readonly md: MarkdownIt,
    private readonly doc: RstDocument,
    private readonly messages: Message[],
    context?: RstDocument,
  ) {
    this.sections = context?.sections;
    if (context) {
      // A page shows hundreds of descriptions: its named targets are collected once.
      let named = contextTargets.get(context);
      if (!named) {
        const writer = new TokenWriter(md, { blocks: context.blocks, substitutions: new Map() }, []);
        named = writer.targets;
        contextTargets.set(context, named);
      }
      for (const [name, target] of named) this.targets.set(name, target);
      for (const [name, definition] of context.substitutions) if (!doc.substitutions.has(name)) doc.substitutions.set(name, definition);
    }
    this.collect(doc.blocks);
    this.numbering = doc.blocks.some((b) => b.kind === "contents" && b.depth === -1);
  }

  /** Targets and footnote labels of the whole document, before any reference is written. */
  private collect(blocks: readonly Block[]): void {
    for (const block of blocks) {
      if (block.kind === "target") {
        const target: Target = {
          refuri: block.refuri,
          refname: block.refname,
          id: block.refuri || block.refname ? undefined : makeId(block.name),
        };
        if (block.anonymous) this.anonymous.push(target);
        else if (!this.targets.has(normalizeName(block.name))) this.targets.set(normalizeName(block.name), target);
      } else if (block.kind === "footnote") {
        const number = /^\d+$/.test(block.label) ? block.label : String(++this.footnoteNumber);
        const id = `footnote-${block.label.startsWith("#") && block.label.length > 1 ? makeId(block.label.slice(1)) : number}`;
        if (block.label === "#") this.autoFootnoteIds.push(id);
        else this.footnotes.set(block.label, id);
        this.footnotes.set(`#id:${id}`, number);
      }
      for (const child of children(block)) this.collect(child);
    }
  }

  write(): Token[] {
    this.out = [];
    this.blocks(this.doc.blocks, false);
    return this.out;
  }

  private push(type: string, tag: string, nesting: -1 | 0 | 1, line?: number, attrs?: [string, string][]): Token {
    const token = new Token(type, tag, nesting);
    token.block = true;
    if (line !== undefined) token.map = [line, line + 1];
    if (attrs) token.attrs = attrs;
    this.out.push(token);
    return token;
  }

  private blocks(blocks: readonly Block[], compact: boolean): void {
    const numbers: number[] = [];
    const topLevel = blocks.filter((b) => b.kind === "section" && b.level === 1).length;
    for (const block of blocks) this.block(block, compact, numbers, topLevel);
  }

  private block(block: Block, compact: boolean, numbers: number[], topLevel: number): void {
    switch (block.kind) {
      case "section": {
        const tag = `h${Math.min(block.level, 6)}`;
        this.push("heading_open", tag, 1, block.line).markup = block.style;
        const prefix = this.numbering ? sectionNumber(numbers, block.level, topLevel) : undefined;
        this.inline(block.title, prefix);
        this.push("heading_close", tag, -1);
        return;
      }
      case "paragraph": {
        const open = this.push("paragraph_open", "p", 1, block.text.line);
        this.inline(block.text);
        const close = this.push("paragraph_close", "p", -1);
        open.hidden = close.hidden = compact;
        return;
      }
      case "bullet_list":
      case "enumerated_list": {
        const ordered = block.kind === "enumerated_list";
        const attrs: [string, string][] = [];
        if (block.kind === "enumerated_list") {
          if (block.type !== "1") attrs.push(["type", block.type]);
          if (block.start !== 1) attrs.push(["start", String(block.start)]);
        }
        const tight = block.items.every((item) => item.length <= 1 && (item[0] === undefined || item[0].kind === "paragraph"));
        this.push(
          ordered ? "ordered_list_open" : "bullet_list_open",
          ordered ? "ol" : "ul",
          1,
          block.line,
          attrs.length > 0 ? attrs : undefined,
        );
        for (const item of block.items) {
          this.push("list_item_open", "li", 1, item[0] ? lineOf(item[0]) : block.line);
          this.blocks(item, tight);
          this.push("list_item_close", "li", -1);
        }
        this.push(ordered ? "ordered_list_close" : "bullet_list_close", ordered ? "ol" : "ul", -1);
        return;
      }
      case "definition_list":
        this.push("dl_open", "dl", 1, block.line);
        for (const item of block.items) {
          this.push("dt_open", "dt", 1, item.term.line);
          this.inline(item.term);
          for (const classifier of item.classifiers) {
            this.out.push(Object.assign(new Token("text", "", 0), { content: " : " }));
            this.inline(classifier);
          }
          this.push("dt_close", "dt", -1);
          this.push("dd_open", "dd", 1);
          this.blocks(item.definition, false);
          this.push("dd_close", "dd", -1);
        }
        this.push("dl_close", "dl", -1);
        return;
      case "field_list":
        this.push("dl_open", "dl", 1, block.line, [["class", "field-list"]]);
        for (const field of block.fields) {
          this.push("dt_open", "dt", 1, field.name.line);
          this.inline(field.name);
          this.push("dt_close", "dt", -1);
          this.push("dd_open", "dd", 1);
          this.blocks(field.body, field.body.length === 1);
          this.push("dd_close", "dd", -1);
        }
        this.push("dl_close", "dl", -1);
        return;
      case "literal_block": {
        const token = this.push(block.language ? "fence" : "code_block", "code", 0, block.line);
        token.info = block.language ?? "";
        token.meta = { rst: true };
        token.content = `${block.text}\n`;
        token.map = [block.line, block.line + block.text.split("\n").length];
        return;
      }
      case "block_quote":
        this.push("blockquote_open", "blockquote", 1, block.line);
        this.blocks(block.children, false);
        this.push("blockquote_close", "blockquote", -1);
        return;
      case "admonition": {
        const open = this.push("rst_admonition_open", "div", 1, block.line);
        const generic = block.name === "admonition" || block.name === "topic";
        const title = generic
          ? (block.title?.text ?? "")
          : block.name === "seealso"
            ? "See also"
            : block.name[0].toUpperCase() + block.name.slice(1);
        open.meta = { kind: block.name, title };
        this.blocks(block.children, false);
        this.push("rst_admonition_close", "div", -1);
        return;
      }
      case "table":
        this.table(block);
        return;
      case "specgen_block": {
        const token = this.push("specgen_block", "", 0, block.line);
        token.meta = { name: block.name, call: block.call, options: block.options, raw: block.raw };
        return;
      }
      case "target":
        if (!block.anonymous && !block.refuri && !block.refname) {
          const token = this.push("rst_target", "span", 0, block.line);
          token.meta = { id: makeId(block.name), title: block.name };
        }
        return;
      case "footnote": {
        const id =
          block.label === "#"
            ? (this.autoFootnoteIds[this.autoFootnoteDefs++] ?? "footnote")
            : (this.footnotes.get(block.label) ?? "footnote");
        const number = this.footnotes.get(`#id:${id}`) ?? block.label;
        this.push("rst_footnote_open", "div", 1, block.line, [
          ["class", "footnote"],
          ["id", id],
        ]).meta = { label: block.label === "*" ? "*" : number };
        this.blocks(block.children, false);
        this.push("rst_footnote_close", "div", -1);
        return;
      }
      case "contents":
        if (block.depth !== -1)
          this.push("rst_contents", "nav", 0, block.line).meta = { title: block.title, depth: block.depth, local: block.local };
        return;
      case "raw": {
        const token = this.push("html_block", "", 0, block.line);
        token.content = `${block.text}\n`;
        return;
      }
      case "transition":
        this.push("hr", "hr", 0, block.line);
        return;
      case "unknown": {
        const token = this.push("code_block", "code", 0, block.line);
        token.content = `${block.text}\n`;
        return;
      }
    }
  }

  private table(block: Extract<Block, { kind: "table" }>): void {
    // In a scrolling box: a wide table scrolls on a narrow screen rather than crushing its columns.
    this.push("rst_table_wrap_open", "div", 1, block.line, [["class", "rst-table"]]);
    this.push("table_open", "table", 1, block.line);
    if (block.title) {
      this.push("rst_caption_open", "caption", 1);
      this.inline(block.title);
      this.push("rst_caption_close", "caption", -1);
    }
    const section = (rows: Cell[][], head: boolean) => {
      if (rows.length === 0) return;
      this.push(head ? "thead_open" : "tbody_open", head ? "thead" : "tbody", 1);
      for (const row of rows) {
        this.push("tr_open", "tr", 1);
        row.forEach((cell, c) => {
          const th = head || c < block.stubColumns;
          const attrs: [string, string][] = [];
          if (cell.colspan > 1) attrs.push(["colspan", String(cell.colspan)]);
          if (cell.rowspan > 1) attrs.push(["rowspan", String(cell.rowspan)]);
          if (th) attrs.push(["scope", head ? "col" : "row"]);
          this.push(th ? "th_open" : "td_open", th ? "th" : "td", 1, cell.blocks[0] ? lineOf(cell.blocks[0]) : block.line, attrs);
          this.blocks(cell.blocks, cell.blocks.length === 1);
          this.push(th ? "th_close" : "td_close", th ? "th" : "td", -1);
        });
        this.push("tr_close", "tr", -1);
      }
      this.push(head ? "thead_close" : "tbody_close", head ? "thead" : "tbody", -1);
    };
    section(block.head, true);
    section(block.body, false);
    this.push("table_close", "table", -1);
    this.push("rst_table_wrap_close", "div", -1);
  }

  /** An inline token for `text`, its children the parsed markup. */
  private inline(text: Text, prefix?: string): void {
    const token = new Token("inline", "", 0);
    token.content = text.text;
    token.map = [text.line, text.line + text.text.split("\n").length];
    token.children = [];
    if (prefix) token.children.push(Object.assign(new Token("rst_sectnum", "span", 0), { content: prefix }));
    this.children(text, token.children, 0);
    this.out.push(token);
  }

  private warn(line: number, code: RuleCode, message: string, text?: string, severity: Message["severity"] = "warning"): void {
    this.messages.push({ line, severity, code, message, text });
  }

  private children(text: Text, out: Token[], depth: number): void {
    let line = text.line;
    const nodes = parseInline(text.text, (message) => this.warn(line, "rst-markup", message));
    const push = (type: string, tag: string, nesting: -1 | 0 | 1, content = "", attrs?: [string, string][]) => {
      const token = new Token(type, tag, nesting);
      token.content = content;
      if (attrs) token.attrs = attrs;
      out.push(token);
      return token;
    };
    const textTokens = (s: string) => {
      s.split("\n").forEach((piece, k) => {
        if (k > 0) {
          push("softbreak", "br", 0);
          line++;
        }
        if (piece) push("text", "", 0, piece);
      });
    };
    const wrapped = (tag: string, type: string, s: string) => {
      push(`${type}_open`, tag, 1);
      textTokens(s);
      push(`${type}_close`, tag, -1);
    };
    for (const node of nodes) {
      switch (node.t) {
        case "text":
          textTokens(node.s);
          break;
        case "emphasis":
          wrapped("em", "em", node.s);
          break;
        case "strong":
          wrapped("strong", "strong", node.s);
          break;
        case "literal":
          push("code_inline", "code", 0, node.s.replace(/\s+/g, " ")).markup = "``";
          break;
        case "uri":
          push("link_open", "a", 1, "", [["href", node.s]]);
          textTokens(node.s);
          push("link_close", "a", -1);
          break;
        case "target":
          push("rst_target", "span", 0).meta = { id: makeId(node.name), title: node.name };
          textTokens(node.name);
          break;
        case "role":
          this.role(node, push, textTokens, wrapped, line);
          break;
        case "reference":
          this.reference(node, push, textTokens, line);
          break;
        case "substitution":
          this.substitution(node, out, push, textTokens, line, depth);
          break;
        case "footnote_reference": {
          const id = node.label === "#" ? (this.autoFootnoteIds[this.autoFootnoteRefs++] ?? "") : (this.footnotes.get(node.label) ?? "");
          if (!id) {
            this.warn(line, "rst-footnote-unknown", `footnote [${node.label}] is not defined`, node.raw, "error");
            textTokens(node.raw);
            break;
          }
          push("sup_open", "sup", 1);
          push("link_open", "a", 1, "", [
            ["href", `#${id}`],
            ["class", "footnote-reference"],
          ]);
          textTokens(`[${this.footnotes.get(`#id:${id}`) ?? node.label}]`);
          push("link_close", "a", -1);
          push("sup_close", "sup", -1);
          break;
        }
      }
    }
  }

  private role(
    node: Extract<Inline, { t: "role" }>,
    push: (type: string, tag: string, nesting: -1 | 0 | 1, content?: string, attrs?: [string, string][]) => Token,
    textTokens: (s: string) => void,
    wrapped: (tag: string, type: string, s: string) => void,
    line: number,
  ): void {
    const tag = ELEMENT_ROLES[node.role];
    if (tag) wrapped(tag, `rst_${tag}`, node.s);
    else if (node.role === "literal" || node.role === "code") push("code_inline", "code", 0, node.s).markup = "``";
    else if (node.role === "math") push("rst_math", "span", 0, node.s);
    else {
      this.warn(line, "rst-role-unknown", `reStructuredText role ":${node.role}:" is not supported; its text is shown as it is`, node.raw);
      textTokens(node.raw);
    }
  }

  private reference(
    node: Extract<Inline, { t: "reference" }>,
    push: (type: string, tag: string, nesting: -1 | 0 | 1, content?: string, attrs?: [string, string][]) => Token,
    textTokens: (s: string) => void,
    line: number,
  ): void {
    let target: Target | undefined;
    if (node.anonymous) {
      target = this.anonymous[this.anonymousUsed++];
      if (!target) {
        this.warn(
          line,
          "reference-unresolved",
          `anonymous reference \`${node.text}\`__ has no anonymous target (\`__ url\` or \`.. __: url\`)`,
          node.raw,
          "error",
        );
        textTokens(node.text);
        return;
      }
    } else if (node.refuri !== undefined) target = { refuri: node.refuri };
    else target = { refname: node.refname };
    // Indirect targets (`.. _a: b_`) lead to other names; a loop ends where it started.
    const seen = new Set<string>();
    while (target.refname !== undefined && !seen.has(normalizeName(target.refname))) {
      seen.add(normalizeName(target.refname));
      const next = this.targets.get(normalizeName(target.refname));
      if (!next) break;
      target = next;
    }
    const href = target.refuri ?? (target.id !== undefined ? `#${target.id}` : undefined);
    if (href !== undefined) {
      if (!this.md.validateLink(href)) {
        this.warn(
          line,
          "link-unsafe",
          `\`${node.text}\`: a link to ${href} is not allowed (javascript:, vbscript:, file: or data: URL)`,
          node.raw,
          "error",
        );
        textTokens(node.text);
        return;
      }
      push("link_open", "a", 1, "", [["href", this.md.normalizeLink(href)]]);
      textTokens(node.text);
      push("link_close", "a", -1);
      return;
    }
    // A section of the document a description is shown in (its ids known), else of any document: the site index knows it.
    const section = this.sections?.get(normalizeName(target.refname ?? node.text));
    if (section !== undefined) {
      push("link_open", "a", 1, "", [["href", `#${section}`]]);
      textTokens(node.text);
      push("link_close", "a", -1);
      return;
    }
    const token = push("specgen_reference", "", 0, target.refname ?? node.text);
    token.markup = node.raw;
    if (normalizeName(target.refname ?? "") !== normalizeName(node.text)) token.meta = { text: node.text };
  }

  private substitution(
    node: Extract<Inline, { t: "substitution" }>,
    out: Token[],
    push: (type: string, tag: string, nesting: -1 | 0 | 1, content?: string, attrs?: [string, string][]) => Token,
    textTokens: (s: string) => void,
    line: number,
    depth: number,
  ): void {
    const key = normalizeName(node.name);
    const definition = this.doc.substitutions.get(key);
    if (!definition || this.substituting.has(key) || depth > 8) {
      this.warn(
        line,
        "rst-substitution-undefined",
        definition
          ? `substitution |${node.name}| refers to itself`
          : `undefined substitution |${node.name}| (no \`.. |${node.name}| replace::\`)`,
        node.raw,
        "error",
      );
      textTokens(node.raw);
      return;
    }
    if (node.reference) {
      this.reference(
        { t: "reference", text: node.name, refname: node.name, anonymous: node.reference === "__", raw: node.raw },
        push,
        () => {},
        line,
      );
      // The link's text is the substitution's content, not the name: put it between the link's tokens.
      const close = out.pop() as Token;
      if (close.type === "specgen_reference") {
        close.meta = { ...close.meta, substitution: definition.text.text };
        out.push(close);
        return;
      }
      this.substituting.add(key);
      this.children({ text: definition.text.text, line }, out, depth + 1);
      this.substituting.delete(key);
      out.push(close);
      return;
    }
    this.substituting.add(key);
    this.children({ text: definition.text.text, line }, out, depth + 1);
    this.substituting.delete(key);
  }
}

function children(block: Block): Block[][] {
  switch (block.kind) {
    case "bullet_list":
    case "enumerated_list":
      return block.items;
    case "definition_list":
      return block.items.map((i) => i.definition);
    case "field_list":
      return block.fields.map((f) => f.body);
    case "block_quote":
    case "admonition":
    case "footnote":
      return [block.children];
    case "table":
      return [...block.head, ...block.body].flatMap((row) => row.map((c) => c.blocks));
    default:
      return [];
  }
}

function lineOf(block: Block): number {
  return block.kind === "paragraph" ? block.text.line : block.line;
}

/** The next number of a section at `level` (sectnum), the document's title (the only level-1 section) left unnumbered. */
function sectionNumber(numbers: number[], level: number, topLevel: number): string | undefined {
  const base = topLevel === 1 ? 2 : 1;
  if (level < base) return undefined;
  const depth = level - base;
  numbers.length = Math.max(numbers.length, depth + 1);
  numbers[depth] = (numbers[depth] ?? 0) + 1;
  numbers.length = depth + 1;
  for (let k = 0; k < depth; k++) numbers[k] ??= 0;
  return numbers.join(".");
}
