/**
 * The preview's edit-to-page latency as an editor sees it: `specgen serve` in
 * its own process, the page open in Chromium, a schema saved, and the time
 * until the new text is in the open page (the same tab through all the edits). Undefined when Chromium is missing.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";

export async function serveLatency(
  cli: string,
  root: string,
  schema: string,
  edits: number,
): Promise<{ times: number[]; rssMb: number; missed: number } | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const server = spawn(process.execPath, [cli, "serve", root, "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout.on("data", (d: Buffer) => {
      const m = /(http:\/\/\S+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    server.on("exit", () => reject(new Error("specgen serve exited")));
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const original = readFileSync(schema, "utf8");
  // The probe text goes at the start of the first description, plain or block scalar.
  const at = /description: (?:[|>][-+]?\n\s+)?(?=[A-Za-z])/.exec(original);
  if (!at) throw new Error(`${schema} has no description to edit`);
  const insertAt = at.index + at[0].length;
  const times: number[] = [];
  let missed = 0;
  try {
    const page = await browser.newPage();
    const pagePath = await findPage(url, schema);
    // The page stays open, as in an editor's browser: Chromium opens its event
    // stream only after the page has loaded, which is no part of an edit's latency.
    await page.goto(new URL(pagePath, url).href);
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < edits; i++) {
      const text = `Latency probe ${i}.`;
      const started = performance.now();
      writeFileSync(schema, `${original.slice(0, insertAt)}${text} ${original.slice(insertAt)}`);
      try {
        await page.waitForFunction((t) => document.body.textContent?.includes(t), text, { timeout: 15_000, polling: "raf" });
        times.push(performance.now() - started);
      } catch {
        missed++;
      }
      // Time for a page that reloads to connect again before the next edit.
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    writeFileSync(schema, original);
    await browser.close();
  }
  const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
  const rssMb = Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  server.kill("SIGTERM");
  if (missed > 0) process.stderr.write(`serve latency: ${missed} of ${edits} edits did not reach the page within 15 s\n`);
  return { times, rssMb, missed };
}

/** The page showing the event of `schema`: the first page that holds its block. */
async function findPage(url: string, schema: string): Promise<string> {
  const name = schema.split("/").pop() as string;
  const index = await (await fetch(url)).text();
  const pages = ["index.html", ...[...index.matchAll(/href="([^"#]+\.html)"/g)].map((m) => m[1])];
  for (const page of pages) {
    const html = await (await fetch(new URL(page, url))).text();
    if (html.includes(`id="${name.toLowerCase().replace(/[^a-z0-9_]+/g, "-")}"`)) return page;
  }
  throw new Error(`no page shows ${name}`);
}
