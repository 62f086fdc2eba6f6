//! Quoting of untrusted alert values for the three places they go: POSIX shell commands,
//! log-search queries (LogDNA / IBM Log Analysis syntax) and URLs.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Where in a shell command a placeholder stands, which decides how its value is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShellContext {
    /// Outside any quotes: the value becomes one shell word.
    Bare,
    /// Inside `'…'` written by the runbook.
    SingleQuoted,
    /// Inside `"…"` written by the runbook.
    DoubleQuoted,
}

/// The quoting context at the end of `prefix`, a piece of a shell command.
pub fn shell_context(prefix: &str) -> ShellContext {
    let mut ctx = ShellContext::Bare;
    let mut escaped = false;
    for c in prefix.chars() {
        match ctx {
            ShellContext::Bare => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '\'' {
                    ctx = ShellContext::SingleQuoted;
                } else if c == '"' {
                    ctx = ShellContext::DoubleQuoted;
                }
            }
            ShellContext::SingleQuoted => {
                if c == '\'' {
                    ctx = ShellContext::Bare;
                }
            }
            ShellContext::DoubleQuoted => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    ctx = ShellContext::Bare;
                }
            }
        }
    }
    ctx
}

/// Quotes `value` for the given shell context so the shell reads back exactly `value`.
/// Returns `None` for values no shell word can hold (a NUL byte).
pub fn shell_quote(value: &str, ctx: ShellContext) -> Option<String> {
    if value.contains('\0') {
        return None;
    }
    Some(match ctx {
        ShellContext::Bare => {
            if value.is_empty() {
                "''".to_string()
            } else {
                shlex::try_quote(value).ok()?.into_owned()
            }
        }
        ShellContext::SingleQuoted => value.replace('\'', r"'\''"),
        ShellContext::DoubleQuoted => {
            let mut out = String::with_capacity(value.len());
            for c in value.chars() {
                if matches!(c, '\\' | '"' | '$' | '`') {
                    out.push('\\');
                }
                out.push(c);
            }
            out
        }
    })
}

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
    fn contexts() {
        assert_eq!(shell_context("echo "), ShellContext::Bare);
        assert_eq!(shell_context("echo '"), ShellContext::SingleQuoted);
        assert_eq!(shell_context("echo \"a\\\""), ShellContext::DoubleQuoted);
        assert_eq!(shell_context("echo 'a'\""), ShellContext::DoubleQuoted);
    }

    #[test]
    fn quoting_round_trips_through_shlex() {
        for v in [
            "plain",
            "with space",
            "it's",
            "$(rm -rf /)",
            "`id`",
            "a;b|c&d",
            "line\nbreak",
            "",
        ] {
            let q = shell_quote(v, ShellContext::Bare).expect("quotable");
            assert_eq!(
                shlex::split(&format!("cmd {q}")),
                Some(vec!["cmd".to_string(), v.to_string()]),
                "{v:?} -> {q}"
            );
            let q = shell_quote(v, ShellContext::DoubleQuoted).expect("quotable");
            assert!(!q.contains("$(") || q.contains("\\$("), "{q}");
        }
        assert_eq!(shell_quote("a\0b", ShellContext::Bare), None);
    }

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
