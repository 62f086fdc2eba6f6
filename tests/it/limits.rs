//! The bounds that keep hostile or runaway alert text cheap: only the first 256 KiB of a text
//! is read, and at most 20 alerts of one text are explained. Each bound is checked by what it
//! changes in the output, not only by its notice.

use runbook_lens::alert::extract_alerts;
use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use serde_json::Value;

use crate::support::{json_of, run_with_stdin};

/// The bound the tests hold the code to, written out rather than read from the crate: raising
/// the constant must fail a test.
const KIB_READ: usize = 256;

/// Fields that name the reference alert of the built-in pack.
const ALERT: &str = "- alertname = ClusterSquadOrchestratorCallbackActionTimeErrors
- alert_situation = DeleteClientID_callback_action_time_errors
- operation = DeleteClientID
- reason_code = ErrorUnclassified
- service = armada-orchestrator
- region = us-south
";

/// Free text of `bytes` bytes, ending with a line break, that names no field and no alert.
fn filler(bytes: usize) -> String {
    let line = "the pager rang and nobody knew why at all\n";
    line.repeat(bytes / line.len() + 1)[..bytes - 1].to_string() + "\n"
}

fn has_alertname(alerts: &[runbook_lens::alert::Alert]) -> bool {
    alerts
        .iter()
        .any(|a| a.fields.iter().any(|f| f.key == "alertname"))
}

#[test]
fn fields_past_the_first_256_kib_are_not_read() {
    // Just inside the bound the alert is read; just past it, it is not.
    let inside = filler(KIB_READ * 1024 - ALERT.len() - 1) + ALERT;
    assert!(inside.len() < KIB_READ * 1024);
    assert!(has_alertname(&extract_alerts(&inside)));
    let past = filler(KIB_READ * 1024 + 1) + ALERT;
    assert!(
        !has_alertname(&extract_alerts(&past)),
        "fields after the first {KIB_READ} KiB were read"
    );
}

#[test]
fn explain_reads_only_the_first_256_kib_and_says_so() {
    let pack = runbook_lens::builtin::pack();
    let config = Config::default();
    let inside = explain(&pack, &(filler(200 * 1024) + ALERT), None, &config, &[]);
    assert_eq!(
        inside.matches.first().map(|m| m.runbook.file.as_str()),
        Some("cluster/orchestrator-callback-errors.md")
    );
    let past = explain(&pack, &(filler(300 * 1024) + ALERT), None, &config, &[]);
    assert!(
        past.matches.is_empty(),
        "an alert after the first {KIB_READ} KiB was matched: {:?}",
        past.matches.first().map(|m| &m.runbook.file)
    );
    assert!(
        past.notices
            .iter()
            .any(|n| n.contains(&format!("only the first {KIB_READ} KB were read"))),
        "{:?}",
        past.notices
    );
}

/// The JSON `runbook-lens explain --json -` prints for `text` on its stdin.
fn explain_stdin(text: &str) -> Value {
    json_of(&run_with_stdin(
        &["explain", "--json", "-"],
        text.as_bytes(),
    ))
}

#[test]
fn the_cli_reads_only_the_first_256_kib() {
    let v = explain_stdin(ALERT);
    assert_eq!(
        v["matches"][0]["runbook"]["file"],
        "cluster/orchestrator-callback-errors.md"
    );
    let v = explain_stdin(&(filler(300 * 1024) + ALERT));
    assert_eq!(v["matches"], Value::Array(vec![]), "{}", v["matches"]);
    let fields = v["alerts"][0]["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(fields.iter().all(|f| f["key"] != "alertname"), "{fields:?}");
}

#[test]
fn at_most_20_alerts_of_one_text_are_explained() {
    let text: String = (0..30)
        .map(|i| {
            format!(
                "Labels:\n - alertname = ClusterEtcdBackupFailing\n - cluster_id = c{i:019}\n - region = us-south\n"
            )
        })
        .collect();
    assert_eq!(extract_alerts(&text).len(), 30, "the text shows 30 alerts");
    let e = explain(
        &runbook_lens::builtin::pack(),
        &text,
        None,
        &Config::default(),
        &[],
    );
    assert_eq!(e.alerts.len(), 20, "at most 20 alerts are explained");
    assert!(
        e.notices
            .iter()
            .any(|n| n == "The text shows 30 alerts; only the first 20 are explained."),
        "{:?}",
        e.notices
    );
}

/// The built-in callback-errors page with one paragraph of `n` inline commands in the section
/// the reference alert's scenario reads.
fn page_with_inline_commands(n: usize) -> String {
    let page = include_str!("../../src/builtin/runbooks/cluster/orchestrator-callback-errors.md");
    let heading = "## ErrorUnclassified in DeleteClientID\n";
    let at = page.find(heading).expect("the scenario heading") + heading.len();
    let mut para = String::from("\nRun ");
    for i in 0..n {
        para.push_str(&format!(
            "`kubectl -n armada get pod <pod-{}>` then ",
            i % 7
        ));
    }
    para.push_str("done.\n\n");
    format!("{}{para}{}", &page[..at], &page[at..])
}

/// The bytes `explain` allocates for the reference alert against a pack of `page`.
fn explain_work(page: &str) -> u64 {
    let pack = runbook_lens::pack::Pack::from_pages(
        "t",
        [("cluster/orchestrator-callback-errors.md", page)],
    );
    let config = Config::default();
    crate::work::bytes_of(|| {
        let e = explain(&pack, ALERT, None, &config, &[]);
        assert!(!e.matches.is_empty());
    })
}

#[test]
fn a_paragraph_of_many_inline_commands_costs_linear_work() {
    // Doubling the paragraph at most about doubles the work; a pass per command over the
    // whole paragraph would quadruple it.
    let small = explain_work(&page_with_inline_commands(1000));
    let large = explain_work(&page_with_inline_commands(2000));
    let ratio = large as f64 / small as f64;
    assert!(
        ratio < 2.6,
        "work grew {ratio:.2}x for 2x the commands ({small} -> {large} bytes)"
    );
}

/// A command line of `n` placeholders in a second shell's script, bare and inside "…" in a
/// `$(…)` within "…".
fn shell_line(n: usize) -> String {
    let mut line = String::from("sh -c 'echo ");
    for i in 0..n {
        line.push_str(if i % 3 == 0 {
            "<x> "
        } else {
            "\"$(echo \"<x>\")\" "
        });
    }
    line.push('\'');
    line
}

#[test]
fn filling_a_long_command_line_costs_linear_work() {
    use runbook_lens::placeholder::{fill, Syntax};
    let value = || Some("a'b\"c$(d)".to_string());
    let work = |n: usize| {
        let line = shell_line(n);
        crate::work::bytes_of(|| {
            let f = fill(&line, Syntax::Shell, &|_| value());
            assert_eq!(f.filled.len(), n, "every placeholder filled");
        })
    };
    let (small, large) = (work(5_000), work(10_000));
    let ratio = large as f64 / small as f64;
    assert!(
        ratio < 2.6,
        "work grew {ratio:.2}x for 2x the placeholders ({small} -> {large} bytes)"
    );
}
