//! The side panel the extension's panel page drives (`extension/panel.js`): its frame (header,
//! status, alerts, the log line box), the state behind it, and the methods the page calls.
//! Each part of an alert's guidance is rendered by its own module (see [`render`]).
//!
//! Contract with the page: `new Panel(root, host)`, `showIncident(url, text)`,
//! `showSnapshot(snapshot)`, `showNone()`,
//! `setCollapsed(bool)`, `setSettings(stored, managed)`, `setPacks(packs, builtin)`; the panel
//! calls the page's [`PanelHost`] methods (`collapse`, `saveSettings`, `openOptions`). Elements
//! carry `data-rl` hooks (see README) for tests and CSS.

mod candidates;
mod choice;
mod commands;
mod copy;
mod escalation;
mod host;
mod live;
mod log_search;
mod log_setup;
mod render;
mod scenario;
mod search;
mod values;

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlTextAreaElement};

pub use host::PanelHost;

use super::{dom, js_err};
use crate::config::Config;
use crate::guidance::{Choice, Explanation};
use crate::pack::Pack;
use crate::page::{opened_time, page_text, read_snapshot, PageTime, Snapshot};
use crate::settings::{Managed, Settings};
use crate::web_protocol::{pack_key, pack_url_key};
use live::LiveText;
use render::render;

/// Everything the panel knows and shows.
struct State {
    doc: Document,
    host: PanelHost,
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
    /// Runbooks picked in the panel for this incident: (alert index, runbook file).
    picks: Vec<(usize, String)>,
    /// The user's chosen runbooks (storage key `choices`), first applicable wins.
    choices: Vec<Choice>,
    /// False when the stored choices could not be read: they are then not overwritten.
    choices_readable: bool,
    /// Said above the guidance: the stored choices could not be read.
    choices_notice: Option<String>,
    live: Vec<LiveText>,
    /// Listeners of the current rendering; dropped (detached) on the next one.
    listeners: Vec<EventListener>,
    /// Listeners of the runbook search's results; replaced on each search.
    search_listeners: Vec<EventListener>,
    /// Listeners that live as long as the panel.
    fixed: Vec<EventListener>,
    /// The incident's trigger time as its page shows it (the log window's last resort).
    page_time: Option<PageTime>,
}

/// The elements that stay while the panel lives: built once by [`frame`].
struct Frame {
    collapse_button: HtmlElement,
    options_button: HtmlElement,
    content: HtmlElement,
    status: Element,
    alerts_box: Element,
    log_box: HtmlTextAreaElement,
}

/// The side panel.
#[wasm_bindgen]
pub struct Panel {
    state: Rc<RefCell<State>>,
}

