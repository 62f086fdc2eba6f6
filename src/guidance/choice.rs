//! Runbooks chosen by hand: a mapping from an alert's identity (its name, situation or key,
//! compared without the values that change between incidents) to a runbook file, from the
//! user, the organisation's policy or the pack; and the runbook picked in the panel for one
//! alert of the incident on screen.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::alert::Alert;
use crate::config::{err, SettingsError};
use crate::json_fields::{deserialize_with, list, parse, string, Fields, Read};
use crate::pack::PageMeta;
use crate::text::canonical_id;
use crate::vocabulary::{NAME_LOOKUP_KEYS, SITUATION_KEYS};

/// A mapping: alerts whose name, situation or key is `alert` are explained with `runbook`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// The alert's name, `alert_situation` or `alert_key`, as an alert shows it.
    pub alert: String,
    /// The runbook's file in its pack (`cluster/node-not-ready.md`).
    pub runbook: String,
}

impl<'de> Deserialize<'de> for Choice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(d, Choice::read)
    }
}

impl Choice {
    /// A choice object (`{"alert": …, "runbook": …}`) at `at`, unchecked.
    pub(crate) fn read(v: &Value, at: &str) -> Read<Choice> {
        let f = Fields::of(v, at, "(choice)", Some(&["alert", "runbook"]))?;
        Ok(Choice {
            alert: f.need("alert", string)?,
            runbook: f.need("runbook", string)?,
        })
    }

    /// A list of choices at `at`, unchecked.
    pub(crate) fn read_list(v: &Value, at: &str) -> Read<Vec<Choice>> {
        list(v, if at.is_empty() { "choices" } else { at }, Choice::read)
    }

    /// Reads the stored choices (JSON text of the `choices` storage key), unchecked.
    pub fn list_from_json(json: &str) -> Result<Vec<Choice>, SettingsError> {
        Choice::read_list(&parse(json, "choices")?, "")
    }

    /// Whether the choice is for `alert`: one of its names reads the same once regions, data
    /// centres and numbers are set aside.
    pub fn applies(&self, alert: &Alert) -> bool {
        let want = canonical_id(self.alert.trim());
        !want.is_empty()
            && NAME_LOOKUP_KEYS
                .iter()
                .chain(SITUATION_KEYS)
                .filter_map(|k| alert.lookup(k))
                .any(|v| canonical_id(v.trim()) == want)
    }

    /// Checks that both sides are named; `field` is where the choice is (`choices[2]`).
    pub fn check(&self, field: &str) -> Result<(), SettingsError> {
        if self.alert.trim().is_empty() {
            return Err(err(
                format!("{field}.alert"),
                "names the alert, like `NodeNotReady`",
            ));
        }
        if self.runbook.trim().is_empty() {
            return Err(err(
                format!("{field}.runbook"),
                "names the runbook's file, like `cluster/node-not-ready.md`",
            ));
        }
        Ok(())
    }
}

/// The name a choice for `alert` is remembered under: its `alert_situation` (what differs
/// between alerts that share a rule name), else its name. `None` when the alert has neither.
pub fn alert_identity(alert: &Alert) -> Option<&str> {
    SITUATION_KEYS[..1]
        .iter()
        .chain(NAME_LOOKUP_KEYS)
        .filter_map(|k| alert.lookup(k))
        .map(str::trim)
        .find(|v| !v.is_empty())
}

/// The runbook (its index, as `find` gives it for a file) chosen for alert `i`, and the reason
/// to show: what was picked in the panel for this alert first, then the first mapping that
/// applies.
pub(super) fn chosen_for(
    find: &dyn Fn(&str) -> Option<usize>,
    alert: &Alert,
    i: usize,
    picks: &[(usize, String)],
    choices: &[Choice],
) -> Option<(usize, String, Option<String>)> {
    if let Some(doc) = picks
        .iter()
        .filter(|(a, _)| *a == i)
        .find_map(|(_, f)| find(f))
    {
        return Some((doc, "chosen in the panel".to_string(), None));
    }
    choices
        .iter()
        .filter(|c| c.applies(alert))
        .find_map(|c| find(&c.runbook).map(|doc| (doc, c)))
        .map(|(doc, c)| {
            (
                doc,
                format!("chosen for alerts named `{}`", c.alert.trim()),
                Some(c.alert.trim().to_string()),
            )
        })
}

