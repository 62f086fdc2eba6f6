//! Ranking the pages of an index for one alert: identifier postings first, Example Alert
//! patterns, then BM25 over words; reasons are written only for the pages shown.

use super::features::{alert_features, alert_words, glob_match, Feature};
use super::index::{Index, Origin};
use crate::alert::Alert;
use crate::pack::PageMeta;
use crate::vocabulary::names_rule;
use crate::vocabulary::weights::{
    BM25_B, BM25_K1, COMMON_WORD_MIN_PAGES, COMMON_WORD_PAGES_PER, CONFIDENT_EVIDENCE,
    COVERAGE_BONUS, NAME_FIELD, NOT_ALERT_PAGE, PATTERN_SCORE, REASON_MIN_STRENGTH,
    WORD_FIT_MIN_WORDS, WORD_FIT_SHARE, WORD_SCALE,
};

/// At most this many identifier reasons are shown per page, strongest first.
const MAX_ID_REASONS: usize = 4;

/// At most this many shared words are named in the words reason.
const MAX_REASON_WORDS: usize = 6;

/// A ranked runbook for an alert.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub doc: usize,
    pub score: f32,
    /// True when the evidence is strong enough to call it a fit.
    pub confident: bool,
    pub reasons: Vec<String>,
}

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

/// An identifier match worth a reason: (page, contribution, feature index, origin).
type IdHit = (u32, f32, u32, Origin);
/// A pattern match: (page, contribution, feature index, pattern index).
type PatternHit = (u32, f32, u32, u32);
/// A word match: (page, contribution, query word index).
type WordHit = (u32, f32, u32);

/// The sums of every page, and the pages that have any (in the order first touched).
struct Scores {
    acc: Vec<Acc>,
    touched: Vec<u32>,
}

impl Scores {
    fn new(pages: usize) -> Scores {
        Scores {
            acc: vec![Acc::default(); pages],
            touched: Vec::new(),
        }
    }

    /// The sums of `doc`, remembering that it has evidence.
    fn touch(&mut self, doc: u32) -> &mut Acc {
        let a = &mut self.acc[doc as usize];
        if !a.touched {
            a.touched = true;
            self.touched.push(doc);
        }
        a
    }
}

/// Everything the reasons of a page are written from.
struct Evidence {
    feats: Vec<Feature>,
    qwords: Vec<String>,
    id_hits: Vec<IdHit>,
    pattern_hits: Vec<PatternHit>,
    word_hits: Vec<WordHit>,
}

/// Ranks the runbooks of `index` for `alert`, best first, at most `limit`.
///
/// Cost grows with the postings of the alert's own identifiers and rare words. Words found in
/// more than a tenth of the pages only add to pages that already have other evidence, looked
/// up by binary search, so a large pack does not make every query walk every page.
pub fn rank(index: &Index, pages: &[PageMeta], alert: &Alert, limit: usize) -> Vec<Ranked> {
    let feats = query_features(alert);
    let mut scores = Scores::new(index.doc_len.len());
    let id_hits = add_identifiers(index, &feats, &mut scores);
    let pattern_hits = add_patterns(index, &feats, &mut scores);
    let mut qwords = alert_words(alert);
    crate::text::sort_stable_by(&mut qwords, |a, b| a.cmp(b));
    qwords.dedup();
    let word_hits = add_words(index, &qwords, &mut scores);
    let mut ranked = final_scores(index, &scores, qwords.len());
    crate::text::sort_stable_by(&mut ranked, |a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| pages[a.0 as usize].file.cmp(&pages[b.0 as usize].file))
    });
    ranked.truncate(limit);
    let evidence = Evidence {
        feats,
        qwords,
        id_hits,
        pattern_hits,
        word_hits,
    };
    ranked
        .into_iter()
        .map(|(doc, score, confident)| Ranked {
            doc: doc as usize,
            score,
            confident,
            reasons: evidence.reasons(index, doc),
        })
        .collect()
}

/// The alert's identifier features, the strongest per identifier, in a stable order.
fn query_features(alert: &Alert) -> Vec<Feature> {
    let mut feats = Vec::new();
    alert_features(alert, &mut feats);
    crate::text::sort_stable_by(&mut feats, |a, b| {
        a.id.cmp(&b.id)
            .then_with(|| b.strength.total_cmp(&a.strength))
    });
    feats.dedup_by(|a, b| a.id == b.id);
    feats
}

/// Adds the postings of the alert's identifiers; returns the matches worth a reason.
fn add_identifiers(index: &Index, feats: &[Feature], scores: &mut Scores) -> Vec<IdHit> {
    let mut hits = Vec::new();
    let idf_unique = index.idf(1).max(f32::EPSILON);
    for (fi, f) in feats.iter().enumerate() {
        let postings = index.ids(&f.id);
        if postings.is_empty() {
            continue;
        }
        let idf = index.idf(postings.len());
        for p in &postings {
            let a = scores.touch(p.doc);
            let s = idf * f.strength * p.strength;
            a.id_score += s;
            // Evidence for calling a page a fit, independent of the pack's size: strength
            // times rarity relative to a unique identifier.
            a.evidence += f.strength * p.strength * idf / idf_unique;
            if p.origin == Origin::Example {
                a.covered += p.strength;
            }
            if f.strength * p.strength >= REASON_MIN_STRENGTH {
                hits.push((p.doc, s, fi as u32, p.origin));
            }
        }
    }
    hits
}

