//! The panel's Rust rendering in a real browser (wasm-bindgen-test, headless Chromium): what
//! the on-call engineer sees for the reference alert, live filling of typed values, the log
//! line box, and hostile alert text staying text.
#![cfg(target_arch = "wasm32")]

use runbook_lens::web::Panel;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const REFERENCE: &str = include_str!("../src/builtin/alerts/reference-us-south.txt");

fn mount() -> (HtmlElement, Panel) {
    let doc = web_sys::window().expect("window").document().expect("document");
    let root: HtmlElement = doc.create_element("div").expect("div").dyn_into().expect("HtmlElement");
    doc.body().expect("body").append_child(&root).expect("append");
    let panel = Panel::new(root.clone(), js_sys::Function::new_no_args("")).expect("panel");
    (root, panel)
}

fn q(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).expect("selector").unwrap_or_else(|| panic!("{selector} not found"))
}

fn all_text(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length()).filter_map(|i| list.item(i)).map(|n| n.text_content().unwrap_or_default()).collect()
}

fn input(el: &Element, value: &str) {
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
        t.set_value(value);
    }
    el.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
}

#[wasm_bindgen_test]
fn reference_alert_shows_runbook_scenario_query_escalation_and_steps() {
    let (root, panel) = mount();
    panel.show_incident("https://acme.pagerduty.com/incidents/Q1", REFERENCE).expect("render");
    assert_eq!(q(&root, "[data-rl=runbook]").text_content().as_deref(), Some("armada-orchestrator - Callback errors"));
    assert_eq!(q(&root, "[data-rl=scenario]").text_content().as_deref(), Some("ErrorUnclassified in DeleteClientID"));
    assert_eq!(q(&root, "[data-rl=query]").text_content().as_deref(), Some("callbackName:DeleteClientID reasonCode:ErrorUnclassified"));
    let esc = q(&root, "[data-rl=escalation]");
    assert_eq!(esc.get_attribute("href").as_deref(), Some("https://ibm.pagerduty.com/escalation_policies#PQORC98"));
    assert!(esc.get_attribute("rel").is_some_and(|r| r.contains("noopener")));
    assert_eq!(q(&root, "[data-rl=dashboard]").get_attribute("href").as_deref(), Some("https://alchemy-dashboard.containers.cloud.ibm.com"));
    let steps = all_text(&root, "[data-rl=step-text]");
    assert!(steps.contains(&"ibmcloud ks api-key info --cluster <controllerid>".to_string()), "{steps:?}");
    // Every copy button is named for assistive technology, starting with "Copy".
    let buttons = root.query_selector_all("[data-rl^=copy]").expect("buttons");
    assert!(buttons.length() >= 4);
    for i in 0..buttons.length() {
        let b: Element = buttons.item(i).expect("item").dyn_into().expect("element");
        assert!(b.get_attribute("aria-label").is_some_and(|a| a.starts_with("Copy")));
    }
}

#[wasm_bindgen_test]
fn typed_values_fill_steps_live_and_are_quoted() {
    let (root, panel) = mount();
    panel.show_incident("https://acme.pagerduty.com/incidents/Q2", REFERENCE).expect("render");
    input(&q(&root, "[data-rl=value][data-name=controllerid]"), "c0ffee12");
    let steps = all_text(&root, "[data-rl=step-text]");
    assert!(steps.contains(&"ibmcloud ks api-key info --cluster c0ffee12".to_string()), "{steps:?}");
    input(&q(&root, "[data-rl=value][data-name=account]"), "x; rm -rf ~");
    let steps = all_text(&root, "[data-rl=step-text]");
    assert!(steps.contains(&"ibmcloud target -c 'x; rm -rf ~'".to_string()), "{steps:?}");
    // The same text again (a page re-render) keeps what was typed.
    panel.show_incident("https://acme.pagerduty.com/incidents/Q2", REFERENCE).expect("render");
    assert!(all_text(&root, "[data-rl=step-text]").contains(&"ibmcloud ks api-key info --cluster c0ffee12".to_string()));
}

#[wasm_bindgen_test]
fn a_log_line_picks_the_sub_scenario_and_fills_from_json() {
    let (root, panel) = mount();
    panel.show_incident("https://acme.pagerduty.com/incidents/Q3", REFERENCE).expect("render");
    input(&q(&root, "[data-rl=log-line]"), r#"{"controllerID":"ctl-77","msg":"403 BXNIM0515E: You are not authorized to manage this Client ID."}"#);
    assert_eq!(
        q(&root, "[data-rl=scenario]").text_content().as_deref(),
        Some("ErrorUnclassified in DeleteClientID › 403 BXNIM0515E: You are not authorized to manage this Client ID.")
    );
    assert!(all_text(&root, "[data-rl=step-text]").contains(&"ibmcloud ks api-key info --cluster ctl-77".to_string()));
}

#[wasm_bindgen_test]
fn hostile_alert_text_stays_text() {
    let (root, panel) = mount();
    let hostile = "#1 <img src=x onerror=alert(1)>.containers-kubernetes.prod-dal10-carrier1.x_y.us-south\n- alert = <script>alert(1)</script>\n- operation = DeleteClientID\n- reason_code = ErrorUnclassified\n- alert_situation = DeleteClientID_callback_action_time_errors\n";
    panel.show_incident("https://acme.pagerduty.com/incidents/Q4", hostile).expect("render");
    assert!(root.query_selector("img, script, iframe, object").expect("selector").is_none());
    assert!(root.text_content().unwrap_or_default().contains("<script>alert(1)</script>") || root.text_content().unwrap_or_default().contains("<img src=x"));
}

#[wasm_bindgen_test]
fn unknown_alert_says_nothing_fits_and_show_none_clears() {
    let (root, panel) = mount();
    panel.show_incident("https://acme.pagerduty.com/incidents/Q5", include_str!("../src/builtin/alerts/unknown.txt")).expect("render");
    assert!(q(&root, "[data-rl=no-match]").text_content().unwrap_or_default().contains("No runbook"));
    panel.show_none().expect("clear");
    assert!(root.query_selector("[data-rl=alert]").expect("selector").is_none());
}

#[wasm_bindgen_test]
fn suspicious_values_are_flagged_and_copy_all_asks_first() {
    let (root, panel) = mount();
    panel.show_incident("https://acme.pagerduty.com/incidents/Q6", REFERENCE).expect("render");
    assert!(root.query_selector("[data-warning]").expect("selector").is_none());
    input(&q(&root, "[data-rl=value][data-name=controllerid]"), "abc $(reboot)");
    let warned = q(&root, "[data-rl=step][data-warning]");
    assert!(warned.text_content().unwrap_or_default().contains("is not a single ID"));
    // The step still shows the value quoted, as one word.
    assert!(all_text(&root, "[data-rl=step-text]").contains(&"ibmcloud ks api-key info --cluster 'abc $(reboot)'".to_string()));
    let all: HtmlElement = q(&root, "[data-rl=copy-all]").dyn_into().expect("button");
    all.click();
    assert_eq!(all.get_attribute("data-confirm").as_deref(), Some("armed"));
    assert_eq!(all.text_content().as_deref(), Some("Copy anyway?"));
    assert!(all.get_attribute("aria-label").is_some_and(|a| a.starts_with("Copy")));
    all.click();
    assert_eq!(all.get_attribute("data-confirm"), None);
    // A plain ID clears the warning.
    input(&q(&root, "[data-rl=value][data-name=controllerid]"), "c0ffee12");
    assert!(root.query_selector("[data-warning]").expect("selector").is_none());
}
