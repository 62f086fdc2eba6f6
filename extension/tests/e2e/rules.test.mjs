// Extraction rules in Chromium: with a rule in the settings, a pasted plain-text log line
// picks the 403 scenario and fills <controllerid> through the panel's rules module, which the
// panel loads only when there are rules; the options page edits the rules and refuses a bad
// one naming `extract[n]`, storing nothing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { expectText, recordRequests, waitFor, watchErrors } from "../lib/panel.mjs";
import { REF, URLS } from "../lib/reference.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium()
  ? `no Chromium at ${CHROMIUM}`
  : !existsSync(join(EXT_DIR, "manifest.json"))
    ? `no built extension in ${EXT_DIR}`
    : false;

export const RULE = "controller (?P<controllerid>[0-9a-f]{8,})";
export const PLAIN_LOG_LINE = "2026-11-27T03:12:44Z ERROR DeleteClientID failed for controller c0ffee1234abcd: 403 BXNIM0515E: You are not authorized to manage this Client ID.";
export const FILLED_STEP = "ibmcloud ks api-key info --cluster c0ffee1234abcd";
const RULES_WASM = "pkg/runbook_lens_rules_bg.wasm";

let server;
let browser;
/** Every request of the browser context (see recordRequests). */
let requests = [];

/** Stores `settings` (an object) as the extension's settings. */
function setSettings(settings) {
  return browser.worker.evaluate((s) => chrome.storage.local.set({ settings: s }), JSON.stringify(settings));
}

/** The extension files the panel frames of this browser have requested so far. */
function panelFiles() {
  const ext = `chrome-extension://${browser.extensionId}/`;
  return requests.filter((r) => r.url.startsWith(ext) && r.where.startsWith(`${ext}panel.html`)).map((r) => r.url.slice(ext.length));
}

async function openPanel(url) {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  const panel = await waitForPanel(page, browser.extensionId);
  await expectText(panel, "runbook", REF.runbook);
  return { page, panel, errors };
}

describe("extraction rules in Chromium", { skip }, () => {
  before(async () => {
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
    requests = recordRequests(browser.context);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("without rules the rules module is not loaded, and a plain line leaves <controllerid> open", async () => {
    await setSettings({});
    const { page, panel, errors } = await openPanel(URLS.react);
    await panel.locator('[data-rl="log-line"]').fill(PLAIN_LOG_LINE);
    await expectText(panel, "scenario", /403 BXNIM0515E/);
    const steps = await panel.locator('[data-rl="step-text"]').allInnerTexts();
    assert.ok(steps.includes("ibmcloud ks api-key info --cluster <controllerid>"), `steps: ${steps}`);
    assert.equal(await panel.locator('[data-rl="rule-values"]').count(), 0);
    // The panel's own module was requested (so requests are seen), the rules module was not.
    assert.ok(panelFiles().includes("pkg/runbook_lens_bg.wasm"), `panel requests: ${panelFiles()}`);
    assert.ok(!panelFiles().includes(RULES_WASM), `the rules module stays unloaded: ${panelFiles()}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a rule in the settings fills <controllerid> from a pasted plain-text log line and says which rule", async () => {
    await setSettings({ extract: [RULE] });
    const { page, panel, errors } = await openPanel(URLS.react);
    // Two lines: the rule reads each on its own; the second holds the controller.
    await panel.locator('[data-rl="log-line"]').fill(`2026-11-27T03:12:40Z INFO retrying DeleteClientID\n${PLAIN_LOG_LINE}`);
    await expectText(panel, "scenario", /403 BXNIM0515E/);
    await waitFor(async () => (await panel.locator('[data-rl="step-text"]').allInnerTexts()).includes(FILLED_STEP), `the step \`${FILLED_STEP}\``, 15000);
    await expectText(panel, "rule-value", `<controllerid> = c0ffee1234abcd — from rule \`${RULE}\` (log line 2)`);
    assert.ok(panelFiles().includes(RULES_WASM), `the rules module was loaded: ${panelFiles()}`);
    // <controllerid> is filled, so it is no longer asked for.
    assert.equal(await panel.locator('[data-rl="value"][data-name="controllerid"]').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
    await setSettings({});
  });

  test("the options page edits the rules: a bad one is refused naming extract[n], nothing stored", async () => {
    await setSettings({});
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.locator('[data-rl="extract-rules"]').waitFor();
    const storedSettings = () => page.evaluate(() => chrome.storage.local.get("settings").then((r) => r.settings));
    const before = await storedSettings();

    await page.locator('[data-rl="extract-rules"]').fill(`${RULE}\ncontroller (?P<id>[0-9a-f`);
    await page.locator('[data-rl="extract-save"]').click();
    const message = page.locator('[data-rl="message"][data-status="error"]');
    await message.waitFor();
    assert.match(await message.innerText(), /Not saved: `extract\[1\]`: .*unclosed character class/);
    assert.equal(await storedSettings(), before, "nothing stored");

    await page.locator('[data-rl="extract-rules"]').fill(`  ${RULE}  \n\n`);
    await page.locator('[data-rl="extract-save"]').click();
    await page.locator('[data-rl="message"][data-status="ok"]').waitFor();
    await waitFor(async () => JSON.parse((await storedSettings()) || "{}").extract?.[0] === RULE, "the rule to be stored");
    assert.deepEqual(JSON.parse(await storedSettings()).extract, [RULE]);
    assert.equal(await page.locator('[data-rl="extract-rules"]').inputValue(), RULE);
    assert.deepEqual(errors, []);
    await page.close();
    await setSettings({});
  });
});
