/**
 * Group blocks, `{{msgtype_events}}`: several events' sections in a row. Which
 * events a group holds, and in what order, is configuration (`groups:`), a list
 * of patterns over event names (schema file names):
 *
 * - `m.call.invite` names one event; `m.call.*` every event matching the glob
 *   (`*` is any run of characters), in name order;
 * - an event is listed once, where its first pattern puts it;
 * - `!pattern` leaves out what it matches, wherever it stands in the list.
 *
 * A block call may also name its patterns itself (`patternGroupName`): Hugo's
 * `{{% event-group group_name="m.call" %}}` is such a group, configured by the page.
 */
import { warning } from "../../diagnostics.js";
import type { EventModel } from "../../schema/model.js";
import type { EventSections } from "./event.js";
import type { BlockKind } from "./registry.js";

export interface GroupSelection {
  events: EventModel[];
  /** Patterns naming one event (no `*`) that is not there. */
  missing: string[];
}

export function selectGroup(patterns: readonly string[], events: readonly EventModel[]): GroupSelection {
  const sorted = [...events].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const excluded = patterns.filter((p) => p.startsWith("!")).map((p) => globRegExp(p.slice(1)));
  const chosen = new Set<EventModel>();
  const missing: string[] = [];
  for (const pattern of patterns) {
    if (pattern.startsWith("!")) continue;
    const re = globRegExp(pattern);
    const matches = sorted.filter((e) => re.test(e.name));
    if (matches.length === 0 && !pattern.includes("*")) missing.push(pattern);
    for (const event of matches) if (!excluded.some((x) => x.test(event.name))) chosen.add(event);
  }
  return { events: [...chosen], missing };
}

function globRegExp(glob: string): RegExp {
  const body = glob
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${body}$`);
}

const PATTERN_GROUP = "events:";

/** The block name of the group of these patterns, with no `groups:` entry. */
export function patternGroupName(patterns: readonly string[]): string {
  // Commas, not spaces: a block call's options start after its first space.
  return `${PATTERN_GROUP}${patterns.join(",")}`;
}

export function groupBlocks(
  groups: Readonly<Record<string, readonly string[]>>,
  events: readonly EventModel[],
  sections: EventSections,
): BlockKind {
  const selections = new Map<string, GroupSelection>();
  const selection = (name: string): GroupSelection | undefined => {
    const patterns = Object.hasOwn(groups, name)
      ? groups[name]
      : name.startsWith(PATTERN_GROUP)
        ? name.slice(PATTERN_GROUP.length).split(",").filter(Boolean)
        : undefined;
    if (!patterns) return undefined;
    const known = selections.get(name) ?? selectGroup(patterns, events);
    selections.set(name, known);
    return known;
  };
  return {
    names: () => Object.keys(groups),
    outline(name) {
      const group = selection(name);
      if (!group) return undefined;
      const all = group.events.map((event) => sections.outline(event));
      return {
        key: all.map((o) => o.key).join(";"),
        headings: all.flatMap((o) => o.headings),
        titles: all.flatMap((o) => o.titles),
        ids: all.flatMap((o) => o.ids),
        terms: all.flatMap((o) => o.terms),
      };
    },
    render(name, env) {
      const group = selection(name);
      if (!group) return undefined;
      for (const pattern of group.missing) {
        env.diagnostics.push(
          warning("group-missing-event", `group {{${name}}} names ${pattern}, which is not an event of this spec`, env.where(0)),
        );
      }
      if (group.events.length === 0) {
        env.diagnostics.push(warning("group-empty", `group {{${name}}} holds no event (see groups: in the config)`, env.where(0)));
      }
      return group.events.map((event) => sections.render(event, env)).join("\n");
    },
  };
}
