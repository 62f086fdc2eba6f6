// Log search links anchored at the alert's time, in the built extension in headless Chromium:
// a search template with {from}/{to} set up on the options page, the time window edited there
// (a value out of range is refused and changes nothing), and the panel's "Open search" link on
// an incident whose alert carries `startsAt = 2026-11-27T03:12:44Z`: its window contains that
// time, is as wide as the setting says, and the panel says where the time came from. On an
// incident whose alert names no time, the panel says the time is unknown.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { expectText, waitFor, watchErrors } from "../lib/panel.mjs";
import { REF, URLS } from "../lib/reference.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium()
  ? `no Chromium at ${CHROMIUM}`
  : !existsSync(join(EXT_DIR, "manifest.json"))
    ? `no built extension in ${EXT_DIR}`
    : false;

/** The incident whose alert starts at STARTS_AT (fixtures/static/incident-time.js). */
const TIMED = "https://acme.pagerduty.com/incidents/Q9TIME0WIN09";
/** 2026-11-27T03:12:44Z in ms since 1970. */
const STARTS_AT = Date.UTC(2026, 10, 27, 3, 12, 44);
const TEMPLATE = "https://logs.example.org/search?q={query}&from={from}&to={to}&start={from_iso}";

/** The Open search link of the panel once it is shown, parsed. */
async function openSearch(panel) {
  const a = panel.locator('[data-rl="open-search"]').first();
  let href = null;
  await waitFor(
    async () => {
      href = (await a.count()) && (await a.isVisible()) ? await a.getAttribute("href") : null;
      return href !== null && href.startsWith("https://logs.example.org/search?");
    },
    () => `an Open search link; got ${JSON.stringify(href)}`,
  );
  return new URL(href);
}

describe("log search window anchored at the alert's time (Chromium)", { skip }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the options page sets a {from}/{to} template and a 10-minute window; the panel's link covers the alert's startsAt", async () => {
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await page.locator('[data-rl="options"]').waitFor();
    await page.locator('[data-rl="log-region"]').fill("us-south");
    await page.locator('[data-rl="log-url"]').fill(TEMPLATE);
    await page.locator('[data-rl="log-add"]').click();
    await page.locator('[data-rl="log-template"][data-region="us-south"]').waitFor();

    const minutes = page.locator('[data-rl="log-window-minutes"]');
    const stored = async () => JSON.parse((await page.evaluate(() => chrome.storage.local.get("settings"))).settings);
    await minutes.fill("10");
    await page.locator('[data-rl="log-window-save"]').click();
    await expectText(page, "message", "Log searches now cover 10 minutes either side of the alert's time.");
    assert.equal((await stored()).log_window_minutes, 10);
    // Out of range: refused with the field named, and the stored value stays.
    for (const bad of ["0", "5000"]) {
      await page.locator('[data-rl="log-window-minutes"]').fill(bad);
      await page.locator('[data-rl="log-window-save"]').click();
      const msg = await expectText(page, "message", /^Not saved: `log_window_minutes`: /);
      assert.match(msg, /1 to 1440/);
      assert.equal(await page.locator('[data-rl="message"]').getAttribute("data-status"), "error");
      assert.equal((await stored()).log_window_minutes, 10);
      assert.equal((await stored()).log_search_urls["us-south"], TEMPLATE);
    }

    const incident = await browser.context.newPage();
    const panelErrors = watchErrors(incident);
    await incident.goto(TIMED);
    const panel = await waitForPanel(incident, browser.extensionId);
    await expectText(panel, "query", REF.query);
    const link = await openSearch(panel);
    const from = Number(link.searchParams.get("from"));
    const to = Number(link.searchParams.get("to"));
    assert.ok(from < STARTS_AT && STARTS_AT < to, `${link}`);
    assert.deepEqual([STARTS_AT - from, to - STARTS_AT], [600000, 600000]);
    assert.equal(link.searchParams.get("start"), "2026-11-27T03:02:44Z");
    assert.equal(link.searchParams.get("q"), REF.query);
    await expectText(panel, "log-window", "window 2026-11-27 03:12:44Z ± 10 min, from the alert's startsAt");

    // An alert that names no time: the panel says so, and the link is around now.
    const other = await browser.context.newPage();
    const otherErrors = watchErrors(other);
    await other.goto(URLS.react);
    const otherPanel = await waitForPanel(other, browser.extensionId);
    await expectText(otherPanel, "log-window", /^the alert's time is unknown \(.*\): window now \(.*\) ± 10 min$/);
    const otherLink = await openSearch(otherPanel);
    assert.equal(Number(otherLink.searchParams.get("to")) - Number(otherLink.searchParams.get("from")), 1200000);

    assert.deepEqual([...errors, ...panelErrors, ...otherErrors], []);
    await other.close();
    await incident.close();
    await page.close();
  });
});
