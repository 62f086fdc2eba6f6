//! Runbook parsing: a Jekyll markdown page becomes a [`Runbook`]: front matter, the heading
//! tree of [`Section`]s with safe blocks, links, and the alerts of its "Example Alert" section.
//! Real pages carry kramdown attribute lines, Liquid tags, HTML and Windows line ends; all are
//! tolerated, and what an author should fix is kept as a [`Problem`] for `lint`.

mod front_matter;
#[cfg(feature = "markdown")]
mod jekyll;
pub mod markdown;
mod walk;

pub use front_matter::{FrontMatter, MAX_CHOSEN_FOR};
pub use markdown::{blocks_text, code_spans, inline_text, own_inlines, Block, Inline, Section};
pub use walk::{walk_blocks, walk_inlines, BlockWalk, InlineWalk};

use serde::{Deserialize, Serialize};

#[cfg(feature = "markdown")]
use crate::alert::extract_alerts;
use crate::alert::Alert;
#[cfg(feature = "markdown")]
use jekyll::strip_jekyll;

/// How bad a [`Problem`] is: errors fail `lint`, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// How problems name it (`error`, `warning`), as in its JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Something a runbook author can fix, with where and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    /// 1-based line of the page.
    pub line: usize,
    pub message: String,
    pub fix: String,
}

impl Problem {
    pub fn error(line: usize, message: &str, fix: &str) -> Self {
        Problem {
            severity: Severity::Error,
            line,
            message: message.into(),
            fix: fix.into(),
        }
    }
    pub fn warning(line: usize, message: &str, fix: &str) -> Self {
        Problem {
            severity: Severity::Warning,
            line,
            message: message.into(),
            fix: fix.into(),
        }
    }
}

/// What a link is for, as far as the on-call engineer is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A PagerDuty escalation policy (`…pagerduty.com/escalation_policies#PQORC98`).
    Escalation,
    /// A "new issue" page or issue template.
    Issue,
    /// A dashboard (the Alchemy dashboard, Grafana, Sysdig).
    Dashboard,
    /// A log tool (LogDNA, IBM Log Analysis, Cloud Logs).
    Logs,
    /// Another runbook page of the same site (relative link).
    Runbook,
    Other,
}

/// A link of the page with its text and the section it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub text: String,
    pub url: String,
    pub kind: LinkKind,
    pub section: usize,
}

/// A parsed runbook page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Runbook {
    /// Path relative to the pack's root folder, with `/` separators.
    pub file: String,
    pub front: FrontMatter,
    pub sections: Vec<Section>,
    pub links: Vec<Link>,
    /// Index of the "Example Alert(s)" section, when the page has one.
    #[serde(default)]
    pub example_section: Option<usize>,
    /// The alerts of the "Example Alert(s)" section.
    #[serde(default)]
    pub example_alerts: Vec<Alert>,
    /// The example section's text as the page gives it (code and list markers removed).
    #[serde(default)]
    pub example_text: String,
    #[serde(default)]
    pub problems: Vec<Problem>,
}

impl Runbook {
    /// The title people know the page by: `title`, else `runbook-name`, else the first
    /// heading, else the file name.
    pub fn title(&self) -> &str {
        self.front
            .title
            .as_deref()
            .or(self.front.runbook_name.as_deref())
            .or_else(|| {
                self.sections
                    .iter()
                    .find(|s| s.level > 0)
                    .map(|s| s.heading.as_str())
            })
            .unwrap_or(&self.file)
    }

    /// True when the page says it is written for an alert (`type: Alert`).
    pub fn is_alert(&self) -> bool {
        self.front.is_alert()
    }

    /// Indices of `section` and all sections nested below it.
    pub fn subtree(&self, section: usize) -> Vec<usize> {
        let mut out = vec![section];
        for i in section + 1..self.sections.len() {
            let mut p = self.sections[i].parent;
            let mut inside = false;
            while let Some(pi) = p {
                if pi == section {
                    inside = true;
                    break;
                }
                p = self.sections[pi].parent;
            }
            if inside {
                out.push(i);
            } else if self.sections[i].level <= self.sections[section].level
                && self.sections[i].level > 0
            {
                break;
            }
        }
        out
    }

    /// The section that tells whom to escalate to ("Escalation Policy", "Escalation").
    pub fn escalation_section(&self) -> Option<usize> {
        self.sections
            .iter()
            .position(|s| s.heading.to_ascii_lowercase().contains("escalat"))
    }
}

#[cfg(feature = "markdown")]
/// True for a heading that introduces the page's example alert(s).
fn is_example_heading(heading: &str) -> bool {
    let h = heading.to_ascii_lowercase();
    h.contains("example")
        && (h.contains("alert")
            || h.contains("title")
            || h.contains("page")
            || h.contains("incident"))
        && !h.contains("log")
}

#[cfg(feature = "markdown")]
fn link_kind(url: &str, text: &str, section_heading: &str) -> LinkKind {
    let u = url.to_ascii_lowercase();
    let t = text.to_ascii_lowercase();
    if u.contains("pagerduty.com/escalation_policies")
        || (u.contains("pagerduty.com") && section_heading.to_ascii_lowercase().contains("escalat"))
    {
        LinkKind::Escalation
    } else if u.contains("/issues/new") || u.contains("/issues/choose") {
        LinkKind::Issue
    } else if u.contains("logging.cloud.ibm.com")
        || u.contains("logdna")
        || u.contains("mezmo.com")
        || u.contains("/observability/logging")
    {
        LinkKind::Logs
    } else if u.contains("dashboard")
        || u.contains("grafana")
        || u.contains("sysdig")
        || t.contains("dashboard")
    {
        LinkKind::Dashboard
    } else if !u.contains("://")
        && (u.ends_with(".html") || u.contains(".html#") || u.ends_with(".md"))
    {
        LinkKind::Runbook
    } else {
        LinkKind::Other
    }
}

