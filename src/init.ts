/**
 * `specgen init [DIR]`: a minimal spec root that builds clean (a config, one
 * event schema with its example, one page showing it), for a new user to start
 * from. It writes nothing when any of its files is there already.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE, ConfigError } from "./config.js";

export const STARTER_FILES: Readonly<Record<string, string>> = {
  [CONFIG_FILE]: `# specgen settings: see the README's "Configure" section.
title: My Protocol
version: v0.1
`,
  "event-schemas/schema/org.example.greeting": `# One event: a JSON Schema (YAML) named after the event type.
$schema: http://json-schema.org/draft-07/schema#
title: Greeting event
description: Sent to say hello to the other members of a room.
type: object
properties:
  type:
    type: string
    enum: [org.example.greeting]
  content:
    type: object
    description: What the greeting says.
    properties:
      body:
        type: string
        description: The text of the greeting.
      emoji:
        type: string
        description: An emoji shown beside the text.
    required: [body]
required: [type, content]
`,
  "event-schemas/examples/org.example.greeting": `{
  "type": "org.example.greeting",
  "content": {
    "body": "Hello, world",
    "emoji": "👋"
  }
}
`,
  "specification/index.md": `# My Protocol

This page is Markdown. A line that names an event's block renders the event:
its description, field tables and examples.

## Events

{{org_example_greeting_event}}

Run \`npx specgen serve\` and edit the files of \`event-schemas/\` and
\`specification/\`: the page updates as you save.
`,
};

/** Writes the starter files into `dir` (made if missing); returns their paths, relative to it. */
export function initRoot(dir: string): string[] {
  const root = path.resolve(dir);
  const taken = Object.keys(STARTER_FILES).filter((rel) => existsSync(path.join(root, rel)));
  if (taken.length > 0) throw new ConfigError(`${dir} already holds ${taken.join(", ")}; init writes only into a spec root without them`);
  for (const [rel, text] of Object.entries(STARTER_FILES)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, { flag: "wx" });
  }
  return Object.keys(STARTER_FILES);
}
