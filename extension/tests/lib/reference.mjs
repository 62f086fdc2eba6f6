// What the fixture incidents should produce with the built-in pack, and where they are
// served: shared by the Chromium and the Firefox suites so both assert the same guidance.

export const REF = {
  runbook: "armada-orchestrator - Callback errors",
  scenario: "ErrorUnclassified in DeleteClientID",
  query: "callbackName:DeleteClientID reasonCode:ErrorUnclassified",
  dashboard: "https://alchemy-dashboard.containers.cloud.ibm.com",
  escalation: "https://ibm.pagerduty.com/escalation_policies#PQORC98",
};

export const ETCD = {
  runbook: "armada-deploy - Cluster etcd backup failing",
  query: "app:etcd-backup clusterID:cn4v8r2f0lk3pd9a1qe0",
  escalation: "https://ibm.pagerduty.com/escalation_policies#PX7D2KQ",
};

export const URLS = {
  react: "https://acme.pagerduty.com/incidents/Q1REACT0PRE1",
  table: "https://acme.eu.pagerduty.com/incidents/Q2TABLE0DTL2",
  alertmanager: "https://acme.eu.pagerduty.com/incidents/Q3ALERTMGR03",
  json: "https://acme.pagerduty.com/incidents/Q4JSON0DTLS4",
  two: "https://acme.pagerduty.com/incidents/Q5TWO0ALERT5",
  unknown: "https://acme.pagerduty.com/incidents/Q8UNKNOWN008",
  list: "https://acme.pagerduty.com/incidents",
  service: "https://acme.pagerduty.com/services/PXXXXXX",
  status: "https://status.pagerduty.com/",
};

export const LOG_LINE_403 = "403 BXNIM0515E: You are not authorized to manage this Client ID.";
