//! Tests of the pack file: old packs still load, and values a newer build writes read as
//! fallbacks.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::{sample, wire, Pack, PACK_VERSION};
use crate::runbook::{LinkKind, Problem};

/// A pack made by the code before the wire format existed (the parse tree serialised as it
/// was), from [`sample::runbooks`]. It is never rewritten: it is what old packs look like.
const V1_SAMPLE: &str = include_str!("testdata/pack-v1-sample.json");

fn to_value(json: &str) -> Value {
    serde_json::from_str(json).expect("valid JSON")
}

fn sample_pack() -> Pack {
    Pack::from_runbooks(sample::TEXT, sample::runbooks())
}

#[test]
fn builtin_pack_json_round_trips_byte_for_byte() {
    let pack = Pack::from_json("pack.json", crate::builtin::PACK_JSON).expect("pack.json loads");
    assert!(
        pack.to_json() == crate::builtin::PACK_JSON,
        "writing the built-in pack again changes src/builtin/pack.json: the wire format no longer writes what version {PACK_VERSION} wrote"
    );
}

#[test]
fn packs_written_before_the_wire_format_still_load() {
    let pack = Pack::from_json("pack-v1-sample.json", V1_SAMPLE).expect("a version 1 pack loads");
    assert!(
        pack.runbooks == sample::runbooks(),
        "a version 1 pack reads differently"
    );
    assert_eq!(
        to_value(&sample_pack().to_json()),
        to_value(V1_SAMPLE),
        "the sample no longer writes as version 1 did; if PACK_VERSION was bumped on purpose, decide how version 1 packs are read and say so here"
    );
}

/// The names of the variants in a sample pack, walked through the wire types with matches
/// that have no catch-all: a new variant does not compile until it is listed here.
fn variants(file: &wire::PackFile) -> BTreeSet<String> {
    fn inlines(v: &[wire::Inline], out: &mut BTreeSet<String>) {
        for i in v {
            let name = match i {
                wire::Inline::Text(_) => "Inline::Text",
                wire::Inline::Code(_) => "Inline::Code",
                wire::Inline::Strong(c) | wire::Inline::Emph(c) => {
                    inlines(c, out);
                    if matches!(i, wire::Inline::Strong(_)) {
                        "Inline::Strong"
                    } else {
                        "Inline::Emph"
                    }
                }
                wire::Inline::Link { children, .. } => {
                    inlines(children, out);
                    "Inline::Link"
                }
                wire::Inline::Break => "Inline::Break",
                wire::Inline::Unknown => "Inline::Unknown",
            };
            out.insert(name.into());
        }
    }
    fn blocks(v: &[wire::Block], out: &mut BTreeSet<String>) {
        for b in v {
            let name = match b {
                wire::Block::Para { inlines: i } => {
                    inlines(i, out);
                    "Block::Para"
                }
                wire::Block::Code { .. } => "Block::Code",
                wire::Block::List { items, .. } => {
                    items.iter().for_each(|item| blocks(item, out));
                    "Block::List"
                }
                wire::Block::Quote { blocks: inner } => {
                    blocks(inner, out);
                    "Block::Quote"
                }
                wire::Block::Table { rows } => {
                    rows.iter().flatten().for_each(|cell| inlines(cell, out));
                    "Block::Table"
                }
                wire::Block::Heading { inlines: i } => {
                    inlines(i, out);
                    "Block::Heading"
                }
                wire::Block::Unknown => "Block::Unknown",
            };
            out.insert(name.into());
        }
    }
    let mut out = BTreeSet::new();
    for rb in &file.runbooks {
        for s in &rb.sections {
            blocks(&s.blocks, &mut out);
        }
        for l in &rb.links {
            out.insert(format!("LinkKind::{:?}", l.kind));
        }
        for p in &rb.problems {
            out.insert(format!("Severity::{:?}", p.severity));
        }
    }
    out
}

#[test]
fn sample_holds_every_variant_the_wire_writes() {
    let file: wire::PackFile = serde_json::from_str(&sample_pack().to_json()).expect("reads");
    let found = variants(&file);
    let expected = [
        "Block::Code",
        "Block::Heading",
        "Block::List",
        "Block::Para",
        "Block::Quote",
        "Block::Table",
        "Inline::Break",
        "Inline::Code",
        "Inline::Emph",
        "Inline::Link",
        "Inline::Strong",
        "Inline::Text",
        "LinkKind::Dashboard",
        "LinkKind::Escalation",
        "LinkKind::Issue",
        "LinkKind::Logs",
        "LinkKind::Other",
        "LinkKind::Runbook",
        "Severity::Error",
        "Severity::Warning",
    ];
    let expected: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        found, expected,
        "src/pack/sample.rs must hold every variant the wire writes (the Unknown fallbacks are never written)"
    );
}

