//! Shell contexts checked against the real shells: each runbook line puts a placeholder in one
//! context (a word, quotes, `$'…'`, `$(…)`, backticks, a here-document, a comment, `sh -c`,
//! `ssh host …`, `kubectl exec … -- sh -c`), each hostile value is filled in, and the line runs
//! in `bash -c`, `dash -c` and an interactive `bash -i` (history expansion on) with the programs
//! replaced by shims that record their arguments. The inner command must receive the value
//! byte for byte and no payload may run; where the value cannot be written safely it must stay
//! unfilled with a note saying why.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use runbook_lens::placeholder::{fill, Filled, Syntax};

/// Values an alert may carry to break out of its context. `touch pwned` is the payload.
const HOSTILE: &[&str] = &[
    "$(touch pwned)",
    "`touch pwned`",
    "'",
    "\"",
    "\\",
    "a\nb",
    "!#",
    "a!!b",
    "--all",
    ";touch pwned",
    "é😀\u{202e}\u{200b}",
    "x' ; touch pwned ; '",
    "\"; touch pwned; \"",
    "$HOME",
    "*",
    "\\'\\\"",
    "a b\tc",
    "${IFS}touch${IFS}pwned",
    "))",
    "`",
    "$((1+1))",
    "\\$(touch pwned)",
    "-",
    "",
    "'$(touch pwned)'",
    "\\`touch pwned\\`",
    "eof",
    "\teof",
];

/// A runbook line and what the shims record when it runs with value `v`.
struct Case {
    line: &'static str,
    record: fn(&str) -> String,
    /// `$'…'` is bash's: dash reads it differently.
    bash_only: bool,
}

/// What `arg` records for one call with the single argument `v`.
fn one(v: &str) -> String {
    format!("1\0{v}\0")
}

const CASES: &[Case] = &[
    Case {
        line: "arg <x>",
        record: one,
        bash_only: false,
    },
    Case {
        line: "arg '<x>'",
        record: one,
        bash_only: false,
    },
    Case {
        line: "arg \"<x>\"",
        record: one,
        bash_only: false,
    },
    Case {
        line: "arg pre-<x>-post",
        record: |v| one(&format!("pre-{v}-post")),
        bash_only: false,
    },
    Case {
        line: "arg $'<x>'",
        record: one,
        bash_only: true,
    },
    Case {
        line: "arg \"$(arg <x>)\"",
        record: |v| one(v) + &one(""),
        bash_only: false,
    },
    Case {
        line: "arg \"$(arg \"<x>\")\"",
        record: |v| one(v) + &one(""),
        bash_only: false,
    },
    Case {
        line: "arg \"`arg <x>`\"",
        record: |v| one(v) + &one(""),
        bash_only: false,
    },
    Case {
        line: "arg `arg <x>` end",
        record: |v| one(v) + &one("end"),
        bash_only: false,
    },
    Case {
        line: "rd <<eof\nname: <x>\neof",
        record: |v| format!("name: {v}\n"),
        bash_only: false,
    },
    Case {
        line: "rd <<-'eof'\n\tname: <x>\n\teof",
        record: |v| format!("name: {v}\n"),
        bash_only: false,
    },
    Case {
        line: "arg a # <x>",
        record: |_| one("a"),
        bash_only: false,
    },
    Case {
        line: "sh -c 'arg <x>'",
        record: one,
        bash_only: false,
    },
    Case {
        line: "bash -c \"arg '<x>'\"",
        record: one,
        bash_only: false,
    },
    Case {
        line: "sh -c \"arg \\\"<x>\\\"\"",
        record: one,
        bash_only: false,
    },
    Case {
        line: "ssh host arg <x>",
        record: one,
        bash_only: false,
    },
    Case {
        line: "ssh -p 22 host \"arg '<x>'\"",
        record: one,
        bash_only: false,
    },
    Case {
        line: "kubectl exec -n ns pod -- sh -c \"arg <x>\"",
        record: one,
        bash_only: false,
    },
    Case {
        line: "kubectl exec pod -- arg <x>",
        record: one,
        bash_only: false,
    },
    Case {
        line: "sh -c 'sh -c \"arg <x>\"'",
        record: one,
        bash_only: false,
    },
    Case {
        line: "arg \"$(case k in k) arg <x>;; esac)\"",
        record: |v| one(v) + &one(""),
        bash_only: false,
    },
];

