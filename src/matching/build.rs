//! Building the index of a pack from its pages (identifier and word postings, Example Alert
//! patterns, page lengths) and writing it into the pack's `index` section, where
//! [`super::Index`] looks it up in place.

use std::collections::HashMap;

use super::features::{alert_features, pattern_pieces, strip_volatile};
use super::index::{Origin, Pattern};
use crate::pack::bytes::Writer;
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

/// The index of a pack as it is built from its pages, before it is written into the pack
/// (`write`): identifier and word postings by term, in page order.
#[derive(Default)]
pub(crate) struct Built {
    ids: FastMap<String, Vec<(u32, f32, Origin)>>,
    patterns: Vec<Pattern>,
    words: FastMap<String, Vec<(u32, f32)>>,
    doc_len: Vec<f32>,
    /// Total strength of each page's Example Alert features, for coverage.
    example_weight: Vec<f32>,
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

impl Built {
    /// Builds the index of `runbooks`.
    pub(crate) fn build(runbooks: &[Runbook]) -> Built {
        let mut index = Built::default();
        for (doc, rb) in runbooks.iter().enumerate() {
            let doc = doc as u32;
            index.add_patterns(doc, rb);
            index.add_ids(doc, page_ids(rb));
            index.add_words(doc, rb);
        }
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
        // In the order of the identifiers, so the sum (and the pack file) is the same on
        // every run: a hash map's order differs between runs.
        let mut ids: Vec<(String, (f32, Origin))> = ids.into_iter().collect();
        crate::text::sort_stable_by(&mut ids, |a, b| a.0.cmp(&b.0));
        for (id, (strength, origin)) in ids {
            if origin == Origin::Example {
                example_weight += strength;
            }
            self.ids
                .entry(id)
                .or_default()
                .push((doc, strength, origin));
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

impl Built {
    /// Writes the index as `Index::read` reads it: the table of distinct identifier strengths,
    /// the identifier and word dictionaries sorted by term (with an offset table, so a term is
    /// found by binary search without reading the others), the patterns, then per page its
    /// length and Example Alert weight. Word frequencies and lengths are sums of the integer
    /// weights 3, 2 and 1, so they are written as integers and read back exactly.
    pub(crate) fn write(&self, w: &mut Writer) {
        let mut strengths: Vec<f32> = Vec::new();
        for &(_, s, _) in self.ids.values().flatten() {
            if !strengths.iter().any(|t| t.to_bits() == s.to_bits()) {
                strengths.push(s);
            }
        }
        // Sorted, so the pack file is the same on every run.
        crate::text::sort_stable_by(&mut strengths, |a, b| a.total_cmp(b));
        w.len(strengths.len());
        for s in &strengths {
            w.f32(*s);
        }
        write_dict(w, &self.ids, |w, postings| {
            let mut last = 0;
            for &(doc, s, origin) in postings {
                w.uint(u64::from(doc - last));
                last = doc;
                let si = strengths
                    .iter()
                    .position(|t| t.to_bits() == s.to_bits())
                    .unwrap_or(0);
                w.len(si);
                w.u8(origin as u8);
            }
        });
        write_dict(w, &self.words, |w, postings| {
            let mut last = 0;
            for &(doc, tf) in postings {
                w.uint(u64::from(doc - last));
                last = doc;
                w.uint(tf as u64);
            }
        });
        w.len(self.patterns.len());
        for p in &self.patterns {
            w.uint(u64::from(p.doc));
            w.str(&p.original);
            w.strs(&p.pieces);
        }
        w.len(self.doc_len.len());
        for (len, weight) in self.doc_len.iter().zip(&self.example_weight) {
            w.uint(*len as u64);
            w.f32(*weight);
        }
    }
}

/// Writes a dictionary: its size, an offset table of `u32`s (little-endian, one per term and
/// one for the end, from the start of the entries), then each entry: the term, its number of
/// pages and its postings, as `postings` writes them.
fn write_dict<P>(
    w: &mut Writer,
    dict: &FastMap<String, Vec<P>>,
    postings: impl Fn(&mut Writer, &[P]),
) {
    let mut terms: Vec<(&String, &Vec<P>)> = dict.iter().collect();
    crate::text::sort_stable_by(&mut terms, |a, b| a.0.cmp(b.0));
    let mut entries = Writer::new();
    let mut offsets = Vec::with_capacity(terms.len() + 1);
    for (term, list) in &terms {
        offsets.push(entries.buf.len() as u32);
        entries.str(term);
        entries.len(list.len());
        postings(&mut entries, list);
    }
    offsets.push(entries.buf.len() as u32);
    w.len(terms.len());
    for o in offsets {
        w.buf.extend_from_slice(&o.to_le_bytes());
    }
    w.buf.extend_from_slice(&entries.buf);
}
