//! Importing packs: the files picked in the "Runbook packs" section (a folder of markdown
//! pages, single pages, pack files) are read, parsed and checked, and only then stored, each
//! pack in one write with the settings that list it. A team's whole site (10,000 pages) is
//! read and parsed in batches, the page's status line saying how far it got, with a pause
//! between batches so that the page paints and answers input meanwhile.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, HtmlInputElement};

use super::host::describe;
use super::packs::problem_lines;
use super::{finish, plural, set_busy, Report, State};
use crate::pack::{Pack, MAX_PACK_BYTES};
use crate::runbook::parse_runbook;
use crate::settings::{PackEntry, Settings};

/// Files read at once (their promises awaited together).
const READ_BATCH: usize = 250;
/// Pages parsed between two pauses: a few tens of milliseconds of work in the browser.
const PARSE_BATCH: usize = 100;

#[wasm_bindgen]
extern "C" {
    /// A picked `File`, for the one property web-sys leaves out.
    #[wasm_bindgen(extends = File)]
    type PickedFile;

    /// The file's path inside the picked folder, starting with the folder's name; empty
    /// when files rather than a folder were picked.
    #[wasm_bindgen(method, getter, js_name = webkitRelativePath)]
    fn webkit_relative_path(this: &PickedFile) -> Option<String>;
}

/// A file the user picked: its path inside the picked folder (or its name) and the file.
pub(super) struct Picked {
    path: String,
    file: File,
}

