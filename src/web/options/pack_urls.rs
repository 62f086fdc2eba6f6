//! The "Pack URLs" section: pack files an organisation publishes, each with its refresh
//! schedule and what the background last did with it (downloaded, failed, needs the user's
//! permission), with Allow access, Refresh now, Remove and a form to add one.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlSelectElement};

use super::{input_value, plural, save, say, Ctx, State};
use crate::settings::{check_pack_url, PackUrl, PackUrlStatus, MAX_REFRESH_HOURS};

pub(super) fn render(cx: &mut Ctx) -> Result<(), JsValue> {
    let sec = cx.section(
        "pack-urls",
        "Pack URLs",
        "A pack file your organisation publishes (made by `runbook-lens pack`), downloaded by the extension and refreshed on a schedule. Adding one asks your permission for the extension to reach that site; nothing else is fetched from it.",
    )?;
    let locked = cx.s.managed.pack_urls.is_some();
    let urls = cx.s.settings.effective_pack_urls(&cx.s.managed);
    let list = cx.child(&sec, "ul", &[("data-rl", "pack-url-list")])?;
    if locked {
        list.set_attribute("data-locked", "true")?;
    }
    if urls.is_empty() {
        cx.text_child(&list, "li", &[("class", "empty")], "No pack URLs.")?;
    }
    for u in &urls {
        render_url(cx, &list, u, locked)?;
    }
    if locked {
        cx.locked_badge(&sec)?;
        return Ok(());
    }
    render_form(cx, &sec)
}

/// One pack URL: its address, schedule and status, and what can be done with it.
fn render_url(cx: &mut Ctx, list: &Element, u: &PackUrl, locked: bool) -> Result<(), JsValue> {
    let li = cx.child(list, "li", &[("data-rl", "pack-url"), ("data-url", &u.url)])?;
    cx.text_child(&li, "code", &[("data-rl", "pack-url-address")], &u.url)?;
    cx.text_child(
        &li,
        "span",
        &[("data-rl", "pack-url-every")],
        &format!(" every {} h", u.refresh_hours),
    )?;
    let (kind, text) = url_status_text(cx.s.url_status.get(&u.url));
    cx.text_child(
        &li,
        "small",
        &[("data-rl", "pack-url-status"), ("data-status", kind)],
        &text,
    )?;
    if kind == "permission" {
        let b = cx.button(
            &li,
            "Allow access",
            &format!("Allow access so Runbook Lens can download {}", u.url),
            &[("data-rl", "pack-url-allow")],
        )?;
        let url = u.url.clone();
        cx.on(&b, "click", move |state, _| {
            allow_and_refresh(state, url.clone(), None)
        });
    }
    let b = cx.button(
        &li,
        "Refresh now",
        &format!("Refresh now: download {}", u.url),
        &[("data-rl", "pack-url-refresh")],
    )?;
    let url = u.url.clone();
    cx.on(&b, "click", move |state, _| {
        spawn_local(refresh_urls(state, url.clone(), true))
    });
    if !locked {
        let b = cx.button(
            &li,
            "Remove",
            &format!("Remove {}", u.url),
            &[("data-rl", "pack-url-remove")],
        )?;
        let url = u.url.clone();
        cx.on(&b, "click", move |state, _| {
            let mut next = state.borrow().settings.clone();
            next.pack_urls.retain(|p| p.url != url);
            spawn_local(save(state, next, format!("Removed {url}.")));
        });
    }
    Ok(())
}

/// The form that adds a pack URL: its address and how often it is downloaded.
fn render_form(cx: &mut Ctx, sec: &Element) -> Result<(), JsValue> {
    let form = cx.child(
        sec,
        "div",
        &[("class", "add"), ("data-rl", "pack-url-form")],
    )?;
    let input = cx.child(
        &form,
        "input",
        &[
            ("type", "url"),
            ("data-rl", "pack-url-input"),
            ("aria-label", "Pack file URL"),
            ("placeholder", "https://runbooks.example.com/team.rlpack"),
        ],
    )?;
    let hours = cx.child(
        &form,
        "select",
        &[
            ("data-rl", "pack-url-hours"),
            ("aria-label", "Refresh every"),
        ],
    )?;
    for (h, label) in [
        (1u32, "every hour"),
        (6, "every 6 hours"),
        (24, "every day"),
        (MAX_REFRESH_HOURS, "every week"),
    ] {
        let o = cx.text_child(&hours, "option", &[("value", &h.to_string())], label)?;
        if h == 24 {
            o.set_attribute("selected", "")?;
        }
    }
    let add = cx.button(
        &form,
        "Add",
        "Add the pack URL",
        &[("data-rl", "pack-url-add")],
    )?;
    cx.on(&add, "click", move |state, _| {
        let url = input_value(&input).trim().to_string();
        let refresh_hours = hours
            .dyn_ref::<HtmlSelectElement>()
            .and_then(|h| h.value().parse().ok())
            .unwrap_or(24);
        let known = state
            .borrow()
            .settings
            .pack_urls
            .iter()
            .any(|p| p.url == url);
        let problem = check_pack_url("pack URL", &url)
            .err()
            .map(|e| e.message)
            .or_else(|| known.then(|| format!("`{url}` is already listed")));
        if let Some(p) = problem {
            say(&state, "error", format!("Not added: {p}"));
            return;
        }
        allow_and_refresh(state, url.clone(), Some(PackUrl { url, refresh_hours }));
    });
    Ok(())
}

