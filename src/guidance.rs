//! Guidance: for an alert and a pack, the ranked runbooks and, for each, everything the
//! on-call engineer acts on: scenario, log search, dashboard, escalation, other links, and the
//! command sequences with placeholders filled from the alert. This is also the JSON of
//! `runbook-lens explain --json`, a public interface.

use serde::{Deserialize, Serialize};

use crate::alert::{extract_alerts, log_line_fields, truncate, Alert, Field, MAX_TEXT_BYTES};
use crate::config::Config;
use crate::matching::{choose_scenario, rank};
use crate::pack::Pack;
use crate::placeholder::{self, fill, Syntax, Unresolved};
use crate::quote::is_safe_link;
use crate::runbook::{blocks_text, inline_text, walk_blocks, Block, Inline, LinkKind, Runbook};
use crate::text::normalize_key;

/// How many runbooks `explain` lists per alert.
pub const MAX_MATCHES: usize = 5;

/// How many alerts of one text `explain` explains; an incident rarely groups more, and hostile
/// text must not make the panel render thousands.
pub const MAX_ALERTS: usize = 20;

/// The answer for one incident text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Explanation {
    pub alerts: Vec<AlertGuidance>,
    /// The matches of the first alert (kept at the top level for single-alert callers).
    pub matches: Vec<Match>,
    /// Notices about the input (text cut at the size limit, no alert found).
    #[serde(default)]
    pub notices: Vec<String>,
}

/// One alert of the incident and its matches.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlertGuidance {
    pub title: Option<String>,
    pub fields: Vec<Field>,
    /// Best first; empty when no runbook fits.
    pub matches: Vec<Match>,
    /// Said when nothing fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A runbook as a match shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunbookRef {
    pub title: String,
    /// The front matter `link`.
    pub link: Option<String>,
    /// The full URL of the page, when the site base URL is configured.
    pub url: Option<String>,
    /// Path relative to the pack root.
    pub file: String,
    pub service: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// The chosen section of the runbook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scenario {
    pub heading: String,
    pub anchor: String,
    /// Headings from the top-level section down to this one.
    pub path: Vec<String>,
    pub reasons: Vec<String>,
    /// Index of the section in the runbook.
    pub section: usize,
}

/// The log search a runbook names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LogSearch {
    /// The query with alert values filled in and quoted for the log tool.
    pub query: Option<String>,
    /// The query as the runbook writes it.
    pub template: Option<String>,
    /// Direct search link, when a URL template is configured for the alert's region.
    pub url: Option<String>,
    /// The dashboard the runbook points to for logs.
    pub dashboard: Option<String>,
    pub unresolved: Vec<Unresolved>,
}

/// Whom to escalate to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Escalation {
    pub url: Option<String>,
    /// The link text (`troutbridge`).
    pub name: Option<String>,
    /// What the escalation section says, shortened.
    pub text: Option<String>,
}

/// A link worth a click.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActionLink {
    pub text: String,
    pub url: String,
    pub kind: LinkKind,
}

/// One command of a sequence.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommandStep {
    /// The command with placeholders filled and values quoted; unresolved ones stay `<name>`.
    pub text: String,
    /// The command as the runbook writes it.
    pub template: String,
    /// The list item or paragraph the command stands in, as plain text.
    pub description: String,
    pub unresolved: Vec<Unresolved>,
    /// Filled values that look wrong for their placeholder (see `placeholder::value_problem`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ValueWarning>,
}

/// A filled value that does not look like what its placeholder expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueWarning {
    pub name: String,
    pub value: String,
    pub problem: String,
}

/// The warnings for the values `filled` put into a step.
pub fn value_warnings(filled: &[(String, String)]) -> Vec<ValueWarning> {
    let mut out: Vec<ValueWarning> = Vec::new();
    for (name, value) in filled {
        if let Some(problem) = placeholder::value_problem(name, value) {
            if !out.iter().any(|w| w.name == *name) {
                out.push(ValueWarning {
                    name: name.clone(),
                    value: value.clone(),
                    problem,
                });
            }
        }
    }
    out
}

