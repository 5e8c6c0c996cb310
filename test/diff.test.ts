/**
 * `specgen diff` on scratch git repositories holding the sample spec: each test
 * commits the sample, changes it one way, and asserts the exact report.
 */
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { CORPUS_CONFIG } from "../bench/corpus.js";
import { type Change, compareSubjects } from "../src/diff/compare.js";
import { formatDiff } from "../src/diff/format.js";
import { type DiffReport, diffSpec } from "../src/diff/index.js";
import type { Subject } from "../src/diff/subjects.js";
import { CORPUS, checkRoot, copyCorpus, git, hasCorpus, REPO, tempDir, writeFiles } from "./helpers.js";

const BIN = path.join(REPO, "bin/specgen.js");
const WITHHELD = "event-schemas/schema/m.room_key.withheld";
const CORE = "event-schemas/schema/core-event-schema/event.yaml";

/** A new repository whose first commit holds the sample spec at `sub` (the top by default). */
function sampleRepo(sub = ""): { repo: string; root: string } {
  const repo = tempDir("specgen-diff-repo-");
  const root = path.join(repo, sub);
  for (const dir of ["event-schemas", "specification"]) cpSync(path.join(REPO, dir), path.join(root, dir), { recursive: true });
  initRepo(repo);
  return { repo, root };
}

/** Makes a folder a repository and commits what it holds. */
function initRepo(repo: string): void {
  git(repo, "init", "-q");
  commit(repo, "the spec");
}

function commit(repo: string, message: string): void {
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", message);
}

function replaceIn(root: string, rel: string, from: string, to: string): void {
  const file = path.join(root, rel);
  const text = readFileSync(file, "utf8");
  if (!text.includes(from)) throw new Error(`${rel} has no ${from}`);
  writeFileSync(file, text.replace(from, to));
}

