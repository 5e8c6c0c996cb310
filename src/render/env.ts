/** What markdown-it rules and block renderers share while one page renders. */
import type { Diagnostic } from "../diagnostics.js";
import { escapePointer, locate, type Origin } from "../load/source.js";
import type { BlockRegistry } from "./blocks/registry.js";
import type { SiteIndex } from "./site-index.js";

/** Maps a 0-based line of the text being rendered to a place in a source file. */
export type Locator = (line: number) => Pick<Diagnostic, "file" | "line" | "column">;

export interface RenderEnv {
  /** The output path of the page being rendered, e.g. `modules/e2e.html`. */
  page: string;
  where: Locator;
  site: SiteIndex;
  blocks: BlockRegistry;
  diagnostics: Diagnostic[];
  /** Ids already used on the page. */
  ids: Set<string>;
}

/** Lines of a page's own text. */
export function pageLocator(file: string): Locator {
  return (line) => ({ file, line: line + 1, column: 1 });
}

/** Lines of a string value in a data file (a description), located only when needed. */
export function valueLocator(origin: Origin | undefined, key: string): Locator {
  return (line) => {
    if (!origin) return {};
    const start = locate(origin.source, `${origin.pointer}/${escapePointer(key)}`, "value");
    return { file: origin.source.rel, line: start.line + line, column: line === 0 ? start.column : 1 };
  };
}
