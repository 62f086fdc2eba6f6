//! Placeholders: `<operation>`, `<CLUSTER-ID>`, `<Worker-Private-IP>` inside code spans and
//! code blocks, and filling them from alert values. Inserted values are never scanned again,
//! so a value that itself contains `<x>` or `{{ }}` stays literal text.

use serde::{Deserialize, Serialize};

use crate::quote::{log_query_value, url_component};
use crate::shell;
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
    /// Names whose value could not be written safely where they stand (a NUL byte, an awk
    /// program) and were left unfilled.
    pub rejected: Vec<String>,
    /// What the place of a value in the command makes risky, as (name, value, problem): a
    /// value refused there, a leading `-` where options go, a `!` bash may expand.
    pub notes: Vec<(String, String, String)>,
}

/// The text `value` becomes at placeholder `k` of a template in `syntax` (whose text before
/// it is `prefix`), and a note about its place (or why it is refused, as `Err`).
fn write_value(
    value: &str,
    prefix: &str,
    syntax: Syntax,
    place: Option<&shell::Place>,
) -> Result<(String, Option<&'static str>), String> {
    let place = match (syntax, place) {
        (Syntax::LogQuery, _) => return Ok((log_query_fill(prefix, value), None)),
        (Syntax::Url, _) => return Ok((url_component(value), None)),
        (Syntax::Shell, Some(p)) => p,
        (Syntax::Shell, None) => return Err("is not understood here: not filled".into()),
    };
    if value.contains('\0') {
        return Err("holds a NUL byte, which no shell word can hold: not filled".into());
    }
    let text = shell::quote(value, place).map_err(|why| format!("is {why}: not filled"))?;
    let note = if place.command {
        Some("is the name of the command to run")
    } else if value.starts_with('-') && place.word_start && !place.after_dashdash {
        Some("begins with `-`, so the command may read it as an option")
    } else {
        None
    };
    Ok((text, note))
}

/// Fills `template`'s placeholders with `resolve(normalised name)`. Unresolved placeholders
/// stay as `<name>` in the text; so do values that cannot be written safely where they stand
/// (with a note saying why).
pub fn fill(template: &str, syntax: Syntax, resolve: &dyn Fn(&str) -> Option<String>) -> Filled {
    let mut f = Filled {
        text: String::with_capacity(template.len()),
        unresolved: Vec::new(),
        filled: Vec::new(),
        rejected: Vec::new(),
        notes: Vec::new(),
    };
    let occs = find(template);
    let places = match syntax {
        Syntax::Shell => {
            let spans: Vec<(usize, usize)> = occs.iter().map(|o| (o.start, o.end)).collect();
            shell::places(template, &spans)
        }
        _ => Vec::new(),
    };
    let mut last = 0;
    // Where each value with a `!` landed in the text: (start, end, placeholder).
    let mut spans = Vec::new();
    for (k, occ) in occs.iter().enumerate() {
        f.text.push_str(&template[last..occ.start]);
        last = occ.end;
        let Some(value) = resolve(&normalize_key(&occ.name)) else {
            f.text.push_str(&template[occ.start..occ.end]);
            if !f.unresolved.contains(&occ.name) {
                f.unresolved.push(occ.name.clone());
            }
            continue;
        };
        match write_value(&value, &template[..occ.start], syntax, places.get(k)) {
            Ok((text, note)) => {
                if value.contains('!') {
                    spans.push((f.text.len(), f.text.len() + text.len(), k));
                }
                f.text.push_str(&text);
                if let Some(n) = note {
                    f.notes
                        .push((occ.name.clone(), value.clone(), n.to_string()));
                }
                f.filled.push((occ.name.clone(), value));
            }
            Err(why) => {
                f.text.push_str(&template[occ.start..occ.end]);
                f.rejected.push(occ.name.clone());
                if !f.unresolved.contains(&occ.name) {
                    f.unresolved.push(occ.name.clone());
                }
                f.notes.push((occ.name.clone(), value, why));
            }
        }
    }
    f.text.push_str(&template[last..]);
    // Where the filled line leaves a value's `!` to bash's history expansion, say so.
    if !spans.is_empty() {
        let bangs = shell::history_bangs(&f.text);
        for (start, end, k) in spans {
            if bangs.iter().any(|&b| b >= start && b < end) {
                let name = occs[k].name.clone();
                let value = resolve(&normalize_key(&name)).unwrap_or_default();
                f.notes.push((name, value, HISTORY.to_string()));
            }
        }
    }
    f
}

const HISTORY: &str = "holds `!`, which an interactive bash may expand from its history";

/// True for characters a terminal or the panel shows as nothing (or that reorder the text
/// around them): controls, zero-width characters, the soft hyphen, Unicode line and paragraph
/// separators, tag characters and the text-direction controls.
pub fn is_invisible(c: char) -> bool {
    crate::text::is_hidden_char(c)
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{00AD}' | '\u{2028}' | '\u{2029}'
            | '\u{E0000}'..='\u{E007F}')
}

/// `value` with each invisible character (and line break) written as a visible `⟨U+200B⟩`.
pub fn visible(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if c == '\n' || is_invisible(c) {
            out.push_str("⟨U+");
            let n = c as u32;
            shell::push_hex(&mut out, n, if n > 0xFFFF { 5 } else { 4 });
            out.push('⟩');
        } else {
            out.push(c);
        }
    }
    out
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
    if value.chars().any(|c| c == '\n' || is_invisible(c)) {
        return Some(format!(
            "contains control, invisible or text-direction characters that a terminal may \
             hide: {}",
            visible(value)
        ));
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
        for hidden in [
            '\u{200B}',
            '\u{200D}',
            '\u{2060}',
            '\u{00AD}',
            '\u{2028}',
            '\u{2029}',
            '\u{E0041}',
            '\u{2066}',
        ] {
            let problem = value_problem("summary", &format!("a{hidden}b")).unwrap_or_default();
            assert!(
                problem.ends_with(&format!("a⟨U+{:04X}⟩b", hidden as u32)),
                "{problem}"
            );
        }
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
