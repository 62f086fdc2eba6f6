//! Importing packs: the files picked in the "Runbook packs" section (a folder of markdown
//! pages, single pages, pack files) are read, parsed and checked, and only then stored, each
//! pack in one write with the settings that list it.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, HtmlInputElement};

use super::host::describe;
use super::packs::problem_lines;
use super::{finish, plural, set_busy, Report, State};
use crate::pack::Pack;
use crate::settings::PackEntry;

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

fn is_json(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".json")
}

/// A new pack's storage id: time and randomness, so two imports never collide.
fn new_id() -> String {
    let t = js_sys::Date::now() as u64;
    let r = (js_sys::Math::random() * f64::from(u32::MAX)) as u64;
    format!("{t:x}{r:08x}")
}

/// What reading the picked files gave: (path, text) of the pages and of the pack files, and
/// what went wrong.
#[derive(Default)]
struct Read {
    pages: Vec<(String, String)>,
    pack_files: Vec<(String, String)>,
    /// Problems that leave a file out of an import that still goes ahead.
    problems: Vec<String>,
    /// Problems that stop the import: nothing is stored.
    fatal: Vec<String>,
    /// Files of a picked folder that are not pages.
    skipped: usize,
}

/// Reads, parses and checks the picked files, then stores the packs they make.
pub(super) async fn import(state: Rc<RefCell<State>>, files: Vec<Picked>, folder: Option<String>) {
    let total = files.len();
    set_busy(
        &state,
        Some(format!("Reading {total} file{}…", plural(total, "s"))),
    );
    let mut read = read_files(files, folder.is_some()).await;
    set_busy(
        &state,
        Some(format!(
            "Checking {} page{} and {} pack file{}…",
            read.pages.len(),
            plural(read.pages.len(), "s"),
            read.pack_files.len(),
            plural(read.pack_files.len(), "s")
        )),
    );
    let packs = parse(&mut read, folder.as_deref());
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

/// Reads the picked files a pack is made of: in a folder, its pages; else pages and pack files.
async fn read_files(files: Vec<Picked>, in_folder: bool) -> Read {
    let mut read = Read::default();
    for p in files {
        let wanted_md = is_md(&p.path);
        let wanted_json = !in_folder && is_json(&p.path);
        if !wanted_md && !wanted_json {
            if in_folder {
                // A folder holds images, configs, …: only its pages matter.
                read.skipped += 1;
            } else {
                read.fatal.push(format!(
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
                    read.pages.push((p.path, text));
                } else {
                    read.pack_files.push((p.path, text));
                }
            }
            Err(e) => read.problems.push(format!(
                "{}: could not be read ({}); left out",
                p.path,
                describe(&e)
            )),
        }
    }
    read
}

/// The packs the files make, each with its source (what importing it again replaces): one
/// per pack file, and one of all the pages. What does not parse goes to `read.fatal`.
fn parse(read: &mut Read, folder: Option<&str>) -> Vec<(Pack, String)> {
    let mut packs: Vec<(Pack, String)> = Vec::new();
    for (path, text) in &read.pack_files {
        match Pack::from_bytes(path, text.as_bytes()) {
            Ok(p) => packs.push((p, path.clone())),
            Err(e) => read.fatal.push(e.to_string()),
        }
    }
    let pages = &mut read.pages;
    if !pages.is_empty() {
        pages.sort();
        let name = match folder {
            Some(f) => f.to_string(),
            None if pages.len() == 1 => pages[0].0.clone(),
            None => format!("{} pages", pages.len()),
        };
        let pack = Pack::from_pages(&name, pages.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        let source = match folder {
            Some(f) => format!("folder {f}"),
            None => pages
                .iter()
                .map(|(p, _)| p.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        packs.push((pack, source));
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
/// listed without its data or stored without being listed. Says what was loaded, or, when a
/// write fails, the report to show (the packs stored before it stay).
async fn store(
    state: &Rc<RefCell<State>>,
    packs: Vec<(Pack, String)>,
    problems: &mut Vec<String>,
) -> Result<Vec<String>, Report> {
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
            pages: pack.len(),
            problems: count,
            source: source.clone(),
        });
        set_busy(
            state,
            Some(format!("Storing {} ({} pages)…", pack.name, pack.len())),
        );
        if let Err(e) = host.store_pack(&id, &pack.to_bytes(), &next).await {
            return Err(Report {
                status: "error",
                summary: format!(
                    "{} could not be stored ({e}); the packs you had are unchanged.",
                    pack.name
                ),
                problems: std::mem::take(problems),
            });
        }
        state.borrow_mut().settings = next;
        for old in replaced {
            let keep = state.borrow().settings.clone();
            let _ = host.remove_pack(&old, &keep).await;
        }
        loaded.push(format!(
            "{} page{} from {}",
            pack.len(),
            plural(pack.len(), "s"),
            pack.name
        ));
    }
    Ok(loaded)
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
