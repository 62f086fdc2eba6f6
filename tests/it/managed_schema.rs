//! The enterprise policy schema the extension declares (`extension/managed_schema.json`) and
//! the policy the engine reads (`settings::Managed`) name the same fields, and a policy written
//! to that schema (the README's sample) is read as intended.

use runbook_lens::settings::{Managed, Settings};

#[test]
fn schema_and_engine_agree_on_the_policy_fields() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("extension/managed_schema.json")).expect("schema file"),
    )
    .expect("schema is JSON");
    let mut declared: Vec<String> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect();
    declared.sort();
    let full = Managed {
        pack_urls: Some(vec![]),
        site_base_url: Some(String::new()),
        log_search_urls: Some(Default::default()),
        log_window_minutes: Some(30),
        extract: Some(vec![]),
        choices: Some(vec![]),
    };
    let mut read: Vec<String> = serde_json::to_value(&full)
        .expect("serialisable")
        .as_object()
        .expect("object")
        .keys()
        .cloned()
        .collect();
    read.sort();
    assert_eq!(declared, read);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("extension/manifest.json")).expect("manifest"),
    )
    .expect("manifest is JSON");
    assert_eq!(manifest["storage"]["managed_schema"], "managed_schema.json");
}

#[test]
fn a_policy_overrides_the_users_settings_and_locks_them() {
    let policy = r#"{
        "pack_urls": ["https://runbooks.example.com/armada.pack.json"],
        "site_base_url": "https://runbooks.example.com/docs/runbooks",
        "log_search_urls": {"us-south": "https://app.us-south.logging.cloud.ibm.com/0123abcd/logs/view?q={query}"}
    }"#;
    let managed: Managed = serde_json::from_str(policy).expect("policy reads");
    let user = Settings::from_json(r#"{"site_base_url": "https://mine.example.com", "log_search_urls": {"eu-de": "https://mine.example.com/?q={query}"}}"#).expect("settings");
    let config = user.config(&managed);
    assert_eq!(
        config.site_base_url.as_deref(),
        Some("https://runbooks.example.com/docs/runbooks")
    );
    assert!(
        config.log_search_urls.contains_key("us-south")
            && !config.log_search_urls.contains_key("eu-de")
    );
    assert!(config.validate().is_ok());
    assert_eq!(
        user.effective_pack_urls(&managed)[0].url,
        "https://runbooks.example.com/armada.pack.json"
    );
    assert_eq!(
        managed.locked(),
        vec!["pack_urls", "site_base_url", "log_search_urls"]
    );
}
