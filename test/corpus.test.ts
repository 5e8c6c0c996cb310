/**
 * Conformance on real input: the 2020 Matrix spec's schemas and examples
 * (../shared/corpus), when present. Skips with a message when not.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS, checkRoot, copyCorpus, hasCorpus } from "./helpers.js";

if (!hasCorpus) console.warn(`corpus tests skipped: ${CORPUS} is not there`);

describe.skipIf(!hasCorpus)("the 2020 Matrix corpus", () => {
  it("validates every example and renders every event block", async () => {
    const names = readdirSync(path.join(CORPUS, "event-schemas/schema")).filter((n) => n.startsWith("m."));
    const page = `# Events\n\n${names.map((n) => `{{${n.replace(/[.$]/g, "_")}_event}}`).join("\n\n")}\n`;
    const root = copyCorpus(page);
    const { diagnostics, files, events } = await checkRoot(root);
    const errors = diagnostics.filter((d) => d.severity === "error");
    expect(errors.filter((d) => d.code !== "reference-unresolved")).toEqual([]);
    expect(diagnostics.filter((d) => d.code === "block-unknown")).toEqual([]);
    const html = files.get("index.html") as string;
    for (const name of names) {
      const event = events.find((e) => e.name === name);
      expect(event, name).toBeDefined();
      expect(html).toContain(`data-event-type="${event!.type}"`);
    }
  });
});
