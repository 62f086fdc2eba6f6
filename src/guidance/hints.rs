//! Hints: what the runbook says about where a placeholder's value comes from ("taking the
//! account from MULTISHIFT_SRE_ACCOUNT_ID in …"), shown beside a value the alert cannot fill.

use super::shorten;
use crate::placeholder::{self, Unresolved};
use crate::runbook::{inline_text, walk_blocks, Block, Inline, Runbook};
use crate::text::normalize_key;

/// What the runbook says about where placeholder values come from.
pub(crate) struct Hints(Vec<(String, String)>);

impl Hints {
    pub(crate) fn collect(rb: &Runbook) -> Hints {
        let mut out = Vec::new();
        for s in &rb.sections {
            for b in walk_blocks(&s.blocks) {
                if let Block::Para { inlines } = b {
                    hint_from_inlines(inlines, &mut out);
                }
            }
        }
        Hints(out)
    }

    pub(crate) fn get(&self, name: &str) -> Option<String> {
        let key = normalize_key(name);
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, h)| h.clone())
    }

    /// The placeholders left unfilled (`names`), each with the runbook's hint for it.
    pub(crate) fn unresolved(&self, names: &[String]) -> Vec<Unresolved> {
        names
            .iter()
            .map(|n| Unresolved {
                name: n.clone(),
                hint: self.get(n),
            })
            .collect()
    }
}

/// Words that say where a value comes from.
const SOURCE_WORDS: &[&str] = &[
    "from",
    "found in",
    "out of",
    "taken",
    "take ",
    "taking",
    "copy",
    "in the alert",
    "with the",
    "with a ",
    "replace",
    "listed in",
    "shown in",
];

fn has_source_words(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    SOURCE_WORDS.iter().any(|w| lower.contains(w)) && !lower.trim_start().starts_with("as above")
}

/// Trims the punctuation and connectives a sentence fragment keeps at its ends.
fn tidy(fragment: &str) -> String {
    let t = fragment
        .trim()
        .trim_start_matches([',', ';', ':', '-', '–', '—', ')'])
        .trim();
    let mut t = t.trim_end_matches([',', ';', ':']).trim().to_string();
    for tail in [" and run", " then run", " and", " run", " then"] {
        if t.to_ascii_lowercase().ends_with(tail) {
            t.truncate(t.len() - tail.len());
        }
    }
    t.trim().to_string()
}

/// Hints from list items and paragraphs: the sentence around a code span holding `<name>`
/// that says where its value comes from (after the command, else before it).
fn hint_from_inlines(inlines: &[Inline], out: &mut Vec<(String, String)>) {
    // The paragraph's text once, with where each inline starts: the text around each code span
    // is a slice of it, and only a window near the span is read, so a paragraph of N commands
    // costs linear work, not N times its length.
    let mut all = String::new();
    let mut starts = Vec::with_capacity(inlines.len() + 1);
    for inl in inlines {
        starts.push(all.len());
        all.push_str(&inline_text(std::slice::from_ref(inl)));
    }
    starts.push(all.len());
    for (i, inl) in inlines.iter().enumerate() {
        let Inline::Code(code) = inl else { continue };
        let occ = placeholder::find(code);
        if occ.is_empty() {
            continue;
        }
        let after_all = window(&all[starts[i + 1]..], true);
        let after = tidy(after_all.split(". ").next().unwrap_or(""));
        let before_all = window(&all[..starts[i]], false);
        let before = tidy(before_all.rsplit(". ").next().unwrap_or(""));
        for o in occ {
            let key = normalize_key(&o.name);
            // Text before the command only counts when it talks about this value
            // ("Pick a controller ID out of …" for `<controllerid>`).
            let names_it = |t: &str| {
                let t = normalize_key(t);
                crate::text::words(&o.name)
                    .iter()
                    .filter(|w| w.len() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
                    .any(|w| t.contains(w.as_str()))
            };
            let hint = if after.len() > 12 && has_source_words(&after) {
                Some(&after)
            } else if before.len() > 12 && has_source_words(&before) && names_it(&before) {
                Some(&before)
            } else {
                None
            };
            if let Some(hint) = hint {
                if !out.iter().any(|(k, _)| *k == key) {
                    out.push((key, shorten(hint, 240)));
                }
            }
        }
    }
}

/// At most `HINT_WINDOW` bytes of `text`: its start (`head`) or its end, cut at a character
/// boundary. A hint is one sentence next to its command; no sentence needs more.
fn window(text: &str, head: bool) -> &str {
    const HINT_WINDOW: usize = 2000;
    if text.len() <= HINT_WINDOW {
        return text;
    }
    let mut cut = if head {
        HINT_WINDOW
    } else {
        text.len() - HINT_WINDOW
    };
    while !text.is_char_boundary(cut) {
        cut += 1;
    }
    if head {
        &text[..cut]
    } else {
        &text[cut..]
    }
}