/// An ordered run of commands (one list of the runbook, or one code block).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommandSequence {
    /// The heading of the section it is in.
    pub section: String,
    /// The sentence before the list (`In this scenario SRE can:`), when there is one.
    pub intro: Option<String>,
    pub steps: Vec<CommandStep>,
}

/// A runbook matched to an alert, with its filled guidance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Match {
    pub runbook: RunbookRef,
    pub score: f32,
    pub confident: bool,
    pub reasons: Vec<String>,
    pub scenario: Option<Scenario>,
    /// Said when no scenario fits (follow the escalation).
    pub scenario_note: Option<String>,
    pub log_search: LogSearch,
    pub escalation: Escalation,
    pub links: Vec<ActionLink>,
    pub commands: Vec<CommandSequence>,
    /// Every unresolved placeholder of the commands and query, once, with hints.
    pub unresolved: Vec<Unresolved>,
}

/// Values available to fill placeholders, in priority order: what the user typed, the log
/// line, the alert.
pub struct Values<'a> {
    pub user: &'a [(String, String)],
    pub log: Vec<Field>,
    pub alert: &'a Alert,
}

impl Values<'_> {
    pub fn get(&self, key: &str) -> Option<String> {
        if let Some((_, v)) = self
            .user
            .iter()
            .find(|(k, v)| normalize_key(k) == key && !v.is_empty())
        {
            return Some(v.clone());
        }
        if let Some(f) = self.log.iter().find(|f| {
            normalize_key(&f.key) == key
                || f.key
                    .rsplit('.')
                    .next()
                    .is_some_and(|l| normalize_key(l) == key)
        }) {
            return Some(f.value.clone());
        }
        self.alert.lookup(key).map(str::to_string)
    }
}

/// Explains `text` against `pack`: alerts, matches, guidance.
pub fn explain(
    pack: &Pack,
    text: &str,
    log_line: Option<&str>,
    config: &Config,
    user_values: &[(String, String)],
) -> Explanation {
    let mut notices = Vec::new();
    if text.len() > MAX_TEXT_BYTES {
        notices.push(format!(
            "The alert text is {} KB; only the first {} KB were read.",
            text.len() / 1024,
            MAX_TEXT_BYTES / 1024
        ));
    }
    let mut alerts = extract_alerts(truncate(text, MAX_TEXT_BYTES));
    if alerts.is_empty() {
        notices.push("No alert text found.".to_string());
    }
    if alerts.len() > MAX_ALERTS {
        notices.push(format!(
            "The text shows {} alerts; only the first {MAX_ALERTS} are explained.",
            alerts.len()
        ));
        alerts.truncate(MAX_ALERTS);
    }
    let mut out = Vec::new();
    for alert in alerts {
        let ranked = rank(&pack.index, &pack.runbooks, &alert, MAX_MATCHES);
        let confident_any = ranked.first().is_some_and(|r| r.confident);
        let matches: Vec<Match> = if confident_any {
            ranked
                .iter()
                .filter(|r| r.confident)
                .map(|r| {
                    build_match(
                        &pack.runbooks[r.doc],
                        &alert,
                        log_line,
                        config,
                        user_values,
                        r.score,
                        r.confident,
                        r.reasons.clone(),
                    )
                })
                .collect()
        } else {
            Vec::new()
        };
        let note = matches.is_empty().then(|| {
            let name = alert.name().map(|n| format!(" for `{n}`")).unwrap_or_default();
            format!("No runbook in the pack fits this alert{name}. Follow your team's escalation policy.")
        });
        out.push(AlertGuidance {
            title: alert.title.clone(),
            fields: alert.fields.clone(),
            matches,
            note,
        });
    }
    let matches = out.first().map(|a| a.matches.clone()).unwrap_or_default();
    Explanation {
        alerts: out,
        matches,
        notices,
    }
}

