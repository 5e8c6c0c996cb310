/**
 * A spec root made from the 2020 Matrix corpus (../shared/corpus), when it is
 * there: its schemas, examples and APIs, and one page holding every event's
 * block plus a heading for every section the descriptions refer to, as the real
 * spec's pages had.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS = fileURLToPath(new URL("../../shared/corpus/matrix-doc-2020", import.meta.url));

/** The page text: a heading per referenced title, then every event block. */
export function corpusPage(corpus: string): string {
  const schemaDir = path.join(corpus, "event-schemas/schema");
  const names = readdirSync(schemaDir).filter((n) => n.startsWith("m."));
  const titles = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else for (const m of readFileSync(full, "utf8").matchAll(/`([^`<>\n]+)`_(?![A-Za-z0-9_])/g)) titles.add(m[1].replace(/\s+/g, " "));
    }
  };
  walk(schemaDir);
  for (const name of names) titles.delete(name);
  const sections = [...titles].sort().map((t) => `## ${t}\n\nThe real spec's section of this name.\n`);
  return `# Events\n\n${sections.join("\n")}\n## Event definitions\n\n${names.map((n) => `{{${n.replace(/[.$]/g, "_")}_event}}`).join("\n\n")}\n`;
}

export function corpusRoot(scratch: string): { events: number; root: string; edit: string } | undefined {
  if (!existsSync(CORPUS)) return undefined;
  const root = path.join(scratch, "matrix-doc-2020");
  for (const dir of ["event-schemas", "api", "schemas"])
    cpSync(path.join(CORPUS, dir), path.join(root, dir), { recursive: true, verbatimSymlinks: true });
  mkdirSync(path.join(root, "specification"), { recursive: true });
  writeFileSync(path.join(root, "specification/index.md"), corpusPage(CORPUS));
  const events = readdirSync(path.join(CORPUS, "event-schemas/schema")).filter((n) => n.startsWith("m.")).length;
  return { events, root, edit: path.join(root, "event-schemas/schema/m.room.member") };
}
