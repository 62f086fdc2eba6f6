//! Command sequences: the runbook's lists, code blocks and inline code that are commands to
//! run, each step with its placeholders filled and quoted for the shell, and warnings for
//! values that look wrong.

use super::hints::Hints;
use super::model::{CommandSequence, CommandStep, ValueWarning};
use super::shorten;
use crate::placeholder::{self, fill, Filled, Syntax};
use crate::runbook::{inline_text, Block, Inline};

/// The warnings for the values `filled` put into a step.
pub fn value_warnings(filled: &[(String, String)]) -> Vec<ValueWarning> {
    let mut out: Vec<ValueWarning> = Vec::new();
    for (name, value) in filled {
        if let Some(problem) = placeholder::value_problem(name, value) {
            push_warning(&mut out, name, value, problem);
        }
    }
    out
}

/// Every warning of a filled step: where a value stands (refused, an option, `!`) first,
/// then what looks wrong in the values themselves.
pub fn step_warnings(filled: &Filled) -> Vec<ValueWarning> {
    let mut out = Vec::new();
    for (name, value, problem) in &filled.notes {
        push_warning(&mut out, name, value, problem.clone());
    }
    for w in value_warnings(&filled.filled) {
        push_warning(&mut out, &w.name, &w.value, w.problem);
    }
    out
}

fn push_warning(out: &mut Vec<ValueWarning>, name: &str, value: &str, problem: String) {
    if !out.iter().any(|w| w.name == name && w.problem == problem) {
        out.push(ValueWarning {
            name: name.to_string(),
            value: value.to_string(),
            problem,
        });
    }
}

/// The programs whose name starts a command line in runbooks.
const COMMANDS: &[&str] = &[
    "ibmcloud",
    "ic",
    "kubectl",
    "oc",
    "helm",
    "curl",
    "wget",
    "ssh",
    "scp",
    "docker",
    "podman",
    "git",
    "jq",
    "grep",
    "egrep",
    "cat",
    "tail",
    "head",
    "less",
    "ls",
    "cd",
    "export",
    "sudo",
    "source",
    "echo",
    "systemctl",
    "journalctl",
    "calicoctl",
    "etcdctl",
    "crictl",
    "ping",
    "dig",
    "nslookup",
    "nc",
    "telnet",
    "openssl",
    "ip",
    "iptables",
    "ps",
    "kill",
    "rm",
    "cp",
    "mv",
    "mkdir",
    "chmod",
    "chown",
    "tar",
    "awk",
    "sed",
    "xargs",
    "watch",
    "python",
    "python3",
    "bash",
    "sh",
    "make",
    "terraform",
    "vault",
    "armada-cli",
    "k",
    "invoke-tugboat",
    "ibmcloud-ks",
    "traceroute",
    "mtr",
    "df",
    "du",
    "free",
    "top",
    "uptime",
    "reboot",
    "shutdown",
    "apt-get",
    "yum",
    "dnf",
    "base64",
    "date",
    "env",
    "for",
    "while",
    "if",
    "hostname",
    "kubectx",
    "kubens",
    "iks",
    "logdna-cli",
    "aws",
    "gcloud",
    "az",
    "istioctl",
    "velero",
    "mount",
    "umount",
    "lsblk",
    "netstat",
    "ss",
    "tcpdump",
    "nmap",
    "find",
    "sort",
    "uniq",
    "wc",
    "touch",
    "vi",
    "vim",
    "nano",
];

/// True when a code span or line is a command someone would run in a shell.
pub fn is_command(code: &str) -> bool {
    let c = code.trim();
    let c = c.strip_prefix("$ ").unwrap_or(c);
    let mut words = c.split_whitespace();
    let Some(mut first) = words.next() else {
        return false;
    };
    // `VAR=value cmd …`
    while first.contains('=') && !first.starts_with('=') {
        match words.next() {
            Some(w) => first = w,
            None => return c.starts_with("export "),
        }
    }
    let rest_len = c.split_whitespace().count();
    if rest_len < 2 {
        return false;
    }
    COMMANDS.contains(&first)
        || ((first.starts_with('/') || first.starts_with("./"))
            && first.len() > 2
            && !first.contains("//"))
}

