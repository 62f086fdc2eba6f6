//! Live text: the command steps and the log query the panel shows, refilled from the alert,
//! the pasted log lines (and what extraction rules read from them) and the values the user
//! types, with a warning on a value that looks wrong.

use wasm_bindgen::JsValue;
use web_sys::{Element, HtmlAnchorElement};

use super::render::RenderCtx;
use super::State;
use crate::alert::Alert;
use crate::guidance::{log_fields, step_warnings, AlertGuidance, Values};
use crate::placeholder::{fill, Filled, Syntax};
use crate::text::normalize_key;
use crate::web::dom;

/// A command step (or the log query) shown in the panel, refilled as the user types values.
pub(super) struct LiveText {
    pub(super) alert: usize,
    pub(super) template: String,
    pub(super) syntax: Syntax,
    pub(super) code: Element,
    /// For the log query: the "Open search" link, whose URL follows the query.
    pub(super) open: Option<HtmlAnchorElement>,
    /// Where a warning about a suspicious value is shown (a step's `<li>`).
    pub(super) warn: Option<Element>,
}

/// The alert of an explanation, rebuilt for filling placeholders.
pub(super) fn alert_of(g: &AlertGuidance) -> Alert {
    Alert {
        title: g.title.clone(),
        fields: g.fields.clone(),
        ..Alert::default()
    }
}

/// The values the user gave for an alert: typed in the panel, then remembered for its
/// environment or carrier.
pub(super) fn user_values(s: &State, alert_index: usize, alert: &Alert) -> Vec<(String, String)> {
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

/// Fills every live text of the alert `alert` (all of them with `None`) with the current values.
pub(super) fn refill(s: &mut State, alert: Option<usize>) {
    let live = std::mem::take(&mut s.live);
    for l in live.iter().filter(|l| alert.is_none_or(|a| l.alert == a)) {
        fill_live(s, l);
    }
    s.live = live;
}

/// Fills one live text with the current values.
fn fill_live(s: &State, live: &LiveText) {
    let Some(e) = &s.explanation else { return };
    let Some(g) = e.alerts.get(live.alert) else {
        return;
    };
    let alert = alert_of(g);
    let user = user_values(s, live.alert, &alert);
    // What the rules read was worked out with the explanation (the page's rules module
    // answered then); the best match's steps are the ones shown.
    let rules = g.matches.first().map_or(&[][..], |m| &m.rule_values[..]);
    let values = Values {
        user: &user,
        log: log_fields(Some(&s.log_line)),
        alert: &alert,
        rules,
    };
    let filled = fill(&live.template, live.syntax, &|k| values.get(k));
    live.code.set_text_content(Some(&filled.text));
    let _ = live
        .code
        .set_attribute("data-unresolved", &filled.unresolved.len().to_string());
    if let Some(li) = &live.warn {
        show_warnings(s, li, &filled);
    }
    if let Some(a) = &live.open {
        let region = alert.region();
        // The window `explain` anchored at the alert's time, for templates with `{from}`/`{to}`.
        let window = g.matches.first().and_then(|m| m.log_search.window.as_ref());
        match s
            .config
            .log_search_url_at(region, &filled.text, window.map(|w| (w.from, w.to)))
            .filter(|_| filled.unresolved.is_empty())
        {
            Some(url) => {
                a.set_href(&url);
                a.set_hidden(false);
                // Each alert searches its own region: say which, when a template is set for it
                // (a `*` template may not search by region at all).
                let label = match region.filter(|r| s.config.log_search_urls.contains_key(*r)) {
                    Some(r) => format!("Open search in {r}"),
                    None => "Open search".to_string(),
                };
                a.set_text_content(Some(&dom::visible(&label)));
            }
            None => a.set_hidden(true),
        }
    }
}

/// Shows on a step's `<li>` what looks wrong in the values filled into it (or nothing).
fn show_warnings(s: &State, li: &Element, filled: &Filled) {
    let warnings = step_warnings(filled);
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

/// Which extraction rule read which value, and where (`log line 1`, `alert`): one line each,
/// under the log search, so a value nobody typed is never a mystery.
pub(super) fn render_rule_values(cx: &RenderCtx) -> Result<(), JsValue> {
    if cx.m.rule_values.is_empty() {
        return Ok(());
    }
    let box_ = dom::child(cx.doc, cx.section, "div", &[("data-rl", "rule-values")])?;
    dom::text_child(cx.doc, &box_, "h4", &[], "Read by rules")?;
    let list = dom::child(cx.doc, &box_, "ul", &[])?;
    for v in &cx.m.rule_values {
        dom::text_child(
            cx.doc,
            &list,
            "li",
            &[("data-rl", "rule-value"), ("data-name", &v.name)],
            &format!(
                "<{}> = {} — from rule `{}` ({})",
                v.name, v.value, v.rule, v.source
            ),
        )?;
    }
    Ok(())
}
