//! Randomised inputs: alert extraction, runbook parsing, pack loading and the whole `explain`
//! never panic, whatever the text. A fixed-seed generator keeps failures reproducible; the
//! pieces it strings together are the shapes the parsers branch on.

use runbook_lens::alert::{extract_alerts, log_line_fields};
use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::pack::Pack;
use runbook_lens::runbook::parse_runbook;

/// xorshift64*: small, deterministic, good enough to spread cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "---\n",
    "title: ",
    "type: Alert\n",
    ": ",
    " = ",
    "- ",
    "\n",
    "\r\n",
    "\t",
    "#",
    "## ",
    "### Example Alert\n",
    "```",
    "~~~",
    "`",
    "<",
    ">",
    "<CLUSTER-ID>",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "{{ x }}",
    "{% capture a %}",
    "{%",
    "%}",
    "{:",
    "\"",
    "'",
    "\\",
    "$(",
    "|",
    "*",
    "**",
    "_",
    "Labels:",
    "Annotations:",
    "Source: https://x",
    "alertname",
    "#60048810 staging.containers-kubernetes.stage-dal10-carrier103.A_b.us-south",
    "us-south",
    "10.1.2.3",
    "é",
    "\u{202e}",
    "\u{0}",
    "😀",
    "[a](javascript:alert(1))",
    "<script>",
    "<br>",
    "1. ",
    "    ",
    "| a | b |\n|---|---|\n",
    "{\"a\": {\"b\": [1, {\"c\": \"d\"}]}}",
    "{\"unterminated\": ",
    "kubectl get <pod> -n '<ns>'",
    "ibmcloud ks",
    "xxx",
    ".",
    "..",
    "/",
    "...",
    "\u{feff}",
    "ü",
    "‑",
];

fn random_text(rng: &mut Rng, max_pieces: usize) -> String {
    let n = rng.below(max_pieces) + 1;
    let mut s = String::new();
    for _ in 0..n {
        if rng.below(5) == 0 {
            // Arbitrary characters, including controls and astral ones.
            for _ in 0..rng.below(8) {
                let c = char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('?');
                s.push(c);
            }
        } else {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
    }
    s
}

#[test]
fn parsers_never_panic_on_random_text() {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let pack = runbook_lens::builtin::pack();
    let config = Config::default();
    for case in 0..6000 {
        let text = random_text(&mut rng, 60);
        let alerts = extract_alerts(&text);
        assert!(alerts.len() <= text.len() + 1, "case {case}");
        let _ = log_line_fields(&text);
        let rb = parse_runbook("random.md", &text);
        let _ = runbook_lens::lint::lint_runbook(&rb);
        if case % 10 == 0 {
            let _ = explain(&pack, &text, Some(&text), &config, &[]);
            let _ = Pack::from_json("random.json", &text);
        }
    }
}

#[test]
fn random_pages_make_a_pack_that_round_trips() {
    let mut rng = Rng(0xC0FF_EE00_1234_5678);
    let pages: Vec<(String, String)> = (0..200)
        .map(|i| (format!("p{i}.md"), random_text(&mut rng, 120)))
        .collect();
    let pack = Pack::from_pages(
        "random",
        pages.iter().map(|(p, t)| (p.as_str(), t.as_str())),
    );
    let json = pack.to_json();
    let again = Pack::from_json("random.json", &json).expect("own pack file loads");
    assert_eq!(again.runbooks(), pack.runbooks());
    for _ in 0..200 {
        let text = random_text(&mut rng, 40);
        let _ = explain(&again, &text, None, &Config::default(), &[]);
    }
}

/// The pieces a shell line is made of where the reader branches: quotes, expansions,
/// here-documents, comments and the commands that hand words to a second interpreter.
const SHELL_PIECES: &[&str] = &[
    "<x>",
    "<y>",
    " ",
    "'",
    "\"",
    "\\",
    "$'",
    "$(",
    ")",
    "`",
    "$((",
    "${",
    "}",
    "<<",
    "<<-",
    "<<'e'",
    "e",
    "\n",
    "\t",
    "#",
    ";",
    "|",
    "&&",
    "sh -c ",
    "bash -lc ",
    "ssh -p 1 h ",
    "eval ",
    "awk ",
    "sed -e ",
    "jq --arg a ",
    "python3 -c ",
    "kubectl exec p -- ",
    "sudo -u r ",
    "watch ",
    "xargs ",
    "env A=1 ",
    "$",
    "(",
    "((",
    "<(",
    ">",
    "--",
    "-",
    "!",
    "*",
    "=",
];

/// Whatever the line, the shell reader and the filling neither panic nor overflow the stack,
/// and a filled line keeps the text around the placeholders as written.
#[test]
fn shell_lines_never_panic_and_keep_their_text() {
    use runbook_lens::placeholder::{fill, Syntax};
    let mut rng = Rng(0x5EED_5E11_0000_0001);
    for case in 0..20_000 {
        let n = rng.below(40) + 1;
        let line: String = (0..n)
            .map(|_| SHELL_PIECES[rng.below(SHELL_PIECES.len())])
            .collect();
        let f = fill(&line, Syntax::Shell, &|k| match k {
            "x" => Some("$(touch pwned)'\"`\\\n!-".to_string()),
            _ => None,
        });
        // Unfilled placeholders and refused values leave the line as written.
        if f.filled.is_empty() {
            assert_eq!(f.text, line, "case {case}");
        }
        for (name, _, note) in &f.notes {
            assert!(!note.is_empty() && name == "x", "case {case}: {note}");
        }
    }
}