/// The built-in pack with what a newer build might write: a block kind, an inline kind, a link
/// kind, a problem severity and fields this build does not know.
fn pack_from_a_newer_build() -> String {
    let mut pack = to_value(crate::builtin::PACK_JSON);
    let runbooks = pack["runbooks"].as_array_mut().expect("runbooks");
    let rb = runbooks
        .iter_mut()
        .find(|rb| rb["file"] == "cluster/orchestrator-callback-errors.md")
        .expect("the orchestrator page");
    rb["reviewed_by"] = json!(["someone"]);
    for section in rb["sections"].as_array_mut().expect("sections") {
        let blocks = section["blocks"].as_array_mut().expect("blocks");
        for block in blocks.iter_mut() {
            if block["t"] == "Para" {
                let inlines = block["inlines"].as_array_mut().expect("inlines");
                inlines.push(json!({"t": "Math", "c": {"tex": "x^2"}}));
                inlines.push(json!({"t": "Mention"}));
            }
            if block["t"] == "List" {
                for item in block["items"].as_array_mut().expect("items") {
                    let item = item.as_array_mut().expect("item");
                    item.push(json!({"t": "Checkbox", "checked": true}));
                }
            }
        }
        blocks.insert(0, json!({"t": "Diagram", "source": "a -> b", "line": 3}));
    }
    for link in rb["links"].as_array_mut().expect("links") {
        if link["kind"] == "issue" {
            link["kind"] = json!("chat");
        }
    }
    rb["problems"]
        .as_array_mut()
        .expect("problems")
        .push(json!({"severity": "notice", "line": 1, "message": "m", "fix": "f", "id": 7}));
    pack.to_string()
}

#[test]
fn unknown_kinds_from_a_newer_build_read_as_fallbacks() {
    let pack = Pack::from_json("newer.json", &pack_from_a_newer_build())
        .expect("a pack with kinds this build does not know still loads");
    // What this build knows reads as before; the unknown link kind is `Other`, the unknown
    // severity a warning, and the unknown blocks and inlines are left out.
    let mut expected = crate::builtin::pack();
    let rb = expected
        .runbooks
        .iter_mut()
        .find(|rb| rb.file == "cluster/orchestrator-callback-errors.md")
        .expect("the orchestrator page");
    for link in &mut rb.links {
        if link.kind == LinkKind::Issue {
            link.kind = LinkKind::Other;
        }
    }
    rb.problems.push(Problem::warning(1, "m", "f"));
    assert!(pack.runbooks == expected.runbooks);

    let alert = include_str!("../builtin/alerts/reference-eu-de.txt");
    let explained = crate::guidance::explain(&pack, alert, None, &Default::default(), &[]);
    let best = explained
        .matches
        .first()
        .expect("the alert still finds its runbook");
    assert_eq!(best.runbook.file, "cluster/orchestrator-callback-errors.md");
    assert!(best.escalation.url.is_some(), "{:?}", best.escalation);
    assert!(!best.commands.is_empty());
}

#[test]
fn other_versions_and_formats_are_still_refused() {
    let mut pack = to_value(crate::builtin::PACK_JSON);
    pack["version"] = json!(PACK_VERSION + 1);
    let e = Pack::from_json("future.json", &pack.to_string()).expect_err("newer version");
    assert!(
        e.to_string().contains(&format!(
            "pack version {}; this build reads version {PACK_VERSION}",
            PACK_VERSION + 1
        )),
        "{e}"
    );
    let e = Pack::from_json("x.json", r#"{"format": "other", "version": 1}"#).expect_err("format");
    assert!(e.to_string().contains("`format` is `other`"), "{e}");
}

#[test]
fn inlines_read_in_every_form_serde_reads() {
    // `c` before `t`, the `[tag, content]` form, a unit variant with a null `c`, and an unknown
    // tag with content in either order.
    let json = r#"[{"c": "a", "t": "Text"}, ["Code", "b"], {"t": "Break", "c": null}, ["Break"],
        {"t": "Emph", "c": [{"t": "Text", "c": "e"}], "extra": 1},
        {"c": {"tex": "x"}, "t": "Math"}, {"t": "Math", "c": [1, 2]}]"#;
    let read: Vec<wire::Inline> = serde_json::from_str(json).expect("inlines read");
    assert_eq!(
        format!("{read:?}"),
        r#"[Text("a"), Code("b"), Break, Break, Emph([Text("e")]), Unknown, Unknown]"#
    );
    for bad in [
        r#"{"c": "a"}"#,
        r#"{"t": "Text"}"#,
        r#"{"t": "Text", "c": 1}"#,
        "[]",
    ] {
        assert!(
            serde_json::from_str::<wire::Inline>(bad).is_err(),
            "{bad} should not read"
        );
    }
}
