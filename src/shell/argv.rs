//! Second interpreters: what a simple command does with its words. `sh -c`, `ssh host …`,
//! `eval` and `watch` hand a word (or the joined words) to another shell, which reads it
//! again; `kubectl exec … --`, `sudo`, `xargs` run the words after them as a command; awk, sed,
//! jq and `python -c` read a program in their own language, where no value is filled.

use super::lex::{read, Lexer, Word};
use super::{Hole, Place};

/// Applies what the command `words` (one simple command, in order) does with its words.
pub(super) fn command(lx: &mut Lexer, words: &[Word]) {
    let k = words.iter().take_while(|w| is_assignment(w)).count();
    argv(lx, &words[k..]);
}

/// `NAME=value`.
fn is_assignment(w: &Word) -> bool {
    match w.value.iter().position(|&b| b == b'=') {
        Some(p) if p > 0 => w.value[..p]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_'),
        _ => false,
    }
}

/// True for a word written exactly `text`, with no placeholder in it.
fn is(w: &Word, text: &[u8]) -> bool {
    w.exact && w.holes.is_empty() && w.value == text
}

/// The index of the first word of `words` that is no option, skipping the option words and
/// the arguments of the options in `with_arg`.
fn operand(words: &[Word], with_arg: &[&[u8]]) -> usize {
    let mut k = 0;
    while k < words.len() {
        let v = &words[k].value;
        if is(&words[k], b"--") {
            return k + 1;
        }
        if v.first() != Some(&b'-') || v.len() < 2 {
            return k;
        }
        k += if with_arg.contains(&v.as_slice()) {
            2
        } else {
            1
        };
    }
    k.min(words.len())
}

fn argv(lx: &mut Lexer, words: &[Word]) {
    let Some(first) = words.first() else { return };
    for &(id, pos, _) in &first.holes {
        lx.out[id].command |= pos == 0;
    }
    if let Some(dd) = words.iter().position(|w| is(w, b"--")) {
        for w in &words[dd + 1..] {
            for &(id, _, _) in &w.holes {
                lx.out[id].after_dashdash = true;
            }
        }
    }
    if !first.exact || !first.holes.is_empty() {
        return;
    }
    let name = match first.value.iter().rposition(|&b| b == b'/') {
        Some(p) => &first.value[p + 1..],
        None => &first.value[..],
    };
    let rest = &words[1..];
    match name {
        b"sudo" | b"doas" | b"nice" | b"nohup" | b"command" | b"exec" | b"stdbuf" | b"ionice"
        | b"time" | b"chroot" | b"nsenter" => {
            let with: &[&[u8]] = &[b"-u", b"-g", b"-n", b"-C", b"-h", b"-p", b"-c", b"-o"];
            argv(lx, &rest[operand(rest, with)..]);
        }
        b"env" => {
            let k = operand(rest, &[b"-u", b"-C", b"-S"]);
            let j = rest[k..].iter().take_while(|w| is_assignment(w)).count();
            argv(lx, &rest[k + j..]);
        }
        b"timeout" => {
            let k = operand(rest, &[b"-s", b"-k", b"--signal", b"--kill-after"]);
            argv(lx, rest.get(k + 1..).unwrap_or(&[]));
        }
        b"xargs" => {
            let with: &[&[u8]] = &[b"-I", b"-n", b"-P", b"-L", b"-d", b"-E", b"-s", b"-a"];
            argv(lx, &rest[operand(rest, with)..]);
        }
        b"kubectl" | b"oc" | b"k" => {
            // `exec`, `run` and `debug` run the words after `--` as a command in the pod.
            if let Some(dd) = rest.iter().position(|w| is(w, b"--")) {
                let runs = rest[..dd]
                    .iter()
                    .any(|w| is(w, b"exec") || is(w, b"run") || is(w, b"debug"));
                if runs {
                    argv(lx, &rest[dd + 1..]);
                }
            }
        }
        b"docker" | b"podman" | b"crictl" | b"nerdctl"
            if rest.first().is_some_and(|w| is(w, b"exec")) =>
        {
            let r = &rest[1..];
            let with: &[&[u8]] = &[b"-u", b"-w", b"-e", b"--user", b"--workdir", b"--env"];
            let k = operand(r, with);
            argv(lx, r.get(k + 1..).unwrap_or(&[]));
        }
        b"sh" | b"bash" | b"zsh" | b"dash" | b"ksh" | b"ash" => shell_c(lx, rest, false),
        b"su" | b"runuser" => shell_c(lx, rest, true),
        b"ssh" => {
            let with: &[&[u8]] = &[
                b"-b", b"-c", b"-D", b"-E", b"-e", b"-F", b"-I", b"-i", b"-J", b"-L", b"-l", b"-m",
                b"-O", b"-o", b"-p", b"-Q", b"-R", b"-S", b"-W", b"-w", b"-B",
            ];
            let k = operand(rest, with);
            reread(lx, rest.get(k + 1..).unwrap_or(&[]));
        }
        b"eval" => reread(lx, rest),
        b"watch" => {
            let k = operand(rest, &[b"-n", b"--interval", b"-q", b"--equexit"]);
            if rest[..k].iter().any(|w| is(w, b"-x") || is(w, b"--exec")) {
                argv(lx, &rest[k..]);
            } else {
                reread(lx, &rest[k..]);
            }
        }
        b"awk" | b"gawk" | b"mawk" | b"nawk" => program(lx, rest, &[b"-F", b"-v", b"-f"], AWK),
        b"sed" | b"gsed" => program(lx, rest, &[b"-e", b"-f", b"--expression"], SED),
        b"jq" | b"yq" | b"gojq" => program(
            lx,
            rest,
            &[
                b"--arg",
                b"--argjson",
                b"--slurpfile",
                b"--rawfile",
                b"--indent",
                b"-f",
            ],
            JQ,
        ),
        b"python" | b"python3" | b"python2" | b"perl" | b"ruby" | b"node" | b"php" | b"lua" => {
            script_option(lx, rest)
        }
        b"find" => {
            if let Some(e) = rest
                .iter()
                .position(|w| is(w, b"-exec") || is(w, b"-execdir"))
            {
                let r = &rest[e + 1..];
                let end = r.iter().position(|w| is(w, b";") || is(w, b"+"));
                argv(lx, &r[..end.unwrap_or(r.len())]);
            }
        }
        _ => {}
    }
}

