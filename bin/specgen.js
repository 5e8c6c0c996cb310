#!/usr/bin/env node
// Runs the bundled CLI, dist/specgen.cjs. Compiling its 2.3 MB was a fifth of a
// small check, so it is compiled from V8's code cache when dist/ has one for
// this very bundle (dist/specgen.cjs.cache: the bundle's SHA-1, then the
// cache). `npm run prepare` makes it; V8 refuses one made by another Node or
// with other V8 flags, and the bundle is then compiled as usual.
// A CommonJS script (bin/package.json): an ES module entry would load Node's ES module loader too.
const { readFileSync, renameSync, statSync, writeFileSync } = require("node:fs");
const path = require("node:path");

const bundle = path.join(__dirname, "../dist/specgen.cjs");
let bytes; // the bundle's text, once read
const build = buildOf(bundle);
// A `check --cache` that nothing has changed for since the last one like it prints that one's
// report again (src/replay.ts): from a small bundle of its own, without loading this one.
const replayed = require("../dist/replay.cjs").replayCheck(process.argv, build);
if (replayed === undefined) run();
else process.exitCode = replayed;

/**
 * Which build of specgen this is: the bundle's SHA-1, which is the same for the
 * same sources on any machine. `npm run prepare` writes it beside the bundle
 * with the bundle's size and time, and while those hold it is not computed again.
 */
function buildOf(file) {
  const { size, mtimeMs } = statSync(file);
  try {
    const id = JSON.parse(readFileSync(`${file}.id`, "utf8"));
    if (id.stamp === `${size} ${mtimeMs}` && /^[0-9a-f]{40}$/.test(id.sha1)) return id.sha1;
  } catch {
    // No id, or not one: the bundle is hashed.
  }
  bytes = readFileSync(file);
  return require("node:crypto").createHash("sha1").update(bytes).digest("hex");
}

function run() {
  const { setFlagsFromString } = require("node:v8");
  // From the load stage, where nearly every object lives on, V8 learns to put
  // some allocation sites' objects straight into the old generation; rendering
  // then fills it with short-lived pages, and in about a third of the runs of a
  // 10,000-event build the heap reached 1.2 GB before a full collection, not
  // 440 MB. Without that feedback no run went above 460 MB, and none was slower.
  setFlagsFromString("--no-allocation-site-pretenuring");
  // A function is optimised after it has run four times as long as V8 (11.3)
  // waits by default. Most of a check runs each function briefly, once: there
  // the optimising compiler's background work took a core from the run (a
  // check of the v1.9 events: 380 -> 330 ms, CPU 570 -> 400 ms; a
  // 1,000-event build 1.7 -> 1.6 s), and a 10,000-event build is as fast.
  setFlagsFromString("--interrupt-budget=270336");
  // Both are set before compiling: a code cache holds only under the flags it was made with.

  bytes ??= readFileSync(bundle);
  const digest = Buffer.from(build, "hex");
  const cacheFile = `${bundle}.cache`;
  let cachedData;
  try {
    const cache = readFileSync(cacheFile);
    if (digest.equals(cache.subarray(0, digest.length))) cachedData = cache.subarray(digest.length);
  } catch {
    // No cache: compiled as usual.
  }
  // A bundle with its own cache is the one `npm run prepare` built, all ASCII (scripts/bundle-options.mjs):
  // it is read as one-byte text, not decoded as UTF-8. Any other (an edited one) is decoded.
  const source = cachedData ? bytes.toString("latin1") : bytes.toString("utf8");
  const { Script } = require("node:vm");
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  const cli = { exports: {} };
  script.runInThisContext()(cli.exports, require("node:module").createRequire(bundle), cli, bundle, path.dirname(bundle));

  cli.exports.main(process.argv, build).then(
    (code) => {
      // `npm run prepare` (scripts/bundle.mjs) asks for the cache after a warm-up build: it then holds every function that build compiled.
      if (process.env.SPECGEN_WRITE_CODE_CACHE === "1") {
        writeFileSync(`${cacheFile}.tmp`, Buffer.concat([digest, script.createCachedData()]));
        renameSync(`${cacheFile}.tmp`, cacheFile);
      }
      // The command is done (serve returns when stopped): exit once the output is written, rather than
      // after V8's pending work (a full collection it scheduled finishes otherwise, for nothing).
      process.exitCode = code;
      process.stdout.write("", () => process.stderr.write("", () => process.exit()));
    },
    (error) => {
      // Never the user's mistake (those are diagnostics): a bug, reported briefly; SPECGEN_DEBUG=1 shows the stack.
      const detail = process.env.SPECGEN_DEBUG ? (error?.stack ?? error) : (error?.message ?? error);
      process.stderr.write(`specgen: internal error (please report it): ${detail}\n`);
      process.exitCode = 70;
    },
  );
}
