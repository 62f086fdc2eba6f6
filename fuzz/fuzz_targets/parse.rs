//! Fuzz target: any bytes as alert text, log line, runbook page and pack file; nothing may
//! panic. Run with `./build.sh fuzz [seconds]` (cargo-fuzz; see the README).
#![no_main]

use libfuzzer_sys::fuzz_target;
use runbook_lens::config::Config;
use runbook_lens::guidance::explain;
use runbook_lens::pack::Pack;
use runbook_lens::runbook::parse_runbook;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let rb = parse_runbook("fuzz.md", &text);
    let _ = runbook_lens::lint::lint_runbook(&rb);
    let _ = Pack::from_json("fuzz.json", &text);
    // Any bytes as a pack file of version 4 (and, natively, gzip of one): refused, or loaded
    // and explained, never a panic.
    if let Ok(pack) = Pack::from_bytes("fuzz.rlpk", data) {
        for doc in 0..pack.len() {
            let _ = pack.page(doc);
        }
        let _ = explain(&pack, &text, None, &Config::default(), &[]);
    }
    let pack = Pack::from_runbooks("fuzz", vec![rb]);
    let _ = explain(&pack, &text, Some(&text), &Config::default(), &[]);
});