/// A scratch directory with the shims on its `bin/`: `arg` records its arguments, `rd` its
/// input, `ssh` runs its command words the way a remote shell does, `kubectl` runs what follows
/// `--`.
fn sandbox(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rl-shell-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("temp dir");
    let shims = [
        ("arg", "printf '%s\\0' \"$#\" \"$@\" >> \"$OUT\""),
        ("rd", "cat >> \"$OUT\""),
        (
            "ssh",
            "while :; do case \"$1\" in -p|-i|-l|-o) shift 2;; -*) shift;; *) break;; esac; done\nshift\nexec sh -c \"$*\"",
        ),
        ("kubectl", "while [ \"$1\" != -- ]; do shift; done\nshift\nexec \"$@\""),
    ];
    for (name, body) in shims {
        let path = bin.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("shim");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    dir
}

/// Runs `text` in `shell` (`bash`, `dash`, or `bash -i` reading it on stdin) inside `dir`;
/// returns what the shims recorded.
fn run(dir: &Path, shell: &str, text: &str) -> Vec<u8> {
    let out = dir.join("out");
    let _ = std::fs::remove_file(&out);
    std::fs::write(&out, b"").expect("out");
    let path = format!("{}:/usr/bin:/bin", dir.join("bin").display());
    let mut cmd = match shell {
        "bash -i" => {
            let mut c = Command::new("bash");
            c.args(["--norc", "--noprofile", "--noediting", "-i"])
                .stdin(Stdio::piped());
            c
        }
        s => {
            let mut c = Command::new(s);
            c.arg("-c").arg(text).stdin(Stdio::null());
            c
        }
    };
    cmd.current_dir(dir)
        .env("PATH", path)
        .env("OUT", &out)
        .env("HOME", dir)
        .env_remove("ENV")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().expect("shell runs");
    if shell == "bash -i" {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(text.as_bytes()).expect("write");
        stdin.write_all(b"\n").expect("write");
    }
    child.wait().expect("shell ends");
    std::fs::read(&out).expect("out")
}

fn note_of(f: &Filled) -> Option<&str> {
    f.notes.first().map(|(_, _, n)| n.as_str())
}

fn check(case: &Case, shells: &[&str], dir: &Path) {
    for v in HOSTILE {
        let f = fill(case.line, Syntax::Shell, &|_| Some(v.to_string()));
        if !f.rejected.is_empty() {
            // Not filled: the line is left as written, and a note says why.
            assert_eq!(f.text, case.line, "{:?} {v:?}", case.line);
            assert!(
                note_of(&f).is_some_and(|n| n.ends_with("not filled")),
                "{f:?}"
            );
            continue;
        }
        let warned_history = f.notes.iter().any(|(_, _, n)| n.contains("history"));
        for shell in shells {
            let got = run(dir, shell, &f.text);
            assert!(
                !dir.join("pwned").exists(),
                "payload ran: {shell} {:?} with {v:?} as {:?}",
                case.line,
                f.text
            );
            if *shell == "bash -i" && warned_history {
                continue;
            }
            assert_eq!(
                String::from_utf8_lossy(&got),
                (case.record)(v),
                "{shell}: {:?} with {v:?} filled as {:?}",
                case.line,
                f.text
            );
        }
    }
}

fn shells_present() -> bool {
    let ok = Path::new("/usr/bin/bash").exists() || Path::new("/bin/bash").exists();
    let dash = Path::new("/usr/bin/dash").exists() || Path::new("/bin/dash").exists();
    assert!(
        ok && dash,
        "these tests need bash and dash (apt-get install bash dash)"
    );
    true
}

#[test]
fn every_context_reads_back_the_value_in_bash_and_dash() {
    shells_present();
    let dir = sandbox("all");
    for case in CASES {
        let shells: &[&str] = if case.bash_only {
            &["bash", "bash -i"]
        } else {
            &["bash", "dash", "bash -i"]
        };
        check(case, shells, &dir);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Contexts no quoting can be proven for: the value stays out, with the reason.
#[test]
fn unprovable_contexts_stay_unfilled_with_the_reason() {
    for (line, why) in [
        ("awk '{print \"<x>\"}' file", "inside an awk program"),
        ("awk -v name=<x> '{print name}'", "inside an awk program"),
        ("sed -e 's/<x>/y/' file", "inside a sed script"),
        ("sed 's/<x>/y/' file", "inside a sed script"),
        ("jq '.[] | select(.id == \"<x>\")'", "inside a jq filter"),
        (
            "python3 -c 'print(\"<x>\")'",
            "inside a program for another language",
        ),
        ("echo ${X:-<x>}", "inside ${…}"),
        ("echo \"$<x>\"", "right after `$`"),
        ("sh -c \"echo $HOME <x>\"", "expands it"),
        ("echo '<x>", "never closed"),
        ("cat <<<x>\nbody\n", "delimiter"),
    ] {
        let f = fill(line, Syntax::Shell, &|_| Some("v".to_string()));
        assert_eq!(f.text, line, "{line}");
        let note = note_of(&f).unwrap_or_else(|| panic!("no note for {line}"));
        assert!(
            note.contains(why) && note.ends_with("not filled"),
            "{line}: {note}"
        );
    }
    // Values passed the safe way still fill.
    let f = fill("jq --arg id <x> '.[$id]'", Syntax::Shell, &|_| {
        Some("a b".into())
    });
    assert_eq!(f.text, "jq --arg id 'a b' '.[$id]'");
}

#[test]
fn arithmetic_takes_digits_only() {
    let f = fill("echo $((1 + <n>))", Syntax::Shell, &|_| Some("41".into()));
    assert_eq!(f.text, "echo $((1 + 41))");
    let f = fill("echo $((1 + <n>))", Syntax::Shell, &|_| {
        Some("a[$(id)]".into())
    });
    assert_eq!(f.text, "echo $((1 + <n>))");
}

#[test]
fn options_and_history_are_flagged() {
    let f = fill("kubectl delete pod <pod>", Syntax::Shell, &|_| {
        Some("--all".into())
    });
    assert_eq!(f.text, "kubectl delete pod --all");
    assert!(note_of(&f).is_some_and(|n| n.contains("option")), "{f:?}");
    let f = fill("kubectl delete pod -- <pod>", Syntax::Shell, &|_| {
        Some("--all".into())
    });
    assert_eq!(note_of(&f), None);
    let f = fill("<tool> get pods", Syntax::Shell, &|_| Some("rm".into()));
    assert!(
        note_of(&f).is_some_and(|n| n.contains("command to run")),
        "{f:?}"
    );
    // In `"…"` a `!` is written in single quotes, where history expansion cannot reach it.
    let f = fill("echo \"a <x>\"", Syntax::Shell, &|_| Some("!#".into()));
    assert_eq!(f.text, "echo \"a \"'!#'\"\"");
    let f = fill("cat <<eof\n<x>\neof", Syntax::Shell, &|_| Some("!#".into()));
    assert!(note_of(&f).is_some_and(|n| n.contains("history")), "{f:?}");
}

/// `explain` prints each step's warnings under it, invisible characters written visibly.
#[test]
fn explain_shows_the_warnings_with_invisible_characters_visible() {
    let alert = "- alertname = ClusterSquadOrchestratorCallbackActionTimeErrors
- alert_situation = DeleteClientID_callback_action_time_errors
- operation = DeleteClientID
- reason_code = ErrorUnclassified
- service = armada-orchestrator
- region = us-south
";
    let out = crate::support::run_with_stdin(
        &[
            "explain",
            "-",
            "--set",
            "controllerid=--all",
            "--set",
            "account=ab\u{200B}c",
        ],
        alert.as_bytes(),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("⚠ <controllerid> begins with `-`, so the command may read it as an option"),
        "{text}"
    );
    assert!(text.contains("⚠ <account> contains "), "{text}");
    assert!(text.contains("ab⟨U+200B⟩c"), "{text}");
}

/// A `$(…)` inside the text a second shell reads runs first, and its output becomes part of
/// that text: a value there is refused, however it is quoted inside the `$(…)`.
#[test]
fn output_that_a_second_shell_reads_again_is_refused() {
    for line in [
        "sh -c \"echo $(echo \\\"<x>\\\")\"",
        "ssh host \"cat $(printf %s '<x>')\"",
        "awk \"$(echo '<x>')\" file",
    ] {
        let f = fill(line, Syntax::Shell, &|_| Some("$(touch pwned)".into()));
        assert_eq!(f.text, line, "{line}");
        assert!(
            note_of(&f).is_some_and(|n| n.ends_with("not filled")),
            "{line}: {f:?}"
        );
    }
}
