// The panel on incident pages laid out as PagerDuty's (issue 10), in Firefox ESR with the Firefox
// build (dist/runbook-lens-firefox.zip, or RUNBOOK_LENS_FIREFOX_ZIP): the fixture pages
// extension/tests/fixtures/pd-real-*.html listed in tests/pages/cases.json, read through the
// content script's snapshot and the panel's Rust reader. The same assertions as the Chromium
// test extension/tests/e2e/pd-real.test.mjs: for each alert of the incident the panel shows the
// runbook, scenario and query that tests/pages/<case>/expect.json names, each alert's region in
// its title, and nothing of other incidents (Past Incidents, links to other incidents, the
// responders and notes widgets, the summary card). The collapsed row is then expanded from the
// page's own world, and the panel follows.
//
// The host mapping, certificate and add-on installation are firefox.test.mjs's (see its header):
// the proxy tunnels *.pagerduty.com:443 to the HTTPS fixture server, the session accepts its
// self-signed certificate, and the add-on is installed as a temporary add-on.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES, startServer } from "../lib/server.mjs";
import { ROOT, SKIP_FIREFOX, ZIP, firefoxSession, sleep, waitFor } from "./harness.mjs";
import { startProxy } from "./proxy.mjs";
import { startGeckodriver, tempDir } from "./webdriver.mjs";

const PAGES = join(ROOT, "tests", "pages");
const skip = SKIP_FIREFOX;

const CASES = JSON.parse(readFileSync(join(PAGES, "cases.json"), "utf8"));
/** What the fixtures show of other incidents and of the page's chrome: never in the panel. */
const NOT_THIS_INCIDENT = ["CreateClientID_callback", "prod-dal12-carrier2", "#594", "#590", "#588", "carrier7", "jp-tok", "ap-north", "eu-gb", "us-east", "Triggered", "Urgency"];

let server;
let proxy;
let profiles;
let driver;
let s; // the WebDriver session

/** The case named `name`, with its expectations. */
function theCase(name) {
  const c = CASES.find((x) => x.name === name);
  assert.ok(c, `tests/pages/cases.json has no case ${name}`);
  return { ...c, expect: JSON.parse(readFileSync(join(PAGES, name, "expect.json"), "utf8")) };
}

/** Starts Firefox and installs the add-on; only this start-up is retried. */
async function startFirefox() {
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      driver = await startGeckodriver({ profileRoot: profiles.dir });
      s = await firefoxSession(driver, proxy);
      await s.installAddon(ZIP);
      return;
    } catch (e) {
      lastError = e;
      console.error(`# Firefox start, attempt ${attempt}: ${e.message}`);
      await s?.delete().catch(() => {});
      await driver?.stop();
      s = driver = null;
      await sleep(1000);
    }
  }
  throw lastError;
}

/** Firefox's console lines since `mark` that point at our code (as firefox.test.mjs reads them). */
function ourErrors(mark) {
  return driver
    .since(mark)
    .split("\n")
    .filter((l) => /^(JavaScript error|JavaScript warning|console\.error)/.test(l) && /moz-extension:|pagerduty\.com|runbook|RunbookLens/i.test(l));
}

/** Opens `url` in the top-level browsing context and switches into the panel's frame. */
async function openPanel(url) {
  await s.top();
  await s.navigate(url);
  await enterPanel();
}

/** Switches into the panel (frame 0 of the page, our panel.html); leaves the session there. */
async function enterPanel() {
  await waitFor(async () => {
    await s.top();
    if (!(await s.execute(() => document.querySelector("[data-runbook-lens]") !== null))) return false;
    await s.frame(0);
    const where = await s.execute(() => location.href);
    if (!where.startsWith("moz-extension://") || !new URL(where).pathname.endsWith("/panel.html")) return false;
    return s.execute(() => document.querySelector('[data-rl="alerts"]') !== null);
  }, "the Runbook Lens panel frame with its alerts");
}

/**
 * What the panel (the current frame) shows of each alert: its title, runbook, query and
 * scenarios as rendered text, and the whole alerts section's text.
 */
