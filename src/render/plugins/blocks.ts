/**
 * Template blocks: a line holding only `{{name}}` or `<<name>>` becomes the
 * HTML of the block of that name, looked up in the block registry at render time.
 */
import type MarkdownIt from "markdown-it";
import type StateBlock from "markdown-it/lib/rules_block/state_block.mjs";
import { error, warning } from "../../diagnostics.js";
import type { BlockRegistry } from "../blocks/registry.js";
import type { RenderEnv } from "../env.js";

/** `key="value"` options after the name; a value may hold `\"`. */
const OPTIONS = String.raw`(?:\s+[A-Za-z_][\w-]*="(?:[^"\\]|\\.)*")*`;
const BLOCK_LINE = new RegExp(String.raw`^(?:\{\{\s*([A-Za-z0-9_.$-]+)(${OPTIONS})\s*\}\}|<<\s*([A-Za-z0-9_.$-]+)(${OPTIONS})\s*>>)\s*$`);
const OPTION = /([A-Za-z_][\w-]*)="((?:[^"\\]|\\.)*)"/g;

export function blockName(line: string): string | undefined {
  return blockCall(line)?.name;
}

/**
 * A line holding only a block: its name and per-use options
 * (`{{m_room_message_event title="Messages" example="m.room.message$m.text"}}`),
 * and the call as one string (name, then options by key) that the registry
 * and every cache key on, so that two uses with different options are two blocks.
 */
export function blockCall(line: string): { name: string; options: Record<string, string>; call: string } | undefined {
  const m = BLOCK_LINE.exec(line.trim());
  if (!m) return undefined;
  const name = m[1] ?? m[3];
  const options: Record<string, string> = {};
  for (const o of (m[2] ?? m[4] ?? "").matchAll(OPTION)) options[o[1]] = o[2].replace(/\\(.)/g, "$1");
  return { name, options, call: callKey(name, options) };
}

/** `name` alone, or `name key="value"…` with the keys sorted. */
export function callKey(name: string, options: Readonly<Record<string, string>>): string {
  const keys = Object.keys(options).sort();
  return keys.length === 0 ? name : `${name} ${keys.map((k) => `${k}=${JSON.stringify(options[k])}`).join(" ")}`;
}

/** The blocks being rendered, per site. */
const rendering = new WeakMap<BlockRegistry, Set<string>>();

/**
 * Blocks inside descriptions that one page may expand. Each may include
 * others, so a few lines could multiply into gigabytes (8 events each
 * including the next 10 times: 10^8 blocks); past the bound, one error and
 * the rest are left out.
 */
export const MAX_NESTED_BLOCKS = 200;

/** Nested blocks expanded so far, per page: keyed by the page's id set, which every env of one page render shares. */
const expanded = new WeakMap<Set<string>, number>();

export function blocksPlugin(md: MarkdownIt): void {
  md.block.ruler.before(
    "paragraph",
    "specgen_block",
    (state: StateBlock, startLine: number, _endLine: number, silent: boolean) => {
      if (state.sCount[startLine] - state.blkIndent >= 4) return false;
      const line = state.src.slice(state.bMarks[startLine] + state.tShift[startLine], state.eMarks[startLine]);
      const found = blockCall(line);
      if (!found) return false;
      if (silent) return true;
      const token = state.push("specgen_block", "", 0);
      token.meta = { name: found.name, call: found.call, options: found.options, raw: line.trim() };
      token.map = [startLine, startLine + 1];
      token.block = true;
      state.line = startLine + 1;
      return true;
    },
    { alt: ["paragraph"] },
  );
  // Blocks claim their ids before headings get theirs (a heading `m.room.member` then
  // becomes `m-room-member-2`); a block whose ids are taken would repeat them.
  md.core.ruler.push("specgen_block_ids", (state) => {
    const env = state.env as RenderEnv;
    for (const token of state.tokens) {
      if (token.type !== "specgen_block") continue;
      const ids = env.blocks.outline(token.meta.call)?.ids ?? [];
      if (ids.some((id) => env.ids.has(id))) {
        env.diagnostics.push(
          warning(
            "block-repeated",
            `{{${token.meta.name}}} shows what this page already shows; its ids repeat`,
            env.where(token.map?.[0] ?? 0),
          ),
        );
      }
      for (const id of ids) env.ids.add(id);
    }
  });
  md.renderer.rules.specgen_block = (tokens, idx, _options, env: RenderEnv) => {
    const token = tokens[idx];
    // The call (name and options) is what caches and the registry key on.
    const name = token.meta.call as string;
    const plainName = token.meta.name as string;
    // A description may hold a block line too; one that names its own block would render for ever.
    const active = rendering.get(env.blocks) ?? new Set<string>();
    rendering.set(env.blocks, active);
    const line = token.map?.[0] ?? 0;
    const where = () => env.where(line, { text: token.meta.raw });
    if (active.size > 0) env.blockCache?.nested(name, env);
    if (active.has(name)) {
      env.diagnostics.push(error("block-recursive", `block {{${name}}} includes itself (through a description)`, where()));
      return "";
    }
    if (active.size > 0) {
      const count = (expanded.get(env.ids) ?? 0) + 1;
      expanded.set(env.ids, count);
      if (count > MAX_NESTED_BLOCKS) {
        if (count === MAX_NESTED_BLOCKS + 1) {
          const message = `blocks inside descriptions expand to more than ${MAX_NESTED_BLOCKS} blocks on page ${env.page}; the rest are left out`;
          env.diagnostics.push(error("block-expansion", message, where()));
        }
        return "";
      }
    }
    active.add(name);
    let html: string | undefined;
    try {
      // Inside the block, line 0 is the block's own line: diagnostics about the block point there.
      const render = () => env.blocks.render(name, { ...env, where });
      // Only a block of the page's own text is kept: one inside a description is part of its block's HTML.
      html = active.size === 1 && env.blockCache ? env.blockCache.render(name, line, env, render) : render();
    } finally {
      active.delete(name);
    }
    if (html !== undefined) {
      for (const key of env.blocks.unknownOptions(plainName, Object.keys(token.meta.options))) {
        env.diagnostics.push(error("block-option-invalid", `block {{${plainName}}} takes no option "${key}"`, where()));
      }
      return html;
    }
    const suggestion = env.blocks.suggest(plainName);
    env.diagnostics.push(
      error("block-unknown", `unknown block {{${plainName}}}${suggestion ? `; did you mean {{${suggestion}}}?` : ""}`, where()),
    );
    // Seen only where the rule is lowered to a warning (a spec being written): the gap stays visible.
    return `<p class="block-unknown" role="note">Not in the spec yet: <code>{{${md.utils.escapeHtml(name)}}}</code></p>\n`;
  };
}
