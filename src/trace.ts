/**
 * The file system as a run reads it. Every module that reads the spec root
 * (or the built-in templates) imports these in place of node:fs's, so that a
 * run can be traced: while a trace is on, each read is noted with what it
 * found (a file's hash, a folder's names, a file's kind and size, a link's
 * target, or the error), and `unchanged` later tells whether the same reads
 * would find the same. That is what lets `check --cache` replay its last
 * report (src/replay.ts); test/replay.test.ts holds that no reader goes past
 * this module. Off a trace, each function is node:fs's, plus one test.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** A read and what it found: [how, path, what]. */
export type Read = [op: Op, path: string, found: string];
type Op = "read" | "list" | "dirents" | "stat" | "realpath" | "realpathNative" | "readlink";

/** The reads of the trace on, by how and path: the first of each (a repeat that finds otherwise makes the run untraceable). */
let reads: Map<string, Read> | undefined;
let untraceable: string | undefined;

/** Runs `run` with every read noted: its value, and its reads unless it learnt something files do not tell. */
export async function traced<T>(run: () => Promise<T>): Promise<{ value: T; reads?: Read[] }> {
  reads = new Map();
  untraceable = undefined;
  try {
    const value = await run();
    return untraceable === undefined ? { value, reads: [...reads.values()] } : { value };
  } finally {
    reads = undefined;
  }
}

/** Says that the run learnt something a file's state does not tell (a git command's answer). */
export function learntBeyondFiles(what: string): void {
  if (reads) untraceable ??= what;
}

/** What each read found, from its result: the same function notes it and checks it again. */
const FOUND: { [K in Op]: (path: string) => string } = {
  read: (p) => digest(regularFile(p)),
  list: (p) => listing(fs.readdirSync(p)),
  dirents: (p) => direntListing(fs.readdirSync(p, { withFileTypes: true })),
  stat: (p) => kind(fs.statSync(p)),
  realpath: (p) => fs.realpathSync(p),
  realpathNative: (p) => fs.realpathSync.native(p),
  readlink: (p) => fs.readlinkSync(p),
};

/**
 * A file's bytes, as readFileSync reads them, but failing at once on a FIFO or
 * a device, which it would wait on or read without end: a kept trace may name
 * any path, and checking it must end.
 */
function regularFile(p: string): Buffer {
  const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isFile()) return fs.readFileSync(fd);
    throw Object.assign(new Error(p), { code: stat.isDirectory() ? "EISDIR" : "not a regular file" });
  } finally {
    fs.closeSync(fd);
  }
}

/** True when each read finds what it found when traced. */
export function unchanged(traced: readonly Read[]): boolean {
  for (const [op, p, found] of traced) if (!Object.hasOwn(FOUND, op) || findNow(op, p) !== found) return false;
  return true;
}

function findNow(op: Op, p: string): string {
  try {
    return FOUND[op](p);
  } catch (e) {
    return failure(e);
  }
}

function note<T>(op: Op, p: string, get: () => T, found: (value: T) => string): T {
  if (!reads) return get();
  let value: T;
  try {
    value = get();
  } catch (e) {
    noteFound(op, p, failure(e));
    throw e;
  }
  noteFound(op, p, found(value));
  return value;
}

function noteFound(op: Op, p: string, found: string): void {
  const key = `${op}\0${p}`;
  const earlier = reads?.get(key);
  if (!earlier) reads?.set(key, [op, p, found]);
  else if (earlier[2] !== found) learntBeyondFiles(`${p} changing while it was read`);
}

/** node:crypto is required at the first hash: a run without a trace never loads it. */
const digest = (bytes: Buffer) =>
  (require("node:crypto") as typeof import("node:crypto")).createHash("sha1").update(bytes).digest("base64");
const listing = (names: string[]) => digest(Buffer.from([...names].sort().join("\0")));
const direntListing = (entries: fs.Dirent[]) =>
  listing(entries.map((e) => `${e.name}\0${e.isFile() ? "f" : e.isDirectory() ? "d" : e.isSymbolicLink() ? "l" : "o"}`));
/** A folder's size says nothing of its names (its listing does); a file's does. */
const kind = (stat: fs.Stats) => (stat.isFile() ? `f${stat.size}` : stat.isDirectory() ? "d" : "o");
const failure = (e: unknown) => `!${(e as NodeJS.ErrnoException)?.code ?? String(e)}`;

export function readFileSync(file: string): Buffer;
export function readFileSync(file: string, encoding: "utf8"): string;
export function readFileSync(file: string, encoding?: "utf8"): Buffer | string {
  if (!reads) return fs.readFileSync(file, encoding);
  const bytes = note("read", file, () => fs.readFileSync(file), digest);
  return encoding ? bytes.toString(encoding) : bytes;
}

export function readdirSync(dir: string): string[];
export function readdirSync(dir: string, options: { withFileTypes: true }): fs.Dirent[];
export function readdirSync(dir: string, options?: { withFileTypes: true }): string[] | fs.Dirent[] {
  return options?.withFileTypes
    ? note("dirents", dir, () => fs.readdirSync(dir, { withFileTypes: true }), direntListing)
    : note("list", dir, () => fs.readdirSync(dir), listing);
}

export function statSync(file: string): fs.Stats {
  return note("stat", file, () => fs.statSync(file), kind);
}

export function existsSync(file: string): boolean {
  if (!reads) return fs.existsSync(file);
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

export function readlinkSync(link: string): string {
  return note("readlink", link, () => fs.readlinkSync(link), String);
}

export const realpathSync = Object.assign((p: string): string => note("realpath", p, () => fs.realpathSync(p), String), {
  native: (p: string): string => note("realpathNative", p, () => fs.realpathSync.native(p), String),
});
