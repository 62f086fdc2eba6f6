// Headless Chromium with the built extension loaded, talking to the fixture server
// for every *.pagerduty.com name. Never downloads a browser: it runs Debian's.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export function haveChromium() {
  return existsSync(CHROMIUM);
}

/**
 * Launches Chromium with the unpacked extension in `extDir`; *.pagerduty.com resolve to
 * 127.0.0.1:`port`. `args` are extra Chromium flags. Resolves to {context, extensionId, close()}.
 */
export async function launch({ extDir, port, viewport = { width: 1280, height: 800 }, colorScheme = "light", args = [] }) {
  if (!haveChromium()) throw new Error(`no Chromium at ${CHROMIUM}`);
  const userDataDir = mkdtempSync(join(tmpdir(), "runbook-lens-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    colorScheme,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-default-apps",
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
      `--host-resolver-rules=MAP *.pagerduty.com 127.0.0.1:${port}, MAP pagerduty.com 127.0.0.1:${port}`,
      "--ignore-certificate-errors",
      ...args,
    ],
  });
  let [worker] = context.serviceWorkers();
  if (!worker) worker = await context.waitForEvent("serviceworker", { timeout: 15000 });
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    worker,
    close: async () => {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** The panel iframe of `page` (an extension frame inside our closed shadow root), or null. */
export function panelFrame(page, extensionId) {
  const prefix = `chrome-extension://${extensionId}/panel.html`;
  return page.frames().find((f) => f.url().startsWith(prefix)) || null;
}

/** Waits for the panel frame of `page` and for the wasm Panel to have rendered into it. */
export async function waitForPanel(page, extensionId, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const f = panelFrame(page, extensionId);
    if (f) {
      const ready = await f.locator('[data-rl="panel"]').count().catch(() => 0);
      if (ready) return f;
    }
    if (Date.now() > end) throw new Error(`no Runbook Lens panel on ${page.url()} after ${timeout} ms`);
    await page.waitForTimeout(100);
  }
}

/** True when our host element is in the page (looked up from the page's own world). */
export function hasHost(page) {
  return page.evaluate(() => document.querySelector("[data-runbook-lens]") !== null);
}
