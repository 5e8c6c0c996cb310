// Bundles the CLI (dist/specgen.cjs, and dist/replay.cjs, which it runs first) and the library (dist/index.js), then
// fills V8's code cache of the CLI (dist/specgen.cjs.cache; see
// bin/specgen.js) with what a build compiles (with a filled parse cache): of this repository's sample
// spec, or of `specgen init`'s starter root where the sample is not there (an
// installed package).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { cliOptions, libraryOptions, replayOptions } from "./bundle-options.mjs";

await Promise.all([build(cliOptions), build(replayOptions), build(libraryOptions)]);

// The CLI bundle's SHA-1, which names this build of specgen (bin/specgen.js), with the size and time
// that say the bundle is still the one hashed: the bin then need not hash it at each start.
const { size, mtimeMs } = statSync(cliOptions.outfile);
const sha1 = createHash("sha1").update(readFileSync(cliOptions.outfile)).digest("hex");
writeFileSync(`${cliOptions.outfile}.id`, JSON.stringify({ stamp: `${size} ${mtimeMs}`, sha1 }));

const bin = fileURLToPath(new URL("../bin/specgen.js", import.meta.url));
const root = mkdtempSync(path.join(tmpdir(), "specgen-warm-up-"));
try {
  const run = (args, env = {}) => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`specgen ${args.join(" ")} exited with ${r.status}: ${r.stderr}`);
  };
  const repo = fileURLToPath(new URL("..", import.meta.url));
  const sample = existsSync(path.join(repo, "specgen.config.yaml")) ? repo : root;
  if (sample === root) run(["init", root]);
  // With a parse cache (filled by the first build), so that the cached path is in the code cache too.
  const cache = ["--cache-location", path.join(root, "parsed.json")];
  run(["build", sample, "--out", path.join(root, "output"), ...cache]);
  run(["build", sample, "--out", path.join(root, "output"), ...cache], { SPECGEN_WRITE_CODE_CACHE: "1" });
} finally {
  rmSync(root, { recursive: true, force: true });
}
