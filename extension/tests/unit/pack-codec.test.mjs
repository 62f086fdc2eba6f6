// Unit tests of lib/pack-codec.js (node's test runner): packs (bytes) round-trip through the
// stored form, the stored form is much smaller for real-sized packs, an older store of JSON
// text still reads (as bytes `isJsonPack` recognises), and a damaged store is an error rather
// than garbage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { MARKER, encodePack, decodePack, isJsonPack } = require("../../lib/pack-codec.js");

function samplePack(pages) {
  const runbooks = [];
  for (let i = 0; i < pages; i++) {
    runbooks.push({ file: `team/page-${i}.md`, front: { title: `Page ${i} — ünïcode ✓` }, sections: [{ heading: "Actions to take", blocks: [{ t: "Code", text: `kubectl get pods -n ns-${i}\n` }] }] });
  }
  return JSON.stringify({ format: "runbook-lens-pack", version: 1, name: "sample", runbooks });
}

/** Bytes standing for a version 4 pack: the magic, then text that compresses like a pack. */
function sampleBytes(pages) {
  return new Uint8Array([...new TextEncoder().encode("RLPK\x04"), ...new TextEncoder().encode(samplePack(pages))]);
}

test("a pack round-trips through its stored form", async () => {
  const raw = sampleBytes(2000);
  const stored = await encodePack(raw);
  assert.ok(stored.startsWith(MARKER));
  assert.ok(stored.length < raw.length / 4, `stored ${stored.length} chars for ${raw.length} bytes`);
  const back = await decodePack(stored);
  assert.ok(back instanceof Uint8Array);
  assert.deepEqual(back, raw);
  assert.equal(isJsonPack(back), false);
});

test("an older store (JSON text, with or without the marker) reads as JSON bytes", async () => {
  const json = samplePack(1);
  const plain = await decodePack(json);
  assert.equal(new TextDecoder().decode(plain), json);
  assert.equal(isJsonPack(plain), true);
  // What older versions stored: the JSON text gzipped behind the marker.
  const gz = new Uint8Array(await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer());
  const marked = MARKER + btoa(String.fromCharCode(...gz));
  const back = await decodePack(marked);
  assert.equal(new TextDecoder().decode(back), json);
  assert.equal(isJsonPack(new TextEncoder().encode("  \n{")), true);
  assert.equal(isJsonPack(new Uint8Array()), false);
});

test("a damaged stored pack is an error", async () => {
  const stored = await encodePack(sampleBytes(3));
  await assert.rejects(decodePack(MARKER + "%%%not base64"), /damaged \(not base64\)/);
  await assert.rejects(decodePack(MARKER + btoa("not gzip at all")), /damaged \(not gzip\)/);
  await assert.rejects(decodePack(stored.slice(0, stored.length - 40)), /damaged/);
  await assert.rejects(decodePack(42), /not a stored pack/);
  await assert.rejects(encodePack({}), /bytes/);
  await assert.rejects(encodePack(samplePack(1)), /bytes/);
});
