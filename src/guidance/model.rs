//! The guidance's data: what `explain` answers for an incident, one runbook match and its
//! parts. This is also the JSON of `runbook-lens explain --json`, a public interface: field
//! names and shapes stay as they are.

use serde::{Deserialize, Serialize};

use crate::alert::Field;
use crate::placeholder::Unresolved;
use crate::runbook::LinkKind;

/// The answer for one incident text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Explanation {
    pub alerts: Vec<AlertGuidance>,
    /// The matches of the first alert (kept at the top level for single-alert callers).
    pub matches: Vec<Match>,
    /// Notices about the input (text cut at the size limit, no alert found).
    #[serde(default)]
    pub notices: Vec<String>,
}

/// One alert of the incident and its matches.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlertGuidance {
    pub title: Option<String>,
    pub fields: Vec<Field>,
    /// Best first; empty when no runbook fits.
    pub matches: Vec<Match>,
    /// Said when nothing fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the alert fires (region, carrier, environment), when its fields say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    /// Set when the text shows only the alert's title (its details are collapsed on the page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_only: Option<TitleOnly>,
}

/// Where an alert fires, as its fields (or its PagerDuty title) say: each part only when known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The carrier or tugboat (`prod-dal10-carrier103`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
    /// The environment's name in the CRN (`bluemix`, `staging`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
}

/// An alert read from its title alone: which values its details would add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleOnly {
    /// The placeholders of the best match that nothing fills yet and that the runbook's Example
    /// Alert shows in an alert's details (`operation`, `reason_code`); may be empty.
    pub missing: Vec<String>,
}

/// A runbook as a match shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunbookRef {
    pub title: String,
    /// The front matter `link`.
    pub link: Option<String>,
    /// The full URL of the page, when the site base URL is configured.
    pub url: Option<String>,
    /// Path relative to the pack root.
    pub file: String,
    pub service: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// The chosen section of the runbook.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scenario {
    pub heading: String,
    pub anchor: String,
    /// Headings from the top-level section down to this one.
    pub path: Vec<String>,
    pub reasons: Vec<String>,
    /// Index of the section in the runbook.
    pub section: usize,
}

/// The log search a runbook names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LogSearch {
    /// The query with alert values filled in and quoted for the log tool.
    pub query: Option<String>,
    /// The query as the runbook writes it.
    pub template: Option<String>,
    /// Direct search link, when a URL template is configured for the alert's region.
    pub url: Option<String>,
    /// The dashboard the runbook points to for logs.
    pub dashboard: Option<String>,
    pub unresolved: Vec<Unresolved>,
    /// The time window of the search URL, when its template has `{from}`/`{to}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<LogWindow>,
}

/// The time span a log search URL covers: the anchor time ± the window setting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogWindow {
    /// The anchor time (ms since 1970, UTC).
    pub at: i64,
    pub from: i64,
    pub to: i64,
    /// Minutes either side of `at`.
    pub minutes: u32,
    /// Where `at` comes from (`the alert's startsAt`); absent when the time is unknown and
    /// the window is around the moment the guidance was built.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// What the panel and `explain` say about the window.
    pub note: String,
}

/// Whom to escalate to.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Escalation {
    pub url: Option<String>,
    /// The link text (`troutbridge`).
    pub name: Option<String>,
    /// What the escalation section says, shortened.
    pub text: Option<String>,
}

/// A link worth a click.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActionLink {
    pub text: String,
    pub url: String,
    pub kind: LinkKind,
}

/// One command of a sequence.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommandStep {
    /// The command with placeholders filled and values quoted; unresolved ones stay `<name>`.
    pub text: String,
    /// The command as the runbook writes it.
    pub template: String,
    /// The list item or paragraph the command stands in, as plain text.
    pub description: String,
    pub unresolved: Vec<Unresolved>,
    /// Filled values that look wrong for their placeholder (see `placeholder::value_problem`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ValueWarning>,
}

/// A filled value that does not look like what its placeholder expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueWarning {
    pub name: String,
    pub value: String,
    pub problem: String,
}

/// An ordered run of commands (one list of the runbook, or one code block).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CommandSequence {
    /// The heading of the section it is in.
    pub section: String,
    /// The sentence before the list (`In this scenario SRE can:`), when there is one.
    pub intro: Option<String>,
    pub steps: Vec<CommandStep>,
}

/// A runbook matched to an alert, with its filled guidance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Match {
    pub runbook: RunbookRef,
    pub score: f32,
    pub confident: bool,
    pub reasons: Vec<String>,
    pub scenario: Option<Scenario>,
    /// Said when no scenario fits (follow the escalation).
    pub scenario_note: Option<String>,
    pub log_search: LogSearch,
    pub escalation: Escalation,
    pub links: Vec<ActionLink>,
    pub commands: Vec<CommandSequence>,
    /// Every unresolved placeholder of the commands and query, once, with hints.
    pub unresolved: Vec<Unresolved>,
    /// The values extraction rules read (settings and the runbook's front matter), each with
    /// its rule and where it was read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_values: Vec<RuleValue>,
    /// Set when the runbook was chosen by hand rather than ranked first: the alert name of the
    /// mapping that chose it, or empty when it was picked in the panel for this incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
}

/// A value an extraction rule read: the group's name, the value, the rule's pattern, and where
/// it was read (`log line 1`, `alert`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleValue {
    pub name: String,
    pub value: String,
    pub rule: String,
    pub source: String,
}
