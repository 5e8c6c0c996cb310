/**
 * `{{unstable_warning_block_CLIENT_RELEASE_LABEL}}`: the warning the 2020
 * build put on a document whose release label is `unstable`, one block per
 * substitution variable; empty for a released label.
 */
import path from "node:path";
import type MarkdownIt from "markdown-it";
import type { BlockKind } from "./registry.js";
import { rstTextBlocks } from "./rst-text.js";

/** The 2020 warning linked `latest.html` beside the document, which only matrix.org served: the link goes there. */
const warning = (folder: string) => `.. WARNING::
   You are viewing an unstable version of this specification. Unstable
   specifications may change at any time without notice. To view the
   current specification, please \`click here <https://matrix.org/docs/spec/${folder ? `${folder}/` : ""}latest.html>\`_.
`;

export function unstableWarningBlocks(md: MarkdownIt, substitutions: Readonly<Record<string, string>>): BlockKind {
  const prefix = "unstable_warning_block_";
  const names = Object.keys(substitutions).map((v) => `${prefix}${v}`);
  return rstTextBlocks(md, names, (name, env) =>
    substitutions[name.slice(prefix.length)] === "unstable" ? warning(path.posix.dirname(env?.page ?? "").replace(/^\.$/, "")) : "",
  );
}
