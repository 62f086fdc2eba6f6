//! Page chrome is never an alert of its own: a block of fields that neither names nor describes
//! an alert (PagerDuty's summary card: `Status: Triggered`, `Urgency: High`, `Assigned to: …`)
//! joins the alert next to it.

use std::collections::HashSet;

use super::{Alert, Field};
use crate::text::normalize_key;
use crate::vocabulary;

/// True when the alert has something that names it: a title, or a field that names or
/// describes an alert (`alertname`, `alert_situation`, `summary`, `operation`, …).
fn is_named(alert: &Alert) -> bool {
    alert.title.is_some()
        || alert
            .fields
            .iter()
            .any(|f| vocabulary::names_an_alert(&f.key))
}

/// True when the alert has no title and what names it is only a description (`summary`,
/// `description`, …) repeating another alert's title: PagerDuty's raw event carries the
/// alert's title as its `summary`, beside the `details` that hold the alert itself. Such a
/// block is that alert's, not another alert.
fn repeats_a_title(alert: &Alert, titles: &HashSet<String>) -> bool {
    alert.title.is_none()
        && alert
            .fields
            .iter()
            .any(|f| vocabulary::names_an_alert(&f.key))
        && alert
            .fields
            .iter()
            .filter(|f| vocabulary::names_an_alert(&f.key))
            .all(|f| {
                !vocabulary::is_name_key(&f.key)
                    && titles.contains(&super::title::without_number(&f.value).to_ascii_lowercase())
            })
}

/// Where an alert fires: its region, carrier and environment, read once per alert.
type Place<'a> = [Option<&'a str>; 3];

fn place(alert: &Alert) -> Place<'_> {
    [alert.region(), alert.carrier(), alert.environment()]
}

/// True when both alerts say where they fire and the places differ: two alerts, however
/// little one of them says, never one.
fn fires_elsewhere(a: &Place, b: &Place) -> bool {
    a.iter()
        .zip(b.iter())
        .any(|(x, y)| matches!((x, y), (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y)))
}

/// Moves the fields and text of `above` (the chrome above `into`, in page order) and `below`
/// (the chrome under it) into `into`, around its own. A field whose name `into` or an earlier
/// block already has is dropped: the page's `Service: Armada Orchestrator` adds nothing to the
/// body's `service = armada-orchestrator`. The names are kept in a set, so the cost is linear
/// in the fields moved.
fn merge(above: Vec<Alert>, into: &mut Alert, below: Vec<Alert>) {
    let mut have: HashSet<String> = into.fields.iter().map(|f| normalize_key(&f.key)).collect();
    let mut take = |blocks: Vec<Alert>, fields: &mut Vec<Field>, texts: &mut Vec<String>| {
        for block in blocks {
            for f in block.fields {
                if have.insert(normalize_key(&f.key)) {
                    fields.push(f);
                }
            }
            if into.source.is_none() {
                into.source = block.source;
            }
            if !block.text.is_empty() {
                texts.push(block.text);
            }
        }
    };
    let (mut fields, mut texts) = (Vec::new(), Vec::new());
    take(above, &mut fields, &mut texts);
    fields.append(&mut into.fields);
    if !into.text.is_empty() {
        texts.push(std::mem::take(&mut into.text));
    }
    take(below, &mut fields, &mut texts);
    into.fields = fields;
    into.text = texts.join("\n");
}

