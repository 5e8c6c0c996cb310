// specgen's page script: the search box, and copying a heading's link when its
// `#` is clicked. The pages work without it, search aside, so search stays
// hidden until this runs. The index is a script (search-index.js) rather than
// JSON because pages opened from file:// cannot fetch files.
(() => {
  const KIND_LABELS = { event: "Event", endpoint: "Endpoint", definition: "Definition", field: "Field", section: "Section", page: "Page" };
  const KIND_ORDER = ["event", "endpoint", "definition", "field", "section", "page"];
  const MAX_RESULTS = 20;

  /** Index entries matching every word of `query`, best first: exact, prefix, substring, then by context. */
  function search(index, query) {
    const q = query.toLowerCase();
    const words = q.split(/\s+/).filter(Boolean);
    const found = [];
    for (const entry of index) {
      const title = entry.t.toLowerCase();
      let score;
      if (title === q) score = 0;
      else if (title.startsWith(q)) score = 1;
      else if (title.includes(q)) score = 2;
      else if (words.every((w) => `${title} ${entry.c.toLowerCase()}`.includes(w))) score = 3;
      else continue;
      found.push({ entry, score });
    }
    const kindRank = (e) => (KIND_ORDER.includes(e.k) ? KIND_ORDER.indexOf(e.k) : KIND_ORDER.length);
    found.sort((a, b) => a.score - b.score || kindRank(a.entry) - kindRank(b.entry) || a.entry.t.length - b.entry.t.length);
    return found.slice(0, MAX_RESULTS).map((f) => f.entry);
  }

  /**
   * Whether an index entry's href is a relative path (specgen writes them
   * percent-encoded): no scheme (`javascript:`), no `/` or `\\` first, no
   * white space or control character a browser would strip before reading one.
   */
  function isRelative(u) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among what it refuses
    return typeof u === "string" && !/[\u0000-\u0020\u007f\\]/.test(u) && !/^[^/?#]*:/.test(u) && !u.startsWith("/");
  }

  function resultItem(entry, root) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = root + entry.u;
    link.className = `result result-${entry.k}`;
    const title = document.createElement("span");
    title.className = "result-title";
    title.textContent = entry.t;
    const kind = document.createElement("span");
    kind.className = "result-kind";
    kind.textContent = KIND_LABELS[entry.k] || entry.k;
    link.append(title, " ", kind);
    if (entry.c) {
      const context = document.createElement("span");
      context.className = "result-context";
      context.textContent = entry.c;
      link.append(" ", context);
    }
    item.append(link);
    return item;
  }

  function setUpSearch(box) {
    const root = box.dataset.root || "";
    const input = box.querySelector("input");
    const list = box.querySelector(".search-results");
    const status = box.querySelector(".search-status");
    let index;
    let loading = false;

    const load = () => {
      if (index || loading) return;
      loading = true;
      const script = document.createElement("script");
      script.src = `${root}search-index.js`;
      script.onload = () => {
        // An entry that is not a relative path (the index was tampered with, or made by a faulty build) is never a link.
        const loaded = Array.isArray(self.specgenSearchIndex) ? self.specgenSearchIndex : [];
        index = loaded.filter((e) => e && typeof e.t === "string" && typeof e.c === "string" && isRelative(e.u));
        show();
      };
      script.onerror = () => {
        loading = false;
        status.textContent = "The search index could not be loaded.";
      };
      document.head.append(script);
    };

    const show = () => {
      const query = input.value.trim();
      list.replaceChildren();
      if (!query || !index) {
        list.hidden = true;
        status.textContent = "";
        return;
      }
      const results = search(index, query);
      for (const entry of results) list.append(resultItem(entry, root));
      if (results.length === 0) {
        const none = document.createElement("li");
        none.className = "no-results";
        none.textContent = "Nothing found";
        list.append(none);
      }
      list.hidden = false;
      status.textContent = `${results.length} result${results.length === 1 ? "" : "s"}`;
    };

    const links = () => [...list.querySelectorAll("a")];
    box.hidden = false;
    input.addEventListener("focus", load);
    input.addEventListener("input", () => {
      load();
      show();
    });
    box.addEventListener("keydown", (event) => {
      const all = links();
      const at = all.indexOf(document.activeElement);
      if (event.key === "Enter" && event.target === input && all.length > 0) {
        event.preventDefault();
        all[0].click();
      } else if (event.key === "Escape") {
        input.value = "";
        show();
        input.focus();
      } else if (event.key === "ArrowDown" && all.length > 0) {
        event.preventDefault();
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (event.key === "ArrowUp" && at >= 0) {
        event.preventDefault();
        (at === 0 ? input : all[at - 1]).focus();
      }
    });
    // A result on this page only moves to a fragment: close the list behind it.
    list.addEventListener("click", () => {
      list.hidden = true;
    });
    document.addEventListener("click", (event) => {
      if (!box.contains(event.target)) list.hidden = true;
    });
  }

  function copyLinks() {
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    // Put back when the preview swapped the page's main part for a newer one.
    const place = () => status.isConnected || (document.querySelector("main") || document.body).append(status);
    place();
    document.addEventListener("click", (event) => {
      const link = event.target instanceof Element && event.target.closest("a.heading-anchor");
      if (!link || !navigator.clipboard) return;
      place();
      navigator.clipboard.writeText(link.href).then(
        () => {
          link.classList.add("copied");
          status.textContent = "Link copied";
          setTimeout(() => link.classList.remove("copied"), 1500);
        },
        () => {},
      );
    });
  }

  const box = document.querySelector("search.search");
  if (box) setUpSearch(box);
  copyLinks();
})();
