//! Fuzz target: packs and settings. Any bytes as a settings file, a managed policy and a
//! `--config` file; and the built-in pack file with the bytes spliced in at a place the input
//! chooses, so most inputs are nearly valid packs that reach the checks of `pack/check.rs`
//! rather than stopping at the first JSON error. Nothing may panic, and whatever loads is
//! explained. Run with `./build.sh fuzz [seconds]`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runbook_lens::builtin::PACK_JSON;
use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::pack::Pack;
use runbook_lens::settings::Settings;

/// The reference alert the built-in pack answers.
const ALERT: &str = include_str!("../../src/builtin/alerts/reference-us-south.txt");

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Settings: the user's stored object, the policy beside it, and a config file.
    let (settings, _) = Settings::load_or_default(Some(&text));
    let _ = Settings::from_json(&text);
    let _ = settings.validate();
    if let Ok(config) = Config::from_json(&text) {
        let _ = explain(&runbook_lens::builtin::pack(), ALERT, None, &config, &[]);
    }
    // A pack: the built-in file with the input spliced in where its first two bytes say.
    let Some((at, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let mut at = usize::from(u16::from_le_bytes(*at)) % (PACK_JSON.len() + 1);
    while !PACK_JSON.is_char_boundary(at) {
        at -= 1;
    }
    let spliced = format!(
        "{}{}{}",
        &PACK_JSON[..at],
        String::from_utf8_lossy(rest),
        &PACK_JSON[at..]
    );
    if let Ok(pack) = Pack::from_json("fuzz.json", &spliced) {
        let _ = explain(&pack, ALERT, Some(&text), &Config::default(), &[]);
    }
});
