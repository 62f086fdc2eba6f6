//! `lint`: problems a runbook author can fix, found by the same parser the matcher uses, so
//! a page that lints clean is a page Runbook Lens reads well.

use serde::Serialize;

use crate::guidance::{is_command, Hints};
use crate::placeholder;
use crate::quote::is_safe_link;
use crate::rules;
use crate::runbook::{code_spans, walk_blocks, Block, LinkKind, Problem, Runbook, Severity};
use crate::text::normalize_key;

/// A problem of one file.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub file: String,
    #[serde(flatten)]
    pub problem: Problem,
}

/// Every code template of blocks (spans and code block lines) with the line it is near.
fn templates(blocks: &[Block], line: usize, out: &mut Vec<(String, usize)>) {
    for b in walk_blocks(blocks) {
        if let Block::Code { text, line, .. } = b {
            for (i, l) in text.lines().enumerate() {
                out.push((l.to_string(), line + i));
            }
        }
    }
    for c in code_spans(blocks) {
        out.push((c, line));
    }
}

/// Lints one parsed page.
pub fn lint_runbook(rb: &Runbook) -> Vec<Finding> {
    let mut problems: Vec<Problem> = rb.problems.clone();
    if rb.is_alert() {
        alert_page_problems(rb, &mut problems);
    }
    link_problems(rb, &mut problems);
    // Only alert pages are filled from alerts; on other pages the reader supplies values.
    if rb.is_alert() {
        placeholder_problems(rb, &mut problems);
    }
    // The page's own `chosen_for:` names are mappings too: the same hint as for the settings'.
    let shipped: Vec<crate::guidance::Choice> = rb
        .front
        .chosen_for
        .iter()
        .map(|a| crate::guidance::Choice {
            alert: a.clone(),
            runbook: rb.file.clone(),
        })
        .collect();
    problems.extend(
        lint_choices(std::slice::from_ref(rb), &shipped)
            .into_iter()
            .map(|f| f.problem),
    );
    problems.sort_by_key(|p| (p.line, p.severity == Severity::Warning));
    problems
        .into_iter()
        .map(|problem| Finding {
            file: rb.file.clone(),
            problem,
        })
        .collect()
}

/// What an alert page needs to be matched and acted on: an Example Alert that shows fields or
/// a PD title, and a PagerDuty escalation link.
fn alert_page_problems(rb: &Runbook, problems: &mut Vec<Problem>) {
    match rb.example_section {
        None => problems.push(Problem::warning(1, "alert runbook has no `## Example Alert` section", "add an `## Example Alert` section with the PD title and the alert body, so the page can be matched to incidents")),
        Some(s) => {
            if rb.example_alerts.iter().all(|a| a.fields.is_empty() && a.title.is_none()) {
                problems.push(Problem::warning(rb.sections[s].line, "the Example Alert shows no alert fields or PD title", "paste a real alert: its PD title and body lines (`- key = value`), with IDs replaced"));
            }
        }
    }
    let escalation_ok = rb
        .links
        .iter()
        .any(|l| l.kind == LinkKind::Escalation && is_safe_link(&l.url));
    if !escalation_ok {
        let line = rb.escalation_section().map_or(1, |s| rb.sections[s].line);
        let liquid = rb.escalation_section().is_some_and(|s| {
            rb.links
                .iter()
                .any(|l| l.section == s && l.url.contains("{{"))
        });
        let message = if liquid {
            "the escalation link is a Liquid expression, which only the site build can resolve"
        } else {
            "alert runbook has no PagerDuty escalation policy link"
        };
        problems.push(Problem::warning(line, message, "link the escalation policy directly, e.g. `[team](https://<account>.pagerduty.com/escalation_policies#PXXXXXX)`, in an `## Escalation Policy` section"));
    }
}

/// Links that would run script or carry data instead of opening a page.
fn link_problems(rb: &Runbook, problems: &mut Vec<Problem>) {
    for l in &rb.links {
        let lower = l.url.trim().to_ascii_lowercase();
        if lower.starts_with("javascript:")
            || lower.starts_with("data:")
            || lower.starts_with("vbscript:")
        {
            let line = rb.sections[l.section].line;
            problems.push(Problem::error(
                line,
                &format!("link `{}` uses a script or data URL", l.text),
                "link to an https:// page instead",
            ));
        }
    }
}