#[wasm_bindgen]
impl Panel {
    /// Builds the panel inside `root`. `host` is the page: the panel calls it when the user
    /// collapses the panel, remembers a value or opens the settings.
    #[wasm_bindgen(constructor)]
    pub fn new(root: HtmlElement, host: PanelHost) -> Result<Panel, JsError> {
        let doc = root
            .owner_document()
            .ok_or_else(|| JsError::new("panel root is not in a document"))?;
        let f = frame(&doc, &root).map_err(js_err)?;
        let state = Rc::new(RefCell::new(State {
            doc,
            host,
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
            collapse_button: f.collapse_button.clone(),
            content: f.content,
            status: f.status,
            alerts_box: f.alerts_box,
            log_box: f.log_box.clone(),
            explanation: None,
            picks: Vec::new(),
            choices: Vec::new(),
            choices_readable: true,
            choices_notice: None,
            live: Vec::new(),
            listeners: Vec::new(),
            search_listeners: Vec::new(),
            fixed: Vec::new(),
            page_time: None,
        }));
        let fixed = fixed_listeners(&state, &f.collapse_button, &f.log_box, &f.options_button);
        state.borrow_mut().fixed.extend(fixed);
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
            s.picks.clear();
            s.log_line.clear();
            s.log_box.set_value("");
        }
        s.url = url.to_string();
        s.text = text.to_string();
        render(&mut s, Rc::downgrade(&self.state)).map_err(js_err)
    }

    /// Shows the guidance for a snapshot of an incident page (see [`crate::page::Snapshot`],
    /// which carries the page's URL): the reader decides the incident's title and alerts; a
    /// page it does not know is read as its whole text. Like `showIncident`, what reads the
    /// same as before changes nothing.
    #[wasm_bindgen(js_name = showSnapshot)]
    pub fn show_snapshot(&self, snapshot: &str) -> Result<(), JsError> {
        let snap = Snapshot::from_text(snapshot).map_err(|e| JsError::new(&e))?;
        let text = match read_snapshot(&snap) {
            Some(read) => read.text(),
            None => page_text(&snap),
        };
        self.state.borrow_mut().page_time = opened_time(&snap);
        self.show_incident(snap.url, &text)
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
        s.search_listeners.clear();
        s.alerts_box.set_text_content(None);
        s.status
            .set_text_content(Some("Open an incident to see its runbook."));
        Ok(())
    }

    /// Replaces the runbooks: the given packs (raw version 4 bytes as stored by the options
    /// page and the background, in the order of the keys `setSettings` returned: the enabled
    /// packs, then the pack URLs; an empty array for one that is missing from storage), plus
    /// the built-in pack when `builtin` is true. The packs are merged as they are: nothing is
    /// re-parsed or re-indexed.
    /// A pack that does not load is left out, with a notice naming it; the others are used.
    /// Returns what was wrong with each pack left out.
    #[wasm_bindgen(js_name = setPacks)]
    pub fn set_packs(
        &self,
        packs: Vec<js_sys::Uint8Array>,
        builtin: bool,
    ) -> Result<Vec<String>, JsError> {
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
        let mut loaded = Vec::new();
        let mut bad = Vec::new();
        for (i, bytes) in packs.iter().enumerate() {
            let url = i
                .checked_sub(names.len())
                .and_then(|j| urls.get(j))
                .map(|u| u.url.clone());
            let name = names
                .get(i)
                .cloned()
                .or_else(|| url.clone())
                .unwrap_or_else(|| format!("pack {}", i + 1));
            if bytes.length() == 0 {
                bad.push(match url {
                    Some(_) => format!("{name}: not downloaded yet (the settings page says why; the extension may need your permission to reach that site)"),
                    None => format!("{name}: missing from the extension's storage; import it again"),
                });
                continue;
            }
            match Pack::from_vec(&name, bytes.to_vec()) {
                Ok(pack) => loaded.push(pack),
                Err(e) => bad.push(e.to_string()),
            }
        }
        // Off by default once the team has packs (`builtin`), but only while one of them
        // actually loaded: a pack URL not downloaded yet leaves nothing to compete with.
        let fallback = {
            let s = self.state.borrow();
            !s.settings.builtin_pack_chosen
                && s.settings.builtin_pack
                && loaded.iter().all(Pack::is_empty)
        };
        if builtin || fallback {
            loaded.push(crate::builtin::pack());
        }
        let mut s = self.state.borrow_mut();
        s.pack = Pack::merge("panel", loaded);
        s.pack_notice = (!bad.is_empty())
            .then(|| format!("Left out (could not be loaded): {}.", bad.join("; ")));
        if s.explanation.is_some() {
            render(&mut s, Rc::downgrade(&self.state)).map_err(js_err)?;
        }
        Ok(bad)
    }

    /// Whether a page of the packs in use carries front matter `extract` rules: the page
    /// then loads the rules module and hands the packs over again.
    #[wasm_bindgen(js_name = packsHaveRules)]
    pub fn packs_have_rules(&self) -> bool {
        let s = self.state.borrow();
        s.pack.metas().iter().any(|m| !m.front.extract.is_empty())
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
            .map(|p| pack_key(&p.id))
            .collect();
        keys.extend(
            settings
                .effective_pack_urls(&managed)
                .iter()
                .map(|u| pack_url_key(&u.url)),
        );
        let mut s = self.state.borrow_mut();
        // The same settings again (the policy read arriving with nothing new) change nothing,
        // so the panel keeps what it shows and where the user is typing.
        let unchanged = s.config.log_search_urls == config.log_search_urls
            && s.config.site_base_url == config.site_base_url
            && s.settings == settings
            && s.managed == managed
            && s.notice == notice;
        s.config = config;
        s.settings = settings;
        s.managed = managed;
        s.notice = notice;
        choice::compose(&mut s);
        if s.explanation.is_some() && !unchanged {
            render(&mut s, Rc::downgrade(&self.state)).map_err(js_err)?;
        }
        Ok(keys)
    }

    /// Applies the user's chosen runbooks (`stored`: the JSON text saved under `choices`, or
    /// nothing). Choices that cannot be read are not used, with a notice in the panel.
    #[wasm_bindgen(js_name = setChoices)]
    pub fn set_choices(&self, stored: Option<String>) -> Result<(), JsError> {
        let mut s = self.state.borrow_mut();
        let before = (s.choices.clone(), s.choices_notice.clone());
        choice::load(&mut s, stored.as_deref());
        if s.explanation.is_some() && before != (s.choices.clone(), s.choices_notice.clone()) {
            render(&mut s, Rc::downgrade(&self.state)).map_err(js_err)?;
        }
        Ok(())
    }

    /// Whether the settings keep the built-in example pack on.
    #[wasm_bindgen(js_name = builtinPackEnabled)]
    pub fn builtin_pack_enabled(&self) -> bool {
        let s = self.state.borrow();
        s.settings.builtin_pack_on(&s.managed)
    }

    /// Mirrors a collapse/expand done by the content script (keyboard shortcut).
    #[wasm_bindgen(js_name = setCollapsed)]
    pub fn set_collapsed(&self, collapsed: bool) {
        apply_collapsed(&mut self.state.borrow_mut(), collapsed);
    }
}

