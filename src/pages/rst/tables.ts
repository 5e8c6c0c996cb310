/**
 * Grid and simple tables (docutils/parsers/rst/tableparser.py): the table's
 * text becomes rows of cells, each cell its own lines (parsed later as a
 * nested body), with its spans. Grid cells are found as docutils finds them:
 * from each top-left corner, right along the top, down the right side, back
 * along the bottom and up the left.
 */
import type { Line } from "./nodes.js";

export interface RawCell {
  lines: Line[];
  colspan: number;
  rowspan: number;
}

export interface RawTable {
  head: RawCell[][];
  body: RawCell[][];
}

export class TableError extends Error {}

export function parseGridTable(block: readonly Line[]): RawTable {
  const width = Math.max(...block.map((l) => l.text.length));
  const grid = block.map((l) => l.text.padEnd(width));
  const bottom = grid.length - 1;
  const right = grid[0].length - 1;
  const at = (r: number, c: number) => grid[r]?.[c] ?? " ";
  let headSep: number | undefined;
  grid.forEach((row, r) => {
    if (r > 0 && r < bottom && /^\+(?:=+\+)+$/.test(row.trimEnd())) headSep = r;
  });
  const done = new Array<number>(right + 1).fill(-1);
  const rowSeps = new Set<number>([0]);
  const colSeps = new Set<number>([0]);
  const cells: { top: number; left: number; bottom: number; right: number }[] = [];

  const scanUp = (top: number, left: number, b: number, r: number): boolean => {
    for (let i = b - 1; i > top; i--) if (!"|+".includes(at(i, left))) return false;
    return r > left && b > top;
  };
  const scanLeft = (top: number, left: number, b: number, r: number): boolean => {
    for (let i = r - 1; i > left; i--) if (!"-=+".includes(at(b, i))) return false;
    return at(b, left) === "+" && scanUp(top, left, b, r);
  };
  const scanDown = (top: number, left: number, r: number): number | undefined => {
    for (let i = top + 1; i <= bottom; i++) {
      const ch = at(i, r);
      if (ch === "+") {
        if (scanLeft(top, left, i, r)) return i;
      } else if (ch !== "|") return undefined;
    }
    return undefined;
  };
  const scanCell = (top: number, left: number): { b: number; r: number } | undefined => {
    for (let i = left + 1; i <= right; i++) {
      const ch = at(top, i);
      if (ch === "+") {
        const b = scanDown(top, left, i);
        if (b !== undefined) return { b, r: i };
      } else if (ch !== "-" && ch !== "=") return undefined;
    }
    return undefined;
  };

  const corners: [number, number][] = [[0, 0]];
  while (corners.length > 0) {
    const [top, left] = corners.shift() as [number, number];
    if (top === bottom || left === right || top <= done[left]) continue;
    const found = scanCell(top, left);
    if (!found) continue;
    rowSeps.add(found.b);
    colSeps.add(found.r);
    for (let c = left; c < found.r; c++) done[c] = found.b - 1;
    cells.push({ top, left, bottom: found.b, right: found.r });
    for (const corner of [
      [top, found.r],
      [found.b, left],
    ] as [number, number][]) {
      if (!corners.some(([t, l]) => t === corner[0] && l === corner[1])) corners.push(corner);
    }
    corners.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }
  for (let c = 0; c < right; c++) if (done[c] !== bottom - 1) throw new TableError("malformed grid table: its cells do not cover it");
  const rows = [...rowSeps].sort((a, b) => a - b);
  const cols = [...colSeps].sort((a, b) => a - b);
  const byRow = new Map<number, RawCell[]>();
  for (const cell of cells) {
    const lines: Line[] = [];
    for (let r = cell.top + 1; r < cell.bottom; r++)
      lines.push({ text: grid[r].slice(cell.left + 1, cell.right).trimEnd(), line: block[r].line });
    const raw: RawCell = {
      lines: dedent(lines),
      rowspan: rows.indexOf(cell.bottom) - rows.indexOf(cell.top),
      colspan: cols.indexOf(cell.right) - cols.indexOf(cell.left),
    };
    const list = byRow.get(cell.top) ?? [];
    list.push(raw);
    byRow.set(cell.top, list);
  }
  const table: RawTable = { head: [], body: [] };
  for (const top of rows.slice(0, -1)) {
    const row = byRow.get(top) ?? [];
    (headSep !== undefined && top < headSep ? table.head : table.body).push(row);
  }
  return table;
}

