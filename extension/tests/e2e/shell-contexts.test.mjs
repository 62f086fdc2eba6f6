// Alert values in shell contexts, through the real extension: a pack whose steps put values
// where an option goes (`kubectl delete pod <pod>`), inside an awk program and inside "…",
// and an incident whose pod is `--all` and whose job carries a payload. The option step is
// filled with a warning and its Copy asks first; the awk step keeps `<job>` unfilled with
// the reason, and <job> stays an input under "Values to fill in" (a typed value is refused
// there too); the "…" step is filled, quoted, and copies with one click.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { copyConfirming, expectText, waitFor } from "../lib/panel.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
// The CLI build.sh has just built (RUNBOOK_LENS_CLI), never a possibly stale release build.
const CLI = [process.env.RUNBOOK_LENS_CLI || join(ROOT, "target", "debug", "runbook-lens")].find((p) => existsSync(p));
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : !CLI ? "no runbook-lens binary in target/ (cargo build first)" : false;
const INCIDENT = "https://acme.pagerduty.com/incidents/QS1SHELLCTX1";
const SCREENSHOT = process.env.RL_SHELL_SCREENSHOT;

let server;
let browser;
let pack;

describe("alert values in shell contexts in Chromium", { skip }, () => {
  before(async () => {
    const out = mkdtempSync(join(tmpdir(), "runbook-lens-shell-"));
    const file = join(out, "shell.rlpack");
    const r = spawnSync(CLI, ["pack", join(ROOT, "extension/tests/fixtures/shell-pack"), "-o", file], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    // Stored as the extension stores packs (lib/pack-codec.js): gzip of raw v4, base64.
    pack = "gzip-base64:" + readFileSync(file).toString("base64");
    rmSync(out, { recursive: true, force: true });
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: "https://acme.pagerduty.com" });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("a warned step asks before copying; an unprovable placeholder stays an input with the reason", async () => {
    const page = await browser.context.newPage();
    await page.goto(INCIDENT);
    const panel = await waitForPanel(page, browser.extensionId);
    const settings = JSON.stringify({ builtin_pack: false, packs: [{ id: "shell", name: "shell", enabled: true }] });
    await panel.evaluate(([s, p]) => chrome.storage.local.set({ settings: s, "pack:shell": p }), [settings, pack]);
    await expectText(panel, "runbook", /^probe-service - Stuck probe pods$/);

    const items = panel.locator('[data-rl="sequence"]').first().locator('[data-rl="step"]');
    await waitFor(async () => (await items.count()) === 3, "the three steps");
    const [option, awk, quoted] = [items.nth(0), items.nth(1), items.nth(2)];

    // The option: filled as the alert says, warned, and Copy asks first.
    assert.equal(await option.locator('[data-rl="step-text"]').textContent(), "kubectl delete pod --all");
    assert.equal(await option.getAttribute("data-warning"), "true");
    assert.match(await option.locator('[data-rl="value-warning"]').textContent(), /<pod> begins with `-`, so the command may read it as an option/);
    const copyOption = option.locator('[data-rl="copy-step"]');
    const copied = await copyConfirming(page, copyOption);
    assert.equal(copied.confirmed, true, "Copy asked before copying a warned step");
    assert.equal(copied.text, "kubectl delete pod --all");

    // The awk program: not filled, with the reason; <job> is left to the user.
    assert.equal(await awk.locator('[data-rl="step-text"]').textContent(), "awk '/<job>/ {print}' /var/log/probe.log");
    assert.match(await awk.locator('[data-rl="value-warning"]').textContent(), /<job> is inside an awk program: not filled/);
    const input = panel.locator('[data-rl="value"][data-name="job"]');
    assert.equal(await input.count(), 1, "<job> is an input under Values to fill in");
    // A typed value is not written into the program either.
    await input.fill("x/ {system(\"touch /tmp/rl-pwned\")} /");
    await waitFor(async () => (await quoted.locator('[data-rl="step-text"]').textContent()).includes("system"), "the typed value in the quoted step");
    assert.equal(await awk.locator('[data-rl="step-text"]').textContent(), "awk '/<job>/ {print}' /var/log/probe.log");
    assert.match(await awk.locator('[data-rl="value-warning"]').textContent(), /inside an awk program: not filled/);

    // The "…" step: filled and escaped for "…", no warning, one click copies.
    const shown = await quoted.locator('[data-rl="step-text"]').textContent();
    assert.equal(shown, 'echo "stuck job: x/ {system(\\"touch /tmp/rl-pwned\\")} /"');
    assert.equal(await quoted.getAttribute("data-warning"), null);
    const plain = await copyConfirming(page, quoted.locator('[data-rl="copy-step"]'));
    assert.equal(plain.confirmed, false, "an unwarned step copies with one click");
    assert.equal(plain.text, shown);
    if (SCREENSHOT) await panel.locator('[data-rl="panel"]').screenshot({ path: SCREENSHOT });
    await page.close();
  });
});
