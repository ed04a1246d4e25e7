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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
