// A hostile runbook pack through the real extension: a page whose markdown carries script
// tags, event-handler attributes, javascript:/data: links (inline, reference-style, autolink,
// mixed case) and raw HTML is packed with the real CLI, stored the way the extension stores
// packs (storage.local `pack:<id>` + `settings`), and the panel then explains the reference
// incident with it. Nothing may run, no script link may appear, and the text shows as text.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { installCanary, readCanary } from "../lib/canary.mjs";
import { expectText } from "../lib/panel.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
// The CLI build.sh has just built (RUNBOOK_LENS_CLI), never a possibly stale release build.
const CLI = [process.env.RUNBOOK_LENS_CLI || join(ROOT, "target", "debug", "runbook-lens")].find((p) => existsSync(p));
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : !CLI ? "no runbook-lens binary in target/ (cargo build first)" : false;
const ACTIVE = "img, image, script, svg, math, iframe, frame, object, embed, link, style, base, meta, video, audio, source, form";
const INCIDENT = "https://acme.pagerduty.com/incidents/Q1REACT0PRE1";

let server;
let browser;
let pack;

describe("a hostile runbook pack in Chromium", { skip }, () => {
  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "runbook-lens-evil-"));
    const file = join(out, "evil.rlpack");
    const r = spawnSync(CLI, ["pack", join(ROOT, "extension/tests/fixtures/hostile-pack"), "-o", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    // Stored as the extension stores packs (lib/pack-codec.js): the marker and the file's
    // gzip of raw version 4, base64.
    pack = "gzip-base64:" + readFileSync(file).toString("base64");
    rmSync(out, { recursive: true, force: true });
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
    await browser.context.addInitScript(installCanary);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the panel shows the hostile page as text, with no script link and nothing run", async () => {
    const page = await browser.context.newPage();
    const dialogs = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    await page.goto(INCIDENT);
    const panel = await waitForPanel(page, browser.extensionId);
    // Only the hostile pack: the built-in pack off.
    const settings = JSON.stringify({ builtin_pack: false, packs: [{ id: "evil", name: "evil", enabled: true }] });
    await panel.evaluate(([s, p]) => chrome.storage.local.set({ settings: s, "pack:evil": p }), [settings, pack]);
    await expectText(panel, "runbook", /Callback errors \(hostile copy\)/);
    assert.match(await panel.locator('[data-rl="runbook"]').textContent(), /^<img src=\/pwned\/title onerror=/);
    await expectText(panel, "scenario", /^ErrorUnclassified in DeleteClientID$/);
    await expectText(panel, "query", /^callbackName:DeleteClientID reasonCode:ErrorUnclassified$/);
    // Open every collapsed part so everything the pack holds is rendered.
    for (const d of await panel.locator("details").all()) await d.evaluate((el) => (el.open = true));
    const app = panel.locator('[data-rl="panel"]');
    assert.equal(await app.locator(ACTIVE).count(), 0, "no element that loads or runs anything");
    // (An <a> without href, like the hidden "Open search" when no template is set, is no link.)
    const hrefs = await app.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert.ok(hrefs.length > 0, "the pack's safe links are there to check");
    for (const h of hrefs) assert.match(h, /^https?:\/\//, `only http(s) links: ${JSON.stringify(hrefs)}`);
    assert.equal(await app.locator('[data-rl="escalation"]').count(), 0, "a javascript: escalation link is not offered");
    // The step from the hostile scenario is still there, filled from the alert.
    const steps = await app.locator('[data-rl="step-text"]').allTextContents();
    assert.ok(steps.includes("ibmcloud ks api-key info --cluster <controllerid>"), JSON.stringify(steps));
    for (const f of [page.mainFrame(), panel]) {
      const c = await readCanary(f);
      assert.equal(c.pwned, null, `a payload ran in ${f.url()}`);
      assert.deepEqual(c.dialogs, []);
      assert.deepEqual(c.markup, [], `markup appeared in ${f.url()}`);
      assert.deepEqual(c.csp, [], `a CSP violation in ${f.url()}`);
    }
    assert.deepEqual(dialogs, []);
    assert.ok(!JSON.stringify(server.hits).includes("/pwned/"), "no beacon URL was fetched");
    await page.close();
  });
});
