//! Solar Hijri (Jalali) dates, through ICU4X's astronomical Persian calendar.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Asia::Tehran;
use icu_calendar::{Date, cal::Persian};

use super::digits::{to_ascii_digits, to_persian_digits};
use super::text::normalize_input;

/// A day in the Solar Hijri calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct JalaliDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl JalaliDate {
    /// The Jalali date of a Gregorian day.
    pub fn from_gregorian(date: NaiveDate) -> JalaliDate {
        // Every NaiveDate is within ICU4X's range, so this cannot fail; fall back to the
        // epoch rather than panic if a future version narrows it.
        let iso = Date::try_new_iso(date.year(), date.month() as u8, date.day() as u8)
            .unwrap_or_else(|_| Date::try_new_iso(2000, 1, 1).expect("2000-01-01 is a valid date"));
        let persian = iso.to_calendar(Persian);
        JalaliDate {
            year: persian.year().extended_year(),
            month: persian.month().ordinal,
            day: persian.day_of_month().0,
        }
    }

    /// The Gregorian day of a Jalali date, or None if there is no such day
    /// (month 13, Esfand 30 in a common year, ...).
    pub fn to_gregorian(self) -> Option<NaiveDate> {
        let persian = Date::try_new_persian(self.year, self.month, self.day).ok()?;
        let iso = persian.to_calendar(icu_calendar::Iso);
        NaiveDate::from_ymd_opt(
            iso.year().extended_year(),
            u32::from(iso.month().ordinal),
            u32::from(iso.day_of_month().0),
        )
    }

    /// Days in this date's month (29 or 30 for Esfand depending on the year).
    pub fn days_in_month(year: i32, month: u8) -> Option<u8> {
        Date::try_new_persian(year, month, 1).ok().map(|d| d.days_in_month())
    }

    /// «۱۴۰۵/۰۹/۰۱»
    pub fn to_persian_string(self) -> String {
        to_persian_digits(&self.to_string())
    }
}

impl std::fmt::Display for JalaliDate {
    /// «1405/09/01», Latin digits (for CSV exports and logs).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}/{:02}/{:02}", self.year, self.month, self.day)
    }
}

/// The calendar day in Tehran at an instant.
pub fn tehran_day(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&Tehran).date_naive()
}

/// A Gregorian day shown as a Jalali date in Persian digits: «۱۴۰۵/۰۹/۰۱».
pub fn format_jalali(date: NaiveDate) -> String {
    JalaliDate::from_gregorian(date).to_persian_string()
}

/// A day as people type it, for the examples in questions: «۱۴۰۵/۹/۱». Examples are made
/// from today, so that an example of a past day is past and of a coming day is coming.
pub fn format_jalali_as_typed(date: NaiveDate) -> String {
    let j = JalaliDate::from_gregorian(date);
    to_persian_digits(&format!("{}/{}/{}", j.year, j.month, j.day))
}

/// Why a typed date could not be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateInputError {
    #[error("not a date")]
    NotUnderstood,
    #[error("no such day in the calendar")]
    NoSuchDay,
    #[error("date is in the future")]
    InFuture,
    #[error("date is too far in the past")]
    TooOld,
    #[error("date is too far ahead")]
    TooFarAhead,
}

/// Reads a typed day: «۱۴۰۵/۹/۱», «1405-09-01», «۹/۱» (this Jalali year), «۱۴۰۵ ۹ ۱»,
/// an ISO Gregorian date «2026-11-22», or the words امروز / دیروز / پریروز.
/// `today` is the Tehran day now; the day must not be in the future nor more than
/// `max_days_back` days ago.
pub fn parse_day(input: &str, today: NaiveDate, max_days_back: i64) -> Result<NaiveDate, DateInputError> {
    let text = to_ascii_digits(&normalize_input(input));
    let day = match text.as_str() {
        "امروز" => today,
        "دیروز" => today - chrono::Days::new(1),
        "پریروز" => today - chrono::Days::new(2),
        _ => parse_numeric_day(&text, today)?,
    };
    if day > today {
        return Err(DateInputError::InFuture);
    }
    if (today - day).num_days() > max_days_back {
        return Err(DateInputError::TooOld);
    }
    Ok(day)
}

/// Reads a full date, Jalali («۱۴۰۵/۰۹/۰۱») or ISO Gregorian («2026-11-22»), with no range
/// check (the command line's `--as-of`).
pub fn parse_full_date(input: &str) -> Option<NaiveDate> {
    let text = to_ascii_digits(&normalize_input(input));
    if text.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).count() != 3 {
        return None;
    }
    parse_numeric_day(&text, NaiveDate::MIN).ok()
}

/// Reads a typed day that must be from today up to `max_days_ahead` days ahead (a first
/// installment's due date). Same forms as [`parse_day`], without the words for past days.
pub fn parse_coming_day(input: &str, today: NaiveDate, max_days_ahead: i64) -> Result<NaiveDate, DateInputError> {
    let day = parse_numeric_day(&to_ascii_digits(&normalize_input(input)), today)?;
    if day < today {
        return Err(DateInputError::TooOld);
    }
    if (day - today).num_days() > max_days_ahead {
        return Err(DateInputError::TooFarAhead);
    }
    Ok(day)
}

