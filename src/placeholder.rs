//! Placeholders: `<operation>`, `<CLUSTER-ID>`, `<Worker-Private-IP>` inside code spans and
//! code blocks, and filling them from alert values. Inserted values are never scanned again,
//! so a value that itself contains `<x>` or `{{ }}` stays literal text.

use serde::{Deserialize, Serialize};

use crate::quote::{log_query_value, shell_context, shell_quote, url_component};
use crate::text::normalize_key;

/// HTML tag names that can look like placeholders. `<br>` and other void tags are always
/// markup; the others only when their closing tag is present too, since runbooks do write
/// `<summary>` or `<title>` as placeholders.
const HTML_VOID: &[&str] = &[
    "br", "hr", "wbr", "img", "input", "meta", "link", "source", "col", "area", "base", "embed",
    "track",
];
const HTML_TAGS: &[&str] = &[
    "a",
    "b",
    "i",
    "u",
    "s",
    "p",
    "em",
    "strong",
    "span",
    "div",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "sup",
    "sub",
    "small",
    "big",
    "center",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "script",
    "style",
    "iframe",
    "svg",
    "kbd",
    "button",
    "details",
    "summary",
    "blockquote",
    "del",
    "ins",
    "mark",
    "title",
    "html",
    "body",
    "head",
];

fn is_markup(name: &str, template: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if HTML_VOID.contains(&lower.as_str())
        || (lower.len() == 1 && HTML_TAGS.contains(&lower.as_str()))
    {
        return true;
    }
    HTML_TAGS.contains(&lower.as_str())
        && template
            .to_ascii_lowercase()
            .contains(&format!("</{lower}>"))
}

/// A placeholder occurrence in a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Byte range of `<name>` including the angle brackets.
    pub start: usize,
    pub end: usize,
    /// The name as written (`CLUSTER-ID`).
    pub name: String,
}

/// Finds the placeholders of a code template, in order.
pub fn find(template: &str) -> Vec<Occurrence> {
    let bytes = template.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        if j >= bytes.len() || !bytes[j].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        while j < bytes.len()
            && j - start <= 48
            && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'_' | b'-' | b'.' | b' '))
        {
            j += 1;
        }
        if j < bytes.len() && bytes[j] == b'>' {
            let name = &template[start + 1..j];
            let words = name.split(' ').count();
            let is_tag = is_markup(name, template);
            if !is_tag && !name.ends_with(' ') && words <= 3 {
                out.push(Occurrence {
                    start,
                    end: j + 1,
                    name: name.to_string(),
                });
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// How values are written into a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// A POSIX shell command: values quoted for their quoting context.
    Shell,
    /// A log search: values quoted for the log tool.
    LogQuery,
    /// A URL: values percent-encoded.
    Url,
}

/// A placeholder the alert could not fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unresolved {
    /// The name as written in the runbook (`controllerid`).
    pub name: String,
    /// What the runbook says about where the value comes from, when it says anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// The result of filling one template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    /// Names (as written) that stayed unresolved, in order, without duplicates.
    pub unresolved: Vec<String>,
    /// (name, raw value) of the placeholders that were filled.
    pub filled: Vec<(String, String)>,
    /// Names whose value could not be quoted safely (a NUL byte) and were left unfilled.
    pub rejected: Vec<String>,
}

/// Fills `template`'s placeholders with `resolve(normalised name)`. Unresolved placeholders
/// stay as `<name>` in the text.
pub fn fill(template: &str, syntax: Syntax, resolve: &dyn Fn(&str) -> Option<String>) -> Filled {
    let mut text = String::with_capacity(template.len());
    let mut unresolved: Vec<String> = Vec::new();
    let mut filled = Vec::new();
    let mut rejected = Vec::new();
    let mut last = 0;
    for occ in find(template) {
        text.push_str(&template[last..occ.start]);
        last = occ.end;
        let value = resolve(&normalize_key(&occ.name));
        let quoted = value.as_ref().and_then(|v| match syntax {
            Syntax::Shell => shell_quote(v, shell_context(&template[..occ.start])),
            Syntax::LogQuery => Some(log_query_fill(&template[..occ.start], v)),
            Syntax::Url => Some(url_component(v)),
        });
        match (value, quoted) {
            (Some(v), Some(q)) => {
                text.push_str(&q);
                filled.push((occ.name.clone(), v));
            }
            (Some(_), None) => {
                text.push_str(&template[occ.start..occ.end]);
                rejected.push(occ.name.clone());
                if !unresolved.contains(&occ.name) {
                    unresolved.push(occ.name.clone());
                }
            }
            (None, _) => {
                text.push_str(&template[occ.start..occ.end]);
                if !unresolved.contains(&occ.name) {
                    unresolved.push(occ.name.clone());
                }
            }
        }
    }
    text.push_str(&template[last..]);
    Filled {
        text,
        unresolved,
        filled,
        rejected,
    }
}

/// What a placeholder's value should look like, inferred from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `<Worker-Private-IP>`, `<node_ip>`: an IPv4 or IPv6 address.
    Ip,
    /// `<CLUSTER-ID>`, `<controllerid>`, `<account>`, `<resource_group>`: one token of
    /// letters, digits and `._:/-`.
    Id,
    /// `<namespace>`, `<pod name>`, `<node>`: a Kubernetes-style name.
    Name,
    /// `<region>`: an IBM Cloud region such as `us-south`.
    Region,
    /// `<port>`, `<count>`: digits.
    Number,
    /// Anything else: only control and direction-changing characters are suspicious.
    Text,
}

