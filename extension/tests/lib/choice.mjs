// The fixture pack of the "choose another runbook" tests (extension/tests/fixtures/choice-pack:
// a second page that fits the reference alert, and a page no fixture alert names), packed with
// the real CLI, and what the Chromium and Firefox suites both expect of it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
// The CLI build.sh has just built (RUNBOOK_LENS_CLI), never a possibly stale release build.
export const CLI = [process.env.RUNBOOK_LENS_CLI || join(ROOT, "target", "debug", "runbook-lens")].find((p) => existsSync(p));

export const SLOW = {
  runbook: "armada-orchestrator - Callback action too slow",
  file: "callback-slow.md",
  scenario: "Slow DeleteClientID callbacks",
  query: "callbackName:DeleteClientID durationMs>5000",
  step: "kubectl -n armada logs deploy/armada-orchestrator | grep -c DeleteClientID",
  escalation: "https://ibm.pagerduty.com/escalation_policies#PSLOW01",
};

export const LEDGER = {
  runbook: "billing-ledger - Settlement ledger drift",
  file: "billing-ledger.md",
  query: "app:billing-ledger queue:settlement-events",
  step: "kubectl -n billing exec deploy/ledger -- ledgerctl replay --queue settlement-events --region eu-nl",
};

/**
 * The fixture pack as the extension stores it (lib/pack-codec.js: `gzip-base64:` and the
 * gzip of raw version 4, which is exactly the file `runbook-lens pack` writes).
 */
export function choicePack() {
  assert.ok(CLI, "no runbook-lens binary in target/ (cargo build first)");
  const out = mkdtempSync(join(tmpdir(), "runbook-lens-choice-"));
  const file = join(out, "choice.rlpack");
  const r = spawnSync(CLI, ["pack", join(ROOT, "extension/tests/fixtures/choice-pack"), "-o", file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const pack = "gzip-base64:" + readFileSync(file).toString("base64");
  rmSync(out, { recursive: true, force: true });
  return pack;
}

/**
 * storage.local items that add the fixture pack to the built-in one (plus `extra` settings).
 * The built-in pack is chosen on: by default it goes off once a team pack is imported.
 */
export function choiceStorage(pack, extra = {}) {
  const settings = JSON.stringify({ builtin_pack: true, builtin_pack_chosen: true, packs: [{ id: "choice", name: "choice", enabled: true }], ...extra });
  return { settings, "pack:choice": pack };
}
