/** `check --cache` replays its last report while nothing it read has changed (src/replay.ts, src/trace.ts). */
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { program } from "../src/cli.js";
import { lastCheckFile, VALUE_OPTIONS } from "../src/replay.js";
import {
  learntBeyondFiles,
  traced,
  existsSync as tracedExists,
  readFileSync as tracedRead,
  readdirSync as tracedReaddir,
  unchanged,
} from "../src/trace.js";
import { copySample, specgen, tempDir } from "./helpers.js";

const SCHEMA = "event-schemas/schema/m.room_key.withheld";

/** Replaces the kept report with a marker: a replay prints the marker. */
function plant(file: string): void {
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), report: "REPLAYED\n" }));
}

/** A sample root whose `check --cache` has run once, its kept report planted. */
function replayable() {
  const root = copySample();
  const cache = path.join(tempDir(), "parsed.json");
  const args = ["check", root, "--format", "json", "--cache-location", cache];
  const first = specgen(args);
  const file = lastCheckFile(cache);
  plant(file);
  return { root, args, first, file };
}

describe("check --cache replays its last report", () => {
  it("prints the kept report and exit code while every read finds the same", () => {
    const { args, first } = replayable();
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).summary.errors).toBe(0);
    const again = specgen(args);
    expect(again).toEqual({ code: 0, stdout: "REPLAYED\n", stderr: "" });
  });

  it("replays a failing check's report and exit code as they were", () => {
    const root = copySample();
    const example = path.join(root, "event-schemas/examples/m.room_key.withheld");
    writeFileSync(example, readFileSync(example, "utf8").replace('"code": "m.unverified"', '"code": 42'));
    const args = ["check", root, "--cache"];
    const first = specgen(args);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain("m.room_key.withheld");
    // The default place: node_modules/.cache/specgen in the spec root.
    expect(readdirSync(path.join(root, "node_modules/.cache/specgen")).sort()).toEqual(["parsed.json", "parsed.json.last-check.json"]);
    expect(specgen(args)).toEqual(first);
  });

  it("checks again when a file read changed, even keeping its size", () => {
    const { root, args } = replayable();
    const schema = path.join(root, SCHEMA);
    const text = readFileSync(schema, "utf8");
    writeFileSync(schema, text.replace("not sharing", "not Sharing"));
    expect(readFileSync(schema, "utf8")).not.toBe(text);
    const again = specgen(args);
    expect(again.stdout).not.toBe("REPLAYED\n");
    expect(JSON.parse(again.stdout).summary).toMatchObject({ errors: 0 });
  });

  it("checks again when a folder read gains a file, or a file looked for appears", () => {
    const added = replayable();
    writeFileSync(path.join(added.root, "event-schemas/examples/m.room_key.withheld$other"), "{}\n");
    expect(specgen(added.args).stdout).not.toBe("REPLAYED\n");

    const config = replayable();
    writeFileSync(path.join(config.root, "specgen.config.yaml"), "title: Another\n");
    expect(specgen(config.args).stdout).not.toBe("REPLAYED\n");
  });

  it("checks again with other arguments, environment or working folder", () => {
    const { root, args, file } = replayable();
    const variants: [string[], NodeJS.ProcessEnv, string | undefined][] = [
      [[...args, "--strict"], {}, undefined],
      [args, { GITHUB_ACTIONS: "true" }, undefined],
      [args, {}, root],
    ];
    for (const [variant, env, cwd] of variants) {
      expect(specgen(variant, env, cwd).stdout).not.toBe("REPLAYED\n");
      // The last check is the one kept: the variant's. The same check again is replayed again.
      specgen(args);
      plant(file);
      expect(specgen(args).stdout).toBe("REPLAYED\n");
    }
  });

  it("keeps no report for a build, and ignores a kept report that is not a regular file or not one", () => {
    const { args, file } = replayable();
    rmSync(file);
    execFileSync("mkfifo", [file]);
    const run = specgen(args);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary.errors).toBe(0);
    rmSync(file);
    writeFileSync(file, '{"run": 1}');
    expect(JSON.parse(specgen(args).stdout).summary.errors).toBe(0);
    // Reads that name a FIFO, a device and a folder: checking them ends at once, and they differ.
    const fifo = path.join(tempDir(), "fifo");
    execFileSync("mkfifo", [fifo]);
    const last = JSON.parse(readFileSync(file, "utf8"));
    for (const target of [fifo, "/dev/zero", path.dirname(fifo)]) {
      writeFileSync(file, JSON.stringify({ ...last, reads: [["read", target, "x"], ...last.reads], report: "REPLAYED\n" }));
      expect(JSON.parse(specgen(args).stdout).summary.errors).toBe(0);
    }

    const root = copySample();
    const cache = path.join(tempDir(), "parsed.json");
    expect(specgen(["build", root, "--cache-location", cache]).code).toBe(0);
    expect(() => readFileSync(lastCheckFile(cache))).toThrow();
  });

  it("tells the root from option values as commander does", () => {
    const check = program().commands.find((c) => c.name() === "check");
    const valued = check?.options.filter((o) => o.required || o.optional).map((o) => o.long?.slice(2));
    expect(valued?.sort()).toEqual([...VALUE_OPTIONS].sort());
    // --format's value before the root: the kept report is found in the root's own cache.
    const root = copySample();
    const args = ["check", "--format", "json", root, "--cache"];
    const first = specgen(args);
    plant(lastCheckFile(path.join(root, "node_modules/.cache/specgen/parsed.json")));
    expect(first.code).toBe(0);
    expect(specgen(args).stdout).toBe("REPLAYED\n");
  });
});

