//! The PagerDuty incident title of Armada alerts:
//! `#<number>[:] <crn_cname>.<crn_servicename>.[<carrier>.]<alert_situation>.<region>`, and the
//! one Alertmanager gives an incident: `[FIRING:<n>] <alertname> (<label values>)`.

use crate::text::{is_carrier, is_region};

/// The named parts of a PagerDuty title, in the order they appear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleParts {
    /// The incident number without `#`, when the title carries one (`60048810`, `30960XXX`).
    pub number: Option<String>,
    pub crn_cname: String,
    pub crn_servicename: String,
    pub carrier_name: Option<String>,
    pub alert_situation: String,
    pub region: Option<String>,
}

impl TitleParts {
    /// The parts as alert fields, with the field names Armada alert bodies use.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![
            ("crn_cname", self.crn_cname.clone()),
            ("crn_servicename", self.crn_servicename.clone()),
        ];
        if let Some(c) = &self.carrier_name {
            out.push(("carrier_name", c.clone()));
        }
        out.push(("alert_situation", self.alert_situation.clone()));
        if let Some(r) = &self.region {
            out.push(("region", r.clone()));
        }
        out
    }
}

/// Strips the `#60048810 ` / `#30960XXX: ` incident prefix; returns (number, rest).
fn split_number(line: &str) -> (Option<String>, &str) {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix('#') {
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric()))
            .unwrap_or(rest.len());
        let number = &rest[..end];
        if !number.is_empty() && number.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            let after = rest[end..].trim_start_matches(':').trim_start();
            return (Some(number.to_string()), after);
        }
    }
    (None, t)
}

/// The title without its `#<number>` prefix: the incident header's h1 shows it so, the alert
/// list and pasted examples with the number, and both name one incident.
pub(super) fn without_number(line: &str) -> &str {
    split_number(line.trim().trim_matches('`')).1
}

/// The `#<number>` a title line starts with, when it has one.
pub(super) fn number(line: &str) -> Option<&str> {
    let t = line.trim().trim_matches('`').trim();
    let rest = t.strip_prefix('#')?;
    let end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let n = &rest[..end];
    n.chars().next().filter(char::is_ascii_digit).map(|_| n)
}

/// What follows the `[FIRING:<n>]` / `[RESOLVED]` state of an Alertmanager incident title, with
/// or without the `#<number>` prefix; `None` for any other line.
fn alertmanager_rest(line: &str) -> Option<&str> {
    let rest = without_number(line);
    let rest = rest.strip_prefix('[')?;
    let (state, rest) = rest.split_once(']')?;
    let state = state.split(':').next()?;
    (state.eq_ignore_ascii_case("firing") || state.eq_ignore_ascii_case("resolved")).then_some(rest)
}

/// The words of an Alertmanager title after its state: label values (`us-south`), or
/// `name=value` pairs, separated by blanks or commas, without the parentheses around the
/// common labels' list. Alertmanager's default subject lists the grouping labels' values, then
/// the other common labels' values in parentheses, each list sorted by label name.
fn label_words(rest: &str) -> impl Iterator<Item = &str> {
    rest.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(['(', ')']).trim_end_matches([':', ';']))
        .filter(|w| !w.is_empty())
}

/// A `name=value` word of a title, the value without its quotes.
fn label_pair(word: &str) -> Option<(&str, &str)> {
    let (k, v) = word.split_once('=')?;
    let v = v.trim_matches(['"', '\'']);
    (super::is_key(k) && !k.contains(' ') && !v.is_empty()).then_some((k, v))
}

/// True for a word that can be an alert's name: identifier characters, a letter among them.
fn name_like(name: &str) -> bool {
    let id_like = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'));
    id_like && name.chars().any(|c| c.is_ascii_alphabetic()) && name.len() <= 128
}

/// The alert name of an Alertmanager incident title, `[FIRING:2] ArmadaApiHigh5xxRate (armada-api
/// us-south)`, `[RESOLVED] ...` or `[FIRING:1] alertname=ArmadaApiHigh5xxRate region=us-south`,
/// with or without the `#<number>` prefix; `None` for any other line. The name must look like
/// an identifier, so a bracketed word before prose is no title.
pub fn alertmanager_name(line: &str) -> Option<&str> {
    let rest = alertmanager_rest(line)?;
    let first = rest.split_whitespace().next()?;
    let first = first.trim_end_matches([',', ':', ';']);
    if name_like(first) {
        return Some(first);
    }
    // A list of `name=value` pairs (or only the parenthesised list, when nothing was grouped
    // on): the `alertname` pair names the alert.
    if first.starts_with('(') || label_pair(first).is_some() {
        return label_words(rest)
            .filter_map(label_pair)
            .find(|(k, _)| k.eq_ignore_ascii_case("alertname"))
            .map(|(_, v)| v)
            .filter(|v| name_like(v));
    }
    None
}

