//! The binary encoding of one runbook page in the compact pack form (`PACK_VERSION` 4): the
//! whole [`Runbook`] (file, front matter, sections with their blocks and inlines, links, the
//! example section, alerts and text, problems), written with [`Writer`] and read back with
//! [`Reader`] so that `read_page` gives exactly the page `write_page` was given.
//!
//! Written by hand rather than derived with serde: the panel's wasm decodes pages with it, and
//! serde's derived visitors for these types cost it ~27 KB of gzip. No field names are written:
//! fields come in a fixed order, an optional string is a 0/1 byte then the string, a list its
//! count then its items, and each enum variant is one tag byte.
//!
//! What the parser derives is not written twice: a section's anchor that is its heading's slug
//! is one bit, and a link the parser collected from an inline link of its section is that
//! link's position there (the `links` list repeats every url and text of the page's inline
//! links). Anything else (a pack made by hand or by an older parser) is written out in full,
//! so every page reads back exactly. On the corpus this takes the encoding from 5.07 to 4.41 MB
//! (gzip 1.37 to 1.29 MB; the v3 JSON of the same pages is 8.03 MB, gzip 1.43 MB).
//!
//! What a newer writer may add: an unknown link kind reads as `Other` and an unknown problem
//! severity as a warning, as in the JSON form (`wire.rs`), since the tag is the whole value and
//! the bytes after it still read. An unknown block or inline tag is an error (`block kind`,
//! `inline kind`): its content has no length prefix, so it cannot be skipped, and giving every
//! block a length would cost bytes on every page for a change that needs a new pack version
//! anyway (the pack's version check then refuses the file with a clear message).
//!
//! Reading keeps the first error and from then on reads nothing, so decoding is straight-line
//! code rather than an early return (and the drops it needs) at each of its ~50 fields: 1.3 KB
//! less gzip in the panel's wasm, where read_page costs ~2.5 KB gzip over the byte reader.
//!
//! Hostile bytes: every count is capped (sections by [`MAX_SECTIONS`], front matter rules and
//! alert names by the bounds `check.rs` applies, any other list by [`MAX_PACK_BYTES`], since
//! each item takes at least one byte of a pack no larger than that), nothing is allocated ahead
//! of the bytes that fill it, a page holds at most [`MAX_PAGE_ITEMS`] items, each link position
//! is used once (so no text is copied more than once), and lists, quotes, emphasis and links nested deeper than
//! [`MAX_NESTING`] are refused as `check.rs` refuses them, so decoding recurses at most that
//! deep. Damaged bytes are a [`BytesError`] naming the field, never a panic.

use super::bytes::{BytesError, Reader, Writer};
use super::check::{MAX_PACK_BYTES, MAX_PAGE_RULES, MAX_SECTIONS};
use crate::alert::{Alert, Field};
use crate::runbook::markdown::MAX_NESTING;
use crate::runbook::{
    inline_text, own_inlines, walk_blocks, walk_inlines, Block, FrontMatter, Inline, Link,
    LinkKind, Problem, Runbook, Section, Severity, MAX_CHOSEN_FOR,
};
use crate::text::slug;

/// The most items of a list without a bound of its own: each takes at least one byte.
const MAX_ITEMS: usize = MAX_PACK_BYTES;

/// The most items (sections, blocks, inlines, list items, rows, cells, links, alerts, fields,
/// problems, strings of lists) one page may hold: 160 times the corpus's largest page (1,639).
/// An item of one byte becomes 12 to 40 bytes of memory once read, so this bounds what one
/// hostile page can make the panel allocate to a few MB, where the pack's size alone would
/// allow GBs. `write_page` does not check it: a page beyond it (never seen) does not read.
pub const MAX_PAGE_ITEMS: usize = 1 << 18;

