//! Reading PagerDuty's incident page from a compact snapshot of its DOM: which element is the
//! incident's title, which rows are its alerts, and what is not this incident (past and related
//! incidents, links to other incidents, the responders and notes widgets). The content script
//! (`extension/lib/pd-page.js`, `snapshot`) writes the snapshot; this module decides, so the
//! extension and the CLI (`runbook-lens explain --snapshot`) read a page the same way. It
//! produces the text the engine already reads ([`PageRead::text`]), one alert after another.
//!
//! DOM-free: the snapshot is plain data (JSON), its shape defined once here ([`Snapshot`]) and
//! mirrored by a JSDoc typedef in `pd-page.js`.
//!
//! The snapshot travels as text, one node a line ([`Snapshot::from_text`]), rather than
//! JSON: reading JSON into these types (serde's derives, or a hand-written reader) cost the
//! panel's wasm 2 to 3 KB gzip more than splitting lines, measured against its 200 KB budget.

mod opened;
mod read;
mod tree;

use serde::Serialize;

pub use opened::{opened_time, PageTime};
pub use read::{page_text, read_snapshot};

/// The snapshot format's version; the reader refuses another one.
pub const SNAPSHOT_VERSION: u32 = 1;

/// The most nodes a snapshot may hold; the content script stops there too. (Its error message
/// writes the number out; a test checks that they agree.)
pub const MAX_NODES: usize = 20_000;

/// A page as the content script saw it: its URL and its shown nodes in document order.
#[derive(Debug, Clone)]
pub struct Snapshot<'a> {
    /// [`SNAPSHOT_VERSION`].
    pub v: u32,
    /// The page's address (`https://<account>.pagerduty.com/incidents/<ID>`).
    pub url: &'a str,
    /// The nodes in document order; the first is the root (`body`), and every other node's
    /// parent comes before it.
    pub nodes: Vec<Node<'a>>,
}

/// One element or text of the page, its fields borrowed from the snapshot's text (no copies).
#[derive(Debug, Clone, Default)]
pub struct Node<'a> {
    /// The index of the parent node (the root's is 0, itself).
    pub p: u32,
    /// The element's tag name in lower case, or `#` for a text.
    pub t: &'a str,
    /// A text node's text (whitespace collapsed, except inside `<pre>`).
    pub x: &'a str,
    /// `id`.
    pub id: &'a str,
    /// `data-testid`.
    pub tid: &'a str,
    /// `role`.
    pub role: &'a str,
    /// The CSS-module class names without their hash (`IncidentTitle_incidentTitle` of
    /// `IncidentTitle_incidentTitle__x7Ab2`), space-separated.
    pub cls: &'a str,
    /// A link's `href` as written.
    pub href: &'a str,
    /// `<details open>` or `aria-expanded="true"`.
    pub open: bool,
}

/// What the reader made of a page: the incident and its alerts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageRead {
    /// The incident's title as the header shows it.
    pub title: Option<String>,
    /// The incident's number, from the breadcrumb (`Incident #595`).
    pub number: Option<String>,
    /// This incident's alerts, in the page's order.
    pub alerts: Vec<PageAlert>,
}

/// One alert of the incident as the page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageAlert {
    /// The alert's summary (its row's summary cell), or the incident's title.
    pub title: Option<String>,
    /// Its details, line by line, as the engine reads them (`- key = value`, Alertmanager's
    /// `Labels:` list, JSON).
    pub body: Vec<String>,
}

/// The first line's start: `runbook-lens-snapshot 1<TAB><url>`.
pub const SNAPSHOT_MAGIC: &str = "runbook-lens-snapshot";

/// The fields of a node's line, in order, tab-separated (trailing empty fields may be left
/// out). `extension/lib/pd-page.js` writes the same list; a test checks that they agree.
pub const SNAPSHOT_FIELDS: &str = "p t x id tid role cls href open";

impl<'a> Snapshot<'a> {
    /// Parses a snapshot: the first line `runbook-lens-snapshot 1<TAB><url>`, then one node a
    /// line with the fields of [`SNAPSHOT_FIELDS`] (`open` is `1` or empty). No field holds a
    /// tab or a newline: the content script writes a text's line breaks as `br` nodes and
    /// its tabs as spaces, so nothing needs escaping. Checks the version, the size and that
    /// every node's parent comes before it.
    pub fn from_text(text: &'a str) -> Result<Snapshot<'a>, String> {
        let mut lines = text.split('\n');
        let head = lines.next().unwrap_or_default();
        let (magic, url) = head.split_once('\t').unwrap_or((head, ""));
        // Written out rather than formatted from SNAPSHOT_MAGIC and SNAPSHOT_VERSION: it costs
        // the panel's wasm less (a test checks that they agree).
        if magic != "runbook-lens-snapshot 1" {
            return Err("not a snapshot: no `runbook-lens-snapshot 1`".to_string());
        }
        let mut nodes: Vec<Node> = Vec::new();
        for line in lines.filter(|l| !l.is_empty()) {
            if nodes.len() == MAX_NODES {
                return Err("snapshot: over 20000 nodes".to_string());
            }
            let mut f = line.split('\t');
            let p = f.next().and_then(|p| p.parse::<u32>().ok());
            let p = match p {
                Some(p) if nodes.is_empty() || (p as usize) < nodes.len() => p,
                _ => {
                    return Err(
                        "the page snapshot has a node whose parent does not come before it"
                            .to_string(),
                    )
                }
            };
            let mut next = || f.next().unwrap_or_default();
            nodes.push(Node {
                p,
                t: next(),
                x: next(),
                id: next(),
                tid: next(),
                role: next(),
                cls: next(),
                href: next(),
                open: next() == "1",
            });
        }
        Ok(Snapshot {
            v: SNAPSHOT_VERSION,
            url,
            nodes,
        })
    }
}

impl PageRead {
    /// The text the engine reads: each alert's title line (with the incident's number in
    /// front, the way PagerDuty titles are written) and its body, alerts separated by a blank
    /// line. A second title starts the engine's next alert.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for a in &self.alerts {
            if !out.is_empty() {
                out.push('\n');
            }
            if let Some(t) = &a.title {
                match &self.number {
                    Some(n) if !t.starts_with('#') => {
                        out.push('#');
                        out.push_str(n);
                        out.push(' ');
                    }
                    _ => {}
                }
                out.push_str(t);
                out.push('\n');
            }
            for line in &a.body {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}