const AWK: &str = "inside an awk program";
const SED: &str = "inside a sed script";
const JQ: &str = "inside a jq filter";

/// Refuses every placeholder of `w` with `why`, those inside its `$(…)` too: their output
/// becomes part of the word.
fn refuse_word(lx: &mut Lexer, w: &Word, why: &'static str) {
    lx.refuse(w.span.0, w.span.1, why);
}

/// awk, sed, jq: the program is the first operand, or an option's argument (`-e`); awk's
/// `-v name=value` reads escapes in the value too. Options with two arguments (jq's `--arg
/// name value`) pass values safely and are skipped.
fn program(lx: &mut Lexer, rest: &[Word], with_arg: &[&[u8]], why: &'static str) {
    let mut k = 0;
    let mut given = false;
    while k < rest.len() {
        let w = &rest[k];
        if is(w, b"--") {
            k += 1;
            break;
        }
        if w.value.first() != Some(&b'-') || w.value.len() < 2 {
            break;
        }
        let two = matches!(
            w.value.as_slice(),
            b"--arg" | b"--argjson" | b"--slurpfile" | b"--rawfile"
        );
        if with_arg.contains(&w.value.as_slice()) || w.value.starts_with(b"--expression=") {
            let opt = w.value.as_slice();
            let arg = if opt.starts_with(b"--expression=") {
                w
            } else {
                rest.get(k + 1).unwrap_or(w)
            };
            if matches!(opt, b"-e" | b"-v") || opt.starts_with(b"--expression") {
                refuse_word(lx, arg, why);
                given |= opt != b"-v";
            }
            given |= matches!(opt, b"-f" | b"--from-file");
            k += if opt.starts_with(b"--expression=") {
                1
            } else if two {
                3
            } else {
                2
            };
        } else {
            // Option words themselves (`-F<x>`) may carry program text: refuse there too.
            refuse_word(lx, w, why);
            k += if two { 3 } else { 1 };
        }
    }
    if !given {
        if let Some(w) = rest.get(k) {
            refuse_word(lx, w, why);
        }
    }
}

/// `python -c PROGRAM`, `perl -e PROGRAM`, …: the option's argument is a program.
fn script_option(lx: &mut Lexer, rest: &[Word]) {
    for (k, w) in rest.iter().enumerate() {
        if w.value.first() != Some(&b'-') {
            break;
        }
        if w.value.len() > 1
            && w.value[1..]
                .iter()
                .any(|b| matches!(b, b'c' | b'e' | b'E' | b'r'))
        {
            refuse_word(lx, w, "inside a program for another language");
            if let Some(p) = rest.get(k + 1) {
                refuse_word(lx, p, "inside a program for another language");
            }
            return;
        }
    }
}

/// `sh -c SCRIPT args…` (also `bash -lc`, `su user -c`): SCRIPT is read by a second shell.
fn shell_c(lx: &mut Lexer, rest: &[Word], user_first: bool) {
    let mut has_c = false;
    for (k, w) in rest.iter().enumerate() {
        let v = &w.value;
        let option = v.len() > 1 && (v[0] == b'-' || v[0] == b'+') && !v.starts_with(b"--");
        if option {
            has_c |= v.contains(&b'c') && v[0] == b'-';
            continue;
        }
        if has_c {
            return reread(lx, &rest[k..=k]);
        }
        // `su - user -c …` names the user first; a shell takes a script file here.
        if !user_first {
            return;
        }
    }
}

/// The words a second shell reads again, joined with spaces (as `ssh` and `eval` join them):
/// each placeholder's place in that text comes first, then its place in this command.
fn reread(lx: &mut Lexer, words: &[Word]) {
    // Expansions (a `$(…)` among them, whatever it holds) run before the second shell reads
    // the text: what they give cannot be known, so nothing in these words is filled.
    if words.iter().any(|w| !w.exact) {
        for w in words {
            refuse_word(
                lx,
                w,
                "in text a second shell reads after this one expands it",
            );
        }
        return;
    }
    let ids: Vec<usize> = words
        .iter()
        .flat_map(|w| w.holes.iter().map(|h| h.0))
        .collect();
    if ids.is_empty() {
        return;
    }
    let mut text = Vec::new();
    let mut holes = Vec::new();
    for w in words {
        if !text.is_empty() {
            text.push(b' ');
        }
        for &(id, pos, len) in &w.holes {
            holes.push(Hole {
                start: text.len() + pos,
                end: text.len() + pos + len,
                id,
            });
        }
        text.extend_from_slice(&w.value);
    }
    let saved: Vec<Place> = ids
        .iter()
        .map(|&id| std::mem::take(&mut lx.out[id]))
        .collect();
    read(&text, &holes, lx.out, lx.depth + 1);
    for (id, outer) in ids.into_iter().zip(saved) {
        let inner = &mut lx.out[id];
        if outer.refused.is_some() {
            *inner = outer;
        } else {
            inner.layers.extend(outer.layers);
        }
    }
}
