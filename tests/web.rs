//! The panel's Rust rendering in a real browser (wasm-bindgen-test, headless Chromium): what
//! the on-call engineer sees for the reference alert, live filling of typed values, the log
//! line box, and hostile alert text staying text.
#![cfg(target_arch = "wasm32")]

use runbook_lens::web::{Panel, PanelHost};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

const REFERENCE: &str = include_str!("../src/builtin/alerts/reference-us-south.txt");

#[wasm_bindgen]
extern "C" {
    /// A test's `PanelHost` that records each call (see [`recording_host`]).
    type Recorder;
    /// The calls so far, as JSON: `[["collapse", true], ["saveSettings", "{…}"], ["openOptions"]]`.
    #[wasm_bindgen(method)]
    fn calls(this: &Recorder) -> String;
}

/// A host like the panel page's, which records what the panel asks of it; with `throwing`,
/// every method records and then throws, as a broken page would.
fn recording_host(throwing: bool) -> Recorder {
    let body = format!(
        "const calls = []; const done = () => {{ if ({throwing}) throw new Error('host broke'); }};
         return {{ calls: () => JSON.stringify(calls),
           collapse(c) {{ calls.push(['collapse', c]); done(); }},
           saveSettings(s) {{ calls.push(['saveSettings', s]); done(); }},
           openOptions() {{ calls.push(['openOptions']); done(); }} }};"
    );
    js_sys::Function::new_no_args(&body)
        .call0(&JsValue::NULL)
        .expect("host")
        .unchecked_into()
}

fn calls(host: &Recorder) -> Vec<serde_json::Value> {
    serde_json::from_str(&host.calls()).expect("calls JSON")
}

fn mount() -> (HtmlElement, Panel) {
    let (root, panel, _) = mount_with(recording_host(false));
    (root, panel)
}

fn mount_with(host: Recorder) -> (HtmlElement, Panel, Recorder) {
    let doc = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let root: HtmlElement = doc
        .create_element("div")
        .expect("div")
        .dyn_into()
        .expect("HtmlElement");
    doc.body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let panel =
        Panel::new(root.clone(), host.clone().unchecked_into::<PanelHost>()).expect("panel");
    (root, panel, host)
}

fn click(el: &Element) {
    el.dyn_ref::<HtmlElement>().expect("HtmlElement").click();
}

fn q(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("selector")
        .unwrap_or_else(|| panic!("{selector} not found"))
}

fn all_text(root: &Element, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

fn input(el: &Element, value: &str) {
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        i.set_value(value);
    } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
        t.set_value(value);
    }
    el.dispatch_event(&web_sys::Event::new("input").expect("event"))
        .expect("dispatch");
}

#[wasm_bindgen_test]
fn reference_alert_shows_runbook_scenario_query_escalation_and_steps() {
    let (root, panel) = mount();
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q1", REFERENCE)
        .expect("render");
    assert_eq!(
        q(&root, "[data-rl=runbook]").text_content().as_deref(),
        Some("armada-orchestrator - Callback errors")
    );
    assert_eq!(
        q(&root, "[data-rl=scenario]").text_content().as_deref(),
        Some("ErrorUnclassified in DeleteClientID")
    );
    assert_eq!(
        q(&root, "[data-rl=query]").text_content().as_deref(),
        Some("callbackName:DeleteClientID reasonCode:ErrorUnclassified")
    );
    let esc = q(&root, "[data-rl=escalation]");
    assert_eq!(
        esc.get_attribute("href").as_deref(),
        Some("https://ibm.pagerduty.com/escalation_policies#PQORC98")
    );
    assert!(esc
        .get_attribute("rel")
        .is_some_and(|r| r.contains("noopener")));
    assert_eq!(
        q(&root, "[data-rl=dashboard]")
            .get_attribute("href")
            .as_deref(),
        Some("https://alchemy-dashboard.containers.cloud.ibm.com")
    );
    let steps = all_text(&root, "[data-rl=step-text]");
    assert!(
        steps.contains(&"ibmcloud ks api-key info --cluster <controllerid>".to_string()),
        "{steps:?}"
    );
    // Every copy button is named for assistive technology, starting with "Copy".
    let buttons = root.query_selector_all("[data-rl^=copy]").expect("buttons");
    assert!(buttons.length() >= 4);
    for i in 0..buttons.length() {
        let b: Element = buttons.item(i).expect("item").dyn_into().expect("element");
        assert!(b
            .get_attribute("aria-label")
            .is_some_and(|a| a.starts_with("Copy")));
    }
}

