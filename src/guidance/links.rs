//! The links of a match: the log search (the runbook's query filled for the log tool, and its
//! URL in the alert's region), the dashboard, the escalation, and the other links worth a click.

use super::commands::is_command;
use super::hints::Hints;
use super::model::{ActionLink, Escalation, LogSearch};
use super::shorten;
use crate::alert::Alert;
use crate::config::Config;
use crate::matching::ScenarioChoice;
use crate::placeholder::{fill, Syntax};
use crate::quote::is_safe_link;
use crate::runbook::{blocks_text, inline_text, walk_blocks, Block, Inline, LinkKind, Runbook};

/// A match lists at most this many links.
const MAX_LINKS: usize = 12;

/// The links worth a click, once each: issue, dashboard and log links of the whole page, and
/// every other link of the scenario's sections (escalation links have their own place).
pub(super) fn action_links(
    rb: &Runbook,
    choice: Option<&ScenarioChoice>,
    config: &Config,
) -> Vec<ActionLink> {
    let mut links: Vec<ActionLink> = Vec::new();
    let link_sections: Vec<usize> = match choice {
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
            if links.iter().all(|x| x.url != url) && links.len() < MAX_LINKS {
                links.push(ActionLink {
                    text: l.text.trim().to_string(),
                    url,
                    kind: l.kind,
                });
            }
        }
    }
    links
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

pub(super) fn log_search(
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
            out.unresolved = hints.unresolved(&filled.unresolved);
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

pub(super) fn escalation(rb: &Runbook, config: &Config) -> Escalation {
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

    /// The terms of a log query as the log tool splits it: whitespace outside `"…"` separates
    /// terms; inside, `\` escapes the next character.
    fn terms(query: &str) -> Vec<String> {
        let (mut out, mut cur) = (Vec::new(), String::new());
        let (mut inside, mut escaped) = (false, false);
        for c in query.chars() {
            if escaped {
                escaped = false;
            } else if inside && c == '\\' {
                escaped = true;
            } else if c == '"' {
                inside = !inside;
            } else if c.is_whitespace() && !inside {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                continue;
            }
            cur.push(c);
        }
        out.extend((!cur.is_empty()).then_some(cur));
        out
    }

    #[test]
    fn a_value_never_escapes_the_runbook_s_quotes() {
        let hostile = [
            "x OR level:debug OR y",
            "x\" OR level:debug OR \"y",
            "x\\",
            "x\\\" OR a:b OR \\\"",
            "\"",
            "\\\\\"",
            "a\nOR\tb",
            "OR",
            "-x",
            "",
        ];
        for template in [
            "\"reasonCode\":\"<reason_code>\" app:orchestrator",
            "reasonCode:<reason_code> app:orchestrator",
            "\"msg\":\"failed \\\"<reason_code>\\\" twice\" app:orchestrator",
        ] {
            for v in hostile {
                let f = fill(template, Syntax::LogQuery, &|_| Some(v.to_string()));
                let t = terms(&f.text);
                assert_eq!(t.len(), 2, "{template} with {v:?}: {} -> {t:?}", f.text);
                assert_eq!(
                    t[1], "app:orchestrator",
                    "{template} with {v:?}: {}",
                    f.text
                );
            }
        }
        let f = fill(
            "\"reasonCode\":\"<reason_code>\"",
            Syntax::LogQuery,
            &|_| Some("x OR level:debug OR y".to_string()),
        );
        assert_eq!(f.text, "\"reasonCode\":\"x OR level:debug OR y\"");
        let f = fill("reasonCode:<reason_code>", Syntax::LogQuery, &|_| {
            Some("x OR y".to_string())
        });
        assert_eq!(f.text, "reasonCode:\"x OR y\"");
    }
}
