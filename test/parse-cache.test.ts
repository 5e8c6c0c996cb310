/** `--cache`: YAML values kept between runs by the hash of their text, with the same results as without. */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import type { Diagnostic } from "../src/diagnostics.js";
import { ParseCache } from "../src/load/parse-cache.js";
import { check } from "../src/pipeline.js";
import { copySample, corpusApiRoot, hasCorpus, specgen, tempDir, writeFiles } from "./helpers.js";

const SCHEMA = "event-schemas/schema/m.room_key.withheld";

function keyOf(text: string): string {
  return createHash("sha256").update(text).digest("base64url");
}

function cacheValues(file: string): Record<string, string> {
  return (JSON.parse(readFileSync(file, "utf8")) as { values: Record<string, string> }).values;
}

async function checkWith(root: string, cacheFile?: string) {
  const parseCache = cacheFile === undefined ? undefined : new ParseCache(cacheFile);
  const result = await check(loadConfig(root), { reportOnly: true, parseCache });
  parseCache?.save();
  return result;
}

describe("the parse cache", () => {
  it("keeps every YAML file's value, and a second run reads them back: the same diagnostics as without it", async () => {
    const root = copySample();
    const cacheFile = path.join(tempDir(), "parsed.json");
    const plain = await checkWith(root);
    const first = await checkWith(root, cacheFile);
    const text = readFileSync(path.join(root, SCHEMA), "utf8");
    const values = cacheValues(cacheFile);
    expect(JSON.parse(values[keyOf(text)])).toEqual(plain.spec.sources.get(path.join(root, SCHEMA))?.value);
    // Only YAML is kept (JSON.parse is as fast as reading the cache).
    const yamlFiles = [...plain.spec.sources.values()].filter((s) => s.kind === "data" && !/^\s*[[{]/.test(s.text));
    expect(Object.keys(values).sort()).toEqual([...new Set(yamlFiles.map((s) => keyOf(s.text)))].sort());

    // The second run takes the value from the cache: a changed value there shows (a test of reading, not a use).
    const planted = JSON.parse(values[keyOf(text)]);
    planted.description = "Planted in the cache.";
    writeFileSync(
      cacheFile,
      JSON.stringify({ ...JSON.parse(readFileSync(cacheFile, "utf8")), values: { ...values, [keyOf(text)]: JSON.stringify(planted) } }),
    );
    const second = await checkWith(root, cacheFile);
    expect(second.spec.sources.get(path.join(root, SCHEMA))?.value).toMatchObject({ description: "Planted in the cache." });
    expect(first.diagnostics).toEqual(plain.diagnostics);
  });

  it("keeps the positions diagnostics asked for, and a second run reads them back", async () => {
    const root = copySample();
    const text =
      "type: object\ndescription: An event.\nproperties:\n  content:\n    type: object\n    properties:\n      undescribed:\n        type: string\n  type:\n    type: string\n    enum: [org.example.ev]\n";
    writeFiles(root, { "event-schemas/schema/org.example.ev": text });
    const undescribed = (diagnostics: Diagnostic[]) => diagnostics.find((d) => d.code === "property-no-description");
    const cacheFile = path.join(tempDir(), "parsed.json");
    const plain = await checkWith(root);
    expect(undescribed(plain.diagnostics)).toMatchObject({ line: 7, column: 7 });
    expect((await checkWith(root, cacheFile)).diagnostics).toEqual(plain.diagnostics);
    const data = JSON.parse(readFileSync(cacheFile, "utf8"));
    expect(data.positions[keyOf(text)]["key/properties/content/properties/undescribed"]).toEqual({ line: 7, column: 7 });
    data.positions[keyOf(text)]["key/properties/content/properties/undescribed"] = { line: 40, column: 30 };
    writeFileSync(cacheFile, JSON.stringify(data));
    expect(undescribed((await checkWith(root, cacheFile)).diagnostics)).toMatchObject({ line: 40, column: 30 });
  });

  it("does not keep values JSON cannot hold exactly: dates, shared nodes (aliases), -0", async () => {
    const cacheFile = path.join(tempDir(), "parsed.json");
    const cache = new ParseCache(cacheFile);
    cache.put("a: 2020-01-01\n", { a: new Date("2020-01-01") }, false);
    const shared = { x: 1 };
    cache.put("a: &x {x: 1}\nb: *x\n", { a: shared, b: shared }, true);
    cache.put("a: -0\n", { a: -0 }, false);
    cache.put("a: .inf\n", { a: Number.POSITIVE_INFINITY }, false);
    cache.put("a: [1, {b: null}]\n", { a: [1, { b: null }] }, false);
    cache.save();
    expect(Object.keys(cacheValues(cacheFile))).toEqual([keyOf("a: [1, {b: null}]\n")]);
    expect(new ParseCache(cacheFile).get("a: [1, {b: null}]\n")).toEqual({ a: [1, { b: null }] });
    expect(new ParseCache(cacheFile).get("a: 2020-01-01\n")).toBeUndefined();
  });

  it("gives a value that later stages may change without changing what it keeps", () => {
    const cacheFile = path.join(tempDir(), "parsed.json");
    const cache = new ParseCache(cacheFile);
    const value = { a: { b: 1 } };
    cache.put("a:\n  b: 1\n", value, false);
    value.a.b = 2;
    cache.save();
    const again = new ParseCache(cacheFile);
    const read = again.get("a:\n  b: 1\n") as typeof value;
    read.a.b = 3;
    expect(again.get("a:\n  b: 1\n")).toEqual({ a: { b: 1 } });
  });

  it("ignores a cache file that does not read or that another js-yaml version wrote, and writes it anew", async () => {
    const root = copySample();
    const dir = tempDir();
    const broken = path.join(dir, "broken.json");
    writeFileSync(broken, "{not json");
    const other = path.join(dir, "other.json");
    const text = readFileSync(path.join(root, SCHEMA), "utf8");
    const stale = { [keyOf(text)]: JSON.stringify({ description: "stale" }) };
    writeFileSync(other, JSON.stringify({ parser: "js-yaml 0.0.1", values: stale, positions: {} }));
    const plain = await checkWith(root);
    for (const file of [broken, other]) {
      const result = await checkWith(root, file);
      expect(result.diagnostics).toEqual(plain.diagnostics);
      expect(JSON.parse(cacheValues(file)[keyOf(text)]).description).not.toBe("stale");
    }
  });

  it("keeps only the files of the last run", async () => {
    const root = copySample();
    const cacheFile = path.join(tempDir(), "parsed.json");
    writeFiles(root, { "event-schemas/schema/org.example.gone": "type: object\ndescription: Soon gone.\nproperties: {}\n" });
    await checkWith(root, cacheFile);
    expect(cacheValues(cacheFile)[keyOf("type: object\ndescription: Soon gone.\nproperties: {}\n")]).toBeDefined();
    rmSync(path.join(root, "event-schemas/schema/org.example.gone"));
    await checkWith(root, cacheFile);
    expect(cacheValues(cacheFile)[keyOf("type: object\ndescription: Soon gone.\nproperties: {}\n")]).toBeUndefined();
  });

  it.skipIf(!hasCorpus)("gives the corpus the same diagnostics and site, cold and warm", async () => {
    const root = corpusApiRoot();
    const cacheFile = path.join(tempDir(), "parsed.json");
    const plain = await check(loadConfig(root));
    for (let run = 0; run < 2; run++) {
      const parseCache = new ParseCache(cacheFile);
      const cached = await check(loadConfig(root), { parseCache });
      parseCache.save();
      expect(cached.diagnostics).toEqual(plain.diagnostics);
      expect(cached.files).toEqual(plain.files);
    }
    expect(Object.keys(cacheValues(cacheFile)).length).toBeGreaterThan(150);
  });
});

describe("specgen check --cache", () => {
  it("keeps the cache in node_modules/.cache/specgen of the spec root unless --cache-location says where", () => {
    const root = copySample();
    expect(specgen(["check", root, "--cache"]).code).toBe(0);
    expect(existsSync(path.join(root, "node_modules/.cache/specgen/parsed.json"))).toBe(true);
    const elsewhere = path.join(tempDir(), "c", "parsed.json");
    const r = specgen(["build", root, "--cache-location", elsewhere]);
    expect(r.code).toBe(0);
    expect(Object.keys(cacheValues(elsewhere)).length).toBeGreaterThan(5);
  });

  it("says so when the cache cannot be written, and the run's result stands", () => {
    const root = copySample();
    const blocker = path.join(tempDir(), "file");
    writeFileSync(blocker, "a file, not a folder");
    const r = specgen(["check", root, "--cache-location", path.join(blocker, "parsed.json")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`specgen: cache not saved to ${path.join(blocker, "parsed.json")}:`);
    // The check's report, kept beside it, is named as the file it could not write.
    expect(r.stderr).toContain(`specgen: cache not saved to ${path.join(blocker, "parsed.json.last-check.json")}:`);
    expect(r.stderr).toContain("0 errors, 0 warnings");
  });
});
