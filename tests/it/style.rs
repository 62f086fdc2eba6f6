//! House rules checked as tests: every Rust file says what lives there in its first line, and
//! the crate is formatted as `cargo fmt` formats it.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_rust_file_opens_with_a_module_doc_line() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("tests"), &mut files);
    assert!(files.len() > 10);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap_or_default()
                .starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a `//!` first line: {missing:?}"
    );
}

/// Formatting is not a discussion (rust-analyzer's tidy test): `cargo fmt --check` must find
/// nothing to change. The failure shows rustfmt's diff; `cargo fmt` applies it.
#[test]
fn the_crate_is_formatted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Cargo tells the tests it runs which cargo it is; the same one runs rustfmt.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["fmt", "--check", "--manifest-path"])
        .arg(root.join("Cargo.toml"))
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("no such command") && !stderr.contains("not installed"),
        "rustfmt is missing, so formatting was not checked: run `rustup component add rustfmt`\n{stderr}"
    );
    assert!(
        out.status.success(),
        "`cargo fmt --check` wants changes (run `cargo fmt`):\n{}{stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
}
