// @ts-check
// Runbook Lens background (a service worker in Chromium, an event page in Firefox; an ES
// module in both): the keyboard shortcut (commands API), which tells the content script of
// the active tab to collapse or expand the panel; opening the options page for the panel's
// settings button (Firefox gives extension frames inside web pages no
// runtime.openOptionsPage, so the panel asks here); and downloading pack URLs
// (lib/pack-urls.js): hourly, when the settings or the policy change, and on request of the
// options page. Message kinds, the alarm's and the command's names and the settings key come
// from lib/protocol.js.
import "./lib/protocol.js";
import { refreshPackUrls } from "./lib/pack-urls.js";
import { convertStoredPacks } from "./lib/pack-convert.js";

const { Msg, Keys, PACK_URL_ALARM, TOGGLE_COMMAND } = globalThis.RunbookLensProtocol;

/**
 * Asks the content script of `tab` (default: the active tab) to toggle the panel.
 * @param {chrome.tabs.Tab} [tab]
 */
async function togglePanel(tab) {
  let target = tab;
  if (!target || typeof target.id !== "number") {
    [target] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  }
  if (!target || typeof target.id !== "number") return false;
  try {
    await chrome.tabs.sendMessage(target.id, /** @satisfies {ToTab} */ ({ type: Msg.toggle }));
    return true;
  } catch (_) {
    // No content script in this tab (not a PagerDuty page): nothing to toggle.
    return false;
  }
}

// A module's functions are not globals: the tests call the shortcut's handler by this name
// (no test driver can press a browser's own shortcut).
/** @type {any} */ (globalThis).togglePanel = togglePanel;

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === TOGGLE_COMMAND) togglePanel(tab);
});

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  // Only this extension's own pages (the panel, the options page): content scripts and
  // other extensions' messages carry another URL or ID.
  const ours = sender.id === chrome.runtime.id && typeof sender.url === "string" && sender.url.startsWith(chrome.runtime.getURL(""));
  if (!ours || !msg) return false;
  if (msg.type === Msg.openOptions) {
    chrome.runtime.openOptionsPage().catch(() => {});
  } else if (msg.type === Msg.refreshPackUrls) {
    refreshPackUrls({ force: msg.force === true }).then((status) => sendResponse({ status }));
    return true; // answered asynchronously
  }
  return false;
});

// Every hour, see which pack URLs are due (each has its own period, 24 hours by default).
function schedule() {
  chrome.alarms.create(PACK_URL_ALARM, { periodInMinutes: 60 });
  refreshPackUrls();
}
chrome.runtime.onInstalled.addListener(schedule);
chrome.runtime.onStartup.addListener(schedule);
// Packs stored by older versions (JSON text) become version 4 once, on install or update
// and at browser start (lib/pack-convert.js); the panel reads only version 4.
/** @type {any} */ (globalThis).convertStoredPacks = convertStoredPacks; // for the tests, like togglePanel
chrome.runtime.onInstalled.addListener(() => convertStoredPacks().catch(() => {}));
chrome.runtime.onStartup.addListener(() => convertStoredPacks().catch(() => {}));
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === PACK_URL_ALARM) refreshPackUrls();
});
// A pack URL added or removed, or a new policy: download what is new now.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "managed" || (area === "local" && Keys.settings in changes)) refreshPackUrls();
});
