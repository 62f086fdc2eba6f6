//! The "Log search" section: a URL template per region (`*` for the others), each with the
//! link it builds for a sample alert, a form to add one, with presets and a live preview, and
//! the time window (`log_window_minutes`) of templates with `{from}`/`{to}`.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement};

use super::{dom, input_value, save, say, Ctx};
use crate::config::{Config, DEFAULT_WINDOW_MINUTES, MAX_WINDOW_MINUTES};
use crate::guidance::{explain_at, TimeContext};
use crate::settings::{check_log_template, LOG_PRESETS};

/// The sample alert previews are built for: the project's reference alert (written for the
/// project, in `src/builtin/alerts`), moved to the previewed region.
const SAMPLE_ALERT: &str = include_str!("../../builtin/alerts/reference-us-south.txt");
const SAMPLE_REGION: &str = "us-south";

/// The log search link the panel would build for the sample alert in `region` with
/// `template`, or why there is none.
fn preview(region: &str, template: &str, minutes: Option<u32>) -> Result<String, String> {
    let field = format!("log_search_urls.{region}");
    check_log_template(&field, template).map_err(|e| e.message)?;
    let shown_region = if region == "*" { "eu-de" } else { region };
    let mut config = Config {
        log_window_minutes: minutes,
        ..Config::default()
    };
    config
        .log_search_urls
        .insert(region.to_string(), template.to_string());
    let text = SAMPLE_ALERT.replace(SAMPLE_REGION, shown_region);
    // The sample alert names no time, so a `{from}`/`{to}` template is previewed around now.
    let time = TimeContext {
        page: None,
        now: Some(js_sys::Date::now() as i64),
    };
    let e = explain_at(&crate::builtin::pack(), &text, None, &config, &[], &time);
    e.alerts
        .first()
        .and_then(|a| a.matches.first())
        .and_then(|m| m.log_search.url.clone())
        .ok_or_else(|| "the sample alert found no log search".to_string())
}

/// Shows in `parent` the link `template` builds for the sample alert, or why it builds none.
fn show_preview(
    doc: &Document,
    parent: &Element,
    region: &str,
    template: &str,
    minutes: Option<u32>,
) -> Result<(), JsValue> {
    parent.set_text_content(None);
    match preview(region, template, minutes) {
        Ok(url) => {
            let label = if region == "*" {
                "Sample alert (eu-de): ".to_string()
            } else {
                format!("Sample alert ({region}): ")
            };
            dom::text(doc, parent, &label)?;
            dom::link(doc, parent, &url, &url, &[("data-rl", "log-preview-link")])?;
            parent.set_attribute("data-status", "ok")?;
        }
        Err(e) => {
            dom::rich_text(doc, parent, &e)?;
            parent.set_attribute("data-status", "error")?;
        }
    }
    Ok(())
}

pub(super) fn render(cx: &mut Ctx) -> Result<(), JsValue> {
    let sec = cx.section(
        "logs",
        "Log search",
        "Per region (as the alert's `region` or `crn_region` names it; `*` for any other region), the URL of your log tool with `{query}` where the search goes and optionally `{region}`, and `{from}`/`{to}` (Unix milliseconds) or `{from_iso}`/`{to_iso}` (ISO 8601) for the time window around the alert. The panel then turns the runbook's query into an Open search link.",
    )?;
    let locked = cx.s.managed.log_search_urls.is_some();
    let templates =
        cx.s.managed
            .log_search_urls
            .clone()
            .unwrap_or_else(|| cx.s.settings.log_search_urls.clone());
    let table = cx.child(&sec, "table", &[("data-rl", "log-templates")])?;
    if locked {
        table.set_attribute("data-locked", "true")?;
    }
    if templates.is_empty() {
        cx.text_child(
            &table,
            "caption",
            &[("class", "empty")],
            "No log search templates yet.",
        )?;
    }
    let minutes = shown_minutes(cx);
    for (region, template) in &templates {
        render_template(cx, &table, region, template, locked, minutes)?;
    }
    if locked {
        cx.locked_badge(&sec)?;
    } else {
        render_form(cx, &sec, minutes)?;
    }
    render_window(cx, &sec)
}

/// The window setting in force: the policy's, else the user's.
fn shown_minutes(cx: &Ctx) -> Option<u32> {
    cx.s.managed
        .log_window_minutes
        .or(cx.s.settings.log_window_minutes)
}

