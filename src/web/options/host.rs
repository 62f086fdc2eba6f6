//! The options page's door to the browser: `OptionsHost`, the object `extension/options.js`
//! passes to `new Options(root, host)`, imported as a typed JavaScript interface.
//!
//! The TypeScript declaration below goes into the generated `runbook_lens_options.d.ts`, so
//! `options.js` (`// @ts-check`) is checked against the method names and argument types the
//! Rust side calls: a host method misnamed or missing in `options.js` fails the type check, not
//! a user. The declaration and the `js_name`s of the imports are written side by side here;
//! a rename changes both.

use std::collections::BTreeMap;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::settings::{PackUrlStatus, Settings};

#[wasm_bindgen(typescript_custom_section)]
const OPTIONS_HOST_TS: &str = r#"
/**
 * What the options page needs the browser's extension APIs for (extension/options.js).
 * Each method returns a promise; a rejection's message is shown to the user. Nothing is
 * stored before it has been parsed and checked, so a failed import leaves every stored pack
 * as it was.
 */
export interface OptionsHost {
  /** Stores the settings (JSON text). */
  save(settings: string): Promise<void>;
  /**
   * Stores a pack (raw version 4 bytes, `Pack::to_bytes`) and the settings that list it
   * in one `storage.local.set`: either both are stored or neither.
   */
  storePack(id: string, pack: Uint8Array, settings: string): Promise<void>;
  /** Stores the settings that no longer list the pack `id`, then removes its data. */
  removePack(id: string, settings: string): Promise<void>;
  /** The stored pack `id`: raw version 4 bytes (or an older pack's JSON text as UTF-8). */
  loadPack(id: string): Promise<Uint8Array>;
  /** Offers `text` as a file named `name` to download. */
  download(name: string, text: string): Promise<void>;
  /**
   * Asks for the optional host permission `pattern` (`https://<host>/*`). Called while the
   * click that asked for it is handled, as browsers require; resolves to whether it was
   * granted.
   */
  requestOrigin(pattern: string): Promise<boolean>;
  /**
   * Has the background download the pack URLs that are due (all of them with `force`);
   * resolves, when it is done, to their status as JSON text: url -> PackUrlStatus.
   */
  refreshPackUrls(force: boolean): Promise<string>;
  /** Stores the runbooks chosen for alerts (JSON text) under the `choices` key. */
  saveChoices(choices: string): Promise<void>;
  /**
   * Resolves in a later task (not a timer: a hidden tab's timers are throttled to one a
   * second), so that a long import lets the page paint its progress and answer input.
   */
  pause(): Promise<void>;
  /** The bytes each stored pack of `ids` takes in storage.local, in the same order (0 when missing). */
  packSizes(ids: string[]): Promise<number[]>;
  /**
   * A picked pack file's bytes, un-gzipped when they start with the gzip magic (1f 8b, as
   * `runbook-lens pack` writes them), else as they are. Rejects, saying why, a file or an
   * un-gzipped content of more than `limit` bytes (reading stops there) and damaged gzip.
   */
  unpackFile(file: File, limit: number): Promise<Uint8Array>;
}

/** What the background last did with one pack URL (the Rust `PackUrlStatus`). */
export interface PackUrlStatus {
  /** When it was last tried (ms since 1970). */
  checked?: number | null;
  /** When a pack was last downloaded and stored. */
  fetched?: number | null;
  pages?: number | null;
  /** Why the last try failed (the stored pack, if any, is the previous one). */
  error?: string | null;
  /** The extension may not reach the URL's site yet: the user has to allow it. */
  needs_permission?: boolean;
}
"#;

// The methods are imported as plain calls, not `async fn`, and what they return is settled
// as a promise here (`settle`): an async import would call JavaScript only when its future is
// first polled, which for `requestOrigin` is after the click handler has returned (Firefox
// grants a permission only to a request made while the click is handled), and it would not
// catch a method that throws before returning its promise.
#[wasm_bindgen]
extern "C" {
    /// The page's host: `OptionsHost` in the TypeScript above.
    #[wasm_bindgen(typescript_type = "OptionsHost")]
    #[derive(Clone)]
    pub type OptionsHost;

    #[wasm_bindgen(method, catch, js_name = save)]
    fn js_save(this: &OptionsHost, settings: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = storePack)]
    fn js_store_pack(
        this: &OptionsHost,
        id: &str,
        pack: &[u8],
        settings: &str,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = removePack)]
    fn js_remove_pack(this: &OptionsHost, id: &str, settings: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = loadPack)]
    fn js_load_pack(this: &OptionsHost, id: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = download)]
    fn js_download(this: &OptionsHost, name: &str, text: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = requestOrigin)]
    fn js_request_origin(this: &OptionsHost, pattern: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = refreshPackUrls)]
    fn js_refresh_pack_urls(this: &OptionsHost, force: bool) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = saveChoices)]
    fn js_save_choices(this: &OptionsHost, choices: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = pause)]
    fn js_pause(this: &OptionsHost) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = packSizes)]
    fn js_pack_sizes(this: &OptionsHost, ids: Vec<String>) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch, js_name = unpackFile)]
    fn js_unpack_file(
        this: &OptionsHost,
        file: &web_sys::File,
        limit: f64,
    ) -> Result<JsValue, JsValue>;
}

