// The Firefox build (no browser needed): transformManifest(source, "firefox") and, when it
// has been built, dist/firefox and its zip.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { BROWSERS, FIREFOX_RELAY, FIREFOX_RELAY_NEEDS, GECKO_ID, GECKO_MIN_VERSION, transformManifest } from "../../../scripts/build-extension.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const SOURCE = JSON.parse(readFileSync(join(ROOT, "extension", "manifest.json"), "utf8"));
const FX_DIR = process.env.RUNBOOK_LENS_FIREFOX_DIR || join(ROOT, "dist", "firefox");
const FX_ZIP = process.env.RUNBOOK_LENS_FIREFOX_ZIP || join(ROOT, "dist", "runbook-lens-firefox.zip");

/** name -> contents of every entry of a zip (stored or deflated entries). */
function readZip(buf) {
  const out = new Map();
  let off = 0;
  while (buf.readUInt32LE(off) === 0x04034b50) {
    const method = buf.readUInt16LE(off + 8);
    const size = buf.readUInt32LE(off + 18);
    const nlen = buf.readUInt16LE(off + 26);
    const xlen = buf.readUInt16LE(off + 28);
    const name = buf.toString("utf8", off + 30, off + 30 + nlen);
    const body = buf.subarray(off + 30 + nlen + xlen, off + 30 + nlen + xlen + size);
    out.set(name, method === 8 ? inflateRawSync(body) : body);
    off += 30 + nlen + xlen + size;
  }
  return out;
}

test("transformManifest: firefox is a known target", () => {
  assert.ok(BROWSERS.includes("firefox"));
  assert.ok(BROWSERS.includes("chrome"));
});

test("transformManifest(firefox): gecko id and minimum version, event-page background with the relay", () => {
  const m = transformManifest(SOURCE, "firefox");
  assert.equal(m.manifest_version, 3);
  assert.deepEqual(m.browser_specific_settings.gecko, {
    id: GECKO_ID,
    strict_min_version: GECKO_MIN_VERSION,
    data_collection_permissions: { required: ["none"] },
  });
  assert.match(GECKO_ID, /^[a-z0-9-]+@[a-z0-9.-]+$/);
  assert.ok(Number.parseInt(GECKO_MIN_VERSION, 10) >= 127, "MV3 host permissions granted at install need Firefox 127+");
  // No service worker in Firefox: the same script as an event page (an ES module, as in
  // Chromium), after the relay and the protocol module the relay reads.
  assert.equal(SOURCE.background.type, "module");
  assert.deepEqual(FIREFOX_RELAY_NEEDS, ["lib/protocol.js"]);
  assert.deepEqual(m.background, { scripts: ["lib/protocol.js", FIREFOX_RELAY, SOURCE.background.service_worker], type: "module" });
  assert.equal(m.minimum_chrome_version, undefined);
  // The source is not changed in place, and transforming twice gives the same manifest.
  assert.equal(SOURCE.browser_specific_settings, undefined);
  assert.equal(SOURCE.background.service_worker, "background.js");
  assert.deepEqual(transformManifest(SOURCE, "firefox"), m);
});

test("transformManifest(firefox): the relay comes after what it needs and before the source's scripts, each once", () => {
  const scripts = (background) => transformManifest({ ...SOURCE, background }, "firefox").background;
  // A source with background.scripts (as a cross-browser manifest would have): their order
  // is kept; one the relay needs moves before the relay and is not listed twice.
  assert.deepEqual(scripts({ scripts: ["lib/protocol.js", "background.js"], type: "module" }), { scripts: ["lib/protocol.js", FIREFOX_RELAY, "background.js"], type: "module" });
  assert.deepEqual(scripts({ scripts: ["lib/a.js", "lib/protocol.js", "background.js"] }), { scripts: ["lib/protocol.js", FIREFOX_RELAY, "lib/a.js", "background.js"] });
  // A source that already lists the relay: still once, after what it needs.
  assert.deepEqual(scripts({ scripts: ["background.js", FIREFOX_RELAY] }).scripts, ["lib/protocol.js", FIREFOX_RELAY, "background.js"]);
  // A classic service worker stays classic (no `type`).
  assert.deepEqual(scripts({ service_worker: "sw.js" }), { scripts: ["lib/protocol.js", FIREFOX_RELAY, "sw.js"] });
  // No background at all: the relay and what it needs.
  assert.deepEqual(transformManifest({ ...SOURCE, background: undefined }, "firefox").background, { scripts: ["lib/protocol.js", FIREFOX_RELAY] });
  // Each script the Firefox manifest names is in extension/ (the build checks this again).
  for (const f of transformManifest(SOURCE, "firefox").background.scripts) assert.ok(existsSync(join(ROOT, "extension", f)), f);
});

