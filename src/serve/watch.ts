/**
 * Watches a spec root and reports bursts of changes as one set of paths.
 * chokidar handles files and folders created after start, renames, deletions
 * and editors' save-by-rename (its `atomic` option).
 */
import path from "node:path";
import { type FSWatcher, watch } from "chokidar";

const IGNORED_DIRS = new Set(["node_modules", ".git", "dist"]);

export interface WatchOptions {
  root: string;
  /** Folders whose changes never matter (the output folder). */
  ignore: readonly string[];
  /** Quiet time that ends a burst, in ms. */
  debounceMs?: number;
  onChange: (paths: Set<string>) => void;
}

export function watchRoot(options: WatchOptions): Promise<FSWatcher> {
  const { root, ignore, debounceMs = 20, onChange } = options;
  const inside = (p: string, dir: string) => p === dir || p.startsWith(dir + path.sep);
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(root, {
    ignoreInitial: true,
    atomic: true,
    ignored: (p: string) =>
      ignore.some((dir) => inside(p, dir)) ||
      path
        .relative(root, p)
        .split(path.sep)
        .some((s) => IGNORED_DIRS.has(s)),
  });
  watcher.on("all", (_event, file) => {
    pending.add(path.resolve(root, file));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const batch = pending;
      pending = new Set();
      onChange(batch);
    }, debounceMs);
  });
  return new Promise((resolve) => watcher.on("ready", () => resolve(watcher)));
}
