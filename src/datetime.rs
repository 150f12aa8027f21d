//! Dates and times as Cyclr's `DateTime` values want them: ISO 8601 text, checked, and the
//! shortcuts a form accepts (`now`, `today`, `-1d`, `+2h`, …) expanded to a UTC timestamp.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What the form says beside a `DateTime` row.
pub const HINT: &str =
    "ISO 8601 (2024-05-31T13:45:00Z), or now, today, yesterday, -1d, +2h, -30m, -1w";

/// Reads `text` as a `DateTime` value: ISO 8601 is kept as typed, a shortcut becomes a UTC
/// timestamp (`2026-12-02T09:30:00Z`) relative to `now`. `Err` says why it is not a date.
pub fn resolve(text: &str, now: SystemTime) -> Result<String, String> {
    let text = text.trim();
    if let Some(at) = expand_shortcut(text, now) {
        return Ok(at);
    }
    check_iso(text).map(|()| text.to_string())
}

/// The timestamp a shortcut (`-1d`, `today`, …) stands for as of `now`; `None` for any
/// other text (a timestamp is sent as typed).
#[must_use]
pub fn expand_shortcut(text: &str, now: SystemTime) -> Option<String> {
    shortcut(text.trim(), now).map(format_utc)
}

/// The time a shortcut names, relative to `now`.
fn shortcut(text: &str, now: SystemTime) -> Option<SystemTime> {
    let secs = now.duration_since(UNIX_EPOCH).ok()?.as_secs();
    let midnight = UNIX_EPOCH + Duration::from_secs(secs - secs % 86_400);
    let day = Duration::from_hours(24);
    match text.to_ascii_lowercase().as_str() {
        "now" => return Some(UNIX_EPOCH + Duration::from_secs(secs)),
        "today" => return Some(midnight),
        "yesterday" => return midnight.checked_sub(day),
        "tomorrow" => return midnight.checked_add(day),
        _ => {}
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'-' => (-1, &text[1..]),
        b'+' => (1, &text[1..]),
        _ => return None,
    };
    let unit = rest.chars().last()?;
    let count: u64 = rest[..rest.len() - unit.len_utf8()].parse().ok()?;
    let seconds = match unit.to_ascii_lowercase() {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return None,
    };
    let offset = Duration::from_secs(count.checked_mul(seconds)?);
    let now = UNIX_EPOCH + Duration::from_secs(secs);
    if sign < 0 {
        now.checked_sub(offset)
    } else {
        now.checked_add(offset)
    }
}

