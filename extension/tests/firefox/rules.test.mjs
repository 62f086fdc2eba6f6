// Extraction rules in the Firefox build (dist/runbook-lens-firefox.zip, or
// RUNBOOK_LENS_FIREFOX_ZIP) in headless Firefox ESR through geckodriver, against the same
// HTTPS fixture pages as firefox.test.mjs (see there for the host mapping, the certificate
// and the host permission): with a rule in the settings, a pasted plain-text log line picks
// the 403 scenario and fills <controllerid> through the panel's rules module, a second wasm
// module the panel loads only when there are rules.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { REF, URLS } from "../lib/reference.mjs";
import { SKIP_FIREFOX, ZIP, firefoxSession, waitFor } from "./harness.mjs";
import { startProxy } from "./proxy.mjs";
import { startGeckodriver, tempDir } from "./webdriver.mjs";

const skip = SKIP_FIREFOX;

const RULE = "controller (?P<controllerid>[0-9a-f]{8,})";
const PLAIN_LOG_LINE = "2026-11-27T03:12:44Z ERROR DeleteClientID failed for controller c0ffee1234abcd: 403 BXNIM0515E: You are not authorized to manage this Client ID.";
const FILLED_STEP = "ibmcloud ks api-key info --cluster c0ffee1234abcd";

let server;
let proxy;
let profiles;
let driver;
let s; // the WebDriver session

/** Switches into the panel's frame (frame 0 of the page); leaves the session there. */
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

/** Waits until some `hook` of the panel reads `expected` (a RegExp). */
function expectSome(hook, expected) {
  let last = [];
  return waitFor(
    async () => {
      last = await hookTexts(hook);
      return last.some((t) => expected.test(t));
    },
    () => `panel [data-rl=${hook}] to match ${expected}; got ${JSON.stringify(last)}`,
  );
}

before(async () => {
  if (skip) return;
  server = await startServer();
  proxy = await startProxy(server.port);
  profiles = tempDir("runbook-lens-firefox-rules-");
});

after(async () => {
  await s?.delete().catch(() => {});
  await driver?.stop();
  await proxy?.close();
  await server?.close();
  profiles?.remove();
});

describe("extraction rules in Firefox ESR", { skip, timeout: 120000 }, () => {
  before(async () => {
    driver = await startGeckodriver({ profileRoot: profiles.dir });
    s = await firefoxSession(driver, proxy);
    await s.installAddon(ZIP);
  });

  test("a rule in the settings fills <controllerid> from a pasted plain-text log line, through the rules module", async () => {
    await s.top();
    await s.navigate(URLS.react);
    await enterPanel();
    await expectSome("runbook", new RegExp(`^${REF.runbook}$`));
    // The settings, as the options page stores them; the panel applies them when they change.
    await s.execute((rule) => chrome.storage.local.set({ settings: JSON.stringify({ extract: [rule] }) }), RULE);
    const [box] = await s.findAll('[data-rl="log-line"]');
    assert.ok(box, "the log box");
    await s.sendKeys(box, PLAIN_LOG_LINE);
    await expectSome("scenario", /403 BXNIM0515E/);
    await waitFor(async () => (await hookTexts("step-text")).includes(FILLED_STEP), `the step \`${FILLED_STEP}\``);
    await expectSome("rule-value", new RegExp(`^<controllerid> = c0ffee1234abcd — from rule \`${RULE.replace(/[()?[\]{}+.]/g, "\\$&")}\` \\(log line 1\\)$`));
    // Firefox's resource timing does not list moz-extension:// files, so whether the module
    // was loaded is not read here: the filled step is only possible through it (the panel's
    // own wasm has no regex engine). That it stays unloaded without rules is checked in
    // Chromium (extension/tests/e2e/rules.test.mjs), where the requests are seen.
    await s.execute(() => chrome.storage.local.set({ settings: "{}" }));
  });
});
