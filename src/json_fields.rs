//! Reading settings-shaped JSON (the settings, the managed policy, the engine's configuration,
//! chosen runbooks) field by field from a `serde_json::Value`, with errors that name the field.
//!
//! Why not serde's derived `Deserialize`: every derived visitor is a few KB of the panel's
//! wasm, and serde's type errors (`Unexpected::Float`) link the float formatter (~8 KB gzip).
//! `serde_json::Value` is linked anyway for the alert's JSON, so these few types are read
//! through it; their `Deserialize` impls ([`deserialize_with`]) use the same readers, so a
//! stored file reads the same whichever way it is read.

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use crate::config::{err, SettingsError};

/// What a reader gives: the value or the mistake, with its field.
pub(crate) type Read<T> = Result<T, SettingsError>;

/// The field `key` of the object at `at` (`packs[2]`), as an error names it.
pub(crate) fn path(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

/// The field an error at the top (`at` empty) names: `what`.
fn field(at: &str, what: &str) -> String {
    if at.is_empty() {
        what.to_string()
    } else {
        at.to_string()
    }
}

/// What a JSON value is, in words, for "expected …, found …".
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn wrong(at: &str, expected: &str, v: &Value) -> SettingsError {
    err(
        field(at, "(value)"),
        format!("invalid type: expected {expected}, found {}", kind(v)),
    )
}

/// An object's fields; `known` lists the fields it may have (others are refused, naming the
/// ones it takes), or is `None` when other fields are ignored.
pub(crate) struct Fields<'a> {
    map: &'a Map<String, Value>,
    at: &'a str,
}

impl<'a> Fields<'a> {
    /// The object `v` at `at`; `what` names it at the top (`(settings)`).
    pub(crate) fn of(v: &'a Value, at: &'a str, what: &str, known: Option<&[&str]>) -> Read<Self> {
        let Value::Object(map) = v else {
            return Err(err(
                field(at, what),
                format!("invalid type: expected an object, found {}", kind(v)),
            ));
        };
        if let Some(known) = known {
            if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
                let list: Vec<String> = known.iter().map(|f| format!("`{f}`")).collect();
                return Err(err(
                    path(at, k),
                    format!("unknown field `{k}`, expected one of {}", list.join(", ")),
                ));
            }
        }
        Ok(Fields { map, at })
    }

    /// The field `key` and its path, when present (null counts as present).
    fn get(&self, key: &str) -> Option<(&'a Value, String)> {
        self.map.get(key).map(|v| (v, path(self.at, key)))
    }

    /// A field that must be there.
    pub(crate) fn need<T>(&self, key: &str, read: impl Fn(&'a Value, &str) -> Read<T>) -> Read<T> {
        match self.get(key) {
            Some((v, at)) => read(v, &at),
            None => Err(err(path(self.at, key), format!("missing field `{key}`"))),
        }
    }

    /// A field with a default when absent.
    pub(crate) fn or<T>(
        &self,
        key: &str,
        default: T,
        read: impl Fn(&'a Value, &str) -> Read<T>,
    ) -> Read<T> {
        self.get(key).map_or(Ok(default), |(v, at)| read(v, &at))
    }

    /// A field that may be absent or null.
    pub(crate) fn opt<T>(
        &self,
        key: &str,
        read: impl Fn(&'a Value, &str) -> Read<T>,
    ) -> Read<Option<T>> {
        match self.get(key) {
            None | Some((Value::Null, _)) => Ok(None),
            Some((v, at)) => read(v, &at).map(Some),
        }
    }
}

/// A string.
pub(crate) fn string(v: &Value, at: &str) -> Read<String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| wrong(at, "a string", v))
}

/// `true` or `false`.
pub(crate) fn boolean(v: &Value, at: &str) -> Read<bool> {
    v.as_bool().ok_or_else(|| wrong(at, "a boolean", v))
}

/// A whole number from 0 to `u32::MAX`.
pub(crate) fn uint(v: &Value, at: &str) -> Read<u32> {
    match v.as_u64() {
        Some(n) => u32::try_from(n).map_err(|_| {
            err(
                field(at, "(value)"),
                format!("invalid value: {n} is too large"),
            )
        }),
        None => Err(wrong(at, "a whole number", v)),
    }
}

/// A whole number of items.
pub(crate) fn count(v: &Value, at: &str) -> Read<usize> {
    match v.as_u64() {
        Some(n) => usize::try_from(n).map_err(|_| {
            err(
                field(at, "(value)"),
                format!("invalid value: {n} is too large"),
            )
        }),
        None => Err(wrong(at, "a whole number", v)),
    }
}

/// A list, each item read by `read` at `at[i]`.
pub(crate) fn list<T>(v: &Value, at: &str, read: impl Fn(&Value, &str) -> Read<T>) -> Read<Vec<T>> {
    let Value::Array(items) = v else {
        return Err(wrong(at, "a list", v));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| read(item, &format!("{at}[{i}]")))
        .collect()
}

/// A list of strings.
pub(crate) fn strings(v: &Value, at: &str) -> Read<Vec<String>> {
    list(v, at, string)
}