#[wasm_bindgen_test]
fn typed_values_fill_steps_live_and_are_quoted() {
    let (root, panel) = mount();
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q2", REFERENCE)
        .expect("render");
    input(
        &q(&root, "[data-rl=value][data-name=controllerid]"),
        "c0ffee12",
    );
    let steps = all_text(&root, "[data-rl=step-text]");
    assert!(
        steps.contains(&"ibmcloud ks api-key info --cluster c0ffee12".to_string()),
        "{steps:?}"
    );
    input(
        &q(&root, "[data-rl=value][data-name=account]"),
        "x; rm -rf ~",
    );
    let steps = all_text(&root, "[data-rl=step-text]");
    assert!(
        steps.contains(&"ibmcloud target -c 'x; rm -rf ~'".to_string()),
        "{steps:?}"
    );
    // The same text again (a page re-render) keeps what was typed.
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q2", REFERENCE)
        .expect("render");
    assert!(all_text(&root, "[data-rl=step-text]")
        .contains(&"ibmcloud ks api-key info --cluster c0ffee12".to_string()));
}

#[wasm_bindgen_test]
fn the_panel_calls_its_host_by_method_collapse_remember_and_settings() {
    let (root, panel, host) = mount_with(recording_host(false));
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q7", REFERENCE)
        .expect("render");
    let collapse = q(&root, "[data-rl=collapse]");
    click(&collapse);
    click(&collapse);
    click(&q(&root, "[data-rl=open-options]"));
    input(&q(&root, "[data-rl=value][data-name=account]"), "acct-7");
    click(&q(&root, "[data-rl=remember][data-name=account]"));
    let calls = calls(&host);
    assert_eq!(calls.len(), 4, "{calls:?}");
    assert_eq!(calls[0], serde_json::json!(["collapse", true]));
    assert_eq!(calls[1], serde_json::json!(["collapse", false]));
    assert_eq!(calls[2], serde_json::json!(["openOptions"]));
    assert_eq!(calls[3][0], "saveSettings");
    let settings: serde_json::Value =
        serde_json::from_str(calls[3][1].as_str().expect("settings text")).expect("settings JSON");
    assert!(settings.to_string().contains("acct-7"), "{settings}");
    assert_eq!(
        q(&root, "[data-rl=remember][data-name=account]")
            .text_content()
            .as_deref(),
        Some("Remembered")
    );
}

