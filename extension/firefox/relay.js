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
// The event page may be unloaded when idle: that closes both ports, and each side opens a
// new one (content.js and panel.js reconnect), which wakes this page again.
"use strict";

(() => {
  const CONTENT = /^runbook-lens:([0-9a-f]{32})$/;
  const PANEL = /^runbook-lens-panel:([0-9a-f]{32})$/;
  const PD_ORIGIN = /^https:\/\/[a-z0-9-]+(\.eu)?\.pagerduty\.com$/;
  const MAX_QUEUE = 32; // messages kept for a side that is not connected (the latest matter)

  /** `${tabId}:${nonce}` -> {content, panel, toContent[], toPanel[]} */
  const pairs = new Map();

  function originOf(sender) {
    if (typeof sender.origin === "string") return sender.origin;
    try {
      return new URL(sender.url).origin;
    } catch (_) {
      return "";
    }
  }

  // The content script of a PagerDuty page, in the tab's top frame.
  function fromContent(s) {
    return s != null && s.id === chrome.runtime.id && s.tab != null && typeof s.tab.id === "number" && s.frameId === 0 && PD_ORIGIN.test(originOf(s));
  }

  // Our panel page, carrying the nonce its content script gave it, in a tab.
  function fromPanel(s, nonce) {
    return s != null && s.id === chrome.runtime.id && s.tab != null && typeof s.tab.id === "number" && s.url === chrome.runtime.getURL("panel.html") + "#" + nonce;
  }

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

  function attach(p, side, key) {
    let pair = pairs.get(key);
    if (!pair) {
      pair = { content: null, panel: null, toContent: [], toPanel: [] };
      pairs.set(key, pair);
    }
    const other = side === "content" ? "panel" : "content";
    const inbox = side === "content" ? "toContent" : "toPanel";
    const outbox = side === "content" ? "toPanel" : "toContent";
    pair[side] = p; // a reconnecting side replaces its old port
    for (const msg of pair[inbox].splice(0)) p.postMessage(msg);
    p.onMessage.addListener((msg) => {
      if (pair[side] === p && msg !== null && typeof msg === "object") send(pair[other], pair[outbox], msg);
    });
    p.onDisconnect.addListener(() => {
      void chrome.runtime.lastError;
      if (pair[side] !== p) return;
      pair[side] = null;
      if (!pair.content && !pair.panel && pairs.get(key) === pair) pairs.delete(key);
    });
  }

  chrome.runtime.onConnect.addListener((p) => {
    const s = p.sender;
    let m = CONTENT.exec(p.name);
    if (m) {
      if (!fromContent(s)) return p.disconnect();
      return attach(p, "content", `${s.tab.id}:${m[1]}`);
    }
    m = PANEL.exec(p.name);
    if (m) {
      if (!fromPanel(s, m[1])) return p.disconnect();
      return attach(p, "panel", `${s.tab.id}:${m[1]}`);
    }
    // Not ours to answer.
  });
})();
