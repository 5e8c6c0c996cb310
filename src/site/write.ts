/**
 * The write stage: the site goes to a fresh folder beside the output folder,
 * file by file as it is rendered, and that folder takes the output folder's
 * place only when the whole run succeeded. A failed build never touches the
 * previous output and leaves no staging folder, and a folder specgen did not
 * write is never replaced. A build that was killed leaves one; each staging
 * folder holds a marker naming its process, and the next build of the same
 * output removes those whose process is gone.
 */
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { ConfigError } from "../config.js";

/** Marks a folder as specgen's output, safe to replace. */
export const OUTPUT_MARKER = ".specgen-output";
/** Marks a staging folder as specgen's, with the id of the process writing it. */
export const STAGING_MARKER = ".specgen-staging";

/**
 * A site being written. `write` puts a file into the staging folder (made at
 * the first file); `publish` puts that folder in the output folder's place;
 * `discard` removes it, with the parent folders made for it. A file that
 * cannot be written is kept as the failure `publish` throws, rather than
 * thrown at once: whether the run fails is only known at its end, and a run
 * with errors reports them and writes nothing, whatever the disk would say.
 */
export class StagedOutput {
  private staging?: string;
  /** The topmost parent folder made for the staging folder, when one was. */
  private madeParent?: string;
  /** One mkdir per folder, not per file. */
  private readonly folders = new Set<string>();
  private failure?: { error: unknown };

  constructor(private readonly outDir: string) {}

  /** `content` in pieces is written piece by piece; an error of the pieces' maker is not caught. */
  write(rel: string, content: string | Iterable<string> | Uint8Array): void {
    const fd = this.open(rel);
    if (fd === undefined) return;
    try {
      for (const piece of typeof content === "string" || content instanceof Uint8Array ? [content] : content) {
        if (!this.attempt(() => writeAll(fd, piece))) break;
      }
    } finally {
      try {
        closeSync(fd);
      } catch (error) {
        this.failure ??= { error };
      }
    }
  }

  /**
   * Replaces the output folder by the staged site: a ConfigError when the
   * output folder is not specgen's. Once the new site is in place the build
   * has succeeded: a previous site that cannot be removed (a read-only
   * folder) is left beside it as `leftover`, and the next build tries again.
   */
  publish(): { leftover?: string } {
    const { outDir } = this;
    if (this.failure) throw this.failure.error;
    if (existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(path.join(outDir, OUTPUT_MARKER))) {
      throw new ConfigError(`${outDir} exists and was not written by specgen; refusing to replace it (remove it or choose another --out)`);
    }
    const staging = this.folder();
    writeFileSync(path.join(staging, OUTPUT_MARKER), "This folder is written by specgen and replaced on every build.\n");
    // The site is the same whichever process built it.
    rmSync(path.join(staging, STAGING_MARKER));
    const previous = existsSync(outDir) ? `${staging}.old` : undefined;
    if (previous) renameSync(outDir, previous);
    try {
      renameSync(staging, outDir);
    } catch (e) {
      if (previous) renameSync(previous, outDir);
      throw e;
    }
    this.staging = undefined;
    this.madeParent = undefined;
    if (!previous) return {};
    try {
      rmSync(previous, { recursive: true, force: true });
      return {};
    } catch {
      return { leftover: previous };
    }
  }

  /** Removes what was staged and not published (nothing after `publish`). */
  discard(): void {
    if (!this.staging) return;
    rmSync(this.staging, { recursive: true, force: true });
    this.staging = undefined;
    this.folders.clear();
    // The parents made for it, innermost first, as long as nothing else went into them.
    const top = this.madeParent;
    this.madeParent = undefined;
    if (!top) return;
    for (let dir = path.dirname(this.outDir); dir.startsWith(top); dir = path.dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        return;
      }
    }
  }

  /** A new file of the staging folder, open for writing; undefined when it cannot be made or a write failed before. */
  private open(rel: string): number | undefined {
    let fd: number | undefined;
    this.attempt(() => {
      const file = path.join(this.folder(), ...rel.split("/"));
      const folder = path.dirname(file);
      if (!this.folders.has(folder)) {
        mkdirSync(folder, { recursive: true });
        this.folders.add(folder);
      }
      fd = openSync(file, "w");
    });
    return fd;
  }

  /** Runs a step of writing unless one failed before; false when this one or an earlier one failed. */
  private attempt(step: () => void): boolean {
    if (this.failure) return false;
    try {
      step();
      return true;
    } catch (error) {
      this.failure = { error };
      return false;
    }
  }

  private folder(): string {
    if (!this.staging) {
      this.madeParent = mkdirSync(path.dirname(this.outDir), { recursive: true });
      removeStaleStaging(this.outDir);
      this.staging = mkdtempSync(`${this.outDir}.tmp-`);
      writeFileSync(path.join(this.staging, STAGING_MARKER), `${process.pid}\n`);
      this.folders.add(this.staging);
    }
    return this.staging;
  }
}

/**
 * Removes the staging folders of `outDir` (`out.tmp-XXXXXX`, and `.old` ones
 * a publish was moving aside) left by a specgen process that is gone: only
 * real folders (not links) holding specgen's staging marker whose process id
 * names no running process. Anything else beside the output is left alone.
 */
export function removeStaleStaging(outDir: string): string[] {
  const parent = path.dirname(outDir);
  const prefix = `${path.basename(outDir)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^[A-Za-z0-9]{6}(\.old)?$/.test(name.slice(prefix.length))) continue;
    const folder = path.join(parent, name);
    try {
      if (!lstatSync(folder).isDirectory()) continue;
      // Marked while it is staged; a site ready to publish, or a published one a publish moved aside (`.old`), is marked as output.
      const marked = [STAGING_MARKER, OUTPUT_MARKER].some((m) => lstatSync(path.join(folder, m), { throwIfNoEntry: false })?.isFile());
      if (!marked) continue;
      const owner = stagingOwner(name.endsWith(".old") ? folder.slice(0, -".old".length) : folder);
      if (owner !== undefined && isRunning(owner)) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Not there any more, or not ours to read: left alone.
    }
  }
  return removed;
}

/** The process id a staging folder's marker names, or undefined. */
function stagingOwner(folder: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(folder, STAGING_MARKER), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function writeAll(fd: number, text: string | Uint8Array): void {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
}
