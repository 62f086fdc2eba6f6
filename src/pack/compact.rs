//! The compact pack form, `PACK_VERSION` 4 (docs: /work/notes/v4.md): `RLPK`, the version,
//! then four length-prefixed sections. `head` is the name and the page count; `meta` is what
//! ranking, reasons, candidates, search and choices need of each page without its body; `index`
//! is the matching index, looked up in place (`crate::matching::Index`); `pages` is an offset
//! table and each page's body (`page_codec.rs`), decoded only when that page is shown.

use std::sync::Arc;

use super::bytes::{BytesError, Reader, Writer};
use super::check;
use super::page_codec::{read_page, write_page};
use crate::matching::{Built, Index};
use crate::runbook::{FrontMatter, Runbook};

/// The first bytes of a raw v4 pack.
pub const MAGIC: &[u8; 4] = b"RLPK";

/// What a pack keeps of each page at all times: enough to rank, explain why, list candidates,
/// search and apply shipped choices without decoding the page's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageMeta {
    /// Path relative to the pack's root folder, with `/` separators.
    pub file: String,
    pub front: FrontMatter,
    /// True when the page says it is written for an alert (`type: Alert`).
    pub is_alert: bool,
    /// The title people know the page by ([`Runbook::title`]).
    title: String,
    /// How many sections the page has, for the pack's limits.
    pub sections: usize,
}

impl PageMeta {
    /// What a pack keeps of `rb` before its body is needed.
    pub fn of(rb: &Runbook) -> PageMeta {
        PageMeta {
            file: rb.file.clone(),
            front: rb.front.clone(),
            is_alert: rb.is_alert(),
            title: rb.title().to_string(),
            sections: rb.sections.len(),
        }
    }

    /// The title people know the page by: `title`, else `runbook-name`, else the first
    /// heading, else the file name.
    pub fn title(&self) -> &str {
        &self.title
    }
}

/// Where the bodies of a pack's pages lie in its bytes: `count` pages, an offset table of
/// `count + 1` little-endian `u32`s at `table`, relative to the bodies at `bodies`.
#[derive(Debug, Clone)]
pub(super) struct PageTable {
    pub(super) bytes: Arc<Vec<u8>>,
    table: usize,
    bodies: usize,
    count: usize,
}

