/**
 * Hostile input, second round (issue 14): each class of hole a hostile test
 * found, with variants of its own. A contributor's sources and any web page
 * the editor has open are untrusted.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_CACHE_BYTES } from "../src/cache-file.js";
import { compilePattern } from "../src/examples/patterns.js";
import { MAX_NESTED_BLOCKS } from "../src/render/plugins/blocks.js";
import { type Preview, serve } from "../src/serve/index.js";
import { MAX_CLIENTS, PreviewServer } from "../src/serve/server.js";
import { watchRoot } from "../src/serve/watch.js";
import { OUTPUT_MARKER, STAGING_MARKER } from "../src/site/write.js";
import { checkRoot, copySample, makeRoot, REPO, rawRequest, specgen, tempDir, writeFiles } from "./helpers.js";

const S = "event-schemas/schema";
const E = "event-schemas/examples";

interface Found {
  code: string;
  severity: string;
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
  message: string;
}

function json(stdout: string): Found[] {
  return JSON.parse(stdout).diagnostics;
}

describe("patterns run in linear time, whatever they are", () => {
  it("ends within seconds on 50,000-character values against patterns a backtracking engine never finishes", () => {
    const long = `${"a".repeat(50_000)}!`;
    const patterns = {
      a: "^(\\p{L}+)+$", // needs the u flag, nested quantifiers
      b: "^(a|a)*$",
      c: "^(a|aa)+$",
      d: "^(.*a){12}$",
      e: "^([a-z]*)*[0-9]$",
    };
    const schema = [
      "type: object",
      "properties:",
      "  content:",
      "    type: object",
      "    properties:",
      ...Object.entries(patterns).map(([k, p]) => `      ${k}: {type: string, pattern: '${p}'}`),
      "    patternProperties:",
      "      '^(\\w+\\s)+$': {type: integer}",
      "    propertyNames: {pattern: '^([a-z]+)+$'}",
    ].join("\n");
    const content: Record<string, unknown> = Object.fromEntries(Object.keys(patterns).map((k) => [k, long]));
    content[`${"ab ".repeat(20_000)}!`] = "x";
    const root = makeRoot({ [`${S}/m.slow`]: schema, [`${E}/m.slow`]: JSON.stringify({ type: "m.slow", content }) });
    const started = Date.now();
    const r = specgen(["check", root, "--format", "json"]);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.code, r.stderr).toBe(1);
    const invalid = json(r.stdout).filter((d) => d.code === "example-invalid");
    for (const key of Object.keys(patterns)) {
      expect(invalid.filter((d) => d.message.startsWith(`/content/${key} must match pattern`)).length, key).toBe(1);
    }
    expect(invalid.filter((d) => d.message.startsWith("/content property name must be valid")).length).toBe(1);
  });

  it("reports a backreference or lookaround at the pattern (a warning), does not apply it, and reports the example's other errors", () => {
    const root = makeRoot({
      [`${S}/m.refs`]: [
        "type: object",
        "properties:",
        "  content:",
        "    type: object",
        "    properties:",
        "      same: {type: string, pattern: '^(a+)\\1$'}",
        "      ahead: {type: string, pattern: '^(?=.*[0-9])[a-z0-9]+$'}",
        "      behind: {type: string, pattern: '(?<!x)y'}",
        "      named: {type: string, pattern: '^(?<q>[ab])\\k<q>$'}",
        "      broken: {type: string, pattern: '(unclosed'}",
        "      count: {type: integer}",
        "    patternProperties:",
        "      '^(?!_)': {type: string}",
      ].join("\n"),
      [`${E}/m.refs`]: JSON.stringify({
        type: "m.refs",
        content: { same: `${"a".repeat(30_000)}b`, ahead: "a".repeat(30_000), behind: "xy", named: "ab", broken: "x", count: "no" },
      }),
    });
    const r = specgen(["check", root, "--format", "json"]);
    expect(r.code).toBe(1);
    const found = json(r.stdout).filter((d) => d.code !== "event-no-example" && d.code !== "property-no-description");
    const summary = found.map((d) => [d.code, d.severity, d.line, d.pointer]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ["pattern-unsupported", "warning", 6, "/properties/content/properties/same/pattern"],
        ["pattern-unsupported", "warning", 7, "/properties/content/properties/ahead/pattern"],
        ["pattern-unsupported", "warning", 8, "/properties/content/properties/behind/pattern"],
        ["pattern-unsupported", "warning", 9, "/properties/content/properties/named/pattern"],
        ["pattern-unsupported", "warning", 13, "/properties/content/patternProperties/^(?!_)"],
        ["schema-compile", "error", 10, "/properties/content/properties/broken/pattern"],
      ]),
    );
    // The invalid and unsupported patterns hide nothing: the integer is still checked.
    expect(found.filter((d) => d.code === "example-invalid").map((d) => d.message.split(" (")[0])).toEqual([
      "/content/count must be integer",
    ]);
  });
});

const get = (url: string, target: string, host = new URL(url).host) => rawRequest(url, `GET ${target} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);

describe("patterns mean what JavaScript's RegExp means", () => {
  const ATOMS = [
    "a",
    "b",
    ".",
    "\\s",
    "\\S",
    "\\w",
    "\\W",
    "\\d",
    "\\D",
    "\\b",
    "[a-c]",
    "[^a]",
    "[\\s!]",
    "\\p{L}",
    "\\P{L}",
    "\\u00e9",
    "\\x41",
    "(?:a|b)",
    "(a)",
    "(?<n>b)",
    "[^]",
    "\\.",
    "\\/",
    "-",
  ];
  const QUANTIFIERS = ["", "?", "*", "+", "{2}", "{1,3}", "*?"];
  const CHARS = [
    "a",
    "b",
    "c",
    "A",
    "é",
    "1",
    "٣",
    " ",
    "\t",
    "\n",
    "\r",
    "\v",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\ufeff",
    "!",
    ".",
    "/",
    "-",
    "😀",
  ];
  it("matches as RegExp (with the u flag) does, on random patterns and strings", () => {
    const pattern = fc
      .tuple(
        fc.constantFrom("", "^"),
        fc.array(fc.tuple(fc.constantFrom(...ATOMS), fc.constantFrom(...QUANTIFIERS)), { minLength: 1, maxLength: 4 }),
        fc.constantFrom("", "$"),
      )
      .map(([start, parts, end]) => start + parts.map(([a, q]) => (a === "\\b" ? a : a + q)).join("") + end);
    const input = fc.array(fc.constantFrom(...CHARS), { maxLength: 8 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(pattern, fc.array(input, { minLength: 1, maxLength: 10 }), (source, inputs) => {
        let js: RegExp;
        try {
          js = new RegExp(source, "u");
        } catch {
          return; // not a pattern (a name twice): reported, not run (see above)
        }
        const linear = compilePattern(source);
        for (const s of inputs) expect(linear.test(s), `${source} on ${JSON.stringify(s)}`).toBe(js.test(s));
      }),
      { numRuns: 300 },
    );
  });
});

describe("serve lives through hostile requests", () => {
  let preview: Preview | undefined;
  afterEach(async () => {
    await preview?.close();
    preview = undefined;
  });

  it("answers every malformed request target with a 4xx and goes on serving", async () => {
    preview = await serve({ root: copySample(), port: 0, host: "127.0.0.1" });
    const targets = [
      "//[",
      "//[::1",
      "//example.org/",
      "/\\\\[",
      "http://127.0.0.1/",
      "http://[/",
      "*",
      "/%",
      "/%E0%A4%A",
      "/%ff%fe",
      "/index.html%00",
      `/${"a".repeat(12_000)}`,
      `/${"%".repeat(5000)}`,
    ];
    for (const target of targets) {
      const status = await get(preview.url, target);
      expect(status, target).toBeGreaterThanOrEqual(400);
      expect(status, target).toBeLessThan(500);
    }
    // A target past Node's header limit, and a request line that is no request at all.
    expect(await get(preview.url, `/${"b".repeat(100_000)}`)).toBe(431);
    expect(await rawRequest(preview.url, "GET\r\n\r\n")).toBe(400);
    expect(await get(preview.url, "/")).toBe(200);
    expect(await get(preview.url, "/index.html?x=%zz#frag")).toBe(200);
    expect(await get(preview.url, "/__specgen/events?page=//[&build=%zz")).toBe(200);
    const host = new URL(preview.url).host;
    expect(await rawRequest(preview.url, `HEAD /__specgen/events HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).toBe(200);
  });

  it("refuses a Host that is not localhost, the bound host or an IP address, with the port (DNS rebinding)", async () => {
    preview = await serve({ root: copySample(), port: 0, host: "127.0.0.1" });
    const { port } = new URL(preview.url);
    const at = (host: string) => get(preview?.url ?? "", "/", host);
    for (const host of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `10.0.0.7:${port}`]) {
      expect(await at(host), host).toBe(200);
    }
    for (const host of [
      `evil.example:${port}`,
      `localhost.evil.example:${port}`,
      "localhost",
      `127.0.0.1:${Number(port) + 1}`,
      `localhost:${port}@evil`,
      "",
    ]) {
      expect(await at(host), host).toBe(403);
    }
    // The event stream is for the preview's own pages: another site's page (an EventSource, an <img>) is refused.
    const events = (headers: string) =>
      rawRequest(preview?.url ?? "", `GET /__specgen/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headers}\r\n`);
    expect(await events("Sec-Fetch-Site: same-origin\r\n")).toBe(200);
    expect(await events(`Origin: http://localhost:${port}\r\nSec-Fetch-Site: same-origin\r\n`)).toBe(200);
    expect(await events("")).toBe(200);
    expect(await events("Sec-Fetch-Site: cross-site\r\n")).toBe(403);
    expect(await events("Sec-Fetch-Site: same-site\r\n")).toBe(403);
    expect(await events("Origin: https://evil.example\r\n")).toBe(403);
    expect(await events(`Origin: http://127.0.0.1:${Number(port) + 1}\r\n`)).toBe(403);
    expect(await events("Origin: null\r\n")).toBe(403);
    // No Host at all (HTTP/1.0), and the event stream with a foreign Host.
    expect(await rawRequest(preview.url, "GET / HTTP/1.0\r\n\r\n")).toBe(403);
    expect(await get(preview.url, "/__specgen/events", `rebind.example:${port}`)).toBe(403);
  });

  it("caps live-reload clients and drops one that does not read", async () => {
    const server = new PreviewServer();
    const url = await server.listen(0, "127.0.0.1");
    try {
      const { port } = new URL(url);
      const open: net.Socket[] = [];
      const connect = () =>
        new Promise<{ socket: net.Socket; status: number }>((resolve, reject) => {
          const socket = net.connect(Number(port), "127.0.0.1", () =>
            socket.write(`GET /__specgen/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`),
          );
          socket.once("data", (d) => resolve({ socket, status: Number(/^HTTP\/1\.1 (\d+)/.exec(String(d))?.[1]) }));
          socket.on("error", reject);
          open.push(socket);
        });
      for (let i = 0; i < MAX_CLIENTS; i++) expect((await connect()).status).toBe(200);
      expect((await connect()).status).toBe(503);
      expect(server.liveClients).toBe(MAX_CLIENTS);
      // Nobody reads: each broadcast of 256 KB piles up until every client passes the bound and is dropped.
      for (const socket of open) socket.pause();
      const big = [{ code: "x", message: "m".repeat(256 * 1024) }];
      for (let i = 0; i < 40 && server.liveClients > 0; i++) {
        server.showErrors(big);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(server.liveClients).toBe(0);
      for (const socket of open) socket.destroy();
      // A new client is welcome again.
      const again = await connect();
      expect(again.status).toBe(200);
      again.socket.destroy();
    } finally {
      await server.close();
    }
  });

  it("exits 2 with a plain message when the port is busy or the host cannot be bound", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      const root = copySample();
      const inUse = specgen(["serve", root, "--port", String(busy)]);
      expect(inUse.code, inUse.stderr).toBe(2);
      expect(inUse.stderr).toContain(
        `\nspecgen: cannot serve on 127.0.0.1:${busy}: the port is in use (choose another with --port, or 0 for a free one)\n`,
      );
      expect(inUse.stderr).not.toMatch(/internal error|\n\s+at /);
      for (const host of ["192.0.2.1", "no-such-host.invalid"]) {
        const bad = specgen(["serve", root, "--port", "0", "--host", host]);
        expect(bad.code, host).toBe(2);
        expect(bad.stderr, host).not.toMatch(/internal error|\n\s+at /);
        expect(bad.stderr, host).toMatch(
          new RegExp(`^specgen: cannot serve on ${host.replace(/\./g, "\\.")}:0: no such address on this machine`, "m"),
        );
      }
    } finally {
      blocker.close();
    }
  });
});

describe("symlinked folders never lead outside the root", () => {
  it("reports a link to a folder outside the root once, at the link, and lists nothing behind it", () => {
    const root = copySample();
    const elsewhere = tempDir();
    writeFiles(elsewhere, { "secret.md": "# Secret\n", "m.secret": "type: object\n", "page.hbs": "{{body}}" });
    const links: Record<string, string> = {
      "event-schemas/schema/m.etc": "/etc",
      "event-schemas/schema/m.root": "/",
      "event-schemas/examples/elsewhere": elsewhere,
      "specification/elsewhere": elsewhere,
      "templates/elsewhere": elsewhere,
    };
    // A folder that cannot be followed (EACCES: on Linux, another process's working folder), where there is one.
    if (existsSync("/proc/1")) links["event-schemas/schema/m.cwd"] = "/proc/1/cwd";
    mkdirSync(path.join(root, "templates"), { recursive: true });
    for (const [at, target] of Object.entries(links)) symlinkSync(target, path.join(root, at));
    // Links inside the root are still followed; a link loop is a diagnostic.
    symlinkSync(path.join(root, "specification/modules"), path.join(root, "specification/again"));
    symlinkSync("loop", path.join(root, "event-schemas/schema/loop"));
    const r = specgen(["check", root, "--format", "json"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/internal error/);
    const found = json(r.stdout);
    const outside = found.filter((d) => d.code === "file-outside-root");
    expect(outside.map((d) => d.file).sort()).toEqual(
      Object.entries(links)
        .map(([at]) => at)
        .sort(),
    );
    expect(outside.every((d) => d.message.startsWith("is a symlink to a folder outside the spec root"))).toBe(true);
    expect(found.filter((d) => d.code === "file-unreadable").map((d) => d.file)).toEqual(["event-schemas/schema/loop"]);
    // Nothing behind a link is named.
    const named = found.map((d) => `${d.file} ${d.message}`).join("\n");
    for (const word of ["passwd", "secret", "hosts", "Secret"]) expect(named).not.toContain(word);
    expect(found.length).toBeLessThan(20);
  });

  it("the preview's watcher never walks a link that leaves the root, and still sees changes inside it", async () => {
    const root = copySample();
    const elsewhere = tempDir();
    writeFiles(elsewhere, { "m.secret": "type: object\n", "deep/more.md": "# More\n" });
    symlinkSync(elsewhere, path.join(root, "event-schemas/schema/m.away"));
    symlinkSync(path.join(root, "specification"), path.join(root, "event-schemas/again"));
    const seen: string[] = [];
    const watcher = await watchRoot({ root, ignore: [], debounceMs: 10, onChange: (paths) => seen.push(...paths) });
    try {
      writeFileSync(path.join(elsewhere, "m.secret"), "type: string\n");
      writeFileSync(path.join(elsewhere, "deep/more.md"), "# Changed\n");
      writeFileSync(path.join(root, "specification/index.md"), "# Home again\n");
      await new Promise((r) => setTimeout(r, 600));
    } finally {
      await watcher.close();
    }
    expect(seen.some((p) => p.endsWith(path.join("specification", "index.md")))).toBe(true);
    expect(seen.filter((p) => p.includes("m.away") || p.includes(elsewhere))).toEqual([]);
  });

  it("follows links anywhere when allowExternalRefs is on", () => {
    const root = copySample();
    const elsewhere = tempDir();
    writeFiles(elsewhere, { "extra.md": "# Extra page\n" });
    writeFiles(root, { "specgen.config.yaml": "allowExternalRefs: true\n" });
    symlinkSync(elsewhere, path.join(root, "specification/elsewhere"));
    const r = specgen(["build", root, "--format", "json"]);
    expect(r.code, r.stdout).toBe(0);
    expect(readdirSync(path.join(root, "output/elsewhere"))).toContain("extra.html");
  });
});

/** Events m.l0 … m.l{levels-1}: each one's description includes the next one's block `times` times. */
function nestedBlocks(levels: number, times: number): Record<string, string> {
  const files: Record<string, string> = { "specification/index.md": "# Home\n\n{{m_l0_event}}\n" };
  for (let i = 0; i < levels; i++) {
    const calls =
      i + 1 < levels
        ? Array(times)
            .fill(`  {{m_l${i + 1}_event}}\n\n`)
            .join("")
        : "  The end.\n";
    files[`${S}/m.l${i}`] = `description: |\n  Level ${i}.\n\n${calls}properties:\n  content: {type: object, description: c}\n`;
  }
  return files;
}

