// Runbook Lens options page (an extension page). The page itself is the Rust `Options`
// (src/web/options/, built with the markdown parser into pkg/runbook_lens_options.js);
// this script is its `host`: it reads and writes this extension's storage and downloads
// the settings export. Storage layout (shared with panel.js): `settings` holds the settings
// JSON text, `pack:<id>` each pack in the form lib/pack-codec.js writes, `pack-url:<url>` and
// `pack-url-status` the pack URLs' downloads (background.js); storage.managed is the
// organisation's policy, shown locked.
import init, { Options } from "./pkg/runbook_lens_options.js";

const SETTINGS_KEY = "settings";
const STATUS_KEY = "pack-url-status"; // written by lib/pack-urls.js in the background
const codec = globalThis.RunbookLensPackCodec;

/** Says what went wrong with a storage write in words a user can act on. */
function storageError(e) {
  const text = e && e.message ? e.message : String(e);
  if (/quota/i.test(text)) {
    return new Error(`the extension's storage is full (${text}); remove or disable a pack you no longer need`);
  }
  return new Error(text);
}

const host = {
  async save(settings) {
    await chrome.storage.local.set({ [SETTINGS_KEY]: settings }).catch((e) => {
      throw storageError(e);
    });
  },
  // The pack and the settings that list it in one write: either both are stored or neither.
  async storePack(id, packJson, settings) {
    const stored = await codec.encodePack(packJson);
    await chrome.storage.local.set({ ["pack:" + id]: stored, [SETTINGS_KEY]: settings }).catch((e) => {
      throw storageError(e);
    });
  },
  // The settings first: a pack no longer listed is never loaded, even if removing its data fails.
  async removePack(id, settings) {
    await chrome.storage.local.set({ [SETTINGS_KEY]: settings }).catch((e) => {
      throw storageError(e);
    });
    await chrome.storage.local.remove("pack:" + id);
  },
  async loadPack(id) {
    const key = "pack:" + id;
    const got = await chrome.storage.local.get(key);
    if (typeof got[key] !== "string") throw new Error("it is missing from the extension's storage");
    return codec.decodePack(got[key]);
  },
  // Called by the Rust page inside the click that asked for it (browsers require a user gesture).
  requestOrigin(pattern) {
    return chrome.permissions.request({ origins: [pattern] });
  },
  // The background downloads the pack URLs that are due, or all with `force`
  // (lib/pack-urls.js); resolves, when it is done, to their status (JSON text).
  async refreshPackUrls(force) {
    const answer = await chrome.runtime.sendMessage({ type: "refresh-pack-urls", force: force === true });
    if (!answer || !answer.status) throw new Error("the background could not download the pack URLs");
    return JSON.stringify(answer.status);
  },
  // A promise like the other methods (the page awaits each), although the download starts at once.
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

let options = null;
let managed; // storage.managed once read (it can take seconds in Chromium)

async function refresh() {
  const local = await chrome.storage.local.get([SETTINGS_KEY, STATUS_KEY]).catch(() => ({}));
  const v = local[SETTINGS_KEY];
  const stored = typeof v === "string" ? v : v === undefined ? undefined : JSON.stringify(v);
  const policy = managed && Object.keys(managed).length ? JSON.stringify(managed) : undefined;
  const status = local[STATUS_KEY] && typeof local[STATUS_KEY] === "object" ? JSON.stringify(local[STATUS_KEY]) : undefined;
  options.setState(stored, policy, status);
  document.documentElement.dataset.ready = managed === undefined ? "local" : "managed";
}

async function main() {
  await init();
  options = new Options(document.getElementById("app"), host);
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "managed") {
      chrome.storage.managed.get(null).catch(() => ({})).then((m) => {
        managed = m;
        return refresh();
      });
    } else if (area === "local" && (SETTINGS_KEY in changes || STATUS_KEY in changes)) {
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
  document.getElementById("app").replaceChildren(p);
});
