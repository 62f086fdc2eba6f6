//! Choosing another runbook for an alert: the "Use" button of candidates and search results,
//! and, when the runbook shown was chosen by hand, a note saying so with an undo.

use std::cell::RefCell;
use std::rc::Weak;

use gloo_events::EventListener;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

use super::render::{render, RenderCtx};
use super::State;
use crate::web::dom;

/// A "Use" button that shows `file`'s guidance in place of alert `alert`'s first runbook.
pub(super) fn use_button(
    doc: &Document,
    parent: &Element,
    weak: &Weak<RefCell<State>>,
    alert: usize,
    (file, title): (&str, &str),
    hook: &str,
) -> Result<EventListener, JsValue> {
    let b = dom::button(
        doc,
        parent,
        "Use",
        &format!("Use {title} for this alert"),
        &[("data-rl", hook), ("data-file", file)],
    )?;
    let (weak, file) = (weak.clone(), file.to_string());
    Ok(EventListener::new(&b, "click", move |_| {
        change(&weak, |st| {
            st.picks.retain(|(a, _)| *a != alert);
            st.picks.push((alert, file.clone()));
        });
    }))
}

/// "Chosen for alerts named …" or "Chosen in the panel", with Undo, when the runbook shown
/// was not the one ranked first.
pub(super) fn render_note(s: &mut State, cx: &RenderCtx) -> Result<(), JsValue> {
    let Some(name) = &cx.m.chosen else {
        return Ok(());
    };
    let p = dom::child(cx.doc, cx.section, "p", &[("data-rl", "chosen")])?;
    let said = if name.is_empty() {
        "Chosen in the panel.".to_string()
    } else {
        format!("Chosen for alerts named `{name}`.")
    };
    dom::rich_text(cx.doc, &p, &said)?;
    let undo = dom::button(
        cx.doc,
        &p,
        "Undo",
        "Undo the choice: show the runbook that fits best",
        &[("data-rl", "undo-choice")],
    )?;
    let (weak, alert) = (cx.weak.clone(), cx.alert);
    s.listeners
        .push(EventListener::new(&undo, "click", move |_| {
            change(&weak, |st| st.picks.retain(|(a, _)| *a != alert));
        }));
    Ok(())
}

/// Applies `f` to the panel's state and renders again.
pub(super) fn change(weak: &Weak<RefCell<State>>, f: impl FnOnce(&mut State)) {
    let Some(state) = weak.upgrade() else { return };
    let Ok(mut st) = state.try_borrow_mut() else {
        return;
    };
    f(&mut st);
    if let Err(e) = render(&mut st, weak.clone()) {
        st.status
            .set_text_content(Some(&format!("Could not show the guidance: {e:?}")));
    }
}
