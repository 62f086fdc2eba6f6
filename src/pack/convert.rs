//! Conversions between the pack wire format ([`super::wire`]) and the parse tree: cloning
//! when a pack is written, moving when one is read (so loading a pack copies no text), and
//! reading the fallbacks of unknown enum values as something harmless.

use super::wire::{
    Alert, Block, Field, FrontMatter, Inline, Link, LinkKind, Problem, Runbook, Section, Severity,
};
use crate::alert as tree_alert;
use crate::runbook as tree;

// ---- parse tree → wire (writing a pack) ----

impl From<&tree::Runbook> for Runbook {
    fn from(rb: &tree::Runbook) -> Self {
        let f = &rb.front;
        Runbook {
            file: rb.file.clone(),
            front: FrontMatter {
                title: f.title.clone(),
                kind: f.kind.clone(),
                runbook_name: f.runbook_name.clone(),
                description: f.description.clone(),
                service: f.service.clone(),
                link: f.link.clone(),
                owners: f.owners.clone(),
                parent: f.parent.clone(),
                extract: f.extract.clone(),
                chosen_for: f.chosen_for.clone(),
            },
            sections: rb.sections.iter().map(Section::from).collect(),
            links: rb.links.iter().map(Link::from).collect(),
            example_section: rb.example_section,
            example_alerts: rb.example_alerts.iter().map(Alert::from).collect(),
            example_text: rb.example_text.clone(),
            problems: rb.problems.iter().map(Problem::from).collect(),
        }
    }
}

impl From<&tree::Section> for Section {
    fn from(s: &tree::Section) -> Self {
        Section {
            level: s.level,
            heading: s.heading.clone(),
            anchor: s.anchor.clone(),
            parent: s.parent,
            line: s.line,
            blocks: s.blocks.iter().map(Block::from).collect(),
        }
    }
}

impl From<&tree::Block> for Block {
    fn from(b: &tree::Block) -> Self {
        match b {
            tree::Block::Para { inlines } => Block::Para {
                inlines: inlines_to_wire(inlines),
            },
            tree::Block::Code { lang, text, line } => Block::Code {
                lang: lang.clone(),
                text: text.clone(),
                line: *line,
            },
            tree::Block::List {
                ordered,
                start,
                items,
            } => Block::List {
                ordered: *ordered,
                start: *start,
                items: items
                    .iter()
                    .map(|item| item.iter().map(Block::from).collect())
                    .collect(),
            },
            tree::Block::Quote { blocks } => Block::Quote {
                blocks: blocks.iter().map(Block::from).collect(),
            },
            tree::Block::Table { rows } => Block::Table {
                rows: rows
                    .iter()
                    .map(|row| row.iter().map(|cell| inlines_to_wire(cell)).collect())
                    .collect(),
            },
            tree::Block::Heading { inlines } => Block::Heading {
                inlines: inlines_to_wire(inlines),
            },
        }
    }
}

fn inlines_to_wire(inlines: &[tree::Inline]) -> Vec<Inline> {
    inlines.iter().map(Inline::from).collect()
}

impl From<&tree::Inline> for Inline {
    fn from(i: &tree::Inline) -> Self {
        match i {
            tree::Inline::Text(t) => Inline::Text(t.clone()),
            tree::Inline::Code(t) => Inline::Code(t.clone()),
            tree::Inline::Strong(c) => Inline::Strong(inlines_to_wire(c)),
            tree::Inline::Emph(c) => Inline::Emph(inlines_to_wire(c)),
            tree::Inline::Link { url, children } => Inline::Link {
                url: url.clone(),
                children: inlines_to_wire(children),
            },
            tree::Inline::Break => Inline::Break,
        }
    }
}

impl From<&tree::Link> for Link {
    fn from(l: &tree::Link) -> Self {
        Link {
            text: l.text.clone(),
            url: l.url.clone(),
            kind: match l.kind {
                tree::LinkKind::Escalation => LinkKind::Escalation,
                tree::LinkKind::Issue => LinkKind::Issue,
                tree::LinkKind::Dashboard => LinkKind::Dashboard,
                tree::LinkKind::Logs => LinkKind::Logs,
                tree::LinkKind::Runbook => LinkKind::Runbook,
                tree::LinkKind::Other => LinkKind::Other,
            },
            section: l.section,
        }
    }
}

impl From<&tree::Problem> for Problem {
    fn from(p: &tree::Problem) -> Self {
        Problem {
            severity: match p.severity {
                tree::Severity::Error => Severity::Error,
                tree::Severity::Warning => Severity::Warning,
            },
            line: p.line,
            message: p.message.clone(),
            fix: p.fix.clone(),
        }
    }
}

impl From<&tree_alert::Alert> for Alert {
    fn from(a: &tree_alert::Alert) -> Self {
        Alert {
            title: a.title.clone(),
            fields: a
                .fields
                .iter()
                .map(|f| Field {
                    key: f.key.clone(),
                    value: f.value.clone(),
                    from_title: f.from_title,
                })
                .collect(),
            source: a.source.clone(),
            text: a.text.clone(),
        }
    }
}

