//! Data-driven tests of `explain`: one folder per case under `tests/cases/`, holding
//! `alert.txt` (the incident text) and `expect.json` (what the JSON output must contain), and
//! optionally `log-line.txt`, `config.json`, `set.txt` (`name=value` lines) and `runbooks/`
//! (a pack of its own; otherwise the built-in example pack). Adding a case means adding a
//! folder.
//!
//! `expect.json` is compared as a subset: every key it names must be present with a matching
//! value; arrays must have the same length, unless their last element is the string `"…"`,
//! which makes the rest a prefix; `null` matches null or a missing key.

use std::path::Path;

use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::pack::Pack;
use serde_json::Value;

fn check(expected: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    match expected {
        Value::Object(map) => {
            for (k, v) in map {
                let a = actual.get(k).unwrap_or(&Value::Null);
                check(v, a, &format!("{path}.{k}"), errors);
            }
        }
        Value::Array(items) => {
            let Some(actual_items) = actual.as_array() else {
                errors.push(format!("{path}: expected an array, got {actual}"));
                return;
            };
            let prefix = items.last() == Some(&Value::String("…".into()));
            let wanted = if prefix {
                &items[..items.len() - 1]
            } else {
                &items[..]
            };
            if (prefix && actual_items.len() < wanted.len())
                || (!prefix && actual_items.len() != wanted.len())
            {
                errors.push(format!(
                    "{path}: expected {} items{}, got {}: {}",
                    wanted.len(),
                    if prefix { " or more" } else { "" },
                    actual_items.len(),
                    serde_json::to_string(actual).unwrap_or_default()
                ));
                return;
            }
            for (i, (e, a)) in wanted.iter().zip(actual_items).enumerate() {
                check(e, a, &format!("{path}[{i}]"), errors);
            }
        }
        Value::Null => {
            if !actual.is_null() {
                errors.push(format!("{path}: expected null, got {actual}"));
            }
        }
        other => {
            if other != actual {
                errors.push(format!("{path}: expected {other}, got {actual}"));
            }
        }
    }
}

fn run_case(dir: &Path) -> Vec<String> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let alert = read("alert.txt").unwrap_or_else(|| panic!("{}: alert.txt missing", dir.display()));
    let expected: Value = serde_json::from_str(
        &read("expect.json").unwrap_or_else(|| panic!("{}: expect.json missing", dir.display())),
    )
    .unwrap_or_else(|e| panic!("{}: expect.json: {e}", dir.display()));
    let pack = if dir.join("runbooks").is_dir() {
        Pack::load(&dir.join("runbooks")).unwrap_or_else(|e| panic!("{e}"))
    } else {
        runbook_lens::builtin::pack()
    };
    let config = read("config.json")
        .map(|c| Config::from_json(&c).unwrap_or_else(|e| panic!("{}: {e}", dir.display())))
        .unwrap_or_default();
    let log_line = read("log-line.txt").map(|l| l.trim_end_matches('\n').to_string());
    let values: Vec<(String, String)> = read("set.txt")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    let explanation = explain(&pack, &alert, log_line.as_deref(), &config, &values);
    let actual = serde_json::to_value(&explanation).expect("serialisable");
    let mut errors = Vec::new();
    check(&expected, &actual, "", &mut errors);
    errors
}

#[test]
fn cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/cases exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no cases found");
    let only = std::env::var("CASE").ok();
    let mut failed = Vec::new();
    for dir in &dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if only.as_ref().is_some_and(|o| !name.contains(o.as_str())) {
            continue;
        }
        let errors = run_case(dir);
        if errors.is_empty() {
            eprintln!("ok   {name}");
        } else {
            eprintln!("FAIL {name}");
            for e in &errors {
                eprintln!("       {e}");
            }
            failed.push(name);
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} cases failed: {}",
        failed.len(),
        dirs.len(),
        failed.join(", ")
    );
}
