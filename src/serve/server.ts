/**
 * The preview server: serves the rendered site from memory, nothing else. Paths
 * are looked up in the site's file map, so no request can reach the disk, and
 * there are no folder listings. Pages get the live-reload client; server-sent
 * events tell open tabs what changed and which errors to show.
 *
 * Any web page the editor has open can send it requests, so: every request
 * target, however malformed, gets an answer (a bad one a 400) and never stops
 * the server; a request whose `Host` is a name other than `localhost` or the
 * bound host is refused (403), so that a DNS-rebinding page cannot read the
 * preview (its event stream carries source lines); the event stream is for
 * the preview's own pages only; and live-reload clients are capped, a client
 * that does not read its stream being dropped.
 */
import http from "node:http";
import { isIP } from "node:net";
import path from "node:path";
import { ConfigError } from "../config.js";
import { CLIENT_PATH, CLIENT_SCRIPT, EVENTS_PATH, placeholderPage } from "./client.js";

/** Live-reload streams open at once; one more is refused (503). */
export const MAX_CLIENTS = 64;
/** Bytes a live-reload client may leave unread; past it the client is dropped (its tab reconnects when it reads again). */
export const MAX_UNSENT = 1 << 20;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** What the overlay shows for one diagnostic. */
export interface OverlayError {
  file?: string;
  line?: number;
  column?: number;
  code: string;
  message: string;
  frame?: string;
}

export class PreviewServer {
  private files: ReadonlyMap<string, string | Uint8Array> = new Map();
  private errors: OverlayError[] = [];
  private readonly clients = new Set<http.ServerResponse>();
  /** Counts the good builds published; each page remembers the last one that changed it. */
  private build = 0;
  private readonly changedAt = new Map<string, number>();
  readonly http: http.Server;

  constructor() {
    this.http = http.createServer((req, res) => this.handle(req, res));
  }

  /** Live-reload streams open now. */
  get liveClients(): number {
    return this.clients.size;
  }

  private host = "127.0.0.1";
  private port = 0;

  /** Listens; a port in use or a host that cannot be bound is a ConfigError (the CLI exits 2 with its message). */
  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.http.once("error", (e: NodeJS.ErrnoException) => reject(new ConfigError(listenProblem(e, host, port))));
      this.http.listen(port, host, () => {
        const address = this.http.address();
        this.port = typeof address === "object" && address ? address.port : port;
        this.host = host.toLowerCase();
        resolve(`http://${host.includes(":") ? `[${host}]` : host}:${this.port}/`);
      });
    });
  }

  /**
   * A good build: serve it, update the open tabs of the pages that changed, and
   * tell every tab which other files changed (a tab whose page loaded one reloads).
   */
  publish(files: ReadonlyMap<string, string | Uint8Array>, changedPages: readonly string[], changedAssets: readonly string[] = []): void {
    this.files = files;
    this.build++;
    for (const page of changedPages) this.changedAt.set(page, this.build);
    this.broadcast("reload", changedPages);
    if (changedAssets.length > 0) this.broadcast("assets", changedAssets);
  }

  /** The errors of the latest build ([] clears the overlay); the last good site stays served. */
  showErrors(errors: OverlayError[]): void {
    this.errors = errors;
    this.broadcast("errors", errors);
  }

  close(): Promise<void> {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.http.closeAllConnections();
    return new Promise((resolve) => this.http.close(() => resolve()));
  }

  private broadcast(event: string, data: unknown): void {
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.clients) {
      // A client that left the last messages unread gets no more: it is dropped, not buffered for.
      if (res.writableLength > MAX_UNSENT) this.drop(res);
      else res.write(message);
    }
  }

  private drop(res: http.ServerResponse): void {
    this.clients.delete(res);
    res.destroy();
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    try {
      const target = requestTarget(req.url);
      if (!this.allowedHost(req.headers.host)) send(res, 403, "text/plain", "forbidden: unknown Host\n");
      else if (target === undefined) send(res, 400, "text/plain", "bad request\n");
      else if (req.method !== "GET" && req.method !== "HEAD") send(res, 405, "text/plain", "method not allowed\n");
      // A HEAD of the stream gets its headers and no stream (Node would hold them back until a body it never sends).
      else if (target.pathname === EVENTS_PATH && req.method === "HEAD") send(res, 200, "text/event-stream", "", true);
      else if (target.pathname === EVENTS_PATH && !this.ownPage(req))
        send(res, 403, "text/plain", "forbidden: not a page of this preview\n");
      else if (target.pathname === EVENTS_PATH) this.subscribe(res, target.params);
      else if (target.pathname === CLIENT_PATH) send(res, 200, TYPES[".js"], CLIENT_SCRIPT);
      else this.serveFile(res, target.pathname, req.method === "HEAD");
    } catch {
      // Never expected; still an answer, and the server goes on.
      if (!res.headersSent) send(res, 500, "text/plain", "internal error\n");
      else res.destroy();
    }
  }

  /**
   * A browser sends the name it looked up as `Host`: a page of another site
   * that re-pointed its name at this machine (DNS rebinding) sends its own.
   * Allowed: `localhost`, the bound host, or any IP address (a literal
   * address cannot be re-pointed), with the port listened on.
   */
  private allowedHost(header: string | undefined): boolean {
    if (header === undefined) return false;
    const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(header.trim());
    if (!m) return false;
    const name = m[1].toLowerCase();
    const port = m[2] === undefined ? 80 : Number(m[2]);
    if (port !== this.port) return false;
    const bare = name.startsWith("[") ? name.slice(1, -1) : name;
    return name === "localhost" || bare === this.host || isIP(bare) !== 0;
  }

  /**
   * Whether a request comes from a page of this preview, as far as the browser
   * says: a page of another site may open the event stream too (an
   * EventSource, an `<img>`), to hold the live-reload slots. Browsers send
   * `Sec-Fetch-Site`, and `Origin` with a cross-origin EventSource; a client
   * that sends neither (curl) is let in.
   */
  private ownPage(req: http.IncomingMessage): boolean {
    const site = req.headers["sec-fetch-site"];
    if (site !== undefined && site !== "same-origin" && site !== "none") return false;
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    const m = /^http:\/\/(.+)$/i.exec(origin);
    return m !== null && this.allowedHost(m[1]);
  }

  private serveFile(res: http.ServerResponse, pathname: string, headOnly: boolean): void {
    const file = sitePath(pathname);
    const body = file === undefined ? undefined : this.files.get(file);
    if (file === undefined || body === undefined) {
      // A page not (yet) rendered gets a placeholder with the live client: the overlay lists the errors, and the page comes when it renders.
      if (file?.endsWith(".html")) send(res, 404, TYPES[".html"], injectClient(placeholderPage(file, this.errors), this.build), headOnly);
      else send(res, 404, "text/plain", "not found\n");
      return;
    }
    const type = TYPES[path.posix.extname(file)] ?? "application/octet-stream";
    send(res, 200, type, type.startsWith("text/html") ? injectClient(String(body), this.build) : body, headOnly);
  }

  /**
   * A tab connects with its page and the build it was served from; a page that
   * changed since (while the tab was loading) reloads at once, so no edit is
   * missed between serving a page and its script connecting.
   */
  private subscribe(res: http.ServerResponse, params: URLSearchParams): void {
    if (this.clients.size >= MAX_CLIENTS) {
      send(res, 503, "text/plain", "too many live-reload clients\n");
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
    res.write(`retry: 500\nevent: errors\ndata: ${JSON.stringify(this.errors)}\n\n`);
    const page = params.get("page") ? sitePath(`/${params.get("page")}`) : undefined;
    const since = params.get("build") ? Number(params.get("build")) : Number.NaN;
    if (page && Number.isInteger(since) && (this.changedAt.get(page) ?? 0) > since) {
      res.write(`event: reload\ndata: ${JSON.stringify([page])}\n\n`);
    }
    this.clients.add(res);
    res.on("close", () => this.clients.delete(res));
  }
}

