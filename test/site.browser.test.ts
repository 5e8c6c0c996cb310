/**
 * The built sample site in headless Chromium, opened from file:// as a reader
 * would: accessibility (axe-core), no request leaving the output folder, search
 * from the index page, the layout at phone width, and screenshots.
 * Skips with a message when /usr/bin/chromium is not installed
 * (`apt-get install chromium`; .ci/run installs it).
 *
 * `UPDATE_SCREENSHOTS=1 npm test` writes the screenshots to docs/ for review.
 */
import { cpSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { build } from "../src/pipeline.js";
import { hasChromium, launchChromium } from "./browser.js";
import { copySample, REPO, tempDir } from "./helpers.js";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const MODULE_PAGE = "modules/end_to_end_encryption.html";

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

describe.skipIf(!hasChromium)("the sample site in Chromium", () => {
  let browser: Browser;
  let out: string;
  const requests: string[] = [];
  const url = (page: string, fragment = "") => pathToFileURL(path.join(out, page)).href + fragment;

  beforeAll(async () => {
    const root = copySample();
    cpSync(path.join(REPO, "specgen.config.yaml"), path.join(root, "specgen.config.yaml"));
    const result = await build(loadConfig(root));
    expect(result.written).toBe(true);
    out = path.join(root, "output");
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(page: string, options: { width?: number; height?: number; dark?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
      colorScheme: options.dark ? "dark" : "light",
    });
    const tab = await context.newPage();
    tab.on("request", (r) => {
      requests.push(r.url());
    });
    await tab.goto(url(page));
    return tab;
  }

  async function axeViolations(tab: Page): Promise<AxeViolation[]> {
    await tab.addScriptTag({ path: AXE });
    const result = await tab.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
      return (await axe.run()).violations;
    });
    return result.filter((v) => v.impact === "serious" || v.impact === "critical");
  }

  it("has no serious or critical axe violations on the module page, light and dark, wide and narrow", async () => {
    for (const options of [{}, { dark: true }, { width: 390 }, { width: 390, dark: true }]) {
      const tab = await open(MODULE_PAGE, options);
      const violations = await axeViolations(tab);
      expect(
        violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`),
        JSON.stringify(options),
      ).toEqual([]);
      await tab.context().close();
    }
  });

  it("finds sender_key and m.room_key.withheld from the index page, offline", async () => {
    const tab = await open("index.html");
    const box = tab.getByRole("searchbox", { name: "Search the specification" });
    await box.fill("sender_key");
    const results = tab.locator("#search-results a");
    await expect.poll(() => results.count()).toBeGreaterThan(0);
    const first = results.first();
    expect(await first.locator(".result-title").textContent()).toBe("sender_key");
    expect(await first.getAttribute("href")).toBe(`${MODULE_PAGE}#m-room_key-withheld_content`);

    await box.fill("m.room_key.withheld");
    await expect.poll(() => results.first().locator(".result-title").textContent()).toBe("m.room_key.withheld");
    expect(await results.first().getAttribute("href")).toBe(`${MODULE_PAGE}#m-room_key-withheld`);
    await box.press("Enter");
    await tab.waitForURL(url(MODULE_PAGE, "#m-room_key-withheld"));
    expect(await tab.locator("#m-room_key-withheld h3").textContent()).toContain("m.room_key.withheld");
    await tab.context().close();
  });

  it("searches from a page in a sub-folder with links relative to it", async () => {
    const tab = await open(MODULE_PAGE);
    await tab.getByRole("searchbox").fill("Sample");
    const result = tab.locator("#search-results a").first();
    await expect.poll(() => result.getAttribute("href")).toBe("../index.html");
    await tab.context().close();
  });

  it("copies a heading's link when its # is clicked, and follows it", async () => {
    const tab = await open(MODULE_PAGE);
    await tab.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await tab.getByRole("link", { name: "Link to this section: Key requests" }).click();
    await tab.waitForURL(url(MODULE_PAGE, "#key-requests"));
    await expect.poll(() => tab.evaluate(() => navigator.clipboard.readText())).toBe(url(MODULE_PAGE, "#key-requests"));
    await tab.context().close();
  });

  it("fits a 390 px screen, with the sidebar behind the Contents link", async () => {
    const tab = await open(MODULE_PAGE, { width: 390 });
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await tab.locator(".site-name").textContent()).toBe("Sample Spec v0.1");
    const nav = tab.getByRole("navigation", { name: "Pages" });
    expect(await nav.isVisible()).toBe(false);
    await tab.getByRole("link", { name: "Contents" }).click();
    expect(await nav.isVisible()).toBe(true);
    await tab.context().close();
  });

  it("loads nothing from outside the output folder", async () => {
    requests.length = 0;
    for (const page of ["index.html", MODULE_PAGE]) {
      const tab = await open(page);
      await tab.getByRole("searchbox").fill("m.room_key");
      await expect.poll(() => tab.locator("#search-results a").count()).toBeGreaterThan(0);
      await tab.context().close();
    }
    expect(requests.some((r) => r.endsWith("/search-index.js"))).toBe(true);
    expect(requests.some((r) => r.endsWith("/style.css"))).toBe(true);
    const outside = requests.filter((r) => !r.startsWith(pathToFileURL(out).href));
    expect(outside).toEqual([]);
  });

  it("takes screenshots of the module page at 1280 and 390 px", async () => {
    const dir = process.env.UPDATE_SCREENSHOTS ? path.join(REPO, "docs") : tempDir();
    mkdirSync(dir, { recursive: true });
    // From the withheld event's heading at 1280 px, from its table at 390 px: both show the table and the example;
    // and the top of the page at 390 px, with the header and search.
    for (const [name, width, height, id] of [
      ["module-1280", 1280, 1800, "m-room_key-withheld"],
      ["module-390", 390, 1700, "m-room_key-withheld_content"],
      ["module-390-top", 390, 844, ""],
    ] as const) {
      const tab = await open(MODULE_PAGE, { width, height });
      if (id) await tab.evaluate((target) => document.getElementById(target)?.scrollIntoView(), id);
      const file = path.join(dir, `${name}.png`);
      await tab.screenshot({ path: file });
      expect(statSync(file).size).toBeGreaterThan(10_000);
      await tab.context().close();
    }
  });
});
