// Pack URLs: runbook packs (files made by `runbook-lens pack`) that an organisation publishes
// on a web server, downloaded by the background (background.js imports this module) and
// refreshed on a schedule. Which URLs: the settings' `pack_urls`, or the managed policy's
// when it sets them (the Rust `effectivePackUrls`, so the panel and this agree).
//
// Each download is checked by the engine itself (`Engine.fromPackJson`) before it is stored;
// a download that fails or does not load keeps the pack stored before it. A pack is stored
// under `pack-url:<url>` in the form lib/pack-codec.js writes, in the same
// `storage.local.set` as its status (`pack-url-status`: url -> {checked, fetched, pages,
// error, needs_permission}), which the options page shows. The extension reaches a pack's
// site only with the optional host permission the user granted when adding it (or
// afterwards, from the options page); without it nothing is fetched and the status says so.
import "./pack-codec.js"; // sets globalThis.RunbookLensPackCodec
import init, { Engine, effectivePackUrls, packUrlOrigin } from "../pkg/runbook_lens.js";

const SETTINGS_KEY = "settings";
export const STATUS_KEY = "pack-url-status";
const KEY_PREFIX = "pack-url:";
const MAX_BYTES = 64 * 1024 * 1024; // far above the whole Armada site's 8 MB pack
const TIMEOUT_MS = 60000;
const RETRY_AFTER_ERROR_MS = 15 * 60 * 1000;

let wasm = null;
let queue = Promise.resolve();

function message(e) {
  return e && e.message ? e.message : String(e);
}

async function readPolicy() {
  // Rejects where no policy applies; that is "no policy".
  const m = await chrome.storage.managed.get(null).catch(() => ({}));
  return m && Object.keys(m).length ? JSON.stringify(m) : undefined;
}

/** Downloads and checks one pack URL. Resolves to {status, data?}; never rejects. */
async function download(url, old) {
  const now = Date.now();
  const status = { checked: now, fetched: old.fetched ?? null, pages: old.pages ?? null, error: null, needs_permission: false };
  const origin = packUrlOrigin(url);
  if (!origin) return { status: { ...status, error: "not an https:// URL" } };
  if (!(await chrome.permissions.contains({ origins: [origin] }))) {
    return { status: { ...status, needs_permission: true, error: `Runbook Lens may not reach ${new URL(url).host} yet: allow it in the settings` } };
  }
  try {
    const r = await fetch(url, { credentials: "omit", cache: "no-cache", signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!r.ok) throw new Error(`the server answered ${r.status}${r.statusText ? " " + r.statusText : ""}`);
    if (Number(r.headers.get("content-length") || 0) > MAX_BYTES) throw new Error(`larger than ${MAX_BYTES / 1024 / 1024} MB`);
    const text = await r.text();
    if (text.length > MAX_BYTES) throw new Error(`larger than ${MAX_BYTES / 1024 / 1024} MB`);
    let pages;
    try {
      const engine = Engine.fromPackJson(text, "");
      pages = engine.runbooks;
      engine.free();
    } catch (e) {
      throw new Error(message(e));
    }
    const data = await globalThis.RunbookLensPackCodec.encodePack(text);
    return { status: { ...status, fetched: now, pages }, data };
  } catch (e) {
    return { status: { ...status, error: message(e) } };
  }
}

/** True when `settings` (stored JSON text) or `policy` (JSON text) lists any pack URL. */
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

async function refresh(force) {
  const local = await chrome.storage.local.get([SETTINGS_KEY, STATUS_KEY]);
  const v = local[SETTINGS_KEY];
  const stored = typeof v === "string" ? v : v === undefined ? undefined : JSON.stringify(v);
  const policy = await readPolicy();
  // No pack URL anywhere and none downloaded before (most users): nothing to fetch or clean
  // up, so the engine is not even compiled when a settings change wakes the background.
  if (!listsUrls(stored, policy) && Object.keys(local[STATUS_KEY] || {}).length === 0) return local[STATUS_KEY] || {};
  wasm ??= init();
  await wasm;
  const urls = JSON.parse(effectivePackUrls(stored, policy));
  const status = { ...(local[STATUS_KEY] || {}) };
  // URLs no longer listed: their packs and status go.
  const listed = new Set(urls.map((u) => u.url));
  const gone = Object.keys(status).filter((u) => !listed.has(u));
  if (gone.length) {
    for (const u of gone) delete status[u];
    await chrome.storage.local.set({ [STATUS_KEY]: status });
    await chrome.storage.local.remove(gone.map((u) => KEY_PREFIX + u));
  }
  for (const { url, refresh_hours: hours } of urls) {
    const old = status[url] || {};
    const age = Date.now() - (old.checked || 0);
    const due = force || !old.checked || age >= hours * 3600 * 1000 || (old.error && age >= RETRY_AFTER_ERROR_MS);
    if (!due) continue;
    const got = await download(url, old);
    status[url] = got.status;
    const write = { [STATUS_KEY]: status };
    if (got.data !== undefined) write[KEY_PREFIX + url] = got.data;
    await chrome.storage.local.set(write).catch(async (e) => {
      // Storage full: keep the pack stored before, say why.
      status[url] = { ...got.status, fetched: old.fetched ?? null, pages: old.pages ?? null, error: `could not be stored: ${message(e)}` };
      await chrome.storage.local.set({ [STATUS_KEY]: status }).catch(() => {});
    });
  }
  return status;
}

/**
 * Downloads the pack URLs that are due (all of them with `force`). Runs are queued, never
 * overlapping; resolves when this one is done, to the status of every pack URL (or null when
 * the run failed as a whole).
 */
export function refreshPackUrls({ force = false } = {}) {
  const run = queue.then(() => refresh(force)).catch(() => null);
  queue = run;
  return run;
}
