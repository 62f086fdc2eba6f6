// Unit tests of lib/pack-codec.js (node's test runner): packs round-trip through the stored
// form, the stored form is much smaller for real-sized packs, plain JSON still reads, and a
// damaged store is an error rather than garbage.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { MARKER, encodePack, decodePack } = require("../../lib/pack-codec.js");

function samplePack(pages) {
  const runbooks = [];
  for (let i = 0; i < pages; i++) {
    runbooks.push({ file: `team/page-${i}.md`, front: { title: `Page ${i} — ünïcode ✓` }, sections: [{ heading: "Actions to take", blocks: [{ t: "Code", text: `kubectl get pods -n ns-${i}\n` }] }] });
  }
  return JSON.stringify({ format: "runbook-lens-pack", version: 1, name: "sample", runbooks });
}

test("a pack round-trips through its stored form", async () => {
  const json = samplePack(2000);
  const stored = await encodePack(json);
  assert.ok(stored.startsWith(MARKER));
  assert.ok(stored.length < json.length / 4, `stored ${stored.length} chars for ${json.length}`);
  assert.equal(await decodePack(stored), json);
});

test("plain JSON text (an older store) is read as it is", async () => {
  const json = samplePack(1);
  assert.equal(await decodePack(json), json);
});

test("a damaged stored pack is an error", async () => {
  const stored = await encodePack(samplePack(3));
  await assert.rejects(decodePack(MARKER + "%%%not base64"), /damaged \(not base64\)/);
  await assert.rejects(decodePack(MARKER + btoa("not gzip at all")), /damaged \(not gzip\)/);
  await assert.rejects(decodePack(stored.slice(0, stored.length - 40)), /damaged/);
  await assert.rejects(decodePack(42), /not a stored pack/);
  await assert.rejects(encodePack({}), /JSON text/);
});
