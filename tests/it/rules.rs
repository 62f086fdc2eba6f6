//! Extraction rules end to end through the CLI: a plain-text log line fills `<controllerid>`
//! through a rule from the settings (`--config`) or from the runbook's front matter, and a
//! rule that does not compile is refused with its field or its page and line.

use std::path::{Path, PathBuf};

use crate::cli::api_key_step;
use crate::support::{bin, json_of, root, run};

/// The issue's plain-text log line: the scenario's error and the controller, as text.
const LOG_LINE: &str = "2026-11-27T03:12:44Z ERROR DeleteClientID failed for controller c0ffee1234abcd: 403 BXNIM0515E: You are not authorized to manage this Client ID.";
const RULE: &str = "controller (?P<controllerid>[0-9a-f]{8,})";
const SCENARIO: &str = "403 BXNIM0515E: You are not authorized to manage this Client ID.";

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("runbook-lens-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

fn alert() -> PathBuf {
    root().join("src/builtin/alerts/reference-eu-de.txt")
}

/// A copy of the built-in reference runbook under `dir`, with `extract` lines added to its
/// front matter.
fn runbooks_with(dir: &Path, extract: &str) -> PathBuf {
    let page = std::fs::read_to_string(
        root().join("src/builtin/runbooks/cluster/orchestrator-callback-errors.md"),
    )
    .expect("the reference runbook");
    let page = page.replacen("---\n", &format!("---\n{extract}"), 1);
    let folder = dir.join("cluster");
    std::fs::create_dir_all(&folder).expect("runbook folder");
    std::fs::write(folder.join("orchestrator-callback-errors.md"), page).expect("write");
    dir.to_path_buf()
}

fn assert_filled(v: &serde_json::Value) {
    let m = &v["matches"][0];
    assert_eq!(m["scenario"]["heading"], SCENARIO, "{m:#}");
    assert_eq!(
        api_key_step(v)["text"],
        "ibmcloud ks api-key info --cluster c0ffee1234abcd"
    );
    assert_eq!(m["rule_values"][0]["name"], "controllerid");
    assert_eq!(m["rule_values"][0]["rule"], RULE);
    assert_eq!(m["rule_values"][0]["source"], "log line 1");
}

#[test]
fn a_settings_rule_fills_the_controller_from_a_plain_log_line() {
    let config = tmp("extract.json");
    std::fs::write(&config, format!(r#"{{"extract": ["{}"]}}"#, RULE)).expect("write");
    let explain = |json: bool| {
        let mut cmd = bin();
        cmd.args(["explain", "--config"])
            .arg(&config)
            .args(["--log-line", LOG_LINE]);
        if json {
            cmd.arg("--json");
        }
        run(cmd.arg(alert()))
    };
    assert_filled(&json_of(&explain(true)));
    let text = String::from_utf8_lossy(&explain(false).stdout).into_owned();
    assert!(
        text.contains(&format!(
            "<controllerid> = c0ffee1234abcd  from rule `{RULE}` (log line 1)"
        )),
        "{text}"
    );
    // Without the rule the line still picks the scenario, and leaves the controller open.
    let v = json_of(&run(bin()
        .args(["explain", "--json", "--log-line", LOG_LINE])
        .arg(alert())));
    assert_eq!(v["matches"][0]["scenario"]["heading"], SCENARIO);
    assert_eq!(
        api_key_step(&v)["text"],
        "ibmcloud ks api-key info --cluster <controllerid>"
    );
}

#[test]
fn several_log_lines_are_read_each_on_its_own() {
    let config = tmp("extract-lines.json");
    std::fs::write(&config, format!(r#"{{"extract": ["{}"]}}"#, RULE)).expect("write");
    let v = json_of(&run(bin()
        .args(["explain", "--json", "--config"])
        .arg(&config)
        .args(["--log-line", "2026-11-27T03:12:40Z INFO retrying"])
        .args(["--log-line", LOG_LINE])
        .arg(alert())));
    assert_eq!(v["matches"][0]["scenario"]["heading"], SCENARIO);
    assert_eq!(v["matches"][0]["rule_values"][0]["source"], "log line 2");
}

#[test]
fn a_front_matter_rule_does_it_without_settings() {
    let dir = tmp("front-matter-rule");
    let runbooks = runbooks_with(&dir, &format!("extract:\n  - '{RULE}'\n"));
    let v = json_of(&run(bin()
        .args(["explain", "--json", "--runbooks"])
        .arg(&runbooks)
        .args(["--log-line", LOG_LINE])
        .arg(alert())));
    assert_filled(&v);
    // And through a pack file, which carries the rule.
    let pack = tmp("front-matter-rule.pack.json");
    run(bin().arg("pack").arg(&runbooks).arg("-o").arg(&pack));
    let v = json_of(&run(bin()
        .args(["explain", "--json", "--runbooks"])
        .arg(&pack)
        .args(["--log-line", LOG_LINE])
        .arg(alert())));
    assert_filled(&v);
}

#[test]
fn a_bad_pattern_is_refused_naming_extract() {
    let config = tmp("bad-extract.json");
    std::fs::write(
        &config,
        r#"{"extract": ["(?P<a>ok)", "controller (?P<controllerid>[0-9a-f"]}"#,
    )
    .expect("write");
    let out = run(bin()
        .args(["explain", "--config"])
        .arg(&config)
        .arg(alert()));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`extract[1]`") && err.contains("unclosed character class"),
        "{err}"
    );
    // In front matter: `lint` names the page and the line, and the rule is not used.
    let dir = tmp("front-matter-bad-rule");
    let runbooks = runbooks_with(
        &dir,
        "extract:\n  - 'controller (?P<controllerid>[0-9a-f'\n",
    );
    let out = run(bin().arg("lint").arg(&runbooks));
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("orchestrator-callback-errors.md:3") && text.contains("`extract` rule"),
        "{text}"
    );
}

/// A small alert page whose command needs `<controllerid>`, with `front` added to its front
/// matter.
fn page_with(dir: &Path, front: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("dir");
    let page = format!(
        "---\ntitle: Callback errors\ntype: Alert\n{front}---\n\n## Example Alert\n\n- alert = CallbackErrors\n- region = us-south\n\n## Actions\n\n- `ibmcloud ks api-key info --cluster <controllerid>`\n\n## Escalation Policy\n\n[team](https://example.pagerduty.com/escalation_policies#P123456)\n"
    );
    std::fs::write(dir.join("callback.md"), page).expect("write");
    dir.to_path_buf()
}

#[test]
fn lint_counts_a_rule_as_filling_its_placeholder_and_flags_a_rule_that_fills_none() {
    let lint = |dir: &Path| {
        let out = run(bin().args(["lint", "--json"]).arg(dir));
        json_of(&out)["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .map(|p| p["message"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let none = lint(&page_with(&tmp("lint-no-rule"), ""));
    assert!(
        none.iter().any(|m| m.contains("`<controllerid>`")),
        "{none:?}"
    );
    let with_rule = lint(&page_with(
        &tmp("lint-rule"),
        &format!("extract:\n  - '{RULE}'\n"),
    ));
    assert!(with_rule.is_empty(), "{with_rule:?}");
    let misspelt = lint(&page_with(
        &tmp("lint-misspelt-rule"),
        "extract:\n  - 'controller (?P<controler>[0-9a-f]{8,})'\n",
    ));
    assert_eq!(misspelt.len(), 2, "{misspelt:?}");
    assert!(misspelt.iter().any(|m| m.contains("`<controllerid>`")));
    assert!(misspelt
        .iter()
        .any(|m| m.contains("fills no placeholder of this page")));
}
