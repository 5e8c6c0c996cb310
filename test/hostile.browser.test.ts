/**
 * Hostile input in the browser (issue 14): a page file named like a URL
 * scheme, and a tampered search index, never make the search box run script
 * or leave the site. Skips with a message when /usr/bin/chromium is not installed.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { build } from "../src/pipeline.js";
import { SEARCH_GLOBAL, SEARCH_INDEX_FILE, type SearchEntry } from "../src/site/search.js";
import { hasChromium, launchChromium } from "./browser.js";
import { copySample, read, writeFiles } from "./helpers.js";

/** Page files whose names a browser would read as a URL with a scheme, a host or a query if left unencoded. */
const NAMES = ["javascript:alert(1)", "JavaScript:alert(2)", "vbscript:msgbox", "data:text", "a#b?c", "%2e%2e", " java script:x"];

async function buildHostile(): Promise<string> {
  const root = copySample();
  writeFiles(root, Object.fromEntries(NAMES.map((name, i) => [`specification/${name}.md`, `# Hostile ${i}\n\n## Part ${i}\n\nText.\n`])));
  const result = await build(loadConfig(root));
  expect(result.written).toBe(true);
  return path.join(root, "output");
}

describe("the search index of hostile page names", () => {
  it("holds only percent-encoded relative hrefs, each the page's static link, each leading to a page of the site", async () => {
    const out = await buildHostile();
    const sandbox: Record<string, unknown> = {};
    vm.runInNewContext(read(path.join(out, SEARCH_INDEX_FILE)), { self: sandbox });
    const entries = sandbox[SEARCH_GLOBAL] as SearchEntry[];
    const index = read(path.join(out, "index.html"));
    for (const [i] of NAMES.entries()) {
      const page = entries.find((e) => e.t === `Hostile ${i}` && e.k === "page");
      const part = entries.find((e) => e.t === `Part ${i}`);
      expect(page, NAMES[i]).toBeDefined();
      // The same href as the navigation's static link to it.
      expect(index).toContain(`href="${page?.u}"`);
      expect(part?.u.startsWith(`${page?.u}#`)).toBe(true);
    }
    for (const entry of entries) {
      expect(entry.u, entry.u).not.toMatch(/^[^/?#]*:|^\/|[\s\\]/);
      const file = decodeURIComponent(entry.u.split("#")[0]);
      expect(read(path.join(out, file)).length, entry.u).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(!hasChromium)("search in Chromium with hostile page names", () => {
  let browser: Browser;
  let out: string;
  beforeAll(async () => {
    out = await buildHostile();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("goes to the page named javascript:alert(1).md on Enter, and runs nothing", async () => {
    const tab = await browser.newPage();
    const dialogs: string[] = [];
    tab.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await tab.goto(pathToFileURL(path.join(out, "index.html")).href);
    const box = tab.getByRole("searchbox");
    for (const [i] of NAMES.entries()) {
      await box.fill(`Hostile ${i}`);
      await expect.poll(() => tab.locator("#search-results a").first().locator(".result-title").textContent()).toBe(`Hostile ${i}`);
      await box.press("Enter");
      await tab.waitForURL((u) => decodeURIComponent(u.pathname).endsWith(`/${NAMES[i]}.html`));
      expect(await tab.locator("h1").first().textContent()).toBe(`Hostile ${i}`);
      await tab.goBack();
    }
    expect(dialogs).toEqual([]);
    await tab.close();
  });

  it("refuses index entries that are not relative paths (a tampered index)", async () => {
    const evil = [
      "javascript:window.pwned=1",
      "JAVASCRIPT:window.pwned=2",
      " javascript:window.pwned=3",
      "java\tscript:window.pwned=4",
      "\u0001javascript:window.pwned=5",
      "data:text/html,<script>window.pwned=6</script>",
      "//evil.example/",
      "/etc/passwd",
      "\\\\evil.example\\x",
      "https://evil.example/",
    ];
    const tampered = [
      ...evil.map((u) => ({ t: `evil ${u}`, k: "page", u, c: "" })),
      { t: "evil but fine", k: "page", u: "index.html#fine", c: "" },
      { t: "evil not an entry", k: "page", u: 42, c: "" },
    ];
    writeFileSync(path.join(out, SEARCH_INDEX_FILE), `self.${SEARCH_GLOBAL} = ${JSON.stringify(tampered)};\n`);
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(path.join(out, "index.html")).href);
    await tab.getByRole("searchbox").fill("evil");
    await expect.poll(() => tab.locator("#search-results a").count()).toBe(1);
    expect(await tab.locator("#search-results a").getAttribute("href")).toBe("index.html#fine");
    expect(await tab.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    await tab.close();
  });
});
