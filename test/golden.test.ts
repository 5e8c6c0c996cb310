/**
 * Golden HTML of the withheld event's section. When a change alters it on
 * purpose, review the diff and run `UPDATE_GOLDEN=1 npm test` to accept it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { checkRoot, REPO } from "./helpers.js";

const GOLDEN = path.join(REPO, "test/golden/m.room_key.withheld.html");

it("renders the m.room_key.withheld section as reviewed", async () => {
  const { files, diagnostics } = await checkRoot(REPO);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const page = files.get("modules/end_to_end_encryption.html") as string;
  const start = page.indexOf('<section class="event" id="m-room_key-withheld"');
  const section = page.slice(start, page.indexOf("</section>", start) + "</section>".length);
  if (process.env.UPDATE_GOLDEN || !existsSync(GOLDEN)) writeFileSync(GOLDEN, `${section}\n`);
  expect(`${section}\n`).toBe(readFileSync(GOLDEN, "utf8"));
});
