// A pack whose page carries its own extraction rule (front matter `extract:`), stored as
// version 4: the panel learns from the pack's page meta that there are rules
// (`Panel.packsHaveRules`), loads the rules module, and the rule fills <controllerid> from a
// pasted plain-text log line, with no rule in the settings.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { expectText, waitFor, watchErrors } from "../lib/panel.mjs";
import { REF, URLS } from "../lib/reference.mjs";
import { startServer } from "../lib/server.mjs";
import { CLI } from "../lib/choice.mjs";

// The rule, log line and step of rules.test.mjs (importing that file would run its tests too).
const RULE = "controller (?P<controllerid>[0-9a-f]{8,})";
const PLAIN_LOG_LINE = "2026-11-27T03:12:44Z ERROR DeleteClientID failed for controller c0ffee1234abcd: 403 BXNIM0515E: You are not authorized to manage this Client ID.";
const FILLED_STEP = "ibmcloud ks api-key info --cluster c0ffee1234abcd";
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : !CLI ? "no runbook-lens binary in target/ (cargo build first)" : false;
const PAGE = "cluster/orchestrator-callback-errors.md";

let server;
let browser;
let pack;

describe("a pack's own extraction rules in Chromium", { skip }, () => {
  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "runbook-lens-pack-rules-"));
    const folder = join(out, "runbooks");
    cpSync(join(ROOT, "src/builtin/runbooks"), folder, { recursive: true });
    const text = readFileSync(join(folder, PAGE), "utf8");
    writeFileSync(join(folder, PAGE), text.replace("---\n", `---\nextract:\n- "${RULE}"\n`));
    const file = join(out, "rules.rlpack");
    const r = spawnSync(CLI, ["pack", folder, "-o", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    pack = "gzip-base64:" + readFileSync(file).toString("base64");
    rmSync(out, { recursive: true, force: true });
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the rule of the matched page fills <controllerid>; the rules module is loaded for it", async () => {
    const settings = JSON.stringify({ builtin_pack: false, packs: [{ id: "rules", name: "rules", enabled: true }] });
    await browser.worker.evaluate((s) => chrome.storage.local.set(s), { settings, "pack:rules": pack });
    const page = await browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(URLS.react);
    const panel = await waitForPanel(page, browser.extensionId);
    await expectText(panel, "runbook", REF.runbook);
    await panel.locator('[data-rl="log-line"]').fill(PLAIN_LOG_LINE);
    await expectText(panel, "scenario", /403 BXNIM0515E/);
    await waitFor(async () => (await panel.locator('[data-rl="step-text"]').allInnerTexts()).includes(FILLED_STEP), `the step \`${FILLED_STEP}\``, 15000);
    await expectText(panel, "rule-value", new RegExp(`<controllerid> = c0ffee1234abcd`));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