// The tag bytes of blocks and inlines. A list's tag also says whether it is ordered.
const PARA: u8 = 0;
const CODE: u8 = 1;
const LIST: u8 = 2;
const ORDERED_LIST: u8 = 3;
const QUOTE: u8 = 4;
const TABLE: u8 = 5;
const HEADING: u8 = 6;

const TEXT: u8 = 0;
const CODE_SPAN: u8 = 1;
const STRONG: u8 = 2;
const EMPH: u8 = 3;
const LINK: u8 = 4;
const BREAK: u8 = 5;

/// The link kinds in tag order: a link's tag is its index here.
const LINK_KINDS: [LinkKind; 6] = [
    LinkKind::Escalation,
    LinkKind::Issue,
    LinkKind::Dashboard,
    LinkKind::Logs,
    LinkKind::Runbook,
    LinkKind::Other,
];

/// Appends the page to `w`.
pub fn write_page(w: &mut Writer, rb: &Runbook) {
    w.str(&rb.file);
    write_front(w, &rb.front);
    w.len(rb.sections.len());
    for s in &rb.sections {
        // The level, whether the anchor is the heading's slug (as the parser makes it) and
        // whether a parent follows share one integer: one byte in practice.
        let slugged = s.anchor == slug(&s.heading);
        w.uint((u64::from(s.level) << 2) | u64::from(slugged) << 1 | u64::from(s.parent.is_some()));
        if let Some(p) = s.parent {
            w.len(p);
        }
        w.str(&s.heading);
        if !slugged {
            w.str(&s.anchor);
        }
        w.len(s.line);
        write_blocks(w, &s.blocks);
    }
    let mut found: Vec<_> = rb
        .sections
        .iter()
        .map(|s| inline_links(&s.blocks))
        .collect();
    w.len(rb.links.len());
    for l in &rb.links {
        w.len(l.section);
        // A link the parser collected is an inline link of its section: written as its
        // position there (1-based), else (0) with its text and url. Each position is used
        // once (the parser collects each inline link once), so no reader has to copy one
        // inline link's text for many links.
        let at = found.get_mut(l.section).and_then(|links| {
            let k = links.iter().position(|f| {
                f.is_some_and(|(url, children)| url == l.url && inline_text(children) == l.text)
            })?;
            links[k] = None;
            Some(k)
        });
        match at {
            Some(k) => w.len(k + 1),
            None => {
                w.len(0);
                w.str(&l.text);
                w.str(&l.url);
            }
        }
        w.u8(LINK_KINDS.iter().position(|k| *k == l.kind).unwrap_or(5) as u8);
    }
    match rb.example_section {
        None => w.u8(0),
        Some(e) => {
            w.u8(1);
            w.len(e);
        }
    }
    w.len(rb.example_alerts.len());
    for a in &rb.example_alerts {
        w.opt_str(a.title.as_deref());
        w.len(a.fields.len());
        for f in &a.fields {
            w.str(&f.key);
            w.str(&f.value);
            w.bool(f.from_title);
        }
        w.opt_str(a.source.as_deref());
        w.str(&a.text);
    }
    w.str(&rb.example_text);
    w.len(rb.problems.len());
    for p in &rb.problems {
        w.bool(p.severity == Severity::Warning);
        w.len(p.line);
        w.str(&p.message);
        w.str(&p.fix);
    }
}

fn write_front(w: &mut Writer, f: &FrontMatter) {
    for v in [
        &f.title,
        &f.kind,
        &f.runbook_name,
        &f.description,
        &f.service,
        &f.link,
        &f.parent,
    ] {
        w.opt_str(v.as_deref());
    }
    w.strs(&f.owners);
    w.strs(&f.extract);
    w.strs(&f.chosen_for);
}

