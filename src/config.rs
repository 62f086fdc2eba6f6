//! User and organisation settings the engine needs: the runbook site's base URL and the
//! per-region log search URL templates. Read from JSON; every mistake is reported with the
//! field it is in and how to fix it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::guidance::Choice;
use crate::json_fields::{
    deserialize_with, parse, string, string_map, strings, uint, Fields, Read,
};
use crate::quote::{is_safe_link, url_component};

/// Settings that change how guidance is built.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Config {
    /// Base URL of the runbook site; a runbook's `link` is appended to it
    /// (`https://pages.github.ibm.com/alchemy-conductors/documentation-pages/docs/runbooks`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_base_url: Option<String>,
    /// Region (as the alert's `region` / `crn_region` names it) → log search URL template with
    /// `{query}` (and optionally `{region}`), e.g.
    /// `https://app.us-south.logging.cloud.ibm.com/<instance>/logs/view?q={query}`.
    /// The key `*` applies to regions without their own template.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub log_search_urls: BTreeMap<String, String>,
    /// Minutes before and after the alert's time that a search URL with `{from}`/`{to}` (or
    /// `{from_iso}`/`{to_iso}`) covers; [`DEFAULT_WINDOW_MINUTES`] when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_window_minutes: Option<u32>,
    /// Extraction rules: regular expressions whose named groups fill the placeholders of the
    /// same name, run over the alert's text and each pasted log line (see [`crate::rules`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extract: Vec<String>,
    /// Runbooks chosen for alerts by name, first applicable wins:
    /// `[{"alert": "NodeNotReady", "runbook": "cluster/node-not-ready.md"}]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
}

impl Config {
    /// The configuration object, unchecked.
    fn read(v: &Value, at: &str) -> Read<Config> {
        let known = [
            "site_base_url",
            "log_search_urls",
            "log_window_minutes",
            "extract",
            "choices",
        ];
        let f = Fields::of(v, at, "(file)", Some(&known))?;
        Ok(Config {
            site_base_url: f.opt("site_base_url", string)?,
            log_search_urls: f.or("log_search_urls", BTreeMap::new(), string_map)?,
            log_window_minutes: f.opt("log_window_minutes", uint)?,
            extract: f.or("extract", Vec::new(), strings)?,
            choices: f.or("choices", Vec::new(), Choice::read_list)?,
        })
    }
}

impl<'de> Deserialize<'de> for Config {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(d, Config::read)
    }
}

/// The log window's half-width when `log_window_minutes` is unset.
pub const DEFAULT_WINDOW_MINUTES: u32 = 30;

/// The widest log window setting: a day either side.
pub const MAX_WINDOW_MINUTES: u32 = 1440;

/// The markers of a search URL template that take the window's ends.
const TIME_MARKERS: [&str; 4] = ["{from}", "{to}", "{from_iso}", "{to_iso}"];

/// True when a search URL template needs a time window.
pub fn uses_time(template: &str) -> bool {
    TIME_MARKERS.iter().any(|m| template.contains(m))
}

