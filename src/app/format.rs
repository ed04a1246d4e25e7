//! Formatting for people: times in the viewer's time zone, always with the zone.

use chrono::DateTime;

/// `2026-11-23 15:04 CET` for unix seconds in the IANA zone `zone` (UTC when unknown).
pub fn local_time(unix: i64, zone: &str) -> String {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    match DateTime::from_timestamp(unix, 0) {
        Some(at) => at
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string(),
        None => "—".to_owned(),
    }
}

/// `14:05 (CET)`: the time of day in the IANA zone `zone` (UTC when unknown), with the zone —
/// for times within the next hours, like the end of a rate-limit backoff.
pub fn clock_time(unix: i64, zone: &str) -> String {
    let tz: chrono_tz::Tz = zone.parse().unwrap_or(chrono_tz::UTC);
    match DateTime::from_timestamp(unix, 0) {
        Some(at) => at.with_timezone(&tz).format("%H:%M (%Z)").to_string(),
        None => "—".to_owned(),
    }
}

/// `2026-11-23T14:04:00Z`, for `<time datetime>`.
pub fn iso_time(unix: i64) -> String {
    DateTime::from_timestamp(unix, 0)
        .map(|at| at.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// "2 hours ago", "3 days ago", "just now" for a time before `now`.
pub fn time_ago(now: i64, at: i64) -> String {
    let seconds = now.saturating_sub(at).max(0);
    let (n, unit) = match seconds {
        s if s < 60 => return "just now".to_owned(),
        s if s < 3600 => (s / 60, "minute"),
        s if s < 86_400 => (s / 3600, "hour"),
        s if s < 30 * 86_400 => (s / 86_400, "day"),
        s if s < 365 * 86_400 => (s / (30 * 86_400), "month"),
        s => (s / (365 * 86_400), "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// The Token Expiry column: "N days" left (whole days), "Less than a day", or "Expired".
pub fn days_left(now: i64, expires_at: i64) -> String {
    match expires_at.saturating_sub(now) {
        s if s <= 0 => "Expired".to_owned(),
        s if s < 86_400 => "Less than a day".to_owned(),
        s if s < 2 * 86_400 => "1 day".to_owned(),
        s => format!("{} days", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times_read_like_people_say_them() {
        assert_eq!(time_ago(1000, 990), "just now");
        assert_eq!(time_ago(10_000, 10_000 - 7200), "2 hours ago");
        assert_eq!(time_ago(10_000_000, 10_000_000 - 86_400), "1 day ago");
        assert_eq!(time_ago(0, 100), "just now", "a time ahead is now");
        assert_eq!(iso_time(1_767_225_600), "2026-01-01T00:00:00Z");
    }

    #[test]
    fn token_expiry_counts_whole_days_left() {
        assert_eq!(days_left(0, 5 * 86_400 + 10), "5 days");
        assert_eq!(days_left(0, 86_400 + 1), "1 day");
        assert_eq!(days_left(0, 3600), "Less than a day");
        assert_eq!(days_left(100, 100), "Expired");
        assert_eq!(days_left(100, -5), "Expired");
    }

    #[test]
    fn times_show_in_the_viewers_zone_with_the_zone() {
        assert_eq!(local_time(1_767_225_600, "UTC"), "2026-01-01 00:00 UTC");
        assert_eq!(
            local_time(1_767_225_600, "Europe/Berlin"),
            "2026-01-01 01:00 CET"
        );
        assert_eq!(
            local_time(1_767_225_600, "Not/AZone"),
            "2026-01-01 00:00 UTC"
        );
        assert_eq!(clock_time(1_767_225_600 + 300, "UTC"), "00:05 (UTC)");
        assert_eq!(
            clock_time(1_767_225_600 + 14 * 3600, "Europe/Berlin"),
            "15:00 (CET)"
        );
    }
}