describe("the trace of a run's reads", () => {
  it("notes each read once, and tells whether it would find the same", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "a.yaml"), "a: 1\n");
    const { value, reads } = await traced(async () => {
      const names = tracedReaddir(dir);
      tracedRead(path.join(dir, "a.yaml"), "utf8");
      tracedRead(path.join(dir, "a.yaml"), "utf8");
      return [names, tracedExists(path.join(dir, "b.yaml"))];
    });
    expect(value).toEqual([["a.yaml"], false]);
    expect(reads?.map(([op, p]) => [op, path.basename(p)])).toEqual([
      ["list", path.basename(dir)],
      ["read", "a.yaml"],
      ["stat", "b.yaml"],
    ]);
    const traces = reads ?? [];
    expect(unchanged(traces)).toBe(true);
    appendFileSync(path.join(dir, "a.yaml"), "b: 2\n");
    expect(unchanged(traces)).toBe(false);
    writeFileSync(path.join(dir, "a.yaml"), "a: 1\n");
    expect(unchanged(traces)).toBe(true);
    mkdirSync(path.join(dir, "b.yaml"));
    expect(unchanged(traces)).toBe(false);
    rmSync(path.join(dir, "b.yaml"), { recursive: true });
    renameSync(path.join(dir, "a.yaml"), path.join(dir, "c.yaml"));
    expect(unchanged(traces)).toBe(false);
    // Reads outside a trace are node:fs's, noted nowhere.
    expect(tracedRead(path.join(dir, "c.yaml"), "utf8")).toBe("a: 1\n");
    expect(unchanged([["unknown" as "read", dir, ""]])).toBe(false);
    // A folder read as a file fails alike when traced and when checked.
    const folder = await traced(async () => expect(() => tracedRead(dir)).toThrow());
    expect(folder.reads).toEqual([["read", dir, "!EISDIR"]]);
    expect(unchanged(folder.reads ?? [])).toBe(true);
  });

  it("gives no reads for a run that learnt beyond files, or saw a file change while it read it", async () => {
    const dir = tempDir();
    const file = path.join(dir, "a");
    writeFileSync(file, "1");
    expect((await traced(async () => learntBeyondFiles("git"))).reads).toBeUndefined();
    const changing = await traced(async () => {
      tracedRead(file);
      writeFileSync(file, "2");
      return tracedRead(file, "utf8");
    });
    expect(changing).toEqual({ value: "2" });
  });

  it("is how every module that reads the spec reads it: node:fs only where specgen writes, watches or keeps its cache", () => {
    // Each importer of node:fs, and why it is not a read of the spec a check makes.
    const allowed = new Map([
      ["trace.ts", "the traced reads themselves"],
      ["cache-file.ts", "the cache files, which change nothing of a result"],
      ["init.ts", "writes a new root"],
      ["site/write.ts", "writes the site"],
      ["serve/watch.ts", "the preview's watcher"],
      ["replay.ts", "finds the cache a check keeps"],
      ["diff/git.ts", "checks out the revisions a diff compares"],
      ["diff/index.ts", "finds the revisions a diff compares"],
    ]);
    const src = path.join(import.meta.dirname, "../src");
    const importers: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/from "(node:)?fs(\/promises)?"/.test(readFileSync(full, "utf8").replace(/import type [^;]*;/g, "")))
          importers.push(path.relative(src, full).split(path.sep).join("/"));
      }
    };
    walk(src);
    expect(importers.filter((f) => !allowed.has(f))).toEqual([]);
  });
});
