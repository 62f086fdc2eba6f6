//! Text normalisation shared by alert extraction, runbook indexing and matching: field-name
//! keys, tokens, and the test for values that change from one incident to the next.

use std::cmp::Ordering;

/// The comparison key of a field or placeholder name: ASCII letters and digits only, lowercased.
/// `reason_code`, `reasonCode`, `REASON-CODE` and `reason code` all become `reasoncode`.
/// (ASCII on purpose: field names are ASCII, and Unicode case tables would cost the panel's
/// wasm tens of kilobytes.)
pub fn normalize_key(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// IBM Cloud region names as alerts spell them (`region`, `crn_region`, PD title suffix).
pub const REGIONS: &[&str] = &[
    "us-south",
    "us-east",
    "eu-de",
    "eu-gb",
    "eu-es",
    "eu-fr2",
    "eu-fr",
    "uk-south",
    "jp-tok",
    "jp-osa",
    "au-syd",
    "ca-tor",
    "ca-mon",
    "br-sao",
    "in-che",
    "kr-seo",
    "ap-north",
    "ap-south",
    "eu-central",
    "us-west",
    "global",
];

/// True when `token` (lowercase) is a region name.
pub fn is_region(token: &str) -> bool {
    REGIONS.contains(&token)
}

/// True for a data-centre code such as `dal10`, `wdc07`, `fra02`: three letters, two digits.
pub fn is_datacenter(token: &str) -> bool {
    let b = token.as_bytes();
    b.len() == 5
        && b[..3].iter().all(u8::is_ascii_lowercase)
        && b[3..].iter().all(u8::is_ascii_digit)
}

/// True for a carrier or tugboat name such as `prod-dal10-carrier103` or `stage-dal10-carrier2`.
pub fn is_carrier(token: &str) -> bool {
    let lower = token.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('-').collect();
    parts.len() >= 3
        && parts.iter().any(|p| is_datacenter(p))
        && parts
            .last()
            .is_some_and(|p| p.starts_with("carrier") || p.starts_with("tugboat"))
}

/// True for an IPv4 address (optionally with a port or prefix length).
pub fn is_ipv4(token: &str) -> bool {
    let core = token.split([':', '/']).next().unwrap_or(token);
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// True for something that identifies one object rather than a kind of problem: a number, an
/// IP, a UUID, a hex string, a cluster ID (long mix of letters and digits), an incident number.
pub fn is_instance_id(token: &str) -> bool {
    let t = token.trim_start_matches('#');
    if t.is_empty() {
        return false;
    }
    if t.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return true;
    }
    if is_ipv4(t) {
        return true;
    }
    let alnum = t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    let letters = t.bytes().filter(u8::is_ascii_alphabetic).count();
    if alnum && digits >= 2 && letters >= 2 && t.len() >= 16 {
        // Cluster IDs (`bnkjtdvd03sqjar31uhg`), UUIDs, long hex strings.
        return true;
    }
    if t.len() >= 8 && t.bytes().all(|b| b.is_ascii_hexdigit()) && digits >= 2 {
        return true;
    }
    // PagerDuty incident and alert references: `INC7646671`, `PDE6361724`, `Q008L6MZ7HK04K`.
    let upper_digits = t
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    upper_digits && digits >= 4 && t.len() >= 7
}

/// True when a value differs between incidents of the same alert: region, data centre, carrier,
/// IP, number or ID. Such values never decide which runbook fits.
pub fn is_volatile(value: &str) -> bool {
    let raw = value.trim().trim_matches('"');
    // Every volatile value has a digit or a dash (regions, carriers, IDs, IPs), except
    // `global`; the fast path keeps indexing a large pack from lowercasing every word.
    if !raw.is_empty() && !raw.bytes().any(|b| b.is_ascii_digit() || b == b'-') {
        return raw.eq_ignore_ascii_case("global");
    }
    let v = raw.to_ascii_lowercase();
    v.is_empty() || is_region(&v) || is_datacenter(&v) || is_carrier(&v) || is_instance_id(raw)
}

/// Canonical form of an identifier for exact comparison across incidents: lowercased, with
/// region names, data-centre codes and digit runs replaced by fixed marks, so
/// `armada-cluster_patrol_error_insufficient_resources_lon04` compares equal whatever the zone.
pub fn canonical_id(id: &str) -> String {
    let lower = id.to_ascii_lowercase();
    let mut out = String::with_capacity(lower.len());
    // Split on separators, keep them, and canonicalise each piece.
    let mut piece = String::new();
    let flush = |piece: &mut String, out: &mut String| {
        if piece.is_empty() {
            return;
        }
        if is_datacenter(piece) {
            out.push('@');
        } else {
            let mut prev_digit = false;
            for c in piece.chars() {
                if c.is_ascii_digit() {
                    if !prev_digit {
                        out.push('#');
                    }
                    prev_digit = true;
                } else {
                    out.push(c);
                    prev_digit = false;
                }
            }
        }
        piece.clear();
    };
    for c in lower.chars() {
        if matches!(c, '.' | '_' | '/' | ':') {
            flush(&mut piece, &mut out);
            out.push(c);
        } else {
            piece.push(c);
        }
    }
    flush(&mut piece, &mut out);
    for region in REGIONS {
        if out.contains(region) {
            out = replace_word(&out, region, "@r");
        }
    }
    out
}

/// Replaces `word` where it is bounded by non-alphanumeric characters.
fn replace_word(s: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find(word) {
        let before_ok = rest[..pos]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        let after = &rest[pos + word.len()..];
        let after_ok = after
            .chars()
            .next()
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        out.push_str(&rest[..pos]);
        out.push_str(if before_ok && after_ok { with } else { word });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Characters that separate identifiers in free text. Dots, dashes, underscores and slashes do
/// not: `DeleteClientID_callback_action_time_errors` and `console-synlab.ai-sev2.api` are one
/// identifier each.
fn is_id_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ';'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '"'
                | '\''
                | '`'
                | '='
                | '<'
                | '>'
                | '|'
                | '*'
                | '!'
                | '?'
                | '\\'
                | '#'
        )
}

/// Identifier-like tokens of `text` (at least 3 characters, containing a letter), trimmed of
/// trailing punctuation. A `key:value` token yields the whole token and both halves.
pub fn identifiers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split(is_id_separator) {
        let tok = raw.trim_matches(|c: char| matches!(c, '.' | ':' | '-' | '/' | '_'));
        if tok.len() < 3 || tok.len() > 200 || !tok.chars().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        if tok.starts_with("http") || tok.contains("://") {
            continue;
        }
        out.push(tok.to_string());
        if tok.contains(':') {
            for part in tok.split(':') {
                let part = part.trim_matches(|c: char| matches!(c, '.' | '-' | '/' | '_'));
                if part.len() >= 3 && part.chars().any(|c| c.is_ascii_alphabetic()) {
                    out.push(part.to_string());
                }
            }
        }
    }
    out
}

