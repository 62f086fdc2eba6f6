// `./build.sh bench` (browser part): the built extension (dist/chrome) in headless Chromium
// against the HTTPS fixture server of the end-to-end tests (extension/tests/lib).
//
//  (i)   panel payload: every file panel.html loads (seen as requests of the panel frame),
//        raw and gzip -9 sizes; budget ≤ 200 KB gzip in total.
//  (ii)  time from the alert text appearing in the page to the guidance shown in the panel,
//        median over runs: cold (a fresh page load of an incident, wasm init included;
//        ≤ 150 ms) and SPA navigation to the next incident (≤ 30 ms). One clock for every
//        document: performance.timeOrigin + performance.now(). The page
//        (fixtures/static/bench.js) stamps when it puts the alert in; an init script in the
//        panel frame stamps the wasm instantiation, each incident message from the content
//        script, and (MutationObserver) each change of the runbook titles shown. Also
//        reported: the parts (content script: alert → message; panel: message → shown) and
//        the content script's debounce constants.
//  (iii) memory: the panel's JS heap and wasm memory with the built-in pack, and an
//        extension page holding the corpus pack (target/bench/pack-corpus.json, written by
//        cargo bench) in an Engine, with the time that load took in the browser.
//  (iv)  the corpus folder (../shared/corpus) imported through the options page: time,
//        storage.local bytes against the quota, and an incident page load until the panel
//        shows guidance from that stored pack.
//
// Prints rows (or writes them with --json <file>); never fails on a missed budget.
//
//   node scripts/bench-browser.mjs [--ext dist/chrome] [--runs 12] [--dir target/bench] [--json target/bench/browser.json]
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { BENCH_DIR as DEFAULT_BENCH_DIR, NO_CORPUS, ROOT, arg, emit, kb, median, ms, row, size } from "./bench-lib.mjs";
import { haveChromium, CHROMIUM, launch, panelFrame } from "../extension/tests/lib/browser.mjs";
import { startServer } from "../extension/tests/lib/server.mjs";

/** The panel's rules module: loaded by panel.js only when there are extraction rules. */
const RULES_FILES = ["pkg/runbook_lens_rules.js", "pkg/runbook_lens_rules_bg.wasm"];

const BENCH_DIR = resolve(arg("dir", DEFAULT_BENCH_DIR));
const EXT_DIR = resolve(arg("ext", join(ROOT, "dist", "chrome")));
const RUNS = Math.max(10, Number(arg("runs", "12")));
const PAYLOAD_BUDGET_KB = 200;
const COLD_BUDGET = 150;
const SPA_BUDGET = 30;
const BASE = "https://acme.pagerduty.com/incidents/QB1BENCH0001";
const RUNBOOK = { usSouth: "armada-orchestrator - Callback errors", etcd: "armada-deploy - Cluster etcd backup failing" };

if (!existsSync(join(EXT_DIR, "manifest.json"))) {
  console.error(`bench-browser: no built extension in ${EXT_DIR}: run './build.sh' (or './build.sh wasm && ./build.sh extension') first`);
  process.exit(2);
}
if (!haveChromium()) {
  console.error(`bench-browser: no Chromium at ${CHROMIUM}: run './build.sh setup'`);
  process.exit(2);
}

/**
 * Runs at document start in every frame; does something only in the panel page: stamps
 * the wasm instantiation, every incident message of the port, every change of the runbook
 * titles shown.
 */
