// Hostile alerts through the real extension: incident pages (fixtures/hostile.html,
// static/hostile.js) whose alert titles and bodies carry HTML and script payloads,
// javascript:/data: URLs (plain and as markdown links), attribute breakers, template
// text, Unicode bidi overrides and control characters, a 200 KB line and a 1 MB body.
// The payloads are text in those pages; what is asserted is that they stay text all the
// way into the panel: nothing runs (canaries in the page and in the panel frame, no
// dialog, no CSP violation, no fetch of a beacon URL), no element that loads or runs
// anything appears in the panel, no javascript:/data: link, the hostile text shows
// literally, and a copied command gives the shell back the value as one word.
//
// Also: page scripts cannot feed the panel (postMessage in every way a page could, the
// extension APIs a page does not have).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM, haveChromium, launch, waitForPanel } from "../lib/browser.mjs";
import { installCanary, readCanary } from "../lib/canary.mjs";
import { copyConfirming, copyVia, expectText, panelStatus, waitFor } from "../lib/panel.mjs";
import { startServer } from "../lib/server.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const EXT_DIR = process.env.RUNBOOK_LENS_EXT_DIR || join(ROOT, "dist", "chrome");
const skip = !haveChromium() ? `no Chromium at ${CHROMIUM}` : !existsSync(join(EXT_DIR, "manifest.json")) ? `no built extension in ${EXT_DIR}` : false;
const haveBash = spawnSync("bash", ["-c", "true"]).status === 0;

const RUNBOOK = "armada-orchestrator - Callback errors";
const PAGE_TITLE = "Hostile incident - PagerDuty";
const URLS = {
  payloads: "https://acme.pagerduty.com/incidents/QH1PAYLOADS1",
  longLine: "https://acme.pagerduty.com/incidents/QH2LONGLINE2",
  mega: "https://acme.pagerduty.com/incidents/QH3MEGABODY3",
  unknown: "https://acme.pagerduty.com/incidents/QH4UNKNOWN04",
  react: "https://acme.pagerduty.com/incidents/Q1REACT0PRE1",
};
// Elements that load or run something; none belongs in the panel's rendered app.
const ACTIVE = "img, image, script, svg, math, iframe, frame, object, embed, link, style, base, meta, video, audio, source, form, portal";

let server;
let browser;