const SIMPLE_BORDER = /^=+(?: +=+)*$/;

/** The lines a simple table takes from `start` (a border): up to the border that a blank line or the end follows. */
export function simpleTableEnd(lines: readonly Line[], start: number): number {
  let borders = 0;
  for (let i = start; i < lines.length; i++) {
    const text = lines[i].text.trimEnd();
    if (SIMPLE_BORDER.test(text)) {
      borders++;
      if (borders >= 2 && (i + 1 >= lines.length || lines[i + 1].text.trim() === "")) return i + 1;
    }
  }
  return -1;
}

export function isSimpleTableBorder(text: string): boolean {
  return SIMPLE_BORDER.test(text.trimEnd()) && text.includes(" ");
}

export function parseSimpleTable(block: readonly Line[]): RawTable {
  const border = block[0].text.trimEnd();
  const columns: [number, number][] = [];
  for (const m of border.matchAll(/=+/g)) columns.push([m.index, m.index + m[0].length]);
  const borderRows = block.map((l, i) => (SIMPLE_BORDER.test(l.text.trimEnd()) ? i : -1)).filter((i) => i >= 0);
  const headSep = borderRows.length > 2 ? borderRows[1] : undefined;
  const table: RawTable = { head: [], body: [] };
  let current: { lines: Line[][]; into: RawCell[][] } | undefined;
  const finish = () => {
    if (!current) return;
    current.into.push(current.lines.map((lines) => ({ lines: dedent(trimBlank(lines)), colspan: 1, rowspan: 1 })));
    current = undefined;
  };
  for (let i = 1; i < block.length - 1; i++) {
    const { text, line } = block[i];
    if (borderRows.includes(i)) {
      finish();
      continue;
    }
    if (/^-+(?: +-+)*$/.test(text.trim())) continue; // column-span underlines: spans are not kept
    const into = headSep !== undefined && i < headSep ? table.head : table.body;
    const cells = columns.map(([s], c) => text.slice(s, c + 1 < columns.length ? columns[c + 1][0] : undefined).trimEnd());
    const continuation = text.trim() === "" || (cells[0].trim() === "" && current !== undefined);
    if (!continuation) {
      finish();
      current = { lines: columns.map(() => []), into };
    }
    if (!current) continue;
    for (const [c, cell] of cells.entries()) current.lines[c].push({ text: cell, line });
  }
  finish();
  return table;
}

function trimBlank(lines: Line[]): Line[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].text.trim() === "") a++;
  while (b > a && lines[b - 1].text.trim() === "") b--;
  return lines.slice(a, b);
}

export function dedent(lines: readonly Line[]): Line[] {
  let indent = Number.POSITIVE_INFINITY;
  for (const l of lines) if (l.text.trim()) indent = Math.min(indent, l.text.length - l.text.trimStart().length);
  if (!Number.isFinite(indent)) indent = 0;
  return lines.map((l) => ({ text: l.text.trim() ? l.text.slice(indent) : "", line: l.line }));
}

/** `.. csv-table::` rows: fields separated by commas, `"` quoting (doubled to escape), quoted fields spanning lines. */
export function parseCsv(lines: readonly Line[]): { cells: string[]; line: number }[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let field = "";
  let quoted = false;
  let rowLine = -1;
  for (const { text, line } of lines) {
    if (!quoted && text.trim() === "") continue;
    if (rowLine < 0) rowLine = line;
    for (let c = 0; c < text.length; c++) {
      const ch = text[c];
      if (quoted) {
        if (ch === '"' && text[c + 1] === '"') {
          field += '"';
          c++;
        } else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"' && field.trim() === "") {
        field = "";
        quoted = true;
      } else if (ch === ",") {
        cells.push(field.trim());
        field = "";
      } else field += ch;
    }
    if (quoted) {
      field += "\n";
      continue;
    }
    cells.push(field.trim());
    rows.push({ cells, line: rowLine });
    cells = [];
    field = "";
    rowLine = -1;
  }
  return rows;
}
