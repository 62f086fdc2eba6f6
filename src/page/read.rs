//! The reader: the incident's title and number from its header, its alerts from the alerts
//! table row by row (a row's summary is the alert's title; its expanded details, a `firing`
//! row with Alertmanager's list or a `<pre>`, its body), and `<pre>` bodies elsewhere on the
//! page (the raw message, a details body) joined to the alert they show.

use super::tree::{named, Tree};
use super::{PageAlert, PageRead, Snapshot};

/// Reads the incident (or alert) page of `s`. `None` when the page is not laid out as the
/// reader knows (no incident header, no title): the caller falls back to the page's text.
pub fn read_snapshot(s: &Snapshot) -> Option<PageRead> {
    if s.nodes.is_empty() {
        return None;
    }
    let t = Tree::new(s);
    let alert_page = s.url.contains("/alerts/");
    let header = t.find(0, |n| n.tid == "incidentHeader");
    let title_el = header
        .and_then(|h| t.find(h, |n| n.t == "h1"))
        .or_else(|| {
            t.find(0, |n| {
                n.t == "h1" && n.cls.contains("IncidentTitle_incidentTitle")
            })
        })
        .or_else(|| alert_page.then(|| t.find(0, |n| n.t == "h1"))?)?;
    let title = Some(t.line(title_el)).filter(|l| !l.is_empty());
    // The breadcrumb's `Incident #595`, in the header or anywhere that is this incident's.
    let number = t
        .line(header.unwrap_or(0))
        .split("Incident #")
        .nth(1)
        .and_then(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            Some(digits).filter(|d| !d.is_empty())
        });
    let mut alerts = Vec::new();
    let mut tables = Vec::new();
    for table in t.find_all(0, "table") {
        if tables.iter().any(|&o| t.inside(table, o)) {
            continue;
        }
        let summary = t
            .find_all(table, "th")
            .into_iter()
            .any(|th| is_summary(&t, th));
        if summary || named(&t.nodes[table], "alert") {
            tables.push(table);
            read_table(&t, table, &mut alerts);
        }
    }
    if alerts.is_empty() {
        alerts.push(PageAlert {
            title: title.clone(),
            body: Vec::new(),
        });
        // Without an alerts table, the details tables are the alert's (an alert page's
        // Custom Details).
        for table in t.find_all(0, "table") {
            if alert_page || named(&t.nodes[table], "detail") {
                add_block(&mut alerts[0], details_lines(&t, table));
            }
        }
    }
    for pre in t.find_all(0, "pre") {
        if !tables.iter().any(|&tb| t.inside(pre, tb)) {
            add_pre(t.lines(pre), &mut alerts);
        }
    }
    Some(PageRead {
        title,
        number,
        alerts,
    })
}

/// The whole page's text, for pages the reader does not know.
pub fn page_text(s: &Snapshot) -> String {
    if s.nodes.is_empty() {
        return String::new();
    }
    Tree::new(s).text(0, '\n')
}

/// True when cell `c` is the `Summary` column's header.
fn is_summary(t: &Tree, c: usize) -> bool {
    t.line(c).eq_ignore_ascii_case("summary")
}

/// The nearest `table` above `i` (not `i` itself).
fn table_of(t: &Tree, mut i: usize) -> usize {
    while i != 0 {
        i = t.nodes[i].p as usize;
        if t.nodes[i].t == "table" {
            break;
        }
    }
    i
}

/// The rows of `table` itself (not of tables nested in its cells).
fn rows(t: &Tree, table: usize) -> Vec<usize> {
    t.find_all(table, "tr")
        .into_iter()
        .filter(|&r| table_of(t, r) == table)
        .collect()
}

/// The cells of row `r`.
fn cells(t: &Tree, r: usize) -> Vec<usize> {
    let mut out = t.kids(r);
    out.retain(|&c| matches!(t.nodes[c].t, "td" | "th"));
    out
}

