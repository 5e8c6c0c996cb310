/**
 * Checks a Handlebars template override before it is used: a syntax error, an
 * unknown helper or an unknown partial would otherwise throw in the middle of
 * rendering.
 */
import { handlebarsCompiler } from "../handlebars.js";
import type { Position } from "./source.js";

export interface TemplateProblem {
  message: string;
  at: Position;
}

/** `partials`: the template file names that exist (`field-table.hbs`). */
export function templateProblem(text: string, partials: ReadonlySet<string>): TemplateProblem | undefined {
  let program: hbs.AST.Program;
  try {
    const compiler = handlebarsCompiler();
    program = compiler.parse(text);
    // Compiling with knownHelpersOnly turns a call of an unknown helper into an error now, not at render time.
    compiler.precompile(program, { knownHelpersOnly: true });
  } catch (e) {
    return handlebarsError(e as Error & { lineNumber?: number; column?: number });
  }
  return unknownPartial(program, partials);
}

function handlebarsError(e: Error & { lineNumber?: number; column?: number }): TemplateProblem {
  const parse = /^Parse error on line (\d+):/.exec(e.message);
  if (parse) {
    const got = /got '([^']*)'\s*$/.exec(e.message)?.[1];
    const what =
      got === "EOF" ? "the template ends too early" : got ? `unexpected ${got.toLowerCase().replace(/_/g, " ")}` : "syntax error";
    return { message: `template syntax error: ${what}`, at: { line: Number(parse[1]), column: 1 } };
  }
  const message = e.message.replace(/ - \d+:\d+$/, "").replace(/^You specified knownHelpersOnly, but used the (unknown helper .*)$/, "$1");
  return { message: `template error: ${message}`, at: { line: e.lineNumber ?? 1, column: (e.column ?? 0) + 1 } };
}

/** The first `{{> name}}` naming no template file. */
function unknownPartial(program: hbs.AST.Program, partials: ReadonlySet<string>): TemplateProblem | undefined {
  let found: TemplateProblem | undefined;
  const visit = (node: unknown): void => {
    if (found || typeof node !== "object" || node === null) return;
    const n = node as { type?: string; name?: { type?: string; original?: unknown }; loc?: hbs.AST.SourceLocation };
    if ((n.type === "PartialStatement" || n.type === "PartialBlockStatement") && n.name?.type === "PathExpression") {
      const name = String(n.name.original);
      if (!name.startsWith("@") && !partials.has(`${name}.hbs`)) {
        found = {
          message: `template error: no partial template ${name}.hbs`,
          at: { line: n.loc?.start.line ?? 1, column: (n.loc?.start.column ?? 0) + 1 },
        };
        return;
      }
    }
    for (const value of Object.values(node)) if (typeof value === "object") visit(value);
  };
  visit(program);
  return found;
}
