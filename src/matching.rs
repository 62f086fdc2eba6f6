//! Matching: an alert → ranked runbooks with the reasons, then the scenario inside the best
//! runbook. Exact identifiers (alert name, `alert_situation`, `alert_key`, service, PD title
//! parts, names in the Example Alert) weigh most; words add evidence; values that differ
//! between incidents (region, carrier, IDs, numbers, IPs) never count.

use std::collections::HashMap;

use crate::alert::{log_line_fields, Alert, Field};
use crate::runbook::{blocks_text, code_spans, Runbook};
use crate::text::{canonical_id, for_each_word, identifiers, is_volatile, words, FastMap};
use crate::vocabulary::{is_name_key, is_noise_key, names_rule};

/// Where a runbook feature came from, for the reasons shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// A field of the Example Alert, or its text.
    Example,
    /// The front matter `service`.
    Service,
    /// The page title or `runbook-name`.
    Title,
    /// A heading or a code span of the page.
    Body,
}

#[derive(Debug, Clone)]
struct Posting {
    doc: u32,
    strength: f32,
    origin: Origin,
}

/// An identifier pattern from an Example Alert that holds a placeholder
/// (`<DEPLOYMENT>_unavailable`, `xxxxxxxxxxx`).
#[derive(Debug, Clone)]
struct Pattern {
    pieces: Vec<String>,
    original: String,
    doc: u32,
}

/// The index of a pack: identifier and word postings.
#[derive(Debug, Clone, Default)]
pub struct Index {
    ids: FastMap<String, Vec<Posting>>,
    patterns: Vec<Pattern>,
    words: FastMap<String, Vec<(u32, f32)>>,
    doc_len: Vec<f32>,
    avg_len: f32,
    is_alert: Vec<bool>,
    /// Total strength of each page's Example Alert features, for coverage.
    example_weight: Vec<f32>,
}

/// One identifier of a query or a document with its strength.
#[derive(Debug, Clone)]
struct Feature {
    id: String,
    strength: f32,
    /// The alert field it came from, for reasons (`alert_situation`), or empty for text.
    field: String,
    /// The value as written.
    shown: String,
    from_title: bool,
}

/// True when a value is a placeholder or a redacted stand-in rather than a real value.
fn is_stand_in(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    v.contains('<') || v.contains("xxx") || v.contains("{{") || v.contains("{%")
}

