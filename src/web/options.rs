//! The options page: runbook packs (import a folder of pages, single pages or pack files;
//! enable, disable, remove; the built-in pack on or off), the runbook site, log search
//! templates per region with a preview, remembered values, export and import of all settings,
//! and the values the organisation's policy locks. Built only with the `markdown` feature: the
//! page parses markdown, the panel never does.
//!
//! Contract with `extension/options.js`: `new Options(root, host)`, `setState(stored,
//! managed, urlStatus)` whenever storage changes. `host` does what needs the browser's
//! extension APIs, each returning a promise: `save(settingsJson)`, `storePack(id, packJson,
//! settingsJson)` (the pack and the settings that list it, written in one
//! `storage.local.set`), `removePack(id, settingsJson)`, `loadPack(id)` (the pack's JSON),
//! `download(name, text)`, `requestOrigin(pattern)` (asks for an optional host permission;
//! called while the click that asked for it is handled, as browsers require) and
//! `refreshPackUrls(force)` (the background downloads the pack URLs that are due, or all
//! of them, and answers with their status). Nothing is stored before it has been parsed and checked, so a failed import
//! leaves every stored pack as it was.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use gloo_events::EventListener;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Document, Element, File, HtmlInputElement, HtmlSelectElement};

use super::dom;
use crate::config::Config;
use crate::guidance::explain;
use crate::pack::Pack;
use crate::settings::{
    check_log_template, check_pack_url, Managed, PackEntry, PackUrl, PackUrlStatus, Settings,
    LOG_PRESETS, MAX_REFRESH_HOURS,
};

/// The sample alert previews are built for: the project's reference alert (written for the
/// project, in `src/builtin/alerts`), moved to the previewed region.
const SAMPLE_ALERT: &str = include_str!("../builtin/alerts/reference-us-south.txt");
const SAMPLE_REGION: &str = "us-south";

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
    host: JsValue,
    settings: Settings,
    managed: Managed,
    /// What the background last did with each pack URL.
    url_status: BTreeMap<String, PackUrlStatus>,
    /// Why the stored settings or policy could not be read.
    notice: Option<String>,
    report: Option<Report>,
    /// The last action's outcome: (`ok` or `error`, text).
    message: Option<(&'static str, String)>,
    /// What is being done right now (reading files, storing…).
    busy: Option<String>,
    listeners: Vec<EventListener>,
}

/// The options page.
#[wasm_bindgen]
pub struct Options {
    state: Rc<RefCell<State>>,
}

