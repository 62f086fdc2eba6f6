//! The "Chosen runbooks" section: the runbooks the user chose in the panel for alerts by name
//! (stored under the `choices` key), each with Remove; the organisation's, listed read-only.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::Element;

use super::{say, Ctx};
use crate::guidance::Choice;

pub(super) fn render(cx: &mut Ctx) -> Result<(), JsValue> {
    let sec = cx.section(
        "choices",
        "Chosen runbooks",
        "Runbooks you chose in the panel with Use for alerts of a name. The next incident of that alert opens with the runbook you chose; remove a choice to go back to the best fit.",
    )?;
    let table = cx.child(&sec, "table", &[("data-rl", "choices-list")])?;
    let mine = cx.s.choices.clone();
    if mine.is_empty() {
        cx.text_child(
            &table,
            "caption",
            &[("class", "empty")],
            "No runbook chosen yet: use Use beside a candidate or a search result in the panel.",
        )?;
    }
    for c in &mine {
        let tr = row(cx, &table, c, "choice")?;
        let td = cx.child(&tr, "td", &[])?;
        let remove = cx.button(
            &td,
            "Remove",
            &format!("Remove the runbook chosen for {}", c.alert),
            &[("data-rl", "choice-remove")],
        )?;
        let item = c.clone();
        cx.on(&remove, "click", move |state, _| {
            let next: Vec<Choice> = state
                .borrow()
                .choices
                .iter()
                .filter(|x| **x != item)
                .cloned()
                .collect();
            let done = format!("Removed the runbook chosen for {}.", item.alert);
            spawn_local(save_choices(state, next, done));
        });
    }
    let policy = cx.s.managed.choices.clone().unwrap_or_default();
    if !policy.is_empty() {
        cx.text_child(&sec, "h3", &[], "Chosen by your organisation")?;
        let table = cx.child(&sec, "table", &[("data-rl", "choices-policy")])?;
        for c in &policy {
            let tr = row(cx, &table, c, "choice-policy")?;
            cx.locked_badge(&tr)?;
        }
    }
    Ok(())
}

/// A row naming the alert and its runbook.
fn row(cx: &Ctx, table: &Element, c: &Choice, hook: &str) -> Result<Element, JsValue> {
    let tr = cx.child(table, "tr", &[("data-rl", hook)])?;
    cx.text_child(&tr, "td", &[("data-rl", "choice-alert")], &c.alert)?;
    cx.text_child(&tr, "td", &[("data-rl", "choice-runbook")], &c.runbook)?;
    Ok(tr)
}

/// Stores `next` as the chosen runbooks and says `done` (or why not).
async fn save_choices(
    state: std::rc::Rc<std::cell::RefCell<super::State>>,
    next: Vec<Choice>,
    done: String,
) {
    let host = state.borrow().host.clone();
    match host.save_choices(&next).await {
        Ok(()) => {
            state.borrow_mut().choices = next;
            say(&state, "ok", done);
        }
        Err(e) => say(&state, "error", format!("Not saved: {e}")),
    }
}
