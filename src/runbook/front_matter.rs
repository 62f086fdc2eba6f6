//! The YAML front matter of a Jekyll runbook page. Broken YAML never stops the page from
//! loading: the fields are then read line by line and the problem is reported for `lint`.

use serde::Serialize;
#[cfg(feature = "markdown")]
use yaml_rust2::{parser::Parser, Event, Yaml, YamlLoader};

#[cfg(feature = "markdown")]
use super::Problem;

/// The front matter fields Runbook Lens uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FrontMatter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `type:` (`Alert`, `Troubleshooting`, `Operations`, `Informational`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbook_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The page's path on the runbook site (`/cluster/….html`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// `ownership-details[].owner` values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// `extract:` extraction rules for this runbook (see [`crate::rules`]); patterns that do not
    /// compile are left out, with a problem naming their line.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extract: Vec<String>,
    /// `chosen_for:` alert names (name, `alert_situation` or `alert_key`) this page is the
    /// runbook for, whatever the ranking says: mappings an organisation ships in its pack.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chosen_for: Vec<String>,
}

impl FrontMatter {
    /// True when `type:` says this page is written for an alert.
    pub fn is_alert(&self) -> bool {
        self.kind.as_deref().is_some_and(|k| {
            k.trim()
                .trim_end_matches('\\')
                .eq_ignore_ascii_case("alert")
        })
    }
}

#[cfg(feature = "markdown")]
/// Splits a page into (front matter text, line number where the body starts, body). Pages
/// without front matter return an empty front matter and the whole text.
pub fn split(page: &str) -> (Option<&str>, usize, &str) {
    let Some(after_open) = page.strip_prefix("---\n") else {
        return (None, 1, page);
    };
    let mut offset = 0;
    for (i, line) in after_open.split_inclusive('\n').enumerate() {
        let l = line.trim_end();
        if l == "---" || l == "..." {
            let fm = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            return (Some(fm), i + 3, body);
        }
        offset += line.len();
    }
    // An opening `---` that never closes: treat the whole page as body, and let lint say so.
    (None, 1, page)
}

#[cfg(feature = "markdown")]
fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.trim().to_string()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// How much YAML aliases (`*name`) may repeat of their anchors' values, counted in bytes of
/// scalars plus one per node. yaml-rust2 copies an anchor's value at every alias, so a few
/// hundred bytes of anchors that alias each other ("billion laughs") would take gigabytes.
#[cfg(feature = "markdown")]
const MAX_ALIAS_EXPANSION: usize = 64 * 1024;

#[cfg(feature = "markdown")]
/// The line (1-based, within `text`) where aliases have repeated more than
/// [`MAX_ALIAS_EXPANSION`], if they do. One pass over the parser's events, building nothing:
/// an anchor's size is the sum of what it holds, an alias adds its anchor's size.
fn alias_expansion_exceeded(text: &str) -> Option<usize> {
    // Without an anchor and an alias there is nothing to expand (the common case: no pass).
    if !text.contains('&') || !text.contains('*') {
        return None;
    }
    let mut parser = Parser::new_from_str(text);
    // Anchor ids count up from 1 as anchors appear, so a vector indexes them.
    let mut sizes: Vec<usize> = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new();
    let (mut total, mut repeated) = (0usize, 0usize);
    loop {
        // A parse error is left to the loader, which reports it.
        let (event, mark) = parser.next_token().ok()?;
        // What the event adds, and the size of the node it completes when that node carries
        // an anchor.
        let (added, anchored) = match event {
            Event::StreamEnd => return None,
            Event::Scalar(value, _, anchor, _) => (value.len() + 1, (anchor, value.len() + 1)),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, total));
                (1, (0, 0))
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some((anchor, start)) => (0, (anchor, total - start)),
                None => (0, (0, 0)),
            },
            Event::Alias(id) => {
                let size = sizes.get(id).copied().unwrap_or(1);
                repeated = repeated.saturating_add(size);
                if repeated > MAX_ALIAS_EXPANSION {
                    return Some(mark.line());
                }
                (size, (0, 0))
            }
            _ => (0, (0, 0)),
        };
        total = total.saturating_add(added);
        if let (anchor @ 1.., size) = anchored {
            if sizes.len() <= anchor {
                sizes.resize(anchor + 1, 0);
            }
            sizes[anchor] = size;
        }
    }
}

