//! The byte primitives of the compact pack form (`PACK_VERSION` 4): a writer and a
//! bounds-checked reader of unsigned LEB128 integers, `f32`s and length-prefixed strings.
//! Nothing here panics on bad input: a short or malformed buffer is a `BytesError` naming what
//! was being read, so a damaged pack is refused with a reason instead of crashing the panel.

use std::fmt;

/// Why bytes did not read: what was being read and at which offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BytesError {
    pub what: &'static str,
    pub at: usize,
}

impl fmt::Display for BytesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "damaged at byte {}: cannot read {}", self.at, self.what)
    }
}

impl std::error::Error for BytesError {}

/// Appends values to a byte buffer.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// An unsigned LEB128 integer: 1 byte below 128, at most 10.
    pub fn uint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    /// A `usize` as [`Writer::uint`].
    pub fn len(&mut self, v: usize) {
        self.uint(v as u64);
    }

    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn bool(&mut self, v: bool) {
        self.buf.push(u8::from(v));
    }

    /// Bytes prefixed by their length.
    pub fn bytes(&mut self, v: &[u8]) {
        self.len(v.len());
        self.buf.extend_from_slice(v);
    }

    /// A string prefixed by its length in bytes.
    pub fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }

    /// `None` as 0, `Some(s)` as 1 and the string.
    pub fn opt_str(&mut self, v: Option<&str>) {
        match v {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }

    /// A list of strings: its length, then each.
    pub fn strs<S: AsRef<str>>(&mut self, v: &[S]) {
        self.len(v.len());
        for s in v {
            self.str(s.as_ref());
        }
    }
}

/// Reads values back from bytes a [`Writer`] wrote, refusing anything out of bounds.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    /// The offset of the next byte.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// True once every byte was read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn err(&self, what: &'static str) -> BytesError {
        BytesError { what, at: self.pos }
    }

    pub fn u8(&mut self, what: &'static str) -> Result<u8, BytesError> {
        let b = *self.buf.get(self.pos).ok_or_else(|| self.err(what))?;
        self.pos += 1;
        Ok(b)
    }

    pub fn uint(&mut self, what: &'static str) -> Result<u64, BytesError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8(what)?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.err(what))
    }

    /// A `u32` written by [`Writer::uint`]; a larger value is an error.
    pub fn u32(&mut self, what: &'static str) -> Result<u32, BytesError> {
        let v = self.uint(what)?;
        u32::try_from(v).map_err(|_| self.err(what))
    }

    /// A count or length no larger than `max`: a damaged length cannot make the reader
    /// allocate more than the caller allows.
    pub fn len(&mut self, max: usize, what: &'static str) -> Result<usize, BytesError> {
        let v = self.uint(what)?;
        match usize::try_from(v) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(self.err(what)),
        }
    }

    pub fn f32(&mut self, what: &'static str) -> Result<f32, BytesError> {
        let b = self.take(4, what)?;
        Ok(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub fn bool(&mut self, what: &'static str) -> Result<bool, BytesError> {
        match self.u8(what)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(BytesError {
                what,
                at: self.pos - 1,
            }),
        }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], BytesError> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.err(what))?;
        let s = self.buf.get(self.pos..end).ok_or_else(|| self.err(what))?;
        self.pos = end;
        Ok(s)
    }

    /// Bytes prefixed by their length.
    pub fn bytes(&mut self, what: &'static str) -> Result<&'a [u8], BytesError> {
        let n = self.len(self.buf.len() - self.pos.min(self.buf.len()), what)?;
        self.take(n, what)
    }

    /// A string prefixed by its length; not UTF-8 is an error.
    pub fn str(&mut self, what: &'static str) -> Result<&'a str, BytesError> {
        let at = self.pos;
        let b = self.bytes(what)?;
        std::str::from_utf8(b).map_err(|_| BytesError { what, at })
    }

    pub fn string(&mut self, what: &'static str) -> Result<String, BytesError> {
        self.str(what).map(str::to_string)
    }

    pub fn opt_string(&mut self, what: &'static str) -> Result<Option<String>, BytesError> {
        match self.u8(what)? {
            0 => Ok(None),
            1 => self.string(what).map(Some),
            _ => Err(BytesError {
                what,
                at: self.pos - 1,
            }),
        }
    }

    /// A list of strings, at most `max` of them.
    pub fn strings(&mut self, max: usize, what: &'static str) -> Result<Vec<String>, BytesError> {
        let n = self.len(max, what)?;
        let mut out = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            out.push(self.string(what)?);
        }
        Ok(out)
    }

    /// The number of bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The error for `what` at the current offset: for checks of values that read but are
    /// out of range.
    pub fn error(&self, what: &'static str) -> BytesError {
        self.err(what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_back_as_written() {
        let mut w = Writer::new();
        w.uint(0);
        w.uint(127);
        w.uint(128);
        w.uint(u64::MAX);
        w.f32(0.3);
        w.bool(true);
        w.str("héllo");
        w.opt_str(None);
        w.opt_str(Some("x"));
        w.strs(&["a", "bc"]);
        let mut r = Reader::new(&w.buf);
        assert_eq!(r.uint("a").expect("reads"), 0);
        assert_eq!(r.uint("b").expect("reads"), 127);
        assert_eq!(r.uint("c").expect("reads"), 128);
        assert_eq!(r.uint("d").expect("reads"), u64::MAX);
        assert_eq!(r.f32("e").expect("reads"), 0.3);
        assert!(r.bool("f").expect("reads"));
        assert_eq!(r.str("g").expect("reads"), "héllo");
        assert_eq!(r.opt_string("h").expect("reads"), None);
        assert_eq!(r.opt_string("i").expect("reads").as_deref(), Some("x"));
        assert_eq!(r.strings(10, "j").expect("reads"), vec!["a", "bc"]);
        assert!(r.is_empty());
    }

    #[test]
    fn short_and_oversized_input_is_refused_with_the_field() {
        let mut w = Writer::new();
        w.uint(1 << 40);
        assert_eq!(
            Reader::new(&w.buf).u32("count").expect_err("too big").what,
            "count"
        );
        assert!(Reader::new(&w.buf).len(1000, "n").is_err());
        // A length that claims more bytes than there are.
        assert!(Reader::new(&[5, b'a']).str("title").is_err());
        // Not UTF-8.
        assert!(Reader::new(&[1, 0xff]).str("title").is_err());
        // A varint that never ends.
        assert!(Reader::new(&[0xff; 11]).uint("v").is_err());
        assert!(Reader::new(&[]).u8("byte").is_err());
    }
}
