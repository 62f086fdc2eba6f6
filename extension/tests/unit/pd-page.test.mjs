// Unit tests of lib/pd-page.js (node's test runner, no browser): the incident URL
// predicate both ways, and the pure text helpers the extraction is built on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Page = require("../../lib/pd-page.js");

test("incident pages: /incidents/<ID> on account hosts (US and EU)", () => {
  const yes = [
    ["https://acme.pagerduty.com/incidents/Q1REACT0PRE1", "Q1REACT0PRE1"],
    ["https://acme.pagerduty.com/incidents/Q1REACT0PRE1/", "Q1REACT0PRE1"],
    ["https://acme.pagerduty.com/incidents/Q1REACT0PRE1?tab=details", "Q1REACT0PRE1"],
    ["https://acme.pagerduty.com/incidents/Q1REACT0PRE1#alerts", "Q1REACT0PRE1"],
    ["https://acme.pagerduty.com/incidents/Q1REACT0PRE1/?a=b#c", "Q1REACT0PRE1"],
    ["https://acme.eu.pagerduty.com/incidents/Q2TABLE0DTL2", "Q2TABLE0DTL2"],
    ["https://ibm.pagerduty.com/incidents/PT4KHLK", "PT4KHLK"],
    ["https://my-company-2.pagerduty.com/incidents/Q0RIJJZL24RC8P", "Q0RIJJZL24RC8P"],
    ["https://ACME.PagerDuty.com/incidents/Q3DEMO1ABC", "Q3DEMO1ABC"],
    ["https://demo.pagerduty.com/incidents/123456", "123456"],
    // An alert's own page (issue 10, item 7).
    ["https://acme.pagerduty.com/alerts/Q1ABC", "Q1ABC"],
    ["https://acme.eu.pagerduty.com/alerts/Q0ALERT1X/", "Q0ALERT1X"],
  ];
  for (const [url, id] of yes) {
    assert.equal(Page.isIncidentUrl(url), true, url);
    assert.equal(Page.incidentId(url), id, url);
    assert.equal(Page.isIncidentUrl(new URL(url)), true, url);
  }
});

test("not incident pages: lists, other paths, other hosts, other schemes", () => {
  const no = [
    "https://acme.pagerduty.com/incidents",
    "https://acme.pagerduty.com/incidents/",
    "https://acme.pagerduty.com/incidents?status=triggered",
    "https://acme.pagerduty.com/incidents/new",
    "https://acme.pagerduty.com/incidents/Q1ABC/timeline",
    "https://acme.pagerduty.com/incidents/Q1-ABC",
    "https://acme.pagerduty.com/incidents//Q1ABC",
    "https://acme.pagerduty.com/services/PXXXXXX",
    "https://acme.pagerduty.com/",
    "https://acme.pagerduty.com/alerts/Q1ABC/timeline",
    "https://acme.pagerduty.com/alerts",
    "https://acme.pagerduty.com/service-directory/incidents/Q1ABC",
    "https://status.pagerduty.com/",
    "https://status.pagerduty.com/incidents/Q1ABC",
    "https://status.eu.pagerduty.com/incidents/Q1ABC",
    "https://www.pagerduty.com/incidents/Q1ABC",
    "https://pagerduty.com/incidents/Q1ABC",
    "https://eu.pagerduty.com/incidents/Q1ABC",
    "https://a.b.c.pagerduty.com/incidents/Q1ABC",
    "https://acme.us.pagerduty.com/incidents/Q1ABC",
    "http://acme.pagerduty.com/incidents/Q1ABC",
    "https://acme.pagerduty.com.evil.example/incidents/Q1ABC",
    "https://evil-pagerduty.com/incidents/Q1ABC",
    "https://acme.pagerduty.co/incidents/Q1ABC",
    "https://example.com/incidents/Q1ABC",
    "https://example.com/?u=https://acme.pagerduty.com/incidents/Q1ABC",
    "chrome-extension://abc/incidents/Q1ABC",
    "not a url",
    "",
  ];
  for (const url of no) {
    assert.equal(Page.isIncidentUrl(url), false, url);
    assert.equal(Page.incidentId(url), null, url);
  }
});

