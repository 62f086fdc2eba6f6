//! The time window of a log search link: the alert's own time (`startsAt`, `timestamp`, …),
//! else the pasted log line's, else the incident's trigger time on the page, ± the window
//! setting; and, when none is known, the moment the guidance is built, said as such.

use super::model::{LogSearch, LogWindow};
use crate::alert::{log_line_fields, Alert};
use crate::config::{uses_time, Config};
use crate::page::PageTime;
use crate::text::normalize_key;
use crate::time::{parse, readable};

/// The alert fields that carry its time, in the order they are preferred (compared after
/// [`normalize_key`], so `startsAt` and `starts_at` are one).
const ALERT_TIME_KEYS: &[&str] = &["startsat", "timestamp", "createdat", "triggeredat"];

/// A log line's JSON fields that carry its time (`@timestamp` reads as `timestamp`).
const LOG_TIME_KEYS: &[&str] = &["timestamp", "time"];

/// How many lines of a pasted log are looked at for a time.
const MAX_LOG_LINES: usize = 50;

/// What the engine knows about time besides the alert and the log line.
#[derive(Debug, Clone, Default)]
pub struct TimeContext {
    /// The incident's trigger time as its page shows it.
    pub page: Option<PageTime>,
    /// Now (ms since 1970), for the window when no time is known; without it such a
    /// template builds no link.
    pub now: Option<i64>,
}

/// The time of `alert` from its own fields: (ms, the field's name as written), and what was
/// found but could not be read.
fn alert_time(alert: &Alert, why: &mut Vec<String>) -> Option<(i64, String)> {
    for key in ALERT_TIME_KEYS {
        let field = alert.fields.iter().find(|f| {
            normalize_key(&f.key) == *key
                || f.key
                    .rsplit_once('.')
                    .is_some_and(|(_, last)| normalize_key(last) == *key)
        });
        if let Some(f) = field {
            match parse(&f.value) {
                Some(ms) => return Some((ms, f.key.clone())),
                None => why.push(format!(
                    "the alert's {} is not a date and time with a zone",
                    f.key
                )),
            }
        }
    }
    None
}

/// The time of the first line of `log` that has one: its JSON `timestamp`/`time`/
/// `@timestamp`, or an ISO timestamp at its start (`2026-11-27T03:12:44Z ERROR …`,
/// `[2026-11-27 03:12:44.123 +0000] …`).
fn log_time(log: &str) -> Option<(i64, String)> {
    for line in log.lines().take(MAX_LOG_LINES) {
        let json = log_line_fields(line).into_iter().find_map(|f| {
            let top =
                !f.key.contains('.') && LOG_TIME_KEYS.contains(&normalize_key(&f.key).as_str());
            top.then(|| parse(&f.value).map(|ms| (ms, f.key)))?
        });
        if let Some((ms, key)) = json {
            return Some((ms, format!("the log line's {key}")));
        }
        let line = line.trim_start().trim_start_matches('[');
        if !line.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        // The longest run of up to four leading words that reads as a time (`2026-11-27
        // 03:12:44 +0000 UTC` is four), without a `]` or `,` that closes it.
        let mut ends: Vec<usize> = line.match_indices(' ').map(|(i, _)| i).take(3).collect();
        ends.push(line.len());
        for &end in ends.iter().rev() {
            if let Some(ms) = parse(line[..end].trim_end_matches([']', ','])) {
                return Some((ms, "the log line's timestamp".to_string()));
            }
        }
    }
    None
}

/// The window for `alert`'s log search link, when its region's template has `{from}`/`{to}`.
pub(super) fn log_window(
    alert: &Alert,
    log_line: Option<&str>,
    ctx: &TimeContext,
    config: &Config,
) -> Option<LogWindow> {
    if !uses_time(config.log_template(alert.region())?) {
        return None;
    }
    let minutes = config.window_minutes();
    let mut why = Vec::new();
    let known = alert_time(alert, &mut why)
        .map(|(ms, key)| (ms, format!("the alert's {key}")))
        .or_else(|| log_line.and_then(log_time))
        .or_else(|| {
            let p = ctx.page.as_ref()?;
            let ms = parse(&p.text);
            if ms.is_none() {
                why.push(format!(
                    "the page shows {} {} without a date or time zone",
                    p.label, p.text
                ));
            }
            Some((ms?, format!("the incident's {} time on the page", p.label)))
        });
    let (at, source, note) = match known {
        Some((at, source)) => {
            let note = format!("window {} ± {minutes} min, from {source}", readable(at));
            (at, Some(source), note)
        }
        None => {
            let now = ctx.now?;
            if why.is_empty() {
                why.push("neither the alert, a log line nor the page gives it".to_string());
            }
            let note = format!(
                "the alert's time is unknown ({}): window now ({}) ± {minutes} min",
                why.join("; "),
                readable(now)
            );
            (now, None, note)
        }
    };
    let span = i64::from(minutes) * 60_000;
    Some(LogWindow {
        at,
        from: at - span,
        to: at + span,
        minutes,
        source,
        note,
    })
}

