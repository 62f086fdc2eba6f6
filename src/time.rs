//! Points in time as alerts and log lines write them, read strictly: ISO 8601 date-times with
//! a zone (`2026-11-27T03:12:44Z`, `2026-11-27 03:12:44.123 +0000 UTC`, `…+05:30`) and Unix
//! epochs in seconds or milliseconds, to milliseconds since 1970 (UTC); and back to ISO 8601.
//!
//! Hand-written rather than `chrono`: the panel's wasm has a size budget, and the few formats
//! alerts use fit in a page. A time without a date or a zone (`9:44 AM`) is never guessed:
//! it reads as nothing, and the caller says so.

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// The latest time read: the end of year 9999 (later "times" are not times).
const MAX_MS: i64 = 253_402_300_799_999;

/// Reads `text` (trimmed) as an ISO 8601 date-time with a zone or as a Unix epoch.
pub fn parse(text: &str) -> Option<i64> {
    let t = text.trim();
    parse_epoch(t).or_else(|| parse_iso(t))
}

/// A Unix epoch: 9 or 10 digits are seconds (optionally with a fraction), 12 or 13 digits
/// milliseconds. Other lengths (a count, an ID) are not read as times.
pub fn parse_epoch(text: &str) -> Option<i64> {
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let digits = int.as_bytes();
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // At most 13 digits (checked below), so the number fits an i64.
    let n = digits.iter().fold(0, |v, d| v * 10 + i64::from(d - b'0'));
    match (digits.len(), frac) {
        (9 | 10, None) => Some(n * 1000),
        (9 | 10, Some(f)) => Some(n * 1000 + fraction_ms(f.as_bytes())?),
        (12 | 13, None) => Some(n),
        _ => None,
    }
}

/// The milliseconds of a fraction of a second written as 1 to 9 digits.
fn fraction_ms(f: &[u8]) -> Option<i64> {
    if f.is_empty() || f.len() > 9 || !f.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Three digits, padded with zeros: `5` is 500 ms.
    let mut ms = 0;
    for i in 0..3 {
        ms = ms * 10 + f.get(i).map_or(0, |d| i64::from(d - b'0'));
    }
    Some(ms)
}

