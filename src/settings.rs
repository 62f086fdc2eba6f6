//! A user's settings and the organisation's managed policy: which runbook packs are on, the
//! runbook site, per-region log search URLs, pack URLs, and placeholder values remembered per
//! environment. Stored as JSON (the extension's `storage.local`), exported and imported as one
//! file. Every mistake names the field and the fix; a corrupted store falls back to defaults
//! with a notice instead of a blank panel.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::alert::Alert;
pub use crate::config::SettingsError;
use crate::config::{check_log_search_url, check_site_base_url, check_window_minutes, err, Config};
use crate::guidance::Choice;
use crate::json_fields::{uint, Fields};
use crate::quote::is_safe_link;
use crate::text::normalize_key;
use read::{probe, EXPORT_FIELDS};

mod read;

/// The `format` of an exported settings file.
pub const SETTINGS_FORMAT: &str = "runbook-lens-settings";
/// The version of the settings this build writes and reads.
pub const SETTINGS_VERSION: u32 = 1;

fn yes() -> bool {
    true
}

fn day() -> u32 {
    24
}

/// A stored pack's entry (its parsed runbooks are stored apart, under the pack's id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackEntry {
    pub id: String,
    pub name: String,
    pub enabled: bool,
    pub pages: usize,
    pub problems: usize,
    /// Where it came from: a folder name, file names, or a URL.
    pub source: String,
}

/// A published pack file (an organisation's `runbook-lens pack` output on a web server) the
/// extension downloads and refreshes on a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackUrl {
    pub url: String,
    pub refresh_hours: u32,
}

/// The most hours between two refreshes of a pack URL (a week).
pub const MAX_REFRESH_HOURS: u32 = 24 * 7;

impl PackUrl {
    /// The host permission the extension needs to download `url` (`https://host/*`; match
    /// patterns carry no port), or nothing when `url` is not an https URL.
    pub fn origin_pattern(url: &str) -> Option<String> {
        let lower = url.to_ascii_lowercase();
        let rest = lower.strip_prefix("https://")?;
        let authority = rest.split(['/', '?', '#']).next()?;
        let host = authority
            .rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(authority, |(h, _)| h);
        if host.is_empty()
            || host.contains('@')
            || !host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return None;
        }
        Some(format!("https://{host}/*"))
    }
}

/// What the extension's background last did with a pack URL (written by
/// `extension/background.js`, an object URL → status under its own storage key).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PackUrlStatus {
    /// When it was last tried (ms since 1970).
    #[serde(default)]
    pub checked: Option<f64>,
    /// When a pack was last downloaded and stored.
    #[serde(default)]
    pub fetched: Option<f64>,
    #[serde(default)]
    pub pages: Option<usize>,
    /// Why the last try failed (the stored pack, if any, is the previous one).
    #[serde(default)]
    pub error: Option<String>,
    /// The extension may not reach the URL's site yet: the user has to allow it.
    #[serde(default)]
    pub needs_permission: bool,
}

/// Checks a pack URL: https, a host, nothing that is not a URL.
pub fn check_pack_url(field: &str, url: &str) -> Result<(), SettingsError> {
    if !url.to_ascii_lowercase().starts_with("https://") || !is_safe_link(url) {
        return Err(err(field, format!("`{url}` must be an https:// URL")));
    }
    if PackUrl::origin_pattern(url).is_none()
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(err(field, format!("`{url}` is not a plain https:// URL of a file (a host name, no spaces, no user name)")));
    }
    Ok(())
}

/// Which incidents a remembered value applies to.
///
/// Read by [`Scope::read`] rather than as serde's internally tagged enum: that would
/// buffer every value through serde's generic `Content` tree, which cost the panel's wasm
/// several KB for this one small type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// One environment: the alert's `crn_cname` in one region (`bluemix` in `us-south`).
    Environment { cname: String, region: String },
    /// One carrier or tugboat (`prod-dal10-carrier103`).
    Carrier { carrier: String },
}

