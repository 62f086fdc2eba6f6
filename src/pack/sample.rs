//! A sample pack that holds every kind of block, inline, link and problem the wire format
//! knows, with every optional field both present and absent: the input of the wire-shape test.

use crate::alert::{Alert, Field};
use crate::runbook::{Block, FrontMatter, Inline, Link, LinkKind, Problem, Runbook, Section};

/// The one free-text value of the sample. The shape description prints every other string
/// literally, so enum values and tags are part of the shape while text is not.
pub const TEXT: &str = "x";

fn x() -> String {
    TEXT.to_string()
}

fn text() -> Vec<Inline> {
    vec![Inline::Text(x())]
}

fn para() -> Block {
    Block::Para { inlines: text() }
}

/// One block of each kind, with one inline of each kind in the paragraph.
fn blocks() -> Vec<Block> {
    let inlines = vec![
        Inline::Text(x()),
        Inline::Code(x()),
        Inline::Strong(text()),
        Inline::Emph(text()),
        Inline::Link {
            url: x(),
            children: text(),
        },
        Inline::Break,
    ];
    vec![
        Block::Para { inlines },
        Block::Code {
            lang: x(),
            text: x(),
            line: 1,
        },
        Block::List {
            ordered: true,
            start: 1,
            items: vec![vec![para()]],
        },
        Block::Quote {
            blocks: vec![para()],
        },
        Block::Table {
            rows: vec![vec![text()]],
        },
        Block::Heading { inlines: text() },
    ]
}

/// A runbook with every field set.
fn full() -> Runbook {
    let kinds = [
        LinkKind::Escalation,
        LinkKind::Issue,
        LinkKind::Dashboard,
        LinkKind::Logs,
        LinkKind::Runbook,
        LinkKind::Other,
    ];
    Runbook {
        file: x(),
        front: FrontMatter {
            title: Some(x()),
            kind: Some(x()),
            runbook_name: Some(x()),
            description: Some(x()),
            service: Some(x()),
            link: Some(x()),
            owners: vec![x()],
            parent: Some(x()),
            extract: vec![x()],
            chosen_for: vec![x()],
        },
        sections: vec![
            Section {
                level: 0,
                heading: x(),
                anchor: x(),
                parent: None,
                line: 1,
                blocks: blocks(),
            },
            Section {
                level: 2,
                heading: x(),
                anchor: x(),
                parent: Some(0),
                line: 1,
                blocks: Vec::new(),
            },
        ],
        links: kinds
            .into_iter()
            .map(|kind| Link {
                text: x(),
                url: x(),
                kind,
                section: 1,
            })
            .collect(),
        example_section: Some(1),
        example_alerts: vec![
            Alert {
                title: Some(x()),
                fields: vec![
                    Field {
                        key: x(),
                        value: x(),
                        from_title: true,
                    },
                    Field {
                        key: x(),
                        value: x(),
                        from_title: false,
                    },
                ],
                source: Some(x()),
                text: x(),
            },
            Alert::default(),
        ],
        example_text: x(),
        problems: vec![
            Problem::error(1, TEXT, TEXT),
            Problem::warning(1, TEXT, TEXT),
        ],
    }
}

/// A runbook with every optional field left out.
fn bare() -> Runbook {
    Runbook {
        file: x(),
        front: FrontMatter::default(),
        sections: Vec::new(),
        links: Vec::new(),
        example_section: None,
        example_alerts: Vec::new(),
        example_text: String::new(),
        problems: Vec::new(),
    }
}

/// The sample's runbooks: one with every field, one with none of the optional ones.
pub fn runbooks() -> Vec<Runbook> {
    vec![full(), bare()]
}
