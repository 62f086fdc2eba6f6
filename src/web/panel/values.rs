//! "Values to fill in": an input for each placeholder the alert cannot fill, prefilled with a
//! remembered value; typing refills the alert's live texts, and "Remember" keeps the value for
//! the alert's environment (or carrier) in the settings.

use std::cell::RefCell;
use std::rc::Weak;

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, HtmlInputElement};

use super::live::{alert_of, refill, user_values};
use super::render::RenderCtx;
use super::State;
use crate::placeholder::Unresolved;
use crate::text::normalize_key;
use crate::web::dom;

/// The "Values to fill in" box, when some placeholder is unresolved.
pub(super) fn render(s: &mut State, cx: &RenderCtx) -> Result<(), JsValue> {
    if cx.m.unresolved.is_empty() {
        return Ok(());
    }
    let vals = dom::child(cx.doc, cx.section, "div", &[("data-rl", "values")])?;
    dom::text_child(cx.doc, &vals, "h4", &[], "Values to fill in")?;
    for u in &cx.m.unresolved {
        value_row(s, cx, &vals, u)?;
    }
    Ok(())
}

/// One placeholder's row: label, input, "Remember" and the runbook's hint.
fn value_row(
    s: &mut State,
    cx: &RenderCtx,
    vals: &web_sys::Element,
    u: &Unresolved,
) -> Result<(), JsValue> {
    let (doc, alert) = (cx.doc, cx.alert);
    let id = format!("rl-v-{alert}-{}", normalize_key(&u.name));
    let row = dom::child(doc, vals, "div", &[("data-rl", "value-row")])?;
    dom::text_child(
        doc,
        &row,
        "label",
        &[("for", &id)],
        &format!("<{}>", u.name),
    )?;
    let input = dom::child(
        doc,
        &row,
        "input",
        &[
            ("data-rl", "value"),
            ("data-name", &u.name),
            ("id", &id),
            ("type", "text"),
            ("spellcheck", "false"),
            ("autocomplete", "off"),
            ("aria-label", &format!("Value for <{}>", u.name)),
        ],
    )?
    .dyn_into::<HtmlInputElement>()
    .map_err(|_| JsValue::from_str("input is not an HTMLInputElement"))?;
    let known = user_values(s, alert, &alert_of(cx.guidance));
    if let Some((_, v)) = known
        .iter()
        .find(|(k, _)| normalize_key(k) == normalize_key(&u.name))
    {
        input.set_value(v);
    }
    let remember = dom::button(
        doc,
        &row,
        "Remember",
        &format!("Remember <{}> for this environment", u.name),
        &[("data-rl", "remember"), ("data-name", &u.name)],
    )?;
    s.listeners.push(remember_listener(
        cx.weak.clone(),
        alert,
        &u.name,
        &input,
        &remember,
    ));
    if let Some(h) = &u.hint {
        dom::text_child(doc, &row, "small", &[("data-rl", "hint")], h)?;
    }
    s.listeners
        .push(input_listener(cx.weak.clone(), alert, &u.name, &input));
    Ok(())
}

/// "Remember": keeps the typed value in the settings, per environment when the alert names
/// one, else per carrier, and hands the settings to the page to store.
fn remember_listener(
    weak: Weak<RefCell<State>>,
    alert: usize,
    name: &str,
    input: &HtmlInputElement,
    button: &HtmlElement,
) -> EventListener {
    let name = name.to_string();
    let input = input.clone();
    let button2 = button.clone();
    EventListener::new(button, "click", move |_| {
        let Some(state) = weak.upgrade() else { return };
        let Ok(mut st) = state.try_borrow_mut() else {
            return;
        };
        let Some(g) = st.explanation.as_ref().and_then(|e| e.alerts.get(alert)) else {
            return;
        };
        let a = alert_of(g);
        // Per environment when the alert names one, else per carrier.
        let mut settings = st.settings.clone();
        let saved = settings
            .remember(&a, false, &name, &input.value())
            .or_else(|_| settings.remember(&a, true, &name, &input.value()));
        match saved {
            Ok(()) => {
                st.settings = settings;
                let json = serde_json::to_string(&st.settings).unwrap_or_default();
                let _ = st.host.save_settings(&json);
                button2.set_text_content(Some("Remembered"));
            }
            Err(e) => {
                button2.set_text_content(Some("Cannot remember"));
                let _ = button2.set_attribute("title", &e.to_string());
            }
        }
    })
}

/// Typing a value: keep it for the alert and refill the alert's live texts.
fn input_listener(
    weak: Weak<RefCell<State>>,
    alert: usize,
    name: &str,
    input: &HtmlInputElement,
) -> EventListener {
    let name = name.to_string();
    let input2 = input.clone();
    EventListener::new(input, "input", move |_| {
        let Some(state) = weak.upgrade() else { return };
        let Ok(mut st) = state.try_borrow_mut() else {
            return;
        };
        let value = input2.value();
        if let Some(vs) = st.values.get_mut(alert) {
            vs.retain(|(k, _)| normalize_key(k) != normalize_key(&name));
            vs.push((name.clone(), value));
        }
        refill(&mut st, Some(alert));
    })
}
