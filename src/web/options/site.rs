//! The "Runbook site" section: the base URL a page's front-matter `link` is appended to, or
//! the one the organisation's policy sets.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;

use super::{input_value, save, Ctx, State};

/// The base URL the page shows: the policy's, else the user's, else nothing.
pub(super) fn shown_base_url(s: &State) -> String {
    s.managed
        .site_base_url
        .clone()
        .or_else(|| s.settings.site_base_url.clone())
        .unwrap_or_default()
}

pub(super) fn render(cx: &mut Ctx) -> Result<(), JsValue> {
    let sec = cx.section(
        "site",
        "Runbook site",
        "The base URL of the published runbook site: a page's front matter `link` is appended to it, so the panel links to the page.",
    )?;
    let locked = cx.s.managed.site_base_url.is_some();
    let row = cx.child(&sec, "div", &[("class", "row")])?;
    let input = cx.child(
        &row,
        "input",
        &[
            ("type", "url"),
            ("data-rl", "site-base-url"),
            ("aria-label", "Runbook site base URL"),
            ("placeholder", "https://runbooks.example.com/docs/runbooks"),
        ],
    )?;
    if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
        i.set_value(&shown_base_url(cx.s));
    }
    if locked {
        input.set_attribute("disabled", "")?;
        input.set_attribute("data-locked", "true")?;
        cx.locked_badge(&sec)?;
        return Ok(());
    }
    let b = cx.button(
        &row,
        "Save",
        "Save the runbook site base URL",
        &[("data-rl", "site-save")],
    )?;
    cx.on(&b, "click", move |state, _| {
        let v = input_value(&input).trim().to_string();
        let mut next = state.borrow().settings.clone();
        next.site_base_url = (!v.is_empty()).then(|| v.clone());
        spawn_local(save(
            state,
            next,
            if v.is_empty() {
                "Runbook site base URL cleared.".into()
            } else {
                format!("Runbook links now start with {v}.")
            },
        ));
    });
    Ok(())
}
