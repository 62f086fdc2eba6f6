//! Unit tests of the reader on small hand-built snapshots (the saved pages are in
//! `tests/it/page.rs`).

use super::super::{Node, Snapshot, SNAPSHOT_VERSION};
use super::*;

/// A snapshot built node by node.
struct B(Vec<Node<'static>>);

impl B {
    fn new() -> B {
        B(vec![Node {
            t: "body",
            ..Node::default()
        }])
    }
    fn el(&mut self, p: usize, t: &'static str, f: impl FnOnce(&mut Node<'static>)) -> usize {
        let mut n = Node {
            p: p as u32,
            t,
            ..Node::default()
        };
        f(&mut n);
        self.0.push(n);
        self.0.len() - 1
    }
    fn tag(&mut self, p: usize, t: &'static str) -> usize {
        self.el(p, t, |_| {})
    }
    fn text(&mut self, p: usize, x: &str) {
        let x: &'static str = Box::leak(x.to_string().into_boxed_str());
        self.el(p, "#", |n| n.x = x);
    }
    fn snap(self, url: &'static str) -> Snapshot<'static> {
        Snapshot {
            v: SNAPSHOT_VERSION,
            url,
            nodes: self.0,
        }
    }
}

const URL: &str = "https://acme.pagerduty.com/incidents/Q1AAA";
const T1: &str = "bluemix.containers-kubernetes.prod-dal10-carrier1.DeleteClientID_callback_action_time_errors.us-south";

/// A header with the title and the breadcrumb; returns the builder and the body's index.
fn header(b: &mut B) {
    let h = b.el(0, "div", |n| n.tid = "incidentHeader");
    let nav = b.tag(h, "nav");
    let a = b.el(nav, "a", |n| n.href = "/incidents");
    b.text(a, "Incidents");
    let s = b.tag(nav, "span");
    b.text(s, "Incident #595");
    let h1 = b.el(h, "h1", |n| n.cls = "IncidentTitle_incidentTitle");
    b.text(h1, T1);
}

#[test]
fn title_and_number_without_alerts_table() {
    let mut b = B::new();
    header(&mut b);
    let r = read_snapshot(&b.snap(URL)).expect("recognised");
    assert_eq!(r.title.as_deref(), Some(T1));
    assert_eq!(r.number.as_deref(), Some("595"));
    assert_eq!(r.text(), format!("#595 {T1}\n"));
}

#[test]
fn unknown_layout_is_none() {
    let mut b = B::new();
    let h1 = b.tag(0, "h1");
    b.text(h1, T1);
    let s = b.snap(URL);
    assert_eq!(read_snapshot(&s), None);
    assert_eq!(page_text(&s).trim(), T1);
}

#[test]
fn rows_are_alerts_and_other_incidents_are_not() {
    let mut b = B::new();
    header(&mut b);
    let table = b.tag(0, "table");
    let tr = b.tag(table, "tr");
    for h in ["Status", "Created", "Summary", "Severity"] {
        let th = b.tag(tr, "th");
        b.text(th, h);
    }
    for (summary, region) in [
        (T1, "us-south"),
        ("other.containers-kubernetes.x.y.eu-de", "eu-de"),
    ] {
        let tr = b.tag(table, "tr");
        for (i, c) in ["Triggered", "9:44 AM", summary, "warning"]
            .iter()
            .enumerate()
        {
            let td = b.tag(tr, "td");
            b.text(td, c);
            if i == 2 {
                let btn = b.tag(td, "button");
                b.text(btn, "Hide Details");
                let dt = b.tag(td, "table");
                let row = b.tag(dt, "tr");
                let k = b.tag(row, "td");
                b.text(k, "firing");
                let v = b.tag(row, "td");
                b.text(v, &format!("Labels:\n - region = {region}\n"));
            }
        }
    }
    let past = b.el(0, "div", |n| n.role = "tabpanel");
    let h2 = b.tag(past, "h2");
    b.text(h2, "Past Incidents");
    let a = b.el(past, "a", |n| n.href = "/incidents/Q9OLD");
    b.text(
        a,
        "#594 bluemix.containers-kubernetes.prod-x-carrier2.CreateClientID_errors.eu-de",
    );
    // Past incidents shown without links or names: the heading says what they are.
    let pre = b.tag(past, "pre");
    b.text(pre, "Labels:");
    b.tag(pre, "br");
    b.text(pre, " - region = jp-tok");
    let r = read_snapshot(&b.snap(URL)).expect("recognised");
    assert_eq!(r.alerts.len(), 2, "{r:?}");
    assert!(!r.text().contains("jp-tok"), "{}", r.text());
    assert_eq!(r.alerts[0].title.as_deref(), Some(T1));
    assert_eq!(r.alerts[0].body, ["Labels:", " - region = us-south"]);
    assert_eq!(r.alerts[1].body, ["Labels:", " - region = eu-de"]);
    assert!(!r.text().contains("CreateClientID"), "{}", r.text());
}
