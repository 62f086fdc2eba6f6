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
//! Hostile bytes: every count is capped (sections by [`MAX_SECTIONS`], front matter rules and
//! alert names by the bounds `check.rs` applies, any other list by [`MAX_PACK_BYTES`], since
//! each item takes at least one byte of a pack no larger than that), nothing is allocated ahead
//! of the bytes that fill it, and lists, quotes, emphasis and links nested deeper than
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
    let found: Vec<_> = rb
        .sections
        .iter()
        .map(|s| inline_links(&s.blocks))
        .collect();
    w.len(rb.links.len());
    for l in &rb.links {
        w.len(l.section);
        // A link the parser collected is an inline link of its section: written as its
        // position there (1-based), else (0) with its text and url.
        let at = found.get(l.section).and_then(|links| {
            links
                .iter()
                .position(|(url, children)| *url == l.url && inline_text(children) == l.text)
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

/// An index or line number: any `usize`, no allocation depends on it.
fn index(r: &mut Reader<'_>, what: &'static str) -> Result<usize, BytesError> {
    r.len(usize::MAX, what)
}

fn error(r: &Reader<'_>, what: &'static str) -> BytesError {
    BytesError { what, at: r.pos() }
}

/// Reads one page `write_page` wrote.
pub fn read_page(r: &mut Reader<'_>) -> Result<Runbook, BytesError> {
    let file = r.string("page file")?;
    let front = read_front(r)?;
    let n = r.len(MAX_SECTIONS, "section count")?;
    let mut sections = Vec::new();
    for _ in 0..n {
        let head = r.uint("section level")?;
        let level = u8::try_from(head >> 2).map_err(|_| error(r, "section level"))?;
        let parent = match head & 1 {
            1 => Some(index(r, "section parent")?),
            _ => None,
        };
        let heading = r.string("section heading")?;
        let anchor = match head & 2 {
            2 => slug(&heading),
            _ => r.string("section anchor")?,
        };
        sections.push(Section {
            level,
            parent,
            heading,
            anchor,
            line: index(r, "section line")?,
            blocks: read_blocks(r, 0)?,
        });
    }
    let links = read_links(r, &sections)?;
    let example_section = match r.bool("example section")? {
        true => Some(index(r, "example section")?),
        false => None,
    };
    let n = r.len(MAX_ITEMS, "example alert count")?;
    let mut example_alerts = Vec::new();
    for _ in 0..n {
        example_alerts.push(read_alert(r)?);
    }
    let example_text = r.string("example text")?;
    let n = r.len(MAX_ITEMS, "problem count")?;
    let mut problems = Vec::new();
    for _ in 0..n {
        // Anything but an error (a severity a newer build knows) reads as a warning, which
        // blocks nothing.
        let severity = match r.u8("problem severity")? {
            0 => Severity::Error,
            _ => Severity::Warning,
        };
        problems.push(Problem {
            severity,
            line: index(r, "problem line")?,
            message: r.string("problem message")?,
            fix: r.string("problem fix")?,
        });
    }
    Ok(Runbook {
        file,
        front,
        sections,
        links,
        example_section,
        example_alerts,
        example_text,
        problems,
    })
}

/// The links of a page, those written as positions resolved against its sections' inline
/// links (found once per section, so hostile positions cost no more than the page's size).
fn read_links(r: &mut Reader<'_>, sections: &[Section]) -> Result<Vec<Link>, BytesError> {
    let found: Vec<_> = sections.iter().map(|s| inline_links(&s.blocks)).collect();
    let n = r.len(MAX_ITEMS, "link count")?;
    let mut links = Vec::new();
    for _ in 0..n {
        let section = index(r, "link section")?;
        let (text, url) = match index(r, "link position")? {
            0 => (r.string("link text")?, r.string("link url")?),
            k => {
                let (url, children) = found
                    .get(section)
                    .and_then(|links| links.get(k - 1))
                    .ok_or_else(|| error(r, "link position"))?;
                (inline_text(children), url.to_string())
            }
        };
        links.push(Link {
            text,
            url,
            // A kind a newer build knows reads as `Other`, a link shown for what it is.
            kind: *LINK_KINDS
                .get(usize::from(r.u8("link kind")?))
                .unwrap_or(&LinkKind::Other),
            section,
        });
    }
    Ok(links)
}

/// The inline links of `blocks` in document order, as (url, children).
fn inline_links(blocks: &[Block]) -> Vec<(&str, &[Inline])> {
    walk_blocks(blocks)
        .flat_map(own_inlines)
        .flat_map(walk_inlines)
        .filter_map(|i| match i {
            Inline::Link { url, children } => Some((url.as_str(), children.as_slice())),
            _ => None,
        })
        .collect()
}

fn read_front(r: &mut Reader<'_>) -> Result<FrontMatter, BytesError> {
    Ok(FrontMatter {
        title: r.opt_string("front matter title")?,
        kind: r.opt_string("front matter type")?,
        runbook_name: r.opt_string("front matter runbook-name")?,
        description: r.opt_string("front matter description")?,
        service: r.opt_string("front matter service")?,
        link: r.opt_string("front matter link")?,
        parent: r.opt_string("front matter parent")?,
        owners: r.strings(MAX_ITEMS, "front matter owners")?,
        extract: r.strings(MAX_PAGE_RULES, "front matter extract")?,
        chosen_for: r.strings(MAX_CHOSEN_FOR, "front matter chosen_for")?,
    })
}

fn read_alert(r: &mut Reader<'_>) -> Result<Alert, BytesError> {
    let title = r.opt_string("alert title")?;
    let n = r.len(MAX_ITEMS, "alert field count")?;
    let mut fields = Vec::new();
    for _ in 0..n {
        fields.push(Field {
            key: r.string("alert field key")?,
            value: r.string("alert field value")?,
            from_title: r.bool("alert field from_title")?,
        });
    }
    Ok(Alert {
        title,
        fields,
        source: r.opt_string("alert source")?,
        text: r.string("alert text")?,
    })
}

/// Blocks that sit `depth` lists and quotes deep; a list or quote may open only below
/// [`MAX_NESTING`], as `check.rs` requires, which bounds this recursion.
fn read_blocks(r: &mut Reader<'_>, depth: usize) -> Result<Vec<Block>, BytesError> {
    let n = r.len(MAX_ITEMS, "block count")?;
    let mut blocks = Vec::new();
    for _ in 0..n {
        let tag = r.u8("block kind")?;
        if matches!(tag, LIST | ORDERED_LIST | QUOTE) && depth >= MAX_NESTING {
            return Err(error(r, "block nesting"));
        }
        blocks.push(match tag {
            PARA => Block::Para {
                inlines: read_inlines(r, depth)?,
            },
            CODE => Block::Code {
                lang: r.string("code language")?,
                text: r.string("code text")?,
                line: index(r, "code line")?,
            },
            LIST | ORDERED_LIST => {
                let start = r.uint("list start")?;
                let n = r.len(MAX_ITEMS, "list item count")?;
                let mut items = Vec::new();
                for _ in 0..n {
                    items.push(read_blocks(r, depth + 1)?);
                }
                Block::List {
                    ordered: tag == ORDERED_LIST,
                    start,
                    items,
                }
            }
            QUOTE => Block::Quote {
                blocks: read_blocks(r, depth + 1)?,
            },
            TABLE => {
                let n = r.len(MAX_ITEMS, "table row count")?;
                let mut rows = Vec::new();
                for _ in 0..n {
                    let n = r.len(MAX_ITEMS, "table cell count")?;
                    let mut row = Vec::new();
                    for _ in 0..n {
                        row.push(read_inlines(r, depth)?);
                    }
                    rows.push(row);
                }
                Block::Table { rows }
            }
            HEADING => Block::Heading {
                inlines: read_inlines(r, depth)?,
            },
            _ => return Err(error(r, "block kind")),
        });
    }
    Ok(blocks)
}

/// Inlines inside `depth` containers; emphasis and links open only below [`MAX_NESTING`].
fn read_inlines(r: &mut Reader<'_>, depth: usize) -> Result<Vec<Inline>, BytesError> {
    let n = r.len(MAX_ITEMS, "inline count")?;
    let mut inlines = Vec::new();
    for _ in 0..n {
        let tag = r.u8("inline kind")?;
        if matches!(tag, STRONG | EMPH | LINK) && depth >= MAX_NESTING {
            return Err(error(r, "inline nesting"));
        }
        inlines.push(match tag {
            TEXT => Inline::Text(r.string("text")?),
            CODE_SPAN => Inline::Code(r.string("code span")?),
            STRONG => Inline::Strong(read_inlines(r, depth + 1)?),
            EMPH => Inline::Emph(read_inlines(r, depth + 1)?),
            LINK => Inline::Link {
                url: r.string("link url")?,
                children: read_inlines(r, depth + 1)?,
            },
            BREAK => Inline::Break,
            _ => return Err(error(r, "inline kind")),
        });
    }
    Ok(inlines)
}

#[cfg(test)]
#[path = "page_codec_tests.rs"]
mod tests;
