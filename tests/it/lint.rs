//! `runbook-lens lint` as runbook authors' CI calls it: the problems of the pages in
//! `tests/lint/broken` with their file, line and severity, none for `tests/lint/clean`, and no
//! error in the built-in pack. (Lint over the corpus is in `corpus.rs`.)

use std::path::Path;

use serde_json::Value;

use crate::support::{bin, root, run};

pub(crate) fn lint_json(paths: &[&Path]) -> (Option<i32>, Value) {
    let out = run(bin().args(["lint", "--json"]).args(paths));
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).expect("lint JSON"),
    )
}

#[test]
fn lint_reports_what_authors_can_fix() {
    let (code, v) = lint_json(&[&root().join("tests/lint/broken")]);
    assert_eq!(code, Some(1), "errors exit 1: {v}");
    let problems = v["problems"].as_array().expect("problems");
    let find = |needle: &str| {
        problems
            .iter()
            .find(|p| p["message"].as_str().is_some_and(|m| m.contains(needle)))
            .cloned()
    };
    let yaml = find("not valid YAML").expect("front matter error");
    assert_eq!(yaml["severity"], "error");
    assert_eq!(yaml["line"], 2);
    assert!(yaml["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("bad-front-matter.md")));
    let script = find("script or data URL").expect("javascript: link error");
    assert_eq!(script["severity"], "error");
    let esc = find("no PagerDuty escalation policy link").expect("missing escalation");
    assert!(esc["file"]
        .as_str()
        .is_some_and(|f| f.ends_with("script-link.md")));
    let ph = find("<mount_point>").expect("unexplained placeholder");
    assert_eq!(ph["severity"], "warning");

    // A page whose placeholders are alert fields or explained, with an escalation link.
    let (code, v) = lint_json(&[&root().join("tests/lint/clean")]);
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["problems"], Value::Array(vec![]), "{v}");
    // The built-in pack lints clean of errors.
    let (code, v) = lint_json(&[&root().join("src/builtin/runbooks")]);
    assert_eq!(code, Some(0), "{v}");
}
