//! The features matching compares: the identifiers of an alert (or of a page's Example Alert)
//! with their strength, the words of an alert, and the placeholder patterns of Example Alerts
//! (`<DEPLOYMENT>_unavailable`).

use crate::alert::{parse_title, Alert, Field};
use crate::text::{canonical_id, identifiers, is_volatile, words};
use crate::vocabulary::weights::{
    COMPOUND_PART_SHARE, FIELD, LONE_LINE, LONE_LINE_NAME, NAME_FIELD, NAME_PHRASE_ID, PHRASE_ID,
    PHRASE_LINE, TEXT_ID, TITLE_ID,
};
use crate::vocabulary::{is_name_key, is_noise_key};

/// Identifiers shorter than this (`ok`, `v1`) are too common to tell alerts apart.
const MIN_ID_LEN: usize = 3;

/// A one-word value or identifier longer than this is a blob (a token, a stack), not a name.
const MAX_ID_LEN: usize = 160;

/// Parts of a compound name shorter than this (`api`, `v2`) do not count on their own.
const MIN_PART_LEN: usize = 4;

/// A free-text line that is one identifier names the alert only from this length.
const MIN_LINE_ID_LEN: usize = 6;

/// Free-text lines longer than this are prose, not compared whole.
const MAX_PHRASE_LINE: usize = 400;

/// A pattern must keep this much literal text to mean something.
const MIN_PATTERN_LITERAL: usize = 6;

/// One identifier of a query or a document with its strength.
#[derive(Debug, Clone)]
pub(super) struct Feature {
    pub(super) id: String,
    pub(super) strength: f32,
    /// The alert field it came from, for reasons (`alert_situation`), or empty for text.
    pub(super) field: String,
    /// The value as written.
    pub(super) shown: String,
    pub(super) from_title: bool,
}

/// Adds a feature unless its identifier is too short to mean anything.
fn push(out: &mut Vec<Feature>, id: &str, strength: f32, field: &str, shown: &str, title: bool) {
    if id.len() >= MIN_ID_LEN {
        out.push(Feature {
            id: id.to_string(),
            strength,
            field: field.to_string(),
            shown: shown.to_string(),
            from_title: title,
        });
    }
}

/// True when a value is a placeholder or a redacted stand-in rather than a real value.
fn is_stand_in(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    v.contains('<') || v.contains("xxx") || v.contains("{{") || v.contains("{%")
}

/// Removes volatile tokens (regions, carriers, IDs, numbers, IPs) from free text.
pub(super) fn strip_volatile(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for tok in text.split_whitespace() {
        let core = tok.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if !is_volatile(core)
            && !core
                .split(['(', ')', ',', '/'])
                .any(|p| !p.is_empty() && is_volatile(p) && p.contains('-'))
        {
            out.push_str(tok);
        }
        out.push(' ');
    }
    out
}

/// The identifier features of one alert (query side or Example Alert side), in a fixed order:
/// fields, title, free text, then free-text lines.
pub(super) fn alert_features(alert: &Alert, out: &mut Vec<Feature>) {
    for f in &alert.fields {
        field_features(f, out);
    }
    if let Some(title) = &alert.title {
        // An Armada PD title is already split into fields; another title is read as text.
        if parse_title(title).is_none() {
            for id in identifiers(title) {
                if !is_volatile(&id) {
                    push(out, &canonical_id(&id), TITLE_ID, "", &id, true);
                }
            }
        }
    }
    for id in identifiers(&alert.text) {
        if !is_volatile(&id) && id.len() <= MAX_ID_LEN {
            push(out, &canonical_id(&id), TEXT_ID, "", &id, false);
        }
    }
    line_features(alert, out);
}

/// The features of one field: a one-word value whole (and the parts of a compound name), else
/// the identifiers of a multi-word value.
fn field_features(f: &Field, out: &mut Vec<Feature>) {
    let v = f.value.trim();
    if v.is_empty() || is_volatile(v) || is_noise_key(&f.key) {
        return;
    }
    let name = is_name_key(&f.key);
    if !v.contains(char::is_whitespace) && v.len() <= MAX_ID_LEN {
        let strength = if name { NAME_FIELD } else { FIELD };
        let canon = canonical_id(v);
        push(out, &canon, strength, &f.key, v, f.from_title);
        // The parts of a compound name (`cluster_squad/orchestrator_…/DeleteClientID`).
        let parts: Vec<&str> = canon
            .split(['/', '.', ':'])
            .filter(|p| p.len() >= MIN_PART_LEN)
            .collect();
        if parts.len() > 1 {
            for p in parts {
                let part = strength * COMPOUND_PART_SHARE;
                push(out, p, part, &f.key, v, f.from_title);
            }
        }
    } else if !is_stand_in(v) {
        let strength = if name { NAME_PHRASE_ID } else { PHRASE_ID };
        for id in identifiers(v) {
            if !is_volatile(&id) {
                push(out, &canonical_id(&id), strength, &f.key, &id, f.from_title);
            }
        }
    }
}