#[cfg(feature = "markdown")]
/// Parses front matter text. `first_line` is the page line number of its first line, so
/// problems name the right line.
pub fn parse(text: &str, first_line: usize, problems: &mut Vec<Problem>) -> FrontMatter {
    if let Some(line) = alias_expansion_exceeded(text) {
        problems.push(Problem::error(
            first_line + line.saturating_sub(1),
            &format!("front matter aliases (`*name`) repeat more than {} KiB of values; it was not read as YAML", MAX_ALIAS_EXPANSION / 1024),
            "write the values out instead of repeating anchors (`&name`) through aliases; the page was read line by line meanwhile",
        ));
        return parse_lines(text);
    }
    match YamlLoader::load_from_str(text) {
        Ok(docs) => match docs.into_iter().next() {
            Some(Yaml::Hash(map)) => {
                let get = |k: &str| {
                    map.get(&Yaml::String(k.to_string()))
                        .and_then(scalar)
                        .filter(|s| !s.is_empty())
                };
                let mut owners = Vec::new();
                if let Some(Yaml::Array(items)) = map.get(&Yaml::String("ownership-details".into()))
                {
                    for item in items {
                        if let Yaml::Hash(h) = item {
                            if let Some(o) = h.get(&Yaml::String("owner".into())).and_then(scalar) {
                                owners.push(o);
                            }
                        }
                    }
                }
                let extract = extract_rules(
                    map.get(&Yaml::String("extract".into())),
                    text,
                    first_line,
                    problems,
                );
                FrontMatter {
                    title: get("title"),
                    kind: get("type"),
                    runbook_name: get("runbook-name"),
                    description: get("description"),
                    service: get("service"),
                    link: get("link"),
                    owners,
                    parent: get("parent"),
                    extract,
                    chosen_for: string_list(map.get(&Yaml::String("chosen_for".into()))),
                }
            }
            Some(Yaml::Null) | None => FrontMatter::default(),
            Some(_) => {
                problems.push(Problem::error(
                    first_line,
                    "front matter is not a set of `key: value` lines",
                    "write the front matter as YAML `key: value` lines between the two `---` lines",
                ));
                parse_lines(text)
            }
        },
        Err(e) => {
            let line = first_line + e.marker().line().saturating_sub(1);
            let info = e.info();
            let fix = if info.contains("duplicated key") {
                "remove the repeated key (each front matter key may appear once per mapping); the page was read line by line meanwhile"
            } else if info.contains("indentation") {
                "indent the lines of a nested list or mapping by the same number of spaces, and quote values containing `: `; the page was read line by line meanwhile"
            } else {
                "fix the YAML (quote values that contain `: ` or start with a special character); the page was read line by line meanwhile"
            };
            problems.push(Problem::error(
                line,
                &format!("front matter is not valid YAML: {info}"),
                fix,
            ));
            parse_lines(text)
        }
    }
}

#[cfg(feature = "markdown")]
/// The most extraction rules one page's front matter may hold (as many as the settings).
const MAX_PAGE_RULES: usize = 32;

#[cfg(feature = "markdown")]
/// A list of short strings (or one string): `chosen_for:`. Empty and overlong items, and more
/// than [`MAX_CHOSEN_FOR`] of them, are left out: they name alerts, which are short.
fn string_list(y: Option<&Yaml>) -> Vec<String> {
    let items: Vec<String> = match y {
        Some(Yaml::Array(items)) => items.iter().filter_map(scalar).collect(),
        Some(other) => scalar(other).into_iter().collect(),
        None => Vec::new(),
    };
    items
        .into_iter()
        .filter(|s| !s.is_empty() && s.len() <= 256)
        .take(MAX_CHOSEN_FOR)
        .collect()
}

/// The most alert names one page may be chosen for.
pub const MAX_CHOSEN_FOR: usize = 32;

