// @ts-check
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
//
// Message kinds, port names, storage keys and the trusted origin come from lib/protocol.js;
// what the Rust Panel may ask of this page is the `PanelHost` interface of the generated
// pkg/runbook_lens.d.ts, which `host` below implements (both checked by `tsc`, see
// extension/tests/types/tsconfig.json).
import "./lib/protocol.js";
import init, { Panel } from "./pkg/runbook_lens.js";

const { Msg, Keys, Ports, NONCE, PD_ORIGIN, RELAY_SCRIPT, isPanelKey } = globalThis.RunbookLensProtocol;
const nonce = location.hash.slice(1);
const root = document.documentElement;

/** @typedef {chrome.runtime.Port} Port */

/** @type {Port | null} the one accepted port */
let port = null;
/** @type {Panel | null} the Rust Panel, once the wasm is ready */
let panel = null;
/** @type {unknown[]} messages that arrived before it was */
const pending = [];
let ready = false; // the panel has applied its settings and what arrived meanwhile

// Asks the content script for the whole state (collapsed, the incident's text) once the panel
// is ready, and again on every new port: a message lost while a port was being replaced (the
// relay's event page restarting, in Firefox) is sent again rather than missed for good.
/** @param {Port | null} p */
function hello(p) {
  if (!ready || p === null) return;
  try {
    p.postMessage(/** @satisfies {ToContent} */ ({ type: Msg.hello }));
  } catch (_) {
    // Closed meanwhile: the next port says hello.
  }
}

/** @param {Port} p */
function trusted(p) {
  const s = p.sender;
  return (
    NONCE.test(nonce) &&
    p.name === Ports.contentPrefix + nonce &&
    s != null &&
    s.id === chrome.runtime.id &&
    s.tab != null &&
    typeof s.tab.id === "number" &&
    (s.frameId === undefined || s.frameId === 0) &&
    // The content script only runs on PagerDuty's web app.
    (s.origin === undefined || PD_ORIGIN.test(s.origin))
  );
}

