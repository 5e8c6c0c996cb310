/** `specgen serve` over HTTP: served from memory, rebuilt on change, errors as events, traversal refused. */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { placeholderPage } from "../src/serve/client.js";
import { type Preview, serve } from "../src/serve/index.js";
import { sitePath } from "../src/serve/server.js";
import { copySample, REPO } from "./helpers.js";

/** Reads server-sent events from the preview, collecting them by name. */
function listen(url: string, query = "") {
  const events: { event: string; data: unknown }[] = [];
  const controller = new AbortController();
  const ready = fetch(new URL(`/__specgen/events${query}`, url), { signal: controller.signal }).then(async (res) => {
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data) events.push({ event, data: JSON.parse(data) });
            end = buffer.indexOf("\n\n");
          }
        }
      } catch {
        // aborted
      }
    })();
  });
  const waitFor = async (predicate: (e: { event: string; data: unknown }) => boolean, ms = 10_000) => {
    const start = Date.now();
    for (;;) {
      const found = events.find(predicate);
      if (found) return found;
      if (Date.now() - start > ms) throw new Error(`no matching event; got ${JSON.stringify(events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { events, ready, waitFor, close: () => controller.abort() };
}

/** A raw GET, so that the path is sent exactly as written. */
function rawGet(url: string, rawPath: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method: "GET" }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

let preview: Preview | undefined;
afterEach(async () => {
  await preview?.close();
  preview = undefined;
});

describe("specgen serve", () => {
  it("serves pages with the live-reload client, rebuilds on change, overlays errors, and clears them", async () => {
    const root = copySample();
    preview = await serve({ root, port: 0, host: "127.0.0.1" });
    expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = new URL("modules/end_to_end_encryption.html", preview.url);
    const first = await (await fetch(page)).text();
    expect(first).toContain('data-event-type="m.room_key.withheld"');
    expect(first).toMatch(/<script src="\/__specgen\/client.js" data-build="\d+"><\/script>/);

    const sse = listen(preview.url);
    await sse.ready;
    await sse.waitFor((e) => e.event === "errors");

    const schema = path.join(root, "event-schemas/schema/m.room_key.withheld");
    const original = readFileSync(schema, "utf8");
    writeFileSync(schema, original.replace("A machine-readable code", "A fresh machine-readable code"));
    const reload = await sse.waitFor((e) => e.event === "reload");
    expect(reload.data).toEqual(["modules/end_to_end_encryption.html"]);
    expect(await (await fetch(page)).text()).toContain("A fresh machine-readable code");

    writeFileSync(schema, `${original}\n  broken: [unclosed\n`);
    const errors = await sse.waitFor((e) => e.event === "errors" && (e.data as unknown[]).length > 0);
    expect(JSON.stringify(errors.data)).toContain("event-schemas/schema/m.room_key.withheld");
    // With the lines around the error, as the CLI's pretty reporter shows them.
    expect((errors.data as { frame?: string }[]).some((e) => e.frame?.includes("broken: [unclosed"))).toBe(true);
    expect(await (await fetch(page)).text()).toContain("A fresh machine-readable code");

    sse.events.length = 0;
    writeFileSync(schema, original);
    await sse.waitFor((e) => e.event === "errors" && (e.data as unknown[]).length === 0);
    await sse.waitFor((e) => e.event === "reload");
    expect(await (await fetch(page)).text()).not.toContain("A fresh machine-readable code");

    // A new page is served as soon as it is saved, also when saved by rename.
    writeFileSync(path.join(root, "specification/new.tmp"), "# Brand new page\n");
    renameSync(path.join(root, "specification/new.tmp"), path.join(root, "specification/new.md"));
    await sse.waitFor((e) => e.event === "reload" && (e.data as string[]).includes("new.html"));
    expect(await (await fetch(new URL("new.html", preview.url))).text()).toContain("Brand new page");
    sse.close();
  });

  it("rebuilds afresh when the formats file changes, since it is read with the config", async () => {
    const root = copySample();
    const schema = path.join(root, "event-schemas/schema/m.room_key.withheld");
    writeFileSync(schema, readFileSync(schema, "utf8").replace("room_id:\n", "room_id:\n        format: mx-room-id\n"));
    mkdirSync(path.join(root, "data"));
    writeFileSync(path.join(root, "data/string-formats.yaml"), "mx-room-id: {title: Room ID}\n");
    preview = await serve({ root, port: 0, host: "127.0.0.1" });
    const page = new URL("modules/end_to_end_encryption.html", preview.url);
    expect(await (await fetch(page)).text()).toContain("Room ID");
    const sse = listen(preview.url);
    await sse.ready;
    writeFileSync(path.join(root, "data/string-formats.yaml"), "mx-room-id: {title: Room identifier}\n");
    await sse.waitFor((e) => e.event === "reload");
    expect(await (await fetch(page)).text()).toContain("Room identifier");
    sse.close();
  });

  it("reloads a tab whose page changed between serving it and its script connecting", async () => {
    const root = copySample();
    const rebuilt: string[][] = [];
    preview = await serve({ root, port: 0, host: "127.0.0.1", onRebuild: (e) => rebuilt.push(e.changedPages) });
    const html = await (await fetch(new URL("modules/end_to_end_encryption.html", preview.url))).text();
    const build = /data-build="(\d+)"/.exec(html)?.[1];
    expect(build).toBeDefined();
    const schema = path.join(root, "event-schemas/schema/m.room_key.withheld");
    writeFileSync(schema, readFileSync(schema, "utf8").replace("A machine-readable code", "A changed code"));
    await expect.poll(() => rebuilt.some((pages) => pages.includes("modules/end_to_end_encryption.html")), { timeout: 10_000 }).toBe(true);
    // The tab connects only now, saying which build its page came from.
    const late = listen(preview.url, `?page=modules%2Fend_to_end_encryption.html&build=${build}`);
    await late.ready;
    expect((await late.waitFor((e) => e.event === "reload")).data).toEqual(["modules/end_to_end_encryption.html"]);
    late.close();
    // A tab served after the change is up to date: no reload.
    const fresh = /data-build="(\d+)"/.exec(await (await fetch(new URL("modules/end_to_end_encryption.html", preview.url))).text())?.[1];
    const current = listen(preview.url, `?page=modules%2Fend_to_end_encryption.html&build=${fresh}`);
    await current.ready;
    await current.waitFor((e) => e.event === "errors");
    await new Promise((r) => setTimeout(r, 200));
    expect(current.events.filter((e) => e.event === "reload")).toEqual([]);
    current.close();
  });

  it("serves nothing outside the rendered site", async () => {
    const root = copySample();
    preview = await serve({ root, port: 0, host: "127.0.0.1" });
    for (const p of [
      "/../package.json",
      "/..%2f..%2fetc%2fpasswd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/%252e%252e/event-schemas/schema/m.room_key.withheld",
      "/event-schemas/",
      "/specification/index.md",
      "/modules/",
      "/..\\..\\etc\\passwd",
    ]) {
      expect(await rawGet(preview.url, p), p).toBe(404);
    }
    expect(await rawGet(preview.url, "/")).toBe(200);
    expect(await rawGet(preview.url, "/style.css")).toBe(200);
  });

  it("escapes the page name and the errors on a placeholder page", () => {
    const html = placeholderPage('<b>"x".html', [
      { file: "a<i>.yaml", line: 3, code: "parse-syntax", message: "<script>alert(1)</script>" },
    ]);
    expect(html).not.toMatch(/<(b|i|script)>/);
    expect(html).toContain("<h1>&#60;b&#62;&#34;x&#34;.html is not rendered</h1>");
    expect(html).toContain("<li><code>a&#60;i&#62;.yaml:3</code> parse-syntax: &#60;script&#62;alert(1)&#60;/script&#62;</li>");
  });

  it("maps URL paths to site files", () => {
    expect(sitePath("/")).toBe("index.html");
    expect(sitePath("/modules/a.html")).toBe("modules/a.html");
    expect(sitePath("/modules/")).toBe("modules/index.html");
    expect(sitePath("/a/../b")).toBeUndefined();
    expect(sitePath("/%2e%2e/b")).toBeUndefined();
    expect(sitePath("/%252e%252e/b")).toBeUndefined();
    expect(sitePath("/%E0%A4%A")).toBeUndefined();
  });

  it("stops within a second of SIGTERM", async () => {
    const root = copySample();
    const child = spawn(process.execPath, [path.join(REPO, "bin/specgen.js"), "serve", root, "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        const m = /(http:\/\/\S+)/.exec(String(d));
        if (m) resolve(m[1]);
      });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += String(d);
      });
      child.on("exit", (code, signal) => reject(new Error(`exited early: ${code} ${signal} ${stderr}`)));
    });
    expect(url).toContain("127.0.0.1");
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