/// Checks `log_window_minutes`: 1 to [`MAX_WINDOW_MINUTES`].
pub fn check_window_minutes(minutes: u32) -> Result<(), SettingsError> {
    if !(1..=MAX_WINDOW_MINUTES).contains(&minutes) {
        return Err(err(
            "log_window_minutes",
            format!("{minutes} is out of range: the log window is 1 to {MAX_WINDOW_MINUTES} minutes either side of the alert's time ({DEFAULT_WINDOW_MINUTES} when unset)"),
        ));
    }
    Ok(())
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
        let config = parse(json, "(file)")
            .and_then(|v| Config::read(&v, ""))
            .map_err(|e| {
                err(
                    e.field,
                    format!(
                        "{}; expected an object like {{\"site_base_url\": \"https://…\", \"log_search_urls\": {{\"us-south\": \"https://…?q={{query}}\"}}}}",
                        e.message
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
        if let Some(m) = self.log_window_minutes {
            check_window_minutes(m)?;
        }
        crate::rules::check_patterns("extract", &self.extract)?;
        for (i, c) in self.choices.iter().enumerate() {
            c.check(&format!("choices[{i}]"))?;
        }
        Ok(())
    }

    /// The log window's half-width in minutes.
    pub fn window_minutes(&self) -> u32 {
        self.log_window_minutes.unwrap_or(DEFAULT_WINDOW_MINUTES)
    }

    /// The search URL template for `region` (else the `*` one).
    pub fn log_template(&self, region: Option<&str>) -> Option<&String> {
        region
            .and_then(|r| self.log_search_urls.get(r))
            .or_else(|| self.log_search_urls.get("*"))
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

    /// The direct log search URL for `query` in `region`, when a template is configured and
    /// needs no time window.
    pub fn log_search_url(&self, region: Option<&str>, query: &str) -> Option<String> {
        self.log_search_url_at(region, query, None)
    }

    /// The direct log search URL for `query` in `region` over `window` (`from`, `to` in ms since
    /// 1970), when a template is configured; `None` when the template has `{from}`/`{to}` and
    /// no window is given.
    pub fn log_search_url_at(
        &self,
        region: Option<&str>,
        query: &str,
        window: Option<(i64, i64)>,
    ) -> Option<String> {
        let template = self.log_template(region)?;
        if window.is_none() && uses_time(template) {
            return None;
        }
        let (from, to) = window.unwrap_or_default();
        let region_value = region.unwrap_or("");
        // Single pass so text inserted for one marker is never scanned for the other.
        let mut out = String::with_capacity(template.len() + query.len() * 3);
        let mut rest = template.as_str();
        while let Some(pos) = rest.find('{') {
            out.push_str(&rest[..pos]);
            let tail = &rest[pos..];
            // The marker's name up to its `}`; other text in braces stays as it is.
            let name = tail.find('}').map_or("", |e| &tail[1..e]);
            let value = match name {
                "query" => url_component(query),
                "region" => url_component(region_value),
                "from" => from.to_string(),
                "to" => to.to_string(),
                "from_iso" => url_component(&crate::time::iso(from)),
                "to_iso" => url_component(&crate::time::iso(to)),
                _ => {
                    out.push('{');
                    rest = &tail[1..];
                    continue;
                }
            };
            out.push_str(&value);
            rest = &tail[name.len() + 2..];
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

    #[test]
    fn time_markers_take_the_window_and_need_one() {
        let c = Config::from_json(r#"{"log_search_urls": {"*": "https://x/?q={query}&from={from}&to={to}&a={from_iso}&b={to_iso}&c={fromx}"}}"#)
            .expect("valid");
        let url = c
            .log_search_url_at(Some("eu-de"), "a {from}", Some((1_000, 61_000)))
            .expect("url");
        assert_eq!(url, "https://x/?q=a%20%7Bfrom%7D&from=1000&to=61000&a=1970-01-01T00%3A00%3A01Z&b=1970-01-01T00%3A01%3A01Z&c={fromx}");
        // Without a window such a template builds no link rather than a wrong one.
        assert_eq!(c.log_search_url(Some("eu-de"), "x"), None);
        assert_eq!(c.window_minutes(), DEFAULT_WINDOW_MINUTES);
    }

    #[test]
    fn window_minutes_are_bounded() {
        for (json, ok) in [
            (r#"{"log_window_minutes": 30}"#, true),
            (r#"{"log_window_minutes": 1440}"#, true),
            (r#"{"log_window_minutes": 0}"#, false),
            (r#"{"log_window_minutes": 1441}"#, false),
        ] {
            match Config::from_json(json) {
                Ok(_) => assert!(ok, "{json}"),
                Err(e) => {
                    assert!(!ok, "{json}: {e}");
                    assert_eq!(e.field, "log_window_minutes");
                    assert!(e.message.contains("1 to 1440"), "{e}");
                }
            }
        }
        assert!(Config::from_json(r#"{"log_window_minutes": -5}"#).is_err());
        assert!(Config::from_json(r#"{"log_window_minutes": "30"}"#).is_err());
    }
}