/// Asks for the host permission of `url` now (inside the click), adds `add` to the settings
/// when it is given, then downloads.
fn allow_and_refresh(state: Rc<RefCell<State>>, url: String, add: Option<PackUrl>) {
    let Some(pattern) = PackUrl::origin_pattern(&url) else {
        return;
    };
    let asked = state.borrow().host.request_origin(&pattern);
    let adding = add.is_some();
    spawn_local(async move {
        let granted = asked.granted().await;
        if !matches!(granted, Ok(true)) {
            let why = granted.err().map(|e| format!(" ({e})")).unwrap_or_default();
            let what = if adding { "Not added" } else { "Not allowed" };
            say(
                &state,
                "error",
                format!("{what}: Runbook Lens was not allowed to reach {pattern}{why}."),
            );
            return;
        }
        if let Some(entry) = add {
            let mut next = state.borrow().settings.clone();
            next.pack_urls.push(entry);
            save(state.clone(), next, format!("Added {url}; downloading it…")).await;
            if state
                .borrow()
                .message
                .as_ref()
                .is_some_and(|(k, _)| *k == "error")
            {
                return;
            }
        }
        // A new URL is due anyway (the background may already be at it, woken by the saved
        // settings); a URL just allowed is downloaded now whatever its last try said.
        let force = !adding;
        refresh_urls(state, url, force).await;
    });
}

/// Has the background download the pack URLs that are due (all with `force`), and says how
/// it went for `url`.
async fn refresh_urls(state: Rc<RefCell<State>>, url: String, force: bool) {
    let host = state.borrow().host.clone();
    let result = host.refresh_pack_urls(force).await;
    {
        let mut s = state.borrow_mut();
        match result {
            Ok(Some(status)) => {
                s.message = Some(match status.get(&url) {
                    Some(st) if st.error.is_none() => (
                        "ok",
                        format!("Downloaded {url}: {} pages.", st.pages.unwrap_or(0)),
                    ),
                    Some(st) => (
                        "error",
                        format!("{url}: {}", st.error.clone().unwrap_or_default()),
                    ),
                    None => ("error", format!("{url} was not downloaded")),
                });
                s.url_status = status;
            }
            Ok(None) => {
                s.message = Some((
                    "error",
                    "The background answered with no status.".to_string(),
                ))
            }
            Err(e) => s.message = Some(("error", format!("The download could not start: {e}"))),
        }
    }
    let _ = super::render(&state);
}

/// What a pack URL's status says: (`pending`, `permission`, `error` or `ok`, the text).
fn url_status_text(st: Option<&PackUrlStatus>) -> (&'static str, String) {
    let when = |ms: f64| {
        let d = js_sys::Date::new(&JsValue::from_f64(ms));
        d.to_locale_string("en-GB", &JsValue::UNDEFINED)
            .as_string()
            .unwrap_or_default()
    };
    match st {
        None => ("pending", "Not downloaded yet.".to_string()),
        Some(s) if s.needs_permission => (
            "permission",
            s.error
                .clone()
                .unwrap_or_else(|| "Needs your permission to reach this site.".into()),
        ),
        Some(s) => {
            let stored = match (s.pages, s.fetched) {
                (Some(p), Some(t)) => format!("{p} page{} downloaded {}.", plural(p, "s"), when(t)),
                _ => "Nothing downloaded yet.".to_string(),
            };
            match &s.error {
                Some(e) => ("error", format!("{stored} Last try failed: {e}.")),
                None => ("ok", stored),
            }
        }
    }
}