#[wasm_bindgen_test]
fn a_host_that_throws_does_not_break_the_panel() {
    let (root, panel, host) = mount_with(recording_host(true));
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q8", REFERENCE)
        .expect("render");
    let collapse = q(&root, "[data-rl=collapse]");
    click(&collapse);
    assert_eq!(
        collapse.get_attribute("aria-expanded").as_deref(),
        Some("false")
    );
    // The panel is not left half-borrowed: the next click and the next render still work.
    click(&collapse);
    assert_eq!(
        collapse.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    click(&q(&root, "[data-rl=open-options]"));
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q9", REFERENCE)
        .expect("render after a throwing host");
    assert_eq!(calls(&host).len(), 3);
}

#[wasm_bindgen_test]
fn a_log_line_picks_the_sub_scenario_and_fills_from_json() {
    let (root, panel) = mount();
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q3", REFERENCE)
        .expect("render");
    input(
        &q(&root, "[data-rl=log-line]"),
        r#"{"controllerID":"ctl-77","msg":"403 BXNIM0515E: You are not authorized to manage this Client ID."}"#,
    );
    assert_eq!(
        q(&root, "[data-rl=scenario]").text_content().as_deref(),
        Some("ErrorUnclassified in DeleteClientID › 403 BXNIM0515E: You are not authorized to manage this Client ID.")
    );
    assert!(all_text(&root, "[data-rl=step-text]")
        .contains(&"ibmcloud ks api-key info --cluster ctl-77".to_string()));
}

#[wasm_bindgen_test]
fn hostile_alert_text_stays_text() {
    let (root, panel) = mount();
    let hostile = "#1 <img src=x onerror=alert(1)>.containers-kubernetes.prod-dal10-carrier1.x_y.us-south\n- alert = <script>alert(1)</script>\n- operation = DeleteClientID\n- reason_code = ErrorUnclassified\n- alert_situation = DeleteClientID_callback_action_time_errors\n";
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q4", hostile)
        .expect("render");
    assert!(root
        .query_selector("img, script, iframe, object")
        .expect("selector")
        .is_none());
    assert!(
        root.text_content()
            .unwrap_or_default()
            .contains("<script>alert(1)</script>")
            || root
                .text_content()
                .unwrap_or_default()
                .contains("<img src=x")
    );
}

#[wasm_bindgen_test]
fn unknown_alert_says_nothing_fits_and_show_none_clears() {
    let (root, panel) = mount();
    panel
        .show_incident(
            "https://acme.pagerduty.com/incidents/Q5",
            include_str!("../src/builtin/alerts/unknown.txt"),
        )
        .expect("render");
    assert!(q(&root, "[data-rl=no-match]")
        .text_content()
        .unwrap_or_default()
        .contains("No runbook"));
    panel.show_none().expect("clear");
    assert!(root
        .query_selector("[data-rl=alert]")
        .expect("selector")
        .is_none());
}

#[wasm_bindgen_test]
fn suspicious_values_are_flagged_and_copy_all_asks_first() {
    let (root, panel) = mount();
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q6", REFERENCE)
        .expect("render");
    assert!(root
        .query_selector("[data-warning]")
        .expect("selector")
        .is_none());
    input(
        &q(&root, "[data-rl=value][data-name=controllerid]"),
        "abc $(reboot)",
    );
    let warned = q(&root, "[data-rl=step][data-warning]");
    assert!(warned
        .text_content()
        .unwrap_or_default()
        .contains("is not a single ID"));
    // The step still shows the value quoted, as one word.
    assert!(all_text(&root, "[data-rl=step-text]")
        .contains(&"ibmcloud ks api-key info --cluster 'abc $(reboot)'".to_string()));
    let all: HtmlElement = q(&root, "[data-rl=copy-all]").dyn_into().expect("button");
    all.click();
    assert_eq!(all.get_attribute("data-confirm").as_deref(), Some("armed"));
    assert_eq!(all.text_content().as_deref(), Some("Copy anyway?"));
    assert!(all
        .get_attribute("aria-label")
        .is_some_and(|a| a.starts_with("Copy")));
    all.click();
    assert_eq!(all.get_attribute("data-confirm"), None);
    // A plain ID clears the warning.
    input(
        &q(&root, "[data-rl=value][data-name=controllerid]"),
        "c0ffee12",
    );
    assert!(root
        .query_selector("[data-warning]")
        .expect("selector")
        .is_none());
}

/// A pack whose runbook carries what a hostile wiki edit could: script-scheme links in
/// prose, in the escalation section and in a scenario, and markup-looking text.
fn hostile_pack() -> js_sys::Uint8Array {
    use runbook_lens::alert::{Alert, Field};
    use runbook_lens::runbook::{Block, FrontMatter, Inline, Link, LinkKind, Runbook, Section};
    let field = |k: &str, v: &str| Field {
        key: k.into(),
        value: v.into(),
        from_title: false,
    };
    let js_link = |text: &str, url: &str| Inline::Link {
        url: url.into(),
        children: vec![Inline::Text(text.into())],
    };
    let section = |level: u8, heading: &str, parent: Option<usize>, blocks: Vec<Block>| Section {
        level,
        heading: heading.into(),
        anchor: String::new(),
        parent,
        line: 1,
        blocks,
    };
    let rb = Runbook {
        file: "evil/page.md".into(),
        front: FrontMatter {
            title: Some("<img src=x onerror=alert(1)> Evil runbook".into()),
            kind: Some("Alert".into()),
            link: Some("javascript:alert(1)".into()),
            ..FrontMatter::default()
        },
        sections: vec![
            section(0, "", None, vec![]),
            section(2, "Example Alert", None, vec![]),
            section(
                2,
                "EvilOp in EvilReason",
                None,
                vec![
                    Block::Para {
                        inlines: vec![
                            Inline::Text("<script>window.__pwned=1</script> see ".into()),
                            js_link("this", "javascript:window.__pwned=1"),
                            Inline::Text(" and ".into()),
                            js_link("that", "data:text/html,<script>alert(1)</script>"),
                        ],
                    },
                    Block::List {
                        ordered: true,
                        start: 1,
                        items: vec![vec![Block::Para {
                            inlines: vec![
                                Inline::Text("run ".into()),
                                Inline::Code("kubectl get pod <pod>".into()),
                            ],
                        }]],
                    },
                ],
            ),
            section(
                2,
                "Escalation Policy",
                None,
                vec![Block::Para {
                    inlines: vec![js_link("page them", "javascript:window.__pwned=1")],
                }],
            ),
        ],
        links: vec![
            Link {
                text: "this".into(),
                url: "javascript:window.__pwned=1".into(),
                kind: LinkKind::Other,
                section: 2,
            },
            Link {
                text: "page them".into(),
                url: "javascript:window.__pwned=1".into(),
                kind: LinkKind::Escalation,
                section: 3,
            },
        ],
        example_section: Some(1),
        example_alerts: vec![Alert {
            fields: vec![
                field("alertname", "EvilAlertName"),
                field("operation", "EvilOp"),
                field("reason_code", "EvilReason"),
            ],
            ..Alert::default()
        }],
        example_text: "- alertname = EvilAlertName\n".into(),
        problems: vec![],
    };
    // Through the pack file's form, as `runbook-lens pack` writes it (un-gzipped).
    let bytes = runbook_lens::pack::Pack::from_runbooks("evil", vec![rb]).to_bytes();
    js_sys::Uint8Array::from(bytes.as_slice())
}

#[wasm_bindgen_test]
fn a_hostile_runbook_renders_as_text_with_no_script_links() {
    let (root, panel) = mount();
    panel
        .set_packs(vec![hostile_pack()], false)
        .expect("pack loads");
    panel.show_incident("https://acme.pagerduty.com/incidents/Q7", "- alertname = EvilAlertName\n- operation = EvilOp\n- reason_code = EvilReason\n- pod = web-1\n").expect("render");
    assert!(q(&root, "[data-rl=runbook]")
        .text_content()
        .unwrap_or_default()
        .contains("<img src=x onerror=alert(1)>"));
    assert_eq!(
        q(&root, "[data-rl=scenario]").text_content().as_deref(),
        Some("EvilOp in EvilReason")
    );
    assert!(root
        .query_selector("img, script, svg, iframe, object")
        .expect("selector")
        .is_none());
    let links = root.query_selector_all("a").expect("links");
    for i in 0..links.length() {
        let a: Element = links.item(i).expect("item").dyn_into().expect("element");
        let href = a
            .get_attribute("href")
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(
            href.is_empty() || href.starts_with("https://") || href.starts_with("http://"),
            "unsafe link {href}"
        );
    }
    assert!(all_text(&root, "[data-rl=step-text]").contains(&"kubectl get pod web-1".to_string()));
    let window = web_sys::window().expect("window");
    assert!(js_sys::Reflect::get(&window, &"__pwned".into())
        .expect("get")
        .is_undefined());
    // A broken pack is left out with a notice naming it; the packs that load are still used.
    let bad = panel
        .set_packs(
            vec![
                js_sys::Uint8Array::from(&b"{\"format\": \"nope\"}"[..]),
                hostile_pack(),
            ],
            false,
        )
        .expect("packs");
    assert_eq!(bad.len(), 1, "{bad:?}");
    // The panel reads only version 4: a JSON pack is an older pack's, to convert.
    assert!(
        bad[0].starts_with("pack 1: stored in an older format"),
        "{bad:?}"
    );
    assert_eq!(
        q(&root, "[data-rl=scenario]").text_content().as_deref(),
        Some("EvilOp in EvilReason")
    );
    assert!(q(&root, "[data-rl=status]")
        .text_content()
        .unwrap_or_default()
        .contains("Left out (could not be loaded): pack 1"));
}

#[wasm_bindgen_test]
fn settings_give_search_links_prefill_remembered_values_and_survive_corruption() {
    let (root, panel) = mount();
    let settings = r#"{"log_search_urls": {"us-south": "https://app.us-south.logging.cloud.ibm.com/abc123/logs/view?q={query}"},
        "remembered": [{"scope": {"kind": "environment", "cname": "staging", "region": "us-south"}, "name": "account", "value": "acct-42"}]}"#;
    let keys = panel
        .set_settings(Some(settings.into()), None)
        .expect("settings");
    assert!(keys.is_empty());
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q8", REFERENCE)
        .expect("render");
    let open = q(&root, "[data-rl=open-search]");
    assert_eq!(open.get_attribute("href").as_deref(), Some("https://app.us-south.logging.cloud.ibm.com/abc123/logs/view?q=callbackName%3ADeleteClientID%20reasonCode%3AErrorUnclassified"));
    assert!(
        all_text(&root, "[data-rl=step-text]").contains(&"ibmcloud target -c acct-42".to_string())
    );
    // Another environment (eu-de) gets neither the us-south template nor the value.
    panel
        .show_incident(
            "https://acme.pagerduty.com/incidents/Q9",
            include_str!("../src/builtin/alerts/reference-eu-de.txt"),
        )
        .expect("render");
    assert!(all_text(&root, "[data-rl=step-text]")
        .contains(&"ibmcloud target -c <account>".to_string()));
    // A corrupted store: defaults, a visible notice, and still guidance.
    panel
        .set_settings(Some("{not json".into()), None)
        .expect("settings");
    assert!(q(&root, "[data-rl=status]")
        .text_content()
        .unwrap_or_default()
        .contains("could not be read"));
    assert!(root
        .query_selector("[data-rl=runbook]")
        .expect("selector")
        .is_some());
    // A managed policy overrides the user's template.
    panel
        .set_settings(
            Some(settings.into()),
            Some(
                r#"{"log_search_urls": {"*": "https://logs.example.org/search?q={query}"}}"#.into(),
            ),
        )
        .expect("settings");
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q10", REFERENCE)
        .expect("render");
    assert!(q(&root, "[data-rl=open-search]")
        .get_attribute("href")
        .is_some_and(|h| h.starts_with("https://logs.example.org/search?q=")));
}