/// A cursor over the bytes of an ISO date-time.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    /// Exactly `n` digits as a number.
    fn digits(&mut self, n: usize) -> Option<i64> {
        let part = self.b.get(self.i..self.i + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(part.iter().fold(0, |v, d| v * 10 + i64::from(d - b'0')))
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.b.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    fn rest(&self) -> &[u8] {
        self.b.get(self.i..).unwrap_or_default()
    }
}

/// An ISO 8601 date-time (`T`, `t` or one space between date and time; seconds and a fraction
/// optional) with its zone: `Z`, `±HH:MM`, `±HHMM` or `±HH`, optionally followed by ` UTC` (as
/// Go prints times), or ` UTC` alone.
pub fn parse_iso(text: &str) -> Option<i64> {
    let mut c = Cursor {
        b: text.as_bytes(),
        i: 0,
    };
    let year = c.digits(4)?;
    let month = c.eat(b'-').then(|| c.digits(2))??;
    let day = c.eat(b'-').then(|| c.digits(2))??;
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return None;
    }
    let hour = c.digits(2)?;
    let minute = c.eat(b':').then(|| c.digits(2))??;
    let second = if c.eat(b':') { c.digits(2)? } else { 0 };
    let mut ms = 0;
    if c.eat(b'.') || c.eat(b',') {
        let start = c.i;
        while c.b.get(c.i).is_some_and(u8::is_ascii_digit) {
            c.i += 1;
        }
        ms = fraction_ms(&c.b[start..c.i])?;
    }
    // A leap second is written 23:59:60; any other 60 is a mistake.
    let leap = second == 60 && hour == 23 && minute == 59;
    if !(1970..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || (second > 59 && !leap)
    {
        return None;
    }
    let offset_min = zone(&mut c)?;
    let days = days_from_civil(year, month, day);
    let local = days * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
    let utc = local - offset_min * 60_000;
    (0..=MAX_MS).contains(&utc).then_some(utc)
}

/// The zone at the cursor, in minutes east of UTC; the text must end after it.
fn zone(c: &mut Cursor) -> Option<i64> {
    c.eat(b' ');
    let offset = if c.eat(b'Z') || c.eat(b'z') {
        0
    } else if c.rest() == b"UTC" || c.rest() == b"GMT" {
        return Some(0);
    } else {
        let sign = if c.eat(b'+') {
            1
        } else if c.eat(b'-') {
            -1
        } else {
            return None;
        };
        let h = c.digits(2)?;
        let m = if c.eat(b':') {
            c.digits(2)?
        } else {
            c.digits(2).unwrap_or(0)
        };
        if h > 23 || m > 59 {
            return None;
        }
        sign * (h * 60 + m)
    };
    match c.rest() {
        b"" | b" UTC" => Some(offset),
        _ => None,
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Appends `v` with at least `width` digits.
fn pad(out: &mut String, v: i64, width: usize) {
    let s = v.to_string();
    for _ in s.len()..width {
        out.push('0');
    }
    out.push_str(&s);
}

/// `ms` as ISO 8601 in UTC, `sep` between date and time: `2026-11-27T03:12:44Z`, with
/// `.123` when the milliseconds are not zero.
fn format(ms: i64, sep: char) -> String {
    let (days, in_day) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS));
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(24);
    pad(&mut out, y, 4);
    out.push('-');
    pad(&mut out, m, 2);
    out.push('-');
    pad(&mut out, d, 2);
    out.push(sep);
    let secs = in_day / 1000;
    pad(&mut out, secs / 3600, 2);
    out.push(':');
    pad(&mut out, secs / 60 % 60, 2);
    out.push(':');
    pad(&mut out, secs % 60, 2);
    if in_day % 1000 != 0 {
        out.push('.');
        pad(&mut out, in_day % 1000, 3);
    }
    out.push('Z');
    out
}

/// `ms` as ISO 8601 in UTC (`2026-11-27T03:12:44Z`), as log tools take it.
pub fn iso(ms: i64) -> String {
    format(ms, 'T')
}

/// `ms` as people read it (`2026-11-27 03:12:44Z`).
pub fn readable(ms: i64) -> String {
    format(ms, ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_795_749_164_000; // 2026-11-27T03:12:44Z

    #[test]
    fn iso_with_zones_and_fractions() {
        for (text, ms) in [
            ("2026-11-27T03:12:44Z", T),
            ("2026-11-27t03:12:44z", T),
            ("2026-11-27 03:12:44Z", T),
            ("2026-11-27T03:12:44.5Z", T + 500),
            ("2026-11-27T03:12:44.123456789Z", T + 123),
            ("2026-11-27T03:12:44,25Z", T + 250),
            ("2026-11-27T04:12:44+01:00", T),
            ("2026-11-27T04:12:44+0100", T),
            ("2026-11-27T04:12:44+01", T),
            ("2026-11-26T21:42:44-05:30", T),
            ("2026-11-27 03:12:44.000 +0000 UTC", T),
            ("2026-11-27 03:12:44 UTC", T),
            ("2026-11-27T03:12Z", T - 44_000),
            ("  2026-11-27T03:12:44Z ", T),
            ("1970-01-01T00:00:00Z", 0),
        ] {
            assert_eq!(parse(text), Some(ms), "{text}");
        }
    }

    #[test]
    fn leap_years_and_month_ends() {
        assert!(parse("2024-02-29T00:00:00Z").is_some());
        assert!(parse("2000-02-29T00:00:00Z").is_some());
        assert_eq!(parse("2026-02-29T00:00:00Z"), None);
        assert_eq!(parse("1900-02-29T00:00:00Z"), None);
        assert_eq!(parse("2100-02-29T00:00:00Z"), None);
        assert_eq!(parse("2026-04-31T00:00:00Z"), None);
        assert_eq!(
            parse("2026-12-31T23:59:59Z").map(|ms| ms + 1000),
            parse("2027-01-01T00:00:00Z")
        );
        // A leap second is the next day's midnight; 60 elsewhere is refused.
        assert_eq!(parse("2016-12-31T23:59:60Z"), parse("2017-01-01T00:00:00Z"));
        assert_eq!(parse("2016-12-31T22:59:60Z"), None);
        assert_eq!(
            iso(parse("2024-02-29T12:00:00Z").unwrap_or(0)),
            "2024-02-29T12:00:00Z"
        );
    }

    #[test]
    fn epochs_in_seconds_and_milliseconds() {
        assert_eq!(parse("1795749164"), Some(T));
        assert_eq!(parse("1795749164000"), Some(T));
        assert_eq!(parse("1795749164.25"), Some(T + 250));
        assert_eq!(parse("999999999"), Some(999_999_999_000));
        // Counts, IDs and other lengths are not times.
        for bad in [
            "42",
            "17957491640",
            "17957491640000",
            "1795749164000.5",
            "-1795749164",
            "1.5",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_without_a_date_or_zone_are_not_guessed() {
        for bad in [
            "",
            "9:44 AM",
            "03:12:44Z",
            "2026-11-27",
            "2026-11-27T03:12:44",
            "2026-11-27 03:12:44 PST",
            "2026-11-27T03:12:44Zjunk",
            "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z",
            "2026-11-00T00:00:00Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T03:60:00Z",
            "2026-11-27T03:12:44+24:00",
            "2026-11-27T03:12:44+01:60",
            "2026-11-27T03:12:44.Z",
            "1969-12-31T23:59:59Z",
            "26-11-27T03:12:44Z",
            "2026-1-27T03:12:44Z",
            "Thu, 27 Nov 2026 03:12:44 GMT",
            "２０２６-11-27T03:12:44Z",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn written_back_as_iso() {
        assert_eq!(iso(T), "2026-11-27T03:12:44Z");
        assert_eq!(iso(T + 7), "2026-11-27T03:12:44.007Z");
        assert_eq!(readable(T), "2026-11-27 03:12:44Z");
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        for text in [
            "2000-03-01T00:00:00Z",
            "2099-12-31T23:59:59.999Z",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(parse(text).map(iso).as_deref(), Some(text));
        }
    }
}