/// The pack URLs' status as the background reports it: url -> what it last did.
pub type UrlStatus = BTreeMap<String, PackUrlStatus>;

/// Waits for what a host method returned (a promise, or a plain value): the value, or why
/// the promise was rejected or the method threw.
async fn settle(called: Result<JsValue, JsValue>) -> Result<JsValue, String> {
    let value = called.map_err(|e| describe(&e))?;
    JsFuture::from(js_sys::Promise::resolve(&value))
        .await
        .map_err(|e| describe(&e))
}

/// A permission request already made (inside the click); await it with [`Asked::granted`].
pub struct Asked(Result<JsValue, JsValue>);

impl Asked {
    /// Whether the user granted the permission, or why the request failed.
    pub async fn granted(self) -> Result<bool, String> {
        settle(self.0).await.map(|v| v.is_truthy())
    }
}

impl OptionsHost {
    /// Stores `settings`.
    pub async fn save(&self, settings: &Settings) -> Result<(), String> {
        settle(self.js_save(&settings_json(settings))).await?;
        Ok(())
    }

    /// Stores the pack `pack_json` under `id` and `settings` (which list it) in one write.
    pub async fn store_pack(
        &self,
        id: &str,
        pack: &[u8],
        settings: &Settings,
    ) -> Result<(), String> {
        settle(self.js_store_pack(id, pack, &settings_json(settings))).await?;
        Ok(())
    }

    /// Stores `settings` (which no longer list the pack `id`), then removes the pack.
    pub async fn remove_pack(&self, id: &str, settings: &Settings) -> Result<(), String> {
        settle(self.js_remove_pack(id, &settings_json(settings))).await?;
        Ok(())
    }

    /// The stored pack `id`: raw version 4 bytes (or an older pack's JSON text).
    pub async fn load_pack(&self, id: &str) -> Result<Vec<u8>, String> {
        let bytes = settle(self.js_load_pack(id)).await?;
        Ok(js_sys::Uint8Array::new(&bytes).to_vec())
    }

    /// Offers `text` as the download `name`.
    pub async fn download(&self, name: &str, text: &str) -> Result<(), String> {
        settle(self.js_download(name, text)).await?;
        Ok(())
    }

    /// Asks for the host permission `pattern` now: call it while the click is handled.
    pub fn request_origin(&self, pattern: &str) -> Asked {
        Asked(self.js_request_origin(pattern))
    }

    /// Has the background download the pack URLs that are due (all with `force`): their
    /// status, `None` when the answer is not a status.
    pub async fn refresh_pack_urls(&self, force: bool) -> Result<Option<UrlStatus>, String> {
        let answer = settle(self.js_refresh_pack_urls(force)).await?;
        Ok(answer
            .as_string()
            .and_then(|j| serde_json::from_str(&j).ok()))
    }
}

impl OptionsHost {
    /// Stores the runbooks chosen for alerts.
    pub async fn save_choices(&self, choices: &[crate::guidance::Choice]) -> Result<(), String> {
        let json = serde_json::to_string(choices).unwrap_or_default();
        settle(self.js_save_choices(&json)).await?;
        Ok(())
    }
}

impl OptionsHost {
    /// Waits for a later task: the page paints and handles input meanwhile. A host that
    /// cannot pause only makes the page less responsive, so its failure is not an error.
    pub async fn pause(&self) {
        let _ = settle(self.js_pause()).await;
    }

    /// The bytes each stored pack of `ids` takes, in the same order.
    pub async fn pack_sizes(&self, ids: &[String]) -> Result<Vec<u64>, String> {
        let sizes = settle(self.js_pack_sizes(ids.to_vec())).await?;
        let sizes = sizes
            .dyn_into::<js_sys::Array>()
            .map_err(|_| "the sizes are not a list".to_string())?;
        Ok(sizes
            .iter()
            .map(|v| v.as_f64().unwrap_or(0.0).max(0.0) as u64)
            .collect())
    }

    /// A picked pack file's bytes, un-gzipped, at most `limit` of them.
    pub async fn unpack_file(&self, file: &web_sys::File, limit: usize) -> Result<Vec<u8>, String> {
        let bytes = settle(self.js_unpack_file(file, limit as f64)).await?;
        let bytes = bytes
            .dyn_into::<js_sys::Uint8Array>()
            .map_err(|_| "the host did not answer bytes".to_string())?;
        Ok(bytes.to_vec())
    }
}

/// The settings as stored (the bare object; exports add a format marker).
fn settings_json(s: &Settings) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// What a rejected promise or thrown value says.
pub fn describe(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    match e.dyn_ref::<js_sys::Error>() {
        Some(err) => String::from(err.message()),
        None => format!("{e:?}"),
    }
}