/// The files picked in `input`, and the picked folder's name when a folder was picked.
pub(super) fn picked_files(input: &HtmlInputElement) -> (Vec<Picked>, Option<String>) {
    let mut out = Vec::new();
    let mut folder = None;
    let Some(list) = input.files() else {
        return (out, folder);
    };
    for i in 0..list.length() {
        let Some(file) = list.item(i) else { continue };
        let rel = file
            .unchecked_ref::<PickedFile>()
            .webkit_relative_path()
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

/// A pack file: `.rlpack` (what `runbook-lens pack` writes, gzip-compressed) or `.json` (the
/// older packs' form).
fn is_pack_file(path: &str) -> bool {
    let path = path.to_ascii_lowercase();
    path.ends_with(".rlpack") || path.ends_with(".json")
}

/// A new pack's storage id: time and randomness, so two imports never collide.
fn new_id() -> String {
    let t = js_sys::Date::now() as u64;
    let r = (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    format!("{t:x}{r:08x}")
}

/// What reading the picked files gave: (path, text) of the pages, (path, bytes, un-gzipped)
/// of the pack files, and what went wrong.
#[derive(Default)]
struct Read {
    pages: Vec<(String, String)>,
    pack_files: Vec<(String, Vec<u8>)>,
    /// Problems that leave a file out of an import that still goes ahead.
    problems: Vec<String>,
    /// Problems that stop the import: nothing is stored.
    fatal: Vec<String>,
    /// Files of a picked folder that are not pages.
    skipped: usize,
}

/// Reads, parses and checks the picked files, then stores the packs they make. The page is
/// busy meanwhile (every control disabled), so a second import cannot start under this one.
pub(super) async fn import(state: Rc<RefCell<State>>, files: Vec<Picked>, folder: Option<String>) {
    if state.borrow().busy.is_some() {
        return;
    }
    let total = files.len();
    progress(
        &state,
        format!("Reading {} file{}…", thousands(total), plural(total, "s")),
    );
    let mut read = read_files(&state, files, folder.is_some()).await;
    let packs = parse(&state, &mut read, folder.as_deref()).await;
    if !read.fatal.is_empty() {
        let report = Report {
            status: "error",
            summary: "Nothing was imported; the packs you had are unchanged.".into(),
            problems: read.fatal.into_iter().chain(read.problems).collect(),
        };
        finish(&state, report);
        return;
    }
    let mut problems = read.problems;
    let loaded = match store(&state, packs, &mut problems).await {
        Ok(loaded) => loaded,
        Err(report) => {
            finish(&state, report);
            return;
        }
    };
    finish(&state, summary(&loaded, read.skipped, problems));
}

/// Says what the import is doing now in the page's status line (`role=status`), changing
/// only its text: rebuilding the page for each batch would cost more than the batch, and a
/// live region that is replaced rather than changed is not announced by screen readers.
fn progress(state: &Rc<RefCell<State>>, text: String) {
    let line = {
        let s = state.borrow();
        let line = s.root.query_selector("[data-rl=\"busy\"]").ok().flatten();
        line.filter(|_| s.busy.is_some())
    };
    match line {
        Some(line) => {
            line.set_text_content(Some(&text));
            state.borrow_mut().busy = Some(text);
        }
        // Not busy until now: the page is rendered once, with every control disabled.
        None => set_busy(state, Some(text)),
    }
}

/// Lets the page paint the progress and answer input before the next batch.
async fn pause(state: &Rc<RefCell<State>>) {
    let host = state.borrow().host.clone();
    host.pause().await;
}

/// `12345` as `12,345`.
pub(super) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Reads the picked files a pack is made of: in a folder, its pages; else pages and pack
/// files. Reads a batch of pages at once, saying how many are read; a pack file is read as
/// bytes and un-gzipped by the host, never more than a pack may have.
async fn read_files(state: &Rc<RefCell<State>>, files: Vec<Picked>, in_folder: bool) -> Read {
    let mut read = Read::default();
    let mut wanted = Vec::new();
    let mut pack_files = Vec::new();
    for p in files {
        if is_md(&p.path) {
            wanted.push(p);
        } else if !in_folder && is_pack_file(&p.path) {
            pack_files.push(p);
        } else if in_folder {
            // A folder holds images, configs, …: only its pages matter.
            read.skipped += 1;
        } else {
            read.fatal.push(format!(
                "{}: not a markdown page (.md) or a pack file (.rlpack, .json)",
                p.path
            ));
        }
    }
    let host = state.borrow().host.clone();
    for p in pack_files {
        progress(state, format!("Reading {}…", p.path));
        match host.unpack_file(&p.file, MAX_PACK_BYTES).await {
            Ok(bytes) => read.pack_files.push((p.path, bytes)),
            Err(e) => read.fatal.push(format!("{}: {e}", p.path)),
        }
    }
    let total = wanted.len();
    let mut done = 0;
    for batch in wanted.chunks(READ_BATCH) {
        if done > 0 {
            progress(
                state,
                format!("Reading {} of {} files…", thousands(done), thousands(total)),
            );
        }
        let texts: js_sys::Array = batch.iter().map(|p| p.file.text()).collect();
        let settled = JsFuture::from(js_sys::Promise::all_settled(&texts)).await;
        let settled = settled.map(|v| js_sys::Array::from(&v)).unwrap_or_default();
        for (i, p) in batch.iter().enumerate() {
            match outcome(&settled.get(i as u32)) {
                Ok(text) => read.pages.push((p.path.clone(), text)),
                Err(e) => read
                    .problems
                    .push(format!("{}: could not be read ({e}); left out", p.path)),
            }
        }
        done += batch.len();
    }
    read
}

/// The text of one `Promise.allSettled` result, or why it was rejected.
fn outcome(result: &JsValue) -> Result<String, String> {
    let field = |name: &str| js_sys::Reflect::get(result, &JsValue::from_str(name));
    let status = field("status").ok().and_then(|s| s.as_string());
    if status.as_deref() == Some("fulfilled") {
        return Ok(field("value")
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default());
    }
    Err(field("reason")
        .map(|r| describe(&r))
        .unwrap_or_else(|_| "no reason given".into()))
}

/// The pack in a pack file's (un-gzipped) bytes, checked: the compact form (version 4) or an
/// older JSON pack, which is stored as version 4.
fn pack_from_file(path: &str, bytes: &[u8]) -> Result<Pack, String> {
    Pack::from_bytes(path, bytes).map_err(|e| e.to_string())
}

/// The packs the files make, each with its source (what importing it again replaces): one
/// per pack file, and one of all the pages, parsed a batch at a time. What does not parse
/// goes to `read.fatal`.
async fn parse(
    state: &Rc<RefCell<State>>,
    read: &mut Read,
    folder: Option<&str>,
) -> Vec<(Pack, String)> {
    let mut packs: Vec<(Pack, String)> = Vec::new();
    for (path, bytes) in &read.pack_files {
        progress(state, format!("Checking {path}…"));
        pause(state).await;
        match pack_from_file(path, bytes) {
            Ok(p) => packs.push((p, path.clone())),
            Err(e) => read.fatal.push(e),
        }
    }
    read.pack_files.clear();
    let mut pages = std::mem::take(&mut read.pages);
    if !pages.is_empty() {
        pages.sort();
        let name = match folder {
            Some(f) => f.to_string(),
            None if pages.len() == 1 => pages[0].0.clone(),
            None => format!("{} pages", pages.len()),
        };
        let source = match folder {
            Some(f) => format!("folder {f}"),
            None => pages
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let total = pages.len();
        let mut runbooks = Vec::with_capacity(total);
        for batch in pages.chunks(PARSE_BATCH) {
            progress(
                state,
                format!(
                    "Parsing {} of {} pages…",
                    thousands(runbooks.len()),
                    thousands(total)
                ),
            );
            pause(state).await;
            runbooks.extend(batch.iter().map(|(p, t)| parse_runbook(p, t)));
        }
        drop(pages);
        progress(
            state,
            format!("Indexing {} page{}…", thousands(total), plural(total, "s")),
        );
        pause(state).await;
        packs.push((Pack::from_runbooks(&name, runbooks), source));
    }
    if packs.is_empty() && read.fatal.is_empty() {
        read.fatal.push(match folder {
            Some(f) => format!("{f}: no markdown (.md) pages in this folder; pick the folder that holds the runbook pages"),
            None => "no files picked".to_string(),
        });
    }
    packs
}

/// Stores each pack together with the settings that list it: one write, so a pack is never
/// listed without its data or stored without being listed. The packs an import replaces are
/// removed last, once every new one is stored; when a write fails, the packs this import
/// stored are removed again with the settings as they were, so the page and the storage are
/// as before the import. Says what was loaded, or the report to show.
async fn store(
    state: &Rc<RefCell<State>>,
    packs: Vec<(Pack, String)>,
    problems: &mut Vec<String>,
) -> Result<Vec<String>, Report> {
    let (host, before) = {
        let s = state.borrow();
        (s.host.clone(), s.settings.clone())
    };
    let mut stored: Vec<String> = Vec::new();
    let mut replaced: Vec<String> = Vec::new();
    let mut loaded = Vec::new();
    for (pack, source) in packs {
        let lines = problem_lines(&pack);
        let count = lines.len();
        let id = new_id();
        let mut next = state.borrow().settings.clone();
        // Importing the same folder or file again replaces the pack it made before.
        let old: Vec<String> = next
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
            pages: pack.len(),
            problems: count,
            source: source.clone(),
        });
        let pages = pack.len();
        progress(
            state,
            format!(
                "Storing {} ({} page{})…",
                pack.name,
                thousands(pages),
                plural(pages, "s")
            ),
        );
        pause(state).await;
        let data = pack.to_bytes();
        let written = if data.len() > MAX_PACK_BYTES {
            Err(format!(
                "it is {} MB, more than the {} MB a pack may have; import the folder as several smaller folders",
                data.len() >> 20,
                MAX_PACK_BYTES >> 20
            ))
        } else {
            host.store_pack(&id, &data, &next).await
        };
        drop(data);
        if let Err(e) = written {
            let undone = undo(state, &stored, &before).await;
            return Err(Report {
                status: "error",
                summary: not_stored(&pack.name, &e, &before, undone),
                problems: std::mem::take(problems),
            });
        }
        problems.extend(lines);
        stored.push(id);
        replaced.extend(old);
        state.borrow_mut().settings = next;
        loaded.push(format!(
            "{} page{} from {}",
            thousands(pages),
            plural(pages, "s"),
            pack.name
        ));
    }
    for old in replaced {
        let keep = state.borrow().settings.clone();
        if let Err(e) = host.remove_pack(&old, &keep).await {
            // Nothing lists it any more: it takes room, but is never loaded.
            problems.push(format!(
                "the copy this import replaced could not be removed from storage ({e}); it is no longer used"
            ));
        }
    }
    Ok(loaded)
}

/// Takes back what an import stored before one of its writes failed: the pack list as it
/// was (the rest of the settings as they are now: another tab may have changed them) and the
/// packs it stored. `Err` says why it could not (the settings then still list those packs,
/// whose data is stored: nothing is listed without its data).
async fn undo(
    state: &Rc<RefCell<State>>,
    stored: &[String],
    before: &Settings,
) -> Result<(), String> {
    let (host, mut back) = {
        let s = state.borrow();
        (s.host.clone(), s.settings.clone())
    };
    back.packs = before.packs.clone();
    for id in stored {
        host.remove_pack(id, &back).await?;
    }
    state.borrow_mut().settings = back;
    Ok(())
}

/// What the page says when a pack could not be stored: the reason, and what stayed as it was.
fn not_stored(name: &str, reason: &str, before: &Settings, undone: Result<(), String>) -> String {
    let n = before.packs.len();
    let kept = match n {
        0 => "you had no packs, and still have none".to_string(),
        1 => "your 1 pack is unchanged".to_string(),
        _ => format!("your {n} packs are unchanged"),
    };
    match undone {
        Ok(()) => format!("{name} could not be stored: {reason}; {kept}. Nothing of this import was kept."),
        Err(e) => format!("{name} could not be stored: {reason}; {kept}, but the packs this import stored before it could not be taken back ({e}) and stay listed."),
    }
}

/// The report of an import that stored every pack.
fn summary(loaded: &[String], skipped: usize, problems: Vec<String>) -> Report {
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
            plural(problems.len(), "s")
        ));
    }
    let status = if problems.is_empty() { "ok" } else { "partial" };
    Report {
        status,
        summary,
        problems,
    }
}
