// Runbook Lens panel page (extension page, shown in an iframe on the incident page).
// Loads the wasm engine and hands the content script's messages to the Rust Panel.
//
// The only way in is an extension port: the content script that created this
// iframe connects with the name `runbook-lens:<nonce>`, the nonce being the random
// fragment of this page's URL. A port with this name that is not from this
// extension's content script in a tab is disconnected; ports named
// for other tabs' panels get no listener at all. There is no `message`
// (postMessage) listener: page scripts cannot feed or read the panel. (In Firefox the
// content script's port reaches the background page instead, which relays it: see
// connectRelay below.)
import init, { Panel } from "./pkg/runbook_lens.js";

const PORT_PREFIX = "runbook-lens:";
const nonce = location.hash.slice(1);
const root = document.documentElement;

let port = null; // the one accepted port
let panel = null; // the Rust Panel, once the wasm is ready
const pending = []; // messages that arrived before it was
let ready = false; // the panel has applied its settings and what arrived meanwhile

// Asks the content script for the whole state (collapsed, the incident's text) once the panel
// is ready, and again on every new port: a message lost while a port was being replaced (the
// relay's event page restarting, in Firefox) is sent again rather than missed for good.
function hello(p) {
  if (!ready || p === null) return;
  try {
    p.postMessage({ type: "hello" });
  } catch (_) {
    // Closed meanwhile: the next port says hello.
  }
}

function trusted(p) {
  const s = p.sender;
  return (
    /^[0-9a-f]{32}$/.test(nonce) &&
    p.name === PORT_PREFIX + nonce &&
    s != null &&
    s.id === chrome.runtime.id &&
    s.tab != null &&
    typeof s.tab.id === "number" &&
    (s.frameId === undefined || s.frameId === 0) &&
    // The content script only runs on PagerDuty's web app.
    (s.origin === undefined || /^https:\/\/[a-z0-9-]+(\.eu)?\.pagerduty\.com$/.test(s.origin))
  );
}

// Registered before anything is awaited: the content script connects as soon as
// this page has loaded.
chrome.runtime.onConnect.addListener((p) => {
  // Every panel of this extension (one per tab) hears every connect. A port named for
  // another panel is left alone, with no listener: disconnecting it here would close
  // it for the panel it belongs to too (seen in Chromium 156 as a race).
  if (p.name !== PORT_PREFIX + nonce) return;
  if (!trusted(p)) {
    p.disconnect();
    return;
  }
  // Our content script reconnecting (its end was closed): the new port replaces the old.
  if (port !== null) port.disconnect();
  port = p;
  p.onMessage.addListener(receive);
  p.onDisconnect.addListener(() => {
    if (port === p) port = null;
  });
  hello(p);
});

// Firefox hands a content script's port to the background page only, never to an
// extension frame inside a web page like this one. Its build (scripts/build-extension.mjs)
// adds firefox/relay.js to the background scripts; then this page opens its own port to
// that relay, which passes on what its content script sends and back. The relay answers
// only ports from this extension's pages and content scripts, paired by tab and nonce.
const RELAY_SCRIPT = "firefox/relay.js";
const relayReconnects = []; // times of recent reconnections (bounded)

function viaRelay() {
  const scripts = chrome.runtime.getManifest().background?.scripts || [];
  return scripts.some((s) => s === RELAY_SCRIPT || s === chrome.runtime.getURL(RELAY_SCRIPT));
}

function connectRelay() {
  if (!/^[0-9a-f]{32}$/.test(nonce)) return;
  const p = chrome.runtime.connect({ name: "runbook-lens-panel:" + nonce });
  port = p;
  p.onMessage.addListener(receive);
  hello(p);
  p.onDisconnect.addListener(() => {
    void chrome.runtime.lastError;
    if (port !== p) return;
    port = null;
    // The relay's event page was unloaded while idle: connect again (a few times a minute).
    const now = Date.now();
    relayReconnects.splice(0, relayReconnects.length, ...relayReconnects.filter((t) => now - t < 60000));
    if (relayReconnects.length < 5) {
      relayReconnects.push(now);
      setTimeout(() => port === null && connectRelay(), 250);
    }
  });
}

if (viaRelay()) connectRelay();

function receive(msg) {
  if (msg === null || typeof msg !== "object") return;
  if (panel === null) {
    pending.push(msg);
    if (pending.length > 32) pending.shift(); // only the latest state matters
    return;
  }
  apply(msg);
}

