//! Page chrome is never an alert of its own: a block of fields that neither names nor describes
//! an alert (PagerDuty's summary card: `Status: Triggered`, `Urgency: High`, `Assigned to: …`)
//! joins the alert next to it.

use super::Alert;
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

/// True when both alerts say where they fire and the places differ: two alerts, however
/// little one of them says, never one.
fn fires_elsewhere(a: &Alert, b: &Alert) -> bool {
    let differ = |x: Option<&str>, y: Option<&str>| matches!((x, y), (Some(x), Some(y)) if !x.eq_ignore_ascii_case(y));
    differ(a.region(), b.region())
        || differ(a.carrier(), b.carrier())
        || differ(a.environment(), b.environment())
}

/// Moves `from`'s fields and text into `into`, before its own when `before` (the chrome above
/// an alert) or after them (the chrome below it). A field whose name `into` already has is
/// dropped: the page's `Service: Armada Orchestrator` adds nothing to the body's
/// `service = armada-orchestrator`.
fn merge(from: Alert, into: &mut Alert, before: bool) {
    let have: Vec<String> = into.fields.iter().map(|f| normalize_key(&f.key)).collect();
    let mut added: Vec<_> = from
        .fields
        .into_iter()
        .filter(|f| !have.contains(&normalize_key(&f.key)))
        .collect();
    if before {
        added.append(&mut into.fields);
        into.fields = added;
    } else {
        into.fields.append(&mut added);
    }
    if into.source.is_none() {
        into.source = from.source;
    }
    if !from.text.is_empty() {
        if into.text.is_empty() {
            into.text = from.text;
        } else if before {
            into.text = format!("{}\n{}", from.text, into.text);
        } else {
            into.text.push('\n');
            into.text.push_str(&from.text);
        }
    }
}

/// Attaches every unnamed alert to the named alert after it (the chrome above an alert), else
/// to the one before it, unless they fire in different places. Unnamed alerts stay when no
/// alert is named at all: then nothing tells chrome from an alert. One pass, so the cost
/// stays linear in the number of alerts.
pub(super) fn attach_unnamed(alerts: Vec<Alert>) -> Vec<Alert> {
    if alerts.len() < 2 || !alerts.iter().any(is_named) {
        return alerts;
    }
    let mut out: Vec<Alert> = Vec::with_capacity(alerts.len());
    // Unnamed alerts waiting for the next named one, in page order.
    let mut pending: Vec<Alert> = Vec::new();
    for mut alert in alerts {
        if !is_named(&alert) {
            pending.push(alert);
            continue;
        }
        // The pending blocks go before this alert, nearest last; one that fires elsewhere
        // tries the alert before it, and stays an alert when that one fires elsewhere too.
        let mut above: Vec<Alert> = Vec::new();
        for p in pending.drain(..) {
            if !fires_elsewhere(&p, &alert) {
                above.push(p);
            } else if let Some(prev) = out.last_mut().filter(|prev| !fires_elsewhere(&p, prev)) {
                merge(p, prev, false);
            } else {
                out.push(p);
            }
        }
        for p in above.into_iter().rev() {
            merge(p, &mut alert, true);
        }
        out.push(alert);
    }
    for p in pending {
        match out.last_mut() {
            Some(prev) if is_named(prev) && !fires_elsewhere(&p, prev) => merge(p, prev, false),
            _ => out.push(p),
        }
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
    fn nothing_named_keeps_every_block() {
        let alerts = extract_alerts("- region = us-south\n- region = eu-de\n");
        assert_eq!(alerts.len(), 2, "{alerts:?}");
    }
}
