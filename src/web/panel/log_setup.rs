//! "Set up log search" in the log section, when the alert's region has no search URL template:
//! a preset or a URL with `{query}`, checked as the options page checks it, saved to the
//! settings from the panel, and the "Open search" link shown at once. Not offered when the
//! organisation's policy sets the templates.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};

use gloo_events::EventListener;

use super::choice::change;
use super::live::alert_of;
use super::render::RenderCtx;
use super::State;
use crate::settings::{check_log_template, LOG_PRESETS};
use crate::web::dom;

/// The setup form inside the log box `logs`, when the runbook has a query and no template
/// covers the alert's region.
pub(super) fn render(s: &mut State, cx: &RenderCtx, logs: &Element) -> Result<(), JsValue> {
    let alert = alert_of(cx.guidance);
    let region = alert.region().unwrap_or("*").to_ascii_lowercase();
    if cx.m.log_search.template.is_none()
        || s.managed.log_search_urls.is_some()
        || s.config.log_search_url(Some(&region), "").is_some()
    {
        return Ok(());
    }
    let doc = cx.doc;
    let setup = dom::child(doc, logs, "details", &[("data-rl", "log-setup")])?;
    dom::text_child(
        doc,
        &setup,
        "summary",
        &[],
        &format!("Set up one-click log search for {region}"),
    )?;
    let preset = dom::child(
        doc,
        &setup,
        "select",
        &[
            ("data-rl", "log-setup-preset"),
            ("aria-label", "Log tool preset"),
        ],
    )?
    .dyn_into::<HtmlSelectElement>()
    .map_err(|_| JsValue::from_str("select is not an HTMLSelectElement"))?;
    dom::text_child(doc, &preset, "option", &[("value", "")], "Preset…")?;
    for (i, (name, _)) in LOG_PRESETS.iter().enumerate() {
        dom::text_child(doc, &preset, "option", &[("value", &i.to_string())], name)?;
    }
    let url = dom::child(
        doc,
        &setup,
        "input",
        &[
            ("type", "url"),
            ("data-rl", "log-setup-url"),
            ("spellcheck", "false"),
            ("aria-label", "Log search URL with {query}"),
            ("placeholder", "https://…/logs/view?q={query}"),
        ],
    )?
    .dyn_into::<HtmlInputElement>()
    .map_err(|_| JsValue::from_str("input is not an HTMLInputElement"))?;
    let save = dom::button(
        doc,
        &setup,
        "Save",
        &format!("Save the log search URL for {region}"),
        &[("data-rl", "log-setup-save")],
    )?;
    let error = dom::child(
        doc,
        &setup,
        "p",
        &[("data-rl", "log-setup-error"), ("role", "alert")],
    )?;
    let url2 = url.clone();
    s.listeners
        .push(EventListener::new(&preset, "change", move |e| {
            let i = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .and_then(|sel| sel.value().parse::<usize>().ok());
            if let Some((_, template)) = i.and_then(|i| LOG_PRESETS.get(i)) {
                url2.set_value(template);
                let _ = url2.focus();
            }
        }));
    let weak = cx.weak.clone();
    s.listeners
        .push(EventListener::new(&save, "click", move |_| {
            let t = url.value().trim().to_string();
            let field = format!("log_search_urls.{region}");
            // The link opens the engineer's logs: only over https.
            let checked = check_log_template(&field, &t).map_err(|e| e.to_string());
            let checked = checked.and_then(|()| match t.get(..8) {
                Some(p) if p.eq_ignore_ascii_case("https://") => Ok(()),
                _ => Err(format!("`{field}`: use an https:// URL")),
            });
            if let Err(e) = checked {
                error.set_text_content(Some(&e));
                return;
            }
            change(&weak, |st| {
                st.settings.log_search_urls.insert(region.clone(), t);
                let json = serde_json::to_string(&st.settings).unwrap_or_default();
                let _ = st.host.save_settings(&json);
                let choices = std::mem::take(&mut st.config.choices);
                st.config = st.settings.config(&st.managed);
                st.config.choices = choices;
            });
        }));
    Ok(())
}
