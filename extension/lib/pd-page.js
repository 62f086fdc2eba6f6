// @ts-check
// Runbook Lens: what the content script knows about PagerDuty pages.
//
// A classic script (content scripts cannot be ES modules): it defines
// `RunbookLensPage` in the content script's isolated world, and exports the same
// object through `module.exports` so that node's test runner can unit-test it.
//
//  - isIncidentUrl(url):  is this an incident page (`/incidents/<ID>`, or an alert's page
//    `/alerts/<ID>`, on an account host `<account>.pagerduty.com` or
//    `<account>.eu.pagerduty.com`)?
//  - knownLayout(document, url) and snapshot(document, exclude): on pages laid out as
//    PagerDuty's incident page (its `incidentHeader`), or on an alert's page, a compact
//    snapshot of the shown DOM, which the Rust reader (src/page/) reads in the panel.
//  - extractIncidentText(document): the text of the incident, layout-independent:
//    the incident title plus the stable hooks (`data-testid`s about alerts and the
//    incident, <details>, <pre>, tables, definition lists) when they hold the
//    alert content the page shows, else the whole incident's text.
//  - the pure helpers below (normalizeText, capText, alertSignals, chooseText),
//    unit-tested in node.
//
// Type-checked (`// @ts-check`, extension/tests/types/tsconfig.json): the object it sets must
// match `RunbookLensPage` as content.js's type check knows it (tests/types/globals.d.ts).
/** @param {typeof globalThis} global */
(function (global) {
  "use strict";

  /**
   * The most text handed to the panel. The engine reads the first 256 KiB and says so when
   * there was more, so this only bounds what a huge page costs to send.
   */
  const MAX_TEXT = 1024 * 1024;

  // Sub-domains of pagerduty.com that are not accounts: no incident pages there.
  const NOT_ACCOUNTS = new Set(["status", "www", "api", "events", "eu", "us", "app", "developer", "support", "community"]);
  // `/incidents/<word>` paths that are views, not incident IDs.
  const NOT_IDS = new Set(["new", "create", "list", "all", "mine", "search", "dashboard", "analytics", "bulk", "settings", "export"]);
  const ACCOUNT = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  const INCIDENT_PATH = /^\/(?:incidents|alerts)\/([A-Za-z0-9]{1,64})\/?$/;
  const ALERT_PATH = /^\/alerts\/[A-Za-z0-9]{1,64}\/?$/;

  /**
   * The incident (or alert) ID of `url` when it is a PagerDuty incident (or alert) page, else
   * null.
   * @param {string | URL} url
   * @returns {string | null}
   */
  function incidentId(url) {
    let u;
    try {
      u = url instanceof URL ? url : new URL(String(url));
    } catch (_) {
      return null;
    }
    if (u.protocol !== "https:") return null;
    const host = u.hostname.toLowerCase();
    const labels = host.split(".");
    // <account>.pagerduty.com or <account>.eu.pagerduty.com
    let account;
    if (labels.length === 3 && labels[1] === "pagerduty" && labels[2] === "com") {
      account = labels[0];
    } else if (labels.length === 4 && labels[1] === "eu" && labels[2] === "pagerduty" && labels[3] === "com") {
      account = labels[0];
    } else {
      return null;
    }
    if (!ACCOUNT.test(account) || NOT_ACCOUNTS.has(account)) return null;
    const m = INCIDENT_PATH.exec(u.pathname);
    if (!m || NOT_IDS.has(m[1].toLowerCase())) return null;
    return m[1];
  }

  /** True when `url` is a PagerDuty incident page. @param {string | URL} url */
  function isIncidentUrl(url) {
    return incidentId(url) !== null;
  }

  /** Line endings, no-break spaces, trailing blanks and runs of blank lines cleaned up. @param {string} text */
  function normalizeText(text) {
    return String(text)
      .replace(/\r\n?/g, "\n")
      .replace(/[\u00a0\u202f]/g, " ")
      .replace(/[\u200b\u200e\u200f\ufeff]/g, "")
      .split("\n")
      .map((l) => l.replace(/[ \f\v]+$/, ""))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  }

  /** `text` cut to at most `max` characters, at a line end when there is one. @param {string} text */
  function capText(text, max = MAX_TEXT) {
    if (text.length <= max) return text;
    const cut = text.lastIndexOf("\n", max);
    return text.slice(0, cut > max / 2 ? cut : max);
  }

  // Lines that carry alert content in the formats the engine reads.
  const SIGNALS = [
    /^#\d+\s+[\w-]+(?:\.[\w-]+){3,}\s*$/, // Armada PD title
    /^(?:[-*•+]\s+)?[A-Za-z_][\w./-]{0,63}\s*=\s*\S/, // - key = value
    /^[A-Za-z_][\w ./-]{0,63}\t+\S/, // key<TAB>value (tables)
    /^"[A-Za-z_][\w./-]{0,63}"\s*:\s*\S/, // "key": value (JSON)
    /^(?:labels|annotations|custom details|details|common labels|common annotations):$/i,
    /^(?:[-*•+]\s+)?[a-z][a-z0-9]*(?:[_.][a-z0-9]+)+\s*:\s+\S/, // snake_case: value
    // The titles the engine matches on by themselves (src/alert/title.rs): without them a page
    // that shows only its title (details collapsed, or an alert without a body) looked like an
    // incident still rendering, and the content script held the title back for SETTLE_MS.
    /^(?:#\d+:?\s+)?\[(?:firing|resolved)(?::\d+)?\]\s+[\w./-]*[A-Za-z][\w./-]*/i, // Alertmanager: [FIRING:1] Name (…)
    /^(?:#\d+:?\s+)?[\w-]+\.[\w]*-[\w-]*(?:\.[\w/-]+)+\.[a-z]{2}-[a-z]{2,}\d*$/, // Armada PD title, no number, ending in a region
  ];

  /** How many lines of `text` look like alert content (fields, titles, headers). @param {string} text */
  function alertSignals(text) {
    let n = 0;
    for (const raw of String(text).split("\n")) {
      const line = raw.trim();
      if (line && SIGNALS.some((re) => re.test(line))) n++;
    }
    return n;
  }

  /**
   * The alert-bearing lines of `text`, joined: two texts with the same fingerprint
   * show the same alerts (a ticking "7m 12s ago" or a re-rendered button does not
   * count as a change). Empty when no line looks like alert content.
   */
  /** @param {string} text */
  function fingerprint(text) {
    const out = [];
    for (const raw of String(text).split("\n")) {
      const line = raw.trim();
      if (line && SIGNALS.some((re) => re.test(line))) out.push(line);
    }
    return out.join("\n");
  }

  /**
   * `text` without the repeats of a PD title line: PagerDuty shows the incident's
   * title above its alerts and again as the first alert's summary; read twice, with
   * page metadata (`Priority: P2`) in between, it would look like two alerts.
   */
  /** @param {string} text */
  function dropRepeatedTitles(text) {
    const seen = new Set();
    return String(text)
      .split("\n")
      .filter((raw) => {
        const line = raw.trim();
        if (!SIGNALS[0].test(line)) return true;
        if (seen.has(line)) return false;
        seen.add(line);
        return true;
      })
      .join("\n");
  }

  /**
   * The text to explain: `title` and the hook sections when they show (nearly) all
   * the alert content the whole incident shows, else the whole incident's text.
   * @param {{title?: string, hooks?: string[], whole?: string, titleInWhole?: boolean}} parts
   */
  function chooseText({ title = "", hooks = [], whole = "", titleInWhole = true }) {
    const hookText = normalizeText([title, ...hooks].filter((t) => t && t.trim()).join("\n\n"));
    let wholeText = normalizeText(whole);
    if (title && !titleInWhole) wholeText = normalizeText(title + "\n\n" + wholeText);
    const inHooks = alertSignals(hookText);
    const inWhole = alertSignals(wholeText);
    const useHooks = hooks.length > 0 && inHooks > 0 && inHooks >= 0.8 * inWhole;
    return capText(normalizeText(dropRepeatedTitles(useHooks ? hookText : wholeText)));
  }

  // ------------------------------------------------------------------ DOM --

  // Stable hooks that hold alert content, whatever the CSS class names are.
  const HOOKS = [
    '[data-testid*="alert" i]',
    '[data-testid*="incident" i]',
    '[data-testid*="detail" i]',
    "details",
    "pre",
    "table",
    "dl",
  ].join(",");
  // Page chrome that never holds the incident: left out of the text.
  // (Not [aria-hidden]: modal libraries put it on the whole app while a dialog is open.)
  const SKIP = 'nav, [role="navigation"], [role="banner"], script, style, noscript, template';
  // The PD title as the engine reads it, on a line of its own.
  const TITLE = /^#\d+\s+\S+\.\S+/;

  /** @param {Element} el */
  function rendered(el) {
    if (typeof el.checkVisibility === "function") return el.checkVisibility();
    return el.getClientRects().length > 0;
  }

  /**
   * Text of `el` as shown (innerText), leaving out SKIP subtrees and `exclude` (our host).
   * @param {HTMLElement} el
   * @param {Element | null | undefined} exclude
   * @returns {string}
   */
  function shownText(el, exclude) {
    if (el.localName === "dl") return dlText(el);
    if (!el.querySelector(SKIP + ", dl") && !(exclude && el.contains(exclude))) return textOf(el);
    if (el.localName === "details" && !(/** @type {HTMLDetailsElement} */ (el).open)) return textOf(el);
    /** @type {string[]} */
    const parts = [];
    for (const child of el.childNodes) {
      if (child.nodeType === 3) {
        const t = (child.nodeValue || "").replace(/\s+/g, " ").trim();
        if (t) parts.push(t);
      } else if (child.nodeType === 1) {
        const e = /** @type {HTMLElement} */ (child);
        if (e === exclude || e.matches(SKIP) || !rendered(e)) continue;
        const t = shownText(e, exclude);
        if (t) parts.push(t);
      }
    }
    return parts.join("\n");
  }

  /**
   * A definition list as `term<TAB>definition` lines, the way a table's rows read
   * (innerText would put the term and its value on separate lines).
   * @param {Element} dl
   */
  function dlText(dl) {
    /** @type {string[]} */
    const lines = [];
    /** @type {string | null} */
    let term = null;
    /** @type {HTMLElement[]} */
    const items = [];
    for (const c of dl.children) {
      // HTML allows <div> wrappers around dt/dd groups.
      if (c.localName === "div") items.push(.../** @type {HTMLCollectionOf<HTMLElement>} */ (c.children));
      else items.push(/** @type {HTMLElement} */ (c));
    }
    for (const item of items) {
      if (!rendered(item)) continue;
      const t = (item.innerText || "").replace(/\s*\n\s*/g, " ").trim();
      if (item.localName === "dt") {
        if (term !== null) lines.push(term);
        term = t;
      } else if (item.localName === "dd") {
        if (term !== null) {
          lines.push(t ? term + "\t" + t : term);
          term = null;
        } else if (t && lines.length) {
          lines[lines.length - 1] += " " + t; // a second <dd> of the same term
        } else if (t) {
          lines.push(t);
        }
      }
    }
    if (term !== null) lines.push(term);
    return lines.join("\n");
  }

  /** innerText, plus the content of a closed <details> (alert details often start folded). @param {HTMLElement} el */
  function textOf(el) {
    if (el.localName === "details" && !(/** @type {HTMLDetailsElement} */ (el).open)) {
      // A closed <details> does not render its content, so innerText leaves it out.
      return Array.from(el.children, (c) => (c.localName === "summary" ? /** @type {HTMLElement} */ (c).innerText : unrenderedText(c))).join("\n");
    }
    return el.innerText || "";
  }

  const BLOCK = /^(address|article|aside|blockquote|dd|details|dialog|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|table|tbody|thead|tfoot|tr|ul)$/;

  /** innerText's line and cell structure for content that is not rendered. @param {Node} node */
  function unrenderedText(node) {
    let out = "";
    /** @param {Node} node @param {boolean} inPre */
    const walk = (node, inPre) => {
      if (node.nodeType === 3) {
        const v = node.nodeValue || "";
        out += inPre ? v : v.replace(/\s+/g, " ");
        return;
      }
      const n = /** @type {Element} */ (node);
      if (n.nodeType !== 1 || /^(script|style|template|noscript)$/.test(n.localName)) return;
      const tag = n.localName;
      if (tag === "br") {
        out += "\n";
        return;
      }
      const block = BLOCK.test(tag);
      const prev = n.previousElementSibling;
      if (tag === "dd" && prev && prev.localName === "dt") {
        // term<TAB>definition, like dlText()
        out = out.replace(/\n$/, "") + "\t";
      } else if (block && out && !out.endsWith("\n")) out += "\n";
      if ((tag === "td" || tag === "th") && n.previousElementSibling) out += "\t";
      for (const c of n.childNodes) walk(c, inPre || tag === "pre");
      if (block && !out.endsWith("\n")) out += "\n";
    };
    walk(node, false);
    return out
      .split("\n")
      .map((l) => l.replace(/^ +| +$/g, ""))
      .join("\n")
      .trim();
  }

  /** The incident's part of the page: main content (and open dialogs), else body. @param {Document} doc */
  function incidentRoots(doc) {
    const main = doc.querySelector('main, [role="main"]');
    /** @type {HTMLElement[]} */
    const roots = main ? [/** @type {HTMLElement} */ (main)] : [doc.body || doc.documentElement];
    for (const d of /** @type {NodeListOf<HTMLElement>} */ (doc.querySelectorAll('dialog[open], [role="dialog"], [aria-modal="true"]'))) {
      if (!roots.some((r) => r.contains(d)) && rendered(d)) roots.push(d);
    }
    return roots;
  }

  /**
   * The incident title element: a heading that reads like a PD title, else the first h1.
   * @param {Document} doc
   * @param {Element | null | undefined} exclude
   */
  function titleElement(doc, exclude) {
    const heads = Array.from(/** @type {NodeListOf<HTMLElement>} */ (doc.querySelectorAll('h1, h2, [role="heading"], [data-testid*="title" i]'))).filter(
      (h) => !(exclude && exclude.contains(h)) && !h.closest(SKIP) && rendered(h),
    );
    return heads.find((h) => TITLE.test((h.innerText || "").trim())) || heads.find((h) => h.localName === "h1") || null;
  }

  /**
   * The text of the incident shown in `doc`, without the element `exclude` (our host).
   * @param {Document} doc
   * @param {Element | null} [exclude]
   */
  function extractIncidentText(doc, exclude) {
    const roots = incidentRoots(doc);
    /** @type {HTMLElement[]} */
    const hooks = [];
    for (const root of roots) {
      const all = root.matches(HOOKS) ? [root] : Array.from(/** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll(HOOKS)));
      for (const el of all) {
        if (exclude && exclude.contains(el)) continue;
        if (el.closest(SKIP)) continue;
        // Outermost hooks only: a <pre> inside an alert section is already in its text.
        if (hooks.some((h) => h.contains(el))) continue;
        const closedDetails = el.parentElement && el.parentElement.closest("details:not([open])");
        if (!rendered(el) && !closedDetails) continue;
        hooks.push(el);
      }
    }
    const titleEl = titleElement(doc, exclude);
    const titleInHooks = titleEl && hooks.some((h) => h.contains(titleEl));
    const titleInWhole = !!titleEl && roots.some((r) => r.contains(titleEl));
    return chooseText({
      title: titleEl && !titleInHooks ? (titleEl.innerText || "").trim() : "",
      hooks: hooks.map((h) => shownText(h, exclude)),
      whole: roots.map((r) => shownText(r, exclude)).join("\n\n"),
      titleInWhole,
    });
  }

  // -------------------------------------------------------------- snapshot --

  /**
   * The snapshot the Rust reader reads (its shape is defined once, in src/page/mod.rs:
   * `Snapshot`, `Node` and `SNAPSHOT_FIELDS`): the shown nodes in document order, each with its
   * parent's index. It travels as text (encodeSnapshot): one node a line, its fields in the
   * order of SNAPSHOT_FIELDS, tab-separated.
   * @typedef {{p: number, t: string, x?: string, id?: string, tid?: string, role?: string,
   *   cls?: string, href?: string, open?: boolean}} SnapshotNode
   * @typedef {{v: number, url: string, nodes: SnapshotNode[]}} PageSnapshot
   */

  /** The snapshot format's version (src/page/mod.rs SNAPSHOT_VERSION). */
  const SNAPSHOT_VERSION = 1;
  /** A node line's fields, in order (src/page/mod.rs SNAPSHOT_FIELDS; a Rust test compares them). */
  const SNAPSHOT_FIELDS = "p t x id tid role cls href open";
  /** The first line's start (src/page/mod.rs SNAPSHOT_MAGIC). */
  const SNAPSHOT_MAGIC = "runbook-lens-snapshot";
  /** The most nodes a snapshot holds (src/page/mod.rs MAX_NODES). */
  const MAX_NODES = 20000;
  // Elements whose content is never the incident's text.
  const SNAP_SKIP = new Set(["script", "style", "noscript", "template", "svg", "canvas", "iframe", "img", "video", "audio", "object", "head", "link", "meta"]);
  // A CSS-module class: `IncidentTitle_incidentTitle__x7Ab2`; its name is what comes before
  // the hash, which changes with every PagerDuty release.
  const CSS_MODULE = /^([A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_-]*?)__[A-Za-z0-9_-]+$/;
  const PRESERVES_NEWLINES = /^(pre|pre-wrap|pre-line|break-spaces)$/;

  /**
   * True when `doc` is laid out as PagerDuty's incident page (its header's test ID, or its
   * title's CSS-module class), or `url` is an alert's page: the Rust reader reads these.
   * @param {Document} doc
   * @param {string} url
   */
  function knownLayout(doc, url) {
    let path = "";
    try {
      path = new URL(url).pathname;
    } catch (_) {
      return false;
    }
    if (ALERT_PATH.test(path)) return true;
    return doc.querySelector('[data-testid="incidentHeader"], h1[class^="IncidentTitle_incidentTitle__"]') !== null;
  }

  /** The CSS-module names of `el`'s classes, without their hashes. @param {Element} el */
  function moduleNames(el) {
    const out = [];
    for (const c of el.classList) {
      const m = CSS_MODULE.exec(c);
      if (m) out.push(m[1]);
      if (out.length === 4) break;
    }
    return out.join(" ");
  }

  /**
   * The text of a text node as shown: whitespace collapsed, except where the page keeps its
   * newlines (`<pre>`, `white-space: pre-wrap`), where lines stay lines.
   * @param {Text} node
   */
  function shownNodeText(node) {
    const v = node.nodeValue || "";
    if (!v.trim()) return "";
    if (v.includes("\n") && node.parentElement && PRESERVES_NEWLINES.test(getComputedStyle(node.parentElement).whiteSpace)) {
      return v.replace(/\r\n?/g, "\n").replace(/[\u00a0\u202f]/g, " ").replace(/[ \t]+$/gm, "");
    }
    return v.replace(/[\u00a0\u202f]/g, " ").replace(/\s+/g, " ").trim();
  }

  /**
   * A compact snapshot of the shown page (`doc`'s body), without `exclude` (our host), scripts,
   * styles and hidden elements; at most MAX_NODES nodes and MAX_TEXT characters of text.
   * @param {Document} doc
   * @param {Element | null} [exclude]
   * @returns {PageSnapshot}
   */
  function snapshot(doc, exclude) {
    /** @type {SnapshotNode[]} */
    const nodes = [{ p: 0, t: "body" }];
    const root = doc.body || doc.documentElement;
    let budget = MAX_TEXT;
    // An explicit stack of [node, parent's index], so deep pages cannot overflow the call stack.
    /** @type {[Node, number][]} */
    const stack = [];
    for (let c = root.lastChild; c; c = c.previousSibling) stack.push([c, 0]);
    while (stack.length && nodes.length < MAX_NODES && budget > 0) {
      const [node, p] = /** @type {[Node, number]} */ (stack.pop());
      if (node.nodeType === 3) {
        const x = shownNodeText(/** @type {Text} */ (node)).slice(0, budget);
        if (!x) continue;
        budget -= x.length;
        // A shown line break becomes a `br`, so a node's text is always one line.
        x.split("\n").forEach((line, i) => {
          if (i > 0) nodes.push({ p, t: "br" });
          if (line) nodes.push({ p, t: "#", x: line.replace(/\t/g, " ") });
        });
        continue;
      }
      if (node.nodeType !== 1) continue;
      const el = /** @type {HTMLElement} */ (node);
      const t = el.localName;
      if (SNAP_SKIP.has(t) || el === exclude || !rendered(el)) continue;
      /** @type {SnapshotNode} */
      const n = { p, t };
      const id = el.id;
      if (id) n.id = id;
      const tid = el.getAttribute("data-testid");
      if (tid) n.tid = tid;
      const role = el.getAttribute("role");
      if (role) n.role = role;
      const cls = moduleNames(el);
      if (cls) n.cls = cls;
      if (t === "a") {
        const href = el.getAttribute("href");
        if (href) n.href = href;
      }
      if ((t === "details" && /** @type {HTMLDetailsElement} */ (el).open) || el.getAttribute("aria-expanded") === "true") n.open = true;
      const index = nodes.length;
      nodes.push(n);
      for (let c = el.lastChild; c; c = c.previousSibling) stack.push([c, index]);
    }
    return { v: SNAPSHOT_VERSION, url: String(doc.location ? doc.location.href : ""), nodes };
  }

  /** `v` for one field of a line: no field holds a tab or a line break. @param {string} v */
  function cleanField(v) {
    return v.replace(/[\t\r\n]/g, " ");
  }

  /**
   * The snapshot as the text the panel's Rust reader parses (`Snapshot::from_text`): the
   * line `runbook-lens-snapshot <v><TAB><url>`, then one line a node with the fields of
   * SNAPSHOT_FIELDS, tab-separated, trailing empty fields left out. Nothing needs escaping:
   * snapshot() writes a text's line breaks as `br` nodes, and fields lose tabs and newlines.
   * @param {PageSnapshot} snap
   */
  function encodeSnapshot(snap) {
    const names = /** @type {(keyof SnapshotNode)[]} */ (SNAPSHOT_FIELDS.split(" "));
    const lines = [`${SNAPSHOT_MAGIC} ${snap.v}\t${cleanField(snap.url)}`];
    for (const n of snap.nodes) {
      const fields = names.map((k) => {
        const v = n[k];
        return v === true ? "1" : v === undefined || v === false ? "" : cleanField(String(v));
      });
      while (fields.length > 2 && fields[fields.length - 1] === "") fields.pop();
      lines.push(fields.join("\t"));
    }
    return lines.join("\n") + "\n";
  }

  const api = {
    MAX_TEXT,
    incidentId,
    isIncidentUrl,
    normalizeText,
    capText,
    alertSignals,
    fingerprint,
    dropRepeatedTitles,
    chooseText,
    extractIncidentText,
    SNAPSHOT_VERSION,
    MAX_NODES,
    SNAPSHOT_FIELDS,
    knownLayout,
    snapshot,
    encodeSnapshot,
  };
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else global.RunbookLensPage = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
