// Runbook Lens service worker: the keyboard shortcut (commands API), which tells the
// content script of the active tab to collapse or expand the panel, and opening the options
// page for the panel's settings button (Firefox gives extension frames inside web pages no
// runtime.openOptionsPage, so the panel asks here).
"use strict";

/** Asks the content script of `tab` (default: the active tab) to toggle the panel. */
async function togglePanel(tab) {
  let target = tab;
  if (!target || typeof target.id !== "number") {
    [target] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  }
  if (!target || typeof target.id !== "number") return false;
  try {
    await chrome.tabs.sendMessage(target.id, { type: "toggle" });
    return true;
  } catch (_) {
    // No content script in this tab (not a PagerDuty page): nothing to toggle.
    return false;
  }
}

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === "toggle-panel") togglePanel(tab);
});

chrome.runtime.onMessage.addListener((msg, sender) => {
  // Only this extension's own pages (the panel): content scripts and other extensions'
  // messages carry another URL or ID.
  const ours = sender.id === chrome.runtime.id && typeof sender.url === "string" && sender.url.startsWith(chrome.runtime.getURL(""));
  if (ours && msg && msg.type === "open-options") {
    chrome.runtime.openOptionsPage().catch(() => {});
  }
});
