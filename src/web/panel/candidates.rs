//! The other runbooks that could fit the alert, below the one shown, each with "Use".

use wasm_bindgen::JsValue;

use super::choice::use_button;
use super::render::RenderCtx;
use super::State;
use crate::web::dom;

/// "Other candidates", when more than one runbook fits.
pub(super) fn render(s: &mut State, cx: &RenderCtx) -> Result<(), JsValue> {
    let (doc, g) = (cx.doc, cx.guidance);
    if g.matches.len() <= 1 {
        return Ok(());
    }
    let other = dom::child(doc, cx.section, "details", &[("data-rl", "candidates-box")])?;
    dom::text_child(doc, &other, "summary", &[], "Other candidates")?;
    let ul = dom::child(doc, &other, "ul", &[("data-rl", "candidates")])?;
    for c in &g.matches[1..] {
        let li = dom::child(doc, &ul, "li", &[])?;
        let url = c.runbook.url.clone().unwrap_or_default();
        dom::link(doc, &li, &url, &c.runbook.title, &[])?;
        dom::text_child(
            doc,
            &li,
            "span",
            &[("data-rl", "runbook-file")],
            &format!(" {} ", c.runbook.file),
        )?;
        let file_title = (c.runbook.file.as_str(), c.runbook.title.as_str());
        s.listeners.push(use_button(
            doc,
            &li,
            cx.weak,
            cx.alert,
            file_title,
            "use-candidate",
        )?);
    }
    Ok(())
}
