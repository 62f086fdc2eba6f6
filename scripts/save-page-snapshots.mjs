// Saves the snapshots of the PagerDuty-like fixture pages (extension/tests/fixtures/pd-real-*,
// listed in tests/pages/cases.json) as the Rust reader's test input:
// tests/pages/<case>/snapshot.txt, written by the content script's own `snapshot` and
// `encodeSnapshot` functions
// (extension/lib/pd-page.js) in headless Chromium at the case's PagerDuty URL. Run it after
// changing a fixture or the snapshot's shape: `node scripts/save-page-snapshots.mjs`, then
// `UPDATE_EXPECT=1 cargo test --test it page::` and review the diff.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM } from "../extension/tests/lib/browser.mjs";
import { FIXTURES, startServer } from "../extension/tests/lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const PAGES = join(ROOT, "tests", "pages");
const PAGE_JS = readFileSync(join(ROOT, "extension", "lib", "pd-page.js"), "utf8");
const cases = JSON.parse(readFileSync(join(PAGES, "cases.json"), "utf8"));

const files = {};
for (const c of cases) {
  const u = new URL(c.url);
  files[u.host + u.pathname] = join(FIXTURES, c.fixture);
}
const server = await startServer({ files });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", `--host-resolver-rules=MAP *.pagerduty.com 127.0.0.1:${server.port}`, "--ignore-certificate-errors"],
});
try {
  // The page's CSP forbids inline scripts; the snapshot function is added as the content
  // script would be, from outside the page.
  const context = await browser.newContext({ bypassCSP: true, ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  for (const c of cases) {
    await page.goto(c.url);
    await page.addScriptTag({ content: PAGE_JS });
    const snap = await page.evaluate(() => {
      const Page = /** @type {any} */ (window).RunbookLensPage;
      const s = Page.snapshot(document, null);
      return { text: Page.encodeSnapshot(s), nodes: s.nodes.length };
    });
    const dir = join(PAGES, c.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "snapshot.txt"), snap.text);
    console.log(`${c.name}: ${snap.nodes} nodes`);
  }
} finally {
  await browser.close();
  await server.close();
}
