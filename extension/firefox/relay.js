// @ts-check
// Runbook Lens in Firefox: the background page passes messages between a tab's content
// script and its panel. Only in the Firefox build (scripts/build-extension.mjs puts it in
// `background.scripts`, before background.js).
//
// Why: Firefox runs an extension page that a web page frames (our panel, in its iframe on
// the incident page) as a content-script-like context. Such a frame gets no `tabs` API,
// and the port a content script opens with runtime.connect() reaches the background page
// only, never that frame (Chromium hands it to the panel directly, see panel.js). So here
// the content script's port `runbook-lens:<nonce>` lands in this page, the panel opens
// its own port `runbook-lens-panel:<nonce>`, and messages cross between the two ports of
// the same tab and nonce. Page scripts can reach neither port.
//
// Firefox unloads an idle event page (30 s without API calls or events; messages on open
// ports do not count), which would close every port. While it relays for a panel it makes
// a cheap API call every 20 s so that it stays; with no panel left it may go. Were it
// unloaded anyway, both sides open new ports (content.js and panel.js reconnect) and that
// wakes it again.
//
// An ES module like background.js (the Firefox build keeps the background's `type`), so it
// imports the port names and the trusted origin from lib/protocol.js.
import "../lib/protocol.js";

(() => {
  const { Ports, PD_ORIGIN, portNonce } = globalThis.RunbookLensProtocol;
  const MAX_QUEUE = 32; // messages kept for a side that is not connected (the latest matter)
  const KEEPALIVE_MS = 20000; // below Firefox's idle timeout for event pages (30 s)

  /** @typedef {chrome.runtime.Port} Port */
  /** @typedef {chrome.runtime.MessageSender} Sender */
  /** @typedef {{content: Port | null, panel: Port | null, toContent: unknown[], toPanel: unknown[]}} Pair */
  /** @type {Map<string, Pair>} `${tabId}:${nonce}` -> the two sides and what waits for each */
  const pairs = new Map();
  /** @type {ReturnType<typeof setInterval> | 0} */
  let keepalive = 0;

  function keepAliveWhilePaired() {
    if (pairs.size && !keepalive) {
      keepalive = setInterval(() => chrome.runtime.getPlatformInfo().catch(() => {}), KEEPALIVE_MS);
    } else if (!pairs.size && keepalive) {
      clearInterval(keepalive);
      keepalive = 0;
    }
  }

  /** @param {Sender} sender */
  function originOf(sender) {
    if (typeof sender.origin === "string") return sender.origin;
    try {
      return new URL(sender.url ?? "").origin;
    } catch (_) {
      return "";
    }
  }

  // The content script of a PagerDuty page, in the tab's top frame.
  /** @param {Sender | undefined} s */
  function fromContent(s) {
    return s != null && s.id === chrome.runtime.id && s.tab != null && typeof s.tab.id === "number" && s.frameId === 0 && PD_ORIGIN.test(originOf(s));
  }

  // Our panel page, carrying the nonce its content script gave it, in a tab.
  /** @param {Sender | undefined} s @param {string} nonce */
  function fromPanel(s, nonce) {
    return s != null && s.id === chrome.runtime.id && s.tab != null && typeof s.tab.id === "number" && s.url === chrome.runtime.getURL("panel.html") + "#" + nonce;
  }

  /** @param {Port | null} port @param {unknown[]} queue @param {unknown} msg */
  function send(port, queue, msg) {
    if (port) {
      try {
        port.postMessage(msg);
        return;
      } catch (_) {
        // Closed under us: keep the message for the next port of that side.
      }
    }
    queue.push(msg);
    if (queue.length > MAX_QUEUE) queue.shift();
  }

  /** @param {Port} p @param {"content" | "panel"} side @param {string} key */
  function attach(p, side, key) {
    let pair = pairs.get(key);
    if (!pair) {
      pair = { content: null, panel: null, toContent: [], toPanel: [] };
      pairs.set(key, pair);
      keepAliveWhilePaired();
    }
    const other = side === "content" ? "panel" : "content";
    const inbox = side === "content" ? "toContent" : "toPanel";
    const outbox = side === "content" ? "toPanel" : "toContent";
    pair[side] = p; // a reconnecting side replaces its old port
    for (const msg of pair[inbox].splice(0)) send(p, pair[inbox], msg);
    p.onMessage.addListener((msg) => {
      if (pair[side] === p && msg !== null && typeof msg === "object") send(pair[other], pair[outbox], msg);
    });
    p.onDisconnect.addListener(() => {
      void chrome.runtime.lastError;
      if (pair[side] !== p) return;
      pair[side] = null;
      if (!pair.content && !pair.panel && pairs.get(key) === pair) pairs.delete(key);
      keepAliveWhilePaired();
    });
  }

  chrome.runtime.onConnect.addListener((p) => {
    const s = p.sender;
    let nonce = portNonce(p.name, Ports.contentPrefix);
    if (nonce !== null) {
      if (!fromContent(s)) return p.disconnect();
      return attach(p, "content", `${s?.tab?.id}:${nonce}`);
    }
    nonce = portNonce(p.name, Ports.relayPanelPrefix);
    if (nonce !== null) {
      if (!fromPanel(s, nonce)) return p.disconnect();
      return attach(p, "panel", `${s?.tab?.id}:${nonce}`);
    }
    // Not ours to answer.
  });
})();