function specgen(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, GITHUB_ACTIONS: "" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The report between the last commit and the working tree after `edit`. */
async function reportAfter(edit: (root: string) => void): Promise<DiffReport> {
  const { root } = sampleRepo();
  edit(root);
  const report = await diffSpec({ root, base: "HEAD" });
  expect(report.problems).toEqual([]);
  return report;
}

/** The changes as the JSON report has them. */
async function changesAfter(edit: (root: string) => void): Promise<Omit<Change, "example">[]> {
  return (await reportAfter(edit)).changes.map(({ example, ...c }) => c);
}

const c = (kind: Change["kind"], target: string, path: string, before: unknown, after: unknown, breaking = false) => ({
  kind,
  target,
  path,
  before,
  after,
  breaking,
});

/** The done-when commit: the withheld event changed five ways, a new event, a core field's description edited. */
function doneWhenCommit(repo: string, root: string): void {
  replaceIn(
    root,
    WITHHELD,
    `      session_id:
        type: string
        description: |-
          Required of \`\`code\`\` is not \`\`m.no_olm\`\`. The session ID of the key
          that this event is aboutis for.
`,
    "",
  );
  replaceIn(root, WITHHELD, 'enum: ["m.megolm.v1.aes-sha2"]', 'enum: ["m.megolm.v1.aes-sha2", "m.megolm.v2.aes-sha2"]');
  replaceIn(
    root,
    WITHHELD,
    "    required:\n      - algorithm\n      - sender_key\n      - code\n",
    `      from_device:
        type: string
        description: The ID of the device that withheld the key.
    required:
      - algorithm
      - sender_key
      - code
      - reason
`,
  );
  writeFiles(root, {
    "event-schemas/schema/m.dummy": `allOf:
  - $ref: core-event-schema/event.yaml
description: Carries no information; sent to start a new Olm session.
type: object
properties:
  content:
    type: object
  type:
    type: string
    enum: [m.dummy]
`,
  });
  replaceIn(root, CORE, "Identifies what kind of event this is.", "Says which kind of event this is.");
  commit(repo, "change the spec");
}

const TYPE_DESCRIPTION = ["Identifies what kind of event …", "Says which kind of event …"] as const;

const DONE_WHEN_CHANGES = [
  c("event-added", "m.dummy", "", null, "event-schemas/schema/m.dummy"),
  c("description-changed", "m.forwarded_room_key", "/type", ...TYPE_DESCRIPTION),
  c("enum-added", "m.room_key.withheld", "/content/algorithm", null, "m.megolm.v2.aes-sha2"),
  c("field-added", "m.room_key.withheld", "/content/from_device", null, "string"),
  c("required-added", "m.room_key.withheld", "/content/reason", false, true, true),
  c("field-removed", "m.room_key.withheld", "/content/session_id", "string", null, true),
  c("description-changed", "m.room_key.withheld", "/type", ...TYPE_DESCRIPTION),
  c("description-changed", "m.room_key_request", "/type", ...TYPE_DESCRIPTION),
];

describe("specgen diff: the done-when scenario", () => {
  let repo: string;
  let root: string;
  let base: string;
  beforeAll(() => {
    ({ repo, root } = sampleRepo());
    doneWhenCommit(repo, root);
    base = git(repo, "rev-parse", "HEAD~1").trim();
  });

  it("--format json reports each change with its kind, path and class", () => {
    const r = specgen(["diff", root, "--base", "HEAD~1", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ changes: DONE_WHEN_CHANGES });
  });

  it("--fail-on breaking exits 1 when a change is breaking", () => {
    const r = specgen(["diff", root, "--base", "HEAD~1", "--fail-on", "breaking"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("8 changes to 4 events, 2 breaking");
  });

  it("--format markdown is a pull-request comment with links to the head's sections", () => {
    const r = specgen(["diff", root, "--base", "HEAD~1", "--format", "markdown", "--site-url", "https://spec.example.org/v1/"]);
    expect(r.code).toBe(0);
    const page = "https://spec.example.org/v1/modules/end_to_end_encryption.html";
    expect(r.stdout).toBe(`**specgen diff** \`HEAD~1\` (\`${base.slice(0, 12)}\`) → working tree: ⚠️ **8 changes to 4 events, 2 breaking**

#### \`m.dummy\`

| Change | Field | Before | After |
| --- | --- | --- | --- |
| event added |  |  | \`event-schemas/schema/m.dummy\` |

#### [\`m.forwarded_room_key\`](${page}#m-forwarded_room_key)

| Change | Field | Before | After |
| --- | --- | --- | --- |
| description changed | \`/type\` | Identifies what kind of event … | Says which kind of event … |

#### [\`m.room_key.withheld\`](${page}#m-room_key-withheld)

| Change | Field | Before | After |
| --- | --- | --- | --- |
| enum added | \`/content/algorithm\` |  | \`m.megolm.v2.aes-sha2\` |
| field added | \`/content/from_device\` |  | \`string\` |
| ⚠️ **required added** (breaking) | \`/content/reason\` | optional | required |
| ⚠️ **field removed** (breaking) | \`/content/session_id\` | \`string\` |  |
| description changed | \`/type\` | Identifies what kind of event … | Says which kind of event … |

#### [\`m.room_key_request\`](${page}#m-room_key_request)

| Change | Field | Before | After |
| --- | --- | --- | --- |
| description changed | \`/type\` | Identifies what kind of event … | Says which kind of event … |
`);
  });

  it("--format pretty lists the changes per event for a terminal", () => {
    const r = specgen(["diff", root, "--base", "HEAD~1", "--head", "HEAD"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(`specgen diff HEAD~1 (${base.slice(0, 12)}) → HEAD (${git(repo, "rev-parse", "HEAD").slice(0, 12)})`);
    expect(lines).toContain("  BREAKING  field removed        /content/session_id   string → –");
    expect(lines).toContain("            enum added           /content/algorithm    – → m.megolm.v2.aes-sha2");
    expect(lines.at(-2)).toBe("8 changes to 4 events, 2 breaking");
  });

  it("reads revisions without touching the working tree, the index or HEAD", () => {
    writeFileSync(path.join(root, "event-schemas/schema/m.dummy"), "not: [valid");
    const status = git(repo, "status", "--porcelain");
    const head = git(repo, "rev-parse", "HEAD");
    const r = specgen(["diff", root, "--base", "HEAD~1", "--head", "HEAD", "--format", "json"]);
    expect(JSON.parse(r.stdout)).toEqual({ changes: DONE_WHEN_CHANGES });
    expect(git(repo, "status", "--porcelain")).toBe(status);
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    git(repo, "checkout", "--", ".");
  });
});

describe("specgen diff: each kind of change", () => {
  it("fields added and removed, in nested objects too", async () => {
    const changes = await changesAfter((root) => {
      replaceIn(root, "event-schemas/schema/m.room_key_request", "          session_id:\n", "          session_ids:\n");
    });
    // The old name stays in the required list, without a property; the new name is not required.
    expect(changes).toEqual([
      c("field-removed", "m.room_key_request", "/content/body/session_id", "string", null, true),
      c("field-added", "m.room_key_request", "/content/body/session_ids", null, "string"),
    ]);
  });

  it("a new required field is a field added and a requirement added, which breaks", async () => {
    const changes = await changesAfter((root) => {
      replaceIn(root, WITHHELD, "    required:\n", "      version:\n        type: integer\n    required:\n      - version\n");
    });
    expect(changes).toEqual([
      c("field-added", "m.room_key.withheld", "/content/version", null, "integer"),
      c("required-added", "m.room_key.withheld", "/content/version", false, true, true),
    ]);
  });

  it("a type narrowed breaks; a type widened does not; array items are `*`", async () => {
    const changes = await changesAfter((root) => {
      replaceIn(root, WITHHELD, "      code:\n        type: string", "      code:\n        type: [string, 'null']");
      replaceIn(root, WITHHELD, "      sender_key:\n        type: string", "      sender_key:\n        type: object");
      replaceIn(
        root,
        "event-schemas/schema/m.forwarded_room_key",
        "        items:\n          type: string",
        "        items:\n          type: integer",
      );
    });
    expect(changes).toEqual([
      c("type-changed", "m.forwarded_room_key", "/content/forwarding_curve25519_key_chain/*", "string", "integer", true),
      c("type-changed", "m.room_key.withheld", "/content/code", "string", "null|string"),
      c("type-changed", "m.room_key.withheld", "/content/sender_key", "string", "object", true),
    ]);
  });

  it("required added breaks, required removed does not", async () => {
    const changes = await changesAfter((root) => {
      replaceIn(root, WITHHELD, "      - sender_key\n      - code\n", "      - sender_key\n      - room_id\n");
    });
    expect(changes).toEqual([
      c("required-removed", "m.room_key.withheld", "/content/code", true, false),
      c("required-added", "m.room_key.withheld", "/content/room_id", false, true, true),
    ]);
  });

  it("enum values removed break, added do not; an enum that appears is a constraint change", async () => {
    const changes = await changesAfter((root) => {
      replaceIn(root, "event-schemas/schema/m.room_key_request", "          - request_cancellation\n", "          - cancel\n");
      replaceIn(
        root,
        WITHHELD,
        "      code:\n        type: string",
        "      code:\n        type: string\n        enum: [m.blacklisted, m.unverified]",
      );
    });
    expect(changes).toEqual([
      c("constraint-changed", "m.room_key.withheld", "/content/code", null, { enum: ["m.blacklisted", "m.unverified"] }),
      c("enum-added", "m.room_key_request", "/content/action", null, "cancel"),
      c("enum-removed", "m.room_key_request", "/content/action", "request_cancellation", null, true),
    ]);
  });

  it("constraints: format, pattern, lengths", async () => {
    const changes = await changesAfter((root) => {
      replaceIn(root, WITHHELD, "      reason:\n        type: string", "      reason:\n        type: string\n        maxLength: 255");
      replaceIn(
        root,
        WITHHELD,
        "      room_id:\n        type: string",
        "      room_id:\n        type: string\n        format: matrix-room-id\n        pattern: '^!'",
      );
    });
    expect(changes).toEqual([
      c("constraint-changed", "m.room_key.withheld", "/content/reason", null, { maxLength: 255 }),
      c("constraint-changed", "m.room_key.withheld", "/content/room_id", null, { format: "matrix-room-id" }),
      c("constraint-changed", "m.room_key.withheld", "/content/room_id", null, { pattern: "^!" }),
    ]);
  });

  it("descriptions: a short word diff, a rewrite by its length, reflowing is no change", async () => {
    const changes = await changesAfter((root) => {
      replaceIn(root, WITHHELD, "that this event is aboutis for.", "that this event is about.");
      replaceIn(root, WITHHELD, "It is sent as a to-device event.", "It is sent as a\n  to-device event.");
      replaceIn(
        root,
        "event-schemas/schema/m.room_key_request",
        "What the message does: ``request`` asks for a key, while\n          ``request_cancellation`` tells the other devices that an earlier\n          request with the same ``request_id`` is no longer needed.",
        "Whether to ask for a key or to withdraw an earlier request for one.",
      );
    });
    expect(changes).toEqual([
      c("description-changed", "m.room_key.withheld", "/content/session_id", "… this event is aboutis for.", "… this event is about."),
      c("description-changed", "m.room_key_request", "/content/action", "(179 chars)", "(67 chars)"),
    ]);
  });

  it("examples: every value that differs, by its pointer; a base example's change shows in every example built on it", async () => {
    const report = await reportAfter((root) => {
      replaceIn(root, "event-schemas/examples/m.room_key.withheld", '"code": "m.unverified"', '"code": "m.blacklisted"');
      replaceIn(root, "event-schemas/examples/core/event.json", '"content"', '"unsigned": {"age": 1234},\n  "content"');
    });
    // An event with several examples: the reports name each; JSON has one change per example.
    const md = formatDiff(report, "markdown");
    expect(md).toContain('| example changed | `/content/code` | `"m.unverified"` | `"m.blacklisted"` |');
    expect(md).toContain('| example changed | `/unsigned` in `m.room_key_request$cancel_request` |  | `{"age":1234}` |');
    expect(md).toContain('| example changed | `/unsigned` in `m.room_key_request$request` |  | `{"age":1234}` |');
    expect(report.changes.map(({ example, ...c }) => c)).toEqual([
      c("example-changed", "m.forwarded_room_key", "/unsigned", null, { age: 1234 }),
      c("example-changed", "m.room_key.withheld", "/content/code", "m.unverified", "m.blacklisted"),
      c("example-changed", "m.room_key.withheld", "/unsigned", null, { age: 1234 }),
      c("example-changed", "m.room_key_request", "/unsigned", null, { age: 1234 }),
      c("example-changed", "m.room_key_request", "/unsigned", null, { age: 1234 }),
    ]);
  });

  it("an event removed breaks", async () => {
    const changes = await changesAfter((root) => rmSync(path.join(root, "event-schemas/schema/m.forwarded_room_key")));
    expect(changes).toEqual([c("event-removed", "m.forwarded_room_key", "", "event-schemas/schema/m.forwarded_room_key", null, true)]);
  });

  it("no change: an empty report, exit 0 even with --fail-on breaking", () => {
    const { root } = sampleRepo();
    const r = specgen(["diff", root, "--base", "HEAD", "--fail-on", "breaking", "--format", "markdown"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\*\*specgen diff\*\* `HEAD` \(`[0-9a-f]{12}`\) → working tree: \*\*no changes\*\*\n$/);
  });
});

/** The response body of the upload endpoint below. */
const UPLOAD_RESPONSE = `          schema:
            type: object
            properties:
              one_time_key_counts:
                type: object
                additionalProperties:
                  type: integer
            required: [one_time_key_counts]
`;

/** A small Swagger 2.0 document in the 2020 corpus' shape: the device keys endpoints of the end-to-end module. */
const KEYS_API = `swagger: "2.0"
info:
  title: Sample Client-Server End-to-End Keys API
  version: "1.0.0"
host: localhost:8008
schemes: [https]
basePath: /_matrix/client/%CLIENT_MAJOR_VERSION%
consumes: [application/json]
produces: [application/json]
paths:
  /keys/upload:
    post:
      summary: Upload end-to-end encryption keys.
      parameters:
        - in: body
          name: keys
          required: true
          schema:
            type: object
            properties:
              device_keys:
                description: Identity keys for the device.
                allOf:
                  - $ref: definitions/device_keys.yaml
              one_time_keys:
                type: object
                description: One-time public keys, by key ID.
                additionalProperties:
                  type: string
      responses:
        200:
          description: The provided keys were uploaded.
${UPLOAD_RESPONSE}  /keys/changes:
    get:
      summary: Query users with recent device key updates.
      parameters:
        - in: query
          type: string
          name: from
          required: true
          description: Where to start.
      responses:
        200:
          description: The users whose keys changed.
          schema:
            type: object
            properties:
              changed:
                type: array
                items:
                  type: string
              left:
                type: array
                items:
                  type: string
  /keys/claim:
    post:
      summary: Claim one-time encryption keys.
      parameters:
        - in: body
          name: query
          required: true
          schema:
            type: object
            properties:
              timeout:
                type: integer
      responses:
        200:
          description: The claimed keys.
`;

const DEVICE_KEYS = `type: object
title: DeviceKeys
properties:
  user_id:
    type: string
    description: The ID of the user the device belongs to.
  device_id:
    type: string
    description: The ID of the device these keys belong to.
required: [user_id, device_id]
`;

/** The sample spec plus KEYS_API, shown by a page of its own. */
function apiRepo(): { repo: string; root: string } {
  const { repo, root } = sampleRepo();
  writeFiles(root, {
    "specgen.config.yaml": "substitutions:\n  CLIENT_MAJOR_VERSION: r0\n",
    "api/client-server/keys.yaml": KEYS_API,
    "api/client-server/definitions/device_keys.yaml": DEVICE_KEYS,
    "specification/client_server_api.md": "# Client-Server API\n\n{{keys_cs_http_api}}\n",
  });
  commit(repo, "the keys API");
  return { repo, root };
}

const KEYS = "api/client-server/keys.yaml";

/** An endpoint added and one removed, a response field removed, a required request field added, a definition's description edited. */
function endpointsCommit(repo: string, root: string): void {
  replaceIn(root, KEYS, "              left:\n                type: array\n                items:\n                  type: string\n", "");
  replaceIn(
    root,
    KEYS,
    "                additionalProperties:\n                  type: string\n",
    `                additionalProperties:
                  type: string
              fallback_keys:
                type: object
                description: Keys to use once the one-time keys run out.
            required: [fallback_keys]
`,
  );
  // The claim endpoint is the document's last path: it goes, and the query endpoint takes its place.
  replaceIn(
    root,
    KEYS,
    KEYS_API.slice(KEYS_API.indexOf("  /keys/claim:")),
    `  /keys/query:
    post:
      summary: Download device identity keys.
      responses:
        200:
          description: The device information.
`,
  );
  replaceIn(
    root,
    "api/client-server/definitions/device_keys.yaml",
    "The ID of the user the device belongs to.",
    "The ID of the user who owns the device.",
  );
  commit(repo, "change the keys API");
}

const ENDPOINT_CHANGES = [
  c("field-removed", "GET /_matrix/client/r0/keys/changes", "/responses/200/left", "array of string", null, true),
  c("endpoint-removed", "POST /_matrix/client/r0/keys/claim", "", KEYS, null, true),
  c("endpoint-added", "POST /_matrix/client/r0/keys/query", "", null, KEYS),
  c(
    "description-changed",
    "POST /_matrix/client/r0/keys/upload",
    "/request/device_keys/user_id",
    "… of the user the device belongs to.",
    "… of the user who owns the device.",
  ),
  c("field-added", "POST /_matrix/client/r0/keys/upload", "/request/fallback_keys", null, "object"),
  c("required-added", "POST /_matrix/client/r0/keys/upload", "/request/fallback_keys", false, true, true),
];

describe("specgen diff: HTTP endpoints", () => {
  let repo: string;
  let root: string;
  beforeAll(() => {
    ({ repo, root } = apiRepo());
    endpointsCommit(repo, root);
  });

  it("--format json reports endpoints added and removed and their bodies' fields, by METHOD /path and /request or /responses/<status>", () => {
    const r = specgen(["diff", root, "--base", "HEAD~1", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ changes: ENDPOINT_CHANGES });
  });

  it("an endpoint removed, a body field removed and a new required request field break", () => {
    const r = specgen(["diff", root, "--base", "HEAD~1", "--fail-on", "breaking"]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n").at(-2)).toBe("6 changes to 4 endpoints, 3 breaking");
  });

  it("--format markdown links each endpoint still there to its section of the head's site", async () => {
    const r = specgen([
      "diff",
      root,
      "--base",
      "HEAD~1",
      "--head",
      "HEAD",
      "--format",
      "markdown",
      "--site-url",
      "https://spec.example.org",
    ]);
    const page = "https://spec.example.org/client_server_api.html";
    const headings = r.stdout.split("\n").filter((l) => l.startsWith("#### "));
    expect(headings).toEqual([
      `#### [\`GET /_matrix/client/r0/keys/changes\`](${page}#get-_matrix-client-r0-keys-changes)`,
      "#### `POST /_matrix/client/r0/keys/claim`",
      `#### [\`POST /_matrix/client/r0/keys/query\`](${page}#post-_matrix-client-r0-keys-query)`,
      `#### [\`POST /_matrix/client/r0/keys/upload\`](${page}#post-_matrix-client-r0-keys-upload)`,
    ]);
    expect(r.stdout).toContain("| ⚠️ **endpoint removed** (breaking) |  | `api/client-server/keys.yaml` |  |");
    // The anchors are the ones the site gives the endpoints.
    const html = (await checkRoot(root)).files.get("client_server_api.html") as string;
    for (const id of ["get-_matrix-client-r0-keys-changes", "post-_matrix-client-r0-keys-query", "post-_matrix-client-r0-keys-upload"]) {
      expect(html).toContain(`id="${id}"`);
    }
  });

  it("a response that gains or loses its body is a field of the endpoint at /responses/<status>", async () => {
    const { root } = apiRepo();
    replaceIn(
      root,
      KEYS,
      "          description: The claimed keys.\n",
      "          description: The claimed keys.\n          schema:\n            type: object\n",
    );
    replaceIn(root, KEYS, UPLOAD_RESPONSE, "");
    const report = await diffSpec({ root, base: "HEAD" });
    expect(report.problems).toEqual([]);
    expect(report.changes).toEqual([
      c("field-added", "POST /_matrix/client/r0/keys/claim", "/responses/200", null, "object"),
      c("field-removed", "POST /_matrix/client/r0/keys/upload", "/responses/200", "object", null, true),
    ]);
  });

  it("an endpoint that a later document describes again is told apart by its file", async () => {
    const { root } = apiRepo();
    writeFiles(root, { "api/client-server/more_keys.yaml": KEYS_API });
    const report = await diffSpec({ root, base: "HEAD" });
    const more = "api/client-server/more_keys.yaml";
    expect(report.changes).toEqual([
      c("endpoint-added", `GET /_matrix/client/r0/keys/changes (${more})`, "", null, more),
      c("endpoint-added", `POST /_matrix/client/r0/keys/claim (${more})`, "", null, more),
      c("endpoint-added", `POST /_matrix/client/r0/keys/upload (${more})`, "", null, more),
    ]);
  });
});

describe("specgen diff: repositories and revisions", () => {
  it("reads a spec root that is a sub-folder of its repository", async () => {
    const { repo, root } = sampleRepo("docs/spec");
    replaceIn(root, WITHHELD, "      - code\n", "      - code\n      - reason\n");
    commit(repo, "require reason");
    const report = await diffSpec({ root, base: "HEAD~1", head: "HEAD" });
    expect(report.changes).toEqual([c("required-added", "m.room_key.withheld", "/content/reason", false, true, true)]);
  });

  it("an unknown revision is a usage error (exit 2) that names it", () => {
    const { root } = sampleRepo();
    const r = specgen(["diff", root, "--base", "no-such-branch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('specgen: unknown revision "no-such-branch": git knows no commit by that name\n');
    expect(r.stdout).toBe("");
  });

  it("a bad --format or --site-url is a usage error", () => {
    const { root } = sampleRepo();
    expect(specgen(["diff", root, "--base", "HEAD", "--format", "html"]).code).toBe(2);
    expect(specgen(["diff", root, "--base", "HEAD", "--site-url", "javascript:alert(1)"]).code).toBe(2);
    expect(specgen(["diff", root]).code).toBe(2);
  });

  it("a root outside any repository, or missing at the base, is a usage error", () => {
    const outside = tempDir();
    expect(specgen(["diff", outside, "--base", "HEAD"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("not inside a git repository"),
    });
    const { repo } = sampleRepo();
    writeFiles(repo, { "later/event-schemas/schema/x": "type: object\n" });
    commit(repo, "a new folder");
    expect(specgen(["diff", path.join(repo, "later"), "--base", "HEAD~1"])).toMatchObject({
      code: 2,
      stderr: 'specgen: the spec root later/ does not exist at revision "HEAD~1"\n',
    });
  });

  it("a revision without any event or endpoint says so (its layout differs) instead of reporting every one removed", () => {
    const { repo, root } = sampleRepo();
    cpSync(path.join(root, "event-schemas"), path.join(root, "data/events"), { recursive: true });
    rmSync(path.join(root, "event-schemas"), { recursive: true });
    commit(repo, "move the schemas");
    const r = specgen(["diff", root, "--base", "HEAD~1", "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "specgen: the spec in the working tree has no events and no HTTP endpoints in event-schemas/schema/ and api/, " +
        'so nothing is compared: if its layout differs, give its folders under "paths:" in its specgen.config.yaml\n',
    );
    expect(r.stdout).toBe("");
    // Told where the schemas are now, the working tree compares with the old layout as before.
    writeFiles(root, { "specgen.config.yaml": "paths:\n  schemas: data/events/schema\n  examples: data/events/examples\n" });
    const told = specgen(["diff", root, "--base", "HEAD~1", "--format", "json"]);
    expect(told.stderr).toBe("");
    expect(JSON.parse(told.stdout).changes).toEqual([]);
  });

  it("a revision without a config of its own takes the working tree's substitutions for its names", async () => {
    const { repo, root } = sampleRepo();
    writeFiles(root, {
      "api/client-server/ping.yaml": [
        "swagger: '2.0'",
        "info: {title: Ping, version: '1'}",
        "basePath: /_matrix/client/%CLIENT_MAJOR_VERSION%",
        "paths:",
        "  /ping:",
        "    get:",
        "      responses:",
        '        "200": {description: Pong., schema: {type: object, properties: {ok: {type: boolean, description: Yes.}}}}',
      ].join("\n"),
    });
    commit(repo, "an API");
    writeFiles(root, { "specgen.config.yaml": "substitutions:\n  CLIENT_MAJOR_VERSION: r0\n" });
    const report = await diffSpec({ root, base: "HEAD" });
    expect(report.changes).toEqual([]);
  });

  it("a revision whose schemas do not load is reported on stderr, and the rest is compared", () => {
    const { root } = sampleRepo();
    writeFileSync(path.join(root, "event-schemas/schema/m.room_key_request"), "properties: [");
    const r = specgen(["diff", root, "--base", "HEAD", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "specgen diff: the spec in the working tree has errors; the comparison covers what loads:\n" +
        "event-schemas/schema/m.room_key_request:2:1  error  parse-syntax  syntax error: unexpected end of the stream within a flow collection\n" +
        "1 error, 0 warnings in 1 file\n",
    );
    expect(JSON.parse(r.stdout).changes).toEqual([
      c("event-removed", "m.room_key_request", "", "event-schemas/schema/m.room_key_request", null, true),
    ]);
    // Committed, the error is history: one line per run, unless --verbose.
    commit(root, "break it");
    const committed = specgen(["diff", root, "--base", "HEAD", "--head", "HEAD", "--format", "json"]);
    expect(committed.code).toBe(0);
    const line =
      "specgen diff: the spec at HEAD has 1 error (event-schemas/schema/m.room_key_request); the comparison covers what loads (--verbose lists them)\n";
    expect(committed.stderr).toBe(line + line);
    const verbose = specgen(["diff", root, "--base", "HEAD", "--head", "HEAD", "--verbose"]);
    expect(verbose.stderr).toContain("event-schemas/schema/m.room_key_request:2:1  error  parse-syntax");
  });
});

describe.skipIf(!hasCorpus)("specgen diff on the 2020 corpus", () => {
  it("reports a core schema's change on every event and endpoint that inherits it, variants by their heading", async () => {
    const root = copyCorpus("# Index\n", { "specgen.config.yaml": CORPUS_CONFIG }, true);
    initRepo(root);
    const core = "event-schemas/schema/core-event-schema/sync_room_event.yaml";
    replaceIn(root, core, "The globally unique event identifier.", "The globally unique ID of the event.");
    const report = await diffSpec({ root, base: "HEAD" });
    // Every room and state event inherits sync_room_event.yaml through room_event.yaml or state_event.yaml.
    const schemas = path.join(CORPUS, "event-schemas/schema");
    const inheriting = readdirSync(schemas)
      .filter((f) => f.startsWith("m."))
      .filter((f) => /(room|state)_event\.yaml/.test(readFileSync(path.join(schemas, f), "utf8")));
    expect(inheriting.length).toBeGreaterThan(30);
    const isEvent = (c: Change) => report.targets.get(c.target)?.kind === "event";
    expect(report.changes.filter(isEvent).length).toBe(inheriting.length);
    expect(report.problems).toEqual([]);
    for (const change of report.changes) {
      expect(change).toMatchObject({
        kind: "description-changed",
        path: isEvent(change) ? "/event_id" : expect.stringMatching(/^\/responses\/200\/.*\/event_id$/),
        before: "The globally unique event identifier.",
        after: "The globally unique ID of the event.",
        breaking: false,
      });
    }
    expect(report.changes.map((c) => c.target)).toContain("m.room.message (m.text)");
    // Endpoints whose responses hold room events; `GET /events` is in two documents, the later one named by its file.
    expect(report.changes.filter((c) => !isEvent(c)).map((c) => `${c.target} ${c.path}`)).toEqual(
      expect.arrayContaining([
        "GET /_matrix/client/r0/rooms/{roomId}/context/{eventId} /responses/200/event/event_id",
        "GET /_matrix/client/r0/events /responses/200/chunk/*/event_id",
        "GET /_matrix/client/r0/events (api/client-server/peeking_events.yaml) /responses/200/chunk/*/event_id",
      ]),
    );
  });
});

describe("the comparer and the reports", () => {
  const subject = (schema: Record<string, unknown>, examples: [string, unknown][] = []): Subject => ({
    kind: "event",
    key: "m.tree",
    target: "m.tree",
    file: "event-schemas/schema/m.tree",
    schemas: new Map([["", schema]]),
    examples: new Map(examples),
  });

  it("walks recursive schemas once", () => {
    const node = (description: string) => {
      const n: Record<string, unknown> = { type: "object", description, properties: {} };
      (n.properties as Record<string, unknown>).children = { type: "array", items: n };
      return n;
    };
    expect(compareSubjects([subject(node("A tree."))], [subject(node("A tree of nodes."))])).toEqual([
      c("description-changed", "m.tree", "", "A tree.", "A tree of nodes."),
    ]);
  });

  it("a value added to a const or to oneOf alternatives is an enum value added, not a constraint change", () => {
    const before = subject({
      properties: {
        a: { type: "string", const: "x" },
        b: {
          oneOf: [
            { const: "p", description: "P." },
            { const: "q", description: "Q." },
          ],
        },
        c: { type: "string", enum: ["m"] },
      },
    });
    const after = subject({
      properties: {
        a: { type: "string", enum: ["x", "y"] },
        b: {
          oneOf: [
            { const: "p", description: "P." },
            { const: "r", description: "R." },
            { const: "q", description: "Q." },
          ],
        },
        c: { type: "string", const: "n" },
      },
    });
    expect(compareSubjects([before], [after])).toEqual([
      c("enum-added", "m.tree", "/a", null, "y"),
      c("enum-added", "m.tree", "/b", null, "r"),
      c("enum-added", "m.tree", "/c", null, "n"),
      c("enum-removed", "m.tree", "/c", "m", null, true),
    ]);
  });

  it("markdown escapes spec text and values: no Markdown or HTML of theirs takes effect", () => {
    const before = subject({ description: "Old.", properties: { a: { type: "string", enum: ["x"] } } });
    const after = subject({
      description: "New <script>alert(1)</script> | [link](x)",
      properties: { a: { type: "string", enum: ["x", "a|`b`"] } },
    });
    const report: DiffReport = {
      base: { label: "main", commit: "0123456789abcdef" },
      head: { label: "working tree" },
      changes: compareSubjects([before], [after]),
      targets: new Map([["m.tree", { kind: "event" }]]),
      problems: [],
    };
    const md = formatDiff(report, "markdown");
    expect(md).toContain("| description changed | (the event) | Old. | New \\<script\\>alert\\(1\\)\\</script\\> \\| \\[link\\]\\(x\\) |");
    expect(md).toContain("| enum added | `/a` |  | `` a\\|`b` `` |");
  });
});