fn write_blocks(w: &mut Writer, blocks: &[Block]) {
    w.len(blocks.len());
    for b in blocks {
        match b {
            Block::Para { inlines } => {
                w.u8(PARA);
                write_inlines(w, inlines);
            }
            Block::Code { lang, text, line } => {
                w.u8(CODE);
                w.str(lang);
                w.str(text);
                w.len(*line);
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                w.u8(if *ordered { ORDERED_LIST } else { LIST });
                w.uint(*start);
                w.len(items.len());
                for item in items {
                    write_blocks(w, item);
                }
            }
            Block::Quote { blocks } => {
                w.u8(QUOTE);
                write_blocks(w, blocks);
            }
            Block::Table { rows } => {
                w.u8(TABLE);
                w.len(rows.len());
                for row in rows {
                    w.len(row.len());
                    for cell in row {
                        write_inlines(w, cell);
                    }
                }
            }
            Block::Heading { inlines } => {
                w.u8(HEADING);
                write_inlines(w, inlines);
            }
        }
    }
}

fn write_inlines(w: &mut Writer, inlines: &[Inline]) {
    w.len(inlines.len());
    for i in inlines {
        match i {
            Inline::Text(t) => {
                w.u8(TEXT);
                w.str(t);
            }
            Inline::Code(t) => {
                w.u8(CODE_SPAN);
                w.str(t);
            }
            Inline::Strong(c) => {
                w.u8(STRONG);
                write_inlines(w, c);
            }
            Inline::Emph(c) => {
                w.u8(EMPH);
                write_inlines(w, c);
            }
            Inline::Link { url, children } => {
                w.u8(LINK);
                w.str(url);
                write_inlines(w, children);
            }
            Inline::Break => w.u8(BREAK),
        }
    }
}

/// Reads one page `write_page` wrote.
pub fn read_page(r: &mut Reader<'_>) -> Result<Runbook, BytesError> {
    let mut p = PageReader {
        r,
        error: None,
        items: 0,
    };
    let file = p.string("page file");
    let front = FrontMatter {
        title: p.opt_string("front matter title"),
        kind: p.opt_string("front matter type"),
        runbook_name: p.opt_string("front matter runbook-name"),
        description: p.opt_string("front matter description"),
        service: p.opt_string("front matter service"),
        link: p.opt_string("front matter link"),
        parent: p.opt_string("front matter parent"),
        owners: p.strings(MAX_ITEMS, "front matter owners"),
        extract: p.strings(MAX_PAGE_RULES, "front matter extract"),
        chosen_for: p.strings(MAX_CHOSEN_FOR, "front matter chosen_for"),
    };
    let sections = p.list(MAX_SECTIONS, "section count", read_section);
    let links = read_links(&mut p, &sections);
    let example_section = match p.u8("example section") {
        1 => Some(p.index("example section")),
        0 => None,
        _ => p.fail("example section"),
    };
    let example_alerts = p.list(MAX_ITEMS, "example alert count", |p| Alert {
        title: p.opt_string("alert title"),
        fields: p.list(MAX_ITEMS, "alert field count", |p| Field {
            key: p.string("alert field key"),
            value: p.string("alert field value"),
            from_title: p.bool("alert field from_title"),
        }),
        source: p.opt_string("alert source"),
        text: p.string("alert text"),
    });
    let example_text = p.string("example text");
    let problems = p.list(MAX_ITEMS, "problem count", |p| Problem {
        // Anything but an error (a severity a newer build knows) reads as a warning, which
        // blocks nothing.
        severity: match p.u8("problem severity") {
            0 => Severity::Error,
            _ => Severity::Warning,
        },
        line: p.index("problem line"),
        message: p.string("problem message"),
        fix: p.string("problem fix"),
    });
    match p.error {
        Some(e) => Err(e),
        None => Ok(Runbook {
            file,
            front,
            sections,
            links,
            example_section,
            example_alerts,
            example_text,
            problems,
        }),
    }
}

/// A reader that keeps the first error and from then on reads nothing (every value its type's
/// default, every list empty), so decoding is straight-line code without an early return at
/// each field: smaller in the panel's wasm. The caller returns the error, never the values.
struct PageReader<'r, 'a> {
    r: &'r mut Reader<'a>,
    error: Option<BytesError>,
    /// The items read so far, against [`MAX_PAGE_ITEMS`].
    items: usize,
}

