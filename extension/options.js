// @ts-check
// Runbook Lens options page (an extension page). The page itself is the Rust `Options`
// (src/web/options/, built with the markdown parser into pkg/runbook_lens_options.js);
// this script is its `host` (the `OptionsHost` interface the generated .d.ts declares): it
// reads and writes this extension's storage and downloads the settings export. Storage
// layout (shared with panel.js, keys in lib/protocol.js): `Keys.settings` holds the settings
// JSON text, `packKey(id)` each pack in the form lib/pack-codec.js writes, the pack URLs'
// downloads and `Keys.packUrlStatus` their status (background.js); storage.managed is the
// organisation's policy, shown locked.
import "./lib/protocol.js"; // sets globalThis.RunbookLensProtocol
import init, { Options } from "./pkg/runbook_lens_options.js";

const { Keys, Msg, packKey } = globalThis.RunbookLensProtocol;
const codec = globalThis.RunbookLensPackCodec;

/**
 * Says what went wrong with a storage write in words a user can act on.
 * @param {unknown} e
 * @returns {Error}
 */
function storageError(e) {
  const text = typeof e === "object" && e !== null && "message" in e && e.message ? String(e.message) : String(e);
  if (/quota/i.test(text)) {
    return new Error(`the extension's storage is full (${text}); remove a pack you no longer need and try again`);
  }
  if (/no space|disk full|ENOSPC|IO error/i.test(text)) {
    return new Error(`the browser could not write to disk (${text}); free some disk space and try again`);
  }
  return new Error(text);
}

/** @type {import("./pkg/runbook_lens_options.js").OptionsHost} */
const host = {
  async save(settings) {
    await chrome.storage.local.set({ [Keys.settings]: settings }).catch((e) => {
      throw storageError(e);
    });
  },
  // The pack and the settings that list it in one write: either both are stored or neither.
  // The pack as raw version 4 bytes (Uint8Array), stored gzipped (lib/pack-codec.js).
  async storePack(id, pack, settings) {
    const stored = await codec.encodePack(pack);
    await chrome.storage.local.set({ [packKey(id)]: stored, [Keys.settings]: settings }).catch((e) => {
      throw storageError(e);
    });
  },
  // The settings first: a pack no longer listed is never loaded, even if removing its data fails.
  async removePack(id, settings) {
    await chrome.storage.local.set({ [Keys.settings]: settings }).catch((e) => {
      throw storageError(e);
    });
    await chrome.storage.local.remove(packKey(id));
  },
  async loadPack(id) {
    const key = packKey(id);
    const got = await chrome.storage.local.get(key);
    const stored = got[key];
    if (typeof stored !== "string") throw new Error("it is missing from the extension's storage");
    // Raw version 4 bytes, or an older pack's JSON text as bytes (the engine reads both).
    return codec.decodePack(stored);
  },
  // Called by the Rust page inside the click that asked for it (browsers require a user gesture).
  requestOrigin(pattern) {
    return chrome.permissions.request({ origins: [pattern] });
  },
  // The background downloads the pack URLs that are due, or all with `force`
  // (lib/pack-urls.js); resolves, when it is done, to their status (JSON text).
  async refreshPackUrls(force) {
    /** @type {{status?: Record<string, import("./pkg/runbook_lens_options.js").PackUrlStatus>} | undefined} */
    const answer = await chrome.runtime.sendMessage({ type: Msg.refreshPackUrls, force: force === true });
    if (!answer || !answer.status) throw new Error("the background could not download the pack URLs");
    return JSON.stringify(answer.status);
  },
  async saveChoices(choices) {
    await chrome.storage.local.set({ [Keys.choices]: choices }).catch((e) => {
      throw storageError(e);
    });
  },
  // A task, not a timer: a hidden tab's timers run at most once a second, and an import of
  // a large folder pauses a hundred times.
  pause() {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  },
  // What each pack takes in storage.local. Firefox before 144 (ESR 140) has no
  // storage.local.getBytesInUse: there the stored text's length is the size (the stored
  // form is ASCII).
  async packSizes(ids) {
    const keys = ids.map(packKey);
    const area = chrome.storage.local;
    if (typeof area.getBytesInUse === "function") {
      return Promise.all(keys.map((k) => area.getBytesInUse(k)));
    }
    /** @type {Record<string, unknown>} */
    const got = await area.get(keys);
    return keys.map((k) => {
      const v = got[k];
      return typeof v === "string" ? v.length : v instanceof Uint8Array ? v.byteLength : 0;
    });
  },
  // A pack file as the engine reads it: `runbook-lens pack` writes it gzip-compressed, and
  // the wasm has no inflate code. Reading stops as soon as `limit` bytes are passed, so a
  // small file that unpacks to gigabytes costs nothing.
  async unpackFile(file, limit) {
    const mb = (/** @type {number} */ n) => `${Math.round(n / 1048576)} MB`;
    if (file.size > limit) throw new Error(`it is ${mb(file.size)}, more than the ${mb(limit)} a pack file may have`);
    if (!codec.isGzip(new Uint8Array(await file.slice(0, 2).arrayBuffer()))) return new Uint8Array(await file.arrayBuffer());
    const stream = file.stream().pipeThrough(new DecompressionStream("gzip"));
    try {
      return await codec.readAtMost(stream, limit, () => `unpacked, it is more than the ${mb(limit)} a pack may have`);
    } catch (e) {
      if (e instanceof RangeError) throw e;
      throw new Error("it is damaged: its gzip compression does not decode; make the pack again with `runbook-lens pack`");
    }
  },
  // A promise like the other methods, although the download starts at once.
  async download(name, text) {
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  },
};

