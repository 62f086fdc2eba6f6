//! Where an alert fires and whether only its title was read: what the panel shows in each
//! alert's header, and which values "Show Details" on the incident page would add.

use super::model::{Match, Place, TitleOnly};
use crate::alert::Alert;
use crate::runbook::Runbook;
use crate::vocabulary::is_noise_key;

impl Place {
    /// Where `alert` fires, from its `region` (or `crn_region`), `carrier_name` and
    /// `crn_cname`, whether the body or the PagerDuty title gives them; `None` when it says
    /// none of them.
    pub fn of(alert: &Alert) -> Option<Place> {
        let part = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let place = Place {
            region: part(alert.region()),
            carrier: part(alert.carrier()),
            environment: part(alert.environment()),
        };
        (place != Place::default()).then_some(place)
    }

    /// The known parts in order, each with what it is: `("Region", "us-south")`, then the
    /// carrier, then the environment.
    pub fn parts(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("Region", &self.region),
            ("Carrier", &self.carrier),
            ("Environment", &self.environment),
        ]
        .into_iter()
        .filter_map(|(what, v)| v.as_deref().map(|v| (what, v)))
    }

    /// The known parts joined for one line: `us-south · prod-dal10-carrier103 · staging`.
    pub fn label(&self) -> String {
        self.parts().map(|(_, v)| v).collect::<Vec<_>>().join(" · ")
    }
}

/// True when `alert` was read from its title alone: it has a title and no field of its own
/// except those that only describe the incident (`status`, `priority`), which is what an
/// incident page shows while the alert's details are collapsed. (Free text does not count: the
/// page's own words around the alert end up there.)
pub(super) fn is_title_only(alert: &Alert) -> bool {
    alert.title.is_some()
        && alert
            .fields
            .iter()
            .all(|f| f.from_title || is_noise_key(&f.key))
}

/// For an alert read from its title alone, the placeholders of its best match (`best`: the
/// runbook and the match) that its details would fill: those nothing fills yet and that the
/// runbook's Example Alert shows in an alert's body. A placeholder the example does not show
/// (an account to target) is not promised. An alert with free text but no such placeholder is
/// not called title-only: its text may be its whole body (Sysdig writes prose).
pub(super) fn title_only(alert: &Alert, best: Option<(&Runbook, &Match)>) -> Option<TitleOnly> {
    if !is_title_only(alert) {
        return None;
    }
    let missing: Vec<String> = best
        .map(|(rb, m)| {
            m.unresolved
                .iter()
                .filter(|u| example_shows(rb, &u.name))
                .map(|u| u.name.clone())
                .collect()
        })
        .unwrap_or_default();
    (alert.text.trim().is_empty() || !missing.is_empty()).then_some(TitleOnly { missing })
}

/// True when the runbook's Example Alert has a field named `name` (also as the last segment of
/// a flattened key such as `labels.reason_code`).
fn example_shows(rb: &Runbook, name: &str) -> bool {
    rb.example_alerts.iter().any(|a| a.lookup(name).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::extract_alerts;

    const TITLE: &str = "#1 staging.containers-kubernetes.stage-dal10-carrier103.DeleteClientID_callback_action_time_errors.us-south";

    #[test]
    fn place_from_the_title_or_the_body() {
        let a = &extract_alerts(TITLE)[0];
        let p = Place::of(a).expect("place");
        assert_eq!(p.label(), "us-south · stage-dal10-carrier103 · staging");
        let body = &extract_alerts("- alert = X\n- crn_region = eu-de\n- carrier_name = c1\n")[0];
        let p = Place::of(body).expect("place");
        assert_eq!(p.label(), "eu-de · c1");
        assert_eq!(
            p.parts().map(|(w, _)| w).collect::<Vec<_>>(),
            ["Region", "Carrier"]
        );
        assert_eq!(Place::of(&extract_alerts("- alert = X\n")[0]), None);
    }

    #[test]
    fn title_only_is_a_title_with_nothing_but_incident_chrome() {
        assert!(is_title_only(&extract_alerts(TITLE)[0]));
        let with_status = format!("{TITLE}\n- status = triggered\n");
        assert!(is_title_only(&extract_alerts(&with_status)[0]));
        let with_body = format!("{TITLE}\n- operation = DeleteClientID\n");
        assert!(!is_title_only(&extract_alerts(&with_body)[0]));
        assert!(!is_title_only(&extract_alerts("- alert = X\n")[0]));
    }
}