/// Lowercase words of `text` for fuzzy matching: runs of ASCII letters (camelCase split into
/// its parts as well as kept whole), at least two letters long. Digits are dropped, so numbers
/// that change between incidents never count.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each word [`words`] would return, without allocating per word.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    for run in text.split(|c: char| !c.is_ascii_alphabetic()) {
        if run.len() < 2 || run.len() > 60 {
            continue;
        }
        // Split camelCase and PascalCase (`DeleteClientID` -> delete, client, id).
        let bytes = run.as_bytes();
        let mut start = 0;
        let mut parts = 0;
        for i in 1..bytes.len() {
            let split = bytes[i].is_ascii_uppercase()
                && (bytes[i - 1].is_ascii_lowercase()
                    || (i + 1 < bytes.len()
                        && bytes[i + 1].is_ascii_lowercase()
                        && bytes[i - 1].is_ascii_uppercase()));
            if split {
                emit_part(&run[start..i], &mut buf, &mut f);
                parts += 1;
                start = i;
            }
        }
        if parts > 0 {
            emit_part(&run[start..], &mut buf, &mut f);
        }
        buf.clear();
        buf.push_str(run);
        buf.make_ascii_lowercase();
        if !is_stopword(&buf) {
            f(&buf);
        }
    }
}

fn emit_part(part: &str, buf: &mut String, f: &mut impl FnMut(&str)) {
    if part.len() >= 2 {
        buf.clear();
        buf.push_str(part);
        buf.make_ascii_lowercase();
        f(buf);
    }
}

/// A fast, non-cryptographic hasher (the multiply-rotate scheme of rustc's FxHasher) for the
/// index's maps: keys are words of runbooks, not attacker-chosen at a scale where flooding
/// matters, and SipHash was a third of the time spent indexing a pack.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut v = [0u8; 8];
            v[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(v))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// English filler words that carry no meaning for matching.
pub fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "and"
            | "or"
            | "of"
            | "to"
            | "in"
            | "on"
            | "for"
            | "is"
            | "are"
            | "be"
            | "this"
            | "that"
            | "it"
            | "with"
            | "as"
            | "at"
            | "by"
            | "an"
            | "if"
            | "from"
            | "not"
            | "no"
            | "will"
            | "can"
            | "has"
            | "have"
            | "was"
            | "were"
            | "which"
            | "any"
            | "all"
            | "you"
            | "your"
            | "we"
            | "our"
            | "then"
            | "there"
            | "these"
            | "those"
            | "into"
            | "than"
            | "also"
            | "may"
            | "should"
            | "must"
            | "when"
            | "see"
            | "use"
            | "using"
            | "do"
            | "does"
            | "its"
            | "but"
            | "so"
            | "such"
            | "more"
            | "other"
            | "only"
            | "per"
            | "via"
            | "out"
            | "up"
            | "get"
            | "run"
            | "one"
            | "each"
            | "been"
            | "being"
            | "what"
            | "how"
            | "who"
    )
}

