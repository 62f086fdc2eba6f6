//! `./build.sh bench` (native part): parse the shared corpus into a pack, and the cost of
//! `explain` per alert against packs of 100 and 1,000 runbooks synthesised from the corpus by
//! varying names. Prints one row per figure with its budget; never asserts times.

use std::time::{Duration, Instant};

use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::pack::{read_folder, Pack};

/// The shared corpus: the folder `RUNBOOK_LENS_CORPUS` names, else `../shared/corpus/armada`
/// beside this checkout (as the integration tests find it).
fn corpus() -> Option<Vec<(String, String)>> {
    let dir = match std::env::var_os("RUNBOOK_LENS_CORPUS") {
        Some(dir) if !dir.is_empty() => std::path::PathBuf::from(dir),
        _ => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/armada"),
    };
    read_folder(&dir).ok().filter(|p| !p.is_empty())
}

/// Copy `k` of a page: every value after ` = ` / `: ` in example lines and every PD title gets
/// a `_k<k>` suffix, so copies are distinct runbooks with distinct alert names.
fn variant(text: &str, k: usize) -> String {
    if k == 0 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 1024);
    for line in text.split_inclusive('\n') {
        let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
        let trimmed = body.trim_start();
        let is_field = trimmed.starts_with("- ") && (body.contains(" = ") || body.contains(": "));
        if is_field && !body.contains("://") {
            let sep = if body.contains(" = ") { " = " } else { ": " };
            let (k0, v) = body.split_once(sep).unwrap_or((body, ""));
            out.push_str(&format!("{k0}{sep}{}_k{k}{nl}", v.trim_end()));
        } else if body.starts_with("title:") {
            out.push_str(&format!("{body} (copy {k}){nl}"));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// A pack of `n` runbooks: the corpus's alert pages first (so every size holds the pages the
/// queries are about), then the other pages, then renamed copies.
fn pack_of(pages: &[(String, String)], n: usize) -> Pack {
    let mut ordered: Vec<&(String, String)> = pages
        .iter()
        .filter(|(_, t)| t.contains("type: Alert"))
        .collect();
    ordered.extend(pages.iter().filter(|(_, t)| !t.contains("type: Alert")));
    let mut synth = Vec::with_capacity(n);
    let mut k = 0;
    while synth.len() < n {
        for (p, t) in &ordered {
            if synth.len() == n {
                break;
            }
            synth.push((format!("copy{k}/{p}"), variant(t, k)));
        }
        k += 1;
    }
    Pack::from_pages("bench", synth.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

/// The Example Alerts of the corpus's alert pages: the same queries for every pack size.
fn queries(pages: &[(String, String)]) -> Vec<String> {
    let pack = Pack::from_pages("q", pages.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    pack.runbooks()
        .iter()
        .filter(|r| r.is_alert() && !r.example_text.trim().is_empty())
        .map(|r| r.example_text.clone())
        .collect()
}

fn per_alert(pack: &Pack, queries: &[String]) -> Duration {
    let config = Config::default();
    // Warm up, then measure enough rounds to exceed ~300 ms.
    for q in queries {
        std::hint::black_box(explain(pack, q, None, &config, &[]));
    }
    let mut rounds = 0u32;
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(300) || rounds < 3 {
        for q in queries {
            std::hint::black_box(explain(pack, q, None, &config, &[]));
        }
        rounds += 1;
    }
    start.elapsed() / (rounds * queries.len().max(1) as u32)
}

fn row(figure: &str, value: String, budget: &str, met: Option<bool>) {
    let verdict = match met {
        Some(true) => "met",
        Some(false) => "NOT MET",
        None => "-",
    };
    println!("| {figure:<46} | {value:>12} | {budget:>10} | {verdict:<7} |");
}

fn main() {
    let Some(pages) = corpus() else {
        println!("SKIPPED native benchmark: ../shared/corpus is absent (the figures are measured on the corpus)");
        return;
    };
    println!(
        "| {:<46} | {:>12} | {:>10} | {:<7} |",
        "figure (native, release)", "value", "budget", "verdict"
    );
    println!(
        "|{}|{}|{}|{}|",
        "-".repeat(48),
        "-".repeat(14),
        "-".repeat(12),
        "-".repeat(9)
    );
    let start = Instant::now();
    let pack = Pack::from_pages(
        "corpus",
        pages.iter().map(|(p, t)| (p.as_str(), t.as_str())),
    );
    let parse = start.elapsed();
    row(
        &format!("parse corpus into a pack ({} pages)", pack.len()),
        format!("{:.0} ms", parse.as_secs_f64() * 1e3),
        "≤ 1000 ms",
        Some(parse <= Duration::from_secs(1)),
    );
    let json = pack.to_json();
    row(
        "pack file size (corpus)",
        format!("{} KB", json.len() / 1024),
        "-",
        None,
    );
    let start = Instant::now();
    let again = Pack::from_json("corpus.json", &json)
        .map(|p| p.len())
        .unwrap_or(0);
    let load = start.elapsed();
    row(
        &format!("load the corpus pack file ({again} pages)"),
        format!("{:.0} ms", load.as_secs_f64() * 1e3),
        "-",
        None,
    );
    let qs = queries(&pages);
    let p100 = pack_of(&pages, 100);
    let p1000 = pack_of(&pages, 1000);
    let t100 = per_alert(&p100, &qs);
    let t1000 = per_alert(&p1000, &qs);
    // The same packs and queries for the wasm and browser benchmarks (scripts/bench-*.mjs).
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    if std::fs::create_dir_all(&out).is_ok() {
        let _ = std::fs::write(out.join("pack-100.json"), p100.to_json());
        let _ = std::fs::write(out.join("pack-1000.json"), p1000.to_json());
        let _ = std::fs::write(out.join("pack-corpus.json"), &json);
        // Raw version 4 of the same packs, as the extension stores them.
        let _ = std::fs::write(out.join("pack-100.rlpk"), p100.to_bytes());
        let _ = std::fs::write(out.join("pack-1000.rlpk"), p1000.to_bytes());
        let _ = std::fs::write(out.join("pack-corpus.rlpk"), pack.to_bytes());
        let _ = std::fs::write(
            out.join("queries.json"),
            serde_json::to_string(&qs).unwrap_or_default(),
        );
    }
    row(
        "explain per alert, 100 runbooks",
        format!("{:.3} ms", t100.as_secs_f64() * 1e3),
        "-",
        None,
    );
    row(
        "explain per alert, 1,000 runbooks",
        format!("{:.3} ms", t1000.as_secs_f64() * 1e3),
        "≤ 1 ms",
        Some(t1000 <= Duration::from_millis(1)),
    );
    let ratio = t1000.as_secs_f64() / t100.as_secs_f64().max(1e-9);
    row(
        "ratio 1,000 / 100",
        format!("{ratio:.2}"),
        "≤ 2",
        Some(ratio <= 2.0),
    );
    // A 1 MB alert body: the reference alert followed by field lines, JSON and long lines.
    let mut big = String::from("#60048810 staging.containers-kubernetes.stage-dal10-carrier103.DeleteClientID_callback_action_time_errors.us-south\n- alert = ClusterSquadOrchestratorCallbackActionTimeErrors\n- operation = DeleteClientID\n- reason_code = ErrorUnclassified\n");
    let mut i = 0u64;
    while big.len() < 1_000_000 {
        i += 1;
        match i % 4 {
            0 => big.push_str(&format!("- key{i} = value {i}\n")),
            1 => big.push_str(&"x".repeat((i % 5000) as usize + 1)),
            2 => big.push_str("{\"a\": [1, 2, {\"b\": \"c\"}]}\n"),
            _ => big.push_str("Labels:\n - alertname = Foo\n"),
        }
    }
    let config = Config::default();
    let start = Instant::now();
    let mut rounds = 0u32;
    while start.elapsed() < Duration::from_millis(300) || rounds < 3 {
        std::hint::black_box(explain(&p1000, &big, None, &config, &[]));
        rounds += 1;
    }
    let t_big = start.elapsed() / rounds;
    row(
        "explain a 1 MB alert body (1,000 runbooks)",
        format!("{:.1} ms", t_big.as_secs_f64() * 1e3),
        "≪ 100 ms",
        Some(t_big <= Duration::from_millis(50)),
    );
    // Issue 12: 40,000 one-line alerts (`- alert = vN`), each line a block of its own; at most
    // 1,000 blocks of a text are read.
    let many: String = (0..40_000).map(|i| format!("- alert = v{i}\n")).collect();
    let start = Instant::now();
    let mut rounds = 0u32;
    while start.elapsed() < Duration::from_millis(300) || rounds < 3 {
        std::hint::black_box(explain(&p1000, &many, None, &config, &[]));
        rounds += 1;
    }
    let t_many = start.elapsed() / rounds;
    row(
        "40,000 lines `- alert = vN` (1,000 runbooks)",
        format!("{:.1} ms", t_many.as_secs_f64() * 1e3),
        "≪ 100 ms",
        Some(t_many <= Duration::from_millis(50)),
    );
    three_packs(&qs);
}

/// One pack of `target/bench/cli-packs.json` (scripts/bench-packs.mjs): the file
/// `runbook-lens pack` wrote for it, or why there is none.
struct CliPack {
    name: String,
    label: String,
    file: Option<std::path::PathBuf>,
    error: Option<String>,
}

/// The packs scripts/bench-packs.mjs made (built-in example, corpus, 10,000-page site); empty
/// when it did not run.
fn cli_packs() -> Vec<CliPack> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/cli-packs.json");
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(serde_json::Value::Array(items)) = serde_json::from_str::<serde_json::Value>(&text)
    else {
        return Vec::new();
    };
    let field =
        |v: &serde_json::Value, k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
    items
        .iter()
        .map(|v| CliPack {
            name: field(v, "name").unwrap_or_default(),
            label: field(v, "label").unwrap_or_default(),
            file: field(v, "file").map(std::path::PathBuf::from),
            error: field(v, "error"),
        })
        .collect()
}

/// The Example Alerts of copy `copy` of the 10,000-page site (scripts/gen-site.mjs), each with
/// the file of the page it comes from, as the 10,000-page pack names it.
fn site_queries(copy: &str) -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench/site-10k")
        .join(copy);
    let Ok(pages) = read_folder(&dir) else {
        return Vec::new();
    };
    let pack = Pack::from_pages("q", pages.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    pack.runbooks()
        .iter()
        .filter(|r| r.is_alert() && !r.example_text.trim().is_empty())
        .map(|r| (format!("{copy}/{}", r.file), r.example_text.clone()))
        .collect()
}

/// Issue 11's native figures for each pack `runbook-lens pack` made: loading the pack file
/// (`Pack::load`, the CLI's loader, whatever form the file has) and `explain` per alert (the
/// corpus's Example Alerts). A pack without a file (the 10,000-page JSON pack is too big before
/// version 4) says why; its pages are then loaded from their folder for the `explain` rows.
fn three_packs(corpus_queries: &[String]) {
    for p in cli_packs() {
        let pack = match &p.file {
            Some(file) => {
                let start = Instant::now();
                let pack = Pack::load(file);
                let load = start.elapsed();
                let value = match &pack {
                    Ok(_) => format!("{:.0} ms", load.as_secs_f64() * 1e3),
                    Err(e) => format!("fails: {e}"),
                };
                let pages = pack.as_ref().map_or(0, |p| p.len());
                row(
                    &format!("load the pack file, {} ({pages} pages)", p.label),
                    value,
                    "-",
                    None,
                );
                pack.ok()
            }
            None => {
                let why = p.error.clone().unwrap_or_else(|| "no pack file".into());
                row(&format!("load the pack file, {}", p.label), why, "-", None);
                let dir =
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/site-10k");
                (p.name == "10k").then(|| Pack::load(&dir).ok()).flatten()
            }
        };
        let Some(pack) = pack else {
            continue;
        };
        let from = if p.file.is_some() {
            ""
        } else {
            " (pages read from their folder)"
        };
        let t = per_alert(&pack, corpus_queries);
        row(
            &format!("explain per alert, {}{from}", p.label),
            format!("{:.3} ms", t.as_secs_f64() * 1e3),
            "-",
            None,
        );
        if p.name == "10k" {
            own_copy_first(&pack);
        }
    }
}

/// How often a renamed copy's own Example Alert puts that copy first among the 10,000 pages:
/// that the synthetic site's matching is meaningful (copies differ only by their names), next
/// to the same count for the corpus's own pages among the corpus alone.
fn own_copy_first(pack: &Pack) {
    let config = Config::default();
    // RUNBOOK_LENS_BENCH_VERBOSE=1 names, on stderr, each query whose own page is not first.
    let verbose = std::env::var_os("RUNBOOK_LENS_BENCH_VERBOSE").is_some();
    let own = |pack: &Pack, qs: &[(String, String)], prefix: &str| {
        qs.iter()
            .filter(|(file, q)| {
                let explanation = explain(pack, q, None, &config, &[]);
                let first = explanation.matches.first().map(|m| m.runbook.file.as_str());
                let hit = first == Some(&file[prefix.len()..]);
                if verbose && !hit {
                    eprintln!("own page not first: {file} (first: {first:?})");
                }
                hit
            })
            .count()
    };
    let copy = site_queries("charlie");
    let in_10k = own(pack, &copy, "");
    let original = site_queries("original");
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench/site-10k/original");
    let alone = Pack::load(&dir).map_or(0, |corpus| own(&corpus, &original, "original/"));
    row(
        "  10,000 pages: a copy's own Example Alert puts that copy first",
        format!(
            "{in_10k} of {} (corpus alone: {alone} of {})",
            copy.len(),
            original.len()
        ),
        "-",
        None,
    );
}
