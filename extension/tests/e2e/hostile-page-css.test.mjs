// A page that tries to hide or cover the panel (issue 12): the panel's host is a manual
// popover in the top layer, so the page's own CSS (a clip-path on its root, `display: none`
// on the host) and its own elements at any z-index stay under it; what the page does to the
// host (removing it, hiding the popover, opening its own popover above) is answered by
// putting the host back on top, a bounded number of times.
//
// "On top" is checked from the page's own world: document.elementFromPoint at a point inside
// the panel returns our host element (the closed shadow root retargets the panel's iframe to
// it), and Playwright's click on the panel's collapse button, which refuses to click an
// element another one covers, goes through.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { expectText, waitFor } from "../lib/panel.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : false;

const REF_RUNBOOK = "armada-orchestrator - Callback errors";
const BUDGET = 20; // content.js RAISE_BUDGET
const VIEWPORT = { width: 1280, height: 800 };
// Inside the open panel (the right 380 px) and inside the 400 px the clip-path cuts away.
const POINT = { x: VIEWPORT.width - 100, y: 300 };

let server;
let browser;

/** What the page's world finds at POINT: "host" (our panel), or the element's description. */
function atPoint(page) {
  return page.evaluate(({ x, y }) => {
    const e = document.elementFromPoint(x, y);
    if (!e) return "nothing";
    if (e.hasAttribute("data-runbook-lens")) return "host";
    return `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className ? "." + e.className : ""}`;
  }, POINT);
}

/** Runs one of the fixture's attacks in the page's world (hostile-css.js). */
async function attack(page, step) {
  await page.evaluate((s) => document.dispatchEvent(new CustomEvent("rl-attack", { detail: s })), step);
  assert.equal(await page.evaluate(() => document.body.dataset.lastAttack), `${step}:true`, `the page's ${step} attack ran`);
}

/** The panel is on top at POINT and answers a real click there (collapse, then expand). */
async function panelUsable(page, panel, what) {
  await waitFor(async () => (await atPoint(page)) === "host", async () => `${what}: the panel is what the page finds at ${JSON.stringify(POINT)} (it finds ${await atPoint(page)})`);
  const collapse = panel.locator('[data-rl="collapse"]');
  await collapse.click({ timeout: 5000 });
  await waitFor(async () => (await collapse.getAttribute("aria-expanded")) === "false", `${what}: collapsed by a click`);
  await collapse.click({ timeout: 5000 });
  await waitFor(async () => (await collapse.getAttribute("aria-expanded")) === "true", `${what}: expanded by a click`);
}

describe("a hostile page cannot hide or cover the panel", { skip, timeout: 120000 }, () => {
  before(async () => {
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port, viewport: VIEWPORT });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the page's root clipped (clip-path) and the host styled display: none", async () => {
    const page = await browser.context.newPage();
    await page.goto("https://acme.pagerduty.com/incidents/QC1CLIPPATH1");
    const panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF_RUNBOOK);
    assert.match(await page.evaluate(() => getComputedStyle(document.documentElement).clipPath), /inset/, "the page's clip-path applies");
    await panelUsable(page, panel, "clip-path");
    // The page is still narrowed beside the open panel.
    assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).marginRight), "380px");
    await page.close();
  });

  test("a fixed iframe over the whole viewport at z-index 2147483647", async () => {
    const page = await browser.context.newPage();
    await page.goto("https://acme.pagerduty.com/incidents/QC2COVERING2");
    const panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF_RUNBOOK);
    // The cover is there, and on top of the page everywhere but the panel.
    assert.equal(await page.evaluate(() => document.elementFromPoint(100, 300)?.className), "rl-cover");
    await panelUsable(page, panel, "covering iframe");
    await page.close();
  });

  test("the page's own popover, removing the host, hiding it: it comes back on top, a bounded number of times", async () => {
    const page = await browser.context.newPage();
    await page.goto("https://acme.pagerduty.com/incidents/QC3TOPLAYER3");
    let panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF_RUNBOOK);
    await attack(page, "cover");
    await panelUsable(page, panel, "the page's popover opened after the panel");
    await attack(page, "remove");
    await waitFor(() => page.evaluate(() => document.querySelector("[data-runbook-lens]")?.matches(":popover-open") === true), "the host back in the page, in the top layer");
    panel = await waitForPanel(page, browser.extensionId); // the iframe reloaded when it was put back
    await expectText(panel, "runbook", REF_RUNBOOK);
    await panelUsable(page, panel, "after the page removed the host");
    await attack(page, "hide");
    await waitFor(() => page.evaluate(() => document.querySelector("[data-runbook-lens]")?.matches(":popover-open") === true), "the host shown again after the page hid it");
    await panelUsable(page, panel, "after the page hid the host");

    // The page's popover again, its `toggle` event kept from the content script: the panel
    // sees itself covered at its next look (one hit test per location poll).
    await attack(page, "sneaky");
    await panelUsable(page, panel, "the page's popover with its toggle event stopped");
    await attack(page, "fair");

    // Put back on top while the user types in the panel: the typing goes on (the focus stays
    // in the panel when the host is hidden and shown again).
    const line = panel.locator('[data-rl="log-line"]');
    await line.click();
    await line.pressSequentially("abc");
    await attack(page, "tooltip");
    await attack(page, "cover");
    await waitFor(async () => (await atPoint(page)) === "host", "the panel above the page's popover again");
    await page.keyboard.type("def");
    assert.equal(await line.inputValue(), "abcdef", "typing in the panel goes on after it was put back on top");

    // A page that never stops: the panel answers a bounded number of times, then the page's
    // popover stays above it (and the content script is still there, not spinning).
    let attacks = 0;
    while ((await atPoint(page)) === "host" && attacks < 5 * BUDGET) {
      await attack(page, "cover");
      attacks++;
      await page.evaluate(() => new Promise((r) => setTimeout(r, 20)));
    }
    assert.equal(await atPoint(page), "div#rl-cover.rl-cover", `the page's popover stays above after ${attacks} attacks`);
    assert.ok(attacks <= BUDGET, `the panel gave up within its budget (${attacks} attacks)`);
    await page.close();
  });
});