// ---- wire → parse tree (reading a pack): moves, so loading copies no text ----

impl From<Runbook> for tree::Runbook {
    fn from(rb: Runbook) -> Self {
        let f = rb.front;
        tree::Runbook {
            file: rb.file,
            front: tree::FrontMatter {
                title: f.title,
                kind: f.kind,
                runbook_name: f.runbook_name,
                description: f.description,
                service: f.service,
                link: f.link,
                owners: f.owners,
                parent: f.parent,
                extract: f.extract,
                chosen_for: f.chosen_for,
            },
            sections: convert(rb.sections, |s| Some(s.into())),
            links: convert(rb.links, |l| Some(l.into())),
            example_section: rb.example_section,
            example_alerts: convert(rb.example_alerts, |a| Some(a.into())),
            example_text: rb.example_text,
            problems: convert(rb.problems, |p| Some(p.into())),
        }
    }
}

impl From<Section> for tree::Section {
    fn from(s: Section) -> Self {
        tree::Section {
            level: s.level,
            heading: s.heading,
            anchor: s.anchor,
            parent: s.parent,
            line: s.line,
            blocks: blocks_from_wire(s.blocks),
        }
    }
}

/// Converts each item, leaving out those that read as `None`. A plain loop on purpose: the
/// iterator adapters' in-place collection added about 3 KB (gzip) to the panel's wasm.
fn convert<A, B>(items: Vec<A>, f: fn(A) -> Option<B>) -> Vec<B> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if let Some(b) = f(item) {
            out.push(b);
        }
    }
    out
}

/// The blocks this build knows; unknown ones are left out.
fn blocks_from_wire(blocks: Vec<Block>) -> Vec<tree::Block> {
    convert(blocks, block_from_wire)
}

fn block_from_wire(b: Block) -> Option<tree::Block> {
    Some(match b {
        Block::Para { inlines } => tree::Block::Para {
            inlines: inlines_from_wire(inlines),
        },
        Block::Code { lang, text, line } => tree::Block::Code { lang, text, line },
        Block::List {
            ordered,
            start,
            items,
        } => tree::Block::List {
            ordered,
            start,
            items: convert(items, |item| Some(blocks_from_wire(item))),
        },
        Block::Quote { blocks } => tree::Block::Quote {
            blocks: blocks_from_wire(blocks),
        },
        Block::Table { rows } => tree::Block::Table {
            rows: convert(rows, |row| {
                Some(convert(row, |cell| Some(inlines_from_wire(cell))))
            }),
        },
        Block::Heading { inlines } => tree::Block::Heading {
            inlines: inlines_from_wire(inlines),
        },
        Block::Unknown => return None,
    })
}

/// The inlines this build knows; unknown ones are left out.
fn inlines_from_wire(inlines: Vec<Inline>) -> Vec<tree::Inline> {
    convert(inlines, inline_from_wire)
}

fn inline_from_wire(i: Inline) -> Option<tree::Inline> {
    Some(match i {
        Inline::Text(t) => tree::Inline::Text(t),
        Inline::Code(t) => tree::Inline::Code(t),
        Inline::Strong(c) => tree::Inline::Strong(inlines_from_wire(c)),
        Inline::Emph(c) => tree::Inline::Emph(inlines_from_wire(c)),
        Inline::Link { url, children } => tree::Inline::Link {
            url,
            children: inlines_from_wire(children),
        },
        Inline::Break => tree::Inline::Break,
        Inline::Unknown => return None,
    })
}

impl From<Link> for tree::Link {
    fn from(l: Link) -> Self {
        tree::Link {
            text: l.text,
            url: l.url,
            kind: match l.kind {
                LinkKind::Escalation => tree::LinkKind::Escalation,
                LinkKind::Issue => tree::LinkKind::Issue,
                LinkKind::Dashboard => tree::LinkKind::Dashboard,
                LinkKind::Logs => tree::LinkKind::Logs,
                LinkKind::Runbook => tree::LinkKind::Runbook,
                LinkKind::Other | LinkKind::Unknown => tree::LinkKind::Other,
            },
            section: l.section,
        }
    }
}

impl From<Problem> for tree::Problem {
    fn from(p: Problem) -> Self {
        tree::Problem {
            severity: match p.severity {
                Severity::Error => tree::Severity::Error,
                Severity::Warning | Severity::Unknown => tree::Severity::Warning,
            },
            line: p.line,
            message: p.message,
            fix: p.fix,
        }
    }
}

impl From<Alert> for tree_alert::Alert {
    fn from(a: Alert) -> Self {
        tree_alert::Alert {
            title: a.title,
            fields: convert(a.fields, |f| {
                Some(tree_alert::Field {
                    key: f.key,
                    value: f.value,
                    from_title: f.from_title,
                })
            }),
            source: a.source,
            text: a.text,
        }
    }
}