/** @type {Options | null} */
let options = null;
/** @type {Record<string, unknown> | undefined} storage.managed once read (it can take seconds in Chromium) */
let managed;

async function refresh() {
  if (!options) return;
  /** @type {Record<string, unknown>} */
  const local = await chrome.storage.local.get([Keys.settings, Keys.packUrlStatus, Keys.choices]).catch(() => ({}));
  const c = local[Keys.choices];
  options.setChoices(typeof c === "string" ? c : undefined);
  const v = local[Keys.settings];
  const stored = typeof v === "string" ? v : v === undefined ? undefined : JSON.stringify(v);
  const policy = managed && Object.keys(managed).length ? JSON.stringify(managed) : undefined;
  const s = local[Keys.packUrlStatus];
  const status = s && typeof s === "object" ? JSON.stringify(s) : undefined;
  options.setState(stored, policy, status);
  document.documentElement.dataset.ready = managed === undefined ? "local" : "managed";
}

/** The page's root element. */
function app() {
  const root = document.getElementById("app");
  if (!root) throw new Error("options.html has no #app");
  return root;
}

async function main() {
  await init();
  options = new Options(app(), host);
  // Packs stored by an older version (JSON text) become version 4, which the panel reads: the
  // panel sends people here when it finds one (the background also converts them at start).
  import("./lib/pack-convert.js")
    .then((m) => m.convertStoredPacks())
    .catch(() => {});
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "managed") {
      chrome.storage.managed
        .get(null)
        .catch(() => ({}))
        .then((m) => {
          managed = m;
          return refresh();
        });
    } else if (area === "local" && (Keys.settings in changes || Keys.packUrlStatus in changes || Keys.choices in changes)) {
      refresh().catch(() => {});
    }
  });
  await refresh();
  // storage.managed rejects where no policy applies: that is "no policy".
  managed = await chrome.storage.managed.get(null).catch(() => ({}));
  await refresh();
}

main().catch((e) => {
  const p = document.createElement("p");
  p.setAttribute("data-rl", "notice");
  p.setAttribute("role", "alert");
  p.textContent = "The Runbook Lens settings could not start: " + (e && e.message ? e.message : String(e));
  app().replaceChildren(p);
});
