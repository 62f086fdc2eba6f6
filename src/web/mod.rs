//! The one door to JavaScript: the `Panel` the extension's panel page drives, and the
//! `Engine` for benchmarks and previews. Only this module (and its `dom` helpers) touches `JsValue` and
//! the DOM; everything it shows comes from the plain-Rust engine.
//!
//! Contract with `extension/panel.js`: `new Panel(root, send)`, `showIncident(url, text)`,
//! `showNone()`, `setCollapsed(bool)`, `setSettings(stored, managed)`, `setPacks(packs,
//! builtin)`; `send({type: 'collapse', collapsed})` when the user clicks the collapse button,
//! `send({type: 'open-options'})` for the settings button, `send({type: 'save-settings',
//! settings})` when a value is remembered. The options page is `options::Options`. Elements
//! carry `data-rl` hooks (see README) for tests and CSS.

mod dom;
#[cfg(feature = "markdown")]
mod options;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, HtmlAnchorElement, HtmlElement, HtmlInputElement, HtmlTextAreaElement,
};

use crate::alert::{log_line_fields, Alert, MAX_TEXT_BYTES};
use crate::config::Config;
use crate::guidance::{explain, AlertGuidance, Explanation, Match, Values};
use crate::pack::Pack;
use crate::placeholder::{fill, Syntax};
use crate::settings::{Managed, PackUrl, Settings};
use crate::text::normalize_key;

/// The engine without a panel: explain text against a pack file's JSON. Used by the
/// benchmark (wasm timings) and by pages that preview guidance.
#[wasm_bindgen]
pub struct Engine {
    pack: Pack,
    config: Config,
}

#[wasm_bindgen]
impl Engine {
    /// Loads a pack file made by `runbook-lens pack`; `config` is settings JSON or empty.
    #[wasm_bindgen(js_name = fromPackJson)]
    pub fn from_pack_json(pack: &str, config: &str) -> Result<Engine, JsError> {
        let pack = Pack::from_json("pack", pack).map_err(|e| JsError::new(&e.to_string()))?;
        let config = if config.trim().is_empty() {
            Config::default()
        } else {
            Config::from_json(config).map_err(|e| JsError::new(&e.to_string()))?
        };
        Ok(Engine { pack, config })
    }

    /// How many runbooks the pack holds.
    #[wasm_bindgen(getter)]
    pub fn runbooks(&self) -> usize {
        self.pack.runbooks.len()
    }

