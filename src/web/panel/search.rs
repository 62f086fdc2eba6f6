//! "Search runbooks": a search box over the whole pack, open under "No runbook fits" and behind
//! a small control for any other alert; each result has "Use", like a candidate.

use std::cell::RefCell;
use std::rc::Weak;

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlInputElement};

use super::choice::use_button;
use super::State;
use crate::matching::search;
use crate::web::dom;

/// At most this many results are listed.
const MAX_RESULTS: usize = 8;

/// The search box of alert `alert`, appended to `section`: open when nothing fits (`open`).
pub(super) fn render(
    s: &mut State,
    doc: &Document,
    section: &Element,
    alert: usize,
    weak: &Weak<RefCell<State>>,
    open: bool,
) -> Result<(), JsValue> {
    let mut attrs = vec![("data-rl", "search-box")];
    if open {
        attrs.push(("open", ""));
    }
    let details = dom::child(doc, section, "details", &attrs)?;
    dom::text_child(doc, &details, "summary", &[], "Search runbooks")?;
    let input = dom::child(
        doc,
        &details,
        "input",
        &[
            ("data-rl", "runbook-search"),
            ("type", "search"),
            ("spellcheck", "false"),
            ("autocomplete", "off"),
            ("placeholder", "Title, file, service or words"),
            (
                "aria-label",
                "Search the runbooks by title, file, service or words",
            ),
        ],
    )?
    .dyn_into::<HtmlInputElement>()
    .map_err(|_| JsValue::from_str("input is not an HTMLInputElement"))?;
    let list = dom::child(doc, &details, "ul", &[("data-rl", "search-results")])?;
    let (weak, doc) = (weak.clone(), doc.clone());
    let input2 = input.clone();
    s.listeners
        .push(EventListener::new(&input, "input", move |_| {
            let Some(state) = weak.upgrade() else { return };
            let Ok(mut st) = state.try_borrow_mut() else {
                return;
            };
            if let Err(e) = results(&mut st, &doc, &list, alert, &weak, &input2.value()) {
                st.status
                    .set_text_content(Some(&format!("Could not search: {e:?}")));
            }
        }));
    Ok(())
}

/// Lists the pages that fit `query`, each with "Use" (the listeners of the previous list go).
fn results(
    s: &mut State,
    doc: &Document,
    list: &Element,
    alert: usize,
    weak: &Weak<RefCell<State>>,
    query: &str,
) -> Result<(), JsValue> {
    s.search_listeners.clear();
    list.set_text_content(None);
    let found = search(&s.pack.index, s.pack.metas(), query, MAX_RESULTS);
    if found.is_empty() && !query.trim().is_empty() {
        dom::text_child(
            doc,
            list,
            "li",
            &[("data-rl", "search-none")],
            "No runbook has these words.",
        )?;
    }
    for doc_i in found {
        let rb = s.pack.meta(doc_i);
        let li = dom::child(doc, list, "li", &[("data-rl", "search-result")])?;
        let url = rb
            .front
            .link
            .as_deref()
            .and_then(|l| s.config.runbook_url(l))
            .unwrap_or_default();
        dom::link(doc, &li, &url, rb.title(), &[])?;
        dom::text_child(
            doc,
            &li,
            "span",
            &[("data-rl", "runbook-file")],
            &format!(" {} ", rb.file),
        )?;
        let l = use_button(doc, &li, weak, alert, (&rb.file, rb.title()), "use-result")?;
        s.search_listeners.push(l);
    }
    Ok(())
}
