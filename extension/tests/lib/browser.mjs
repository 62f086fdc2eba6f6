// Headless Chromium with the built extension loaded, talking to the fixture server
// for every *.pagerduty.com name. Never downloads a browser: it runs Debian's.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export function haveChromium() {
  return existsSync(CHROMIUM);
}

/**
 * Launches Chromium with the unpacked extension in `extDir`; *.pagerduty.com resolve to
 * 127.0.0.1:`port`, and so do the names in `hosts` (pack URL sites). `args` are extra
 * Chromium flags; `preferences` (an object) is written as the new profile's
 * Default/Preferences before the start, as a user's settings would be (e.g.
 * `{profile: {cookie_controls_mode: 0}}`: third-party cookies allowed). Resolves to
 * {context, extensionId, close()}.
 */
export async function launch({ extDir, port, viewport = { width: 1280, height: 800 }, colorScheme = "light", args = [], hosts = [], preferences = null }) {
  if (!haveChromium()) throw new Error(`no Chromium at ${CHROMIUM}`);
  const userDataDir = mkdtempSync(join(tmpdir(), "runbook-lens-profile-"));
  if (preferences) {
    mkdirSync(join(userDataDir, "Default"));
    writeFileSync(join(userDataDir, "Default", "Preferences"), JSON.stringify(preferences));
  }
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
      `--host-resolver-rules=MAP *.pagerduty.com 127.0.0.1:${port}, MAP pagerduty.com 127.0.0.1:${port}${hosts.map((h) => `, MAP ${h} 127.0.0.1:${port}`).join("")}`,
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

/**
 * The content script's answer in the tab of `page`, asked as the keyboard shortcut asks it
 * (the service worker sends `toggle` to the active tab): {collapsed: null} from a content
 * script that has started (its message listener is registered after it first looked at the
 * URL) and shows no panel; {collapsed: true|false} from one that shows a panel (and has just
 * toggled it); {error} when no content script listens in that tab, or not yet.
 */
export async function askContentScript(browser, page) {
  await page.bringToFront();
  return browser.worker.evaluate(async () => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    try {
      return (await chrome.tabs.sendMessage(tab.id, { type: "toggle" })) ?? { answer: "none" };
    } catch (e) {
      return { error: String((e && e.message) || e) };
    }
  });
}

/**
 * Waits for the positive sign that the content script of `page` runs and decided to show no
 * panel there (its answer {collapsed: null}); fails with the last answer otherwise.
 */
export async function waitForNoPanelDecision(browser, page, timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await askContentScript(browser, page);
    if (last && last.collapsed === null) return;
    if ((last && typeof last.collapsed === "boolean") || Date.now() > end) {
      throw new Error(`the content script on ${page.url()} did not say "no panel here": ${JSON.stringify(last)}`);
    }
    await page.waitForTimeout(100);
  }
}

/**
 * The execution contexts of this extension (its content scripts' isolated world) in the
 * main frame of `page`, read through the DevTools protocol once the page has loaded.
 * Chromium injects `document_idle` content scripts at the latest in a task it posts when the
 * load event has been dispatched; the evaluation below runs after that task, so an empty list
 * means no content script was injected, not that it is still to come.
 */
export async function contentScriptWorlds(page, extensionId) {
  await page.waitForLoadState("load");
  await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
  const cdp = await page.context().newCDPSession(page);
  const contexts = [];
  cdp.on("Runtime.executionContextCreated", (e) => contexts.push(e.context));
  try {
    // Enabling reports every context that exists, before it answers.
    await cdp.send("Runtime.enable");
  } finally {
    await cdp.detach().catch(() => {});
  }
  return contexts.filter((c) => c.origin === `chrome-extension://${extensionId}`).map((c) => c.name);
}
