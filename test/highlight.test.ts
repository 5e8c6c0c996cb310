/**
 * The JSON scanner colours examples exactly as highlight.js does (the oracle,
 * a dev dependency): on every example of the corpus and on random JSON; other
 * text comes out escaped.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import hljs from "highlight.js/lib/core";
import json from "highlight.js/lib/languages/json";
import { describe, expect, it } from "vitest";
import { listFiles } from "../src/load/index.js";
import { highlightJson } from "../src/render/highlight.js";
import { CORPUS, hasCorpus } from "./helpers.js";

const stringify = (value: unknown) => JSON.stringify(value, null, 2) ?? "null";

const oracle = hljs.newInstance();
oracle.registerLanguage("json", json);

/** highlight.js's JSON highlighting, without the spans it puts around braces and commas (the site leaves them plain). */
function highlightJsonWithHljs(text: string): string {
  const html = oracle.highlight(text, { language: "json", ignoreIllegals: true }).value;
  return html.replace(/<span class="hljs-punctuation">([^<]*)<\/span>/g, "$1");
}

describe("highlightJson", () => {
  it("colours keys, strings, numbers and literals, escaping the text", () => {
    const html = highlightJson(stringify({ 'a"<b>': "x'&\\y\u2028é", n: -1.5e-7, big: 1e21, t: true, z: null, list: [0, {}] }));
    expect(html).toBe(
      [
        "{",
        '  <span class="hljs-attr">&quot;a\\&quot;&lt;b&gt;&quot;</span>: <span class="hljs-string">&quot;x&#x27;&amp;\\\\y\u2028é&quot;</span>,',
        '  <span class="hljs-attr">&quot;n&quot;</span>: <span class="hljs-number">-1.5e-7</span>,',
        '  <span class="hljs-attr">&quot;big&quot;</span>: <span class="hljs-number">1e+21</span>,',
        '  <span class="hljs-attr">&quot;t&quot;</span>: <span class="hljs-literal"><span class="hljs-keyword">true</span></span>,',
        '  <span class="hljs-attr">&quot;z&quot;</span>: <span class="hljs-literal"><span class="hljs-keyword">null</span></span>,',
        '  <span class="hljs-attr">&quot;list&quot;</span>: [',
        '    <span class="hljs-number">0</span>,',
        "    {}",
        "  ]",
        "}",
      ].join("\n"),
    );
  });

  it("equals highlight.js on random JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
        const text = stringify(value);
        expect(highlightJson(text)).toBe(highlightJsonWithHljs(text));
      }),
      { numRuns: 500 },
    );
  });

  it("escapes text JSON.stringify would not write", () => {
    for (const text of ["", '{"a": 01}', "[truex]", '"line\nbreak"', "{'a': 1}", "<script>&</script>", '{"a" : 1}', "NaN", '"open']) {
      const html = highlightJson(text);
      expect(html.replace(/<\/?span[^>]*>/g, ""), text).toBe(
        text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#x27" }[c]};`),
      );
    }
  });

  it.skipIf(!hasCorpus)("equals highlight.js on every example of the corpus", () => {
    const files = listFiles(path.join(CORPUS, "event-schemas/examples"), () => true);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(file, "utf8"));
      } catch {
        continue;
      }
      const text = stringify(value);
      expect(highlightJson(text), file).toBe(highlightJsonWithHljs(text));
    }
  });
});
