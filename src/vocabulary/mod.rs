//! The domain vocabulary in one place: which alert fields name the alert, which only describe
//! the incident (noise), where an alert says its region, carrier and environment, and (in
//! [`weights`]) how much matching trusts each kind of evidence.
//!
//! Field names here are compared after [`normalize_key`], so `alert_situation`,
//! `alertSituation` and `ALERT-SITUATION` are one name.

pub mod weights;

use crate::text::normalize_key;

/// The alerting rule's own name: Alertmanager's `alertname` and the `alert` of Armada's
/// PagerDuty details. [`crate::alert::Alert::name`] prefers them in this order.
pub const RULE_NAME_KEYS: &[&str] = &["alertname", "alert"];

/// The rule names a grouped notification lists; reasons call its value an alert name too.
pub const GROUPED_NAME_KEY: &str = "alertnames";

/// Which situation of a rule fired: Armada's `alert_situation` (also the situation part of the
/// PagerDuty title) and `alert_key` (`cluster_squad/…/DeleteClientID/ErrorUnclassified`).
pub const SITUATION_KEYS: &[&str] = &["alertsituation", "alertkey"];

/// How some alert bodies spell `alert_situation`.
pub const SITUATION_ALIAS: &str = "situation";

/// What [`crate::alert::Alert::name`] reads, in order: the rule's name, else the situation.
pub const NAME_LOOKUP_KEYS: &[&str] = &["alertname", "alert", "alertsituation"];

/// Field names whose values describe the incident, not the kind of alert, so they never decide
/// which runbook fits (compared by the last segment of a flattened key).
pub const NOISE_KEYS: &[&str] = &[
    "severity",
    "crnctype",
    "crnversion",
    "tipcustomerimpacting",
    "numfiring",
    "numresolved",
    "priority",
    "status",
    "environment",
    "customerimpacting",
    "job",
    "instance",
    "pod",
    "node",
    "namespace",
    "clusterid",
    "source",
    "runbook",
    "runbookurl",
    "time",
    "timestamp",
    "value",
    // Where the alert fired, not what fired: the same for every alert of an environment.
    "crncname",
    "crnservicename",
    "crnregion",
    "region",
    "carriername",
    "carriertype",
    "availabilityzone",
    "zone",
    "datacenter",
    "account",
    "accountid",
];

/// Where an alert names its region, in the order they are trusted: the body's `region`, else
/// the CRN's `crn_region`. [`crate::alert::Alert::region`] reads them.
pub const REGION_KEYS: &[&str] = &["region", "crn_region"];

/// The carrier or tugboat an alert fired on (`prod-dal10-carrier103`).
pub const CARRIER_KEY: &str = "carrier_name";

/// The environment's name in the CRN (`bluemix`, `staging`); with the region it names one
/// environment.
pub const ENVIRONMENT_KEY: &str = "crn_cname";

/// The last segment of a flattened key (`labels.alertname` → `alertname`), normalised.
fn last_segment(key: &str) -> String {
    key.rsplit('.')
        .next()
        .map(normalize_key)
        .unwrap_or_default()
}

/// True when the field is the rule's name (`alertname`, `alert`, `alertnames`): a reason then
/// calls its value the alert name.
pub fn names_rule(key: &str) -> bool {
    let k = normalize_key(key);
    RULE_NAME_KEYS.contains(&k.as_str()) || k == GROUPED_NAME_KEY
}

/// True when a field of the body says which alert this is (the rule's name, situation or key,
/// as written, not flattened): the copy of an alert that has one is the real one.
pub fn identifies_alert(key: &str) -> bool {
    let k = normalize_key(key);
    RULE_NAME_KEYS.contains(&k.as_str()) || SITUATION_KEYS.contains(&k.as_str())
}

/// True when the field names the kind of alert (any of the names above, also as the last
/// segment of a flattened key such as `labels.alertname`): matching weighs its value most.
pub fn is_name_key(key: &str) -> bool {
    let is_name = |k: &str| {
        RULE_NAME_KEYS.contains(&k)
            || SITUATION_KEYS.contains(&k)
            || k == GROUPED_NAME_KEY
            || k == SITUATION_ALIAS
    };
    is_name(&normalize_key(key)) || is_name(&last_segment(key))
}

/// Fields that say what an alert is about without naming its rule (an Alertmanager summary, the
/// operation that failed, a check's name). With the name keys above they tell an alert from a
/// PagerDuty page's summary card (`Status: Triggered`, `Urgency: High`), which has none.
pub const DESCRIBING_KEYS: &[&str] = &["summary", "description", "message", "operation", "name"];

/// True when a field names or describes an alert (a name key, or one of [`DESCRIBING_KEYS`],
/// also as the last segment of a flattened key): a block of fields with none of them is page
/// chrome, not an alert of its own.
pub fn names_an_alert(key: &str) -> bool {
    is_name_key(key) || DESCRIBING_KEYS.contains(&last_segment(key).as_str())
}

/// True when the field only describes the incident (see [`NOISE_KEYS`]).
pub fn is_noise_key(key: &str) -> bool {
    NOISE_KEYS.contains(&last_segment(key).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_by_use() {
        for k in [
            "alertname",
            "alert",
            "alert_key",
            "alertSituation",
            "situation",
        ] {
            assert!(is_name_key(k), "{k}");
        }
        assert!(is_name_key("labels.alertname"));
        assert!(is_name_key("alertnames"));
        assert!(!is_name_key("operation"));
        assert!(names_rule("alertnames") && names_rule("alert_name"));
        assert!(!names_rule("alert_situation"));
        assert!(identifies_alert("alert_key") && !identifies_alert("labels.alertname"));
        assert!(!identifies_alert("situation"));
    }

    #[test]
    fn chrome_keys_do_not_name_an_alert() {
        for k in [
            "alertname",
            "labels.alert_situation",
            "annotations.summary",
            "operation",
        ] {
            assert!(names_an_alert(k), "{k}");
        }
        for k in [
            "Status",
            "Urgency",
            "Assigned to",
            "Escalation policy",
            "Incident key",
            "Impacted service",
            "Opened",
            "service",
            "region",
        ] {
            assert!(!names_an_alert(k), "{k}");
        }
    }

    #[test]
    fn noise_keys_by_last_segment() {
        assert!(is_noise_key("labels.severity"));
        assert!(is_noise_key("crn_region"));
        assert!(!is_noise_key("operation"));
    }
}
