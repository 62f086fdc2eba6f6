//! The checks every pack file passes before anything uses it: indices in range (a section's
//! `parent` an earlier section of a smaller level, so the heading tree has no cycles; each
//! link's `section`; `example_section`), nesting bounded, sizes bounded. A pack file is written
//! by whoever controls the pack URL or the imported file, and the engine indexes by these
//! numbers without checking them again: a bad one must be refused here, with the page named.

use crate::runbook::markdown::MAX_NESTING;
use crate::runbook::{own_inlines, Block, FrontMatter, Inline, Runbook};

/// The largest pack that loads, as raw version 4 (or JSON): a 10,000-page site is ~68 MB raw
/// (~20 MB as the gzip `runbook-lens pack` writes); the background and the options page
/// un-gzip at most this much (`MAX_UNPACKED` in extension/lib/pack-urls.js).
pub const MAX_PACK_BYTES: usize = 128 * 1024 * 1024;
/// The most pages a pack may hold (the Armada corpus has 708).
pub const MAX_RUNBOOKS: usize = 20_000;
/// The most sections all pages of a pack may hold together (the Armada corpus has 6,669).
pub const MAX_SECTIONS: usize = 400_000;

/// What is wrong with a pack as a whole (its size), if anything.
#[cfg(feature = "json-packs")]
pub(super) fn pack_size(json_bytes: usize, runbooks: &[Runbook]) -> Result<(), String> {
    let sections: usize = runbooks.iter().map(|rb| rb.sections.len()).sum();
    pack_counts(json_bytes, runbooks.len(), sections)
}

/// What is wrong with a pack of `bytes` bytes, `pages` pages and `sections` sections in all.
pub(super) fn pack_counts(bytes: usize, pages: usize, sections: usize) -> Result<(), String> {
    if bytes > MAX_PACK_BYTES || pages > MAX_RUNBOOKS || sections > MAX_SECTIONS {
        return Err(format!("it has {bytes} bytes, {pages} pages, {sections} sections; at most {MAX_PACK_BYTES}, {MAX_RUNBOOKS} and {MAX_SECTIONS} load (split it into several packs)"));
    }
    Ok(())
}

/// The most front matter `extract` rules a page may carry, and the longest one, in bytes: the
/// same bounds as the rules engine's (`crates/rules`), checked here also in builds without it.
pub const MAX_PAGE_RULES: usize = 32;
pub const MAX_RULE_BYTES: usize = 512;

/// What is wrong with one page of a pack, if anything: the field and the fault.
pub(super) fn runbook(rb: &Runbook) -> Result<(), String> {
    front(&rb.front)?;
    let n = rb.sections.len();
    for (i, s) in rb.sections.iter().enumerate() {
        if let Some(p) = s.parent {
            // An earlier section of a smaller level: the parent chains that `subtree` and the
            // heading path follow then end, and are at most as long as there are levels.
            if p >= i || rb.sections[p].level >= s.level {
                return Err(format!("section {i} (`{}`) has `parent` {p}, but a parent must be an earlier section with a smaller heading level", s.heading));
            }
        }
        if !blocks_fit(&s.blocks, 0) {
            return Err(format!("section {i} (`{}`) nests lists, quotes, emphasis or links more than {MAX_NESTING} deep", s.heading));
        }
    }
    if let Some(l) = rb.links.iter().find(|l| l.section >= n) {
        return Err(format!(
            "the link to `{}` has `section` {}, but the page has {n} sections",
            l.url, l.section
        ));
    }
    match rb.example_section {
        Some(e) if e >= n => Err(format!(
            "`example_section` is {e}, but the page has {n} sections"
        )),
        _ => Ok(()),
    }
}

/// What is wrong with a page's front matter, if anything: checked at load from the pack's meta.
pub(super) fn front(front: &FrontMatter) -> Result<(), String> {
    let rules = &front.extract;
    if rules.len() > MAX_PAGE_RULES || rules.iter().any(|r| r.len() > MAX_RULE_BYTES) {
        return Err(format!("`front.extract` holds more than {MAX_PAGE_RULES} rules or one longer than {MAX_RULE_BYTES} bytes"));
    }
    let names = &front.chosen_for;
    if names.len() > crate::runbook::MAX_CHOSEN_FOR || names.iter().any(|n| n.len() > 256) {
        return Err(format!(
            "`front.chosen_for` holds more than {} alert names or one longer than 256 bytes",
            crate::runbook::MAX_CHOSEN_FOR
        ));
    }
    Ok(())
}

/// True when no list, quote, emphasis or link inside `blocks` (which sit `depth` containers
/// deep) lies deeper than [`MAX_NESTING`] containers. Recursive: serde_json has already
/// refused JSON nested deeper than 128, so the recursion is short.
fn blocks_fit(blocks: &[Block], depth: usize) -> bool {
    blocks.iter().all(|b| match b {
        Block::List { items, .. } => {
            depth < MAX_NESTING && items.iter().all(|item| blocks_fit(item, depth + 1))
        }
        Block::Quote { blocks } => depth < MAX_NESTING && blocks_fit(blocks, depth + 1),
        _ => own_inlines(b).all(|inlines| inlines_fit(inlines, depth)),
    })
}

fn inlines_fit(inlines: &[Inline], depth: usize) -> bool {
    inlines.iter().all(|i| match i {
        Inline::Strong(c) | Inline::Emph(c) | Inline::Link { children: c, .. } => {
            depth < MAX_NESTING && inlines_fit(c, depth + 1)
        }
        _ => true,
    })
}

#[cfg(all(test, feature = "rules"))]
mod tests {
    /// The pack's bounds are the rules engine's, which refuses longer patterns anyway.
    #[test]
    fn rule_bounds_are_the_engines() {
        assert_eq!(super::MAX_PAGE_RULES, runbook_lens_rules::MAX_RULES);
        assert_eq!(super::MAX_RULE_BYTES, runbook_lens_rules::MAX_PATTERN_BYTES);
    }
}