    /// Explains `text`; returns the JSON of `runbook-lens explain --json` (text, so the
    /// module needs no second serialiser; `JSON.parse` it).
    pub fn explain(&self, text: &str, log_line: Option<String>) -> Result<String, JsError> {
        let e = explain(&self.pack, text, log_line.as_deref(), &self.config, &[]);
        serde_json::to_string(&e).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Explains `text` and returns only the number of alerts matched confidently: the
    /// benchmark's measure, without the cost of converting the answer to JavaScript.
    #[wasm_bindgen(js_name = explainCount)]
    pub fn explain_count(&self, text: &str) -> usize {
        explain(&self.pack, text, None, &self.config, &[])
            .alerts
            .iter()
            .filter(|a| !a.matches.is_empty())
            .count()
    }
}

/// The pack URLs in force (JSON array of `{url, refresh_hours}`) for the stored settings and
/// the managed policy: what the background downloads (`extension/lib/pack-urls.js`).
#[wasm_bindgen(js_name = effectivePackUrls)]
pub fn effective_pack_urls(stored: Option<String>, managed: Option<String>) -> String {
    let (settings, managed, _) = Settings::load_with_policy(stored.as_deref(), managed.as_deref());
    serde_json::to_string(&settings.effective_pack_urls(&managed)).unwrap_or_else(|_| "[]".into())
}

/// The host permission (`https://host/*`) needed to download a pack URL, or nothing.
#[wasm_bindgen(js_name = packUrlOrigin)]
pub fn pack_url_origin(url: &str) -> Option<String> {
    PackUrl::origin_pattern(url)
}

/// A command step (or the log query) shown in the panel, refilled as the user types values.
struct LiveText {
    alert: usize,
    template: String,
    syntax: Syntax,
    code: Element,
    /// For the log query: the "Open search" link, whose URL follows the query.
    open: Option<HtmlAnchorElement>,
    /// Where a warning about a suspicious value is shown (a step's `<li>`).
    warn: Option<Element>,
}

/// Everything the panel knows and shows.
struct State {
    doc: Document,
    send: js_sys::Function,
    pack: Pack,
    config: Config,
    settings: Settings,
    managed: Managed,
    /// Said above the guidance (settings that could not be read).
    notice: Option<String>,
    /// Said above the guidance: stored packs that could not be loaded.
    pack_notice: Option<String>,
    url: String,
    text: String,
    log_line: String,
    /// Values typed for unresolved placeholders, per alert.
    values: Vec<Vec<(String, String)>>,
    collapsed: bool,
    collapse_button: HtmlElement,
    content: HtmlElement,
    status: Element,
    alerts_box: Element,
    log_box: HtmlTextAreaElement,
    explanation: Option<Explanation>,
    live: Vec<LiveText>,
    /// Listeners of the current rendering; dropped (detached) on the next one.
    listeners: Vec<EventListener>,
    /// Listeners that live as long as the panel.
    fixed: Vec<EventListener>,
}

/// The side panel.
#[wasm_bindgen]
pub struct Panel {
    state: Rc<RefCell<State>>,
}

fn js_err(e: JsValue) -> JsError {
    JsError::new(&e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

#[wasm_bindgen]
impl Panel {
    /// Builds the panel inside `root`. `send` receives messages for the content script.
    #[wasm_bindgen(constructor)]
    pub fn new(root: HtmlElement, send: js_sys::Function) -> Result<Panel, JsError> {
        let doc = root
            .owner_document()
            .ok_or_else(|| JsError::new("panel root is not in a document"))?;
        root.set_text_content(None);
        root.set_attribute("data-rl", "panel").map_err(js_err)?;
        let header = dom::child(&doc, &root, "header", &[("data-rl", "header")]).map_err(js_err)?;
        let collapse_button = dom::button(
            &doc,
            &header,
            "›",
            "Collapse the Runbook Lens panel",
            &[("data-rl", "collapse"), ("aria-expanded", "true")],
        )
        .map_err(js_err)?;
        dom::text_child(&doc, &header, "h1", &[], "Runbook Lens").map_err(js_err)?;
        let options_button = dom::button(
            &doc,
            &header,
            "⚙",
            "Runbook Lens settings: packs, log search, remembered values",
            &[("data-rl", "open-options")],
        )
        .map_err(js_err)?;
        let content = dom::child(&doc, &root, "main", &[("data-rl", "content")])
            .map_err(js_err)?
            .dyn_into::<HtmlElement>()
            .map_err(|_| JsError::new("main is not an HTMLElement"))?;
        let status = dom::text_child(
            &doc,
            &content,
            "p",
            &[("data-rl", "status"), ("role", "status")],
            "Open an incident to see its runbook.",
        )
        .map_err(js_err)?;
        let alerts_box =
            dom::child(&doc, &content, "div", &[("data-rl", "alerts")]).map_err(js_err)?;
        let log_section =
            dom::child(&doc, &content, "section", &[("data-rl", "log-section")]).map_err(js_err)?;
        let label =
            dom::child(&doc, &log_section, "label", &[("for", "rl-log-line")]).map_err(js_err)?;
        dom::text(
            &doc,
            &label,
            "Paste a log line to pick the scenario and fill values",
        )
        .map_err(js_err)?;
        let log_box = dom::child(
            &doc,
            &log_section,
            "textarea",
            &[
                ("data-rl", "log-line"),
                ("id", "rl-log-line"),
                ("rows", "3"),
                ("spellcheck", "false"),
                (
                    "placeholder",
                    "e.g. 403 BXNIM0515E: You are not authorized… or a JSON log line",
                ),
            ],
        )
        .map_err(js_err)?
        .dyn_into::<HtmlTextAreaElement>()
        .map_err(|_| JsError::new("textarea is not an HTMLTextAreaElement"))?;
        let state = Rc::new(RefCell::new(State {
            doc,
            send,
            pack: crate::builtin::pack(),
            config: Config::default(),
            settings: Settings::default(),
            managed: Managed::default(),
            notice: None,
            pack_notice: None,
            url: String::new(),
            text: String::new(),
            log_line: String::new(),
            values: Vec::new(),
            collapsed: false,
            collapse_button: collapse_button.clone(),
            content,
            status,
            alerts_box,
            log_box: log_box.clone(),
            explanation: None,
            live: Vec::new(),
            listeners: Vec::new(),
            fixed: Vec::new(),
        }));
        let weak = Rc::downgrade(&state);
        let on_collapse = EventListener::new(&collapse_button, "click", move |_| {
            if let Some(state) = weak.upgrade() {
                let collapsed = !state.borrow().collapsed;
                let mut s = state.borrow_mut();
                apply_collapsed(&mut s, collapsed);
                let msg = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&msg, &"type".into(), &"collapse".into());
                let _ = js_sys::Reflect::set(&msg, &"collapsed".into(), &collapsed.into());
                let _ = s.send.call1(&JsValue::NULL, &msg);
            }
        });
        let weak = Rc::downgrade(&state);
        let on_log = EventListener::new(&log_box, "input", move |_| {
            if let Some(state) = weak.upgrade() {
                let mut s = state.borrow_mut();
                s.log_line = s.log_box.value();
                if let Err(e) = render(&mut s, Rc::downgrade(&state)) {
                    s.status
                        .set_text_content(Some(&format!("Could not show the guidance: {e:?}")));
                }
            }
        });
        let weak = Rc::downgrade(&state);
        let on_options = EventListener::new(&options_button, "click", move |_| {
            if let Some(state) = weak.upgrade() {
                let msg = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&msg, &"type".into(), &"open-options".into());
                let _ = state.borrow().send.call1(&JsValue::NULL, &msg);
            }
        });
        state
            .borrow_mut()
            .fixed
            .extend([on_collapse, on_log, on_options]);
        Ok(Panel { state })
    }

    /// Shows the guidance for an incident page's text. The same text again changes nothing,
    /// so a re-rendering page does not reset what the user typed.
    #[wasm_bindgen(js_name = showIncident)]
    pub fn show_incident(&self, url: &str, text: &str) -> Result<(), JsError> {
        let mut s = self.state.borrow_mut();
        if s.url == url && s.text == text && s.explanation.is_some() {
            return Ok(());
        }
        if s.url != url {
            // Another incident: what was typed for the previous one does not apply.
            s.values.clear();
            s.log_line.clear();
            s.log_box.set_value("");
        }
        s.url = url.to_string();
        s.text = text.to_string();
        render(&mut s, Rc::downgrade(&self.state)).map_err(js_err)
    }

    /// Clears the panel (the page is not an incident).
    #[wasm_bindgen(js_name = showNone)]
    pub fn show_none(&self) -> Result<(), JsError> {
        let mut s = self.state.borrow_mut();
        s.url.clear();
        s.text.clear();
        s.explanation = None;
        s.live.clear();
        s.listeners.clear();
        s.alerts_box.set_text_content(None);
        s.status
            .set_text_content(Some("Open an incident to see its runbook."));
        Ok(())
    }

    /// Replaces the runbooks: the given pack files (JSON from `runbook-lens pack` or the
    /// options page, in the order of the keys `setSettings` returned: the enabled packs, then
    /// the pack URLs; an empty string for one that is missing from storage), plus the built-in
    /// pack when `builtin` is true.
    /// A pack that does not load is left out, with a notice naming it; the others are used.
    /// Returns what was wrong with each pack left out.
    #[wasm_bindgen(js_name = setPacks)]
    pub fn set_packs(&self, packs: Vec<String>, builtin: bool) -> Result<Vec<String>, JsError> {
        let (names, urls) = {
            let s = self.state.borrow();
            let names: Vec<String> = s
                .settings
                .packs
                .iter()
                .filter(|p| p.enabled)
                .map(|p| p.name.clone())
                .collect();
            (names, s.settings.effective_pack_urls(&s.managed))
        };
        let mut runbooks = Vec::new();
        let mut bad = Vec::new();
        for (i, json) in packs.iter().enumerate() {
            let url = i
                .checked_sub(names.len())
                .and_then(|j| urls.get(j))
                .map(|u| u.url.clone());
            let name = names
                .get(i)
                .cloned()
                .or_else(|| url.clone())
                .unwrap_or_else(|| format!("pack {}", i + 1));
            if json.is_empty() {
                bad.push(match url {
                    Some(_) => format!("{name}: not downloaded yet (the settings page says why; the extension may need your permission to reach that site)"),
                    None => format!("{name}: missing from the extension's storage; import it again"),
                });
                continue;
            }
            match Pack::from_json(&name, json) {
                Ok(pack) => runbooks.extend(pack.runbooks),
                Err(e) => bad.push(e.to_string()),
            }
        }
        if builtin {
            runbooks.extend(crate::builtin::pack().runbooks);
        }
        let mut s = self.state.borrow_mut();
        s.pack = Pack::from_runbooks("panel", runbooks);
        s.pack_notice = (!bad.is_empty())
            .then(|| format!("Left out (could not be loaded): {}.", bad.join("; ")));
        if s.explanation.is_some() {
            render(&mut s, Rc::downgrade(&self.state)).map_err(js_err)?;
        }
        Ok(bad)
    }

    /// Applies the stored settings (`stored`: the JSON saved under `settings`, or nothing)
    /// and the managed policy (`managed`: JSON of `storage.managed`). Settings that cannot be
    /// read fall back to defaults with a notice in the panel. Returns the storage keys of the
    /// enabled packs and of the packs downloaded from pack URLs, which the page loads and
    /// hands to `setPacks`.
    #[wasm_bindgen(js_name = setSettings)]
    pub fn set_settings(
        &self,
        stored: Option<String>,
        managed: Option<String>,
    ) -> Result<Vec<String>, JsError> {
        let (settings, managed, mut notice) =
            Settings::load_with_policy(stored.as_deref(), managed.as_deref());
        let mut config = settings.config(&managed);
        if let Err(e) = config.validate() {
            notice = Some(format!(
                "A managed setting is not valid ({e}); it is ignored."
            ));
            config = settings.config(&Managed::default());
        }
        let mut keys: Vec<String> = settings
            .packs
            .iter()
            .filter(|p| p.enabled)
            .map(|p| format!("pack:{}", p.id))
            .collect();
        keys.extend(
            settings
                .effective_pack_urls(&managed)
                .iter()
                .map(|u| PackUrl::storage_key(&u.url)),
        );
        let mut s = self.state.borrow_mut();
        // The same settings again (the policy read arriving with nothing new) change nothing,
        // so the panel keeps what it shows and where the user is typing.
        let unchanged = s.config == config
            && s.settings == settings
            && s.managed == managed
            && s.notice == notice;
        s.config = config;
        s.settings = settings;
        s.managed = managed;
        s.notice = notice;
        if s.explanation.is_some() && !unchanged {
            render(&mut s, Rc::downgrade(&self.state)).map_err(js_err)?;
        }
        Ok(keys)
    }

    /// Whether the settings keep the built-in example pack on.
    #[wasm_bindgen(js_name = builtinPackEnabled)]
    pub fn builtin_pack_enabled(&self) -> bool {
        self.state.borrow().settings.builtin_pack
    }

    /// Mirrors a collapse/expand done by the content script (keyboard shortcut).
    #[wasm_bindgen(js_name = setCollapsed)]
    pub fn set_collapsed(&self, collapsed: bool) {
        apply_collapsed(&mut self.state.borrow_mut(), collapsed);
    }
}

fn apply_collapsed(s: &mut State, collapsed: bool) {
    s.collapsed = collapsed;
    s.content.set_hidden(collapsed);
    s.collapse_button
        .set_text_content(Some(if collapsed { "‹ Runbook" } else { "›" }));
    let _ = s.collapse_button.set_attribute(
        "aria-label",
        if collapsed {
            "Expand the Runbook Lens panel"
        } else {
            "Collapse the Runbook Lens panel"
        },
    );
    let _ = s
        .collapse_button
        .set_attribute("aria-expanded", if collapsed { "false" } else { "true" });
}

/// The alert of an explanation, rebuilt for filling placeholders.
fn alert_of(g: &AlertGuidance) -> Alert {
    Alert {
        title: g.title.clone(),
        fields: g.fields.clone(),
        ..Alert::default()
    }
}

/// The values the user gave for an alert: typed in the panel, then remembered for its
/// environment or carrier.
fn user_values(s: &State, alert_index: usize, alert: &Alert) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = s.values.get(alert_index).cloned().unwrap_or_default();
    out.retain(|(_, v)| !v.is_empty());
    for (k, v) in s.settings.remembered_for(alert) {
        if !out
            .iter()
            .any(|(x, _)| normalize_key(x) == normalize_key(&k))
        {
            out.push((k, v));
        }
    }
    out
}

