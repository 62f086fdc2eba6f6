//! The alert's log search (a live query with Copy and "Open search") and its dashboard link.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlAnchorElement;

use super::copy::copy_listener;
use super::live::LiveText;
use super::render::RenderCtx;
use super::State;
use crate::placeholder::Syntax;
use crate::web::dom;

/// The "Log search" box, when the runbook names a query or a dashboard.
pub(super) fn render(s: &mut State, cx: &RenderCtx) -> Result<(), JsValue> {
    let (doc, m) = (cx.doc, cx.m);
    if m.log_search.query.is_none() && m.log_search.dashboard.is_none() {
        return Ok(());
    }
    let logs = dom::child(doc, cx.section, "div", &[("data-rl", "log-search")])?;
    dom::text_child(doc, &logs, "h4", &[], "Log search")?;
    if let Some(template) = &m.log_search.template {
        let row = dom::child(doc, &logs, "div", &[("data-rl", "query-row")])?;
        let code = dom::child(doc, &row, "code", &[("data-rl", "query")])?;
        let copy = dom::button(
            doc,
            &row,
            "Copy",
            "Copy log search",
            &[("data-rl", "copy-query")],
        )?;
        let open = dom::child(
            doc,
            &logs,
            "a",
            &[
                ("data-rl", "open-search"),
                ("rel", "noopener noreferrer"),
                ("target", "_blank"),
            ],
        )?
        .dyn_into::<HtmlAnchorElement>()
        .map_err(|_| JsValue::from_str("a is not an anchor"))?;
        open.set_text_content(Some("Open search"));
        open.set_hidden(true);
        s.listeners
            .push(copy_listener(&copy, vec![code.clone()], None));
        s.live.push(LiveText {
            alert: cx.alert,
            template: template.clone(),
            syntax: Syntax::LogQuery,
            code,
            open: Some(open),
            warn: None,
        });
    }
    if let Some(w) = &m.log_search.window {
        dom::text_child(doc, &logs, "p", &[("data-rl", "log-window")], &w.note)?;
    }
    if let Some(d) = &m.log_search.dashboard {
        dom::link(doc, &logs, d, "Dashboard", &[("data-rl", "dashboard")])?;
    }
    super::log_setup::render(s, cx, &logs)
}
