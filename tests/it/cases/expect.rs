//! An `expect.json`: a subset of the JSON output, kept in the order it was written, compared
//! with the actual output, rewritten from it, and printed in one stable layout.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// The array element that makes the elements before it a prefix of the actual array.
const MORE: &str = "…";

/// Lines longer than this are broken, one element per line.
const WIDTH: usize = 100;

/// An expectation: JSON whose objects keep their keys in the order the file gives them
/// (`serde_json::Value` sorts them), so a rewritten file differs only where values changed.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Expect>),
    Object(Vec<(String, Expect)>),
}

impl Expect {
    /// Reads an `expect.json`.
    pub fn parse(text: &str) -> Result<Expect, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The whole of an actual value, as an expectation.
    fn from_value(v: &Value) -> Expect {
        match v {
            Value::Null => Expect::Null,
            Value::Bool(b) => Expect::Bool(*b),
            Value::Number(n) => Expect::Number(n.clone()),
            Value::String(s) => Expect::String(s.clone()),
            Value::Array(a) => Expect::Array(a.iter().map(Expect::from_value).collect()),
            Value::Object(o) => Expect::Object(
                o.iter()
                    .map(|(k, v)| (k.clone(), Expect::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// The elements an array expectation names, and whether they are only a prefix.
    fn items(items: &[Expect]) -> (&[Expect], bool) {
        match items.split_last() {
            Some((Expect::String(s), rest)) if s == MORE => (rest, true),
            _ => (items, false),
        }
    }

    /// Adds to `errors` every way `actual` differs from this expectation at `path`.
    pub fn check(&self, actual: &Value, path: &str, errors: &mut Vec<String>) {
        match self {
            Expect::Object(map) => {
                for (k, v) in map {
                    let a = actual.get(k).unwrap_or(&Value::Null);
                    v.check(a, &format!("{path}.{k}"), errors);
                }
            }
            Expect::Array(items) => {
                let Some(actual_items) = actual.as_array() else {
                    errors.push(format!("{path}: expected an array, got {actual}"));
                    return;
                };
                let (wanted, prefix) = Expect::items(items);
                if (prefix && actual_items.len() < wanted.len())
                    || (!prefix && actual_items.len() != wanted.len())
                {
                    errors.push(format!(
                        "{path}: expected {} items{}, got {}: {}",
                        wanted.len(),
                        if prefix { " or more" } else { "" },
                        actual_items.len(),
                        serde_json::to_string(actual).unwrap_or_default()
                    ));
                    return;
                }
                for (i, (e, a)) in wanted.iter().zip(actual_items).enumerate() {
                    e.check(a, &format!("{path}[{i}]"), errors);
                }
            }
            Expect::Null => {
                if !actual.is_null() {
                    errors.push(format!("{path}: expected null, got {actual}"));
                }
            }
            scalar => {
                if Expect::from_value(actual) != *scalar {
                    errors.push(format!(
                        "{path}: expected {}, got {actual}",
                        scalar.compact()
                    ));
                }
            }
        }
    }

    /// This expectation rewritten from `actual`, keeping its shape: the keys it names (a key
    /// the output lost becomes `null`), the prefix marks of its arrays, and the values found.
    /// An array that must match whole takes the actual length; elements past the expected
    /// ones take the shape of the last expected one. Where the shape no longer fits (an
    /// object became a string), the actual value is taken whole.
    pub fn updated(&self, actual: &Value) -> Expect {
        match (self, actual) {
            (Expect::Object(map), Value::Object(_)) => Expect::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.updated(actual.get(k).unwrap_or(&Value::Null))))
                    .collect(),
            ),
            (Expect::Array(items), Value::Array(actual_items)) => {
                let (wanted, prefix) = Expect::items(items);
                let kept = if prefix {
                    wanted.len().min(actual_items.len())
                } else {
                    actual_items.len()
                };
                let mut out: Vec<Expect> = actual_items[..kept]
                    .iter()
                    .enumerate()
                    .map(|(i, a)| match wanted.get(i).or(wanted.last()) {
                        Some(e) => e.updated(a),
                        None => Expect::from_value(a),
                    })
                    .collect();
                if prefix {
                    out.push(Expect::String(MORE.to_string()));
                }
                Expect::Array(out)
            }
            (Expect::Null, Value::Null) => Expect::Null,
            _ => Expect::from_value(actual),
        }
    }

    /// The value on one line: `{"key": "value", "list": [1, 2]}`.
    fn compact(&self) -> String {
        match self {
            Expect::Null => "null".to_string(),
            Expect::Bool(b) => b.to_string(),
            Expect::Number(n) => n.to_string(),
            Expect::String(s) => serde_json::to_string(s).unwrap_or_default(),
            Expect::Array(items) => {
                let parts: Vec<String> = items.iter().map(Expect::compact).collect();
                format!("[{}]", parts.join(", "))
            }
            Expect::Object(map) => {
                let parts: Vec<String> = map
                    .iter()
                    .map(|(k, v)| {
                        format!("{}: {}", Expect::String(k.clone()).compact(), v.compact())
                    })
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
        }
    }

    /// True for an object none of whose values is a non-empty array or object.
    fn is_flat(&self) -> bool {
        let scalar = |e: &Expect| match e {
            Expect::Array(items) => items.is_empty(),
            Expect::Object(map) => map.is_empty(),
            _ => true,
        };
        match self {
            Expect::Object(map) => map.iter().all(|(_, v)| scalar(v)),
            _ => false,
        }
    }

    /// The file's layout: a value stays on one line when it fits in `WIDTH` columns or is a
    /// flat object, otherwise each element or key goes on its own line, indented by two spaces.
    pub fn to_pretty(&self) -> String {
        let mut out = String::new();
        self.write(0, 0, &mut out);
        out.push('\n');
        out
    }

    /// Writes the value starting at column `column` of a line indented by `indent`.
    fn write(&self, indent: usize, column: usize, out: &mut String) {
        let one_line = self.compact();
        // `<` leaves room for the comma that may follow. A flat object (`{"key": …, "value":
        // …}`) stays whole however long: breaking it would only spread one field over lines.
        if column + one_line.len() < WIDTH || self.is_flat() {
            out.push_str(&one_line);
            return;
        }
        let pad = " ".repeat(indent + 2);
        match self {
            Expect::Array(items) if !items.is_empty() => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad);
                    item.write(indent + 2, indent + 2, out);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&" ".repeat(indent));
                out.push(']');
            }
            Expect::Object(map) if !map.is_empty() => {
                out.push_str("{\n");
                for (i, (k, v)) in map.iter().enumerate() {
                    let key = format!("{}: ", Expect::String(k.clone()).compact());
                    out.push_str(&pad);
                    out.push_str(&key);
                    v.write(indent + 2, indent + 2 + key.len(), out);
                    out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
                }
                out.push_str(&" ".repeat(indent));
                out.push('}');
            }
            // A long string or number cannot be broken.
            _ => out.push_str(&one_line),
        }
    }
}

