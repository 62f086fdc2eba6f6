//! User and organisation settings the engine needs: the runbook site's base URL and the
//! per-region log search URL templates. Read from JSON; every mistake is reported with the
//! field it is in and how to fix it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::quote::{is_safe_link, url_component};

/// Settings that change how guidance is built.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Base URL of the runbook site; a runbook's `link` is appended to it
    /// (`https://pages.github.ibm.com/alchemy-conductors/documentation-pages/docs/runbooks`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_base_url: Option<String>,
    /// Region (as the alert's `region` / `crn_region` names it) → log search URL template with
    /// `{query}` (and optionally `{region}`), e.g.
    /// `https://app.us-south.logging.cloud.ibm.com/<instance>/logs/view?q={query}`.
    /// The key `*` applies to regions without their own template.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub log_search_urls: BTreeMap<String, String>,
    /// Runbooks chosen for alerts by name, first applicable wins:
    /// `[{"alert": "NodeNotReady", "runbook": "cluster/node-not-ready.md"}]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<crate::guidance::Choice>,
}

/// A settings mistake: the field it is in, what is wrong and how to fix it. One type for the
/// engine's configuration here and the extension's settings ([`crate::settings`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    pub field: String,
    pub message: String,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.field, self.message)
    }
}

impl std::error::Error for SettingsError {}

/// A [`SettingsError`] of `field`.
pub(crate) fn err(field: impl Into<String>, message: impl Into<String>) -> SettingsError {
    SettingsError {
        field: field.into(),
        message: message.into(),
    }
}

/// Checks the runbook site's base URL: an http(s) URL.
pub fn check_site_base_url(base: &str) -> Result<(), SettingsError> {
    if !is_safe_link(base) {
        return Err(err(
            "site_base_url",
            format!(
                "`{base}` is not an http(s) URL; write it like `https://runbooks.example.com/docs`"
            ),
        ));
    }
    Ok(())
}

/// Checks a log search URL template as the engine needs it: an http(s) URL with `{query}`.
/// The settings page also refuses what a preset left to fill in
/// ([`crate::settings::check_log_template`]).
pub fn check_log_search_url(field: &str, template: &str) -> Result<(), SettingsError> {
    if !is_safe_link(template) {
        return Err(err(field, format!("`{template}` is not an http(s) URL")));
    }
    if !template.contains("{query}") {
        return Err(err(
            field,
            "has no `{query}`: put `{query}` where the search text goes, e.g. `…/logs/view?q={query}`",
        ));
    }
    Ok(())
}

impl Config {
    /// Parses and validates settings JSON.
    pub fn from_json(json: &str) -> Result<Config, SettingsError> {
        let config: Config = serde_json::from_str(json).map_err(|e| {
            err(
                "(file)",
                format!(
                    "{e}; expected an object like {{\"site_base_url\": \"https://…\", \"log_search_urls\": {{\"us-south\": \"https://…?q={{query}}\"}}}}"
                ),
            )
        })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks every URL and template.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if let Some(base) = &self.site_base_url {
            check_site_base_url(base)?;
        }
        for (region, template) in &self.log_search_urls {
            check_log_search_url(&format!("log_search_urls.{region}"), template)?;
        }
        for (i, c) in self.choices.iter().enumerate() {
            c.check(&format!("choices[{i}]"))?;
        }
        Ok(())
    }

    /// The full URL of a runbook page whose front matter `link` is `link`.
    pub fn runbook_url(&self, link: &str) -> Option<String> {
        if is_safe_link(link) {
            return Some(link.to_string());
        }
        let base = self.site_base_url.as_deref()?;
        Some(format!(
            "{}/{}",
            base.trim_end_matches('/'),
            link.trim_start_matches("./").trim_start_matches('/')
        ))
    }

    /// The direct log search URL for `query` in `region`, when a template is configured.
    pub fn log_search_url(&self, region: Option<&str>, query: &str) -> Option<String> {
        let template = region
            .and_then(|r| self.log_search_urls.get(r))
            .or_else(|| self.log_search_urls.get("*"))?;
        let region_value = region.unwrap_or("");
        // Single pass so text inserted for one marker is never scanned for the other.
        let mut out = String::with_capacity(template.len() + query.len() * 3);
        let mut rest = template.as_str();
        while let Some(pos) = rest.find('{') {
            out.push_str(&rest[..pos]);
            let tail = &rest[pos..];
            if let Some(after) = tail.strip_prefix("{query}") {
                out.push_str(&url_component(query));
                rest = after;
            } else if let Some(after) = tail.strip_prefix("{region}") {
                out.push_str(&url_component(region_value));
                rest = after;
            } else {
                out.push('{');
                rest = &tail[1..];
            }
        }
        out.push_str(rest);
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_url_encodes_query_once() {
        let c = Config::from_json(r#"{"log_search_urls": {"us-south": "https://app.{region}.logging.cloud.ibm.com/abc/logs/view?q={query}"}}"#)
            .expect("valid");
        let url = c
            .log_search_url(Some("us-south"), "callbackName:A reasonCode:\"b {region}\"")
            .expect("url");
        assert_eq!(url, "https://app.us-south.logging.cloud.ibm.com/abc/logs/view?q=callbackName%3AA%20reasonCode%3A%22b%20%7Bregion%7D%22");
        assert_eq!(c.log_search_url(Some("eu-de"), "x"), None);
    }

    #[test]
    fn bad_settings_name_the_field() {
        let e = Config::from_json(r#"{"log_search_urls": {"us-south": "javascript:alert(1)"}}"#)
            .expect_err("invalid");
        assert_eq!(e.field, "log_search_urls.us-south");
        let e = Config::from_json(r#"{"log_search_urls": {"eu-de": "https://x/logs"}}"#)
            .expect_err("invalid");
        assert!(e.message.contains("{query}"));
        assert!(Config::from_json(r#"{"bogus": 1}"#).is_err());
    }

    #[test]
    fn runbook_urls() {
        let c = Config {
            site_base_url: Some("https://site/docs/runbooks/".into()),
            ..Config::default()
        };
        assert_eq!(
            c.runbook_url("/cluster/a.html").as_deref(),
            Some("https://site/docs/runbooks/cluster/a.html")
        );
        assert_eq!(Config::default().runbook_url("/cluster/a.html"), None);
    }
}
