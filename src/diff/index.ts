/**
 * `specgen diff`: the spec at two git revisions (the head by default the
 * working tree), each loaded and resolved by the usual stages, compared
 * semantically.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { CONFIG_FILE, type Config, ConfigError, loadConfig } from "../config.js";
import type { Diagnostic } from "../diagnostics.js";
import { type Change, compareSubjects } from "./compare.js";
import { checkoutRevision, type GitPlace, gitPlace, resolveCommit } from "./git.js";
import { type SpecSubjects, type SubjectKind, specSubjects } from "./subjects.js";

export interface DiffOptions {
  /** The spec root in the working tree. */
  root: string;
  base: string;
  /** A revision, or undefined for the working tree. */
  head?: string;
}

export interface Revision {
  /** As given (`HEAD~1`), or `working tree`. */
  label: string;
  commit?: string;
}

export interface DiffReport {
  base: Revision;
  head: Revision;
  changes: Change[];
  /** Each target's kind and, when the head revision's pages show it, its section's href from the site root. */
  targets: Map<string, { kind: SubjectKind; href?: string }>;
  /** Errors the load and resolve stages found in a revision: the comparison covers what did load. */
  problems: { revision: Revision; errors: Diagnostic[] }[];
}

export async function diffSpec(options: DiffOptions): Promise<DiffReport> {
  const config = loadConfig(options.root);
  const place = gitPlace(config.root);
  const base: Revision = { label: options.base, commit: resolveCommit(place, options.base) };
  const head: Revision = options.head ? { label: options.head, commit: resolveCommit(place, options.head) } : { label: "working tree" };
  const before = await revisionSubjects(place, base, config);
  const after = head.commit ? await revisionSubjects(place, head, config) : await specSubjects(config);
  // A revision without a single event or endpoint is not a spec that lost them all: its layout differs (folders moved).
  for (const [revision, mine, other] of [
    [base, before, after],
    [head, after, before],
  ] as const) {
    if (mine.subjects.length === 0 && other.subjects.length > 0) throw new ConfigError(emptySpec(revision, config));
  }

  const targets = new Map<string, { kind: SubjectKind; href?: string }>();
  // Links go to the head's site only: a removed event has no section there.
  for (const s of before.subjects) targets.set(s.target, { kind: s.kind });
  for (const s of after.subjects) targets.set(s.target, { kind: s.kind, href: s.href });
  const problems = [
    { revision: base, errors: errorsOf(before) },
    { revision: head, errors: errorsOf(after) },
  ].filter((p) => p.errors.length > 0);
  return { base, head, changes: compareSubjects(before.subjects, after.subjects), targets, problems };
}

/**
 * The subjects of the spec at a commit. A revision without a config of its
 * own takes the working tree's substitutions, so that `%NAME%` in its names
 * (API paths) read as the working tree's do.
 */
async function revisionSubjects(place: GitPlace, revision: Revision, working: Config): Promise<SpecSubjects> {
  const tree = checkoutRevision(place, revision.commit as string, revision.label);
  try {
    const own = loadConfig(tree.root);
    const config = existsSync(path.join(tree.root, CONFIG_FILE)) ? own : { ...own, substitutions: working.substitutions };
    return await specSubjects(config);
  } finally {
    tree.dispose();
  }
}

function emptySpec(revision: Revision, config: Config): string {
  const where = revision.commit ? `at ${revision.label}` : "in the working tree";
  const folders = [config.schemas, config.apis].map((dir) => `${path.relative(config.root, dir)}/`).join(" and ");
  return (
    `the spec ${where} has no events and no HTTP endpoints in ${folders}, so nothing is compared: ` +
    `if its layout differs, give its folders under "paths:" in its ${CONFIG_FILE}`
  );
}

function errorsOf(result: SpecSubjects): Diagnostic[] {
  return result.diagnostics.filter((d) => d.severity === "error");
}