function shownAlerts() {
  return s.execute(() => {
    const text = (el) => (el ? el.innerText : null);
    const alerts = [...document.querySelectorAll('[data-rl="alert"]')].map((a) => ({
      title: text(a.querySelector('[data-rl="alert-title"]')),
      runbook: text(a.querySelector('[data-rl="runbook"]')),
      query: text(a.querySelector('[data-rl="query"]')),
      scenario: text(a.querySelector('[data-rl="scenario"]')),
    }));
    return { alerts, all: text(document.querySelector('[data-rl="alerts"]')) || "" };
  });
}

/**
 * Waits until the panel shows as many alerts as `explained` with the last one's title, then
 * checks each alert against its expectation, in order.
 */
async function checkAlerts(explained) {
  let shown = null;
  await waitFor(
    async () => {
      shown = await shownAlerts();
      return shown.alerts.length === explained.length && shown.alerts[explained.length - 1].title === explained[explained.length - 1].title && explained.every((w, i) => shown.alerts[i].query === w.query);
    },
    () => `the panel to show ${explained.length} alert(s) ending with ${JSON.stringify(explained[explained.length - 1].title)}; it shows ${JSON.stringify(shown)}`,
  );
  for (const [i, want] of explained.entries()) {
    const got = shown.alerts[i];
    assert.equal(got.title, want.title, `alert ${i}'s title`);
    assert.ok(want.region && got.title.endsWith("." + want.region), `alert ${i} shows its region ${want.region}`);
    assert.equal(got.runbook, want.runbook, `alert ${i}'s runbook`);
    assert.equal(got.query, want.query, `alert ${i}'s query`);
    if (want.scenario) assert.match(got.scenario ?? "", new RegExp(want.scenario), `alert ${i}'s scenario`);
  }
  for (const other of NOT_THIS_INCIDENT) assert.ok(!shown.all.includes(other), `the panel shows "${other}" of another incident or of the page's chrome`);
}

before(async () => {
  if (skip) return;
  const files = {};
  for (const c of CASES) {
    const u = new URL(c.url);
    files[u.host + u.pathname] = join(FIXTURES, c.fixture);
  }
  server = await startServer({ files });
  proxy = await startProxy(server.port);
  profiles = tempDir("runbook-lens-firefox-pd-real-");
});

after(async () => {
  await s?.delete().catch(() => {});
  await driver?.stop();
  await proxy?.close();
  await server?.close();
  profiles?.remove();
});

describe("PagerDuty's incident page layout in Firefox ESR (snapshot read in Rust)", { skip, timeout: 180000 }, () => {
  before(() => startFirefox());

  for (const name of ["two-alerts-expanded", "one-alert-expanded", "shown-twice", "raw-json-message", "alert-page"]) {
    test(`${name}: each alert's runbook, scenario, query and region; nothing of other incidents`, async () => {
      const c = theCase(name);
      const mark = driver.mark();
      await openPanel(c.url);
      await checkAlerts(c.expect.explained);
      assert.deepEqual(ourErrors(mark), []);
    });
  }

  test("collapsed row, then expanded: the title alone, then the details fill the query", async () => {
    const collapsed = theCase("title-only-collapsed");
    const expanded = theCase("one-alert-expanded");
    const mark = driver.mark();
    await openPanel(collapsed.url);
    await checkAlerts(collapsed.expect.explained);
    // "Show Details": the page puts the details table into the summary cell, as the expanded
    // fixture shows it (from the page's own world, the way PagerDuty's script would).
    const details = readFileSync(join(FIXTURES, expanded.fixture), "utf8").match(/<table class="AlertDetails_table[\s\S]*?<\/table>/)[0];
    await s.top();
    const done = await s.execute((html) => {
      const button = document.querySelector('button[aria-expanded="false"]');
      if (!button) return false;
      button.textContent = "Hide Details";
      button.setAttribute("aria-expanded", "true");
      const t = new DOMParser().parseFromString(`<table>${html.replace(/^<table[^>]*>|<\/table>$/g, "")}</table>`, "text/html").querySelector("table");
      t.className = "AlertDetails_table__Rt5e2";
      button.parentElement.append(document.importNode(t, true));
      return true;
    }, details);
    assert.equal(done, true, "the collapsed fixture has a Show Details toggle");
    await enterPanel();
    await checkAlerts(expanded.expect.explained);
    assert.deepEqual(ourErrors(mark), []);
  });
});