/// Placeholders in commands that neither an Example Alert field, nor a group of the page's
/// `extract` rules, nor the page's own words explain, each once; and `extract` rules whose
/// groups fill no placeholder of the page.
fn placeholder_problems(rb: &Runbook, problems: &mut Vec<Problem>) {
    let hints = Hints::collect(rb);
    let rule_keys: Vec<String> = rb
        .front
        .extract
        .iter()
        .flat_map(|p| rules::group_names(p))
        .collect();
    // Filled the way the engine fills them: a field of the same normalised name, or the last
    // part of a flattened JSON key (`labels.region` fills `<region>`).
    let filled_by_example = |name: &str| rb.example_alerts.iter().any(|a| a.lookup(name).is_some());
    let mut seen: Vec<String> = Vec::new();
    let mut used: Vec<String> = Vec::new();
    for (i, s) in rb.sections.iter().enumerate() {
        if Some(i) == rb.example_section {
            continue;
        }
        let mut ts = Vec::new();
        templates(&s.blocks, s.line, &mut ts);
        for (t, line) in ts {
            if !is_command(&t) {
                continue;
            }
            for o in placeholder::find(&t) {
                let key = normalize_key(&o.name);
                used.push(key.clone());
                if seen.contains(&key)
                    || rule_keys.contains(&key)
                    || filled_by_example(&o.name)
                    || hints.get(&o.name).is_some()
                {
                    continue;
                }
                seen.push(key);
                problems.push(Problem::warning(
                    line,
                    &format!("placeholder `<{}>` matches no field of the Example Alert, no `extract` rule fills it, and the page does not say where its value comes from", o.name),
                    "name it after the alert field that holds the value (e.g. `<cluster_id>`), add a front matter `extract` rule with a group of its name (`(?P<name>…)`) when a log line or the alert's text shows it, or add a sentence after the command: \"with the … from …\"",
                ));
            }
        }
    }
    unused_rules(rb, &used, problems);
}

/// Front matter `extract` rules none of whose groups names a placeholder of the page's
/// commands: they read values nothing uses (often a misspelt group name).
fn unused_rules(rb: &Runbook, used: &[String], problems: &mut Vec<Problem>) {
    for p in &rb.front.extract {
        let names = rules::group_names(p);
        if !names.is_empty() && !names.iter().any(|n| used.contains(n)) {
            problems.push(Problem::warning(
                1,
                &format!("the `extract` rule `{p}` fills no placeholder of this page's commands"),
                "name its group after a placeholder of the commands (`(?P<controllerid>…)` fills `<controllerid>`), or remove the rule",
            ));
        }
    }
}

/// Mappings of a settings file (`choices`) whose runbook is among `runbooks` but whose Example
/// Alert does not name the alert: a hint to the runbook's author, since the page would fit that
/// alert without the mapping if its Example Alert showed it. A mapping's runbook is the page
/// whose file ends with it (lint shows files with their folder).
pub fn lint_choices(runbooks: &[Runbook], choices: &[crate::guidance::Choice]) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in choices {
        let want = c.runbook.trim().trim_start_matches("./");
        let Some(rb) = runbooks.iter().find(|rb| {
            rb.file == want
                || rb
                    .file
                    .strip_suffix(want)
                    .is_some_and(|head| head.ends_with('/'))
        }) else {
            continue;
        };
        if rb.example_alerts.iter().any(|a| c.applies(a)) {
            continue;
        }
        let line = rb.example_section.map_or(1, |i| rb.sections[i].line);
        out.push(Finding {
            file: rb.file.clone(),
            problem: Problem::warning(
                line,
                &format!("a mapping chooses this page for alerts named `{}`, but its Example Alert does not name that alert", c.alert.trim()),
                &format!("show the alert (`alertname`, `alert_situation` or `alert_key` = `{}`) in the `## Example Alert` section, so the page fits it without the mapping", c.alert.trim()),
            ),
        });
    }
    out
}

#[cfg(test)]
mod choice_tests {
    use super::lint_choices;
    use crate::guidance::Choice;
    use crate::runbook::parse_runbook;

    #[test]
    fn a_page_chosen_for_an_alert_its_example_does_not_name_is_reported() {
        let page = "---\ntitle: Drift\ntype: Alert\nchosen_for: [SettlementLedgerDrift, LedgerLag]\n---\n\n## Example Alert\n\n- alertname = SettlementLedgerDrift\n\n## Actions\n\nLook.\n";
        let found = super::lint_runbook(&parse_runbook("team/billing/drift.md", page));
        let named: Vec<&str> = found
            .iter()
            .filter(|f| f.problem.message.contains("chooses this page"))
            .map(|f| f.problem.message.as_str())
            .collect();
        assert_eq!(named.len(), 1, "{found:?}");
        assert!(named[0].contains("`LedgerLag`"), "{named:?}");
    }

    #[test]
    fn a_mapping_whose_alert_the_example_alert_does_not_name_is_reported() {
        let page = "---\ntitle: Drift\ntype: Alert\n---\n\n## Example Alert\n\n- alertname = SettlementLedgerDrift\n\n## Actions\n\nLook.\n";
        let rbs = [parse_runbook("team/billing/drift.md", page)];
        let choice = |a: &str, rb: &str| Choice {
            alert: a.into(),
            runbook: rb.into(),
        };
        let found = lint_choices(
            &rbs,
            &[
                choice("PaymentsQueueBacklog", "billing/drift.md"),
                choice("SettlementLedgerDrift", "billing/drift.md"),
                choice("PaymentsQueueBacklog", "ing/drift.md"),
                choice("PaymentsQueueBacklog", "other.md"),
            ],
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].file, "team/billing/drift.md");
        assert_eq!(found[0].problem.line, 6);
        assert!(found[0].problem.message.contains("`PaymentsQueueBacklog`"));
    }
}
