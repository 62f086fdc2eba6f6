// The panel reads a team's pack from storage once, not again for a change of the settings
// alone: a full reload of a large pack blocks the tab, and every panel sharing its renderer,
// for no change (issue 11: SPA switches of 480-890 ms were such reloads). A change of the pack
// itself is read again. The panel's reads of storage are counted by wrapping
// `chrome.storage.local.get` in its frame before its scripts run.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { expectText, waitFor, watchErrors } from "../lib/panel.mjs";
import { REF, URLS } from "../lib/reference.mjs";
import { startServer } from "../lib/server.mjs";
import { CLI } from "../lib/choice.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : !CLI ? "no runbook-lens binary in target/ (cargo build first)" : false;
const TEMPLATE = "https://logs.example.com/search?q={query}";

/** Counts, in the panel's frame, the storage reads that ask for a stored pack. */
function countPackReads() {
  if (location.protocol !== "chrome-extension:" || !location.pathname.endsWith("/panel.html")) return;
  const area = chrome.storage.local;
  const get = area.get.bind(area);
  /** @type {any} */ (window).__packReads = 0;
  area.get = (keys, ...rest) => {
    const asked = keys === null || keys === undefined ? ["*"] : [keys].flat();
    if (asked.some((k) => typeof k === "string" && (k === "*" || k.startsWith("pack:")))) /** @type {any} */ (window).__packReads += 1;
    return get(keys, ...rest);
  };
}

let server;
let browser;
let pack;

describe("the panel reads a pack again only when it changed", { skip }, () => {
  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "runbook-lens-pack-reload-"));
    cpSync(join(ROOT, "src/builtin/runbooks"), join(out, "runbooks"), { recursive: true });
    const file = join(out, "team.rlpack");
    const r = spawnSync(CLI, ["pack", join(out, "runbooks"), "-o", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    pack = "gzip-base64:" + readFileSync(file).toString("base64");
    rmSync(out, { recursive: true, force: true });
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
    await browser.context.addInitScript(countPackReads);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a settings change is applied without reading the pack; a changed pack is read", async () => {
    const settings = { builtin_pack: false, packs: [{ id: "team", name: "team", enabled: true }] };
    await browser.worker.evaluate((s) => chrome.storage.local.set(s), { settings: JSON.stringify(settings), "pack:team": pack });
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(URLS.react);
    const panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF.runbook);
    const reads = () => panel.evaluate(() => /** @type {any} */ (window).__packReads);
    assert.equal(await reads(), 1, "the pack is read once when the panel opens");

    // The settings change (a log search template): applied (the link appears), pack not read.
    const withLogs = { ...settings, log_search_urls: { "*": TEMPLATE } };
    await browser.worker.evaluate((s) => chrome.storage.local.set(s), { settings: JSON.stringify(withLogs) });
    await waitFor(async () => (await panel.locator('[data-rl="open-search"]').count()) > 0, "the Open search link", 10000);
    assert.equal(await reads(), 1, "a settings change alone does not read the pack again");

    // The pack itself changed (here: removed): read again.
    await browser.worker.evaluate(() => chrome.storage.local.remove("pack:team"));
    await waitFor(async () => (await reads()) >= 2, "the changed pack read again", 10000);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