describe("block expansion is bounded", () => {
  it("stops at the bound with one located error, deep or wide, and renders small nestings", () => {
    for (const [levels, times] of [
      [8, 10], // 10^7 blocks
      [6, 5], // 3,905
      [2, MAX_NESTED_BLOCKS + 1], // wide: one level over the bound
    ]) {
      const root = makeRoot(nestedBlocks(levels, times));
      const started = Date.now();
      const r = specgen(["build", root, "--format", "json"]);
      expect(Date.now() - started, `${levels}×${times}`).toBeLessThan(20_000);
      expect(r.code, `${levels}×${times} ${r.stderr}`).toBe(1);
      const errors = json(r.stdout).filter((d) => d.severity === "error");
      expect(errors.map((d) => d.code)).toEqual(["block-expansion"]);
      expect(errors[0].file).toMatch(/^event-schemas\/schema\/m\.l\d$/);
      expect(errors[0].line).toBeGreaterThan(2);
      expect(errors[0].message).toContain(`more than ${MAX_NESTED_BLOCKS} blocks on page index.html`);
    }
    // 3 levels of 3: 12 nested blocks, all rendered (their ids repeat: a warning, not an error).
    const root = makeRoot(nestedBlocks(3, 3));
    const r = specgen(["build", root, "--format", "json"]);
    expect(r.code, r.stdout).toBe(0);
    const html = readFileSync(path.join(root, "output/index.html"), "utf8");
    expect(html.split("Level 2.").length - 1).toBe(9);
  });
});

