//! Alert extraction: the text of a PagerDuty incident page (or a part of it) becomes one or
//! more [`Alert`]s, each a title and its fields in order. DOM-free; the formats are those real
//! incident pages show: `- key = value` lines, Alertmanager `Labels:`/`Annotations:` blocks,
//! `key: value` and `key<TAB>value` rows, JSON custom details, and the Armada PD title.

mod title;

pub use title::{parse_title, TitleParts};

use serde::{Deserialize, Serialize};

use crate::text::normalize_key;
use crate::vocabulary;

/// One `key = value` of an alert, in the order the alert lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The name as the alert writes it (`reason_code`, `labels.region`).
    pub key: String,
    pub value: String,
    /// True when the field was not in the body but split out of the PagerDuty title.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_title: bool,
}

/// One alert of an incident.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// The PagerDuty title line, when one was recognised.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Alertmanager's `Source:` URL, when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Lines that were neither the title nor fields (summaries, Sysdig text), joined by `\n`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

impl Alert {
    /// The value of the first field whose normalised name equals the normalised `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        let key = normalize_key(name);
        self.fields
            .iter()
            .find(|f| normalize_key(&f.key) == key)
            .map(|f| f.value.as_str())
    }

    /// Like [`Alert::get`], also accepting the last segment of a flattened key, so a JSON
    /// detail `labels.region` answers for `region`.
    pub fn lookup(&self, name: &str) -> Option<&str> {
        if let Some(v) = self.get(name) {
            return Some(v);
        }
        let key = normalize_key(name);
        self.fields
            .iter()
            .find(|f| {
                f.key.contains('.')
                    && f.key
                        .rsplit('.')
                        .next()
                        .is_some_and(|last| normalize_key(last) == key)
            })
            .map(|f| f.value.as_str())
    }

    /// The alert's name: `alertname` or `alert` (`alert_name`), else the situation
    /// ([`vocabulary::NAME_LOOKUP_KEYS`]).
    pub fn name(&self) -> Option<&str> {
        vocabulary::NAME_LOOKUP_KEYS
            .iter()
            .find_map(|k| self.lookup(k))
    }

    /// The region the alert fired in: its `region`, else its `crn_region`
    /// ([`vocabulary::REGION_KEYS`]).
    pub fn region(&self) -> Option<&str> {
        vocabulary::REGION_KEYS.iter().find_map(|k| self.lookup(k))
    }

    /// The carrier or tugboat the alert fired on (`carrier_name`).
    pub fn carrier(&self) -> Option<&str> {
        self.lookup(vocabulary::CARRIER_KEY)
    }

    /// The environment's name in the CRN (`crn_cname`: `bluemix`, `staging`).
    pub fn environment(&self) -> Option<&str> {
        self.lookup(vocabulary::ENVIRONMENT_KEY)
    }

    fn is_empty(&self) -> bool {
        self.title.is_none() && self.fields.is_empty() && self.text.trim().is_empty()
    }

    fn has_key(&self, key: &str) -> bool {
        let k = normalize_key(key);
        self.fields
            .iter()
            .any(|f| !f.from_title && normalize_key(&f.key) == k)
    }

    fn push(&mut self, key: &str, value: &str) {
        self.fields.push(Field {
            key: key.to_string(),
            value: clean_value(value),
            from_title: false,
        });
    }

    /// Adds the PD title's parts the body does not already give.
    fn add_title_fields(&mut self) {
        let Some(parts) = self.title.as_deref().and_then(parse_title) else {
            return;
        };
        for (key, value) in parts.fields() {
            if self.get(key).is_none() {
                self.fields.push(Field {
                    key: key.to_string(),
                    value,
                    from_title: true,
                });
            }
        }
    }
}

