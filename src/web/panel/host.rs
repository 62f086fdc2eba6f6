//! The panel page's JavaScript host (`extension/panel.js`), imported as a typed interface:
//! what the Rust panel asks of the page, by method rather than by a message's name. The
//! interface is declared in the generated `.d.ts` too (`PanelHost`), so the page's
//! implementation is type-checked against it (`extension/tests/unit/types.test.mjs`).

use wasm_bindgen::prelude::*;

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

    /// Hands the page the user's chosen runbooks (JSON text) to store.
    #[wasm_bindgen(method, catch, js_name = saveChoices)]
    pub(crate) fn save_choices(this: &PanelHost, choices: &str) -> Result<(), JsValue>;
}
