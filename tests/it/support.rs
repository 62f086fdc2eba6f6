//! Shared helpers of the integration tests: the CLI under test, the shared corpus location,
//! and the mutation that turns an Example Alert into "another incident" of the same alert.

use std::path::PathBuf;
use std::process::{Command, Output};

use regex::Regex;
use serde_json::Value;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `runbook-lens` binary cargo built for this test run (never a possibly stale
/// `target/release` one).
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_runbook-lens"))
}

/// Runs a command to its end.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("runbook-lens runs")
}

/// Runs the binary with `args`, writing `input` to its stdin.
pub fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = bin()
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write");
    child.wait_with_output().expect("wait")
}

/// The JSON a successful run printed.
pub fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Where the shared runbook corpus is: the folder `RUNBOOK_LENS_CORPUS` names, else
/// `../shared/corpus/armada` beside this checkout. It is test data outside the repository.
pub fn corpus_location() -> PathBuf {
    match std::env::var_os("RUNBOOK_LENS_CORPUS") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => root().join("../shared/corpus/armada"),
    }
}

/// The corpus, for a test that reads it. The corpus tests are `#[ignore]`d, so a plain
/// `cargo test` counts them as ignored rather than passed; a run that includes them (as
/// `./build.sh test` does when the corpus is there, and always under CI) fails here when the
/// corpus is missing instead of passing without having checked anything.
pub fn corpus() -> PathBuf {
    let dir = corpus_location();
    assert!(
        dir.is_dir(),
        "the shared corpus is absent at {} (test data outside the repository; set \
         RUNBOOK_LENS_CORPUS to its armada folder, or run without --include-ignored)",
        dir.display()
    );
    dir
}

/// The raw markdown of the page's example section(s): from each heading containing
/// "example" and "alert"/"title" to the next heading of the same or a higher level.
pub fn example_markdown(page: &str) -> String {
    let mut out = String::new();
    let mut level_open: Option<usize> = None;
    let mut in_fence = false;
    for line in page.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        let heading_level = if !in_fence && t.starts_with('#') {
            let n = t.bytes().take_while(|&b| b == b'#').count();
            (t.as_bytes().get(n) == Some(&b' ')).then_some(n)
        } else {
            None
        };
        if let Some(n) = heading_level {
            let lower = t.to_ascii_lowercase();
            let is_example = lower.contains("example")
                && (lower.contains("alert")
                    || lower.contains("title")
                    || lower.contains("page")
                    || lower.contains("incident"))
                && !lower.contains("log");
            if let Some(open) = level_open {
                if n <= open && !is_example {
                    level_open = None;
                }
            }
            if is_example && level_open.is_none() {
                level_open = Some(n);
                continue;
            }
        }
        if level_open.is_some() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

const REGIONS: &[(&str, &str)] = &[
    ("us-south", "eu-de"),
    ("us-east", "jp-tok"),
    ("eu-de", "us-south"),
    ("eu-gb", "au-syd"),
    ("uk-south", "ca-tor"),
    ("jp-tok", "us-east"),
    ("au-syd", "eu-gb"),
    ("jp-osa", "br-sao"),
    ("ca-tor", "jp-osa"),
    ("br-sao", "us-south"),
    ("eu-es", "eu-de"),
];

/// Rewrites the values that change between two incidents of one alert: region, data centre,
/// carrier, incident numbers, IPs, cluster and other IDs, standalone numbers. `seed` varies
/// the replacement digits.
pub fn another_incident(text: &str, seed: u32) -> String {
    let mut s = text.to_string();
    // Regions, via a marker so a replaced region is not replaced again.
    for (i, (from, _)) in REGIONS.iter().enumerate() {
        let re = Regex::new(&format!(r"\b{}\b", regex::escape(from))).expect("regex");
        s = re
            .replace_all(&s, format!("\u{1}{i}\u{1}").as_str())
            .into_owned();
    }
    for (i, (_, to)) in REGIONS.iter().enumerate() {
        s = s.replace(&format!("\u{1}{i}\u{1}"), to);
    }
    let digit = |n: u32| char::from(b'0' + ((n + seed) % 10) as u8);
    let renumber = |m: &str| -> String {
        m.chars()
            .enumerate()
            .map(|(i, c)| {
                if c.is_ascii_digit() {
                    digit(c as u32 + i as u32 + 3)
                } else {
                    c
                }
            })
            .collect()
    };
    let carrier =
        Regex::new(r"\b(prod|stage|dev|prestage|preprod)-([a-z]{3})(\d{2})-(carrier|tugboat)(\d+)")
            .expect("regex");
    s = carrier
        .replace_all(&s, |c: &regex::Captures| {
            format!(
                "{}-fra{}-{}{}",
                &c[1],
                renumber(&c[3]),
                &c[4],
                renumber(&c[5])
            )
        })
        .into_owned();
    let dc = Regex::new(r"\b(dal|wdc|fra|lon|syd|tok|osa|sao|tor|par|ams|mil|che|sjc|mex|hou|sea|mon|seo|sng|hkg|che)(\d{2})\b").expect("regex");
    s = dc
        .replace_all(&s, |c: &regex::Captures| {
            format!(
                "{}{}",
                if &c[1] == "dal" { "wdc" } else { "dal" },
                renumber(&c[2])
            )
        })
        .into_owned();
    let ip = Regex::new(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b").expect("regex");
    s = ip
        .replace_all(&s, |c: &regex::Captures| {
            format!(
                "10.{}.{}.{}",
                (seed % 200) + 20,
                renumber(&c[3]).parse::<u32>().unwrap_or(1) % 250,
                renumber(&c[4]).parse::<u32>().unwrap_or(1) % 250
            )
        })
        .into_owned();
    // Cluster IDs and other long IDs mixing letters and digits.
    let id = Regex::new(r"\b[a-z0-9]{20}\b").expect("regex");
    s = id
        .replace_all(&s, |c: &regex::Captures| {
            let m = &c[0];
            if m.chars().any(|x| x.is_ascii_digit()) && m.chars().any(|x| x.is_ascii_alphabetic()) {
                renumber(&m.chars().rev().collect::<String>())
            } else {
                m.to_string()
            }
        })
        .into_owned();
    let hex = Regex::new(r"\b[0-9a-f]{8,}\b").expect("regex");
    s = hex
        .replace_all(&s, |c: &regex::Captures| renumber(&c[0]))
        .into_owned();
    let refs = Regex::new(r"\b(INC|PDE|CHG|CS)(\d{5,})\b").expect("regex");
    s = refs
        .replace_all(&s, |c: &regex::Captures| {
            format!("{}{}", &c[1], renumber(&c[2]))
        })
        .into_owned();
    // Incident numbers and standalone numbers (not digits inside names like `sev2` or `_555_`).
    let num = Regex::new(r"(^|[^A-Za-z0-9_.\-])(\d+)($|[^A-Za-z0-9_])").expect("regex");
    for _ in 0..2 {
        s = num
            .replace_all(&s, |c: &regex::Captures| {
                format!("{}{}{}", &c[1], renumber(&c[2]), &c[3])
            })
            .into_owned();
    }
    s
}
