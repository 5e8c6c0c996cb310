/**
 * The script injected into served pages: listens to the server's events,
 * reloads the page when it changed (keeping the scroll position) and shows the
 * build's errors over the last good render. Text goes in with textContent only.
 */
export const CLIENT_PATH = "/__specgen/client.js";
export const EVENTS_PATH = "/__specgen/events";

export const CLIENT_SCRIPT = `(() => {
  const build = document.currentScript ? document.currentScript.dataset.build : "";
  const page = decodeURIComponent(location.pathname.replace(/^\\//, "")) || "index.html";
  const key = "specgen-scroll:" + page;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", () => scrollTo(0, Number(saved)));
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
    title.textContent = diagnostics.length + (diagnostics.length === 1 ? " error" : " errors") + " in the sources (showing the last good build)";
    title.style.cssText = "margin:0 0 1rem;color:#fca5a5;font-size:16px";
    overlay.append(title);
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
    if (pages.includes(page)) {
      sessionStorage.setItem(key, String(scrollY));
      location.reload();
    }
  });
})();
`;
