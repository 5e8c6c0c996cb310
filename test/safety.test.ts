/**
 * Safe by default: no source text reaches the HTML unescaped, no link can run
 * script, no `$ref` leaves the root or uses the network unless the config
 * says so, and no way of naming the output folder lets a build replace the
 * sources.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkRoot, copySample, makeRoot, specgen, tempDir, unsafeHtml, writeFiles } from "./helpers.js";

const S = "event-schemas/schema";
const E = "event-schemas/examples";
const XSS = '"><script>alert(1)</script><img src=x onerror=alert(1)>';

const HOSTILE = {
  "specgen.config.yaml": `title: '${XSS}'\nversion: '${XSS}'\n`,
  [`${S}/m.evil`]: [
    `title: '${XSS}'`,
    `description: '${XSS} [a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](java&#x09;script:alert(1)) <javascript:alert(1)> ![i](javascript:alert(1)) [d](data:text/html,<script>alert(1)</script>) [e](vbscript:msgbox)'`,
    "properties:",
    `  type: {type: string, enum: ['m.evil${XSS}']}`,
    "  content:",
    "    type: object",
    `    title: '${XSS}'`,
    "    properties:",
    `      '${XSS}': {type: string, description: 'key', enum: ['${XSS}', "' onmouseover='alert(1)"]}`,
    `      nested: {type: object, title: '${XSS}', description: '${XSS}', properties: {x: {type: string, description: x}}}`,
  ].join("\n"),
  [`${E}/m.evil`]: JSON.stringify({
    type: `m.evil${XSS}`,
    content: { [XSS]: XSS, nested: { x: "</code></pre><script>alert(1)</script>" } },
  }),
  "specification/index.md": `# Home ${XSS}\n\n{{m_evil_event}}\n\n<script>alert(1)</script>\n\n<a href="javascript:alert(1)">raw</a>\n\n[x](javascript:alert(1)) <vbscript:x> [y](${"`"}z${"`"})\n`,
  "specification/javascript:alert(1).md": "# A page with a hostile file name\n\nBack [home](index.md).\n",
};

describe("hostile text in every source", () => {
  it("is escaped everywhere in the HTML, and no link can run script", async () => {
    const { files, diagnostics } = await checkRoot(makeRoot(HOSTILE));
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const pages = [...files].filter(([f]) => f.endsWith(".html"));
    expect(pages.map(([f]) => f).sort()).toEqual(["index.html", "javascript:alert(1).html"]);
    for (const [file, html] of pages) {
      expect(unsafeHtml(html), file).toEqual([]);
      // The only script is the site's own (unsafeHtml checks that too).
      expect(html.replace(/<script src="(?:\.\.\/)*site\.js" defer><\/script>/, "")).not.toMatch(
        /<script|<img src=x|href="(javascript|vbscript|data):/i,
      );
    }
    const home = files.get("index.html") as string;
    expect(home).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(home).toContain('href="javascript%3Aalert(1).html"');
  });

  it("refuses a `text <javascript:…>`_ link with an error at its place", async () => {
    const root = makeRoot({ "specification/index.md": "# Home\n\nSee `this <javascript:alert(1)>`_ now.\n" });
    const { files, diagnostics } = await checkRoot(root);
    expect(diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([["link-unsafe", "specification/index.md", 3, 5]]);
    expect(files.get("index.html")).not.toMatch(/href="javascript/);
  });

  it("lets raw HTML through only when the config allows it", async () => {
    const page = { "specification/index.md": "# Home\n\nPress <kbd>Enter</kbd>.\n" };
    expect((await checkRoot(makeRoot(page))).files.get("index.html")).toContain("&lt;kbd&gt;Enter&lt;/kbd&gt;");
    const allowed = await checkRoot(makeRoot({ ...page, "specgen.config.yaml": "allowHtml: true\n" }));
    expect(allowed.files.get("index.html")).toContain("<kbd>Enter</kbd>");
  });
});

describe("$ref outside the root or to the network", () => {
  it("is refused with an error at the $ref, unless the config allows it", () => {
    const outside = tempDir();
    writeFiles(outside, { "shared.yaml": "type: object\ndescription: Shared.\n" });
    const rel = path.relative(path.join(outside, "x"), outside);
    const root = makeRoot({
      [`${S}/m.a`]: [
        "type: object",
        "properties:",
        "  content:",
        `    $ref: ../../../${path.basename(outside)}/shared.yaml`,
        "  other:",
        "    $ref: https://example.org/schema.yaml",
        "  passwd:",
        "    $ref: /etc/passwd",
      ].join("\n"),
    });
    // The root and `outside` are siblings in the temp folder.
    expect(rel).toBe("..");
    const r = specgen(["check", root, "--format", "json"]);
    expect(r.code).toBe(1);
    const errors = (stdout: string) =>
      JSON.parse(stdout).diagnostics.filter((d: { severity: string }) => d.severity === "error") as { code: string; line: number }[];
    const found = errors(r.stdout).map((d) => [d.code, d.line]);
    expect(found).toEqual([
      ["ref-outside-root", 4],
      ["ref-network", 6],
      ["ref-outside-root", 8],
    ]);
    writeFiles(root, { "specgen.config.yaml": "allowExternalRefs: true\n" });
    const allowed = errors(specgen(["check", root, "--format", "json"]).stdout).map((d) => [d.code, d.line]);
    expect(allowed).toEqual([["ref-network", 6]]);
  });
});

describe("symlinks out of the root", () => {
  it("are not read unless the config allows it", () => {
    const outside = tempDir();
    writeFiles(outside, { "secret.yaml": "password: hunter2\n", "notes.md": "# Secret notes\n" });
    const root = makeRoot({ "specification/index.md": "# Home\n" });
    mkdirSync(path.join(root, "event-schemas/schema"), { recursive: true });
    symlinkSync(path.join(outside, "secret.yaml"), path.join(root, "event-schemas/schema/m.secret"));
    symlinkSync(outside, path.join(root, "specification/linked"));
    const r = specgen(["check", root, "--format", "json"]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("hunter2");
    const found = JSON.parse(r.stdout).diagnostics.map((d: { code: string; file: string }) => [d.code, d.file]);
    expect(found).toEqual([
      ["file-outside-root", "event-schemas/schema/m.secret"],
      // A linked folder is reported at the link, and nothing behind it is named.
      ["file-outside-root", "specification/linked"],
    ]);
    writeFiles(root, { "specgen.config.yaml": "allowExternalRefs: true\n" });
    expect(specgen(["check", root]).code).toBe(0);
  });
});

describe("the output guard", () => {
  it("refuses every way of naming the root, a folder holding it, or a source folder", () => {
    const root = copySample();
    const parent = path.dirname(root);
    const links = tempDir();
    symlinkSync(root, path.join(links, "root-link"));
    symlinkSync(path.join(root, "specification"), path.join(links, "pages-link"));
    const cases: [string[], string | undefined][] = [
      [["--out", "."], root],
      [["--out", "./"], root],
      [["--out", `${root}/`], undefined],
      [["--out", `${root}//.`], undefined],
      [["--out", ".."], root],
      [["--out", path.join(links, "root-link")], undefined],
      [["--out", `${path.join(links, "root-link")}/`], undefined],
      [["--out", path.join(links, "root-link", "specification")], undefined],
      [["--out", path.join(links, "pages-link", "out")], undefined],
      [["--out", "specification/site"], root],
      [["--out", `../x/../${path.basename(root)}/event-schemas/`], root],
      [["--out", `${parent}`], undefined],
      [["--out", path.join(root, "specification", "index.md")], undefined],
    ];
    for (const [args, cwd] of cases) {
      const r = specgen(["build", root, ...args], {}, cwd);
      expect(r.code, `${args.join(" ")} from ${cwd}`).toBe(2);
      expect(r.stderr).toMatch(
        /^specgen: output folder .* (is the spec root or holds it|lies inside the source folder|holds the source folder|is a file, not a folder)/,
      );
    }
    expect(existsSync(path.join(root, "specification/index.md"))).toBe(true);
  });

  it("refuses an output folder holding a source folder that lies outside the root", () => {
    const base = tempDir();
    mkdirSync(path.join(base, "root"));
    writeFiles(base, { "docs/pages/index.md": "# Home\n", "root/specgen.config.yaml": "paths:\n  pages: ../docs/pages\n" });
    const refused = specgen(["check", path.join(base, "root")]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`"paths.pages" (${path.join(base, "docs/pages")}) lies outside the spec root`);
    writeFiles(base, { "root/specgen.config.yaml": "allowExternalRefs: true\npaths:\n  pages: ../docs/pages\n" });
    expect(specgen(["check", path.join(base, "root")]).code).toBe(0);
    const r = specgen(["build", path.join(base, "root"), "--out", path.join(base, "docs")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("holds the source folder");
    expect(readFileSync(path.join(base, "docs/pages/index.md"), "utf8")).toBe("# Home\n");
  });

  it("builds into a relative, symlinked or slash-ended folder of its own", () => {
    const root = copySample();
    const links = tempDir();
    mkdirSync(path.join(links, "real"));
    symlinkSync(path.join(links, "real"), path.join(links, "site-link"));
    expect(specgen(["build", root, "--out", `${path.join(links, "site-link")}/`]).code).toBe(0);
    expect(existsSync(path.join(links, "real", "index.html")) || existsSync(path.join(links, "site-link", "index.html"))).toBe(true);
    expect(specgen(["build", ".", "--out", "../built/"], {}, root).code).toBe(0);
    expect(existsSync(path.join(path.dirname(root), "built", "index.html"))).toBe(true);
  });
});
