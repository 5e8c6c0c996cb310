import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import type { Layout } from "../src/layouts/layout.js";
import { specgenLayout } from "../src/layouts/specgen.js";
import { check } from "../src/pipeline.js";
import { makeRoot } from "./helpers.js";

/** A layout that makes one page of two files (the second's headings one level down) and orders pages against their paths. */
const twoFileLayout: Layout = {
  ...specgenLayout,
  name: "two-files",
  pages: (_config, files) => {
    const byName = (name: string) => files.find((f) => f.rel.endsWith(name)) as (typeof files)[number];
    return [
      { out: "index.html", parts: [{ source: byName("home.md"), shift: 0 }], format: "markdown", order: 0 },
      {
        out: "guide/whole.html",
        parts: [
          { source: byName("intro.md"), shift: 0 },
          { source: byName("detail.md"), shift: 1 },
        ],
        format: "markdown",
        title: "The Guide",
        order: 1,
      },
      { out: "appendix.html", parts: [{ source: byName("zz.md"), shift: 0 }], format: "markdown", order: 2 },
    ];
  },
};

describe("layouts", () => {
  it("builds a page made of several files: headings shifted, ids unique across them, reports at each file's own line", async () => {
    const root = makeRoot({
      "specification/home.md": "# Home\n",
      "specification/intro.md": "# Guide\n\n## Setup\n\nSee [there](#nowhere).\n",
      "specification/detail.md": "# Setup\n\ntext\n\n## More\n\n{{no_such_block}}\n",
      "specification/zz.md": "# Appendix\n",
    });
    const config = { ...loadConfig(root), layout: twoFileLayout };
    const { files, paths, diagnostics } = await check(config);
    expect([...paths].filter((p) => p.endsWith(".html"))).toEqual(["index.html", "guide/whole.html", "appendix.html"]);
    const html = files.get("guide/whole.html") as string;
    expect(html).toContain("<title>The Guide");
    expect(html).toMatch(/<h2 id="setup">Setup/);
    expect(html).toMatch(/<h2 id="setup-2">Setup/);
    expect(html).toMatch(/<h3 id="more">More/);
    // The layout's order, not the paths': the guide before the appendix.
    const nav = (files.get("index.html") as string).match(/class="nav-page" href="([^"]+)"/g) ?? [];
    expect(nav.map((a) => a.replace(/.*href="|"$/g, ""))).toEqual(["index.html", "guide/whole.html", "appendix.html"]);
    expect(diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ["block-unknown", "specification/detail.md", 7],
      ["link-broken", "specification/intro.md", 5],
    ]);
  });

  it("is chosen by `layout:` or detected; an unknown name is a configuration error", () => {
    expect(loadConfig(makeRoot({})).layout.name).toBe("specgen");
    expect(loadConfig(makeRoot({ "specgen.config.yaml": "layout: specgen\n" })).layout).toBe(specgenLayout);
    expect(() => loadConfig(makeRoot({ "specgen.config.yaml": "layout: jekyll\n" }))).toThrow(ConfigError);
    expect(() => loadConfig(makeRoot({ "specgen.config.yaml": "layout: jekyll\n" }))).toThrow(
      /unknown layout "jekyll" \(known: matrix-2020, hugo, specgen\)/,
    );
  });

  it("reports a page in a format its layout does not read, and not other files of the pages folder", async () => {
    const root = makeRoot({
      "specification/index.md": "# Home\n",
      "specification/old.rst": "Old\n===\n",
      "specification/diagram.png": "png",
    });
    const { diagnostics } = await check(loadConfig(root));
    expect(diagnostics.map((d) => [d.code, d.severity, d.file])).toEqual([["page-format-unknown", "warning", "specification/old.rst"]]);
  });
});

describe("specgen's layout orders its pages", () => {
  const sidebar = (html: string) => [...html.matchAll(/class="nav-page" href="([^"]+)"/g)].map((m) => m[1]);

  it("by front matter (weight or order, lower first; unweighted after, by path), its title naming the page, never shown", async () => {
    const root = makeRoot({
      "specification/index.md": "# Home\n",
      "specification/appendices.md": "---\nweight: 90\n---\n# Appendices\n",
      "specification/client-server.md": "---\ntitle: Client-Server API\nweight: 10\n---\n\nText.\n",
      "specification/zeta.md": "+++\norder = 20\n+++\n# Zeta\n",
      "specification/alpha.md": "# Alpha\n",
    });
    const { files, diagnostics } = await check(loadConfig(root));
    expect(diagnostics).toEqual([]);
    const home = files.get("index.html") as string;
    expect(sidebar(home)).toEqual(["index.html", "client-server.html", "zeta.html", "appendices.html", "alpha.html"]);
    const cs = files.get("client-server.html") as string;
    expect(cs).toContain("<title>Client-Server API");
    expect(cs).toMatch(/<h1>Client-Server API<\/h1>/);
    expect(cs).not.toMatch(/weight|<hr>/);
  });

  it("by `nav:` first, then the rest; a listed page that is missing is a warning, broken front matter an error at its line", async () => {
    const root = makeRoot({
      "specgen.config.yaml": "nav: [guide/setup.md, appendices.md, gone.md]\n",
      "specification/index.md": "# Home\n",
      "specification/appendices.md": "---\nweight: 1\n---\n# Appendices\n",
      "specification/guide/setup.md": "# Setup\n",
      "specification/about.md": "---\nweight: [unclosed\n---\n# About\n",
    });
    const { files, diagnostics } = await check(loadConfig(root));
    expect(sidebar(files.get("index.html") as string)).toEqual(["index.html", "guide/setup.html", "appendices.html", "about.html"]);
    // YAML finds the unclosed list where the front matter ends.
    expect(diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ["nav-page-missing", "specgen.config.yaml", undefined],
      ["front-matter-invalid", "specification/about.md", 3],
    ]);
  });
});
