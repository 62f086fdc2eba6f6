//! Fuzz target: packs and settings. Any bytes as a settings file, a managed policy and a
//! `--config` file; and the built-in pack file with the bytes spliced in at a place the input
//! chooses, so most inputs are nearly valid packs that reach the checks of `pack/check.rs`
//! rather than stopping at the first JSON error. Nothing may panic, and whatever loads is
//! explained; the same for the built-in pack's version 4 bytes with the input spliced in.
//! Run with `./build.sh fuzz [seconds]`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use runbook_lens::builtin::PACK_RLPK;
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
    let at_raw = usize::from(u16::from_le_bytes(*at)) % (PACK_RLPK.len() + 1);
    let raw = [&PACK_RLPK[..at_raw], rest, &PACK_RLPK[at_raw..]].concat();
    if let Ok(pack) = Pack::from_bytes("fuzz.rlpk", &raw) {
        let _ = explain(&pack, ALERT, Some(&text), &Config::default(), &[]);
    }
    // The built-in pack as JSON of version 3, made once (the file `pack.json` it used to be).
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let pack_json = JSON.get_or_init(|| runbook_lens::builtin::pack().to_json());
    let mut at = usize::from(u16::from_le_bytes(*at)) % (pack_json.len() + 1);
    while !pack_json.is_char_boundary(at) {
        at -= 1;
    }
    let spliced = format!(
        "{}{}{}",
        &pack_json[..at],
        String::from_utf8_lossy(rest),
        &pack_json[at..]
    );
    if let Ok(pack) = Pack::from_json("fuzz.json", &spliced) {
        let _ = explain(&pack, ALERT, Some(&text), &Config::default(), &[]);
    }
});
