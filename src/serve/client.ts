/**
 * The script injected into served pages: listens to the server's events,
 * brings the page up to date when it changed and shows the build's errors over
 * the last good render. Text goes in with textContent only.
 *
 * An update fetches the page and swaps in the parts of its body that changed,
 * as the server wrote them (the client runs at the end of the body, before the
 * page's own scripts, so it can keep each part's served HTML): no navigation,
 * so the scroll position and the page's script stay. A change of the head
 * (the title aside), of the body's shape, or of a part holding the search box,
 * which the page's script wires up once, reloads the whole page instead, as
 * does a change of a file the page loaded (the style sheet, the page's script).
 */
export const CLIENT_PATH = "/__specgen/client.js";
export const EVENTS_PATH = "/__specgen/events";

export const CLIENT_SCRIPT = `(() => {
  const build = document.currentScript ? document.currentScript.dataset.build : "";
  // The site file the server maps this URL to (a folder's URL serves its index.html).
  const page = decodeURIComponent(location.pathname.replace(/^\\//, "")).replace(/(^|\\/)$/, "$1index.html");
  const key = "specgen-scroll:" + page;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", () => scrollTo(0, Number(saved)));
  }
  const parts = (body) => [...body.children].filter((el) => el.tagName !== "SCRIPT" && el.id !== "specgen-overlay");
  const headOf = (doc) => [...doc.head.children].filter((el) => el.tagName !== "TITLE").map((el) => el.outerHTML).join("");
  let served = { head: headOf(document), parts: parts(document.body).map((el) => el.outerHTML) };
  // The files the page loaded as served (the page's script adds the search index later, which changes with every edit).
  const loads = new Set([...document.querySelectorAll("link[href], script[src]")].map((el) => el.href || el.src));
  function reload() {
    sessionStorage.setItem(key, String(scrollY));
    location.reload();
  }
  let updating = Promise.resolve();
  async function update() {
    const response = await fetch(location.pathname + location.search, { cache: "no-store" });
    if (!response.ok) return reload();
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = parts(next.body);
    const html = fresh.map((el) => el.outerHTML);
    const live = parts(document.body);
    const changed = html.map((h, i) => h !== served.parts[i]);
    const reshaped = headOf(next) !== served.head || fresh.length !== live.length || live.some((el, i) => el.tagName !== fresh[i].tagName);
    if (reshaped || fresh.some((el, i) => changed[i] && (el.querySelector("search") || live[i].querySelector("search")))) return reload();
    document.title = next.title;
    live.forEach((el, i) => {
      if (changed[i]) el.replaceWith(document.adoptNode(fresh[i]));
    });
    served = { head: served.head, parts: html };
  }
  let overlay = null;
  function clear() {
    if (overlay) overlay.remove();
    overlay = null;
  }
  function show(diagnostics) {
    clear();
    overlay = document.createElement("div");
    overlay.id = "specgen-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.92);color:#f4f4f5;font:14px/1.5 ui-monospace,monospace;padding:2rem";
    const title = document.createElement("h2");
    title.textContent = diagnostics.length + (diagnostics.length === 1 ? " error" : " errors") + " in the sources";
    title.style.cssText = "margin:0 0 .25rem;color:#fca5a5;font-size:16px";
    const hint = document.createElement("p");
    hint.textContent = "Below: the last build without errors, or, before there was one, what could be rendered. Save a fix and the page updates by itself.";
    hint.style.cssText = "margin:0 0 1rem;color:#a1a1aa";
    overlay.append(title, hint);
    for (const d of diagnostics) {
      const item = document.createElement("div");
      item.className = "specgen-error";
      item.style.cssText = "margin:0 0 1.25rem";
      const head = document.createElement("div");
      head.textContent = [d.file, d.line, d.column].filter((x) => x !== undefined).join(":") + "  " + d.code + "  " + d.message;
      item.append(head);
      if (d.frame) {
        const pre = document.createElement("pre");
        pre.textContent = d.frame;
        pre.style.cssText = "margin:.5rem 0 0;padding:.5rem;background:#000;color:#e4e4e7;overflow:auto";
        item.append(pre);
      }
      overlay.append(item);
    }
    const close = document.createElement("button");
    close.textContent = "Hide";
    close.onclick = clear;
    close.style.cssText = "position:absolute;top:1rem;right:1rem";
    overlay.append(close);
    document.body.append(overlay);
  }
  const events = new EventSource(${JSON.stringify(EVENTS_PATH)} + "?page=" + encodeURIComponent(page) + "&build=" + encodeURIComponent(build || ""));
  events.addEventListener("errors", (e) => {
    const diagnostics = JSON.parse(e.data);
    if (diagnostics.length) show(diagnostics);
    else clear();
  });
  events.addEventListener("reload", (e) => {
    const pages = JSON.parse(e.data);
    if (pages.includes(page)) updating = updating.then(update).catch(reload);
  });
  events.addEventListener("assets", (e) => {
    const changed = JSON.parse(e.data).map((file) => new URL("/" + file, location.origin).href);
    if (changed.some((url) => loads.has(url))) reload();
  });
})();
`;

/**
 * What a page that is not in the site shows: its name and the build's errors
 * (also under the overlay the live client puts over it, and when it is hidden).
 */
export function placeholderPage(file: string, errors: readonly { file?: string; line?: number; code: string; message: string }[]): string {
  const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const name = escapeHtml(file);
  const list = errors.map(
    (d) =>
      `<li><code>${escapeHtml([d.file, d.line].filter((x) => x !== undefined).join(":"))}</code> ${escapeHtml(d.code)}: ${escapeHtml(d.message)}</li>`,
  );
  const why =
    errors.length > 0
      ? `<p>The sources have ${errors.length} error${errors.length === 1 ? "" : "s"}:</p>\n<ul>\n${list.join("\n")}\n</ul>\n`
      : "";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Not rendered: ${name}</title></head>
<body>
<main style="font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:3rem auto;padding:0 1rem">
<h1>${name} is not rendered</h1>
<p>The site has no such page, or it could not be rendered. This page is replaced as soon as the page renders.</p>
${why}</main>
</body>
</html>
`;
}