test("normalizeText: line endings, no-break spaces, trailing blanks, blank runs", () => {
  assert.equal(Page.normalizeText("  a = 1\r\nb\u00a0=\u00a02  \r\n\n\n\n\nc\t\n"), "a = 1\nb = 2\n\nc");
  assert.equal(Page.normalizeText("key\tvalue"), "key\tvalue");
  assert.equal(Page.normalizeText("x\u200by"), "xy");
});

test("capText: at most the limit, cut at a line end", () => {
  const text = "line one\nline two\nline three";
  assert.equal(Page.capText(text, 100), text);
  assert.equal(Page.capText(text, 20), "line one\nline two");
  assert.equal(Page.capText("x".repeat(50), 10), "x".repeat(10));
  assert.equal(Page.MAX_TEXT, 1024 * 1024);
  const big = ("- key = value\n").repeat(90000);
  assert.ok(Page.capText(big).length <= Page.MAX_TEXT);
});

test("alertSignals: the formats the engine reads count, prose and page chrome do not", () => {
  const alert = [
    "#60048810 staging.containers-kubernetes.stage-dal10-carrier103.DeleteClientID_callback_action_time_errors.us-south",
    "- alert = ClusterSquadOrchestratorCallbackActionTimeErrors",
    "reason_code\tErrorUnclassified",
    '  "alertname": "ArmadaApiHigh5xxRate",',
    "Labels:",
    "alert_situation: cluster_etcd_backup_failing",
  ].join("\n");
  assert.equal(Page.alertSignals(alert), 6);
  const chrome = ["Incidents", "Triggered 7m 12s ago", "Status: Triggered", "Acknowledge", "Notes: none yet", "See https://example.com/a=b"].join("\n");
  assert.equal(Page.alertSignals(chrome), 0);
});

test("chooseText: hooks when they hold the alert content, else the whole text", () => {
  const title = "#60048810 staging.containers-kubernetes.stage-dal10-carrier103.DeleteClientID_callback_action_time_errors.us-south";
  const body = "- operation = DeleteClientID\n- reason_code = ErrorUnclassified\n- region = us-south";
  const whole = `Incidents\nStatus\nTriggered\n${title}\nRelated: something\n${body}\nNotes`;
  // The hooks have all of it: title + hooks, without the page around them.
  assert.equal(Page.chooseText({ title, hooks: [body], whole }), `${title}\n\n${body}`);
  // A hook that is only page metadata: fall back to the whole incident.
  assert.equal(Page.chooseText({ title, hooks: ["Status\tTriggered"], whole }), Page.normalizeText(whole));
  // No hooks at all.
  assert.equal(Page.chooseText({ title: "", hooks: [], whole }), Page.normalizeText(whole));
  // The title lives outside the incident's root: it is put in front.
  assert.equal(Page.chooseText({ title, hooks: [], whole: body, titleInWhole: false }), `${title}\n\n${body}`);
  // Hooks that hold too little of what the page shows lose to the whole text.
  const more = `${body}\n- alert = X\n- service = y\n- severity = warning\n- carrier_name = c1`;
  assert.equal(Page.chooseText({ title: "", hooks: [body], whole: more }), more);
});

test("fingerprint: the alert-bearing lines, blind to ticking times and chrome", () => {
  const a = "Triggered 7m 12s ago\n- operation = DeleteClientID\nAcknowledge";
  const b = "Triggered 7m 13s ago\n- operation = DeleteClientID\nAcknowledge";
  assert.equal(Page.fingerprint(a), Page.fingerprint(b));
  assert.notEqual(Page.fingerprint(a), Page.fingerprint("- operation = CreateClientID"));
  assert.equal(Page.fingerprint("Loading…\nIncidents"), "");
});

test("dropRepeatedTitles: the incident title shown again as the alert's summary is read once", () => {
  const t1 = "#61250001 bluemix.containers-kubernetes.prod-dal10-carrier120.DeleteClientID_callback_action_time_errors.us-south";
  const t2 = "#61250002 bluemix.containers-kubernetes.prod-fra05-carrier121.DeleteClientID_callback_action_time_errors.eu-de";
  const text = [t1, "Priority: P2", "", t1, "- region = us-south", "", t2, "- region = eu-de", "Not a title: " + t1].join("\n");
  assert.equal(Page.dropRepeatedTitles(text), [t1, "Priority: P2", "", "- region = us-south", "", t2, "- region = eu-de", "Not a title: " + t1].join("\n"));
  assert.equal(Page.dropRepeatedTitles("no titles\nhere"), "no titles\nhere");
});
