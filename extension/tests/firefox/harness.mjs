// What every Firefox test file shares: where the Firefox build is, why a file's suites skip,
// the profile preferences, and polling. Each file keeps its own WebDriver session and panel
// helpers, since those differ with what the file checks.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { proxyPrefs } from "./proxy.mjs";
import { FIREFOX, Session, firefoxMissing } from "./webdriver.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const ZIP = process.env.RUNBOOK_LENS_FIREFOX_ZIP || join(ROOT, "dist", "runbook-lens-firefox.zip");
/** Why the Firefox suites cannot run here (a string), or false. */
export const SKIP_FIREFOX = firefoxMissing() || (!existsSync(ZIP) && `no Firefox build at ${ZIP} (./build.sh extension)`);

export const PREFS = {
  // Grant MV3 host permissions (our content script's matches) at install.
  "extensions.originControls.grantByDefault": true,
  // Console messages of pages, extension pages and content scripts go to stdout, which
  // geckodriver collects: the tests look there for our errors.
  "devtools.console.stdout.content": true,
  "devtools.console.stdout.chrome": true,
  // No first-run pages, no updates of anything.
  "browser.aboutwelcome.enabled": false,
  "app.update.disabledForTesting": true,
  "extensions.update.enabled": false,
  "datareporting.policy.dataSubmissionEnabled": false,
  "toolkit.telemetry.enabled": false,
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns something truthy; fails with `what` after `timeout` ms. */
export async function waitFor(fn, what, timeout = 15000) {
  const end = Date.now() + timeout;
  let lastError = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      lastError = null;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) assert.fail(`timed out waiting for ${typeof what === "function" ? await what() : what}${lastError ? ` (last error: ${lastError.message})` : ""}`);
    await sleep(150);
  }
}

/**
 * A headless Firefox ESR session on `driver` whose traffic goes through `proxy` (the
 * PagerDuty names mapped to the fixture server), with PREFS and `prefs` on top.
 */
export function firefoxSession(driver, proxy, prefs = {}) {
  return Session.create(driver.url, {
    browserName: "firefox",
    acceptInsecureCerts: true,
    "moz:firefoxOptions": {
      binary: FIREFOX,
      args: ["-headless", "--width=1280", "--height=800"],
      prefs: { ...proxyPrefs(proxy.port), ...PREFS, ...prefs },
      env: { MOZ_HEADLESS: "1" },
    },
  });
}