function panelProbe() {
  if (location.protocol !== "chrome-extension:" || !location.pathname.endsWith("/panel.html")) return;
  const stamp = () => performance.timeOrigin + performance.now();
  const bench = (window.__rlBench = { start: performance.timeOrigin, marks: [] });
  const mark = (kind, extra) => bench.marks.push({ kind, t: stamp(), ...extra });
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const orig = WebAssembly[name];
    if (typeof orig !== "function") continue;
    WebAssembly[name] = async function (...args) {
      mark("wasm-start", { name });
      const r = await orig.apply(this, args);
      mark("wasm-ready", { name });
      return r;
    };
  }
  try {
    const ev = chrome.runtime.onConnect;
    const add = ev.addListener.bind(ev);
    // Our listener on each port goes first, so it stamps the message before the panel handles it.
    ev.addListener = (cb) =>
      add((port) => {
        port.onMessage.addListener((m) => {
          if (m && m.type === "incident") mark("message", { url: m.url, chars: typeof m.text === "string" ? m.text.length : -1 });
        });
        cb(port);
      });
  } catch (e) {
    bench.error = String(e);
  }
  let last = "";
  new MutationObserver(() => {
    const titles = Array.from(document.querySelectorAll('[data-rl="runbook"]'), (e) => e.textContent).join(" | ");
    if (titles !== last) {
      last = titles;
      mark("shown", { titles });
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

const sleep = (n) => new Promise((r) => setTimeout(r, n));

async function until(fn, what, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function panelOf(page, extensionId) {
  return until(async () => {
    const f = panelFrame(page, extensionId);
    return f && (await f.evaluate(() => Boolean(window.__rlBench)).catch(() => false)) ? f : null;
  }, "the panel frame");
}

/** Waits for the panel to show `title` after `t0`; returns the panel's marks. */
async function shownAfter(panel, title, t0) {
  return until(async () => {
    const b = await panel.evaluate(() => window.__rlBench);
    const shown = b.marks.find((m) => m.kind === "shown" && m.t >= t0 && m.titles === title);
    return shown ? { ...b, shown } : null;
  }, `the panel to show ${title}`);
}

const rows = [];
const server = await startServer();
const browser = await launch({ extDir: EXT_DIR, port: server.port });
try {
  const ext = `chrome-extension://${browser.extensionId}/`;
  await browser.context.addInitScript(panelProbe);
  const panelRequests = [];
  browser.context.on("request", (r) => {
    let where = "";
    try {
      where = r.frame().url();
    } catch {}
    // The panel document itself (its request comes before its frame has a URL), and what it loads.
    const url = r.url().split("#")[0];
    if (url === ext + "panel.html" || (url.startsWith(ext) && where.startsWith(ext + "panel.html"))) panelRequests.push(url);
  });

  // ---- (ii) cold: a fresh page load of an incident whose alert is there at once.
  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.context.newPage();
    await page.bringToFront();
    await page.goto(`${BASE}?alert=usSouth&run=${i}`);
    const panel = await panelOf(page, browser.extensionId);
    const [alert] = await until(() => page.evaluate(() => (window.__benchMarks.length ? window.__benchMarks : null)), "the page's alert");
    const b = await shownAfter(panel, RUNBOOK.usSouth, alert.t);
    const first = (kind) => b.marks.find((m) => m.kind === kind);
    const msg = b.marks.find((m) => m.kind === "message" && m.chars > 0);
    cold.push({
      total: b.shown.t - alert.t,
      toPanelStart: b.start - alert.t,
      wasm: first("wasm-ready") ? first("wasm-ready").t - b.start : NaN,
      toMessage: msg ? msg.t - alert.t : NaN,
      messageToShown: msg ? b.shown.t - msg.t : NaN,
      wasmBeforeMessage: first("wasm-ready") && msg ? first("wasm-ready").t <= msg.t : null,
    });
    await page.close();
  }

  // ---- (ii) SPA: the next incidents of one page, alternating alerts (so the guidance changes).
  const spa = [];
  const titleOnly = [];
  {
    const page = await browser.context.newPage();
    await page.bringToFront();
    await page.goto(`${BASE}?alert=usSouth`);
    const panel = await panelOf(page, browser.extensionId);
    await shownAfter(panel, RUNBOOK.usSouth, 0);
    await sleep(1200); // past the content script's first scheduled read and its location poll
    for (let i = 0; i < RUNS; i++) {
      const key = i % 2 === 0 ? "etcd" : "usSouth";
      const id = `QB${String(i + 2).padStart(2, "0")}BENCH${String(i).padStart(4, "0")}`;
      await page.evaluate(([id, key]) => window.__bench.go(id, key), [id, key]);
      const marks = await page.evaluate(() => window.__benchMarks);
      const t0 = marks[marks.length - 1].t;
      const b = await shownAfter(panel, RUNBOOK[key], t0);
      const msg = b.marks.find((m) => m.kind === "message" && m.t >= t0 && m.chars > 0);
      spa.push({ total: b.shown.t - t0, toMessage: msg ? msg.t - t0 : NaN, messageToShown: msg ? b.shown.t - msg.t : NaN });
      // The engineer reads the incident before moving on: long enough for the content
      // script's location poll and its scheduled re-read on arrival to have passed.
      await sleep(1500);
    }

    // ---- (ii) SPA to an incident whose page shows only its title (issue 10 item 6: details
    // collapsed, no body ever arriving): an Alertmanager title and an Armada title without its
    // number, alternating (so that the guidance changes each time), the first one the runbook
    // the panel does not show now.
    const TITLE_ONLY = {
      etcd: "[FIRING:1] ClusterEtcdBackupFailing (cluster_etcd_backup_failing armada-deploy critical)",
      usSouth: "staging.containers-kubernetes.stage-dal10-carrier103.DeleteClientID_callback_action_time_errors.us-south",
    };
    const shownNow = (RUNS - 1) % 2 === 0 ? "etcd" : "usSouth";
    for (let i = 0; i < RUNS; i++) {
      const key = (i % 2 === 0) === (shownNow === "etcd") ? "usSouth" : "etcd";
      const id = `QT${String(i + 2).padStart(2, "0")}TITLE${String(i).padStart(4, "0")}`;
      const t0 = await page.evaluate(
        ([id, title]) => {
          history.pushState({}, "", `/incidents/${id}`);
          window.PD.render({ kind: "incident", number: id, title, service: "armada", alerts: window.PD.h("div", {}) });
          return performance.timeOrigin + performance.now();
        },
        [id, TITLE_ONLY[key]],
      );
      const b = await shownAfter(panel, RUNBOOK[key], t0);
      titleOnly.push({ total: b.shown.t - t0 });
      await sleep(1500);
    }

    // ---- (iii) memory of this panel (built-in pack).
    const cdp = await browser.context.newCDPSession(panel);
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = await cdp.send("Runtime.getHeapUsage");
    const wasmMem = await panel.evaluate(async () => (await (await import("./pkg/runbook_lens.js")).default()).memory.buffer.byteLength);
    rows.push({ section: "memory (Chromium)" });
    rows.push(row("panel JS heap, built-in pack (used)", size(heap.usedSize)));
    rows.push(row("panel wasm memory, built-in pack", size(wasmMem)));
    await cdp.detach();
    await page.close();
  }

  // ---- (iii) an extension page holding the corpus pack in an Engine.
  const corpusFile = join(BENCH_DIR, "pack-corpus.json");
  const hasJsonLoader = existsSync(join(EXT_DIR, "pkg", "runbook_lens.js")) && /fromPackJson/.test(readFileSync(join(EXT_DIR, "pkg", "runbook_lens.js"), "utf8"));
  if (existsSync(corpusFile) && !hasJsonLoader) {
    // Pack version 4: the panel's wasm reads no JSON packs; the three-pack part measures the panel.
    const why = "not measurable: the panel's wasm has no Engine.fromPackJson";
    rows.push(row("extension page + corpus pack in an Engine: JS heap / wasm memory", why));
    rows.push(row("load the corpus pack in the browser", why));
  } else if (existsSync(corpusFile)) {
    const page = await browser.context.newPage();
    await page.goto(`${ext}panel.html`);
    await until(() => page.evaluate(() => document.querySelector('[data-rl="panel"]') !== null), "the extension page");
    const cdp = await browser.context.newCDPSession(page);
    const json = readFileSync(corpusFile, "utf8");
    const r = await page.evaluate(async (json) => {
      const m = await import("./pkg/runbook_lens.js");
      const w = await m.default();
      const memBefore = w.memory.buffer.byteLength;
      const t0 = performance.now();
      window.__corpusEngine = m.Engine.fromPackJson(json, "");
      const t = performance.now() - t0;
      return { t, runbooks: window.__corpusEngine.runbooks, memBefore, memAfter: w.memory.buffer.byteLength };
    }, json);
    await cdp.send("HeapProfiler.collectGarbage");
    const afterHeap = await cdp.send("Runtime.getHeapUsage");
    rows.push(row(`extension page + corpus pack in an Engine (${r.runbooks} pages): JS heap (used)`, size(afterHeap.usedSize), "-", null));
    rows.push(row("  same page: wasm memory (built-in panel + corpus Engine)", `${size(r.memAfter)} (+${size(r.memAfter - r.memBefore)})`, "-", null));
    rows.push(row(`load the corpus pack in the browser (${(json.length / 1024 / 1024).toFixed(1)} MB JSON → Engine)`, ms(r.t, 0), "-", null));
    await cdp.detach();
    await page.close();
  } else {
    rows.push(row("extension page + corpus pack in an Engine: JS heap / wasm memory", NO_CORPUS));
    rows.push(row("load the corpus pack in the browser", NO_CORPUS));
  }

  // ---- (iv) the corpus folder imported through the options page, then used by the panel.
  const corpusDir = join(ROOT, "..", "shared", "corpus");
  if (existsSync(corpusDir)) {
    const page = await browser.context.newPage();
    await page.goto(`${ext}options.html`);
    await until(() => page.evaluate(() => document.querySelector('[data-rl="import-folder"]') !== null), "the options page");
    const t0 = Date.now();
    await page.locator('[data-rl="import-folder"]').setInputFiles(corpusDir);
    await page.locator('[data-rl="import-report"]').waitFor({ timeout: 120000 });
    const importMs = Date.now() - t0;
    const summary = await page.locator('[data-rl="import-summary"]').textContent();
    const used = await page.evaluate(() => chrome.storage.local.getBytesInUse(null));
    const quota = await page.evaluate(() => chrome.storage.local.QUOTA_BYTES);
    await page.close();
    rows.push({ section: "options page: the corpus folder imported (Chromium)" });
    rows.push(row(`import the corpus folder (read, parse, check, compress, store: ${(/Loaded (\d+) pages/.exec(summary) || [])[1] ?? "?"} pages)`, ms(importMs, 0)));
    rows.push(row("storage.local used by it (pack stored gzip + base64)", size(used), `< ${size(quota)} quota`, used < quota));
    // A fresh incident page: the panel decodes the stored pack and loads it with the built-in one.
    const inc = await browser.context.newPage();
    const t1 = Date.now();
    await inc.goto("https://acme.pagerduty.com/incidents/Q1REACT0PRE1"); // the reference incident (tests fixture)
    const hit = await until(async () => {
      const f = panelFrame(inc, browser.extensionId);
      const files = f ? await f.locator('[data-rl="runbook-file"]').allTextContents().catch(() => []) : [];
      return files.some((x) => x.startsWith("armada/runbooks/")) ? files : null;
    }, "the panel to use the imported corpus", 60000).catch(() => null);
    rows.push(row("incident page load → guidance from the stored corpus pack", hit ? ms(Date.now() - t1, 0) : "not reached"));
    await inc.close();
  } else {
    rows.push(row("options page: import the corpus folder", NO_CORPUS));
  }

  // ---- (i) payload: what the panel frame loaded.
  const files = [...new Set(panelRequests)].map((u) => decodeURIComponent(new URL(u).pathname.slice(1)));
  const payload = [];
  let rawTotal = 0;
  let gzTotal = 0;
  for (const f of files) {
    const path = join(EXT_DIR, f);
    if (!existsSync(path)) continue;
    const raw = statSync(path).size;
    const gz = gzipSync(readFileSync(path), { level: 9 }).length;
    rawTotal += raw;
    gzTotal += gz;
    payload.push(row(`  ${f}`, `${kb(raw)} raw, ${kb(gz)} gzip`));
  }
  // The rules module (extraction rules' regex engine), which panel.js loads only when the
  // settings or the matched runbook have rules: not in the requests above, which run without.
  const rulesPayload = [];
  let rulesRaw = 0;
  let rulesGz = 0;
  for (const f of RULES_FILES) {
    const path = join(EXT_DIR, f);
    if (!existsSync(path)) continue;
    const raw = statSync(path).size;
    const gz = gzipSync(readFileSync(path), { level: 9 }).length;
    rulesRaw += raw;
    rulesGz += gz;
    rulesPayload.push(row(`  ${f}`, `${kb(raw)} raw, ${kb(gz)} gzip`));
  }
  const coldMed = (k) => median(cold.map((c) => c[k]));
  const spaMed = (k) => median(spa.map((c) => c[k]));
  const content = readFileSync(join(EXT_DIR, "content.js"), "utf8");
  const constant = (name) => (new RegExp(`\\b${name}\\s*=\\s*(\\d+)`).exec(content) || [])[1];
  const arrival = (/schedule\(sameIncident \? DEBOUNCE_MS : (\d+)\)/.exec(content) || [])[1];
  const rafFastPath = /requestAnimationFrame\(/.test(content);

  const out = [
    { section: "panel payload (everything panel.html loads)" },
    ...payload,
    row(`panel payload total (${files.length} files)`, `${kb(rawTotal)} raw, ${kb(gzTotal)} gzip`, `≤ ${PAYLOAD_BUDGET_KB} KB gzip`, gzTotal <= PAYLOAD_BUDGET_KB * 1024),
    { section: "panel payload with extraction rules (the rules module, loaded only when there are rules)" },
    ...rulesPayload,
    row(`panel payload with rules (${files.length + rulesPayload.length} files)`, `${kb(rawTotal + rulesRaw)} raw, ${kb(gzTotal + rulesGz)} gzip`, "-", null),
    { section: `alert in the page → guidance in the panel (headless Chromium, median of ${RUNS})` },
    row("cold: fresh page load, wasm init included", ms(coldMed("total")), `≤ ${COLD_BUDGET} ms`, coldMed("total") <= COLD_BUDGET),
    row("  cold, first run in this browser profile", ms(cold[0].total)),
    row("  cold: alert → panel page starts loading", ms(coldMed("toPanelStart"))),
    row("  cold: panel page start → wasm instantiated", ms(coldMed("wasm"))),
    row("  cold: alert → incident message at the panel", ms(coldMed("toMessage"))),
    row("  cold: message → guidance shown (panel)", ms(coldMed("messageToShown"))),
    row("SPA: next incident", ms(spaMed("total")), `≤ ${SPA_BUDGET} ms`, spaMed("total") <= SPA_BUDGET),
    row("  SPA: alert → incident message (content script)", ms(spaMed("toMessage"))),
    row("  SPA: message → guidance shown (panel: explain + render)", ms(spaMed("messageToShown"))),
    row(
      "  SPA runs read at the next frame / after the debounce",
      `${spa.filter((r) => r.toMessage < Number(constant("DEBOUNCE_MS") || 250) / 2).length} / ${spa.filter((r) => !(r.toMessage < Number(constant("DEBOUNCE_MS") || 250) / 2)).length}`,
    ),
    row("  SPA: slowest run", ms(Math.max(...spa.map((r) => r.total)))),
    row("SPA: next incident showing only its title (no body ever)", ms(median(titleOnly.map((r) => r.total))), `≤ ${SPA_BUDGET} ms`, median(titleOnly.map((r) => r.total)) <= SPA_BUDGET),
    row("  SPA, title only: slowest run", ms(Math.max(...titleOnly.map((r) => r.total)))),
    row(
      "content.js timers: debounce / on arrival / URL poll",
      `${constant("DEBOUNCE_MS") ?? "?"} / ${arrival ?? "?"} / ${constant("POLL_MS") ?? "?"} ms`,
      "-",
      null,
    ),
    row("  content.js reads a change after a quiet spell at the next frame", rafFastPath ? "yes" : "no"),
    ...rows,
  ];
  rows.length = 0;
  rows.push(...out);
  if (process.env.RUNBOOK_LENS_BENCH_VERBOSE) console.error(JSON.stringify({ cold, spa }, null, 1));
} finally {
  await browser.close();
  await server.close();
}
emit(rows);
