// HTTPS server on 127.0.0.1 for the fixture pages, answering for PagerDuty host
// names (the browser maps *.pagerduty.com to it with --host-resolver-rules).
// Every response carries a strict page CSP, like the real app's: page JS lives in
// separate files served from the same origin.
import { createServer } from "node:https";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { testCert } from "./cert.mjs";

export const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));
export const PAGE_CSP = "default-src 'self'; script-src 'self'";

/**
 * Which fixture page answers which URL: "host/path" -> file in fixtures/.
 * The single-page-app fixture answers for the list and its incidents, so a reload
 * at any of its URLs works.
 */
export const ROUTES = {
  "demo.pagerduty.com/incidents/Q3DEMO1ABC": "incident-react.html",
  "acme.pagerduty.com/incidents/Q1REACT0PRE1": "incident-react.html",
  "acme.eu.pagerduty.com/incidents/Q2TABLE0DTL2": "incident-table.html",
  "acme.eu.pagerduty.com/incidents/Q3ALERTMGR03": "incident-alertmanager.html",
  "acme.pagerduty.com/incidents/Q4JSON0DTLS4": "incident-json.html",
  "acme.pagerduty.com/incidents/Q5TWO0ALERT5": "incident-two-alerts.html",
  "acme.pagerduty.com/incidents/Q8UNKNOWN008": "incident-unknown.html",
  "acme.pagerduty.com/incidents": "spa.html",
  "acme.pagerduty.com/incidents/Q6LATE0SPA06": "spa.html",
  "acme.pagerduty.com/incidents/Q7NEXT0SPA07": "spa.html",
  "acme.pagerduty.com/services/PXXXXXX": "service.html",
  "status.pagerduty.com/": "status.html",
  // Hostile alert bodies (e2e/hostile.test.mjs): the case is chosen by the incident ID.
  "acme.pagerduty.com/incidents/QH1PAYLOADS1": "hostile.html",
  "acme.pagerduty.com/incidents/QH2LONGLINE2": "hostile.html",
  "acme.pagerduty.com/incidents/QH3MEGABODY3": "hostile.html",
  "acme.pagerduty.com/incidents/QH4UNKNOWN04": "hostile.html",
  // Alert values in shell contexts the filling must understand (e2e/shell-contexts.test.mjs).
  "acme.pagerduty.com/incidents/QS1SHELLCTX1": "incident-shell.html",
  // The browser benchmark (scripts/bench-browser.mjs): an incident whose alert is put
  // in on demand, and the next incidents reached by pushState.
  "acme.pagerduty.com/incidents/QB1BENCH0001": "bench.html",
  // The reference alert with its start time (e2e/log-window.test.mjs).
  "acme.pagerduty.com/incidents/Q9TIME0WIN09": "incident-time.html",
  // A page whose CSS and scripts try to hide or cover the panel (e2e/hostile-page-css.test.mjs).
  "acme.pagerduty.com/incidents/QC1CLIPPATH1": "incident-hostile-css.html",
  "acme.pagerduty.com/incidents/QC2COVERING2": "incident-hostile-css.html",
  "acme.pagerduty.com/incidents/QC3TOPLAYER3": "incident-hostile-css.html",
};

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

async function answer(req, res, hits, files, handlers) {
  const host = String(req.headers.host || "").replace(/:\d+$/, "").toLowerCase();
  const url = new URL(req.url, "https://" + host);
  hits.push(`${req.method} https://${host}${url.pathname}${url.search}`);
  const handler = handlers[host + url.pathname];
  if (handler) return handler(req, res);
  let file = null;
  if (url.pathname.startsWith("/static/")) {
    const rel = normalize(decodeURIComponent(url.pathname.slice(1)));
    if (!rel.startsWith("static" + sep) || rel.includes("..")) file = null;
    else file = rel;
  } else {
    file = ROUTES[host + url.pathname.replace(/\/$/, "")] || ROUTES[host + url.pathname] || null;
  }
  const extra = files[host + url.pathname];
  const headers = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
  };
  if (url.pathname === "/favicon.ico") {
    res.writeHead(204, headers);
    return res.end();
  }
  if (extra) {
    // A file a test serves from elsewhere (a pack file), with its own content type.
    const body = await readFile(extra);
    res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(extra)] || "application/octet-stream" });
    return res.end(req.method === "HEAD" ? undefined : body);
  }
  if (!file) {
    res.writeHead(404, { ...headers, "Content-Type": TYPES[".txt"] });
    return res.end(`no fixture for ${host}${url.pathname}\n`);
  }
  try {
    const body = await readFile(join(FIXTURES, file));
    res.writeHead(200, { ...headers, "Content-Type": TYPES[extname(file)] || "application/octet-stream" });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch {
    res.writeHead(404, { ...headers, "Content-Type": TYPES[".txt"] });
    res.end(`missing fixture file ${file}\n`);
  }
}

/**
 * Starts the server on 127.0.0.1 (a free port); resolves to {port, hits, close()}.
 * `hits` lists every request it answered, as "METHOD https://host/path?query". `files` maps
 * more "host/path" to files anywhere (absolute paths), e.g. a pack file at a pack URL.
 * `handlers` maps "host/path" to a function (req, res) that answers it itself (a redirect,
 * an endless body), before any fixture or file.
 */
export async function startServer({ files = {}, handlers = {} } = {}) {
  const hits = [];
  const server = createServer(testCert(), (req, res) => {
    answer(req, res, hits, files, handlers).catch((e) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  // Keep-alive sockets would keep close() waiting.
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    port,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
