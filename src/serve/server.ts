/**
 * The preview server: serves the rendered site from memory, nothing else. Paths
 * are looked up in the site's file map, so no request can reach the disk, and
 * there are no folder listings. Pages get the live-reload client; server-sent
 * events tell open tabs what changed and which errors to show.
 */
import http from "node:http";
import path from "node:path";
import { CLIENT_PATH, CLIENT_SCRIPT, EVENTS_PATH, placeholderPage } from "./client.js";

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

  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, host, () => {
        const address = this.http.address();
        const actual = typeof address === "object" && address ? address.port : port;
        resolve(`http://${host.includes(":") ? `[${host}]` : host}:${actual}/`);
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
    for (const res of this.clients) res.write(message);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "GET" && req.method !== "HEAD") send(res, 405, "text/plain", "method not allowed\n");
    else if (url.pathname === EVENTS_PATH) this.subscribe(res, url.searchParams);
    else if (url.pathname === CLIENT_PATH) send(res, 200, TYPES[".js"], CLIENT_SCRIPT);
    else this.serveFile(res, url.pathname, req.method === "HEAD");
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