/**
 * The path and query of a request target in origin form (`/path?query`);
 * undefined for any other (absolute form, `*`, an empty or control-character
 * target). Read by hand: `new URL()` throws on some targets (`//[`) and reads
 * `//host/…` as a host.
 */
export function requestTarget(raw: string | undefined): { pathname: string; params: URLSearchParams } | undefined {
  if (raw === undefined || !raw.startsWith("/") || /[\0-\x20\x7f]/.test(raw)) return undefined;
  const hash = raw.indexOf("#");
  const target = hash === -1 ? raw : raw.slice(0, hash);
  const query = target.indexOf("?");
  return query === -1
    ? { pathname: target, params: new URLSearchParams() }
    : { pathname: target.slice(0, query), params: new URLSearchParams(target.slice(query + 1)) };
}

/** A plain sentence for why the server could not listen. */
function listenProblem(e: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  const why =
    e.code === "EADDRINUSE"
      ? "the port is in use (choose another with --port, or 0 for a free one)"
      : e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND" || e.code === "EAI_AGAIN"
        ? "no such address on this machine (check --host)"
        : e.code === "EACCES"
          ? "permission denied (ports below 1024 need privileges)"
          : e.message;
  return `cannot serve on ${where}: ${why}`;
}

/**
 * The site file a URL path names, or undefined when it names none: `..`
 * segments, encoded or not, backslashes and NUL bytes are refused outright.
 */
export function sitePath(pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const segments = decoded.split("/").filter((s) => s !== "");
  if (segments.some((s) => s === ".." || s === "." || s.includes("%"))) return undefined;
  const rel = segments.join("/");
  if (rel === "") return "index.html";
  return decoded.endsWith("/") ? `${rel}/index.html` : rel;
}

function injectClient(html: string, build: number): string {
  const tag = `<script src="${CLIENT_PATH}" data-build="${build}"></script>`;
  const at = html.lastIndexOf("</body>");
  return at >= 0 ? `${html.slice(0, at)}${tag}\n${html.slice(at)}` : html + tag;
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Uint8Array, headOnly = false): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
  res.end(headOnly ? undefined : body);
}
