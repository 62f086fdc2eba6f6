//! Data-driven tests of `explain`: one folder per case under `tests/cases/`, holding
//! `alert.txt` (the incident text) and `expect.json` (what the JSON output must contain), and
//! optionally `log-line.txt`, `config.json`, `set.txt` (`name=value` lines) and `runbooks/`
//! (a pack of its own; otherwise the built-in example pack). Each case is its own test, named
//! after its folder (dashes become underscores), so one failure never hides another.
//!
//! `expect.json` is compared as a subset: every key it names must be present with a matching
//! value; arrays must have the same length, unless their last element is the string `"…"`,
//! which makes the rest a prefix; `null` matches null or a missing key.
//!
//! `UPDATE_EXPECT=1 cargo test --test it cases::` rewrites each `expect.json` from the actual
//! output (rust-analyzer's habit), keeping its shape: the same keys, the same `"…"` prefixes,
//! new values where the output changed. Review the diff before committing it.

mod expect;

use std::path::{Path, PathBuf};

use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::pack::Pack;
use serde_json::Value;

use expect::Expect;

/// One `#[test]` per case folder. Adding a case means adding a folder and its name here; the
/// test `every_case_folder_has_a_test` fails until both agree.
macro_rules! cases {
    ($($name:ident,)*) => {
        $(
            #[test]
            fn $name() {
                run_case(&stringify!($name).replace('_', "-"));
            }
        )*
        /// The folder names the tests above stand for.
        const CASES: &[&str] = &[$(stringify!($name),)*];
    };
}

cases! {
    format_alertmanager_firing,
    format_alertmanager_title_above_chrome_and_body,
    format_alertmanager_title_only,
    format_alertmanager_title_label_values,
    format_alertmanager_two_alerts,
    format_alerts_table_rows_collapsed,
    format_alerts_table_rows_expanded,
    format_chrome_status_above_title,
    format_chrome_summary_card,
    format_chrome_urgency_above_known_title,
    format_colon_lines,
    format_dash_key_value,
    format_json_details,
    format_json_firing_string,
    format_json_firing_two_alerts,
    format_json_resolved_string,
    format_key_spellings,
    format_pd_details_table_firing,
    format_pd_title_only,
    format_plain_key_value,
    format_prose_lines_not_titles,
    format_repeated_key_two_alerts,
    format_tab_table,
    format_title_body_wins,
    format_title_no_carrier,
    format_title_number_xxx,
    format_title_without_number_alone,
    format_title_without_number_then_numbered_body,
    format_two_alerts_two_regions,
    logsearch_dashboard_and_escalation,
    logsearch_none_when_runbook_names_none,
    logsearch_url_none_when_unresolved,
    logsearch_url_none_without_template,
    match_log_line_subscenario,
    match_near_twins_api,
    match_near_twins_ui,
    match_non_alert_only,
    match_non_alert_ranks_lower,
    match_placeholder_pattern,
    match_reference_eu_de,
    match_reference_us_south,
    match_unknown_alert,
    match_unknown_bluemix_title,
    match_volatile_values_dont_decide,
    match_volatile_values_never_break_a_tie,
    no_template_reevaluation,
    page_text_past_incidents,
    page_text_whole_incident,
    place_second_alert_without_title,
    placeholder_cluster_id_from_field,
    placeholder_html_not_placeholder,
    placeholder_json_log_line,
    placeholder_set_beats_log_line,
    placeholder_set_values,
    placeholder_tag_named_field,
    placeholder_unresolved_with_hint,
    quote_flags_values_that_look_wrong,
    quote_inside_runbook_quotes,
    quote_log_query_value,
    quote_search_url,
    quote_search_url_quoted_value,
    quote_shell_hostile_value,
    scenario_create_timeout,
    scenario_log_line_504,
    scenario_none,
    title_only_among_page_chrome,
    title_only_gone_with_details,
    title_only_names_missing_values,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

#[test]
fn every_case_folder_has_a_test() {
    let mut folders: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().replace('-', "_"))
        .collect();
    folders.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.to_string()).collect();
    listed.sort();
    let without_test: Vec<&String> = folders.iter().filter(|f| !listed.contains(f)).collect();
    let without_folder: Vec<&String> = listed.iter().filter(|c| !folders.contains(c)).collect();
    assert!(
        without_test.is_empty() && without_folder.is_empty(),
        "tests/cases and the cases! list in tests/it/cases.rs disagree: folders without a test \
         (add them to the list): {without_test:?}; tests without a folder: {without_folder:?}"
    );
}

/// Runs `explain` as the case folder describes and returns its JSON output.
fn explain_case(dir: &Path) -> Value {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let alert = read("alert.txt").unwrap_or_else(|| panic!("{}: alert.txt missing", dir.display()));
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
    serde_json::to_value(&explanation).expect("serialisable")
}

/// Checks one case; under `UPDATE_EXPECT=1` rewrites its `expect.json` instead of failing.
fn run_case(name: &str) {
    let dir = cases_dir().join(name);
    let file = dir.join("expect.json");
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (each case needs one)", file.display()));
    let expected = Expect::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let actual = explain_case(&dir);
    if std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1") {
        let updated = expected.updated(&actual).to_pretty();
        if updated != text {
            std::fs::write(&file, &updated).expect("expect.json writable");
            eprintln!("updated {}", file.display());
        }
        return;
    }
    let mut errors = Vec::new();
    expected.check(&actual, "", &mut errors);
    assert!(
        errors.is_empty(),
        "case {name} ({}):\n  {}\n(rewrite it with UPDATE_EXPECT=1 if the new output is right)",
        file.display(),
        errors.join("\n  ")
    );
}