function apply(msg) {
  switch (msg.type) {
    case "incident":
      if (typeof msg.url === "string" && typeof msg.text === "string") {
        panel.showIncident(msg.url, msg.text);
      }
      break;
    case "none":
      panel.showNone();
      break;
    case "collapsed":
      if (typeof msg.collapsed === "boolean") {
        markCollapsed(msg.collapsed);
        panel.setCollapsed(msg.collapsed);
      }
      break;
    default:
      break;
  }
}

// The iframe is resized by the content script; the CSS needs to know which view to lay out.
function markCollapsed(collapsed) {
  root.classList.toggle("rl-collapsed", collapsed);
}

// The Rust Panel calls this: `collapse` goes back to the content script; `save-settings`
// (a value the user chose to remember) is written to this extension's storage;
// `open-options` opens the options page.
function send(msg) {
  if (msg === null || typeof msg !== "object") return;
  if (msg.type === "collapse" && typeof msg.collapsed === "boolean") {
    markCollapsed(msg.collapsed);
    if (port !== null) port.postMessage({ type: "collapse", collapsed: msg.collapsed });
  } else if (msg.type === "save-settings" && typeof msg.settings === "string") {
    chrome.storage.local.set({ [SETTINGS_KEY]: msg.settings }).catch(() => {});
  } else if (msg.type === "open-options") {
    // Through background.js: Firefox has no runtime.openOptionsPage in frames inside pages.
    chrome.runtime.sendMessage({ type: "open-options" }).catch(() => {});
  }
}

// Settings live in storage.local under SETTINGS_KEY (JSON text, read by the Rust side, which
// falls back to defaults with a notice when it cannot), the organisation's policy in
// storage.managed, each imported pack under `pack:<id>` and each downloaded pack URL under
// `pack-url:<url>` (in the form lib/pack-codec.js writes).
const SETTINGS_KEY = "settings";
// lib/pack-codec.js: the stored form of packs. Loaded only when there are stored packs to
// read, so the panel's first guidance with the built-in pack does not wait for it.
async function packCodec() {
  if (!globalThis.RunbookLensPackCodec) await import("./lib/pack-codec.js");
  return globalThis.RunbookLensPackCodec;
}

// The policy, once read (undefined until then). Reading storage.managed can take seconds
// (Chromium answers it only once its policy service is up), so the panel never waits for it:
// it shows guidance with the user's settings and applies the policy when it arrives.
let managed;

async function readManaged() {
  // storage.managed rejects where no policy applies; that is "no policy".
  managed = await chrome.storage.managed.get(null).catch(() => ({}));
}

async function loadSettings() {
  const local = await chrome.storage.local.get(SETTINGS_KEY).catch(() => ({}));
  const stored = typeof local[SETTINGS_KEY] === "string" ? local[SETTINGS_KEY] : local[SETTINGS_KEY] === undefined ? undefined : JSON.stringify(local[SETTINGS_KEY]);
  const policy = managed && Object.keys(managed).length ? JSON.stringify(managed) : undefined;
  const packKeys = panel.setSettings(stored, policy);
  if (packKeys.length || !panel.builtinPackEnabled()) {
    const packs = await chrome.storage.local.get(packKeys).catch(() => ({}));
    // In the order of packKeys; "" for a pack missing from storage. A stored pack that does
    // not decode is handed over as it is, so the panel names it among the packs left out.
    const codec = await packCodec();
    const texts = await Promise.all(packKeys.map((k) => (typeof packs[k] === "string" ? codec.decodePack(packs[k]).catch(() => packs[k]) : "")));
    panel.setPacks(texts, panel.builtinPackEnabled());
  }
}

async function main() {
  await init();
  panel = new Panel(document.getElementById("app"), send);
  // Listen before reading, so a change made while the first read runs is not missed.
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "managed") {
      readManaged().then(loadSettings).catch(() => {});
    } else if (area === "local" && Object.keys(changes).some((k) => k === SETTINGS_KEY || k.startsWith("pack:") || k.startsWith("pack-url:"))) {
      loadSettings().catch(() => {});
    }
  });
  await loadSettings().catch(() => {});
  for (const msg of pending.splice(0)) apply(msg);
  ready = true;
  hello(port);
  readManaged().then(loadSettings).catch(() => {});
}

main().catch((e) => {
  // Shown, not thrown: the user sees why the panel is empty.
  const app = document.getElementById("app");
  const p = document.createElement("p");
  p.setAttribute("data-rl", "status");
  p.setAttribute("role", "alert");
  p.textContent = "Runbook Lens could not start: " + (e && e.message ? e.message : String(e));
  app.replaceChildren(p);
});
