// Canaries for "no script from the content ran": an init script that Playwright runs at
// document start in the main world of every frame of the context (the incident pages and
// the panel's extension frame alike), before any of their own scripts. It records
//  - Content-Security-Policy violations (an inline handler or script the CSP stopped: a
//    payload that became markup and tried to run),
//  - calls of alert/confirm/prompt/print,
//  - markup that appeared after the document was parsed: elements that load or run things
//    (img, script, svg, iframe, …), `on*` attributes, javascript:/data: URLs in href/src.
// A payload that runs sets window.__pwned or changes document.title; the tests check those too.

export function installCanary() {
  if (window.__rlCanary) return;
  const c = (window.__rlCanary = { csp: [], dialogs: [], markup: [], parsed: false });
  addEventListener(
    "securitypolicyviolation",
    (e) => c.csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}: ${String(e.sample || "").slice(0, 80)}`),
    true,
  );
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    const orig = window[name];
    window[name] = function (...args) {
      c.dialogs.push(`${name}(${String(args[0]).slice(0, 80)})`);
      return orig.apply(this, args);
    };
  }
  const LOADS = /^(img|image|script|svg|math|iframe|frame|frameset|object|embed|link|style|base|meta|video|audio|source|track|picture|portal|form)$/i;
  const BAD_URL = /^\s*(javascript|data|vbscript):/i;
  function check(el) {
    if (el.nodeType !== 1) return;
    if (LOADS.test(el.localName)) c.markup.push(`<${el.localName}> added`);
    for (const a of el.attributes || []) {
      if (/^on/i.test(a.name)) c.markup.push(`<${el.localName} ${a.name}>`);
      if (/^(href|src|action|formaction|xlink:href|data|srcdoc)$/i.test(a.name) && (a.name === "srcdoc" || BAD_URL.test(a.value))) {
        c.markup.push(`<${el.localName} ${a.name}="${a.value.slice(0, 60)}">`);
      }
    }
  }
  const mo = new MutationObserver((records) => {
    if (!c.parsed) return; // the document's own markup, as parsed
    for (const r of records) {
      if (r.type === "attributes") check(r.target);
      for (const n of r.addedNodes || []) {
        if (n.nodeType !== 1) continue;
        check(n);
        for (const d of n.querySelectorAll("*")) check(d);
      }
    }
  });
  mo.observe(document, { childList: true, subtree: true, attributes: true });
  document.addEventListener("DOMContentLoaded", () => (c.parsed = true), { once: true });
}

/** The canary's record in `frame` plus the usual side effects of a payload that ran. */
export function readCanary(frame) {
  return frame.evaluate(() => ({
    pwned: window.__pwned === undefined ? null : String(window.__pwned),
    title: document.title,
    csp: window.__rlCanary ? window.__rlCanary.csp : ["(no canary in this frame)"],
    dialogs: window.__rlCanary ? window.__rlCanary.dialogs : [],
    markup: window.__rlCanary ? window.__rlCanary.markup : [],
  }));
}