impl PageReader<'_, '_> {
    /// Records the first error; returns the default the failed read stands for.
    fn fail<T: Default>(&mut self, what: &'static str) -> T {
        if self.error.is_none() {
            self.error = Some(BytesError {
                what,
                at: self.r.pos(),
            });
        }
        T::default()
    }

    fn take<T: Default>(&mut self, v: Result<T, BytesError>) -> T {
        match v {
            Ok(v) => v,
            Err(e) => {
                self.error.get_or_insert(e);
                T::default()
            }
        }
    }

    fn u8(&mut self, what: &'static str) -> u8 {
        match self.error {
            Some(_) => 0,
            None => {
                let v = self.r.u8(what);
                self.take(v)
            }
        }
    }

    fn bool(&mut self, what: &'static str) -> bool {
        match self.u8(what) {
            0 => false,
            1 => true,
            _ => self.fail(what),
        }
    }

    fn uint(&mut self, what: &'static str) -> u64 {
        match self.error {
            Some(_) => 0,
            None => {
                let v = self.r.uint(what);
                self.take(v)
            }
        }
    }

    /// A count no larger than `max`, or an index or line number (`usize::MAX`): 0 once failed.
    fn len(&mut self, max: usize, what: &'static str) -> usize {
        match self.error {
            Some(_) => 0,
            None => {
                let v = self.r.len(max, what);
                self.take(v)
            }
        }
    }

    fn index(&mut self, what: &'static str) -> usize {
        self.len(usize::MAX, what)
    }

    fn string(&mut self, what: &'static str) -> String {
        match self.error {
            Some(_) => String::new(),
            None => {
                let v = self.r.string(what);
                self.take(v)
            }
        }
    }

    fn opt_string(&mut self, what: &'static str) -> Option<String> {
        match self.u8(what) {
            0 => None,
            1 => Some(self.string(what)),
            _ => self.fail(what),
        }
    }

    fn strings(&mut self, max: usize, what: &'static str) -> Vec<String> {
        self.list(max, what, |p| p.string(what))
    }

    /// A count (at most `max`) and that many items; stops at the first error, so a count read
    /// before the bytes ran out allocates no more than the items actually read.
    fn list<T>(
        &mut self,
        max: usize,
        what: &'static str,
        mut item: impl FnMut(&mut Self) -> T,
    ) -> Vec<T> {
        let n = self.len(max, what);
        let mut out = Vec::new();
        for _ in 0..n {
            self.items += 1;
            if self.items > MAX_PAGE_ITEMS {
                self.fail::<()>("page items (too many)");
            }
            if self.error.is_some() {
                break;
            }
            out.push(item(self));
        }
        out
    }
}

fn read_section(p: &mut PageReader<'_, '_>) -> Section {
    let head = p.uint("section level");
    let level = match u8::try_from(head >> 2) {
        Ok(level) => level,
        Err(_) => p.fail("section level"),
    };
    let parent = match head & 1 {
        1 => Some(p.index("section parent")),
        _ => None,
    };
    let heading = p.string("section heading");
    let anchor = match head & 2 {
        2 => slug(&heading),
        _ => p.string("section anchor"),
    };
    Section {
        level,
        parent,
        heading,
        anchor,
        line: p.index("section line"),
        blocks: read_blocks(p, 0),
    }
}