/// Fills one live text with the current values.
fn fill_live(s: &State, live: &LiveText) {
    let Some(e) = &s.explanation else { return };
    let Some(g) = e.alerts.get(live.alert) else {
        return;
    };
    let alert = alert_of(g);
    let user = user_values(s, live.alert, &alert);
    let values = Values {
        user: &user,
        log: log_line_fields(&s.log_line),
        alert: &alert,
    };
    let filled = fill(&live.template, live.syntax, &|k| values.get(k));
    live.code.set_text_content(Some(&filled.text));
    let _ = live
        .code
        .set_attribute("data-unresolved", &filled.unresolved.len().to_string());
    if let Some(li) = &live.warn {
        let warnings = crate::guidance::value_warnings(&filled.filled);
        if let Ok(Some(old)) = li.query_selector("[data-rl=value-warning]") {
            old.remove();
        }
        if warnings.is_empty() {
            let _ = li.remove_attribute("data-warning");
        } else {
            let _ = li.set_attribute("data-warning", "true");
            let text: Vec<String> = warnings
                .iter()
                .map(|w| format!("⚠ <{}> {}", w.name, w.problem))
                .collect();
            let _ = dom::text_child(
                &s.doc,
                li,
                "small",
                &[("data-rl", "value-warning"), ("role", "note")],
                &text.join("; "),
            );
        }
    }
    if let Some(a) = &live.open {
        let region = alert
            .lookup("region")
            .or_else(|| alert.lookup("crn_region"));
        match s
            .config
            .log_search_url(region, &filled.text)
            .filter(|_| filled.unresolved.is_empty())
        {
            Some(url) => {
                a.set_href(&url);
                a.set_hidden(false);
            }
            None => a.set_hidden(true),
        }
    }
}