impl Scope {
    /// The scope of this kind that `alert` belongs to, when the alert says.
    pub fn of(alert: &Alert, carrier: bool) -> Option<Scope> {
        if carrier {
            alert.carrier().map(|c| Scope::Carrier {
                carrier: c.to_string(),
            })
        } else {
            let cname = alert.environment()?;
            let region = alert.region()?;
            Some(Scope::Environment {
                cname: cname.to_string(),
                region: region.to_string(),
            })
        }
    }

    fn matches(&self, alert: &Alert) -> bool {
        match self {
            Scope::Environment { cname, region } => {
                alert.environment() == Some(cname.as_str())
                    && alert.region() == Some(region.as_str())
            }
            Scope::Carrier { carrier } => alert.carrier() == Some(carrier.as_str()),
        }
    }

    /// How the scope reads in the options page.
    pub fn label(&self) -> String {
        match self {
            Scope::Environment { cname, region } => format!("{cname} in {region}"),
            Scope::Carrier { carrier } => format!("carrier {carrier}"),
        }
    }
}

/// A placeholder value remembered for a scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Remembered {
    pub scope: Scope,
    /// The placeholder's name as the runbook writes it (`account`).
    pub name: String,
    pub value: String,
}

/// Everything the user set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    /// Whether the built-in example pack is used.
    pub builtin_pack: bool,
    pub packs: Vec<PackEntry>,
    pub pack_urls: Vec<PackUrl>,
    pub site_base_url: Option<String>,
    /// Region (or `*`) → log search URL with `{query}`.
    pub log_search_urls: BTreeMap<String, String>,
    pub remembered: Vec<Remembered>,
    /// True once the user switched the built-in example pack on or off themselves: until then
    /// it is on only while the team has no runbooks of its own
    /// ([`Settings::builtin_pack_on`]).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub builtin_pack_chosen: bool,
    /// Minutes either side of the alert's time a log search with `{from}`/`{to}` covers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_window_minutes: Option<u32>,
    /// Extraction rules (regular expressions with named groups), see [`crate::rules`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extract: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            builtin_pack: true,
            packs: Vec::new(),
            pack_urls: Vec::new(),
            site_base_url: None,
            log_search_urls: BTreeMap::new(),
            remembered: Vec::new(),
            builtin_pack_chosen: false,
            log_window_minutes: None,
            extract: Vec::new(),
        }
    }
}

/// What an administrator sets by enterprise policy (`storage.managed`); each value set
/// overrides the user's and shows as locked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Managed {
    pub pack_urls: Option<Vec<String>>,
    pub site_base_url: Option<String>,
    pub log_search_urls: Option<BTreeMap<String, String>>,
    pub log_window_minutes: Option<u32>,
    pub extract: Option<Vec<String>>,
    /// Runbooks the organisation chooses for alerts by name; the user's own choices come
    /// first, so this does not lock anything.
    pub choices: Option<Vec<Choice>>,
}

impl Managed {
    /// The settings fields the policy locks.
    pub fn locked(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.pack_urls.is_some() {
            out.push("pack_urls");
        }
        if self.site_base_url.is_some() {
            out.push("site_base_url");
        }
        if self.log_search_urls.is_some() {
            out.push("log_search_urls");
        }
        if self.log_window_minutes.is_some() {
            out.push("log_window_minutes");
        }
        if self.extract.is_some() {
            out.push("extract");
        }
        out
    }
}

/// Ready-made log search URL templates; `<…>` parts are the user's to fill in.
pub const LOG_PRESETS: &[(&str, &str)] = &[
    (
        "IBM Log Analysis (LogDNA)",
        "https://app.{region}.logging.cloud.ibm.com/<instance-id>/logs/view?q={query}",
    ),
    (
        "Mezmo",
        "https://app.mezmo.com/<account-id>/logs/view?q={query}",
    ),
    (
        "IBM Cloud Logs",
        "https://dashboard.{region}.logs.cloud.ibm.com/<instance-guid>/?query={query}",
    ),
];

