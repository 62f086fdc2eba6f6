//! The `runbook-lens` command line: `explain` an alert, `pack` a runbook folder for the
//! extension, `lint` runbooks in authors' CI.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::Read;
    use std::path::PathBuf;
    use std::process::ExitCode;

    use clap::{Parser, Subcommand};
    use runbook_lens::config::Config;
    use runbook_lens::guidance::{explain_at, Explanation, Match, TimeContext};
    use runbook_lens::lint::{lint_choices, lint_runbook, Finding};
    use runbook_lens::pack::{read_folder, Pack};
    use runbook_lens::page::{opened_time, page_text, read_snapshot, Snapshot};
    use runbook_lens::runbook::{parse_runbook, Severity};

    #[derive(Parser)]
    #[command(
        name = "runbook-lens",
        version,
        about = "From a PagerDuty alert to the runbook, scenario, log search and filled commands"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Reads alert text (a file, or stdin) and prints the guidance.
        Explain {
            /// Runbook folder (read recursively) or pack file; default: the built-in example pack.
            #[arg(long)]
            runbooks: Option<PathBuf>,
            /// Print JSON (a stable interface for bots and tests).
            #[arg(long)]
            json: bool,
            /// A log line that picks the sub-scenario and fills placeholders (JSON and
            /// `key=value` lines, and any line through the `extract` rules); repeatable.
            #[arg(long)]
            log_line: Vec<String>,
            /// Settings JSON: `site_base_url`, `log_search_urls` (region → URL with `{query}`,
            /// optionally `{from}`/`{to}`), `log_window_minutes`, `extract` (regular
            /// expressions whose named groups fill placeholders).
            #[arg(long)]
            config: Option<PathBuf>,
            /// A value for a placeholder the alert cannot fill, as `name=value` (repeatable).
            #[arg(long = "set", value_name = "NAME=VALUE")]
            set: Vec<String>,
            /// The input is a snapshot of an incident page (as the extension's content script
            /// writes it; `scripts/save-page-snapshots.mjs` saves them): read it as the panel
            /// does, with the page reader deciding the incident's title and alerts.
            #[arg(long)]
            snapshot: bool,
            /// Alert text file; `-` or nothing reads stdin.
            file: Option<PathBuf>,
        },
        /// Writes a pack file the extension can load (gzip of the compact version 4, `.rlpack`).
        Pack {
            /// Runbook folder.
            folder: PathBuf,
            /// Output file.
            #[arg(short, long)]
            output: PathBuf,
            /// Write the JSON pack of version 3 instead, for tools that read it.
            #[arg(long)]
            json: bool,
        },
        /// Reports problems runbook authors can fix; exits 1 when there are errors.
        Lint {
            /// Folders (read recursively) and files.
            #[arg(required = true)]
            paths: Vec<PathBuf>,
            /// Machine-readable output.
            #[arg(long)]
            json: bool,
            /// Treat warnings as errors.
            #[arg(long)]
            deny_warnings: bool,
            /// Settings file whose `choices` (alert -> runbook mappings) are checked against
            /// the runbooks' Example Alerts.
            #[arg(long)]
            config: Option<PathBuf>,
        },
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let result = match cli.command {
            Command::Explain {
                runbooks,
                json,
                log_line,
                config,
                set,
                snapshot,
                file,
            } => run_explain(runbooks, json, log_line, config, set, snapshot, file),
            Command::Pack {
                folder,
                output,
                json,
            } => run_pack(folder, output, json),
            Command::Lint {
                paths,
                json,
                deny_warnings,
                config,
            } => run_lint(paths, json, deny_warnings, config),
        };
        match result {
            Ok(code) => code,
            Err(message) => {
                eprintln!("runbook-lens: {message}");
                ExitCode::from(2)
            }
        }
    }

    fn run_explain(
        runbooks: Option<PathBuf>,
        json: bool,
        log_line: Vec<String>,
        config: Option<PathBuf>,
        set: Vec<String>,
        snapshot: bool,
        file: Option<PathBuf>,
    ) -> Result<ExitCode, String> {
        let pack = match &runbooks {
            Some(p) => Pack::load(p).map_err(|e| e.to_string())?,
            None => runbook_lens::builtin::pack(),
        };
        let config = match &config {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
                Config::from_json(&text).map_err(|e| format!("{}: {e}", p.display()))?
            }
            None => Config::default(),
        };
        let mut values = Vec::new();
        for s in &set {
            let (k, v) = s.split_once('=').ok_or_else(|| {
                format!("--set `{s}`: write it as name=value, e.g. --set account=1234abcd")
            })?;
            values.push((k.trim().trim_matches(['<', '>']).to_string(), v.to_string()));
        }
        let text = match file.as_deref() {
            Some(p) if p.as_os_str() != "-" => {
                let bytes =
                    std::fs::read(p).map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
                String::from_utf8_lossy(&bytes).into_owned()
            }
            _ => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(|e| format!("stdin: {e}"))?;
                String::from_utf8_lossy(&buf).into_owned()
            }
        };
        let time = TimeContext {
            page: if snapshot {
                opened_time(&Snapshot::from_text(&text)?)
            } else {
                None
            },
            now: now_ms(),
        };
        let text = if snapshot {
            page_text_of_snapshot(&text)?
        } else {
            text
        };
        // Several --log-line are several pasted lines, as in the panel's log box.
        let log = (!log_line.is_empty()).then(|| log_line.join("\n"));
        let explanation = explain_at(&pack, &text, log.as_deref(), &config, &values, &time);
        if json {
            println!(
                "{}",
                serde_json::to_string_pretty(&explanation).map_err(|e| e.to_string())?
            );
        } else {
            print!("{}", render(&explanation));
        }
        Ok(ExitCode::SUCCESS)
    }

    /// Where the alert fires, and what its details would fill when only its title was read.
    fn render_place(a: &runbook_lens::guidance::AlertGuidance, out: &mut String) {
        if let Some(p) = &a.place {
            out.push_str(&format!("Where:      {}\n", p.label()));
        }
        if let Some(t) = &a.title_only {
            let names: Vec<String> = t.missing.iter().map(|n| format!("<{n}>")).collect();
            out.push_str("Details:    only the alert's title was read");
            if !names.is_empty() {
                out.push_str(&format!("; its details would fill {}", names.join(", ")));
            }
            out.push('\n');
        }
    }

    /// Now, in ms since 1970: the log window when no alert time is known.
    fn now_ms() -> Option<i64> {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        i64::try_from(d.as_millis()).ok()
    }

    /// The text a page snapshot shows, read as the panel reads it: by the page reader when it
    /// knows the layout, else the page's whole text.
    fn page_text_of_snapshot(snapshot: &str) -> Result<String, String> {
        let snap = Snapshot::from_text(snapshot)?;
        Ok(match read_snapshot(&snap) {
            Some(read) => read.text(),
            None => page_text(&snap),
        })
    }

    /// The explanation for a person at a terminal.
    fn render(e: &Explanation) -> String {
        let mut out = String::new();
        for n in &e.notices {
            out.push_str(&format!("note: {n}\n"));
        }
        for (i, a) in e.alerts.iter().enumerate() {
            if e.alerts.len() > 1 {
                out.push_str(&format!("━━ Alert {} of {} ━━\n", i + 1, e.alerts.len()));
            }
            if let Some(t) = &a.title {
                out.push_str(&format!("Alert:      {t}\n"));
            }
            render_place(a, &mut out);
            let shown: Vec<String> = a
                .fields
                .iter()
                .filter(|f| !f.from_title)
                .take(8)
                .map(|f| format!("{}={}", f.key, f.value))
                .collect();
            if !shown.is_empty() {
                out.push_str(&format!(
                    "Fields:     {}{}\n",
                    shown.join("  "),
                    if a.fields.len() > 8 { "  …" } else { "" }
                ));
            }
            match a.matches.first() {
                None => out.push_str(&format!(
                    "\n{}\n\n",
                    a.note.as_deref().unwrap_or("No runbook fits this alert.")
                )),
                Some(m) => {
                    render_match(m, &mut out);
                    if a.matches.len() > 1 {
                        out.push_str("\nOther candidates:\n");
                        for (j, o) in a.matches.iter().enumerate().skip(1) {
                            out.push_str(&format!(
                                "  {}. {}  ({}, score {:.1})\n",
                                j + 1,
                                o.runbook.title,
                                o.runbook.file,
                                o.score
                            ));
                        }
                    }
                    out.push('\n');
                }
            }
        }
        out
    }

    fn render_match(m: &Match, out: &mut String) {
        out.push_str(&format!(
            "\nRunbook:    {}  ({})\n",
            m.runbook.title, m.runbook.file
        ));
        if let Some(u) = m.runbook.url.as_ref().or(m.runbook.link.as_ref()) {
            out.push_str(&format!("            {u}\n"));
        }
        for r in &m.reasons {
            out.push_str(&format!("  because   {r}\n"));
        }
        match &m.scenario {
            Some(s) => {
                out.push_str(&format!("Scenario:   {}\n", s.path.join(" › ")));
                for r in &s.reasons {
                    out.push_str(&format!("  because   {r}\n"));
                }
            }
            None => out.push_str(&format!(
                "Scenario:   none — {}\n",
                m.scenario_note.as_deref().unwrap_or("")
            )),
        }
        if let Some(q) = &m.log_search.query {
            out.push_str(&format!("Log search: {q}\n"));
            if let Some(u) = &m.log_search.url {
                out.push_str(&format!("            {u}\n"));
            }
            if let Some(w) = &m.log_search.window {
                out.push_str(&format!("            {}\n", w.note));
            }
        }
        if let Some(d) = &m.log_search.dashboard {
            out.push_str(&format!("Dashboard:  {d}\n"));
        }
        match (&m.escalation.url, &m.escalation.name) {
            (Some(u), Some(n)) => out.push_str(&format!("Escalation: {n}  {u}\n")),
            (Some(u), None) => out.push_str(&format!("Escalation: {u}\n")),
            _ => {
                if let Some(t) = &m.escalation.text {
                    out.push_str(&format!("Escalation: {t}\n"));
                }
            }
        }
        for l in &m.links {
            out.push_str(&format!("Link:       {}  {}\n", l.text, l.url));
        }
        if !m.commands.is_empty() {
            out.push_str("Commands:\n");
            for seq in &m.commands {
                let intro = seq
                    .intro
                    .as_deref()
                    .map(|i| format!(" — {i}"))
                    .unwrap_or_default();
                out.push_str(&format!("  [{}]{}\n", seq.section, intro));
                for (k, step) in seq.steps.iter().enumerate() {
                    out.push_str(&format!(
                        "    {}. {}\n",
                        k + 1,
                        step.text.replace('\n', "\n       ")
                    ));
                    // What a filled value makes risky, invisible characters shown as ⟨U+…⟩.
                    for w in &step.warnings {
                        out.push_str(&format!("       ⚠ <{}> {}\n", w.name, w.problem));
                    }
                }
            }
        }
        for v in &m.rule_values {
            out.push_str(&format!(
                "Read:       <{}> = {}  from rule `{}` ({})\n",
                v.name, v.value, v.rule, v.source
            ));
        }
        if !m.unresolved.is_empty() {
            out.push_str("Needs values:\n");
            for u in &m.unresolved {
                match &u.hint {
                    Some(h) => out.push_str(&format!("  <{}>  {}\n", u.name, h)),
                    None => out.push_str(&format!("  <{}>\n", u.name)),
                }
            }
            out.push_str("  (give them with --set name=value)\n");
        }
    }

    fn run_pack(folder: PathBuf, output: PathBuf, as_json: bool) -> Result<ExitCode, String> {
        if !folder.is_dir() {
            return Err(format!(
                "{}: not a folder; give the folder that holds the runbook pages",
                folder.display()
            ));
        }
        let pack = Pack::load(&folder).map_err(|e| e.to_string())?;
        let bytes = match as_json {
            true => pack.to_json().into_bytes(),
            false => runbook_lens::pack::gzip(&pack.to_bytes()),
        };
        // What `pack` writes must load: a folder past the pack limits is refused here, with the
        // reason, rather than written and refused by every panel later.
        Pack::from_bytes(&output.display().to_string(), &bytes).map_err(|e| e.to_string())?;
        // Write to a temporary file first so a failed write never leaves half a pack behind.
        let tmp = output.with_extension("tmp");
        std::fs::write(&tmp, &bytes)
            .map_err(|e| format!("{}: cannot write: {e}", tmp.display()))?;
        std::fs::rename(&tmp, &output)
            .map_err(|e| format!("{}: cannot write: {e}", output.display()))?;
        let problems: usize = (0..pack.len())
            .filter_map(|doc| pack.page(doc))
            .map(|r| r.problems.len())
            .sum();
        eprintln!(
            "wrote {} ({} pages, {} KB; {} parse problems — run `runbook-lens lint` to see them)",
            output.display(),
            pack.len(),
            bytes.len() / 1024,
            problems
        );
        Ok(ExitCode::SUCCESS)
    }

    fn run_lint(
        paths: Vec<PathBuf>,
        json: bool,
        deny_warnings: bool,
        config: Option<PathBuf>,
    ) -> Result<ExitCode, String> {
        let choices = match &config {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
                Config::from_json(&text)
                    .map_err(|e| format!("{}: {e}", p.display()))?
                    .choices
            }
            None => Vec::new(),
        };
        let mut parsed = Vec::new();
        let mut findings: Vec<Finding> = Vec::new();
        let mut pages = 0;
        for p in &paths {
            if p.is_dir() {
                let folder = read_folder(p).map_err(|e| e.to_string())?;
                for (rel, text) in folder {
                    pages += 1;
                    let shown = p.join(&rel).display().to_string();
                    let rb = parse_runbook(&shown, &text);
                    findings.extend(lint_runbook(&rb));
                    if !choices.is_empty() {
                        parsed.push(rb);
                    }
                }
            } else {
                let bytes =
                    std::fs::read(p).map_err(|e| format!("{}: cannot read: {e}", p.display()))?;
                pages += 1;
                let rb = parse_runbook(&p.display().to_string(), &String::from_utf8_lossy(&bytes));
                findings.extend(lint_runbook(&rb));
                if !choices.is_empty() {
                    parsed.push(rb);
                }
            }
        }
        findings.extend(lint_choices(&parsed, &choices));
        let errors = findings
            .iter()
            .filter(|f| f.problem.severity == Severity::Error)
            .count();
        let warnings = findings.len() - errors;
        if json {
            let doc = serde_json::json!({ "pages": pages, "errors": errors, "warnings": warnings, "problems": findings });
            println!(
                "{}",
                serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
            );
        } else {
            for f in &findings {
                println!(
                    "{}:{}: {}: {}\n    fix: {}",
                    f.file,
                    f.problem.line,
                    f.problem.severity.as_str(),
                    f.problem.message,
                    f.problem.fix
                );
            }
            eprintln!("{pages} pages: {errors} errors, {warnings} warnings");
        }
        let fail = errors > 0 || (deny_warnings && warnings > 0);
        Ok(if fail {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        })
    }
}