/// Renders the whole guidance for the current text and log line.
fn render(s: &mut State, weak: Weak<RefCell<State>>) -> Result<(), JsValue> {
    s.listeners.clear();
    s.live.clear();
    s.alerts_box.set_text_content(None);
    let log = (!s.log_line.trim().is_empty()).then(|| s.log_line.clone());
    let e = explain(&s.pack, &s.text, log.as_deref(), &s.config, &[]);
    s.values.resize_with(e.alerts.len(), Vec::new);
    let status = if e.alerts.is_empty() {
        "Waiting for the alert details to appear on the page…".to_string()
    } else if e.alerts.len() == 1 {
        String::new()
    } else {
        format!("{} alerts in this incident.", e.alerts.len())
    };
    let mut status = status;
    // While the page is still rendering there is no alert yet: say so, rather than "no alert".
    if !e.alerts.is_empty() && (s.text.len() > MAX_TEXT_BYTES || !e.notices.is_empty()) {
        status = e.notices.join(" ");
    }
    for n in [&s.pack_notice, &s.notice].into_iter().flatten() {
        status = if status.is_empty() {
            n.clone()
        } else {
            format!("{n} {status}")
        };
    }
    s.status.set_text_content(Some(&status));
    s.status
        .toggle_attribute_with_force("hidden", status.is_empty())?;
    let doc = s.doc.clone();
    for (i, g) in e.alerts.iter().enumerate() {
        let section = dom::child(
            &doc,
            &s.alerts_box,
            "section",
            &[("data-rl", "alert"), ("data-index", &i.to_string())],
        )?;
        let title = g
            .title
            .clone()
            .or_else(|| alert_of(g).name().map(str::to_string))
            .unwrap_or_else(|| format!("Alert {}", i + 1));
        dom::text_child(&doc, &section, "h2", &[("data-rl", "alert-title")], &title)?;
        match g.matches.first() {
            None => {
                let p = dom::child(&doc, &section, "p", &[("data-rl", "no-match")])?;
                dom::rich_text(
                    &doc,
                    &p,
                    g.note
                        .as_deref()
                        .unwrap_or("No runbook in the pack fits this alert."),
                )?;
            }
            Some(m) => render_match(s, &doc, &section, i, g, m, &weak)?,
        }
    }
    s.explanation = Some(e);
    let live = std::mem::take(&mut s.live);
    for l in &live {
        fill_live(s, l);
    }
    s.live = live;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn render_match(
    s: &mut State,
    doc: &Document,
    section: &Element,
    alert: usize,
    g: &AlertGuidance,
    m: &Match,
    weak: &Weak<RefCell<State>>,
) -> Result<(), JsValue> {
    let head = dom::child(doc, section, "div", &[("data-rl", "runbook-head")])?;
    let url = m.runbook.url.clone().unwrap_or_default();
    dom::link(
        doc,
        &head,
        &url,
        &m.runbook.title,
        &[("data-rl", "runbook")],
    )?;
    dom::text_child(
        doc,
        &head,
        "span",
        &[("data-rl", "runbook-file")],
        &m.runbook.file,
    )?;
    let why = dom::child(doc, section, "details", &[("data-rl", "why")])?;
    dom::text_child(doc, &why, "summary", &[], "Why this runbook")?;
    let reasons = dom::child(doc, &why, "ul", &[("data-rl", "reasons")])?;
    for r in &m.reasons {
        let li = dom::child(doc, &reasons, "li", &[])?;
        dom::rich_text(doc, &li, r)?;
    }

    // Scenario.
    match &m.scenario {
        Some(sc) => {
            let box_ = dom::child(doc, section, "div", &[("data-rl", "scenario-box")])?;
            dom::text_child(
                doc,
                &box_,
                "h3",
                &[("data-rl", "scenario")],
                &sc.path.join(" › "),
            )?;
            if !sc.reasons.is_empty() {
                let p = dom::child(doc, &box_, "p", &[("data-rl", "scenario-reasons")])?;
                dom::rich_text(doc, &p, &sc.reasons.join("; "))?;
            }
        }
        None => {
            dom::text_child(
                doc,
                section,
                "p",
                &[("data-rl", "scenario-note")],
                m.scenario_note.as_deref().unwrap_or(""),
            )?;
        }
    }

    // Log search and dashboard.
    if m.log_search.query.is_some() || m.log_search.dashboard.is_some() {
        let logs = dom::child(doc, section, "div", &[("data-rl", "log-search")])?;
        dom::text_child(doc, &logs, "h4", &[], "Log search")?;
        if let Some(template) = &m.log_search.template {
            let row = dom::child(doc, &logs, "div", &[("data-rl", "query-row")])?;
            let code = dom::child(doc, &row, "code", &[("data-rl", "query")])?;
            let copy = dom::button(
                doc,
                &row,
                "Copy",
                "Copy log search",
                &[("data-rl", "copy-query")],
            )?;
            let open = dom::child(
                doc,
                &logs,
                "a",
                &[
                    ("data-rl", "open-search"),
                    ("rel", "noopener noreferrer"),
                    ("target", "_blank"),
                ],
            )?
            .dyn_into::<HtmlAnchorElement>()
            .map_err(|_| JsValue::from_str("a is not an anchor"))?;
            open.set_text_content(Some("Open search"));
            open.set_hidden(true);
            s.listeners
                .push(copy_listener(&copy, vec![code.clone()], None));
            s.live.push(LiveText {
                alert,
                template: template.clone(),
                syntax: Syntax::LogQuery,
                code,
                open: Some(open),
                warn: None,
            });
        }
        if let Some(d) = &m.log_search.dashboard {
            dom::link(doc, &logs, d, "Dashboard", &[("data-rl", "dashboard")])?;
        }
    }

    // Escalation.
    let esc = dom::child(doc, section, "div", &[("data-rl", "escalation-box")])?;
    match &m.escalation.url {
        Some(u) => {
            dom::text(doc, &esc, "Escalate: ")?;
            dom::link(
                doc,
                &esc,
                u,
                m.escalation.name.as_deref().unwrap_or("escalation policy"),
                &[("data-rl", "escalation")],
            )?;
        }
        None => {
            let t = m
                .escalation
                .text
                .as_deref()
                .unwrap_or("The runbook names no escalation link.");
            dom::text_child(doc, &esc, "p", &[("data-rl", "escalation-text")], t)?;
        }
    }
    // Other links, without the ones already shown above.
    let shown = [
        m.log_search.dashboard.as_deref(),
        m.escalation.url.as_deref(),
    ];
    let links: Vec<_> = m
        .links
        .iter()
        .filter(|l| !shown.contains(&Some(l.url.as_str())))
        .collect();
    if !links.is_empty() {
        let ul = dom::child(doc, section, "ul", &[("data-rl", "links")])?;
        for l in links {
            let li = dom::child(doc, &ul, "li", &[])?;
            dom::link(
                doc,
                &li,
                &l.url,
                if l.text.is_empty() { &l.url } else { &l.text },
                &[("data-rl", "link")],
            )?;
        }
    }

    // Values the alert cannot fill.
    if !m.unresolved.is_empty() {
        let vals = dom::child(doc, section, "div", &[("data-rl", "values")])?;
        dom::text_child(doc, &vals, "h4", &[], "Values to fill in")?;
        for u in &m.unresolved {
            let id = format!("rl-v-{alert}-{}", normalize_key(&u.name));
            let row = dom::child(doc, &vals, "div", &[("data-rl", "value-row")])?;
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
            let known = user_values(s, alert, &alert_of(g));
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
            {
                let weak = weak.clone();
                let name = u.name.clone();
                let input = input.clone();
                let button = remember.clone();
                s.listeners
                    .push(EventListener::new(&remember, "click", move |_| {
                        let Some(state) = weak.upgrade() else { return };
                        let Ok(mut st) = state.try_borrow_mut() else {
                            return;
                        };
                        let Some(g) = st.explanation.as_ref().and_then(|e| e.alerts.get(alert))
                        else {
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
                                let msg = js_sys::Object::new();
                                let _ = js_sys::Reflect::set(
                                    &msg,
                                    &"type".into(),
                                    &"save-settings".into(),
                                );
                                let _ = js_sys::Reflect::set(
                                    &msg,
                                    &"settings".into(),
                                    &serde_json::to_string(&st.settings)
                                        .unwrap_or_default()
                                        .into(),
                                );
                                let _ = st.send.call1(&JsValue::NULL, &msg);
                                button.set_text_content(Some("Remembered"));
                            }
                            Err(e) => {
                                button.set_text_content(Some("Cannot remember"));
                                let _ = button.set_attribute("title", &e.to_string());
                            }
                        }
                    }));
            }
            if let Some(h) = &u.hint {
                dom::text_child(doc, &row, "small", &[("data-rl", "hint")], h)?;
            }
            let weak = weak.clone();
            let name = u.name.clone();
            let input2 = input.clone();
            s.listeners
                .push(EventListener::new(&input, "input", move |_| {
                    let Some(state) = weak.upgrade() else { return };
                    let Ok(mut st) = state.try_borrow_mut() else {
                        return;
                    };
                    let value = input2.value();
                    if let Some(vs) = st.values.get_mut(alert) {
                        vs.retain(|(k, _)| normalize_key(k) != normalize_key(&name));
                        vs.push((name.clone(), value));
                    }
                    let live = std::mem::take(&mut st.live);
                    for l in live.iter().filter(|l| l.alert == alert) {
                        fill_live(&st, l);
                    }
                    st.live = live;
                }));
        }
    }

    // Command sequences.
    if !m.commands.is_empty() {
        let cmds = dom::child(doc, section, "div", &[("data-rl", "commands")])?;
        dom::text_child(doc, &cmds, "h4", &[], "Commands")?;
        for seq in &m.commands {
            let box_ = dom::child(doc, &cmds, "div", &[("data-rl", "sequence")])?;
            if let Some(intro) = &seq.intro {
                dom::text_child(doc, &box_, "p", &[("data-rl", "sequence-intro")], intro)?;
            }
            let ol = dom::child(doc, &box_, "ol", &[("data-rl", "steps")])?;
            let mut codes = Vec::new();
            for (k, step) in seq.steps.iter().enumerate() {
                let li = dom::child(doc, &ol, "li", &[("data-rl", "step")])?;
                if !step.description.is_empty() {
                    li.set_attribute("title", &step.description)?;
                }
                let code = dom::child(doc, &li, "code", &[("data-rl", "step-text")])?;
                let copy = dom::button(
                    doc,
                    &li,
                    "Copy",
                    &format!("Copy step {}", k + 1),
                    &[("data-rl", "copy-step")],
                )?;
                s.listeners
                    .push(copy_listener(&copy, vec![code.clone()], None));
                s.live.push(LiveText {
                    alert,
                    template: step.template.clone(),
                    syntax: Syntax::Shell,
                    code: code.clone(),
                    open: None,
                    warn: Some(li.clone()),
                });
                codes.push(code);
            }
            if codes.len() > 1 {
                let all = dom::button(
                    doc,
                    &box_,
                    "Copy all",
                    &format!("Copy all {} steps", codes.len()),
                    &[("data-rl", "copy-all")],
                )?;
                s.listeners
                    .push(copy_listener(&all, codes, Some(ol.clone())));
            }
        }
    }

    // The scenario's own text, rendered from the runbook (no raw HTML survives parsing).
    if let Some(sc) = &m.scenario {
        if let Some(rb) = s.pack.runbooks.iter().find(|r| r.file == m.runbook.file) {
            let details = dom::child(doc, section, "details", &[("data-rl", "scenario-body")])?;
            dom::text_child(doc, &details, "summary", &[], "Scenario text")?;
            for (n, idx) in rb.subtree(sc.section).into_iter().enumerate() {
                if let Some(sec) = rb.sections.get(idx) {
                    if n > 0 {
                        dom::text_child(doc, &details, "h5", &[], &sec.heading)?;
                    }
                    dom::blocks(doc, &details, &sec.blocks)?;
                }
            }
        }
    }

    // Other candidates.
    if g.matches.len() > 1 {
        let other = dom::child(doc, section, "details", &[("data-rl", "candidates-box")])?;
        dom::text_child(doc, &other, "summary", &[], "Other candidates")?;
        let ul = dom::child(doc, &other, "ul", &[("data-rl", "candidates")])?;
        for c in &g.matches[1..] {
            let li = dom::child(doc, &ul, "li", &[])?;
            let url = c.runbook.url.clone().unwrap_or_default();
            dom::link(doc, &li, &url, &c.runbook.title, &[])?;
            dom::text_child(
                doc,
                &li,
                "span",
                &[("data-rl", "runbook-file")],
                &format!(" {}", c.runbook.file),
            )?;
        }
    }
    Ok(())
}

