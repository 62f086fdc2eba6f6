//! Extraction rules: regular expressions with named groups (`controller (?P<controllerid>…)`)
//! that read placeholder values out of the alert's text and pasted log lines. A group's name
//! fills the placeholder of that name, compared as field keys are (`controllerID` fills
//! `<controller_id>`). Rules come from the settings (`extract`) and from a runbook's front
//! matter (`extract`, for that runbook only).
//!
//! The engine asks an [`Extractor`] for the captures, so the regex engine lives where it is
//! cheap: natively (CLI, tests, the options page) it is the `regex` crate (`crates/rules`,
//! feature `rules`); the panel's wasm has no regex engine and hands the question to its page,
//! which loads the rules as a second wasm module only when there are rules.

use crate::config::{err, SettingsError};
use crate::guidance::RuleValue;
use crate::text::normalize_key;

/// How many pasted log lines the rules read (the panel's box takes several; a whole log file
/// pasted by mistake is not read to its end).
pub const MAX_LOG_LINES: usize = 50;

/// Reads the named groups of extraction rules out of a text.
pub trait Extractor {
    /// For each of `patterns` that matches `text`, the named groups of its first match, as
    /// (pattern index, group name, value); patterns that do not compile read nothing.
    fn captures(&self, patterns: &[String], text: &str) -> Vec<(usize, String, String)>;
}

/// No regex engine: rules read nothing (the panel before its rules module has loaded).
pub struct NoRules;

impl Extractor for NoRules {
    fn captures(&self, _: &[String], _: &str) -> Vec<(usize, String, String)> {
        Vec::new()
    }
}

/// The `regex` crate, linked into this build (feature `rules`).
#[cfg(feature = "rules")]
pub struct RegexRules;

#[cfg(feature = "rules")]
impl Extractor for RegexRules {
    fn captures(&self, patterns: &[String], text: &str) -> Vec<(usize, String, String)> {
        let (rules, _) = runbook_lens_rules::Rules::new(patterns);
        rules
            .captures(text)
            .into_iter()
            .map(|c| (c.rule, c.name, c.value))
            .collect()
    }
}

/// The extractor this build has: the `regex` crate with feature `rules`, else none.
pub fn default_extractor() -> &'static dyn Extractor {
    #[cfg(feature = "rules")]
    {
        &RegexRules
    }
    #[cfg(not(feature = "rules"))]
    {
        &NoRules
    }
}

/// Why `pattern` cannot be a rule, when this build can tell (feature `rules`; without it
/// nothing is refused here and a bad pattern simply reads nothing).
pub fn pattern_problem(pattern: &str) -> Option<String> {
    #[cfg(feature = "rules")]
    {
        runbook_lens_rules::compile(pattern).err()
    }
    #[cfg(not(feature = "rules"))]
    {
        let _ = pattern;
        None
    }
}

/// Checks the `extract` rules of the settings: at most `MAX_RULES`, each one compiling, with
/// the field (`extract[2]`) and the reason when one does not.
pub fn check_patterns(field: &str, patterns: &[String]) -> Result<(), SettingsError> {
    #[cfg(feature = "rules")]
    if patterns.len() > runbook_lens_rules::MAX_RULES {
        return Err(err(
            field,
            format!(
                "{} rules; at most {} are read: merge rules with alternatives (`a|b`)",
                patterns.len(),
                runbook_lens_rules::MAX_RULES
            ),
        ));
    }
    for (i, p) in patterns.iter().enumerate() {
        if let Some(problem) = pattern_problem(p) {
            return Err(err(
                format!("{field}[{i}]"),
                format!("`{p}` is not a usable rule: {problem}"),
            ));
        }
    }
    Ok(())
}

/// The group names of `pattern`, normalised as field keys: the placeholders it can fill. Read
/// from the text (`(?P<name>` and `(?<name>`), so it needs no regex engine.
pub fn group_names(pattern: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in pattern.match_indices("(?") {
        let rest = &pattern[i + 2..];
        let rest = rest.strip_prefix('P').unwrap_or(rest);
        let Some(rest) = rest.strip_prefix('<') else {
            continue;
        };
        if let Some(end) = rest.find('>') {
            let key = normalize_key(&rest[..end]);
            if !key.is_empty() && !out.contains(&key) {
                out.push(key);
            }
        }
    }
    out
}

/// The values `patterns` read, first the pasted log lines (each line on its own, in order),
/// then the alert's text; the first value of each name wins.
pub fn read_values(
    extractor: &dyn Extractor,
    patterns: &[String],
    log: Option<&str>,
    alert_text: &str,
) -> Vec<RuleValue> {
    let mut out: Vec<RuleValue> = Vec::new();
    if patterns.is_empty() {
        return out;
    }
    let mut n = 0;
    for line in log.unwrap_or("").lines() {
        if line.trim().is_empty() {
            continue;
        }
        n += 1;
        if n > MAX_LOG_LINES {
            break;
        }
        read_one(extractor, patterns, line, format!("log line {n}"), &mut out);
    }
    read_one(extractor, patterns, alert_text, "alert".into(), &mut out);
    out
}

/// Adds what `patterns` read from `text` (found at `source`) to `out`, except names it has.
fn read_one(
    extractor: &dyn Extractor,
    patterns: &[String],
    text: &str,
    source: String,
    out: &mut Vec<RuleValue>,
) {
    for (rule, name, value) in extractor.captures(patterns, text) {
        let key = normalize_key(&name);
        if key.is_empty() || out.iter().any(|v| normalize_key(&v.name) == key) {
            continue;
        }
        let Some(pattern) = patterns.get(rule) else {
            continue;
        };
        out.push(RuleValue {
            name,
            value,
            rule: pattern.clone(),
            source: source.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_names_are_read_as_field_keys() {
        assert_eq!(
            group_names("controller (?P<controllerID>[0-9a-f]+) in (?<region>[a-z-]+)(?:x)(?i)"),
            vec!["controllerid".to_string(), "region".to_string()]
        );
    }

    #[cfg(feature = "rules")]
    #[test]
    fn log_lines_come_before_the_alert_and_the_first_value_wins() {
        let patterns = vec!["controller (?P<controller_id>[0-9a-f]{8,})".to_string()];
        let values = read_values(
            default_extractor(),
            &patterns,
            Some("nothing here\ncontroller c0ffee1234abcd failed\ncontroller deadbeef99"),
            "controller 0123456789",
        );
        assert_eq!(values.len(), 1);
        assert_eq!(values[0].value, "c0ffee1234abcd");
        assert_eq!(values[0].source, "log line 2");
        assert_eq!(values[0].rule, patterns[0]);
        let values = read_values(
            default_extractor(),
            &patterns,
            None,
            "controller 0123456789",
        );
        assert_eq!(values[0].source, "alert");
    }

    #[cfg(feature = "rules")]
    #[test]
    fn bad_rules_name_their_index() {
        let e = check_patterns("extract", &["(?P<a>x)".into(), "(?P<b>[".into()])
            .expect_err("the second does not compile");
        assert_eq!(e.field, "extract[1]");
        assert!(e.message.contains("unclosed"), "{e}");
        let many = vec!["(?P<a>x)".to_string(); 33];
        assert_eq!(
            check_patterns("extract", &many)
                .expect_err("too many")
                .field,
            "extract"
        );
    }
}