test("transformManifest(firefox): no Chrome-only storage.managed_schema (Firefox warns about it), the source keeps it", () => {
  assert.equal(SOURCE.storage.managed_schema, "managed_schema.json");
  const m = transformManifest(SOURCE, "firefox");
  assert.equal(m.storage, undefined, JSON.stringify(m.storage));
  assert.equal(SOURCE.storage.managed_schema, "managed_schema.json", "the source is not changed in place");
  // Other storage keys, were there any, would stay.
  assert.deepEqual(transformManifest({ ...SOURCE, storage: { managed_schema: "s.json", other: 1 } }, "firefox").storage, { other: 1 });
  // Chromium keeps it: the schema is how its policy is read.
  assert.deepEqual(transformManifest(SOURCE, "chrome").storage, SOURCE.storage);
});

test("transformManifest(firefox): permissions, content script, panel and CSP exactly as the source", () => {
  const m = transformManifest(SOURCE, "firefox");
  for (const key of ["permissions", "content_scripts", "web_accessible_resources", "content_security_policy", "commands", "icons", "name", "version"]) {
    assert.deepEqual(m[key], SOURCE[key], key);
  }
  assert.equal(m.host_permissions, undefined, "the content script's matches are the host permissions");
  // Pack URLs: any https site, only when the user grants it for the URL they add.
  assert.deepEqual(m.optional_host_permissions, ["https://*/*"]);
  assert.deepEqual(m.optional_host_permissions, SOURCE.optional_host_permissions);
  assert.deepEqual(m.options_ui, { page: "options.html", open_in_tab: true });
  assert.match(m.content_security_policy.extension_pages, /'wasm-unsafe-eval'/);
  assert.doesNotMatch(JSON.stringify(m), /<all_urls>|\*:\/\/\*\/\*/);
});

test("transformManifest(chrome) ships no Firefox keys", () => {
  const m = transformManifest(SOURCE, "chrome");
  assert.equal(m.browser_specific_settings, undefined);
  assert.deepEqual(m.background, SOURCE.background);
});

test("dist/firefox and its zip: the transformed manifest and the relay", { skip: !existsSync(join(FX_DIR, "manifest.json")) && `no ${FX_DIR} (./build.sh extension)` }, () => {
  const m = JSON.parse(readFileSync(join(FX_DIR, "manifest.json"), "utf8"));
  assert.deepEqual(m, transformManifest(SOURCE, "firefox"));
  for (const f of [FIREFOX_RELAY, "background.js", "content.js", "lib/pd-page.js", "panel.html", "panel.js", "pkg/runbook_lens.js", "pkg/runbook_lens_bg.wasm"]) {
    assert.ok(existsSync(join(FX_DIR, f)), f);
  }
  assert.ok(existsSync(FX_ZIP), `${FX_ZIP} is built with dist/firefox`);
  const zip = readZip(readFileSync(FX_ZIP));
  assert.deepEqual(JSON.parse(zip.get("manifest.json").toString("utf8")), m);
  assert.ok(zip.has(FIREFOX_RELAY));
  // Chrome's policy schema is not shipped to Firefox, which would not read it.
  assert.equal(existsSync(join(FX_DIR, SOURCE.storage.managed_schema)), false);
  assert.ok(!zip.has(SOURCE.storage.managed_schema));
  assert.ok(![...zip.keys()].some((n) => n.startsWith("tests/")), "no tests in the zip");
  // The Chrome build, when there, does not carry the Firefox-only relay.
  const chrome = join(ROOT, "dist", "chrome");
  if (existsSync(join(chrome, "manifest.json"))) assert.equal(existsSync(join(chrome, FIREFOX_RELAY)), false);
});
