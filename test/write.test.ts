/**
 * A build writes each page into a staging folder as soon as it is rendered
 * (src/site/write.ts, PipelineOptions.emit): the written site must be the one
 * a run in memory makes, and a build that fails, however far it got, must
 * leave the previous output as it was and no staging folder behind.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixInvalidExamples } from "../bench/corpus.js";
import { generateSpec } from "../bench/generate.js";
import { ConfigError, loadConfig } from "../src/config.js";
import { build, check } from "../src/pipeline.js";
import { linkValues, pageLinks } from "../src/site/links.js";
import { OUTPUT_MARKER } from "../src/site/write.js";
import { copySample, corpusApiRoot, hasCorpus, tempDir, writeFiles } from "./helpers.js";

/** Every file under a folder (the output marker aside), by its path relative to it, with `/`. */
function folderFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (child !== OUTPUT_MARKER) files.set(child, readFileSync(path.join(dir, child), "utf8"));
    }
  };
  walk("");
  return files;
}

/** The folders beside `out` whose names say they are its staging folders. */
function stagingFolders(out: string): string[] {
  return readdirSync(path.dirname(out)).filter((name) => name.startsWith(`${path.basename(out)}.tmp-`));
}

/** Builds `root` into `out`, and checks it in memory: the written site, the site in memory, and both runs' diagnostics. */
async function buildAndCheck(root: string, out: string) {
  const built = await build(loadConfig(root, { out }));
  const inMemory = await check(loadConfig(root, { out }));
  return { built, inMemory, written: built.written ? folderFiles(out) : undefined };
}

describe("a build writes pages as they render", () => {
  const roots: [string, () => string][] = [
    ["the sample", copySample],
    [
      "a generated spec of 150 events (8 pages, variants, a search index)",
      () => {
        const root = tempDir();
        generateSpec(root, 150);
        return root;
      },
    ],
  ];
  if (hasCorpus) {
    roots.push([
      "the corpus with its APIs (its two invalid examples fixed)",
      () => {
        const root = corpusApiRoot();
        fixInvalidExamples(root);
        return root;
      },
    ]);
  }

  for (const [name, make] of roots) {
    it(`writes the site a run in memory makes, with the same diagnostics: ${name}`, async () => {
      const root = make();
      const out = path.join(tempDir(), "site");
      const { built, inMemory, written } = await buildAndCheck(root, out);
      expect(built.written).toBe(true);
      expect(built.files.size).toBe(0);
      expect([...(written?.keys() ?? [])].sort()).toEqual([...inMemory.files.keys()].sort());
      expect([...built.paths]).toEqual([...inMemory.files.keys()]);
      for (const [file, content] of inMemory.files) expect(written?.get(file), file).toBe(content);
      expect(built.diagnostics).toEqual(inMemory.diagnostics);
      expect(existsSync(path.join(out, OUTPUT_MARKER))).toBe(true);
      expect(stagingFolders(out)).toEqual([]);
    });
  }

  /** The sample, built once into a fresh folder: what a failed build must leave as it is. */
  async function builtSample() {
    const root = copySample();
    const out = path.join(tempDir(), "site");
    expect((await build(loadConfig(root, { out }))).written).toBe(true);
    return { root, out, before: folderFiles(out) };
  }

  it("leaves the previous output and no staging folder when an error shows on a page rendered after others were written", async () => {
    const { root, out, before } = await builtSample();
    // Pages render in site order: zz.html is the last, after index.html and the module page were staged.
    writeFiles(root, { "specification/zz.md": "# Last\n\nSee `Nowhere at all`_.\n" });
    const result = await build(loadConfig(root, { out }));
    expect(result.written).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.file])).toEqual([
      ["reference-unresolved", "specification/zz.md"],
    ]);
    expect(folderFiles(out)).toEqual(before);
    expect(stagingFolders(out)).toEqual([]);
  });

  it("leaves the previous output and no staging folder when a page cannot be written mid-way", async () => {
    const { root, out, before } = await builtSample();
    // `a.html` is written as a file first; `a.html/b.html` then needs it to be a folder.
    writeFiles(root, { "specification/a.md": "# A\n\nText.\n", "specification/a.html/b.md": "# B\n\nText.\n" });
    const failure = await build(loadConfig(root, { out })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(/^cannot write the site to .*site: E(NOTDIR|EXIST)/);
    expect(folderFiles(out)).toEqual(before);
    expect(stagingFolders(out)).toEqual([]);
  });

  it("removes the folders it made for a build that failed, and never replaces a folder it did not write", async () => {
    const root = copySample();
    const base = tempDir();
    writeFiles(root, { "specification/zz.md": "# Last\n\nSee `Nowhere at all`_.\n" });
    const deep = path.join(base, "new", "deeper", "site");
    expect((await build(loadConfig(root, { out: deep }))).written).toBe(false);
    expect(readdirSync(base)).toEqual([]);

    writeFileSync(path.join(root, "specification/zz.md"), "# Last\n\nNo references.\n");
    const mine = path.join(base, "mine");
    mkdirSync(mine);
    writeFileSync(path.join(mine, "precious.txt"), "keep me");
    await expect(build(loadConfig(root, { out: mine }))).rejects.toThrow(/was not written by specgen/);
    expect(folderFiles(mine)).toEqual(new Map([["precious.txt", "keep me"]]));
    expect(stagingFolders(mine)).toEqual([]);
  });
});

describe("pageLinks", () => {
  it("reads a rendered page's ids and hrefs as the browser does, entities decoded", async () => {
    const root = copySample();
    writeFiles(root, { "specification/zz.md": '# Last\n\n## Q&A "here"\n\nSee [it](<a&b.html#x>) and [home](index.html).\n' });
    const html = (await check(loadConfig(root))).files.get("zz.html") as string;
    const links = pageLinks(html);
    const [ids, hrefs] = [linkValues(links.ids), linkValues(links.hrefs)];
    expect(ids).toEqual([...html.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]));
    expect(ids).toContain("q-a-here");
    expect(html).toContain('href="a&amp;b.html#x"');
    expect(hrefs).toEqual([...html.matchAll(/ href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, "&")));
    expect(hrefs).toContain("a&b.html#x");
    expect(hrefs).toContain("index.html");
    // An empty value is kept, and no value is made up for a page without any.
    expect(linkValues(pageLinks('<a href="">x</a>').hrefs)).toEqual([""]);
    expect(pageLinks("<p>none</p>")).toEqual({ ids: "", hrefs: "" });
  });
});