#[cfg(feature = "markdown")]
/// The `extract:` rules of a page: a list of patterns (or one pattern). A pattern that does not
/// compile (or is not a string) is left out with an error naming its line; the others are kept.
fn extract_rules(
    value: Option<&Yaml>,
    text: &str,
    first_line: usize,
    problems: &mut Vec<Problem>,
) -> Vec<String> {
    let key_line = text
        .lines()
        .position(|l| l.starts_with("extract:"))
        .unwrap_or(0);
    // The page line of the first line at or below `extract:` that holds `needle`.
    let line_of = |needle: &str| {
        let at = text
            .lines()
            .enumerate()
            .skip(key_line)
            .find(|(_, l)| !needle.is_empty() && l.contains(needle))
            .map_or(key_line, |(i, _)| i);
        first_line + at
    };
    let items: Vec<&Yaml> = match value {
        None | Some(Yaml::Null) => return Vec::new(),
        Some(Yaml::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    let mut out = Vec::new();
    for item in items {
        let Yaml::String(pattern) = item else {
            problems.push(Problem::error(
                first_line + key_line,
                "an `extract` rule is not a text",
                "write each rule as a quoted pattern, like `- 'controller (?P<controllerid>[0-9a-f]{8,})'`",
            ));
            continue;
        };
        let first_part = pattern.split(['\'', '"']).next().unwrap_or("");
        if out.len() == MAX_PAGE_RULES {
            problems.push(Problem::error(
                line_of(first_part),
                &format!("more than {MAX_PAGE_RULES} `extract` rules; the rest are not used"),
                "merge rules with alternatives (`a|b`)",
            ));
            break;
        }
        match crate::rules::pattern_problem(pattern) {
            Some(why) => problems.push(Problem::error(
                line_of(first_part),
                &format!("the `extract` rule `{pattern}` is not used: {why}"),
                "fix the regular expression (Rust `regex` syntax, with a named group `(?P<name>…)` for the placeholder it fills)",
            )),
            None => out.push(pattern.clone()),
        }
    }
    out
}

#[cfg(feature = "markdown")]
/// Best-effort reading of `key: value` lines when the YAML does not parse.
fn parse_lines(text: &str) -> FrontMatter {
    let mut fm = FrontMatter::default();
    for line in text.lines() {
        if line.starts_with([' ', '\t', '-']) {
            if let Some(owner) = line
                .trim()
                .trim_start_matches('-')
                .trim()
                .strip_prefix("owner:")
            {
                fm.owners.push(owner.trim().trim_matches('"').to_string());
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let v = v.trim().trim_matches('"').trim_matches('\'').to_string();
        if v.is_empty() {
            continue;
        }
        match k.trim() {
            "title" => fm.title = Some(v),
            "type" => fm.kind = Some(v.split('#').next().unwrap_or("").trim().to_string()),
            "runbook-name" => fm.runbook_name = Some(v),
            "description" => fm.description = Some(v),
            "service" => fm.service = Some(v),
            "link" => fm.link = Some(v),
            "parent" => fm.parent = Some(v),
            _ => {}
        }
    }
    fm
}

#[cfg(all(test, feature = "markdown"))]
mod tests {
    use super::*;

    #[test]
    fn broken_yaml_still_gives_fields_and_a_problem_with_line() {
        let page = "---\ntitle: a: b: c\ntype: Alert\nservice: x\n---\nbody\n";
        let (fm, body_line, body) = split(page);
        assert_eq!(body_line, 6);
        assert_eq!(body, "body\n");
        let mut problems = Vec::new();
        let fm = parse(fm.unwrap_or_default(), 2, &mut problems);
        assert_eq!(fm.kind.as_deref(), Some("Alert"));
        assert_eq!(fm.service.as_deref(), Some("x"));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, 2);
    }

    /// Anchors that alias each other `levels` deep, ten times each: 10^levels values.
    fn alias_bomb(levels: usize) -> String {
        let mut yaml = String::from("title: Bomb\ntype: Alert\na0: &a0 [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..levels {
            let items = vec![format!("*a{}", i - 1); 10].join(",");
            yaml.push_str(&format!("a{i}: &a{i} [{items}]\n"));
        }
        yaml
    }

    #[test]
    fn aliases_that_repeat_too_much_are_refused_and_the_lines_still_read() {
        // 10^5 values (about 2 MB expanded) is past the bound and cheap enough to build
        // when the bound is missing; the 400-byte bomb of 10^9 values is not.
        for levels in [5, 9] {
            let yaml = alias_bomb(levels);
            let mut problems = Vec::new();
            let fm = parse(&yaml, 2, &mut problems);
            assert_eq!(problems.len(), 1, "{levels} levels: {problems:?}");
            assert!(problems[0].message.contains("aliases"), "{:?}", problems[0]);
            assert_eq!(
                problems[0].line,
                2 + 6,
                "the line where the bound was passed"
            );
            assert_eq!(fm.title.as_deref(), Some("Bomb"));
            assert!(fm.is_alert());
        }
        // Aliases within the bound still read as YAML.
        let mut problems = Vec::new();
        let fm = parse(
            &(alias_bomb(3) + "owner: &o x\nservice: *o\n"),
            2,
            &mut problems,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(fm.service.as_deref(), Some("x"));
    }

    #[test]
    fn type_with_comment_is_alert() {
        let mut p = Vec::new();
        let fm = parse("type: Alert # Alert, Troubleshooting\n", 2, &mut p);
        assert!(fm.is_alert());
        assert!(p.is_empty());
    }

    #[cfg(feature = "rules")]
    #[test]
    fn extract_rules_are_read_and_bad_ones_named_by_line() {
        let yaml = "title: T\nextract:\n  - 'controller (?P<controllerid>[0-9a-f]{8,})'\n  - 'broken (?P<x>[a-'\n  - 'no group here'\n";
        let mut p = Vec::new();
        let fm = parse(yaml, 2, &mut p);
        assert_eq!(
            fm.extract,
            vec!["controller (?P<controllerid>[0-9a-f]{8,})"]
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].line, 2 + 3, "{p:?}");
        assert!(p[0].message.contains("extract"), "{p:?}");
        assert_eq!(p[1].line, 2 + 4, "{p:?}");
        assert!(p[1].message.contains("named group"), "{p:?}");
        let mut p = Vec::new();
        let fm = parse("extract: 'id=(?P<id>\\w+)'\n", 2, &mut p);
        assert_eq!(fm.extract.len(), 1);
        assert!(p.is_empty(), "{p:?}");
    }
}
