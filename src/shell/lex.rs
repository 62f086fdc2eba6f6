//! The shell lexer: walks a command line once, splitting it into simple commands and words,
//! and records for each placeholder the quoting context it stands in. Command substitutions
//! are read in place; backticks and the words a second interpreter re-reads are decoded and
//! read again one level deeper.

use super::argv;
use super::{Hole, Layer, Place, MAX_DEPTH};

/// A word of a simple command, decoded the way the shell would pass it on.
#[derive(Debug, Default)]
pub(super) struct Word {
    /// The word's value after quote removal (placeholders kept as `<name>`).
    pub value: Vec<u8>,
    /// The placeholders in it: (id, byte offset in `value`, length).
    pub holes: Vec<(usize, usize, usize)>,
    /// False when the shell would expand part of it (`$x`, `$(…)`, globs): then `value` is
    /// not what a second interpreter would read.
    pub exact: bool,
    /// True when any part of it was quoted or escaped.
    pub quoted: bool,
    /// Where it stands in the text read: placeholders inside a `$(…)` of the word are in this
    /// span but not in `holes`, and their output is part of the word all the same.
    pub span: (usize, usize),
}

/// A here-document waiting for its body: delimiter, quoted, `<<-`.
type Pending = (Vec<u8>, bool, bool);

pub(super) struct Lexer<'a, 'p> {
    s: &'a [u8],
    holes: &'a [Hole],
    next_hole: usize,
    i: usize,
    pub(super) out: &'p mut [Place],
    pub(super) depth: usize,
    /// How many `$(…)` the cursor is inside.
    nesting: usize,
    pending: Vec<Pending>,
}

/// Reads `s` (one nesting level `depth`), recording the places of `holes` in `out`.
pub(super) fn read(s: &[u8], holes: &[Hole], out: &mut [Place], depth: usize) {
    if depth > MAX_DEPTH {
        for h in holes {
            out[h.id].refused = Some("nested in too many interpreters");
        }
        return;
    }
    let mut lx = Lexer {
        s,
        holes,
        next_hole: 0,
        i: 0,
        out,
        depth,
        // A second shell's text counts as one more level of nesting too.
        nesting: depth,
        pending: Vec::new(),
    };
    lx.list(false);
}

/// The here-documents left open at the end of `s`.
pub(super) fn open_heredocs(s: &[u8]) -> Vec<(Vec<u8>, bool)> {
    let mut out = Vec::new();
    let mut lx = Lexer {
        s,
        holes: &[],
        next_hole: 0,
        i: 0,
        out: &mut out[..],
        depth: 0,
        nesting: 0,
        pending: Vec::new(),
    };
    lx.list(false);
    lx.pending
        .into_iter()
        .map(|(d, _, dash)| (d, dash))
        .collect()
}