fn parse_numeric_day(text: &str, today: NaiveDate) -> Result<NaiveDate, DateInputError> {
    let parts: Vec<&str> = text.split(['/', '-', '.', ' ', '٫', '،', ',']).filter(|p| !p.is_empty()).collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts.iter().any(|p| p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()))
    {
        return Err(DateInputError::NotUnderstood);
    }
    let numbers: Vec<i32> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
    let this_year = JalaliDate::from_gregorian(today).year;
    let (year, month, day) = match numbers[..] {
        [month, day] => (this_year, month, day),
        [year, month, day] if year >= 1900 => {
            // A Gregorian date, as some phones and spreadsheets write it.
            return NaiveDate::from_ymd_opt(year, month as u32, day as u32).ok_or(DateInputError::NoSuchDay);
        }
        // Two-digit years mean 14xx: «۰۵/۹/۱».
        [year, month, day] if year < 100 => (1400 + year, month, day),
        [year, month, day] if (1300..1500).contains(&year) => (year, month, day),
        _ => return Err(DateInputError::NotUnderstood),
    };
    let (Ok(month), Ok(day)) = (u8::try_from(month), u8::try_from(day)) else {
        return Err(DateInputError::NoSuchDay);
    };
    if !(1..=12).contains(&month) || day == 0 {
        return Err(DateInputError::NoSuchDay);
    }
    JalaliDate { year, month, day }
        .to_gregorian()
        .filter(|d| JalaliDate::from_gregorian(*d) == JalaliDate { year, month, day })
        .ok_or(DateInputError::NoSuchDay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn known_dates() {
        let cases = [
            (ymd(2025, 3, 20), JalaliDate { year: 1403, month: 12, day: 30 }),
            (ymd(2025, 3, 21), JalaliDate { year: 1404, month: 1, day: 1 }),
            (ymd(2024, 3, 20), JalaliDate { year: 1403, month: 1, day: 1 }),
            (ymd(2025, 11, 22), JalaliDate { year: 1404, month: 9, day: 1 }),
            (ymd(2026, 11, 22), JalaliDate { year: 1405, month: 9, day: 1 }),
            (ymd(2026, 3, 21), JalaliDate { year: 1405, month: 1, day: 1 }),
            (ymd(2026, 3, 20), JalaliDate { year: 1404, month: 12, day: 29 }),
        ];
        for (gregorian, jalali) in cases {
            assert_eq!(JalaliDate::from_gregorian(gregorian), jalali, "{gregorian}");
            assert_eq!(jalali.to_gregorian(), Some(gregorian), "{jalali}");
        }
    }

    #[test]
    fn esfand_length_follows_leap_years() {
        assert_eq!(JalaliDate::days_in_month(1403, 12), Some(30));
        assert_eq!(JalaliDate::days_in_month(1404, 12), Some(29));
        assert_eq!(JalaliDate { year: 1404, month: 12, day: 30 }.to_gregorian(), None);
    }

    #[test]
    fn shows_persian_digits() {
        assert_eq!(format_jalali(ymd(2026, 11, 22)), "۱۴۰۵/۰۹/۰۱");
    }

    #[test]
    fn tehran_day_boundary() {
        // 20:29 UTC is 23:59 in Tehran; 20:30 UTC is the next day.
        let before = DateTime::parse_from_rfc3339("2026-11-22T20:29:00Z").unwrap().with_timezone(&Utc);
        let after = DateTime::parse_from_rfc3339("2026-11-22T20:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(tehran_day(before), ymd(2026, 11, 22));
        assert_eq!(tehran_day(after), ymd(2026, 11, 23));
    }

    #[test]
    fn parses_typed_days() {
        let today = ymd(2026, 11, 22); // 1405/09/01
        assert_eq!(parse_day("۱۴۰۵/۹/۱", today, 365), Ok(today));
        assert_eq!(parse_day("1405-08-30", today, 365), Ok(ymd(2026, 11, 21)));
        assert_eq!(parse_day("۸/۳۰", today, 365), Ok(ymd(2026, 11, 21)));
        assert_eq!(parse_day("٠٥/٨/٣٠", today, 365), Ok(ymd(2026, 11, 21)));
        assert_eq!(parse_day("دیروز", today, 365), Ok(ymd(2026, 11, 21)));
        assert_eq!(parse_day("2026-11-20", today, 365), Ok(ymd(2026, 11, 20)));
        assert_eq!(parse_day("۱۴۰۵/۹/۲", today, 365), Err(DateInputError::InFuture));
        assert_eq!(parse_day("۱۴۰۴/۱۲/۳۰", today, 365), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("۱۴۰۵/۱۳/۱", today, 365), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("۱۴۰۳/۱/۱", today, 365), Err(DateInputError::TooOld));
        assert_eq!(parse_day("فردا؟", today, 365), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("99999/1/1", today, 365), Err(DateInputError::NotUnderstood));
    }
}
