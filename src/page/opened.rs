//! When the incident was triggered, as the page shows it: the summary card's `OPENED`, else
//! the `Created` cell of the alerts table's first row. The text is handed on as shown; the
//! caller reads it with [`crate::time::parse`] and says so when it has no date or zone (the
//! pages show `9:44 AM`), rather than guessing the day.

use super::read::{cells, rows};
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
    summary_card(&t).or_else(|| alerts_table(&t))
}

/// The `dd` after the summary card's `OPENED` term.
fn summary_card(t: &Tree) -> Option<PageTime> {
    for dt in t.find_all(0, "dt") {
        if !t.line(dt).eq_ignore_ascii_case("opened") {
            continue;
        }
        let parent = t.nodes[dt].p as usize;
        let kids = t.kids(parent);
        let dd = kids
            .iter()
            .skip_while(|&&k| k != dt)
            .nth(1)
            .filter(|&&k| t.nodes[k].t == "dd")?;
        let text = t.line(*dd);
        return (!text.is_empty()).then_some(PageTime {
            label: "OPENED",
            text,
        });
    }
    None
}

/// The first row's cell under an alerts table's `Created` header.
fn alerts_table(t: &Tree) -> Option<PageTime> {
    for table in t.find_all(0, "table") {
        let mut col = None;
        for r in rows(t, table) {
            let cs = cells(t, r);
            if cs.iter().all(|&c| t.nodes[c].t == "th") {
                col = cs
                    .iter()
                    .position(|&c| t.line(c).eq_ignore_ascii_case("created"));
            } else if let Some(&c) = col.and_then(|i| cs.get(i)) {
                let text = t.line(c);
                if !text.is_empty() {
                    return Some(PageTime {
                        label: "Created",
                        text,
                    });
                }
            }
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
