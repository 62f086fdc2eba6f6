//! Pack version 4 gives the same answers: every case of `tests/cases` and alerts made from the
//! corpus's Example Alerts are explained against the pack built from markdown, the same pack
//! through `to_bytes`/`from_bytes` (and gzip, as `runbook-lens pack` writes it), and the pack
//! split in two and merged; the JSON of every explanation must be identical.

use std::path::Path;

use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::pack::{gzip, read_folder, Pack};

use crate::support;

/// One explanation as JSON text: what `explain --json` prints, scores included.
fn explained(pack: &Pack, alert: &str, log_line: Option<&str>, config: &Config) -> String {
    let e = explain(pack, alert, log_line, config, &[]);
    serde_json::to_string(&e).expect("serialisable")
}

/// The pack as `runbook-lens pack` writes it and as the extension stores it, read back.
fn through_bytes(pack: &Pack) -> (Pack, Pack) {
    let raw = pack.to_bytes();
    let from_raw = Pack::from_bytes("raw.rlpk", &raw).expect("raw v4 loads");
    let from_gzip = Pack::from_bytes("pack.rlpack", &gzip(&raw)).expect("gzip v4 loads");
    assert_eq!(
        from_raw.to_bytes(),
        raw,
        "a loaded pack gives back its bytes"
    );
    (from_raw, from_gzip)
}

#[test]
fn every_case_explains_the_same_through_the_pack_bytes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut cases = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/cases").flatten() {
        let case = entry.path();
        let read = |name: &str| std::fs::read_to_string(case.join(name)).ok();
        let Some(alert) = read("alert.txt") else {
            continue;
        };
        let pack = match case.join("runbooks").is_dir() {
            true => Pack::load(&case.join("runbooks")).expect("case runbooks"),
            false => runbook_lens::builtin::pack(),
        };
        let config = read("config.json")
            .map(|c| Config::from_json(&c).expect("case config"))
            .unwrap_or_default();
        let log_line = read("log-line.txt").map(|l| l.trim_end_matches('\n').to_string());
        let want = explained(&pack, &alert, log_line.as_deref(), &config);
        let (raw, gz) = through_bytes(&pack);
        for (how, p) in [("raw", &raw), ("gzip", &gz)] {
            assert!(
                explained(p, &alert, log_line.as_deref(), &config) == want,
                "{}: the {how} v4 pack explains differently",
                case.display()
            );
        }
        cases += 1;
    }
    assert!(cases >= 40, "only {cases} cases read");
}

/// The built-in pack stored in the binary (`pack.rlpk`, what the panel loads) is the pack
/// of its markdown pages.
#[test]
fn the_stored_builtin_pack_explains_as_its_pages() {
    let parsed = runbook_lens::builtin::pack();
    let stored = Pack::from_bytes("pack.rlpk", runbook_lens::builtin::PACK_RLPK).expect("loads");
    let alert = include_str!("../../src/builtin/alerts/reference-eu-de.txt");
    let config = Config::default();
    assert_eq!(
        explained(&stored, alert, None, &config),
        explained(&parsed, alert, None, &config)
    );
}

#[test]
#[ignore = "reads ../shared/corpus (test data outside the repository); ./build.sh test includes it"]
fn corpus_alerts_explain_the_same_from_markdown_bytes_and_merged_packs() {
    let pages = read_folder(&support::corpus()).expect("corpus readable");
    let of = |pages: &[(String, String)]| {
        Pack::from_pages(
            "corpus",
            pages.iter().map(|(p, t)| (p.as_str(), t.as_str())),
        )
    };
    let pack = of(&pages);
    let (raw, gz) = through_bytes(&pack);
    // Halves of the pages sorted by file: the merged pack numbers its pages as the whole one
    // does, so every score and every tie must come out the same.
    let (a, b) = pages.split_at(pages.len() / 2);
    let merged = Pack::merge("corpus", vec![of(a), of(b)]);
    let config = Config::default();
    let mut alerts = 0;
    let mut dump = String::new();
    for (_, text) in &pages {
        let example = support::example_markdown(text);
        if example.trim().is_empty() {
            continue;
        }
        for incident in [example.clone(), support::another_incident(&example, 1)] {
            let want = explained(&pack, &incident, None, &config);
            for (how, p) in [("raw", &raw), ("gzip", &gz), ("merged", &merged)] {
                assert!(
                    explained(p, &incident, None, &config) == want,
                    "the {how} pack explains differently:\n{incident}"
                );
            }
            dump.push_str(&want);
            dump.push('\n');
            alerts += 1;
        }
    }
    assert!(alerts >= 200, "only {alerts} alerts made from the corpus");
    // For comparing with another build's output (`diff` of the two files).
    if let Some(path) = std::env::var_os("RUNBOOK_LENS_DUMP") {
        std::fs::write(path, dump).expect("dump writable");
    }
}
