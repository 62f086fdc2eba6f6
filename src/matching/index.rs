//! The index of a pack as the pack file stores it (`build.rs` writes it): looked up in place,
//! never rebuilt at load. A term is found by binary search in a sorted dictionary and only its
//! own postings are decoded, so loading a pack costs one pass of bounds checks, not a hash map
//! of every term. Several packs are one index of segments, each with the number of its first
//! page, so merging packs re-reads nothing; rarity and average length count every page.

use std::sync::Arc;

use crate::pack::bytes::{BytesError, Reader};

/// Where a runbook feature came from, for the reasons shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A field of the Example Alert, or its text.
    Example = 0,
    /// The front matter `service`.
    Service = 1,
    /// The page title or `runbook-name`.
    Title = 2,
    /// A heading or a code span of the page.
    Body = 3,
}

impl Origin {
    fn from_u8(b: u8) -> Option<Origin> {
        match b {
            0 => Some(Origin::Example),
            1 => Some(Origin::Service),
            2 => Some(Origin::Title),
            3 => Some(Origin::Body),
            _ => None,
        }
    }
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
pub(crate) struct Pattern {
    pub(crate) pieces: Vec<String>,
    pub(crate) original: String,
    pub(crate) doc: u32,
}

/// Where a dictionary lies in its pack's bytes: `count` terms, an offset table of `count + 1`
/// little-endian `u32`s at `table`, relative to the entries at `entries`.
#[derive(Debug, Clone, Copy, Default)]
struct Dict {
    count: usize,
    table: usize,
    entries: usize,
}

/// The dictionaries of one pack, over its bytes.
#[derive(Debug, Clone)]
struct Segment {
    bytes: Arc<Vec<u8>>,
    /// The number of the segment's first page in the whole index.
    first_doc: u32,
    strengths: Vec<f32>,
    ids: Dict,
    words: Dict,
}

/// The index of a pack (or of several): identifier and word postings, Example Alert patterns,
/// and per page its length, Example Alert weight and whether it is written for an alert.
#[derive(Debug, Clone, Default)]
pub struct Index {
    segments: Vec<Segment>,
    pub(super) patterns: Vec<Pattern>,
    pub(super) doc_len: Vec<f32>,
    pub(super) avg_len: f32,
    pub(super) is_alert: Vec<bool>,
    /// Total strength of each page's Example Alert features, for coverage.
    pub(super) example_weight: Vec<f32>,
}

impl Index {
    /// Reads the index section `bytes[start..end]` of a pack of `is_alert.len()` pages and
    /// checks every entry of it (terms sorted, pages and strengths in range), so that lookups
    /// need no checks that could fail.
    pub fn read(
        bytes: &Arc<Vec<u8>>,
        start: usize,
        end: usize,
        is_alert: Vec<bool>,
    ) -> Result<Index, BytesError> {
        let docs = is_alert.len();
        let section = bytes.get(..end).ok_or(BytesError {
            what: "the index",
            at: start,
        })?;
        let mut r = Reader::new(section);
        r.take(start, "the index")?;
        let n = r.len(256, "the identifier strengths")?;
        let mut strengths = Vec::with_capacity(n);
        for _ in 0..n {
            strengths.push(r.f32("an identifier strength")?);
        }
        let ids = read_dict(&mut r, "the identifier dictionary", |r| {
            let mut doc = 0u64;
            for _ in 0..r.len(docs, "an identifier's page count")? {
                doc += r.uint("an identifier posting")?;
                let si = r.len(n.saturating_sub(1), "an identifier strength")?;
                let origin = r.u8("an identifier origin")?;
                if doc >= docs as u64 || si >= n || Origin::from_u8(origin).is_none() {
                    return Err(r.error("an identifier posting"));
                }
            }
            Ok(())
        })?;
        let words = read_dict(&mut r, "the word dictionary", |r| {
            let mut doc = 0u64;
            for _ in 0..r.len(docs, "a word's page count")? {
                doc += r.uint("a word posting")?;
                r.uint("a word frequency")?;
                if doc >= docs as u64 {
                    return Err(r.error("a word posting"));
                }
            }
            Ok(())
        })?;
        let mut patterns = Vec::new();
        for _ in 0..r.len(end, "the Example Alert patterns")? {
            let doc = r.u32("a pattern's page")?;
            let original = r.string("a pattern")?;
            let pieces = r.strings(end, "a pattern's pieces")?;
            if doc as usize >= docs {
                return Err(r.error("a pattern's page"));
            }
            patterns.push(Pattern {
                pieces,
                original,
                doc,
            });
        }
        if r.len(docs, "the page lengths")? != docs {
            return Err(r.error("the page lengths"));
        }
        let mut doc_len = Vec::with_capacity(docs);
        let mut example_weight = Vec::with_capacity(docs);
        for _ in 0..docs {
            // An integer sum of small weights, written from an f32: it reads back exactly.
            doc_len.push(r.uint("a page length")? as f32);
            example_weight.push(r.f32("a page's Example Alert weight")?);
        }
        if r.pos() != end {
            return Err(r.error("the end of the index"));
        }
        let mut index = Index {
            segments: vec![Segment {
                bytes: bytes.clone(),
                first_doc: 0,
                strengths,
                ids,
                words,
            }],
            patterns,
            doc_len,
            avg_len: 0.0,
            is_alert,
            example_weight,
        };
        index.set_avg_len();
        Ok(index)
    }