/// Checks a log search template: http(s), with `{query}`, and no `<…>` left from a preset.
pub fn check_log_template(field: &str, template: &str) -> Result<(), SettingsError> {
    check_log_search_url(field, template)?;
    if let Some(start) = template.find('<') {
        let part = template[start..].split('>').next().unwrap_or("<");
        return Err(err(
            field,
            format!("still has `{part}>` from the preset: replace it with your own value"),
        ));
    }
    Ok(())
}

impl Settings {
    /// Checks every field.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if let Some(base) = &self.site_base_url {
            check_site_base_url(base)?;
        }
        for (region, template) in &self.log_search_urls {
            let field = format!("log_search_urls.{region}");
            if region != "*"
                && (region.is_empty()
                    || !region
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            {
                return Err(err(field, "a region is written like `us-south` or `eu-de` (or `*` for every other region)"));
            }
            check_log_template(&field, template)?;
        }
        if let Some(m) = self.log_window_minutes {
            check_window_minutes(m)?;
        }
        for (i, p) in self.pack_urls.iter().enumerate() {
            check_pack_url(&format!("pack_urls[{i}].url"), &p.url)?;
            if p.refresh_hours == 0 || p.refresh_hours > MAX_REFRESH_HOURS {
                return Err(err(
                    format!("pack_urls[{i}].refresh_hours"),
                    format!("refresh every 1 to {MAX_REFRESH_HOURS} hours"),
                ));
            }
            if self.pack_urls[..i].iter().any(|q| q.url == p.url) {
                return Err(err(
                    format!("pack_urls[{i}].url"),
                    format!("`{}` is listed twice", p.url),
                ));
            }
        }
        let mut ids: Vec<&str> = Vec::new();
        for (i, p) in self.packs.iter().enumerate() {
            if p.id.is_empty() || ids.contains(&p.id.as_str()) {
                return Err(err(
                    format!("packs[{i}].id"),
                    "every pack needs its own non-empty id",
                ));
            }
            ids.push(&p.id);
        }
        for (i, r) in self.remembered.iter().enumerate() {
            if normalize_key(&r.name).is_empty() {
                return Err(err(
                    format!("remembered[{i}].name"),
                    "names the placeholder, like `account`",
                ));
            }
        }
        crate::rules::check_patterns("extract", &self.extract)?;
        Ok(())
    }

    /// Parses and checks stored or exported settings (the bare object or an export file).
    pub fn from_json(json: &str) -> Result<Settings, SettingsError> {
        let (doc, format) = probe(json)?;
        let settings = match format.as_deref() {
            Some(SETTINGS_FORMAT) => {
                // The chosen runbooks are read by [`exported_choices`].
                let file = Fields::of(&doc, "", "(file)", Some(&EXPORT_FIELDS))?;
                let version = file.need("version", uint)?;
                let settings = file.need("settings", Settings::read)?;
                if version != SETTINGS_VERSION {
                    return Err(err(
                        "version",
                        format!(
                            "settings version {version}; this build reads version {SETTINGS_VERSION}"
                        ),
                    ));
                }
                settings
            }
            Some(other) => {
                return Err(err(
                    "format",
                    format!(
                    "`{other}` is not a Runbook Lens settings file (expected `{SETTINGS_FORMAT}`)"
                ),
                ))
            }
            // The bare settings object, as storage keeps it.
            None => Settings::read(&doc, "")?,
        };
        settings.validate()?;
        Ok(settings)
    }

    /// Reads the stored settings; a missing store gives defaults silently, a corrupted one
    /// gives defaults and the notice to show.
    pub fn load_or_default(stored: Option<&str>) -> (Settings, Option<String>) {
        match stored {
            None => (Settings::default(), None),
            Some(json) => match Settings::from_json(json) {
                Ok(s) => (s, None),
                Err(e) => (Settings::default(), Some(format!("Your saved Runbook Lens settings could not be read ({e}); the defaults are in use until you save them again."))),
            },
        }
    }

    /// Reads the stored settings and the managed policy (JSON of `storage.managed`) together;
    /// either one that cannot be read falls back to its defaults, with the notice to show.
    pub fn load_with_policy(
        stored: Option<&str>,
        managed: Option<&str>,
    ) -> (Settings, Managed, Option<String>) {
        let (settings, mut notice) = Settings::load_or_default(stored);
        let managed = match managed.map(Managed::from_json) {
            None => Managed::default(),
            Some(Ok(m)) => m,
            Some(Err(e)) => {
                notice = Some(format!("Your organisation's Runbook Lens policy could not be read ({e}); your own settings are in use."));
                Managed::default()
            }
        };
        (settings, managed, notice)
    }

    /// The export file: settings with a format marker, pretty-printed.
    pub fn export(&self) -> String {
        let doc = serde_json::json!({ "format": SETTINGS_FORMAT, "version": SETTINGS_VERSION, "settings": self });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }

    /// The engine's configuration: these settings with the managed policy on top.
    pub fn config(&self, managed: &Managed) -> Config {
        Config {
            site_base_url: managed
                .site_base_url
                .clone()
                .or_else(|| self.site_base_url.clone()),
            log_search_urls: managed
                .log_search_urls
                .clone()
                .unwrap_or_else(|| self.log_search_urls.clone()),
            log_window_minutes: managed.log_window_minutes.or(self.log_window_minutes),
            extract: managed
                .extract
                .clone()
                .unwrap_or_else(|| self.extract.clone()),
            choices: Vec::new(),
        }
    }

    /// The pack URLs in force: the policy's when it sets them (those that are https URLs;
    /// refreshed daily), else the user's.
    pub fn effective_pack_urls(&self, managed: &Managed) -> Vec<PackUrl> {
        match &managed.pack_urls {
            Some(urls) => {
                let mut out: Vec<PackUrl> = Vec::new();
                for u in urls {
                    if check_pack_url("pack_urls", u).is_ok() && !out.iter().any(|p| &p.url == u) {
                        out.push(PackUrl {
                            url: u.clone(),
                            refresh_hours: day(),
                        });
                    }
                }
                out
            }
            None => self.pack_urls.clone(),
        }
    }

    /// The remembered values that apply to `alert`, as (placeholder, value).
    pub fn remembered_for(&self, alert: &Alert) -> Vec<(String, String)> {
        self.remembered
            .iter()
            .filter(|r| r.scope.matches(alert))
            .map(|r| (r.name.clone(), r.value.clone()))
            .collect()
    }

    /// Remembers `value` for placeholder `name` in `alert`'s environment (or carrier), replacing
    /// what was remembered there for that name.
    pub fn remember(
        &mut self,
        alert: &Alert,
        per_carrier: bool,
        name: &str,
        value: &str,
    ) -> Result<(), SettingsError> {
        let scope = Scope::of(alert, per_carrier).ok_or_else(|| {
            err(
                "scope",
                if per_carrier {
                    "the alert names no `carrier_name`; remember it per environment instead"
                } else {
                    "the alert names no `crn_cname` and region; remember it per carrier instead"
                },
            )
        })?;
        let key = normalize_key(name);
        self.remembered
            .retain(|r| !(r.scope == scope && normalize_key(&r.name) == key));
        if !value.is_empty() {
            self.remembered.push(Remembered {
                scope,
                name: name.to_string(),
                value: value.to_string(),
            });
        }
        Ok(())
    }
}