/// The most text one call looks at; the rest is ignored (and the caller told so).
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// Strips the quotes and trailing commas real alert bodies put around values.
fn clean_value(value: &str) -> String {
    let mut v = value.trim();
    if let Some(stripped) = v.strip_suffix(',') {
        v = stripped.trim_end();
    }
    if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        v = &v[1..v.len() - 1];
    }
    v.to_string()
}

/// True for a plausible field name: starts with a letter, then letters, digits, `_ . - /`,
/// at most three words and 64 characters.
fn is_key(key: &str) -> bool {
    let key = key.trim();
    if key.is_empty() || key.len() > 64 {
        return false;
    }
    let mut chars = key.chars();
    if !chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
    {
        return false;
    }
    key.chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/' | ' '))
        && key.split(' ').filter(|w| !w.is_empty()).count() <= 3
}

/// Recognised line shapes.
enum Line<'a> {
    Blank,
    Header(&'a str),
    Field(&'a str, &'a str),
    Source(&'a str),
    Title(&'a str),
    Other(&'a str),
}

/// Removes list markers and markdown emphasis around a line: `- `, `* `, `**Key**:`.
fn strip_marker(line: &str) -> &str {
    let t = line.trim();
    for marker in ["- ", "* ", "+ ", "• "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return rest.trim_start();
        }
    }
    t
}

fn classify(raw: &str) -> Line<'_> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Line::Blank;
    }
    // Markdown fences and Liquid tags around a pasted example carry nothing.
    if trimmed.starts_with("```")
        || trimmed.starts_with("~~~")
        || (trimmed.starts_with("{%") && trimmed.ends_with("%}"))
        || (trimmed.starts_with("{{") && trimmed.ends_with("}}"))
    {
        return Line::Blank;
    }
    let line = strip_marker(raw);
    let unticked = line.trim_matches('`').trim();
    if parse_title(unticked).is_some() {
        return Line::Title(unticked);
    }
    let lower = line.to_ascii_lowercase();
    for header in [
        "labels:",
        "annotations:",
        "custom details:",
        "details:",
        "firing:",
        "common labels:",
        "common annotations:",
    ] {
        if lower == header {
            return Line::Header(line.trim_end_matches(':'));
        }
    }
    if let Some(rest) = line
        .strip_prefix("Source:")
        .or_else(|| line.strip_prefix("source:"))
    {
        let rest = rest.trim();
        if rest.starts_with("http") {
            return Line::Source(rest);
        }
    }
    // `key = value` (Alertmanager's PagerDuty details).
    if let Some((k, v)) = line.split_once(" = ").or_else(|| line.split_once('=')) {
        let k = k.trim();
        if is_key(k) && (!k.contains(' ') || line.contains(" = ")) {
            return Line::Field(k, v);
        }
    }
    if line.ends_with(" =") {
        let k = line.trim_end_matches('=').trim();
        if is_key(k) {
            return Line::Field(k, "");
        }
    }
    // `key<TAB>value`: what a details table gives as text. PagerDuty shows Alertmanager's
    // details as a table whose `firing` row holds the `Labels:` block, so a row whose value
    // opens a block is that block's header.
    if let Some((k, v)) = raw.trim().split_once('\t') {
        let k = k.trim();
        let v = v.trim();
        if is_key(k) && !v.is_empty() {
            let lower = v.to_ascii_lowercase();
            if lower == "labels:" || lower == "annotations:" {
                return Line::Header(v.trim_end_matches(':'));
            }
            return Line::Field(k, v);
        }
        if is_key(k) && v.is_empty() {
            return Line::Blank;
        }
    }
    // `key: value`, but not URLs (`https://…`) and not prose ending in a colon.
    let plain = line.replace("**", "");
    if let Some(pos) = plain.find(": ") {
        let (k, v) = plain.split_at(pos);
        let k = k.trim();
        if is_key(k) && !v[2..].trim().is_empty() && !k.eq_ignore_ascii_case("http") {
            // Borrow from `line` when no emphasis was removed, so the value is unchanged.
            if plain.len() == line.len() {
                let (k2, v2) = line.split_at(pos);
                return Line::Field(k2.trim(), v2[2..].trim());
            }
        }
    }
    Line::Other(trimmed)
}

