//! Moments as people write them on the command line and in lesson files: RFC 3339
//! (`2026-11-22T12:00:00Z`) or a plain date (midnight UTC). Pure: no clock is read here;
//! the command line decides what "now" is and hands it down.
//!
//! Every moment from input lies in [`EARLIEST`]..=[`LATEST`], and every date addition goes
//! through [`add_days`], which refuses an offset past [`MAX_OFFSET_DAYS`] or a result
//! outside that range instead of overflowing (docs/decisions.md, "Numbers and time").

use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};

/// The first date relaycheck accepts: X.509's UTCTime starts in 1950.
pub const EARLIEST: Date = time::macros::date!(1950 - 01 - 01);
/// The last date relaycheck accepts: X.509's GeneralizedTime has four-digit years.
pub const LATEST: Date = time::macros::date!(9999 - 12 - 31);
/// The largest offset in days (`+73000d`, 200 years) a date may be moved by.
pub const MAX_OFFSET_DAYS: i64 = 73_000;

/// Why a moment or an offset cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutOfRange {
    #[error("{0} is outside the dates relaycheck accepts (1950-01-01 to 9999-12-31)")]
    Moment(String),
    #[error(
        "{0} days is too far: relaycheck moves a date by at most 73000 days (200 years) either way"
    )]
    Offset(String),
    #[error(
        "{days:+} days from {from} is outside the dates relaycheck accepts (1950-01-01 to 9999-12-31)"
    )]
    Sum { from: String, days: i64 },
}

/// `t` itself when it lies in [`EARLIEST`]..=[`LATEST`] (any time of the last day).
pub fn in_range(t: OffsetDateTime) -> Result<OffsetDateTime, OutOfRange> {
    match t.checked_to_offset(time::UtcOffset::UTC) {
        Some(utc) if (EARLIEST..=LATEST).contains(&utc.date()) => Ok(t),
        _ => Err(OutOfRange::Moment(date(t))),
    }
}

/// `t` moved by `days`, checked: an offset past [`MAX_OFFSET_DAYS`] or a result outside
/// [`EARLIEST`]..=[`LATEST`] is an error, never an overflow.
pub fn add_days(t: OffsetDateTime, days: i64) -> Result<OffsetDateTime, OutOfRange> {
    if days.unsigned_abs() > MAX_OFFSET_DAYS.unsigned_abs() {
        return Err(OutOfRange::Offset(format!("{days:+}")));
    }
    let sum = || OutOfRange::Sum {
        from: date(t),
        days,
    };
    t.checked_add(Duration::days(days))
        .ok_or_else(sum)
        .and_then(|m| in_range(m).map_err(|_| sum()))
}

/// Why a text is not a moment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotAMoment {
    #[error(
        "\"{0}\" is not a date and time: use RFC 3339 (2026-11-22T12:00:00Z) or a date (2026-11-22)"
    )]
    Syntax(String),
    #[error("\"{0}\" is outside the dates relaycheck accepts (1950-01-01 to 9999-12-31)")]
    OutOfRange(String),
}

/// Parses RFC 3339, or a plain date as midnight UTC, within [`EARLIEST`]..=[`LATEST`].
pub fn parse(text: &str) -> Result<OffsetDateTime, NotAMoment> {
    let t = text.trim();
    let echo = || crate::text::excerpt(t, 60).into_owned();
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    let m = OffsetDateTime::parse(t, &Rfc3339)
        .or_else(|_| Date::parse(t, &date_format).map(|d| d.midnight().assume_utc()))
        .map_err(|_| NotAMoment::Syntax(echo()))?;
    in_range(m).map_err(|_| NotAMoment::OutOfRange(echo()))
}

/// A moment as RFC 3339, for reports.
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// A date as `2026-11-22`.
pub fn date(t: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    t.format(&format).unwrap_or_else(|_| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_and_plain_dates() {
        assert_eq!(
            parse("2026-11-22T12:00:00Z").unwrap(),
            time::macros::datetime!(2026-11-22 12:00 UTC)
        );
        assert_eq!(
            parse(" 2026-11-22 ").unwrap(),
            time::macros::datetime!(2026-11-22 0:00 UTC)
        );
        assert_eq!(
            parse("soon").unwrap_err().to_string(),
            "\"soon\" is not a date and time: use RFC 3339 (2026-11-22T12:00:00Z) or a date (2026-11-22)"
        );
        assert_eq!(
            date(time::macros::datetime!(2026-01-05 23:59 UTC)),
            "2026-01-05"
        );
    }

    #[test]
    fn moments_outside_1950_to_9999_are_refused_with_the_range() {
        for t in ["0000-01-01", "1949-12-31", "1949-12-31T23:59:59Z"] {
            assert_eq!(
                parse(t).unwrap_err().to_string(),
                format!(
                    "\"{t}\" is outside the dates relaycheck accepts (1950-01-01 to 9999-12-31)"
                )
            );
        }
        for t in ["1950-01-01", "9999-12-31", "9999-12-31T23:59:59Z"] {
            assert!(parse(t).is_ok(), "{t}");
        }
        // Still 9999-12-31 in UTC is fine; an offset that makes it year 10000 in UTC is not.
        assert!(parse("9999-12-31T23:00:00-02:00").is_err());
    }

    #[test]
    fn add_days_is_checked_at_every_edge() {
        let now = time::macros::datetime!(2026-11-22 12:00 UTC);
        assert_eq!(
            add_days(now, 30).unwrap(),
            time::macros::datetime!(2026-12-22 12:00 UTC)
        );
        assert_eq!(
            add_days(now, -30).unwrap(),
            time::macros::datetime!(2026-10-23 12:00 UTC)
        );
        assert_eq!(add_days(now, 73_000).unwrap().year(), 2226);
        for days in [73_001, -73_001, i64::MAX, i64::MIN] {
            assert_eq!(
                add_days(now, days),
                Err(OutOfRange::Offset(format!("{days:+}"))),
                "{days}"
            );
        }
        let last = time::macros::datetime!(9999-12-31 0:00 UTC);
        assert_eq!(
            add_days(last, 365).unwrap_err().to_string(),
            "+365 days from 9999-12-31 is outside the dates relaycheck accepts (1950-01-01 to 9999-12-31)"
        );
        let first = time::macros::datetime!(1950-01-01 0:00 UTC);
        assert!(add_days(first, -1).is_err());
        assert_eq!(add_days(first, 0).unwrap(), first);
        // The time crate's own edges (year ±9999): an error, not a panic.
        let edge = time::macros::datetime!(-9999-01-01 0:00 UTC);
        assert!(add_days(edge, -73_000).is_err());
    }
}