/// `2026-12-02T09:30:00Z` for `at` (whole seconds, UTC).
#[must_use]
pub fn format_utc(at: SystemTime) -> String {
    let t = Utc::of(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// A moment in UTC, split for formatting (the one calendar sum every formatter uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utc {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 for Sunday … 6 for Saturday.
    pub weekday: u32,
}

impl Utc {
    /// `at` in UTC (whole seconds; a time before 1970 counts as 1970-01-01).
    #[must_use]
    pub fn of(at: SystemTime) -> Utc {
        let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Utc::of_unix(i64::try_from(secs).unwrap_or(i64::MAX))
    }

    /// Seconds since 1970-01-01 in UTC (negative ones too), with Howard Hinnant's
    /// days-to-civil algorithm.
    #[must_use]
    pub fn of_unix(secs: i64) -> Utc {
        let days = secs.div_euclid(86_400);
        let rest = u32::try_from(secs.rem_euclid(86_400)).unwrap_or(0);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
        let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
        Utc {
            year: yoe + era * 400 + i64::from(month <= 2),
            month,
            day,
            hour: rest / 3600,
            minute: rest % 3600 / 60,
            second: rest % 60,
            // 1970-01-01 was a Thursday.
            weekday: u32::try_from((days + 4).rem_euclid(7)).unwrap_or(0),
        }
    }
}

/// Checks ISO 8601 text: `YYYY-MM-DD`, optionally `THH:MM`, `:SS`, `.fraction` and a zone
/// (`Z`, `±HH:MM`, `±HHMM`); a space may stand for the `T`.
fn check_iso(text: &str) -> Result<(), String> {
    let not_a_date = || format!("not a date: write {HINT}");
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let part = b.get(from..from + n)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| std::str::from_utf8(part).ok()?.parse().ok())?
    };
    let (Some(year), Some(month), Some(day)) = (digits(0, 4), digits(5, 2), digits(8, 2)) else {
        return Err(not_a_date());
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return Err(not_a_date());
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(format!("{text} is not a day of the calendar"));
    }
    if b.len() == 10 {
        return Ok(());
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return Err(not_a_date());
    }
    let (Some(hour), Some(minute)) = (digits(11, 2), digits(14, 2)) else {
        return Err(not_a_date());
    };
    if b.get(13) != Some(&b':') || hour > 23 || minute > 59 {
        return Err(format!("{text} is not a time of day"));
    }
    let mut i = 16;
    if b.get(i) == Some(&b':') {
        match digits(i + 1, 2) {
            Some(second) if second <= 60 => i += 3,
            _ => return Err(format!("{text} is not a time of day")),
        }
        if b.get(i) == Some(&b'.') {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return Err(not_a_date());
            }
            i += 1 + n;
        }
    }
    match &b[i..] {
        [] | [b'Z' | b'z'] => Ok(()),
        [b'+' | b'-', rest @ ..] => {
            let zone = std::str::from_utf8(rest).unwrap_or("");
            let (h, m) = match zone.len() {
                5 if zone.as_bytes()[2] == b':' => (&zone[..2], &zone[3..]),
                4 => (&zone[..2], &zone[2..]),
                2 => (zone, "00"),
                _ => return Err(not_a_date()),
            };
            match (h.parse::<u32>(), m.parse::<u32>()) {
                (Ok(h), Ok(m)) if h <= 14 && m <= 59 => Ok(()),
                _ => Err(format!("{text} has no valid time zone")),
            }
        }
        _ => Err(not_a_date()),
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn timestamps_are_utc_iso() {
        assert_eq!(format_utc(at(0)), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(at(1_798_761_599)), "2026-12-31T23:59:59Z");
        let u = Utc::of_unix(-1);
        assert_eq!((u.year, u.month, u.day, u.second), (1969, 12, 31, 59));
        assert_eq!(Utc::of_unix(0).weekday, 4, "a Thursday");
        assert_eq!(
            Utc::of_unix(1_796_203_845).weekday,
            3,
            "2026-12-02 is a Wednesday"
        );
    }

    #[test]
    fn shortcuts_expand_relative_to_now() {
        let now = at(1_796_203_845); // 2026-12-02T09:30:45Z
        assert_eq!(resolve("now", now).unwrap(), "2026-12-02T09:30:45Z");
        assert_eq!(resolve(" Today ", now).unwrap(), "2026-12-02T00:00:00Z");
        assert_eq!(resolve("yesterday", now).unwrap(), "2026-12-01T00:00:00Z");
        assert_eq!(resolve("-1d", now).unwrap(), "2026-12-01T09:30:45Z");
        assert_eq!(resolve("+2h", now).unwrap(), "2026-12-02T11:30:45Z");
        assert_eq!(resolve("-30m", now).unwrap(), "2026-12-02T09:00:45Z");
        assert_eq!(resolve("-1w", now).unwrap(), "2026-11-25T09:30:45Z");
        assert!(expand_shortcut("-1d", now).is_some());
        assert_eq!(expand_shortcut("2024-01-01", now), None);
    }

    #[test]
    fn iso_text_is_kept_and_checked() {
        let now = at(0);
        for good in [
            "2024-05-31",
            "2024-05-31T13:45",
            "2024-05-31T13:45:00Z",
            "2024-05-31 13:45:00.123+02:00",
            "2024-02-29T00:00:00-0500",
        ] {
            assert_eq!(resolve(good, now).as_deref(), Ok(good), "{good}");
        }
        for bad in [
            "not a date",
            "",
            "2023-02-29",
            "2024-13-01",
            "2024-05-31T25:00",
            "2024-05-31T13:45:00Q",
            "31/05/2024",
            "-1x",
            "2024-05-31T13:45:00.",
        ] {
            assert!(resolve(bad, now).is_err(), "{bad}");
        }
    }
}
