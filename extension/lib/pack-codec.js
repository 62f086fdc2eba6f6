// @ts-check
// How a runbook pack is kept in storage.local: its JSON (from `runbook-lens pack` or the
// options page) gzip-compressed and base64-encoded, after the marker `gzip-base64:`. The
// whole Armada site is ~8 MB of pack JSON, ~1.9 MB stored this way, well inside
// storage.local's 10 MB (so the extension needs no `unlimitedStorage`). Plain JSON text
// (older stores, tests) is read as it is. Used by panel.js and options.js; CompressionStream
// is in Chromium 80+, Firefox 113+ and node 18+ (the unit tests).
(/** @param {any} global the global object (`this` in an old worker) */ function (global) {
  "use strict";

  const MARKER = "gzip-base64:";
  const CHUNK = 0x8000; // bytes per String.fromCharCode call (argument count limits)

  /**
   * @param {Uint8Array<ArrayBuffer>} bytes
   * @param {CompressionStream | DecompressionStream} stream
   * @returns {Promise<Uint8Array>}
   */
  async function pipe(bytes, stream) {
    const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
    return new Uint8Array(await out.arrayBuffer());
  }

  /** @param {Uint8Array} bytes */
  function toBase64(bytes) {
    let s = "";
    for (let i = 0; i < bytes.length; i += CHUNK) {
      s += String.fromCharCode.apply(null, /** @type {any} */ (bytes.subarray(i, i + CHUNK)));
    }
    return btoa(s);
  }

  /** @param {string} text */
  function fromBase64(text) {
    const s = atob(text);
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }

  /**
   * The stored form of a pack's JSON text.
   * @param {unknown} json
   * @returns {Promise<string>}
   */
  async function encodePack(json) {
    if (typeof json !== "string") throw new TypeError("a pack is JSON text");
    const gz = await pipe(new TextEncoder().encode(json), new CompressionStream("gzip"));
    return MARKER + toBase64(gz);
  }

  /**
   * A pack's JSON text from its stored form. Anything that is not a string, or is marked
   * but does not decode, throws: the caller says which pack is broken.
   * @param {unknown} stored
   * @returns {Promise<string>}
   */
  async function decodePack(stored) {
    if (typeof stored !== "string") throw new TypeError("not a stored pack");
    if (!stored.startsWith(MARKER)) return stored;
    let bytes;
    try {
      bytes = fromBase64(stored.slice(MARKER.length));
    } catch (_) {
      throw new Error("the stored pack is damaged (not base64)");
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(await pipe(bytes, new DecompressionStream("gzip")));
    } catch (_) {
      throw new Error("the stored pack is damaged (not gzip)");
    }
  }

  const api = { MARKER, encodePack, decodePack };
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else global.RunbookLensPackCodec = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
