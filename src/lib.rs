//! Runbook Lens: from a PagerDuty alert's text to the team's runbook, the scenario that fits,
//! the log search, the escalation link and the runbook's commands filled from the alert.
//!
//! Everything here is plain Rust with no DOM access; the one door to JavaScript is [`web`],
//! compiled only for `wasm32`.

pub mod alert;
pub mod builtin;
pub mod config;
pub mod guidance;
mod json_fields;
pub mod lint;
pub mod matching;
pub mod pack;
pub mod page;
pub mod placeholder;
pub mod quote;
pub mod rules;
pub mod runbook;
pub mod settings;
pub mod shell;
pub mod text;
pub mod time;
pub mod vocabulary;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod web_protocol;
