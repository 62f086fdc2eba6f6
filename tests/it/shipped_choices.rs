//! Mappings an organisation ships in its pack: a page's front matter `chosen_for:` names put
//! that page first for alerts of that name, through `pack` and back, after the user's own
//! choices (issue 14).

use runbook_lens::config::Config;
use runbook_lens::guidance::{explain, Choice};
use runbook_lens::pack::Pack;

const NODE: &str = include_str!("../../src/builtin/runbooks/armada/node-not-ready.md");
const ALERT: &str = include_str!("../../src/builtin/alerts/node-not-ready.txt");

/// A page that names nothing of the alert, written here, chosen for `names` in its front matter.
fn other_page(names: &str) -> String {
    format!(
        "---\ntitle: Storage quota exceeded\ntype: Alert\nchosen_for: {names}\n---\n\n## Overview\n\nThe volume is full.\n"
    )
}

fn first_file(pack: &Pack, config: &Config) -> (String, Option<String>) {
    let e = explain(pack, ALERT, None, config, &[]);
    let m = e.matches.first().expect("a match");
    (m.runbook.file.clone(), m.chosen.clone())
}

#[test]
fn a_page_chosen_for_an_alert_comes_first_and_survives_the_pack_file() {
    let other = other_page("[armada-infra_node_not_ready]");
    let pages = [
        ("armada/node-not-ready.md", NODE),
        ("storage/quota.md", other.as_str()),
    ];
    let plain = Pack::from_pages("t", [pages[0], ("storage/quota.md", &other_page("[]"))]);
    assert_eq!(
        first_file(&plain, &Config::default()).0,
        "armada/node-not-ready.md",
        "without the mapping the ranking picks the node page"
    );
    let pack = Pack::from_pages("t", pages);
    let (file, chosen) = first_file(&pack, &Config::default());
    assert_eq!(file, "storage/quota.md");
    assert_eq!(chosen.as_deref(), Some("armada-infra_node_not_ready"));
    // Through the pack file, as the extension stores it.
    let stored = Pack::from_json("t.json", &pack.to_json()).expect("the pack loads");
    assert_eq!(
        first_file(&stored, &Config::default()).0,
        "storage/quota.md"
    );
    // The user's own choice comes before the pack's.
    let config = Config {
        choices: vec![Choice {
            alert: "armada-infra_node_not_ready".into(),
            runbook: "armada/node-not-ready.md".into(),
        }],
        ..Config::default()
    };
    assert_eq!(first_file(&pack, &config).0, "armada/node-not-ready.md");
}
