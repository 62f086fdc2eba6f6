//! The "Remembered values" section: what the user saved with Remember in the panel for
//! placeholders an alert cannot fill, per environment or carrier, to edit or delete.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlInputElement};

use super::{input_value, save, Ctx};
use crate::settings::Remembered;

pub(super) fn render(cx: &mut Ctx) -> Result<(), JsValue> {
    let sec = cx.section(
        "remembered",
        "Remembered values",
        "Values you saved in the panel for placeholders the alert cannot fill (`<account>`, `<resource_group>`…), per environment or carrier. The panel fills them in on the next incident there.",
    )?;
    let table = cx.child(&sec, "table", &[("data-rl", "remembered-list")])?;
    if cx.s.settings.remembered.is_empty() {
        cx.text_child(
            &table,
            "caption",
            &[("class", "empty")],
            "Nothing remembered yet: use Remember next to a value in the panel.",
        )?;
    }
    for (i, r) in cx.s.settings.remembered.iter().enumerate() {
        render_value(cx, &table, i, r)?;
    }
    Ok(())
}

/// The remembered value `r` (the `i`th): where it applies, its name, its value to edit, Save
/// and Delete.
fn render_value(cx: &mut Ctx, table: &Element, i: usize, r: &Remembered) -> Result<(), JsValue> {
    let scope = r.scope.label();
    let tr = cx.child(
        table,
        "tr",
        &[
            ("data-rl", "remembered-value"),
            ("data-name", &r.name),
            ("data-scope", &scope),
        ],
    )?;
    cx.text_child(&tr, "td", &[("data-rl", "remembered-scope")], &scope)?;
    cx.text_child(
        &tr,
        "td",
        &[("data-rl", "remembered-name")],
        &format!("<{}>", r.name),
    )?;
    let td = cx.child(&tr, "td", &[])?;
    let input = cx.child(
        &td,
        "input",
        &[
            ("data-rl", "remembered-input"),
            ("aria-label", &format!("Value of <{}> for {scope}", r.name)),
            ("spellcheck", "false"),
        ],
    )?;
    if let Some(inp) = input.dyn_ref::<HtmlInputElement>() {
        inp.set_value(&r.value);
    }
    let actions = cx.child(&tr, "td", &[])?;
    let save_b = cx.button(
        &actions,
        "Save",
        &format!("Save <{}> for {scope}", r.name),
        &[("data-rl", "remembered-save")],
    )?;
    let del = cx.button(
        &actions,
        "Delete",
        &format!("Delete <{}> for {scope}", r.name),
        &[("data-rl", "remembered-delete")],
    )?;
    let item = r.clone();
    cx.on(&save_b, "click", move |state, _| {
        let v = input_value(&input);
        let mut next = state.borrow().settings.clone();
        let Some(slot) = next.remembered.get_mut(i).filter(|x| **x == item) else {
            return;
        };
        if v.is_empty() {
            next.remembered.remove(i);
        } else {
            slot.value = v;
        }
        spawn_local(save(
            state,
            next,
            format!("Saved <{}> for {}.", item.name, item.scope.label()),
        ));
    });
    let item = r.clone();
    cx.on(&del, "click", move |state, _| {
        let mut next = state.borrow().settings.clone();
        next.remembered.retain(|x| *x != item);
        spawn_local(save(
            state,
            next,
            format!("Forgot <{}> for {}.", item.name, item.scope.label()),
        ));
    });
    Ok(())
}
