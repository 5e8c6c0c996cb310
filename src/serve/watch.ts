/**
 * Watches a spec root and reports bursts of changes as one set of paths.
 * chokidar handles files and folders created after start, renames, deletions
 * and editors' save-by-rename (its `atomic` option).
 */
import { lstatSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { watch } from "chokidar";

const IGNORED_DIRS = new Set(["node_modules", ".git", "dist"]);

export interface WatchOptions {
  root: string;
  /** Folders whose changes never matter (the output folder). */
  ignore: readonly string[];
  /** Follow symlinks that lead out of the root (`allowExternalRefs`); otherwise such a link is never walked. */
  followOutside?: boolean;
  /** Quiet time that ends a burst, in ms. */
  debounceMs?: number;
  onChange: (paths: Set<string>) => void;
}

export interface Watcher {
  close(): Promise<void>;
}

export function watchRoot(options: WatchOptions): Promise<Watcher> {
  const { root, ignore, debounceMs = 20, onChange, followOutside = false } = options;
  const inside = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);
  const realRoot = realpathSync(root);
  // A link to `/` or `/proc/1/cwd` would have the watcher walk the machine; the load stage reports it, once.
  const leavesRoot = (p: string) => {
    if (followOutside) return false;
    if (!lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink()) return false;
    try {
      return !inside(realpathSync(p), realRoot);
    } catch {
      return true; // a link that cannot be followed
    }
  };
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  /** What each path looked like when last reported. */
  const reported = new Map<string, string>();
  const trailing = new Map<string, NodeJS.Timeout>();

  const flush = () => {
    const batch = pending;
    pending = new Set();
    for (const file of batch) reported.set(file, signature(file));
    onChange(batch);
  };
  const changed = (file: string) => {
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };
  const watcher = watch(root, {
    ignoreInitial: true,
    atomic: true,
    ignored: (p: string) =>
      ignore.some((dir) => inside(p, dir)) ||
      path
        .relative(root, p)
        .split(path.sep)
        .some((s) => IGNORED_DIRS.has(s)) ||
      leavesRoot(p),
  });
  watcher.on("all", (_event, file) => {
    const full = path.resolve(root, file);
    changed(full);
    // chokidar drops a second change of a file within 50 ms; look again once it is quiet.
    clearTimeout(trailing.get(full));
    trailing.set(
      full,
      setTimeout(() => {
        trailing.delete(full);
        if (signature(full) !== reported.get(full)) changed(full);
      }, 80),
    );
  });
  const close = () => {
    clearTimeout(timer);
    for (const t of trailing.values()) clearTimeout(t);
    return watcher.close();
  };
  return new Promise((resolve) => watcher.on("ready", () => resolve({ close })));
}

/** Size and modification time, or "missing". */
function signature(file: string): string {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.mtimeMs}` : "missing";
}
