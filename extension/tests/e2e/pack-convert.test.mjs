// Packs stored by older versions (JSON text, plain or gzip-base64) are converted to version 4
// by the background (lib/pack-convert.js, run on install, update and browser start): after
// it the panel, which reads only version 4, uses them; before it, it names them as "stored in
// an older format". A stored pack that does not convert is kept as it was.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { expectText } from "../lib/panel.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : false;
const INCIDENT = "https://acme.pagerduty.com/incidents/Q1REACT0PRE1";
// The built-in pages as a JSON pack (version 3): what an older version stored.
const JSON_PACK = readFileSync(join(ROOT, "extension/tests/fixtures/builtin-pack-v3.json"), "utf8");

let server;
let browser;

describe("stored packs of older versions in Chromium", { skip }, () => {
  before(async () => {
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the background converts them to version 4 and the panel then uses them", async () => {
    const page = await browser.context.newPage();
    await page.goto(INCIDENT);
    const panel = await waitForPanel(page, browser.extensionId);
    const packs = ["plain", "marked", "broken"].map((id) => ({ id, name: `${id}.json`, enabled: true }));
    const stored = {
      settings: JSON.stringify({ builtin_pack: false, packs }),
      "pack:plain": JSON_PACK,
      "pack:marked": "gzip-base64:" + gzipSync(Buffer.from(JSON_PACK)).toString("base64"),
      "pack:broken": JSON.stringify({ format: "runbook-lens-pack", version: 3, name: "x", runbooks: [{ file: 7 }] }),
    };
    await panel.evaluate((s) => chrome.storage.local.set(s), stored);
    const before = await panel.locator('[data-rl="status"]').first();
    await expectText(panel, "status", /plain\.json: stored in an older format; open the settings page to convert it/);
    assert.match(await before.textContent(), /marked\.json: stored in an older format/);

    const converted = await browser.worker.evaluate(() => convertStoredPacks());
    assert.equal(converted, 2, "the two readable packs are converted, the broken one is not");
    const after = await panel.evaluate(() => chrome.storage.local.get(null));
    for (const id of ["plain", "marked"]) {
      assert.ok(after[`pack:${id}`].startsWith("gzip-base64:"), id);
      const raw = await panel.evaluate(async (v) => String.fromCharCode(...(await RunbookLensPackCodec.decodePack(v)).slice(0, 4)), after[`pack:${id}`]);
      assert.equal(raw, "RLPK", id);
    }
    assert.equal(after["pack:broken"], stored["pack:broken"], "a pack that does not convert is kept as it was");
    // The storage change reloads the panel's packs: the converted ones explain the incident.
    await expectText(panel, "runbook", /Callback errors/);
    const status = await panel.locator('[data-rl="status"]').first().textContent();
    assert.doesNotMatch(status, /plain\.json|marked\.json/, status);
    assert.match(status, /broken\.json: stored in an older format/, status);
    await page.close();
  });
});
