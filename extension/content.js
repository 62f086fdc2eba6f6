// @ts-check
// Runbook Lens content script: finds PagerDuty incident pages, reads the incident's
// text and hands it to the panel (an extension page in an iframe inside a closed
// shadow root). Plain JS, no framework, never innerHTML.
//
// Messaging: no window.postMessage. Once the panel iframe has loaded, this script
// opens an extension port named `runbook-lens:<nonce>`; the panel accepts only the
// port carrying the random nonce it was given in its URL fragment, from this
// extension. Page scripts can neither reach that port nor read the panel. This script sends
// `collapsed`, `incident` (the incident's text), `snapshot` (on pages laid out as PagerDuty's
// incident page, a snapshot of the page the Rust reader reads) and `none`; the panel sends
// `collapse` and, when it is ready or has a new port, `hello`, answered with the whole state
// again.
//
// Runs after lib/pd-page.js (RunbookLensPage) and lib/protocol.js (RunbookLensProtocol: the
// message kinds, the port's name and the collapsed flag's storage key) in the same isolated
// world.
(() => {
  "use strict";
  const Page = globalThis.RunbookLensPage;
  const Protocol = globalThis.RunbookLensProtocol;
  if (!Page || !Protocol || globalThis.__runbookLensContent) return;
  globalThis.__runbookLensContent = true;
  const { Msg, Keys, Ports } = Protocol;

  const POLL_MS = 500; // location.href check (SPA navigation from the page's world)
  const DEBOUNCE_MS = 250; // quiet time after DOM mutations before re-reading the text
  const MAX_WAIT_MS = 1000; // ...but re-read at least this often on a page that never rests
  const SETTLE_MS = 4000; // how long a fresh incident may show no alert content before we say so

  const PANEL_WIDTH = "min(380px, 100vw)"; // the open panel's width (HOST_CSS's iframe)
  // How often the panel may be put back on top (see keepOnTop) within RAISE_WINDOW_MS: a page
  // that keeps hiding or covering it gets this many answers, not an endless fight.
  const RAISE_BUDGET = 20;
  const RAISE_WINDOW_MS = 10000;

  // The host is a manual popover shown in the top layer, above everything the page draws
  // whatever its z-index, and outside the page root's clip-path, opacity or transform. The
  // host itself is a zero-size fixed box (no popover border, padding or background), the
  // iframe inside places itself. `!important` in the shadow's :host beats the page's own
  // `!important` rules and inline style for this element.
  const HOST_CSS = `
    :host {
      all: initial !important;
      display: block !important; position: fixed !important;
      inset: 0 0 auto auto !important; width: 0 !important; height: 0 !important;
      margin: 0 !important; padding: 0 !important; border: 0 !important;
      overflow: visible !important; background: none !important;
      visibility: visible !important; opacity: 1 !important;
    }
    iframe {
      all: initial;
      position: fixed; top: 0; right: 0; z-index: 2147483646;
      display: block; box-sizing: border-box;
      width: ${PANEL_WIDTH}; height: 100vh; margin: 0; padding: 0;
      border: 0; border-left: 1px solid rgba(127, 127, 127, 0.35);
      box-shadow: -4px 0 16px rgba(0, 0, 0, 0.18);
      background: transparent; color-scheme: normal;
    }
    iframe.collapsed {
      top: 58vh; width: 28px; height: 120px;
      border: 1px solid rgba(127, 127, 127, 0.45); border-right: 0;
      border-radius: 8px 0 0 8px; box-shadow: -2px 2px 8px rgba(0, 0, 0, 0.22);
    }
    iframe.hidden { display: none; }
  `;

  /**
   * @type {{
   *   href: string, incident: boolean, arrivedAt: number, collapsed: boolean,
   *   host: HTMLElement | null, frame: HTMLIFrameElement | null, nonce: string,
   *   port: chrome.runtime.Port | null, reconnects: number[],
   *   lastSent: {url: string, text: string, fp: string} | null,
   *   timer: number, firstPending: number, readFrame: number, lastRead: number,
   *   observer: MutationObserver | null, observed: HTMLElement | null, poll: number,
   *   narrowed: {value: string, priority: string, hadStyle: boolean} | null,
   *   raised: number[], hostObserver: MutationObserver | null,
   * }}
   */
  const state = {
    href: "",
    incident: false,
    arrivedAt: 0,
    collapsed: false,
    host: null,
    frame: null,
    nonce: "",
    port: null,
    reconnects: [], // times of recent reconnections (bounded)
    lastSent: null, // {url, text, fp} last handed to the panel
    timer: 0,
    firstPending: 0, // when the pending re-read was first asked for (max wait)
    readFrame: 0, // a read scheduled for the next animation frame (see onMutation)
    lastRead: 0, // when the text was last read
    observer: null,
    observed: null,
    poll: 0,
    narrowed: null, // the page root's own margin-right while we narrow it (see narrowPage)
    raised: [], // times the panel was put back on top recently (bounded, see keepOnTop)
    hostObserver: null, // watches the host's attributes and place (see keepOnTop)
  };

  function alive() {
    try {
      return Boolean(chrome.runtime && chrome.runtime.id);
    } catch (_) {
      return false;
    }
  }

  // The extension was reloaded or removed: this copy of the script is orphaned.
  function teardown() {
    clearInterval(state.poll);
    clearTimeout(state.timer);
    if (state.observer) state.observer.disconnect();
    if (state.hostObserver) state.hostObserver.disconnect();
    state.hostObserver = null;
    if (state.host) state.host.remove();
    state.host = state.frame = state.port = null;
    narrowPage(false);
  }

  // ---------------------------------------------------------------- panel --

  function randomNonce() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** @param {ShadowRoot} shadow */
  function hostStyles(shadow) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(HOST_CSS);
      shadow.adoptedStyleSheets = [sheet];
    } catch (_) {
      // Constructable stylesheets are not subject to the page's style-src CSP;
      // a <style> element is the fallback for browsers without them.
      const style = document.createElement("style");
      style.textContent = HOST_CSS;
      shadow.appendChild(style);
    }
  }

  /** @param {HTMLElement} host @returns {boolean} whether it is shown in the top layer */
  function onTop(host) {
    try {
      return host.getAttribute("popover") === "manual" && host.matches(":popover-open");
    } catch (_) {
      return false; // no :popover-open in this browser
    }
  }

  // Puts the host back in its place (a child of the page's root) and on top of the top layer,
  // at most RAISE_BUDGET times per RAISE_WINDOW_MS. Hiding and showing again moves it above
  // what the page has put in the top layer since (its own popovers and modal dialogs).
  /** @param {boolean} [again] raise it even if it is shown (something else opened above) */
  function keepOnTop(again = false) {
    const host = state.host;
    const root = document.documentElement;
    if (!host || !root || typeof host.showPopover !== "function") return;
    const placed = host.parentNode === root;
    if (placed && onTop(host) && !again) return;
    const now = Date.now();
    state.raised = state.raised.filter((t) => now - t < RAISE_WINDOW_MS);
    if (state.raised.length >= RAISE_BUDGET) return;
    state.raised.push(now);
    try {
      if (!placed) root.appendChild(host);
      if (host.getAttribute("popover") !== "manual") host.setAttribute("popover", "manual");
      if (host.matches(":popover-open")) host.hidePopover();
      host.showPopover();
    } catch (_) {
      // Not shown (the page made its root display: none, say): the next change tries again.
    }
    watchHost();
  }

  // Whether something else is what a click inside the shown panel would reach: the page's own
  // top-layer element opened after ours whose `toggle` event the page kept from us (a capturing
  // listener on window runs first and may stop it), or fullscreen. Read at every location poll:
  // one hit test. In this isolated world, elementFromPoint is the browser's own (a page cannot
  // replace it here) and returns our host for a point over the panel (the shadow root is
  // closed).
  function covered() {
    const frame = state.frame;
    if (!frame || !state.host || frame.classList.contains("hidden")) return false;
    const r = frame.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 40));
    return hit !== null && hit !== state.host;
  }

  // What the page does to the host (attributes, removal, moving it) is answered at once
  // rather than at the next location poll.
  function watchHost() {
    const host = state.host;
    const root = document.documentElement;
    if (!host || !root || typeof MutationObserver !== "function") return;
    if (!state.hostObserver) state.hostObserver = new MutationObserver(() => keepOnTop());
    state.hostObserver.disconnect();
    state.hostObserver.observe(host, { attributes: true });
    state.hostObserver.observe(root, { childList: true });
  }

  function ensurePanel() {
    if (state.host) {
      if (!state.host.isConnected) document.documentElement.appendChild(state.host);
      keepOnTop();
      return;
    }
    const host = document.createElement("div");
    host.setAttribute("data-runbook-lens", "");
    const shadow = host.attachShadow({ mode: "closed" });
    hostStyles(shadow);
    const frame = document.createElement("iframe");
    state.nonce = randomNonce();
    frame.src = chrome.runtime.getURL("panel.html#" + state.nonce);
    frame.title = "Runbook Lens";
    // The panel may write to the clipboard. `src` alone would name the origin of that URL,
    // which in Chromium is the session's dynamic one (web_accessible_resources
    // `use_dynamic_url`), redirected to the extension's own origin where the panel then
    // runs: so the extension's own origin is named as well.
    frame.setAttribute("allow", `clipboard-write 'src' ${new URL(chrome.runtime.getURL("")).origin}`);
    frame.className = state.collapsed ? "collapsed" : "";
    frame.addEventListener("load", connect);
    shadow.appendChild(frame);
    state.host = host;
    state.frame = frame;
    // Outside <body>: the page's layout, its CSS and its DOM updates never touch it.
    document.documentElement.appendChild(host);
    host.setAttribute("popover", "manual");
    // Hidden by the page (hidePopover): shown again once the event has settled.
    host.addEventListener("toggle", () => setTimeout(() => keepOnTop(), 0));
    keepOnTop();
  }

  /** @param {boolean} show */
  function showPanel(show) {
    if (state.frame) state.frame.classList.toggle("hidden", !show);
    narrowPage(show && !state.collapsed);
  }

  // While the panel is open, the page is narrowed by its width (a margin on the page's root),
  // so that PagerDuty's own controls (its right column: responders, notes, the priority and
  // status box) stay beside the panel rather than under it. Collapsing the panel, or leaving
  // the incident, restores the root's style exactly as the page had it.
  /** @param {boolean} narrow */
  function narrowPage(narrow) {
    const root = document.documentElement;
    const style = root.style;
    if (narrow && !state.narrowed) {
      state.narrowed = { value: style.getPropertyValue("margin-right"), priority: style.getPropertyPriority("margin-right"), hadStyle: root.hasAttribute("style") };
      style.setProperty("margin-right", PANEL_WIDTH, "important");
    } else if (!narrow && state.narrowed) {
      const { value, priority, hadStyle } = state.narrowed;
      state.narrowed = null;
      if (value) style.setProperty("margin-right", value, priority);
      else style.removeProperty("margin-right");
      if (!hadStyle && !style.cssText) root.removeAttribute("style");
    }
  }

  /** @param {boolean} collapsed @param {{store?: boolean, tellPanel?: boolean}} [how] */
  function applyCollapsed(collapsed, { store = true, tellPanel = true } = {}) {
    state.collapsed = collapsed;
    if (state.frame) state.frame.classList.toggle("collapsed", collapsed);
    narrowPage(!collapsed && state.frame !== null && !state.frame.classList.contains("hidden"));
    if (tellPanel) post({ type: Msg.collapsed, collapsed });
    if (store) chrome.storage.local.set({ [Keys.collapsed]: collapsed }).catch(() => {});
  }

  // ------------------------------------------------------------ messaging --

  function connect() {
    if (!alive()) return teardown();
    if (state.port) {
      try {
        state.port.disconnect();
      } catch (_) {}
    }
    let port;
    try {
      port = chrome.runtime.connect({ name: Ports.contentPrefix + state.nonce });
    } catch (_) {
      return teardown();
    }
    state.port = port;
    port.onMessage.addListener((msg) => {
      if (msg && msg.type === Msg.collapse && typeof msg.collapsed === "boolean") {
        applyCollapsed(msg.collapsed, { tellPanel: false });
      } else if (msg && msg.type === Msg.hello) {
        // The panel is ready (or has a new port): it may have missed what was sent before.
        sendState();
      }
    });
    port.onDisconnect.addListener(() => {
      void chrome.runtime.lastError;
      if (state.port !== port) return;
      state.port = null;
      // Closed under us while the panel is still there: connect again (a few times).
      const now = Date.now();
      state.reconnects = state.reconnects.filter((t) => now - t < 60000);
      if (state.frame && state.frame.isConnected && state.reconnects.length < 5) {
        state.reconnects.push(now);
        setTimeout(() => {
          if (!state.port && state.frame && state.frame.isConnected) connect();
        }, 250);
      }
    });
    // A (re)loaded panel knows nothing yet: give it the state and the incident.
    sendState();
  }

  // Everything the panel shows: collapsed or not, and the incident's text (or none).
  function sendState() {
    post({ type: Msg.collapsed, collapsed: state.collapsed });
    state.lastSent = null;
    if (state.incident) update(true);
    else post({ type: Msg.none });
  }

  /** @param {ToPanel} msg @returns {boolean} whether it was sent */
  function post(msg) {
    if (!state.port) return false;
    try {
      state.port.postMessage(msg);
      return true;
    } catch (_) {
      state.port = null;
      return false;
    }
  }

  // --------------------------------------------------------------- reading --

  // A DOM change after a quiet spell is read at the next frame: it is usually the news (the
  // alert appearing, the next incident swapped in), and the engineer should not wait a
  // debounce for it. Changes during a burst wait for quiet as below, so a busy page costs at
  // most one read per frame at the start of a burst and one at its end.
  function onMutation() {
    const now = Date.now();
    // A new URL (SPA navigation to the next incident) is always news, whatever else the page
    // changed in the last moments (a ticking "7m ago" would otherwise hold it back).
    const newUrl = !state.lastSent || state.lastSent.url !== location.href;
    if (!state.readFrame && (newUrl || now - state.lastRead > DEBOUNCE_MS)) {
      state.readFrame = requestAnimationFrame(() => {
        state.readFrame = 0;
        state.lastRead = Date.now();
        update(false);
      });
      return;
    }
    schedule();
  }

  function schedule(delay = DEBOUNCE_MS) {
    const now = Date.now();
    if (!state.firstPending) state.firstPending = now;
    const wait = Math.max(0, Math.min(delay, state.firstPending + MAX_WAIT_MS - now));
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.firstPending = 0;
      state.lastRead = Date.now();
      update(false);
    }, wait);
  }

  // Reads the incident and hands it to the panel when it changed.
  /** @param {boolean} [force] */
  function update(force) {
    if (!state.incident) return;
    if (!alive()) return teardown();
    const url = location.href;
    if (Page.knownLayout(document, url)) {
      // The page PagerDuty lays out: the panel's Rust reader decides what the incident's
      // title and alerts are. Its header is there, so there is nothing to wait for; the panel
      // re-renders only when what it reads changed.
      const snapshot = Page.encodeSnapshot(Page.snapshot(document, state.host));
      const last = state.lastSent;
      if (!force && last && last.url === url && last.text === snapshot) return;
      if (post({ type: Msg.snapshot, url, snapshot })) state.lastSent = { url, text: snapshot, fp: "" };
      return;
    }
    const text = Page.extractIncidentText(document, state.host);
    const settling = Date.now() - state.arrivedAt < SETTLE_MS;
    if (Page.alertSignals(text) === 0 && settling) {
      // The incident is still rendering: the panel says it is waiting for the alert
      // (empty text), and we wait for the content (or the settle time).
      const last = state.lastSent;
      if (!last || last.url !== url || last.text !== "" || force) {
        if (post({ type: Msg.incident, url, text: "" })) state.lastSent = { url, text: "", fp: "" };
      }
      clearTimeout(state.timer);
      state.firstPending = 0;
      state.timer = setTimeout(() => update(false), SETTLE_MS - (Date.now() - state.arrivedAt));
      return;
    }
    // Only a change of the alerts is news: re-rendering the panel for a ticking
    // "7m 12s ago" would throw away what the user is typing into it.
    const fp = Page.fingerprint(text);
    const last = state.lastSent;
    if (!force && last && last.url === url && (last.text === text || (fp !== "" && last.fp === fp))) return;
    if (post({ type: Msg.incident, url, text })) state.lastSent = { url, text, fp };
  }

  function observe() {
    const body = document.body;
    if (!body || state.observed === body) return;
    if (!state.observer) state.observer = new MutationObserver(onMutation);
    state.observer.disconnect();
    state.observer.observe(body, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["open", "hidden", "class", "style", "aria-expanded"] });
    state.observed = body;
  }

  function stopObserving() {
    if (state.observer) state.observer.disconnect();
    state.observed = null;
    if (state.readFrame) cancelAnimationFrame(state.readFrame);
    state.readFrame = 0;
    clearTimeout(state.timer);
    state.firstPending = 0;
  }

  // ------------------------------------------------------------ navigation --

  function onLocation() {
    if (!alive()) return teardown();
    const href = location.href;
    if (href === state.href) {
      if (state.incident) {
        ensurePanel(); // the page may have thrown our host away
        if (covered()) keepOnTop(true); // or covered it
        observe(); // or replaced <body>
      }
      return;
    }
    const wasIncident = state.incident;
    const before = state.href;
    state.href = href;
    state.incident = Page.isIncidentUrl(href);
    // Says, in the content script's own console (page scripts cannot read it), that this page
    // was looked at and gets no panel: the tests wait for this instead of for time to pass.
    if (!state.incident) console.debug(`Runbook Lens: not an incident page: ${href}`);
    if (state.incident) {
      const sameIncident = wasIncident && Page.incidentId(before) === Page.incidentId(href);
      if (!sameIncident) state.arrivedAt = Date.now();
      ensurePanel();
      showPanel(true);
      observe();
      // Give a single-page app a moment to swap the content of the new incident in.
      schedule(sameIncident ? DEBOUNCE_MS : 300);
    } else if (wasIncident) {
      stopObserving();
      showPanel(false);
      state.lastSent = null;
      post({ type: Msg.none });
    }
  }

  /** @param {boolean} collapsed */
  function start(collapsed) {
    state.collapsed = collapsed;
    // Something of the page's opened in the top layer (a popover, a dialog): ours goes above
    // it again. `toggle` does not bubble; a capturing listener sees it anyway.
    document.addEventListener(
      "toggle",
      (e) => {
        if (state.host && e.target !== state.host && /** @type {any} */ (e).newState === "open") keepOnTop(true);
      },
      true,
    );
    onLocation();
    state.poll = setInterval(onLocation, POLL_MS);
    addEventListener("popstate", onLocation);
    addEventListener("hashchange", onLocation);
    chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
      // Only our own service worker (keyboard shortcut) talks to us this way.
      if (!sender || sender.id !== chrome.runtime.id || sender.tab) return;
      if (msg && msg.type === Msg.toggle && state.incident && state.frame) {
        applyCollapsed(!state.collapsed);
        sendResponse({ collapsed: state.collapsed });
      } else {
        sendResponse({ collapsed: null });
      }
    });
    chrome.storage.onChanged.addListener((changes, area) => {
      // Collapsed or expanded in another tab: follow, without writing it back.
      const c = area === "local" && changes[Keys.collapsed];
      if (c && typeof c.newValue === "boolean" && c.newValue !== state.collapsed) {
        applyCollapsed(c.newValue, { store: false });
      }
    });
  }

  chrome.storage.local
    .get(Keys.collapsed)
    .then((v) => start(v[Keys.collapsed] === true))
    .catch(() => start(false));
})();
