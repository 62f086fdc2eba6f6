// Log search links anchored at the alert's time, in the Firefox build (Firefox ESR through
// geckodriver, the same fixture server and proxy as firefox.test.mjs): a {from}/{to} search
// template and a 15-minute window set on the options page (a value out of range is refused
// and changes nothing), then the panel of an incident whose alert carries
// `startsAt = 2026-11-27T03:12:44Z`: its "Open search" link covers that time, exactly as wide
// as the setting, and the panel says where the time came from.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { REF, URLS } from "../lib/reference.mjs";
import { SKIP_FIREFOX, ZIP, firefoxSession, waitFor } from "./harness.mjs";
import { startProxy } from "./proxy.mjs";
import { startGeckodriver, tempDir } from "./webdriver.mjs";

const skip = SKIP_FIREFOX;

/** The incident whose alert starts at STARTS_AT (fixtures/static/incident-time.js). */
const TIMED = "https://acme.pagerduty.com/incidents/Q9TIME0WIN09";
/** 2026-11-27T03:12:44Z in ms since 1970. */
const STARTS_AT = Date.UTC(2026, 10, 27, 3, 12, 44);
const TEMPLATE = "https://logs.example.org/search?q={query}&from={from}&to={to}";

let server;
let proxy;
let profiles;
let driver;
let s; // the WebDriver session

/** Our errors in what Firefox printed since `mark` (as firefox.test.mjs reads them). */
function ourErrors(mark) {
  return driver
    .since(mark)
    .split("\n")
    .filter((l) => /^(JavaScript error|JavaScript warning|console\.error)/.test(l) && /moz-extension:|pagerduty\.com|runbook|RunbookLens/i.test(l));
}

/** Switches into the panel of the current tab (frame 0 of the page). */
async function enterPanel() {
  await waitFor(
    async () => {
      await s.top();
      if (!(await s.execute(() => document.querySelector("[data-runbook-lens]") !== null))) return false;
      await s.frame(0);
      const where = await s.execute(() => location.href);
      return where.startsWith("moz-extension://") && new URL(where).pathname.endsWith("/panel.html") && s.execute(() => document.querySelector('[data-rl="panel"]') !== null);
    },
    "the Runbook Lens panel frame",
  );
}

/** The text of the first `hook` of the current frame, once it matches `expected`. */
async function expectText(hook, expected) {
  let last = null;
  await waitFor(
    async () => {
      last = await s.execute((h) => document.querySelector(`[data-rl="${h}"]`)?.innerText ?? null, hook);
      return last !== null && (expected instanceof RegExp ? expected.test(last) : last === expected);
    },
    () => `[data-rl=${hook}] to be ${expected}; got ${JSON.stringify(last)}`,
  );
  return last;
}

async function element(css) {
  const [el] = await s.findAll(css);
  assert.ok(el, `no element ${css}`);
  return el;
}

/** Types `text` into the options page's `hook` input, replacing what it had. */
async function type(hook, text) {
  const el = await element(`[data-rl="${hook}"]`);
  await s.clear(el);
  await s.sendKeys(el, text);
}

/** The stored settings (storage.local `settings`), read in the options page. */
function stored() {
  return s.execute(() => browser.storage.local.get("settings").then((v) => JSON.parse(v.settings)));
}

before(async () => {
  if (skip) return;
  server = await startServer();
  proxy = await startProxy(server.port);
  profiles = tempDir("runbook-lens-firefox-window-");
});

after(async () => {
  await s?.delete().catch(() => {});
  await driver?.stop();
  await proxy?.close();
  await server?.close();
  profiles?.remove();
});

describe("log search window anchored at the alert's time (Firefox ESR)", { skip, timeout: 120000 }, () => {
  before(async () => {
    driver = await startGeckodriver({ profileRoot: profiles.dir });
    s = await firefoxSession(driver, proxy);
    assert.equal(await s.installAddon(ZIP), "runbook-lens@example.org");
  });

  test("a {from}/{to} template and a 15-minute window set on the options page; the panel's link covers the alert's startsAt", async () => {
    const mark = driver.mark();
    // The options page, opened from the panel's settings button (WebDriver may not navigate
    // to moz-extension:// pages).
    await s.top();
    await s.navigate(URLS.react);
    const incidentTab = await s.cmd("GET", "/window");
    await enterPanel();
    await s.click(await element('[data-rl="open-options"]'));
    const optionsTab = await waitFor(async () => (await s.cmd("GET", "/window/handles")).find((h) => h !== incidentTab), "the options tab");
    await s.cmd("POST", "/window", { handle: optionsTab });
    await waitFor(() => s.execute(() => location.protocol === "moz-extension:" && document.querySelector('[data-rl="options"]') !== null), "the options page");

    await type("log-region", "us-south");
    await type("log-url", TEMPLATE);
    await s.click(await element('[data-rl="log-add"]'));
    await waitFor(() => s.execute(() => document.querySelector('[data-rl="log-template"][data-region="us-south"]') !== null), "the us-south template");
    await type("log-window-minutes", "15");
    await s.click(await element('[data-rl="log-window-save"]'));
    await expectText("message", "Log searches now cover 15 minutes either side of the alert's time.");
    assert.equal((await stored()).log_window_minutes, 15);
    await type("log-window-minutes", "0");
    await s.click(await element('[data-rl="log-window-save"]'));
    await expectText("message", /^Not saved: `log_window_minutes`: 0 is out of range.*1 to 1440/);
    assert.equal((await stored()).log_window_minutes, 15);
    assert.equal((await stored()).log_search_urls["us-south"], TEMPLATE);

    await s.cmd("DELETE", "/window");
    await s.cmd("POST", "/window", { handle: incidentTab });
    await s.top();
    await s.navigate(TIMED);
    await enterPanel();
    await expectText("query", REF.query);
    const href = await waitFor(() => s.execute(() => document.querySelector('[data-rl="open-search"]:not([hidden])')?.href), "the Open search link");
    const link = new URL(href);
    const from = Number(link.searchParams.get("from"));
    const to = Number(link.searchParams.get("to"));
    assert.ok(from < STARTS_AT && STARTS_AT < to, href);
    assert.deepEqual([STARTS_AT - from, to - STARTS_AT], [900000, 900000]);
    assert.equal(link.searchParams.get("q"), REF.query);
    await expectText("log-window", "window 2026-11-27 03:12:44Z ± 15 min, from the alert's startsAt");
    assert.deepEqual(ourErrors(mark), []);
  });
});
