//! Log search links anchored at the alert's time (`{from}`/`{to}` in a search URL template):
//! `explain` builds a window around the alert's `startsAt`, the log line's time or the page's,
//! says which, and says when the time is unknown instead of guessing it.

use std::path::PathBuf;

use serde_json::Value;

use crate::support::{bin, json_of, root, run, run_with_stdin};

/// 2026-11-27T03:12:44Z in ms since 1970.
const STARTS_AT: i64 = 1_795_749_164_000;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("runbook-lens-window-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir.join(name)
}

/// A settings file with one template for every region, and the window setting when given.
fn config(minutes: Option<u32>) -> PathBuf {
    let path = tmp(&format!("cfg-{minutes:?}.json"));
    let window = minutes
        .map(|m| format!(", \"log_window_minutes\": {m}"))
        .unwrap_or_default();
    let json = format!(
        r#"{{"log_search_urls": {{"*": "https://logs.example.com/search?q={{query}}&from={{from}}&to={{to}}&start={{from_iso}}"}}{window}}}"#
    );
    std::fs::write(&path, json).expect("write config");
    path
}

/// The reference alert with a `startsAt` line.
fn alert_with(line: &str) -> PathBuf {
    let base = std::fs::read_to_string(root().join("src/builtin/alerts/reference-eu-de.txt"))
        .expect("reference alert");
    let path = tmp(&format!("alert-{}.txt", line.len()));
    std::fs::write(&path, format!("{base}{line}\n")).expect("write alert");
    path
}

/// The `from` and `to` of a link, as numbers.
fn window_of(url: &str) -> (i64, i64) {
    let param = |name: &str| -> i64 {
        url.split(['?', '&'])
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no numeric `{name}` in {url}"))
    };
    (param("from"), param("to"))
}

#[test]
fn the_link_s_window_contains_the_alert_s_starts_at() {
    let alert = alert_with("- startsAt = 2026-11-27T03:12:44Z");
    let v = json_of(&run(bin()
        .args(["explain", "--json", "--config"])
        .arg(config(None))
        .arg(&alert)));
    let log = &v["matches"][0]["log_search"];
    let url = log["url"].as_str().expect("a search link");
    let (from, to) = window_of(url);
    assert!(from < STARTS_AT && STARTS_AT < to, "{url}");
    assert_eq!((STARTS_AT - from, to - STARTS_AT), (1_800_000, 1_800_000));
    assert!(url.contains("&start=2026-11-27T02%3A42%3A44Z"), "{url}");
    assert_eq!(log["window"]["source"], "the alert's startsAt");
    assert_eq!(
        log["window"]["note"],
        "window 2026-11-27 03:12:44Z ± 30 min, from the alert's startsAt"
    );
    // The terminal output says it too, under the link.
    let out = run(bin()
        .args(["explain", "--config"])
        .arg(config(Some(5)))
        .arg(&alert));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("window 2026-11-27 03:12:44Z ± 5 min, from the alert's startsAt"),
        "{text}"
    );
}

#[test]
fn epoch_times_offsets_and_the_log_line_s_time_anchor_it_too() {
    for (line, log_line) in [
        ("- starts_at = 1795749164", None),
        ("- created_at = 1795749164000", None),
        ("- timestamp = 2026-11-27T04:12:44+01:00", None),
        (
            "",
            Some("2026-11-27T03:12:44Z ERROR DeleteClientID failed: 403 BXNIM0515E"),
        ),
        (
            "",
            Some(r#"{"@timestamp": "2026-11-27T03:12:44.000Z", "msg": "failed"}"#),
        ),
    ] {
        let mut cmd = bin();
        cmd.args(["explain", "--json", "--config"])
            .arg(config(Some(10)));
        if let Some(l) = log_line {
            cmd.args(["--log-line", l]);
        }
        let v = json_of(&run(cmd.arg(alert_with(line))));
        let w = &v["matches"][0]["log_search"]["window"];
        assert_eq!(w["at"], STARTS_AT, "{line} {log_line:?}: {w}");
        assert_eq!(w["from"], STARTS_AT - 600_000, "{line} {log_line:?}");
    }
}

#[test]
fn an_unknown_time_is_said_not_guessed() {
    // The alert names no time and the page shows `9:44 AM` without a date or zone.
    let snapshot =
        std::fs::read(root().join("tests/pages/one-alert-expanded/snapshot.txt")).expect("page");
    let cfg = config(None);
    let cfg = cfg.to_str().expect("utf-8 path");
    let v = json_of(&run_with_stdin(
        &["explain", "--json", "--snapshot", "--config", cfg, "-"],
        &snapshot,
    ));
    let w = &v["matches"][0]["log_search"]["window"];
    assert_eq!(w["source"], Value::Null, "{w}");
    let note = w["note"].as_str().expect("note");
    assert!(note.starts_with("the alert's time is unknown"), "{note}");
    assert!(
        note.contains("the page shows OPENED 9:44 AM without a date or time zone"),
        "{note}"
    );
    // The link is there, around the moment of the run: an hour wide.
    let url = v["matches"][0]["log_search"]["url"].as_str().expect("url");
    let (from, to) = window_of(url);
    assert_eq!(to - from, 3_600_000);
}

#[test]
fn a_window_setting_out_of_range_is_refused_naming_it() {
    let out = run(bin()
        .args(["explain", "--config"])
        .arg(config(Some(0)))
        .arg(alert_with("")));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("log_window_minutes"), "{err}");
}
