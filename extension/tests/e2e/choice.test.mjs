// Choosing another runbook from the panel, in Chromium (issue 14): a candidate's "Use" shows
// that candidate's whole guidance in place of the first; the runbook search finds a page by
// words of its title and its "Use" does the same; the choice is remembered for the alert's
// name, so the next incident of the same alert (and a reload) opens with it, until Undo.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { CLI, LEDGER, ROOT, SLOW, choicePack, choiceStorage } from "../lib/choice.mjs";
import { expectText, waitFor } from "../lib/panel.mjs";
import { REF, URLS } from "../lib/reference.mjs";
import { startServer } from "../lib/server.mjs";

const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : !CLI ? "no runbook-lens binary in target/ (cargo build first)" : false;

let server;
let browser;
let pack;

/** The choices the panel stored (parsed). */
async function storedChoices(panel) {
  const all = await panel.evaluate(() => chrome.storage.local.get("choices"));
  return JSON.parse(all.choices || "[]");
}

/** Opens `url` with the fixture pack stored (and `extra` settings); resolves to the panel frame. */
async function openWithPack(url, extra) {
  const page = await browser.context.newPage();
  await page.goto(url);
  const panel = await waitForPanel(page, browser.extensionId);
  await panel.evaluate((s) => chrome.storage.local.clear().then(() => chrome.storage.local.set(s)), choiceStorage(pack, extra));
  return { page, panel };
}