/// Attaches every unnamed alert to the named alert after it (the chrome above an alert), else
/// to the one before it, unless they fire in different places; one that fires elsewhere than
/// both stays an alert. Unnamed alerts stay when no alert is named at all: then nothing tells
/// chrome from an alert. Each alert's place is read once and each field moved once, so the
/// cost stays linear however many blocks there are.
pub(super) fn attach_unnamed(alerts: Vec<Alert>) -> Vec<Alert> {
    let titles: HashSet<String> = alerts
        .iter()
        .filter_map(|a| a.title.as_deref())
        .map(|t| super::title::without_number(t).to_ascii_lowercase())
        .collect();
    let named: Vec<bool> = alerts
        .iter()
        .map(|a| is_named(a) && !repeats_a_title(a, &titles))
        .collect();
    if alerts.len() < 2 || !named.contains(&true) {
        return alerts;
    }
    let places: Vec<Place> = alerts.iter().map(place).collect();
    let n = alerts.len();
    // The nearest named alert before and after each index.
    let mut prev = vec![None; n];
    let mut last = None;
    for i in 0..n {
        prev[i] = last;
        if named[i] {
            last = Some(i);
        }
    }
    let mut next = vec![None; n];
    last = None;
    for i in (0..n).rev() {
        next[i] = last;
        if named[i] {
            last = Some(i);
        }
    }
    // Where each unnamed alert goes: `Some((target, above))`, or `None` to stay an alert.
    let target: Vec<Option<(usize, bool)>> = (0..n)
        .map(|i| {
            if named[i] {
                return None;
            }
            let fits = |j: &usize| !fires_elsewhere(&places[i], &places[*j]);
            next[i]
                .filter(fits)
                .map(|j| (j, true))
                .or_else(|| prev[i].filter(fits).map(|j| (j, false)))
        })
        .collect();
    drop(places);
    let mut above: Vec<Vec<Alert>> = vec![Vec::new(); n];
    let mut below: Vec<Vec<Alert>> = vec![Vec::new(); n];
    let mut kept: Vec<Option<Alert>> = Vec::with_capacity(n);
    for (i, alert) in alerts.into_iter().enumerate() {
        match target[i] {
            Some((j, true)) => above[j].push(alert),
            Some((j, false)) => below[j].push(alert),
            None => kept.push(Some(alert)),
        }
        if target[i].is_some() {
            kept.push(None);
        }
    }
    let mut out = Vec::with_capacity(n);
    for (i, alert) in kept.into_iter().enumerate() {
        let Some(mut alert) = alert else { continue };
        if named[i] {
            let (a, b) = (std::mem::take(&mut above[i]), std::mem::take(&mut below[i]));
            if !a.is_empty() || !b.is_empty() {
                merge(a, &mut alert, b);
            }
        }
        out.push(alert);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::alert::extract_alerts;

    #[test]
    fn chrome_above_a_title_joins_it() {
        let text = "Status: Triggered\n#5679649 bluemix.containers-kubernetes.prod-tok05-carrier3.cruiser_master_deployment_has_no_replicas_available.jp-tok\n";
        let alerts = extract_alerts(text);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].get("status"), Some("Triggered"));
        assert_eq!(alerts[0].region(), Some("jp-tok"));
    }

    #[test]
    fn summary_card_above_a_body_joins_it() {
        let text = "Status: Triggered\nUrgency: High\nAssigned to: Jane Doe\nEscalation policy: Armada\nIncident key: abc\nImpacted service: Armada\nOpened: 9:44 AM\n#1 bluemix.containers-kubernetes.prod-dal10-carrier1.a_b.us-south\n- alert = A\n- region = us-south\n";
        let alerts = extract_alerts(text);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].get("urgency"), Some("High"));
        assert_eq!(alerts[0].fields[0].key, "Status");
    }

    #[test]
    fn chrome_below_the_last_alert_joins_it() {
        let text = "- alertname = A\n- region = us-south\nStatus: Triggered\nStatus: Resolved\n";
        let alerts = extract_alerts(text);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
    }

    #[test]
    fn an_unnamed_block_in_another_region_stays_an_alert() {
        let text = "- alertname = A\n- region = us-south\n- region = eu-de\n- pod = p\n";
        let alerts = extract_alerts(text);
        assert_eq!(alerts.len(), 2, "{alerts:?}");
        assert_eq!(alerts[1].region(), Some("eu-de"));
    }

    #[test]
    fn an_unnamed_block_joins_the_alert_before_when_the_next_fires_elsewhere() {
        let text = "- alertname = A\n- region = us-south\n- region = us-south\n- pod = p\n#2 bluemix.containers-kubernetes.prod-fra02-carrier5.a_b.eu-de\n- alert = B\n";
        let alerts = extract_alerts(text);
        assert_eq!(alerts.len(), 2, "{alerts:?}");
        assert_eq!(alerts[0].get("pod"), Some("p"));
        assert_eq!(alerts[1].get("pod"), None);
    }

    #[test]
    fn nothing_named_keeps_every_block() {
        let alerts = extract_alerts("- region = us-south\n- region = eu-de\n");
        assert_eq!(alerts.len(), 2, "{alerts:?}");
    }
}