#[wasm_bindgen_test]
fn direction_overrides_in_titles_are_shown_not_obeyed() {
    let (root, panel) = mount();
    let text = format!("#1 staging.containers-kubernetes.stage-dal10-carrier103.DeleteClientID_callback_action_time_errors.us-south{}gpj.exe\n- alert = ClusterSquadOrchestratorCallbackActionTimeErrors\n", '\u{202E}');
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q11", &text)
        .expect("render");
    let title = q(&root, "[data-rl=alert-title]")
        .text_content()
        .unwrap_or_default();
    assert!(!title.contains('\u{202E}'), "{title:?}");
    assert!(title.contains("⟨U+202E⟩"), "{title:?}");
}

/// Two alerts of one incident in two regions, the second without a title (as Alertmanager
/// lists a second alert): each says where it fires and searches its own region's logs.
const TWO_REGIONS: &str = "#61250001 bluemix.containers-kubernetes.prod-dal10-carrier120.DeleteClientID_callback_action_time_errors.us-south
- alert = ClusterSquadOrchestratorCallbackActionTimeErrors
- alert_key = cluster_squad/orchestrator_callback_action_time_errors/DeleteClientID/ErrorUnclassified
- operation = DeleteClientID
- reason_code = ErrorUnclassified

- alert = ClusterSquadOrchestratorCallbackActionTimeErrors
- alert_key = cluster_squad/orchestrator_callback_action_time_errors/DeleteClientID/ErrorUnclassified
- carrier_name = prod-fra05-carrier121
- crn_cname = bluemix
- crn_region = eu-de
- operation = DeleteClientID
- reason_code = ErrorUnclassified
";