/// Builds the full guidance of one runbook for one alert.
#[allow(clippy::too_many_arguments)]
pub fn build_match(
    rb: &Runbook,
    alert: &Alert,
    log_line: Option<&str>,
    config: &Config,
    user_values: &[(String, String)],
    score: f32,
    confident: bool,
    reasons: Vec<String>,
) -> Match {
    let values = Values {
        user: user_values,
        log: log_line.map(log_line_fields).unwrap_or_default(),
        alert,
    };
    let resolve = |k: &str| values.get(k);
    let choice = choose_scenario(rb, alert, log_line);
    let scenario = choice.as_ref().map(|c| {
        let mut path = Vec::new();
        let mut p = Some(c.section);
        while let Some(i) = p {
            path.insert(0, rb.sections[i].heading.clone());
            p = rb.sections[i].parent;
        }
        Scenario {
            heading: rb.sections[c.section].heading.clone(),
            anchor: rb.sections[c.section].anchor.clone(),
            path,
            reasons: c.reasons.clone(),
            section: c.section,
        }
    });
    let scenario_note = scenario.is_none().then(|| {
        "No scenario of this runbook names the alert's values; read the actions, and if none applies follow the escalation policy.".to_string()
    });
    let hints = Hints::collect(rb);

    // The sections whose commands apply: the scenario and below, else all action sections.
    let sections: Vec<usize> = match &choice {
        Some(c) => {
            // A sub-scenario chosen from a log line shows its own steps; a top-level scenario
            // shows all of its sub-scenarios.
            rb.subtree(c.section)
        }
        None => (0..rb.sections.len())
            .filter(|&i| {
                Some(i) != rb.example_section
                    && !rb.sections[i]
                        .heading
                        .to_ascii_lowercase()
                        .contains("escalat")
            })
            .collect(),
    };
    let mut commands = Vec::new();
    for &i in &sections {
        let s = &rb.sections[i];
        collect_commands(&s.blocks, &s.heading, &resolve, &hints, &mut commands);
    }

    let log_search = log_search(rb, &resolve, &hints, alert, config);
    let escalation = escalation(rb, config);
    let mut links = Vec::new();
    let link_sections: Vec<usize> = match &choice {
        Some(c) => rb.subtree(c.section),
        None => Vec::new(),
    };
    for l in &rb.links {
        let in_scope = link_sections.contains(&l.section)
            || matches!(
                l.kind,
                LinkKind::Issue | LinkKind::Dashboard | LinkKind::Logs
            );
        if !in_scope || matches!(l.kind, LinkKind::Escalation) {
            continue;
        }
        let url = match l.kind {
            LinkKind::Runbook => resolve_relative(rb, &l.url, config),
            _ => is_safe_link(&l.url).then(|| l.url.clone()),
        };
        if let Some(url) = url {
            if links.iter().all(|x: &ActionLink| x.url != url) && links.len() < 12 {
                links.push(ActionLink {
                    text: l.text.trim().to_string(),
                    url,
                    kind: l.kind,
                });
            }
        }
    }
    let mut unresolved: Vec<Unresolved> = Vec::new();
    for u in log_search.unresolved.iter().chain(
        commands
            .iter()
            .flat_map(|c: &CommandSequence| c.steps.iter().flat_map(|s| s.unresolved.iter())),
    ) {
        if let Some(existing) = unresolved
            .iter_mut()
            .find(|x| normalize_key(&x.name) == normalize_key(&u.name))
        {
            if existing.hint.is_none() {
                existing.hint = u.hint.clone();
            }
        } else {
            unresolved.push(u.clone());
        }
    }
    Match {
        runbook: RunbookRef {
            title: rb.title().to_string(),
            link: rb.front.link.clone(),
            url: rb.front.link.as_deref().and_then(|l| config.runbook_url(l)),
            file: rb.file.clone(),
            service: rb.front.service.clone(),
            kind: rb.front.kind.clone(),
        },
        score,
        confident,
        reasons,
        scenario,
        scenario_note,
        log_search,
        escalation,
        links,
        commands,
        unresolved,
    }
}

/// A relative runbook link made absolute against the page's own `link` and the site base.
fn resolve_relative(rb: &Runbook, url: &str, config: &Config) -> Option<String> {
    if is_safe_link(url) {
        return Some(url.to_string());
    }
    let base = config.site_base_url.as_deref()?;
    let page_dir = rb
        .front
        .link
        .as_deref()
        .and_then(|l| l.rsplit_once('/').map(|(d, _)| d.to_string()))
        .unwrap_or_default();
    let mut parts: Vec<&str> = page_dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in url.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    Some(format!(
        "{}/{}",
        base.trim_end_matches('/'),
        parts.join("/")
    ))
}

