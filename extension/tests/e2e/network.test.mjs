// No network: while a user opens incidents, navigates the single-page app, copies commands,
// types values, pastes a log line and collapses/expands the panel, the browser makes no
// request besides the fixture pages' own (the loopback-served PagerDuty hosts) and the
// extension's packaged files.
//
// Two recorders, because neither sees everything:
//  - Playwright's context-wide `request` event: every page, every frame (the panel's
//    extension frame included: its chrome-extension:// loads show up, which proves the
//    recorder sees the panel's fetches) and the service worker;
//  - Chromium's NetLog (--log-net-log), read after the browser exits: every request that
//    reached the network stack, whoever made it (chrome-extension:// loads never do).
// The list is printed when the test fails.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { copyVia, expectText, recordRequests, waitFor } from "../lib/panel.mjs";
import { ROUTES, startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : false;

const FIXTURE_ORIGINS = ["https://acme.pagerduty.com", "https://acme.eu.pagerduty.com"];
// Chromium's own background services (sign-in, component updater, …): requests the
// browser makes whatever extension is loaded, with no page or extension as initiator.
const BROWSER_SERVICES = /^https?:\/\/([a-z0-9-]+\.)*(google\.com|googleapis\.com|gstatic\.com|gvt1\.com|googleusercontent\.com)(:\d+)?\//;
const REF_RUNBOOK = "armada-orchestrator - Callback errors";
const ETCD_RUNBOOK = "armada-deploy - Cluster etcd backup failing";

let server;
let browser;
let netlogDir;
let requests;

/** Network requests in a NetLog file: {url, initiator, type} of each URL_REQUEST_START_JOB. */
function readNetLog(file) {
  const log = JSON.parse(readFileSync(file, "utf8"));
  const START = log.constants.logEventTypes.URL_REQUEST_START_JOB;
  const out = [];
  for (const e of log.events) {
    if (e.type === START && e.params && e.params.url) {
      out.push({ url: e.params.url, initiator: e.params.initiator, type: e.params.request_type });
    }
  }
  return out;
}

const show = (list) => "\n  " + list.map((r) => JSON.stringify(r)).join("\n  ");

describe("no network besides the page and the extension's own files", { skip }, () => {
  before(async () => {
    server = await startServer();
    netlogDir = mkdtempSync(join(tmpdir(), "runbook-lens-netlog-"));
    browser = await launch({ extDir: EXT_DIR, port: server.port, args: [`--log-net-log=${join(netlogDir, "netlog.json")}`] });
    requests = recordRequests(browser.context);
    for (const origin of FIXTURE_ORIGINS) {
      await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    }
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (netlogDir) rmSync(netlogDir, { recursive: true, force: true });
  });

  test("a user's session: incidents, SPA navigation, copies, values, a log line, collapse/expand", async () => {
    const ext = `chrome-extension://${browser.extensionId}/`;
    // The session's dynamic URL of the panel's files (web_accessible_resources
    // `use_dynamic_url`): the content script frames the panel there, and Chromium redirects
    // it to the extension's own URL. Its loads are the extension's packaged files too.
    const dynamic = `chrome-extension://${new URL(await browser.worker.evaluate(() => chrome.runtime.getURL("panel.html"))).host}/`;
    assert.notEqual(dynamic, ext, "the panel has a dynamic URL");
    // The recorder sees the service worker's fetches too (a control: a packaged file).
    await browser.worker.evaluate(() => fetch(chrome.runtime.getURL("manifest.json")).then((r) => r.ok));
    await waitFor(() => requests.some((r) => r.url === `${ext}manifest.json` && r.where.startsWith("service worker")), "the service worker's fetch recorded");

    // An incident: copy the query, every step, Copy all; type a value; paste a log line.
    const page = await browser.context.newPage();
    await page.goto("https://acme.pagerduty.com/incidents/Q1REACT0PRE1");
    let panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF_RUNBOOK);
    await copyVia(page, panel.locator('[data-rl="copy-query"]').first());
    const seq = panel.locator('[data-rl="sequence"]').first();
    for (const b of await seq.locator('[data-rl="copy-step"]').all()) await copyVia(page, b);
    await copyVia(page, seq.locator('[data-rl="copy-all"]'));
    await panel.locator('[data-rl="value"][data-name="controllerid"]').first().fill("c0ffee1234abcd5678ef");
    await waitFor(async () => (await seq.locator('[data-rl="step-text"]').allTextContents()).some((s) => s.includes("c0ffee1234abcd5678ef")), "the typed value in a step");
    await panel.locator('[data-rl="log-line"]').fill('{"message":"403 BXNIM0515E: You are not authorized to manage this Client ID.","controllerID":"c0ffee"}');
    await expectText(panel, "scenario", /403 BXNIM0515E/);
    await panel.locator('[data-rl="why"] summary').first().click();
    await panel.locator('[data-rl="scenario-body"] summary').first().click();

    // Collapse and expand: the button, then the keyboard command (a stored setting).
    await panel.locator('[data-rl="collapse"]').click();
    await waitFor(async () => (await panel.locator('[data-rl="collapse"]').getAttribute("aria-expanded")) === "false", "collapsed");
    await panel.locator('[data-rl="collapse"]').click();
    await waitFor(async () => (await panel.locator('[data-rl="collapse"]').getAttribute("aria-expanded")) === "true", "expanded");
    await page.bringToFront();
    for (const want of ["false", "true"]) {
      assert.equal(await browser.worker.evaluate(() => togglePanel()), true);
      await waitFor(async () => (await panel.locator('[data-rl="collapse"]').getAttribute("aria-expanded")) === want, `aria-expanded=${want} after the command`);
    }

    // The single-page app: list -> incident -> next -> back -> list.
    await page.goto("https://acme.pagerduty.com/incidents");
    await page.locator('a[data-incident="Q6LATE0SPA06"]').click();
    panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF_RUNBOOK);
    await page.locator("#pd-next").click();
    await expectText(panel, "runbook", ETCD_RUNBOOK);
    await copyVia(page, panel.locator('[data-rl="copy-query"]').first());
    await page.goBack();
    await expectText(panel, "runbook", REF_RUNBOOK);
    await page.locator("nav a[data-spa]").first().click();
    await waitFor(async () => (await panel.frameElement().then((e) => e.boundingBox())) === null, async () => `the panel hidden on the list (${page.url()}: ${JSON.stringify(await panel.frameElement().then((e) => e.boundingBox()))} class=${await panel.frameElement().then((e) => e.evaluate((x) => x.className))} frames=${page.frames().map((f) => f.url())} view=${await page.evaluate(() => document.body.dataset.view)} alerts=${(await panel.locator('[data-rl="alerts"]').innerText()).slice(0, 200)})`);

    // An EU account, and an alert no runbook fits.
    await page.goto("https://acme.eu.pagerduty.com/incidents/Q2TABLE0DTL2");
    panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF_RUNBOOK);
    await copyVia(page, panel.locator('[data-rl="copy-query"]').first());
    await page.goto("https://acme.pagerduty.com/incidents/Q8UNKNOWN008");
    panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "no-match", /\S/);
    await page.waitForTimeout(500);
    await page.close();

    // What Playwright saw: the panel's own loads are there (so the recorder sees the
    // extension frame), and nothing but fixture pages and packaged files.
    const seen = requests.map((r) => r.url);
    for (const f of ["panel.html", "panel.js", "panel.css", "pkg/runbook_lens.js", "pkg/runbook_lens_bg.wasm"]) {
      assert.ok(seen.some((u) => u.split("#")[0] === ext + f), `the recorder saw ${ext}${f}:${show(requests)}`);
    }
    assert.ok(seen.some((u) => u.split("#")[0] === dynamic + "panel.html"), `the panel framed at its dynamic URL ${dynamic}panel.html:${show(requests)}`);
    const unexpected = requests.filter((r) => {
      if (r.url.startsWith(ext) || r.url.startsWith(dynamic)) {
        const file = decodeURIComponent(new URL(r.url).pathname.slice(1));
        return !existsSync(join(EXT_DIR, file));
      }
      return !FIXTURE_ORIGINS.includes(new URL(r.url).origin);
    });
    assert.deepEqual(unexpected, [], `requests other than fixture pages and packaged files:${show(unexpected)}\nall requests:${show(requests)}`);

    // What the fixture server answered: only its pages, their static files, the favicon.
    const routes = new Set(Object.keys(ROUTES).map((k) => "https://" + k.replace(/\/$/, "")));
    const odd = server.hits.filter((h) => {
      const [method, url] = h.split(" ");
      const u = new URL(url);
      return method !== "GET" || !(u.pathname.startsWith("/static/") || u.pathname === "/favicon.ico" || routes.has(u.origin + u.pathname.replace(/\/$/, "")));
    });
    assert.deepEqual(odd, [], `unexpected requests at the fixture server:${show(server.hits)}`);
  });

  test("the NetLog: every request on the network goes to the fixture hosts (or is the browser's own)", async () => {
    // This test's own traffic, so that it does not depend on the test above having run (it
    // may be run alone, or after that one failed early): the reference incident and its
    // guidance, then an EU account.
    for (const url of ["https://acme.pagerduty.com/incidents/Q1REACT0PRE1", "https://acme.eu.pagerduty.com/incidents/Q2TABLE0DTL2"]) {
      const page = await browser.context.newPage();
      await page.goto(url);
      await expectText(await waitForPanel(page, browser.extensionId), "runbook", REF_RUNBOOK);
      await page.close();
    }
    await browser.close(); // Chromium completes the NetLog file when it exits
    browser = null;
    const net = readNetLog(join(netlogDir, "netlog.json"));
    const fixture = (u) => FIXTURE_ORIGINS.includes(new URL(u).origin) || new URL(u).hostname.endsWith(".pagerduty.com");
    for (const url of ["https://acme.pagerduty.com/incidents/Q1REACT0PRE1", "https://acme.eu.pagerduty.com/incidents/Q2TABLE0DTL2"]) {
      assert.ok(net.some((r) => r.url === url), `the NetLog holds the page load of ${url}:${show(net)}`);
    }
    const others = net.filter((r) => !fixture(r.url));
    // From a page or from the extension: never anything but the fixture hosts.
    const initiated = others.filter((r) => r.initiator !== "not an origin");
    assert.deepEqual(initiated, [], `requests a page or the extension made elsewhere:${show(initiated)}`);
    // Without an initiator: only Chromium's own background services.
    const unknown = others.filter((r) => !BROWSER_SERVICES.test(r.url));
    assert.deepEqual(unknown, [], `browser requests to unexpected hosts:${show(unknown)}`);
    if (others.length) console.log(`    (Chromium's own background requests, not the extension's: ${[...new Set(others.map((r) => new URL(r.url).host))].join(", ")})`);
  });
});
