//! Live text: the command steps and the log query the panel shows, refilled from the alert,
//! the pasted log line and the values the user types, with a warning on a value that looks
//! wrong.

use web_sys::{Element, HtmlAnchorElement};

use super::State;
use crate::alert::{log_line_fields, Alert};
use crate::guidance::{step_warnings, AlertGuidance, Values};
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
        show_warnings(s, li, &filled);
    }
    if let Some(a) = &live.open {
        let region = alert.region();
        match s
            .config
            .log_search_url(region, &filled.text)
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
