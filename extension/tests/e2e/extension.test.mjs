// End-to-end tests: the built extension (RUNBOOK_LENS_EXT_DIR, default dist/chrome) in
// headless Chromium against fixture pages served over HTTPS at PagerDuty host names,
// each with a strict page CSP. What is asserted is what a user sees in the panel, the
// links' targets, and the clipboard after each Copy button.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, contentScriptWorlds, haveChromium, hasHost, launch, panelFrame, waitForNoPanelDecision, waitForPanel } from "../lib/browser.mjs";
import { startServer } from "../lib/server.mjs";
import { watchErrors } from "../lib/panel.mjs";
import { ETCD, LOG_LINE_403, REF, URLS } from "../lib/reference.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : false;


let server;
let browser;

async function open(url) {
  const page = await browser.context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  return { page, errors };
}

async function openPanel(url) {
  const { page, errors } = await open(url);
  const panel = await waitForPanel(page, browser.extensionId);
  return { page, panel, errors };
}

/** Text of the first `data-rl` hook in the panel, once it shows `expected` (string or RegExp). */
async function expectText(panel, hook, expected, { nth = 0, timeout = 10000 } = {}) {
  const loc = panel.locator(`[data-rl="${hook}"]`).nth(nth);
  const end = Date.now() + timeout;
  let last = null;
  for (;;) {
    last = (await loc.count()) ? await loc.innerText() : null;
    const ok = last !== null && (expected instanceof RegExp ? expected.test(last) : last === expected);
    if (ok) return last;
    if (Date.now() > end) assert.fail(`panel [data-rl=${hook}] #${nth}: expected ${expected}, got ${JSON.stringify(last)} (panel status: ${JSON.stringify(await panel.locator('[data-rl="status"]').first().textContent().catch(() => null))})`);
    await panel.page().waitForTimeout(100);
  }
}

async function clipboard(page) {
  return page.evaluate(() => navigator.clipboard.readText());
}

/** Clicks a copy button in the panel and returns what landed on the clipboard. */
async function copyVia(page, button) {
  await page.evaluate(() => navigator.clipboard.writeText("(clipboard before the click)"));
  await button.click();
  const end = Date.now() + 5000;
  for (;;) {
    const text = await clipboard(page);
    if (text !== "(clipboard before the click)") return text;
    if (Date.now() > end) assert.fail("the Copy button put nothing on the clipboard");
    await page.waitForTimeout(50);
  }
}

/** The panel iframe's box in the page (null when it is not shown). */
async function frameBox(panel) {
  const el = await panel.frameElement();
  return el.boundingBox();
}