/// Copies the current text of `codes` (joined by newlines) when `button` is clicked: exactly
/// what the panel shows. With `guard` (a sequence's list), a click while a step there carries a
/// value warning only arms the button ("Copy anyway?"); the next click copies.
fn copy_listener(
    button: &HtmlElement,
    codes: Vec<Element>,
    guard: Option<Element>,
) -> EventListener {
    let button2 = button.clone();
    EventListener::new(button, "click", move |_| {
        let warned = guard
            .as_ref()
            .is_some_and(|g| g.query_selector("[data-warning]").ok().flatten().is_some());
        if warned && button2.get_attribute("data-confirm").as_deref() != Some("armed") {
            let _ = button2.set_attribute("data-confirm", "armed");
            if let Some(label) = button2.get_attribute("aria-label") {
                let _ = button2.set_attribute("data-label", &label);
            }
            button2.set_text_content(Some("Copy anyway?"));
            let _ = button2.set_attribute(
                "aria-label",
                "Copy all steps anyway: some values look wrong",
            );
            return;
        }
        if button2.remove_attribute("data-confirm").is_ok() {
            if let Some(label) = button2.get_attribute("data-label") {
                let _ = button2.set_attribute("aria-label", &label);
            }
        }
        let text: Vec<String> = codes
            .iter()
            .map(|c| c.text_content().unwrap_or_default())
            .collect();
        let text = text.join("\n");
        let Some(window) = web_sys::window() else {
            return;
        };
        let promise = window.navigator().clipboard().write_text(&text);
        let button = button2.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let label = match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => "Copied",
                Err(_) => "Copy failed",
            };
            button.set_text_content(Some(label));
            let _ = button.set_attribute(
                "data-copied",
                if label == "Copied" { "true" } else { "false" },
            );
        });
    })
}
