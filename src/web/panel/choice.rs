//! Choosing another runbook for an alert: the "Use" button of candidates and search results,
//! which remembers the choice for the alert's name (its situation, else its name: see
//! [`alert_identity`]) in the extension's storage, so the next incident of the same alert
//! opens with it; and, when the runbook shown was chosen by hand, a note with an undo.

use std::cell::RefCell;
use std::rc::Weak;

use gloo_events::EventListener;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

use super::live::alert_of;
use super::render::{render, RenderCtx};
use super::State;
use crate::guidance::{alert_identity, Choice};
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
            if !remember(st, alert, &file) {
                st.picks.push((alert, file.clone()));
            }
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
    // A mapping of the organisation (policy or pack) is not the user's to undo here.
    if !name.is_empty() && !s.choices.iter().any(|c| c.alert.trim() == name) {
        return Ok(());
    }
    let undo = dom::button(
        cx.doc,
        &p,
        "Undo",
        "Undo the choice: show the runbook that fits best",
        &[("data-rl", "undo-choice")],
    )?;
    let (weak, alert, name) = (cx.weak.clone(), cx.alert, name.clone());
    s.listeners
        .push(EventListener::new(&undo, "click", move |_| {
            change(&weak, |st| {
                st.picks.retain(|(a, _)| *a != alert);
                let before = st.choices.len();
                st.choices.retain(|c| c.alert.trim() != name.as_str());
                if st.choices.len() != before {
                    save(st);
                }
            });
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

/// Remembers `file` for alert `alert`'s name, first among the user's choices, and stores them;
/// false when the alert has no name to remember it by, or the stored choices could not be read
/// (they are not overwritten).
fn remember(st: &mut State, alert: usize, file: &str) -> bool {
    let Some(g) = st.explanation.as_ref().and_then(|e| e.alerts.get(alert)) else {
        return false;
    };
    let a = alert_of(g);
    let Some(name) = alert_identity(&a).filter(|_| st.choices_readable) else {
        return false;
    };
    let choice = Choice {
        alert: name.to_string(),
        runbook: file.to_string(),
    };
    st.choices
        .retain(|c| !c.alert.trim().eq_ignore_ascii_case(name));
    st.choices.insert(0, choice);
    save(st);
    true
}

/// Hands the user's choices to the page to store, and applies them.
fn save(st: &mut State) {
    let json = serde_json::to_string(&st.choices).unwrap_or_default();
    let _ = st.host.save_choices(&json);
    compose(st);
}

/// The mappings in force, first applicable wins: the user's, then the organisation's policy.
pub(super) fn compose(st: &mut State) {
    let mut all = st.choices.clone();
    all.extend(st.managed.choices.iter().flatten().cloned());
    st.config.choices = all;
}

/// Reads the stored choices (JSON text of the `choices` storage key); what cannot be read is
/// left in storage untouched, with a notice.
pub(super) fn load(st: &mut State, stored: Option<&str>) {
    let read = stored.map(Choice::list_from_json);
    st.choices_readable = !matches!(read, Some(Err(_)));
    st.choices_notice = match &read {
        Some(Err(e)) => Some(format!(
            "Your chosen runbooks could not be read ({e}); they are not used, and kept as they are."
        )),
        _ => None,
    };
    st.choices = match read {
        Some(Ok(c)) => c,
        _ => Vec::new(),
    };
    compose(st);
}