/// An object of strings (`{"us-south": "https://…"}`).
pub(crate) fn string_map(v: &Value, at: &str) -> Read<BTreeMap<String, String>> {
    let Value::Object(map) = v else {
        return Err(wrong(at, "an object", v));
    };
    map.iter()
        .map(|(k, item)| Ok((k.clone(), string(item, &path(at, k))?)))
        .collect()
}

/// Parses `json` as JSON; a syntax error is a mistake of `what` (`(file)`).
pub(crate) fn parse(json: &str, what: &str) -> Read<Value> {
    serde_json::from_str(json).map_err(|e| err(what, format!("not JSON: {e}")))
}

/// A `Deserialize` impl's body: reads the value, then `read` (at the top, `at` empty).
pub(crate) fn deserialize_with<'de, D: Deserializer<'de>, T>(
    d: D,
    read: fn(&Value, &str) -> Read<T>,
) -> Result<T, D::Error> {
    let v = Value::deserialize(d)?;
    read(&v, "").map_err(D::Error::custom)
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::guidance::Choice;
    use crate::settings::{Managed, Settings};

    /// Each mistake names the field it is in, down to the list item, and what was wrong.
    #[test]
    fn mistakes_name_the_field_and_what_is_wrong() {
        for (json, field, says) in [
            (
                r#"{"builtin_pack": "yes"}"#,
                "builtin_pack",
                "expected a boolean, found a string",
            ),
            (
                r#"{"packs": [{"id": "a"}]}"#,
                "packs[0].name",
                "missing field `name`",
            ),
            (
                r#"{"pack_urls": [{"url": "https://a.example/p", "refresh_hours": -1}]}"#,
                "pack_urls[0].refresh_hours",
                "expected a whole number",
            ),
            (
                r#"{"log_search_urls": {"us-south": 3}}"#,
                "log_search_urls.us-south",
                "expected a string",
            ),
            (
                r#"{"remembered": [{"scope": {"kind": "carrier"}, "name": "a", "value": "b"}]}"#,
                "remembered[0].scope",
                "a `carrier` scope has `carrier`",
            ),
            (r#"{"extract": "x"}"#, "extract", "expected a list"),
            (
                r#"{"moon": 1}"#,
                "moon",
                "unknown field `moon`, expected one of `builtin_pack`",
            ),
            (
                r#"{"log_window_minutes": 1.5}"#,
                "log_window_minutes",
                "expected a whole number, found a number",
            ),
            (
                r#"{"log_window_minutes": 5000000000}"#,
                "log_window_minutes",
                "too large",
            ),
            ("[]", "(file)", "not a JSON object"),
            ("{", "(file)", "not a JSON object: EOF while parsing"),
        ] {
            let e = Settings::from_json(json).expect_err(json);
            assert_eq!(e.field, field, "{json}: {e}");
            assert!(e.message.contains(says), "{json}: {e}");
        }
        let e = Config::from_json(r#"{"choices": [{"alert": "A"}]}"#).expect_err("no runbook");
        assert_eq!(e.field, "choices[0].runbook");
        assert!(e
            .message
            .contains("missing field `runbook`; expected an object like"));
        let e = Choice::list_from_json(r#"[{"alert": "A", "runbook": "a.md", "x": 1}]"#)
            .expect_err("unknown field");
        assert_eq!(e.field, "choices[0].x");
        let e = Managed::from_json(r#"{"pack_urls": "https://a.example/p"}"#).expect_err("list");
        assert_eq!(e.field, "pack_urls");
        // A policy may carry fields a newer build knows; a null is an unset field.
        let m =
            Managed::from_json(r#"{"future": 1, "site_base_url": null, "log_window_minutes": 9}"#)
                .expect("reads");
        assert_eq!((m.site_base_url, m.log_window_minutes), (None, Some(9)));
    }

    /// Every settings type reads back what it writes, through serde too.
    #[test]
    fn what_is_written_reads_back() {
        let json = r#"{"builtin_pack": false, "builtin_pack_chosen": true,
            "packs": [{"id": "p", "name": "team", "enabled": false, "pages": 3, "problems": 1, "source": "t/"}],
            "pack_urls": [{"url": "https://a.example/p.rlpk", "refresh_hours": 6}],
            "site_base_url": "https://runbooks.example.com",
            "log_search_urls": {"*": "https://logs.example.com/?q={query}"},
            "remembered": [{"scope": {"kind": "environment", "cname": "bluemix", "region": "us-south"}, "name": "account", "value": "1a"}],
            "log_window_minutes": 10, "extract": ["c (?P<c>[0-9]+)"]}"#;
        let s = Settings::from_json(json).expect("reads");
        assert_eq!(s.packs[0].pages, 3);
        assert!(!s.packs[0].enabled);
        let written = serde_json::to_string(&s).expect("writes");
        assert_eq!(Settings::from_json(&written).expect("reads back"), s);
        assert_eq!(serde_json::from_str::<Settings>(&written).ok(), Some(s));
        let c = Config::from_json(
            r#"{"log_window_minutes": 5, "choices": [{"alert": "A", "runbook": "a.md"}]}"#,
        )
        .expect("reads");
        assert_eq!(
            serde_json::from_str::<Config>(&serde_json::to_string(&c).expect("writes")).ok(),
            Some(c)
        );
    }
}
