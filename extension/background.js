// Runbook Lens service worker: only the keyboard shortcut (commands API). It tells
// the content script of the active tab to collapse or expand the panel.
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
