//! When the incident was triggered, as the page shows it: the summary card's `OPENED`, else
//! the `Created` cell of the alerts table's first row. The text is handed on as shown; the
//! caller reads it with [`crate::time::parse`] and says so when it has no date or zone (the
//! pages show `9:44 AM`), rather than guessing the day.

use super::tree::Tree;
use super::Snapshot;

/// A trigger time as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageTime {
    /// Where it is shown: `OPENED` (the summary card) or `Created` (the alerts table).
    pub label: &'static str,
    /// The text as shown (`9:44 AM`, `2026-11-27T03:12:44Z`).
    pub text: String,
}

/// The incident's trigger time on the page of `s`, when the page shows one.
pub fn opened_time(s: &Snapshot) -> Option<PageTime> {
    if s.nodes.is_empty() {
        return None;
    }
    let t = Tree::new(s);
    let n = &t.nodes;
    // One pass in document order: the summary card comes before the alerts table.
    for i in 0..n.len() {
        let label = match n[i].t {
            "dt" if t.line(i).eq_ignore_ascii_case("opened") => "OPENED",
            "th" if t.line(i).eq_ignore_ascii_case("created") => "Created",
            _ => continue,
        };
        let parent = n[i].p;
        let cell = if label == "OPENED" {
            // The `dd` right after the term.
            (i + 1..n.len())
                .find(|&j| n[j].p == parent)
                .filter(|&j| n[j].t == "dd")
        } else {
            // The cell in the same column of the first row below the header.
            let col = (0..i).filter(|&j| n[j].p == parent).count();
            let row = (i + 1..n.len()).find(|&j| n[j].t == "tr" && n[j].p != parent)?;
            (row + 1..n.len())
                .filter(|&j| n[j].p as usize == row)
                .nth(col)
        };
        if let Some(text) = cell.map(|c| t.line(c)).filter(|x| !x.is_empty()) {
            return Some(PageTime { label, text });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(nodes: &str) -> Option<PageTime> {
        let text =
            format!("runbook-lens-snapshot 1\thttps://acme.pagerduty.com/incidents/Q1\n{nodes}");
        let snap = Snapshot::from_text(&text).expect("snapshot");
        opened_time(&snap)
    }

    #[test]
    fn the_summary_card_then_the_alerts_table() {
        let card = "0\tbody\n0\tdl\n1\tdt\n2\t#\tSTATUS\n1\tdd\n4\t#\tTriggered\n1\tdt\n6\t#\tOPENED\n1\tdd\n8\t#\t2026-11-27T03:12:44Z\n";
        assert_eq!(
            read(card),
            Some(PageTime {
                label: "OPENED",
                text: "2026-11-27T03:12:44Z".into()
            })
        );
        let table = "0\tbody\n0\ttable\n1\ttr\n2\tth\n3\t#\tStatus\n2\tth\n5\t#\tCreated\n1\ttr\n7\ttd\n8\t#\tTriggered\n7\ttd\n10\t#\t9:44 AM\n";
        assert_eq!(
            read(table),
            Some(PageTime {
                label: "Created",
                text: "9:44 AM".into()
            })
        );
        assert_eq!(read("0\tbody\n0\tp\n1\t#\tOPENED\n"), None);
    }
}
