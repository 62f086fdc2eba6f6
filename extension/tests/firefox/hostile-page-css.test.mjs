// A page that tries to hide or cover the panel, in the Firefox build (Firefox ESR through
// geckodriver, the same fixture server and proxy as firefox.test.mjs; see
// e2e/hostile-page-css.test.mjs for Chromium): with a clip-path on the page's root, with a
// fixed iframe over the viewport at z-index 2147483647, and after the page opened its own
// popover over everything, the page's document.elementFromPoint inside the panel returns our
// host (a popover in the top layer), and WebDriver's click on the panel's collapse button,
// which fails on an element another one covers, collapses and expands it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.mjs";
import { REF } from "../lib/reference.mjs";
import { SKIP_FIREFOX, ZIP, firefoxSession, waitFor } from "./harness.mjs";
import { startProxy } from "./proxy.mjs";
import { startGeckodriver, tempDir } from "./webdriver.mjs";

const skip = SKIP_FIREFOX;

let server;
let proxy;
let profiles;
let driver;
let s; // the WebDriver session

/** Switches into the panel of the current tab (frame 0 of the page, or 1 after the page's own). */
async function enterPanel() {
  await waitFor(
    async () => {
      await s.top();
      if (!(await s.execute(() => document.querySelector("[data-runbook-lens]") !== null))) return false;
      // The covering page has an iframe of its own: try the first frames.
      for (const n of [0, 1]) {
        await s.top();
        try {
          await s.frame(n);
        } catch {
          continue;
        }
        const where = await s.execute(() => location.href);
        if (where.startsWith("moz-extension://") && new URL(where).pathname.endsWith("/panel.html") && (await s.execute(() => document.querySelector('[data-rl="panel"]') !== null))) return true;
      }
      return false;
    },
    "the Runbook Lens panel frame",
  );
}

async function element(css) {
  const [el] = await s.findAll(css);
  assert.ok(el, `no element ${css}`);
  return el;
}

/** What the page's world finds inside the open panel: "host" (ours) or the element's name. */
function atPanel() {
  return s.execute(() => {
    const e = document.elementFromPoint(innerWidth - 100, 300);
    if (!e) return "nothing";
    return e.hasAttribute("data-runbook-lens") ? "host" : `${e.tagName.toLowerCase()}.${e.className}`;
  });
}

/** The panel is on top and a WebDriver click on its collapse button collapses and expands it. */
async function panelUsable(what) {
  await s.top();
  await waitFor(async () => (await atPanel()) === "host", async () => `${what}: the panel on top (the page finds ${await atPanel()})`);
  await enterPanel();
  await expectRunbook();
  for (const want of ["false", "true"]) {
    await s.click(await element('[data-rl="collapse"]'));
    await waitFor(() => s.execute((w) => document.querySelector('[data-rl="collapse"]')?.getAttribute("aria-expanded") === w, want), `${what}: aria-expanded=${want} after a click`);
  }
  await s.top();
}

async function expectRunbook() {
  await waitFor(() => s.execute((r) => document.querySelector('[data-rl="runbook"]')?.innerText === r, REF.runbook), "the reference runbook in the panel");
}

before(async () => {
  if (skip) return;
  server = await startServer();
  proxy = await startProxy(server.port);
  profiles = tempDir("runbook-lens-firefox-hostile-css-");
});

after(async () => {
  await s?.delete().catch(() => {});
  await driver?.stop();
  await proxy?.close();
  await server?.close();
  profiles?.remove();
});

describe("a hostile page cannot hide or cover the panel (Firefox ESR)", { skip, timeout: 120000 }, () => {
  before(async () => {
    driver = await startGeckodriver({ profileRoot: profiles.dir });
    s = await firefoxSession(driver, proxy);
    assert.equal(await s.installAddon(ZIP), "runbook-lens@example.org");
  });

  test("clip-path on the root, a covering iframe, the page's own popover", async () => {
    await s.top();
    await s.navigate("https://acme.pagerduty.com/incidents/QC1CLIPPATH1");
    assert.match(await s.execute(() => getComputedStyle(document.documentElement).clipPath), /inset/);
    await panelUsable("clip-path");

    await s.navigate("https://acme.pagerduty.com/incidents/QC2COVERING2");
    await waitFor(() => s.execute(() => document.elementFromPoint(100, 300)?.className === "rl-cover"), "the covering iframe over the page");
    await panelUsable("covering iframe");

    await s.navigate("https://acme.pagerduty.com/incidents/QC3TOPLAYER3");
    await enterPanel();
    await s.top();
    await s.execute(() => document.dispatchEvent(new CustomEvent("rl-attack", { detail: "cover" })));
    assert.equal(await s.execute(() => document.body.dataset.lastAttack), "cover:true");
    await panelUsable("the page's popover");
  });
});