/// The mappings a pack ships: each page's front matter `chosen_for:` names, after the user's
/// and the policy's own choices (which come first).
pub(super) fn with_shipped(choices: &[Choice], pages: &[PageMeta]) -> Vec<Choice> {
    let shipped = pages.iter().flat_map(|p| {
        p.front.chosen_for.iter().map(|a| Choice {
            alert: a.clone(),
            runbook: p.file.clone(),
        })
    });
    choices.iter().cloned().chain(shipped).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::extract_alerts;

    fn alert(text: &str) -> Alert {
        extract_alerts(text).remove(0)
    }

    fn choice(a: &str, rb: &str) -> Choice {
        Choice {
            alert: a.into(),
            runbook: rb.into(),
        }
    }

    #[test]
    fn identity_is_the_situation_then_the_name_without_values() {
        let a = alert("- alert = ClusterSquadErrors\n- alert_situation = Delete_errors\n- region = eu-de\n- carrier_name = prod-fra02-carrier105\n");
        assert_eq!(alert_identity(&a), Some("Delete_errors"));
        let b = alert("- alertname = NodeNotReady\n- node = 10.1.2.3\n");
        assert_eq!(alert_identity(&b), Some("NodeNotReady"));
        assert_eq!(alert_identity(&alert("- pod = q-1\n")), None);
    }

    #[test]
    fn a_choice_applies_to_the_next_incident_of_the_same_alert_only() {
        let c = choice("etcd_backup_failed_fra02", "cluster/etcd.md");
        // Another zone and region: the same alert.
        assert!(c.applies(&alert(
            "- alertname = Other\n- alert_situation = etcd_backup_failed_dal10\n"
        )));
        assert!(c.applies(&alert("- alert_key = ETCD_backup_failed_lon04\n")));
        assert!(!c.applies(&alert("- alertname = etcd_restore_failed_fra02\n")));
        // A name only in free text or another field is not the alert's identity.
        assert!(!c.applies(&alert("- summary = etcd_backup_failed_fra02\n")));
        assert!(!choice(" ", "x.md").applies(&alert("- alertname = x\n")));
    }

    #[test]
    fn the_pick_in_the_panel_wins_then_the_first_mapping_whose_runbook_exists() {
        let files = ["a.md", "b.md", "c.md"];
        let files = |f: &str| files.iter().position(|x| *x == f);
        let a = alert("- alertname = NodeNotReady\n");
        let choices = [
            choice("NodeNotReady", "missing.md"),
            choice("NodeNotReady", "c.md"),
            choice("NodeNotReady", "b.md"),
        ];
        let got = chosen_for(&files, &a, 0, &[], &choices).expect("chosen");
        assert_eq!(got.0, 2);
        assert_eq!(got.1, "chosen for alerts named `NodeNotReady`");
        let picks = [(1, "a.md".to_string()), (0, "b.md".to_string())];
        assert_eq!(
            chosen_for(&files, &a, 0, &picks, &choices).map(|g| g.0),
            Some(1)
        );
        assert_eq!(chosen_for(&files, &a, 0, &[], &[]), None);
    }

    #[test]
    fn an_unnamed_side_is_refused_with_its_field() {
        assert_eq!(
            choice("", "a.md")
                .check("choices[0]")
                .expect_err("bad")
                .field,
            "choices[0].alert"
        );
        assert_eq!(
            choice("A", " ").check("choices[1]").expect_err("bad").field,
            "choices[1].runbook"
        );
        assert!(choice("A", "a.md").check("choices[0]").is_ok());
    }

    #[test]
    fn settings_files_and_policies_carry_choices() {
        let c = crate::config::Config::from_json(
            r#"{"choices": [{"alert": "NodeNotReady", "runbook": "armada/node-not-ready.md"}]}"#,
        )
        .expect("valid");
        assert_eq!(
            c.choices,
            [choice("NodeNotReady", "armada/node-not-ready.md")]
        );
        let e =
            crate::config::Config::from_json(r#"{"choices": [{"alert": "", "runbook": "a.md"}]}"#)
                .expect_err("unnamed alert");
        assert_eq!(e.field, "choices[0].alert");
        let (_, managed, notice) = crate::settings::Settings::load_with_policy(
            None,
            Some(r#"{"choices": [{"alert": "A", "runbook": "a.md"}]}"#),
        );
        assert_eq!(notice, None);
        assert_eq!(managed.choices, Some(vec![choice("A", "a.md")]));
    }

    #[test]
    fn explain_puts_a_mapped_runbook_first_with_its_reason() {
        let pack = crate::builtin::pack();
        let text = include_str!("../builtin/alerts/node-not-ready.txt");
        let mut config = crate::config::Config::default();
        let plain = crate::guidance::explain(&pack, text, None, &config, &[]);
        assert_eq!(plain.matches[0].runbook.file, "armada/node-not-ready.md");
        assert_eq!(plain.matches[0].chosen, None);
        let name = alert_identity(&extract_alerts(text)[0])
            .expect("named")
            .to_string();
        config.choices = vec![choice(&name, "armada/etcd-backup-failing.md")];
        let e = crate::guidance::explain(&pack, text, None, &config, &[]);
        let first = &e.matches[0];
        assert_eq!(first.runbook.file, "armada/etcd-backup-failing.md");
        assert_eq!(
            first.reasons[0],
            format!("chosen for alerts named `{name}`")
        );
        assert_eq!(first.chosen.as_deref(), Some(name.as_str()));
        // The runbook that fitted is still offered, below.
        assert!(e.matches[1..]
            .iter()
            .any(|m| m.runbook.file == "armada/node-not-ready.md"));
    }

    #[test]
    fn an_export_carries_the_choices_and_an_import_reads_them_back() {
        use crate::settings::{export_with_choices, exported_choices, Settings};
        let mine = vec![choice("NodeNotReady", "armada/node-not-ready.md")];
        let file = export_with_choices(&Settings::default(), &mine);
        assert_eq!(
            Settings::from_json(&file).expect("reads"),
            Settings::default()
        );
        assert_eq!(exported_choices(&file).expect("choices"), mine);
        // Older exports and the bare stored object have none; an unnamed side is refused.
        assert!(exported_choices(&Settings::default().export())
            .expect("old")
            .is_empty());
        assert!(exported_choices("{}").expect("bare").is_empty());
        let bad = file.replace("NodeNotReady", "");
        assert_eq!(
            exported_choices(&bad).expect_err("bad").field,
            "choices[0].alert"
        );
    }
}
