// @ts-check
// Pack URLs: runbook packs (files made by `runbook-lens pack`) that an organisation publishes
// on a web server, downloaded by the background (background.js imports this module) and
// refreshed on a schedule. Which URLs: the settings' `pack_urls`, or the managed policy's
// when it sets them (the Rust `effectivePackUrls`, so the panel and this agree).
//
// A pack URL may serve what `runbook-lens pack` writes (gzip of the compact version 4, which
// is un-gzipped here with DecompressionStream), raw version 4, or an older JSON pack. Each
// download is checked by the engine itself (`Engine.fromPackBytes` of the options package,
// which also reads JSON packs) and stored as raw version 4 (`Engine.packBytes`); a download
// that fails or does not load keeps the pack stored before it. A pack is stored
// under `packUrlKey(url)` in the form lib/pack-codec.js writes, in the same
// `storage.local.set` as its status (`Keys.packUrlStatus`: url -> PackUrlStatus), which the
// options page shows. The extension reaches a pack's site only with the optional host
// permission the user granted when adding it (or afterwards, from the options page); without
// it nothing is fetched and the status says so.
import "./protocol.js"; // sets globalThis.RunbookLensProtocol
import "./pack-codec.js"; // sets globalThis.RunbookLensPackCodec
// The options package: its engine reads JSON packs too (feature `json-packs`), which the
// panel's leaves out.
import init, { Engine, effectivePackUrls, packUrlOrigin } from "../pkg/runbook_lens_options.js";

const { Keys, packUrlKey } = globalThis.RunbookLensProtocol;
const codec = globalThis.RunbookLensPackCodec;
const MAX_BYTES = 64 * 1024 * 1024; // a download: far above a 10,000-page site's ~20 MB .rlpack
// What a gzip pack may un-gzip to: the largest raw version 4 pack that loads (the Rust
// MAX_PACK_BYTES, src/pack/check.rs; a 10,000-page site is ~68 MB raw).
const MAX_UNPACKED = 128 * 1024 * 1024;
const TIMEOUT_MS = 60000;
const RETRY_AFTER_ERROR_MS = 15 * 60 * 1000;

/**
 * What the last download of one pack URL did (the Rust `PackUrlStatus`, which the options
 * page reads).
 * @typedef {{checked: number, fetched: number | null, pages: number | null, error: string | null, needs_permission: boolean}} PackUrlStatus
 */
/** @typedef {Record<string, PackUrlStatus>} StatusMap url -> its status */
/** @typedef {{url: string, refresh_hours: number}} PackUrl one entry of `effectivePackUrls` */

/** @type {Promise<unknown> | null} */
let wasm = null;
/** @type {Promise<StatusMap | null>} */
let queue = Promise.resolve(null);

/** @param {unknown} e @returns {string} */
function message(e) {
  return typeof e === "object" && e !== null && "message" in e && e.message ? String(e.message) : String(e);
}

/** @returns {Promise<string | undefined>} the managed policy as JSON text, if one applies */
async function readPolicy() {
  // Rejects where no policy applies; that is "no policy".
  const m = await chrome.storage.managed.get(null).catch(() => ({}));
  return m && Object.keys(m).length ? JSON.stringify(m) : undefined;
}

/** @param {number} bytes @returns {string} */
const tooLarge = (bytes) => `larger than ${MAX_BYTES / 1024 / 1024} MB (${bytes} bytes or more); nothing was stored`;

/**
 * Fetches `url` and reads its body as bytes, refusing what does not come from `origin` and
 * stopping at MAX_BYTES. Redirects within the same origin are followed (a server moving
 * `/latest.pack.json` to a versioned file is common), redirects to another origin are
 * refused after the fact: `redirect: "manual"` hides the target (an opaque response with no
 * Location in every browser), so the only portable check is the final `response.url`. The
 * request to the other host has then been made (without credentials), but nothing it
 * answers is read or stored.
 * @param {string} url
 * @returns {Promise<Uint8Array>}
 */
async function fetchBytes(url) {
  const r = await fetch(url, { credentials: "omit", cache: "no-cache", redirect: "follow", signal: AbortSignal.timeout(TIMEOUT_MS) });
  const want = new URL(url).origin;
  let got = "";
  try {
    got = new URL(r.url).origin;
  } catch {
    // An empty or odd final URL: not provably the same origin.
  }
  if (got !== want) {
    await r.body?.cancel().catch(() => {});
    throw new Error(`the server redirected to another host (${got || "an unknown URL"}); only redirects within ${want} are followed`);
  }
  if (!r.ok) {
    await r.body?.cancel().catch(() => {});
    throw new Error(`the server answered ${r.status}${r.statusText ? " " + r.statusText : ""}`);
  }
  const declared = Number(r.headers.get("content-length") || 0);
  if (declared > MAX_BYTES) {
    await r.body?.cancel().catch(() => {});
    throw new Error(tooLarge(declared));
  }
  if (!r.body) return new Uint8Array(0);
  // Read as a stream, counting bytes: a chunked body carries no length, and
  // `r.arrayBuffer()` would hold all of it (however large) before any check could run.
  return codec.readAtMost(r.body, MAX_BYTES, tooLarge);
}

