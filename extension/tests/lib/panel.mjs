// Helpers shared by the newer end-to-end tests (hostile alerts, messages, network):
// reading the panel, copying through its buttons, waiting without asserting times, and
// collecting the errors a page reports.
import assert from "node:assert/strict";

/** Polls `fn` until it returns something truthy; fails with `what` after `timeout` ms. */
export async function waitFor(fn, what, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${typeof what === "function" ? await what() : what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The panel's status line (or null). */
export function panelStatus(panel) {
  return panel.locator('[data-rl="status"]').first().textContent().catch(() => null);
}

/** Text of the `nth` `data-rl` hook in the panel, once it matches `expected` (string or RegExp). */
export async function expectText(panel, hook, expected, { nth = 0, timeout = 10000 } = {}) {
  const loc = panel.locator(`[data-rl="${hook}"]`).nth(nth);
  let last = null;
  await waitFor(
    async () => {
      last = (await loc.count()) ? await loc.textContent() : null;
      return last !== null && (expected instanceof RegExp ? expected.test(last) : last === expected);
    },
    async () => `panel [data-rl=${hook}] #${nth} to be ${expected}; got ${JSON.stringify(last && last.slice(0, 300))} (status: ${JSON.stringify(await panelStatus(panel))})`,
    timeout,
  );
  return last;
}

/** Clicks a Copy button of the panel and returns what landed on the clipboard. */
export async function copyVia(page, button) {
  return (await copyConfirming(page, button)).text;
}

/**
 * Clicks a Copy button; when the panel asks for confirmation first (a value in the steps
 * looks wrong: the button turns to "Copy anyway?", data-confirm="armed"), clicks again.
 * Returns {text: the clipboard, confirmed: whether a confirmation was asked}.
 */
export async function copyConfirming(page, button) {
  const before = `(clipboard before the click ${Math.random()})`;
  await page.evaluate((t) => navigator.clipboard.writeText(t), before);
  await button.click();
  let text = before;
  let confirmed = false;
  await waitFor(
    async () => {
      text = await page.evaluate(() => navigator.clipboard.readText());
      if (text !== before) return true;
      if (!confirmed && (await button.getAttribute("data-confirm")) === "armed") {
        confirmed = true;
        await button.click();
      }
      return false;
    },
    "the Copy button to fill the clipboard",
    5000,
  );
  return { text, confirmed };
}

/**
 * Records the network requests of a browser context: every `request` event of its pages,
 * their frames (the panel's extension frame included) and its service workers.
 */
export function recordRequests(context) {
  const list = [];
  context.on("request", (r) => {
    let where = "?";
    try {
      where = r.frame().url();
    } catch {
      where = r.serviceWorker() ? `service worker ${r.serviceWorker().url()}` : "no frame";
    }
    list.push({ url: r.url(), type: r.resourceType(), method: r.method(), where });
  });
  return list;
}

/** Console errors and uncaught exceptions of a page and its frames (the panel included). */
export function watchErrors(page) {
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()} (${m.location().url || "?"})`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}
