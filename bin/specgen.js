#!/usr/bin/env node
import { main } from "../dist/cli.js";

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    // Never the user's mistake (those are diagnostics): a bug, reported briefly; SPECGEN_DEBUG=1 shows the stack.
    const detail = process.env.SPECGEN_DEBUG ? (error?.stack ?? error) : (error?.message ?? error);
    process.stderr.write(`specgen: internal error (please report it): ${detail}\n`);
    process.exitCode = 70;
  },
);
