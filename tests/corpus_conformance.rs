//! Conformance over the shared corpus of real runbooks (skipped, with a message, when the
//! corpus is absent): every page parses without panic, and for every `type: Alert` page with
//! an example alert, explaining that example as another incident would show it (region,
//! carrier, numbers, IPs and IDs changed) puts that page first.

mod support;

use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::pack::{read_folder, Pack};
use runbook_lens::runbook::parse_runbook;

/// The least share of alert pages that must come first for their own example. The issue
/// asks for ≥ 97 %; a plain TF-IDF search gets about 91 %.
const REQUIRED_RATE: f64 = 0.97;

#[test]
fn every_corpus_page_parses() {
    let Some(dir) = support::corpus_dir() else {
        support::skip("every_corpus_page_parses");
        return;
    };
    let pages = read_folder(&dir).expect("corpus readable");
    assert!(
        pages.len() >= 700,
        "expected the 708-page corpus, found {}",
        pages.len()
    );
    let mut alert_pages = 0;
    for (path, text) in &pages {
        let rb = parse_runbook(path, text);
        assert!(!rb.sections.is_empty(), "{path}: no sections");
        if rb.is_alert() {
            alert_pages += 1;
        }
    }
    eprintln!(
        "parsed {} pages, {} of type Alert",
        pages.len(),
        alert_pages
    );
    assert!(alert_pages >= 70);
}

#[test]
fn alert_examples_find_their_own_page() {
    let Some(dir) = support::corpus_dir() else {
        support::skip("alert_examples_find_their_own_page");
        return;
    };
    let pages = read_folder(&dir).expect("corpus readable");
    let pack = Pack::from_pages(
        "corpus",
        pages.iter().map(|(p, t)| (p.as_str(), t.as_str())),
    );
    let config = Config::default();
    let mut total = 0;
    let mut first = 0;
    let mut misses = Vec::new();
    for (path, text) in &pages {
        let rb = parse_runbook(path, text);
        if !rb.is_alert() {
            continue;
        }
        let example = support::example_markdown(text);
        // Pages whose example section holds no alert at all ("TBD", "None", only an image).
        let has_example = rb.example_alerts.iter().any(|a| {
            !a.fields.is_empty()
                || a.title.is_some()
                || a.text.split_whitespace().count() >= 2
                || a.text.contains('_')
                || a.text.chars().any(|c| c.is_ascii_uppercase()) && a.text.len() > 6
        });
        if example.trim().is_empty() || !has_example {
            continue;
        }
        for seed in [1, 4] {
            total += 1;
            let incident = support::another_incident(&example, seed);
            let e = explain(&pack, &incident, None, &config, &[]);
            // The page counts as found when it is the first match of any alert of the text
            // (an example section may show several alerts).
            let found = e
                .alerts
                .iter()
                .any(|a| a.matches.first().is_some_and(|m| m.runbook.file == *path));
            if found {
                first += 1;
            } else {
                let got = e
                    .alerts
                    .first()
                    .and_then(|a| a.matches.first())
                    .map(|m| m.runbook.file.clone())
                    .unwrap_or_else(|| "(no match)".into());
                misses.push(format!("{path} (seed {seed}) -> {got}"));
            }
        }
    }
    let rate = first as f64 / total.max(1) as f64;
    eprintln!(
        "corpus conformance: {first}/{total} example incidents put their own page first ({:.1} %)",
        rate * 100.0
    );
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    assert!(
        total >= 100,
        "expected at least 50 alert pages with examples, checked {}",
        total / 2
    );
    assert!(
        rate >= REQUIRED_RATE,
        "conformance {:.1} % is below {:.0} %",
        rate * 100.0,
        REQUIRED_RATE * 100.0
    );
}
