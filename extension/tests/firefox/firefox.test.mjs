// End-to-end tests of the Firefox build (dist/runbook-lens-firefox.zip, or
// RUNBOOK_LENS_FIREFOX_ZIP) in headless Firefox ESR driven by geckodriver, against the same
// HTTPS fixture pages (strict page CSP) as the Chromium suite, at PagerDuty host names.
//
//  - Host mapping: Firefox's proxy prefs point at a local CONNECT proxy (proxy.mjs) that
//    tunnels *.pagerduty.com:443 to the fixture server on 127.0.0.1, and refuses the rest.
//  - Certificate: the fixture server's is self-signed; the session has acceptInsecureCerts.
//  - The add-on is installed as a temporary add-on (geckodriver's moz/addon/install).
//  - Host permission: MV3 content script matches are host permissions that Firefox grants
//    at install while `extensions.originControls.grantByDefault` is true (the default since
//    Firefox 127; set explicitly here). Nothing is clicked to grant them.
//  - The panel is an iframe in a closed shadow root: WebDriver's "switch to frame" by index
//    (0: the page's only frame) enters it; page scripts cannot see it (window.frames is 0).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startServer } from "../lib/server.mjs";
import { ETCD, LOG_LINE_403, REF, URLS } from "../lib/reference.mjs";
import { PREFS, ROOT, SKIP_FIREFOX, ZIP, firefoxSession, sleep, waitFor } from "./harness.mjs";
import { startProxy } from "./proxy.mjs";
import { startGeckodriver, tempDir } from "./webdriver.mjs";

const skip = SKIP_FIREFOX;
// Where the pack URL test publishes a pack file (the built-in pack's, pre-parsed): a site
// that is not PagerDuty, so the extension needs the user's permission to reach it.
const PACK_HOST = "packs.runbook-lens.test";
const PACK_PATH = "/team/armada.pack.json";


let server;
let proxy;
let profiles;
let driver;
let s; // the WebDriver session
let addonId;

/**
 * Starts Firefox (with `prefs` on top of PREFS) and installs the add-on; only this
 * start-up is retried.
 */
