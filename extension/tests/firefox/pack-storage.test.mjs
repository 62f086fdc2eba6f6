// Storing imported packs in Firefox ESR (issue 11 item 3), with the Firefox build: the build
// asks for `unlimitedStorage` (storage.local in Firefox is held to IndexedDB's quota without
// it); pages imported in the options page are stored and listed with their size (from
// storage.local.getBytesInUse, or the stored text's length in Firefox before 144); and a
// write that fails leaves the stored pack and the settings exactly as they were, the page
// saying so. The session set-up follows choice.test.mjs: the options page is opened at the
// panel frame's origin.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { URLS } from "../lib/reference.mjs";
import { startServer } from "../lib/server.mjs";
import { ROOT, SKIP_FIREFOX, ZIP, firefoxSession, waitFor } from "./harness.mjs";
import { startProxy } from "./proxy.mjs";
import { startGeckodriver, tempDir } from "./webdriver.mjs";

const BUILTIN_PAGES = join(ROOT, "src", "builtin", "runbooks");

let server;
let proxy;
let profiles;
let driver;
let s; // the WebDriver session

/** The .md files under `dir`, recursively, as absolute paths. */
function pagesIn(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? pagesIn(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : [],
  );
}

/**
 * Opens the options page of the add-on in its own tab, as the add-on's Preferences would:
 * WebDriver may not navigate to a moz-extension:// URL, and the panel frame has no
 * runtime.openOptionsPage, so the panel frame of an incident opens the page's URL with
 * window.open (the popup blocker is off in this profile), and the session switches to it.
 */
async function openOptions() {
  const handles = await s.cmd("GET", "/window/handles");
  await s.top();
  await s.navigate(URLS.react);
  await waitFor(async () => {
    await s.top();
    if (!(await s.execute(() => document.querySelector("[data-runbook-lens]") !== null))) return false;
    await s.frame(0);
    return s.execute(() => location.protocol === "moz-extension:" && document.querySelector('[data-rl="panel"]') !== null);
  }, "the Runbook Lens panel frame");
  await s.execute(() => void window.open(`${location.origin}/options.html`, "_blank"));
  const handle = await waitFor(async () => (await s.cmd("GET", "/window/handles")).find((h) => !handles.includes(h)), "the options tab");
  await s.cmd("POST", "/window", { handle });
  await waitFor(() => s.execute(() => location.pathname === "/options.html" && document.documentElement.dataset.ready === "managed"), "the options page to read its storage");
}

/** Imports the built-in pages through "Import pages or pack files…"; resolves to the report once no import runs. */
async function importPages(paths) {
  const [input] = await s.findAll('[data-rl="import-files"]');
  await s.sendKeys(input, paths.join("\n"));
  let last = null;
  await waitFor(
    async () => {
      last = await s.execute(() => {
        const r = document.querySelector('[data-rl="import-report"]');
        const busy = document.querySelector('[data-rl="busy"]:not([hidden])');
        return r && !busy ? { status: r.getAttribute("data-status"), summary: r.querySelector('[data-rl="import-summary"]').textContent } : null;
      });
      return last;
    },
    () => `the import report; last ${JSON.stringify(last)}`,
    60000,
  );
  return last;
}

const storedAll = () => s.execute(() => chrome.storage.local.get(null));

describe("packs in storage.local (Firefox ESR)", { skip: SKIP_FIREFOX, timeout: 180000 }, () => {
  before(async () => {
    server = await startServer();
    proxy = await startProxy(server.port);
    profiles = tempDir("runbook-lens-firefox-storage-");
    driver = await startGeckodriver({ profileRoot: profiles.dir });
    s = await firefoxSession(driver, proxy, { "dom.disable_open_during_load": false });
    await s.installAddon(ZIP);
  });
  after(async () => {
    await s?.delete().catch(() => {});
    await driver?.stop();
    await proxy?.close();
    await server?.close();
    profiles?.remove();
  });

  test("the Firefox build asks for unlimitedStorage", async () => {
    await openOptions();
    const permissions = await s.execute(() => chrome.runtime.getManifest().permissions);
    assert.ok(permissions.includes("unlimitedStorage"), JSON.stringify(permissions));
  });

  test("imported pages are stored and listed with their pages and stored size", async () => {
    await openOptions();
    const paths = pagesIn(BUILTIN_PAGES);
    const report = await importPages(paths);
    assert.equal(report.status, "ok", report.summary);
    assert.equal(report.summary, `Loaded ${paths.length} pages from ${paths.length} pages.`);
    const listed = await waitFor(
      () =>
        s.execute(() => {
          const li = document.querySelector('[data-rl="pack"]');
          const size = li && li.querySelector('[data-rl="pack-size"]');
          return size ? { id: li.getAttribute("data-pack-id"), pages: li.querySelector('[data-rl="pack-pages"]').getAttribute("data-pages"), bytes: Number(size.getAttribute("data-bytes")), text: size.textContent } : null;
        }),
      "the pack listed with its size",
    );
    assert.equal(listed.pages, String(paths.length));
    const stored = await storedAll();
    const value = stored[`pack:${listed.id}`];
    assert.equal(typeof value, "string");
    // Firefox 144 and later count it (ESR 153 here); before, the size is the stored text's.
    const counted = await s.execute((k) => (typeof chrome.storage.local.getBytesInUse === "function" ? chrome.storage.local.getBytesInUse(k) : null), `pack:${listed.id}`);
    assert.equal(listed.bytes, counted ?? value.length);
    assert.ok(listed.bytes >= value.length, `${listed.bytes} bytes for ${value.length} characters stored`);
    assert.match(listed.text, /^, \d+ KB stored$/);
  });

  test("a write that fails leaves the pack and the settings as they were, and the page says so", async () => {
    await openOptions();
    const was = await storedAll();
    const packs = Object.keys(was).filter((k) => k.startsWith("pack:")).length;
    assert.equal(packs, 1);
    const overridden = await s.execute(() => {
      const area = chrome.storage.local;
      const set = area.set.bind(area);
      area.set = (items) => (Object.keys(items).some((k) => k.startsWith("pack:")) ? Promise.reject(new Error("QuotaExceededError: storage.local quota exceeded")) : set(items));
      return area.set !== set;
    });
    assert.ok(overridden, "storage.local.set could be replaced in the page");
    const paths = pagesIn(BUILTIN_PAGES);
    const report = await importPages(paths);
    assert.equal(report.status, "error");
    assert.equal(
      report.summary,
      `${paths.length} pages could not be stored: the extension's storage is full (QuotaExceededError: storage.local quota exceeded); remove a pack you no longer need and try again; your 1 pack is unchanged. Nothing of this import was kept.`,
    );
    assert.deepEqual(await storedAll(), was);
  });
});
