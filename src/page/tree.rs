//! The snapshot as a tree: each node's subtree as a range of the nodes (they are in document
//! order), which subtrees are not this incident, and the text of a subtree as the browser
//! lays it out, each worked out in linear time without recursion.

use super::{Node, Snapshot};

/// Tags whose content starts a new line in the text, as the browser lays them out.
const BLOCKS: &[&str] = &[
    "br", "dd", "details", "dialog", "div", "dl", "dt", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr",
    "ul",
];

/// Words in an `id`, `data-testid` or class name that mark a part of the page that is not
/// this incident's alerts: other incidents, the responders and notes widgets.
const NOT_THIS_INCIDENT: &[&str] = &[
    "pastincident",
    "relatedincident",
    "similarincident",
    "responderswidget",
    "noteswidget",
];

/// Headings of tabs and sections whose content is other incidents.
const OTHER_INCIDENTS: &[&str] = &["past incidents", "related incidents"];

/// The snapshot with its structure worked out.
pub(super) struct Tree<'s> {
    pub nodes: &'s [Node<'s>],
    /// One past the last node of each node's subtree: the subtree of `i` is `i..end[i]`.
    end: Vec<usize>,
    /// Nodes in a part of the page that is not this incident (or in a link to another one).
    excluded: Vec<bool>,
}

impl<'s> Tree<'s> {
    /// Builds the tree of `s` in linear time.
    pub fn new(s: &'s Snapshot<'s>) -> Tree<'s> {
        let nodes = s.nodes.as_slice();
        let mut end = vec![0; nodes.len()];
        for i in (0..nodes.len()).rev() {
            end[i] = end[i].max(i + 1);
            let p = nodes[i].p as usize;
            end[p] = end[p].max(end[i]);
        }
        let mut excluded = vec![false; nodes.len()];
        for (i, n) in nodes.iter().enumerate() {
            // A link to another incident is that incident: its "#n title" is not an alert
            // of this one. (Links to this incident's alert pages stay.)
            let other_link = n.t == "a"
                && n.href.contains("/incidents/")
                && !s.url.contains(n.href.split('?').next().unwrap_or_default());
            // A heading "Past Incidents": the section or tab panel it heads is other incidents.
            let heading = n.t == "#"
                && i > 0
                && matches!(nodes[n.p as usize].t, "h2" | "h3" | "h4")
                && OTHER_INCIDENTS.iter().any(|h| n.x.eq_ignore_ascii_case(h));
            let from = if heading {
                nodes[n.p as usize].p as usize
            } else {
                i
            };
            if heading || other_link || NOT_THIS_INCIDENT.iter().any(|w| named(n, w)) {
                excluded[from..end[from]].fill(true);
            }
        }
        Tree {
            nodes,
            end,
            excluded,
        }
    }

    /// True when `i` is inside `ancestor` (or is it).
    pub fn inside(&self, i: usize, ancestor: usize) -> bool {
        ancestor <= i && i < self.end[ancestor]
    }

    /// The nodes of the subtree of `i` that are not excluded, in document order.
    fn walk(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (i..self.end[i]).filter(|&n| !self.excluded[n])
    }

    /// The elements below `i` (itself included) tagged `tag`, in document order.
    pub fn find_all(&self, i: usize, tag: &str) -> Vec<usize> {
        self.walk(i).filter(|&n| self.nodes[n].t == tag).collect()
    }

    /// The first element below `i` (itself included) for which `f` holds.
    pub fn find(&self, i: usize, f: fn(&Node<'s>) -> bool) -> Option<usize> {
        self.walk(i).find(|&n| f(&self.nodes[n]))
    }

    /// The children of `i`.
    pub fn kids(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut n = i + 1;
        while n < self.end[i] {
            out.push(n);
            n = self.end[n];
        }
        out
    }

    /// The text of `i` on one line.
    pub fn line(&self, i: usize) -> String {
        self.text(i, ' ').trim().to_string()
    }

    /// The text of `i` as lines, without blank lines.
    pub fn lines(&self, i: usize) -> Vec<String> {
        let mut out = Vec::new();
        for line in self.text(i, '\n').split('\n') {
            let line = line.trim_end();
            if !line.trim_start().is_empty() {
                out.push(line.to_string());
            }
        }
        out
    }

    /// The text of `i` as the browser lays it out: block elements (and `<br>`) start a line,
    /// written `brk` (a space, for the text on one line), cells are separated by a tab.
    pub fn text(&self, i: usize, brk: char) -> String {
        let mut out = String::new();
        // The ends of the blocks we are in: a line ends where a block does.
        let mut blocks: Vec<usize> = Vec::new();
        for n in self.walk(i) {
            while blocks.last().is_some_and(|&e| e <= n) {
                blocks.pop();
                out.push(brk);
            }
            let node = &self.nodes[n];
            let tag = node.t;
            let spaced = out.as_bytes().last().is_none_or(u8::is_ascii_whitespace);
            if tag == "#" {
                if !spaced {
                    out.push(' ');
                }
                out.push_str(node.x);
            } else if BLOCKS.contains(&tag) {
                out.push(brk);
                blocks.push(self.end[n]);
            } else if (tag == "td" || tag == "th") && !spaced {
                out.push('\t');
            }
        }
        out
    }
}

/// True when the `id`, `data-testid` or a class name of `n` holds `word` (in lower case).
pub(super) fn named(n: &Node, word: &str) -> bool {
    [n.id, n.tid, n.cls]
        .iter()
        .any(|s| s.to_ascii_lowercase().contains(word))
}