/// What the runbook says about where placeholder values come from.
pub(crate) struct Hints(Vec<(String, String)>);

impl Hints {
    pub(crate) fn collect(rb: &Runbook) -> Hints {
        let mut out = Vec::new();
        for s in &rb.sections {
            for b in walk_blocks(&s.blocks) {
                if let Block::Para { inlines } = b {
                    hint_from_inlines(inlines, &mut out);
                }
            }
        }
        Hints(out)
    }

    pub(crate) fn get(&self, name: &str) -> Option<String> {
        let key = normalize_key(name);
        self.0
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, h)| h.clone())
    }
}

/// Shortens a hint to something that fits a tooltip.
fn shorten(text: &str, max: usize) -> String {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max {
        return t;
    }
    let mut s: String = t.chars().take(max).collect();
    if let Some(p) = s.rfind(' ') {
        s.truncate(p);
    }
    s.push('…');
    s
}

/// Words that say where a value comes from.
const SOURCE_WORDS: &[&str] = &[
    "from",
    "found in",
    "out of",
    "taken",
    "take ",
    "taking",
    "copy",
    "in the alert",
    "with the",
    "with a ",
    "replace",
    "listed in",
    "shown in",
];

fn has_source_words(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    SOURCE_WORDS.iter().any(|w| lower.contains(w)) && !lower.trim_start().starts_with("as above")
}

/// Trims the punctuation and connectives a sentence fragment keeps at its ends.
fn tidy(fragment: &str) -> String {
    let t = fragment
        .trim()
        .trim_start_matches([',', ';', ':', '-', '–', '—', ')'])
        .trim();
    let mut t = t.trim_end_matches([',', ';', ':']).trim().to_string();
    for tail in [" and run", " then run", " and", " run", " then"] {
        if t.to_ascii_lowercase().ends_with(tail) {
            t.truncate(t.len() - tail.len());
        }
    }
    t.trim().to_string()
}

/// Hints from list items and paragraphs: the sentence around a code span holding `<name>`
/// that says where its value comes from (after the command, else before it).
fn hint_from_inlines(inlines: &[Inline], out: &mut Vec<(String, String)>) {
    for (i, inl) in inlines.iter().enumerate() {
        let Inline::Code(code) = inl else { continue };
        let occ = placeholder::find(code);
        if occ.is_empty() {
            continue;
        }
        let after_all = inline_text(&inlines[i + 1..]);
        let after = tidy(after_all.split(". ").next().unwrap_or(""));
        let before_all = inline_text(&inlines[..i]);
        let before = tidy(before_all.rsplit(". ").next().unwrap_or(""));
        for o in occ {
            let key = normalize_key(&o.name);
            // Text before the command only counts when it talks about this value
            // ("Pick a controller ID out of …" for `<controllerid>`).
            let names_it = |t: &str| {
                let t = normalize_key(t);
                crate::text::words(&o.name)
                    .iter()
                    .filter(|w| w.len() >= 2 && !w.chars().all(|c| c.is_ascii_digit()))
                    .any(|w| t.contains(w.as_str()))
            };
            let hint = if after.len() > 12 && has_source_words(&after) {
                Some(&after)
            } else if before.len() > 12 && has_source_words(&before) && names_it(&before) {
                Some(&before)
            } else {
                None
            };
            if let Some(hint) = hint {
                if !out.iter().any(|(k, _)| *k == key) {
                    out.push((key, shorten(hint, 240)));
                }
            }
        }
    }
}