// Registered before anything is awaited: the content script connects as soon as
// this page has loaded.
chrome.runtime.onConnect.addListener((p) => {
  // Every panel of this extension (one per tab) hears every connect. A port named for
  // another panel is left alone, with no listener: disconnecting it here would close
  // it for the panel it belongs to too (seen in Chromium 156 as a race).
  if (p.name !== Ports.contentPrefix + nonce) return;
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
/** @type {number[]} times of recent reconnections (bounded) */
const relayReconnects = [];

function viaRelay() {
  // Firefox's manifest (`background.scripts`), which Chrome's manifest type does not name.
  const bg = /** @type {{scripts?: string[]} | undefined} */ (chrome.runtime.getManifest().background);
  const scripts = bg?.scripts || [];
  return scripts.some((s) => s === RELAY_SCRIPT || s === chrome.runtime.getURL(RELAY_SCRIPT));
}

function connectRelay() {
  if (!NONCE.test(nonce)) return;
  const p = chrome.runtime.connect({ name: Ports.relayPanelPrefix + nonce });
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

/** @param {unknown} msg a message from the content script (checked here: any shape may come) */
function receive(msg) {
  if (msg === null || typeof msg !== "object") return;
  if (panel === null) {
    pending.push(msg);
    if (pending.length > 32) pending.shift(); // only the latest state matters
    return;
  }
  apply(panel, msg);
}

/** @param {Panel} panel @param {any} msg an object whose fields are checked before use */
function apply(panel, msg) {
  switch (msg.type) {
    case Msg.incident:
      if (typeof msg.url === "string" && typeof msg.text === "string") {
        panel.showIncident(msg.url, msg.text);
      }
      break;
    case Msg.snapshot:
      // The snapshot's first line carries the page's URL.
      if (typeof msg.snapshot === "string") panel.showSnapshot(msg.snapshot);
      break;
    case Msg.none:
      panel.showNone();
      break;
    case Msg.collapsed:
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
/** @param {boolean} collapsed */
function markCollapsed(collapsed) {
  root.classList.toggle("rl-collapsed", collapsed);
}

// What the Rust Panel asks of this page (the `PanelHost` interface it imports): the collapse
// button goes back to the content script; a value the user chose to remember is written to
// this extension's storage; the settings button opens the options page.
/** @type {import("./pkg/runbook_lens.js").PanelHost} */
const host = {
  collapse(collapsed) {
    markCollapsed(collapsed);
    if (port !== null) port.postMessage(/** @satisfies {ToContent} */ ({ type: Msg.collapse, collapsed }));
  },
  saveSettings(settings) {
    chrome.storage.local.set({ [Keys.settings]: settings }).catch(() => {});
  },
  saveChoices(choices) {
    chrome.storage.local.set({ [Keys.choices]: choices }).catch(() => {});
  },
  openOptions() {
    // Through background.js: Firefox has no runtime.openOptionsPage in frames inside pages.
    chrome.runtime.sendMessage(/** @satisfies {ToBackground} */ ({ type: Msg.openOptions })).catch(() => {});
  },
  ruleCaptures(patterns, text) {
    return rules === null ? "" : rules.captures(patterns, text);
  },
};

// Extraction rules run in their own wasm module (pkg/runbook_lens_rules*, the regex engine),
// which the panel's module leaves out for size. It is loaded, once, only when the settings,
// the policy or a stored pack has rules, and before those are handed to the Rust panel, so
// the panel never shows guidance without what its rules read.
/** @type {{captures(patterns: string, text: string): string} | null} */
let rules = null;
/** @type {Promise<void> | null} */
let rulesLoading = null;

/** @returns {Promise<void>} */
function loadRules() {
  if (rulesLoading === null) {
    rulesLoading = (async () => {
      const mod = await import("./pkg/runbook_lens_rules.js");
      await mod.default();
      rules = mod;
    })().catch((e) => {
      // Rules then read nothing; the rest of the panel works as before.
      console.warn("Runbook Lens: the extraction rules module could not load:", e);
    });
  }
  return rulesLoading;
}

/** Whether settings or the policy (JSON text) list an extraction rule. @param {string | undefined} json */
const hasRules = (json) => json !== undefined && /"extract":\s*\[\s*"/.test(json);

/** A stored value as the JSON text the Rust side reads (undefined when nothing is stored). @param {unknown} value */
const asJsonText = (value) => (typeof value === "string" ? value : value === undefined ? undefined : JSON.stringify(value));

// Settings live in storage.local under Keys.settings (JSON text, read by the Rust side, which
// falls back to defaults with a notice when it cannot), the runbooks chosen for alerts under
// Keys.choices (the same way), the organisation's policy in
// storage.managed, each imported pack under `pack:<id>` and each downloaded pack URL under
// `pack-url:<url>` (in the form lib/pack-codec.js writes).
// lib/pack-codec.js: the stored form of packs. Loaded only when there are stored packs to
// read, so the panel's first guidance with the built-in pack does not wait for it.
/** @returns {Promise<{decodePack(stored: string): Promise<Uint8Array>}>} */
async function packCodec() {
  const g = /** @type {any} */ (globalThis);
  if (!g.RunbookLensPackCodec) await import("./lib/pack-codec.js");
  return g.RunbookLensPackCodec;
}

// The policy, once read (undefined until then). Reading storage.managed can take seconds
// (Chromium answers it only once its policy service is up), so the panel never waits for it:
// it shows guidance with the user's settings and applies the policy when it arrives.
/** @type {{[key: string]: unknown} | undefined} */
let managed;

async function readManaged() {
  // storage.managed rejects where no policy applies; that is "no policy".
  managed = await chrome.storage.managed.get(null).catch(() => ({}));
}

// What the last setPacks was given: the pack keys in order and the built-in pack's switch. A
// change of settings or choices alone (Remember, Use, a log-search setup in any tab, the
// policy arriving) leaves the packs as they are: reading and handing over a team's whole site
// again would block this tab, and every other panel sharing its renderer, for no change.
/** @type {string | null} */
let packsLoaded = null;

/** Whether a storage change touches a stored pack. @param {string[]} keys */
const touchesPacks = (keys) => keys.some((k) => k.startsWith(Keys.packPrefix) || k.startsWith(Keys.packUrlPrefix));

/** @param {Panel} panel @param {boolean} [packsChanged] whether a stored pack itself changed */
async function loadSettings(panel, packsChanged = true) {
  /** @type {{[key: string]: unknown}} */
  const local = await chrome.storage.local.get([Keys.settings, Keys.choices]).catch(() => ({}));
  // The runbooks chosen for alerts (JSON text, read by the Rust side like the settings).
  panel.setChoices(asJsonText(local[Keys.choices]));
  const stored = asJsonText(local[Keys.settings]);
  const policy = managed && Object.keys(managed).length ? JSON.stringify(managed) : undefined;
  if (hasRules(stored) || hasRules(policy)) await loadRules();
  const packKeys = panel.setSettings(stored, policy);
  const signature = JSON.stringify([packKeys, panel.builtinPackEnabled()]);
  if (!packsChanged && signature === packsLoaded) return;
  packsLoaded = signature;
  if (packKeys.length || !panel.builtinPackEnabled()) {
    /** @type {{[key: string]: unknown}} */
    const packs = await chrome.storage.local.get(packKeys).catch(() => ({}));
    // In the order of packKeys, as bytes (raw version 4); empty for a pack missing from
    // storage. A stored pack that does not decode is handed over as it is, so the panel names
    // it among the packs left out (an older pack's JSON, as "stored in an older format").
    const codec = await packCodec();
    const bytes = await Promise.all(
      packKeys.map((k) => {
        const stored = packs[k];
        if (typeof stored !== "string") return new Uint8Array(0);
        return codec.decodePack(stored).catch(() => new TextEncoder().encode(stored));
      }),
    );
    panel.setPacks(bytes, panel.builtinPackEnabled());
    // A pack with front matter rules (its pages' meta says so): load them, then hand the
    // packs over again so nothing is shown without what the rules read.
    if (rules === null && panel.packsHaveRules()) {
      await loadRules();
      panel.setPacks(bytes, panel.builtinPackEnabled());
    }
  }
}

async function main() {
  await init();
  const app = document.getElementById("app");
  if (app === null) throw new Error("panel.html has no #app");
  const p = new Panel(app, host);
  panel = p;
  // Listen before reading, so a change made while the first read runs is not missed.
  chrome.storage.onChanged.addListener((changes, area) => {
    const keys = Object.keys(changes);
    if (area === "managed") {
      readManaged().then(() => loadSettings(p, false)).catch(() => {});
    } else if (area === "local" && keys.some(isPanelKey)) {
      loadSettings(p, touchesPacks(keys)).catch(() => {});
    }
  });
  await loadSettings(p).catch(() => {});
  for (const msg of pending.splice(0)) apply(p, msg);
  ready = true;
  hello(port);
  // The policy, when there is one, applies once read; no policy changes nothing.
  readManaged()
    .then(() => (managed && Object.keys(managed).length ? loadSettings(p, false) : undefined))
    .catch(() => {});
}

main().catch((e) => {
  // Shown, not thrown: the user sees why the panel is empty.
  const app = document.getElementById("app");
  const p = document.createElement("p");
  p.setAttribute("data-rl", "status");
  p.setAttribute("role", "alert");
  p.textContent = "Runbook Lens could not start: " + (e && e.message ? e.message : String(e));
  app?.replaceChildren(p);
});
