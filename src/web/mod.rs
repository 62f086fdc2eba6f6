//! The one door to JavaScript: what the wasm package exports. The [`Panel`] the extension's
//! panel page drives (and the [`PanelHost`] it is given, the page's typed interface), the
//! [`Engine`] and pack URL helpers for the background and the benchmarks, and, with the
//! `markdown` feature, the options page (`options::Options`). Only this module and the ones
//! below it touch `JsValue` and the DOM; everything they show comes from the plain-Rust engine.

mod dom;
mod engine;
#[cfg(feature = "markdown")]
mod options;
mod panel;

use wasm_bindgen::prelude::*;

pub use engine::{effective_pack_urls, pack_url_origin, Engine};
pub use panel::{Panel, PanelHost};

/// A JavaScript error value as a `JsError` with its message (or its debug form).
fn js_err(e: JsValue) -> JsError {
    JsError::new(&e.as_string().unwrap_or_else(|| format!("{e:?}")))
}