/// The labels an Alertmanager title shows, as alert fields: every `name=value` pair but the
/// alert's name, and the bare values that say by themselves what they are (a region, a
/// carrier), so that a title-only alert still says where it fires. In the title's order (the
/// caller keeps the first value of a name). Empty for any other line.
pub fn alertmanager_labels(line: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    if let Some(rest) = alertmanager_rest(line) {
        for word in label_words(rest) {
            out.push(match label_pair(word) {
                Some((k, _)) if k.eq_ignore_ascii_case("alertname") => continue,
                Some(pair) => pair,
                None if is_region(&word.to_ascii_lowercase()) => ("region", word),
                None if is_carrier(word) => ("carrier_name", word),
                None => continue,
            });
        }
    }
    out
}

/// Parses a PagerDuty title line. Returns `None` when the line does not have the
/// `cname.servicename.[carrier.]situation.region` shape.
pub fn parse_title(line: &str) -> Option<TitleParts> {
    let line = line.trim().trim_matches('`').trim();
    let (number, rest) = split_number(line);
    let token = rest.split_whitespace().next()?.trim_matches('`');
    // A title is one dotted token; anything after it (a summary) is ignored here.
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() < 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let cname = parts[0];
    let service = parts[1];
    let id_like = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    };
    if !id_like(cname) || !id_like(service) || !service.contains('-') {
        return None;
    }
    let last = parts[parts.len() - 1];
    let (region, body_end) = if is_region(&last.to_ascii_lowercase()) {
        (Some(last.to_string()), parts.len() - 1)
    } else {
        (None, parts.len())
    };
    let mut idx = 2;
    let carrier = if body_end > 3 && is_carrier(parts[2]) {
        idx = 3;
        Some(parts[2].to_string())
    } else {
        None
    };
    if region.is_none() && carrier.is_none() {
        // Without a region suffix or a carrier part this is more likely a host name or a dotted
        // identifier than a PagerDuty title.
        return None;
    }
    if idx >= body_end {
        return None;
    }
    let situation = parts[idx..body_end].join(".");
    Some(TitleParts {
        number,
        crn_cname: cname.to_string(),
        crn_servicename: service.to_string(),
        carrier_name: carrier,
        alert_situation: situation,
        region,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_title() {
        let t = parse_title("#60048810 staging.containers-kubernetes.stage-dal10-carrier103.DeleteClientID_callback_action_time_errors.us-south")
            .expect("title parses");
        assert_eq!(t.number.as_deref(), Some("60048810"));
        assert_eq!(t.crn_cname, "staging");
        assert_eq!(t.crn_servicename, "containers-kubernetes");
        assert_eq!(t.carrier_name.as_deref(), Some("stage-dal10-carrier103"));
        assert_eq!(
            t.alert_situation,
            "DeleteClientID_callback_action_time_errors"
        );
        assert_eq!(t.region.as_deref(), Some("us-south"));
    }

    #[test]
    fn title_without_carrier_and_with_colon_number() {
        let t = parse_title(
            "#3533816: bluemix.containers-kubernetes.Kubernetes_apiserver_latency_is_high.us-south",
        )
        .expect("title parses");
        assert_eq!(t.carrier_name, None);
        assert_eq!(t.alert_situation, "Kubernetes_apiserver_latency_is_high");
        let t = parse_title("#30960XXX: bluemix.containers-kubernetes.prod-wdc07-carrier2.armada-cluster_red_alert_error_unreconciled_machine_config_gc_worker.us-east")
            .expect("title parses");
        assert_eq!(t.number.as_deref(), Some("30960XXX"));
        assert_eq!(t.carrier_name.as_deref(), Some("prod-wdc07-carrier2"));
    }

    #[test]
    fn title_without_region_or_number() {
        let t = parse_title("bluemix.containers-kubernetes.prod-wdc07-carrier2.armada-cluster_provider_apiclient_downstream_protocol_555_errors_g2_555")
            .expect("title parses");
        assert_eq!(t.region, None);
        assert_eq!(
            t.alert_situation,
            "armada-cluster_provider_apiclient_downstream_protocol_555_errors_g2_555"
        );
        let t = parse_title("`bluemix.containers-kubernetes.prod-dal12-carrier2.armada-cluster/worker_ledger_unclassified_errors/ErrorLedgerUnclassified.us-south`")
            .expect("title parses");
        assert_eq!(
            t.alert_situation,
            "armada-cluster/worker_ledger_unclassified_errors/ErrorLedgerUnclassified"
        );
    }

    #[test]
    fn the_number_is_only_a_prefix() {
        let with = "#60048810: staging.containers-kubernetes.stage-dal10-carrier103.A_b.us-south";
        let without = "staging.containers-kubernetes.stage-dal10-carrier103.A_b.us-south";
        assert_eq!(without_number(with), without);
        assert_eq!(without_number(without), without);
        let (a, b) = (parse_title(with), parse_title(without));
        assert_eq!(a.map(|t| t.fields()), b.map(|t| t.fields()));
    }

    #[test]
    fn alertmanager_titles() {
        for (line, name) in [
            (
                "[FIRING:1] ArmadaApiHigh5xxRate (armada-api us-south)",
                "ArmadaApiHigh5xxRate",
            ),
            (
                "#595 [FIRING:2] ClusterEtcdBackupFailing",
                "ClusterEtcdBackupFailing",
            ),
            ("[RESOLVED] KubeNodeNotReady (node-1)", "KubeNodeNotReady"),
        ] {
            assert_eq!(alertmanager_name(line), Some(name), "{line}");
        }
        for line in [
            "[FIRING:1]",
            "[WARNING] the disk is full",
            "[FIRING:1] (no name)",
            "See [FIRING:1] ArmadaApiHigh5xxRate",
            "- alert = Foo",
        ] {
            assert_eq!(alertmanager_name(line), None, "{line}");
        }
    }

    #[test]
    fn alertmanager_label_lists() {
        // Alertmanager's default subject: the grouping labels' values, then the other common
        // labels' values in parentheses.
        let t = "[FIRING:1] DeleteClientID_callback_action_time_errors (us-south prod-dal10-carrier3 critical)";
        assert_eq!(
            alertmanager_name(t),
            Some("DeleteClientID_callback_action_time_errors")
        );
        let want = |pairs: &[(&'static str, &'static str)]| pairs.to_vec();
        assert_eq!(
            alertmanager_labels(t),
            want(&[
                ("region", "us-south"),
                ("carrier_name", "prod-dal10-carrier3")
            ])
        );
        // Grouped on two labels, with the incident number.
        let t = "#595 [FIRING:2] ClusterEtcdBackupFailing eu-de (armada-deploy critical)";
        assert_eq!(alertmanager_name(t), Some("ClusterEtcdBackupFailing"));
        assert_eq!(alertmanager_labels(t), want(&[("region", "eu-de")]));
        // `name=value` pairs, with or without the parentheses, blanks or commas between them.
        for t in [
            "[FIRING:1] alertname=ArmadaApiHigh5xxRate region=us-south service=armada-api",
            "[FIRING:1] (alertname=ArmadaApiHigh5xxRate, region=\"us-south\", service=armada-api)",
            "[RESOLVED] alertname=ArmadaApiHigh5xxRate (region=us-south service=armada-api)",
        ] {
            assert_eq!(alertmanager_name(t), Some("ArmadaApiHigh5xxRate"), "{t}");
            assert_eq!(
                alertmanager_labels(t),
                want(&[("region", "us-south"), ("service", "armada-api")]),
                "{t}"
            );
        }
        // Values that say nothing by themselves give no field; no title, no labels.
        assert_eq!(
            alertmanager_labels("[FIRING:1] KubeNodeNotReady (node-1 critical)"),
            []
        );
        assert_eq!(alertmanager_labels("region=us-south carrier=x"), []);
        assert_eq!(alertmanager_name("[FIRING:1] severity=critical"), None);
        assert_eq!(alertmanager_name("[FIRING:1] (us-south critical)"), None);
    }

    #[test]
    fn not_titles() {
        for line in [
            "console-synlab.ai-sev2.api - Metric: aggregate",
            "- alert = Foo",
            "www.example.com",
            "armada-api.prod-dal10-carrier1.us-south.containers.cloud.ibm.com answered 503",
            "kubectl.kubernetes.io/restartedAt was set",
            "The node went NotReady in eu-de.",
            "Incidents › Incident #60048810",
            "#60048810",
            "api.global-search-tagging.cloud.ibm.com",
            "",
        ] {
            assert_eq!(parse_title(line), None, "{line}");
        }
    }
}