/// True when a code span or line is a command someone would run in a shell.
pub fn is_command(code: &str) -> bool {
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
    for line in text.lines() {
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
    let unresolved = filled
        .unresolved
        .iter()
        .map(|n| Unresolved {
            name: n.clone(),
            hint: hints.get(n),
        })
        .collect();
    let warnings = value_warnings(&filled.filled);
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

fn collect_commands(
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
                    let steps = cmds
                        .iter()
                        .map(|c| make_step(c, &text, resolve, hints))
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
                    let description = item_text(item);
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

/// True when a code span reads like a log search (`callbackName:<operation> reasonCode:<reason_code>`).
fn is_log_query(code: &str) -> bool {
    let c = code.trim();
    if c.is_empty()
        || c.len() > 300
        || c.contains("://")
        || is_command(c)
        || c.contains('(')
        || c.contains('{')
        || c.contains("=~")
    {
        return false;
    }
    c.split_whitespace().any(|t| {
        let t = t.trim_start_matches('"');
        match t.split_once(':') {
            Some((k, v)) => {
                let k = k.trim_matches('"');
                !k.is_empty()
                    && k.chars()
                        .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-'))
                    && !v.is_empty()
            }
            None => false,
        }
    })
}

fn mentions_logs(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "logdna",
        "log analysis",
        "search",
        "query",
        "logs",
        "mezmo",
        "cloud logs",
    ]
    .iter()
    .any(|k| t.contains(k))
}

/// The first log search of `blocks`: a code span that reads like one, in a paragraph that (or
/// whose section heading, `context`) talks about logs.
fn find_query(blocks: &[Block], context: &str) -> Option<String> {
    walk_blocks(blocks).find_map(|b| {
        let Block::Para { inlines } = b else {
            return None;
        };
        if !mentions_logs(&inline_text(inlines)) && !mentions_logs(context) {
            return None;
        }
        inlines.iter().find_map(|i| match i {
            Inline::Code(c) if is_log_query(c) => Some(c.trim().to_string()),
            _ => None,
        })
    })
}

fn log_search(
    rb: &Runbook,
    resolve: &dyn Fn(&str) -> Option<String>,
    hints: &Hints,
    alert: &Alert,
    config: &Config,
) -> LogSearch {
    let mut out = LogSearch::default();
    for (i, s) in rb.sections.iter().enumerate() {
        if Some(i) == rb.example_section {
            continue;
        }
        if let Some(q) = find_query(&s.blocks, &s.heading) {
            let filled = fill(&q, Syntax::LogQuery, resolve);
            out.unresolved = filled
                .unresolved
                .iter()
                .map(|n| Unresolved {
                    name: n.clone(),
                    hint: hints.get(n),
                })
                .collect();
            if out.unresolved.is_empty() {
                out.url = config.log_search_url(alert.region(), &filled.text);
            }
            out.query = Some(filled.text);
            out.template = Some(q);
            break;
        }
    }
    out.dashboard = rb
        .links
        .iter()
        .find(|l| l.kind == LinkKind::Dashboard && is_safe_link(&l.url))
        .map(|l| l.url.clone());
    out
}

fn escalation(rb: &Runbook, config: &Config) -> Escalation {
    let section = rb.escalation_section();
    let pick = rb
        .links
        .iter()
        .find(|l| l.kind == LinkKind::Escalation && Some(l.section) == section)
        .or_else(|| rb.links.iter().find(|l| l.kind == LinkKind::Escalation))
        .or_else(|| {
            section.and_then(|s| {
                rb.links.iter().find(|l| {
                    l.section == s && (is_safe_link(&l.url) || l.kind == LinkKind::Runbook)
                })
            })
        });
    let url = pick.and_then(|l| {
        if is_safe_link(&l.url) {
            Some(l.url.clone())
        } else {
            resolve_relative(rb, &l.url, config)
        }
    });
    let text = section
        .map(|s| shorten(&blocks_text(&rb.sections[s].blocks), 400))
        .filter(|t| !t.is_empty());
    Escalation {
        url,
        name: pick
            .map(|l| l.text.trim().to_string())
            .filter(|t| !t.is_empty() && !t.contains("{{")),
        text,
    }
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
    fn log_queries_are_recognised() {
        assert!(is_log_query(
            "callbackName:<operation> reasonCode:<reason_code>"
        ));
        assert!(is_log_query("app:compute-identity error"));
        assert!(is_log_query("\"statusCode\":\"555\""));
        assert!(!is_log_query("https://x"));
        assert!(!is_log_query("sum(rate(x{a=\"b\"}[5m]))"));
        assert!(!is_log_query("CLUSTER-SQUAD"));
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