/// Removes volatile tokens (regions, carriers, IDs, numbers, IPs) from free text.
fn strip_volatile(text: &str) -> String {
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

/// The identifier features of one alert (query side or Example Alert side).
fn alert_features(alert: &Alert, out: &mut Vec<Feature>) {
    let mut push = |id: &str, strength: f32, field: &str, shown: &str, from_title: bool| {
        if id.len() >= 3 {
            out.push(Feature {
                id: id.to_string(),
                strength,
                field: field.to_string(),
                shown: shown.to_string(),
                from_title,
            });
        }
    };
    for f in &alert.fields {
        let v = f.value.trim();
        if v.is_empty() || is_volatile(v) || is_noise_key(&f.key) {
            continue;
        }
        let name = is_name_key(&f.key);
        if !v.contains(char::is_whitespace) && v.len() <= 160 {
            let strength = if name { 3.0 } else { 1.0 };
            let canon = canonical_id(v);
            push(&canon, strength, &f.key, v, f.from_title);
            // The parts of a compound name (`cluster_squad/orchestrator_…/DeleteClientID`).
            let parts: Vec<&str> = canon
                .split(['/', '.', ':'])
                .filter(|p| p.len() >= 4)
                .collect();
            if parts.len() > 1 {
                for p in parts {
                    push(p, strength * 0.3, &f.key, v, f.from_title);
                }
            }
        } else if !is_stand_in(v) {
            for id in identifiers(v) {
                if !is_volatile(&id) {
                    push(
                        &canonical_id(&id),
                        if name { 1.5 } else { 0.4 },
                        &f.key,
                        &id,
                        f.from_title,
                    );
                }
            }
        }
    }
    if let Some(title) = &alert.title {
        if crate::alert::parse_title(title).is_none() {
            for id in identifiers(title) {
                if !is_volatile(&id) {
                    push(&canonical_id(&id), 1.0, "", &id, true);
                }
            }
        }
    }
    for id in identifiers(&alert.text) {
        if !is_volatile(&id) && id.len() <= 160 {
            push(&canonical_id(&id), 0.6, "", &id, false);
        }
    }
    // Free-text lines: a line that is one identifier (`KubernetesPodScrapeFailure`) names the
    // alert; a longer line is compared whole, without its volatile parts, so Sysdig and
    // synthetic-check texts match the same text of another incident.
    for line in alert.text.lines().chain(
        alert
            .fields
            .iter()
            .filter(|f| f.value.contains(' '))
            .map(|f| f.value.as_str()),
    ) {
        let line = line
            .trim()
            .trim_start_matches(['-', '*', '+'])
            .trim()
            .trim_matches('`');
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if tokens.len() == 1 {
            let id = tokens[0].trim_matches(|c: char| !c.is_ascii_alphanumeric());
            if id.len() >= 6
                && !is_volatile(id)
                && id.chars().any(|c| c.is_ascii_alphabetic())
                && (id.contains('_') || id.chars().skip(1).any(|c| c.is_ascii_uppercase()))
            {
                push(
                    &canonical_id(id),
                    if alert.fields.is_empty() { 3.0 } else { 1.0 },
                    "",
                    id,
                    false,
                );
            }
        } else if tokens.len() >= 2 && line.len() <= 400 {
            let w = words(&strip_volatile(line));
            if w.len() >= 2 {
                push(&format!("~{}", w.join(" ")), 1.0, "", line, false);
            }
        }
    }
}

/// Words of an alert for the fuzzy part of matching.
fn alert_words(alert: &Alert) -> Vec<String> {
    let mut text = String::new();
    for f in &alert.fields {
        if !is_volatile(&f.value) && !is_noise_key(&f.key) {
            text.push_str(&f.value);
            text.push(' ');
        }
    }
    if let Some(t) = &alert.title {
        if crate::alert::parse_title(t).is_none() {
            text.push_str(t);
            text.push(' ');
        }
    }
    text.push_str(&alert.text);
    words(&strip_volatile(&text))
}

/// Glob pieces of a stand-in value: `<DEPLOYMENT>_unavailable` → ["", "_unavailable"].
fn pattern_pieces(value: &str) -> Option<Vec<String>> {
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
    // A pattern must keep enough literal text to mean something.
    let literal: usize = pieces.iter().map(String::len).sum();
    (literal >= 6).then_some(pieces)
}

fn glob_match(pieces: &[String], value: &str) -> bool {
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
    // Each wildcard stands for at least one character.
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

impl Index {
    /// Builds the index of `runbooks`.
    pub fn build(runbooks: &[Runbook]) -> Index {
        let mut index = Index::default();
        for (doc, rb) in runbooks.iter().enumerate() {
            let doc = doc as u32;
            let mut feats: HashMap<String, (f32, Origin)> = HashMap::new();
            let mut add = |id: String, strength: f32, origin: Origin| {
                let e = feats.entry(id).or_insert((0.0, origin));
                if strength > e.0 {
                    *e = (strength, origin);
                }
            };
            let mut fs = Vec::new();
            for a in &rb.example_alerts {
                alert_features(a, &mut fs);
                for f in &a.fields {
                    if is_name_key(&f.key) || f.from_title {
                        if let Some(pieces) = pattern_pieces(&f.value) {
                            index.patterns.push(Pattern {
                                pieces,
                                original: f.value.clone(),
                                doc,
                            });
                        }
                    }
                }
            }
            for f in fs.drain(..) {
                add(f.id, f.strength, Origin::Example);
            }
            if let Some(service) = &rb.front.service {
                add(canonical_id(service.trim()), 1.0, Origin::Service);
            }
            for t in [&rb.front.title, &rb.front.runbook_name]
                .into_iter()
                .flatten()
            {
                for id in identifiers(t) {
                    if !is_volatile(&id) {
                        add(canonical_id(&id), 0.5, Origin::Title);
                    }
                }
            }
            let mut body_ids = 0;
            for (i, s) in rb.sections.iter().enumerate() {
                if Some(i) == rb.example_section {
                    continue;
                }
                for id in identifiers(&s.heading) {
                    if !is_volatile(&id) {
                        add(canonical_id(&id), 0.3, Origin::Body);
                    }
                }
                for code in code_spans(&s.blocks) {
                    if body_ids > 300 || code.contains(char::is_whitespace) || code.len() > 120 {
                        continue;
                    }
                    if !is_volatile(&code) && code.chars().any(|c| c.is_ascii_alphabetic()) {
                        add(canonical_id(&code), 0.3, Origin::Body);
                        body_ids += 1;
                    }
                }
            }
            let mut example_weight = 0.0;
            for (id, (strength, origin)) in feats {
                if origin == Origin::Example {
                    example_weight += strength;
                }
                index.ids.entry(id).or_default().push(Posting {
                    doc,
                    strength,
                    origin,
                });
            }
            index.example_weight.push(example_weight);
            // Words, weighted by where they stand.
            let mut tf: FastMap<String, f32> = FastMap::default();
            let mut len = 0.0;
            let mut count = |text: &str, weight: f32, tf: &mut FastMap<String, f32>| {
                for_each_word(&strip_volatile(text), |w| {
                    match tf.get_mut(w) {
                        Some(v) => *v += weight,
                        None => {
                            tf.insert(w.to_string(), weight);
                        }
                    }
                    len += weight;
                });
            };
            count(&rb.example_text, 3.0, &mut tf);
            for t in [
                &rb.front.title,
                &rb.front.runbook_name,
                &rb.front.description,
            ]
            .into_iter()
            .flatten()
            {
                count(t, 2.0, &mut tf);
            }
            for (i, s) in rb.sections.iter().enumerate() {
                if Some(i) == rb.example_section {
                    continue;
                }
                count(&s.heading, 2.0, &mut tf);
                count(&blocks_text(&s.blocks), 1.0, &mut tf);
            }
            for (w, f) in tf {
                index.words.entry(w).or_default().push((doc, f));
            }
            index.doc_len.push(len);
            index.is_alert.push(rb.is_alert());
        }
        let n = index.doc_len.len().max(1) as f32;
        index.avg_len = index.doc_len.iter().sum::<f32>() / n;
        index
    }

    fn idf(&self, df: usize) -> f32 {
        let n = self.doc_len.len() as f32;
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }
}

/// A ranked runbook for an alert.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub doc: usize,
    pub score: f32,
    /// True when the evidence is strong enough to call it a fit.
    pub confident: bool,
    pub reasons: Vec<String>,
}

/// The least identifier evidence called a fit: one identifier of the alert, found in the
/// page's Example Alert and in no other page (or a name found in a few pages).
const CONFIDENT_EVIDENCE: f32 = 0.9;

/// Per-page sums while ranking.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    id_score: f32,
    word_score: f32,
    evidence: f32,
    covered: f32,
    words_found: u32,
    touched: bool,
}

