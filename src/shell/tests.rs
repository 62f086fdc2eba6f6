//! Unit tests of the shell reader: the layers found for each context, and what is refused.

use super::*;

/// The places of every `<…>` in `line`.
fn at(line: &str) -> Vec<Place> {
    let spans: Vec<(usize, usize)> = crate::placeholder::find(line)
        .iter()
        .map(|o| (o.start, o.end))
        .collect();
    places(line, &spans)
}

fn layers(line: &str) -> Vec<Layer> {
    let p = at(line);
    assert_eq!(p.len(), 1, "{line}");
    assert_eq!(p[0].refused, None, "{line}");
    p[0].layers.clone()
}

fn refused(line: &str) -> &'static str {
    let p = at(line);
    p[0].refused
        .unwrap_or_else(|| panic!("{line}: not refused: {:?}", p[0]))
}

#[test]
fn quoting_contexts() {
    use Layer::*;
    assert_eq!(layers("kubectl get pod <pod>"), [Bare]);
    assert_eq!(layers("echo '<x>'"), [Single]);
    assert_eq!(layers("echo \"a <x>\""), [Double]);
    assert_eq!(layers("echo $'<x>'"), [AnsiC]);
    assert_eq!(layers("echo \"$(echo <x>)\""), [Bare]);
    assert_eq!(layers("echo \"$(echo \"<x>\")\""), [Double]);
    assert_eq!(layers("echo \"`echo <x>`\""), [Bare, BacktickDq]);
    assert_eq!(layers("echo `echo <x>` end"), [Bare, Backtick]);
    assert_eq!(layers("cat <<eof\nname: <x>\neof"), [HereDoc]);
    assert_eq!(layers("cat <<-'eof'\nname: <x>\n\teof"), [Literal]);
    assert_eq!(layers("echo hi # <x>"), [Literal]);
    assert_eq!(layers("echo a#<x>"), [Bare]);
    assert_eq!(layers("echo $((1 + <n>))"), [Digits]);
}

#[test]
fn second_shells() {
    use Layer::*;
    assert_eq!(layers("sh -c 'echo <x>'"), [Bare, Single]);
    assert_eq!(layers("bash -lc \"echo '<x>'\""), [Single, Double]);
    assert_eq!(layers("ssh host cat <x>"), [Bare, Bare]);
    assert_eq!(layers("ssh -p 22 host \"cat '<x>'\""), [Single, Double]);
    assert_eq!(
        layers("kubectl exec -n ns pod -- sh -c \"cat <x>\""),
        [Bare, Double]
    );
    assert_eq!(layers("kubectl exec pod -- cat <x>"), [Bare]);
    assert_eq!(layers("sudo -u root sh -c 'ls <x>'"), [Bare, Single]);
    assert_eq!(layers("sh -c 'sh -c \"echo <x>\"'"), [Bare, Double, Single]);
}

#[test]
fn refusals() {
    assert_eq!(refused("awk '{print \"<x>\"}' f"), "inside an awk program");
    assert_eq!(refused("awk -F: '/<x>/' f"), "inside an awk program");
    assert_eq!(refused("sed -e 's/<x>/y/' f"), "inside a sed script");
    assert_eq!(
        refused("jq '.items[] | select(.name==\"<x>\")'"),
        "inside a jq filter"
    );
    assert_eq!(
        refused("python3 -c 'print(\"<x>\")'"),
        "inside a program for another language"
    );
    assert_eq!(refused("echo ${X:-<x>}"), "inside ${…}");
    assert_eq!(refused("echo \"$<x>\""), "right after `$`");
    assert_eq!(
        refused("sh -c \"echo $HOME <x>\""),
        "in text a second shell reads after this one expands it"
    );
    assert_eq!(refused("echo '<x>"), "after a quote that is never closed");
    assert!(at("jq --arg n <x> '.[$n]'")[0].refused.is_none());
}

#[test]
fn flags() {
    let p = &at("kubectl delete pod <pod>")[0];
    assert!(p.word_start && !p.command && !p.after_dashdash);
    assert!(at("<cmd> get pods")[0].command);
    assert!(at("kubectl delete pod -- <pod>")[0].after_dashdash);
    assert!(!at("kubectl get --name=<pod>")[0].word_start);
}

#[test]
fn heredocs_left_open() {
    assert_eq!(open_heredocs("cat <<EOF"), [(b"EOF".to_vec(), false)]);
    assert_eq!(open_heredocs("cat <<-'E F' | x"), [(b"E F".to_vec(), true)]);
    assert!(open_heredocs("cat <<EOF\nx\nEOF").is_empty());
    assert!(open_heredocs("echo a << b").len() == 1);
    assert!(open_heredocs("echo '<<x'").is_empty());
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}echo <x>{}", "echo $(".repeat(5000), ")".repeat(5000));
    assert_eq!(
        at(&deep)[0].refused,
        Some("nested in too many interpreters")
    );
    let evals = format!("{}echo <x>", "eval ".repeat(100));
    assert_eq!(
        at(&evals)[0].refused,
        Some("nested in too many interpreters")
    );
    let wrappers = format!("{}echo <x>", "sudo ".repeat(100_000));
    assert_eq!(
        at(&wrappers)[0].refused,
        Some("nested in too many interpreters")
    );
    assert_eq!(
        at("sudo env A=1 timeout 5 echo <x>")[0].layers,
        [Layer::Bare]
    );
    let shallow = format!("{}echo <x>{}", "echo $(".repeat(10), ")".repeat(10));
    assert_eq!(at(&shallow)[0].layers, [Layer::Bare]);
}

#[test]
fn history_reads_bangs_as_bash_scans_the_line() {
    assert_eq!(history_bangs("echo a!b 'c!d' \"e!f\" g! h!="), [6, 17]);
    assert_eq!(history_bangs("echo \"x\"'!y'\"\""), Vec::<usize>::new());
    assert_eq!(history_bangs("echo \"$(echo '!y')\""), [14]);
    assert_eq!(history_bangs("echo \\!x \"!\""), Vec::<usize>::new());
}