/// Extracts the alerts of `text`. Always returns at least one alert when `text` has any
/// non-blank content; several alerts when the text shows several (a second title, a second
/// `Labels:` block, or a field repeated with another value).
pub fn extract_alerts(text: &str) -> Vec<Alert> {
    let text = truncate(text, MAX_TEXT_BYTES);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut alerts: Vec<Alert> = Vec::new();
    let mut cur = Alert::default();
    let mut section = String::new();
    let mut sections_seen: Vec<String> = Vec::new();
    let mut section_keys: Vec<String> = Vec::new();
    let mut last_field_indent: Option<usize> = None;
    let mut last_field_empty = false;

    let mut rest = text.as_str();
    while !rest.is_empty() {
        let (raw, next) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        // JSON custom details: a line opening an object starts a JSON value that may span
        // many lines.
        if raw.trim_start().starts_with('{') {
            let start = rest.len() - rest.trim_start().len();
            let mut stream =
                serde_json::Deserializer::from_str(&rest[start..]).into_iter::<serde_json::Value>();
            if let Some(Ok(value)) = stream.next() {
                let used = start + stream.byte_offset();
                let mut flat = Vec::new();
                flatten_json("", &value, &mut flat, 0);
                for (k, v) in flat {
                    if cur.has_key(&k) && cur.get(&k) != Some(v.as_str()) {
                        finish(&mut alerts, &mut cur);
                    }
                    cur.push(&k, &v);
                }
                rest = &rest[used..];
                rest = rest.strip_prefix('\n').unwrap_or(rest);
                continue;
            }
        }
        rest = next;
        let indent = raw.len() - raw.trim_start().len();
        match classify(raw) {
            Line::Blank => {}
            Line::Title(t) => {
                if cur.title.is_some() || !cur.fields.is_empty() {
                    finish(&mut alerts, &mut cur);
                    sections_seen.clear();
                    section_keys.clear();
                }
                cur.title = Some(t.to_string());
                last_field_indent = None;
            }
            Line::Header(h) => {
                let h = h.to_ascii_lowercase();
                if sections_seen.contains(&h) {
                    finish(&mut alerts, &mut cur);
                    sections_seen.clear();
                }
                sections_seen.push(h.clone());
                section = h;
                section_keys.clear();
                last_field_indent = None;
            }
            Line::Source(url) => cur.source = Some(url.to_string()),
            Line::Field(k, v) => {
                // A continuation line of a multi-line value (`- description =` then text).
                if last_field_empty
                    && last_field_indent.is_some_and(|i| indent > i)
                    && !raw.contains(" = ")
                {
                    append_to_last(&mut cur, raw.trim());
                    continue;
                }
                // Keyed by name and line shape: a page header's `Service: x` and the body's
                // `- service = y` are two sources of one alert, not two alerts.
                let shape = if raw.contains(" = ") || raw.trim_end().ends_with(" =") {
                    "="
                } else if raw.contains('\t') {
                    "\t"
                } else {
                    ":"
                };
                let nk = format!("{}{shape}", normalize_key(k));
                if section_keys.contains(&nk) {
                    // The same key again in one block: the next alert has started.
                    finish(&mut alerts, &mut cur);
                    sections_seen.clear();
                    if !section.is_empty() {
                        sections_seen.push(section.clone());
                    }
                    section_keys.clear();
                }
                section_keys.push(nk);
                cur.push(k, v);
                last_field_indent = Some(indent);
                last_field_empty = v.trim().is_empty();
            }
            Line::Other(t) => {
                if last_field_empty && last_field_indent.is_some_and(|i| indent > i) {
                    append_to_last(&mut cur, t);
                    continue;
                }
                // A yaml-style nested header (`labels:` with no value) is a section.
                if t.ends_with(':') && is_key(t.trim_end_matches(':')) {
                    let h = t.trim_end_matches(':').to_ascii_lowercase();
                    section = h.clone();
                    section_keys.clear();
                    if !sections_seen.contains(&h) {
                        sections_seen.push(h);
                    }
                    last_field_indent = None;
                    continue;
                }
                if !cur.text.is_empty() {
                    cur.text.push('\n');
                }
                cur.text.push_str(t);
                last_field_indent = None;
                last_field_empty = false;
            }
        }
    }
    finish(&mut alerts, &mut cur);
    dedupe(alerts)
}

