//! Whom to escalate to (the runbook's escalation link, or its words when it has no link), and
//! the runbook's other links.

use wasm_bindgen::JsValue;

use super::render::RenderCtx;
use crate::web::dom;

/// The escalation box, then the links not already shown above.
pub(super) fn render(cx: &RenderCtx) -> Result<(), JsValue> {
    let (doc, m) = (cx.doc, cx.m);
    let esc = dom::child(doc, cx.section, "div", &[("data-rl", "escalation-box")])?;
    match &m.escalation.url {
        Some(u) => {
            dom::text(doc, &esc, "Escalate: ")?;
            dom::link(
                doc,
                &esc,
                u,
                m.escalation.name.as_deref().unwrap_or("escalation policy"),
                &[("data-rl", "escalation")],
            )?;
        }
        None => {
            let t = m
                .escalation
                .text
                .as_deref()
                .unwrap_or("The runbook names no escalation link.");
            dom::text_child(doc, &esc, "p", &[("data-rl", "escalation-text")], t)?;
        }
    }
    // Other links, without the ones already shown above.
    let shown = [
        m.log_search.dashboard.as_deref(),
        m.escalation.url.as_deref(),
    ];
    let links: Vec<_> = m
        .links
        .iter()
        .filter(|l| !shown.contains(&Some(l.url.as_str())))
        .collect();
    if !links.is_empty() {
        let ul = dom::child(doc, cx.section, "ul", &[("data-rl", "links")])?;
        for l in links {
            let li = dom::child(doc, &ul, "li", &[])?;
            dom::link(
                doc,
                &li,
                &l.url,
                if l.text.is_empty() { &l.url } else { &l.text },
                &[("data-rl", "link")],
            )?;
        }
    }
    Ok(())
}