#[wasm_bindgen_test]
fn two_alerts_in_two_regions_each_show_their_place_and_search_their_own_region() {
    let (root, panel) = mount();
    let settings = r#"{"log_search_urls": {
        "us-south": "https://app.us-south.logs.example.com/aa11/logs/view?q={query}",
        "eu-de": "https://app.eu-de.logs.example.com/bb22/logs/view?q={query}"}}"#;
    panel
        .set_settings(Some(settings.into()), None)
        .expect("settings");
    panel
        .show_incident("https://acme.pagerduty.com/incidents/Q12", TWO_REGIONS)
        .expect("render");
    assert_eq!(
        all_text(&root, "[data-rl=alert-place]"),
        [
            "us-south · prod-dal10-carrier120 · bluemix",
            "eu-de · prod-fra05-carrier121 · bluemix"
        ]
    );
    // The second alert has no title: its header is its name, and its place is still there.
    let second = q(&root, "[data-rl=alert][data-index='1']");
    assert_eq!(
        q(&second, "[data-rl=alert-title]")
            .text_content()
            .as_deref(),
        Some("ClusterSquadOrchestratorCallbackActionTimeErrors")
    );
    // Each part says what it is (its tooltip).
    let parts: Vec<String> = ["Region", "Carrier", "Environment"]
        .iter()
        .map(|what| {
            q(
                &second,
                &format!("[data-rl=alert-place] span[title={what}]"),
            )
            .text_content()
            .unwrap_or_default()
        })
        .collect();
    assert_eq!(parts, ["eu-de", "prod-fra05-carrier121", "bluemix"]);
    let links: Vec<(String, String)> = ["0", "1"]
        .iter()
        .map(|i| {
            let a = q(
                &root,
                &format!("[data-rl=alert][data-index='{i}'] [data-rl=open-search]"),
            );
            (
                a.get_attribute("href").unwrap_or_default(),
                a.text_content().unwrap_or_default(),
            )
        })
        .collect();
    let query = "callbackName%3ADeleteClientID%20reasonCode%3AErrorUnclassified";
    assert_eq!(
        links,
        [
            (
                format!("https://app.us-south.logs.example.com/aa11/logs/view?q={query}"),
                "Open search in us-south".to_string()
            ),
            (
                format!("https://app.eu-de.logs.example.com/bb22/logs/view?q={query}"),
                "Open search in eu-de".to_string()
            ),
        ]
    );
    assert!(root
        .query_selector("[data-rl=title-only-hint]")
        .expect("selector")
        .is_none());
}