async function open(url) {
  const page = await browser.context.newPage();
  const dialogs = [];
  const errors = [];
  page.on("dialog", (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()} (${m.location().url || "?"})`);
  });
  await page.goto(url);
  const panel = await waitForPanel(page, browser.extensionId);
  return { page, panel, dialogs, errors };
}

/**
 * Nothing from the content ran or became markup, in the page or in the panel; no link in
 * the panel goes anywhere but http(s); the fixture server saw no beacon request.
 */
async function assertInert({ page, panel, dialogs }, pageTitle = PAGE_TITLE) {
  const inPage = await readCanary(page.mainFrame());
  assert.deepEqual(inPage, { pwned: null, title: pageTitle, csp: [], dialogs: [], markup: [] }, "page canaries");
  const inPanel = await readCanary(panel);
  assert.deepEqual(inPanel, { pwned: null, title: "Runbook Lens", csp: [], dialogs: [], markup: [] }, "panel canaries");
  assert.deepEqual(dialogs, [], "dialogs");

  // The page still holds the payloads as text only.
  const pageDom = await page.evaluate(
    (active) => ({
      active: [...document.querySelectorAll(active)].filter((e) => !/^(link|meta|script)$/.test(e.localName) || !e.closest("head")).map((e) => e.outerHTML.slice(0, 80)),
      scripts: [...document.scripts].map((s) => s.getAttribute("src")),
      pwned: document.querySelectorAll("[data-pwned]").length,
    }),
    ACTIVE,
  );
  assert.deepEqual(pageDom, { active: [], scripts: ["/static/alerts.js", "/static/pd-app.js", "/static/hostile.js"], pwned: 0 }, "page DOM");

  const panelDom = await panel.evaluate(
    (active) => {
      const app = document.querySelector('[data-rl="panel"]');
      const onAttrs = [];
      for (const el of document.querySelectorAll("*")) {
        for (const a of el.attributes) if (/^on/i.test(a.name)) onAttrs.push(`<${el.localName} ${a.name}>`);
      }
      return {
        active: [...app.querySelectorAll(active)].map((e) => e.outerHTML.slice(0, 80)),
        pwned: document.querySelectorAll("[data-pwned], b").length,
        badLinks: [...document.querySelectorAll('a[href^="javascript:" i], a[href^="data:" i], a[href^="vbscript:" i]')].map((a) => a.getAttribute("href")),
        otherLinks: [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")).filter((h) => !/^https?:\/\//.test(h)),
        srcs: [...document.querySelectorAll("[src], [srcdoc], [xlink\\:href], [formaction], [action]")].map((e) => e.outerHTML.slice(0, 80)),
        onAttrs,
        // The panel document itself: only its own stylesheet and module.
        head: [...document.querySelectorAll("script, link")].map((e) => e.getAttribute("src") || e.getAttribute("href")),
      };
    },
    ACTIVE,
  );
  assert.deepEqual(panelDom, { active: [], pwned: 0, badLinks: [], otherLinks: [], srcs: ['<script type="module" src="panel.js"></script>'], onAttrs: [], head: ["panel.css", "panel.js"] }, "panel DOM");
  assert.deepEqual(server.hits.filter((h) => h.includes("/pwned")), [], "beacon requests reached the fixture server");
}

/**
 * Runs a copied command in bash with a stub `ibmcloud` that prints its arguments, and
 * returns them. A value that escaped its quoting would split into more words or run
 * `touch` in the canary directory (which must stay empty).
 */
function shellWords(command) {
  const canary = mkdtempSync(join(tmpdir(), "runbook-lens-canary-"));
  try {
    const r = spawnSync("bash", ["--noprofile", "--norc", "-c", 'ibmcloud() { printf "%s\\0" "$@"; }; eval "$RL_CMD"'], {
      env: { PATH: process.env.PATH, RL_CMD: command, RL_CANARY: canary },
      encoding: "utf8",
      timeout: 10000,
    });
    assert.equal(r.status, 0, `bash ran ${JSON.stringify(command)}: ${r.stderr}`);
    assert.deepEqual(readdirSync(canary), [], `the command ran something: ${JSON.stringify(command)}`);
    return r.stdout.split("\0").slice(0, -1);
  } finally {
    rmSync(canary, { recursive: true, force: true });
  }
}

/** What the content script and the engine make of a value in an alert body line. */
const asRead = (v) => v.replace(/[\u200b\u200e\u200f\ufeff]/g, "").replace(/[\s\u0085]+$/u, "");

describe("hostile alerts in Chromium", { skip }, () => {
  before(async () => {
    server = await startServer();
    browser = await launch({ extDir: EXT_DIR, port: server.port });
    await browser.context.addInitScript(installCanary);
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: "https://acme.pagerduty.com" });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test("the canaries notice a payload that does become markup (in a page and in an extension page)", async () => {
    // A control for the checks below: the same payloads, put in as markup on purpose.
    const { page, panel, dialogs } = await open(URLS.react);
    for (const frame of [page.mainFrame(), panel]) {
      await frame.evaluate(() => {
        const d = document.createElement("div");
        d.innerHTML = `<img src=x onerror="window.__pwned='img'"><a href="javascript:alert(1)">x</a>`;
        document.body.append(d);
        setTimeout(() => alert("control"), 0);
      });
      await waitFor(async () => (await readCanary(frame)).csp.length > 0, `a CSP violation in ${frame.url()}`);
      const c = await readCanary(frame);
      assert.ok(c.markup.some((m) => m.startsWith("<img")), JSON.stringify(c.markup));
      assert.ok(c.markup.some((m) => m.includes('href="javascript:')), JSON.stringify(c.markup));
      await waitFor(async () => (await readCanary(frame)).dialogs.length > 0, "the alert() call recorded");
    }
    // Dialogs of the panel frame reach the page's "dialog" event too.
    await waitFor(() => dialogs.length === 2, () => `both dialogs seen: ${JSON.stringify(dialogs)}`);
    await page.close();
  });

  test("payloads in the title and in the values the commands take: nothing runs, text stays text", async () => {
    const t = await open(URLS.payloads);
    const { page, panel } = t;
    const P = await page.evaluate(() => window.HOSTILE);
    await expectText(panel, "runbook", RUNBOOK, { nth: 1 });
    assert.deepEqual(await panel.locator('[data-rl="runbook"]').allTextContents(), [RUNBOOK, RUNBOOK]);

    // The hostile title, as text.
    const title = await expectText(panel, "alert-title", /onerror=/);
    assert.ok(title.includes(`<img src=x onerror="window.__pwned='img';document.title='pwned'">`), title);

    // The values the commands take, literally in the steps (shell-quoted).
    const steps = await panel.locator('[data-rl="alert"][data-index="0"] [data-rl="step-text"]').allTextContents();
    // (`<resource_group> {{ 7*7 }}` inside the <account> value stays literal: values are filled once.)
    for (const needle of ["<b data-pwned=", "<img src=x onerror=", "<script>window.__pwned='script';alert(1)</script>", "<svg onload=", "\u202Eevil", "\u001b[31m", "$(touch", "<resource_group> {{ 7*7 }}"]) {
      assert.ok(steps.some((s) => s.includes(needle)), `${JSON.stringify(needle)} shown in a step: ${JSON.stringify(steps)}`);
    }

    // Copied, each filled step gives bash exactly the alert's value as one word.
    const expected = {
      "-c": asRead(P.attrDouble + P.img + P.templateRef + P.bidi),
      "-g": asRead(P.attrSingle + P.script + P.control),
      "--cluster": asRead(P.svg + P.shell),
    };
    const first = panel.locator('[data-rl="alert"][data-index="0"] [data-rl="sequence"]').first();
    const items = await first.locator('[data-rl="step"]').all();
    assert.equal(items.length, 3);
    for (const li of items) {
      const shown = await li.locator('[data-rl="step-text"]').textContent();
      const copied = await copyVia(page, li.locator('[data-rl="copy-step"]'));
      assert.equal(copied, shown, "Copy puts exactly the shown text on the clipboard");
      if (!haveBash) continue;
      const words = shellWords(copied);
      const flag = words[words.length - 2];
      assert.ok(flag in expected, `${JSON.stringify(copied)} -> ${JSON.stringify(words)}`);
      assert.deepEqual(words.slice(-1), [expected[flag]], `${flag}: ${JSON.stringify(copied)}`);
    }
    // Each of these values looks wrong for its placeholder (control or direction characters,
    // shell characters in an ID): every step says so, and Copy all asks first: the first
    // click only arms it ("Copy anyway?"), the second copies.
    const warnings = await first.locator('[data-rl="step"]').evaluateAll((lis) => lis.map((li) => (li.querySelector('[data-rl="value-warning"]') || {}).textContent || null));
    for (const [i, w] of warnings.entries()) assert.ok(w, `step ${i + 1} of the first sequence carries a value warning: ${JSON.stringify(warnings)}`);
    const copyAll = first.locator('[data-rl="copy-all"]');
    const all = await copyConfirming(page, copyAll);
    assert.equal(all.confirmed, true, "Copy all asked for confirmation");
    assert.match(await copyAll.getAttribute("aria-label"), /^Copy/);
    assert.equal(all.text, (await first.locator('[data-rl="step-text"]').allTextContents()).join("\n"));

    // The second alert leaves <account>, <resource_group>, <controllerid> to the user: typed
    // hostile values fill the steps as text, and quoted.
    const second = panel.locator('[data-rl="alert"][data-index="1"]');
    const typed = {
      account: `'; touch "$RL_CANARY/typed"; echo '${P.img}`,
      resource_group: `${P.svg}\u202E$(touch "$RL_CANARY/typed2")`,
    };
    for (const [name, v] of Object.entries(typed)) await second.locator(`[data-rl="value"][data-name="${name}"]`).fill(v);
    const seq2 = second.locator('[data-rl="sequence"]').first();
    await waitFor(async () => (await seq2.locator('[data-rl="step-text"]').first().textContent()).includes("touch"), "the typed value in the step");
    for (const [i, name] of [[0, "account"], [1, "resource_group"]]) {
      const li = seq2.locator('[data-rl="step"]').nth(i);
      const copied = await copyVia(page, li.locator('[data-rl="copy-step"]'));
      assert.ok(copied.includes("<img src=x onerror=") || copied.includes("<svg onload="), copied);
      if (haveBash) assert.deepEqual(shellWords(copied).slice(-1), [typed[name]], `typed ${name}: ${JSON.stringify(copied)}`);
    }

    const typedAll = await copyConfirming(page, seq2.locator('[data-rl="copy-all"]'));
    assert.equal(typedAll.confirmed, true, "Copy all asked for confirmation for the typed values");

    // A hostile JSON log line: the 403 sub-scenario, its controller ID filled as text.
    const logLine = JSON.stringify({
      message: "403 BXNIM0515E: You are not authorized to manage this Client ID.",
      controllerID: `<img src="https://acme.pagerduty.com/pwned/log">$(touch "$RL_CANARY/log")`,
      url: P.js,
    });
    await panel.locator('[data-rl="log-line"]').fill(logLine);
    await expectText(panel, "scenario", /403 BXNIM0515E/, { nth: 1 });
    const step3 = second.locator('[data-rl="sequence"]').first().locator('[data-rl="step"]').nth(2);
    await waitFor(async () => (await step3.locator('[data-rl="step-text"]').textContent()).includes("pwned/log"), "the log line's controller ID in the step");
    const copied = await copyVia(page, step3.locator('[data-rl="copy-step"]'));
    if (haveBash) assert.deepEqual(shellWords(copied).slice(-1), [JSON.parse(logLine).controllerID], copied);

    // Collapse and expand: the same panel, still inert.
    await panel.locator('[data-rl="collapse"]').click();
    await waitFor(async () => (await panel.locator('[data-rl="collapse"]').getAttribute("aria-expanded")) === "false", "collapsed");
    await panel.locator('[data-rl="collapse"]').click();
    await waitFor(async () => (await panel.locator('[data-rl="collapse"]').getAttribute("aria-expanded")) === "true", "expanded");
    await assertInert(t);
    assert.deepEqual(t.errors, []);
    await page.close();
  });

  test("no runbook fits: the hostile alert name shows as text", async () => {
    const t = await open(URLS.unknown);
    const title = await expectText(t.panel, "alert-title", /onerror=/);
    assert.equal(title, `<img src=x onerror="window.__pwned='img';document.title='pwned'">`);
    const note = await expectText(t.panel, "no-match", /<img src=x onerror=/);
    assert.ok(note.length < 2000, note);
    assert.equal(await t.panel.locator('[data-rl="runbook"]').count(), 0);
    await assertInert(t);
    assert.deepEqual(t.errors, []);
    await t.page.close();
  });

  test("a 200 KB line of payloads in the body: guidance, nothing runs", async () => {
    const t = await open(URLS.longLine);
    await expectText(t.panel, "runbook", RUNBOOK);
    await expectText(t.panel, "query", "callbackName:DeleteClientID reasonCode:ErrorUnclassified");
    await assertInert(t);
    assert.deepEqual(t.errors, []);
    await t.page.close();
  });

  test("a 1 MB body: guidance still shown, with the notice that the text was cut; nothing runs", async () => {
    const t = await open(URLS.mega);
    const size = await t.page.evaluate(() => document.querySelector("pre").textContent.length);
    assert.ok(size > 1024 * 1024, `body of ${size} characters`);
    await waitFor(
      async () => (await t.panel.locator('[data-rl="runbook"]').count()) > 0 || /only the first 256 KB were read/.test((await panelStatus(t.panel)) || ""),
      async () => `guidance or the cut notice; status: ${JSON.stringify(await panelStatus(t.panel))}`,
    );
    await expectText(t.panel, "runbook", RUNBOOK);
    // The engine reads the first 256 KB and says so in the status line.
    await expectText(t.panel, "status", /only the first 256 KB were read/);
    assert.equal(await t.panel.locator('[data-rl="status"]').isVisible(), true, "the notice is visible");
    // And it does read only that: a value 64 K characters in fills its step; the values past
    // the engine's 256 KiB and past the content script's 1 MiB fill nothing, and their
    // placeholders still ask the user.
    const M = await t.page.evaluate(() => window.HOSTILE_MEGA);
    const steps = t.panel.locator('[data-rl="alert"][data-index="0"] [data-rl="step-text"]');
    await waitFor(async () => (await steps.allTextContents()).some((s) => s.includes(M.beforeCut)), async () => `a step with ${M.beforeCut}: ${JSON.stringify(await steps.allTextContents())}`);
    const texts = await t.panel.locator('[data-rl="alert"]').allTextContents();
    for (const v of [M.afterEngineCut, M.afterPageCut]) assert.ok(!texts.some((x) => x.includes(v)), `${v} (past a cut) shown in the panel`);
    for (const name of ["controllerid", "account"]) {
      assert.equal(await t.panel.locator(`[data-rl="alert"][data-index="0"] [data-rl="value"][data-name="${name}"]`).first().inputValue(), "", `<${name}> left to the user`);
    }
    await assertInert(t);
    assert.deepEqual(t.errors, []);
    await t.page.close();
  });

  test("page scripts cannot feed the panel fake alerts", async () => {
    const t = await open(URLS.react);
    const { page, panel } = t;
    await expectText(panel, "runbook", RUNBOOK);
    const alertsBefore = await panel.locator('[data-rl="alerts"]').innerText();
    const fakes = [
      { type: "incident", url: URLS.react, text: "- alertname = ArmadaApiHigh5xxRate\n- service = armada-api\n- region = eu-gb" },
      { type: "incident", url: "https://acme.pagerduty.com/incidents/QFAKE", text: "#1 bluemix.containers-kubernetes.prod-lon04-carrier101.cluster_etcd_backup_failing.eu-gb" },
      { type: "none" },
      { type: "collapsed", collapsed: true },
    ];

    // What a page script can reach: its own window, window.frames (our frame sits in a
    // closed shadow root, so it is not there), no chrome.runtime.
    const reach = await page.evaluate((fakes) => {
      const out = { frames: window.frames.length, shadow: null, runtime: typeof chrome !== "undefined" && chrome && chrome.runtime ? Object.keys(chrome.runtime) : null };
      const host = document.querySelector("[data-runbook-lens]");
      out.shadow = host ? host.shadowRoot : "no host";
      for (const fake of fakes) {
        for (let i = 0; i < window.frames.length; i++) window.frames[i].postMessage(fake, "*");
        window.postMessage(fake, "*");
        window.postMessage(JSON.stringify(fake), "*");
        window.dispatchEvent(new MessageEvent("message", { data: fake, origin: location.origin }));
        top.postMessage(fake, "*");
      }
      // If the page had extension APIs, it would try them too.
      try {
        if (typeof chrome !== "undefined" && chrome.runtime && chrome.runtime.sendMessage) chrome.runtime.sendMessage(fakes[0]);
        if (typeof chrome !== "undefined" && chrome.runtime && chrome.runtime.connect) chrome.runtime.connect({ name: "runbook-lens:" + "0".repeat(32) }).postMessage(fakes[0]);
      } catch (e) {
        out.error = String(e);
      }
      return out;
    }, fakes);
    assert.deepEqual(reach, { frames: 0, shadow: null, runtime: null });

    // The strongest page attacker: one that got hold of the panel's window anyway (here
    // handed over by the test, from the closed shadow root) and posts to it directly.
    const iframe = await panel.frameElement();
    await iframe.evaluate((el, fakes) => {
      for (const fake of fakes) {
        el.contentWindow.postMessage(fake, "*");
        el.contentWindow.postMessage(JSON.stringify(fake), "*");
      }
    }, fakes);
    // A page-made copy of the panel page (it is web-accessible, and Chromium loads it despite
    // the page's CSP): nobody feeds it either.
    await page.evaluate((id) => {
      const f = document.createElement("iframe");
      f.id = "rogue-panel";
      f.src = `chrome-extension://${id}/panel.html#${"0".repeat(32)}`;
      document.body.append(f);
    }, browser.extensionId);
    await page.waitForTimeout(800); // longer than the content script's debounce

    await expectText(panel, "runbook", RUNBOOK);
    assert.equal(await panel.locator('[data-rl="alerts"]').innerText(), alertsBefore, "panel content unchanged");
    assert.equal(await panel.locator('[data-rl="collapse"]').getAttribute("aria-expanded"), "true");
    const rogue = page.frames().find((f) => f.url().includes("panel.html#" + "0".repeat(32)));
    if (rogue) {
      await waitFor(() => rogue.locator('[data-rl="panel"]').count(), "the rogue panel page to start");
      assert.equal(await rogue.locator('[data-rl="alert"]').count(), 0, "the page-made panel got no incident");
    }
    assert.deepEqual(t.dialogs, []);
    await page.close();
  });
});
