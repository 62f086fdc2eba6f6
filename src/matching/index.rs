//! The index of a pack, built once: for each identifier the pages that name it (with strength
//! and origin), the placeholder patterns of Example Alerts, and word postings for BM25.

use std::collections::HashMap;

use super::features::{alert_features, pattern_pieces, strip_volatile};
use crate::runbook::{blocks_text, code_spans, Runbook};
use crate::text::{canonical_id, for_each_word, identifiers, is_volatile, FastMap};
use crate::vocabulary::is_name_key;
use crate::vocabulary::weights::{
    BODY_ID, BODY_WORDS, EXAMPLE_WORDS, HEADING_WORDS, RUNBOOK_TITLE_ID, SERVICE,
};

/// A page stops counting code-span identifiers once it has more than this many: a long
/// reference page would otherwise match every alert that shares a command with it.
const MAX_BODY_CODE_IDS: usize = 300;

/// Code spans longer than this are commands or output, not names.
const MAX_CODE_ID_LEN: usize = 120;

/// Where a runbook feature came from, for the reasons shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Origin {
    /// A field of the Example Alert, or its text.
    Example,
    /// The front matter `service`.
    Service,
    /// The page title or `runbook-name`.
    Title,
    /// A heading or a code span of the page.
    Body,
}

/// One page naming an identifier.
#[derive(Debug, Clone)]
pub(super) struct Posting {
    pub(super) doc: u32,
    pub(super) strength: f32,
    pub(super) origin: Origin,
}

/// An identifier pattern from an Example Alert that holds a placeholder
/// (`<DEPLOYMENT>_unavailable`, `xxxxxxxxxxx`).
#[derive(Debug, Clone)]
pub(super) struct Pattern {
    pub(super) pieces: Vec<String>,
    pub(super) original: String,
    pub(super) doc: u32,
}

/// The index of a pack: identifier and word postings.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub(super) ids: FastMap<String, Vec<Posting>>,
    pub(super) patterns: Vec<Pattern>,
    pub(super) words: FastMap<String, Vec<(u32, f32)>>,
    pub(super) doc_len: Vec<f32>,
    pub(super) avg_len: f32,
    pub(super) is_alert: Vec<bool>,
    /// Total strength of each page's Example Alert features, for coverage.
    pub(super) example_weight: Vec<f32>,
}

/// The identifiers of one page: the strongest strength of each and where it came from.
type PageIds = HashMap<String, (f32, Origin)>;

/// Keeps the strongest strength of `id` (the first origin on a tie).
fn add_id(ids: &mut PageIds, id: String, strength: f32, origin: Origin) {
    let e = ids.entry(id).or_insert((0.0, origin));
    if strength > e.0 {
        *e = (strength, origin);
    }
}

impl Index {
    /// Builds the index of `runbooks`.
    pub fn build(runbooks: &[Runbook]) -> Index {
        let mut index = Index::default();
        for (doc, rb) in runbooks.iter().enumerate() {
            let doc = doc as u32;
            index.add_patterns(doc, rb);
            index.add_ids(doc, page_ids(rb));
            index.add_words(doc, rb);
            index.is_alert.push(rb.is_alert());
        }
        let n = index.doc_len.len().max(1) as f32;
        index.avg_len = index.doc_len.iter().sum::<f32>() / n;
        index
    }

    /// The placeholder patterns of the page's Example Alerts, from the fields that name the
    /// alert or come from the PD title.
    fn add_patterns(&mut self, doc: u32, rb: &Runbook) {
        for f in rb.example_alerts.iter().flat_map(|a| &a.fields) {
            if is_name_key(&f.key) || f.from_title {
                if let Some(pieces) = pattern_pieces(&f.value) {
                    self.patterns.push(Pattern {
                        pieces,
                        original: f.value.clone(),
                        doc,
                    });
                }
            }
        }
    }

