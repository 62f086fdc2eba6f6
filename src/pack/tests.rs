//! Tests of the pack file: old packs still load, the wire shape is tied to `PACK_VERSION`,
//! and values a newer build writes read as fallbacks.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{json, Value};

use super::{sample, wire, Pack, JSON_PACK_VERSION as PACK_VERSION};
use crate::runbook::{LinkKind, Problem};

/// A pack made by the code before the wire format existed (the parse tree serialised as it
/// was), from [`sample::runbooks`]. It is never rewritten: it is what old packs look like.
const V1_SAMPLE: &str = include_str!("testdata/pack-v1-sample.json");

/// The golden description of the wire shape, with the shape hash of every version.
const SHAPE_FILE: &str = "src/pack/wire_shape.txt";

/// The built-in pack as JSON of version 3 (what `src/builtin/pack.json` held).
fn builtin_json() -> String {
    crate::builtin::pack().to_json()
}

fn to_value(json: &str) -> Value {
    serde_json::from_str(json).expect("valid JSON")
}

fn sample_pack() -> Pack {
    Pack::from_runbooks(sample::TEXT, sample::runbooks())
}

#[test]
fn builtin_pack_json_round_trips_byte_for_byte() {
    let json = builtin_json();
    let pack = Pack::from_json("pack.json", &json).expect("pack.json loads");
    assert!(
        pack.to_json() == json,
        "writing the built-in pack again changes src/builtin/pack.json: the wire format no longer writes what version {PACK_VERSION} wrote"
    );
}

#[test]
fn packs_written_before_the_wire_format_still_load() {
    // Version 2 added front matter `extract` rules, version 3 `chosen_for` names; a version 1
    // pack is read as one without either.
    let mut v1_runbooks = sample::runbooks();
    for rb in &mut v1_runbooks {
        rb.front.extract.clear();
        rb.front.chosen_for.clear();
    }
    let pack = Pack::from_json("pack-v1-sample.json", V1_SAMPLE).expect("a version 1 pack loads");
    assert!(
        pack.runbooks() == v1_runbooks,
        "a version 1 pack reads differently"
    );
    let mut written = to_value(&Pack::from_runbooks(sample::TEXT, v1_runbooks).to_json());
    written["version"] = json!(1);
    assert_eq!(
        written,
        to_value(V1_SAMPLE),
        "the sample without version 2's rules no longer writes as version 1 did; if PACK_VERSION was bumped on purpose, decide how version 1 packs are read and say so here"
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

/// One line per JSON path of `v`: `<Tag>` marks a tagged variant, free text (the sample's
/// [`sample::TEXT`]) reads `string`, any other string is printed as it is (enum values,
/// the format name), numbers, booleans and nulls by their kind, empty arrays as `[]`.
fn shape(v: &Value, path: &str, out: &mut BTreeSet<String>) {
    let line = |what: &str| format!("{path}: {what}");
    match v {
        Value::Object(map) => {
            let path = match map.get("t").and_then(Value::as_str) {
                Some(tag) => format!("{path}<{tag}>"),
                None => path.to_string(),
            };
            // An object with nothing but its tag (`{"t": "Break"}`) still names its variant.
            let mut fields = map.iter().filter(|(k, _)| *k != "t").peekable();
            if fields.peek().is_none() {
                out.insert(format!("{path}: {{}}"));
            }
            for (key, value) in fields {
                shape(value, &format!("{path}.{key}"), out);
            }
        }
        Value::Array(items) => {
            if items.is_empty() {
                out.insert(line("[]"));
            }
            for item in items {
                shape(item, &format!("{path}[]"), out);
            }
        }
        Value::String(s) if s == sample::TEXT => {
            out.insert(line("string"));
        }
        Value::String(s) => {
            out.insert(line(&format!("{s:?}")));
        }
        Value::Number(_) => {
            out.insert(line("number"));
        }
        Value::Bool(_) => {
            out.insert(line("bool"));
        }
        Value::Null => {
            out.insert(line("null"));
        }
    }
}

/// FNV-1a, 64 bits: a stable hash with no dependency, enough to notice a changed shape.
fn fnv1a64(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const SHAPE_HEADER: &str = "\
# The pack file's wire shape (src/pack/wire.rs) as the sample pack (src/pack/sample.rs) writes it:
# one line per JSON path; <Tag> marks a tagged variant; `string`, `number`, `bool`, `null` and `[]`
# stand for values; any other string is an enum value or name that is part of the shape.
# `UPDATE_EXPECT=1 cargo test --lib pack::` rewrites this file. A changed shape needs a new
# PACK_VERSION (src/pack/mod.rs): the hash of each version is recorded once, below, and never changes.
";

#[test]
fn wire_shape_is_versioned() {
    let mut lines = BTreeSet::new();
    shape(&to_value(&sample_pack().to_json()), "pack", &mut lines);
    let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let hash = format!("{:016x}", fnv1a64(&body));
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SHAPE_FILE);
    let golden = std::fs::read_to_string(&path).unwrap_or_default();
    // (version, hash) of every version recorded so far, oldest first.
    let recorded: Vec<(u32, String)> = golden
        .lines()
        .filter_map(|l| {
            let mut words = l.strip_prefix("version ")?.split(' ');
            let version = words.next()?.parse().ok()?;
            Some((version, words.next()?.strip_prefix("fnv1a64:")?.to_string()))
        })
        .collect();
    let newest = recorded.iter().map(|(v, _)| *v).max().unwrap_or(0);
    assert!(
        PACK_VERSION >= newest,
        "{SHAPE_FILE} records version {newest}, newer than PACK_VERSION {PACK_VERSION}"
    );
    match recorded.iter().find(|(v, _)| *v == PACK_VERSION) {
        Some((_, h)) => assert!(
            *h == hash,
            "the pack wire shape changed (hash {hash}, version {PACK_VERSION} was {h}): bump PACK_VERSION in src/pack/mod.rs, make sure older builds refuse or still read the new packs, then run `UPDATE_EXPECT=1 cargo test --lib pack::` and review {SHAPE_FILE}"
        ),
        None if std::env::var_os("UPDATE_EXPECT").is_none() => panic!(
            "PACK_VERSION {PACK_VERSION} is not recorded in {SHAPE_FILE}: run `UPDATE_EXPECT=1 cargo test --lib pack::`"
        ),
        None => {}
    }
    let mut versions: String = recorded
        .iter()
        .map(|(v, h)| format!("version {v} fnv1a64:{h}\n"))
        .collect();
    if newest < PACK_VERSION {
        versions.push_str(&format!("version {PACK_VERSION} fnv1a64:{hash}\n"));
    }
    let expected = format!("{SHAPE_HEADER}{versions}{body}");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &expected).expect("writes the golden shape");
    } else {
        assert!(
            golden == expected,
            "{SHAPE_FILE} is not what the code writes (same hash, so only its text or header differs): run `UPDATE_EXPECT=1 cargo test --lib pack::`"
        );
    }
}

