//! Guidance: for an alert and a pack, the ranked runbooks and, for each, everything the
//! on-call engineer acts on: scenario, log search, dashboard, escalation, other links, and the
//! command sequences with placeholders filled from the alert. This is also the JSON of
//! `runbook-lens explain --json`, a public interface.
//!
//! - `model`: the answer's types (the JSON).
//! - `commands`: command sequences and their steps.
//! - `hints`: where the runbook says a placeholder's value comes from.
//! - `links`: log search, escalation and the other links.
//! - `place`: where an alert fires, and what its details would add when only its title was read.
//! - `choice`: runbooks chosen by hand for an alert (mappings, and the pick in the panel).

mod choice;
mod commands;
mod hints;
mod links;
mod model;
mod place;
mod window;

pub use choice::{alert_identity, Choice};
pub use commands::{is_command, step_warnings, value_warnings};
pub(crate) use hints::Hints;
pub use model::LogWindow;
pub use model::{
    ActionLink, AlertGuidance, CommandSequence, CommandStep, Escalation, Explanation, LogSearch,
    Match, Place, RuleValue, RunbookRef, Scenario, TitleOnly, ValueWarning,
};
pub use window::TimeContext;

use crate::alert::{
    extract_alerts_with_cap, log_line_fields, truncate, Alert, Field, MAX_ALERTS_READ,
    MAX_TEXT_BYTES,
};
use crate::config::Config;
use crate::matching::{choose_scenario, rank, ScenarioChoice};
use crate::pack::Pack;
use crate::placeholder::Unresolved;
use crate::rules::{default_extractor, read_values, Extractor};
use crate::runbook::Runbook;
use crate::text::normalize_key;

/// How many runbooks `explain` lists per alert.
pub const MAX_MATCHES: usize = 5;

/// How many alerts of one text `explain` explains; an incident rarely groups more, and hostile
/// text must not make the panel render thousands.
pub const MAX_ALERTS: usize = 20;

/// Values available to fill placeholders, in priority order: what the user typed, what
/// extraction rules read from the log lines, the log lines' own fields (JSON, `key=value`),
/// what rules read from the alert's text, the alert's fields.
pub struct Values<'a> {
    pub user: &'a [(String, String)],
    pub log: Vec<Field>,
    pub alert: &'a Alert,
    pub rules: &'a [RuleValue],
}

impl Values<'_> {
    pub fn get(&self, key: &str) -> Option<String> {
        if let Some((_, v)) = self
            .user
            .iter()
            .find(|(k, v)| normalize_key(k) == key && !v.is_empty())
        {
            return Some(v.clone());
        }
        let rule = |from_log: bool| {
            self.rules
                .iter()
                .find(|r| (r.source != "alert") == from_log && normalize_key(&r.name) == key)
                .map(|r| r.value.clone())
        };
        if let Some(v) = rule(true) {
            return Some(v);
        }
        if let Some(f) = self.log.iter().find(|f| {
            normalize_key(&f.key) == key
                || f.key
                    .rsplit('.')
                    .next()
                    .is_some_and(|l| normalize_key(l) == key)
        }) {
            return Some(f.value.clone());
        }
        if let Some(v) = rule(false) {
            return Some(v);
        }
        self.alert.lookup(key).map(str::to_string)
    }
}

/// Explains `text` against `pack`: alerts, matches, guidance. `log_line` is the pasted log
/// text, one or more lines. Extraction rules run with this build's regex engine, if any. Log
/// search links whose template has `{from}`/`{to}` are anchored at the alert's or the log
/// line's time only (see [`explain_at`]). A mapping of `config.choices` that applies to an
/// alert puts its runbook first.
pub fn explain(
    pack: &Pack,
    text: &str,
    log_line: Option<&str>,
    config: &Config,
    user_values: &[(String, String)],
) -> Explanation {
    explain_with(
        pack,
        text,
        log_line,
        config,
        user_values,
        &Extras::default(),
    )
}

/// What the panel and the CLI add to [`explain`]: the page's time and now (for log search
/// windows), the engine extraction rules run on, and runbooks picked by hand.
pub struct Extras<'a> {
    pub time: TimeContext,
    pub extractor: &'a dyn Extractor,
    /// (alert index, runbook file): a picked runbook comes first for its alert, before any
    /// mapping, whether it fits or not.
    pub picks: &'a [(usize, String)],
}

impl Default for Extras<'_> {
    fn default() -> Self {
        Extras {
            time: TimeContext::default(),
            extractor: default_extractor(),
            picks: &[],
        }
    }
}

/// [`explain`], with the page's trigger time and the current time for log search windows.
pub fn explain_at(
    pack: &Pack,
    text: &str,
    log_line: Option<&str>,
    config: &Config,
    user_values: &[(String, String)],
    time: &TimeContext,
) -> Explanation {
    let extras = Extras {
        time: time.clone(),
        ..Extras::default()
    };
    explain_with(pack, text, log_line, config, user_values, &extras)
}

