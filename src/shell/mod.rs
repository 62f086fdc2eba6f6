//! A shell reader for the runbook's command lines: for every placeholder, the stack of quoting
//! contexts its value passes through (a word, `'…'`, `"…"`, `$'…'`, backticks, a here-document,
//! a second shell such as `sh -c` or `ssh host …`), or why it cannot be filled safely (an awk
//! program, `${…}`, arithmetic). The parser is ours and small: the crates that parse whole shell
//! grammars weigh far more than the panel's size budget allows (see README).

mod argv;
mod lex;

/// One layer of quoting between a value and the program that finally reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// An unquoted word.
    Bare,
    /// Inside `'…'`.
    Single,
    /// Inside `"…"`.
    Double,
    /// Inside `$'…'`.
    AnsiC,
    /// A here-document body whose delimiter is unquoted (`$`, `` ` `` and `\` are live).
    HereDoc,
    /// Text the shell keeps as written (a comment, a quoted here-document body): any value
    /// without a line break.
    Literal,
    /// Arithmetic (`$((…))`): digits only.
    Digits,
    /// Inside `` `…` `` (the shell removes one level of `\` before reading it).
    Backtick,
    /// Inside `` `…` `` within `"…"`.
    BacktickDq,
}

/// Where one placeholder stands in a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The quoting layers, innermost first; the last one is the shell the user pastes into.
    pub layers: Vec<Layer>,
    /// Why the value cannot be filled (`"inside an awk program"`), when it cannot.
    pub refused: Option<&'static str>,
    /// The value begins a word of its command (so a leading `-` makes an option).
    pub word_start: bool,
    /// The value is (the start of) the command name itself.
    pub command: bool,
    /// The word comes after `--`, where a leading `-` is no option.
    pub after_dashdash: bool,
}

impl Default for Place {
    fn default() -> Place {
        Place {
            layers: Vec::new(),
            refused: Some("in a part of the command this reader does not understand"),
            word_start: false,
            command: false,
            after_dashdash: false,
        }
    }
}

/// A placeholder's span in a text, and its index among the template's placeholders.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hole {
    pub start: usize,
    pub end: usize,
    pub id: usize,
}

/// How deep interpreters may nest (`sh -c "ssh h 'bash -c …'"`) before a value is refused;
/// each level reads the text once more, so this also bounds the cost.
const MAX_DEPTH: usize = 12;

/// The places of the placeholders at `spans` (byte ranges of `<name>`, in order, not
/// overlapping) in the command line `line`.
pub fn places(line: &str, spans: &[(usize, usize)]) -> Vec<Place> {
    let holes: Vec<Hole> = spans
        .iter()
        .enumerate()
        .map(|(id, &(start, end))| Hole { start, end, id })
        .collect();
    let mut out = vec![Place::default(); spans.len()];
    lex::read(line.as_bytes(), &holes, &mut out, 0);
    out
}

/// Quotes `value` through every layer of `place`, innermost first, or says why it cannot.
pub fn quote(value: &str, place: &Place) -> Result<String, &'static str> {
    if let Some(why) = place.refused {
        return Err(why);
    }
    let mut text = value.to_string();
    let last = place.layers.len().saturating_sub(1);
    for (k, layer) in place.layers.iter().enumerate() {
        text = quote_layer(&text, *layer, k == last).ok_or(match layer {
            Layer::Digits => "inside arithmetic, where only digits are safe",
            Layer::BacktickDq => "holds `\"` inside backticks within double quotes",
            _ => "holds a line break where a line break ends the text",
        })?;
    }
    Ok(text)
}

/// True for values a shell reads back as themselves without quotes.
fn plain(v: &str) -> bool {
    !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_./:@%+,-".contains(&b))
}

/// `value` wrapped in `'…'`, each `'` written as `'\''`.
fn single(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

/// `v` with a backslash before each byte of `specials`.
fn escape(v: &str, specials: &[u8]) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if c.is_ascii() && specials.contains(&(c as u8)) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn quote_layer(v: &str, layer: Layer, outermost: bool) -> Option<String> {
    let line_break = v.contains(['\n', '\r']);
    Some(match layer {
        Layer::Bare if plain(v) => v.to_string(),
        // In the pasted-into shell, a value with `'` and nothing `"…"` treats specially reads
        // better in `"…"` (`"o'neil"`, not `'o'\''neil'`).
        Layer::Bare if outermost && v.contains('\'') && !v.contains(['"', '\\', '$', '`', '!']) => {
            format!("\"{v}\"")
        }
        Layer::Bare => single(v),
        Layer::Single => v.replace('\'', r"'\''"),
        // In the shell the user pastes into, bash's history expansion reads `!` inside `"…"`
        // and a backslash cannot stop it there: close the quotes and single-quote the value.
        Layer::Double if outermost && v.contains('!') => format!("\"{}\"", single(v)),
        Layer::Double => escape(v, b"\\\"$`"),
        Layer::AnsiC => {
            let mut out = String::new();
            for c in v.chars() {
                match c {
                    '\\' => out.push_str(r"\\"),
                    // Hex escapes keep `'` and `!` out of the text bash's history reader sees.
                    '\'' | '!' | '\0'..='\x1f' | '\x7f' => {
                        out.push_str("\\x");
                        push_hex(&mut out, c as u32, 2);
                    }
                    c => out.push(c),
                }
            }
            out
        }
        Layer::HereDoc if line_break => return None,
        Layer::HereDoc => escape(v, b"\\$`"),
        Layer::Literal if line_break => return None,
        Layer::Literal => v.to_string(),
        Layer::Digits if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => v.to_string(),
        Layer::Digits => return None,
        Layer::Backtick => escape(v, b"\\$`"),
        // bash removes a `\` before `"` there and dash keeps it: no quoting reads the same in
        // both, so such a value is refused.
        Layer::BacktickDq if v.contains('"') => return None,
        Layer::BacktickDq => escape(v, b"\\$`"),
    })
}

/// Appends `n` as `digits` uppercase hexadecimal digits (no formatting machinery: this is in
/// the panel's wasm).
pub fn push_hex(out: &mut String, n: u32, digits: u32) {
    for k in (0..digits).rev() {
        let d = (n >> (4 * k)) & 0xF;
        out.push(char::from_digit(d, 16).map_or('0', |c| c.to_ascii_uppercase()));
    }
}

/// The byte offsets of the `!` in `line` that an interactive bash's history expansion reads,
/// as it scans a pasted line: `"` toggles, `'` quotes only outside `"…"`, `\` escapes; a `!`
/// before a blank, `=`, `(` or the end (or `"` inside `"…"`) is left alone.
pub fn history_bangs(line: &str) -> Vec<usize> {
    let b = line.as_bytes();
    let (mut i, mut dq, mut out) = (0, false, Vec::new());
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'\'' if !dq => match b[i + 1..].iter().position(|&c| c == b'\'') {
                Some(p) => i += p + 1,
                None => break,
            },
            b'"' => dq = !dq,
            b'!' => {
                let n = b.get(i + 1).copied().unwrap_or(b' ');
                if !(matches!(n, b' ' | b'\t' | b'\n' | b'=' | b'(') || (dq && n == b'"')) {
                    out.push(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The here-documents a command line opens and leaves open at its end: `(delimiter, dash)`
/// for each, so a code block's following lines can be kept with it.
pub fn open_heredocs(line: &str) -> Vec<(Vec<u8>, bool)> {
    lex::open_heredocs(line.as_bytes())
}

#[cfg(test)]
mod tests;
