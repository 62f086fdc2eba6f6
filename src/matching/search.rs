//! Searching a pack for a runbook by what a person remembers of it: words of its title, its
//! file, its service or its text. One pass over the pages (linear in the pack's size), with
//! the index's word postings for the text, so a search stays fast on thousands of pages.

use super::index::Index;
use crate::pack::PageMeta;

/// At most this many words of a query count; more add nothing a person would type.
const MAX_TERMS: usize = 8;

/// What a query word found in the title scores; the file, the service and the text score less,
/// so a page named after the words ranks above one that only mentions them.
const IN_TITLE: f32 = 4.0;
const IN_FILE: f32 = 3.0;
const IN_SERVICE: f32 = 2.0;
const IN_TEXT: f32 = 1.0;

/// The pages of `pages` that have every word of `query` in their title, file, service or
/// text, best first (ties by title), at most `limit`.
pub fn search(index: &Index, pages: &[PageMeta], query: &str, limit: usize) -> Vec<usize> {
    let mut terms: Vec<String> = query
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| t.len() >= 2)
        .map(str::to_ascii_lowercase)
        .collect();
    terms.sort();
    terms.dedup();
    terms.truncate(MAX_TERMS);
    if terms.is_empty() {
        return Vec::new();
    }
    let postings: Vec<Vec<(u32, f32)>> = terms.iter().map(|t| index.words(t)).collect();
    // The best `limit` so far, best first: kept by insertion rather than sorting every hit,
    // which keeps a sort's code out of the panel's wasm (the list is a few entries long).
    let mut best: Vec<(usize, f32)> = Vec::with_capacity(limit + 1);
    for (doc, rb) in pages.iter().enumerate() {
        let title = rb.title().to_ascii_lowercase();
        let file = rb.file.to_ascii_lowercase();
        let service = rb
            .front
            .service
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut score = 0.0;
        let every = terms.iter().zip(&postings).all(|(t, p)| {
            let s = if title.contains(t.as_str()) {
                IN_TITLE
            } else if file.contains(t.as_str()) {
                IN_FILE
            } else if service.contains(t.as_str()) {
                IN_SERVICE
            } else if p.binary_search_by_key(&(doc as u32), |e| e.0).is_ok() {
                IN_TEXT
            } else {
                0.0
            };
            score += s;
            s > 0.0
        });
        if !every {
            continue;
        }
        let pos = best
            .iter()
            .position(|&(d, s)| score > s || (score == s && rb.title() < pages[d].title()))
            .unwrap_or(best.len());
        if pos < limit {
            best.insert(pos, (doc, score));
            best.truncate(limit);
        }
    }
    best.into_iter().map(|(doc, _)| doc).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Pack;

    fn page(title: &str, service: &str, body: &str) -> String {
        format!("---\ntitle: \"{title}\"\ntype: Alert\nservice: {service}\n---\n\n## Overview\n\n{body}\n")
    }

    fn titles(pack: &Pack, query: &str) -> Vec<String> {
        search(&pack.index, pack.metas(), query, 10)
            .into_iter()
            .map(|d| pack.meta(d).title().to_string())
            .collect()
    }

    #[test]
    fn a_title_ranks_above_a_file_a_service_and_the_text() {
        let pages = [
            page("Settlement ledger drift", "billing", "Compare the counts."),
            page("Queue backlog", "payments", "The ledger lags behind."),
            page("Ledger replay", "billing", "Replay from the start."),
            page("Disk full", "ledger", "Free some space."),
        ];
        let pack = Pack::from_pages(
            "t",
            [
                ("billing/drift.md", pages[0].as_str()),
                ("payments/backlog.md", pages[1].as_str()),
                ("billing/replay.md", pages[2].as_str()),
                ("infra/ledger-disk.md", pages[3].as_str()),
            ],
        );
        // The two titles (ties by title), then the file, then the text.
        assert_eq!(
            titles(&pack, "Ledger"),
            [
                "Ledger replay",
                "Settlement ledger drift",
                "Disk full",
                "Queue backlog"
            ]
        );
        // Every word must be found somewhere; case and punctuation do not matter.
        assert_eq!(titles(&pack, "ledger, DRIFT"), ["Settlement ledger drift"]);
        assert_eq!(titles(&pack, "billing replay"), ["Ledger replay"]);
        assert_eq!(titles(&pack, "payments/backlog.md"), ["Queue backlog"]);
        assert!(titles(&pack, "ledger nothing-like-it").is_empty());
        assert!(titles(&pack, " - ").is_empty());
    }

    #[test]
    fn the_limit_keeps_the_best() {
        let pages: Vec<String> = (0..30)
            .map(|i| page(&format!("Alert {i:02}"), "svc", "node"))
            .collect();
        let files: Vec<String> = (0..30).map(|i| format!("p{i}.md")).collect();
        let pack = Pack::from_pages(
            "t",
            files
                .iter()
                .zip(&pages)
                .map(|(f, p)| (f.as_str(), p.as_str())),
        );
        let got = search(&pack.index, pack.metas(), "alert node", 3);
        assert_eq!(got.len(), 3);
        assert_eq!(pack.meta(got[0]).title(), "Alert 00");
    }
}
