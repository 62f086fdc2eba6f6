// The Firefox tests' host mapping. Firefox has no --host-resolver-rules, and its DNS prefs
// (network.dns.localDomains, network.dns.forceResolve) map names to an address but not to
// another port: the fixture server listens on a random port, and incident URLs with a port
// are not what PagerDuty's are (the panel checks the page's origin). So Firefox is pointed
// (network.proxy.* prefs) at this tiny HTTP proxy on 127.0.0.1, which tunnels
// `CONNECT <name>.pagerduty.com:443` to the fixture server on 127.0.0.1 and refuses
// everything else. The only address it ever connects to is the loopback fixture server.
import { createServer } from "node:http";
import { connect } from "node:net";

const PAGERDUTY = /^([a-z0-9-]+\.)*pagerduty\.com$/;

/**
 * Starts the proxy on 127.0.0.1 (a free port), tunnelling PagerDuty names (and the names in
 * `hosts`) on port 443 to 127.0.0.1:`targetPort`. Resolves to {port, tunnelled, refused,
 * close()}: `tunnelled` lists the host names it tunnelled, `refused` every other request (Firefox's own background
 * traffic, if any got past the prefs), which never leaves the machine.
 */
export async function startProxy(targetPort, { hosts = [] } = {}) {
  const tunnelled = [];
  const refused = [];
  const sockets = new Set();
  const server = createServer((req, res) => {
    // A plain-HTTP proxy request (GET http://...): nothing the tests serve.
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(403, { "Content-Type": "text/plain", Connection: "close" });
    res.end("the test proxy only tunnels *.pagerduty.com:443\n");
  });
  server.on("connect", (req, client, head) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(req.url || "");
    const host = m ? m[1].toLowerCase() : "";
    if (!m || m[2] !== "443" || !(PAGERDUTY.test(host) || hosts.includes(host))) {
      refused.push(`CONNECT ${req.url}`);
      client.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    tunnelled.push(host);
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.once("connect", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head && head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    port: server.address().port,
    tunnelled,
    refused,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * Firefox prefs sending every HTTP(S) request through the proxy at 127.0.0.1:`port`. With
 * an HTTP proxy Firefox does not resolve the names itself: the proxy gets the name.
 */
export function proxyPrefs(port) {
  return {
    "network.proxy.type": 1, // manual configuration
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": port,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": port,
    "network.proxy.share_proxy_settings": false,
    "network.proxy.no_proxies_on": "",
    "network.proxy.allow_hijacking_localhost": false,
    // No DNS over HTTPS, no DNS or link prefetching: nothing resolves names but the proxy.
    "network.trr.mode": 5,
    "network.dns.disablePrefetch": true,
    "network.prefetch-next": false,
    "network.predictor.enabled": false,
  };
}
