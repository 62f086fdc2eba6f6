// @ts-check
// How a runbook pack is kept in storage.local: its raw version 4 bytes (the compact form,
// `Pack::to_bytes`) gzip-compressed and base64-encoded, after the marker `gzip-base64:`.
// Packs stored by older versions hold JSON text there (or plain JSON text without the
// marker): `decodePack` hands those back as their UTF-8 bytes, which start with `{`
// (`isJsonPack`), for the background to convert (lib/pack-convert.js) and for the panel to
// name as "stored in an older format". Used by panel.js, options.js and the background;
// CompressionStream is in Chromium 80+, Firefox 113+ and node 18+ (the unit tests).
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
   * The stored form of a pack's raw version 4 bytes.
   * @param {unknown} raw
   * @returns {Promise<string>}
   */
  async function encodePack(raw) {
    if (!(raw instanceof Uint8Array)) throw new TypeError("a pack is bytes (Uint8Array)");
    const gz = await pipe(new Uint8Array(raw), new CompressionStream("gzip"));
    return MARKER + toBase64(gz);
  }

  /**
   * A pack's bytes from its stored form: raw version 4, or the UTF-8 bytes of an older
   * pack's JSON text (see `isJsonPack`). Anything that is not a string, or is marked but does
   * not decode, throws: the caller says which pack is broken.
   * @param {unknown} stored
   * @returns {Promise<Uint8Array>}
   */
  async function decodePack(stored) {
    if (typeof stored !== "string") throw new TypeError("not a stored pack");
    if (!stored.startsWith(MARKER)) return new TextEncoder().encode(stored);
    let bytes;
    try {
      bytes = fromBase64(stored.slice(MARKER.length));
    } catch (_) {
      throw new Error("the stored pack is damaged (not base64)");
    }
    try {
      return await pipe(bytes, new DecompressionStream("gzip"));
    } catch (_) {
      throw new Error("the stored pack is damaged (not gzip)");
    }
  }

  /**
   * Whether decoded pack bytes are an older pack's JSON text (first byte that is not a
   * space: `{`) rather than version 4 (which starts `RLPK`).
   * @param {Uint8Array} bytes
   */
  function isJsonPack(bytes) {
    for (const b of bytes) {
      if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
      return b === 0x7b;
    }
    return false;
  }

  /** Whether bytes start as gzip does (1f 8b), as `runbook-lens pack` writes a pack file. @param {Uint8Array} head */
  const isGzip = (head) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;

  /**
   * Reads a stream of bytes whole, stopping as soon as more than `max` bytes have passed (a
   * small gzip file may inflate to gigabytes): then it rejects with a RangeError whose message
   * is `tooMuch(bytes)`. A read that fails (damaged gzip) rejects with that error.
   * @param {ReadableStream<Uint8Array>} body
   * @param {number} max
   * @param {(bytes: number) => string} tooMuch
   * @returns {Promise<Uint8Array>}
   */
  async function readAtMost(body, max, tooMuch) {
    const reader = body.getReader();
    /** @type {Uint8Array[]} */
    const parts = [];
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > max) {
        await reader.cancel().catch(() => {});
        throw new RangeError(tooMuch(bytes));
      }
      parts.push(value);
    }
    const out = new Uint8Array(bytes);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out;
  }

  const api = { MARKER, encodePack, decodePack, isJsonPack, isGzip, readAtMost };
  if (typeof module === "object" && module && module.exports) module.exports = api;
  else global.RunbookLensPackCodec = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
