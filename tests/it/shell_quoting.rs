//! Property test: whatever an alert value holds (quotes, `$()`, backticks, `;`, `|`, `&`,
//! newlines, control and non-ASCII characters), once filled into a runbook command the shell
//! reads it back as exactly one word equal to the value, in each quoting context a runbook
//! may put a placeholder in. Checked against shlex's POSIX splitting for thousands of values
//! and against the real `/bin/sh` for a few hundred.

use runbook_lens::placeholder::{fill, Syntax};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const NASTY: &[&str] = &[
    "'", "\"", "\\", "$(", ")", "`", ";", "|", "&", "\n", "\t", " ", "$HOME", "${x}", "*", "?",
    "[a]", "~", "#", "!", "<", ">", "<x>", "{{ y }}", "\r", "\u{7f}", "é", "😀", "\u{202e}", "--",
    "-n", "''", "\"\"", "\\'",
];

fn random_value(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(8) + 1 {
        match rng.below(3) {
            0 => s.push_str(NASTY[rng.below(NASTY.len())]),
            1 => s.push(char::from(b'a' + rng.below(26) as u8)),
            _ => {
                // Any Unicode scalar value except NUL, which no shell word can hold.
                let c = char::from_u32(1 + rng.below(0x10_FFFE) as u32).unwrap_or('x');
                s.push(c);
            }
        }
    }
    s
}

/// Templates with the placeholder bare, inside double quotes, inside single quotes, and
/// glued to other text.
const TEMPLATES: &[&str] = &[
    "cmd <v>",
    "cmd \"<v>\"",
    "cmd '<v>'",
    "cmd prefix-<v>-suffix",
];

fn expected(template: &str, v: &str) -> String {
    if template.contains("prefix-") {
        format!("prefix-{v}-suffix")
    } else {
        v.to_string()
    }
}

#[test]
fn filled_values_split_back_to_one_word() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let v = random_value(&mut rng);
        for t in TEMPLATES {
            let filled = fill(t, Syntax::Shell, &|_| Some(v.clone()));
            assert!(filled.unresolved.is_empty(), "{v:?} was not filled");
            let words = shlex::split(&filled.text)
                .unwrap_or_else(|| panic!("unsplittable: {:?}", filled.text));
            assert_eq!(
                words,
                vec!["cmd".to_string(), expected(t, &v)],
                "template {t:?}, value {v:?}, filled {:?}",
                filled.text
            );
        }
    }
}

#[test]
fn nul_is_never_filled_into_a_command() {
    let filled = fill("cmd <v>", Syntax::Shell, &|_| Some("a\0b".to_string()));
    assert_eq!(filled.text, "cmd <v>");
    assert_eq!(filled.unresolved, vec!["v".to_string()]);
    assert_eq!(filled.rejected, vec!["v".to_string()]);
}

#[cfg(unix)]
#[test]
fn the_real_shell_agrees() {
    use std::process::Command;
    if !std::path::Path::new("/bin/sh").exists() {
        eprintln!("SKIPPED the_real_shell_agrees: no /bin/sh");
        return;
    }
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..300 {
        let v = random_value(&mut rng);
        for t in TEMPLATES {
            // `cmd` is a shell function printing its argument count and arguments, NUL-separated.
            let filled = fill(t, Syntax::Shell, &|_| Some(v.clone()));
            let script = format!("cmd() {{ printf '%s\\0' \"$#\" \"$@\"; }}\n{}", filled.text);
            let out = Command::new("/bin/sh")
                .arg("-c")
                .arg(&script)
                .output()
                .expect("sh runs");
            let parts: Vec<&[u8]> = out.stdout.split(|&b| b == 0).collect();
            assert_eq!(
                parts.first().copied(),
                Some(&b"1"[..]),
                "template {t:?}, value {v:?}: {:?}",
                String::from_utf8_lossy(&out.stdout)
            );
            assert_eq!(
                parts.get(1).copied(),
                Some(expected(t, &v).as_bytes()),
                "template {t:?}, value {v:?}"
            );
        }
    }
}
