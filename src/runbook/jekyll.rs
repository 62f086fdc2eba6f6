//! Removing what Jekyll would consume before rendering a page: kramdown attribute lists and
//! Liquid tags, in one pass over each line (linear however many of them a line opens).

/// Removes what Jekyll would consume before rendering: kramdown attribute lists (`{: .label}`,
/// `{:target="_blank"}`) and Liquid tags (`{% capture x %}`, `{% raw %}`). Liquid output
/// (`{{ site.data.… }}`) is kept as text: it has no value here, and links built from it are
/// reported as unresolved. Line structure is preserved so problems keep their line numbers.
pub(super) fn strip_jekyll(body: &str) -> String {
    strip_counting(body).0
}

/// [`strip_jekyll`], and how many bytes its searches read (the tests hold it to linear).
fn strip_counting(body: &str) -> (String, usize) {
    let mut out = String::with_capacity(body.len());
    let mut searched = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with("{:") && trimmed.ends_with('}') {
            out.push_str(if line.ends_with('\n') { "\n" } else { "" });
            continue;
        }
        let mut finds = [
            Next::new("{%"),
            Next::new("{:"),
            Next::new("%}"),
            Next::new("}"),
        ];
        let [tags, attrs, tag_ends, attr_ends] = &mut finds;
        let mut pos = 0;
        loop {
            let tag = tags.find(line, pos);
            match (tag, attrs.find(line, pos)) {
                (Some(t), a) if a.is_none_or(|a| t < a) => {
                    out.push_str(&line[pos..t]);
                    // An unclosed tag loses its `{%` only.
                    pos = tag_ends.find(line, t).map_or(t + 2, |end| end + 2);
                }
                (_, Some(a)) => {
                    out.push_str(&line[pos..a]);
                    pos = attr_ends.find(line, a).map_or(a + 2, |end| end + 1);
                }
                _ => {
                    out.push_str(&line[pos..]);
                    break;
                }
            }
        }
        searched += finds.iter().map(|f| f.searched).sum::<usize>();
        // `{{ example_alert }}` re-renders a capture that already stands above; drop it.
        if trimmed.starts_with("{{") && trimmed.ends_with("}}") && !trimmed.contains("site.") {
            let len = out.len();
            let line_start = out[..len.saturating_sub(1)]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            out.truncate(line_start);
            if line.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    (out, searched)
}

/// The next `pat` of a line at or after a position that only moves forward. The last answer
/// is reused while it lies ahead (and "none" stays none), so each byte is searched about once:
/// searching the rest of the line again from every unclosed `{:` made a 200 KB line of them
/// take seconds.
struct Next {
    pat: &'static str,
    /// `None` before the first search; then the last search's answer.
    last: Option<Option<usize>>,
    searched: usize,
}

impl Next {
    fn new(pat: &'static str) -> Next {
        Next {
            pat,
            last: None,
            searched: 0,
        }
    }

    fn find(&mut self, line: &str, from: usize) -> Option<usize> {
        match self.last {
            Some(Some(at)) if at >= from => return Some(at),
            Some(None) => return None,
            _ => {}
        }
        let rest = line.get(from..).unwrap_or("");
        let found = rest.find(self.pat).map(|at| at + from);
        self.searched += found.map_or(rest.len(), |at| at - from + self.pat.len());
        self.last = Some(found);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_noise_is_removed_and_lines_kept() {
        let s = strip_jekyll("Alert\n{: .label .label-purple}\n{% capture x %}\n- `A`\n{% endcapture %}\n{{ x }}\nsee [a](b){:target=\"_blank\"}\n");
        assert_eq!(s.lines().count(), 7);
        assert!(!s.contains("{:"));
        assert!(!s.contains("{%"));
        assert!(!s.contains("{{ x }}"));
        assert!(s.contains("see [a](b)"));
    }

    #[test]
    fn unclosed_markup_loses_its_opening_only() {
        assert_eq!(strip_jekyll("a {: b {% c\n"), "a  b  c\n");
        assert_eq!(strip_jekyll("a {%}b {%x%} c {:y} d\n"), "a b  c  d\n");
        assert_eq!(strip_jekyll("{% a %} {: b}{%"), " ");
    }

    #[test]
    fn a_line_of_unclosed_markup_is_searched_once() {
        for unit in ["{:", "{%", "{:{%", "{:}{%", "{%%}{:"] {
            let line = unit.repeat(200 * 1024 / unit.len()) + "\n";
            let (out, searched) = strip_counting(&line);
            assert!(
                !out.contains("{:") && !out.contains("{%"),
                "{unit}: {out:.40}"
            );
            assert!(
                searched <= 6 * line.len(),
                "{unit}: {searched} bytes searched for a {} byte line: the searches start over",
                line.len()
            );
        }
    }
}