async function startFirefox(prefs = {}) {
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      driver = await startGeckodriver({ profileRoot: profiles.dir });
      s = await firefoxSession(driver, proxy, prefs);
      addonId = await s.installAddon(ZIP);
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

/**
 * What Firefox printed since `mark` that points at our code: uncaught errors and warnings
 * (they name the moz-extension:// script or the page) and console errors that mention us.
 * Firefox's own noise (remote settings, favicons, backups) names neither.
 */
function ourErrors(mark) {
  return driver
    .since(mark)
    .split("\n")
    .filter((l) => /^(JavaScript error|JavaScript warning|console\.error)/.test(l) && /moz-extension:|pagerduty\.com|runbook|RunbookLens/i.test(l));
}

/**
 * Run in an extension page or frame (through WebDriver): opens a port named `name`, posts
 * `fakes` on it, and resolves to how it ended: {refused: true, error} when the other end
 * closed it (`error` set when nobody was listening at all), {refused: false, got} when an
 * answer came (it was accepted), {refused: null} after 10 s of neither (a failing run only).
 */
function probePort(name, fakes) {
  return new Promise((resolve) => {
    const got = [];
    const p = chrome.runtime.connect({ name });
    p.onMessage.addListener((m) => {
      got.push(m);
      resolve({ refused: false, got });
    });
    p.onDisconnect.addListener((q) => resolve({ refused: true, got, error: (q && q.error && q.error.message) || (chrome.runtime.lastError && chrome.runtime.lastError.message) || null }));
    for (const f of fakes) p.postMessage(f);
    setTimeout(() => resolve({ refused: null, got }), 10000);
  });
}

/**
 * The content script's console lines since `mark` saying that it looked at a page and shows
 * no panel there ("Runbook Lens: not an incident page: <url>", console.debug in its own
 * world, which Firefox prints to stdout with devtools.console.stdout.content).
 */
function noPanelLines(mark) {
  return driver
    .since(mark)
    .split("\n")
    .filter((l) => l.includes("Runbook Lens: not an incident page: "));
}

/** Waits for the content script's sign that it looked at `url` and shows no panel there. */
function decidedNoPanel(mark, url) {
  return waitFor(
    // Firefox prints a string argument in quotes: console.debug: "Runbook Lens: …".
    () => noPanelLines(mark).some((l) => l.trimEnd().replace(/"$/, "").endsWith(`not an incident page: ${url}`)),
    () => `the content script's "not an incident page: ${url}" (console lines seen: ${JSON.stringify(noPanelLines(mark))})`,
  );
}

/** Navigates the top-level browsing context to `url` (WebDriver waits for its load). */
async function open(url) {
  await s.top();
  await s.navigate(url);
}

/** True when our host element is in the page (read from the page's own world). */
async function hasHost() {
  await s.top();
  return s.execute(() => document.querySelector("[data-runbook-lens]") !== null);
}

/**
 * Switches into the panel: frame 0 of the page, an extension page with our panel in it.
 * Leaves the session in that frame.
 */
async function enterPanel() {
  await waitFor(
    async () => {
      await s.top();
      if (!(await s.execute(() => document.querySelector("[data-runbook-lens]") !== null))) return false;
      await s.frame(0);
      const where = await s.execute(() => location.href);
      if (!where.startsWith("moz-extension://") || !new URL(where).pathname.endsWith("/panel.html")) return false;
      return s.execute(() => document.querySelector('[data-rl="panel"]') !== null);
    },
    "the Runbook Lens panel frame",
  );
}

/** Texts (innerText) of the `data-rl` hooks in the current frame (the panel). */
function hookTexts(hook) {
  return s.execute((h) => [...document.querySelectorAll(`[data-rl="${h}"]`)].map((e) => e.innerText), hook);
}

function status() {
  return s.execute(() => document.querySelector('[data-rl="status"]')?.textContent ?? null).catch(() => null);
}

/** Waits until the `nth` `hook` of the panel reads `expected` (string or RegExp). */
async function expectText(hook, expected, { nth = 0, timeout = 15000 } = {}) {
  let last = null;
  await waitFor(
    async () => {
      last = (await hookTexts(hook))[nth] ?? null;
      return last !== null && (expected instanceof RegExp ? expected.test(last) : last === expected);
    },
    async () => `panel [data-rl=${hook}] #${nth} to be ${expected}; got ${JSON.stringify(last && last.slice(0, 300))} (status: ${JSON.stringify(await status())})`,
    timeout,
  );
  return last;
}

/** The first element matching `css` in the current frame (a WebDriver element id). */
async function element(css) {
  const [el] = await s.findAll(css);
  assert.ok(el, `no element ${css}`);
  return el;
}

/**
 * Opens the options page from the panel of the reference incident and switches to its tab;
 * resolves to the incident tab's handle. (WebDriver may not navigate to moz-extension://
 * pages: the panel's settings button opens the options page in a new tab.)
 */
async function openOptions() {
  await open(URLS.react);
  const incidentTab = await s.cmd("GET", "/window");
  await enterPanel();
  await s.click(await element('[data-rl="open-options"]'));
  const optionsTab = await waitFor(async () => (await s.cmd("GET", "/window/handles")).find((h) => h !== incidentTab), "the options tab");
  await s.cmd("POST", "/window", { handle: optionsTab });
  await waitFor(() => s.execute(() => location.protocol === "moz-extension:" && document.querySelector('[data-rl="options"]') !== null), "the options page");
  return incidentTab;
}

async function stopFirefox() {
  await s?.delete().catch(() => {});
  await driver?.stop();
  s = driver = null;
}

before(async () => {
  if (skip) return;
  server = await startServer({ files: { [PACK_HOST + PACK_PATH]: join(ROOT, "extension/tests/fixtures/builtin-pack-v3.json") } });
  proxy = await startProxy(server.port, { hosts: [PACK_HOST] });
  profiles = tempDir("runbook-lens-firefox-");
});

after(async () => {
  await stopFirefox();
  if (proxy) {
    const refused = [...new Set(proxy.refused)];
    if (refused.length) console.log(`# the proxy refused (Firefox's own traffic, kept on this machine): ${refused.join(", ")}`);
  }
  await proxy?.close();
  await server?.close();
  profiles?.remove();
});

describe("Runbook Lens in Firefox ESR", { skip, timeout: 120000 }, () => {
  let logStart = 0;

  before(() => startFirefox());
  after(() => stopFirefox());

  test("the temporary add-on is the Firefox build, in Firefox ESR", () => {
    assert.equal(addonId, "runbook-lens@example.org");
    assert.equal(s.capabilities.browserName, "firefox");
    assert.match(s.capabilities.browserVersion, /^\d+\./);
    console.log(`# Firefox ${s.capabilities.browserVersion}, add-on ${addonId}`);
  });

  test("reference alert: the panel shows runbook, scenario, query, links, steps; values and a log line fill in", async () => {
    logStart = driver.mark();
    await open(URLS.react);
    await enterPanel();
    await expectText("runbook", REF.runbook);
    await expectText("scenario", REF.scenario);
    await expectText("query", REF.query);
    await expectText("alert-title", /^#60048810 staging\.containers-kubernetes\.stage-dal10-carrier103\./);
    assert.deepEqual(await hookTexts("runbook-file"), ["cluster/orchestrator-callback-errors.md"]);
    assert.equal(await s.attribute(await element('[data-rl="dashboard"]'), "href"), REF.dashboard);
    assert.equal(await s.attribute(await element('[data-rl="escalation"]'), "href"), REF.escalation);
    // What WebDriver reads as rendered text is what a user sees.
    assert.equal(await s.text(await element('[data-rl="runbook"]')), REF.runbook);
    assert.equal(await s.text(await element('[data-rl="query"]')), REF.query);

    const copy = await s.execute(() => [...document.querySelectorAll('[data-rl="copy-query"], [data-rl="copy-step"], [data-rl="copy-all"]')].map((b) => b.getAttribute("aria-label")));
    assert.ok(copy.length >= 5, `copy buttons: ${copy.length}`);
    for (const label of copy) assert.match(label, /^Copy/);
    const steps = await hookTexts("step-text");
    assert.ok(steps.length >= 1 && steps.every((t) => t.startsWith("ibmcloud ")), `steps: ${steps}`);

    // A value typed for <controllerid> fills the steps.
    const input = await element('[data-rl="value"][data-name="controllerid"]');
    await s.sendKeys(input, "c0ffee1234abcd5678ef");
    const filled = "ibmcloud ks api-key info --cluster c0ffee1234abcd5678ef";
    await waitFor(async () => (await hookTexts("step-text")).includes(filled), "the step filled with the typed value");

    // A pasted log line picks the 403 sub-scenario.
    await s.sendKeys(await element('[data-rl="log-line"]'), LOG_LINE_403);
    await expectText("scenario", /403 BXNIM0515E/);

    // The page's own script still runs under its CSP, and sees no open shadow root.
    await s.top();
    assert.equal(await s.execute(() => document.body.dataset.pageOk), "1");
    assert.deepEqual(
      await s.execute(() => ({ shadow: document.querySelector("[data-runbook-lens]").shadowRoot, frames: window.frames.length })),
      { shadow: null, frames: 0 },
    );
    assert.deepEqual(ourErrors(logStart), []);
  });

  test("the relay closes ports named for a content script or a panel that come from anyone else (the panel's frame, the options page)", async () => {
    logStart = driver.mark();
    await open(URLS.react);
    await enterPanel();
    await expectText("runbook", REF.runbook);
    const nonce = (await s.execute(() => location.hash)).slice(1);
    assert.match(nonce, /^[0-9a-f]{32}$/);
    // Another nonce, so that only the relay hears these ports (the panel answers only its own
    // name, and would close that one itself).
    const other = "f".repeat(32);
    const fakes = [{ type: "incident", url: URLS.react, text: "- alertname = ArmadaApiHigh5xxRate\n- service = armada-api" }, { type: "collapse", collapsed: true }];
    // Closed by the relay: the other end closed it without an error (nobody listening
    // would say "Receiving end does not exist"), and nothing came back.
    const closedByRelay = { refused: true, got: [], error: null };
    // The panel's frame: an extension frame in the tab, neither the tab's top frame nor a
    // PagerDuty page, and its URL carries its own nonce only.
    assert.deepEqual(await s.execute(probePort, `runbook-lens:${other}`, fakes), closedByRelay, "content-script name from the panel frame");
    assert.deepEqual(await s.execute(probePort, `runbook-lens-panel:${other}`, fakes), closedByRelay, "panel name with another nonce from the panel frame");
    // The options page: an extension page in a tab of its own.
    const incidentTab = await openOptions();
    assert.deepEqual(await s.execute(probePort, `runbook-lens:${other}`, fakes), closedByRelay, "content-script name from the options page");
    assert.deepEqual(await s.execute(probePort, `runbook-lens-panel:${nonce}`, fakes), closedByRelay, "the panel's name from the options page");
    await s.cmd("DELETE", "/window");
    await s.cmd("POST", "/window", { handle: incidentTab });
    // The real pair still relays: the panel shows the incident, and its button collapses the
    // frame through the content script.
    await enterPanel();
    await expectText("runbook", REF.runbook);
    await s.click(await element('[data-rl="collapse"]'));
    await s.top();
    await waitFor(() => s.execute(() => document.elementFromPoint(innerWidth - 100, 100)?.hasAttribute("data-runbook-lens") !== true), "the panel collapsed through the relay");
    await enterPanel();
    await s.click(await element('[data-rl="collapse"]'));
    await s.top();
    await waitFor(() => s.execute(() => document.elementFromPoint(innerWidth - 100, 100)?.hasAttribute("data-runbook-lens") === true), "the panel expanded again");
    assert.deepEqual(ourErrors(logStart), []);
  });

  test("collapse to a tab and back through the panel's button (panel -> relay -> content script), remembered across a reload", async () => {
    logStart = driver.mark();
    // What the page sees near its right edge: our host element while the panel covers it.
    const coveredByPanel = async () => {
      await s.top();
      return s.execute(() => document.elementFromPoint(innerWidth - 100, 100)?.hasAttribute("data-runbook-lens") === true);
    };
    const expanded = async () => (await s.attribute(await element('[data-rl="collapse"]'), "aria-expanded")) === "true";
    await open(URLS.react);
    await enterPanel();
    await expectText("runbook", REF.runbook);
    assert.equal(await coveredByPanel(), true, "the expanded panel covers the right edge");

    await enterPanel();
    await s.click(await element('[data-rl="collapse"]'));
    await waitFor(async () => !(await coveredByPanel()), "the content script to shrink the iframe to a tab");
    await enterPanel();
    assert.equal(await expanded(), false);

    // The content script stored the choice: a reload comes back collapsed.
    await open(URLS.react);
    await enterPanel();
    await waitFor(async () => (await expanded()) === false, "the panel collapsed after a reload");
    assert.equal(await coveredByPanel(), false);

    // Expand again (the tests after this one expect the panel open).
    await enterPanel();
    await s.click(await element('[data-rl="collapse"]'));
    await waitFor(coveredByPanel, "the panel expanded again");
    await enterPanel();
    await expectText("runbook", REF.runbook);
    assert.deepEqual(ourErrors(logStart), []);
  });

  test("EU account, custom details as a key/value table", async () => {
    logStart = driver.mark();
    await open(URLS.table);
    await enterPanel();
    await expectText("runbook", REF.runbook);
    await expectText("alert-title", /^#61172394 bluemix\..*\.eu-de$/);
    await expectText("scenario", REF.scenario);
    await expectText("query", REF.query);
    assert.deepEqual(ourErrors(logStart), []);
  });

  test("Alertmanager text (Labels:/Annotations:/Source:)", async () => {
    logStart = driver.mark();
    await open(URLS.alertmanager);
    await enterPanel();
    await expectText("runbook", ETCD.runbook);
    await expectText("query", ETCD.query);
    assert.deepEqual(ourErrors(logStart), []);
  });

  test("single-page app: list -> incident rendered late -> next incident -> back", async () => {
    logStart = driver.mark();
    await open(URLS.list);
    await decidedNoPanel(logStart, URLS.list);
    assert.equal(await hasHost(), false, "no panel on the incident list");
    await s.click(await element('a[data-incident="Q6LATE0SPA06"]'));
    await enterPanel();
    await expectText("runbook", REF.runbook);
    await expectText("query", REF.query);

    await s.top();
    await s.click(await element("#pd-next"));
    await enterPanel();
    await expectText("runbook", ETCD.runbook);
    await expectText("query", ETCD.query);

    await s.top();
    await s.cmd("POST", "/back", {});
    await enterPanel();
    await expectText("runbook", REF.runbook);
    await expectText("query", REF.query);
    assert.deepEqual(ourErrors(logStart), []);
  });

  test("options page: a page imported and a us-south template added there reach the panel", async () => {
    logStart = driver.mark();
    const incidentTab = await openOptions();

    // A team page written here: the reference runbook under another title.
    const dir = tempDir("runbook-lens-fx-pages-");
    try {
      const page = join(dir.dir, "team-callback-errors.md");
      const source = readFileSync(join(ROOT, "src/builtin/runbooks/cluster/orchestrator-callback-errors.md"), "utf8");
      writeFileSync(page, source.replace(/^title: .*$/m, "title: Team copy of the callback errors page"));
      await s.sendKeys(await element('[data-rl="import-files"]'), page);
      await waitFor(() => s.execute(() => document.querySelector('[data-rl="import-report"]')?.dataset.status), "the import report");
      assert.match(await s.text(await element('[data-rl="import-summary"]')), /^Loaded 1 page from team-callback-errors\.md\./);
    } finally {
      dir.remove();
    }
    // Only the team's pack: the built-in one went off by itself once the team had a pack, and
    // the page says so beside its box.
    await waitFor(() => s.execute(() => !!document.querySelector('[data-rl="builtin-pack-note"]') && document.querySelector('[data-rl="builtin-pack"]')?.checked === false), "the built-in pack off, with its note");

    const template = "https://app.us-south.logging.cloud.ibm.com/fx0123/logs/view?q={query}";
    await s.sendKeys(await element('[data-rl="log-region"]'), "us-south");
    await s.sendKeys(await element('[data-rl="log-url"]'), template);
    await s.click(await element('[data-rl="log-add"]'));
    await waitFor(() => s.execute(() => document.querySelector('[data-rl="log-template"][data-region="us-south"] [data-rl="log-preview-link"]')?.href), "the us-south template with its preview");

    await s.cmd("DELETE", "/window");
    await s.cmd("POST", "/window", { handle: incidentTab });
    await open(URLS.react);
    await enterPanel();
    await expectText("runbook", "Team copy of the callback errors page");
    await expectText("scenario", REF.scenario);
    const href = await waitFor(() => s.execute(() => document.querySelector('[data-rl="open-search"]:not([hidden])')?.href), "the Open search link");
    assert.equal(new URL(href).searchParams.get("q"), REF.query);
    assert.ok(href.startsWith("https://app.us-south.logging.cloud.ibm.com/fx0123/logs/view?q="), href);
    assert.deepEqual(ourErrors(logStart), []);
  });

  test("no panel on status.pagerduty.com or a service page", async () => {
    const mark = driver.mark();
    await open(URLS.status);
    assert.equal(await hasHost(), false, `no host element on ${URLS.status}`);
    // The service page, in the same tab after it: its content script says it looked and
    // shows no panel. The status site is excluded in the manifest: no content script ran
    // there, so none said anything about it either.
    await open(URLS.service);
    await decidedNoPanel(mark, URLS.service);
    assert.equal(await hasHost(), false, `no host element on ${URLS.service}`);
    assert.deepEqual(noPanelLines(mark).filter((l) => l.includes("status.pagerduty.com")), []);
  });
});

// The relay lives in Firefox's background event page, which Firefox unloads after an idle
// spell (30 s by default; the relay's keep-alive prevents it while it serves a panel). Were
// it unloaded anyway, its ports close: the content script and the panel must connect again.
// Here the idle timeout is shorter than the keep-alive's period, so that happens.
describe("Firefox unloads the relay's event page", { skip, timeout: 60000 }, () => {
  const IDLE_MS = 1500;
  before(() => startFirefox({ "extensions.background.idle.timeout": IDLE_MS }));
  after(() => stopFirefox());

  test("the panel follows the next incident and still collapses after the relay was unloaded", async () => {
    const logStart = driver.mark();
    await open(URLS.list);
    await s.click(await element('a[data-incident="Q7NEXT0SPA07"]'));
    await enterPanel();
    await expectText("runbook", ETCD.runbook);

    await sleep(2 * IDLE_MS + 1500); // unloaded at least once, and woken by the reconnecting ports
    await s.top();
    await s.click(await element("#pd-next"));
    await enterPanel();
    await expectText("runbook", REF.runbook);
    await expectText("query", REF.query);

    await sleep(2 * IDLE_MS + 1500);
    await enterPanel();
    await s.click(await element('[data-rl="collapse"]'));
    await s.top();
    await waitFor(() => s.execute(() => document.elementFromPoint(innerWidth - 100, 100)?.hasAttribute("data-runbook-lens") !== true), "the panel collapsed through a reconnected relay");
    await enterPanel();
    await s.click(await element('[data-rl="collapse"]'));
    assert.deepEqual(ourErrors(logStart), []);
  });
});

// A pack URL: added in the options page, which asks for the optional host permission of its
// site in the click (Firefox's `extensions.webextOptionalPermissionPrompts` off grants it
// without a prompt, as if the user said yes); the background downloads it, checks it and
// stores it; the panel then uses it. Removing the URL removes the pack.
describe("pack URL in Firefox: permission, download, panel", { skip, timeout: 90000 }, () => {
  before(() => startFirefox({ "extensions.webextOptionalPermissionPrompts": false }));
  after(() => stopFirefox());

  test("a pack URL added in the options page is downloaded after the permission and used by the panel", async () => {
    const logStart = driver.mark();
    const url = `https://${PACK_HOST}${PACK_PATH}`;
    const incidentTab = await openOptions();
    // Only the downloaded pack: the built-in one off.
    await s.click(await element('[data-rl="builtin-pack"]'));
    await waitFor(() => s.execute(() => /built-in example pack is off/.test(document.querySelector('[data-rl="message"]')?.textContent || "")), "the built-in pack switched off");
    // Not a pack URL: refused before any permission is asked for.
    await s.sendKeys(await element('[data-rl="pack-url-input"]'), "http://packs.runbook-lens.test/insecure.json");
    await s.click(await element('[data-rl="pack-url-add"]'));
    await waitFor(() => s.execute(() => /^Not added: .*https:\/\//.test(document.querySelector('[data-rl="message"]')?.textContent || "")), "the http:// URL refused");
    assert.equal((await s.findAll('[data-rl="pack-url"]')).length, 0);

    await s.clear(await element('[data-rl="pack-url-input"]'));
    await s.sendKeys(await element('[data-rl="pack-url-input"]'), url);
    await s.click(await element('[data-rl="pack-url-add"]'));
    const status = await waitFor(
      () => s.execute((u) => document.querySelector(`[data-rl="pack-url"][data-url="${u}"] [data-rl="pack-url-status"][data-status="ok"]`)?.textContent, url),
      async () => `the pack URL downloaded; page says ${JSON.stringify(await s.execute(() => document.querySelector('[data-rl="pack-urls"]')?.innerText))}`,
      30000,
    );
    assert.match(status, /^5 pages downloaded /);
    assert.ok(server.hits.includes(`GET ${url}`), `the pack was fetched from its URL: ${server.hits.filter((h) => h.includes(PACK_HOST))}`);
    assert.equal(await s.execute(() => chrome.permissions.contains({ origins: ["https://packs.runbook-lens.test/*"] })), true);

    await s.cmd("POST", "/window", { handle: incidentTab });
    await open(URLS.react);
    await enterPanel();
    await expectText("runbook", REF.runbook);
    await expectText("scenario", REF.scenario);

    // Removed in the options page: the background drops the pack, the panel has none.
    await s.top();
    const optionsTab = (await s.cmd("GET", "/window/handles")).find((h) => h !== incidentTab);
    await s.cmd("POST", "/window", { handle: optionsTab });
    await s.click(await element('[data-rl="pack-url-remove"]'));
    await waitFor(async () => (await s.findAll('[data-rl="pack-url"]')).length === 0, "the pack URL removed");
    await waitFor(async () => Object.keys(await s.execute(() => chrome.storage.local.get(null))).every((k) => !k.startsWith("pack-url:")), "the downloaded pack removed from storage");
    await s.cmd("DELETE", "/window");
    await s.cmd("POST", "/window", { handle: incidentTab });
    await open(URLS.react);
    await enterPanel();
    await expectText("no-match", /./);
    assert.deepEqual(ourErrors(logStart), []);
  });
});
