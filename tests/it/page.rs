//! The page reader (`runbook_lens::page`) on saved snapshots of PagerDuty-like incident pages:
//! one folder per case under `tests/pages/` (listed in `tests/pages/cases.json`, written by
//! `scripts/save-page-snapshots.mjs` from `extension/tests/fixtures/pd-real-*.html`), holding
//! `snapshot.txt` and `expect.json`: the incident's title and number, each alert's title and
//! body, and what `explain` makes of each alert (runbook, scenario, query, region).
//!
//! `UPDATE_EXPECT=1 cargo test --test it page::` rewrites each `expect.json` from the actual
//! result; review the diff before committing it.

use std::path::PathBuf;

use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::page::{read_snapshot, Snapshot, SNAPSHOT_FIELDS};
use serde_json::{json, Value};

use crate::support::root;

/// One `#[test]` per case folder; `every_page_case_has_a_test` checks the list against
/// `tests/pages/cases.json`.
macro_rules! pages {
    ($($name:ident,)*) => {
        $(
            #[test]
            fn $name() {
                run_page(&stringify!($name).replace('_', "-"));
            }
        )*
        const PAGES: &[&str] = &[$(stringify!($name),)*];
    };
}

pages! {
    two_alerts_expanded,
    title_only_collapsed,
    one_alert_expanded,
    raw_json_message,
    shown_twice,
    alert_page,
}

fn pages_dir() -> PathBuf {
    root().join("tests").join("pages")
}

/// What the reader and the engine make of a case's snapshot.
fn actual(snapshot: &str) -> Value {
    let snap = Snapshot::from_text(snapshot).expect("a valid snapshot");
    let read = read_snapshot(&snap).expect("a page the reader knows");
    let e = explain(
        &runbook_lens::builtin::pack(),
        &read.text(),
        None,
        &Config::default(),
        &[],
    );
    let explained: Vec<Value> = e
        .alerts
        .iter()
        .map(|a| {
            let best = a.matches.first();
            json!({
                "title": a.title,
                "region": a.place.as_ref().and_then(|p| p.region.as_deref()),
                "runbook": best.map(|m| m.runbook.title.clone()),
                "scenario": best.and_then(|m| m.scenario.as_ref()).map(|s| s.heading.clone()),
                "query": best.and_then(|m| m.log_search.query.clone()),
            })
        })
        .collect();
    json!({ "read": read, "explained": explained })
}

fn run_page(name: &str) {
    let dir = pages_dir().join(name);
    let snapshot = std::fs::read_to_string(dir.join("snapshot.txt")).unwrap_or_else(|e| {
        panic!("{name}: no snapshot.txt ({e}); run scripts/save-page-snapshots.mjs")
    });
    let got = actual(&snapshot);
    let expect_file = dir.join("expect.json");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        let text = serde_json::to_string_pretty(&got).expect("json") + "\n";
        std::fs::write(&expect_file, text).expect("write expect.json");
        return;
    }
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(&expect_file)
            .unwrap_or_else(|e| panic!("{name}: no expect.json ({e}); run with UPDATE_EXPECT=1")),
    )
    .expect("expect.json is JSON");
    assert_eq!(
        got,
        want,
        "{name}: got\n{}",
        serde_json::to_string_pretty(&got).unwrap_or_default()
    );
}

#[test]
fn every_page_case_has_a_test() {
    let list: Value = serde_json::from_str(
        &std::fs::read_to_string(pages_dir().join("cases.json")).expect("tests/pages/cases.json"),
    )
    .expect("cases.json is JSON");
    let mut names: Vec<String> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["name"].as_str().expect("name").replace('-', "_"))
        .collect();
    let mut tests: Vec<String> = PAGES.iter().map(|s| s.to_string()).collect();
    names.sort();
    tests.sort();
    assert_eq!(
        names, tests,
        "tests/pages/cases.json and the list in page.rs differ"
    );
}

/// The content script writes the fields the reader reads, in the same order.
#[test]
fn the_content_script_writes_the_readers_fields() {
    let js = std::fs::read_to_string(root().join("extension/lib/pd-page.js")).expect("pd-page.js");
    let line = format!("const SNAPSHOT_FIELDS = \"{SNAPSHOT_FIELDS}\";");
    assert!(js.contains(&line), "pd-page.js must say: {line}");
}

/// A snapshot at the node limit, nested as deep as it can be, is read without overflowing the
/// stack (the reader walks ranges, never recursing); one node more is refused.
#[test]
fn big_and_deep_snapshots_are_read() {
    let max = runbook_lens::page::MAX_NODES;
    let mut text =
        String::from("runbook-lens-snapshot 1\thttps://acme.pagerduty.com/incidents/Q1\n0\tbody\n");
    for i in 1..max {
        text.push_str(&format!("{}\tdiv\n", i - 1));
    }
    let snap = Snapshot::from_text(&text).expect("at the limit");
    assert_eq!(snap.nodes.len(), max);
    assert_eq!(read_snapshot(&snap), None);
    text.push_str("0\tp\n");
    assert!(Snapshot::from_text(&text).is_err());
    // The `open` flag, a missing parent and another version.
    let s = Snapshot::from_text("runbook-lens-snapshot 1\tu\n0\tbody\n0\tdetails\t\t\t\t\t\t\t1\n")
        .expect("parses");
    assert_eq!(s.url, "u");
    assert!(s.nodes[1].open);
    assert!(Snapshot::from_text("runbook-lens-snapshot 1\tu\n0\tbody\n5\tdiv\n").is_err());
    let wrong = Snapshot::from_text("runbook-lens-snapshot 2\tu\n").expect_err("version 2");
    // The messages write the version and the limit out: they must be these constants.
    let version = format!(
        "{} {}",
        runbook_lens::page::SNAPSHOT_MAGIC,
        runbook_lens::page::SNAPSHOT_VERSION
    );
    assert!(wrong.contains(&format!("`{version}`")), "{wrong}");
    text.push_str("0\tp\n");
    let big = Snapshot::from_text(&text).expect_err("too many nodes");
    assert!(big.contains(&max.to_string()), "{big}");
}

/// `runbook-lens explain --snapshot` reads a saved page as the panel does: the two alerts of
/// the incident, each with its region, and nothing of the past incidents listed on the page.
#[test]
fn cli_explains_a_snapshot() {
    let file = pages_dir().join("two-alerts-expanded").join("snapshot.txt");
    let out = crate::support::run(
        crate::support::bin()
            .args(["explain", "--json", "--snapshot"])
            .arg(&file),
    );
    let v = crate::support::json_of(&out);
    let titles: Vec<&str> = v["alerts"]
        .as_array()
        .expect("alerts")
        .iter()
        .map(|a| a["title"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        titles[0].ends_with(".us-south") && titles[1].ends_with(".eu-de"),
        "{titles:?}"
    );
    let text = v.to_string();
    assert!(
        !text.contains("CreateClientID_callback") && !text.contains("jp-tok"),
        "{text}"
    );
}
