/**
 * Field tables that read well, measured in Chromium on the 2020 corpus' events
 * page at desktop and phone widths: no word of a table cell is broken inside a
 * run of letters (the rendered line boxes of each word are on one line), and a
 * wide table scrolls on its own instead of widening the page.
 * Skips with a message without Chromium or the corpus.
 *
 * `UPDATE_SCREENSHOTS=1 npm test` writes screenshots of m.room.member's tables to docs/ for review.
 */
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixInvalidExamples } from "../bench/corpus.js";
import { loadConfig } from "../src/config.js";
import { build } from "../src/pipeline.js";
import { hasChromium, launchChromium } from "./browser.js";
import { corpusApiRoot, hasCorpus, REPO, tempDir } from "./helpers.js";

if (!hasCorpus) console.warn("table measurements skipped: the 2020 corpus is not at ../shared/corpus/matrix-doc-2020");

interface Measure {
  tables: number;
  cells: number;
  words: number;
  broken: string[];
  /** Cells whose content is wider than they are (drawn over their neighbours). */
  overflowing: string[];
  pageWidth: number;
  /** Tables wider than the page's column, which scroll on their own. */
  scrolling: string[];
  biggest: string[];
}

describe.skipIf(!hasChromium || !hasCorpus)("field tables of the 2020 corpus in Chromium", () => {
  let browser: Browser;
  let out: string;
  beforeAll(async () => {
    // Every event's block on one page and every HTTP API's on another; its two invalid examples fixed, so that it builds.
    const root = corpusApiRoot();
    fixInvalidExamples(root);
    const result = await build(loadConfig(root));
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    out = path.join(root, "output");
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const [file, width, least] of [
    ["index.html", 1280, 80],
    ["index.html", 390, 80],
    ["api/index.html", 1280, 500],
    ["api/index.html", 390, 500],
  ] as const) {
    it(`breaks no word of ${file}'s tables inside its letters at ${width} px, and the page does not scroll sideways`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const tab = await context.newPage();
      await tab.goto(pathToFileURL(path.join(out, file)).href);
      // Every table of the page (the biggest first, for the log).
      const m: Measure = await tab.evaluate(() => {
        const all = [...document.querySelectorAll("main table")] as HTMLTableElement[];
        // Nested tables (a csv-table in a description) are measured as part of their own table.
        const outer = all.filter((t) => !t.parentElement?.closest("table"));
        const tables = outer.sort((a, b) => b.querySelectorAll("th, td").length - a.querySelectorAll("th, td").length);
        const broken: string[] = [];
        const overflowing: string[] = [];
        let words = 0;
        let cells = 0;
        for (const table of tables) {
          for (const cell of table.querySelectorAll("tbody th, tbody td, caption")) {
            cells++;
            if (cell.scrollWidth > cell.clientWidth + 1)
              overflowing.push(`${table.closest("[id]")?.id}: ${cell.textContent?.slice(0, 40)}`);
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
              // A nested table's text is reached from its own cells too; measure it once, from the innermost cell.
              if (node.parentElement?.closest("th, td, caption") !== cell) continue;
              for (const run of node.data.matchAll(/[\p{L}\p{N}]+/gu)) {
                if (run[0].length < 2) continue;
                words++;
                const range = document.createRange();
                range.setStart(node, run.index);
                range.setEnd(node, run.index + run[0].length);
                const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
                if (lines.size > 1) {
                  const where = table.closest("[id]")?.id ?? "?";
                  broken.push(`${where}: "${run[0]}" on ${lines.size} lines`);
                }
              }
            }
          }
        }
        return {
          tables: tables.length,
          cells,
          words,
          broken,
          overflowing,
          pageWidth: document.documentElement.scrollWidth,
          scrolling: [...document.querySelectorAll(".field-table, .table-scroll")]
            .filter((el) => el.scrollWidth > el.clientWidth + 1)
            .map((el) => el.closest("[id]")?.id ?? "?"),
          biggest: tables.slice(0, 5).map((t) => t.closest("[id]")?.id ?? "?"),
        };
      });
      console.log(
        `${file} at ${width} px: ${m.words} words in ${m.cells} cells of ${m.tables} tables (${m.biggest.join(", ")}, …); ${m.scrolling.length} scroll: ${m.scrolling.slice(0, 8).join(", ")}`,
      );
      expect(m.tables).toBeGreaterThan(least);
      expect(m.broken).toEqual([]);
      expect(m.overflowing).toEqual([]);
      expect(m.pageWidth).toBeLessThanOrEqual(width);
      await context.close();
    }, 60_000);
  }

  it("takes screenshots of m.room.member's tables at 1280 and 390 px", async () => {
    const dir = process.env.UPDATE_SCREENSHOTS ? path.join(REPO, "docs") : tempDir();
    mkdirSync(dir, { recursive: true });
    // Its content table at both widths, and its membership csv-table (in the event's description) on a phone.
    for (const [name, width, height, selector] of [
      ["tables-1280", 1280, 1000, "#m-room-member_content"],
      ["tables-390", 390, 1400, "#m-room-member_content"],
      ["tables-390-csv", 390, 900, "#m-room-member .table-scroll"],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height } });
      const tab = await context.newPage();
      await tab.goto(pathToFileURL(path.join(out, "index.html")).href);
      await tab.locator(selector).evaluate((el) => el.scrollIntoView());
      const file = path.join(dir, `${name}.png`);
      await tab.screenshot({ path: file });
      expect(statSync(file).size).toBeGreaterThan(10_000);
      await context.close();
    }
  });
});
