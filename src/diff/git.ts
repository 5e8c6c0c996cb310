/**
 * A spec root as it was at a git revision, read with git itself and without
 * touching the working tree, the index or HEAD: the files under the root are
 * listed with `git ls-tree` and their contents written from one
 * `git cat-file --batch` into a temporary folder. (`git archive` would honour
 * `export-ignore` attributes and could silently leave spec files out.)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError } from "../config.js";

/** Where a spec root sits in its git repository. */
export interface GitPlace {
  /** The repository's top folder. */
  top: string;
  /** The root's path inside the repository, `/`-separated with a trailing `/`; empty for the top itself. */
  prefix: string;
}

/** A spec root checked out from a revision into a temporary folder. */
export interface RevisionTree {
  /** The spec root inside the temporary folder. */
  root: string;
  commit: string;
  /** Removes the temporary folder. */
  dispose(): void;
}

/** Large enough for any spec tree; the contents pass through memory once. */
const MAX_OUTPUT = 1 << 30;

function git(cwd: string, args: string[], input?: string) {
  const r = spawnSync("git", args, { cwd, input, maxBuffer: MAX_OUTPUT });
  if (r.error) throw new ConfigError(`cannot run git: ${r.error.message}`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.toString("utf8").trim() };
}

export function gitPlace(root: string): GitPlace {
  const r = git(root, ["rev-parse", "--show-toplevel", "--show-prefix"]);
  if (!r.ok) throw new ConfigError(`${root} is not inside a git repository (${r.stderr})`);
  const [top, prefix = ""] = r.stdout.toString("utf8").split("\n");
  return { top, prefix };
}

/** The commit a revision names; an unknown revision is a usage error. */
export function resolveCommit(place: GitPlace, rev: string): string {
  // A revision that starts with "-" would be read as an option.
  const r = rev.startsWith("-") ? undefined : git(place.top, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  if (!r?.ok) {
    const shallow = git(place.top, ["rev-parse", "--is-shallow-repository"]).stdout.toString("utf8").trim() === "true";
    const hint = shallow ? " (this clone is shallow: fetch more history, e.g. actions/checkout with fetch-depth: 0)" : "";
    throw new ConfigError(`unknown revision "${rev}": git knows no commit by that name${hint}`);
  }
  return r.stdout.toString("utf8").trim();
}

interface TreeEntry {
  mode: string;
  object: string;
  path: string;
}

/** Writes the spec root as it is at `commit` into a new temporary folder. */
export function checkoutRevision(place: GitPlace, commit: string, rev: string): RevisionTree {
  const entries = listTree(place, commit);
  if (entries.length === 0) throw new ConfigError(`the spec root ${place.prefix || "./"} does not exist at revision "${rev}"`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "specgen-diff-"));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    const contents = readBlobs(place, [...new Set(entries.map((e) => e.object))]);
    for (const entry of entries) {
      const file = path.resolve(dir, entry.path);
      if (!file.startsWith(dir + path.sep)) continue; // git never stores such a path; refuse it anyway
      mkdirSync(path.dirname(file), { recursive: true });
      const content = contents.get(entry.object) as Buffer;
      if (entry.mode === "120000") symlinkSync(content.toString("utf8"), file);
      else writeFileSync(file, content);
    }
  } catch (e) {
    dispose();
    throw e;
  }
  return { root: path.join(dir, place.prefix), commit, dispose };
}

/** The files (blobs and symlinks; not submodules) under the root at `commit`, paths relative to the top. */
function listTree(place: GitPlace, commit: string): TreeEntry[] {
  const args = ["ls-tree", "-r", "-z", "--full-tree", commit];
  if (place.prefix) args.push("--", place.prefix);
  const r = git(place.top, args);
  if (!r.ok) throw new ConfigError(`git ls-tree failed: ${r.stderr}`);
  const entries: TreeEntry[] = [];
  for (const record of r.stdout.toString("utf8").split("\0")) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.+)$/s.exec(record);
    if (m && m[2] === "blob") entries.push({ mode: m[1], object: m[3], path: m[4] });
  }
  return entries;
}

/** Object id → content, from one `git cat-file --batch` run. */
function readBlobs(place: GitPlace, objects: string[]): Map<string, Buffer> {
  const contents = new Map<string, Buffer>();
  if (objects.length === 0) return contents;
  const r = git(place.top, ["cat-file", "--batch"], `${objects.join("\n")}\n`);
  if (!r.ok) throw new ConfigError(`git cat-file failed: ${r.stderr}`);
  const out = r.stdout;
  let offset = 0;
  for (const object of objects) {
    // Each object is "<id> <type> <size>\n<content>\n".
    const newline = out.indexOf(10, offset);
    const header = out.subarray(offset, newline).toString("utf8").split(" ");
    if (header[0] !== object || header.length !== 3) throw new ConfigError(`git cat-file: unexpected output for ${object}`);
    const size = Number(header[2]);
    contents.set(object, out.subarray(newline + 1, newline + 1 + size));
    offset = newline + 1 + size + 1;
  }
  return contents;
}
