// Text extraction (lib/pd-page.js extractIncidentText) on real DOM layouts, in
// headless Chromium without the extension: innerText needs a real layout engine.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { CHROMIUM, haveChromium } from "../lib/browser.mjs";

const PAGE_JS = readFileSync(new URL("../../lib/pd-page.js", import.meta.url), "utf8");
const TITLE = "#60048810 staging.containers-kubernetes.stage-dal10-carrier103.DeleteClientID_callback_action_time_errors.us-south";
const BODY = ["- alert = ClusterSquadOrchestratorCallbackActionTimeErrors", "- operation = DeleteClientID", "- reason_code = ErrorUnclassified", "- region = us-south"];

let browser;
let page;

/** extractIncidentText of `html` (a body's content); `exclude` selects our host stand-in. */
async function extract(html, exclude) {
  await page.setContent(`<!doctype html><html><head><style>.hide{display:none}.pw{white-space:pre-wrap}</style></head><body>${html}</body></html>`);
  await page.addScriptTag({ content: PAGE_JS });
  return page.evaluate((sel) => {
    const ex = sel ? document.querySelector(sel) : null;
    return window.RunbookLensPage.extractIncidentText(document, ex);
  }, exclude || null);
}

const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

describe("extractIncidentText in Chromium", { skip: haveChromium() ? false : `no Chromium at ${CHROMIUM}` }, () => {
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
  });

  test("hashed classes, title in an h1, body in a <pre>: title + body, not the page around them", async () => {
    const text = await extract(`
      <div class="css-4pp5h1" role="banner"><nav class="css-1n4v8q"><a href="#">Incidents</a><a href="#">Services</a></nav></div>
      <main class="css-m41n0x">
        <div class="css-bc4m1n">Incidents / #60048810</div>
        <h1 class="css-t1x2y3">${TITLE}</h1>
        <div class="css-r0w5zz"><span>Triggered</span><button>Acknowledge</button></div>
        <div class="css-x1"><span>Related</span><a href="#">#111 bluemix.containers-kubernetes.prod-x-carrier1.other_situation.eu-de</a></div>
        <pre class="css-pr3b0d">${esc(BODY.join("\n"))}</pre>
      </main>`);
    assert.equal(text, `${TITLE}\n\n${BODY.join("\n")}`);
  });

  test("custom details table: key<TAB>value rows", async () => {
    const rows = BODY.map((l) => l.slice(2).split(" = ")).map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("");
    const text = await extract(`<main><h1>${TITLE}</h1><table class="css-kv"><tbody>${rows}</tbody></table></main>`);
    assert.equal(text, `${TITLE}\n\nalert\tClusterSquadOrchestratorCallbackActionTimeErrors\noperation\tDeleteClientID\nreason_code\tErrorUnclassified\nregion\tus-south`);
  });

  test("the body outside every hook: the whole incident's text (hooks hold only metadata)", async () => {
    const text = await extract(`
      <nav><a>Incidents</a></nav>
      <main>
        <h1>${TITLE}</h1>
        <table><tr><td>Status</td><td>Triggered</td></tr></table>
        <div class="css-b0dy">${BODY.map(esc).join("<br>")}</div>
      </main>`);
    for (const l of [TITLE, ...BODY, "Status\tTriggered"]) assert.ok(text.includes(l), `missing ${l} in:\n${text}`);
    assert.ok(!text.includes("Incidents"), "the navigation is left out");
  });

  test("data-testid hooks: outermost only, nothing twice", async () => {
    const text = await extract(`
      <main>
        <h1 data-testid="incident-title">${TITLE}</h1>
        <section data-testid="alert-card"><div data-testid="alert-details"><pre>${esc(BODY.join("\n"))}</pre></div></section>
        <div>Notes: someone looked at it</div>
      </main>`);
    assert.equal(text, `${TITLE}\n\n${BODY.join("\n")}`);
  });

  test("definition lists read as key<TAB>value rows, also inside a hook", async () => {
    const dl = (cls) => `<dl class="${cls}">` + BODY.map((l) => l.slice(2).split(" = ")).map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join("") + "</dl>";
    const rows = "alert\tClusterSquadOrchestratorCallbackActionTimeErrors\noperation\tDeleteClientID\nreason_code\tErrorUnclassified\nregion\tus-south";
    assert.equal(await extract(`<main><h1>${TITLE}</h1>${dl("css-d1")}</main>`), `${TITLE}\n\n${rows}`);
    assert.equal(await extract(`<main><h1>${TITLE}</h1><section data-testid="alert-details"><h3>Custom details</h3>${dl("css-d2")}</section></main>`), `${TITLE}\n\nCustom details\n${rows}`);
    // Folded away in a closed <details>.
    assert.equal(await extract(`<main><h1>${TITLE}</h1><details><summary>Details</summary>${dl("css-d4")}</details></main>`), `${TITLE}\n\nDetails\n${rows}`);
    // No hooks but the dl inside plain divs: the whole text still pairs them.
    const whole = await extract(`<main><h1>${TITLE}</h1><div class="x"><span>Status</span> <b>Triggered</b>${dl("css-d3").replace("<dl", "<dl")}</div></main>`);
    assert.ok(whole.includes(rows), whole);
  });

  test("a closed <details> still gives its content; hidden elements do not", async () => {
    const text = await extract(`
      <main>
        <h1>${TITLE}</h1>
        <details><summary>Show details</summary><pre>${esc(BODY.join("\n"))}</pre></details>
        <pre class="hide">- region = should-not-appear</pre>
      </main>`);
    assert.equal(text, `${TITLE}\n\nShow details\n${BODY.join("\n")}`);
  });

  test("no <main>: body, without navigation; our own host is never read", async () => {
    const text = await extract(`
      <nav role="navigation">- region = from-nav</nav>
      <div id="app"><h1>${TITLE}</h1><div class="pw">${esc(BODY.join("\n"))}</div></div>
      <div id="host">- region = from-our-host</div>`, "#host");
    assert.ok(text.startsWith(TITLE), text);
    for (const l of BODY) assert.ok(text.includes(l), `missing ${l}`);
    assert.ok(!text.includes("from-nav") && !text.includes("from-our-host"), text);
  });

  test("title above <main> and alert details in an open dialog are included", async () => {
    const text = await extract(`
      <header><h1>${TITLE}</h1></header>
      <main><p>Incident overview</p></main>
      <div role="dialog" aria-modal="true"><h2>Alert details</h2><pre>${esc(BODY.join("\n"))}</pre></div>`);
    assert.ok(text.startsWith(TITLE + "\n"), text);
    for (const l of BODY) assert.ok(text.includes(l), `missing ${l}`);
  });

  test("JSON details and Alertmanager text keep their lines", async () => {
    const json = JSON.stringify({ alertname: "ArmadaApiHigh5xxRate", labels: { region: "eu-gb" } }, null, 2);
    const am = "Labels:\n - alertname = ClusterEtcdBackupFailing\nAnnotations:\n - summary = \"etcd backup failing\"\nSource: https://prometheus.example.net/graph";
    const text = await extract(`<main><h1>armada-api 5xx</h1><pre>${esc(json)}</pre><div data-testid="alert-body" class="pw">${esc(am)}</div></main>`);
    assert.equal(text, `armada-api 5xx\n\n${json}\n\n${am}`);
  });

  test("a huge page is capped at 1 MiB (the engine reads 256 KiB of it and says so)", async () => {
    const big = Array.from({ length: 40000 }, (_, i) => `- key_${i} = ${"v".repeat(20)}`).join("\n");
    const text = await extract(`<main><h1>${TITLE}</h1><pre>${big}</pre></main>`);
    assert.ok(text.length <= 1024 * 1024, `${text.length}`);
    assert.ok(text.length > 512 * 1024, `${text.length}`);
    assert.ok(text.startsWith(TITLE));
    assert.ok(text.endsWith("v".repeat(20)), "cut at a line end");
  });
});