describe("choosing another runbook in the panel (Chromium)", { skip }, () => {
  before(async () => {
    pack = choicePack();
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("on the reference incident, a candidate's Use shows that candidate's guidance", async () => {
    const { page, panel } = await openWithPack(URLS.react);
    await expectText(panel, "runbook", REF.runbook);
    await panel.locator('[data-rl="candidates-box"] summary').click();
    const use = panel.locator(`[data-rl="use-candidate"][data-file="${SLOW.file}"]`);
    await use.click();
    await expectText(panel, "runbook", SLOW.runbook);
    await expectText(panel, "scenario", SLOW.scenario);
    await expectText(panel, "query", SLOW.query);
    await expectText(panel, "escalation", /orchestrator squad/);
    assert.equal(await panel.locator('[data-rl="escalation"]').getAttribute("href"), SLOW.escalation);
    const steps = await panel.locator('[data-rl="step-text"]').allTextContents();
    assert.ok(steps.includes(SLOW.step), JSON.stringify(steps));
    // Remembered for the alert's situation, without the values of this incident.
    await expectText(panel, "chosen", "Chosen for alerts named DeleteClientID_callback_action_time_errors.Undo");
    assert.deepEqual(await storedChoices(panel), [{ alert: "DeleteClientID_callback_action_time_errors", runbook: SLOW.file }]);
    // The first runbook is now among the candidates, usable again.
    assert.equal(await panel.locator('[data-rl="use-candidate"]').count(), 1);
    // Another incident of the same alert (another region and carrier) opens with the choice.
    await page.goto(URLS.table);
    const again = await waitForPanel(page, browser.extensionId);
    await expectText(again, "runbook", SLOW.runbook);
    await expectText(again, "why", /chosen for alerts named DeleteClientID_callback_action_time_errors/);
    // Undo goes back to the best fit, and forgets the choice.
    await again.locator('[data-rl="undo-choice"]').click();
    await expectText(again, "runbook", REF.runbook);
    await expectText(again, "query", REF.query);
    assert.equal(await again.locator('[data-rl="chosen"]').count(), 0);
    assert.deepEqual(await storedChoices(again), []);
    await page.close();
  });

  test("on an incident no runbook fits, searching words of a title and using a result shows it", async () => {
    const { page, panel } = await openWithPack(URLS.unknown);
    await expectText(panel, "no-match", /No runbook in the pack fits/);
    const search = panel.locator('[data-rl="runbook-search"]');
    assert.ok(await search.isVisible(), "the search is open under No runbook fits");
    await search.fill("nothing-like-this");
    await expectText(panel, "search-none", "No runbook has these words.");
    await search.fill("ledger Drift");
    await expectText(panel, "search-result", new RegExp(`^${LEDGER.runbook} ${LEDGER.file}`));
    assert.equal(await panel.locator('[data-rl="search-result"]').count(), 1);
    await panel.locator('[data-rl="search-result"] [data-rl="use-result"]').click();
    await expectText(panel, "runbook", LEDGER.runbook);
    await expectText(panel, "query", LEDGER.query);
    await waitFor(async () => (await panel.locator('[data-rl="step-text"]').allTextContents()).includes(LEDGER.step), "the result's step, filled from the alert");
    // After a reload the same incident opens with it.
    await page.reload();
    const again = await waitForPanel(page, browser.extensionId);
    await expectText(again, "runbook", LEDGER.runbook);
    await expectText(again, "chosen", /^Chosen for alerts named payments_queue_backlog\./);
    await expectText(again, "query", LEDGER.query);
    await page.close();
  });

  test("any alert can search: the control is there, closed, under a fitting runbook", async () => {
    const { page, panel } = await openWithPack(URLS.react);
    await expectText(panel, "runbook", REF.runbook);
    const search = panel.locator('[data-rl="runbook-search"]');
    assert.equal(await search.isVisible(), false, "closed until asked for");
    await panel.locator('[data-rl="search-box"] summary').click();
    await search.fill("slow callback");
    await expectText(panel, "search-result", new RegExp(`^${SLOW.runbook}`));
    await panel.locator('[data-rl="use-result"]').first().click();
    await expectText(panel, "runbook", SLOW.runbook);
    await expectText(panel, "query", SLOW.query);
    await page.close();
  });

  test("with no log template, a URL saved in the log setup makes Open search work at once, and it persists", async () => {
    const { page, panel } = await openWithPack(URLS.react);
    await expectText(panel, "query", REF.query);
    const open = panel.locator('[data-rl="open-search"]');
    assert.equal(await open.isVisible(), false, "no template: no Open search yet");
    await panel.locator('[data-rl="log-setup"] summary').click();
    // A preset fills the URL with what is left to fill in; saved as it is, it is refused.
    await panel.locator('[data-rl="log-setup-preset"]').selectOption({ label: "IBM Log Analysis (LogDNA)" });
    const url = panel.locator('[data-rl="log-setup-url"]');
    assert.match(await url.inputValue(), /<instance-id>/);
    await panel.locator('[data-rl="log-setup-save"]').click();
    await expectText(panel, "log-setup-error", /still has `<instance-id>` from the preset/);
    await url.fill("http://logs.example.com/view?q={query}");
    await panel.locator('[data-rl="log-setup-save"]').click();
    await expectText(panel, "log-setup-error", /use an https:\/\/ URL/);
    assert.equal(await open.isVisible(), false, "nothing saved yet");
    await url.fill("https://app.{region}.logging.cloud.ibm.com/0a1b2c/logs/view?q={query}");
    await panel.locator('[data-rl="log-setup-save"]').click();
    const want = "https://app.us-south.logging.cloud.ibm.com/0a1b2c/logs/view?q=callbackName%3ADeleteClientID%20reasonCode%3AErrorUnclassified";
    await waitFor(async () => (await open.isVisible()) && (await open.getAttribute("href")) === want, async () => `Open search to link ${want}; got ${await open.getAttribute("href")}`);
    assert.equal(await panel.locator('[data-rl="log-setup"]').count(), 0, "set up: the form is gone");
    const stored = JSON.parse((await panel.evaluate(() => chrome.storage.local.get("settings"))).settings);
    assert.equal(stored.log_search_urls["us-south"], "https://app.{region}.logging.cloud.ibm.com/0a1b2c/logs/view?q={query}");
    assert.equal(stored.packs[0].id, "choice", "the rest of the settings kept");
    await page.reload();
    const again = await waitForPanel(page, browser.extensionId);
    await expectText(again, "query", REF.query);
    const open2 = again.locator('[data-rl="open-search"]');
    await waitFor(async () => (await open2.isVisible()) && (await open2.getAttribute("href")) === want, "Open search after a reload");
    await page.close();
  });

  test("the options page lists the chosen runbooks, removes one, and imports them from a settings file", async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.locator('[data-rl="options"]').waitFor();
    // The page has read storage.local and storage.managed (as options.test.mjs waits).
    await waitFor(() => page.evaluate(() => document.documentElement.dataset.ready === "managed"), "the options page to read its storage", 15000);
    const mine = [{ alert: "payments_queue_backlog", runbook: LEDGER.file }, { alert: "NodeNotReady", runbook: "armada/node-not-ready.md" }];
    await page.evaluate((c) => chrome.storage.local.clear().then(() => chrome.storage.local.set({ choices: JSON.stringify(c) })), mine);
    await waitFor(async () => (await page.locator('[data-rl="choice"]').count()) === 2, "the two choices listed");
    assert.deepEqual(await page.locator('[data-rl="choice-alert"]').allTextContents(), ["payments_queue_backlog", "NodeNotReady"]);
    await page.locator('[data-rl="choice-remove"]').first().click();
    await waitFor(async () => JSON.stringify(await storedChoices(page)) === JSON.stringify([mine[1]]), "the first choice removed from storage");
    await waitFor(async () => (await page.locator('[data-rl="choice"]').count()) === 1, "one choice listed");
    const file = { format: "runbook-lens-settings", version: 1, settings: {}, choices: [mine[0]] };
    await page.locator('[data-rl="import-settings"]').setInputFiles({ name: "team.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(file)) });
    await waitFor(async () => JSON.stringify(await storedChoices(page)) === JSON.stringify([mine[0]]), "the imported choice stored");
    assert.match(await page.locator('[data-rl="message"]').first().textContent().catch(() => ""), /1 chosen runbook/);
    await page.close();
  });
});
