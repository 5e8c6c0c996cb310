/**
 * HTTP API and definition blocks, construct by construct: on the hand-made
 * OpenAPI 3.1 fixture (test/fixtures/openapi31), on small roots made here, and
 * on the 2020 corpus' Swagger 2.0 files when ../shared is there.
 */
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { HtmlValidate } from "html-validate";
import { beforeAll, describe, expect, it } from "vitest";
import { CORPUS_CONFIG } from "../bench/corpus.js";
import { apiBlockName, definitionBlockName } from "../src/api/model.js";
import { ConfigError, loadConfig } from "../src/config.js";
import type { CheckResult } from "../src/pipeline.js";
import { checkRoot, copyCorpus, hasCorpus, makeRoot, REPO } from "./helpers.js";
import { endpoints, examples, requestExample, section, tables } from "./html.js";

const OPENAPI31 = path.join(REPO, "test/fixtures/openapi31");

describe("configuration", () => {
  it("names blocks by file and folder suffix, the defaults overridable by apis.suffixes", () => {
    const config = loadConfig(makeRoot({ "specgen.config.yaml": "apis:\n  suffixes:\n    client-server: client\n    extra: ex\n" }));
    expect(config.apis).toBe(path.join(config.root, "api"));
    expect(apiBlockName(config, path.join(config.apis, "client-server/account-data.yaml"))).toBe("account_data_client_http_api");
    expect(apiBlockName(config, path.join(config.apis, "server-server/invites-v2.yaml"))).toBe("invites_v2_ss_http_api");
    expect(apiBlockName(config, path.join(config.apis, "push-gateway/push_notifier.yaml"))).toBe("push_notifier_push_http_api");
    expect(apiBlockName(config, path.join(config.apis, "other-api/a.yaml"))).toBe("a_other_api_http_api");
    expect(definitionBlockName(config, path.join(config.apis, "server-server/definitions/event-schemas/m.typing.yaml"))).toBe(
      "definition_ss_event_schemas_m_typing",
    );
    expect(definitionBlockName(config, path.join(config.apis, "extra/definitions/wellknown/full.yaml"))).toBe(
      "definition_ex_wellknown_full",
    );
    // Any other schema file by its path from the data root (here the spec root).
    expect(definitionBlockName(config, path.join(config.root, "schemas/server-signatures.yaml"))).toBe(
      "definition_schemas_server_signatures",
    );
    expect(definitionBlockName(config, path.join(config.root, "event-schemas/schema/components/sub.yaml"))).toBe(
      "definition_event_schemas_schema_components_sub",
    );
  });

  it("shows any loaded schema file as a definition, not only those of <api>/definitions", async () => {
    const root = makeRoot({
      "api/client-server/things.yaml": [
        "swagger: '2.0'",
        "info: {title: Things, version: 1.0.0}",
        "basePath: /_matrix/client/v3",
        "paths:",
        "  /things:",
        "    get:",
        "      responses:",
        "        200:",
        "          description: The thing.",
        "          schema: {$ref: ../../schemas/signed.yaml}",
        "",
      ].join("\n"),
      "schemas/signed.yaml":
        "type: object\ntitle: Signed\nproperties:\n  signatures: {type: object, description: The signatures.}\nexample: {signatures: {}}\n",
      "event-schemas/schema/components/part.yaml":
        "type: object\ntitle: Part\nproperties:\n  n: {type: integer, description: A number., example: 7}\n",
      "event-schemas/examples/.keep": "",
      "specification/index.md":
        "# Defs\n\n{{definition_schemas_signed}}\n\n{{definition_event_schemas_schema_components_part}}\n\n{{definition_schemas_signd}}\n",
    });
    const result = await checkRoot(root);
    const page = result.files.get("index.html") as string;
    const signed = section(page, "definition_schemas_signed");
    expect(tables(signed)[0].rows.map((r) => r.key)).toEqual(["signatures"]);
    expect(examples(signed).map((e) => JSON.parse(e.json))).toEqual([{ signatures: {} }]);
    const part = section(page, "definition_event_schemas_schema_components_part");
    expect(tables(part)[0].rows.map((r) => [r.key, r.type])).toEqual([["n", "integer"]]);
    expect(part).toContain("composed from its fields");
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.message])).toEqual([
      ["block-unknown", expect.stringContaining("definition_schemas_signed")],
    ]);
  });

  it("reads paths.apis and substitutions, and refuses malformed ones", () => {
    const config = loadConfig(
      makeRoot({ "specgen.config.yaml": "paths:\n  apis: spec/apis\nsubstitutions:\n  CLIENT_MAJOR_VERSION: r0\n" }),
    );
    expect(config.apis).toBe(path.join(config.root, "spec/apis"));
    expect(config.substitutions).toEqual({ CLIENT_MAJOR_VERSION: "r0" });
    for (const bad of [
      "apis: [a]",
      "apis:\n  root: x",
      "apis:\n  suffixes:\n    a: 'b c'",
      "substitutions: [a]",
      "substitutions:\n  'A B': x",
    ]) {
      expect(() => loadConfig(makeRoot({ "specgen.config.yaml": bad })), bad).toThrow(ConfigError);
    }
  });
});