/// Drops what a whole incident page repeats: the incident's title shown above its alerts
/// (an alert with nothing but a title whose situation another alert has), and alerts shown
/// twice with the same fields.
fn dedupe(alerts: Vec<Alert>) -> Vec<Alert> {
    let situation = |a: &Alert| {
        a.title
            .as_deref()
            .and_then(parse_title)
            .map(|t| (t.alert_situation.to_ascii_lowercase(), t.region))
    };
    let mut out: Vec<Alert> = Vec::with_capacity(alerts.len());
    for (i, a) in alerts.iter().enumerate() {
        let title_only = a.fields.iter().all(|f| f.from_title) && a.title.is_some();
        if title_only {
            let s = situation(a);
            let covered = alerts.iter().enumerate().any(|(j, b)| {
                j != i
                    && b.fields.iter().any(|f| !f.from_title)
                    && (situation(b) == s
                        || b.get("alert_situation").is_some_and(|v| {
                            s.as_ref()
                                .is_some_and(|(sit, _)| v.eq_ignore_ascii_case(sit))
                        }))
            });
            if covered {
                continue;
            }
        }
        if out
            .iter()
            .any(|o| o.fields == a.fields && o.title == a.title && !a.fields.is_empty())
        {
            continue;
        }
        // The incident's title above page metadata (`Priority: P2`), then the same title
        // again with the alert's body: one alert. The copy without alert names goes.
        let names = |x: &Alert| {
            x.fields
                .iter()
                .any(|f| !f.from_title && vocabulary::identifies_alert(&f.key))
        };
        if a.title.is_some() && !names(a) {
            let twin = alerts
                .iter()
                .enumerate()
                .any(|(j, b)| j != i && b.title == a.title && names(b));
            if twin {
                continue;
            }
        }
        out.push(a.clone());
    }
    out
}

fn append_to_last(cur: &mut Alert, text: &str) {
    if let Some(last) = cur.fields.last_mut() {
        if !last.value.is_empty() {
            last.value.push(' ');
        }
        last.value.push_str(&clean_value(text));
    }
}

