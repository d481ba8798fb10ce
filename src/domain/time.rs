//! Unix seconds as UTC text, relative ages, and RFC 3339 parsing for Docker timestamps.
//!
//! Plain integer calendar arithmetic (days ↔ proleptic Gregorian date): no time-zone database
//! and no date crate, because the whole app must stay under 150 KB of wasm. Portainer writes
//! 0 for "never", and Docker writes `0001-01-01T00:00:00Z`, which parses to a negative number:
//! every formatter here treats `secs <= 0` as never.

const SECS_PER_DAY: i64 = 86_400;
/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.
const EPOCH_SHIFT: i64 = 719_468;
/// Days in a 400-year cycle.
const DAYS_PER_ERA: i64 = 146_097;

/// A UTC calendar date and time of day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UtcDateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl UtcDateTime {
    pub fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(SECS_PER_DAY);
        let rem = secs.rem_euclid(SECS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Self {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem / 60 % 60,
            second: rem % 60,
        }
    }

    pub fn to_unix(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * SECS_PER_DAY
            + i64::from(self.hour * 3600 + self.minute * 60 + self.second)
    }
}

/// Days since 1970-01-01 → (year, month 1–12, day 1–31). Years start in March inside the
/// cycle so that the leap day is the last day of the shifted year.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + EPOCH_SHIFT;
    let era = z.div_euclid(DAYS_PER_ERA);
    let day_of_era = z.rem_euclid(DAYS_PER_ERA);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // 0 = March
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let shifted_month = i64::from((month + 9) % 12); // March = 0
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT
}

pub fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `2024-05-29 16:26 UTC`; "—" for never (`secs <= 0`).
pub fn format_utc(secs: i64) -> String {
    if secs <= 0 {
        return "—".into();
    }
    let t = UtcDateTime::from_unix(secs);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year, t.month, t.day, t.hour, t.minute
    )
}

/// "just now", "5 minutes ago", "in 2 hours", "3 days ago"…; "never" for `secs <= 0`.
/// Months are 30 days and years 365: this is for glancing, [`format_utc`] is exact.
pub fn relative(secs: i64, now: i64) -> String {
    if secs <= 0 {
        return "never".into();
    }
    let diff = now.saturating_sub(secs);
    let past = diff >= 0;
    let d = diff.unsigned_abs();
    if d < 60 {
        return "just now".into();
    }
    let (n, unit) = match d {
        0..=3_599 => (d / 60, "minute"),
        3_600..=86_399 => (d / 3_600, "hour"),
        86_400..=2_591_999 => (d / 86_400, "day"),
        2_592_000..=31_535_999 => (d / 2_592_000, "month"),
        _ => (d / 31_536_000, "year"),
    };
    let plural = if n == 1 { "" } else { "s" };
    if past {
        format!("{n} {unit}{plural} ago")
    } else {
        format!("in {n} {unit}{plural}")
    }
}

