//! Extraction rules: regular expressions with named groups, compiled with bounded sizes and run
//! over an alert's text and pasted log lines. The engine (`runbook-lens`) links this crate
//! natively (CLI, tests, the options page); the panel loads it as its own small wasm module
//! (feature `module`, see [`module`]) only when there are rules, so the regex engine never
//! weighs on the module every incident page loads.

use regex::{Regex, RegexBuilder};

/// The most rules one source (the settings, or one runbook's front matter) may hold.
pub const MAX_RULES: usize = 32;
/// The longest pattern accepted, in bytes.
pub const MAX_PATTERN_BYTES: usize = 512;
/// The most memory one compiled pattern may take (regex's `size_limit`; its default is 10 MiB,
/// far more than a rule of 512 bytes needs unless it repeats counted groups).
pub const SIZE_LIMIT: usize = 256 * 1024;
/// How deeply groups and repetitions may nest (regex's `nest_limit`; its default is 250).
pub const NEST_LIMIT: u32 = 32;
/// How much of one text the rules read, in bytes: a log line or an alert, not a log file.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// What a rule read: the group's name and the text it matched, and which rule it was (the
/// index into the patterns given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    pub rule: usize,
    pub name: String,
    pub value: String,
}

/// Compiles one pattern, or says why it cannot be used. Patterns are bounded in length,
/// compiled size and nesting, and must have a named group (a rule without one fills nothing).
pub fn compile(pattern: &str) -> Result<Regex, String> {
    if pattern.contains(['\n', '\r']) {
        // The panel hands rules to its module one a line.
        return Err("a rule is one line: write a line break as `\\n`".to_string());
    }
    if pattern.len() > MAX_PATTERN_BYTES {
        return Err(format!(
            "the pattern is {} bytes long; a rule may have at most {MAX_PATTERN_BYTES}",
            pattern.len()
        ));
    }
    let re = RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(SIZE_LIMIT)
        .nest_limit(NEST_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => format!(
                "the pattern compiles to more than {} KiB; repeat less (`{{8,}}` rather than `{{1000}}`)",
                SIZE_LIMIT / 1024
            ),
            other => one_line(&other.to_string()),
        })?;
    if re.capture_names().flatten().next().is_none() {
        return Err("the pattern has no named group: write the value's part as `(?P<name>…)`, with the placeholder's name".to_string());
    }
    Ok(re)
}

/// regex's syntax errors span several lines (the pattern, a caret, the message); the last
/// line says what is wrong.
fn one_line(message: &str) -> String {
    let last = message
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(message);
    last.trim().trim_start_matches("error: ").to_string()
}

/// A set of compiled rules; a pattern that does not compile reads nothing.
pub struct Rules {
    regexes: Vec<Option<Regex>>,
}

impl Rules {
    /// Compiles `patterns` (at most [`MAX_RULES`] of them are used); returns the rules and
    /// the problem of each pattern that cannot be used, by index.
    pub fn new(patterns: &[String]) -> (Rules, Vec<(usize, String)>) {
        let mut problems = Vec::new();
        let regexes = patterns
            .iter()
            .take(MAX_RULES)
            .enumerate()
            .map(|(i, p)| match compile(p) {
                Ok(re) => Some(re),
                Err(e) => {
                    problems.push((i, e));
                    None
                }
            })
            .collect();
        (Rules { regexes }, problems)
    }

    /// The named groups of each rule's first match in `text` (its first [`MAX_TEXT_BYTES`]),
    /// in rule order; groups that did not take part or matched nothing are left out.
    pub fn captures(&self, text: &str) -> Vec<Capture> {
        let text = truncate(text, MAX_TEXT_BYTES);
        let mut out = Vec::new();
        for (rule, re) in self.regexes.iter().enumerate() {
            let Some(re) = re else { continue };
            let Some(caps) = re.captures(text) else {
                continue;
            };
            for name in re.capture_names().flatten() {
                // A value with a control character (a line break, NUL) is no placeholder value:
                // it is left out, so a value is always one line of text.
                let value = caps.name(name).map_or("", |m| m.as_str().trim());
                if !value.is_empty() && !value.contains(char::is_control) {
                    out.push(Capture {
                        rule,
                        name: name.to_string(),
                        value: value.to_string(),
                    });
                }
            }
        }
        out
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The panel's second wasm module: one function, `captures(patterns, text)`, with the patterns
/// one a line. The last compiled set is kept, since the panel asks for the same rules over
/// each alert and log line.
#[cfg(all(feature = "module", target_arch = "wasm32"))]
pub mod module {
    use std::cell::RefCell;

    use wasm_bindgen::prelude::*;

    use super::Rules;

    thread_local! {
        static LAST: RefCell<Option<(String, Rules)>> = const { RefCell::new(None) };
    }

    /// What `patterns` (one a line) read from `text`, one line each of rule index, group
    /// name and value, for each value (values never hold a line break, see
    /// [`Rules::captures`]); empty when nothing matched.
    #[wasm_bindgen]
    pub fn captures(patterns: &str, text: &str) -> String {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if last.as_ref().is_none_or(|(p, _)| p != patterns) {
                let list: Vec<String> = patterns.lines().map(str::to_string).collect();
                *last = Some((patterns.to_string(), Rules::new(&list).0));
            }
            let Some((_, rules)) = last.as_ref() else {
                return String::new();
            };
            let mut out = String::new();
            for c in rules.captures(text) {
                for part in [c.rule.to_string(), c.name, c.value] {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    out.push_str(&part);
                }
            }
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_groups_are_read_from_the_first_match() {
        let (rules, problems) = Rules::new(&["controller (?P<controllerid>[0-9a-f]{8,})".into()]);
        assert!(problems.is_empty());
        let caps = rules.captures("DeleteClientID failed for controller c0ffee1234abcd: 403");
        assert_eq!(
            caps,
            vec![Capture {
                rule: 0,
                name: "controllerid".into(),
                value: "c0ffee1234abcd".into()
            }]
        );
    }

    #[test]
    fn bad_patterns_say_why() {
        let e = compile("controller (?P<id>[0-9a-f").expect_err("unclosed class");
        assert!(e.contains("unclosed"), "{e}");
        assert!(!e.contains('\n'));
        let e = compile("controller [0-9a-f]+").expect_err("no named group");
        assert!(e.contains("named group"), "{e}");
        let e = compile("(?P<a>x)\n(?P<b>y)").expect_err("two lines");
        assert!(e.contains("one line"), "{e}");
        let e = compile(&"a".repeat(MAX_PATTERN_BYTES + 1)).expect_err("too long");
        assert!(e.contains("at most"), "{e}");
        let e = compile("(?P<x>(?:a{100}){100}){100}").expect_err("too big");
        assert!(e.contains("KiB"), "{e}");
        let (_, problems) = Rules::new(&["(?P<a>x)".into(), "(".into()]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, 1);
    }

    #[test]
    fn values_with_control_characters_are_left_out() {
        let (rules, _) = Rules::new(&["id=(?P<id>(?s:.+))".into()]);
        assert!(rules.captures("id=abc\ndef").is_empty());
        assert_eq!(rules.captures("id=abc def")[0].value, "abc def");
    }

    #[test]
    fn long_texts_are_read_up_to_the_bound() {
        let (rules, _) = Rules::new(&["end (?P<x>\\w+)".into()]);
        let text = format!("{}end here", "é".repeat(MAX_TEXT_BYTES));
        assert!(rules.captures(&text).is_empty());
        assert_eq!(rules.captures("the end here").len(), 1);
    }
}