/// The fields of each pasted log line (JSON or `key=value`), line by line in order.
pub fn log_fields(log: Option<&str>) -> Vec<Field> {
    let mut out = Vec::new();
    for line in log.unwrap_or("").lines().take(crate::rules::MAX_LOG_LINES) {
        out.append(&mut log_line_fields(line));
    }
    out
}

/// The alerts of `text` that are explained (at most [`MAX_ALERTS`]), and the notices about
/// what was cut: the text beyond [`MAX_TEXT_BYTES`], blocks beyond [`MAX_ALERTS_READ`], alerts
/// beyond [`MAX_ALERTS`].
fn read_alerts(text: &str) -> (Vec<Alert>, Vec<String>) {
    let mut notices = Vec::new();
    if text.len() > MAX_TEXT_BYTES {
        notices.push(format!(
            "The alert text is {} KB; only the first {} KB were read.",
            text.len() / 1024,
            MAX_TEXT_BYTES / 1024
        ));
    }
    let (mut alerts, capped) = extract_alerts_with_cap(truncate(text, MAX_TEXT_BYTES));
    if alerts.is_empty() {
        notices.push("No alert text found.".to_string());
    }
    if capped {
        notices.push(format!(
            "The text shows more than {MAX_ALERTS_READ} alerts; only the first {MAX_ALERTS_READ} were read and the first {MAX_ALERTS} are explained."
        ));
    }
    if alerts.len() > MAX_ALERTS {
        if !capped {
            notices.push(format!(
                "The text shows {} alerts; only the first {MAX_ALERTS} are explained.",
                alerts.len()
            ));
        }
        alerts.truncate(MAX_ALERTS);
    }
    (alerts, notices)
}

/// [`explain`] with everything the caller adds ([`Extras`]).
pub fn explain_with(
    pack: &Pack,
    text: &str,
    log_line: Option<&str>,
    config: &Config,
    user_values: &[(String, String)],
    extras: &Extras,
) -> Explanation {
    let (alerts, mut notices) = read_alerts(text);
    let choices = choice::with_shipped(&config.choices, pack.metas());
    let mut out = Vec::new();
    for (i, alert) in alerts.into_iter().enumerate() {
        let ranked = rank(&pack.index, pack.metas(), &alert, MAX_MATCHES);
        let chosen = choice::chosen_for(&|f| pack.position(f), &alert, i, extras.picks, &choices);
        // (page, score, reasons, chosen-for) of each match to build, the chosen page first.
        let mut picked: Vec<(usize, f32, Vec<String>, Option<String>)> = Vec::new();
        if let Some((doc, reason, name)) = chosen {
            let found = ranked.iter().find(|r| r.doc == doc);
            let mut reasons = vec![reason];
            reasons.extend(found.iter().flat_map(|r| r.reasons.iter().cloned()));
            let score = found.map_or(0.0, |r| r.score);
            picked.push((doc, score, reasons, Some(name.unwrap_or_default())));
        }
        if ranked.first().is_some_and(|r| r.confident) {
            for r in ranked.iter().filter(|r| r.confident) {
                if picked.len() < MAX_MATCHES && !picked.iter().any(|p| p.0 == r.doc) {
                    picked.push((r.doc, r.score, r.reasons.clone(), None));
                }
            }
        }
        // One call of `build_match`, so the wasm holds its body once.
        let mut shown: Vec<(usize, Match)> = picked
            .into_iter()
            .filter_map(|(doc, score, reasons, chosen)| {
                let Some(rb) = pack.page(doc) else {
                    notices.push(damaged(&pack.meta(doc).file));
                    return None;
                };
                let mut m = build_match(
                    rb,
                    &alert,
                    log_line,
                    config,
                    user_values,
                    score,
                    true,
                    reasons,
                    extras.extractor,
                );
                m.chosen = chosen;
                Some((doc, m))
            })
            .collect();
        let log_window = window::log_window(&alert, log_line, &extras.time, config);
        for (_, m) in &mut shown {
            window::apply(
                &mut m.log_search,
                alert.region(),
                config,
                log_window.as_ref(),
            );
        }
        let best = shown
            .first()
            .and_then(|(doc, m)| Some((pack.page(*doc)?, m)));
        let title_only = place::title_only(&alert, best);
        let matches: Vec<Match> = shown.into_iter().map(|(_, m)| m).collect();
        let note = matches.is_empty().then(|| {
            let name = alert.name().map(|n| format!(" for `{n}`")).unwrap_or_default();
            format!("No runbook in the pack fits this alert{name}. Follow your team's escalation policy.")
        });
        out.push(AlertGuidance {
            title: alert.title.clone(),
            fields: alert.fields.clone(),
            matches,
            note,
            place: Place::of(&alert),
            title_only,
        });
    }
    let matches = out.first().map(|a| a.matches.clone()).unwrap_or_default();
    Explanation {
        alerts: out,
        matches,
        notices,
    }
}

