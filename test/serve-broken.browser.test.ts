/**
 * `specgen serve` started on a spec with an error, as a user runs it: the page
 * is served with the overlay over what rendered, the terminal prints the error
 * as `check` does, and the fix brings the page back without a reload.
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "./browser.js";
import { copySample, REPO, writeFiles } from "./helpers.js";

describe.skipIf(!hasChromium)("specgen serve on a broken spec, in Chromium", () => {
  let browser: Browser;
  let child: ChildProcessByStdio<null, Readable, Readable> | undefined;
  let stderr = "";
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    child?.kill("SIGTERM");
  });

  /** Waits until the terminal output holds `text` (`from` on), and returns where it ends. */
  async function printed(text: string, from = 0): Promise<number> {
    await expect.poll(() => stderr.indexOf(text, from), { timeout: 10_000, interval: 50 }).toBeGreaterThanOrEqual(from);
    return stderr.indexOf(text, from) + text.length;
  }

  it("overlays the error on the page, prints it, and brings the page back on the fix without a reload", async () => {
    const root = copySample();
    const schema = path.join(root, "event-schemas/schema/m.room_key.withheld");
    const original = readFileSync(schema, "utf8");
    writeFileSync(schema, original.replace("properties:", "properties: ["));

    child = spawn(process.execPath, [path.join(REPO, "bin/specgen.js"), "serve", root, "--port", "0"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += String(d);
    });
    const url = await new Promise<string>((resolve, reject) => {
      child?.stdout.on("data", (d: Buffer) => {
        const m = /(http:\/\/\S+)/.exec(String(d));
        if (m) resolve(m[1]);
      });
      child?.on("exit", (code) => reject(new Error(`serve exited early (${code}): ${stderr}`)));
    });

    // The terminal: the error as `check` prints it (place, rule, code frame), then the build's line.
    let at = await printed("warning(s)\n");
    const first = stderr.slice(0, at);
    expect(first).toMatch(/^event-schemas\/schema\/m\.room_key\.withheld:\d+:\d+ {2}error {2}parse-syntax {2}/m);
    expect(first).toMatch(/^ +\d+ \| properties: \[$/m);
    expect(first).toMatch(/^built in \d+ ms, \d+ page\(s\); [1-9]\d* error\(s\), 0 warning\(s\)$/m);

    // The page is served (not a 404), with the overlay over what rendered.
    const page = await browser.newPage();
    const response = await page.goto(new URL("modules/end_to_end_encryption.html", url).href);
    expect(response?.status()).toBe(200);
    const overlay = page.locator("#specgen-overlay");
    await overlay.waitFor({ state: "visible", timeout: 10_000 });
    expect(await overlay.textContent()).toContain("event-schemas/schema/m.room_key.withheld");
    expect((await overlay.locator("pre").allTextContents()).join("\n")).toContain("properties: [");
    expect(await page.locator('section[data-event-type="m.room_key.withheld"]').count()).toBe(0);
    await page.evaluate(() => Object.assign(window, { specgenMark: 1 }));

    // A page the site does not have (a folder's URL): a placeholder with the live client, the overlay over it.
    const missing = await browser.newPage();
    expect((await missing.goto(new URL("later/", url).href))?.status()).toBe(404);
    await missing.locator("#specgen-overlay").waitFor({ state: "visible", timeout: 10_000 });
    expect(await missing.locator("h1").textContent()).toContain("later/index.html is not rendered");
    // Hidden, the overlay leaves the placeholder, which lists the errors too.
    await missing.getByRole("button", { name: "Hide" }).click();
    expect(await missing.locator("main li").first().textContent()).toMatch(
      /^event-schemas\/schema\/m\.room_key\.withheld:\d+ parse-syntax: /,
    );

    // The fix: the overlay goes and the event comes, in place (the mark on the window stays).
    writeFileSync(schema, original);
    await overlay.waitFor({ state: "detached", timeout: 10_000 });
    await page.locator('section[data-event-type="m.room_key.withheld"]').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => "specgenMark" in window)).toBe(true);

    at = await printed("warning(s)\n", at);
    const fixed = stderr.slice(first.length, at);
    // The placeholder turns into the page once it is written.
    writeFiles(root, { "specification/later/index.md": "# Written later\n" });
    await missing.waitForFunction(() => document.querySelector("h1")?.textContent === "Written later", undefined, { timeout: 10_000 });
    expect(await missing.locator("#specgen-overlay").count()).toBe(0);
    await missing.close();
    expect(fixed).toMatch(/^fixed: event-schemas\/schema\/m\.room_key\.withheld:\d+:\d+ {2}parse-syntax {2}/m);
    expect(fixed).toMatch(/^rebuilt in \d+ ms, \d+ page\(s\) changed; 0 error\(s\), 0 warning\(s\)\n$/m);
    expect(fixed).not.toContain("  error  ");
    await page.close();
  });
});
