/**
 * Today's Matrix spec (../shared/corpus/matrix-spec-v1.9, Hugo layout) built
 * and opened in Chromium from file://: its site-absolute links work there,
 * its ids are the published ones, and maths (a later revision's, in a small
 * Hugo root of its own) renders without a script. Skips with a message when
 * Chromium or the corpus is not there.
 *
 * `UPDATE_SCREENSHOTS=1 npm test` writes the screenshots to docs/hugo-*.png for review.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { build, check } from "../src/pipeline.js";
import { hasChromium, launchChromium } from "./browser.js";
import { makeRoot, REPO, tempDir } from "./helpers.js";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const V19 = path.resolve(REPO, "../shared/corpus/matrix-spec-v1.9");
const hasV19 = existsSync(V19);

/** A Hugo root whose config turns on Goldmark's passthrough, as later revisions of the spec do for their maths. */
const MATHS_ROOT = {
  "config.toml": [
    'title = "Maths"',
    "[markup.goldmark.renderer]",
    "unsafe = true",
    "[markup.goldmark.extensions.passthrough]",
    "enable = true",
    "[markup.goldmark.extensions.passthrough.delimiters]",
    "block = [['\\[', '\\]'], ['$$', '$$']]",
    "inline = [['\\(', '\\)']]",
    "",
  ].join("\n"),
  "content/_index.md": [
    "---",
    "title: Ratchets",
    "---",
    "",
    "## The ratchet",
    "",
    "The ratchet value \\(R_{i,j}\\) advances by hashing each part \\(j\\) in turn:",
    "",
    "\\[",
    "R_{i,j} = \\begin{cases} H_0(R_{i-1,j}) & \\text{if } (i \\bmod 2^{24-8j}) = 0 \\\\ R_{i-1,j} & \\text{otherwise} \\end{cases}",
    "\\]",
    "",
    "and the key is \\(K = \\mathrm{HKDF}(0, R, \\text{OLM\\_KEYS}, 80)\\).",
    "",
  ].join("\n"),
  "data/event-schemas/schema/.keep": "",
};

describe.skipIf(!hasChromium || !hasV19)("the Hugo layout in Chromium", () => {
  let browser: Browser;
  let out: string;
  let maths: string;
  const url = (root: string, page: string, fragment = "") => pathToFileURL(path.join(root, page)).href + fragment;

  beforeAll(async () => {
    // Rendered whole and written here: v1.9's data has examples that break their schemas (errors), so `build` publishes nothing.
    out = tempDir();
    const site = await check(loadConfig(V19));
    for (const [file, content] of [...site.files, ...site.staticFiles]) {
      mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
      writeFileSync(path.join(out, file), content);
    }
    maths = tempDir();
    expect((await build(loadConfig(makeRoot(MATHS_ROOT), { out: maths }))).written).toBe(true);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(root: string, page: string, width = 1280, height = 900): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height } });
    const tab = await context.newPage();
    await tab.goto(url(root, page));
    return tab;
  }

  it("follows a site-absolute link of the sources from file:// to the published id", async () => {
    const tab = await open(out, "rooms/v9/index.html");
    // content/rooms/v9.md writes [`m.room.member`](/client-server-api#mroommember).
    const link = tab.locator('a[href$="client-server-api/index.html#mroommember"]').first();
    await link.click();
    await tab.waitForURL(/client-server-api\/index\.html#mroommember$/);
    expect(await tab.evaluate(() => document.getElementById("mroommember")?.textContent)).toContain("m.room.member");
    await tab.context().close();
  });

  it("has no serious or critical axe violations on a room version page, a page with boxes and the maths page", async () => {
    for (const [root, page] of [
      [out, "rooms/v11/index.html"],
      [out, "appendices/index.html"],
      [maths, "index.html"],
    ] as const) {
      const tab = await open(root, page);
      await tab.addScriptTag({ path: AXE });
      const violations = await tab.evaluate(async () => {
        const axe = (
          globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }
        ).axe;
        return (await axe.run()).violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.nodes.length})`);
      });
      expect(violations, page).toEqual([]);
      await tab.context().close();
    }
  }, 120_000);

  it("renders maths as MathML with no script", async () => {
    const tab = await open(maths, "index.html");
    expect(await tab.locator("math").count()).toBe(4);
    expect(await tab.locator('math[display="block"] mfrac, math[display="block"] mtable').count()).toBeGreaterThan(0);
    expect(await tab.locator("script:not([src$='site.js'])").count()).toBe(0);
    const box = await tab.locator('math[display="block"]').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThan(30);
    await tab.context().close();
  });

  it("takes screenshots of the client-server API at 1280 and 390 px", async () => {
    const dir = process.env.UPDATE_SCREENSHOTS ? path.join(REPO, "docs") : tempDir();
    mkdirSync(dir, { recursive: true });
    const shots: [string, string, string, string][] = [
      ["top", out, "client-server-api/index.html", ""],
      ["event", out, "client-server-api/index.html", "#mroommember"],
      ["endpoint", out, "client-server-api/index.html", "#get_matrixclientv3sync"],
      ["note", out, "client-server-api/index.html", ".admonition-note"],
      ["maths", maths, "index.html", "#the-ratchet"],
    ];
    for (const [name, root, page, target] of shots) {
      for (const [width, height] of [
        [1280, 1000],
        [390, 844],
      ]) {
        const tab = await open(root, page, width, height);
        if (target) {
          await tab.evaluate((t) => {
            const el = t.startsWith("#") ? document.getElementById(t.slice(1)) : document.querySelector(t);
            el?.scrollIntoView();
            window.scrollBy(0, -16);
          }, target);
        }
        const file = path.join(dir, `hugo-${name}-${width}.png`);
        await tab.screenshot({ path: file });
        expect(statSync(file).size).toBeGreaterThan(10_000);
        await tab.context().close();
      }
    }
  }, 120_000);
});
