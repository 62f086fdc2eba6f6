//! The storage keys the Rust side shares with the extension's scripts, written once on this
//! side: `extension/lib/protocol.js` is their definition for JavaScript, and the test below
//! fails when the two disagree.
//!
//! Plain Rust (not behind `cfg(target_arch = "wasm32")` like [`crate::web`]) so that the
//! agreement is checked by `cargo test` on the host.

/// `storage.local` key of the settings (JSON text, read by [`crate::settings::Settings`]).
pub const SETTINGS_KEY: &str = "settings";

/// Prefix of an imported pack's `storage.local` key: `pack:<id>`.
pub const PACK_PREFIX: &str = "pack:";

/// Prefix of the `storage.local` key of a pack downloaded from a pack URL: `pack-url:<url>`.
pub const PACK_URL_PREFIX: &str = "pack-url:";

/// `storage.local` key of the pack URLs' download status (written by the background).
pub const PACK_URL_STATUS_KEY: &str = "pack-url-status";

/// `storage.local` key of the runbooks the user chose for alerts (JSON text of
/// [`crate::guidance::Choice`]s, written by the panel and the options page).
pub const CHOICES_KEY: &str = "choices";

/// The storage key of the imported pack `id`.
pub fn pack_key(id: &str) -> String {
    format!("{PACK_PREFIX}{id}")
}

/// The storage key of the pack downloaded from `url`.
pub fn pack_url_key(url: &str) -> String {
    format!("{PACK_URL_PREFIX}{url}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The protocol module of the extension, as shipped.
    const PROTOCOL_JS: &str = include_str!("../extension/lib/protocol.js");

    /// Each key here is written in `protocol.js` as `name: "value",` inside its `Keys` object.
    #[test]
    fn storage_keys_agree_with_extension_protocol_js() {
        let keys = PROTOCOL_JS
            .split_once("const Keys = Object.freeze({")
            .and_then(|(_, rest)| rest.split_once("});"))
            .map(|(keys, _)| keys)
            .expect("protocol.js defines `const Keys = Object.freeze({ ... });`");
        for (name, value) in [
            ("settings", SETTINGS_KEY),
            ("packPrefix", PACK_PREFIX),
            ("packUrlPrefix", PACK_URL_PREFIX),
            ("packUrlStatus", PACK_URL_STATUS_KEY),
            ("choices", CHOICES_KEY),
        ] {
            let line = format!("{name}: {value:?},");
            assert!(
                keys.lines().any(|l| l.trim() == line),
                "extension/lib/protocol.js `Keys` has no line `{line}`: the two sides disagree"
            );
        }
    }

    #[test]
    fn keys_are_prefix_and_name() {
        assert_eq!(pack_key("team-a"), "pack:team-a");
        assert_eq!(
            pack_url_key("https://runbooks.example/pack.json"),
            "pack-url:https://runbooks.example/pack.json"
        );
    }
}