/// Adds the Example Alert patterns (`<DEPLOYMENT>_unavailable`) the alert's names fit.
fn add_patterns(index: &Index, feats: &[Feature], scores: &mut Scores) -> Vec<PatternHit> {
    let mut hits = Vec::new();
    for (fi, f) in feats.iter().enumerate() {
        // Patterns come from name fields, so only names are tried against them.
        if f.strength < NAME_FIELD {
            continue;
        }
        for (pi, p) in index.patterns.iter().enumerate() {
            if glob_match(&p.pieces, &f.shown) {
                let s = PATTERN_SCORE * f.strength / NAME_FIELD;
                let a = scores.touch(p.doc);
                a.id_score += s;
                a.evidence += f.strength / NAME_FIELD;
                hits.push((p.doc, s, fi as u32, pi as u32));
            }
        }
    }
    hits
}

/// Adds BM25 over the alert's words: rare words to every page that has them, common words
/// only to pages that already have evidence.
fn add_words(index: &Index, qwords: &[String], scores: &mut Scores) -> Vec<WordHit> {
    let avg = index.avg_len.max(1.0);
    let bm25 = |doc: u32, tf: f32, idf: f32| {
        let len = index.doc_len[doc as usize];
        WORD_SCALE * idf * tf * (BM25_K1 + 1.0)
            / (tf + BM25_K1 * (1.0 - BM25_B + BM25_B * len / avg))
    };
    let mut hits = Vec::new();
    let common_df = (index.doc_len.len() / COMMON_WORD_PAGES_PER).max(COMMON_WORD_MIN_PAGES);
    let mut common: Vec<(usize, Vec<(u32, f32)>)> = Vec::new();
    for (wi, w) in qwords.iter().enumerate() {
        let postings = index.words(w);
        if postings.is_empty() {
            continue;
        }
        if postings.len() > common_df {
            common.push((wi, postings));
            continue;
        }
        let idf = index.idf(postings.len());
        for &(doc, tf) in &postings {
            let s = bm25(doc, tf, idf);
            let a = scores.touch(doc);
            a.word_score += s;
            a.words_found += 1;
            hits.push((doc, s, wi as u32));
        }
    }
    for (wi, postings) in common {
        let idf = index.idf(postings.len());
        for &doc in &scores.touched {
            if let Ok(pos) = postings.binary_search_by_key(&doc, |&(d, _)| d) {
                let s = bm25(doc, postings[pos].1, idf);
                let a = &mut scores.acc[doc as usize];
                a.word_score += s;
                a.words_found += 1;
                hits.push((doc, s, wi as u32));
            }
        }
    }
    hits
}

/// (page, score, confident) of every page with evidence, unsorted.
fn final_scores(index: &Index, scores: &Scores, query_words: usize) -> Vec<(u32, f32, bool)> {
    scores
        .touched
        .iter()
        .map(|&doc| {
            let a = &scores.acc[doc as usize];
            // When the alert shows all of a page's Example Alert, that page fits best.
            let coverage = a.covered / index.example_weight[doc as usize].max(1.0);
            let mut score = a.id_score + a.word_score + COVERAGE_BONUS * coverage.min(1.0);
            if !index.is_alert[doc as usize] {
                score *= NOT_ALERT_PAGE;
            }
            let word_fit = a.words_found >= WORD_FIT_MIN_WORDS
                && a.words_found as f32 >= WORD_FIT_SHARE * query_words as f32;
            (doc, score, a.evidence >= CONFIDENT_EVIDENCE || word_fit)
        })
        .collect()
}

impl Evidence {
    /// The reasons `doc` ranks where it does: its strongest identifier and pattern matches,
    /// then the words it shares with the alert.
    fn reasons(&self, index: &Index, doc: u32) -> Vec<String> {
        let ids = self
            .id_hits
            .iter()
            .filter(|h| h.0 == doc)
            .map(|&(_, s, fi, origin)| (s, reason_for(&self.feats[fi as usize], origin)));
        let patterns = self
            .pattern_hits
            .iter()
            .filter(|h| h.0 == doc)
            .map(|&(_, s, fi, pi)| {
                let f = &self.feats[fi as usize];
                let original = &index.patterns[pi as usize].original;
                (s, pattern_reason(f, original))
            });
        let mut reasons: Vec<(f32, String)> = ids.chain(patterns).collect();
        // Ties are broken by text so the output is the same on every run.
        crate::text::sort_stable_by(&mut reasons, |a, b| {
            b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
        });
        let mut texts: Vec<String> = Vec::new();
        for (_, r) in reasons {
            if !texts.contains(&r) && texts.len() < MAX_ID_REASONS {
                texts.push(r);
            }
        }
        let mut ws: Vec<(f32, &str)> = self
            .word_hits
            .iter()
            .filter(|h| h.0 == doc)
            .map(|&(_, s, wi)| (s, self.qwords[wi as usize].as_str()))
            .collect();
        crate::text::sort_stable_by(&mut ws, |a, b| {
            b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1))
        });
        let top: Vec<String> = ws
            .iter()
            .take(MAX_REASON_WORDS)
            .map(|(_, w)| format!("`{w}`"))
            .collect();
        if !top.is_empty() {
            texts.push(format!(
                "shares the words {} with the runbook",
                top.join(", ")
            ));
        }
        texts
    }
}

/// How an alert value reads in a reason: bare for text, named after its field otherwise.
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

/// The reason of a name that fits an Example Alert pattern.
fn pattern_reason(f: &Feature, original: &str) -> String {
    let field = if f.field.is_empty() {
        "the alert".to_string()
    } else {
        format!("`{}`", f.field)
    };
    format!(
        "{field} `{}` matches the Example Alert pattern `{original}`",
        f.shown
    )
}