/// The shape a placeholder named `name` expects.
pub fn shape_of(name: &str) -> Shape {
    let words = crate::text::words(name);
    let key = normalize_key(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    if has("ip") || key.ends_with("ip") || has("ipv") || key.ends_with("address") {
        Shape::Ip
    } else if has("region") || key == "crnregion" {
        Shape::Region
    } else if has("port") || has("count") || has("number") || key.ends_with("num") {
        Shape::Number
    } else if key.ends_with("id")
        || key.ends_with("ids")
        || has("id")
        || has("account")
        || has("group")
        || has("crn")
        || has("key")
        || has("guid")
        || has("uuid")
    {
        Shape::Id
    } else if [
        "namespace",
        "pod",
        "node",
        "deployment",
        "container",
        "name",
        "host",
        "hostname",
        "cluster",
        "carrier",
        "tugboat",
        "worker",
        "service",
        "secret",
        "configmap",
    ]
    .iter()
    .any(|w| has(w))
    {
        Shape::Name
    } else {
        Shape::Text
    }
}

/// Why `value` looks wrong for the placeholder `name`, or `None` when it looks right. Values
/// are quoted either way; this is about a value that is not what the step expects (an alert
/// field holding a sentence where an ID belongs, or text with hidden characters).
pub fn value_problem(name: &str, value: &str) -> Option<String> {
    // A newline counts too here: in a command it ends the command.
    if value
        .chars()
        .any(|c| c == '\n' || crate::text::is_hidden_char(c))
    {
        return Some(
            "contains control or text-direction characters that a terminal may hide".into(),
        );
    }
    if value.len() > 256 {
        return Some("is longer than any identifier".into());
    }
    let token = |extra: &[char]| {
        !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
    };
    match shape_of(name) {
        Shape::Ip => value
            .trim()
            .parse::<std::net::IpAddr>()
            .is_err()
            .then(|| "is not an IP address".to_string()),
        Shape::Id => (!token(&['.', '_', ':', '/', '-', '@']))
            .then(|| "is not a single ID (it holds spaces or shell characters)".to_string()),
        Shape::Name => (!token(&['.', '_', '-']))
            .then(|| "is not a plain name (letters, digits, `.`, `_`, `-`)".to_string()),
        Shape::Region => (!token(&['-'])).then(|| "is not a region name".to_string()),
        Shape::Number => (!value.chars().all(|c| c.is_ascii_digit()) || value.is_empty())
            .then(|| "is not a number".to_string()),
        Shape::Text => None,
    }
}

/// A value for a log query whose text before it is `prefix`: quoted as one term
/// ([`log_query_value`]), or, inside a string the runbook already quotes
/// (`"reasonCode":"<reason_code>"`), escaped without quotes of its own, so the value's text
/// can never close the runbook's string (`""x OR level:debug OR y""` searched three terms).
fn log_query_fill(prefix: &str, value: &str) -> String {
    let quoted = log_query_value(value);
    let mut inside = false;
    let mut escaped = false;
    for c in prefix.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if inside => escaped = true,
            '"' => inside = !inside,
            _ => {}
        }
    }
    match quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')) {
        Some(inner) if inside => inner.to_string(),
        _ => quoted,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shapes_and_problems() {
        use super::{shape_of, value_problem, Shape};
        assert_eq!(shape_of("Worker-Private-IP"), Shape::Ip);
        assert_eq!(shape_of("CLUSTER-ID"), Shape::Id);
        assert_eq!(shape_of("controllerid"), Shape::Id);
        assert_eq!(shape_of("account"), Shape::Id);
        assert_eq!(shape_of("resource_group"), Shape::Id);
        assert_eq!(shape_of("pod name"), Shape::Name);
        assert_eq!(shape_of("namespace"), Shape::Name);
        assert_eq!(shape_of("summary"), Shape::Text);
        assert_eq!(value_problem("Worker-Private-IP", "10.1.2.3"), None);
        assert!(value_problem("Worker-Private-IP", "10.1.2.3; rm -rf /").is_some());
        assert_eq!(value_problem("controllerid", "c0ffee1234abcd5678ef"), None);
        assert!(value_problem("controllerid", "abc $(reboot)").is_some());
        assert!(value_problem("summary", "fine text\u{202E}txt.exe").is_some());
        assert!(value_problem("summary", "two\nlines").is_some());
        assert_eq!(value_problem("summary", "restarts at 97% of limit"), None);
        assert_eq!(value_problem("namespace", "kubx-etcd-07"), None);
    }

    use super::*;

    #[test]
    fn finds_placeholders_not_html() {
        let names: Vec<String> =
            find("kubectl get <pod name> -n <NAMESPACE> <br> a<b ok> x <- y <summary> <p>")
                .into_iter()
                .map(|o| o.name)
                .collect();
        assert_eq!(names, vec!["pod name", "NAMESPACE", "b ok", "summary"]);
        assert!(find("curl x | grep '<title>x</title>'").is_empty());
    }

    #[test]
    fn fills_and_quotes_by_context() {
        let resolve = |k: &str| match k {
            "clusterid" => Some("abc 1".to_string()),
            "ns" => Some("x'y".to_string()),
            _ => None,
        };
        let f = fill(
            "kubectl -n '<ns>' get <CLUSTER-ID> \"<CLUSTER-ID>\" <other>",
            Syntax::Shell,
            &resolve,
        );
        assert_eq!(f.text, "kubectl -n 'x'\\''y' get 'abc 1' \"abc 1\" <other>");
        assert_eq!(f.unresolved, vec!["other"]);
    }

    #[test]
    fn inserted_values_are_not_expanded_again() {
        let resolve = |k: &str| match k {
            "aa" => Some("<bee>".to_string()),
            "bee" => Some("boom".to_string()),
            _ => None,
        };
        let f = fill("x:<aa> y:<bee>", Syntax::LogQuery, &resolve);
        assert_eq!(f.text, "x:\"<bee>\" y:boom");
    }
}