    /// The index of several packs' pages, one after the other, without re-reading any.
    pub fn merge(parts: Vec<Index>) -> Index {
        let mut out = Index::default();
        for part in parts {
            let base = out.doc_len.len() as u32;
            out.segments.extend(part.segments.into_iter().map(|mut s| {
                s.first_doc += base;
                s
            }));
            out.patterns.extend(part.patterns.into_iter().map(|mut p| {
                p.doc += base;
                p
            }));
            out.doc_len.extend(part.doc_len);
            out.is_alert.extend(part.is_alert);
            out.example_weight.extend(part.example_weight);
        }
        out.set_avg_len();
        out
    }

    /// The average page length, summed in page order as the index always did.
    fn set_avg_len(&mut self) {
        let n = self.doc_len.len().max(1) as f32;
        self.avg_len = self.doc_len.iter().sum::<f32>() / n;
    }

    /// The number of pages.
    pub fn len(&self) -> usize {
        self.doc_len.len()
    }

    /// True when the index has no pages.
    pub fn is_empty(&self) -> bool {
        self.doc_len.is_empty()
    }

    /// The pages naming identifier `id`, in page order.
    pub(super) fn ids(&self, id: &str) -> Vec<Posting> {
        let mut out = Vec::new();
        for s in &self.segments {
            let Some(mut r) = s.find(&s.ids, id) else {
                continue;
            };
            let mut doc = s.first_doc;
            let n = r.len(usize::MAX, "").unwrap_or(0);
            for _ in 0..n {
                let (Ok(delta), Ok(si), Ok(origin)) = (r.u32(""), r.len(usize::MAX, ""), r.u8(""))
                else {
                    break;
                };
                doc += delta;
                out.push(Posting {
                    doc,
                    strength: s.strengths.get(si).copied().unwrap_or(0.0),
                    origin: Origin::from_u8(origin).unwrap_or(Origin::Body),
                });
            }
        }
        out
    }

    /// The pages holding word `w` with its weighted frequency, in page order.
    pub(super) fn words(&self, w: &str) -> Vec<(u32, f32)> {
        let mut out = Vec::new();
        for s in &self.segments {
            let Some(mut r) = s.find(&s.words, w) else {
                continue;
            };
            let mut doc = s.first_doc;
            let n = r.len(usize::MAX, "").unwrap_or(0);
            for _ in 0..n {
                let (Ok(delta), Ok(tf)) = (r.u32(""), r.uint("")) else {
                    break;
                };
                doc += delta;
                out.push((doc, tf as f32));
            }
        }
        out
    }

    /// BM25's inverse document frequency of a term found in `df` pages.
    pub(super) fn idf(&self, df: usize) -> f32 {
        let n = self.doc_len.len() as f32;
        (1.0 + (n - df as f32 + 0.5) / (df as f32 + 0.5)).ln()
    }
}

impl Segment {
    /// The offset of entry `i` of `dict` (checked at load to lie inside the bytes).
    fn offset(&self, dict: &Dict, i: usize) -> usize {
        let at = dict.table + 4 * i;
        match self.bytes.get(at..at + 4) {
            Some(b) => dict.entries + u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize,
            None => self.bytes.len(),
        }
    }

    /// A reader just after `term` in `dict` (at its postings), by binary search.
    fn find(&self, dict: &Dict, term: &str) -> Option<Reader<'_>> {
        let (mut lo, mut hi) = (0, dict.count);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let mut r = Reader::new(self.bytes.get(self.offset(dict, mid)..)?);
            // Compared as bytes (the order of UTF-8 is the order of its characters): the
            // terms were checked to be UTF-8 at load.
            let key = r.bytes("").ok()?;
            match key.cmp(term.as_bytes()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(r),
            }
        }
        None
    }
}

/// Reads a dictionary's size and offset table and checks each entry: offsets in order and
/// inside the bytes, terms strictly sorted, and the postings as `postings` checks them,
/// filling their entry exactly.
fn read_dict(
    r: &mut Reader<'_>,
    what: &'static str,
    postings: impl Fn(&mut Reader<'_>) -> Result<(), BytesError>,
) -> Result<Dict, BytesError> {
    let count = r.len(r.remaining() / 4, what)?;
    let table_at = r.pos();
    let table = r.take(4 * (count + 1), what)?;
    let entries = r.pos();
    let offset = |i: usize| {
        let b = &table[4 * i..4 * i + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
    };
    let blob = r.take(offset(count), what)?;
    let mut last: Option<&str> = None;
    for i in 0..count {
        let (from, to) = (offset(i), offset(i + 1));
        let entry = blob.get(from..to).ok_or(BytesError {
            what,
            at: entries + from,
        })?;
        let mut e = Reader::new(entry);
        let fail = |at: usize| BytesError {
            what,
            at: entries + from + at,
        };
        let term = e.str(what).map_err(|x| fail(x.at))?;
        if last.is_some_and(|l| l >= term) {
            return Err(fail(0));
        }
        last = Some(term);
        postings(&mut e).map_err(|x| fail(x.at))?;
        if !e.is_empty() {
            return Err(fail(e.pos()));
        }
    }
    Ok(Dict {
        count,
        table: table_at,
        entries,
    })
}