async function waitFor(fn, what, timeout = 8000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("Runbook Lens in Chromium", { skip }, () => {
  before(async () => {
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
    for (const origin of ["https://acme.pagerduty.com", "https://acme.eu.pagerduty.com"]) {
      await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    }
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("(a) React-style page, body in a <pre>: runbook, scenario, query, links, copy, values, log line", async () => {
    const { page, panel, errors } = await openPanel(URLS.react);
    await expectText(panel, "runbook", REF.runbook);
    await expectText(panel, "scenario", REF.scenario);
    await expectText(panel, "query", REF.query);
    await expectText(panel, "alert-title", /^#60048810 staging\.containers-kubernetes\.stage-dal10-carrier103\./);
    assert.equal(await panel.locator('[data-rl="alert"]').count(), 1);
    assert.equal(await panel.locator('[data-rl="runbook-file"]').first().innerText(), "cluster/orchestrator-callback-errors.md");
    assert.ok((await panel.locator('[data-rl="reasons"] li').count()) >= 2, "reasons listed");
    // No region search URL is configured by default.
    assert.equal(await panel.locator('[data-rl="open-search"]:visible').count(), 0);

    // Links: real hrefs, opening safely.
    const dash = panel.locator('[data-rl="dashboard"]').first();
    const esc = panel.locator('[data-rl="escalation"]').first();
    assert.equal(await dash.getAttribute("href"), REF.dashboard);
    assert.equal(await esc.getAttribute("href"), REF.escalation);
    for (const a of await panel.locator("a[href]").all()) {
      assert.match((await a.getAttribute("rel")) || "", /\bnoopener\b/, `rel of ${await a.getAttribute("href")}`);
      assert.match(await a.getAttribute("href"), /^https:\/\//);
    }

    // Every copy button is named "Copy…" for assistive tech, and puts exactly the shown text on the clipboard.
    const copyHooks = panel.locator('[data-rl="copy-query"], [data-rl="copy-step"], [data-rl="copy-all"]');
    const nCopy = await copyHooks.count();
    assert.ok(nCopy >= 5, `copy buttons: ${nCopy}`);
    for (const b of await copyHooks.all()) assert.match(await b.getAttribute("aria-label"), /^Copy/);
    assert.equal(await panel.getByRole("button", { name: /^Copy/ }).count(), nCopy);

    assert.equal(await copyVia(page, panel.locator('[data-rl="copy-query"]').first()), REF.query);
    const sequences = await panel.locator('[data-rl="sequence"]').all();
    assert.ok(sequences.length >= 1, "command sequences shown");
    for (const [n, seq] of sequences.entries()) {
      const steps = await seq.locator('[data-rl="step-text"]').allInnerTexts();
      assert.ok(steps.length >= 1 && steps.every((s) => s.startsWith("ibmcloud ")), `sequence ${n + 1}: ${steps}`);
      for (const [i, li] of (await seq.locator('[data-rl="step"]').all()).entries()) {
        assert.equal(await copyVia(page, li.locator('[data-rl="copy-step"]')), steps[i], `sequence ${n + 1} step ${i + 1}`);
      }
      if (steps.length > 1) assert.equal(await copyVia(page, seq.locator('[data-rl="copy-all"]')), steps.join("\n"), `sequence ${n + 1}: Copy all`);
    }
    const firstSeq = panel.locator('[data-rl="sequence"]').first();

    // A value typed for <controllerid> fills the steps live, and survives the page ticking and re-rendering.
    const input = panel.locator('[data-rl="value"][data-name="controllerid"]').first();
    await input.fill("c0ffee1234abcd5678ef");
    const filled = "ibmcloud ks api-key info --cluster c0ffee1234abcd5678ef";
    await waitFor(async () => (await firstSeq.locator('[data-rl="step-text"]').allInnerTexts()).includes(filled), "the filled step");
    // The fixture throws its alert away and rebuilds it every 3 s: wait for one such re-render
    // (counted by the page), then for the frame at which the content script reads a change.
    const renders = await page.evaluate(() => window.PD.renders());
    await waitFor(() => page.evaluate((n) => window.PD.renders() > n, renders), "the page to re-render its alert", 10000);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await input.inputValue(), "c0ffee1234abcd5678ef", "typed value kept while the page re-renders");
    const afterTyping = await firstSeq.locator('[data-rl="step-text"]').allInnerTexts();
    assert.ok(afterTyping.includes(filled), `steps: ${afterTyping}`);
    const filledStep = firstSeq.locator('[data-rl="step"]', { hasText: filled }).first();
    assert.equal(await copyVia(page, filledStep.locator('[data-rl="copy-step"]')), filled);

    // A pasted log line picks the 403 sub-scenario.
    await panel.locator('[data-rl="log-line"]').fill(LOG_LINE_403);
    await expectText(panel, "scenario", /403 BXNIM0515E/);

    // The page keeps working, and its layout is untouched.
    await waitFor(() => page.evaluate(() => document.body.dataset.pageOk === "1"), "the page's own script to see the extension");
    await page.locator("#pd-ack").click();
    assert.equal(await page.evaluate(() => document.body.dataset.acked), "1");
    assert.equal(await page.locator("#pd-status").innerText(), "Acknowledged");
    const layout = await page.evaluate(() => {
      const host = document.querySelector("[data-runbook-lens]");
      const r = host.getBoundingClientRect();
      const b = getComputedStyle(document.body);
      return { hostW: r.width, hostH: r.height, margin: b.margin, shadow: host.shadowRoot, scrollX: document.documentElement.scrollWidth <= innerWidth };
    });
    assert.deepEqual(layout, { hostW: 0, hostH: 0, margin: "0px", shadow: null, scrollX: true });
    assert.deepEqual(await frameBox(panel), { x: 1280 - 380, y: 0, width: 380, height: 800 });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("(a) collapse to a small tab, remembered across a reload; the keyboard command toggles", async (t) => {
    // Whatever happens here, the tests after this one start expanded.
    t.after(() => browser.worker.evaluate(() => chrome.storage.local.set({ "runbookLens.collapsed": false })));
    const { page, panel, errors } = await openPanel(URLS.react);
    await expectText(panel, "runbook", REF.runbook);
    await panel.locator('[data-rl="collapse"]').click();
    await waitFor(async () => (await frameBox(panel))?.width === 28, "the collapsed tab");
    const box = await frameBox(panel);
    assert.equal(box.width, 28);
    assert.equal(box.height, 120);
    assert.equal(box.x, 1280 - 28);
    assert.ok(box.y > 800 * 0.5 && box.y + box.height < 800, `tab sits low on the right edge, clear of the top bar: y=${box.y}`);
    assert.equal(await panel.locator('[data-rl="collapse"]').getAttribute("aria-expanded"), "false");

    await page.reload();
    const again = await waitForPanel(page, browser.extensionId);
    await waitFor(async () => (await frameBox(again))?.width === 28, "the tab after a reload");
    await waitFor(async () => (await again.locator('[data-rl="collapse"]').getAttribute("aria-expanded")) === "false", "the panel's own collapsed state");

    // The keyboard shortcut's handler in the service worker (commands API) expands it again.
    await page.bringToFront();
    const toggled = await browser.worker.evaluate(() => togglePanel());
    assert.equal(toggled, true);
    await waitFor(async () => (await frameBox(again))?.width === 380, "the expanded panel after the command");
    await waitFor(async () => (await again.locator('[data-rl="collapse"]').getAttribute("aria-expanded")) === "true", "the panel expanded");
    await expectText(again, "runbook", REF.runbook);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("(b) custom details as a key/value table, on an EU account", async () => {
    const { page, panel, errors } = await openPanel(URLS.table);
    await expectText(panel, "runbook", REF.runbook);
    await expectText(panel, "alert-title", /^#61172394 bluemix\..*\.eu-de$/);
    await expectText(panel, "scenario", REF.scenario);
    await expectText(panel, "query", REF.query);
    assert.equal(await panel.locator('[data-rl="escalation"]').first().getAttribute("href"), REF.escalation);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("(c) Alertmanager firing text (Labels:/Annotations:/Source:)", async () => {
    const { page, panel, errors } = await openPanel(URLS.alertmanager);
    await expectText(panel, "runbook", ETCD.runbook);
    await expectText(panel, "query", ETCD.query);
    assert.equal(await panel.locator('[data-rl="escalation"]').first().getAttribute("href"), ETCD.escalation);
    assert.equal(await copyVia(page, panel.locator('[data-rl="copy-query"]').first()), ETCD.query);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("(d) JSON custom details in a <pre>", async () => {
    const { page, panel, errors } = await openPanel(URLS.json);
    await expectText(panel, "runbook", "armada-api - High rate of 5xx responses");
    await expectText(panel, "query", "app:armada-api level:error");
    assert.equal(await panel.locator('[data-rl="escalation"]').first().getAttribute("href"), "https://ibm.pagerduty.com/escalation_policies#PB6H1VC");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("(e) two alerts of one incident: us-south and eu-de on other carriers", async () => {
    const { page, panel, errors } = await openPanel(URLS.two);
    await expectText(panel, "alert-title", /prod-fra05-carrier121.*\.eu-de$/, { nth: 1 });
    const titles = await panel.locator('[data-rl="alert-title"]').allInnerTexts();
    assert.equal(titles.length, 2, `alerts: ${titles}`);
    assert.match(titles[0], /^#61250001 .*prod-dal10-carrier120.*\.us-south$/);
    assert.match(titles[1], /^#61250002 .*prod-fra05-carrier121.*\.eu-de$/);
    const sections = await panel.locator('[data-rl="alert"]').all();
    for (const s of sections) {
      assert.equal(await s.locator('[data-rl="runbook"]').innerText(), REF.runbook);
      assert.equal(await s.locator('[data-rl="query"]').innerText(), REF.query);
    }
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("(f) SPA: list -> incident whose alert renders late -> pushState to another incident -> back -> list", async () => {
    const { page, errors } = await open(URLS.list);
    // The content script has looked at the list's URL and said so: no panel.
    await waitForNoPanelDecision(browser, page);
    assert.equal(await hasHost(page), false, "no panel on the incident list");
    assert.equal(panelFrame(page, browser.extensionId), null);

    await page.locator('a[data-incident="Q6LATE0SPA06"]').click();
    assert.equal(new URL(page.url()).pathname, "/incidents/Q6LATE0SPA06");
    const panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF.runbook);
    await expectText(panel, "query", REF.query);
    assert.equal(await page.evaluate(() => document.body.dataset.view), "Q6LATE0SPA06", "the alert came late");

    await page.locator("#pd-next").click();
    assert.equal(new URL(page.url()).pathname, "/incidents/Q7NEXT0SPA07");
    await expectText(panel, "runbook", ETCD.runbook);
    await expectText(panel, "query", ETCD.query);

    await page.goBack();
    assert.equal(new URL(page.url()).pathname, "/incidents/Q6LATE0SPA06");
    await expectText(panel, "runbook", REF.runbook);

    // Back to the list: the panel goes away, and comes back on the next incident.
    await page.locator('nav a[data-spa]').first().click();
    await waitFor(async () => (await frameBox(panel)) === null, "the panel hidden on the list");
    await page.locator('a[data-incident="Q7NEXT0SPA07"]').click();
    await waitFor(async () => (await frameBox(panel))?.width === 380, "the panel shown again");
    await expectText(panel, "runbook", ETCD.runbook);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("(g) no panel on the incident list, status.pagerduty.com or a service page", async () => {
    for (const url of [URLS.list, URLS.status, URLS.service]) {
      const { page, errors } = await open(url);
      if (url === URLS.status) {
        // Excluded in the manifest: no content script at all on the status site.
        assert.deepEqual(await contentScriptWorlds(page, browser.extensionId), [], `no content script on ${url}`);
      } else {
        // The content script runs there, has looked at the URL and said: no panel.
        assert.deepEqual(await contentScriptWorlds(page, browser.extensionId), ["Runbook Lens"], `the content script on ${url}`);
        await waitForNoPanelDecision(browser, page);
      }
      assert.equal(await page.evaluate(() => document.body.dataset.pageOk || document.body.dataset.view || ""), url === URLS.list ? "list" : "1");
      assert.equal(await hasHost(page), false, `no host element on ${url}`);
      assert.equal(panelFrame(page, browser.extensionId), null, `no panel frame on ${url}`);
      assert.deepEqual(errors, [], url);
      await page.close();
    }
  });

  test("(g) an incident with an unknown alert: no-match", async () => {
    const { page, panel, errors } = await openPanel(URLS.unknown);
    await expectText(panel, "no-match", /\S/);
    assert.equal(await panel.locator('[data-rl="runbook"]').count(), 0);
    // (The engine does not read this title as an Armada title; it names the alert.)
    await expectText(panel, "alert-title", /PaymentsQueueBacklog|#70211583/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("a page that throws our host element away gets the panel back", async () => {
    const { page, panel, errors } = await openPanel(URLS.json);
    await expectText(panel, "runbook", "armada-api - High rate of 5xx responses");
    await page.evaluate(() => document.querySelector("[data-runbook-lens]").remove());
    await waitFor(() => hasHost(page), "the host element back in the page");
    const again = await waitForPanel(page, browser.extensionId);
    await expectText(again, "runbook", "armada-api - High rate of 5xx responses");
    assert.deepEqual(errors, []);
    await page.close();
  });

  test("two tabs: each panel shows its own incident; page scripts cannot feed the panel", async () => {
    const a = await openPanel(URLS.react);
    const b = await openPanel(URLS.alertmanager);
    await expectText(a.panel, "runbook", REF.runbook);
    await expectText(b.panel, "runbook", ETCD.runbook);
    // A page script posting fake alerts into every frame changes nothing.
    await a.page.evaluate(() => {
      const fake = { type: "incident", url: location.href, text: "- alertname = ArmadaApiHigh5xxRate\n- service = armada-api" };
      for (let i = 0; i < window.frames.length; i++) window.frames[i].postMessage(fake, "*");
      window.postMessage(fake, "*");
    });
    await a.page.waitForTimeout(500);
    await expectText(a.panel, "runbook", REF.runbook);
    await expectText(b.panel, "runbook", ETCD.runbook);
    assert.deepEqual([...a.errors, ...b.errors], []);
    await a.page.close();
    await b.page.close();
  });
});

describe("manifest of the built extension", { skip: existsSync(join(EXT_DIR, "manifest.json")) ? false : `no ${EXT_DIR}` }, () => {
  test("MV3, minimal permissions, PagerDuty only, wasm CSP, icons", () => {
    const m = JSON.parse(readFileSync(join(EXT_DIR, "manifest.json"), "utf8"));
    assert.equal(m.manifest_version, 3);
    assert.deepEqual([...m.permissions].sort(), ["alarms", "clipboardWrite", "storage", "unlimitedStorage"]);
    assert.equal(m.host_permissions, undefined);
    // Pack URLs: a site only when the user allows it for the URL they add.
    assert.deepEqual(m.optional_host_permissions, ["https://*/*"]);
    assert.doesNotMatch(JSON.stringify(m), /<all_urls>|\*:\/\/\*\/\*/);
    const [cs] = m.content_scripts;
    assert.deepEqual(cs.matches, ["https://*.pagerduty.com/*"]);
    assert.deepEqual(cs.exclude_matches, ["https://status.pagerduty.com/*"]);
    assert.equal(cs.run_at, "document_idle");
    assert.equal(cs.all_frames, false);
    assert.equal(m.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
    for (const war of m.web_accessible_resources) {
      assert.deepEqual(war.matches, ["https://*.pagerduty.com/*"]);
      assert.ok(war.resources.includes("panel.html"));
    }
    assert.ok(m.commands["toggle-panel"].suggested_key.default);
    for (const size of ["16", "32", "48", "128"]) {
      const png = readFileSync(join(EXT_DIR, m.icons[size]));
      assert.equal(png.readUInt32BE(16), Number(size), `icon ${size} width`);
    }
    for (const f of ["pkg/runbook_lens.js", "pkg/runbook_lens_bg.wasm", "panel.html", "panel.js", "panel.css", "content.js", "lib/pd-page.js", "background.js"]) {
      assert.ok(existsSync(join(EXT_DIR, f)), f);
    }
    // No remote code: every script the extension pages load is its own.
    const html = readFileSync(join(EXT_DIR, "panel.html"), "utf8");
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
  });
});
