// The demo: loads the built extension (dist/chrome) into headless Chromium, opens a
// bundled PagerDuty-like incident page served over HTTPS on loopback as
// https://demo.pagerduty.com/incidents/Q3DEMO1ABC (the reference alert), waits for
// the panel's guidance and writes dist/demo.png (page + panel).
//
//   node extension/demo.mjs [--out dist/demo.png] [--ext dist/chrome] [--dark]
//
// Skips (exit 0, with a message) when there is no Chromium.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "./tests/lib/browser.mjs";
import { startServer } from "./tests/lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const DEMO_URL = "https://demo.pagerduty.com/incidents/Q3DEMO1ABC";

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main() {
  const out = resolve(arg("--out", join(ROOT, "dist", "demo.png")));
  const extDir = resolve(arg("--ext", process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome")));
  if (!haveChromium()) {
    console.log(`demo: SKIPPED, no Chromium at ${CHROMIUM} (apt-get install chromium); dist/demo.png not written`);
    return;
  }
  if (!existsSync(join(extDir, "manifest.json"))) throw new Error(`no built extension in ${extDir}: run ./build.sh first`);

  const t0 = Date.now();
  const server = await startServer();
  const browser = await launch({
    extDir,
    port: server.port,
    viewport: { width: 1280, height: 800 },
    colorScheme: process.argv.includes("--dark") ? "dark" : "light",
  });
  try {
    const page = await browser.context.newPage();
    const problems = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(String(e)));
    await page.goto(DEMO_URL);
    const panel = await waitForPanel(page, browser.extensionId);
    await panel.locator('[data-rl="runbook"]').first().waitFor({ timeout: 15000 });
    const runbook = await panel.locator('[data-rl="runbook"]').first().innerText();
    const scenario = await panel.locator('[data-rl="scenario"]').first().innerText();
    // Let fonts and layout settle before the picture.
    await page.waitForTimeout(300);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    if (problems.length) throw new Error(`console errors during the demo:\n  ${problems.join("\n  ")}`);
    console.log(`demo: ${DEMO_URL} -> runbook "${runbook}", scenario "${scenario}"`);
    console.log(`demo: wrote ${out} (${Date.now() - t0} ms)`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(`demo failed: ${e.stack || e}`);
  process.exit(1);
});
