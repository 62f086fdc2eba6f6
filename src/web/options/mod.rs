//! The options page: runbook packs (import a folder of pages, single pages or pack files;
//! enable, disable, remove; the built-in pack on or off), the runbook site, log search
//! templates per region with a preview, remembered values, export and import of all settings,
//! and the values the organisation's policy locks. Built only with the `markdown` feature: the
//! page parses markdown, the panel never does.
//!
//! Contract with `extension/options.js`: `new Options(root, host)`, `setState(stored,
//! managed, urlStatus)` whenever storage changes. `host` is an [`OptionsHost`] (declared in
//! `host.rs` and in the generated `.d.ts`): it does what needs the browser's extension APIs.
//!
//! One file per section of the page (`packs`, `pack_urls`, `site`, `log_templates`,
//! `remembered`, `transfer`), each with a `render(&mut Ctx)`; `import` reads and stores picked
//! files. Every action changes the state and renders the whole page again.

mod choices;
mod extract_rules;
mod host;
mod import;
mod log_templates;
mod pack_urls;
mod packs;
mod remembered;
mod site;
mod transfer;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::dom;
use crate::settings::{Managed, PackUrlStatus, Settings};
pub use host::OptionsHost;
use host::UrlStatus;

/// The outcome of an import, shown until the next one.
struct Report {
    /// `ok`, `partial` (stored, with problems) or `error` (nothing stored).
    status: &'static str,
    summary: String,
    problems: Vec<String>,
}

struct State {
    doc: Document,
    root: Element,
    host: OptionsHost,
    settings: Settings,
    managed: Managed,
    /// What the background last did with each pack URL.
    url_status: UrlStatus,
    /// Why the stored settings or policy could not be read.
    notice: Option<String>,
    report: Option<Report>,
    /// The last action's outcome: (`ok` or `error`, text).
    message: Option<(&'static str, String)>,
    /// What is being done right now (reading files, storing…).
    busy: Option<String>,
    listeners: Vec<EventListener>,
    /// The runbooks the user chose for alerts (storage key `choices`).
    choices: Vec<crate::guidance::Choice>,
    /// The bytes each stored pack takes, by id, once asked (`None` while asked or unknown).
    sizes: BTreeMap<String, Option<u64>>,
}

/// The options page.
#[wasm_bindgen]
pub struct Options {
    state: Rc<RefCell<State>>,
}

#[wasm_bindgen]
impl Options {
    /// Builds the page inside `root`; `host` stores and loads (see [`OptionsHost`]).
    #[wasm_bindgen(constructor)]
    pub fn new(root: Element, host: OptionsHost) -> Result<Options, JsError> {
        let doc = root
            .owner_document()
            .ok_or_else(|| JsError::new("options root is not in a document"))?;
        let state = Rc::new(RefCell::new(State {
            doc,
            root,
            host,
            settings: Settings::default(),
            managed: Managed::default(),
            url_status: BTreeMap::new(),
            notice: None,
            report: None,
            message: None,
            busy: None,
            listeners: Vec::new(),
            choices: Vec::new(),
            sizes: BTreeMap::new(),
        }));
        render(&state).map_err(super::js_err)?;
        Ok(Options { state })
    }

    /// Shows the stored settings (`stored`: the JSON under `settings`, or nothing) under the
    /// organisation's policy (`managed`: JSON of `storage.managed`, or nothing), with the
    /// pack URLs' status (`urlStatus`: JSON under `pack-url-status`, or nothing).
    #[wasm_bindgen(js_name = setState)]
    pub fn set_state(
        &self,
        stored: Option<String>,
        managed: Option<String>,
        url_status: Option<String>,
    ) -> Result<(), JsError> {
        let drafts;
        {
            let mut s = self.state.borrow_mut();
            let (settings, managed, notice) =
                Settings::load_with_policy(stored.as_deref(), managed.as_deref());
            // Nothing new (the policy read arriving empty, our own save echoed back by
            // storage.onChanged): the page stays as it is, with whatever the user is typing.
            // A status the background wrote badly shows as "not downloaded yet".
            let url_status: BTreeMap<String, PackUrlStatus> = url_status
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok())
                .unwrap_or_default();
            if s.settings == settings
                && s.managed == managed
                && s.notice == notice
                && s.url_status == url_status
            {
                return Ok(());
            }
            drafts = Drafts::take(&s);
            s.url_status = url_status;
            s.settings = settings;
            s.managed = managed;
            s.notice = notice;
        }
        render(&self.state).map_err(super::js_err)?;
        drafts.restore(&self.state.borrow());
        Ok(())
    }
}