#[wasm_bindgen]
impl Options {
    /// Builds the page inside `root`; `host` stores and loads (see the module comment).
    #[wasm_bindgen(constructor)]
    pub fn new(root: Element, host: JsValue) -> Result<Options, JsError> {
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

/// What the user was typing and has not saved, kept when a change made elsewhere (another
/// tab's Remember, a policy update) redraws the page.
struct Drafts {
    fields: Vec<(&'static str, String)>,
}

impl Drafts {
    /// The unsaved text of the page's free inputs: the log template form, and the site URL
    /// when it differs from the saved one.
    fn take(s: &State) -> Drafts {
        let saved_site = s
            .managed
            .site_base_url
            .clone()
            .or_else(|| s.settings.site_base_url.clone())
            .unwrap_or_default();
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

/// What a rejected promise or thrown value says.
fn describe(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Calls `host[method](...args)` now and returns its promise (a permission request must be
/// made while the click is being handled, not after an await).
fn host_start(host: &JsValue, method: &str, args: &[JsValue]) -> Result<js_sys::Promise, String> {
    let f = js_sys::Reflect::get(host, &method.into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .ok_or_else(|| format!("the options page has no `{method}`"))?;
    let list = js_sys::Array::new();
    for a in args {
        list.push(a);
    }
    let value = f.apply(host, &list).map_err(|e| describe(&e))?;
    Ok(js_sys::Promise::resolve(&value))
}

/// Calls `host[method](...args)` and awaits its promise.
async fn host_call(host: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let promise = host_start(host, method, args)?;
    JsFuture::from(promise).await.map_err(|e| describe(&e))
}

/// Saves `next` as the settings; on success it becomes the page's state and `done` is said.
async fn save(state: Rc<RefCell<State>>, next: Settings, done: String) {
    let result = match next.validate() {
        Err(e) => Err(e.to_string()),
        Ok(()) => {
            let host = state.borrow().host.clone();
            host_call(&host, "save", &[JsValue::from_str(&settings_json(&next))])
                .await
                .map(|_| ())
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

/// The settings as stored (the bare object; exports add a format marker).
fn settings_json(s: &Settings) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// Runs `f` with the state when a listener fires, unless the page is busy.
fn on(
    target: &Element,
    event: &'static str,
    weak: &Weak<RefCell<State>>,
    f: impl Fn(Rc<RefCell<State>>, &web_sys::Event) + 'static,
) -> EventListener {
    let weak = weak.clone();
    EventListener::new(target, event, move |e| {
        if let Some(state) = weak.upgrade() {
            if state.borrow().busy.is_none() {
                f(state, e);
            }
        }
    })
}

fn input_value(e: &Element) -> String {
    e.dyn_ref::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

// ------------------------------------------------------------------------ import --

/// A file the user picked: its path inside the picked folder (or its name) and the file.
struct Picked {
    path: String,
    file: File,
}

fn picked_files(input: &HtmlInputElement) -> (Vec<Picked>, Option<String>) {
    let mut out = Vec::new();
    let mut folder = None;
    let Some(list) = input.files() else {
        return (out, folder);
    };
    for i in 0..list.length() {
        let Some(file) = list.item(i) else { continue };
        let rel = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let path = if rel.is_empty() {
            file.name()
        } else {
            // `corpus/armada/runbooks/x.md`: the first part is the picked folder itself.
            let mut parts = rel.splitn(2, '/');
            let top = parts.next().unwrap_or_default().to_string();
            folder.get_or_insert(top);
            parts.next().unwrap_or_default().to_string()
        };
        out.push(Picked { path, file });
    }
    (out, folder)
}

fn is_md(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".md")
}

fn is_json(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".json")
}

/// A new pack's storage id: time and randomness, so two imports never collide.
fn new_id() -> String {
    let t = js_sys::Date::now() as u64;
    let r = (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    format!("{t:x}{r:08x}")
}

/// Reads, parses and checks the picked files, then stores the packs they make.
async fn import(state: Rc<RefCell<State>>, files: Vec<Picked>, folder: Option<String>) {
    let total = files.len();
    let mut pages: Vec<(String, String)> = Vec::new();
    let mut pack_files: Vec<(String, String)> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut skipped = 0usize;
    let mut fatal: Vec<String> = Vec::new();
    set_busy(
        &state,
        Some(format!(
            "Reading {total} file{}…",
            if total == 1 { "" } else { "s" }
        )),
    );
    for p in files {
        let wanted_md = is_md(&p.path);
        let wanted_json = folder.is_none() && is_json(&p.path);
        if !wanted_md && !wanted_json {
            if folder.is_some() {
                // A folder holds images, configs, …: only its pages matter.
                skipped += 1;
            } else {
                fatal.push(format!(
                    "{}: not a markdown page (.md) or a pack file (.json)",
                    p.path
                ));
            }
            continue;
        }
        match JsFuture::from(p.file.text()).await {
            Ok(text) => {
                let text = text.as_string().unwrap_or_default();
                if wanted_md {
                    pages.push((p.path, text));
                } else {
                    pack_files.push((p.path, text));
                }
            }
            Err(e) => problems.push(format!(
                "{}: could not be read ({}); left out",
                p.path,
                describe(&e)
            )),
        }
    }
    set_busy(
        &state,
        Some(format!(
            "Checking {} page{} and {} pack file{}…",
            pages.len(),
            if pages.len() == 1 { "" } else { "s" },
            pack_files.len(),
            if pack_files.len() == 1 { "" } else { "s" }
        )),
    );

    // Parse and check everything before anything is stored.
    let mut packs: Vec<(Pack, String)> = Vec::new();
    for (path, text) in &pack_files {
        match Pack::from_json(path, text) {
            Ok(p) => packs.push((p, path.clone())),
            Err(e) => fatal.push(e.to_string()),
        }
    }
    if !pages.is_empty() {
        pages.sort();
        let name = folder.clone().unwrap_or_else(|| {
            if pages.len() == 1 {
                pages[0].0.clone()
            } else {
                format!("{} pages", pages.len())
            }
        });
        let pack = Pack::from_pages(&name, pages.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        let source = folder
            .clone()
            .map(|f| format!("folder {f}"))
            .unwrap_or_else(|| {
                pages
                    .iter()
                    .map(|(p, _)| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
        packs.push((pack, source));
    }
    if packs.is_empty() && fatal.is_empty() {
        fatal.push(match &folder {
            Some(f) => format!("{f}: no markdown (.md) pages in this folder; pick the folder that holds the runbook pages"),
            None => "no files picked".to_string(),
        });
    }
    if !fatal.is_empty() {
        let report = Report {
            status: "error",
            summary: "Nothing was imported; the packs you had are unchanged.".into(),
            problems: fatal.into_iter().chain(problems).collect(),
        };
        finish(&state, report);
        return;
    }

    // Store each pack together with the settings that list it: one write, so a pack is
    // never listed without its data or stored without being listed.
    let mut loaded = Vec::new();
    for (pack, source) in packs {
        let lines = problem_lines(&pack);
        let count = lines.len();
        problems.extend(lines);
        let id = new_id();
        let (host, mut next) = {
            let s = state.borrow();
            (s.host.clone(), s.settings.clone())
        };
        // Importing the same folder or file again replaces the pack it made before.
        let replaced: Vec<String> = next
            .packs
            .iter()
            .filter(|p| p.source == source)
            .map(|p| p.id.clone())
            .collect();
        next.packs.retain(|p| p.source != source);
        next.packs.push(PackEntry {
            id: id.clone(),
            name: pack.name.clone(),
            enabled: true,
            pages: pack.runbooks.len(),
            problems: count,
            source: source.clone(),
        });
        set_busy(
            &state,
            Some(format!(
                "Storing {} ({} pages)…",
                pack.name,
                pack.runbooks.len()
            )),
        );
        let stored = host_call(
            &host,
            "storePack",
            &[
                JsValue::from_str(&id),
                JsValue::from_str(&pack.to_json()),
                JsValue::from_str(&settings_json(&next)),
            ],
        )
        .await;
        match stored {
            Ok(_) => {
                state.borrow_mut().settings = next;
                for old in replaced {
                    let keep = settings_json(&state.borrow().settings);
                    let _ = host_call(
                        &host,
                        "removePack",
                        &[JsValue::from_str(&old), JsValue::from_str(&keep)],
                    )
                    .await;
                }
                loaded.push(format!(
                    "{} page{} from {}",
                    pack.runbooks.len(),
                    if pack.runbooks.len() == 1 { "" } else { "s" },
                    pack.name
                ));
            }
            Err(e) => {
                let report = Report {
                    status: "error",
                    summary: format!(
                        "{} could not be stored ({e}); the packs you had are unchanged.",
                        pack.name
                    ),
                    problems,
                };
                finish(&state, report);
                return;
            }
        }
    }
    let mut summary = format!("Loaded {}.", loaded.join("; "));
    if skipped > 0 {
        summary.push_str(&format!(
            " {skipped} other file{} in the folder skipped.",
            if skipped == 1 { " was" } else { "s were" }
        ));
    }
    if !problems.is_empty() {
        summary.push_str(&format!(
            " {} problem{} found:",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        ));
    }
    let status = if problems.is_empty() { "ok" } else { "partial" };
    finish(
        &state,
        Report {
            status,
            summary,
            problems,
        },
    );
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

/// Every problem of a pack's pages, one line each: `file:line: severity: message (fix)`.
fn problem_lines(pack: &Pack) -> Vec<String> {
    pack.runbooks
        .iter()
        .flat_map(|rb| {
            rb.problems.iter().map(move |p| {
                format!(
                    "{}:{}: {}: {} ({})",
                    rb.file,
                    p.line,
                    p.severity.as_str(),
                    p.message,
                    p.fix
                )
            })
        })
        .collect()
}

/// Lists the problems of a stored pack.
async fn show_problems(state: Rc<RefCell<State>>, id: String, name: String) {
    let host = state.borrow().host.clone();
    let report = match host_call(&host, "loadPack", &[JsValue::from_str(&id)]).await {
        Err(e) => Report {
            status: "error",
            summary: format!("{name} could not be read from storage: {e}"),
            problems: Vec::new(),
        },
        Ok(v) => match Pack::from_json(&name, &v.as_string().unwrap_or_default()) {
            Err(e) => Report {
                status: "error",
                summary: e.to_string(),
                problems: Vec::new(),
            },
            Ok(pack) => {
                let problems = problem_lines(&pack);
                Report {
                    status: if problems.is_empty() { "ok" } else { "partial" },
                    summary: format!(
                        "{name}: {} pages, {} problems.",
                        pack.runbooks.len(),
                        problems.len()
                    ),
                    problems,
                }
            }
        },
    };
    finish(&state, report);
}

/// Imports a settings file: everything but the packs (pack data is not in the file; the
/// packs stored here stay as they are).
async fn import_settings(state: Rc<RefCell<State>>, file: File) {
    let text = match JsFuture::from(file.text()).await {
        Ok(t) => t.as_string().unwrap_or_default(),
        Err(e) => {
            state.borrow_mut().message = Some((
                "error",
                format!("{} could not be read: {}", file.name(), describe(&e)),
            ));
            let _ = render(&state);
            return;
        }
    };
    match Settings::from_json(&text) {
        Err(e) => {
            state.borrow_mut().message = Some((
                "error",
                format!(
                    "{} was not imported: {e}. Your settings are unchanged.",
                    file.name()
                ),
            ));
            let _ = render(&state);
        }
        Ok(mut imported) => {
            imported.packs = state.borrow().settings.packs.clone();
            let done = format!(
                "Imported {}: {} log search template{}, {} remembered value{}. Packs are not part of a settings file; yours are unchanged.",
                file.name(),
                imported.log_search_urls.len(),
                if imported.log_search_urls.len() == 1 { "" } else { "s" },
                imported.remembered.len(),
                if imported.remembered.len() == 1 { "" } else { "s" },
            );
            save(state, imported, done).await;
        }
    }
}

// ------------------------------------------------------------------------ render --

/// Rebuilds the page from the state (only on actions, never while the user types).
fn render(state: &Rc<RefCell<State>>) -> Result<(), JsValue> {
    let weak = Rc::downgrade(state);
    let mut s = state.borrow_mut();
    s.listeners.clear();
    let doc = s.doc.clone();
    let root = s.root.clone();
    root.set_text_content(None);
    root.set_attribute("data-rl", "options")?;
    let mut ls: Vec<EventListener> = Vec::new();

    dom::text_child(&doc, &root, "h1", &[], "Runbook Lens settings")?;
    if let Some(n) = &s.notice {
        dom::text_child(
            &doc,
            &root,
            "p",
            &[("data-rl", "notice"), ("role", "alert")],
            n,
        )?;
    }
    let status = dom::child(&doc, &root, "p", &[("data-rl", "busy"), ("role", "status")])?;
    match &s.busy {
        Some(b) => status.set_text_content(Some(b)),
        None => status.set_attribute("hidden", "")?,
    }
    if let Some((kind, text)) = &s.message {
        dom::text_child(
            &doc,
            &root,
            "p",
            &[
                ("data-rl", "message"),
                ("data-status", kind),
                ("role", "status"),
            ],
            text,
        )?;
    }

    render_packs(&s, &doc, &root, &weak, &mut ls)?;
    render_pack_urls(&s, &doc, &root, &weak, &mut ls)?;
    render_site(&s, &doc, &root, &weak, &mut ls)?;
    render_logs(&s, &doc, &root, &weak, &mut ls)?;
    render_remembered(&s, &doc, &root, &weak, &mut ls)?;
    render_transfer(&s, &doc, &root, &weak, &mut ls)?;

    if s.busy.is_some() {
        // While an import runs, nothing else may change the settings under it.
        let list = root.query_selector_all("button, input, select")?;
        for i in 0..list.length() {
            if let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                e.set_attribute("disabled", "")?;
            }
        }
    }
    s.listeners = ls;
    Ok(())
}

fn section(
    doc: &Document,
    root: &Element,
    hook: &str,
    title: &str,
    intro: &str,
) -> Result<Element, JsValue> {
    let sec = dom::child(doc, root, "section", &[("data-rl", hook)])?;
    dom::text_child(doc, &sec, "h2", &[], title)?;
    if !intro.is_empty() {
        let p = dom::child(doc, &sec, "p", &[("class", "intro")])?;
        dom::rich_text(doc, &p, intro)?;
    }
    Ok(sec)
}

fn locked_badge(doc: &Document, parent: &Element) -> Result<(), JsValue> {
    dom::text_child(
        doc,
        parent,
        "p",
        &[("data-rl", "locked"), ("class", "locked")],
        "🔒 Set by your organisation's policy; it cannot be changed here.",
    )?;
    Ok(())
}

fn checkbox(
    doc: &Document,
    parent: &Element,
    hook: &str,
    checked: bool,
    label: &str,
) -> Result<Element, JsValue> {
    let l = dom::child(doc, parent, "label", &[("class", "check")])?;
    let input = dom::child(doc, &l, "input", &[("type", "checkbox"), ("data-rl", hook)])?;
    if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
        i.set_checked(checked);
    }
    dom::text(doc, &l, label)?;
    Ok(input)
}

fn file_input(
    doc: &Document,
    parent: &Element,
    hook: &str,
    label: &str,
    folder: bool,
    accept: &str,
) -> Result<Element, JsValue> {
    let l = dom::child(doc, parent, "label", &[("class", "file")])?;
    dom::text_child(doc, &l, "span", &[], label)?;
    let input = dom::child(doc, &l, "input", &[("type", "file"), ("data-rl", hook)])?;
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

fn render_packs(
    s: &State,
    doc: &Document,
    root: &Element,
    weak: &Weak<RefCell<State>>,
    ls: &mut Vec<EventListener>,
) -> Result<(), JsValue> {
    let sec = section(
        doc,
        root,
        "packs",
        "Runbook packs",
        "Your team's runbooks: a folder of markdown pages, single `.md` pages, or pack files made by `runbook-lens pack <folder> -o pack.json`. The panel matches alerts against every enabled pack.",
    )?;
    let builtin = checkbox(
        doc,
        &sec,
        "builtin-pack",
        s.settings.builtin_pack,
        " Use the built-in example pack",
    )?;
    ls.push(on(&builtin, "change", weak, |state, e| {
        let on = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            .is_some_and(|i| i.checked());
        let mut next = state.borrow().settings.clone();
        next.builtin_pack = on;
        spawn_local(save(
            state,
            next,
            if on {
                "The built-in example pack is on.".into()
            } else {
                "The built-in example pack is off.".into()
            },
        ));
    }));

    let list = dom::child(doc, &sec, "ul", &[("data-rl", "pack-list")])?;
    if s.settings.packs.is_empty() {
        dom::text_child(
            doc,
            &list,
            "li",
            &[("class", "empty")],
            "No packs imported yet.",
        )?;
    }
    for p in &s.settings.packs {
        let li = dom::child(
            doc,
            &list,
            "li",
            &[("data-rl", "pack"), ("data-pack-id", &p.id)],
        )?;
        let enabled = checkbox(doc, &li, "pack-enabled", p.enabled, "")?;
        enabled.set_attribute("aria-label", &format!("Use {}", p.name))?;
        dom::text_child(doc, &li, "strong", &[("data-rl", "pack-name")], &p.name)?;
        let pages = format!(
            " {} page{}, {} problem{}",
            p.pages,
            if p.pages == 1 { "" } else { "s" },
            p.problems,
            if p.problems == 1 { "" } else { "s" }
        );
        dom::text_child(
            doc,
            &li,
            "span",
            &[
                ("data-rl", "pack-pages"),
                ("data-pages", &p.pages.to_string()),
            ],
            &pages,
        )?;
        if !p.source.is_empty() {
            dom::text_child(doc, &li, "small", &[("data-rl", "pack-source")], &p.source)?;
        }
        let id = p.id.clone();
        ls.push(on(&enabled, "change", weak, move |state, e| {
            let on = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            let mut next = state.borrow().settings.clone();
            let mut name = String::new();
            for p in next.packs.iter_mut().filter(|p| p.id == id) {
                p.enabled = on;
                name = p.name.clone();
            }
            spawn_local(save(
                state,
                next,
                format!("{name} is {}.", if on { "on" } else { "off" }),
            ));
        }));
        if p.problems > 0 {
            let b = dom::button(
                doc,
                &li,
                "Problems",
                &format!("Show the problems found in {}", p.name),
                &[("data-rl", "pack-problems")],
            )?;
            let (id, name) = (p.id.clone(), p.name.clone());
            ls.push(on(&b, "click", weak, move |state, _| {
                spawn_local(show_problems(state, id.clone(), name.clone()))
            }));
        }
        let remove = dom::button(
            doc,
            &li,
            "Remove",
            &format!("Remove {}", p.name),
            &[("data-rl", "pack-remove")],
        )?;
        let id = p.id.clone();
        ls.push(on(&remove, "click", weak, move |state, _| {
            let id = id.clone();
            spawn_local(async move {
                let (host, mut next) = {
                    let s = state.borrow();
                    (s.host.clone(), s.settings.clone())
                };
                let name = next
                    .packs
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                next.packs.retain(|p| p.id != id);
                let result = host_call(
                    &host,
                    "removePack",
                    &[
                        JsValue::from_str(&id),
                        JsValue::from_str(&settings_json(&next)),
                    ],
                )
                .await;
                {
                    let mut s = state.borrow_mut();
                    match result {
                        Ok(_) => {
                            s.settings = next;
                            s.message = Some(("ok", format!("Removed {name}.")));
                        }
                        Err(e) => {
                            s.message = Some(("error", format!("{name} could not be removed: {e}")))
                        }
                    }
                }
                let _ = render(&state);
            });
        }));
    }

    let pick = dom::child(doc, &sec, "div", &[("class", "pick")])?;
    let folder = file_input(doc, &pick, "import-folder", "Import a folder…", true, "")?;
    let files = file_input(
        doc,
        &pick,
        "import-files",
        "Import pages or pack files…",
        false,
        ".md,.json,text/markdown,application/json",
    )?;
    for input in [folder, files] {
        ls.push(on(&input, "change", weak, |state, e| {
            let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            let (files, folder) = picked_files(&input);
            input.set_value("");
            if !files.is_empty() {
                spawn_local(import(state, files, folder));
            }
        }));
    }

    if let Some(r) = &s.report {
        let div = dom::child(
            doc,
            &sec,
            "div",
            &[
                ("data-rl", "import-report"),
                ("data-status", r.status),
                ("role", "status"),
            ],
        )?;
        dom::text_child(doc, &div, "p", &[("data-rl", "import-summary")], &r.summary)?;
        if !r.problems.is_empty() {
            let ul = dom::child(doc, &div, "ul", &[("data-rl", "import-problems")])?;
            for p in &r.problems {
                dom::rich_text(doc, &dom::child(doc, &ul, "li", &[])?, p)?;
            }
        }
    }
    Ok(())
}

/// Asks for the host permission of `url` now (inside the click), then downloads.
fn allow_and_refresh(state: Rc<RefCell<State>>, url: String, add: Option<PackUrl>) {
    let Some(pattern) = PackUrl::origin_pattern(&url) else {
        return;
    };
    let host = state.borrow().host.clone();
    let asked = host_start(&host, "requestOrigin", &[JsValue::from_str(&pattern)]);
    let adding = add.is_some();
    spawn_local(async move {
        let granted = match asked {
            Ok(p) => JsFuture::from(p)
                .await
                .map(|v| v.is_truthy())
                .map_err(|e| describe(&e)),
            Err(e) => Err(e),
        };
        match granted {
            Ok(true) => {}
            Ok(false) | Err(_) => {
                let why = granted.err().map(|e| format!(" ({e})")).unwrap_or_default();
                let what = if add.is_some() {
                    "Not added"
                } else {
                    "Not allowed"
                };
                state.borrow_mut().message = Some((
                    "error",
                    format!("{what}: Runbook Lens was not allowed to reach {pattern}{why}."),
                ));
                let _ = render(&state);
                return;
            }
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
    let result = host_call(&host, "refreshPackUrls", &[JsValue::from_bool(force)]).await;
    {
        let mut s = state.borrow_mut();
        match result.map(|v| {
            v.as_string()
                .and_then(|j| serde_json::from_str::<BTreeMap<String, PackUrlStatus>>(&j).ok())
        }) {
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
    let _ = render(&state);
}

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
                (Some(p), Some(t)) => format!(
                    "{p} page{} downloaded {}.",
                    if p == 1 { "" } else { "s" },
                    when(t)
                ),
                _ => "Nothing downloaded yet.".to_string(),
            };
            match &s.error {
                Some(e) => ("error", format!("{stored} Last try failed: {e}.")),
                None => ("ok", stored),
            }
        }
    }
}

fn render_pack_urls(
    s: &State,
    doc: &Document,
    root: &Element,
    weak: &Weak<RefCell<State>>,
    ls: &mut Vec<EventListener>,
) -> Result<(), JsValue> {
    let sec = section(
        doc,
        root,
        "pack-urls",
        "Pack URLs",
        "A pack file your organisation publishes (made by `runbook-lens pack`), downloaded by the extension and refreshed on a schedule. Adding one asks your permission for the extension to reach that site; nothing else is fetched from it.",
    )?;
    let locked = s.managed.pack_urls.is_some();
    let urls = s.settings.effective_pack_urls(&s.managed);
    let list = dom::child(doc, &sec, "ul", &[("data-rl", "pack-url-list")])?;
    if locked {
        list.set_attribute("data-locked", "true")?;
    }
    if urls.is_empty() {
        dom::text_child(doc, &list, "li", &[("class", "empty")], "No pack URLs.")?;
    }
    for u in &urls {
        let li = dom::child(
            doc,
            &list,
            "li",
            &[("data-rl", "pack-url"), ("data-url", &u.url)],
        )?;
        dom::text_child(doc, &li, "code", &[("data-rl", "pack-url-address")], &u.url)?;
        dom::text_child(
            doc,
            &li,
            "span",
            &[("data-rl", "pack-url-every")],
            &format!(" every {} h", u.refresh_hours),
        )?;
        let st = s.url_status.get(&u.url);
        let (kind, text) = url_status_text(st);
        dom::text_child(
            doc,
            &li,
            "small",
            &[("data-rl", "pack-url-status"), ("data-status", kind)],
            &text,
        )?;
        if kind == "permission" {
            let b = dom::button(
                doc,
                &li,
                "Allow access",
                &format!("Allow Runbook Lens to download {}", u.url),
                &[("data-rl", "pack-url-allow")],
            )?;
            let url = u.url.clone();
            ls.push(on(&b, "click", weak, move |state, _| {
                allow_and_refresh(state, url.clone(), None)
            }));
        }
        let b = dom::button(
            doc,
            &li,
            "Refresh now",
            &format!("Download {} now", u.url),
            &[("data-rl", "pack-url-refresh")],
        )?;
        let url = u.url.clone();
        ls.push(on(&b, "click", weak, move |state, _| {
            spawn_local(refresh_urls(state, url.clone(), true))
        }));
        if !locked {
            let b = dom::button(
                doc,
                &li,
                "Remove",
                &format!("Remove {}", u.url),
                &[("data-rl", "pack-url-remove")],
            )?;
            let url = u.url.clone();
            ls.push(on(&b, "click", weak, move |state, _| {
                let mut next = state.borrow().settings.clone();
                next.pack_urls.retain(|p| p.url != url);
                spawn_local(save(state, next, format!("Removed {url}.")));
            }));
        }
    }
    if locked {
        locked_badge(doc, &sec)?;
        return Ok(());
    }
    let form = dom::child(
        doc,
        &sec,
        "div",
        &[("class", "add"), ("data-rl", "pack-url-form")],
    )?;
    let input = dom::child(
        doc,
        &form,
        "input",
        &[
            ("type", "url"),
            ("data-rl", "pack-url-input"),
            ("aria-label", "Pack file URL"),
            ("placeholder", "https://runbooks.example.com/team.pack.json"),
        ],
    )?;
    let hours = dom::child(
        doc,
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
        let o = dom::text_child(doc, &hours, "option", &[("value", &h.to_string())], label)?;
        if h == 24 {
            o.set_attribute("selected", "")?;
        }
    }
    let add = dom::button(
        doc,
        &form,
        "Add",
        "Add the pack URL",
        &[("data-rl", "pack-url-add")],
    )?;
    ls.push(on(&add, "click", weak, move |state, _| {
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
            state.borrow_mut().message = Some(("error", format!("Not added: {p}")));
            let _ = render(&state);
            return;
        }
        allow_and_refresh(state, url.clone(), Some(PackUrl { url, refresh_hours }));
    }));
    Ok(())
}

fn render_site(
    s: &State,
    doc: &Document,
    root: &Element,
    weak: &Weak<RefCell<State>>,
    ls: &mut Vec<EventListener>,
) -> Result<(), JsValue> {
    let sec = section(doc, root, "site", "Runbook site", "The base URL of the published runbook site: a page's front matter `link` is appended to it, so the panel links to the page.")?;
    let locked = s.managed.site_base_url.is_some();
    let value = s
        .managed
        .site_base_url
        .clone()
        .or_else(|| s.settings.site_base_url.clone())
        .unwrap_or_default();
    let row = dom::child(doc, &sec, "div", &[("class", "row")])?;
    let input = dom::child(
        doc,
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
        i.set_value(&value);
    }
    if locked {
        input.set_attribute("disabled", "")?;
        input.set_attribute("data-locked", "true")?;
        locked_badge(doc, &sec)?;
        return Ok(());
    }
    let b = dom::button(
        doc,
        &row,
        "Save",
        "Save the runbook site base URL",
        &[("data-rl", "site-save")],
    )?;
    let field = input.clone();
    ls.push(on(&b, "click", weak, move |state, _| {
        let v = input_value(&field).trim().to_string();
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
    }));
    Ok(())
}

/// The log search link the panel would build for the sample alert in `region` with
/// `template`, or why there is none.
fn preview(region: &str, template: &str) -> Result<String, String> {
    let field = format!("log_search_urls.{region}");
    check_log_template(&field, template).map_err(|e| e.message)?;
    let shown_region = if region == "*" { "eu-de" } else { region };
    let mut config = Config::default();
    config
        .log_search_urls
        .insert(region.to_string(), template.to_string());
    let text = SAMPLE_ALERT.replace(SAMPLE_REGION, shown_region);
    let e = explain(&crate::builtin::pack(), &text, None, &config, &[]);
    e.alerts
        .first()
        .and_then(|a| a.matches.first())
        .and_then(|m| m.log_search.url.clone())
        .ok_or_else(|| "the sample alert found no log search".to_string())
}

fn show_preview(
    doc: &Document,
    parent: &Element,
    region: &str,
    template: &str,
) -> Result<(), JsValue> {
    parent.set_text_content(None);
    match preview(region, template) {
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

fn render_logs(
    s: &State,
    doc: &Document,
    root: &Element,
    weak: &Weak<RefCell<State>>,
    ls: &mut Vec<EventListener>,
) -> Result<(), JsValue> {
    let sec = section(
        doc,
        root,
        "logs",
        "Log search",
        "Per region (as the alert's `region` or `crn_region` names it; `*` for any other region), the URL of your log tool with `{query}` where the search goes and optionally `{region}`. The panel then turns the runbook's query into an Open search link.",
    )?;
    let locked = s.managed.log_search_urls.is_some();
    let templates = s
        .managed
        .log_search_urls
        .clone()
        .unwrap_or_else(|| s.settings.log_search_urls.clone());
    let table = dom::child(doc, &sec, "table", &[("data-rl", "log-templates")])?;
    if locked {
        table.set_attribute("data-locked", "true")?;
    }
    if templates.is_empty() {
        dom::text_child(
            doc,
            &table,
            "caption",
            &[("class", "empty")],
            "No log search templates yet.",
        )?;
    }
    for (region, template) in &templates {
        let tr = dom::child(
            doc,
            &table,
            "tr",
            &[("data-rl", "log-template"), ("data-region", region)],
        )?;
        dom::text_child(
            doc,
            &tr,
            "th",
            &[("data-rl", "log-template-region")],
            region,
        )?;
        let td = dom::child(doc, &tr, "td", &[])?;
        dom::text_child(
            doc,
            &td,
            "code",
            &[("data-rl", "log-template-url")],
            template,
        )?;
        let p = dom::child(doc, &td, "div", &[("data-rl", "log-preview")])?;
        show_preview(doc, &p, region, template)?;
        if !locked {
            let b = dom::button(
                doc,
                &dom::child(doc, &tr, "td", &[])?,
                "Remove",
                &format!("Remove the {region} template"),
                &[("data-rl", "log-remove")],
            )?;
            let region = region.clone();
            ls.push(on(&b, "click", weak, move |state, _| {
                let mut next = state.borrow().settings.clone();
                next.log_search_urls.remove(&region);
                spawn_local(save(state, next, format!("Removed the {region} template.")));
            }));
        }
    }
    if locked {
        locked_badge(doc, &sec)?;
        return Ok(());
    }

    let form = dom::child(
        doc,
        &sec,
        "div",
        &[("class", "add"), ("data-rl", "log-add-form")],
    )?;
    let region = dom::child(
        doc,
        &form,
        "input",
        &[
            ("data-rl", "log-region"),
            ("aria-label", "Region"),
            ("placeholder", "us-south"),
            ("size", "10"),
        ],
    )?;
    let preset = dom::child(
        doc,
        &form,
        "select",
        &[("data-rl", "log-preset"), ("aria-label", "Preset")],
    )?;
    dom::text_child(doc, &preset, "option", &[("value", "")], "Preset…")?;
    for (i, (name, _)) in LOG_PRESETS.iter().enumerate() {
        dom::text_child(doc, &preset, "option", &[("value", &i.to_string())], name)?;
    }
    let url = dom::child(
        doc,
        &form,
        "input",
        &[
            ("type", "url"),
            ("data-rl", "log-url"),
            ("aria-label", "Log search URL template"),
            ("placeholder", "https://…/logs/view?q={query}"),
        ],
    )?;
    let add = dom::button(
        doc,
        &form,
        "Add",
        "Add the log search template",
        &[("data-rl", "log-add")],
    )?;
    let live = dom::child(doc, &sec, "div", &[("data-rl", "log-add-preview")])?;

    let (url2, region2, live2, doc2) = (url.clone(), region.clone(), live.clone(), doc.clone());
    let refresh = move || {
        let r = input_value(&region2).trim().to_string();
        let t = input_value(&url2).trim().to_string();
        if t.is_empty() {
            live2.set_text_content(None);
        } else {
            let _ = show_preview(&doc2, &live2, if r.is_empty() { "*" } else { &r }, &t);
        }
    };
    let refresh = Rc::new(refresh);
    let (url3, r1) = (url.clone(), refresh.clone());
    ls.push(on(&preset, "change", weak, move |_, e| {
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
    }));
    let r2 = refresh.clone();
    ls.push(on(&url, "input", weak, move |_, _| r2()));
    let r3 = refresh;
    ls.push(on(&region, "input", weak, move |_, _| r3()));
    ls.push(on(&add, "click", weak, move |state, _| {
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
    }));
    Ok(())
}

fn render_remembered(
    s: &State,
    doc: &Document,
    root: &Element,
    weak: &Weak<RefCell<State>>,
    ls: &mut Vec<EventListener>,
) -> Result<(), JsValue> {
    let sec = section(
        doc,
        root,
        "remembered",
        "Remembered values",
        "Values you saved in the panel for placeholders the alert cannot fill (`<account>`, `<resource_group>`…), per environment or carrier. The panel fills them in on the next incident there.",
    )?;
    let table = dom::child(doc, &sec, "table", &[("data-rl", "remembered-list")])?;
    if s.settings.remembered.is_empty() {
        dom::text_child(
            doc,
            &table,
            "caption",
            &[("class", "empty")],
            "Nothing remembered yet: use Remember next to a value in the panel.",
        )?;
    }
    for (i, r) in s.settings.remembered.iter().enumerate() {
        let tr = dom::child(
            doc,
            &table,
            "tr",
            &[
                ("data-rl", "remembered-value"),
                ("data-name", &r.name),
                ("data-scope", &r.scope.label()),
            ],
        )?;
        dom::text_child(
            doc,
            &tr,
            "td",
            &[("data-rl", "remembered-scope")],
            &r.scope.label(),
        )?;
        dom::text_child(
            doc,
            &tr,
            "td",
            &[("data-rl", "remembered-name")],
            &format!("<{}>", r.name),
        )?;
        let td = dom::child(doc, &tr, "td", &[])?;
        let input = dom::child(
            doc,
            &td,
            "input",
            &[
                ("data-rl", "remembered-input"),
                (
                    "aria-label",
                    &format!("Value of <{}> for {}", r.name, r.scope.label()),
                ),
                ("spellcheck", "false"),
            ],
        )?;
        if let Some(inp) = input.dyn_ref::<HtmlInputElement>() {
            inp.set_value(&r.value);
        }
        let actions = dom::child(doc, &tr, "td", &[])?;
        let save_b = dom::button(
            doc,
            &actions,
            "Save",
            &format!("Save <{}> for {}", r.name, r.scope.label()),
            &[("data-rl", "remembered-save")],
        )?;
        let del = dom::button(
            doc,
            &actions,
            "Delete",
            &format!("Forget <{}> for {}", r.name, r.scope.label()),
            &[("data-rl", "remembered-delete")],
        )?;
        let (item, field) = (r.clone(), input.clone());
        ls.push(on(&save_b, "click", weak, move |state, _| {
            let v = input_value(&field);
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
        }));
        let item = r.clone();
        ls.push(on(&del, "click", weak, move |state, _| {
            let mut next = state.borrow().settings.clone();
            next.remembered.retain(|x| *x != item);
            spawn_local(save(
                state,
                next,
                format!("Forgot <{}> for {}.", item.name, item.scope.label()),
            ));
        }));
    }
    Ok(())
}

fn render_transfer(
    s: &State,
    doc: &Document,
    root: &Element,
    weak: &Weak<RefCell<State>>,
    ls: &mut Vec<EventListener>,
) -> Result<(), JsValue> {
    let sec = section(
        doc,
        root,
        "transfer",
        "Export and import",
        "All settings as one JSON file: templates, runbook site, remembered values and which packs are on. Pack contents are not in it; import those as pack files.",
    )?;
    let row = dom::child(doc, &sec, "div", &[("class", "row")])?;
    let export = dom::button(
        doc,
        &row,
        "Export settings",
        "Download all settings as a JSON file",
        &[("data-rl", "export")],
    )?;
    let host = s.host.clone();
    ls.push(on(&export, "click", weak, move |state, _| {
        let text = state.borrow().settings.export();
        let host = host.clone();
        spawn_local(async move {
            if let Err(e) = host_call(
                &host,
                "download",
                &[
                    JsValue::from_str("runbook-lens-settings.json"),
                    JsValue::from_str(&text),
                ],
            )
            .await
            {
                state.borrow_mut().message = Some(("error", format!("Export failed: {e}")));
                let _ = render(&state);
            }
        });
    }));
    let input = file_input(
        doc,
        &row,
        "import-settings",
        "Import settings…",
        false,
        ".json,application/json",
    )?;
    if let Some(i) = input.dyn_ref::<HtmlInputElement>() {
        i.set_multiple(false);
    }
    ls.push(on(&input, "change", weak, |state, e| {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let file = input.files().and_then(|l| l.item(0));
        input.set_value("");
        if let Some(file) = file {
            spawn_local(import_settings(state, file));
        }
    }));
    if !s.managed.locked().is_empty() {
        let names: Vec<String> = s
            .managed
            .locked()
            .iter()
            .map(|f| format!("`{f}`"))
            .collect();
        let p = dom::child(
            doc,
            &sec,
            "p",
            &[("class", "intro"), ("data-rl", "locked-summary")],
        )?;
        dom::rich_text(doc, &p, &format!("Your organisation's policy sets {}; imported values for those are kept but not used.", names.join(", ")))?;
    }
    Ok(())
}