fn finish(alerts: &mut Vec<Alert>, cur: &mut Alert) {
    let mut done = std::mem::take(cur);
    if done.is_empty() {
        return;
    }
    done.add_title_fields();
    // Free text before a title or fields (page chrome, a heading) belongs to nobody; an alert
    // made only of such text is kept only when nothing structured was found at all.
    alerts.push(done);
    if alerts.len() > 1 {
        let structured = alerts
            .iter()
            .any(|a| a.title.is_some() || !a.fields.is_empty());
        if structured {
            let mut i = 0;
            while i < alerts.len() {
                if alerts[i].title.is_none() && alerts[i].fields.is_empty() && alerts.len() > 1 {
                    let text = alerts.remove(i).text;
                    // Keep the text with the neighbouring alert so its words still count.
                    let target = i.min(alerts.len() - 1);
                    let t = &mut alerts[target].text;
                    if !t.is_empty() {
                        t.push('\n');
                    }
                    t.push_str(&text);
                } else {
                    i += 1;
                }
            }
        }
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary.
pub fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Flattens a JSON value into `a.b` keyed strings; arrays index as `a.0`. Depth is bounded so
/// hostile input cannot recurse without end.
fn flatten_json(
    prefix: &str,
    value: &serde_json::Value,
    out: &mut Vec<(String, String)>,
    depth: usize,
) {
    use serde_json::Value;
    if depth > 16 || out.len() > 2000 {
        return;
    }
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                flatten_json(&join(k), v, out, depth + 1);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_json(&join(&i.to_string()), v, out, depth + 1);
            }
        }
        Value::String(s) => out.push((prefix.to_string(), s.clone())),
        Value::Null => {}
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// Fields carried by a log line the user pastes: a JSON object anywhere in the line
/// (`{"controllerID": "…"}`), or `key=value` pairs (logfmt).
pub fn log_line_fields(line: &str) -> Vec<Field> {
    let line = truncate(line, MAX_TEXT_BYTES);
    let mut out = Vec::new();
    if let Some(start) = line.find('{') {
        let mut stream =
            serde_json::Deserializer::from_str(&line[start..]).into_iter::<serde_json::Value>();
        if let Some(Ok(value)) = stream.next() {
            let mut flat = Vec::new();
            flatten_json("", &value, &mut flat, 0);
            out.extend(flat.into_iter().map(|(key, value)| Field {
                key,
                value,
                from_title: false,
            }));
            return out;
        }
    }
    for word in line.split_whitespace() {
        if let Some((k, v)) = word.split_once('=') {
            if is_key(k) && !k.contains(' ') && !v.is_empty() {
                out.push(Field {
                    key: k.to_string(),
                    value: clean_value(v),
                    from_title: false,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_key_starts_a_new_alert() {
        let alerts =
            extract_alerts("- alert = A\n- region = us-south\n- alert = A\n- region = eu-de\n");
        assert_eq!(alerts.len(), 2);
        assert_eq!(alerts[1].get("region"), Some("eu-de"));
    }

    #[test]
    fn title_fields_fill_only_missing_fields() {
        let alerts = extract_alerts("#1 bluemix.containers-kubernetes.prod-dal10-carrier1.foo_bar.us-south\n- region = eu-de\n");
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].get("region"), Some("eu-de"));
        assert_eq!(alerts[0].get("alert_situation"), Some("foo_bar"));
    }

    #[test]
    fn incident_title_above_the_alert_is_not_a_second_alert() {
        let text = "#60048810 staging.containers-kubernetes.stage-dal10-carrier103.A_b.us-south\nTriggered\nAlerts\n#60048810 staging.containers-kubernetes.stage-dal10-carrier103.A_b.us-south\n- alert = A\n- alert_situation = A_b\n- region = us-south\n";
        let alerts = extract_alerts(text);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].get("alert"), Some("A"));
    }

    #[test]
    fn incident_title_with_metadata_then_alerts_is_not_an_extra_alert() {
        let t = "#1 bluemix.containers-kubernetes.prod-dal10-carrier1.a_b.us-south\nPriority: P2\nStatus: Triggered\n#1 bluemix.containers-kubernetes.prod-dal10-carrier1.a_b.us-south\n- alert = A\n- region = us-south\n#2 bluemix.containers-kubernetes.prod-fra02-carrier5.a_b.eu-de\n- alert = A\n- region = eu-de\n";
        let alerts = extract_alerts(t);
        assert_eq!(alerts.len(), 2, "{alerts:?}");
        assert_eq!(alerts[1].get("region"), Some("eu-de"));
    }

    #[test]
    fn header_colon_field_does_not_split_the_body() {
        let alerts = extract_alerts("Service: Armada Orchestrator\nUrgency: High\n- alert = A\n- service = armada-orchestrator\n");
        assert_eq!(alerts.len(), 1, "{alerts:?}");
    }

    #[test]
    fn json_log_line() {
        let f = log_line_fields(r#"2024-01-01 {"controllerID":"abc123","level":"error"}"#);
        assert_eq!(f[0].key, "controllerID");
        assert_eq!(f[0].value, "abc123");
    }
}
