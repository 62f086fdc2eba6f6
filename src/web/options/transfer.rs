//! The "Export and import" section: all settings as one JSON file, downloaded or read back
//! (checked first; the packs stored stay as they are, their contents are not in the file).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{File, HtmlInputElement};

use super::host::describe;
use super::{dom, event_input, plural, save, say, Ctx, State};
use crate::settings::{export_with_choices, exported_choices, Settings};

/// The name the export is offered under.
const EXPORT_FILE: &str = "runbook-lens-settings.json";

pub(super) fn render(cx: &mut Ctx) -> Result<(), JsValue> {
    let sec = cx.section(
        "transfer",
        "Export and import",
        "All settings as one JSON file: templates, runbook site, remembered values, chosen runbooks and which packs are on. Pack contents are not in it; import those as pack files.",
    )?;
    let row = cx.child(&sec, "div", &[("class", "row")])?;
    // The accessible name starts with the visible label, so that someone who says or
    // searches for what they see ("Export settings") finds the button (WCAG 2.5.3, axe
    // `label-content-name-mismatch`).
    let export = cx.button(
        &row,
        "Export settings",
        "Export settings: download them all as a JSON file",
        &[("data-rl", "export")],
    )?;
    cx.on(&export, "click", |state, _| {
        let (host, text) = {
            let s = state.borrow();
            (s.host.clone(), export_with_choices(&s.settings, &s.choices))
        };
        spawn_local(async move {
            if let Err(e) = host.download(EXPORT_FILE, &text).await {
                say(&state, "error", format!("Export failed: {e}"));
            }
        });
    });
    let input = cx.file_input(
        &row,
        "import-settings",
        "Import settings…",
        false,
        ".json,application/json",
    )?;
    if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
        i.set_multiple(false);
    }
    cx.on(&input, "change", |state, e| {
        let Some(input) = event_input(e) else {
            return;
        };
        let file = input.files().and_then(|l| l.item(0));
        input.set_value("");
        if let Some(file) = file {
            spawn_local(import_settings(state, file));
        }
    });
    let locked = cx.s.managed.locked();
    if !locked.is_empty() {
        let names: Vec<String> = locked.iter().map(|f| format!("`{f}`")).collect();
        let p = cx.child(
            &sec,
            "p",
            &[("class", "intro"), ("data-rl", "locked-summary")],
        )?;
        dom::rich_text(
            cx.doc,
            &p,
            &format!(
                "Your organisation's policy sets {}; imported values for those are kept but not used.",
                names.join(", ")
            ),
        )?;
    }
    Ok(())
}

/// Imports a settings file: everything but the packs (pack data is not in the file; the
/// packs stored here stay as they are).
async fn import_settings(state: Rc<RefCell<State>>, file: File) {
    let text = match JsFuture::from(file.text()).await {
        Ok(t) => t.as_string().unwrap_or_default(),
        Err(e) => {
            let why = describe(&e);
            say(
                &state,
                "error",
                format!("{} could not be read: {why}", file.name()),
            );
            return;
        }
    };
    let read = Settings::from_json(&text).and_then(|s| Ok((s, exported_choices(&text)?)));
    match read {
        Err(e) => say(
            &state,
            "error",
            format!(
                "{} was not imported: {e}. Your settings are unchanged.",
                file.name()
            ),
        ),
        Ok((mut imported, choices)) => {
            imported.packs = state.borrow().settings.packs.clone();
            let (templates, values) = (imported.log_search_urls.len(), imported.remembered.len());
            let chosen = match choices.len() {
                0 => String::new(),
                n => format!(", {n} chosen runbook{}", plural(n, "s")),
            };
            let done = format!(
                "Imported {}: {templates} log search template{}, {values} remembered value{}{chosen}. Packs are not part of a settings file; yours are unchanged.",
                file.name(),
                plural(templates, "s"),
                plural(values, "s"),
            );
            // The choices first: a settings save renders the page with the outcome.
            let host = state.borrow().host.clone();
            if !choices.is_empty() {
                if let Err(e) = host.save_choices(&choices).await {
                    say(
                        &state,
                        "error",
                        format!("{} was not imported: {e}", file.name()),
                    );
                    return;
                }
                state.borrow_mut().choices = choices;
            }
            save(state, imported, done).await;
        }
    }
}