/// Free-text lines: a line that is one identifier (`KubernetesPodScrapeFailure`) names the
/// alert; a longer line is compared whole, without its volatile parts, so Sysdig and
/// synthetic-check texts match the same text of another incident.
fn line_features(alert: &Alert, out: &mut Vec<Feature>) {
    let multi_word_values = alert
        .fields
        .iter()
        .filter(|f| f.value.contains(' '))
        .map(|f| f.value.as_str());
    for line in alert.text.lines().chain(multi_word_values) {
        let line = line
            .trim()
            .trim_start_matches(['-', '*', '+'])
            .trim()
            .trim_matches('`');
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if tokens.len() == 1 {
            let id = tokens[0].trim_matches(|c: char| !c.is_ascii_alphanumeric());
            if id.len() >= MIN_LINE_ID_LEN
                && !is_volatile(id)
                && id.chars().any(|c| c.is_ascii_alphabetic())
                && (id.contains('_') || id.chars().skip(1).any(|c| c.is_ascii_uppercase()))
            {
                let strength = if alert.fields.is_empty() {
                    LONE_LINE_NAME
                } else {
                    LONE_LINE
                };
                push(out, &canonical_id(id), strength, "", id, false);
            }
        } else if tokens.len() >= 2 && line.len() <= MAX_PHRASE_LINE {
            let w = words(&strip_volatile(line));
            if w.len() >= 2 {
                push(
                    out,
                    &format!("~{}", w.join(" ")),
                    PHRASE_LINE,
                    "",
                    line,
                    false,
                );
            }
        }
    }
}

/// Words of an alert for the fuzzy part of matching.
pub(super) fn alert_words(alert: &Alert) -> Vec<String> {
    let mut text = String::new();
    for f in &alert.fields {
        if !is_volatile(&f.value) && !is_noise_key(&f.key) {
            text.push_str(&f.value);
            text.push(' ');
        }
    }
    if let Some(t) = &alert.title {
        if parse_title(t).is_none() {
            text.push_str(t);
            text.push(' ');
        }
    }
    text.push_str(&alert.text);
    words(&strip_volatile(&text))
}

/// Glob pieces of a stand-in value: `<DEPLOYMENT>_unavailable` → ["", "_unavailable"].
pub(super) fn pattern_pieces(value: &str) -> Option<Vec<String>> {
    let lower = value.to_ascii_lowercase();
    let mut pieces = Vec::new();
    let mut rest = lower.as_str();
    let mut any = false;
    loop {
        let angle = rest.find('<');
        let xs = rest.find("xxx");
        let next = match (angle, xs) {
            (Some(a), Some(x)) => Some(a.min(x)),
            (a, x) => a.or(x),
        };
        let Some(pos) = next else { break };
        pieces.push(rest[..pos].to_string());
        any = true;
        if rest[pos..].starts_with('<') {
            match rest[pos..].find('>') {
                Some(end) => rest = &rest[pos + end + 1..],
                None => return None,
            }
        } else {
            let n = rest[pos..].bytes().take_while(|&b| b == b'x').count();
            rest = &rest[pos + n..];
        }
    }
    if !any {
        return None;
    }
    pieces.push(rest.to_string());
    let literal: usize = pieces.iter().map(String::len).sum();
    (literal >= MIN_PATTERN_LITERAL).then_some(pieces)
}

/// True when `value` fits the glob `pieces`; each wildcard stands for at least one character.
pub(super) fn glob_match(pieces: &[String], value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    let Some((first, rest)) = pieces.split_first() else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return v == *first;
    };
    if !v.starts_with(first.as_str()) {
        return false;
    }
    let mut pos = first.len();
    for piece in middle {
        let from = pos + 1;
        match v.get(from..).and_then(|tail| tail.find(piece.as_str())) {
            Some(p) => pos = from + p + piece.len(),
            None => return false,
        }
    }
    v.len() >= pos + 1 + last.len() && v.ends_with(last.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob() {
        let p = pattern_pieces("<DEPLOYMENT>_unavailable").expect("pattern");
        assert!(glob_match(&p, "kube-apiserver_unavailable"));
        assert!(!glob_match(&p, "_unavailable"));
        assert!(!glob_match(&p, "kube-apiserver_available"));
        assert!(pattern_pieces("xxxxxxxxxxx").is_none());
        assert!(pattern_pieces("plain").is_none());
    }
}
