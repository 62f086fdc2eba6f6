// What reaches the panel and the extension's files from elsewhere, in Chromium:
//  - a port carrying the panel's name and nonce, opened by an extension page that is not
//    the content script of the panel's tab (the options page in a tab; a page-made copy of
//    panel.html in a frame of the incident page): the panel closes it (trusted() in
//    panel.js), so nothing it sends reaches the Rust panel;
//  - web_accessible_resources with `use_dynamic_url`: a PagerDuty page that knows only the
//    extension's ID can load none of its files by their static URL; by the per-session dynamic
//    URL (chrome.runtime.getURL, which the content script frames the panel with), which a
//    page does not learn, the panel's files and not the options page, its wasm or the rest.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { expectText, waitFor, watchErrors } from "../lib/panel.mjs";
import { ETCD, REF, URLS } from "../lib/reference.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : false;

let server;
let browser;

/**
 * Run in an extension page or frame: opens a port named `name`, posts `fakes` on it, and
 * resolves to how it ended: {refused: true} when the other end closed it (with `error` set
 * when nobody was listening at all), {refused: false, got} when an answer came (the port was
 * accepted), or {refused: null} after 10 s of neither (only a failing run waits that long).
 */
function probePort({ name, fakes }) {
  return new Promise((resolve) => {
    const got = [];
    const p = chrome.runtime.connect({ name });
    p.onMessage.addListener((m) => {
      got.push(m);
      resolve({ refused: false, got });
    });
    p.onDisconnect.addListener(() => resolve({ refused: true, got, error: chrome.runtime.lastError ? chrome.runtime.lastError.message : null }));
    for (const f of fakes) p.postMessage(f);
    setTimeout(() => resolve({ refused: null, got }), 10000);
  });
}

describe("what reaches the panel and the extension's files from elsewhere (Chromium)", { skip }, () => {
  before(async () => {
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a port with the panel's name and nonce from another extension page or frame is closed, and what it sends is not shown", async () => {
    // The only panel open, so that a refusal can only come from it.
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(URLS.react);
    const panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF.runbook);
    const nonce = new URL(panel.url()).hash.slice(1);
    assert.match(nonce, /^[0-9a-f]{32}$/);
    const name = `runbook-lens:${nonce}`;
    // What an accepted port could make the panel show: another alert, or no incident.
    const fakes = [
      { type: "incident", url: URLS.react, text: "#1 bluemix.containers-kubernetes.prod-lon04-carrier101.cluster_etcd_backup_failing.eu-gb\n- alertname = ClusterEtcdBackupFailing" },
      { type: "none" },
      { type: "collapsed", collapsed: true },
    ];

    // The options page, in a tab of its own: an extension page in a top frame, not on
    // PagerDuty.
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await options.locator('[data-rl="options"]').waitFor();
    const fromOptions = await options.evaluate(probePort, { name, fakes });
    // Closed by a listener (not "Receiving end does not exist": the panel heard it).
    assert.deepEqual(fromOptions, { refused: true, got: [], error: null }, "the options page's port");

    // A copy of panel.html that the incident page frames (it is web-accessible at the
    // session's dynamic URL, here as if the page had learnt it): an extension frame in the
    // panel's own tab, but not its top frame.
    const dynamic = await browser.worker.evaluate(() => chrome.runtime.getURL("panel.html"));
    await page.evaluate((url) => {
      const f = document.createElement("iframe");
      f.id = "rogue-panel";
      f.src = `${url}#${"0".repeat(32)}`;
      document.body.append(f);
    }, dynamic);
    const rogue = await waitFor(() => page.frames().find((f) => f.url().includes(`panel.html#${"0".repeat(32)}`)), "the page-made panel frame");
    await waitFor(() => rogue.locator('[data-rl="panel"]').count(), "the page-made panel to start");
    const fromFrame = await rogue.evaluate(probePort, { name, fakes });
    assert.deepEqual(fromFrame, { refused: true, got: [], error: null }, "the page-made frame's port");

    // The panel still shows the incident, expanded: none of the fakes got through.
    await expectText(panel, "runbook", REF.runbook);
    assert.equal(await panel.locator('[data-rl="alert"]').count(), 1);
    assert.ok(!(await panel.locator('[data-rl="alerts"]').innerText()).includes(ETCD.runbook), "the fake alert's runbook shown");
    assert.equal(await panel.locator('[data-rl="collapse"]').getAttribute("aria-expanded"), "true");
    // And the real content script's port still works: the next change reaches the panel.
    await panel.locator('[data-rl="collapse"]').click();
    await waitFor(async () => (await panel.frameElement().then((e) => e.boundingBox()))?.width === 28, "the content script to collapse the panel");
    await panel.locator('[data-rl="collapse"]').click();
    await waitFor(async () => (await panel.frameElement().then((e) => e.boundingBox()))?.width === 380, "the content script to expand the panel");
    assert.deepEqual(errors, []);
    await options.close();
    await page.close();
  });

  test("web_accessible_resources: a PagerDuty page loads nothing by the static URL; by the dynamic one the panel's files only", async () => {
    const page = await browser.context.newPage();
    await page.goto(URLS.react);
    await waitForPanel(page, browser.extensionId);
    const files = {
      // What the panel's iframe needs.
      "panel.html": "loaded",
      "panel.js": "loaded",
      "pkg/runbook_lens.js": "loaded",
      "pkg/runbook_lens_bg.wasm": "loaded",
      // The options page and its engine (with the markdown parser), and everything else.
      "options.html": "refused",
      "options.js": "refused",
      "pkg/runbook_lens_options.js": "refused",
      "pkg/runbook_lens_options_bg.wasm": "refused",
      "background.js": "refused",
      "manifest.json": "refused",
      "managed_schema.json": "refused",
    };
    for (const f of Object.keys(files)) assert.ok(existsSync(join(EXT_DIR, f)), `${f} is in the build`);
    // From the page's own world, as a page script would.
    const fetchAll = (base) =>
      page.evaluate(
        async ({ base, names }) => {
          const out = {};
          for (const f of names) {
            try {
              const r = await fetch(base + f);
              out[f] = r.ok ? "loaded" : `status ${r.status}`;
            } catch (_) {
              out[f] = "refused";
            }
          }
          return out;
        },
        { base, names: Object.keys(files) },
      );
    // A page that knows the extension's ID (it is the same for every user of a store build).
    const refused = Object.fromEntries(Object.keys(files).map((f) => [f, "refused"]));
    assert.deepEqual(await fetchAll(`chrome-extension://${browser.extensionId}/`), refused, "by the static URL");
    // The session's dynamic URL is another host than the ID, and the content script's
    // chrome.runtime.getURL gives it (the panel's own frame was navigated there first).
    const dynamic = new URL(await browser.worker.evaluate(() => chrome.runtime.getURL("panel.html")));
    assert.notEqual(dynamic.host, browser.extensionId, "getURL gives the dynamic URL");
    assert.deepEqual(await fetchAll(`chrome-extension://${dynamic.host}/`), files, "by the dynamic URL");
    await page.close();
  });
});