/// Shell-ish code block languages.
fn is_shell_lang(lang: &str) -> bool {
    matches!(
        lang.to_ascii_lowercase().as_str(),
        "bash" | "sh" | "shell" | "zsh" | "console" | "shell-session" | "terminal" | "cmd"
    )
}

/// The commands of a code block: logical lines (joined at trailing `\`) that are commands.
fn block_commands(lang: &str, text: &str) -> Vec<String> {
    let shell = is_shell_lang(lang);
    let console = matches!(lang, "console" | "shell-session" | "terminal");
    let mut out = Vec::new();
    let mut current = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let l = line.trim_end();
        if !current.is_empty() {
            current.push('\n');
            current.push_str(l);
            if !l.ends_with('\\') {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let has_prompt = t.starts_with("$ ");
        let cmd = t.strip_prefix("$ ").unwrap_or(t);
        let take = if console {
            has_prompt
        } else {
            is_command(cmd) || (shell && !looks_like_output(cmd))
        };
        if take {
            if cmd.ends_with('\\') {
                current = cmd.to_string();
            } else if let Some(body) = heredoc_body(cmd, &mut lines) {
                // A here-document's body belongs to its command: copied alone, each line would
                // be a command of its own, and quoted for the wrong context.
                out.push(body);
            } else {
                out.push(cmd.to_string());
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `cmd` with the bodies of the here-documents it opens (taken from `lines`, up to each
/// delimiter line), or `None` when it opens none.
fn heredoc_body<'a>(cmd: &str, lines: &mut impl Iterator<Item = &'a str>) -> Option<String> {
    let open = crate::shell::open_heredocs(cmd);
    if open.is_empty() {
        return None;
    }
    let mut out = cmd.to_string();
    for (delim, dash) in open {
        for line in lines.by_ref() {
            out.push('\n');
            out.push_str(line);
            let l = if dash {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if l.as_bytes() == delim.as_slice() {
                break;
            }
        }
    }
    Some(out)
}

/// Lines in a shell block that are sample output rather than commands.
fn looks_like_output(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    first.chars().next().is_some_and(|c| {
        c.is_ascii_uppercase()
            || c.is_ascii_digit()
            || matches!(c, '{' | '}' | '[' | ']' | '"' | '-' | '|' | '+')
    }) || line.contains("  ") && !line.contains('|') && !line.contains(" -")
}

fn make_step(
    template: &str,
    description: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    hints: &Hints,
) -> CommandStep {
    let filled = fill(template, Syntax::Shell, resolve);
    let unresolved = hints.unresolved(&filled.unresolved);
    let warnings = step_warnings(&filled);
    CommandStep {
        text: filled.text,
        template: template.to_string(),
        description: shorten(description, 400),
        unresolved,
        warnings,
    }
}

/// The code spans of `inlines` that are commands to run, not mentions of a tool: "failing
/// `ibmcloud ks` commands" names a tool; "run `ibmcloud ks api-key reset`" is a step.
fn command_spans(inlines: &[Inline]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, inl) in inlines.iter().enumerate() {
        let Inline::Code(c) = inl else { continue };
        if !is_command(c) {
            continue;
        }
        let next = inline_text(&inlines[i + 1..inlines.len().min(i + 2)])
            .trim_start()
            .to_ascii_lowercase();
        let mention = ["command", "cli", "plugin", "tool", "output", "binary"]
            .iter()
            .any(|w| next.starts_with(w));
        if !mention {
            out.push(c.trim().to_string());
        }
    }
    out
}

pub(super) fn collect_commands(
    blocks: &[Block],
    heading: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
    hints: &Hints,
    out: &mut Vec<CommandSequence>,
) {
    let mut intro: Option<String> = None;
    for b in blocks {
        match b {
            Block::Para { inlines } => {
                // Commands written inline in a paragraph form a sequence of their own.
                let cmds = command_spans(inlines);
                let text = inline_text(inlines);
                if !cmds.is_empty() {
                    // Shortened once for all its commands: per command, a paragraph of N
                    // commands would cost N times its length.
                    let description = shorten(&text, 400);
                    let steps = cmds
                        .iter()
                        .map(|c| make_step(c, &description, resolve, hints))
                        .collect();
                    out.push(CommandSequence {
                        section: heading.to_string(),
                        intro: None,
                        steps,
                    });
                }
                intro = Some(shorten(&text, 200));
            }
            Block::Code { lang, text, .. } => {
                let cmds = block_commands(lang, text);
                if !cmds.is_empty() {
                    let steps = cmds
                        .iter()
                        .map(|c| make_step(c, "", resolve, hints))
                        .collect();
                    out.push(CommandSequence {
                        section: heading.to_string(),
                        intro: intro.take(),
                        steps,
                    });
                }
            }
            Block::List { items, .. } => {
                let mut steps = Vec::new();
                let mut nested = Vec::new();
                for item in items {
                    // Shortened once for all the item's commands (see the paragraph case).
                    let description = shorten(&item_text(item), 400);
                    for ib in item {
                        match ib {
                            Block::Para { inlines } => {
                                for c in command_spans(inlines) {
                                    steps.push(make_step(&c, &description, resolve, hints));
                                }
                            }
                            Block::Code { lang, text, .. } => {
                                for c in block_commands(lang, text) {
                                    steps.push(make_step(&c, &description, resolve, hints));
                                }
                            }
                            Block::List { .. } | Block::Quote { .. } => nested.push(ib.clone()),
                            _ => {}
                        }
                    }
                }
                if !steps.is_empty() {
                    out.push(CommandSequence {
                        section: heading.to_string(),
                        intro: intro.take(),
                        steps,
                    });
                }
                intro = None;
                collect_commands(&nested, heading, resolve, hints, out);
            }
            Block::Quote { blocks } => collect_commands(blocks, heading, resolve, hints, out),
            _ => {}
        }
    }
}

/// The text of a list item without its nested lists.
fn item_text(item: &[Block]) -> String {
    let mut text = String::new();
    for b in item {
        if let Block::Para { inlines } = b {
            text.push_str(&inline_text(inlines));
            text.push('\n');
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_recognised() {
        assert!(is_command("ibmcloud target -c <account>"));
        assert!(is_command("kubectl -n armada get pods"));
        assert!(is_command("/opt/bin/etcdctl member list"));
        assert!(!is_command("default view"));
        assert!(!is_command("kubectl"));
        assert!(!is_command("CLUSTER-SQUAD"));
        assert!(!is_command("Cleanup Client IDs"));
    }

    #[test]
    fn here_documents_stay_with_their_command() {
        let cmds = block_commands(
            "bash",
            "cat <<eof > pod.yaml\nname: <pod>\neof\nkubectl apply -f pod.yaml\n",
        );
        assert_eq!(
            cmds,
            vec![
                "cat <<eof > pod.yaml\nname: <pod>\neof".to_string(),
                "kubectl apply -f pod.yaml".to_string()
            ]
        );
        // Filled as a body line (backslash-escaped), not as a command word (single-quoted).
        let filled = fill(&cmds[0], Syntax::Shell, &|_| Some("$(id) 'x'".to_string()));
        assert_eq!(filled.text, "cat <<eof > pod.yaml\nname: \\$(id) 'x'\neof");
    }

    #[test]
    fn block_commands_skip_output_and_join_continuations() {
        let cmds = block_commands(
            "bash",
            "kubectl get pods \\\n  -n armada\nNAME   READY\n# comment\n",
        );
        assert_eq!(cmds, vec!["kubectl get pods \\\n  -n armada".to_string()]);
    }
}
