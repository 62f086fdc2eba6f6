//! Hostile runbook pages (whoever can edit the wiki writes them) through the parser and the
//! guidance: raw HTML never survives into blocks, and no `javascript:`/`data:` URL is ever
//! offered as a link, dashboard, search or escalation.

use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::pack::Pack;
use runbook_lens::runbook::{Block, Inline};

const PAGE: &str = r#"---
title: "<script>alert(1)</script> Queue lag"
type: Alert
service: queue
link: javascript:alert(1)
---

<script>window.__pwned = 1</script>
<img src=x onerror="window.__pwned=1">

## Example Alert

```text
- alertname = QueueLagHigh
- operation = Drain
- reason_code = Stuck
```

## Actions to Take

1. Open [the dashboard](javascript:alert(1)) or [this one](data:text/html,<script>alert(1)</script>).
1. Search `app:queue reason:<reason_code>` in LogDNA.
1. <a href="javascript:alert(2)">click</a> and <svg onload=alert(3)></svg>
1. Autolink <javascript:alert(4)> and [ref][r].
1. Run `kubectl -n queue logs <pod>`.

[r]: javascript:alert(5)

## Stuck in Drain

Do `kubectl -n queue rollout restart deploy/<deployment>`.

## Escalation Policy

Page [the team](javascript:alert(6)) or [them](JaVaScRiPt:alert(7)).
"#;

fn has_html(blocks: &[Block]) -> bool {
    fn inl(v: &[Inline]) -> bool {
        v.iter().any(|i| match i {
            Inline::Text(t) => {
                t.contains("<script")
                    || t.contains("<img")
                    || t.contains("<svg")
                    || t.contains("<a href")
            }
            Inline::Strong(c) | Inline::Emph(c) | Inline::Link { children: c, .. } => inl(c),
            _ => false,
        })
    }
    blocks.iter().any(|b| match b {
        Block::Para { inlines } | Block::Heading { inlines } => inl(inlines),
        Block::List { items, .. } => items.iter().any(|it| has_html(it)),
        Block::Quote { blocks } => has_html(blocks),
        Block::Table { rows } => rows.iter().flatten().any(|c| inl(c)),
        Block::Code { .. } => false,
    })
}

#[test]
fn raw_html_never_reaches_the_blocks() {
    let rb = runbook_lens::runbook::parse_runbook("evil.md", PAGE);
    for s in &rb.sections {
        assert!(
            !has_html(&s.blocks),
            "raw HTML survived in section {:?}: {:?}",
            s.heading,
            s.blocks
        );
    }
}

#[test]
fn no_script_or_data_url_is_ever_offered() {
    let pack = Pack::from_pages("evil", [("evil.md", PAGE)]);
    let config = Config {
        site_base_url: Some("https://runbooks.example.com".into()),
        ..Config::default()
    };
    let e = explain(
        &pack,
        "- alertname = QueueLagHigh\n- operation = Drain\n- reason_code = Stuck\n- pod = q-1\n",
        None,
        &config,
        &[],
    );
    let m = &e.matches[0];
    let mut urls: Vec<String> = m.links.iter().map(|l| l.url.clone()).collect();
    urls.extend(m.runbook.url.clone());
    urls.extend(m.log_search.url.clone());
    urls.extend(m.log_search.dashboard.clone());
    urls.extend(m.escalation.url.clone());
    for u in &urls {
        assert!(
            u.starts_with("https://") || u.starts_with("http://"),
            "unsafe URL offered: {u}"
        );
    }
    assert_eq!(
        m.escalation.url, None,
        "a javascript: escalation link must not be offered"
    );
    assert_eq!(
        m.scenario.as_ref().map(|s| s.heading.as_str()),
        Some("Stuck in Drain")
    );
    assert_eq!(
        m.log_search.query.as_deref(),
        Some("app:queue reason:Stuck")
    );
    // The page's own lint says what is wrong with it.
    let findings = runbook_lens::lint::lint_runbook(pack.page(0).expect("page 0"));
    assert!(findings
        .iter()
        .any(|f| f.problem.message.contains("script or data URL")));
}