/// Builds the panel's frame inside `root`: the header (collapse button, title, settings
/// button), the status line, the alerts' box and the log line box.
fn frame(doc: &Document, root: &HtmlElement) -> Result<Frame, JsValue> {
    root.set_text_content(None);
    root.set_attribute("data-rl", "panel")?;
    let header = dom::child(doc, root, "header", &[("data-rl", "header")])?;
    let collapse_button = dom::button(
        doc,
        &header,
        "›",
        "Collapse the Runbook Lens panel",
        &[("data-rl", "collapse"), ("aria-expanded", "true")],
    )?;
    dom::text_child(doc, &header, "h1", &[], "Runbook Lens")?;
    let options_button = dom::button(
        doc,
        &header,
        "⚙",
        "Runbook Lens settings: packs, log search, remembered values",
        &[("data-rl", "open-options")],
    )?;
    let content = dom::child(doc, root, "main", &[("data-rl", "content")])?
        .dyn_into::<HtmlElement>()
        .map_err(|_| JsValue::from_str("main is not an HTMLElement"))?;
    let status = dom::text_child(
        doc,
        &content,
        "p",
        &[("data-rl", "status"), ("role", "status")],
        "Open an incident to see its runbook.",
    )?;
    let alerts_box = dom::child(doc, &content, "div", &[("data-rl", "alerts")])?;
    let log_section = dom::child(doc, &content, "section", &[("data-rl", "log-section")])?;
    let label = dom::child(doc, &log_section, "label", &[("for", "rl-log-line")])?;
    dom::text(
        doc,
        &label,
        "Paste a log line to pick the scenario and fill values",
    )?;
    let log_box = dom::child(
        doc,
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
    )?
    .dyn_into::<HtmlTextAreaElement>()
    .map_err(|_| JsValue::from_str("textarea is not an HTMLTextAreaElement"))?;
    Ok(Frame {
        collapse_button,
        options_button,
        content,
        status,
        alerts_box,
        log_box,
    })
}

/// The frame's listeners, which live as long as the panel: collapse, the log line box and the
/// settings button.
fn fixed_listeners(
    state: &Rc<RefCell<State>>,
    collapse_button: &HtmlElement,
    log_box: &HtmlTextAreaElement,
    options_button: &HtmlElement,
) -> [EventListener; 3] {
    let weak = Rc::downgrade(state);
    let on_collapse = EventListener::new(collapse_button, "click", move |_| {
        if let Some(state) = weak.upgrade() {
            let collapsed = !state.borrow().collapsed;
            let mut s = state.borrow_mut();
            apply_collapsed(&mut s, collapsed);
            let _ = s.host.collapse(collapsed);
        }
    });
    let weak = Rc::downgrade(state);
    let on_log = EventListener::new(log_box, "input", move |_| {
        if let Some(state) = weak.upgrade() {
            let mut s = state.borrow_mut();
            s.log_line = s.log_box.value();
            if let Err(e) = render(&mut s, Rc::downgrade(&state)) {
                s.status
                    .set_text_content(Some(&format!("Could not show the guidance: {e:?}")));
            }
        }
    });
    let weak = Rc::downgrade(state);
    let on_options = EventListener::new(options_button, "click", move |_| {
        if let Some(state) = weak.upgrade() {
            let _ = state.borrow().host.open_options();
        }
    });
    [on_collapse, on_log, on_options]
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