fn is_meta(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

impl Lexer<'_, '_> {
    /// The byte `k` ahead of the cursor. A placeholder further on reads as a word byte: its
    /// `<` is no operator, since the value replaces it.
    fn peek(&self, k: usize) -> u8 {
        let at = self.i + k;
        let hole = k > 0
            && self.holes[self.next_hole.min(self.holes.len())..]
                .iter()
                .take_while(|h| h.start <= at)
                .any(|h| h.start == at);
        if hole {
            return b'_';
        }
        self.s.get(at).copied().unwrap_or(0)
    }

    /// The placeholder starting at the cursor, if any.
    fn hole_here(&mut self) -> Option<Hole> {
        while self.next_hole < self.holes.len() && self.holes[self.next_hole].start < self.i {
            self.next_hole += 1;
        }
        let h = *self.holes.get(self.next_hole)?;
        (h.start == self.i).then_some(h)
    }

    /// Records the placeholder at the cursor as standing in `layer`, appends its text to
    /// `word` and moves past it.
    fn take_hole(&mut self, h: Hole, layer: Layer, word: &mut Word) {
        let place = &mut self.out[h.id];
        place.layers = vec![layer];
        place.refused = None;
        place.word_start = word.value.is_empty() && word.holes.is_empty();
        word.holes.push((h.id, word.value.len(), h.end - h.start));
        word.value.extend_from_slice(&self.s[h.start..h.end]);
        self.i = h.end;
        self.next_hole += 1;
    }

    /// Refuses every placeholder in `start..end` with `why`.
    pub(super) fn refuse(&mut self, start: usize, end: usize, why: &'static str) {
        // Holes are in order: find the first one at `start` instead of scanning them all.
        let first = self.holes.partition_point(|h| h.start < start);
        for h in self.holes[first..].iter().take_while(|h| h.end <= end) {
            self.out[h.id].refused = Some(why);
            self.out[h.id].layers.clear();
        }
    }

    /// A list of commands, up to the end or (with `paren`) the `)` closing `$(`.
    pub(super) fn list(&mut self, paren: bool) {
        let mut cmd: Vec<Word> = Vec::new();
        let mut redirect = false;
        // Open `case … esac`: their patterns end with a `)` that closes no `$(`.
        let mut cases = 0usize;
        loop {
            let b = self.peek(0);
            if self.i >= self.s.len() {
                break;
            }
            if self.hole_here().is_none() && (b == b' ' || b == b'\t') {
                self.i += 1;
                continue;
            }
            if self.hole_here().is_none() && is_meta(b) {
                match b {
                    b'\n' => {
                        self.end_command(&mut cmd);
                        self.i += 1;
                        self.bodies();
                    }
                    b')' => {
                        self.end_command(&mut cmd);
                        self.i += 1;
                        if paren && cases == 0 {
                            return;
                        }
                    }
                    b'(' if self.peek(1) == b'(' && cmd.is_empty() => {
                        self.i += 2;
                        self.arithmetic();
                    }
                    b'<' | b'>' => {
                        redirect = true;
                        self.redirection();
                    }
                    _ => {
                        self.end_command(&mut cmd);
                        self.i += 1;
                    }
                }
                continue;
            }
            if b == b'#' && self.hole_here().is_none() {
                self.comment();
                continue;
            }
            let w = self.word();
            if redirect {
                redirect = false;
            } else {
                if cmd.is_empty() && w.exact {
                    match w.value.as_slice() {
                        b"case" => cases += 1,
                        b"esac" => cases = cases.saturating_sub(1),
                        _ => {}
                    }
                }
                cmd.push(w);
            }
        }
        self.end_command(&mut cmd);
    }

    fn end_command(&mut self, cmd: &mut Vec<Word>) {
        if !cmd.is_empty() {
            argv::command(self, cmd);
            cmd.clear();
        }
    }

    /// `#` at the start of a word: the rest of the line is a comment.
    fn comment(&mut self) {
        let mut scratch = Word::default();
        while self.i < self.s.len() && self.peek(0) != b'\n' {
            match self.hole_here() {
                Some(h) => self.take_hole(h, Layer::Literal, &mut scratch),
                None => self.i += 1,
            }
        }
    }

    /// `((…))`, or `$((…))` after its `$((`: arithmetic, where only digits may be filled.
    fn arithmetic(&mut self) {
        let mut depth = 2usize;
        let mut scratch = Word::default();
        while self.i < self.s.len() && depth > 0 {
            if let Some(h) = self.hole_here() {
                self.take_hole(h, Layer::Digits, &mut scratch);
                continue;
            }
            match self.peek(0) {
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ => {}
            }
            self.i += 1;
        }
    }

    /// A redirection operator; `<<` and `<<-` also read the here-document's delimiter.
    fn redirection(&mut self) {
        let (b, n) = (self.peek(0), self.peek(1));
        if b == b'<' && n == b'<' && self.peek(2) != b'<' {
            self.i += 2;
            let dash = self.peek(0) == b'-';
            if dash {
                self.i += 1;
            }
            while matches!(self.peek(0), b' ' | b'\t') {
                self.i += 1;
            }
            let start = self.i;
            let w = self.word();
            if !w.holes.is_empty() {
                self.refuse(start, self.i, "in a here-document's delimiter");
            }
            self.pending.push((w.value, w.quoted, dash));
            return;
        }
        if (b == b'<' || b == b'>') && n == b'(' {
            // Process substitution reads a command list like `$(…)`.
            self.i += 2;
            self.nested();
            return;
        }
        while matches!(self.peek(0), b'<' | b'>' | b'&' | b'|') && self.hole_here().is_none() {
            self.i += 1;
        }
    }

    /// The bodies of the here-documents opened on the line just ended.
    fn bodies(&mut self) {
        for (delim, quoted, dash) in std::mem::take(&mut self.pending) {
            while self.i < self.s.len() {
                let end = self.s[self.i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(self.s.len(), |p| self.i + p);
                let mut line = &self.s[self.i..end];
                if dash {
                    while line.first() == Some(&b'\t') {
                        line = &line[1..];
                    }
                }
                if line == delim.as_slice() {
                    self.i = (end + 1).min(self.s.len());
                    break;
                }
                let mut scratch = Word::default();
                while self.i < end {
                    match self.hole_here() {
                        Some(h) if quoted => self.take_hole(h, Layer::Literal, &mut scratch),
                        Some(h) => self.take_hole(h, Layer::HereDoc, &mut scratch),
                        None if quoted => self.i += 1,
                        None => self.expansion_or_char(Layer::HereDoc, &mut scratch),
                    }
                }
                self.i = (end + 1).min(self.s.len());
            }
        }
    }

    /// One word, up to the next unquoted metacharacter.
    pub(super) fn word(&mut self) -> Word {
        let mut w = Word {
            exact: true,
            span: (self.i, self.i),
            ..Word::default()
        };
        while self.i < self.s.len() {
            if let Some(h) = self.hole_here() {
                self.take_hole(h, Layer::Bare, &mut w);
                continue;
            }
            let b = self.peek(0);
            match b {
                _ if is_meta(b) => break,
                b'\\' => {
                    w.quoted = true;
                    if self.peek(1) != b'\n' {
                        self.push_char(1, &mut w);
                    }
                    self.i += 2;
                }
                b'\'' => {
                    w.quoted = true;
                    self.i += 1;
                    self.single(Layer::Single, &mut w);
                }
                b'"' => {
                    w.quoted = true;
                    self.i += 1;
                    self.double(&mut w);
                }
                b'$' if self.peek(1) == b'\'' => {
                    w.quoted = true;
                    self.i += 2;
                    self.single(Layer::AnsiC, &mut w);
                }
                b'$' | b'`' => self.expansion_or_char(Layer::Bare, &mut w),
                b'*' | b'?' | b'[' | b'{' | b'~' => {
                    w.exact = false;
                    self.push_char(0, &mut w);
                    self.i += 1;
                }
                _ => {
                    self.push_char(0, &mut w);
                    self.i += 1;
                }
            }
        }
        w.span.1 = self.i;
        w
    }

    /// Appends the byte at cursor+`k` to the word.
    fn push_char(&mut self, k: usize, w: &mut Word) {
        if let Some(&b) = self.s.get(self.i + k) {
            w.value.push(b);
        }
    }

    /// `'…'` or `$'…'` after the opening quote.
    fn single(&mut self, layer: Layer, w: &mut Word) {
        let start = self.i;
        loop {
            if self.i >= self.s.len() {
                return self.quote_end(start, w);
            }
            if let Some(h) = self.hole_here() {
                self.take_hole(h, layer, w);
                continue;
            }
            match self.peek(0) {
                b'\'' => {
                    self.i += 1;
                    return;
                }
                b'\\' if layer == Layer::AnsiC => {
                    // Escapes change the value: such a word is not exact.
                    w.exact = false;
                    self.i += 2;
                }
                _ => {
                    self.push_char(0, w);
                    self.i += 1;
                }
            }
        }
    }

    /// A quote that never closes: its placeholders are refused.
    fn quote_end(&mut self, start: usize, w: &mut Word) {
        w.exact = false;
        self.refuse(start, self.s.len(), "after a quote that is never closed");
    }

    /// `"…"` after the opening quote.
    fn double(&mut self, w: &mut Word) {
        let start = self.i;
        loop {
            if self.i >= self.s.len() {
                return self.quote_end(start, w);
            }
            if let Some(h) = self.hole_here() {
                self.take_hole(h, Layer::Double, w);
                continue;
            }
            match self.peek(0) {
                b'"' => {
                    self.i += 1;
                    return;
                }
                b'\\' => {
                    let n = self.peek(1);
                    if matches!(n, b'$' | b'`' | b'"' | b'\\') {
                        self.push_char(1, w);
                    } else if n != b'\n' {
                        self.push_char(0, w);
                        self.push_char(1, w);
                    }
                    self.i += 2;
                }
                b'$' | b'`' => self.expansion_or_char(Layer::Double, w),
                _ => {
                    self.push_char(0, w);
                    self.i += 1;
                }
            }
        }
    }

    /// At `$` or `` ` `` in `ctx` (a word, `"…"` or a here-document): an expansion, or a
    /// plain character. Expansions make the word inexact.
    fn expansion_or_char(&mut self, ctx: Layer, w: &mut Word) {
        let (b, n) = (self.peek(0), self.peek(1));
        if b == b'`' {
            w.exact = false;
            return self.backtick(ctx != Layer::Bare);
        }
        if b != b'$' {
            if b == b'\\' && ctx == Layer::HereDoc {
                self.i += 1;
            }
            self.push_char(0, w);
            self.i += 1;
            return;
        }
        // `$` then a value would let the value choose an expansion (`$1`, `$(…)`).
        self.i += 1;
        if let Some(h) = self.hole_here() {
            self.refuse(h.start, h.end, "right after `$`");
            self.i = h.end;
            return;
        }
        self.i -= 1;
        match n {
            b'(' if self.peek(2) == b'(' => {
                w.exact = false;
                self.i += 3;
                self.arithmetic();
            }
            b'(' => {
                w.exact = false;
                self.i += 2;
                self.nested();
            }
            b'{' | b'[' => {
                w.exact = false;
                let start = self.i;
                self.skip_braces();
                let why = if n == b'{' {
                    "inside ${…}"
                } else {
                    "inside arithmetic, where only digits are safe"
                };
                self.refuse(start, self.i, why);
            }
            b'"' if ctx == Layer::Bare => {
                self.i += 2;
                self.double(w);
            }
            _ if n.is_ascii_alphanumeric() || b"_@*#?$!-".contains(&n) => {
                w.exact = false;
                self.i += 2;
                while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                    self.i += 1;
                }
            }
            _ => {
                self.push_char(0, w);
                self.i += 1;
            }
        }
    }

    /// A command list inside `$(…)` or `<(…)`, read in place one level deeper; past
    /// `MAX_NESTING` levels the rest of the text is refused rather than read (a bound on the
    /// stack, whatever the text).
    fn nested(&mut self) {
        const MAX_NESTING: usize = 64;
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            self.refuse(self.i, self.s.len(), "nested in too many interpreters");
            self.i = self.s.len();
        } else {
            self.list(true);
        }
        self.nesting -= 1;
    }

    /// Past a `${…}` or `$[…]`, counting nesting; its placeholders are refused by the caller.
    fn skip_braces(&mut self) {
        let mut depth = 0usize;
        while self.i < self.s.len() {
            match self.peek(0) {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.i += 1;
                        return;
                    }
                }
                b'\\' => self.i += 1,
                _ => {}
            }
            self.i += 1;
        }
    }

    /// `` `…` ``: the shell removes one level of backslashes, then reads the text as a
    /// command list; so does this, one level deeper.
    fn backtick(&mut self, in_dq: bool) {
        self.i += 1;
        let mut text = Vec::new();
        let mut holes = Vec::new();
        let start = self.i;
        loop {
            if self.i >= self.s.len() {
                let mut scratch = Word::default();
                return self.quote_end(start, &mut scratch);
            }
            if let Some(h) = self.hole_here() {
                holes.push(Hole {
                    start: text.len(),
                    end: text.len() + h.end - h.start,
                    id: h.id,
                });
                text.extend_from_slice(&self.s[h.start..h.end]);
                self.i = h.end;
                self.next_hole += 1;
                continue;
            }
            let (b, n) = (self.peek(0), self.peek(1));
            if b == b'`' {
                self.i += 1;
                break;
            }
            if b == b'\\' && (matches!(n, b'$' | b'`' | b'\\') || (in_dq && n == b'"')) {
                text.push(n);
                self.i += 2;
            } else {
                text.push(b);
                self.i += 1;
            }
        }
        read(&text, &holes, self.out, self.depth + 1);
        let layer = if in_dq {
            Layer::BacktickDq
        } else {
            Layer::Backtick
        };
        for h in &holes {
            self.out[h.id].layers.push(layer);
        }
    }
}
