//! Unix timestamps and the calendar dates analysts type (`2026-11-28`), without a time zone
//! database: everything is UTC.
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1970-01-01 UTC.
pub fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// Parses `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS` (UTC; a trailing `Z` is accepted) into Unix
/// seconds, or a bare integer as Unix seconds already.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('Z');
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    let (date, clock) = match text.split_once(['T', ' ']) {
        Some((date, clock)) => (date, Some(clock)),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day).checked_mul(86_400)?;
    if let Some(clock) = clock {
        let mut fields = clock.splitn(3, ':').map(|f| f.parse::<i64>().ok());
        let hours = fields.next().flatten()?;
        let minutes = fields.next().flatten().unwrap_or(0);
        let secs = fields.next().flatten().unwrap_or(0);
        if !(0..24).contains(&hours) || !(0..60).contains(&minutes) || !(0..61).contains(&secs) {
            return None;
        }
        seconds = seconds.checked_add(hours * 3600 + minutes * 60 + secs)?;
    }
    Some(seconds)
}

/// Formats Unix seconds as `YYYY-MM-DD HH:MM:SS` (UTC).
pub fn format_unix_time(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}", of_day / 3600, of_day / 60 % 60, of_day % 60)
}

// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_unix_seconds() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-03-01T12:30:15Z"), Some(951_913_815));
        assert_eq!(format_unix_time(951_913_815), "2000-03-01 12:30:15");
        assert_eq!(parse_date("2026-02-30x"), None);
        assert_eq!(parse_date("not a date"), None);
    }
}
