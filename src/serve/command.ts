/** The `serve` subcommand: flags, the URL on stdout, a clean stop on SIGINT/SIGTERM. */
import { createRequire } from "node:module";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { summarize } from "../report.js";
import { useColor } from "../terminal.js";

// child_process (with net and dgram) is loaded when a browser is opened, not at every start of the CLI.
const require = createRequire(import.meta.url);

function portNumber(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("a port is a whole number from 0 to 65535");
  return port;
}

export function serveCommand(): Command {
  return new Command("serve")
    .description("preview the spec: build it in memory, serve it, rebuild and reload open pages on every change")
    .argument("[root]", "the spec root", ".")
    .option("--port <port>", "port to listen on (0 picks a free one)", portNumber, 4000)
    .option("--host <host>", "address to bind; other machines can reach the preview only if you bind a public one", "127.0.0.1")
    .option("--open", "open the preview in the default browser")
    .action(async (root: string, opts: { port: number; host: string; open?: boolean }) => {
      // Listen for the stop signals before anything is printed: a script that
      // reads the URL may stop us straight away.
      let stopRequested: () => void = () => {};
      const stopped = new Promise<void>((resolve) => {
        stopRequested = resolve;
      });
      const onSignal = () => stopRequested();
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      const [{ serve }, { DiagnosticLog }] = await Promise.all([import("./index.js"), import("./log.js")]);
      const log = new DiagnosticLog({ root: path.resolve(root), color: useColor(process.stderr) });
      let builds = 0;
      const preview = await serve({
        root,
        port: opts.port,
        host: opts.host,
        onRebuild: ({ changedPages, diagnostics, texts, ms }) => {
          const first = builds++ === 0;
          const pages = first ? `, ${changedPages.length} page(s)` : changedPages.length ? `, ${changedPages.length} page(s) changed` : "";
          const { errors, warnings } = summarize(diagnostics);
          const status = `${first ? "built" : "rebuilt"} in ${ms.toFixed(0)} ms${pages}; ${errors} error(s), ${warnings} warning(s)`;
          process.stderr.write(`${log.update(diagnostics, texts)}${status}\n`);
        },
      });
      process.stdout.write(`specgen: serving ${preview.config.root} at ${preview.url}\n`);
      if (opts.open) openBrowser(preview.url);
      await stopped;
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await preview.close();
    });
}

function openBrowser(url: string): void {
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const { spawn } = require("node:child_process") as typeof import("node:child_process");
  const child = spawn(command, [url], { stdio: "ignore", detached: true });
  child.on("error", () => process.stderr.write(`specgen: could not open a browser; visit ${url}\n`));
  child.unref();
}
