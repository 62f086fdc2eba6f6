//! The `runbook-lens` binary end to end: `explain` (built-in pack, pack files, settings, bad
//! inputs) and `pack`, as bots and terminals call it. `lint` has its own module; the corpus
//! runs are in `corpus.rs`.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::{bin, json_of, root, run, run_with_stdin};

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("runbook-lens-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// The acceptance checks of the reference alert against a pack whose reference page is `file`.
pub(crate) fn assert_reference(v: &Value, file: &str, scenario: &str) {
    let m = &v["matches"][0];
    assert_eq!(
        m["runbook"]["file"],
        file,
        "{}",
        serde_json::to_string_pretty(&v["matches"]).unwrap_or_default()
    );
    assert_eq!(m["scenario"]["heading"], scenario);
    assert_eq!(
        m["log_search"]["query"],
        "callbackName:DeleteClientID reasonCode:ErrorUnclassified"
    );
    assert_eq!(
        m["log_search"]["dashboard"],
        "https://alchemy-dashboard.containers.cloud.ibm.com"
    );
    assert_eq!(
        m["escalation"]["url"],
        "https://ibm.pagerduty.com/escalation_policies#PQORC98"
    );
    assert!(!m["reasons"].as_array().expect("reasons").is_empty());
}

pub(crate) fn api_key_step(v: &Value) -> Value {
    v["matches"][0]["commands"]
        .as_array()
        .expect("commands")
        .iter()
        .flat_map(|c| c["steps"].as_array().cloned().unwrap_or_default())
        .find(|s| {
            s["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("ibmcloud ks api-key info --cluster"))
        })
        .expect("an `ibmcloud ks api-key info --cluster` step")
}

#[test]
fn explain_uses_the_built_in_pack_by_default() {
    let alert = root().join("src/builtin/alerts/reference-us-south.txt");
    let v = json_of(&run(bin().args(["explain", "--json"]).arg(&alert)));
    assert_reference(
        &v,
        "cluster/orchestrator-callback-errors.md",
        "ErrorUnclassified in DeleteClientID",
    );
    let step = api_key_step(&v);
    assert_eq!(
        step["text"],
        "ibmcloud ks api-key info --cluster <controllerid>"
    );
    assert_eq!(step["unresolved"][0]["name"], "controllerid");
}

#[test]
fn explain_reads_stdin_and_prints_for_people() {
    let alert =
        std::fs::read(root().join("src/builtin/alerts/reference-eu-de.txt")).expect("alert");
    let out = run_with_stdin(&["explain", "-"], &alert);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for expected in [
        "Runbook:    armada-orchestrator - Callback errors",
        "Scenario:   ErrorUnclassified in DeleteClientID",
        "Log search: callbackName:DeleteClientID reasonCode:ErrorUnclassified",
        "escalation_policies#PQORC98",
        "ibmcloud ks api-key info --cluster <controllerid>",
        "<account>",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn explain_says_where_an_alert_fires_and_what_its_details_would_fill() {
    let title = tmp("title-only.txt");
    std::fs::write(
        &title,
        "#60048810 staging.containers-kubernetes.stage-dal10-carrier103.DeleteClientID_callback_action_time_errors.us-south\n",
    )
    .expect("write");
    let out = run(bin().args(["explain"]).arg(&title));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for expected in [
        "Where:      us-south · stage-dal10-carrier103 · staging",
        "Details:    only the alert's title was read; its details would fill <operation>, <reason_code>",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn pack_file_gives_the_same_answer_as_the_folder() {
    let folder = root().join("src/builtin/runbooks");
    let alert = root().join("src/builtin/alerts/reference-us-south.txt");
    let from_folder = json_of(&run(bin()
        .args(["explain", "--json", "--runbooks"])
        .arg(&folder)
        .arg(&alert)));
    // What `pack` writes (gzip of version 4) and the JSON form `--json` keeps for old tools.
    for (name, extra) in [
        ("builtin.rlpack", None),
        ("builtin.pack.json", Some("--json")),
    ] {
        let pack = tmp(name);
        let out = run(bin()
            .args(["pack"])
            .args(extra)
            .arg(&folder)
            .arg("-o")
            .arg(&pack));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let written = std::fs::read(&pack).expect("pack written");
        match extra {
            None => assert_eq!(written[..2], [0x1f, 0x8b], "gzip"),
            Some(_) => assert_eq!(written[0], b'{', "JSON"),
        }
        let from_pack = json_of(&run(bin()
            .args(["explain", "--json", "--runbooks"])
            .arg(&pack)
            .arg(&alert)));
        assert_eq!(from_folder, from_pack, "{name}");
        assert_eq!(
            from_pack["matches"][0]["runbook"]["file"],
            "cluster/orchestrator-callback-errors.md"
        );
    }
}

#[test]
fn bad_inputs_get_clear_errors() {
    let alert = root().join("src/builtin/alerts/reference-us-south.txt");
    // A pack file that is not one.
    let bogus = tmp("bogus.json");
    std::fs::write(&bogus, "{\"hello\": 1}").expect("write");
    let out = run(bin()
        .args(["explain", "--runbooks"])
        .arg(&bogus)
        .arg(&alert));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a runbook pack") && err.contains("runbook-lens pack"),
        "{err}"
    );
    // Settings with a bad template name the field.
    let config = tmp("config.json");
    std::fs::write(
        &config,
        r#"{"log_search_urls": {"us-south": "https://logs.example/view"}}"#,
    )
    .expect("write");
    let out = run(bin().args(["explain", "--config"]).arg(&config).arg(&alert));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("log_search_urls.us-south") && err.contains("{query}"),
        "{err}"
    );
    // A missing folder.
    let out = run(bin()
        .args(["explain", "--runbooks", "/nonexistent/runbooks"])
        .arg(&alert));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn configured_region_template_gives_a_search_url() {
    let alert = root().join("src/builtin/alerts/reference-us-south.txt");
    let config = tmp("config-ok.json");
    std::fs::write(&config, r#"{"site_base_url": "https://runbooks.example.com/docs", "log_search_urls": {"us-south": "https://app.us-south.logging.cloud.ibm.com/abc123/logs/view?q={query}"}}"#).expect("write");
    let v = json_of(&run(bin()
        .args(["explain", "--json", "--config"])
        .arg(&config)
        .arg(&alert)));
    let m = &v["matches"][0];
    assert_eq!(m["log_search"]["url"], "https://app.us-south.logging.cloud.ibm.com/abc123/logs/view?q=callbackName%3ADeleteClientID%20reasonCode%3AErrorUnclassified");
    assert_eq!(
        m["runbook"]["url"],
        "https://runbooks.example.com/docs/cluster/orchestrator-callback-errors.html"
    );
    // eu-de has no template: no URL rather than a wrong one.
    let eu = root().join("src/builtin/alerts/reference-eu-de.txt");
    let v = json_of(&run(bin()
        .args(["explain", "--json", "--config"])
        .arg(&config)
        .arg(&eu)));
    assert_eq!(v["matches"][0]["log_search"]["url"], Value::Null);
}
