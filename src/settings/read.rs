//! Reading the settings types from JSON (through [`crate::json_fields`]): the stored settings,
//! the managed policy and the export file, with every mistake naming its field.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{day, yes, Managed, PackEntry, PackUrl, Remembered, Scope, Settings};
use crate::config::{err, SettingsError};
use crate::guidance::Choice;
use crate::json_fields::{
    boolean, count, deserialize_with, list, parse, string, string_map, strings, uint, Fields, Read,
};

impl PackEntry {
    pub(super) fn read(v: &Value, at: &str) -> Read<PackEntry> {
        let known = ["id", "name", "enabled", "pages", "problems", "source"];
        let f = Fields::of(v, at, "(pack)", Some(&known))?;
        Ok(PackEntry {
            id: f.need("id", string)?,
            name: f.need("name", string)?,
            enabled: f.or("enabled", yes(), boolean)?,
            pages: f.or("pages", 0, count)?,
            problems: f.or("problems", 0, count)?,
            source: f.or("source", String::new(), string)?,
        })
    }
}

impl PackUrl {
    pub(super) fn read(v: &Value, at: &str) -> Read<PackUrl> {
        let f = Fields::of(v, at, "(pack URL)", Some(&["url", "refresh_hours"]))?;
        Ok(PackUrl {
            url: f.need("url", string)?,
            refresh_hours: f.or("refresh_hours", day(), uint)?,
        })
    }
}

impl Scope {
    /// A scope as stored: its kind and the fields of that kind.
    pub(super) fn read(v: &Value, at: &str) -> Read<Scope> {
        let known = ["kind", "cname", "region", "carrier"];
        let f = Fields::of(v, at, "(scope)", Some(&known))?;
        let kind = f.need("kind", string)?;
        let at = if at.is_empty() { "(scope)" } else { at };
        match (
            kind.as_str(),
            f.opt("cname", string)?,
            f.opt("region", string)?,
            f.opt("carrier", string)?,
        ) {
            ("environment", Some(cname), Some(region), None) => {
                Ok(Scope::Environment { cname, region })
            }
            ("carrier", None, None, Some(carrier)) => Ok(Scope::Carrier { carrier }),
            ("environment", ..) => Err(err(
                at,
                "an `environment` scope has `cname` and `region`, nothing else",
            )),
            ("carrier", ..) => Err(err(at, "a `carrier` scope has `carrier`, nothing else")),
            (other, ..) => Err(err(
                at,
                format!("unknown scope kind `{other}`: use `environment` or `carrier`"),
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(d, Scope::read)
    }
}

impl Remembered {
    pub(super) fn read(v: &Value, at: &str) -> Read<Remembered> {
        let f = Fields::of(v, at, "(remembered)", Some(&["scope", "name", "value"]))?;
        Ok(Remembered {
            scope: f.need("scope", Scope::read)?,
            name: f.need("name", string)?,
            value: f.need("value", string)?,
        })
    }
}

impl Settings {
    /// The bare settings object at `at` (`settings` in an export file), unchecked.
    pub(super) fn read(v: &Value, at: &str) -> Read<Settings> {
        let known = [
            "builtin_pack",
            "packs",
            "pack_urls",
            "site_base_url",
            "log_search_urls",
            "remembered",
            "builtin_pack_chosen",
            "log_window_minutes",
            "extract",
        ];
        let f = Fields::of(v, at, "(settings)", Some(&known))?;
        Ok(Settings {
            builtin_pack: f.or("builtin_pack", yes(), boolean)?,
            packs: f.or("packs", Vec::new(), |v, at| list(v, at, PackEntry::read))?,
            pack_urls: f.or("pack_urls", Vec::new(), |v, at| list(v, at, PackUrl::read))?,
            site_base_url: f.opt("site_base_url", string)?,
            log_search_urls: f.or("log_search_urls", BTreeMap::new(), string_map)?,
            remembered: f.or("remembered", Vec::new(), |v, at| {
                list(v, at, Remembered::read)
            })?,
            builtin_pack_chosen: f.or("builtin_pack_chosen", false, boolean)?,
            log_window_minutes: f.opt("log_window_minutes", uint)?,
            extract: f.or("extract", Vec::new(), strings)?,
        })
    }
}

impl<'de> Deserialize<'de> for Settings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(d, Settings::read)
    }
}

impl Managed {
    /// The policy object (fields it does not know are left alone, as a newer policy may
    /// set them).
    pub(super) fn read(v: &Value, at: &str) -> Read<Managed> {
        let f = Fields::of(v, at, "(policy)", None)?;
        Ok(Managed {
            pack_urls: f.opt("pack_urls", strings)?,
            site_base_url: f.opt("site_base_url", string)?,
            log_search_urls: f.opt("log_search_urls", string_map)?,
            log_window_minutes: f.opt("log_window_minutes", uint)?,
            extract: f.opt("extract", strings)?,
            choices: f.opt("choices", Choice::read_list)?,
        })
    }

    /// Reads the policy's JSON text (of `storage.managed`).
    pub fn from_json(json: &str) -> Result<Managed, SettingsError> {
        Managed::read(&parse(json, "(policy)")?, "")
    }
}

impl<'de> Deserialize<'de> for Managed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_with(d, Managed::read)
    }
}

/// The fields of an exported settings file.
pub(super) const EXPORT_FIELDS: [&str; 4] = ["format", "version", "settings", "choices"];

/// A settings file's JSON and its `format` marker, read first to tell an export from the bare
/// stored object.
pub(super) fn probe(json: &str) -> Read<(Value, Option<String>)> {
    let doc: Value =
        serde_json::from_str(json).map_err(|e| err("(file)", format!("not a JSON object: {e}")))?;
    if !doc.is_object() {
        return Err(err("(file)", "not a JSON object"));
    }
    let format = Fields::of(&doc, "", "(file)", None)?.opt("format", string)?;
    Ok((doc, format))
}
