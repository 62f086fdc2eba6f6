//! What belongs to this incident: the page's breadcrumb (`Incidents › Incident #595`) names
//! the incident, and a title of another numbered incident with nothing of an alert body under
//! it (a Past or Related Incidents entry, a link to another incident) is not one of its alerts.

use super::{title, Alert};
use crate::vocabulary;

/// The incident number of a breadcrumb line (`Incidents › Incident #595`, `Incident #595`):
/// the line ends with `Incident #<number>`.
pub(super) fn breadcrumb_number(line: &str) -> Option<&str> {
    let (before, number) = line.trim().rsplit_once("Incident #")?;
    let before = before.trim_end();
    let only_breadcrumb = before.is_empty() || before.ends_with('›') || before.ends_with('>');
    let is_number = !number.is_empty()
        && number.chars().next().is_some_and(|c| c.is_ascii_digit())
        && number.chars().all(|c| c.is_ascii_alphanumeric());
    (only_breadcrumb && is_number).then_some(number)
}

/// Drops the alerts titled with another incident's number that have no field naming an alert
/// of their own: what Past Incidents and Related Incidents list. Alerts with a body stay, so
/// a pasted alert of another number is still read.
pub(super) fn drop_other_incidents(alerts: Vec<Alert>, number: Option<&str>) -> Vec<Alert> {
    let Some(number) = number else {
        return alerts;
    };
    let other = |a: &Alert| {
        let Some(t) = a.title.as_deref() else {
            return false;
        };
        let theirs = title::number(t);
        let named = a
            .fields
            .iter()
            .any(|f| !f.from_title && vocabulary::identifies_alert(&f.key));
        theirs.is_some_and(|n| !n.eq_ignore_ascii_case(number)) && !named
    };
    if alerts.iter().all(other) {
        // Nothing of this incident was found; better the others than nothing.
        return alerts;
    }
    alerts.into_iter().filter(|a| !other(a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::extract_alerts;

    #[test]
    fn breadcrumbs() {
        assert_eq!(breadcrumb_number("Incidents › Incident #595"), Some("595"));
        assert_eq!(breadcrumb_number("Incident #60048810"), Some("60048810"));
        assert_eq!(breadcrumb_number("See Incident #595 for details"), None);
        assert_eq!(breadcrumb_number("Related to Incident #595"), None);
        assert_eq!(breadcrumb_number("Incident #"), None);
    }

    #[test]
    fn past_incidents_are_not_alerts_of_this_one() {
        let text = "Incidents › Incident #595\nstaging.containers-kubernetes.stage-dal10-carrier103.A_b.us-south\n- alert = A\n- region = us-south\nPast Incidents\n#581 staging.containers-kubernetes.stage-dal10-carrier103.C_d.us-south\nResolved\tNov 3\n#560 staging.containers-kubernetes.stage-fra02-carrier7.A_b.eu-de\n";
        let alerts = extract_alerts(text);
        assert_eq!(alerts.len(), 1, "{alerts:?}");
        assert_eq!(alerts[0].get("alert"), Some("A"));
    }

    #[test]
    fn without_a_breadcrumb_every_title_stays() {
        let text = "#581 staging.containers-kubernetes.stage-dal10-carrier103.C_d.us-south\n#560 staging.containers-kubernetes.stage-fra02-carrier7.A_b.eu-de\n";
        assert_eq!(extract_alerts(text).len(), 2);
    }
}
