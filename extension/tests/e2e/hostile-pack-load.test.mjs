// Hostile pack files through the real panel: damaged version 4 packs (cut short) and packs an
// older version stored as JSON (whose indices point nowhere: a section that is its own parent
// used to hang the panel) are stored beside a good pack, the way the extension stores packs
// (storage.local `pack:<id>` + `settings`). The panel, which reads only version 4, must leave
// the bad ones out, say which pack and why, and explain the incident from the good one. (A
// JSON pack's indices are checked where it is converted: tests/it/hostile_packs.rs.)
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
// The built-in pack, raw version 4, stored as lib/pack-codec.js stores it: the good one.
const RAW = readFileSync(join(ROOT, "src/builtin/pack.rlpk"));
/** @param {Buffer} raw */
const storedForm = (raw) => "gzip-base64:" + gzipSync(raw).toString("base64");
const GOOD = storedForm(RAW);
// The built-in pack as JSON (version 3), as older versions stored it.
const JSON_PACK = readFileSync(join(ROOT, "extension/tests/fixtures/builtin-pack-v3.json"), "utf8");
const PAGE = "cluster/orchestrator-callback-errors.md";

/** The built-in pack with `spoil` applied to its callback-errors page. */
function spoiled(spoil) {
  const pack = JSON.parse(JSON_PACK);
  spoil(pack.runbooks.find((rb) => rb.file === PAGE));
  return JSON.stringify(pack);
}

let server;
let browser;

describe("hostile pack files in Chromium", { skip }, () => {
  before(async () => {
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("packs with broken section indices are left out, named, and the good pack still explains", async () => {
    const page = await browser.context.newPage();
    await page.goto(INCIDENT);
    const panel = await waitForPanel(page, browser.extensionId);
    const bad = {
      self: spoiled((rb) => (rb.sections[2].parent = 2)),
      cut: storedForm(RAW.subarray(0, RAW.length >> 1)),
      junk: storedForm(Buffer.from("PK\x03\x04 not a pack")),
    };
    const packs = [...Object.keys(bad), "good"].map((id) => ({ id, name: `${id}.json`, enabled: true }));
    const settings = JSON.stringify({ builtin_pack: false, packs });
    const stored = { settings, "pack:good": GOOD };
    for (const [id, json] of Object.entries(bad)) stored[`pack:${id}`] = json;
    await panel.evaluate((s) => chrome.storage.local.set(s), stored);
    await expectText(panel, "runbook", /Callback errors/);
    await expectText(panel, "scenario", /^ErrorUnclassified in DeleteClientID$/);
    const status = await panel.locator('[data-rl="status"]').first().textContent();
    assert.match(status, /Left out \(could not be loaded\)/, status);
    assert.match(status, /self\.json: stored in an older format; open the settings page to convert it/, status);
    assert.match(status, /cut\.json: not a runbook pack: damaged at byte \d+: cannot read /, status);
    assert.match(status, /junk\.json: not a runbook pack: it does not start with `RLPK`/, status);
    assert.doesNotMatch(status, /good\.json/, status);
    assert.doesNotMatch(status, /unreachable|could not start/, status);
    await page.close();
  });
});
