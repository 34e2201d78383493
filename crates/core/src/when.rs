//! Moments as people write them on the command line and in lesson files: RFC 3339
//! (`2026-11-22T12:00:00Z`) or a plain date (midnight UTC). Pure: no clock is read here;
//! the command line decides what "now" is and hands it down.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// Why a text is not a moment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a date and time: use RFC 3339 (2026-11-22T12:00:00Z) or a date (2026-11-22)"
)]
pub struct NotAMoment(pub String);

/// Parses RFC 3339, or a plain date as midnight UTC.
pub fn parse(text: &str) -> Result<OffsetDateTime, NotAMoment> {
    let t = text.trim();
    if let Ok(m) = OffsetDateTime::parse(t, &Rfc3339) {
        return Ok(m);
    }
    let date_format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(t, &date_format)
        .map(|d| d.midnight().assume_utc())
        .map_err(|_| NotAMoment(crate::text::excerpt(t, 60).into_owned()))
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
}