/// Parses an RFC 3339 timestamp (`2024-05-29T16:26:03.123456789Z`, `…+02:00`) to unix
/// seconds; the fraction is ignored. `None` for anything malformed.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    // Fixed part: YYYY-MM-DDTHH:MM:SS
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let year = i64::from(digits(&b[0..4])?);
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &b[19..];
    if let [b'.', tail @ ..] = rest {
        let n = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &tail[n..];
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let off = i64::from(h * 3600 + m * 60);
            if *sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    // A leap second (:60) counts as the next second.
    let t = UtcDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second: 0,
    };
    Some(t.to_unix() + i64::from(second) - offset)
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAY_29_2024_1626: i64 = 1_716_999_960; // 2024-05-29 16:26:00 UTC

    #[test]
    fn epoch() {
        let t = UtcDateTime::from_unix(0);
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute, t.second),
            (1970, 1, 1, 0, 0, 0)
        );
        assert_eq!(t.to_unix(), 0);
        assert_eq!(format_utc(1), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(0), "—");
        assert_eq!(format_utc(-5), "—");
        assert_eq!(UtcDateTime::from_unix(-1).year, 1969);
        assert_eq!(UtcDateTime::from_unix(-1).second, 59);
    }

    #[test]
    fn known_instants() {
        assert_eq!(format_utc(MAY_29_2024_1626), "2024-05-29 16:26 UTC");
        assert_eq!(format_utc(MAY_29_2024_1626 + 59), "2024-05-29 16:26 UTC");
        assert_eq!(format_utc(1_717_000_000), "2024-05-29 16:26 UTC");
        assert_eq!(format_utc(1_000_000_000), "2001-09-09 01:46 UTC");
        assert_eq!(format_utc(2_147_483_647), "2038-01-19 03:14 UTC");
        assert_eq!(format_utc(4_102_444_800), "2100-01-01 00:00 UTC");
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2024) && is_leap_year(2000) && is_leap_year(2400));
        assert!(!is_leap_year(2023) && !is_leap_year(1900) && !is_leap_year(2100));
        // 2024-02-29 exists, and the next day is March 1st.
        assert_eq!(format_utc(1_709_164_800), "2024-02-29 00:00 UTC");
        assert_eq!(format_utc(1_709_164_800 + 86_400), "2024-03-01 00:00 UTC");
        // 2000 was a leap year (divisible by 400).
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
        // 2100 is not: Feb 28th is followed by March 1st.
        assert_eq!(format_utc(4_107_456_000), "2100-02-28 00:00 UTC");
        assert_eq!(format_utc(4_107_456_000 + 86_400), "2100-03-01 00:00 UTC");
        // Last day of a leap year.
        assert_eq!(format_utc(1_735_603_200), "2024-12-31 00:00 UTC");
    }

    #[test]
    fn every_day_round_trips_over_five_centuries() {
        // From 1800 to 2300, day by day: from_unix then to_unix is the identity and dates
        // advance by exactly one day, with valid month lengths.
        let start = days_from_civil(1800, 1, 1);
        let end = days_from_civil(2300, 1, 1);
        let mut prev = civil_from_days(start - 1);
        for d in start..end {
            let (y, m, day) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, day), d);
            assert!(day >= 1 && day <= days_in_month(y, m));
            if day == 1 {
                assert_eq!(prev.2, days_in_month(prev.0, prev.1));
            } else {
                assert_eq!((prev.0, prev.1, prev.2 + 1), (y, m, day));
            }
            prev = (y, m, day);
        }
        assert_eq!(civil_from_days(start), (1800, 1, 1));
    }

    #[test]
    fn relative_ages() {
        let now = MAY_29_2024_1626;
        assert_eq!(relative(0, now), "never");
        assert_eq!(relative(-62_135_596_800, now), "never");
        assert_eq!(relative(now, now), "just now");
        assert_eq!(relative(now - 59, now), "just now");
        assert_eq!(relative(now + 30, now), "just now");
        assert_eq!(relative(now - 60, now), "1 minute ago");
        assert_eq!(relative(now - 5 * 60 - 10, now), "5 minutes ago");
        assert_eq!(relative(now - 3600, now), "1 hour ago");
        assert_eq!(relative(now + 2 * 3600, now), "in 2 hours");
        assert_eq!(relative(now - 86_399, now), "23 hours ago");
        assert_eq!(relative(now - 3 * 86_400, now), "3 days ago");
        assert_eq!(relative(now + 86_400, now), "in 1 day");
        assert_eq!(relative(now - 45 * 86_400, now), "1 month ago");
        assert_eq!(relative(now - 400 * 86_400, now), "1 year ago");
        assert_eq!(relative(now - 3 * 365 * 86_400, now), "3 years ago");
        assert_eq!(relative(1, i64::MAX), "292471208677 years ago");
    }

    #[test]
    fn parses_docker_timestamps() {
        assert_eq!(
            parse_rfc3339("2024-05-29T16:26:00Z"),
            Some(MAY_29_2024_1626)
        );
        assert_eq!(
            parse_rfc3339("2024-05-29T16:26:00.123456789Z"),
            Some(MAY_29_2024_1626)
        );
        assert_eq!(
            parse_rfc3339("2024-05-29T18:26:00+02:00"),
            Some(MAY_29_2024_1626)
        );
        assert_eq!(
            parse_rfc3339("2024-05-29T11:56:00.5-04:30"),
            Some(MAY_29_2024_1626)
        );
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339(" 2024-02-29t00:00:00z "), Some(1_709_164_800));
        // Docker's "never".
        let never = parse_rfc3339("0001-01-01T00:00:00Z").unwrap();
        assert!(never < 0);
        assert_eq!(format_utc(never), "—");
        // A leap second is the next second.
        assert_eq!(
            parse_rfc3339("2016-12-31T23:59:60Z"),
            parse_rfc3339("2017-01-01T00:00:00Z")
        );
    }

    #[test]
    fn rejects_malformed_timestamps() {
        for s in [
            "",
            "2024",
            "2024-05-29",
            "2024-05-29T16:26:00",
            "2024-05-29T16:26Z",
            "2024-13-01T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-05-29T24:00:00Z",
            "2024-05-29T16:60:00Z",
            "2024-05-29T16:26:61Z",
            "2024-05-29T16:26:00.Z",
            "2024-05-29T16:26:00+0200",
            "2024-05-29T16:26:00+24:00",
            "2024-05-29X16:26:00Z",
            "2024-05-29T16:26:00Zjunk",
            "２０２４-05-29T16:26:00Z",
            "-024-05-29T16:26:00Z",
            "2024-05-29T16:26:00\u{e9}",
        ] {
            assert_eq!(parse_rfc3339(s), None, "{s:?}");
        }
    }

    #[test]
    fn parse_and_format_agree() {
        let mut t = 1i64;
        while t < 4_000_000_000 {
            let u = UtcDateTime::from_unix(t);
            let s = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                u.year, u.month, u.day, u.hour, u.minute, u.second
            );
            assert_eq!(parse_rfc3339(&s), Some(t), "{s}");
            t = t * 3 + 12_345;
        }
    }
}
