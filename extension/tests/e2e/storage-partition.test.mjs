// Where large packs may live (issue 11 item 3): the fact that decides between IndexedDB and
// storage.local with `unlimitedStorage`. The panel is an extension frame inside PagerDuty's
// page, a third-party frame. Measured in the built extension, in two Chromium profiles:
// - a new profile as this Chromium 156 makes it, where third-party frames get no web storage
//   (as with "Block third-party cookies" in Chrome, and in Incognito): the panel's frame is
//   refused IndexedDB altogether ("The user denied permission to access the database"),
//   while storage.local reads what the options page wrote;
// - a profile allowing third-party cookies: the panel's frame shares the extension's IndexedDB
//   with the options page (here Chromium 156 leaves third-party frames' storage unpartitioned
//   altogether: a probe page of another site framing a PagerDuty page read the PagerDuty
//   page's top-level localStorage, so this profile tells nothing of partitioning itself).
// So IndexedDB would work or not depending on a cookie setting; storage.local works in both.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { URLS } from "../lib/reference.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : false;

/** Writes `value` under `key` in the IndexedDB database `rl-probe` of the calling context. */
function idbPut([key, value]) {
  return new Promise((done, fail) => {
    const open = indexedDB.open("rl-probe", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("kv");
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction("kv", "readwrite");
      tx.objectStore("kv").put(value, key);
      tx.oncomplete = () => {
        open.result.close();
        done(true);
      };
      tx.onerror = () => fail(tx.error);
    };
  });
}

/** The value under `key` in the IndexedDB database `rl-probe` of the calling context, or null. */
function idbGet(key) {
  return new Promise((done, fail) => {
    const open = indexedDB.open("rl-probe", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("kv");
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const req = open.result.transaction("kv", "readonly").objectStore("kv").get(key);
      req.onsuccess = () => {
        open.result.close();
        done(req.result === undefined ? null : req.result);
      };
      req.onerror = () => fail(req.error);
    };
  });
}

/** What the panel's frame on an incident page sees of a value the options page stored in
 * IndexedDB and in storage.local: {indexedDB, storageLocal}, each the value or the error. */
async function panelSees(browser) {
  const token = `options-${Math.random()}`;
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.evaluate(idbPut, ["from-options", token]);
  await options.evaluate((t) => chrome.storage.local.set({ "rl-probe": t }), token);
  const page = await browser.context.newPage();
  await page.goto(URLS.react);
  const panel = await waitForPanel(page, browser.extensionId);
  const seen = {
    indexedDB: await panel.evaluate(idbGet, "from-options").catch((e) => `refused: ${e.message.replace(/^.*?Error: /, "")}`),
    storageLocal: await panel.evaluate(async () => (await chrome.storage.local.get("rl-probe"))["rl-probe"] ?? null),
  };
  await options.evaluate(() => chrome.storage.local.remove("rl-probe"));
  await page.close();
  await options.close();
  return { token, seen };
}

for (const [profile, preferences] of [
  ["a new profile (third-party cookies blocked)", null],
  ["a profile allowing third-party cookies", { profile: { cookie_controls_mode: 0 } }],
]) {
  describe(`the panel's frame inside a PagerDuty page, ${profile} (Chromium)`, { skip }, () => {
    let server;
    let browser;

    before(async () => {
      server = await startServer();
      browser = await launch({ extDir: EXT_DIR, port: server.port, preferences });
    });
    after(async () => {
      await browser?.close();
      await server?.close();
    });

    if (preferences === null) {
      test("IndexedDB is refused to the panel's frame; storage.local reads what the options page stored", async () => {
        const { token, seen } = await panelSees(browser);
        assert.deepEqual(seen, { indexedDB: "refused: The user denied permission to access the database.", storageLocal: token });
      });
    } else {
      test("the panel's frame shares the extension's IndexedDB and storage.local with the options page", async () => {
        const { token, seen } = await panelSees(browser);
        assert.deepEqual(seen, { indexedDB: token, storageLocal: token });
      });
    }
  });
}
