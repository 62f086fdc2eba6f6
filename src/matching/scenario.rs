//! The scenario inside a runbook: the section whose heading names the alert's values
//! (`## ErrorUnclassified in DeleteClientID`), and with a log line the sub-section whose heading
//! carries the log's error (`### 403 BXNIM0515E: …`).

use crate::alert::Alert;
use crate::runbook::Runbook;
use crate::text::{is_stopword, is_volatile};
use crate::vocabulary::is_noise_key;
use crate::vocabulary::weights::{HEADING_VALUE, LOG_CODE, LOG_MIN_SCORE, LOG_NUMBER, LOG_WORD};

/// Alert values shorter than this (`ok`, `1`) name no scenario.
const MIN_VALUE_LEN: usize = 3;

/// Alert values longer than this are sentences, not what a heading names.
const MAX_VALUE_LEN: usize = 80;

/// The scenario chosen inside a runbook.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioChoice {
    pub section: usize,
    pub reasons: Vec<String>,
}

/// Headings that are never scenarios.
fn is_structural(heading: &str) -> bool {
    let h = heading.to_ascii_lowercase();
    [
        "overview",
        "example",
        "escalat",
        "automation",
        "reference",
        "related",
        "further information",
        "detailed information",
        "contact",
    ]
    .iter()
    .any(|k| h.contains(k))
}

/// True when `needle` occurs in `hay` bounded by non-identifier characters (case-insensitive).
fn contains_word(hay: &str, needle: &str) -> bool {
    let hay = hay.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    if needle.is_empty() {
        return false;
    }
    let mut start = 0;
    while let Some(pos) = hay[start..].find(&needle) {
        let a = start + pos;
        let e = a + needle.len();
        let before = hay[..a]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        let after = hay[e..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_alphanumeric() && c != '_');
        if before && after {
            return true;
        }
        start = a + 1;
        while !hay.is_char_boundary(start) {
            start += 1;
        }
    }
    false
}

/// Tokens of a log line or heading for sub-scenario matching: numbers (`403`) count here,
/// error codes (`BXNIM0515E`) most.
fn error_tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|t| t.len() >= 3 && !is_stopword(&t.to_ascii_lowercase()))
        .map(|t| t.to_ascii_lowercase())
        .collect()
}

/// Chooses the scenario of `rb` that fits `alert` (and `log_line`, when given).
pub fn choose_scenario(
    rb: &Runbook,
    alert: &Alert,
    log_line: Option<&str>,
) -> Option<ScenarioChoice> {
    let choice = best_heading(rb, &scenario_values(alert));
    let Some(line) = log_line.filter(|l| !l.trim().is_empty()) else {
        return choice;
    };
    let Some((section, mut reasons)) = best_log_heading(rb, line, choice.as_ref()) else {
        return choice;
    };
    // A sub-scenario below the chosen one keeps the reasons that chose its parent.
    if let Some(c) = &choice {
        if c.section != section {
            let mut r = c.reasons.clone();
            r.append(&mut reasons);
            reasons = r;
        }
    }
    Some(ScenarioChoice { section, reasons })
}

/// Alert values that can name a scenario, as (field, value): not volatile, not noise, not a
/// flag or severity word, each value once.
fn scenario_values(alert: &Alert) -> Vec<(&str, &str)> {
    let mut values: Vec<(&str, &str)> = Vec::new();
    for f in &alert.fields {
        let v = f.value.trim();
        if v.len() < MIN_VALUE_LEN
            || v.len() > MAX_VALUE_LEN
            || is_volatile(v)
            || is_noise_key(&f.key)
            || matches!(
                v.to_ascii_lowercase().as_str(),
                "true" | "false" | "warning" | "critical" | "public" | "info"
            )
        {
            continue;
        }
        if values.iter().all(|(_, x)| !x.eq_ignore_ascii_case(v)) {
            values.push((f.key.as_str(), v));
        }
    }
    values
}

/// The section whose heading names the most of `values` (the first on a tie).
fn best_heading(rb: &Runbook, values: &[(&str, &str)]) -> Option<ScenarioChoice> {
    let mut best: Option<(f32, usize, Vec<String>)> = None;
    for (i, s) in rb.sections.iter().enumerate() {
        if s.level == 0 || is_structural(&s.heading) {
            continue;
        }
        let mut score = 0.0;
        let mut why = Vec::new();
        for (k, v) in values {
            if contains_word(&s.heading, v) {
                score += HEADING_VALUE;
                why.push(format!("`{k}` `{v}` is in the heading"));
            }
        }
        if score > 0.0 && best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, i, why));
        }
    }
    best.map(|(_, section, reasons)| ScenarioChoice { section, reasons })
}

/// The section (below `choice`, else anywhere) whose heading carries the log line's error
/// code or status, with its reason; the deeper section wins a tie.
fn best_log_heading(
    rb: &Runbook,
    line: &str,
    choice: Option<&ScenarioChoice>,
) -> Option<(usize, Vec<String>)> {
    let line_tokens = error_tokens(line);
    let candidates: Vec<usize> = match choice {
        Some(c) => rb.subtree(c.section),
        None => (0..rb.sections.len()).collect(),
    };
    let mut best: Option<(f32, usize, Vec<String>)> = None;
    for i in candidates {
        let s = &rb.sections[i];
        if s.level == 0 || is_structural(&s.heading) {
            continue;
        }
        let (score, hit) = log_score(&s.heading, &line_tokens);
        if score >= LOG_MIN_SCORE
            && best
                .as_ref()
                .is_none_or(|b| score > b.0 || (score == b.0 && s.level > rb.sections[b.1].level))
        {
            best = Some((score, i, vec![log_reason(&hit)]));
        }
    }
    best.map(|(_, section, reasons)| (section, reasons))
}

/// How well a heading carries the log line's tokens, and the codes and numbers it shares.
fn log_score(heading: &str, line_tokens: &[String]) -> (f32, Vec<String>) {
    let mut score = 0.0;
    let mut hit = Vec::new();
    for t in error_tokens(heading) {
        if line_tokens.contains(&t) {
            let code_like =
                t.chars().any(|c| c.is_ascii_digit()) && t.chars().any(|c| c.is_ascii_alphabetic());
            let numeric = t.chars().all(|c| c.is_ascii_digit());
            score += if code_like {
                LOG_CODE
            } else if numeric {
                LOG_NUMBER
            } else {
                LOG_WORD
            };
            if code_like || numeric {
                hit.push(t);
            }
        }
    }
    (score, hit)
}

/// The reason a log line chose a heading.
fn log_reason(hit: &[String]) -> String {
    if hit.is_empty() {
        "the log line's wording matches the heading".to_string()
    } else {
        format!(
            "the log line's {} matches the heading",
            hit.iter()
                .map(|h| format!("`{}`", h.to_ascii_uppercase()))
                .collect::<Vec<_>>()
                .join(" and ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_containment() {
        assert!(contains_word(
            "ErrorUnclassified in DeleteClientID",
            "deleteclientid"
        ));
        assert!(!contains_word("ErrorUnclassifiedX", "ErrorUnclassified"));
    }
}
