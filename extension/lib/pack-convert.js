// @ts-check
// Converts the packs older versions stored (JSON text of pack versions 1-3) to the compact
// version 4, once: the background runs it when the extension is installed or updated and when
// the browser starts (background.js), and the options page may run it when it opens. Until a
// pack is converted the panel, whose engine reads only version 4, lists it as "stored in an
// older format". The conversion uses the options package's engine (`Engine.fromPackBytes` with
// JSON packs, `packBytes`); a pack that does not convert is kept as it was, so nothing stored
// is lost, and the panel keeps naming it.
import "./protocol.js"; // sets globalThis.RunbookLensProtocol
import "./pack-codec.js"; // sets globalThis.RunbookLensPackCodec
import init, { Engine } from "../pkg/runbook_lens_options.js";

/** @type {Promise<unknown> | null} */
let wasm = null;

/**
 * Whether a stored pack holds JSON text (an older pack), reading only the start of it: a
 * stored version 4 pack is not decompressed whole at every start of the browser.
 * @param {string} stored
 * @returns {Promise<boolean>}
 */
async function storedAsJson(stored) {
  const codec = globalThis.RunbookLensPackCodec;
  if (!stored.startsWith(codec.MARKER)) return true;
  // 4,096 base64 characters (a multiple of 4) are 3,072 bytes of gzip: enough for its first
  // output bytes.
  let head;
  try {
    const s = atob(stored.slice(codec.MARKER.length, codec.MARKER.length + 4096));
    head = Uint8Array.from(s, (c) => c.charCodeAt(0));
  } catch {
    return false; // damaged: the panel names it; nothing to convert
  }
  const reader = new Blob([head]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  try {
    const { value } = await reader.read();
    return value !== undefined && codec.isJsonPack(value);
  } catch {
    return false;
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * Converts every stored pack (imported ones and pack URLs) that is still JSON text. Resolves
 * to the number converted; never rejects for one pack that does not convert.
 * @returns {Promise<number>}
 */
export async function convertStoredPacks() {
  const { Keys } = globalThis.RunbookLensProtocol;
  const codec = globalThis.RunbookLensPackCodec;
  /** @type {{[key: string]: unknown}} */
  const all = await chrome.storage.local.get(null);
  let converted = 0;
  for (const [key, stored] of Object.entries(all)) {
    if (!key.startsWith(Keys.packPrefix) && !key.startsWith(Keys.packUrlPrefix)) continue;
    if (typeof stored !== "string" || !(await storedAsJson(stored))) continue;
    try {
      const bytes = await codec.decodePack(stored);
      wasm ??= init();
      await wasm;
      const engine = Engine.fromPackBytes(bytes, "");
      const raw = engine.packBytes();
      engine.free();
      await chrome.storage.local.set({ [key]: await codec.encodePack(raw) });
      converted += 1;
    } catch (e) {
      console.warn(`Runbook Lens: the stored pack ${key} could not be converted to the current format:`, e);
    }
  }
  return converted;
}