/// The window of `{from}`/`{to}` templates: minutes either side of the alert's time.
fn render_window(cx: &mut Ctx, sec: &Element) -> Result<(), JsValue> {
    let row = cx.child(
        sec,
        "div",
        &[("class", "row"), ("data-rl", "log-window-row")],
    )?;
    let label = cx.child(&row, "label", &[("for", "rl-log-window")])?;
    dom::text(
        cx.doc,
        &label,
        "Time window: minutes before and after the alert's time ",
    )?;
    let input = cx.child(
        &row,
        "input",
        &[
            ("type", "number"),
            ("id", "rl-log-window"),
            ("data-rl", "log-window-minutes"),
            ("min", "1"),
            ("max", &MAX_WINDOW_MINUTES.to_string()),
            ("placeholder", &DEFAULT_WINDOW_MINUTES.to_string()),
        ],
    )?;
    if let (Some(i), Some(m)) = (input.dyn_ref::<HtmlInputElement>(), shown_minutes(cx)) {
        i.set_value(&m.to_string());
    }
    if cx.s.managed.log_window_minutes.is_some() {
        input.set_attribute("disabled", "")?;
        input.set_attribute("data-locked", "true")?;
        return cx.locked_badge(sec);
    }
    let b = cx.button(
        &row,
        "Save",
        "Save the log search time window",
        &[("data-rl", "log-window-save")],
    )?;
    cx.on(&b, "click", move |state, _| {
        let v = input_value(&input).trim().to_string();
        let minutes = match v.parse::<u32>() {
            Ok(m) => Some(m),
            Err(_) if v.is_empty() => None,
            Err(_) => {
                return say(&state, "error", format!("Not saved: `log_window_minutes`: `{v}` is not a whole number of minutes; write 1 to {MAX_WINDOW_MINUTES}, or nothing for {DEFAULT_WINDOW_MINUTES}."));
            }
        };
        let mut next = state.borrow().settings.clone();
        next.log_window_minutes = minutes;
        let m = minutes.unwrap_or(DEFAULT_WINDOW_MINUTES);
        spawn_local(save(
            state,
            next,
            format!("Log searches now cover {m} minutes either side of the alert's time."),
        ));
    });
    Ok(())
}

/// One region's template, the link it builds, and (unless the policy sets it) Remove.
fn render_template(
    cx: &mut Ctx,
    table: &Element,
    region: &str,
    template: &str,
    locked: bool,
    minutes: Option<u32>,
) -> Result<(), JsValue> {
    let tr = cx.child(
        table,
        "tr",
        &[("data-rl", "log-template"), ("data-region", region)],
    )?;
    cx.text_child(&tr, "th", &[("data-rl", "log-template-region")], region)?;
    let td = cx.child(&tr, "td", &[])?;
    cx.text_child(&td, "code", &[("data-rl", "log-template-url")], template)?;
    let p = cx.child(&td, "div", &[("data-rl", "log-preview")])?;
    show_preview(cx.doc, &p, region, template, minutes)?;
    if !locked {
        let b = cx.button(
            &cx.child(&tr, "td", &[])?,
            "Remove",
            &format!("Remove the {region} template"),
            &[("data-rl", "log-remove")],
        )?;
        let region = region.to_string();
        cx.on(&b, "click", move |state, _| {
            let mut next = state.borrow().settings.clone();
            next.log_search_urls.remove(&region);
            spawn_local(save(state, next, format!("Removed the {region} template.")));
        });
    }
    Ok(())
}

/// The form that adds a template: region, preset, URL, Add, and the link it would build.
fn render_form(cx: &mut Ctx, sec: &Element, minutes: Option<u32>) -> Result<(), JsValue> {
    let form = cx.child(sec, "div", &[("class", "add"), ("data-rl", "log-add-form")])?;
    let region = cx.child(
        &form,
        "input",
        &[
            ("data-rl", "log-region"),
            ("aria-label", "Region"),
            ("placeholder", "us-south"),
            ("size", "10"),
        ],
    )?;
    let preset = cx.child(
        &form,
        "select",
        &[("data-rl", "log-preset"), ("aria-label", "Preset")],
    )?;
    cx.text_child(&preset, "option", &[("value", "")], "Preset…")?;
    for (i, (name, _)) in LOG_PRESETS.iter().enumerate() {
        cx.text_child(&preset, "option", &[("value", &i.to_string())], name)?;
    }
    let url = cx.child(
        &form,
        "input",
        &[
            ("type", "url"),
            ("data-rl", "log-url"),
            ("aria-label", "Log search URL template"),
            ("placeholder", "https://…/logs/view?q={query}"),
        ],
    )?;
    let add = cx.button(
        &form,
        "Add",
        "Add the log search template",
        &[("data-rl", "log-add")],
    )?;
    let live = cx.child(sec, "div", &[("data-rl", "log-add-preview")])?;

    // The link the form would build, shown as the user types.
    let (url2, region2, doc) = (url.clone(), region.clone(), cx.doc.clone());
    let refresh = Rc::new(move || {
        let r = input_value(&region2).trim().to_string();
        let t = input_value(&url2).trim().to_string();
        if t.is_empty() {
            live.set_text_content(None);
        } else {
            let r = if r.is_empty() { "*" } else { &r };
            let _ = show_preview(&doc, &live, r, &t, minutes);
        }
    });
    let (url3, r1) = (url.clone(), refresh.clone());
    cx.on(&preset, "change", move |_, e| {
        let Some(sel) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
        else {
            return;
        };
        if let Some((_, template)) = sel
            .value()
            .parse::<usize>()
            .ok()
            .and_then(|i| LOG_PRESETS.get(i))
        {
            if let Some(i) = url3.dyn_ref::<HtmlInputElement>() {
                i.set_value(template);
                let _ = i.focus();
            }
        }
        r1();
    });
    let r2 = refresh.clone();
    cx.on(&url, "input", move |_, _| r2());
    cx.on(&region, "input", move |_, _| refresh());
    cx.on(&add, "click", move |state, _| {
        let r = input_value(&region).trim().to_ascii_lowercase();
        let r = if r.is_empty() { "*".to_string() } else { r };
        let t = input_value(&url).trim().to_string();
        let mut next = state.borrow().settings.clone();
        next.log_search_urls.insert(r.clone(), t);
        spawn_local(save(
            state,
            next,
            format!("Saved the log search template for {r}."),
        ));
    });
    Ok(())
}