describe("what check accepts, build renders", () => {
  it("builds examples holding strings of megabytes (plain, escaped, as keys) without a regex over a whole value", () => {
    const mb = 1024 * 1024;
    const schema = "type: object\nproperties:\n  content: {type: object, description: c}\n";
    const root = makeRoot({
      "specification/index.md": "# Home\n\n{{m_big_event}}\n\n{{m_escaped_event}}\n\n{{m_key_event}}\n",
      [`${S}/m.big`]: schema,
      [`${S}/m.escaped`]: schema,
      [`${S}/m.key`]: schema,
      [`${E}/m.big`]: JSON.stringify({ type: "m.big", content: { body: "x".repeat(9.5 * mb) } }),
      [`${E}/m.escaped`]: JSON.stringify({ type: "m.escaped", content: { body: '"\\<'.repeat(1.5 * mb) } }),
      [`${E}/m.key`]: JSON.stringify({ type: "m.key", content: { ["k".repeat(4 * mb)]: ["\u2028".repeat(mb)] } }),
    });
    const check = specgen(["check", root]);
    expect(check.code, check.stderr).toBe(0);
    const r = specgen(["build", root, "--format", "json"]);
    expect(r.code, r.stdout.slice(0, 2000)).toBe(0);
    const html = readFileSync(path.join(root, "output/index.html"), "utf8");
    expect(html).toContain(`<span class="hljs-string">&quot;${"x".repeat(9.5 * mb)}&quot;</span>`);
    expect(html).toContain(`&quot;${"\\&quot;\\\\&lt;".repeat(1.5 * mb)}&quot;`);
    expect(html).toContain(`<span class="hljs-attr">&quot;${"k".repeat(4 * mb)}&quot;</span>:`);
  });
});

