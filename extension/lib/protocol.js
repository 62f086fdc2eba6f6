// @ts-check
// The extension's protocol, defined once: the messages its scripts send each other, the
// names of their ports, the storage keys they share and the origins they trust. Every other
// script reads these names from here; none writes them as literals.
//
// A classic script (content scripts cannot be ES modules) that sets
// `globalThis.RunbookLensProtocol`; ES modules (panel.js, options.js, background.js,
// lib/pack-urls.js, firefox/relay.js) load it with `import "./lib/protocol.js"` for that side
// effect. The Rust side keeps its copy of the storage keys in one module (src/web_protocol.rs),
// and a test there checks that the two agree.
//
// The protocol is built by a named function rather than an anonymous one so that the type
// checker (extension/tests/types/tsconfig.json) can name its result: its globals.d.ts declares
// `RunbookLensProtocol` as `ReturnType<typeof runbookLensProtocol>`, and so every script's use
// of a message kind or key is checked against this one definition.
"use strict";

// The messages' shapes, for the type check (JSDoc types of this script are global, like the
// object it sets): each script states what it sends with these, so a misspelt field or kind
// is a type error rather than a message the other side ignores.
/**
 * @typedef {ReturnType<typeof runbookLensProtocol>["Msg"]} MsgKinds
 * @typedef {{type: MsgKinds["incident"], url: string, text: string}
 *   | {type: MsgKinds["snapshot"], url: string, snapshot: string}
 *   | {type: MsgKinds["none"]}
 *   | {type: MsgKinds["collapsed"], collapsed: boolean}} ToPanel content script → panel
 * @typedef {{type: MsgKinds["collapse"], collapsed: boolean}
 *   | {type: MsgKinds["hello"]}} ToContent panel → content script (over the same port)
 * @typedef {{type: MsgKinds["toggle"]}} ToTab background → a tab's content script
 * @typedef {{type: MsgKinds["openOptions"]}
 *   | {type: MsgKinds["refreshPackUrls"], force?: boolean}} ToBackground extension pages → background
 */

/** Builds the protocol object (called once, below). */
function runbookLensProtocol() {

  /**
   * Message kinds. Content script → panel: `incident` (the incident's text), `snapshot` (a
   * snapshot of the incident page's DOM as JSON, read by the Rust reader), `none`,
   * `collapsed`. Panel → content
   * script: `collapse`, `hello` (answered with the whole state). Background → content script:
   * `toggle` (the keyboard shortcut). Extension pages → background: `openOptions`,
   * `refreshPackUrls`.
   */
  const Msg = Object.freeze({
    incident: "incident",
    snapshot: "snapshot",
    none: "none",
    collapsed: "collapsed",
    collapse: "collapse",
    hello: "hello",
    toggle: "toggle",
    openOptions: "open-options",
    refreshPackUrls: "refresh-pack-urls",
  });

  /** storage.local keys. */
  const Keys = Object.freeze({
    /** The settings, as JSON text (read by the Rust `Settings`). */
    settings: "settings",
    /** Whether the panel is collapsed (a boolean). */
    collapsed: "runbookLens.collapsed",
    /** The pack URLs' download status: url -> {checked, fetched, pages, error, needs_permission}. */
    packUrlStatus: "pack-url-status",
    /** Prefix of an imported pack's key: `pack:<id>`. */
    packPrefix: "pack:",
    /** Prefix of a downloaded pack URL's key: `pack-url:<url>`. */
    packUrlPrefix: "pack-url:",
    /** The runbooks the user chose for alerts, as JSON text: [{alert, runbook}] (read by the Rust `Choice`). */
    choices: "choices",
  });

  /** @param {string} id @returns {string} the storage key of the imported pack `id` */
  function packKey(id) {
    return Keys.packPrefix + id;
  }

  /** @param {string} url @returns {string} the storage key of the pack downloaded from `url` */
  function packUrlKey(url) {
    return Keys.packUrlPrefix + url;
  }

  /** @param {string} key @returns {boolean} whether a change to `key` concerns the panel */
  function isPanelKey(key) {
    return key === Keys.settings || key === Keys.choices || key.startsWith(Keys.packPrefix) || key.startsWith(Keys.packUrlPrefix);
  }

  /** A panel's nonce: the random fragment of its URL (32 hex digits). */
  const NONCE = /^[0-9a-f]{32}$/;

  const Ports = Object.freeze({
    /** The content script's port to its panel: `runbook-lens:<nonce>`. */
    contentPrefix: "runbook-lens:",
    /** Firefox only: the panel's port to the background relay: `runbook-lens-panel:<nonce>`. */
    relayPanelPrefix: "runbook-lens-panel:",
  });

  /** @param {string} name @param {string} prefix @returns {string | null} the nonce of a port named `prefix + nonce` */
  function portNonce(name, prefix) {
    if (typeof name !== "string" || !name.startsWith(prefix)) return null;
    const nonce = name.slice(prefix.length);
    return NONCE.test(nonce) ? nonce : null;
  }

  /** The only origins the content script runs on: PagerDuty's web app (also its EU region). */
  const PD_ORIGIN = /^https:\/\/[a-z0-9-]+(\.eu)?\.pagerduty\.com$/;

  /** The background's alarm that checks pack URLs for downloads that are due. */
  const PACK_URL_ALARM = "runbook-lens-pack-urls";

  /** The keyboard command (manifest `commands`) that toggles the panel. */
  const TOGGLE_COMMAND = "toggle-panel";

  /** The script the Firefox build adds to the background to relay ports (see firefox/relay.js). */
  const RELAY_SCRIPT = "firefox/relay.js";

  return Object.freeze({
    Msg,
    Keys,
    Ports,
    NONCE,
    PD_ORIGIN,
    PACK_URL_ALARM,
    TOGGLE_COMMAND,
    RELAY_SCRIPT,
    packKey,
    packUrlKey,
    isPanelKey,
    portNonce,
  });
}

globalThis.RunbookLensProtocol = runbookLensProtocol();