/// True for characters that change how text reads without showing themselves: controls
/// other than newline and tab, and the Unicode direction marks, overrides and isolates.
pub fn is_hidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Lowercase ASCII slug of a heading, as Jekyll/kramdown anchors spell it.
pub fn slug(heading: &str) -> String {
    let mut out = String::new();
    for c in heading.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            out.push(c.to_ascii_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Sorts `items` stably by `cmp`, as `sort_by` does. Every element type shares one copy of the
/// standard library's sort (on positions, comparing through `cmp`): each `sort_by` call site
/// with its own element type and closure is a copy of that sort, a few KB of the panel's wasm.
pub fn sort_stable_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.iter().filter_map(|&i| slots[i as usize].take()));
}

/// The positions `0..n` in the stable order `cmp` gives them: the one sort instantiation.
fn sorted_positions(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by(|&a, &b| cmp(a as usize, b as usize));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_across_spellings() {
        for k in [
            "reason_code",
            "reasonCode",
            "REASON-CODE",
            "reason code",
            "Reason Code",
        ] {
            assert_eq!(normalize_key(k), "reasoncode", "{k}");
        }
        assert_eq!(normalize_key("CLUSTER-ID"), normalize_key("cluster_id"));
    }

    #[test]
    fn volatile_values() {
        for v in [
            "us-south",
            "eu-de",
            "dal10",
            "prod-dal10-carrier103",
            "stage-dal10-carrier103",
            "10.171.78.122",
            "60048810",
            "#60048810",
            "bnkjtdvd03sqjar31uhg",
            "c0ffee1234abcd5678ef",
            "INC7646671",
            "PDE6361724",
        ] {
            assert!(is_volatile(v), "{v} should be volatile");
        }
        for v in [
            "DeleteClientID",
            "ErrorUnclassified",
            "armada-orchestrator",
            "warning",
            "DeleteClientID_callback_action_time_errors",
            "hub-tugboat-etcd",
            "containers-kubernetes",
        ] {
            assert!(!is_volatile(v), "{v} should not be volatile");
        }
    }

    #[test]
    fn canonical_ids_ignore_zone_region_and_numbers() {
        assert_eq!(
            canonical_id("armada-cluster_patrol_error_insufficient_resources_lon04"),
            canonical_id("armada-cluster_patrol_error_insufficient_resources_fra02"),
        );
        assert_eq!(
            canonical_id("console-synlab.ai-sev2.api"),
            "console-synlab.ai-sev#.api"
        );
        assert_ne!(
            canonical_id("console-synlab.ai-sev2.api"),
            canonical_id("console-synlab.ai-sev2.ui")
        );
        assert_eq!(canonical_id("foo.us-south"), canonical_id("foo.eu-de"));
    }

    #[test]
    fn words_split_camel_case_and_drop_digits() {
        let w = words("DeleteClientID reasonCode:ErrorUnclassified 403 BXNIM0515E");
        for expected in [
            "delete",
            "client",
            "id",
            "deleteclientid",
            "reason",
            "code",
            "error",
            "unclassified",
            "bxnim",
        ] {
            assert!(
                w.iter().any(|x| x == expected),
                "{expected} missing from {w:?}"
            );
        }
        assert!(!w.iter().any(|x| x.chars().any(|c| c.is_ascii_digit())));
    }

    #[test]
    fn identifiers_keep_dotted_and_split_key_value() {
        let ids =
            identifiers("INC7646671:PDE6361724:console-synlab.ai-sev2.api - Metric: aggregate");
        assert!(
            ids.contains(&"console-synlab.ai-sev2.api".to_string()),
            "{ids:?}"
        );
        let ids = identifiers("run `callbackName:DeleteClientID`");
        assert!(ids.contains(&"DeleteClientID".to_string()), "{ids:?}");
    }

    #[test]
    fn sort_stable_by_sorts_like_sort_by() {
        // Pairs with many equal keys: the second value shows whether ties keep their order.
        let mut seed = 7u32;
        let items: Vec<(u32, u32)> = (0..300)
            .map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                ((seed >> 16) % 13, i)
            })
            .collect();
        let mut ours = items.clone();
        sort_stable_by(&mut ours, |a, b| b.0.cmp(&a.0));
        let mut std = items;
        std.sort_by_key(|b| std::cmp::Reverse(b.0));
        assert_eq!(ours, std);
        let mut empty: Vec<String> = Vec::new();
        sort_stable_by(&mut empty, |a, b| a.cmp(b));
        assert!(empty.is_empty());
    }
}