#[wasm_bindgen_test]
fn a_title_only_alert_names_its_missing_values_until_the_details_arrive() {
    let (root, panel) = mount();
    let url = "https://acme.pagerduty.com/incidents/Q13";
    let title = REFERENCE
        .lines()
        .next()
        .expect("the reference's title line");
    panel.show_incident(url, title).expect("render");
    let hint = q(&root, "[data-rl=title-only-hint]");
    assert_eq!(hint.get_attribute("role").as_deref(), Some("note"));
    assert_eq!(all_text(&hint, "code"), ["<operation>", "<reason_code>"]);
    let text = hint.text_content().unwrap_or_default();
    assert!(text.contains("“Show Details”"), "{text}");
    // The title alone still says where the alert fires.
    assert_eq!(
        q(&root, "[data-rl=alert-place]").text_content().as_deref(),
        Some("us-south · stage-dal10-carrier103 · staging")
    );
    // Without its details no scenario is picked; that says so under a heading of the
    // scenario's level, so the sections' h4 headings keep their place in the outline.
    assert_eq!(q(&root, "[data-rl=scenario-none]").tag_name(), "H3");
    // The user expands the alert in PagerDuty: the page's text now carries the body.
    panel.show_incident(url, REFERENCE).expect("render");
    assert!(root
        .query_selector("[data-rl=title-only-hint]")
        .expect("selector")
        .is_none());
    assert_eq!(
        q(&root, "[data-rl=query]").text_content().as_deref(),
        Some("callbackName:DeleteClientID reasonCode:ErrorUnclassified")
    );
}
