/**
 * Lint rules over the resolved spec: things that build but read badly. Each
 * is a warning by default and configurable (see rules.ts); the pipeline
 * applies severities at its end.
 */
import path from "node:path";
import type { Config } from "./config.js";
import { type Diagnostic, warning } from "./diagnostics.js";
import { checkedFormats } from "./examples/formats.js";
import { schemaOfExample } from "./examples/validate.js";
import { at, origins, type Source } from "./load/source.js";
import type { EventModel } from "./schema/model.js";
import { schemaName } from "./schema/model.js";
import { schemaNodes } from "./schema/walk.js";

/** Formats of the JSON Schema drafts that ajv-formats does not check; they are annotations, and known. */
const STANDARD_FORMATS = ["idn-email", "idn-hostname", "iri", "iri-reference"];

/** Every `format` name specgen knows: ajv-formats', the standard annotation-only ones, and the config's `formats`. */
export function knownFormats(config: Config): Set<string> {
  return new Set([...checkedFormats, ...STANDARD_FORMATS, ...config.formats]);
}

/** `event-no-example`, `state-key-no-description`, `property-no-description`. */
export function lintEvents(events: readonly EventModel[], examples: readonly Source[], config: Config): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = new Set(events.map((e) => e.name));
  const withExample = new Set<string>();
  for (const example of examples) {
    if (path.dirname(example.path) !== config.examples) continue;
    const name = schemaName(example.path);
    const owner = schemaOfExample(name, names);
    if (owner) withExample.add(owner);
    // A variant's example is also its base event's (see the pipeline's examples).
    if (owner && names.has(name.split("$")[0])) withExample.add(name.split("$")[0]);
  }
  for (const event of events) {
    if (!withExample.has(event.name)) out.push(warning("event-no-example", `event ${event.heading} has no example`, at(event.source, "")));
    out.push(...modelProblems(event));
  }
  return out;
}

/** What lintEvents finds in each event model, kept while the model is (a rebuild models only the events that changed). */
const found = new WeakMap<EventModel, Diagnostic[]>();

function modelProblems(event: EventModel): Diagnostic[] {
  let out = found.get(event);
  if (out) return out;
  out = [];
  if (event.kind === "state" && !event.stateKey?.trim()) {
    out.push(
      warning("state-key-no-description", `state event ${event.heading} does not describe its state_key`, {
        ...at(event.source, "/properties/state_key"),
        pointer: "/properties/state_key",
      }),
    );
  }
  for (const table of event.tables) {
    for (const row of table.rows) {
      if (row.description.trim()) continue;
      const origin = origins.of(row.originRef);
      const where = origin ? { ...at(origin.source, origin.pointer), pointer: origin.pointer } : at(event.source, "");
      out.push(warning("property-no-description", `property "${row.key}" (${table.title}) has no description`, where));
    }
  }
  found.set(event, out);
  return out;
}

/** `format-unknown`: every `format` keyword of every schema file, by schema position (a property named `format` is not one). */
export function lintFormats(schemaFiles: readonly Source[], known: ReadonlySet<string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const file of schemaFiles) {
    for (const { node, pointer } of schemaNodes(file.value)) {
      if (typeof node.format !== "string" || known.has(node.format)) continue;
      out.push(
        warning(
          "format-unknown",
          `unknown format "${node.format}": not checked (add it to "formats" in specgen.config.yaml if it is yours)`,
          { ...at(file, `${pointer}/format`), pointer },
        ),
      );
    }
  }
  return out;
}
