//! Hostile pack files and pages: every pack is checked on load (section parents, link and
//! example sections, nesting, sizes) and refused with the page and the field named, one bad
//! pack leaves the others loaded, what `pack` writes always loads, and YAML alias bombs and
//! lines of unclosed Jekyll markup stay cheap.

use runbook_lens::pack::Pack;
use runbook_lens::runbook::{blocks_text, parse_runbook};
use serde_json::{json, Value};

const PAGE: &str = "---\ntitle: Queue lag\ntype: Alert\n---\n# Queue lag\n\n## Example Alert\n\n- alertname = QueueLagHigh\n\n## Actions\n\n### Drain\n\nSee [the dashboard](https://grafana.example.com/d/queue).\n";

/// A pack of [`PAGE`] (as `queue.md`) as JSON to spoil.
fn pack_value() -> Value {
    let pack = Pack::from_pages("team", [("queue.md", PAGE)]);
    serde_json::from_str(&pack.to_json()).expect("a pack is JSON")
}

/// The error loading `pack` gives, which must name the page and each of `words`.
fn refused(pack: &Value, words: &[&str]) -> String {
    let e = Pack::from_json("team.json", &pack.to_string())
        .expect_err("a broken pack is refused")
        .to_string();
    assert!(e.starts_with("team.json: page `queue.md`: "), "{e}");
    assert!(e.contains("runbook-lens pack"), "says what to do: {e}");
    for w in words {
        assert!(e.contains(w), "`{w}` missing from: {e}");
    }
    e
}

#[test]
fn the_unspoilt_pack_loads() {
    let pack = pack_value();
    assert_eq!(pack["runbooks"][0]["sections"][4]["parent"], json!(3));
    Pack::from_json("team.json", &pack.to_string()).expect("loads");
}

#[test]
fn a_parent_out_of_range_is_refused() {
    let mut pack = pack_value();
    pack["runbooks"][0]["sections"][4]["parent"] = json!(99);
    refused(
        &pack,
        &["section 4 (`Drain`)", "`parent` 99", "earlier section"],
    );
}

#[test]
fn a_section_that_is_its_own_parent_is_refused() {
    let mut pack = pack_value();
    pack["runbooks"][0]["sections"][3]["parent"] = json!(3);
    refused(&pack, &["section 3 (`Actions`)", "`parent` 3"]);
}

#[test]
fn a_parent_cycle_is_refused() {
    let mut pack = pack_value();
    pack["runbooks"][0]["sections"][3]["parent"] = json!(4);
    pack["runbooks"][0]["sections"][4]["parent"] = json!(3);
    refused(&pack, &["section 3", "`parent` 4"]);
}

#[test]
fn a_parent_of_the_same_level_is_refused() {
    // An earlier section, but not an enclosing one: chains of them could be as long as the page.
    let mut pack = pack_value();
    pack["runbooks"][0]["sections"][4]["level"] = json!(2);
    refused(&pack, &["section 4", "smaller heading level"]);
}

#[test]
fn a_link_section_out_of_range_is_refused() {
    let mut pack = pack_value();
    pack["runbooks"][0]["links"][0]["section"] = json!(5);
    refused(
        &pack,
        &[
            "https://grafana.example.com/d/queue",
            "`section` 5",
            "5 sections",
        ],
    );
}

#[test]
fn an_example_section_out_of_range_is_refused() {
    let mut pack = pack_value();
    pack["runbooks"][0]["example_section"] = json!(1000);
    refused(&pack, &["`example_section` is 1000", "5 sections"]);
}

/// `levels` quotes inside one another around a paragraph, as pack JSON.
fn quotes(levels: usize) -> Value {
    let mut block = json!({"t": "Para", "inlines": [{"t": "Text", "c": "bottom"}]});
    for _ in 0..levels {
        block = json!({"t": "Quote", "blocks": [block]});
    }
    block
}

#[test]
fn nesting_past_the_bound_is_refused() {
    let mut pack = pack_value();
    pack["runbooks"][0]["sections"][4]["blocks"] = json!([quotes(32)]);
    Pack::from_json("team.json", &pack.to_string()).expect("32 levels load");
    pack["runbooks"][0]["sections"][4]["blocks"] = json!([quotes(33)]);
    refused(&pack, &["section 4 (`Drain`)", "more than 32 deep"]);
}

#[test]
fn nesting_past_the_json_reader_is_refused_with_the_page_named() {
    let mut pack = pack_value();
    pack["runbooks"][0]["sections"][4]["blocks"] = json!([quotes(100)]);
    let e = Pack::from_json("team.json", &pack.to_string())
        .expect_err("refused")
        .to_string();
    let start = "team.json: not a runbook pack: page `queue.md`: it is nested too deeply to read (more than 128 levels of JSON): recursion limit exceeded at line 1 column ";
    assert!(e.starts_with(start), "{e}");
    assert!(e.contains("runbook-lens pack"), "says what to do: {e}");
}

