//! Second interpreters: what a simple command does with its words. `sh -c`, `ssh host …`,
//! `eval` and `watch` hand a word (or the joined words) to another shell, which reads it
//! again; `kubectl exec … --`, `sudo`, `xargs` run the words after them as a command; awk, sed,
//! jq and `python -c` read a program in their own language, where no value is filled.

use super::lex::{read, Lexer, Word};
use super::{Hole, Place};

/// Applies what the command `words` (one simple command, in order) does with its words.
pub(super) fn command(lx: &mut Lexer, words: &[Word]) {
    let k = words.iter().take_while(|w| is_assignment(w)).count();
    argv(lx, &words[k..], 0);
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

/// True when `v` is one of the space-separated `names`.
fn one_of(names: &str, v: &[u8]) -> bool {
    names.split(' ').any(|n| n.as_bytes() == v)
}

/// The index of the first word of `words` that is no option, skipping the option words and
/// the arguments of the options in `with_arg` (space-separated).
fn operand(words: &[Word], with_arg: &str) -> usize {
    let mut k = 0;
    while k < words.len() {
        let v = &words[k].value;
        if is(&words[k], b"--") {
            return k + 1;
        }
        if v.first() != Some(&b'-') || v.len() < 2 {
            return k;
        }
        k += if one_of(with_arg, v) { 2 } else { 1 };
    }
    k.min(words.len())
}

/// What a command does with the words after its name.
#[derive(Clone, Copy)]
enum Kind {
    /// Runs the words after its options (taking arguments: `opts`) and `skip` more operands as
    /// a command: sudo, xargs, timeout.
    Runs(&'static str, usize),
    /// `env`: options, assignments, then a command.
    Env,
    /// `kubectl exec|run|debug … -- command`.
    Kubectl,
    /// `docker exec [options] CONTAINER command`.
    ContainerExec,
    /// `sh -c SCRIPT`; `su [user] -c SCRIPT` (true: a user may come first).
    Shell(bool),
    /// Joins the words after its options and `skip` operands and a shell reads them again:
    /// `ssh host …`, `eval …`.
    Rereads(&'static str, usize),
    /// `watch` re-reads its words, `watch -x` runs them.
    Watch,
    /// Reads a program in its own language: the options as in `program`, and the reason.
    Program(&'static str, &'static str),
    /// `python -c PROGRAM` and the like.
    ScriptOption,
    /// `find … -exec command ;`.
    Find,
}

/// The commands whose words mean more than arguments, by name (space-separated).
const COMMANDS: &[(&str, Kind)] = &[
    (
        "sudo doas nice nohup command exec stdbuf ionice time chroot nsenter",
        Kind::Runs("-u -g -n -C -h -p -c -o", 0),
    ),
    ("xargs", Kind::Runs("-I -n -P -L -d -E -s -a", 0)),
    ("timeout", Kind::Runs("-s -k --signal --kill-after", 1)),
    ("env", Kind::Env),
    ("kubectl oc k", Kind::Kubectl),
    ("docker podman crictl nerdctl", Kind::ContainerExec),
    ("sh bash zsh dash ksh ash", Kind::Shell(false)),
    ("su runuser", Kind::Shell(true)),
    (
        "ssh",
        Kind::Rereads(
            "-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w -B",
            1,
        ),
    ),
    ("eval", Kind::Rereads("", 0)),
    ("watch", Kind::Watch),
    ("awk gawk mawk nawk", Kind::Program("-F=1 -v=p -f=f", AWK)),
    ("sed gsed", Kind::Program("-e=p --expression=p -f=f", SED)),
    (
        "jq yq gojq",
        Kind::Program(
            "--arg=2 --argjson=2 --slurpfile=2 --rawfile=2 --indent=1 -f=f",
            JQ,
        ),
    ),
    (
        "python python3 python2 perl ruby node php lua",
        Kind::ScriptOption,
    ),
    ("find", Kind::Find),
];

/// What the command `words` does with its words; `hops` counts the commands that ran it
/// (`sudo env timeout …`), bounded so that no line can exhaust the stack.
fn argv(lx: &mut Lexer, words: &[Word], hops: usize) {
    let Some(first) = words.first() else { return };
    if hops > 16 {
        for w in words {
            refuse_word(lx, w, "nested in too many interpreters");
        }
        return;
    }
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
    let Some(&(_, kind)) = COMMANDS.iter().find(|(names, _)| one_of(names, name)) else {
        return;
    };
    let rest = &words[1..];
    let after = |k: usize| rest.get(k..).unwrap_or(&[]);
    match kind {
        Kind::Runs(opts, skip) => argv(lx, after(operand(rest, opts) + skip), hops + 1),
        Kind::Env => {
            let k = operand(rest, "-u -C -S");
            let j = after(k).iter().take_while(|w| is_assignment(w)).count();
            argv(lx, after(k + j), hops + 1);
        }
        Kind::Kubectl => {
            // `exec`, `run` and `debug` run the words after `--` as a command in the pod.
            if let Some(dd) = rest.iter().position(|w| is(w, b"--")) {
                if rest[..dd]
                    .iter()
                    .any(|w| w.exact && one_of("exec run debug", &w.value))
                {
                    argv(lx, after(dd + 1), hops + 1);
                }
            }
        }
        Kind::ContainerExec if rest.first().is_some_and(|w| is(w, b"exec")) => {
            let r = &rest[1..];
            let k = operand(r, "-u -w -e --user --workdir --env");
            argv(lx, r.get(k + 1..).unwrap_or(&[]), hops + 1);
        }
        Kind::ContainerExec => {}
        Kind::Shell(user_first) => shell_c(lx, rest, user_first),
        Kind::Rereads(opts, skip) => reread(lx, after(operand(rest, opts) + skip)),
        Kind::Watch => {
            let k = operand(rest, "-n --interval -q --equexit");
            if rest[..k].iter().any(|w| one_of("-x --exec", &w.value)) {
                argv(lx, after(k), hops + 1);
            } else {
                reread(lx, after(k));
            }
        }
        Kind::Program(opts, why) => program(lx, rest, opts, why),
        Kind::ScriptOption => script_option(lx, rest),
        Kind::Find => {
            if let Some(e) = rest.iter().position(|w| one_of("-exec -execdir", &w.value)) {
                let r = after(e + 1);
                let end = r.iter().position(|w| one_of("; +", &w.value));
                argv(lx, &r[..end.unwrap_or(r.len())], hops + 1);
            }
        }
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

/// awk, sed, jq: the program is the first operand unless an option gives it. `opts` lists the
/// options with arguments as `name=kind`: `1` or `2` arguments passed safely (jq's `--arg name
/// value`), `p` an argument that is program text (sed's `-e`, and awk's `-v name=value`, whose
/// value awk reads escapes in), `f` a program file. Option words themselves (`-F<x>`,
/// `--expression=…`) may carry program text and are refused too.
fn program(lx: &mut Lexer, rest: &[Word], opts: &str, why: &'static str) {
    let mut k = 0;
    let mut given = false;
    while let Some(w) = rest.get(k) {
        if is(w, b"--") {
            k += 1;
            break;
        }
        if w.value.first() != Some(&b'-') || w.value.len() < 2 {
            break;
        }
        refuse_word(lx, w, why);
        let kind = opts.split(' ').find_map(|o| {
            let (name, kind) = o.split_once('=')?;
            (name.as_bytes() == w.value.as_slice()).then_some(kind)
        });
        k += 1;
        match kind {
            Some("1") => k += 1,
            Some("2") => k += 2,
            Some("p") => {
                if let Some(arg) = rest.get(k) {
                    refuse_word(lx, arg, why);
                }
                given |= w.value != b"-v";
                k += 1;
            }
            Some(_) => {
                given = true;
                k += 1;
            }
            None => given |= w.value.starts_with(b"--expression="),
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
