import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatChecks, PLAIN_URI, PLAIN_URI_REFERENCE } from "../src/examples/formats.js";

const require = createRequire(import.meta.url);
const { fullFormats } = require("ajv-formats/dist/formats") as {
  fullFormats: { uri: (s: string) => boolean; "uri-reference": RegExp };
};
const uri = formatChecks().get("uri");
const uriReference = formatChecks().get("uri-reference");

const ODD = '%/?#[]@: "<>\\{}|^`é\n';
/** Strings of `chars`, now and then one of ODD. */
const of = (chars: string, max = 12) =>
  fc
    .array(fc.oneof({ arbitrary: fc.constantFrom(...chars), weight: 30 }, { arbitrary: fc.constantFrom(...ODD), weight: 1 }), {
      maxLength: max,
    })
    .map((a) => a.join(""));
const UNRESERVED = "abcXYZ019-._~";
const SEGMENT = `${UNRESERVED}!$&'()*+,;=:@`;

describe("uri format", () => {
  it("accepts through the plain pattern only what ajv-formats' RFC 3986 check accepts", () => {
    // Strings built the way the plain pattern reads them, with odd characters mixed in anywhere.
    const plainish = fc
      .tuple(
        fc.constantFrom("https", "mxc", "a+b.c-d", "X"),
        of(UNRESERVED),
        fc.option(of("0123456789", 5)),
        fc.array(of(SEGMENT), { maxLength: 4 }),
        fc.option(of(`${SEGMENT}/?`)),
        fc.option(of(`${SEGMENT}/?`)),
      )
      .map(([scheme, host, port, path, query, fragment]) => {
        let s = `${scheme}://${host}`;
        if (port !== null) s += `:${port}`;
        for (const p of path) s += `/${p}`;
        if (query !== null) s += `?${query}`;
        if (fragment !== null) s += `#${fragment}`;
        return s;
      });
    let plain = 0;
    fc.assert(
      fc.property(fc.oneof(plainish, fc.string()), (s) => {
        if (PLAIN_URI.test(s)) {
          plain++;
          expect(fullFormats.uri(s), s).toBe(true);
        }
        expect(uri?.test(s), s).toBe(fullFormats.uri(s));
      }),
      { numRuns: 3000 },
    );
    // The property is about the plain pattern: it must have answered for many of them.
    expect(plain).toBeGreaterThan(300);
  });

  it("answers like ajv-formats on URIs the plain pattern leaves to it", () => {
    const cases = [
      "https://example.org/a/b?c=d#e",
      "mxc://matrix.org/SEsfnsuifSDFSSEF",
      "https://user@host/p",
      "https://[::1]:8448/x",
      "https://ex%41mple.org/%7Euser",
      "urn:isbn:0451450523",
      "relative/path",
      "https://exa mple.org",
      "https://example.org/<script>",
      "",
      "://x",
    ];
    for (const s of cases) expect(uri?.test(s), s).toBe(fullFormats.uri(s));
    expect(PLAIN_URI.test("https://user@host/p")).toBe(false);
  });
});

describe("uri-reference format", () => {
  it("accepts through the plain pattern only what ajv-formats' check accepts", () => {
    // References the way schemas write them ($ref, $id), with odd characters mixed in anywhere.
    const relative = fc
      .tuple(fc.constantFrom("", "/", "./", "../../", "//"), fc.array(of(SEGMENT), { maxLength: 4 }), fc.option(of(`${SEGMENT}/?`)))
      .map(([lead, path, fragment]) => `${lead}${path.join("/")}${fragment === null ? "" : `#${fragment}`}`);
    let plain = 0;
    fc.assert(
      fc.property(fc.oneof(relative, fc.string()), (s) => {
        if (PLAIN_URI_REFERENCE.test(s)) {
          plain++;
          expect(fullFormats["uri-reference"].test(s), s).toBe(true);
        }
        expect(uriReference?.test(s), s).toBe(fullFormats["uri-reference"].test(s));
      }),
      { numRuns: 3000 },
    );
    expect(plain).toBeGreaterThan(300);
  });

  it("reads the references of the Matrix schemas plainly", () => {
    for (const s of [
      "core-event-schema/room_event.yaml",
      "#/definitions/signed",
      "../../api/client-server/definitions/x.yaml#/a",
      "",
      "#",
    ]) {
      expect(PLAIN_URI_REFERENCE.test(s), s).toBe(true);
      expect(fullFormats["uri-reference"].test(s), s).toBe(true);
    }
    // A first segment with a colon is a scheme, and `//` starts an authority: the full check decides those.
    for (const s of ["a:b", "//host/x", "a b"]) expect(PLAIN_URI_REFERENCE.test(s), s).toBe(false);
  });
});