#[test]
fn a_refused_pack_leaves_the_others_loaded() {
    // The panel loads the stored packs one by one and lists those left out (set_packs).
    let mut bad = pack_value();
    bad["runbooks"][0]["sections"][3]["parent"] = json!(3);
    let other = Pack::from_pages("other", [("other.md", PAGE)]).to_json();
    let packs = [("team.json", bad.to_string()), ("other.json", other)];
    let (mut runbooks, mut left_out) = (Vec::new(), Vec::new());
    for (name, json) in &packs {
        match Pack::from_json(name, json) {
            Ok(p) => runbooks.extend(p.runbooks()),
            Err(e) => left_out.push(e.to_string()),
        }
    }
    assert_eq!(runbooks.len(), 1);
    assert_eq!(runbooks[0].file, "other.md");
    assert_eq!(left_out.len(), 1);
    assert!(
        left_out[0].starts_with("team.json: page `queue.md`: section 3"),
        "{left_out:?}"
    );
}

/// A page whose text sits `levels` deep in quotes and lists taking turns, with emphasis and a
/// link around its last words.
fn deep_page(levels: usize) -> String {
    let mut prefix = String::new();
    for i in 0..levels {
        prefix.push_str(if i % 2 == 0 { "> " } else { "- " });
    }
    format!("---\ntitle: Deep\n---\n# Deep\n\n{prefix}top *a **b *c [d **e** f](https://x.example/) c* b** a* bottom\n")
}

#[test]
fn a_page_nested_60_levels_packs_loads_and_keeps_its_text() {
    let rb = parse_runbook("deep.md", &deep_page(60));
    assert!(
        rb.problems
            .iter()
            .any(|p| p.line == 6 && p.message.contains("more than 32 levels")),
        "{:?}",
        rb.problems
    );
    let text = blocks_text(&rb.sections[1].blocks);
    for word in ["top", "bottom"] {
        assert!(text.contains(word), "`{word}` lost: {text}");
    }
    let json = Pack::from_runbooks("deep", vec![rb]).to_json();
    Pack::from_json("deep.json", &json).expect("what `pack` writes loads");
}

#[test]
fn pages_just_at_the_bound_keep_their_nesting() {
    // 27 levels of blocks and 5 of emphasis and links: 32, nothing flattened.
    let rb = parse_runbook("deep.md", &deep_page(27));
    assert!(rb.problems.is_empty(), "{:?}", rb.problems);
    let json = Pack::from_runbooks("deep", vec![rb]).to_json();
    Pack::from_json("deep.json", &json).expect("loads");
}

/// Front matter whose anchors alias each other ten times per level: 10^9 values in 377 bytes.
fn alias_bomb_page() -> String {
    let mut page = String::from("---\ntitle: Bomb\ntype: Alert\na: &a [x,x,x,x,x,x,x,x,x,x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let items = vec![format!("*{}", pair[0]); 10].join(",");
        page.push_str(&format!("{}: &{} [{items}]\n", pair[1], pair[1]));
    }
    page + "---\n# Bomb\n\ntext\n"
}

#[test]
fn a_yaml_alias_bomb_is_refused_and_the_other_pages_still_load() {
    let bomb = alias_bomb_page();
    assert!(bomb.len() < 400);
    let pack = Pack::from_pages("team", [("bomb.md", bomb.as_str()), ("queue.md", PAGE)]);
    let rb = pack.page(0).expect("page 0");
    assert_eq!(rb.file, "bomb.md");
    assert!(
        rb.problems.iter().any(|p| p.message.contains("aliases")),
        "{:?}",
        rb.problems
    );
    assert_eq!(rb.title(), "Bomb", "the front matter is read line by line");
    assert!(pack.page(1).expect("page 1").problems.is_empty());
    let json = pack.to_json();
    assert!(json.len() < 8 * 1024, "{} bytes", json.len());
    Pack::from_json("team.json", &json).expect("loads");
}

#[test]
fn a_line_of_unclosed_kramdown_attributes_is_dropped_whole() {
    let page = format!(
        "---\ntitle: J\n---\n# J\n\nbefore\n\n{}\n\nafter\n",
        "{:".repeat(100 * 1024)
    );
    let rb = parse_runbook("j.md", &page);
    let text = blocks_text(&rb.sections[1].blocks);
    assert_eq!(text, "before\nafter\n");
}
