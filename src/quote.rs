//! Quoting of untrusted alert values for log-search queries (LogDNA / IBM Log Analysis syntax)
//! and URLs. Shell commands have their own reader and quoting in `crate::shell`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Quotes a value for a LogDNA / IBM Log Analysis search: plain identifiers stay as they are;
/// anything with spaces, `:`, quotes, parentheses or operators is put in double quotes with
/// `"` and `\` escaped, so it is searched as one literal term.
pub fn log_query_value(value: &str) -> String {
    let plain = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/' | '@'))
        && !value.starts_with('-')
        && !matches!(value, "AND" | "OR" | "NOT" | "and" | "or" | "not");
    if plain {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            // A log search is one line; control characters have no business in it.
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters left as they are in a URL query value (RFC 3986 unreserved).
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes `value` for use as one URL query or path component.
pub fn url_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// True when `url` is safe to show as a clickable link: `http(s)` only, never `javascript:`,
/// `data:` or other schemes.
pub fn is_safe_link(url: &str) -> bool {
    let u = url.trim_start().to_ascii_lowercase();
    (u.starts_with("https://") || u.starts_with("http://")) && !url.chars().any(|c| c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_values() {
        assert_eq!(log_query_value("DeleteClientID"), "DeleteClientID");
        assert_eq!(log_query_value("a b"), "\"a b\"");
        assert_eq!(log_query_value("a:b"), "\"a:b\"");
        assert_eq!(log_query_value("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(log_query_value("OR"), "\"OR\"");
    }

    #[test]
    fn links() {
        assert_eq!(url_component("a b&c=d"), "a%20b%26c%3Dd");
        assert!(is_safe_link("https://x"));
        assert!(!is_safe_link("javascript:alert(1)"));
        assert!(!is_safe_link(" data:text/html,x"));
    }
}
