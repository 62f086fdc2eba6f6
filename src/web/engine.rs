//! The engine without a panel, for the background's pack URLs (`extension/lib/pack-urls.js`)
//! and the benchmarks: load a pack file and explain text against it.

use wasm_bindgen::prelude::*;

use crate::config::Config;
use crate::guidance::explain;
use crate::pack::Pack;
use crate::settings::{PackUrl, Settings};

/// The engine without a panel: explain text against a pack file. Used by the
/// benchmark (wasm timings) and by the background, which checks a downloaded pack with it.
#[wasm_bindgen]
pub struct Engine {
    pack: Pack,
    config: Config,
}

#[wasm_bindgen]
impl Engine {
    /// Loads a pack file's raw version 4 bytes (un-gzipped), or, in builds with JSON packs
    /// (the options package), a JSON pack's text as UTF-8; `config` is settings JSON or empty.
    #[wasm_bindgen(js_name = fromPackBytes)]
    pub fn from_pack_bytes(pack: Vec<u8>, config: &str) -> Result<Engine, JsError> {
        let pack = Pack::from_vec("pack", pack).map_err(|e| JsError::new(&e.to_string()))?;
        Engine::with(pack, config)
    }

    /// Loads a JSON pack file (versions 1 to 3).
    #[cfg(feature = "json-packs")]
    #[wasm_bindgen(js_name = fromPackJson)]
    pub fn from_pack_json(pack: &str, config: &str) -> Result<Engine, JsError> {
        let pack = Pack::from_json("pack", pack).map_err(|e| JsError::new(&e.to_string()))?;
        Engine::with(pack, config)
    }

    fn with(pack: Pack, config: &str) -> Result<Engine, JsError> {
        let config = if config.trim().is_empty() {
            Config::default()
        } else {
            Config::from_json(config).map_err(|e| JsError::new(&e.to_string()))?
        };
        Ok(Engine { pack, config })
    }

    /// The pack's raw version 4 bytes: what the background stores for a downloaded pack,
    /// whatever form it came in. Only where JSON packs are read (the options package the
    /// background uses): it may write the pack anew, and the panel needs no pack writer.
    #[cfg(feature = "json-packs")]
    #[wasm_bindgen(js_name = packBytes)]
    pub fn pack_bytes(&self) -> Vec<u8> {
        self.pack.to_bytes()
    }

    /// How many runbooks the pack holds.
    #[wasm_bindgen(getter)]
    pub fn runbooks(&self) -> usize {
        self.pack.len()
    }

    /// Explains `text` and returns only the number of alerts matched confidently: the
    /// benchmark's measure, without the cost of converting the answer to JavaScript.
    #[wasm_bindgen(js_name = explainCount)]
    pub fn explain_count(&self, text: &str) -> usize {
        explain(&self.pack, text, None, &self.config, &[])
            .alerts
            .iter()
            .filter(|a| !a.matches.is_empty())
            .count()
    }
}

/// The pack URLs in force (JSON array of `{url, refresh_hours}`) for the stored settings and
/// the managed policy: what the background downloads (`extension/lib/pack-urls.js`).
#[wasm_bindgen(js_name = effectivePackUrls)]
pub fn effective_pack_urls(stored: Option<String>, managed: Option<String>) -> String {
    let (settings, managed, _) = Settings::load_with_policy(stored.as_deref(), managed.as_deref());
    serde_json::to_string(&settings.effective_pack_urls(&managed)).unwrap_or_else(|_| "[]".into())
}

/// The host permission (`https://host/*`) needed to download a pack URL, or nothing.
#[wasm_bindgen(js_name = packUrlOrigin)]
pub fn pack_url_origin(url: &str) -> Option<String> {
    PackUrl::origin_pattern(url)
}
