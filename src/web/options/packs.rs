//! The "Runbook packs" section: the built-in pack on or off, the imported packs (on, off,
//! their problems, remove), the import buttons and the last import's report.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;
use web_sys::Element;

use super::{event_input, finish, import, plural, save, Ctx, Report, State};
use crate::pack::Pack;
use crate::settings::PackEntry;

pub(super) fn render(cx: &mut Ctx) -> Result<(), JsValue> {
    let sec = cx.section(
        "packs",
        "Runbook packs",
        "Your team's runbooks: a folder of markdown pages, single `.md` pages, or pack files made by `runbook-lens pack <folder> -o <file>`. The panel matches alerts against every enabled pack.",
    )?;
    let settings = &cx.s.settings;
    let builtin = cx.checkbox(
        &sec,
        "builtin-pack",
        settings.builtin_pack_on(&cx.s.managed),
        " Use the built-in example pack",
    )?;
    if !settings.builtin_pack_chosen && settings.has_team_packs(&cx.s.managed) {
        // Said beside the checkbox, so that nobody wonders where the example went.
        cx.text_child(
            &sec,
            "p",
            &[("data-rl", "builtin-pack-note"), ("class", "intro")],
            "Off since your team's runbooks are here: the example would compete with them for the same alerts. Tick it to use the example as well.",
        )?;
    }
    cx.on(&builtin, "change", |state, e| {
        let on = event_input(e).is_some_and(|i| i.checked());
        let mut next = state.borrow().settings.clone();
        next.builtin_pack = on;
        next.builtin_pack_chosen = true;
        spawn_local(save(
            state,
            next,
            if on {
                "The built-in example pack is on.".into()
            } else {
                "The built-in example pack is off.".into()
            },
        ));
    });

    let list = cx.child(&sec, "ul", &[("data-rl", "pack-list")])?;
    if cx
        .s
        .settings
        .packs
        .iter()
        .any(|p| !cx.s.sizes.contains_key(&p.id))
    {
        if let Some(state) = cx.weak.upgrade() {
            spawn_local(ask_sizes(state));
        }
    }
    if cx.s.settings.packs.is_empty() {
        cx.text_child(&list, "li", &[("class", "empty")], "No packs imported yet.")?;
    }
    for p in &cx.s.settings.packs {
        render_pack(cx, &list, p)?;
    }

    let pick = cx.child(&sec, "div", &[("class", "pick")])?;
    let folder = cx.file_input(&pick, "import-folder", "Import a folder…", true, "")?;
    let files = cx.file_input(
        &pick,
        "import-files",
        "Import pages or pack files…",
        false,
        ".md,.rlpack,.json,text/markdown,application/json",
    )?;
    for input in [folder, files] {
        cx.on(&input, "change", |state, e| {
            let Some(input) = event_input(e) else {
                return;
            };
            let (files, folder) = import::picked_files(&input);
            input.set_value("");
            if !files.is_empty() {
                spawn_local(import::import(state, files, folder));
            }
        });
    }
    if let Some(r) = &cx.s.report {
        render_report(cx, &sec, r)?;
    }
    Ok(())
}

/// One imported pack: on or off, its name, pages and problems, where it came from.
fn render_pack(cx: &mut Ctx, list: &Element, p: &PackEntry) -> Result<(), JsValue> {
    let li = cx.child(list, "li", &[("data-rl", "pack"), ("data-pack-id", &p.id)])?;
    let enabled = cx.checkbox(&li, "pack-enabled", p.enabled, "")?;
    enabled.set_attribute("aria-label", &format!("Use {}", p.name))?;
    cx.text_child(&li, "strong", &[("data-rl", "pack-name")], &p.name)?;
    let pages = format!(
        " {} page{}, {} problem{}",
        import::thousands(p.pages),
        plural(p.pages, "s"),
        p.problems,
        plural(p.problems, "s")
    );
    let pages = cx.text_child(
        &li,
        "span",
        &[
            ("data-rl", "pack-pages"),
            ("data-pages", &p.pages.to_string()),
        ],
        &pages,
    )?;
    if let Some(Some(bytes)) = cx.s.sizes.get(&p.id) {
        cx.text_child(
            &pages,
            "span",
            &[("data-rl", "pack-size"), ("data-bytes", &bytes.to_string())],
            &format!(", {} stored", size_text(*bytes)),
        )?;
    }
    if !p.source.is_empty() {
        cx.text_child(&li, "small", &[("data-rl", "pack-source")], &p.source)?;
    }
    let id = p.id.clone();
    cx.on(&enabled, "change", move |state, e| {
        let on = event_input(e).is_some_and(|i| i.checked());
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
    });
    if p.problems > 0 {
        let b = cx.button(
            &li,
            "Problems",
            &format!("Show the problems found in {}", p.name),
            &[("data-rl", "pack-problems")],
        )?;
        let (id, name) = (p.id.clone(), p.name.clone());
        cx.on(&b, "click", move |state, _| {
            spawn_local(show_problems(state, id.clone(), name.clone()))
        });
    }
    let remove = cx.button(
        &li,
        "Remove",
        &format!("Remove {}", p.name),
        &[("data-rl", "pack-remove")],
    )?;
    let id = p.id.clone();
    cx.on(&remove, "click", move |state, _| {
        spawn_local(remove_pack(state, id.clone()))
    });
    Ok(())
}