/** A spec whose render takes a few seconds: many pages of many paragraphs. */
function slowRoot(): string {
  const root = copySample();
  const text = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} with *emphasis*, \`code\` and [a link](index.html).\n`).join("\n");
  const pages: Record<string, string> = {};
  for (let i = 0; i < 600; i++) pages[`specification/many/p${i}.md`] = `# Page ${i}\n\n## Part\n\n${text}`;
  writeFiles(root, pages);
  return root;
}

const staging = (root: string) => readdirSync(root).filter((n) => n.startsWith("output.tmp-"));

describe("an interrupted build leaves no staging folder", () => {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    it(`removes its staging folder on ${signal} during the render, keeps the previous site, and exits ${code}`, async () => {
      const root = slowRoot();
      if (signal === "SIGTERM") {
        // A previous site, which must stay as it was.
        mkdirSync(path.join(root, "output"));
        writeFiles(root, { [`output/${OUTPUT_MARKER}`]: "", "output/index.html": "previous" });
      }
      const child = spawn(process.execPath, [path.join(REPO, "bin/specgen.js"), "build", root], { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => {
        stderr += String(d);
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
      // Wait until pages are being written into the staging folder.
      const started = Date.now();
      while (!staging(root).some((n) => existsSync(path.join(root, n, "many")))) {
        if (Date.now() - started > 30_000) throw new Error(`no staging folder appeared: ${stderr}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      const sent = Date.now();
      child.kill(signal);
      expect(await exited, stderr).toBe(code);
      expect(Date.now() - sent).toBeLessThan(2000);
      expect(stderr).toContain(`specgen: stopped by ${signal}; nothing was written`);
      expect(staging(root)).toEqual([]);
      if (signal === "SIGTERM") expect(readFileSync(path.join(root, "output/index.html"), "utf8")).toBe("previous");
      else expect(existsSync(path.join(root, "output"))).toBe(false);
    }, 120_000);
  }

  it("removes the stale staging folders of its own output before it starts, and nothing else", () => {
    const root = copySample();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid as number; // a process id that has ended
    const folder = (name: string, files: Record<string, string>) => {
      mkdirSync(path.join(root, name));
      writeFiles(path.join(root, name), { "index.html": "half a site", ...files });
    };
    folder("output.tmp-aB3xZ9", { [STAGING_MARKER]: `${gone}\n` }); // killed mid-build
    folder("output.tmp-Qq1234.old", { [OUTPUT_MARKER]: "" }); // killed mid-publish
    folder("output.tmp-live01", { [STAGING_MARKER]: `${process.pid}\n` }); // a build still running
    folder("output.tmp-mine00", {}); // not marked: not specgen's
    folder("output.tmp-x", { [STAGING_MARKER]: `${gone}\n` }); // not a name specgen makes
    folder("other.tmp-abcdef", { [STAGING_MARKER]: `${gone}\n` }); // another output's
    writeFileSync(path.join(root, "output.tmp-file00"), "a file");
    const r = specgen(["build", root]);
    expect(r.code, r.stderr).toBe(0);
    expect(
      readdirSync(root)
        .filter((n) => n.includes(".tmp-"))
        .sort(),
    ).toEqual(["other.tmp-abcdef", "output.tmp-file00", "output.tmp-live01", "output.tmp-mine00", "output.tmp-x"]);
  });
});

describe("the parse cache is read and written only as a regular file", () => {
  it("ends, and replaces nothing, when the cache location is a FIFO, a device or a link to one", () => {
    const root = copySample();
    const dir = tempDir();
    const fifo = path.join(dir, "fifo");
    spawnSync("mkfifo", [fifo]);
    const link = path.join(dir, "link");
    symlinkSync("/dev/zero", link);
    for (const location of [fifo, "/dev/zero", "/dev/full", link].filter((f) => existsSync(f))) {
      const started = Date.now();
      const r = specgen(["check", root, "--cache-location", location]);
      expect(Date.now() - started, location).toBeLessThan(20_000);
      expect(r.code, `${location} ${r.stderr}`).toBe(0);
      expect(r.stderr).toContain(`specgen: cache not saved to ${location}: not a regular file`);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync("/dev/full").isCharacterDevice()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it("ignores a cache file over the size bound, and writes it anew", () => {
    const root = copySample();
    const file = path.join(tempDir(), "parsed.json");
    writeFileSync(file, "");
    truncateSync(file, MAX_CACHE_BYTES + 1); // sparse: costs no disk
    const r = specgen(["check", root, "--cache-location", file]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(file).size).toBeLessThan(1024 * 1024);
    expect(Object.keys(JSON.parse(readFileSync(file, "utf8")).values).length).toBeGreaterThan(5);
  });
});

describe("smaller holes", () => {
  it("keeps keys named __proto__, constructor and the like in tables, merged schemas and merged examples", () => {
    const names = ["__proto__", "constructor", "toString", "hasOwnProperty"];
    const props = names.map((n, i) => `      ${n}: {type: string, description: Field number ${i}.}`).join("\n");
    const root = makeRoot({
      "specification/index.md": "# Home\n\n{{m_keys_event}}\n\n{{m_merged_event}}\n",
      [`${S}/m.keys`]: `type: object\ndescription: K.\nproperties:\n  content:\n    type: object\n    description: C.\n    properties:\n${props}\n`,
      // Through allOf: the merged schema keeps them too.
      [`${S}/m.merged`]: [
        "type: object",
        "description: M.",
        "allOf:",
        "  - properties: {content: {type: object, description: C., properties: {__proto__: {type: object, description: Inherited proto.}}}}",
        "properties:",
        "  content: {type: object, properties: {constructor: {type: integer, description: Own ctor.}}}",
      ].join("\n"),
      [`${E}/core/base.json`]: '{"__proto__": {"polluted": true}, "kept": 1}',
      [`${E}/m.keys`]:
        '{"$ref": "core/base.json", "type": "m.keys", "content": {"constructor": "c", "toString": "t", "hasOwnProperty": "h"}}',
      [`${E}/m.merged`]: '{"type": "m.merged", "content": {"__proto__": {"deep": 1}, "constructor": 2}}',
    });
    const r = specgen(["build", root, "--format", "json"]);
    expect(r.code, r.stdout).toBe(0);
    const html = readFileSync(path.join(root, "output/index.html"), "utf8");
    for (const [i, n] of names.entries()) expect(html, n).toContain(`Field number ${i}.`);
    expect(html).toContain("Inherited proto.");
    expect(html).toContain("Own ctor.");
    // The merged example holds the base's __proto__ object and every own key.
    for (const key of ["__proto__", "polluted", "kept", "constructor", "toString", "hasOwnProperty", "deep"]) {
      expect(html).toContain(`&quot;${key}&quot;</span>:`);
    }
  });

  it("checks links to pages whose names hold characters that HTML escapes", () => {
    const names = ["client's guide", "a=b", "back`tick", "x&y", "<angle>", 'say "hi"'];
    const root = copySample();
    writeFiles(root, Object.fromEntries(names.map((n, i) => [`specification/${n}.md`, `# Page ${i}\n\n[self](#page-${i})\n`])));
    const r = specgen(["build", root, "--format", "json"]);
    expect(r.code, r.stdout).toBe(0);
    expect(json(r.stdout).filter((d) => d.code === "link-broken")).toEqual([]);
    // Each page is there, under its own name.
    for (const n of names) expect(existsSync(path.join(root, "output", `${n}.html`)), n).toBe(true);
  });

  it("parses YAML nested up to 256 levels, as documented, and refuses deeper", () => {
    const block = (n: number) => `${Array.from({ length: n }, (_, i) => `${"  ".repeat(i)}k:`).join("\n")}\n${"  ".repeat(n)}v\n`;
    const flow = (n: number) => `x: ${"[".repeat(n)}${"]".repeat(n)}\n`;
    const root = makeRoot({
      [`${S}/m.block200`]: block(200),
      [`${S}/m.flow250`]: flow(250),
      [`${S}/m.block255`]: block(255),
      [`${S}/m.block300`]: block(300),
      [`${S}/m.flow400`]: flow(400),
    });
    const r = specgen(["check", root, "--format", "json"]);
    const deep = json(r.stdout).filter((d) => d.code === "parse-too-complex");
    expect(deep.map((d) => d.file).sort()).toEqual([`${S}/m.block300`, `${S}/m.flow400`]);
    for (const d of deep) expect(d.message).toMatch(/deeper than 256 levels/);
  });

  it("reports NUL bytes and invalid UTF-8 at the bad byte", () => {
    const root = makeRoot({});
    const files: Record<string, [Buffer, string, number, number]> = {
      "m.nul": [Buffer.from("type: object\ndescription: ab\0cd\n"), "file-binary", 2, 16],
      "m.latin1": [
        Buffer.concat([Buffer.from("type: object\n# é ok\ndescription: caf"), Buffer.from([0xe9]), Buffer.from("\n")]),
        "file-encoding",
        3,
        17,
      ],
      "m.overlong": [Buffer.concat([Buffer.from("a: ééé"), Buffer.from([0xc0, 0xaf])]), "file-encoding", 1, 7],
      "m.surrogate": [Buffer.concat([Buffer.from("a: 1\nb: x"), Buffer.from([0xed, 0xa0, 0x80])]), "file-encoding", 2, 5],
      "m.truncated": [Buffer.concat([Buffer.from("a: 1\n\n€ "), Buffer.from([0xe2, 0x82])]), "file-encoding", 3, 3],
    };
    for (const [name, [bytes]] of Object.entries(files)) {
      mkdirSync(path.join(root, S), { recursive: true });
      writeFileSync(path.join(root, S, name), bytes);
    }
    const found = json(specgen(["check", root, "--format", "json"]).stdout);
    for (const [name, [, code, line, column]] of Object.entries(files)) {
      const d = found.find((x) => x.file === `${S}/${name}`);
      expect([d?.code, d?.line, d?.column], name).toEqual([code, line, column]);
    }
  });

  it("shows and reports numbers as written: integers beyond 2^53, -0", async () => {
    const root = makeRoot({
      "specification/index.md": "# Home\n\n{{m_num_event}}\n",
      [`${S}/m.num`]: [
        "type: object",
        "description: N.",
        "properties:",
        "  content:",
        "    type: object",
        "    description: C.",
        "    properties:",
        "      big: {type: integer, description: Big., maximum: 9007199254740993}",
        "      tiny: {type: number, description: Tiny., default: -0, enum: [-0, 12345678901234567891]}",
      ].join("\n"),
      [`${E}/m.num.json`]: '{"type": "m.num", "content": {"big": 9007199254740995, "tiny": -0, "list": [18014398509481985, -0.0, 1.5]}}',
    });
    const { diagnostics, files } = await checkRoot(root);
    const invalid = diagnostics.filter((d) => d.code === "example-invalid");
    expect(invalid.map((d) => d.message.split(" (")[0])).toEqual(["/content/big must be <= 9007199254740993"]);
    const html = files.get("index.html") as string;
    const number = (n: string) => `<span class="hljs-number">${n}</span>`;
    for (const n of ["9007199254740995", "-0", "18014398509481985", "-0.0", "1.5"]) expect(html, n).toContain(number(n));
    // The table's facts and enum values.
    expect(html).toContain("9007199254740993");
    expect(html).toContain("12345678901234567891");
    expect(html).not.toContain("12345678901234567000");
    expect(html).not.toContain("9007199254740992");
  });
});