/**
 * The pack's bytes un-gzipped when they are gzip (magic 1f 8b, what `runbook-lens pack`
 * writes), as they are otherwise; at most MAX_UNPACKED of output (a small file may inflate to
 * gigabytes).
 * @param {Uint8Array} bytes
 * @returns {Promise<Uint8Array>}
 */
async function gunzipped(bytes) {
  if (!codec.isGzip(bytes)) return bytes;
  const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream("gzip"));
  try {
    return await codec.readAtMost(stream, MAX_UNPACKED, (n) => `it un-gzips to more than ${MAX_UNPACKED / 1024 / 1024} MB (${n} bytes or more); nothing was stored`);
  } catch (e) {
    throw e instanceof RangeError ? e : new Error(`it is not a valid gzip file (${message(e)})`);
  }
}

/**
 * Downloads and checks one pack URL. Never rejects.
 * @param {string} url
 * @param {Partial<PackUrlStatus>} old its status before
 * @returns {Promise<{status: PackUrlStatus, data?: string}>} the new status, and the pack in
 *   its stored form when one was downloaded
 */
async function download(url, old) {
  const now = Date.now();
  /** @type {PackUrlStatus} */
  const status = { checked: now, fetched: old.fetched ?? null, pages: old.pages ?? null, error: null, needs_permission: false };
  const origin = packUrlOrigin(url);
  if (!origin) return { status: { ...status, error: "not an https:// URL" } };
  if (!(await chrome.permissions.contains({ origins: [origin] }))) {
    return { status: { ...status, needs_permission: true, error: `Runbook Lens may not reach ${new URL(url).host} yet: allow it in the settings` } };
  }
  try {
    const bytes = await gunzipped(await fetchBytes(url));
    let pages;
    let raw;
    try {
      const engine = Engine.fromPackBytes(bytes, "");
      pages = engine.runbooks;
      // Raw version 4 whatever it came as: an older JSON pack is converted here, once.
      raw = engine.packBytes();
      engine.free();
    } catch (e) {
      throw new Error(message(e));
    }
    const data = await codec.encodePack(raw);
    return { status: { ...status, fetched: now, pages }, data };
  } catch (e) {
    return { status: { ...status, error: message(e) } };
  }
}

/**
 * True when `settings` (stored JSON text) or `policy` (JSON text) lists any pack URL.
 * @param {...(string | undefined)} texts
 */
function listsUrls(...texts) {
  return texts.some((t) => {
    try {
      const o = t === undefined ? null : JSON.parse(t);
      return Array.isArray(o?.pack_urls) && o.pack_urls.length > 0;
    } catch {
      return true; // unreadable: let the engine decide
    }
  });
}

/**
 * @param {boolean} force download every pack URL, not only those that are due
 * @returns {Promise<StatusMap>}
 */
async function refresh(force) {
  /** @type {{[key: string]: any}} */
  const local = await chrome.storage.local.get([Keys.settings, Keys.packUrlStatus]);
  const v = local[Keys.settings];
  const stored = typeof v === "string" ? v : v === undefined ? undefined : JSON.stringify(v);
  /** @type {StatusMap | undefined} */
  const before = local[Keys.packUrlStatus];
  const policy = await readPolicy();
  // No pack URL anywhere and none downloaded before (most users): nothing to fetch or clean
  // up, so the engine is not even compiled when a settings change wakes the background.
  if (!listsUrls(stored, policy) && Object.keys(before || {}).length === 0) return before || {};
  wasm ??= init();
  await wasm;
  /** @type {PackUrl[]} */
  const urls = JSON.parse(effectivePackUrls(stored, policy));
  /** @type {StatusMap} */
  const status = { ...(before || {}) };
  // URLs no longer listed: their packs and status go.
  const listed = new Set(urls.map((u) => u.url));
  const gone = Object.keys(status).filter((u) => !listed.has(u));
  if (gone.length) {
    for (const u of gone) delete status[u];
    await chrome.storage.local.set({ [Keys.packUrlStatus]: status });
    await chrome.storage.local.remove(gone.map(packUrlKey));
  }
  for (const { url, refresh_hours: hours } of urls) {
    /** @type {Partial<PackUrlStatus>} */
    const old = status[url] || {};
    const age = Date.now() - (old.checked || 0);
    const due = force || !old.checked || age >= hours * 3600 * 1000 || (old.error && age >= RETRY_AFTER_ERROR_MS);
    if (!due) continue;
    const got = await download(url, old);
    status[url] = got.status;
    /** @type {{[key: string]: unknown}} */
    const write = { [Keys.packUrlStatus]: status };
    if (got.data !== undefined) write[packUrlKey(url)] = got.data;
    await chrome.storage.local.set(write).catch(async (e) => {
      // Storage full: keep the pack stored before, say why.
      status[url] = { ...got.status, fetched: old.fetched ?? null, pages: old.pages ?? null, error: `could not be stored: ${message(e)}` };
      await chrome.storage.local.set({ [Keys.packUrlStatus]: status }).catch(() => {});
    });
  }
  return status;
}

/**
 * Downloads the pack URLs that are due (all of them with `force`). Runs are queued, never
 * overlapping; resolves when this one is done, to the status of every pack URL (or null when
 * the run failed as a whole).
 * @param {{force?: boolean}} [options]
 * @returns {Promise<StatusMap | null>}
 */
export function refreshPackUrls({ force = false } = {}) {
  const run = queue.then(() => refresh(force)).catch(() => null);
  queue = run;
  return run;
}
