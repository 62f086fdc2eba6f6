//! Matching: an alert → ranked runbooks with the reasons, then the scenario inside the best
//! runbook. Exact identifiers (alert name, `alert_situation`, `alert_key`, service, PD title
//! parts, names in the Example Alert) weigh most; words add evidence; values that differ
//! between incidents (region, carrier, IDs, numbers, IPs) never count. The weights and why each
//! has its value are in [`crate::vocabulary::weights`].
//!
//! - `features`: the identifiers and words of an alert, and Example Alert patterns.
//! - `build`: the pack's index, built from its pages and written into the pack.
//! - `index`: the pack's index, looked up in place in the pack's bytes.
//! - `rank`: ranking the pages of an index for one alert, with reasons.
//! - `scenario`: the section of a runbook that fits the alert (and a log line).
//! - `search`: finding a runbook by words of its title, file, service or text.

mod build;
mod features;
mod index;
mod rank;
mod scenario;
mod search;

pub(crate) use build::Built;
pub use index::Index;
pub use rank::{rank, Ranked};
pub use scenario::{choose_scenario, ScenarioChoice};
pub use search::search;