impl PageTable {
    fn offset(&self, i: usize) -> Option<usize> {
        let at = self.table + 4 * i;
        let b = self.bytes.get(at..at + 4)?;
        Some(self.bodies + u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    /// Decodes page `i` of this pack and checks it (`check::runbook`); `None` when its bytes
    /// are damaged, or the page is not the one its meta names.
    pub(super) fn page(&self, i: usize, meta: &PageMeta) -> Option<Runbook> {
        if i >= self.count {
            return None;
        }
        let body = self.bytes.get(self.offset(i)?..self.offset(i + 1)?)?;
        let mut r = Reader::new(body);
        let rb = read_page(&mut r).ok()?;
        let fits = r.is_empty() && rb.file == meta.file && check::runbook(&rb).is_ok();
        fits.then_some(rb)
    }
}

/// A pack file read: its name, the meta of each page, its index and where its bodies are.
pub(super) struct Decoded {
    pub(super) name: String,
    pub(super) metas: Vec<PageMeta>,
    pub(super) index: Index,
    pub(super) pages: PageTable,
}

/// Why a pack file did not read: the page it is about, if one, and what is wrong.
pub(super) struct DecodeError {
    pub(super) page: Option<String>,
    pub(super) message: String,
}

impl From<BytesError> for DecodeError {
    fn from(e: BytesError) -> DecodeError {
        DecodeError {
            page: None,
            message: e.to_string(),
        }
    }
}

/// Writes raw v4 of `runbooks`, which must be sorted by file (`Pack::from_runbooks` does).
pub(super) fn encode(name: &str, runbooks: &[Runbook]) -> Vec<u8> {
    let mut head = Writer::new();
    head.str(name);
    head.len(runbooks.len());
    let mut meta = Writer::new();
    for rb in runbooks {
        write_meta(&mut meta, &PageMeta::of(rb));
    }
    let mut index = Writer::new();
    Built::build(runbooks).write(&mut index);
    let mut bodies = Writer::new();
    let mut offsets = Vec::with_capacity(runbooks.len() + 1);
    for rb in runbooks {
        offsets.push(bodies.buf.len() as u32);
        write_page(&mut bodies, rb);
    }
    offsets.push(bodies.buf.len() as u32);
    let mut pages = Writer::new();
    pages.len(runbooks.len());
    for o in offsets {
        pages.buf.extend_from_slice(&o.to_le_bytes());
    }
    pages.buf.extend_from_slice(&bodies.buf);
    let mut w = Writer::new();
    w.buf.extend_from_slice(MAGIC);
    w.uint(u64::from(super::PACK_VERSION));
    for section in [head, meta, index, pages] {
        w.bytes(&section.buf);
    }
    w.buf
}

fn write_meta(w: &mut Writer, m: &PageMeta) {
    let f = &m.front;
    w.str(&m.file);
    for s in [&f.title, &f.kind, &f.runbook_name, &f.description] {
        w.opt_str(s.as_deref());
    }
    w.opt_str(f.service.as_deref());
    w.opt_str(f.link.as_deref());
    w.strs(&f.owners);
    w.opt_str(f.parent.as_deref());
    w.strs(&f.extract);
    w.strs(&f.chosen_for);
    w.bool(m.is_alert);
    w.str(&m.title);
    w.len(m.sections);
}

fn read_meta(r: &mut Reader<'_>) -> Result<PageMeta, BytesError> {
    let file = r.string("a page's file")?;
    let max = r.remaining();
    let front = FrontMatter {
        title: r.opt_string("a page's title")?,
        kind: r.opt_string("a page's type")?,
        runbook_name: r.opt_string("a page's runbook-name")?,
        description: r.opt_string("a page's description")?,
        service: r.opt_string("a page's service")?,
        link: r.opt_string("a page's link")?,
        owners: r.strings(max, "a page's owners")?,
        parent: r.opt_string("a page's parent")?,
        extract: r.strings(max, "a page's extract rules")?,
        chosen_for: r.strings(max, "a page's chosen_for")?,
    };
    Ok(PageMeta {
        file,
        front,
        is_alert: r.bool("whether a page is for an alert")?,
        title: r.string("a page's shown title")?,
        sections: r.len(check::MAX_SECTIONS, "a page's section count")?,
    })
}

/// Reads a section's length and returns its range in the buffer, moving past it.
fn section(r: &mut Reader<'_>, what: &'static str) -> Result<(usize, usize), BytesError> {
    let body = r.bytes(what)?;
    Ok((r.pos() - body.len(), r.pos()))
}

/// Reads raw v4 and checks what can be checked without the bodies: the sizes (`check.rs`)
/// when `limits` is set, each page's front matter, the index's every entry, the page table.
pub(super) fn decode(bytes: Arc<Vec<u8>>, limits: bool) -> Result<Decoded, DecodeError> {
    let mut r = Reader::new(&bytes);
    if r.take(4, "the magic")? != MAGIC {
        return Err(BytesError {
            what: "the magic `RLPK`",
            at: 0,
        }
        .into());
    }
    let version = r.uint("the version")?;
    if version != u64::from(super::PACK_VERSION) {
        return Err(DecodeError {
            page: None,
            message: format!(
                "pack version {version}; this build reads version {} (re-run `runbook-lens pack`)",
                super::PACK_VERSION
            ),
        });
    }
    let head = section(&mut r, "the head")?;
    let meta = section(&mut r, "the page meta")?;
    let index = section(&mut r, "the index")?;
    let pages = section(&mut r, "the page bodies")?;
    if !r.is_empty() {
        return Err(r.error("the end of the pack").into());
    }
    let mut h = Reader::new(&bytes[head.0..head.1]);
    let name = h.string("the pack's name")?;
    let count = h.len(check::MAX_RUNBOOKS.max(bytes.len()), "the page count")?;
    let mut m = Reader::new(&bytes[meta.0..meta.1]);
    let mut metas = Vec::with_capacity(count.min(check::MAX_RUNBOOKS));
    for _ in 0..count {
        let page = read_meta(&mut m).map_err(|mut e| {
            e.at += meta.0;
            e
        })?;
        check::front(&page.front).map_err(|message| DecodeError {
            page: Some(page.file.clone()),
            message,
        })?;
        metas.push(page);
    }
    if limits {
        let sections = metas.iter().map(|p| p.sections).sum();
        check::pack_counts(bytes.len(), count, sections).map_err(|message| DecodeError {
            page: None,
            message,
        })?;
    }
    let is_alert = metas.iter().map(|p| p.is_alert).collect();
    let index = Index::read(&bytes, index.0, index.1, is_alert)?;
    let pages = page_table(&bytes, pages, count)?;
    Ok(Decoded {
        name,
        metas,
        index,
        pages,
    })
}

/// Reads the page section's offset table and checks it: `count` pages, offsets in order,
/// the last one the section's end.
fn page_table(
    bytes: &Arc<Vec<u8>>,
    (start, end): (usize, usize),
    count: usize,
) -> Result<PageTable, BytesError> {
    let mut r = Reader::new(&bytes[..end]);
    r.take(start, "the page bodies")?;
    if r.len(count, "the page count of the bodies")? != count {
        return Err(r.error("the page count of the bodies"));
    }
    let table = r.pos();
    let offsets = r.take(4 * (count + 1), "the page offsets")?;
    let bodies = r.pos();
    let mut last = 0;
    for (i, b) in offsets.chunks_exact(4).enumerate() {
        let o = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        if o < last || bodies + o > end || (i == count && bodies + o != end) {
            return Err(BytesError {
                what: "the page offsets",
                at: table + 4 * i,
            });
        }
        last = o;
    }
    Ok(PageTable {
        bytes: bytes.clone(),
        table,
        bodies,
        count,
    })
}

#[cfg(all(test, feature = "markdown"))]
mod tests {
    use crate::pack::{Pack, PackError};

    const QUEUE: &str = "---\ntitle: Queue backlog\ntype: Alert\nservice: billing-queue\nchosen_for: [QueueBacklogHigh]\n---\n\n## Example Alert\n\n```\n- alertname = QueueBacklogHigh\n- queue = <QUEUE>_orders\n```\n\n## Investigation\n\nRun `kubectl get pods -n billing` and check the `consumer-lag` panel.\n\n## Escalation Policy\n\n[billing](https://acme.pagerduty.com/escalation_policies#PX1)\n";
    const DISK: &str = "---\ntitle: Disk full\ntype: Troubleshooting\n---\n\n## Overview\n\nFree some space on the node.\n";
    const ALERT: &str = "- alertname = QueueBacklogHigh\n- queue = eu_orders\n";

    fn small() -> Vec<u8> {
        Pack::from_pages("t", [("queue.md", QUEUE), ("disk.md", DISK)]).to_bytes()
    }

    #[test]
    fn every_truncation_is_refused_with_a_reason() {
        let bytes = small();
        assert!(Pack::from_bytes("t.rlpk", &bytes).is_ok());
        for n in 0..bytes.len() {
            match Pack::from_bytes("t.rlpk", &bytes[..n]) {
                Err(PackError::Format { message, .. }) => assert!(
                    message.contains("damaged at byte") || message.contains("RLPK"),
                    "cut at {n}: {message}"
                ),
                Err(e) => panic!("cut at {n}: {e}"),
                Ok(_) => panic!("a pack cut at byte {n} of {} loads", bytes.len()),
            }
        }
    }

    /// Any byte changed: the pack is refused, or it loads and every use of it still answers
    /// (a page whose body no longer reads is `None`), never a panic.
    #[test]
    fn a_changed_byte_never_panics() {
        let bytes = small();
        for i in 0..bytes.len() {
            for flip in [0xff, 0x01] {
                let mut b = bytes.clone();
                b[i] ^= flip;
                let Ok(pack) = Pack::from_bytes("t.rlpk", &b) else {
                    continue;
                };
                for doc in 0..pack.len() {
                    let _ = pack.page(doc);
                }
                let _ = crate::guidance::explain(&pack, ALERT, None, &Default::default(), &[]);
                let _ = crate::matching::search(&pack.index, pack.metas(), "queue disk", 5);
                let _ = pack.to_bytes();
            }
        }
    }

    #[test]
    fn a_damaged_page_is_said_not_hidden() {
        let mut bytes = small();
        // The last byte belongs to the body of the last page (`queue.md`, sorted by file).
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        let pack = Pack::from_bytes("t.rlpk", &bytes).expect("meta and index still load");
        assert_eq!(pack.meta(1).file, "queue.md");
        assert!(pack.page(1).is_none());
        assert!(pack.page(0).is_some());
        let e = crate::guidance::explain(&pack, ALERT, None, &Default::default(), &[]);
        assert!(e.matches.is_empty());
        assert!(
            e.notices
                .iter()
                .any(|n| n.contains("`queue.md`") && n.contains("damaged")),
            "{:?}",
            e.notices
        );
    }

    #[test]
    fn meta_and_position_come_without_decoding_a_page() {
        let pack = Pack::from_bytes("t.rlpk", &small()).expect("loads");
        assert_eq!(pack.len(), 2);
        assert_eq!(pack.position("queue.md"), Some(1));
        assert_eq!(pack.position("nope.md"), None);
        let m = pack.meta(1);
        assert_eq!(m.title(), "Queue backlog");
        assert!(m.is_alert);
        assert_eq!(m.front.chosen_for, ["QueueBacklogHigh"]);
        assert!(pack.bodies.iter().all(|b| b.get().is_none()));
        let e = crate::guidance::explain(&pack, ALERT, None, &Default::default(), &[]);
        assert_eq!(e.matches[0].runbook.file, "queue.md");
        // Only the page shown was decoded.
        assert!(pack.bodies[0].get().is_none() && pack.bodies[1].get().is_some());
    }

    #[test]
    fn other_magic_versions_and_limits_are_refused() {
        let mut bytes = small();
        bytes[4] = 9;
        let e = Pack::from_bytes("t.rlpk", &bytes).expect_err("version 9");
        assert!(e.to_string().contains("pack version 9"), "{e}");
        let e = Pack::from_bytes("t.rlpk", b"PK\x03\x04").expect_err("a zip");
        assert!(e.to_string().contains("RLPK"), "{e}");
        let big = vec![b' '; crate::pack::MAX_PACK_BYTES + 1];
        let e = Pack::from_bytes("t.rlpk", &big).expect_err("too big");
        assert!(e.to_string().contains("at most"), "{e}");
    }
}
