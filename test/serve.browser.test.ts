/** The preview as an editor uses it, in Chromium: edits arrive by themselves, errors overlay the last good page. */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Preview, serve } from "../src/serve/index.js";
import { hasChromium, launchChromium } from "./browser.js";
import { copySample, REPO, writeFiles } from "./helpers.js";

describe.skipIf(!hasChromium)("specgen serve in Chromium", () => {
  let browser: Browser;
  let preview: Preview;
  let root: string;
  beforeAll(async () => {
    root = copySample();
    preview = await serve({ root, port: 0, host: "127.0.0.1" });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await preview?.close();
  });

  it("shows an edit without a reload, overlays a broken save, clears it on the fix, keeps the scroll", async () => {
    const page = await browser.newPage();
    await page.goto(new URL("modules/end_to_end_encryption.html", preview.url).href);
    const section = page.locator('section[data-event-type="m.room_key.withheld"]');
    await expect.poll(() => section.count()).toBe(1);
    await page.evaluate(() => window.scrollTo(0, 400));
    const schema = path.join(root, "event-schemas/schema/m.room_key.withheld");
    const original = readFileSync(schema, "utf8");

    // A mark on the window survives an update in place, and would not survive a reload.
    await page.evaluate(() => Object.assign(window, { specgenMark: 1 }));
    const header = await page.evaluate(() => document.querySelector("header")?.outerHTML);
    writeFileSync(schema, original.replace("A machine-readable code", "An edited machine-readable code"));
    await page.waitForFunction(() => document.body.textContent?.includes("An edited machine-readable code"), undefined, {
      timeout: 10_000,
    });
    expect(await page.evaluate(() => window.scrollY)).toBe(400);
    expect(await page.evaluate(() => "specgenMark" in window)).toBe(true);
    // The unchanged header, which the page's script set up (the search box shown), is kept as it is.
    expect(await page.evaluate(() => document.querySelector("header")?.outerHTML)).toBe(header);
    expect(await page.locator("search.search").isVisible()).toBe(true);

    writeFileSync(schema, original.replace("properties:", "properties: ["));
    const overlay = page.locator("#specgen-overlay");
    await overlay.waitFor({ state: "visible", timeout: 10_000 });
    expect(await overlay.textContent()).toContain("event-schemas/schema/m.room_key.withheld");
    expect((await overlay.locator("pre").allTextContents()).join("\n")).toContain("properties: [");
    expect(await page.locator('section[data-event-type="m.room_key.withheld"]').count()).toBe(1);

    writeFileSync(schema, original);
    await overlay.waitFor({ state: "detached", timeout: 10_000 });
    await page.waitForFunction(() => !document.body.textContent?.includes("An edited machine-readable code"), undefined, {
      timeout: 10_000,
    });
    await page.close();
  });

  /** The module page, set up by its script, with a mark on its window that only a reload removes. */
  async function openMarked(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(new URL("modules/end_to_end_encryption.html", preview.url).href);
    await page.locator("search.search").waitFor({ state: "visible" });
    await page.evaluate(() => Object.assign(window, { specgenMark: 1 }));
    return page;
  }

  it("reloads the page when the part holding the search box changed (the page's script sets it up once)", async () => {
    const page = await openMarked();
    const config = path.join(root, "specgen.config.yaml");
    writeFileSync(config, "title: Renamed Spec\n");
    await page.waitForFunction(() => document.querySelector(".site-title")?.textContent === "Renamed Spec", undefined, {
      timeout: 10_000,
    });
    expect(await page.evaluate(() => "specgenMark" in window)).toBe(false);
    await page.locator("search.search").waitFor({ state: "visible" });
    rmSync(config);
    await page.waitForFunction(() => document.querySelector(".site-title")?.textContent === "Specification", undefined, {
      timeout: 10_000,
    });
    await page.close();
  });

  it("reloads the page when a file it loaded changed (a style sheet override), not for the search index", async () => {
    const page = await openMarked();
    const builtIn = readFileSync(path.join(REPO, "templates/style.css"), "utf8");
    writeFiles(root, { "templates/style.css": `${builtIn}\nbody { background-color: rgb(1, 2, 3); }\n` });
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)", undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => "specgenMark" in window)).toBe(false);
    rmSync(path.join(root, "templates"), { recursive: true });
    await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor !== "rgb(1, 2, 3)", undefined, { timeout: 10_000 });
    await page.close();
  });

  it("serves a new page as soon as it is saved", async () => {
    const page = await browser.newPage();
    writeFiles(root, { "specification/fresh.md": "# A fresh page\n\nHello.\n" });
    await expect
      .poll(async () => (await page.goto(new URL("fresh.html", preview.url).href))?.status(), { timeout: 10_000, interval: 100 })
      .toBe(200);
    expect(await page.locator("h1").textContent()).toContain("A fresh page");
    await page.close();
  });
});