/// The links of a page, those written as positions resolved against its sections' inline
/// links (found once per section and each used at most once, so hostile positions cost no
/// more than the page's own size).
fn read_links(p: &mut PageReader<'_, '_>, sections: &[Section]) -> Vec<Link> {
    let mut found = Vec::new();
    for s in sections {
        found.push(inline_links(&s.blocks));
    }
    p.list(MAX_ITEMS, "link count", |p| {
        let section = p.index("link section");
        let (text, url) = match p.index("link position") {
            0 => (p.string("link text"), p.string("link url")),
            k => match found
                .get_mut(section)
                .and_then(|links| links.get_mut(k - 1))
                .and_then(Option::take)
            {
                Some((url, children)) => (inline_text(children), url.to_string()),
                None => p.fail("link position"),
            },
        };
        Link {
            text,
            url,
            // A kind a newer build knows reads as `Other`, a link shown for what it is.
            kind: *LINK_KINDS
                .get(usize::from(p.u8("link kind")))
                .unwrap_or(&LinkKind::Other),
            section,
        }
    })
}

/// The inline links of `blocks` in document order, as (url, children), each taken (`None`)
/// once a link uses it.
fn inline_links(blocks: &[Block]) -> Vec<Option<(&str, &[Inline])>> {
    // Plain loops: the iterator adapters' copies cost the panel's wasm more than these.
    let mut out = Vec::new();
    for b in walk_blocks(blocks) {
        for inlines in own_inlines(b) {
            for i in walk_inlines(inlines) {
                if let Inline::Link { url, children } = i {
                    out.push(Some((url.as_str(), children.as_slice())));
                }
            }
        }
    }
    out
}

/// Blocks that sit `depth` lists and quotes deep; a list or quote may open only below
/// [`MAX_NESTING`], as `check.rs` requires, which bounds this recursion.
fn read_blocks(p: &mut PageReader<'_, '_>, depth: usize) -> Vec<Block> {
    p.list(MAX_ITEMS, "block count", |p| {
        let tag = p.u8("block kind");
        if matches!(tag, LIST | ORDERED_LIST | QUOTE) && depth >= MAX_NESTING {
            p.fail::<()>("block nesting");
            return Block::Quote { blocks: Vec::new() };
        }
        match tag {
            PARA => Block::Para {
                inlines: read_inlines(p, depth),
            },
            CODE => Block::Code {
                lang: p.string("code language"),
                text: p.string("code text"),
                line: p.index("code line"),
            },
            LIST | ORDERED_LIST => Block::List {
                ordered: tag == ORDERED_LIST,
                start: p.uint("list start"),
                items: p.list(MAX_ITEMS, "list item count", |p| read_blocks(p, depth + 1)),
            },
            QUOTE => Block::Quote {
                blocks: read_blocks(p, depth + 1),
            },
            TABLE => Block::Table {
                rows: p.list(MAX_ITEMS, "table row count", |p| {
                    p.list(MAX_ITEMS, "table cell count", |p| read_inlines(p, depth))
                }),
            },
            HEADING => Block::Heading {
                inlines: read_inlines(p, depth),
            },
            _ => {
                // A stand-in, never returned: the error is.
                p.fail::<()>("block kind");
                Block::Quote { blocks: Vec::new() }
            }
        }
    })
}

/// Inlines inside `depth` containers; emphasis and links open only below [`MAX_NESTING`].
fn read_inlines(p: &mut PageReader<'_, '_>, depth: usize) -> Vec<Inline> {
    p.list(MAX_ITEMS, "inline count", |p| {
        let tag = p.u8("inline kind");
        if matches!(tag, STRONG | EMPH | LINK) && depth >= MAX_NESTING {
            p.fail::<()>("inline nesting");
            return Inline::Break;
        }
        match tag {
            TEXT => Inline::Text(p.string("text")),
            CODE_SPAN => Inline::Code(p.string("code span")),
            STRONG => Inline::Strong(read_inlines(p, depth + 1)),
            EMPH => Inline::Emph(read_inlines(p, depth + 1)),
            LINK => Inline::Link {
                url: p.string("link url"),
                children: read_inlines(p, depth + 1),
            },
            BREAK => Inline::Break,
            _ => {
                p.fail::<()>("inline kind");
                Inline::Break
            }
        }
    })
}

#[cfg(test)]
#[path = "page_codec_tests.rs"]
mod tests;