    /// Adds the page's identifiers to the postings, and its Example Alert weight.
    fn add_ids(&mut self, doc: u32, ids: PageIds) {
        let mut example_weight = 0.0;
        for (id, (strength, origin)) in ids {
            if origin == Origin::Example {
                example_weight += strength;
            }
            self.ids.entry(id).or_default().push(Posting {
                doc,
                strength,
                origin,
            });
        }
        self.example_weight.push(example_weight);
    }

    /// Adds the page's words, weighted by where they stand, and its length.
    fn add_words(&mut self, doc: u32, rb: &Runbook) {
        let mut counts = WordCounts::default();
        counts.count(&rb.example_text, EXAMPLE_WORDS);
        let titles = [
            &rb.front.title,
            &rb.front.runbook_name,
            &rb.front.description,
        ];
        for t in titles.into_iter().flatten() {
            counts.count(t, HEADING_WORDS);
        }
        for (i, s) in rb.sections.iter().enumerate() {
            if Some(i) == rb.example_section {
                continue;
            }
            counts.count(&s.heading, HEADING_WORDS);
            counts.count(&blocks_text(&s.blocks), BODY_WORDS);
        }
        for (w, f) in counts.tf {
            self.words.entry(w).or_default().push((doc, f));
        }
        self.doc_len.push(counts.len);
    }

    /// BM25's inverse document frequency of a term found in `df` pages.
    pub(super) fn idf(&self, df: usize) -> f32 {
        let n = self.doc_len.len() as f32;
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }
}

/// The identifiers of one page, strongest first by where they stand: the Example Alert, the
/// service, the title, then the body.
fn page_ids(rb: &Runbook) -> PageIds {
    let mut ids = PageIds::new();
    let mut example = Vec::new();
    for a in &rb.example_alerts {
        alert_features(a, &mut example);
    }
    for f in example {
        add_id(&mut ids, f.id, f.strength, Origin::Example);
    }
    if let Some(service) = &rb.front.service {
        add_id(
            &mut ids,
            canonical_id(service.trim()),
            SERVICE,
            Origin::Service,
        );
    }
    for t in [&rb.front.title, &rb.front.runbook_name]
        .into_iter()
        .flatten()
    {
        for id in identifiers(t) {
            if !is_volatile(&id) {
                add_id(&mut ids, canonical_id(&id), RUNBOOK_TITLE_ID, Origin::Title);
            }
        }
    }
    body_ids(rb, &mut ids);
    ids
}

/// The identifiers of the page's headings and code spans (outside the Example Alert).
fn body_ids(rb: &Runbook, ids: &mut PageIds) {
    let mut code_ids = 0;
    for (i, s) in rb.sections.iter().enumerate() {
        if Some(i) == rb.example_section {
            continue;
        }
        for id in identifiers(&s.heading) {
            if !is_volatile(&id) {
                add_id(ids, canonical_id(&id), BODY_ID, Origin::Body);
            }
        }
        for code in code_spans(&s.blocks) {
            if code_ids > MAX_BODY_CODE_IDS
                || code.contains(char::is_whitespace)
                || code.len() > MAX_CODE_ID_LEN
            {
                continue;
            }
            if !is_volatile(&code) && code.chars().any(|c| c.is_ascii_alphabetic()) {
                add_id(ids, canonical_id(&code), BODY_ID, Origin::Body);
                code_ids += 1;
            }
        }
    }
}

/// Term frequencies of one page, each occurrence weighted by where it stands.
#[derive(Default)]
struct WordCounts {
    tf: FastMap<String, f32>,
    len: f32,
}

impl WordCounts {
    fn count(&mut self, text: &str, weight: f32) {
        for_each_word(&strip_volatile(text), |w| {
            match self.tf.get_mut(w) {
                Some(v) => *v += weight,
                None => {
                    self.tf.insert(w.to_string(), weight);
                }
            }
            self.len += weight;
        });
    }
}
