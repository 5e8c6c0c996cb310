/**
 * The built-in templates compiled ahead of time, by file name, with the text
 * each was compiled from. Empty in the sources: scripts/bundle-options.mjs
 * fills it, so the CLI does not run Handlebars' compiler on templates a spec
 * root leaves alone (that compiler is most of a small check's rendering).
 */
import type Handlebars from "handlebars";

export interface PrecompiledTemplate {
  text: string;
  spec: Parameters<typeof Handlebars.template>[0];
}

export const PRECOMPILED: ReadonlyMap<string, PrecompiledTemplate> = new Map();