/// The built-in pack with what a newer build might write: a block kind, an inline kind, a link
/// kind, a problem severity and fields this build does not know.
fn pack_from_a_newer_build() -> String {
    let mut pack = to_value(&builtin_json());
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
    let expected = crate::builtin::pack();
    let mut expected_runbooks = expected.runbooks();
    let rb = expected_runbooks
        .iter_mut()
        .find(|rb| rb.file == "cluster/orchestrator-callback-errors.md")
        .expect("the orchestrator page");
    for link in &mut rb.links {
        if link.kind == LinkKind::Issue {
            link.kind = LinkKind::Other;
        }
    }
    rb.problems.push(Problem::warning(1, "m", "f"));
    assert!(pack.runbooks() == expected_runbooks);

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
    let mut pack = to_value(&builtin_json());
    pack["version"] = json!(PACK_VERSION + 1);
    let e = Pack::from_json("future.json", &pack.to_string()).expect_err("newer version");
    assert!(
        e.to_string().contains(&format!(
            "pack version {}; this build reads JSON packs of versions 1 to {PACK_VERSION}",
            PACK_VERSION + 1
        )),
        "{e}"
    );
    let e = Pack::from_json("x.json", r#"{"format": "other", "version": 1}"#).expect_err("format");
    assert!(e.to_string().contains("`format` is `other`"), "{e}");
}

#[test]
fn inlines_read_with_their_keys_in_either_order() {
    // `serde_json::json!` and `serde_json::Value` sort keys, so `c` comes before `t`; a unit
    // variant may carry a null `c`; an unknown tag may carry any content, before or after.
    let inlines = r#"[{"c": "a", "t": "Text"}, {"c": "b", "t": "Code"}, {"t": "Break", "c": null},
        {"c": [{"c": "e", "t": "Text"}], "t": "Emph", "extra": 1},
        {"c": [{"t": "Text", "c": "s"}], "t": "Strong"},
        {"c": {"children": [{"c": "l", "t": "Text"}], "url": "u"}, "t": "Link"},
        {"c": {"tex": "x"}, "t": "Math"}, {"t": "Math", "c": [1, 2]}, {"t": "Math"}]"#;
    let expected = r#"[Text("a"), Code("b"), Break, Emph([Text("e")]), Strong([Text("s")]), Link { url: "u", children: [Text("l")] }, Unknown, Unknown, Unknown]"#;
    let read: Vec<wire::Inline> = serde_json::from_str(inlines).expect("inlines read");
    assert_eq!(format!("{read:?}"), expected);
    // The same inside a block, where serde reads them from its own buffer.
    let block = format!(r#"{{"inlines": {inlines}, "t": "Para"}}"#);
    let read: wire::Block = serde_json::from_str(&block).expect("block reads");
    assert_eq!(
        format!("{read:?}"),
        format!("Para {{ inlines: {expected} }}")
    );
    for bad in [
        r#"{"c": "a"}"#,
        r#"{"t": "Text"}"#,
        r#"{"t": "Text", "c": 1}"#,
        r#"{"c": 1, "t": "Text"}"#,
        r#"{"c": [], "t": "Code"}"#,
        r#"{"c": "x", "t": "Link"}"#,
    ] {
        assert!(
            serde_json::from_str::<wire::Inline>(bad).is_err(),
            "{bad} should not read"
        );
    }
}

#[test]
fn a_block_without_the_fields_of_its_kind_is_refused_by_name() {
    let mut pack = to_value(&builtin_json());
    let blocks = pack["runbooks"][0]["sections"]
        .as_array_mut()
        .and_then(|s| {
            s.iter_mut()
                .find(|s| s["blocks"].as_array().is_some_and(|b| !b.is_empty()))
        })
        .map(|s| &mut s["blocks"])
        .expect("a section with blocks");
    blocks[0] = serde_json::json!({"t": "Code", "lang": "sh", "line": 3});
    let e =
        Pack::from_json("broken.json", &pack.to_string()).expect_err("a Code block without text");
    assert!(
        e.to_string()
            .contains("a `Code` block has `lang`, `text` and `line`"),
        "{e}"
    );
}
