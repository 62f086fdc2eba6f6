//! The scenario that fits the alert: its path and why it fits (or why none was picked) near
//! the top, and its own text from the runbook further down.

use wasm_bindgen::JsValue;

use super::render::RenderCtx;
use super::State;
use crate::web::dom;

/// The scenario's path and reasons, or the note saying why no scenario was picked.
pub(super) fn render_summary(cx: &RenderCtx) -> Result<(), JsValue> {
    let (doc, m) = (cx.doc, cx.m);
    match &m.scenario {
        Some(sc) => {
            let box_ = dom::child(doc, cx.section, "div", &[("data-rl", "scenario-box")])?;
            dom::text_child(
                doc,
                &box_,
                "h3",
                &[("data-rl", "scenario")],
                &sc.path.join(" › "),
            )?;
            if !sc.reasons.is_empty() {
                let p = dom::child(doc, &box_, "p", &[("data-rl", "scenario-reasons")])?;
                dom::rich_text(doc, &p, &sc.reasons.join("; "))?;
            }
        }
        None => {
            // A heading of the scenario's level, so the sections below (h4) keep their place
            // in the outline for screen readers (axe's heading-order).
            let box_ = dom::child(doc, cx.section, "div", &[("data-rl", "scenario-box")])?;
            dom::text_child(
                doc,
                &box_,
                "h3",
                &[("data-rl", "scenario-none")],
                "No scenario picked",
            )?;
            dom::text_child(
                doc,
                &box_,
                "p",
                &[("data-rl", "scenario-note")],
                m.scenario_note.as_deref().unwrap_or(""),
            )?;
        }
    }
    Ok(())
}

/// The scenario's own text, rendered from the runbook (no raw HTML survives parsing).
pub(super) fn render_body(s: &State, cx: &RenderCtx) -> Result<(), JsValue> {
    let (doc, m) = (cx.doc, cx.m);
    let Some(sc) = &m.scenario else {
        return Ok(());
    };
    let Some(rb) = s
        .pack
        .position(&m.runbook.file)
        .and_then(|doc| s.pack.page(doc))
    else {
        return Ok(());
    };
    let details = dom::child(doc, cx.section, "details", &[("data-rl", "scenario-body")])?;
    dom::text_child(doc, &details, "summary", &[], "Scenario text")?;
    for (n, idx) in rb.subtree(sc.section).into_iter().enumerate() {
        if let Some(sec) = rb.sections.get(idx) {
            if n > 0 {
                dom::text_child(doc, &details, "h5", &[], &sec.heading)?;
            }
            dom::blocks(doc, &details, &sec.blocks)?;
        }
    }
    Ok(())
}
