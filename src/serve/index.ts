/**
 * `specgen serve`: builds the spec in memory, serves it, and rebuilds on every
 * change of a source, a template or the config. A broken save shows its errors
 * over the last good site, which stays served; a fix clears them. Until the
 * first build without errors, what the broken builds rendered is served, so a
 * preview started on a broken spec shows its pages (and the overlay) at once.
 */
import path from "node:path";
import { CONFIG_FILE, type Config, ConfigError, loadConfig } from "../config.js";
import { type Diagnostic, hasErrors } from "../diagnostics.js";
import { Pipeline } from "../pipeline.js";
import { codeFrame } from "../report.js";
import { type OverlayError, PreviewServer } from "./server.js";
import { type Watcher, watchRoot } from "./watch.js";

export interface ServeOptions {
  root: string;
  port: number;
  host: string;
  /** Called after every rebuild, with what it did (for logs and tests). */
  onRebuild?: (event: RebuildEvent) => void;
}

export interface RebuildEvent {
  changedPages: string[];
  diagnostics: Diagnostic[];
  /** Root-relative path → text of the sources, for code frames. */
  texts: ReadonlyMap<string, string>;
  ms: number;
}

export interface Preview {
  url: string;
  config: Config;
  close(): Promise<void>;
}

export async function serve(options: ServeOptions): Promise<Preview> {
  let config = loadConfig(options.root);
  let pipeline: Pipeline | undefined = new Pipeline(config);
  const server = new PreviewServer();
  let site = new Map<string, string | Uint8Array>();
  /** Whether a build without errors has been published: from then on a broken build keeps it served. */
  let good = false;

  /** Rebuilds after `changed` paths changed; a change of the config starts a fresh pipeline. */
  const rebuild = async (changed: Set<string>): Promise<void> => {
    const started = performance.now();
    let diagnostics: Diagnostic[];
    let changedPages: string[] = [];
    let texts = new Map<string, string>();
    try {
      // The formats file and the layout's own config files are read with the config: a change to one starts afresh.
      const configFiles = [CONFIG_FILE, ...(config.layout.configFiles?.(config.root) ?? [])].map((f) => path.join(config.root, f));
      if (!pipeline || configFiles.some((f) => changed.has(f)) || changed.has(config.formatsFile)) {
        pipeline = undefined;
        config = loadConfig(options.root);
        pipeline = new Pipeline(config);
      }
      const result = await pipeline.run(changed);
      diagnostics = result.diagnostics;
      texts = new Map([...result.spec.sources.values()].map((source) => [source.rel, source.text]));
      const clean = !hasErrors(diagnostics);
      if (clean || !good) {
        good = clean;
        const files = new Map<string, string | Uint8Array>([...result.files, ...result.staticFiles]);
        const changedFiles = [...files.keys()].filter((f) => site.get(f) !== files.get(f));
        changedPages = changedFiles.filter((f) => f.endsWith(".html"));
        site = files;
        server.publish(
          site,
          changedPages,
          changedFiles.filter((f) => !f.endsWith(".html")),
        );
      }
    } catch (e) {
      const code = e instanceof ConfigError ? "config-invalid" : "internal-error";
      diagnostics = [{ severity: "error", code, message: (e as Error).message, file: CONFIG_FILE }];
    }
    server.showErrors(diagnostics.filter((d) => d.severity === "error").map((d) => overlayError(d, texts.get(d.file ?? ""))));
    options.onRebuild?.({ changedPages, diagnostics, texts, ms: performance.now() - started });
  };

  await rebuild(new Set());
  const url = await server.listen(options.port, options.host);
  let queue = Promise.resolve();
  const watcher: Watcher = await watchRoot({
    root: config.root,
    ignore: [config.output],
    followOutside: config.allowExternalRefs,
    onChange: (changed) => {
      queue = queue.then(() => rebuild(changed));
    },
  });
  return {
    url,
    config,
    async close() {
      await watcher.close();
      await server.close();
    },
  };
}

/** What the overlay shows of a diagnostic: its place, its words, and the lines around it. */
function overlayError(d: Diagnostic, text: string | undefined): OverlayError {
  const frame = text !== undefined && d.line !== undefined ? codeFrame(text, d.line, d.column ?? 1) : "";
  return { file: d.file, line: d.line, column: d.column, code: d.code, message: d.message, frame: frame || undefined };
}
