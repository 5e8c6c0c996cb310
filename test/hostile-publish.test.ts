/**
 * A previous site that cannot be removed (a read-only folder, for a user who
 * is not root): the new site is published, the build succeeds and says where
 * the old one is left, and the next build removes it. rmSync is made to fail
 * as the file system would, since root (the tests' user in CI) may remove anything.
 */
import fs, { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config.js";
import { build } from "../src/pipeline.js";
import { copySample, writeFiles } from "./helpers.js";

const refuse = { old: false };
vi.mock("node:fs", async (original) => {
  const actual = await original<typeof import("node:fs")>();
  const rmSync: typeof actual.rmSync = (target, options) => {
    if (refuse.old && String(target).endsWith(".old"))
      throw Object.assign(new Error(`EACCES: permission denied, rmdir '${target}'`), { code: "EACCES" });
    actual.rmSync(target, options);
  };
  return { ...actual, rmSync, default: { ...actual, rmSync } };
});

describe("publishing over a previous site that cannot be removed", () => {
  it("publishes, succeeds, reports the leftover, and the next build removes it", async () => {
    const root = copySample();
    expect((await build(loadConfig(root))).written).toBe(true);
    writeFiles(root, { "specification/index.md": "# Home again\n" });
    refuse.old = true;
    const second = await build(loadConfig(root));
    refuse.old = false;
    expect(second.written).toBe(true);
    expect(second.leftover).toMatch(/output\.tmp-[A-Za-z0-9]{6}\.old$/);
    expect(readFileSync(path.join(root, "output/index.html"), "utf8")).toContain("Home again");
    expect(existsSync(second.leftover as string)).toBe(true);
    const third = await build(loadConfig(root));
    expect(third.written).toBe(true);
    expect(third.leftover).toBeUndefined();
    expect(readdirSync(root).filter((n) => n.includes(".tmp-"))).toEqual([]);
    expect(fs.existsSync(path.join(root, "output/index.html"))).toBe(true);
  });
});