/// Ranks the runbooks of `index` for `alert`, best first, at most `limit`.
///
/// Cost grows with the postings of the alert's own identifiers and rare words. Words found in
/// more than a tenth of the pages only add to pages that already have other evidence, looked
/// up by binary search, so a large pack does not make every query walk every page.
pub fn rank(index: &Index, runbooks: &[Runbook], alert: &Alert, limit: usize) -> Vec<Ranked> {
    let mut feats = Vec::new();
    alert_features(alert, &mut feats);
    // Keep the strongest feature per identifier, in a stable order.
    feats.sort_by(|a, b| {
        a.id.cmp(&b.id)
            .then_with(|| b.strength.total_cmp(&a.strength))
    });
    feats.dedup_by(|a, b| a.id == b.id);
    let n = index.doc_len.len();
    let mut acc = vec![Acc::default(); n];
    let mut touched: Vec<u32> = Vec::new();
    let touch = |acc: &mut Vec<Acc>, touched: &mut Vec<u32>, doc: u32| {
        let a = &mut acc[doc as usize];
        if !a.touched {
            a.touched = true;
            touched.push(doc);
        }
    };
    // (doc, contribution, feature index, origin) of identifier matches worth a reason.
    let mut id_hits: Vec<(u32, f32, u32, Origin)> = Vec::new();
    // (doc, contribution, pattern index) of pattern matches.
    let mut pattern_hits: Vec<(u32, f32, u32, u32)> = Vec::new();
    let idf_unique = index.idf(1).max(f32::EPSILON);
    for (fi, f) in feats.iter().enumerate() {
        let Some(postings) = index.ids.get(&f.id) else {
            continue;
        };
        let idf = index.idf(postings.len());
        for p in postings {
            touch(&mut acc, &mut touched, p.doc);
            let a = &mut acc[p.doc as usize];
            let s = idf * f.strength * p.strength;
            a.id_score += s;
            // Evidence for calling a page a fit, independent of the pack's size: strength
            // times rarity relative to a unique identifier.
            a.evidence += f.strength * p.strength * idf / idf_unique;
            if p.origin == Origin::Example {
                a.covered += p.strength;
            }
            if f.strength * p.strength >= 0.9 {
                id_hits.push((p.doc, s, fi as u32, p.origin));
            }
        }
    }
    // Placeholder patterns of Example Alerts (`<DEPLOYMENT>_unavailable`).
    for (fi, f) in feats.iter().enumerate() {
        if f.strength < 3.0 {
            continue;
        }
        for (pi, p) in index.patterns.iter().enumerate() {
            if glob_match(&p.pieces, &f.shown) {
                touch(&mut acc, &mut touched, p.doc);
                let s = 6.0 * f.strength / 3.0;
                let a = &mut acc[p.doc as usize];
                a.id_score += s;
                a.evidence += f.strength / 3.0;
                pattern_hits.push((p.doc, s, fi as u32, pi as u32));
            }
        }
    }
    // Words: BM25, rare words first.
    let mut qwords = alert_words(alert);
    qwords.sort();
    qwords.dedup();
    let (k1, b) = (1.2f32, 0.75f32);
    let avg = index.avg_len.max(1.0);
    let bm25 = |doc: u32, tf: f32, idf: f32| {
        let len = index.doc_len[doc as usize];
        0.35 * idf * tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len / avg))
    };
    let mut word_hits: Vec<(u32, f32, u32)> = Vec::new();
    let common_df = (n / 10).max(50);
    let mut common: Vec<(usize, &Vec<(u32, f32)>)> = Vec::new();
    for (wi, w) in qwords.iter().enumerate() {
        let Some(postings) = index.words.get(w) else {
            continue;
        };
        if postings.len() > common_df {
            common.push((wi, postings));
            continue;
        }
        let idf = index.idf(postings.len());
        for &(doc, tf) in postings {
            touch(&mut acc, &mut touched, doc);
            let s = bm25(doc, tf, idf);
            let a = &mut acc[doc as usize];
            a.word_score += s;
            a.words_found += 1;
            word_hits.push((doc, s, wi as u32));
        }
    }
    for (wi, postings) in common {
        let idf = index.idf(postings.len());
        for &doc in &touched {
            if let Ok(pos) = postings.binary_search_by_key(&doc, |&(d, _)| d) {
                let s = bm25(doc, postings[pos].1, idf);
                let a = &mut acc[doc as usize];
                a.word_score += s;
                a.words_found += 1;
                word_hits.push((doc, s, wi as u32));
            }
        }
    }
    // Final scores.
    let mut ranked: Vec<(u32, f32, bool)> = touched
        .iter()
        .map(|&doc| {
            let a = &acc[doc as usize];
            // When the alert shows all of a page's Example Alert, that page fits best.
            let coverage = a.covered / index.example_weight[doc as usize].max(1.0);
            let mut score = a.id_score + a.word_score + 3.0 * coverage.min(1.0);
            if !index.is_alert[doc as usize] {
                score *= 0.6;
            }
            let word_fit = a.words_found >= 4 && a.words_found as f32 >= 0.6 * qwords.len() as f32;
            (doc, score, a.evidence >= CONFIDENT_EVIDENCE || word_fit)
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.1.total_cmp(&a.1).then_with(|| {
            runbooks[a.0 as usize]
                .file
                .cmp(&runbooks[b.0 as usize].file)
        })
    });
    ranked.truncate(limit);
    // Reasons, only for the pages shown.
    ranked
        .into_iter()
        .map(|(doc, score, confident)| {
            let mut reasons: Vec<(f32, String)> = id_hits
                .iter()
                .filter(|h| h.0 == doc)
                .map(|&(_, s, fi, origin)| (s, reason_for(&feats[fi as usize], origin)))
                .chain(
                    pattern_hits
                        .iter()
                        .filter(|h| h.0 == doc)
                        .map(|&(_, s, fi, pi)| {
                            let f = &feats[fi as usize];
                            let field = if f.field.is_empty() {
                                "the alert".to_string()
                            } else {
                                format!("`{}`", f.field)
                            };
                            (
                                s,
                                format!(
                                    "{field} `{}` matches the Example Alert pattern `{}`",
                                    f.shown, index.patterns[pi as usize].original
                                ),
                            )
                        }),
                )
                .collect();
            // Ties are broken by text so the output is the same on every run.
            reasons.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let mut texts: Vec<String> = Vec::new();
            for (_, r) in reasons {
                if !texts.contains(&r) && texts.len() < 4 {
                    texts.push(r);
                }
            }
            let mut ws: Vec<(f32, &str)> = word_hits
                .iter()
                .filter(|h| h.0 == doc)
                .map(|&(_, s, wi)| (s, qwords[wi as usize].as_str()))
                .collect();
            ws.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            let top: Vec<String> = ws.iter().take(6).map(|(_, w)| format!("`{w}`")).collect();
            if !top.is_empty() {
                texts.push(format!(
                    "shares the words {} with the runbook",
                    top.join(", ")
                ));
            }
            Ranked {
                doc: doc as usize,
                score,
                confident,
                reasons: texts,
            }
        })
        .collect()
}