impl<'de> Deserialize<'de> for Expect {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Expect, D::Error> {
        deserializer.deserialize_any(ExpectVisitor)
    }
}

/// Reads JSON into `Expect`, keeping object keys in file order.
struct ExpectVisitor;

impl<'de> Visitor<'de> for ExpectVisitor {
    type Value = Expect;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Expect, E> {
        Ok(Expect::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Expect, E> {
        Ok(Expect::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Expect, E> {
        Ok(Expect::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Expect, E> {
        Ok(Expect::Number(n.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Expect, E> {
        Number::from_f64(n)
            .map(Expect::Number)
            .ok_or_else(|| E::custom("not a JSON number"))
    }
    fn visit_str<E>(self, s: &str) -> Result<Expect, E> {
        Ok(Expect::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Expect, E> {
        Ok(Expect::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Expect, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Expect::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Expect, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Expect>()? {
            entries.push((k, v));
        }
        Ok(Expect::Object(entries))
    }
}

mod tests {
    use super::*;

    #[test]
    fn a_rewrite_keeps_the_shape_and_takes_the_new_values() {
        let e = Expect::parse(r#"{"b": 1, "a": [{"x": 1}, "…"], "n": null, "all": [{"k": 1}]}"#)
            .expect("JSON");
        let actual: Value = serde_json::from_str(
            r#"{"a": [{"x": 2, "y": 3}, {"x": 4}], "b": 5, "n": null, "all": [{"k": 6, "z": 0}, {"k": 7}]}"#,
        )
        .expect("JSON");
        let u = e.updated(&actual);
        assert_eq!(
            u.compact(),
            r#"{"b": 5, "a": [{"x": 2}, "…"], "n": null, "all": [{"k": 6}, {"k": 7}]}"#
        );
        let mut errors = Vec::new();
        u.check(&actual, "", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn long_values_break_one_element_a_line_but_flat_objects_stay_whole() {
        let long = "x".repeat(120);
        let e =
            Expect::parse(&format!(r#"{{"a": [{{"k": "{long}"}}, 1], "b": 2}}"#)).expect("JSON");
        assert_eq!(
            e.to_pretty(),
            format!("{{\n  \"a\": [\n    {{\"k\": \"{long}\"}},\n    1\n  ],\n  \"b\": 2\n}}\n")
        );
    }
}
