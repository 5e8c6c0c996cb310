/**
 * Every shape a real spec holds, each on the real file that has it (the 2020
 * Matrix corpus, skipped when absent), and on a fixture spec in the newer
 * format (draft 2020-12, `.yaml` names, Markdown descriptions, types inside
 * `allOf`) for what the corpus lacks.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CheckResult } from "../src/pipeline.js";
import { CORPUS, checkRoot, copyCorpus, corpusEventNames, corpusSpecRoot, hasCorpus, REPO, tempDir } from "./helpers.js";
import { examples, type RowView, section, sectionIds, type TableView, tables, text } from "./html.js";

function row(shown: TableView[], caption: string, key: string): RowView {
  const table = shown.find((t) => t.caption === caption);
  const found = table?.rows.find((r) => r.key === key);
  if (!found) throw new Error(`no row ${key} in table ${caption} (tables: ${shown.map((t) => t.caption).join(", ")})`);
  return found;
}

describe.skipIf(!hasCorpus)("shapes of the 2020 Matrix corpus", () => {
  let result: CheckResult;
  let page: string;
  let groups: string;
  const event = (anchor: string) => tables(section(page, anchor));
  beforeAll(async () => {
    result = await checkRoot(corpusSpecRoot());
    page = result.files.get("index.html") as string;
    groups = result.files.get("groups.html") as string;
  });

  it("nested objects get tables titled by `title`, one per structure (m.push_rules, m.room.member)", () => {
    const push = event("m-push_rules");
    expect(push.map((t) => t.caption)).toEqual(["Content", "Ruleset", "PushRule", "PushCondition"]);
    const ruleset = push[1].rows;
    expect(ruleset.map((r) => r.key)).toEqual(["content", "override", "room", "sender", "underride"]);
    for (const r of ruleset) expect([r.type, r.links]).toEqual(["[PushRule]", ["m-push_rules_pushrule"]]);
    const member = event("m-room-member");
    expect(member.map((t) => t.caption)).toEqual(["Content", "Invite", "signed", "UnsignedData", "StrippedState"]);
    expect(row(member, "Invite", "signed")).toMatchObject({ type: "signed", links: ["m-room-member_signed"], required: true });
  });

  it("arrays are [X] and tuples [A, B] (m.room.pinned_events, push_rule.yaml)", () => {
    expect(row(event("m-room-pinned_events"), "Content", "pinned").type).toBe("[string]");
    expect(row(event("m-push_rules"), "PushRule", "actions").type).toBe("[object|string]");
  });

  it('unions: oneOf and `type: [string, "null"]` are X|Y (m.room.encrypted, m.room.member)', () => {
    expect(row(event("m-room-encrypted"), "Content", "ciphertext")).toMatchObject({
      type: "string|{string: CiphertextInfo}",
      links: ["m-room-encrypted_ciphertextinfo"],
    });
    expect(row(event("m-room-member"), "Content", "displayname").type).toBe("string|null");
  });

  it("maps: additionalProperties is {string: X}, beside named properties too (m.room.power_levels)", () => {
    const levels = event("m-room-power_levels");
    expect(row(levels, "Content", "users").type).toBe("{string: integer}");
    expect(row(levels, "Content", "events").type).toBe("{string: integer}");
    expect(row(levels, "Content", "notifications").links).toEqual(["m-room-power_levels_notifications"]);
    expect(levels.find((t) => t.caption === "Notifications")?.rows.map((r) => [r.key, r.type])).toEqual([
      ["room", "integer"],
      ["<string>", "integer"],
    ]);
  });

  it("patternProperties with x-pattern name the keys: {$USER_ID: X} (m.ignored_user_list, m.receipt)", () => {
    expect(row(event("m-ignored_user_list"), "Content", "ignored_users").type).toBe("{$USER_ID: Ignored User}");
    const receipt = event("m-receipt");
    expect(receipt.map((t) => t.caption)).toEqual(["Content", "Receipts", "Receipt"]);
    expect(row(receipt, "Content", "<$EVENT_ID>")).toMatchObject({ type: "Receipts", links: ["m-receipt_receipts"] });
    expect(row(receipt, "Receipts", "m.read").type).toBe("{$USER_ID: Receipt}");
    expect(row(receipt, "Receipt", "ts").type).toBe("number");
  });

  it("content that is only a map is rendered, not dropped (m.direct)", () => {
    const direct = event("m-direct");
    expect(direct).toHaveLength(1);
    expect(direct[0].rows.map((r) => [r.key, r.type])).toEqual([["<string>", "[string]"]]);
  });

  it("enums list their values, also of an array's items (m.room.member, m.key.verification.start$m.sas.v1)", () => {
    const membership = row(event("m-room-member"), "Content", "membership");
    expect(membership.type).toBe("string");
    expect(text(membership.html)).toContain("One of: invite, join, knock, leave, ban");
    const sas = row(event("m-key-verification-start-m-sas-v1"), "Content", "short_authentication_string");
    expect(sas.type).toBe("[string]");
    expect(text(sas.html)).toContain("One of: decimal, emoji");
  });

  it("unsigned gets its tables where the event declares it, not elsewhere (m.room.member, m.room.topic)", () => {
    const unsigned = event("m-room-member").find((t) => t.caption === "UnsignedData");
    expect(unsigned?.rows.map((r) => [r.key, r.type])).toEqual([
      ["age", "integer"],
      ["redacted_because", "Event"],
      ["transaction_id", "string"],
      ["invite_room_state", "[StrippedState]"],
    ]);
    expect(event("m-room-topic").map((t) => t.caption)).toEqual(["Content"]);
  });

  it("follows refs into other trees (m.push_rules → api/…/push_ruleset.yaml, m.policy.rule.room → ../moderation_policy_rule.yaml)", () => {
    expect(row(event("m-push_rules"), "PushCondition", "kind").required).toBe(true);
    const policy = event("m-policy-rule-room")[0].rows;
    expect(policy.map((r) => [r.key, r.type, r.required])).toEqual([
      ["entity", "string", true],
      ["recommendation", "string", true],
      ["reason", "string", true],
    ]);
  });

  it("merges an example that extends another example without extension and embeds a JSON array (m.room.member$invite_room_state)", () => {
    const shown = examples(section(page, "m-room-member"));
    expect(shown.map((e) => e.name)).toEqual(["m.room.member", "m.room.member$invite_room_state", "m.room.member$third_party_invite"]);
    const invite = JSON.parse(shown[1].json);
    expect(invite.content.membership).toBe("invite");
    expect(invite.state_key).toBe(JSON.parse(shown[0].json).state_key);
    expect(invite.unsigned.invite_room_state.map((e: { type: string }) => e.type)).toEqual(["m.room.name", "m.room.join_rules"]);
  });

  it("treats stripped_state.yaml as a component: reachable by $ref, not an event, no diagnostic", () => {
    expect(result.events.map((e) => e.name)).not.toContain("stripped_state");
    expect(sectionIds(page)).not.toContain("stripped_state");
    expect(result.diagnostics.filter((d) => d.file?.includes("stripped_state"))).toEqual([]);
    expect(
      event("m-room-member")
        .find((t) => t.caption === "StrippedState")
        ?.rows.map((r) => r.key),
    ).toEqual(["content", "state_key", "type", "sender"]);
  });

  it("heads variants with their msgtype or method (m.room.message$m.text, m.key.verification.start$m.sas.v1)", () => {
    expect(section(page, "m-room-message-m-text")).toContain(
      '<h3 class="event-heading"><code>m.room.message (m.text)</code> <a class="heading-anchor"',
    );
    expect(section(page, "m-key-verification-start-m-sas-v1")).toContain("<code>m.key.verification.start (m.sas.v1)</code>");
    expect(result.events.find((e) => e.name === "m.room.message$m.text")?.blockName).toBe("m_room_message_m_text_event");
  });

  it("validates an example against its variant's schema when there is one, else the base's (m.room.message$m.text, m.room.encrypted$olm)", async () => {
    const root = copyCorpus("# Events\n");
    const edit = (name: string, change: (example: any) => void) => {
      const file = path.join(root, "event-schemas/examples", name);
      const example = JSON.parse(readFileSync(file, "utf8"));
      change(example);
      writeFileSync(file, JSON.stringify(example, null, 2));
    };
    edit("m.room.message$m.text", (e) => (e.content.format = 5));
    edit("m.room.encrypted$olm", (e) => (e.content.sender_key = 5));
    const { diagnostics } = await checkRoot(root);
    expect(
      // auth_data.yaml's own example breaks its schema (a real error of the corpus, see CORPUS_INVALID_EXAMPLES).
      diagnostics
        .filter((d) => d.severity === "error" && !d.file?.startsWith("api/"))
        .map((d) => [d.file, d.pointer, d.message.replace(/^.*\((.*)\)$/, "$1")]),
    ).toEqual([
      [
        "event-schemas/examples/m.room.encrypted$olm",
        "/content/sender_key",
        "event-schemas/schema/m.room.encrypted#/properties/content/properties/sender_key type",
      ],
      [
        "event-schemas/examples/m.room.message$m.text",
        "/content/format",
        "event-schemas/schema/m.room.message$m.text#/properties/content/properties/format type",
      ],
    ]);
  });

  it("shows an event's own and its $ variants' examples; m.room.message those of its msgtypes, whose variants have schemas", () => {
    expect(examples(section(page, "m-room-encrypted")).map((e) => e.name)).toEqual(["m.room.encrypted$megolm", "m.room.encrypted$olm"]);
    // As the 2020 pipeline (units.py groups examples by the name before `$`) and today's spec show it.
    const variants = readdirSync(path.join(CORPUS, "event-schemas/examples")).filter((n) => n.startsWith("m.room.message$"));
    expect(examples(section(page, "m-room-message")).map((e) => e.name)).toEqual(variants.sort());
    expect(examples(section(page, "m-room-message-m-text")).map((e) => e.name)).toEqual(["m.room.message$m.text"]);
    expect(result.diagnostics.filter((d) => d.code === "event-no-example")).toEqual([]);
  });

  it("renders the group blocks as the 2020 pipeline grouped them", () => {
    const ids = sectionIds(groups);
    const ofGroup = (first: string, count: number) => ids.slice(ids.indexOf(first), ids.indexOf(first) + count);
    expect(ofGroup("m-room-message-m-text", 8)).toEqual([
      "m-room-message-m-text",
      "m-room-message-m-emote",
      "m-room-message-m-notice",
      "m-room-message-m-image",
      "m-room-message-m-file",
      "m-room-message-m-audio",
      "m-room-message-m-location",
      "m-room-message-m-video",
    ]);
    expect(ids).not.toContain("m-room-message-m-server_notice");
    expect(ofGroup("m-call-invite", 4)).toEqual(["m-call-invite", "m-call-candidates", "m-call-answer", "m-call-hangup"]);
    expect(ids.filter((id) => id.startsWith("m-presence"))).toEqual(["m-presence"]);
    const roomEvents = corpusEventNames().filter((n) => n.startsWith("m.room.") && !n.startsWith("m.room.message$"));
    const start = ids.indexOf("m-room-avatar");
    expect(ids.slice(start)).toEqual(roomEvents.map((n) => n.replace(/[.$]/g, "-")));
    expect(roomEvents).toContain("m.room.message.feedback");
  });

  it("renders the common-fields blocks from the core schemas, with what they inherit", () => {
    const fields = (id: string) => tables(section(groups, id))[0].rows.map((r) => `${r.key}${r.required ? "*" : ""}`);
    expect(fields("common_event_fields")).toEqual(["content*", "type*"]);
    const roomFields = ["content*", "type*", "event_id*", "sender*", "origin_server_ts*", "unsigned", "room_id*"];
    expect(fields("common_room_event_fields")).toEqual(roomFields);
    expect(fields("common_state_event_fields")).toEqual([...roomFields, "prev_content", "state_key*"]);
    expect(section(groups, "common_room_event_fields")).toContain("<p>Room Events have the following fields.</p>");
  });

  it("renders the RST dialect: ``literal``, `Title`_, `text <url>`_, admonitions, csv-table, comments, #. lists", () => {
    const encrypted = section(page, "m-room-encrypted");
    expect(encrypted).toContain('<a href="#room-event-fields">Room Event fields</a>');
    expect(encrypted).toContain('<a href="#to-device">to-device</a>');
    expect(section(page, "m-push_rules")).toContain('<a href="#conditions">conditions</a>');
    const acl = section(page, "m-room-server_acl");
    expect(acl).toContain('<div class="admonition admonition-note">\n<p class="admonition-title">Note</p>');
    expect(acl.match(/admonition-warning"/g)).toHaveLength(2);
    expect(acl).toMatch(/<ol>\n(<li>[\s\S]*?<\/li>\n){5}<\/ol>/);
    const member = section(page, "m-room-member");
    expect(member).toContain('<table class="csv-table">');
    expect(member).toContain('<th scope="row">from <code>invite</code></th><td>No change.</td>');
    expect(member).not.toContain(".. TODO");
    expect(section(page, "m-key-verification-cancel")).not.toContain("The above blank line is important");
    expect(section(page, "m-room-message-m-text")).toContain("<code>org.matrix.custom.html</code>");
  });
});

describe("shapes of a spec in the newer format (test/fixtures/newer)", () => {
  let result: CheckResult;
  let page: string;
  let profile: TableView[];
  beforeAll(async () => {
    result = await checkRoot(path.join(REPO, "test/fixtures/newer"));
    page = result.files.get("index.html") as string;
    profile = tables(section(page, "m-example-profile"));
  });

  it("checks with no error, warning of the example without a schema, the events without one, a group's missing event", () => {
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.file])).toEqual([
      ["warning", "example-no-schema", "event-schemas/examples/m.orphan.json"],
      ["warning", "event-no-example", "event-schemas/schema/m.call.stop.yaml"],
      ["warning", "group-missing-event", "specification/more.md"],
    ]);
  });

  it("takes event types, titles, descriptions and version notes from allOf entries, not from the base schemas", () => {
    expect(result.events.map((e) => [e.name, e.type, e.kind])).toEqual([
      ["m.call.ring", "m.call.ring", "room"],
      ["m.call.stop", "m.call.stop", "room"],
      ["m.example.message$m.example.text", "m.example.message", "room"],
      ["m.example.message", "m.example.message", "room"],
      ["m.example.profile", "m.example.profile", "state"],
    ]);
    const html = section(page, "m-example-profile");
    expect(html).toContain('<span class="event-title">Profile</span>');
    expect(html).toContain(
      '<p class="state-key"><span class="fact-label"><code>state_key</code>:</span> The ID of the user whose profile this is.</p>',
    );
    expect(html).toContain('<p class="added-in"><strong>Added in <code>v1.3</code></strong></p>');
    expect(html).toContain("<p><strong>Changed in <code>v1.5</code>:</strong></p><p>Added <code>pronouns</code>.</p>");
    expect(html).not.toContain("The basic set of fields");
    expect(section(page, "m-call-ring")).not.toContain("event-title");
    expect(section(page, "m-example-message-m-example-text")).toContain('<p class="deprecated"><strong>Deprecated.</strong></p>');
    expect(section(page, "m-example-message-m-example-text")).toContain("<code>m.example.message (m.example.text)</code>");
  });

  it("renders Markdown descriptions (links, emphasis, lists) beside the RST dialect", () => {
    const html = section(page, "m-example-profile");
    expect(html).toContain("<strong>profile</strong>");
    expect(html).toContain('<a href="/appendices#user-identifiers">the appendices</a>');
    expect(html).toMatch(/<ul>\n<li>It is a state event/);
    expect(html).toContain("<code>literal</code>");
    expect(html).toContain('<a href="#rooms">Rooms</a>');
    expect(section(page, "common_room_event_fields")).toContain("<em>in addition</em>");
  });

  it("types tuples, anyOf, nullable types, maps keyed by x-pattern-format, and maps to enums", () => {
    expect(row(profile, "Content", "displayname")).toMatchObject({ type: "string|null", required: true });
    expect(row(profile, "Content", "location").type).toBe("[number, number]");
    expect(row(profile, "Content", "link")).toMatchObject({ type: "string|Link", links: ["m-example-profile_link"] });
    expect(row(profile, "Content", "levels").type).toBe("{mx-user-id: integer}");
    const statuses = row(profile, "Content", "statuses");
    expect(statuses.type).toBe("{string: string}");
    expect(text(statuses.html)).toContain("One of: online, away");
    expect(text(row(profile, "Content", "pronouns").html)).toContain("One of: he, she, they");
  });

  it("shows format, default, pattern, minimum, maximum, deprecated and version notes of a field", () => {
    expect(text(row(profile, "Content", "avatar_size").html)).toContain("Format: int32; Default: 96; Minimum: 16; Maximum: 1024");
    const legacy = row(profile, "Content", "legacy_name").html;
    expect(legacy).toContain('<p class="deprecated"><strong>Deprecated.</strong></p>');
    expect(legacy).toContain("<strong>Changed in <code>v1.6</code>:</strong>");
    expect(text(legacy)).toContain("Pattern: ^[a-z]+$");
    expect(row(profile, "Content", "pronouns").html).toContain("Added in <code>v1.5</code>");
    expect(text(row(profile, "Home", "lat").html)).toContain("Minimum: -90; Maximum: 90");
  });

  it("de-duplicates tables by structure: one table per title and rows, two for one title on two structures", () => {
    expect(profile.map((t) => t.caption)).toEqual(["Content", "Link", "Badge", "Badge", "Home", "Office", "StrippedEvent"]);
    expect(row(profile, "Content", "home").links).toEqual(["m-example-profile_home"]);
    expect(row(profile, "Content", "holiday_home").links).toEqual(["m-example-profile_home"]);
    expect(row(profile, "Content", "work").links).toEqual(["m-example-profile_office"]);
    expect(row(profile, "Content", "second_badge").links).toEqual(["m-example-profile_badge-2"]);
  });

  it("describes content by its own description or its component's, never by the base schema's", () => {
    const description = (anchor: string) =>
      // The first (content) table's, which comes before it.
      /<div class="field-table" id="[^"]*">\n(?:<div class="table-description">([\s\S]*?)<\/div>)?/.exec(section(page, anchor))?.[1];
    expect(description("m-call-ring")).toBe("<p>The ringing call.</p>\n");
    expect(description("m-call-stop")).toBe("<p>What every call event holds.</p>\n");
    expect(description("m-example-profile")).toBeUndefined();
    expect(page.match(/vary with the type of event/g)).toHaveLength(2);
  });

  it("keeps a top-level schema without an event type a component (stripped.yaml), usable by $ref", () => {
    expect(result.events.map((e) => e.name)).not.toContain("stripped");
    expect(row(profile, "Content", "last_seen").type).toBe("StrippedEvent");
  });

  it("merges YAML examples, a $ref to a JSON array, and a $ variant extending another without extension", () => {
    const shown = examples(section(page, "m-example-profile"));
    expect(shown.map((e) => e.name)).toEqual(["m.example.profile", "m.example.profile$travelling"]);
    expect(JSON.parse(shown[1].json).content).toEqual({ displayname: null, location: [48.85, 2.35] });
    const calls = examples(section(page, "m-call-ring")).map((e) => [e.name, JSON.parse(e.json).content.call_id]);
    expect(calls).toEqual([
      ["m.call.ring$audio", "c1"],
      ["m.call.ring$video", "c2"],
    ]);
    expect(section(page, "m-call-stop")).not.toContain("<figure");
  });

  it("validates by draft 2020-12: a third item after a prefixItems pair is an error at its line, with its pointer", async () => {
    const root = tempDir();
    cpSync(path.join(REPO, "test/fixtures/newer"), root, { recursive: true });
    const file = path.join(root, "event-schemas/examples/m.example.profile.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("location: [51.5, -0.12]", "location:\n    - 51.5\n    - -0.12\n    - 7"));
    const { diagnostics } = await checkRoot(root);
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.file, d.line, d.pointer])).toEqual([
      // At the value: the list starts on the line after its key.
      ["example-invalid", "event-schemas/examples/m.example.profile.yaml", 9, "/content/location"],
    ]);
  });

  it("renders configured groups and the common fields of the core schemas", () => {
    expect(sectionIds(page)).toEqual([
      "m-example-profile",
      "m-example-message",
      "m-example-message-m-example-text",
      "m-call-ring",
      "m-call-stop",
    ]);
    expect(sectionIds(result.files.get("more.html") as string)).toEqual(["m-example-profile"]);
    const common = tables(section(page, "common_state_event_fields"));
    expect(common.map((t) => t.caption)).toEqual(["StateEvent", "UnsignedData"]);
    expect(common[0].rows.map((r) => r.key)).toEqual([
      "content",
      "type",
      "event_id",
      "sender",
      "origin_server_ts",
      "room_id",
      "unsigned",
      "state_key",
    ]);
    expect(row(common, "UnsignedData", "age").html).toContain("Minimum: <code>0</code>");
  });
});
