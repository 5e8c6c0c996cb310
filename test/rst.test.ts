/**
 * The reStructuredText reader, construct by construct: what it makes of each
 * (the HTML the site shows), what it reports and where. The whole-corpus
 * comparison with docutils is test/rst-vs-docutils.test.ts.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../src/diagnostics.js";
import { readRst } from "../src/pages/rst/index.js";
import type { ParseOptions, RstPart } from "../src/pages/rst/parse.js";
import { BlockRegistry } from "../src/render/blocks/registry.js";
import type { RenderEnv } from "../src/render/env.js";
import { createMarkdown } from "../src/render/markdown.js";
import { SiteIndex } from "../src/render/site-index.js";
import { unsafeHtml } from "./helpers.js";

function env(site = new SiteIndex()): RenderEnv {
  return {
    page: "doc.html",
    where: (line, hint) => ({ file: "doc.rst", line: line + 1, column: hint?.text ? 1 : undefined }),
    site,
    blocks: new BlockRegistry([]),
    diagnostics: [],
    ids: new Set(),
    marks: { links: [], anchors: [] },
  };
}

function render(text: string | RstPart[], options: ParseOptions & { allowHtml?: boolean; site?: SiteIndex } = {}) {
  const md = createMarkdown({ allowHtml: options.allowHtml ?? false });
  const e = env(options.site);
  const tokens = readRst(md, text, e, options);
  const html = md.renderer.render(tokens, md.options, e);
  return { html, tokens, diagnostics: e.diagnostics as Diagnostic[], env: e };
}

const headings = (html: string) =>
  [...html.matchAll(/<h(\d) id="([^"]*)">(?:<span class="sectnum">([^<]*)<\/span> )?([^<]*)/g)].map(
    (m) => `h${m[1]} ${m[2]} ${m[3] ? `${m[3]} ` : ""}${m[4].trim()}`,
  );

describe("the reStructuredText reader", () => {
  it("gives section titles levels by their adornment's first use, overlined ones apart", () => {
    const { html } = render("=====\nTop\n=====\n\nIntro\n=====\n\nSub\n---\n\nSubsub\n~~~~~~\n\nAgain\n-----\n");
    expect(headings(html)).toEqual(["h1 top Top", "h2 intro Intro", "h3 sub Sub", "h4 subsub Subsub", "h3 again Again"]);
  });

  it("with targets.yaml's styles, pushes a file's titles down by its shift, relative styles one level under the last absolute title", () => {
    const parts: RstPart[] = [
      { text: "Doc\n===\n\nPart\n----\n", shift: 0, firstLine: 0 },
      { text: "Module\n======\n\nA\n<<<\n\nB\n<<<\n\nC\n---\n", shift: 1, firstLine: 6 },
    ];
    const { html } = render(parts, { titleStyles: ["=", "-", "~"], relativeStyles: { subtitle: "<", sametitle: "/", supertitle: ">" } });
    expect(headings(html)).toEqual(["h1 doc Doc", "h2 part Part", "h2 module Module", "h3 a A", "h3 b B", "h3 c C"]);
  });

  it("keeps a title more than a level too deep as a paragraph, with a warning at its line", () => {
    const { html, diagnostics } = render("Top\n===\n\nDeep\n----\n\nDeeper\n~~~~~~\n\nUp\n==\n\nJump\n~~~~\n");
    expect(headings(html)).toEqual(["h1 top Top", "h2 deep Deep", "h3 deeper Deeper", "h1 up Up"]);
    expect(html).toContain("<p>Jump</p>");
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([["rst-markup", 13]]);
  });

  it("reads inline markup where docutils does: emphasis, strong, literals, roles, escapes", () => {
    const { html, diagnostics } = render(
      "*em* **strong** ``a *b*`` `cite` :sup:`2` :sub:`x` :code:`c` 2*3*4 \\*not\\* :math:`K_{A}^{public}` :kbd:`Ctrl`",
    );
    expect(html).toContain(
      "<em>em</em> <strong>strong</strong> <code>a *b*</code> <cite>cite</cite> <sup>2</sup> <sub>x</sub> <code>c</code> 2*3*4 *not* ",
    );
    // Maths is MathML, made at build time: no script, no font.
    expect(html).toMatch(/<math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML"[^>]*>[\s\S]*<msubsup><mi>K<\/mi><mi>A<\/mi>/);
    // An unknown role: shown as written, a warning.
    expect(html).toContain(":kbd:`Ctrl`");
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([["rst-role-unknown", 1]]);
  });

  it("resolves references: embedded URIs, named and indirect targets, anonymous ones, internal targets, section titles elsewhere", () => {
    const site = new SiteIndex();
    site.add("Far Section", { page: "other/far.html", id: "far-section" });
    const {
      html,
      diagnostics,
      env: e,
    } = render(
      [
        "`site <https://example.org/>`_, example_, `Alias`_, `anon`__, `far section`_, `here`_, `nowhere`_ and |sub|_.",
        "",
        ".. _example: https://example.com/a",
        ".. _alias: example_",
        "__ https://anon.example/",
        ".. |sub| replace:: *the sub*",
        ".. _sub: https://sub.example/",
        "",
        ".. _here:",
        "",
        "Here",
        "====",
      ].join("\n"),
      { site },
    );
    expect(html).toContain('<a href="https://example.org/">site</a>');
    expect(html).toContain('<a href="https://example.com/a">example</a>');
    expect(html).toContain('<a href="https://example.com/a">Alias</a>');
    expect(html).toContain('<a href="https://anon.example/">anon</a>');
    expect(html).toContain('<a href="other/far.html#far-section">far section</a>');
    expect(html).toContain('<a href="#here">here</a>');
    expect(html).toContain('<span id="here"></span>');
    expect(html).toContain('<a href="https://sub.example/"><em>the sub</em></a>');
    expect(html).toContain('<span class="unresolved">nowhere</span>');
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([["reference-unresolved", 1]]);
    expect(e.marks.anchors.map((a) => a.id)).toContain("here");
  });

  it("resolves a title to a section of its own document before one of another, as docutils does", () => {
    const site = new SiteIndex();
    site.add("Client behaviour", { page: "other.html", id: "client-behaviour" });
    const { html, diagnostics } = render("See `client  behaviour`_.\n\nClient behaviour\n================\n", { site });
    expect(html).toContain('<a href="#client-behaviour">client behaviour</a>');
    expect(diagnostics).toEqual([]);
  });

  it("numbers footnotes and links their references", () => {
    const { html } = render("A [#]_ and B [#]_ and C [1]_.\n\n.. [#] First.\n.. [#] Second.\n.. [1] Numbered.\n");
    expect(html).toMatch(/<sup><a href="#footnote-\d+" class="footnote-reference">\[\d\]<\/a><\/sup>/);
    expect(html).toContain('<div class="footnote" id="footnote-1"><span class="footnote-label">[1]</span>');
    expect(html).toContain("Second.");
    // A footnote above its reference keeps its number.
    const above = render(".. [#] Above.\n\nRef [#]_.\n").html;
    expect(above).toContain('<div class="footnote" id="footnote-1">');
    expect(above).toContain('<a href="#footnote-1" class="footnote-reference">[1]</a>');
  });

  it("reads lists: bullets, enumerations (#., letters, 0.), definitions with classifiers, fields", () => {
    const { html } = render(
      "- a\n- b\n\n0. zero\n#. one\n\na) x\nb) y\n\nterm : classifier\n   Definition.\n\n:field: value\n:other: more\n",
    );
    expect(html).toContain("<ul>\n<li>a</li>\n<li>b</li>\n</ul>");
    expect(html).toContain('<ol start="0">\n<li>zero</li>\n<li>one</li>\n</ol>');
    expect(html).toContain('<ol type="a">\n<li>x</li>\n<li>y</li>\n</ol>');
    expect(html).toContain("<dt>term : classifier</dt>\n<dd>\n<p>Definition.</p>\n</dd>");
    expect(html).toContain('<dl class="field-list">\n<dt>field</dt>\n<dd>value</dd>');
  });

  it("reads literal blocks in each form, and code blocks with their language (highlighted at build time)", () => {
    const { html } = render('Text::\n\n   literal *not em*\n\nExpanded ::\n\n   two\n\n::\n\n   three\n\n.. code:: json\n\n   {"a": 1}\n');
    expect(html).toContain("<p>Text:</p>\n<pre><code>literal *not em*\n</code></pre>");
    expect(html).toContain("<p>Expanded</p>\n<pre><code>two\n</code></pre>");
    expect(html).not.toContain("<p>::</p>");
    expect(html).toContain(
      '<pre><code class="language-json">{<span class="hljs-attr">&quot;a&quot;</span>: <span class="hljs-number">1</span>}',
    );
    // The other languages of the 2020 pages by highlight.js at build time; an unknown one plain, escaped.
    const other = render(".. code:: yaml\n\n   key: <value> # note\n\n.. code-block:: cobol\n\n   DISPLAY '<x>'.\n").html;
    expect(other).toContain(
      '<pre><code class="language-yaml"><span class="hljs-attr">key:</span> <span class="hljs-string">&lt;value&gt;</span> <span class="hljs-comment"># note</span>',
    );
    expect(other).toContain("<pre><code class=\"language-cobol\">DISPLAY '&lt;x&gt;'.\n</code></pre>");
  });

  it("reads grid tables with spans, simple tables, CSV tables and the table directive's title", () => {
    const grid = [
      "+-----+-----+",
      "| A   | B   |",
      "+=====+=====+",
      "| wide      |",
      "+-----+-----+",
      "| c   | d   |",
      "|     +-----+",
      "|     | e   |",
      "+-----+-----+",
    ].join("\n");
    const { html } = render(
      `.. table:: Grid\n\n   ${grid.split("\n").join("\n   ")}\n\n=====  =====\nH1     H2\n=====  =====\nx      y\nz      w\n=====  =====\n\n.. csv-table:: CSV\n   :header-rows: 1\n\n   "Name", "Text, with comma"\n   a, b\n`,
    );
    expect(html).toContain("<caption>Grid</caption>");
    expect(html).toContain('<td colspan="2">wide</td>');
    expect(html).toContain('<td rowspan="2">c</td>');
    expect(html).toContain('<th scope="col">H1</th>');
    expect(html).toContain("<td>z</td>\n<td>w</td>");
    expect(html).toContain('<th scope="col">Text, with comma</th>');
  });

  it("reports a malformed grid table at its line", () => {
    const { diagnostics } = render("Intro.\n\n+----+----+\n| a  | b\n+----+----+\n");
    expect(diagnostics.map((d) => [d.code, d.severity, d.line])).toEqual([["rst-table-malformed", "error", 3]]);
  });

  it("renders admonitions of any case, titled admonitions and topics", () => {
    const { html } = render(
      ".. NOTE:: Inline start\n   and more.\n\n.. Warning::\n\n   Careful.\n\n.. admonition:: Rationale\n\n   Because.\n\n.. topic:: Version: 1\n\n   Body.\n",
    );
    expect(html).toContain(
      '<div class="admonition admonition-note">\n<p class="admonition-title">Note</p>\n<p>Inline start\nand more.</p>',
    );
    expect(html).toContain('<div class="admonition admonition-warning">\n<p class="admonition-title">Warning</p>');
    expect(html).toContain('<p class="admonition-title">Rationale</p>');
    expect(html).toContain('<div class="admonition admonition-topic">\n<p class="admonition-title">Version: 1</p>');
  });

  it("makes contents from the headings after it, and numbers sections with sectnum", () => {
    const { html } = render("Doc\n===\n\n.. contents:: Table of Contents\n.. sectnum::\n\nOne\n---\n\nTwo\n---\n\nTwo.a\n~~~~~\n");
    expect(html).toContain(
      '<nav class="contents topic" aria-label="Table of Contents (this page)">\n<p class="topic-title">Table of Contents</p>\n<ul>\n<li><a href="#one"><span class="sectnum">1</span> One</a>',
    );
    expect(headings(html)).toEqual(["h1 doc Doc", "h2 one 1 One", "h2 two 2 Two", "h3 two-a 2.1 Two.a"]);
  });

  it("shows raw HTML only under allowHtml, else its text and a warning", () => {
    const raw = ".. raw:: html\n\n   <b>bold</b>\n";
    expect(render(raw, { allowHtml: true }).html).toContain("<b>bold</b>");
    const { html, diagnostics } = render(raw);
    expect(html).toContain("&lt;b&gt;bold&lt;/b&gt;");
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([["rst-directive-unknown", 1]]);
  });

  it("shows an unknown directive as written, with a located warning, and drops comments", () => {
    const { html, diagnostics } = render("Para.\n\n.. comment line\n   more comment\n\n.. image:: cat.png\n   :alt: A cat\n");
    expect(html).not.toContain("comment");
    expect(html).toContain("<pre><code>.. image:: cat.png\n   :alt: A cat\n</code></pre>");
    expect(diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([["rst-directive-unknown", "doc.rst", 6]]);
  });

  it("makes a line of its own `{{name}}` a block call, and a topic without content takes the block under it", () => {
    const { tokens } = render("Para.\n\n{{m_room_member_event}}\n\n.. topic:: Version: unstable\n{{client_server_changelog}}\n");
    const blocks = tokens.filter((t) => t.type === "specgen_block").map((t) => [t.meta.name, t.map?.[0]]);
    expect(blocks).toEqual([
      ["m_room_member_event", 2],
      ["client_server_changelog", 5],
    ]);
    const topic = tokens.findIndex((t) => t.type === "rst_admonition_open");
    expect(tokens[topic + 1].type).toBe("specgen_block");
  });

  it("reports undefined substitutions and unclosed markup at their lines, in the file of a multi-file document", () => {
    const parts: RstPart[] = [
      { text: "First\n=====\n", shift: 0, firstLine: 0 },
      { text: "Text |nothing| here.\n\nUnclosed *emphasis here.\n", shift: 1, firstLine: 3 },
    ];
    const { diagnostics } = render(parts);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["rst-substitution-undefined", 4],
      ["rst-markup", 6],
    ]);
  });

  it("writes no unsafe HTML: text escaped, script URLs refused, maths without \\href", () => {
    const { html, diagnostics } = render(
      [
        "<script>alert(1)</script> *<b>em</b>* ``<i>code</i>`` `x <javascript:alert(1)>`_ t_ :math:`\\href{javascript:alert(1)}{x}`",
        "",
        ".. _t: javascript:alert(2)",
        "",
        ".. admonition:: <img src=x onerror=alert(1)>",
        "",
        "   Body.",
        "",
        "+-------------------+",
        "| <svg onload=x()>  |",
        "+-------------------+",
      ].join("\n"),
    );
    // The reader's own elements (definition lists, citations, MathML) are not in the Markdown list.
    const own = /^tag <\/?(dl|dt|dd|cite|abbr|math|semantics|mrow|mi|mo|mn|msub|msup|msubsup|mtext|annotation|merror|mstyle|mspace)>$/;
    expect(unsafeHtml(html).filter((p) => !own.test(p))).toEqual([]);
    // The TeX source stays as the annotation text of the MathML; no attribute carries a script URL.
    expect(html).not.toMatch(/(href|src)="\s*javascript:/i);
    expect(diagnostics.filter((d) => d.code === "link-unsafe").length).toBe(2);
  });

  it("never throws, whatever the text", () => {
    const pieces = [
      "=====",
      "-----",
      "Title",
      "   ",
      "",
      "* item",
      "#. x",
      "::",
      ".. note::",
      ".. _t:",
      "`x`_",
      "|s|",
      "+---+",
      "| a |",
      "=== ===",
      ".. [#]",
      "[#]_",
      "__ u",
      ":f: v",
      "``",
      "*",
      "\t",
    ];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string()), { maxLength: 40 }), (lines) => {
        render(lines.join("\n"));
      }),
      { numRuns: 300 },
    );
  });
});