/// Asks the host what the listed packs whose size is not known take in storage, then shows it.
/// Each pack is asked once: a size that cannot be read is left out of the list.
async fn ask_sizes(state: Rc<RefCell<State>>) {
    let (host, ids) = {
        let mut s = state.borrow_mut();
        let ids: Vec<String> = s
            .settings
            .packs
            .iter()
            .map(|p| p.id.clone())
            .filter(|id| !s.sizes.contains_key(id))
            .collect();
        for id in &ids {
            s.sizes.insert(id.clone(), None);
        }
        (s.host.clone(), ids)
    };
    if ids.is_empty() {
        return;
    }
    let Ok(sizes) = host.pack_sizes(&ids).await else {
        return;
    };
    {
        let mut s = state.borrow_mut();
        for (id, bytes) in ids.into_iter().zip(sizes) {
            s.sizes.insert(id, Some(bytes).filter(|b| *b > 0));
        }
        // While an import runs, the page is rebuilt when it ends.
        if s.busy.is_some() {
            return;
        }
    }
    let _ = super::render(&state);
}

/// `bytes` for people: `840 KB`, `12.4 MB`.
fn size_text(bytes: u64) -> String {
    const MB: u64 = 1 << 20;
    if bytes < MB {
        format!("{} KB", bytes.div_ceil(1 << 10))
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    }
}

/// Removes the pack `id`: the settings that no longer list it, then its data.
async fn remove_pack(state: Rc<RefCell<State>>, id: String) {
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
    let result = host.remove_pack(&id, &next).await;
    {
        let mut s = state.borrow_mut();
        match result {
            Ok(()) => {
                s.settings = next;
                s.message = Some(("ok", format!("Removed {name}.")));
            }
            Err(e) => s.message = Some(("error", format!("{name} could not be removed: {e}"))),
        }
    }
    let _ = super::render(&state);
}

/// The last import's report: a summary and every problem, one line each.
fn render_report(cx: &Ctx, sec: &Element, r: &Report) -> Result<(), JsValue> {
    let div = cx.child(
        sec,
        "div",
        &[
            ("data-rl", "import-report"),
            ("data-status", r.status),
            ("role", "status"),
        ],
    )?;
    cx.text_child(&div, "p", &[("data-rl", "import-summary")], &r.summary)?;
    if !r.problems.is_empty() {
        let ul = cx.child(&div, "ul", &[("data-rl", "import-problems")])?;
        for p in &r.problems {
            super::dom::rich_text(cx.doc, &cx.child(&ul, "li", &[])?, p)?;
        }
    }
    Ok(())
}

/// Every problem of a pack's pages, one line each: `file:line: severity: message (fix)`.
pub(super) fn problem_lines(pack: &Pack) -> Vec<String> {
    (0..pack.len())
        .filter_map(|doc| pack.page(doc))
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
    let report = match host.load_pack(&id).await {
        Err(e) => Report {
            status: "error",
            summary: format!("{name} could not be read from storage: {e}"),
            problems: Vec::new(),
        },
        Ok(bytes) => match Pack::from_bytes(&name, &bytes) {
            Err(e) => Report {
                status: "error",
                summary: e.to_string(),
                problems: Vec::new(),
            },
            Ok(pack) => {
                let problems = problem_lines(&pack);
                Report {
                    status: if problems.is_empty() { "ok" } else { "partial" },
                    summary: format!("{name}: {} pages, {} problems.", pack.len(), problems.len()),
                    problems,
                }
            }
        },
    };
    finish(&state, report);
}
