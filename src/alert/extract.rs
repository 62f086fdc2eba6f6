//! Reading an incident's text into alerts: each line is classified (title, block header,
//! field, source, free text) and a repeated title, block or key starts the next alert; what a
//! whole incident page repeats is dropped at the end.

use super::{
    alertmanager_name, attach, clean_value, flatten_json, incident, is_key, parse_title, title,
    truncate, Alert, Field, MAX_ALERTS_READ, MAX_TEXT_BYTES,
};
use std::collections::HashSet;

use crate::text::normalize_key;
use crate::vocabulary;

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
    if parse_title(unticked).is_some() || alertmanager_name(unticked).is_some() {
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
    if let Some(title) = row_title(raw) {
        return Line::Title(title);
    }
    if is_table_header(raw) {
        return Line::Blank;
    }
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

/// The title of an alerts-table row (`Triggered<TAB>9:44 AM<TAB><title> Hide Details<TAB>warning`):
/// each row is one alert and its summary cell its title, without the cell's toggle text. Only
/// a cell that is a PagerDuty title counts, so other tables keep their `key<TAB>value` rows.
fn row_title(raw: &str) -> Option<&str> {
    let raw = raw.trim();
    if !raw.contains('\t') {
        return None;
    }
    raw.split('\t').map(str::trim).find_map(|cell| {
        let cell = ["Show Details", "Hide Details"]
            .iter()
            .find_map(|toggle| cell.strip_suffix(toggle))
            .unwrap_or(cell)
            .trim();
        let pd = cell.split_whitespace().count() == 1 && parse_title(cell).is_some();
        (pd || alertmanager_name(cell).is_some()).then_some(cell)
    })
}

/// The header cells of PagerDuty's alerts table (`Status<TAB>Created<TAB>Summary<TAB>Severity`).
const TABLE_HEADERS: &[&str] = &[
    "status",
    "created",
    "summary",
    "alert",
    "severity",
    "integration",
    "urgency",
    "service",
];

/// True for the alerts table's header row: three or more cells, each a header word. It names
/// columns, not an alert, so it is no field.
fn is_table_header(raw: &str) -> bool {
    let cells: Vec<&str> = raw.trim().split('\t').map(str::trim).collect();
    cells.len() >= 3
        && cells
            .iter()
            .all(|c| TABLE_HEADERS.iter().any(|h| c.eq_ignore_ascii_case(h)))
}

/// Extracts the alerts of `text`. Always returns at least one alert when `text` has any
/// non-blank content; several alerts when the text shows several (a second title, a second
/// `Labels:` block, or a field repeated with another value).
pub fn extract_alerts(text: &str) -> Vec<Alert> {
    extract_alerts_with_cap(text).0
}

/// True when `text` holds more than [`MAX_ALERTS_READ`] alert blocks in its first
/// [`MAX_TEXT_BYTES`], so that [`extract_alerts`] read only the first of them.
pub fn alert_blocks_capped(text: &str) -> bool {
    extract_alerts_with_cap(text).1
}

/// The alerts of `text` (as [`extract_alerts`]) and whether the block cap stopped the reading,
/// in one pass: for a caller that tells the user so.
pub fn extract_alerts_with_cap(text: &str) -> (Vec<Alert>, bool) {
    let text = truncate(text, MAX_TEXT_BYTES);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut x = Extractor::default();
    // This incident's number, from the page's breadcrumb, when the text shows one.
    let mut number = None;
    let mut rest = text.as_str();
    let mut capped = false;
    while !rest.is_empty() {
        if x.alerts.len() >= MAX_ALERTS_READ {
            // The block under way would be one more: it is dropped with the rest of the text.
            x.cur = Alert::default();
            capped = true;
            break;
        }
        let (raw, next) = line_of(rest);
        // JSON custom details: a line opening an object starts a JSON value that may span
        // many lines.
        if raw.trim_start().starts_with('{') {
            if let Some(after) = x.json(rest) {
                rest = after;
                continue;
            }
        }
        rest = next;
        if number.is_none() {
            number = incident::breadcrumb_number(raw);
        }
        x.line(raw);
    }
    if x.alerts.len() >= MAX_ALERTS_READ && !x.cur.is_empty() {
        // The text ended inside the block that would be one more.
        x.cur = Alert::default();
        capped = true;
    }
    x.finish();
    let alerts = incident::drop_other_incidents(fold_text_only(x.alerts), number);
    (attach::attach_unnamed(dedupe(alerts)), capped)
}

/// True when a JSON string value holds an alert list rather than a value: several lines, one
/// of them an Alertmanager block header (`Labels:`, `Annotations:`) or a `- key = value` line.
/// A multi-line description is still one value.
fn is_text_block(value: &str) -> bool {
    value.contains('\n')
        && value.lines().any(|l| {
            let t = l.trim();
            t.eq_ignore_ascii_case("labels:")
                || t.eq_ignore_ascii_case("annotations:")
                || t.strip_prefix("- ")
                    .and_then(|r| r.split_once(" = "))
                    .is_some_and(|(k, _)| is_key(k))
        })
}

/// The first line of `rest` and what follows it.
fn line_of(rest: &str) -> (&str, &str) {
    match rest.find('\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    }
}

/// The state of reading an incident's text line by line.
#[derive(Default)]
struct Extractor {
    alerts: Vec<Alert>,
    cur: Alert,
    /// The block (`labels`, `annotations`) the current lines are in.
    section: String,
    /// The blocks the current alert has had; a block seen again starts the next alert.
    sections_seen: HashSet<String>,
    /// The keys (with their line shape) of the current block; a key seen again starts the
    /// next alert.
    section_keys: HashSet<String>,
    last_field_indent: Option<usize>,
    last_field_empty: bool,
}

impl Extractor {
    /// Closes the current alert.
    fn finish(&mut self) {
        finish(&mut self.alerts, &mut self.cur);
    }

    /// Reads a JSON value at the start of `rest` as flattened fields; returns the text after it,
    /// or `None` when `rest` does not start with JSON.
    fn json<'t>(&mut self, rest: &'t str) -> Option<&'t str> {
        let start = rest.len() - rest.trim_start().len();
        let mut stream =
            serde_json::Deserializer::from_str(&rest[start..]).into_iter::<serde_json::Value>();
        let Some(Ok(value)) = stream.next() else {
            return None;
        };
        let used = start + stream.byte_offset();
        let mut flat = Vec::new();
        flatten_json("", &value, &mut flat, 0);
        for (k, v) in flat {
            if is_text_block(&v) {
                self.text_block(&v);
                continue;
            }
            if self.cur.has_key(&k) && self.cur.get(&k) != Some(v.as_str()) {
                self.finish();
            }
            self.cur.push(&k, &v);
        }
        let after = &rest[used..];
        Some(after.strip_prefix('\n').unwrap_or(after))
    }

    /// Reads a text block found inside a JSON string (Alertmanager's `firing` list as "View
    /// Message" shows it) line by line, as if the page showed it; the block's own alerts start
    /// and end as they would in page text.
    fn text_block(&mut self, block: &str) {
        for raw in block.lines() {
            self.line(raw);
        }
        // What follows the string is JSON again, not a continuation of the block's last field.
        self.last_field_indent = None;
        self.last_field_empty = false;
    }

    /// Reads one line.
    fn line(&mut self, raw: &str) {
        let indent = raw.len() - raw.trim_start().len();
        match classify(raw) {
            Line::Blank => {}
            Line::Title(t) => {
                if self.cur.title.is_some() || !self.cur.fields.is_empty() {
                    self.finish();
                    self.sections_seen.clear();
                    self.section_keys.clear();
                }
                self.cur.title = Some(t.to_string());
                self.last_field_indent = None;
            }
            Line::Header(h) => {
                let h = h.to_ascii_lowercase();
                if self.sections_seen.contains(&h) {
                    self.finish();
                    self.sections_seen.clear();
                }
                self.sections_seen.insert(h.clone());
                self.section = h;
                self.section_keys.clear();
                self.last_field_indent = None;
            }
            Line::Source(url) => self.cur.source = Some(url.to_string()),
            Line::Field(k, v) => self.field(raw, indent, k, v),
            Line::Other(t) => self.other(indent, t),
        }
    }

    /// True when a line indented by `indent` continues the last field's empty value.
    fn continues_value(&self, indent: usize) -> bool {
        self.last_field_empty && self.last_field_indent.is_some_and(|i| indent > i)
    }

    /// A `key = value`, `key: value` or `key<TAB>value` line.
    fn field(&mut self, raw: &str, indent: usize, k: &str, v: &str) {
        // A continuation line of a multi-line value (`- description =` then text).
        if self.continues_value(indent) && !raw.contains(" = ") {
            append_to_last(&mut self.cur, raw.trim());
            return;
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
        if self.section_keys.contains(&nk) {
            // The same key again in one block: the next alert has started.
            self.finish();
            self.sections_seen.clear();
            if !self.section.is_empty() {
                self.sections_seen.insert(self.section.clone());
            }
            self.section_keys.clear();
        }
        self.section_keys.insert(nk);
        self.cur.push(k, v);
        self.last_field_indent = Some(indent);
        self.last_field_empty = v.trim().is_empty();
    }

    /// Any other line: a continuation, a yaml-style block header, or free text.
    fn other(&mut self, indent: usize, t: &str) {
        if self.continues_value(indent) {
            append_to_last(&mut self.cur, t);
            return;
        }
        // A yaml-style nested header (`labels:` with no value) is a section.
        if t.ends_with(':') && is_key(t.trim_end_matches(':')) {
            let h = t.trim_end_matches(':').to_ascii_lowercase();
            self.section = h.clone();
            self.section_keys.clear();
            self.sections_seen.insert(h);
            self.last_field_indent = None;
            return;
        }
        if !self.cur.text.is_empty() {
            self.cur.text.push('\n');
        }
        self.cur.text.push_str(t);
        self.last_field_indent = None;
        self.last_field_empty = false;
    }
}

/// Drops what a whole incident page repeats: the incident's title shown above its alerts
/// (an alert with nothing but a title whose situation another alert has), and alerts shown
/// twice with the same fields.
fn dedupe(alerts: Vec<Alert>) -> Vec<Alert> {
    // What a title says fired: an Armada title's situation and region, or an Alertmanager
    // title's alert name (in no region: its label values are not split).
    let situation = |a: &Alert| {
        let t = a.title.as_deref()?;
        match parse_title(t) {
            Some(p) => Some((p.alert_situation.to_ascii_lowercase(), p.region)),
            None => alertmanager_name(t).map(|n| (n.to_ascii_lowercase(), None)),
        }
    };
    let names = |x: &Alert| {
        x.fields
            .iter()
            .any(|f| !f.from_title && vocabulary::identifies_alert(&f.key))
    };
    // What the alerts with a body say, gathered once so each check below is a set lookup and
    // the whole stays linear in the number of alerts.
    let mut body_situations = HashSet::new();
    // A body's `alert_situation` covers a title of that situation in its own region, or in
    // any region when either does not say one: the same situation in another region is
    // another alert (two collapsed rows of one incident, us-south and eu-de).
    let mut body_situation_places = HashSet::new();
    let mut body_situations_anywhere = HashSet::new();
    let mut body_situations_unplaced = HashSet::new();
    let mut named_titles = HashSet::new();
    for b in &alerts {
        if b.fields.iter().any(|f| !f.from_title) {
            body_situations.insert(situation(b));
            if let Some(v) = b.get("alert_situation") {
                let v = v.to_ascii_lowercase();
                match b.region() {
                    Some(r) => body_situation_places.insert((v.clone(), r.to_ascii_lowercase())),
                    None => body_situations_unplaced.insert(v.clone()),
                };
                body_situations_anywhere.insert(v);
            }
        }
        if names(b) {
            named_titles.insert(b.title.as_deref().map(title::without_number));
        }
    }
    let mut seen: HashSet<(Option<&str>, &[Field])> = HashSet::new();
    let mut out: Vec<Alert> = Vec::with_capacity(alerts.len());
    for a in &alerts {
        let title = a.title.as_deref().map(title::without_number);
        // The incident's title shown above its alerts: a title-only alert whose situation an
        // alert with a body has.
        if a.title.is_some() && a.fields.iter().all(|f| f.from_title) {
            let s = situation(a);
            let by_value = s.as_ref().is_some_and(|(sit, region)| match region {
                Some(r) => {
                    body_situations_unplaced.contains(sit)
                        || body_situation_places.contains(&(sit.clone(), r.to_ascii_lowercase()))
                }
                None => body_situations_anywhere.contains(sit),
            });
            if body_situations.contains(&s) || by_value {
                continue;
            }
        }
        // The same alert shown twice.
        if !a.fields.is_empty() && !seen.insert((title, a.fields.as_slice())) {
            continue;
        }
        // The incident's title above page metadata (`Priority: P2`), then the same title
        // again with the alert's body: one alert. The copy without alert names goes.
        if a.title.is_some() && !names(a) && named_titles.contains(&title) {
            continue;
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
    alerts.push(done);
}

/// Free text before a title or fields (page chrome, a heading) belongs to nobody; an alert
/// made only of such text is kept only when nothing structured was found at all. Otherwise
/// its text joins the alert before it (the text above the first structured alert joins that
/// one, nearest first) so its words still count. One pass over the alerts.
fn fold_text_only(alerts: Vec<Alert>) -> Vec<Alert> {
    let structured = |a: &Alert| a.title.is_some() || !a.fields.is_empty();
    if alerts.len() < 2 || !alerts.iter().any(structured) {
        return alerts;
    }
    let append = |to: &mut String, text: &str| {
        if !to.is_empty() {
            to.push('\n');
        }
        to.push_str(text);
    };
    let mut out: Vec<Alert> = Vec::with_capacity(alerts.len());
    let mut leading: Vec<String> = Vec::new();
    for mut a in alerts {
        if structured(&a) {
            if out.is_empty() {
                for text in leading.drain(..).rev() {
                    append(&mut a.text, &text);
                }
            }
            out.push(a);
        } else if let Some(last) = out.last_mut() {
            append(&mut last.text, &a.text);
        } else {
            leading.push(a.text);
        }
    }
    out
}
