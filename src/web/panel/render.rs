//! Renders the whole guidance for the current text and log line: the status line, then one
//! section per alert whose parts (scenario, log search, escalation, values, commands,
//! candidates) each come from their own module, all given the same [`RenderCtx`]; the head of
//! each alert (title, where it fires, the title-only notice) comes from [`heading`].

mod heading;

use std::cell::RefCell;
use std::rc::Weak;

use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

use super::live::{alert_of, refill};
use super::{
    candidates, choice, commands, escalation, log_search, scenario, search, values, State,
};
use crate::alert::MAX_TEXT_BYTES;
use crate::guidance::{explain_with, AlertGuidance, Explanation, Extras, Match, TimeContext};
use crate::web::dom;

/// What every part of one alert's guidance is rendered from and into.
pub(super) struct RenderCtx<'a> {
    pub(super) doc: &'a Document,
    /// The alert's `<section>`, which each part appends to.
    pub(super) section: &'a Element,
    /// The alert's index in the explanation (for its typed values and live texts).
    pub(super) alert: usize,
    pub(super) guidance: &'a AlertGuidance,
    /// The runbook that fits best.
    pub(super) m: &'a Match,
    /// The panel's state, for listeners that change it later.
    pub(super) weak: &'a Weak<RefCell<State>>,
}

/// Renders the whole guidance for the current text and log line.
pub(super) fn render(s: &mut State, weak: Weak<RefCell<State>>) -> Result<(), JsValue> {
    s.listeners.clear();
    s.search_listeners.clear();
    s.live.clear();
    s.alerts_box.set_text_content(None);
    let log = (!s.log_line.trim().is_empty()).then(|| s.log_line.clone());
    let rules = super::host::HostRules(&s.host);
    let extras = Extras {
        time: TimeContext {
            page: s.page_time.clone(),
            now: Some(js_sys::Date::now() as i64),
        },
        extractor: &rules,
        picks: &s.picks,
    };
    let e = explain_with(&s.pack, &s.text, log.as_deref(), &s.config, &[], &extras);
    s.values.resize_with(e.alerts.len(), Vec::new);
    let status = status_text(s, &e);
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
        heading::render(&doc, &section, g, alert_of(g).name(), i)?;
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
                search::render(s, &doc, &section, i, &weak, true)?;
            }
            Some(m) => {
                let cx = RenderCtx {
                    doc: &doc,
                    section: &section,
                    alert: i,
                    guidance: g,
                    m,
                    weak: &weak,
                };
                render_match(s, &cx)?;
                search::render(s, &doc, &section, i, &weak, false)?;
            }
        }
    }
    s.explanation = Some(e);
    refill(s, None);
    Ok(())
}

/// The status line above the guidance: how many alerts, what the engine noticed, and the
/// panel's own notices (settings, packs left out) first.
fn status_text(s: &State, e: &Explanation) -> String {
    let mut status = if e.alerts.is_empty() {
        "Waiting for the alert details to appear on the page…".to_string()
    } else if e.alerts.len() == 1 {
        String::new()
    } else {
        format!("{} alerts in this incident.", e.alerts.len())
    };
    // While the page is still rendering there is no alert yet: say so, rather than "no alert".
    if !e.alerts.is_empty() && (s.text.len() > MAX_TEXT_BYTES || !e.notices.is_empty()) {
        status = e.notices.join(" ");
    }
    for n in [&s.choices_notice, &s.pack_notice, &s.notice]
        .into_iter()
        .flatten()
    {
        status = if status.is_empty() {
            n.clone()
        } else {
            format!("{n} {status}")
        };
    }
    status
}

/// One alert's guidance from the runbook that fits it best, part by part, in the order the
/// panel shows them.
fn render_match(s: &mut State, cx: &RenderCtx) -> Result<(), JsValue> {
    runbook_head(cx)?;
    choice::render_note(s, cx)?;
    scenario::render_summary(cx)?;
    log_search::render(s, cx)?;
    escalation::render(cx)?;
    super::live::render_rule_values(cx)?;
    values::render(s, cx)?;
    commands::render(s, cx)?;
    scenario::render_body(s, cx)?;
    candidates::render(s, cx)
}

/// The runbook's link and file, and why it was chosen.
fn runbook_head(cx: &RenderCtx) -> Result<(), JsValue> {
    let (doc, m) = (cx.doc, cx.m);
    let head = dom::child(doc, cx.section, "div", &[("data-rl", "runbook-head")])?;
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
    let why = dom::child(doc, cx.section, "details", &[("data-rl", "why")])?;
    dom::text_child(doc, &why, "summary", &[], "Why this runbook")?;
    let reasons = dom::child(doc, &why, "ul", &[("data-rl", "reasons")])?;
    for r in &m.reasons {
        let li = dom::child(doc, &reasons, "li", &[])?;
        dom::rich_text(doc, &li, r)?;
    }
    Ok(())
}
