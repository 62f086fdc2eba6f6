// Choosing another runbook and setting up the log search from the panel, in Firefox ESR
// (issue 14), with the Firefox build and the same fixture pages and pack as the Chromium suite
// (e2e/choice.test.mjs). The session set-up follows firefox.test.mjs: a CONNECT proxy maps the
// PagerDuty names to the fixture server, the add-on is a temporary add-on, and the panel is
// frame 0 of the page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { CLI, LEDGER, ROOT, SLOW, choicePack, choiceStorage } from "../lib/choice.mjs";
import { REF, URLS } from "../lib/reference.mjs";
import { startServer } from "../lib/server.mjs";
import { SKIP_FIREFOX, ZIP, firefoxSession, waitFor } from "./harness.mjs";
import { startProxy } from "./proxy.mjs";
import { startGeckodriver, tempDir } from "./webdriver.mjs";

const skip = SKIP_FIREFOX || (!CLI && "no runbook-lens binary in target/ (cargo build first)");

let server;
let proxy;
let profiles;
let driver;
let s; // the WebDriver session
let pack;

/** Opens `url` in the top-level context and switches into its panel. */
async function openPanel(url) {
  await s.top();
  await s.navigate(url);
  await waitFor(
    async () => {
      await s.top();
      if (!(await s.execute(() => document.querySelector("[data-runbook-lens]") !== null))) return false;
      await s.frame(0);
      return s.execute(() => location.protocol === "moz-extension:" && document.querySelector('[data-rl="panel"]') !== null);
    },
    "the Runbook Lens panel frame",
  );
}

/** Waits until the first `hook` of the panel (its textContent) matches `expected`. */
async function expectText(hook, expected) {
  let last = null;
  await waitFor(
    async () => {
      last = await s.execute((h) => document.querySelector(`[data-rl="${h}"]`)?.textContent ?? null, hook);
      return last !== null && (expected instanceof RegExp ? expected.test(last) : last === expected);
    },
    () => `panel [data-rl=${hook}] to be ${expected}; got ${JSON.stringify(last)}`,
  );
}

/** The first element matching `css` in the panel. */
async function element(css) {
  const [el] = await s.findAll(css);
  assert.ok(el, `no element ${css}`);
  return el;
}

describe("choosing another runbook in the panel (Firefox ESR)", { skip, timeout: 180000 }, () => {
  before(async () => {
    pack = choicePack();
    server = await startServer();
    proxy = await startProxy(server.port);
    profiles = tempDir("runbook-lens-firefox-choice-");
    driver = await startGeckodriver({ profileRoot: profiles.dir });
    s = await firefoxSession(driver, proxy);
    await s.installAddon(ZIP);
    await openPanel(URLS.react);
    await s.execute((items) => chrome.storage.local.clear().then(() => chrome.storage.local.set(items)), choiceStorage(pack));
  });
  after(async () => {
    await s?.delete().catch(() => {});
    await driver?.stop();
    await proxy?.close();
    await server?.close();
    profiles?.remove();
  });

  test("a candidate's Use shows its guidance, and the next incident of the alert opens with it", async () => {
    await openPanel(URLS.react);
    await expectText("runbook", REF.runbook);
    // The fixture pack is loaded after the built-in one: its candidate shows then.
    await waitFor(() => s.execute(() => document.querySelector('[data-rl="candidates-box"]') !== null), "the fixture pack's candidate");
    await s.click(await element('[data-rl="candidates-box"] summary'));
    await s.click(await element(`[data-rl="use-candidate"][data-file="${SLOW.file}"]`));
    await expectText("runbook", SLOW.runbook);
    await expectText("scenario", SLOW.scenario);
    await expectText("query", SLOW.query);
    const steps = await s.execute(() => [...document.querySelectorAll('[data-rl="step-text"]')].map((e) => e.textContent));
    assert.ok(steps.includes(SLOW.step), JSON.stringify(steps));
    await openPanel(URLS.table);
    await expectText("runbook", SLOW.runbook);
    await expectText("chosen", /^Chosen for alerts named DeleteClientID_callback_action_time_errors\./);
    await s.click(await element('[data-rl="undo-choice"]'));
    await expectText("runbook", REF.runbook);
  });

  test("on an incident no runbook fits, a search result's Use shows it, also after a reload", async () => {
    await openPanel(URLS.unknown);
    await expectText("no-match", /No runbook in the pack fits/);
    await s.sendKeys(await element('[data-rl="runbook-search"]'), "ledger drift");
    await expectText("search-result", new RegExp(`^${LEDGER.runbook}`));
    await s.click(await element('[data-rl="use-result"]'));
    await expectText("runbook", LEDGER.runbook);
    await expectText("query", LEDGER.query);
    await openPanel(URLS.unknown);
    await expectText("runbook", LEDGER.runbook);
    await expectText("chosen", /^Chosen for alerts named payments_queue_backlog\./);
  });

  test("a URL saved in the log setup makes Open search a link at once, and it persists", async () => {
    await openPanel(URLS.react);
    await expectText("query", REF.query);
    const template = "https://app.{region}.logging.cloud.ibm.com/0a1b2c/logs/view?q={query}";
    const want = "https://app.us-south.logging.cloud.ibm.com/0a1b2c/logs/view?q=callbackName%3ADeleteClientID%20reasonCode%3AErrorUnclassified";
    const href = () => s.execute(() => { const a = document.querySelector('[data-rl="open-search"]'); return a && !a.hidden ? a.getAttribute("href") : null; });
    // The panel renders again when the policy read arrives (Firefox answers it late), which
    // resets a form being filled: fill and save again while the form is still there, empty.
    await waitFor(
      async () => {
        if ((await href()) === want) return true;
        const empty = await s.execute(() => document.querySelector('[data-rl="log-setup-url"]')?.value === "");
        if (empty) {
          // Typed through the DOM: WebDriver's key input did not reach this field in Firefox ESR.
          await s.execute((t) => {
            document.querySelector('[data-rl="log-setup"]').open = true;
            document.querySelector('[data-rl="log-setup-url"]').value = t;
          }, template);
          await s.click(await element('[data-rl="log-setup-save"]'));
        }
        return false;
      },
      async () => `Open search to link ${want}; got ${await href()} (error: ${await s.execute(() => document.querySelector('[data-rl="log-setup-error"]')?.textContent)}, url: ${await s.execute(() => document.querySelector('[data-rl="log-setup-url"]')?.value)}, stored: ${await s.execute(() => chrome.storage.local.get("settings").then((x) => x.settings))})`,
    );
    await openPanel(URLS.react);
    await expectText("query", REF.query);
    await waitFor(async () => (await href()) === want, "Open search after a reload");
  });
});