impl Settings {
    /// Whether the built-in example pack is used: as the user chose it, else only while the
    /// team has no runbooks of its own (no imported pack, no pack URL of theirs or of the
    /// policy). The example is a rewrite of one real page and would compete with the team's own
    /// page for the same alert (issue 11).
    pub fn builtin_pack_on(&self, managed: &Managed) -> bool {
        if self.builtin_pack_chosen {
            return self.builtin_pack;
        }
        self.builtin_pack && !self.has_team_packs(managed)
    }

    /// True when the team has runbooks of its own: an imported pack or a pack URL in force.
    pub fn has_team_packs(&self, managed: &Managed) -> bool {
        !self.packs.is_empty() || !self.effective_pack_urls(managed).is_empty()
    }
}

/// The export file of `settings` with the runbooks chosen for alerts.
pub fn export_with_choices(settings: &Settings, choices: &[Choice]) -> String {
    let doc = serde_json::json!({ "format": SETTINGS_FORMAT, "version": SETTINGS_VERSION, "settings": settings, "choices": choices });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The chosen runbooks of an export file (none in a bare settings object or an older file),
/// each checked; read after [`Settings::from_json`] accepted the file.
pub fn exported_choices(json: &str) -> Result<Vec<Choice>, SettingsError> {
    let (doc, format) = probe(json)?;
    if format.as_deref() != Some(SETTINGS_FORMAT) {
        return Ok(Vec::new());
    }
    let choices =
        Fields::of(&doc, "", "(file)", None)?.or("choices", Vec::new(), Choice::read_list)?;
    for (i, c) in choices.iter().enumerate() {
        c.check(&format!("choices[{i}]"))?;
    }
    Ok(choices)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::extract_alerts;

    fn alert(text: &str) -> Alert {
        extract_alerts(text).into_iter().next().unwrap_or_default()
    }

    #[test]
    fn scopes_read_as_they_are_written_and_wrong_ones_are_refused() {
        for scope in [
            Scope::Environment {
                cname: "bluemix".into(),
                region: "us-south".into(),
            },
            Scope::Carrier {
                carrier: "prod-dal10-carrier103".into(),
            },
        ] {
            let json = serde_json::to_string(&scope).expect("writes");
            assert_eq!(serde_json::from_str::<Scope>(&json).ok(), Some(scope));
        }
        for (bad, says) in [
            (
                r#"{"kind":"planet","carrier":"x"}"#,
                "unknown scope kind `planet`",
            ),
            (r#"{"kind":"carrier"}"#, "a `carrier` scope has `carrier`"),
            (
                r#"{"kind":"carrier","carrier":"x","region":"y"}"#,
                "nothing else",
            ),
            (
                r#"{"kind":"environment","cname":"b"}"#,
                "has `cname` and `region`",
            ),
            (
                r#"{"kind":"carrier","carrier":"x","moon":1}"#,
                "unknown field `moon`",
            ),
        ] {
            let err = serde_json::from_str::<Scope>(bad)
                .expect_err(bad)
                .to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn remembered_values_apply_to_their_environment_only() {
        let us = alert(
            "- crn_cname = bluemix\n- region = us-south\n- carrier_name = prod-dal10-carrier103\n",
        );
        let eu = alert(
            "- crn_cname = bluemix\n- region = eu-de\n- carrier_name = prod-fra02-carrier105\n",
        );
        let mut s = Settings::default();
        s.remember(&us, false, "account", "1a2b").expect("scope");
        s.remember(&us, true, "resource_group", "rg-1")
            .expect("scope");
        assert_eq!(
            s.remembered_for(&us),
            vec![
                ("account".to_string(), "1a2b".to_string()),
                ("resource_group".to_string(), "rg-1".to_string())
            ]
        );
        assert!(s.remembered_for(&eu).is_empty());
        // Saving again replaces; an empty value forgets.
        s.remember(&us, false, "ACCOUNT", "9z").expect("scope");
        assert_eq!(
            s.remembered_for(&us)[1],
            ("ACCOUNT".to_string(), "9z".to_string())
        );
        s.remember(&us, false, "account", "").expect("scope");
        assert_eq!(s.remembered_for(&us).len(), 1);
        assert!(s
            .remember(&alert("- alert = x\n"), false, "account", "1")
            .is_err());
    }

    #[test]
    fn export_round_trips_and_bad_files_name_the_field() {
        let mut s = Settings {
            site_base_url: Some("https://runbooks.example.com".into()),
            ..Settings::default()
        };
        s.log_search_urls.insert(
            "us-south".into(),
            "https://app.us-south.logging.cloud.ibm.com/abc/logs/view?q={query}".into(),
        );
        assert_eq!(Settings::from_json(&s.export()).expect("round trip"), s);
        let e = Settings::from_json(r#"{"log_search_urls": {"us-south": "https://app.us-south.logging.cloud.ibm.com/<instance-id>/logs/view?q={query}"}}"#).expect_err("preset not filled");
        assert_eq!(e.field, "log_search_urls.us-south");
        assert!(e.message.contains("<instance-id>"));
        let e = Settings::from_json(r#"{"format": "something-else"}"#).expect_err("format");
        assert_eq!(e.field, "format");
        assert!(Settings::from_json("{\"bogus\": 1}").is_err());
        assert!(Settings::from_json("not json").is_err());
    }

    #[test]
    fn corrupted_store_falls_back_with_a_notice() {
        let (s, notice) = Settings::load_or_default(Some("{\"builtin_pack\": \"yes please\"}"));
        assert_eq!(s, Settings::default());
        assert!(notice.is_some_and(|n| n.contains("defaults")));
        assert_eq!(Settings::load_or_default(None), (Settings::default(), None));
    }

    #[test]
    fn pack_urls_are_checked_and_the_policy_list_wins() {
        let ok = |url: &str| {
            Settings {
                pack_urls: vec![PackUrl {
                    url: url.into(),
                    refresh_hours: 24,
                }],
                ..Settings::default()
            }
            .validate()
        };
        assert!(ok("https://runbooks.example.com/armada.pack.json").is_ok());
        for bad in [
            "http://runbooks.example.com/p.json",
            "javascript:alert(1)",
            "https://",
            "https://user@evil.example/p.json",
            "https://a.example/p q.json",
            "ftp://x/p.json",
        ] {
            let e = ok(bad).expect_err(bad);
            assert_eq!(e.field, "pack_urls[0].url", "{bad}");
        }
        let hours = Settings {
            pack_urls: vec![PackUrl {
                url: "https://a.example/p.json".into(),
                refresh_hours: 0,
            }],
            ..Settings::default()
        };
        assert_eq!(
            hours.validate().expect_err("0 hours").field,
            "pack_urls[0].refresh_hours"
        );
        let twice = Settings {
            pack_urls: vec![
                PackUrl {
                    url: "https://a.example/p.json".into(),
                    refresh_hours: 1,
                },
                PackUrl {
                    url: "https://a.example/p.json".into(),
                    refresh_hours: 2,
                },
            ],
            ..Settings::default()
        };
        assert_eq!(
            twice.validate().expect_err("twice").field,
            "pack_urls[1].url"
        );

        let user = Settings {
            pack_urls: vec![PackUrl {
                url: "https://mine.example/p.json".into(),
                refresh_hours: 6,
            }],
            ..Settings::default()
        };
        assert_eq!(
            user.effective_pack_urls(&Managed::default()),
            user.pack_urls
        );
        let m = Managed {
            pack_urls: Some(vec![
                "https://org.example/p.json".into(),
                "http://insecure.example/p.json".into(),
                "https://org.example/p.json".into(),
            ]),
            ..Managed::default()
        };
        let urls: Vec<String> = user
            .effective_pack_urls(&m)
            .into_iter()
            .map(|p| p.url)
            .collect();
        assert_eq!(urls, vec!["https://org.example/p.json"]);
        assert_eq!(
            PackUrl::origin_pattern("https://Packs.Example.org:8443/a/p.json?x=1").as_deref(),
            Some("https://packs.example.org/*")
        );
        assert_eq!(
            PackUrl::origin_pattern("http://packs.example.org/p.json"),
            None
        );
    }

    #[test]
    fn managed_policy_overrides_and_locks() {
        let mut s = Settings {
            site_base_url: Some("https://mine.example.com".into()),
            ..Settings::default()
        };
        s.log_search_urls.insert(
            "us-south".into(),
            "https://mine.example.com/?q={query}".into(),
        );
        let m = Managed {
            site_base_url: Some("https://org.example.com".into()),
            ..Managed::default()
        };
        let c = s.config(&m);
        assert_eq!(c.site_base_url.as_deref(), Some("https://org.example.com"));
        assert_eq!(c.log_search_urls, s.log_search_urls);
        assert_eq!(m.locked(), vec!["site_base_url"]);
    }

    #[test]
    fn the_builtin_pack_goes_off_once_the_team_has_its_own_unless_chosen() {
        let none = Managed::default();
        let fresh = Settings::default();
        assert!(fresh.builtin_pack_on(&none), "a new user sees the example");
        let imported = Settings {
            packs: vec![PackEntry {
                id: "p1".into(),
                name: "team".into(),
                enabled: true,
                pages: 3,
                problems: 0,
                source: "team/".into(),
            }],
            ..Settings::default()
        };
        assert!(
            !imported.builtin_pack_on(&none),
            "an imported pack switches it off"
        );
        let by_url = Settings {
            pack_urls: vec![PackUrl {
                url: "https://packs.example.org/team.json".into(),
                refresh_hours: 24,
            }],
            ..Settings::default()
        };
        assert!(!by_url.builtin_pack_on(&none), "so does a pack URL");
        let policy = Managed {
            pack_urls: Some(vec!["https://packs.example.org/org.json".into()]),
            ..Managed::default()
        };
        assert!(
            !fresh.builtin_pack_on(&policy),
            "and the policy's pack URLs"
        );
        // Chosen by the user: their choice holds either way.
        let on = Settings {
            builtin_pack_chosen: true,
            ..imported.clone()
        };
        assert!(on.builtin_pack_on(&none));
        let off = Settings {
            builtin_pack: false,
            builtin_pack_chosen: true,
            ..Settings::default()
        };
        assert!(!off.builtin_pack_on(&none));
        // Settings stored before the key existed still load, and an unchosen default is not
        // written out.
        let (old, notice) = Settings::load_or_default(Some("{\"builtin_pack\": true}"));
        assert_eq!(notice, None);
        assert!(!old.builtin_pack_chosen);
        assert!(!serde_json::to_string(&fresh)
            .unwrap_or_default()
            .contains("builtin_pack_chosen"));
        let stored = serde_json::to_string(&on).unwrap_or_default();
        assert_eq!(Settings::load_or_default(Some(&stored)).0, on);
    }

    #[test]
    fn the_log_window_is_checked_and_the_policy_wins() {
        let e = Settings::from_json(r#"{"log_window_minutes": 0}"#).expect_err("0 minutes");
        assert_eq!(e.field, "log_window_minutes");
        let e = Settings::from_json(r#"{"log_window_minutes": 100000}"#).expect_err("too wide");
        assert!(e.message.contains("1 to 1440"), "{e}");
        let s = Settings::from_json(r#"{"log_window_minutes": 10}"#).expect("valid");
        assert_eq!(s.config(&Managed::default()).window_minutes(), 10);
        let m = Managed {
            log_window_minutes: Some(45),
            ..Managed::default()
        };
        assert_eq!(s.config(&m).window_minutes(), 45);
        assert_eq!(m.locked(), vec!["log_window_minutes"]);
        // A policy value out of range is refused where the panel checks the policy's config.
        let bad = Managed {
            log_window_minutes: Some(0),
            ..Managed::default()
        };
        assert!(s.config(&bad).validate().is_err());
    }
}