#[wasm_bindgen]
impl Options {
    /// Shows the runbooks the user chose for alerts (`stored`: the JSON text under `choices`,
    /// or nothing); what cannot be read shows as none, and stays in storage until changed.
    #[wasm_bindgen(js_name = setChoices)]
    pub fn set_choices(&self, stored: Option<String>) -> Result<(), JsError> {
        let choices: Vec<crate::guidance::Choice> = stored
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default();
        if self.state.borrow().choices == choices {
            return Ok(());
        }
        self.state.borrow_mut().choices = choices;
        render(&self.state).map_err(super::js_err)
    }
}

/// What the user was typing and has not saved, kept when a change made elsewhere (another
/// tab's Remember, a policy update) redraws the page.
struct Drafts {
    fields: Vec<(&'static str, String)>,
}

impl Drafts {
    /// The unsaved text of the page's free inputs: the log template form, and the site URL
    /// when it differs from the saved one.
    fn take(s: &State) -> Drafts {
        let saved_site = site::shown_base_url(s);
        let mut fields = Vec::new();
        for hook in ["log-region", "log-url", "site-base-url", "pack-url-input"] {
            let Some(v) = s
                .root
                .query_selector(&format!("[data-rl=\"{hook}\"]"))
                .ok()
                .flatten()
                .map(|e| input_value(&e))
            else {
                continue;
            };
            let unchanged_site = hook == "site-base-url" && v == saved_site;
            if !v.is_empty() && !unchanged_site {
                fields.push((hook, v));
            }
        }
        Drafts { fields }
    }

    fn restore(&self, s: &State) {
        for (hook, value) in &self.fields {
            let input = s
                .root
                .query_selector(&format!("[data-rl=\"{hook}\"]"))
                .ok()
                .flatten();
            if let Some(i) = input.as_ref().and_then(|e| e.dyn_ref::<HtmlInputElement>()) {
                // A field the policy now locks shows the policy's value, not the draft.
                if !i.disabled() {
                    i.set_value(value);
                }
            }
        }
    }
}

// ------------------------------------------------------------------------ actions --

/// Saves `next` as the settings; on success it becomes the page's state and `done` is said.
async fn save(state: Rc<RefCell<State>>, next: Settings, done: String) {
    let result = match next.validate() {
        Err(e) => Err(e.to_string()),
        Ok(()) => {
            let host = state.borrow().host.clone();
            host.save(&next).await
        }
    };
    {
        let mut s = state.borrow_mut();
        match result {
            Ok(()) => {
                s.settings = next;
                s.message = Some(("ok", done));
            }
            Err(e) => s.message = Some(("error", format!("Not saved: {e}"))),
        }
    }
    let _ = render(&state);
}

/// Shows `text` as the last action's outcome (`kind`: `ok` or `error`).
fn say(state: &Rc<RefCell<State>>, kind: &'static str, text: String) {
    state.borrow_mut().message = Some((kind, text));
    let _ = render(state);
}

fn set_busy(state: &Rc<RefCell<State>>, busy: Option<String>) {
    state.borrow_mut().busy = busy;
    let _ = render(state);
}

fn finish(state: &Rc<RefCell<State>>, report: Report) {
    {
        let mut s = state.borrow_mut();
        s.report = Some(report);
        s.message = None;
        s.busy = None;
    }
    let _ = render(state);
}

fn input_value(e: &Element) -> String {
    e.dyn_ref::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// The input element an event came from.
fn event_input(e: &web_sys::Event) -> Option<HtmlInputElement> {
    e.target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
}

/// `s` when `n` is not 1: `plural(3, "s")`.
fn plural(n: usize, s: &'static str) -> &'static str {
    if n == 1 {
        ""
    } else {
        s
    }
}

// ------------------------------------------------------------------------ render --

/// What every section renders with: the document, the page's root, the state shown and the
/// listeners the sections add (they live until the next render).
struct Ctx<'a> {
    doc: &'a Document,
    root: &'a Element,
    s: &'a State,
    weak: Weak<RefCell<State>>,
    listeners: Vec<EventListener>,
}

impl Ctx<'_> {
    /// Runs `f` with the state when `event` fires on `target`, unless the page is busy.
    fn on(
        &mut self,
        target: &Element,
        event: &'static str,
        f: impl Fn(Rc<RefCell<State>>, &web_sys::Event) + 'static,
    ) {
        let weak = self.weak.clone();
        self.listeners
            .push(EventListener::new(target, event, move |e| {
                if let Some(state) = weak.upgrade() {
                    if state.borrow().busy.is_none() {
                        f(state, e);
                    }
                }
            }));
    }

    fn child(
        &self,
        parent: &Element,
        tag: &str,
        attrs: &[(&str, &str)],
    ) -> Result<Element, JsValue> {
        dom::child(self.doc, parent, tag, attrs)
    }

    fn text_child(
        &self,
        parent: &Element,
        tag: &str,
        attrs: &[(&str, &str)],
        text: &str,
    ) -> Result<Element, JsValue> {
        dom::text_child(self.doc, parent, tag, attrs, text)
    }

    /// A button with visible `label` and accessible name `aria`, which must contain `label`:
    /// someone who says or searches for what they see has to find the button.
    fn button(
        &self,
        parent: &Element,
        label: &str,
        aria: &str,
        attrs: &[(&str, &str)],
    ) -> Result<HtmlElement, JsValue> {
        dom::button(self.doc, parent, label, aria, attrs)
    }

    /// A section of the page: `<section data-rl=hook>` with its title and introduction.
    fn section(&self, hook: &str, title: &str, intro: &str) -> Result<Element, JsValue> {
        let sec = self.child(self.root, "section", &[("data-rl", hook)])?;
        self.text_child(&sec, "h2", &[], title)?;
        if !intro.is_empty() {
            let p = self.child(&sec, "p", &[("class", "intro")])?;
            dom::rich_text(self.doc, &p, intro)?;
        }
        Ok(sec)
    }

    fn locked_badge(&self, parent: &Element) -> Result<(), JsValue> {
        self.text_child(
            parent,
            "p",
            &[("data-rl", "locked"), ("class", "locked")],
            "🔒 Set by your organisation's policy; it cannot be changed here.",
        )?;
        Ok(())
    }

    fn checkbox(
        &self,
        parent: &Element,
        hook: &str,
        checked: bool,
        label: &str,
    ) -> Result<Element, JsValue> {
        let l = self.child(parent, "label", &[("class", "check")])?;
        let input = self.child(&l, "input", &[("type", "checkbox"), ("data-rl", hook)])?;
        if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
            i.set_checked(checked);
        }
        dom::text(self.doc, &l, label)?;
        Ok(input)
    }

