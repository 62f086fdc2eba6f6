//! The one door to JavaScript: everything the extension calls, as `#[wasm_bindgen]` exports.
//! Only this module touches `JsValue`; the rest of the crate is plain Rust.

use wasm_bindgen::prelude::*;

use crate::config::Config;
use crate::guidance::explain;

/// Explains alert text against the built-in pack; returns the same object as
/// `runbook-lens explain --json`.
#[wasm_bindgen(js_name = explainBuiltin)]
pub fn explain_builtin(text: &str, log_line: Option<String>) -> Result<JsValue, JsError> {
    let pack = crate::builtin::pack();
    let e = explain(&pack, text, log_line.as_deref(), &Config::default(), &[]);
    serde_wasm_bindgen::to_value(&e).map_err(|e| JsError::new(&e.to_string()))
}