/// The notice for a matched page whose bytes in the pack are damaged.
fn damaged(file: &str) -> String {
    format!(
        "The runbook `{file}` matched, but its page in the pack is damaged; import the pack again."
    )
}

/// Builds the full guidance of one runbook for one alert.
#[allow(clippy::too_many_arguments)]
pub fn build_match(
    rb: &Runbook,
    alert: &Alert,
    log_line: Option<&str>,
    config: &Config,
    user_values: &[(String, String)],
    score: f32,
    confident: bool,
    reasons: Vec<String>,
    extractor: &dyn Extractor,
) -> Match {
    let mut patterns = config.extract.clone();
    patterns.extend_from_slice(&rb.front.extract);
    let rule_values = read_values(extractor, &patterns, log_line, &alert.text);
    let values = Values {
        user: user_values,
        log: log_fields(log_line),
        alert,
        rules: &rule_values,
    };
    let resolve = |k: &str| values.get(k);
    let choice = choose_scenario(rb, alert, log_line);
    let scenario = choice.as_ref().map(|c| scenario(rb, c));
    let scenario_note = scenario.is_none().then(|| {
        "No scenario of this runbook names the alert's values; read the actions, and if none applies follow the escalation policy.".to_string()
    });
    let hints = Hints::collect(rb);
    let mut commands = Vec::new();
    for i in command_sections(rb, choice.as_ref()) {
        let s = &rb.sections[i];
        commands::collect_commands(&s.blocks, &s.heading, &resolve, &hints, &mut commands);
    }
    let log_search = links::log_search(rb, &resolve, &hints, alert, config);
    let escalation = links::escalation(rb, config);
    let links = links::action_links(rb, choice.as_ref(), config);
    let unresolved = all_unresolved(&log_search, &commands);
    Match {
        runbook: RunbookRef {
            title: rb.title().to_string(),
            link: rb.front.link.clone(),
            url: rb.front.link.as_deref().and_then(|l| config.runbook_url(l)),
            file: rb.file.clone(),
            service: rb.front.service.clone(),
            kind: rb.front.kind.clone(),
        },
        score,
        confident,
        reasons,
        scenario,
        scenario_note,
        log_search,
        escalation,
        links,
        commands,
        unresolved,
        rule_values,
        chosen: None,
    }
}

/// The chosen section as the match shows it, with the headings above it.
fn scenario(rb: &Runbook, c: &ScenarioChoice) -> Scenario {
    let mut path = Vec::new();
    let mut p = Some(c.section);
    while let Some(i) = p {
        path.insert(0, rb.sections[i].heading.clone());
        p = rb.sections[i].parent;
    }
    Scenario {
        heading: rb.sections[c.section].heading.clone(),
        anchor: rb.sections[c.section].anchor.clone(),
        path,
        reasons: c.reasons.clone(),
        section: c.section,
    }
}

/// The sections whose commands apply: the scenario and below (a sub-scenario chosen from a log
/// line shows its own steps; a top-level scenario shows all of its sub-scenarios), else every
/// section but the Example Alert and the escalation.
fn command_sections(rb: &Runbook, choice: Option<&ScenarioChoice>) -> Vec<usize> {
    match choice {
        Some(c) => rb.subtree(c.section),
        None => (0..rb.sections.len())
            .filter(|&i| {
                Some(i) != rb.example_section
                    && !rb.sections[i]
                        .heading
                        .to_ascii_lowercase()
                        .contains("escalat")
            })
            .collect(),
    }
}

/// Every unresolved placeholder of the query and the commands, once (by normalised name), with
/// the first hint any of them has.
fn all_unresolved(log_search: &LogSearch, commands: &[CommandSequence]) -> Vec<Unresolved> {
    let mut unresolved: Vec<Unresolved> = Vec::new();
    let steps = commands
        .iter()
        .flat_map(|c| c.steps.iter().flat_map(|s| s.unresolved.iter()));
    for u in log_search.unresolved.iter().chain(steps) {
        if let Some(existing) = unresolved
            .iter_mut()
            .find(|x| normalize_key(&x.name) == normalize_key(&u.name))
        {
            if existing.hint.is_none() {
                existing.hint = u.hint.clone();
            }
        } else {
            unresolved.push(u.clone());
        }
    }
    unresolved
}

/// Shortens a hint to something that fits a tooltip.
fn shorten(text: &str, max: usize) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max {
        return t;
    }
    let mut s: String = t.chars().take(max).collect();
    if let Some(p) = s.rfind(' ') {
        s.truncate(p);
    }
    s.push('…');
    s
}
