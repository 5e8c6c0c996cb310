/**
 * Reading and writing the files `--cache` keeps (the parsed YAML, the last
 * check's report). They are trusted input, like node_modules, and what guards
 * them is their place only: a cache file is read only when it is a regular
 * file of at most MAX_CACHE_BYTES (a FIFO or a device at its path would hang
 * or fill the memory), and written only over a regular file or as a new one,
 * whole or not at all.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A cache file larger than this is not read (a spec's parsed YAML is some megabytes). */
export const MAX_CACHE_BYTES = 256 * 1024 * 1024;

/** The text of a regular file of at most MAX_CACHE_BYTES; undefined for anything else, without waiting on a pipe. */
export function readCacheFile(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    return stat.isFile() && stat.size <= MAX_CACHE_BYTES ? readFileSync(fd, "utf8") : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Writes `text` to `file` atomically; throws, saying why, when it cannot. */
export function writeCacheFile(file: string, text: string): void {
  const existing = lstatSync(file, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) throw new Error("not a regular file; the cache is written only to a regular file or a new one");
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    // A new file ("wx"): never through whatever already sits at that name.
    writeFileSync(temp, text, { flag: "wx" });
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
