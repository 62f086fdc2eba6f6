//! The panel page's JavaScript host (`extension/panel.js`), imported as a typed interface:
//! what the Rust panel asks of the page, by method rather than by a message's name. The
//! interface is declared in the generated `.d.ts` too (`PanelHost`), so the page's
//! implementation is type-checked against it (`extension/tests/unit/types.test.mjs`). Also the
//! [`Extractor`] that runs extraction rules through the page's rules module.

use wasm_bindgen::prelude::*;

use crate::rules::Extractor;

#[wasm_bindgen(typescript_custom_section)]
const PANEL_HOST_TS: &'static str = r#"
/**
 * What the panel page hands to `new Panel(root, host)`: the Rust panel calls these when the
 * user acts. A method that throws is ignored (the panel goes on).
 */
export interface PanelHost {
  /** The user collapsed (`true`) or expanded (`false`) the panel: tell the content script. */
  collapse(collapsed: boolean): void;
  /** The user remembered a value: store these settings (JSON text) as the settings. */
  saveSettings(settings: string): void;
  /** The settings button: open the options page. */
  openOptions(): void;
  /**
   * Extraction rules: what the regular expressions `patterns` (one a line) read from `text`,
   * one line each of rule index, group name and value, for each value (what the rules
   * module's `captures` returns). Empty while that module is not loaded: the page loads it
   * before it hands over settings or packs that have rules.
   */
  ruleCaptures(patterns: string, text: string): string;
  /** The user chose a runbook for an alert: store these choices (JSON text) as the choices. */
  saveChoices(choices: string): void;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// The panel page, as the Rust panel sees it (see `PanelHost` in the `.d.ts`).
    #[wasm_bindgen(typescript_type = "PanelHost")]
    pub type PanelHost;

    /// Tells the page that the user collapsed or expanded the panel.
    #[wasm_bindgen(method, catch)]
    pub(crate) fn collapse(this: &PanelHost, collapsed: bool) -> Result<(), JsValue>;

    /// Hands the page the settings (JSON text) to store after a value was remembered.
    #[wasm_bindgen(method, catch, js_name = saveSettings)]
    pub(crate) fn save_settings(this: &PanelHost, settings: &str) -> Result<(), JsValue>;

    /// Asks the page to open the options page.
    #[wasm_bindgen(method, catch, js_name = openOptions)]
    pub(crate) fn open_options(this: &PanelHost) -> Result<(), JsValue>;

    /// Asks the page's rules module what `patterns` (one a line) read from `text`.
    #[wasm_bindgen(method, catch, js_name = ruleCaptures)]
    fn rule_captures(this: &PanelHost, patterns: &str, text: &str) -> Result<String, JsValue>;

    /// Hands the page the user's chosen runbooks (JSON text) to store.
    #[wasm_bindgen(method, catch, js_name = saveChoices)]
    pub(crate) fn save_choices(this: &PanelHost, choices: &str) -> Result<(), JsValue>;
}

/// Extraction rules as the panel runs them: by its page's rules module (a second wasm module
/// with the regex engine, which the panel's own wasm leaves out for size). When that module
/// could not load, rules read nothing.
pub(crate) struct HostRules<'a>(pub(crate) &'a PanelHost);

impl Extractor for HostRules<'_> {
    fn captures(&self, patterns: &[String], text: &str) -> Vec<(usize, String, String)> {
        // Plain text both ways (rules and values are one line each): no JSON (de)serialiser
        // or array glue for this in the panel's wasm.
        let flat = self
            .0
            .rule_captures(&patterns.join("\n"), text)
            .unwrap_or_default();
        let mut lines = flat.split('\n');
        let mut out = Vec::new();
        while let (Some(rule), Some(name), Some(value)) = (lines.next(), lines.next(), lines.next())
        {
            if let Ok(rule) = rule.parse() {
                out.push((rule, name.to_string(), value.to_string()));
            }
        }
        out
    }
}