#[cfg(feature = "markdown")]
fn collect_links(blocks: &[Block], section: usize, heading: &str, out: &mut Vec<Link>) {
    for inlines in walk_blocks(blocks).flat_map(own_inlines) {
        for i in walk_inlines(inlines) {
            let Inline::Link { url, children } = i else {
                continue;
            };
            let text = inline_text(children);
            if !url.is_empty() && !url.starts_with('#') {
                out.push(Link {
                    kind: link_kind(url, &text, heading),
                    text,
                    url: url.clone(),
                    section,
                });
            }
        }
    }
}

#[cfg(feature = "markdown")]
/// The example section as alert text: list markers kept (the alert extractor handles them),
/// fence lines and backticks removed.
fn example_source(sections: &[Section], indices: &[usize]) -> String {
    let mut out = String::new();
    for &i in indices {
        if i != indices[0] {
            out.push_str(&sections[i].heading);
            out.push('\n');
        }
        for b in walk_blocks(&sections[i].blocks) {
            match b {
                Block::Para { inlines } | Block::Heading { inlines } => {
                    push_example_inlines(inlines, &mut out)
                }
                Block::Code { text, .. } => {
                    out.push_str(text);
                    out.push('\n');
                }
                Block::Table { rows } => {
                    for row in rows {
                        let cells: Vec<String> = row
                            .iter()
                            .map(|c| inline_text(c).trim().to_string())
                            .collect();
                        out.push_str(&cells.join("\t"));
                        out.push('\n');
                    }
                }
                Block::List { .. } | Block::Quote { .. } => {}
            }
        }
    }
    out
}

#[cfg(feature = "markdown")]
/// A paragraph of the example section as lines: each code span on its own line, so a PD title
/// inside prose stays one token.
fn push_example_inlines(inlines: &[Inline], out: &mut String) {
    let mut line = String::new();
    for i in inlines {
        match i {
            Inline::Code(c) => {
                if !line.trim().is_empty() {
                    out.push_str(line.trim());
                    out.push('\n');
                }
                line.clear();
                out.push_str(c.trim());
                out.push('\n');
            }
            Inline::Break => {
                out.push_str(line.trim());
                out.push('\n');
                line.clear();
            }
            other => line.push_str(&inline_text(std::slice::from_ref(other))),
        }
    }
    if !line.trim().is_empty() {
        out.push_str(line.trim());
        out.push('\n');
    }
}

#[cfg(feature = "markdown")]
/// Parses one page. `file` is its path relative to the pack root. Never fails: whatever is
/// wrong with the page becomes a [`Problem`].
pub fn parse_runbook(file: &str, page: &str) -> Runbook {
    let page = page.replace("\r\n", "\n").replace('\r', "\n");
    let page = page.strip_prefix('\u{feff}').unwrap_or(&page);
    let mut problems = Vec::new();
    let (fm_text, body_line, body) = front_matter::split(page);
    let front = match fm_text {
        Some(t) => front_matter::parse(t, 2, &mut problems),
        None => {
            if page.starts_with("---\n") {
                problems.push(Problem::error(
                    1,
                    "front matter opens with `---` but never closes",
                    "add a `---` line after the last front matter field",
                ));
            } else {
                problems.push(Problem::warning(
                    1,
                    "page has no front matter",
                    "start the page with `---`, `title:`, `type:` and `---` lines",
                ));
            }
            FrontMatter::default()
        }
    };
    let body = strip_jekyll(body);
    let sections = markdown::parse_sections(&body, body_line, &mut problems);
    let mut links = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        collect_links(&s.blocks, i, &s.heading, &mut links);
    }
    let example_section = sections.iter().position(|s| is_example_heading(&s.heading));
    let mut rb = Runbook {
        file: file.to_string(),
        front,
        sections,
        links,
        example_section,
        example_alerts: Vec::new(),
        example_text: String::new(),
        problems,
    };
    // Pages that show several examples under separate headings ("Example alerts for …")
    // contribute all of them.
    let mut example_indices: Vec<usize> = Vec::new();
    for (i, s) in rb.sections.iter().enumerate() {
        if is_example_heading(&s.heading) && !example_indices.contains(&i) {
            example_indices.extend(rb.subtree(i));
        }
    }
    if !example_indices.is_empty() {
        rb.example_text = example_source(&rb.sections, &example_indices);
        rb.example_alerts = extract_alerts(&rb.example_text)
            .into_iter()
            .filter(|a| a.title.is_some() || !a.fields.is_empty() || !a.text.trim().is_empty())
            .collect();
    }
    rb
}

#[cfg(all(test, feature = "markdown"))]
mod tests {
    use super::*;

    #[test]
    fn example_alerts_are_parsed() {
        let page = "---\ntitle: T\ntype: Alert\n---\n## Example Alert\n\n- `#1 bluemix.containers-kubernetes.prod-dal10-carrier1.foo_bar.us-south`\n\n```text\n- alert = Foo\n- operation = Op\n```\n\n## Escalation Policy\n[x](https://ibm.pagerduty.com/escalation_policies#PABC123)\n";
        let rb = parse_runbook("a.md", page);
        assert_eq!(rb.example_alerts.len(), 1, "{:?}", rb.example_alerts);
        assert_eq!(rb.example_alerts[0].get("alert"), Some("Foo"));
        assert_eq!(rb.example_alerts[0].get("alert_situation"), Some("foo_bar"));
        assert_eq!(rb.links[0].kind, LinkKind::Escalation);
        assert!(rb.problems.is_empty(), "{:?}", rb.problems);
    }
}