/// Reads an alerts table: each row with several cells is an alert; a row with one cell (the
/// expanded details spanning the table) belongs to the alert above it.
fn read_table(t: &Tree, table: usize, alerts: &mut Vec<PageAlert>) {
    let mut summary_col = None;
    let first = alerts.len();
    for r in rows(t, table) {
        let cs = cells(t, r);
        if cs.iter().all(|&c| t.nodes[c].t == "th") {
            // The header row: where the summary is.
            summary_col = cs.iter().position(|&c| is_summary(t, c));
        } else if cs.len() == 1 && alerts.len() > first {
            if let Some(last) = alerts.last_mut() {
                add_details(t, cs[0], last);
            }
        } else {
            // The summary cell, else the one with the most text.
            let col = summary_col.filter(|&c| c < cs.len());
            let mut cell = table;
            let mut longest = 0;
            for (k, &c) in cs.iter().enumerate() {
                let len = t.line(c).len();
                if col == Some(k) || (col.is_none() && len > longest) {
                    (cell, longest) = (c, len);
                }
            }
            // Its first text is the summary; the toggle ("Show Details", "Hide Details") and
            // the details come after it.
            let mut alert = PageAlert {
                title: t
                    .find(cell, |n| n.t == "#")
                    .map(|n| t.nodes[n].x.trim().to_string()),
                body: Vec::new(),
            };
            add_details(t, cell, &mut alert);
            alerts.push(alert);
        }
    }
}

/// Adds the details shown inside `el` (its outermost tables and `<pre>`s) to `alert`.
fn add_details(t: &Tree, el: usize, alert: &mut PageAlert) {
    for table in t.find_all(el, "table") {
        if !t.inside(table_of(t, table), el) {
            add_block(alert, details_lines(t, table));
        }
    }
    for pre in t.find_all(el, "pre") {
        if !t.inside(table_of(t, pre), el) {
            add_block(alert, t.lines(pre));
        }
    }
}

/// A details table as lines: `- key = value` for one-line values; Alertmanager's text (the
/// `firing` row) and other multi-line values as their lines.
fn details_lines(t: &Tree, table: usize) -> Vec<String> {
    let mut out = Vec::new();
    for r in rows(t, table) {
        let (key, mut value) = match cells(t, r)[..] {
            [k, v] => (t.line(k), t.lines(v)),
            [one] => (String::new(), t.lines(one)),
            _ => continue,
        };
        if value.len() == 1 && !key.is_empty() && !key.eq_ignore_ascii_case("firing") {
            let mut line = String::from("- ");
            line.push_str(&key);
            line.push_str(" = ");
            line.push_str(&value[0]);
            value[0] = line;
        }
        out.extend(value);
    }
    out
}

/// Appends `block` to the alert's body unless the body already has every line of it (the
/// same details shown twice). A block is kept whole otherwise: a JSON body cut into its new
/// lines would no longer be JSON.
fn add_block(alert: &mut PageAlert, block: Vec<String>) {
    if !block.iter().all(|l| has_line(alert, l)) {
        alert.body.extend(block);
    }
}

/// True when the alert's body has `line` (lines are compared as shown, indentation included).
fn has_line(alert: &PageAlert, line: &str) -> bool {
    alert.body.iter().any(|b| b == line)
}

/// A `<pre>` outside the alerts table (the raw message, or the details body of an alert that
/// also has its row): joined to the alert whose title it contains, else to the alert that
/// already shows at least half of its lines (the same alert shown twice), else to the only
/// alert; else it is an alert of its own.
fn add_pre(lines: Vec<String>, alerts: &mut Vec<PageAlert>) {
    let owner = alerts
        .iter()
        .position(|a| {
            a.title
                .as_deref()
                .is_some_and(|ti| lines.iter().any(|l| l.contains(ti)))
        })
        .or_else(|| {
            alerts
                .iter()
                .position(|a| 2 * lines.iter().filter(|l| has_line(a, l)).count() >= lines.len())
        })
        .or_else(|| (alerts.len() == 1).then_some(0));
    match owner {
        Some(i) => add_block(&mut alerts[i], lines),
        None => alerts.push(PageAlert {
            title: None,
            body: lines,
        }),
    }
}

#[cfg(test)]
mod tests;