describe("OpenAPI 3.1 (test/fixtures/openapi31, converted by hand from the corpus)", () => {
  let result: CheckResult;
  let page: string;
  let sections: Map<string, string>;
  beforeAll(async () => {
    result = await checkRoot(OPENAPI31);
    page = result.files.get("index.html") as string;
    sections = endpoints(page);
  });

  it("checks with no diagnostic", () => {
    expect(result.diagnostics).toEqual([]);
  });

  it("heads each endpoint with METHOD and the servers' path (variables at their defaults, substitutions applied), in document order", () => {
    expect([...sections.keys()]).toEqual([
      "PUT /_matrix/client/v3/user/{userId}/account_data/{type}",
      "GET /_matrix/client/v3/user/{userId}/account_data/{type}",
      "GET /_matrix/client/v3/login",
      "POST /_matrix/client/v3/login",
    ]);
    expect(page).toContain('<section class="endpoint" data-endpoint="PUT /_matrix/client/v3/user/{userId}/account_data/{type}">');
  });

  it("shows path-item and $ref parameters, requestBody (inline and from components), and the example request", () => {
    const put = sections.get("PUT /_matrix/client/v3/user/{userId}/account_data/{type}") as string;
    const [pathParams] = tables(put);
    expect(pathParams.caption).toBe("Path parameters");
    expect(pathParams.rows.map((r) => [r.key, r.type, r.required])).toEqual([
      ["userId", "string", true],
      ["type", "string", true],
    ]);
    expect(put).toContain("The content of the account_data.");
    expect(requestExample(put)).toBe(
      'PUT /_matrix/client/v3/user/%40alice%3Aexample.com/account_data/org.example.custom.config HTTP/1.1\nContent-Type: application/json\n\n{\n  "custom_account_data_key": "custom_config_value"\n}',
    );
    const post = sections.get("POST /_matrix/client/v3/login") as string;
    expect(tables(post).map((t) => t.caption)).toEqual([
      "Query parameters",
      "Header parameters",
      "Request body",
      "User identifier",
      "Headers",
      "Body",
      "Homeserver Information",
      "Error",
    ]);
    const body = tables(post)[2];
    expect(body.rows.map((r) => [r.key, r.type, r.required])).toEqual([
      ["type", "string", true],
      ["identifier", "User identifier", false],
      ["password", "string", false],
      ["position", "[number, number]", false],
    ]);
    expect(body.rows[1].links).toEqual([tables(post)[3].id]);
    expect(requestExample(post)).toMatch(
      /^POST \/_matrix\/client\/v3\/login\?fields=user_id&fields=access_token HTTP\/1\.1\nX-Request-Id: abc123\n/,
    );
  });

  it("says deprecated, rate-limited and requires-authentication (an empty security requirement makes it optional)", () => {
    const post = sections.get("POST /_matrix/client/v3/login") as string;
    expect(post).toContain('<p class="deprecated"><strong>Deprecated.</strong>');
    expect(post).toContain("<dt>Rate-limited</dt><dd>No</dd>");
    expect(post).toContain("<dt>Requires authentication</dt><dd>Optional</dd>");
    const put = sections.get("PUT /_matrix/client/v3/user/{userId}/account_data/{type}") as string;
    expect(put).not.toContain('class="deprecated"');
    expect(put).toContain("<dt>Rate-limited</dt><dd>Yes</dd>");
    expect(put).toContain("<dt>Requires authentication</dt><dd>Yes</dd>");
  });

  it("shows every response: status, description, headers, field tables, content example and named examples (also from components)", () => {
    const get = sections.get("GET /_matrix/client/v3/user/{userId}/account_data/{type}") as string;
    expect(get).toContain('<p class="body-type">Body (<code>application/json</code>): <code>{string: string}</code></p>');
    expect(examples(get).map((e) => [e.name, JSON.parse(e.json)])).toEqual([
      ["custom", { custom_account_data_key: "custom_config_value" }],
      ["empty", {}],
    ]);
    const put = sections.get("PUT /_matrix/client/v3/user/{userId}/account_data/{type}") as string;
    expect(put).toMatch(/<th scope="row"><code>429<\/code><\/th><td><p>This request was rate-limited\.<\/p>/);
    expect(examples(put).map((e) => JSON.parse(e.json))).toEqual([
      {},
      { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 2000 },
    ]);
    const post = sections.get("POST /_matrix/client/v3/login") as string;
    const headers = tables(post).find((t) => t.caption === "Headers");
    expect(headers?.rows.map((r) => [r.key, r.type, r.required])).toEqual([["X-Request-Id", "string", true]]);
    expect(
      tables(post)
        .find((t) => t.caption === "Body")
        ?.rows.find((r) => r.key === "device_id")?.type,
    ).toBe("string|null");
  });

  it("renders definitions with title, description, field tables and example (`examples` of 2020-12 too)", () => {
    const limited = section(page, "definition_cs_errors_rate_limited");
    expect(limited).toContain("RateLimitError");
    expect(limited).toContain("The rate limit was reached for this request");
    expect(tables(limited)[0].rows.map((r) => r.key)).toEqual(["errcode", "error", "retry_after_ms"]);
    expect(examples(limited).map((e) => JSON.parse(e.json))).toEqual([
      { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 2000 },
    ]);
    const homeserver = section(page, "definition_cs_wellknown_homeserver");
    expect(examples(homeserver).map((e) => JSON.parse(e.json))).toEqual([{ base_url: "https://matrix.example.com" }]);
  });

  it("lists endpoints in the contents and search as endpoints, and its page passes html-validate", async () => {
    expect(page).toMatch(/<a href="#post-_matrix-client-v3-login">POST \/_matrix\/client\/v3\/login<\/a>/);
    const index = result.files.get("search-index.js") as string;
    expect(index).toContain('"t":"POST /_matrix/client/v3/login","k":"endpoint"');
    expect(index).toContain('"t":"RateLimitError","k":"definition"');
    const validator = new HtmlValidate({
      extends: ["html-validate:recommended", "html-validate:document"],
      rules: { "require-sri": ["error", { target: "crossorigin" }] },
    });
    const report = await validator.validateString(page, "index.html");
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`))).toEqual([]);
  });

  it("validates content examples against 2020-12 schemas: errors name the file, line and pointer", async () => {
    const login = readFileSync(path.join(OPENAPI31, "api/client-server/login.yaml"), "utf8")
      .replace("device_id: null", "device_id: 7")
      .replace("type: m.id.user", "type: m.id.thirdparty");
    const lineOf = (text: string) => login.split("\n").findIndex((l) => l.includes(text)) + 1;
    const root = makeRoot({
      "api/client-server/login.yaml": login,
      "api/client-server/definitions/errors/error.yaml": "type: object\nproperties:\n  errcode: {type: string}\n",
      "api/client-server/definitions/errors/rate_limited.yaml": "type: object\n",
      "api/client-server/definitions/wellknown/homeserver.yaml": "type: object\n",
      "specgen.config.yaml": "substitutions: {CLIENT_MAJOR_VERSION: v3}\n",
    });
    const { diagnostics } = await checkRoot(root);
    expect(diagnostics.map((d) => [d.code, d.file, d.line, d.pointer])).toEqual([
      ["example-invalid", "api/client-server/login.yaml", lineOf("device_id: 7"), "/device_id"],
      ["example-invalid", "api/client-server/login.yaml", lineOf("type: m.id.thirdparty"), "/identifier/type"],
    ]);
    expect(diagnostics[1].message).toContain("must be equal to constant");
  });
});

describe("every example validated, by what it illustrates", () => {
  const doc = [
    "openapi: 3.1.0",
    "info: {title: T, version: '1'}",
    "paths:",
    "  /rooms/{roomId}:",
    "    put:",
    "      parameters:",
    "        - {in: path, name: roomId, required: true, schema: {type: string}, example: 42}",
    "        - {in: query, name: limit, schema: {type: integer}, example: '10'}",
    "        - {in: query, name: from, schema: {type: integer}, examples: {bad: {value: soon}}}",
    "        - {in: query, name: dir, schema: {type: string, enum: [b, f], example: x}}",
    "      requestBody:",
    "        content:",
    "          application/json:",
    "            schema: {type: object, properties: {n: {type: integer, example: one}}}",
    "            examples:",
    "              request: {value: {n: two}}",
    "          text/plain:",
    "            schema: {type: integer}",
    "            example: not checked",
    "      responses:",
    "        '200':",
    "          description: OK",
    "          headers:",
    "            X-Count: {schema: {type: integer}, example: many}",
    "          content:",
    "            application/vnd.example+json:",
    "              schema: {type: object, properties: {at: {type: string}}}",
    "              example: {at: 2020-01-01}",
    "",
  ].join("\n");

  it("reports each broken example once at its line: parameters read as request text, named and media-type examples by the media type, a schema's example against its own node, headers; a YAML timestamp is not JSON", async () => {
    const root = makeRoot({ "api/a/doc.yaml": doc });
    const lineOf = (text: string) => doc.split("\n").findIndex((l) => l.includes(text)) + 1;
    const { diagnostics } = await checkRoot(root);
    expect(diagnostics.map((d) => [d.code, d.line, d.pointer, d.message.replace(/ \(.*\)$/, "")])).toEqual([
      ["example-invalid", lineOf("name: from"), "", "/ must be integer"],
      ["example-invalid", lineOf("name: dir"), "", '/ must be equal to one of the allowed values: "b", "f"'],
      ["example-invalid", lineOf("example: one"), "", "/ must be integer"],
      ["example-invalid", lineOf("request: {value"), "/n", "/n must be integer"],
      ["example-invalid", lineOf("X-Count"), "", "/ must be integer"],
      ["example-not-json", lineOf("2020-01-01"), "/at", "/at is a YAML timestamp (quote it to make it a string), which JSON cannot hold"],
    ]);
  });

  it("checks a Swagger 2.0 parameter's and header's example once, as request text", async () => {
    const swagger = [
      "swagger: '2.0'",
      "info: {title: T, version: '1'}",
      "paths:",
      "  /things:",
      "    get:",
      "      parameters:",
      "        - {in: query, name: limit, type: integer, example: lots}",
      "        - {in: query, name: from, type: integer, x-example: '5'}",
      "      responses:",
      "        200:",
      "          description: OK",
      "          headers:",
      "            X-Count: {type: integer, x-example: many}",
      "",
    ].join("\n");
    const lineOf = (text: string) => swagger.split("\n").findIndex((l) => l.includes(text)) + 1;
    const { diagnostics } = await checkRoot(makeRoot({ "api/a/doc.yaml": swagger }));
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["example-invalid", lineOf("name: limit")],
      ["example-invalid", lineOf("X-Count")],
    ]);
  });
});

describe("structure and sources", () => {
  const doc = (paths: string) => `swagger: '2.0'\ninfo: {title: T, version: '1'}\nbasePath: /v1\npaths:\n${paths}`;

  it("reports a malformed path item, operation, parameter and status at their lines, and a $ref that resolves nowhere", async () => {
    const root = makeRoot({
      "api/a/x.yaml": doc(
        [
          '  "/ok/{id}":',
          "    get:",
          "      parameters:",
          "        - {in: nowhere, name: id}",
          "        - {name: q}",
          "        - $ref: '#/parameters/missing'",
          "      responses:",
          "        200: {description: Fine.}",
          "        abc: {description: Not a status.}",
          '  "/bad": [1, 2]',
          '  "/odd":',
          "    fetch: {}",
          "    post: 3",
          "  relative:",
          "    get: {responses: {200: {description: x}}}",
          "",
        ].join("\n"),
      ),
    });
    const { diagnostics } = await checkRoot(root);
    expect(diagnostics.map((d) => [d.severity, d.code, d.line, d.message])).toEqual([
      ["warning", "api-path-parameter", 6, "GET /ok/{id}: no path parameter describes {id}"],
      ["error", "api-malformed", 8, "parameter id: in must be one of path, query, header, body, formData"],
      ["error", "api-malformed", 9, "a parameter must be a mapping with a name and an in"],
      ["error", "ref-missing-pointer", 10, '$ref "#/parameters/missing": api/a/x.yaml has nothing at /parameters/missing'],
      ["error", "api-malformed", 13, 'GET /ok/{id}: "abc" is not a status code'],
      ["error", "api-malformed", 14, "the path item of /bad must be a mapping of methods to operations"],
      ["error", "api-malformed", 16, '"fetch" is not an HTTP method nor a path item field'],
      ["error", "api-malformed", 17, "POST /odd: an operation must be a mapping"],
      ["error", "api-malformed", 18, 'path "relative" must start with /'],
    ]);
  });

  it("replaces substitutions in data files and warns of an unknown %VAR% where it is", async () => {
    const root = makeRoot({
      "specgen.config.yaml": "substitutions: {MAJOR: r0}\n",
      "api/a/x.yaml": doc(
        '  "/x":\n    get:\n      description: Uses %MAJOR% and %MINOR%, twice %MINOR%.\n      responses: {200: {description: ok}}\n',
      ).replace("/v1", "/v1/%MAJOR%"),
      "specification/index.md": "# X\n\n{{x_a_http_api}}\n",
    });
    const { diagnostics, files } = await checkRoot(root);
    expect(diagnostics.map((d) => [d.code, d.line, d.pointer, d.message])).toEqual([
      [
        "substitution-unknown",
        7,
        "/paths/~1x/get/description",
        "%MINOR% has no value (2 times in this file); give it one under substitutions: in specgen.config.yaml",
      ],
    ]);
    const html = files.get("index.html") as string;
    expect(html).toContain('data-endpoint="GET /v1/r0/x"');
    expect(html).toContain("Uses r0 and %MINOR%, twice %MINOR%.");
  });

  it("follows $refs through a linked folder, a real symlink or a link file as git writes one", async () => {
    const files = {
      "shared/schema.yaml": "type: object\ntitle: Shared\nproperties:\n  a: {type: string, description: The a.}\n",
      "api/a/x.yaml": doc(
        '  "/x":\n    get:\n      responses:\n        200:\n          description: ok\n          schema: {$ref: "definitions/linked/schema.yaml"}\n          examples: {application/json: {"a": "b"}}\n',
      ),
      "specification/index.md": "# X\n\n{{x_a_http_api}}\n",
    };
    const withFile = makeRoot({ ...files, "api/a/definitions/linked": "../../../shared\n" });
    const withLink = makeRoot(files);
    mkdirSync(path.join(withLink, "api/a/definitions"));
    symlinkSync("../../../shared", path.join(withLink, "api/a/definitions/linked"));
    for (const root of [withFile, withLink]) {
      const { diagnostics, files: out } = await checkRoot(root);
      expect(diagnostics).toEqual([]);
      expect(tables(out.get("index.html") as string).map((t) => [t.caption, t.rows.map((r) => r.key)])).toEqual([["Shared", ["a"]]]);
    }
  });
});

describe.skipIf(!hasCorpus)("Swagger 2.0 constructs, each on the corpus file that has it", () => {
  let result: CheckResult;
  let page: string;
  let sections: Map<string, string>;
  const blocks = [
    "account_data_cs_http_api",
    "content_repo_cs_http_api",
    "login_cs_http_api",
    "old_sync_cs_http_api",
    "invites_v1_ss_http_api",
    "invites_v2_ss_http_api",
    "transactions_ss_http_api",
    "inviting_cs_http_api",
    "third_party_membership_cs_http_api",
    "event_context_cs_http_api",
    "definition_ss_pdu_v3",
    "definition_ss_event_schemas_m_typing",
  ];
  beforeAll(async () => {
    const root = copyCorpus(`# APIs\n\n${blocks.map((b) => `{{${b}}}`).join("\n\n")}\n`, { "specgen.config.yaml": CORPUS_CONFIG }, true);
    result = await checkRoot(root);
    page = result.files.get("index.html") as string;
    sections = endpoints(page);
  });

  it("account-data.yaml: the markup contract, path parameters, x-example request, schema example as the response's", () => {
    const put = sections.get("PUT /_matrix/client/r0/user/{userId}/account_data/{type}") as string;
    expect(page).toContain('<section class="endpoint" data-endpoint="PUT /_matrix/client/r0/user/{userId}/account_data/{type}">');
    expect(put).toContain("<dt>Requires authentication</dt><dd>Yes</dd>");
    expect(requestExample(put)).toBe(
      'PUT /_matrix/client/r0/user/%40alice%3Aexample.com/account_data/org.example.custom.config HTTP/1.1\nContent-Type: application/json\n\n{\n  "custom_account_data_key": "custom_config_value"\n}',
    );
    const get = sections.get("GET /_matrix/client/r0/user/{userId}/account_data/{type}") as string;
    expect(examples(get).map((e) => JSON.parse(e.json))).toEqual([{ custom_account_data_key: "custom_config_value" }]);
  });

  it("content-repo.yaml: header, query and path parameters grouped, a raw body x-example, response headers, the media path base", () => {
    const upload = sections.get("POST /_matrix/media/r0/upload") as string;
    expect(
      tables(upload)
        .slice(0, 3)
        .map((t) => [t.caption, t.rows.map((r) => r.key)]),
    ).toEqual([
      ["Query parameters", ["filename"]],
      ["Header parameters", ["Content-Type"]],
      ["Body", ["content_uri"]],
    ]);
    expect(requestExample(upload)).toBe(
      "POST /_matrix/media/r0/upload?filename=War%20and%20Peace.pdf HTTP/1.1\nContent-Type: application/pdf\nContent-Type: application/json\n\n<bytes>",
    );
    const download = sections.get("GET /_matrix/media/r0/download/{serverName}/{mediaId}") as string;
    expect(
      tables(download)
        .find((t) => t.caption === "Headers")
        ?.rows.map((r) => r.key),
    ).toEqual(["Content-Type", "Content-Disposition"]);
    expect(download).toContain('<p class="body-type">Body: <code>file</code></p>');
  });

  it("login.yaml: nested body tables from definitions, rate-limited (a 429 response), no authentication", () => {
    const post = sections.get("POST /_matrix/client/r0/login") as string;
    const [body, ...nested] = tables(post);
    expect(body.caption).toBe("Request body");
    expect(body.rows.map((r) => r.key)).toContain("identifier");
    const identifier = body.rows.find((r) => r.key === "identifier");
    expect(nested.map((t) => t.id)).toContain(identifier?.links[0]);
    expect(post).toContain("<dt>Rate-limited</dt><dd>Yes</dd>");
    expect(post).toContain("<dt>Requires authentication</dt><dd>No</dd>");
  });

  it("old_sync.yaml: deprecated endpoints say so", () => {
    const deprecated = [...sections].filter(([, html]) => html.includes('<p class="deprecated">')).map(([h]) => h);
    expect(deprecated).toEqual([
      "GET /_matrix/client/r0/events",
      "GET /_matrix/client/r0/initialSync",
      "GET /_matrix/client/r0/events/{eventId}",
    ]);
  });

  it("invites-v2.yaml and transactions.yaml: a $ref written relative to the outer $ref's target is resolved so, with a warning giving the corrected path", () => {
    const habit = result.diagnostics
      .filter((d) => d.code === "ref-relative-to-outer")
      .map((d) => [d.file, d.line, d.message.match(/it is "([^"]+)"/)?.[1]]);
    expect(habit).toEqual([
      ["api/server-server/invites-v1.yaml", 138, "../../event-schemas/examples/invite_room_state.json"],
      ["api/server-server/invites-v2.yaml", 134, "../../event-schemas/examples/invite_room_state.json"],
      ["api/server-server/transactions.yaml", 72, "examples/edu.json"],
    ]);
    const invite = sections.get("PUT /_matrix/federation/v2/invite/{roomId}/{eventId}") as string;
    const response = JSON.parse(examples(invite)[0].json);
    expect(response.event.unsigned.invite_room_state[0].type).toBe("m.room.name");
  });

  it("inviting.yaml and third_party_membership.yaml: the same endpoint twice gets a second anchor; a path with white space warns", () => {
    const ids = [...page.matchAll(/<h3 class="endpoint-heading" id="(post-_matrix-client-r0-rooms-roomid-invite[^"]*)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["post-_matrix-client-r0-rooms-roomid-invite", "post-_matrix-client-r0-rooms-roomid-invite-2"]);
    expect(result.diagnostics.filter((d) => d.code === "api-path-space").map((d) => [d.file, d.line])).toEqual([
      ["api/client-server/inviting.yaml", 32],
    ]);
  });

  it("event_context.yaml: $refs through the linked definitions/event-schemas folder resolve", () => {
    const context = sections.get("GET /_matrix/client/r0/rooms/{roomId}/context/{eventId}") as string;
    const response = JSON.parse(examples(context)[0].json);
    expect(response.event.content.body).toBe("filename.jpg");
    expect(response.events_after[0].content.body).toBe("This is an example text message");
    // Its descriptions link to sections of the real spec's pages, which this page lacks: warnings, nothing else.
    expect(result.diagnostics.filter((d) => d.file?.includes("event_context") && d.code !== "link-broken")).toEqual([]);
  });

  it("definitions: pdu_v3.yaml with title, tables and example; event-schemas/m.typing.yaml's `type: enum` read as 2020 did, with a warning", () => {
    const pdu = section(page, "definition_ss_pdu_v3");
    expect(pdu).toContain("Persistent Data Unit");
    expect(tables(pdu)[0].rows.map((r) => r.key)).toContain("auth_events");
    expect(JSON.parse(examples(pdu)[0].json).room_id).toBeDefined();
    const typing = section(page, "definition_ss_event_schemas_m_typing");
    expect(tables(typing)[0].rows.find((r) => r.key === "edu_type")?.type).toBe("string");
    expect(result.diagnostics.filter((d) => d.code === "schema-2020-habit").map((d) => d.file)).toContain(
      "api/server-server/definitions/event-schemas/m.typing.yaml",
    );
  });
});