    /// A file picker shown as `label`: a folder picker with `folder`, else files of `accept`.
    fn file_input(
        &self,
        parent: &Element,
        hook: &str,
        label: &str,
        folder: bool,
        accept: &str,
    ) -> Result<Element, JsValue> {
        let l = self.child(parent, "label", &[("class", "file")])?;
        self.text_child(&l, "span", &[], label)?;
        let input = self.child(&l, "input", &[("type", "file"), ("data-rl", hook)])?;
        if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
            i.set_multiple(true);
            if folder {
                i.set_webkitdirectory(true);
            } else {
                i.set_accept(accept);
            }
        }
        Ok(input)
    }
}

/// Rebuilds the page from the state (only on actions, never while the user types).
fn render(state: &Rc<RefCell<State>>) -> Result<(), JsValue> {
    let mut s = state.borrow_mut();
    s.listeners.clear();
    let doc = s.doc.clone();
    let root = s.root.clone();
    root.set_text_content(None);
    root.set_attribute("data-rl", "options")?;
    let mut cx = Ctx {
        doc: &doc,
        root: &root,
        s: &s,
        weak: Rc::downgrade(state),
        listeners: Vec::new(),
    };
    render_head(&cx)?;
    packs::render(&mut cx)?;
    pack_urls::render(&mut cx)?;
    site::render(&mut cx)?;
    log_templates::render(&mut cx)?;
    extract_rules::render(&mut cx)?;
    remembered::render(&mut cx)?;
    choices::render(&mut cx)?;
    transfer::render(&mut cx)?;
    let listeners = cx.listeners;

    if s.busy.is_some() {
        // While an import runs, nothing else may change the settings under it.
        let list = root.query_selector_all("button, input, select")?;
        for i in 0..list.length() {
            if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                e.set_attribute("disabled", "")?;
            }
        }
    }
    s.listeners = listeners;
    Ok(())
}

/// The title, and what the page has to say: a notice, what it is doing, the last outcome.
fn render_head(cx: &Ctx) -> Result<(), JsValue> {
    let (s, root) = (cx.s, cx.root);
    cx.text_child(root, "h1", &[], "Runbook Lens settings")?;
    if let Some(n) = &s.notice {
        cx.text_child(root, "p", &[("data-rl", "notice"), ("role", "alert")], n)?;
    }
    let status = cx.child(root, "p", &[("data-rl", "busy"), ("role", "status")])?;
    match &s.busy {
        Some(b) => status.set_text_content(Some(b)),
        None => status.set_attribute("hidden", "")?,
    }
    if let Some((kind, text)) = &s.message {
        cx.text_child(
            root,
            "p",
            &[
                ("data-rl", "message"),
                ("data-status", kind),
                ("role", "status"),
            ],
            text,
        )?;
    }
    Ok(())
}