fn reason_for(f: &Feature, origin: Origin) -> String {
    let what = if f.field.is_empty() {
        format!("`{}`", f.shown)
    } else if names_rule(&f.field) {
        format!("alert name `{}`", f.shown)
    } else {
        format!(
            "`{}` `{}`{}",
            f.field,
            f.shown,
            if f.from_title {
                " (from the PD title)"
            } else {
                ""
            }
        )
    };
    match origin {
        Origin::Example => format!("{what} appears in the Example Alert"),
        Origin::Service => format!("{what} is the runbook's service"),
        Origin::Title => format!("{what} is in the runbook's title"),
        Origin::Body => format!("{what} is named in the runbook"),
    }
}

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
        .filter(|t| t.len() >= 3 && !crate::text::is_stopword(&t.to_ascii_lowercase()))
        .map(|t| t.to_ascii_lowercase())
        .collect()
}

/// Chooses the scenario of `rb` that fits `alert` (and `log_line`, when given).
pub fn choose_scenario(
    rb: &Runbook,
    alert: &Alert,
    log_line: Option<&str>,
) -> Option<ScenarioChoice> {
    // Alert values that can name a scenario: not volatile, not noise, not the alert's name.
    let mut values: Vec<(&str, &str)> = Vec::new();
    for f in &alert.fields {
        let v = f.value.trim();
        if v.len() < 3
            || v.len() > 80
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
    let mut best: Option<(f32, usize, Vec<String>)> = None;
    for (i, s) in rb.sections.iter().enumerate() {
        if s.level == 0 || is_structural(&s.heading) {
            continue;
        }
        let mut score = 0.0;
        let mut why = Vec::new();
        for (k, v) in &values {
            if contains_word(&s.heading, v) {
                score += 3.0;
                why.push(format!("`{k}` `{v}` is in the heading"));
            }
        }
        if score > 0.0 && best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, i, why));
        }
    }
    let mut choice = best.map(|(_, section, reasons)| ScenarioChoice { section, reasons });
    if let Some(line) = log_line.filter(|l| !l.trim().is_empty()) {
        let line_tokens = error_tokens(line);
        let mut line_values: Vec<String> = log_line_fields(line)
            .into_iter()
            .map(|f: Field| f.value)
            .collect();
        line_values.retain(|v| v.len() >= 3);
        let candidates: Vec<usize> = match &choice {
            Some(c) => rb.subtree(c.section),
            None => (0..rb.sections.len()).collect(),
        };
        let mut best_sub: Option<(f32, usize, Vec<String>)> = None;
        for i in candidates {
            let s = &rb.sections[i];
            if s.level == 0 || is_structural(&s.heading) {
                continue;
            }
            let mut score = 0.0;
            let mut hit = Vec::new();
            for t in error_tokens(&s.heading) {
                if line_tokens.contains(&t) {
                    let code_like = t.chars().any(|c| c.is_ascii_digit())
                        && t.chars().any(|c| c.is_ascii_alphabetic());
                    let numeric = t.chars().all(|c| c.is_ascii_digit());
                    score += if code_like {
                        3.0
                    } else if numeric {
                        2.0
                    } else {
                        0.5
                    };
                    if code_like || numeric {
                        hit.push(t);
                    }
                }
            }
            if score >= 2.5
                && best_sub.as_ref().is_none_or(|b| {
                    score > b.0 || (score == b.0 && s.level > rb.sections[b.1].level)
                })
            {
                let reason = if hit.is_empty() {
                    "the log line's wording matches the heading".to_string()
                } else {
                    format!(
                        "the log line's {} matches the heading",
                        hit.iter()
                            .map(|h| format!("`{}`", h.to_ascii_uppercase()))
                            .collect::<Vec<_>>()
                            .join(" and ")
                    )
                };
                best_sub = Some((score, i, vec![reason]));
            }
        }
        if let Some((_, section, mut reasons)) = best_sub {
            if let Some(c) = &choice {
                if c.section != section {
                    let mut r = c.reasons.clone();
                    r.append(&mut reasons);
                    reasons = r;
                }
            }
            choice = Some(ScenarioChoice { section, reasons });
        }
    }
    choice
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

    #[test]
    fn word_containment() {
        assert!(contains_word(
            "ErrorUnclassified in DeleteClientID",
            "deleteclientid"
        ));
        assert!(!contains_word("ErrorUnclassifiedX", "ErrorUnclassified"));
    }
}
