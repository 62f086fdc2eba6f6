//! Alert extraction: the text of a PagerDuty incident page (or a part of it) becomes one or
//! more [`Alert`]s, each a title and its fields in order. DOM-free; the formats are those real
//! incident pages show: `- key = value` lines, Alertmanager `Labels:`/`Annotations:` blocks,
//! `key: value` and `key<TAB>value` rows, JSON custom details, and the Armada PD title.

mod attach;
mod extract;
mod incident;
mod title;

pub use extract::{alert_blocks_capped, extract_alerts, extract_alerts_with_cap};
pub use title::{alertmanager_name, parse_title, TitleParts};

use serde::{Deserialize, Serialize};

use crate::vocabulary;

/// One `key = value` of an alert, in the order the alert lists them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
        self.fields
            .iter()
            .find(|f| same_key(&f.key, name))
            .map(|f| f.value.as_str())
    }

    /// Like [`Alert::get`], also accepting the last segment of a flattened key, so a JSON
    /// detail `labels.region` answers for `region`.
    pub fn lookup(&self, name: &str) -> Option<&str> {
        if let Some(v) = self.get(name) {
            return Some(v);
        }
        self.fields
            .iter()
            .find(|f| {
                f.key
                    .rsplit_once('.')
                    .is_some_and(|(_, last)| same_key(last, name))
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
        self.fields
            .iter()
            .any(|f| !f.from_title && same_key(&f.key, key))
    }

    fn push(&mut self, key: &str, value: &str) {
        self.fields.push(Field {
            key: key.to_string(),
            value: clean_value(value),
            from_title: false,
        });
    }

    /// Adds the PD title's parts the body does not already give; an Alertmanager title gives
    /// the alert's name.
    fn add_title_fields(&mut self) {
        let Some(title) = self.title.as_deref() else {
            return;
        };
        let Some(parts) = parse_title(title) else {
            if let Some(name) = alertmanager_name(title) {
                if self.get("alertname").is_none() && self.get("alert").is_none() {
                    self.fields.push(Field {
                        key: "alertname".to_string(),
                        value: name.to_string(),
                        from_title: true,
                    });
                }
                // The title's label values (where the alert fires), unless the body says.
                for (key, value) in title::alertmanager_labels(title) {
                    if self.get(key).is_none() {
                        self.fields.push(Field {
                            key: key.to_string(),
                            value: value.to_string(),
                            from_title: true,
                        });
                    }
                }
            }
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

/// True when `a` and `b` are the same name once normalised ([`crate::text::normalize_key`]), compared without
/// building either: every alert's place is read by name, many times per alert, and a text can
/// hold thousands of alerts.
fn same_key(a: &str, b: &str) -> bool {
    fn letters(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
    }
    letters(a).eq(letters(b))
}

/// The most text one call looks at; the rest is ignored (and the caller told so).
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// The most alert blocks one call reads (a title, a `Labels:` block or a repeated key starts
/// one); the text after the block that would be one more is not read. Every block costs the
/// dedupe and chrome passes a little, and 256 KiB of one-line blocks (`- alert = v1`,
/// `- alert = v2`, …) are some 18,000 of them, while only the first few are ever explained.
/// A caller can tell the cap was reached: then [`extract_alerts`] returns at least
/// this many alerts less what those passes merged, and [`alert_blocks_capped`] says so.
pub const MAX_ALERTS_READ: usize = 1000;

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
    fn alertmanager_title_says_where_the_alert_fires() {
        let title = "[FIRING:1] DeleteClientID_callback_action_time_errors (us-south prod-dal10-carrier3 critical)";
        let alerts = extract_alerts(title);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        let a = &alerts[0];
        assert_eq!(a.name(), Some("DeleteClientID_callback_action_time_errors"));
        assert_eq!(a.region(), Some("us-south"));
        assert_eq!(a.carrier(), Some("prod-dal10-carrier3"));
        assert!(a.fields.iter().all(|f| f.from_title), "{a:?}");
        // The body's own labels win over the title's.
        let alerts = extract_alerts(&format!("{title}\nLabels:\n - region = eu-de\n"));
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].region(), Some("eu-de"));
        // `name=value` lists.
        let alerts = extract_alerts(
            "[FIRING:1] alertname=ArmadaApiHigh5xxRate region=jp-tok service=armada-api",
        );
        assert_eq!(alerts[0].name(), Some("ArmadaApiHigh5xxRate"));
        assert_eq!(alerts[0].region(), Some("jp-tok"));
        assert_eq!(alerts[0].get("service"), Some("armada-api"));
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
    fn region_prefers_region_then_crn_region() {
        let both = extract_alerts("- crn_region = eu-de\n- region = us-south\n");
        assert_eq!(both[0].region(), Some("us-south"));
        let crn = extract_alerts("- crn_region = eu-de\n- crn_cname = bluemix\n");
        assert_eq!(crn[0].region(), Some("eu-de"));
        assert_eq!(crn[0].environment(), Some("bluemix"));
        let json = extract_alerts(r#"{"labels": {"region": "jp-tok", "carrier_name": "c1"}}"#);
        assert_eq!(json[0].region(), Some("jp-tok"));
        assert_eq!(json[0].carrier(), Some("c1"));
        assert_eq!(extract_alerts("- alert = A\n")[0].region(), None);
    }

    #[test]
    fn alert_lists_inside_json_strings_are_alerts() {
        let t = r#"{"details": {"firing": "Labels:\n - alertname = A\n - region = us-south\nAnnotations:\n - summary = s\nLabels:\n - alertname = A\n - region = eu-de\n", "num_firing": "2"}}"#;
        let alerts = extract_alerts(t);
        assert_eq!(alerts.len(), 2, "{alerts:?}");
        assert_eq!(alerts[0].region(), Some("us-south"));
        assert_eq!(alerts[1].region(), Some("eu-de"));
        assert_eq!(alerts[0].get("summary"), Some("s"));
        assert_eq!(alerts[1].name(), Some("A"));
    }

    #[test]
    fn a_multi_line_json_description_stays_one_value() {
        let t = r#"{"alertname": "A", "description": "line one\nline two: still prose"}"#;
        let alerts = extract_alerts(t);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(
            alerts[0].get("description"),
            Some("line one\nline two: still prose")
        );
    }

    #[test]
    fn numbered_and_unnumbered_copies_of_a_title_are_one_alert() {
        let t = "staging.containers-kubernetes.stage-dal10-carrier103.A_b.us-south\nPriority: P2\n#6 staging.containers-kubernetes.stage-dal10-carrier103.A_b.us-south\n- alert = A\n- region = us-south\n";
        let alerts = extract_alerts(t);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].get("alert"), Some("A"));
    }

    #[test]
    fn alerts_table_rows_are_titled_alerts() {
        let t = "Status\tCreated\tSummary\tSeverity\nTriggered\t9:44 AM\tbluemix.containers-kubernetes.prod-dal10-carrier1.a_b.us-south Show Details\twarning\nTriggered\t9:45 AM\tbluemix.containers-kubernetes.prod-fra02-carrier5.a_b.eu-de Hide Details\twarning\n- alert = A\n- region = eu-de\n";
        let alerts = extract_alerts(t);
        assert_eq!(alerts.len(), 2, "{alerts:?}");
        assert_eq!(
            alerts[0].title.as_deref(),
            Some("bluemix.containers-kubernetes.prod-dal10-carrier1.a_b.us-south")
        );
        assert!(alerts[0].fields.iter().all(|f| f.from_title), "{alerts:?}");
        assert_eq!(alerts[1].get("alert"), Some("A"));
        assert_eq!(alerts[1].region(), Some("eu-de"));
    }

    #[test]
    fn a_body_covers_its_situation_only_in_its_region() {
        let t = "#1 bluemix.containers-kubernetes.prod-fra02-carrier5.a_b.eu-de\n#2 bluemix.containers-kubernetes.prod-dal10-carrier1.a_b.us-south\n- alert = A\n- alert_situation = a_b\n- region = us-south\n";
        let alerts = extract_alerts(t);
        assert_eq!(alerts.len(), 2, "{alerts:?}");
        assert_eq!(alerts[0].region(), Some("eu-de"));
    }

    #[test]
    fn json_log_line() {
        let f = log_line_fields(r#"2024-01-01 {"controllerID":"abc123","level":"error"}"#);
        assert_eq!(f[0].key, "controllerID");
        assert_eq!(f[0].value, "abc123");
    }
}
