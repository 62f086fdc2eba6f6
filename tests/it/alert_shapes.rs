//! Alert texts of many small blocks (issue 12: 40,000 lines `- alert = vN`, one alert each) stay
//! cheap: at most 1,000 alert blocks of one text are read, the cap is told, and the work grows
//! linearly below it and not at all above it. Work is counted as heap allocations on the test's
//! own thread (`work.rs`), never as time, so the checks hold on any machine.

use runbook_lens::alert::{alert_blocks_capped, extract_alerts, Alert};
use runbook_lens::config::Config;
use runbook_lens::guidance::explain;

use crate::work::allocations;

/// The cap the tests hold the code to, written out rather than read from the crate: raising
/// the constant must fail a test.
const BLOCKS_READ: usize = 1000;

/// The shapes: `n` blocks of each, every block one alert (or, for page chrome, one block the
/// chrome pass merges).
/// One block of a shape: the `i`-th.
type Block = fn(usize) -> String;

const SHAPES: &[(&str, Block)] = &[
    ("`- alert = vN` lines", |i| format!("- alert = v{i}\n")),
    ("`Labels:` blocks", |i| {
        format!("Labels:\n - alertname = A{i}\n - region = us-south\n")
    }),
    ("Armada PD titles", |i| {
        format!("#{i} bluemix.containers-kubernetes.prod-dal10-carrier1.a_b{i}.us-south\n")
    }),
    ("Alertmanager titles", |i| {
        format!("[FIRING:1] Alert{i} (us-south prod-dal10-carrier3 critical)\n")
    }),
    ("JSON objects", |i| format!("{{\"alert\": \"v{i}\"}}\n")),
    ("page chrome pairs", |_| {
        "Status: Triggered\nUrgency: High\n".to_string()
    }),
];

fn text_of(shape: Block, n: usize) -> String {
    (0..n).map(shape).collect()
}

/// The `alert` value of each alert, in order.
fn alert_values(alerts: &[Alert]) -> Vec<&str> {
    alerts.iter().filter_map(|a| a.get("alert")).collect()
}

#[test]
fn forty_thousand_alert_lines_read_as_the_first_thousand_alerts_and_say_so() {
    let text = text_of(SHAPES[0].1, 40_000);
    let alerts = extract_alerts(&text);
    let values = alert_values(&alerts);
    assert_eq!(values.len(), BLOCKS_READ, "one alert a line, up to the cap");
    assert_eq!(values.first(), Some(&"v0"));
    assert_eq!(values.last(), Some(&"v999"));
    assert!(alert_blocks_capped(&text));

    // Explained: the first 20, and a notice that not all of them were.
    let e = explain(
        &runbook_lens::builtin::pack(),
        &text,
        None,
        &Config::default(),
        &[],
    );
    assert_eq!(e.alerts.len(), 20);
    assert!(
        e.notices.iter().any(|n| n
            .contains("more than 1000 alerts; only the first 1000 were read")
            && n.contains("the first 20 are explained")),
        "{:?}",
        e.notices
    );
}

#[test]
fn a_text_up_to_the_cap_is_read_whole() {
    let text = text_of(SHAPES[0].1, BLOCKS_READ);
    assert!(!alert_blocks_capped(&text));
    assert_eq!(alert_values(&extract_alerts(&text)).len(), BLOCKS_READ);
    let one_more = text_of(SHAPES[0].1, BLOCKS_READ + 1);
    assert!(alert_blocks_capped(&one_more));
    assert_eq!(alert_values(&extract_alerts(&one_more)).len(), BLOCKS_READ);
}

#[test]
fn the_work_grows_linearly_below_the_cap_and_not_above_it() {
    for &(name, shape) in SHAPES {
        let cost = |n: usize| {
            let text = text_of(shape, n);
            allocations(|| extract_alerts(&text)).0
        };
        let (quarter, half) = (cost(BLOCKS_READ / 4), cost(BLOCKS_READ / 2));
        // Twice the blocks, about twice the work: a quadratic pass would be four times.
        assert!(
            half <= quarter * 5 / 2,
            "{name}: {quarter} allocations for {} blocks, {half} for {}",
            BLOCKS_READ / 4,
            BLOCKS_READ / 2
        );
        // Past the cap, more text costs only its reading up to the cap.
        let (twice, eight_times) = (cost(BLOCKS_READ * 2), cost(BLOCKS_READ * 8));
        assert!(
            eight_times <= twice + twice / 10,
            "{name}: {twice} allocations for {} blocks, {eight_times} for {}",
            BLOCKS_READ * 2,
            BLOCKS_READ * 8
        );
    }
}