/// Puts `window` on a match's log search and builds its link over it.
pub(super) fn apply(
    log: &mut LogSearch,
    region: Option<&str>,
    config: &Config,
    window: Option<&LogWindow>,
) {
    let Some(w) = window else { return };
    if let Some(q) = log.query.as_deref().filter(|_| log.unresolved.is_empty()) {
        log.url = config.log_search_url_at(region, q, Some((w.from, w.to)));
    }
    log.window = Some(w.clone());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::extract_alerts;

    const T: i64 = 1_795_749_164_000; // 2026-11-27T03:12:44Z

    fn config(minutes: Option<u32>) -> Config {
        let mut c = Config {
            log_window_minutes: minutes,
            ..Config::default()
        };
        c.log_search_urls.insert(
            "*".into(),
            "https://logs.example/?q={query}&from={from}&to={to}".into(),
        );
        c
    }

    fn alert(text: &str) -> Alert {
        extract_alerts(text).into_iter().next().unwrap_or_default()
    }

    fn page(text: &str) -> TimeContext {
        TimeContext {
            page: Some(PageTime {
                label: "OPENED",
                text: text.into(),
            }),
            now: Some(T + 3_600_000),
        }
    }

    #[test]
    fn the_alert_time_first_then_the_log_line_then_the_page() {
        let a = alert("- alertname = X\n- startsAt = 2026-11-27T03:12:44Z\n");
        let w = log_window(
            &a,
            Some("2026-11-28T00:00:00Z x"),
            &page("2026-11-29T00:00:00Z"),
            &config(None),
        )
        .expect("window");
        assert_eq!((w.at, w.from, w.to), (T, T - 1_800_000, T + 1_800_000));
        assert_eq!(
            w.note,
            "window 2026-11-27 03:12:44Z ± 30 min, from the alert's startsAt"
        );

        let b = alert("- alertname = X\n");
        for (log, source) in [
            (
                "2026-11-27T03:12:44Z ERROR DeleteClientID failed",
                "the log line's timestamp",
            ),
            (
                "[2026-11-27 03:12:44.000 +0000 UTC] ERROR",
                "the log line's timestamp",
            ),
            (
                r#"{"@timestamp": "2026-11-27T04:12:44+01:00", "msg": "x"}"#,
                "the log line's @timestamp",
            ),
            (
                "INFO nothing\n{\"time\": 1795749164}",
                "the log line's time",
            ),
        ] {
            let w =
                log_window(&b, Some(log), &TimeContext::default(), &config(Some(5))).expect(log);
            assert_eq!((w.at, w.to - w.at), (T, 300_000), "{log}");
            assert_eq!(w.source.as_deref(), Some(source), "{log}");
        }
        let w = log_window(&b, None, &page("2026-11-27T03:12:44Z"), &config(None)).expect("page");
        assert_eq!(
            w.source.as_deref(),
            Some("the incident's OPENED time on the page")
        );
    }

    #[test]
    fn an_unknown_time_is_said_and_never_guessed() {
        let a = alert("- alertname = X\n- startsAt = yesterday\n");
        let w =
            log_window(&a, Some("ERROR at 9:44"), &page("9:44 AM"), &config(None)).expect("window");
        assert_eq!(w.at, T + 3_600_000);
        assert_eq!(w.source, None);
        assert!(
            w.note
                .contains("the alert's startsAt is not a date and time with a zone"),
            "{}",
            w.note
        );
        assert!(
            w.note
                .contains("the page shows OPENED 9:44 AM without a date or time zone"),
            "{}",
            w.note
        );
        // Without a clock there is no window (and the link is left out).
        assert_eq!(
            log_window(&a, None, &TimeContext::default(), &config(None)),
            None
        );
        // A template without time markers needs none.
        let mut plain = config(None);
        plain
            .log_search_urls
            .insert("*".into(), "https://logs.example/?q={query}".into());
        assert_eq!(log_window(&a, None, &page("9:44 AM"), &plain), None);
    }
}
