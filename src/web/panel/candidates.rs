//! The other runbooks that could fit the alert, below the one shown.

use wasm_bindgen::JsValue;

use super::render::RenderCtx;
use crate::web::dom;

/// "Other candidates", when more than one runbook fits.
pub(super) fn render(cx: &RenderCtx) -> Result<(), JsValue> {
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
            &format!(" {}", c.runbook.file),
        )?;
    }
    Ok(())
}
