//! Solar Hijri (Jalali) dates, through ICU4X's astronomical Persian calendar.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use chrono_tz::Asia::Tehran;
use icu_calendar::{Date, cal::Persian};

use super::amount::number_in_words;
use super::digits::{to_ascii_digits, to_persian_digits};
use super::text::{has_hidden_direction, normalize_input};
use super::words::number_word;

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

/// The month names, Farvardin first: «فروردین» … «اسفند».
pub const MONTH_NAMES: [&str; 12] =
    ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];

/// The weekday names as shown, Saturday (the first day of the Persian week) first, with the
/// half-space where it belongs: «یک‌شنبه», «سه‌شنبه», «پنج‌شنبه».
const WEEKDAY_NAMES: [&str; 7] =
    ["شنبه", "یک\u{200C}شنبه", "دوشنبه", "سه\u{200C}شنبه", "چهارشنبه", "پنج\u{200C}شنبه", "جمعه"];

/// A weekday's place in the Persian week: Saturday 0, Sunday 1, …, Friday 6.
fn persian_weekday(weekday: Weekday) -> u32 {
    (weekday.num_days_from_monday() + 2) % 7
}

/// A weekday's Persian name: «شنبه», «یک‌شنبه», … «جمعه».
pub fn weekday_name(weekday: Weekday) -> &'static str {
    WEEKDAY_NAMES[persian_weekday(weekday) as usize]
}

/// A Gregorian day shown as a Jalali date in Persian digits: «۱۴۰۵/۰۹/۰۱» (exports and tables).
pub fn format_jalali(date: NaiveDate) -> String {
    JalaliDate::from_gregorian(date).to_persian_string()
}

/// A day shown to people: weekday, day and month name, «شنبه ۱ آذر», with the Jalali year
/// when it is not today's: «شنبه ۱ آذر ۱۴۰۴». [`parse_day`] and [`parse_coming_day`] read it back.
pub fn format_day(date: NaiveDate, today: NaiveDate) -> String {
    let j = JalaliDate::from_gregorian(date);
    let mut out = format!("{} {} {}", weekday_name(date.weekday()), j.day, MONTH_NAMES[usize::from(j.month - 1)]);
    if j.year != JalaliDate::from_gregorian(today).year {
        out.push_str(&format!(" {}", j.year));
    }
    to_persian_digits(&out)
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
    /// Not a date, a weekday that is not the date's, or a date that reads two ways.
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

/// Reads a typed past or present day (a sale, a payment). `today` is the Tehran day now; the
/// day must not be in the future nor more than `max_days_back` days ago. Any digits (Persian,
/// Arabic-Indic, Latin) and any of `/ - . ٫ ، ,` or spaces between numbers; punctuation at the
/// end (`! ؟ ? . ،`) is ignored. Accepted:
/// - numbers, year first: «۱۴۰۵/۹/۱», «1405-09-01», «۱۴۰۵ ۹ ۱»; a two-digit year, 00–49 being
///   14xx and 50–99 13xx: «۰۵/۹/۱», «۹۹/۱۲/۲۵»;
/// - numbers, day first with a four-digit year: «۱/۹/۱۴۰۵»; with a two-digit year where the
///   year-first reading is no day at all or more than a year ahead: «۲۵/۱۲/۹۹», «۲۵/۸/۰۵»;
/// - a day and a month without a year, month first or day first: «۸/۲۵», «۲۵/۸»; two numbers
///   that can both be the month («۵/۸») name two days and are refused;
/// - an ISO Gregorian date: «2026-11-22»;
/// - a month name, with or without the year: «۱ آذر», «۳۰ آبان ۱۴۰۵», «۱ آذرماه ۰۵», «آبان ۲۵»,
///   «30 aban»; the day in words or as an ordinal: «پنج آبان», «اول آذر», «سی‌ام آبان»,
///   «بیست و پنجم آبان», «۲۵ام آبان»;
/// - any of these after a weekday, which must be the date's: «شنبه ۱ آذر», «شنبه ۱ آذر ۱۴۰۴»
///   (the form [`format_day`] shows);
/// - a weekday alone: the last such day, today included: «شنبه», «سه شنبه», «۵شنبه», «سشنبه»;
///   followed by «پیش», «گذشته» or «قبل», the last one before today: «شنبهٔ پیش»;
/// - the words امروز، دیروز، پریروز, and a count of days: «دو روز پیش», «۳ روز قبل».
///
/// A day without a year is this Jalali year's, or last year's when this year's is more than a
/// month still to come («۱۰ دی» typed in Azar). A date that reads two ways, both in range, is refused rather
/// than guessed; so is text with direction controls that make it read otherwise than it shows.
pub fn parse_day(input: &str, today: NaiveDate, max_days_back: i64) -> Result<NaiveDate, DateInputError> {
    let readings = read_day(input, today, Direction::Past)?;
    readings.pick(|day| {
        if day > today {
            Err(DateInputError::InFuture)
        } else if (today - day).num_days() > max_days_back {
            Err(DateInputError::TooOld)
        } else {
            Ok(())
        }
    })
}

/// Reads a full date, Jalali («۱۴۰۵/۰۹/۰۱») or ISO Gregorian («2026-11-22»), with no range
/// check (the command line's `--as-of`).
pub fn parse_full_date(input: &str) -> Option<NaiveDate> {
    let tokens = tokenize(&to_ascii_digits(&normalize_input(input)))?;
    if tokens.len() != 3 {
        return None;
    }
    let numbers = numbers_of(&tokens)?;
    let readings = numeric_readings(&numbers).ok()?;
    readings.first.or(readings.second)
}

/// Reads a typed day that must be from today up to `max_days_ahead` days ahead (a first
/// installment's due date). The forms of [`parse_day`], except that a weekday alone is the next
/// such day, today included («شنبه»), or after today with «آینده» or «بعد» («شنبهٔ آینده»); a
/// day without a year is next year's when this year's has gone («۱ فروردین» typed in Azar); and
/// the words امروز، فردا، پس‌فردا, «سه روز دیگه», «۳ روز بعد».
pub fn parse_coming_day(input: &str, today: NaiveDate, max_days_ahead: i64) -> Result<NaiveDate, DateInputError> {
    let readings = read_day(input, today, Direction::Coming)?;
    readings.pick(|day| {
        if day < today {
            Err(DateInputError::TooOld)
        } else if (day - today).num_days() > max_days_ahead {
            Err(DateInputError::TooFarAhead)
        } else {
            Ok(())
        }
    })
}

/// Which way a bare weekday points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Past,
    Coming,
}

/// What a typed date can mean: the usual reading (year first, month before day), if it names a
/// real day, and another one (day first) that does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Readings {
    first: Option<NaiveDate>,
    second: Option<NaiveDate>,
}

impl Readings {
    fn one(day: NaiveDate) -> Readings {
        Readings { first: Some(day), second: None }
    }

    fn one_opt(day: Option<NaiveDate>) -> Readings {
        Readings { first: day, second: None }
    }

    /// The day meant, given a range check. The usual reading wins when it names a real day; if
    /// that day is out of range, the range error is given rather than the other reading (the
    /// person may well have meant the day that is out of range). Two readings both in range
    /// are refused («۵/۸»: 8 Mordad or 5 Aban?).
    fn pick(self, check: impl Fn(NaiveDate) -> Result<(), DateInputError>) -> Result<NaiveDate, DateInputError> {
        match (self.first, self.second) {
            (Some(first), second) => {
                check(first)?;
                match second {
                    Some(second) if second != first && check(second).is_ok() => Err(DateInputError::NotUnderstood),
                    _ => Ok(first),
                }
            }
            (None, Some(second)) => check(second).map(|()| second),
            (None, None) => Err(DateInputError::NoSuchDay),
        }
    }

    /// «۲۵/۸/۰۵» read year first is 1425/08/05, a day no one means: when the usual reading is more
    /// than a year ahead and the other names a day, the other is read.
    fn far_future_gives_way(self, today: NaiveDate) -> Readings {
        match (self.first, self.second) {
            (Some(first), Some(_)) if (first - today).num_days() > 366 => Readings { first: None, ..self },
            _ => self,
        }
    }

    fn keep(self, wanted: impl Fn(NaiveDate) -> bool) -> Readings {
        Readings { first: self.first.filter(|d| wanted(*d)), second: self.second.filter(|d| wanted(*d)) }
    }

    fn is_empty(self) -> bool {
        self.first.is_none() && self.second.is_none()
    }
}

/// A piece of typed text: a number (with how many digits it was typed with) or a run of
/// letters, spelling folded, its words («یک‌شنبه» → «یک شنبه») kept apart by one space.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Number { value: u32, digits: usize },
    Word(String),
}

/// Characters between numbers, as in «۱۴۰۵/۹/۱», «1405-09-01», «۱۴۰۵.۹.۱», «۱۴۰۵٫۹٫۱», «۹،۱».
const SEPARATORS: [char; 6] = ['/', '-', '.', '٫', '،', ','];

/// Splits text (normalised, ASCII digits) into numbers and words; None if it holds anything
/// else or a number of more than four digits. Words run across spaces, so that «سه شنبه» and
/// «آذر ماه» are one token; names are matched [`joined`], so that «سه شنبه», «سه‌شنبه» and
/// «سهشنبه» are one name, while words for numbers («بیست و پنجم») can still be told apart.
fn tokenize(text: &str) -> Option<Vec<Token>> {
    fn end_number(number: &mut String, tokens: &mut Vec<Token>) -> Option<()> {
        if !number.is_empty() {
            if number.len() > 4 {
                return None;
            }
            tokens.push(Token::Number { value: number.parse().ok()?, digits: number.len() });
            number.clear();
        }
        Some(())
    }
    fn end_word(word: &mut String, tokens: &mut Vec<Token>) {
        let trimmed = word.trim_end();
        if !trimmed.is_empty() {
            tokens.push(Token::Word(trimmed.to_string()));
        }
        word.clear();
    }
    let mut tokens = Vec::new();
    let mut number = String::new();
    let mut word = String::new();
    for c in text.chars() {
        match c {
            // Short vowels, tanwin, shadda, the hamza of «شنبهٔ», superscript alef.
            '\u{064B}'..='\u{065F}' | '\u{0670}' => {}
            '0'..='9' => {
                end_word(&mut word, &mut tokens);
                number.push(c);
            }
            ' ' => {
                end_number(&mut number, &mut tokens)?;
                if !word.is_empty() && !word.ends_with(' ') {
                    word.push(' ');
                }
            }
            c if SEPARATORS.contains(&c) => {
                end_number(&mut number, &mut tokens)?;
                end_word(&mut word, &mut tokens);
            }
            c if c.is_alphabetic() => {
                end_number(&mut number, &mut tokens)?;
                word.push(match c {
                    'آ' | 'أ' | 'إ' | 'ٱ' => 'ا',
                    'ۀ' => 'ه',
                    // Finglish month names: «30 Aban».
                    c => c.to_ascii_lowercase(),
                });
            }
            _ => return None,
        }
    }
    end_number(&mut number, &mut tokens)?;
    end_word(&mut word, &mut tokens);
    Some(tokens)
}

/// A word token with its spaces removed, as names are matched: «سه شنبه» → «سهشنبه».
fn joined(word: &str) -> String {
    word.replace(' ', "")
}

/// Month words as folded by `tokenize` and [`joined`] (no «آ», no spaces), and in Finglish, with
/// the month number.
const MONTH_WORDS: [(&str, u8); 26] = [
    ("فروردین", 1),
    ("اردیبهشت", 2),
    ("خرداد", 3),
    ("تیر", 4),
    ("مرداد", 5),
    ("امرداد", 5),
    ("شهریور", 6),
    ("مهر", 7),
    ("ابان", 8),
    ("اذر", 9),
    ("دی", 10),
    ("بهمن", 11),
    ("اسفند", 12),
    ("farvardin", 1),
    ("ordibehesht", 2),
    ("khordad", 3),
    ("tir", 4),
    ("mordad", 5),
    ("shahrivar", 6),
    ("mehr", 7),
    ("aban", 8),
    ("azar", 9),
    ("dey", 10),
    ("dei", 10),
    ("bahman", 11),
    ("esfand", 12),
];

/// «آذر», «آذرماه», «آذر ماه», «azar» → 9.
fn month_of(word: &str) -> Option<u8> {
    let word = joined(word);
    let word = word.strip_suffix("ماه").filter(|w| !w.is_empty()).unwrap_or(&word);
    MONTH_WORDS.iter().find(|(name, _)| *name == word).map(|&(_, month)| month)
}

/// Weekday words as folded by `tokenize` and [`joined`], with their place in the Persian week;
/// also as spoken («یه شنبه») and as often typed («سشنبه»).
const WEEKDAY_WORDS: [(&str, u32); 11] = [
    ("شنبه", 0),
    ("یکشنبه", 1),
    ("یهشنبه", 1),
    ("دوشنبه", 2),
    ("سهشنبه", 3),
    ("سشنبه", 3),
    ("چهارشنبه", 4),
    ("چارشنبه", 4),
    ("پنجشنبه", 5),
    ("پنشنبه", 5),
    ("جمعه", 6),
];

/// What follows a weekday: nothing, «پیش / گذشته / قبل» (before today) or «آینده / بعد»
/// (after today).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Nearest,
    Before,
    After,
}

/// «شنبه», «سه شنبه», «شنبهٔ پیش», «شنبه ی گذشته», «جمعه آینده» → (place in the week, which).
fn weekday_of(word: &str) -> Option<(u32, Which)> {
    let word = joined(word);
    WEEKDAY_WORDS.iter().find_map(|&(name, place)| {
        let rest = word.strip_prefix(name)?;
        // «شنبه‌ی پیش»: the ezafe written as a letter.
        let rest = rest.strip_prefix('ی').filter(|r| !r.is_empty()).unwrap_or(rest);
        let which = match rest {
            "" => Which::Nearest,
            "پیش" | "گذشته" | "قبل" => Which::Before,
            "اینده" | "بعد" => Which::After,
            _ => return None,
        };
        Some((place, which))
    })
}

/// The weekday at the start of the tokens, if any, and the tokens after it. Also «۵شنبه» and
/// «۵ شنبه» for پنجشنبه (1 to 5 before «شنبه»).
fn leading_weekday(tokens: &[Token]) -> (Option<(u32, Which)>, &[Token]) {
    match tokens {
        [Token::Number { value: n @ 1..=5, digits: 1 }, Token::Word(word), rest @ ..] => match weekday_of(word) {
            Some((0, which)) => (Some((*n, which)), rest),
            _ => (None, tokens),
        },
        [Token::Word(word), rest @ ..] => match weekday_of(word) {
            Some(weekday) => (Some(weekday), rest),
            None => (None, tokens),
        },
        _ => (None, tokens),
    }
}

/// The day a weekday alone means, from today.
fn weekday_day(today: NaiveDate, place: u32, which: Which, direction: Direction) -> Option<NaiveDate> {
    let now = persian_weekday(today.weekday());
    let back = (now + 7 - place) % 7;
    let ahead = (place + 7 - now) % 7;
    match (which, direction) {
        (Which::Before, _) | (Which::Nearest, Direction::Past) => {
            let back = if back == 0 && which == Which::Before { 7 } else { back };
            today.checked_sub_days(Days::new(u64::from(back)))
        }
        (Which::After, _) | (Which::Nearest, Direction::Coming) => {
            let ahead = if ahead == 0 && which == Which::After { 7 } else { ahead };
            today.checked_add_days(Days::new(u64::from(ahead)))
        }
    }
}

/// «امروز», «دیروز», «پریروز» (past days), «امروز», «فردا», «پس‌فردا» (coming days) → days from
/// today. A word for the other direction is not read («فردا» for a sale is not understood).
fn relative_day(word: &str, direction: Direction) -> Option<i64> {
    match (joined(word).as_str(), direction) {
        ("امروز", _) => Some(0),
        ("دیروز", Direction::Past) => Some(-1),
        ("پریروز", Direction::Past) => Some(-2),
        ("فردا", Direction::Coming) => Some(1),
        ("پسفردا", Direction::Coming) => Some(2),
        _ => None,
    }
}

/// Punctuation an answer may end with («دیروز!», «۱ آذر؟»); it says nothing about the day.
const TRAILING_PUNCTUATION: [char; 6] = ['!', '؟', '?', '.', '،', ' '];

/// What typed text can mean, before any range check. A weekday or a count of days for the other
/// direction («شنبهٔ آینده», «۳ روز بعد» for a past day) is read, and fails the range check.
fn read_day(input: &str, today: NaiveDate, direction: Direction) -> Result<Readings, DateInputError> {
    // Direction controls make the text read otherwise than it shows; amounts refuse them too.
    if has_hidden_direction(input) {
        return Err(DateInputError::NotUnderstood);
    }
    let text = to_ascii_digits(&normalize_input(input));
    let tokens = tokenize(text.trim_end_matches(TRAILING_PUNCTUATION)).ok_or(DateInputError::NotUnderstood)?;
    if let Some(offset) = days_from_today(&tokens, direction) {
        let day = if offset < 0 {
            today.checked_sub_days(Days::new(offset.unsigned_abs()))
        } else {
            today.checked_add_days(Days::new(offset.unsigned_abs()))
        };
        return day.map(Readings::one).ok_or(DateInputError::NoSuchDay);
    }
    let (weekday, rest) = leading_weekday(&tokens);
    if let Some((place, which)) = weekday {
        if rest.is_empty() {
            return weekday_day(today, place, which, direction).map(Readings::one).ok_or(DateInputError::NoSuchDay);
        }
        if which != Which::Nearest {
            // «شنبه پیش ۱ آذر»
            return Err(DateInputError::NotUnderstood);
        }
    }
    let readings = date_readings(rest, today, direction)?;
    let Some((place, _)) = weekday else {
        return Ok(readings);
    };
    let readings = readings.keep(|day| persian_weekday(day.weekday()) == place);
    if readings.is_empty() {
        // A real day, but not on the weekday given.
        return Err(DateInputError::NotUnderstood);
    }
    Ok(readings)
}

/// Days from today named in words: a word of [`relative_day`], or a count of days.
fn days_from_today(tokens: &[Token], direction: Direction) -> Option<i64> {
    match tokens {
        [Token::Word(word)] => relative_day(word, direction).or_else(|| counted_days(word, None)),
        [Token::Number { value, .. }, Token::Word(word)] => counted_days(word, Some(*value)),
        _ => None,
    }
}

/// «دو روز پیش», «۳ روز قبل» → -2, -3; «سه روز دیگه», «۳ روز بعد» → 3. `count` is the number
/// typed in digits before the words, if any; otherwise the count is in words.
fn counted_days(words: &str, count: Option<u32>) -> Option<i64> {
    let words: Vec<&str> = words.split(' ').collect();
    let [count_words @ .., "روز", which] = words.as_slice() else {
        return None;
    };
    let sign = match *which {
        "پیش" | "قبل" => -1,
        "دیگه" | "دیگر" | "بعد" => 1,
        _ => return None,
    };
    let count = match (count, count_words) {
        (Some(n), []) => i64::from(n),
        (None, [_, ..]) => i64::try_from(number_in_words(&count_words.join(" "))?).ok()?,
        _ => return None,
    };
    Some(sign * count)
}

/// Two-digit years: 00–49 are 14xx, 50–99 are 13xx.
fn full_year(two_digits: u32) -> i32 {
    let y = two_digits as i32;
    if y < 50 { 1400 + y } else { 1300 + y }
}

/// The year of a day typed without one: this Jalali year, except that a past day more than a
/// month still to come this year is last year's («۱۰ دی» typed in Azar), and a coming day gone
/// this year more than a month ago is next year's («۱ فروردین» typed in Azar). Closer than a
/// month, this year's day is kept, and the range check refuses it: «۲ آذر» for a sale on
/// 1 Azar is a slip, not a sale of a year ago. Months and days are compared, not dates, so that
/// «۳۰ اسفند» typed in Farvardin is last year's even when this year has no such day.
fn year_meant(month: u32, day: u32, today: NaiveDate, direction: Direction) -> i32 {
    /// The place of a month and day in the year, in days (Farvardin to Shahrivar have 31).
    fn place(month: u32, day: u32) -> i64 {
        let (month, day) = (i64::from(month), i64::from(day));
        let before = if month <= 7 { (month - 1) * 31 } else { 186 + (month - 7) * 30 };
        before + day
    }
    const A_MONTH: i64 = 31;
    let now = JalaliDate::from_gregorian(today);
    let ahead = place(month, day) - place(u32::from(now.month), u32::from(now.day));
    match direction {
        Direction::Past if ahead > A_MONTH => now.year - 1,
        Direction::Coming if ahead < -A_MONTH => now.year + 1,
        _ => now.year,
    }
}

fn numbers_of(tokens: &[Token]) -> Option<Vec<u32>> {
    tokens
        .iter()
        .map(|t| match t {
            Token::Number { value, .. } => Some(*value),
            Token::Word(_) => None,
        })
        .collect()
}

/// A date without a weekday: numbers, or a day and a month name with or without a year.
fn date_readings(tokens: &[Token], today: NaiveDate, direction: Direction) -> Result<Readings, DateInputError> {
    let Some(numbers) = numbers_of(tokens) else {
        let (day, month, year) = named_month(tokens).ok_or(DateInputError::NotUnderstood)?;
        let year = match year {
            None => year_meant(month, day, today, direction),
            Some(y @ 0..100) => full_year(y),
            Some(y @ 1300..1500) => y as i32,
            Some(_) => return Err(DateInputError::NotUnderstood),
        };
        return jalali_day(year, month, day).map(Readings::one).ok_or(DateInputError::NoSuchDay);
    };
    let readings = match *numbers.as_slice() {
        // Month first («۸/۲۵») or day first («۲۵/۸»), whichever names a day; «۵/۸» names two.
        [first, second] => {
            let reading = |month, day| jalali_day(year_meant(month, day, today, direction), month, day);
            Readings { first: reading(first, second), second: reading(second, first) }
        }
        _ => numeric_readings(&numbers)?.far_future_gives_way(today),
    };
    if readings.is_empty() { Err(DateInputError::NoSuchDay) } else { Ok(readings) }
}

/// A day and a month name, and the year typed after them if any, → (day, month, year):
/// «۲۵ آبان», «۲۵ام آبان ۱۴۰۵», «آبان ۲۵», «بیست و پنجم آبان», «اول آذر ۱۴۰۵».
fn named_month(tokens: &[Token]) -> Option<(u32, u32, Option<u32>)> {
    use Token::{Number, Word};
    match tokens {
        [Number { value: day, .. }, Word(month)] => Some((*day, month_after_digits(month)?, None)),
        [Number { value: day, .. }, Word(month), Number { value: year, .. }] => {
            Some((*day, month_after_digits(month)?, Some(*year)))
        }
        [Word(words)] => {
            let (day, month) = day_and_month_in_words(words)?;
            Some((day, month, None))
        }
        [Word(words), Number { value, digits }] => match month_of(words) {
            // «آبان ۲۵»: the month first, then the day («آذر ۱۴۰۵» is no day).
            Some(month) if *digits <= 2 => Some((*value, u32::from(month), None)),
            _ => {
                let (day, month) = day_and_month_in_words(words)?;
                Some((day, month, Some(*value)))
            }
        },
        _ => None,
    }
}

/// The month after a day in digits, with the ordinal ending if any: «آبان», and «ام آبان» from
/// «۲۵ام آبان».
fn month_after_digits(word: &str) -> Option<u32> {
    let word = word.strip_prefix("ام ").or_else(|| word.strip_prefix("م ")).unwrap_or(word);
    month_of(word).map(u32::from)
}

/// A day in words and a month name: «اول آذر», «سی ام آبان», «بیست و پنجم آبان ماه» → (day, month).
fn day_and_month_in_words(words: &str) -> Option<(u32, u32)> {
    let words: Vec<&str> = words.split(' ').collect();
    (1..words.len()).find_map(|split| {
        let month = month_of(&words[split..].concat())?;
        Some((day_in_words(&words[..split])?, u32::from(month)))
    })
}

/// A day of the month in words, as a number or an ordinal: «پنج», «پنجم», «اول», «یکم», «سوم»,
/// «سی ام» (the ending apart, as «سی‌ام» is typed), «بیست و پنجم».
fn day_in_words(words: &[&str]) -> Option<u32> {
    let (last, rest) = match words {
        ["اول"] => return Some(1),
        [rest @ .., last, "ام"] | [rest @ .., last] => (*last, rest),
        [] => return None,
    };
    let mut cardinal = rest.to_vec();
    cardinal.push(cardinal_of(last)?);
    number_in_words(&cardinal.join(" ")).and_then(|n| u32::try_from(n).ok())
}

/// The number word of an ordinal, or the word itself if it is a number word: «پنجم» → «پنج»,
/// «سیام» → «سی», «سوم» → «سه», «پنج» → «پنج».
fn cardinal_of(word: &str) -> Option<&str> {
    if word == "سوم" {
        return Some("سه");
    }
    [Some(word), word.strip_suffix("ام"), word.strip_suffix("م")]
        .into_iter()
        .flatten()
        .find(|w| number_word(w).is_some())
}

/// Three numbers. Year first: «۱۴۰۵/۹/۱», «۰۵/۹/۱»; Gregorian when the first is 1900 or more;
/// day first when the last is a Jalali year 1300–1499 and the first at most 31; and as a second
/// reading, day first with a two-digit year, where the numbers allow it.
fn numeric_readings(numbers: &[u32]) -> Result<Readings, DateInputError> {
    let readings = match *numbers {
        [year, month, day] if year >= 1900 => {
            // A Gregorian date, as some phones and spreadsheets write it.
            Readings { first: NaiveDate::from_ymd_opt(year as i32, month, day), second: None }
        }
        [year @ 1300..1500, month, day] => Readings::one_opt(jalali_day(year as i32, month, day)),
        [day @ 0..=31, month, year @ 1300..1500] => Readings::one_opt(jalali_day(year as i32, month, day)),
        [year @ 0..100, month, day @ 0..100] => Readings {
            first: jalali_day(full_year(year), month, day),
            // «۲۵/۱۲/۹۹»: day first with a two-digit year.
            second: if year <= 31 { jalali_day(full_year(day), month, year) } else { None },
        },
        _ => return Err(DateInputError::NotUnderstood),
    };
    if readings.is_empty() { Err(DateInputError::NoSuchDay) } else { Ok(readings) }
}

/// The Gregorian day of a Jalali year, month and day, if there is one.
fn jalali_day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    let day = u8::try_from(day).ok().filter(|d| *d >= 1)?;
    let date = JalaliDate { year, month, day };
    date.to_gregorian().filter(|d| JalaliDate::from_gregorian(*d) == date)
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

    /// 1405/09/01, a Sunday (یک‌شنبه).
    fn sunday_1405_09_01() -> NaiveDate {
        ymd(2026, 11, 22)
    }

    fn jalali(year: i32, month: u8, day: u8) -> NaiveDate {
        JalaliDate { year, month, day }.to_gregorian().unwrap()
    }

    #[test]
    fn parses_typed_days() {
        let today = sunday_1405_09_01();
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

    #[test]
    fn numeric_days_year_first_as_before() {
        let today = sunday_1405_09_01();
        let aban_30 = jalali(1405, 8, 30);
        for typed in ["۱۴۰۵/۸/۳۰", "۱۴۰۵/۰۸/۳۰", "1405.8.30", "۱۴۰۵٫۸٫۳۰", "۱۴۰۵ ۸ ۳۰", "۱۴۰۵-۸-۳۰", "١٤٠٥/٨/٣٠"]
        {
            assert_eq!(parse_day(typed, today, 366), Ok(aban_30), "{typed}");
        }
        assert_eq!(parse_day("۸/۳۰", today, 366), Ok(aban_30));
        assert_eq!(parse_day("۸،۳۰", today, 366), Ok(aban_30));
        assert_eq!(parse_day(" ۸/۳۰. ", today, 366), Ok(aban_30));
        // Direction controls, even an embedding that changes nothing here, are refused.
        assert_eq!(parse_day("\u{202B}۱۴۰۵/۸/۳۰\u{202C}", today, 366), Err(DateInputError::NotUnderstood));
        // Without a year, a month more than a month to come is last year's. «۹/۵» is 5 Azar,
        // still to come, and said so, though 9 Mordad day first is a past day: the person may
        // well have meant 5 Azar.
        assert_eq!(parse_day("۱۱/۱۵", today, 366), Ok(jalali(1404, 11, 15)));
        assert_eq!(parse_day("۹/۵", today, 366), Err(DateInputError::InFuture));
    }

    #[test]
    fn numeric_days_day_first() {
        let today = sunday_1405_09_01();
        assert_eq!(parse_day("۳۰/۸/۱۴۰۵", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("۱/۹/۱۴۰۵", today, 366), Ok(today));
        assert_eq!(parse_day("01-09-1405", today, 366), Ok(today));
        assert_eq!(parse_day("۲۵/۱۲/۱۴۰۴", today, 366), Ok(jalali(1404, 12, 25)));
        assert_eq!(parse_day("۳۰ ۸ ۱۴۰۵", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("۳۰/۱۲/۱۴۰۴", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("۲/۹/۱۴۰۵", today, 366), Err(DateInputError::InFuture));
        // Day first with a Gregorian year is not guessed (day/month or month/day?).
        assert_eq!(parse_day("22/11/2026", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("۳۲/۸/۱۴۰۵", today, 366), Err(DateInputError::NotUnderstood));
        // Two numbers whose first cannot be a month: day, then month.
        assert_eq!(parse_day("۳۰/۸", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("۱۵/۸", today, 366), Ok(jalali(1405, 8, 15)));
        assert_eq!(parse_day("۳۲/۸", today, 366), Err(DateInputError::NoSuchDay));
    }

    #[test]
    fn two_digit_years_00_to_49_are_14xx_and_50_to_99_are_13xx() {
        assert_eq!(full_year(0), 1400);
        assert_eq!(full_year(5), 1405);
        assert_eq!(full_year(49), 1449);
        assert_eq!(full_year(50), 1350);
        assert_eq!(full_year(99), 1399);
        let today = ymd(2021, 3, 25); // 1400/01/05
        assert_eq!(parse_day("۹۹/۱۲/۲۵", today, 366), Ok(jalali(1399, 12, 25)));
        assert_eq!(parse_day("99/12/30", today, 366), Ok(jalali(1399, 12, 30))); // 1399 is leap
        assert_eq!(parse_day("۰۰/۱/۱", today, 366), Ok(jalali(1400, 1, 1)));
        assert_eq!(parse_day("۹۹/۱/۵", today, 366), Ok(jalali(1399, 1, 5)));
        let today = sunday_1405_09_01();
        assert_eq!(parse_day("۰۵/۹/۱", today, 366), Ok(jalali(1405, 9, 1)));
        assert_eq!(parse_day("۵/۹/۱", today, 366), Ok(jalali(1405, 9, 1)));
        assert_eq!(parse_day("۰۴/۱۲/۲۹", today, 366), Ok(jalali(1404, 12, 29)));
        assert_eq!(parse_day("۹۹/۱۲/۲۵", today, 366), Err(DateInputError::TooOld));
        assert_eq!(parse_full_date("۹۹/۱۲/۲۵"), Some(jalali(1399, 12, 25)));
        assert_eq!(parse_full_date("۵۰/۱/۱"), Some(jalali(1350, 1, 1)));
        // Day first with a two-digit year where year first is no day: «۲۵/۱۲/۹۹».
        let today = ymd(2021, 3, 25);
        assert_eq!(parse_day("۲۵/۱۲/۹۹", today, 366), Ok(jalali(1399, 12, 25)));
    }

    #[test]
    fn a_date_that_reads_two_ways_in_range_is_refused() {
        // 1405/11/04: «۰۴/۱۱/۰۵» is 1404/11/05 (364 days ago) year first, and today day first.
        let today = jalali(1405, 11, 4);
        assert_eq!(parse_day("۰۴/۱۱/۰۵", today, 366), Err(DateInputError::NotUnderstood));
        // Both are Sundays (364 days apart), so a weekday does not help here.
        assert_eq!(parse_day("یکشنبه ۰۴/۱۱/۰۵", today, 366), Err(DateInputError::NotUnderstood));
        // Across a leap Esfand the two readings are 365 days apart, and the weekday settles it.
        let today = jalali(1404, 12, 3);
        let (year_first, day_first) = (jalali(1403, 12, 4), today);
        assert_eq!(parse_day("۰۳/۱۲/۰۴", today, 366), Err(DateInputError::NotUnderstood));
        let with_weekday = |day: NaiveDate| format!("{} ۰۳/۱۲/۰۴", weekday_name(day.weekday()));
        assert_eq!(parse_day(&with_weekday(year_first), today, 366), Ok(year_first));
        assert_eq!(parse_day(&with_weekday(day_first), today, 366), Ok(day_first));
        // With a shorter range the year-first day is too old, and that is what is said.
        assert_eq!(parse_day("۰۳/۱۲/۰۴", today, 364), Err(DateInputError::TooOld));
        // The same numbers read the same way both ways: no doubt.
        assert_eq!(parse_day("۰۵/۱۱/۰۵", jalali(1405, 11, 6), 366), Ok(jalali(1405, 11, 5)));
        // Year first is a real day but too old: that is said, the other reading is not taken.
        let today = jalali(1405, 9, 10);
        assert_eq!(parse_day("۰۴/۰۹/۰۵", today, 366), Err(DateInputError::TooOld));
        // The other reading is too old: year first stands.
        assert_eq!(parse_day("۰۵/۰۹/۰۱", today, 366), Ok(jalali(1405, 9, 1)));
    }

    #[test]
    fn month_names() {
        let today = sunday_1405_09_01();
        assert_eq!(parse_day("۱ آذر", today, 366), Ok(today));
        assert_eq!(parse_day("۳۰ آبان", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("۳۰ آبان ۱۴۰۵", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("30 آبان 1405", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("۱ آذر ۱۴۰۴", today, 366), Ok(jalali(1404, 9, 1)));
        assert_eq!(parse_day("۱ آذر ۰۴", today, 366), Ok(jalali(1404, 9, 1)));
        assert_eq!(parse_day("۱۵ اسفند ۹۹", ymd(2021, 3, 25), 366), Ok(jalali(1399, 12, 15)));
        // Spelling: no madda, Arabic letters, «ماه», spaces and half-spaces, no space at all.
        assert_eq!(parse_day("۱ اذر", today, 366), Ok(today));
        assert_eq!(parse_day("۱آذر", today, 366), Ok(today));
        assert_eq!(parse_day("۱ آذرماه", today, 366), Ok(today));
        assert_eq!(parse_day("۱ آذر ماه ۱۴۰۵", today, 366), Ok(today));
        assert_eq!(parse_day("۱ آذر\u{200C}ماه", today, 366), Ok(today));
        assert_eq!(parse_day("۱۰ ارديبهشت", today, 366), Ok(jalali(1405, 2, 10)));
        assert_eq!(parse_day("۱۰ اردی بهشت", today, 366), Ok(jalali(1405, 2, 10)));
        assert_eq!(parse_day("۱۰ اردی\u{200C}بهشت ۱۴۰۵", today, 366), Ok(jalali(1405, 2, 10)));
        assert_eq!(parse_day("۱۰ امرداد", today, 366), Ok(jalali(1405, 5, 10)));
        assert_eq!(parse_day("۱۰ مرداد", today, 366), Ok(jalali(1405, 5, 10)));
        assert_eq!(parse_day("۱۰ دی ماه ۱۴۰۴", today, 366), Ok(jalali(1404, 10, 10)));
        assert_eq!(parse_day("۱۰ دیماه ۱۴۰۴", today, 366), Ok(jalali(1404, 10, 10)));
        assert_eq!(parse_day("۳۰، آبان، ۱۴۰۵", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("۳۰/آبان/۱۴۰۵", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("٣٠ آبان", today, 366), Ok(jalali(1405, 8, 30)));
        // Every month, by name, is the month of that number.
        for (i, name) in MONTH_NAMES.iter().enumerate() {
            let month = i as u8 + 1;
            let typed = format!("۱ {name} ۱۴۰۴");
            assert_eq!(parse_day(&typed, today, 1000), Ok(jalali(1404, month, 1)), "{typed}");
        }
        // Without a year, a day more than a month to come is last year's; tomorrow's is a slip.
        assert_eq!(parse_day("۱۰ دی", today, 366), Ok(jalali(1404, 10, 10)));
        assert_eq!(parse_day("۱۰ دی", today, 300), Err(DateInputError::TooOld));
        assert_eq!(parse_day("۲ آذر", today, 366), Err(DateInputError::InFuture));
        // The month first.
        assert_eq!(parse_day("آذر ۱", today, 366), Ok(today));
        assert_eq!(parse_day("آبان، ۳۰", today, 366), Ok(jalali(1405, 8, 30)));
        // Refusals.
        assert_eq!(parse_day("۱ آذر ۱۴۰۳", today, 366), Err(DateInputError::TooOld));
        assert_eq!(parse_day("۳۰ اسفند ۱۴۰۴", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("۳۱ مهر", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("۳۲ فروردین", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("۰ آبان", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("آذر", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("آذر ۱۴۰۵", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("آبان ۳۰ ۱۴۰۵", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("۱ آذز", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("۱ آذر ۲۰۲۵", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("۱ آذر ۱۴۰۴ ۱", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("۱ ماه", today, 366), Err(DateInputError::NotUnderstood));
    }

    #[test]
    fn days_in_words_and_as_ordinals() {
        let today = sunday_1405_09_01();
        let cases = [
            ("اول آذر", today),
            ("یکم آذر", today),
            ("یک آذر", today),
            ("دوم آبان", jalali(1405, 8, 2)),
            ("سوم آبان", jalali(1405, 8, 3)),
            ("بیست و سوم آبان", jalali(1405, 8, 23)),
            ("سی\u{200C}ام آبان", jalali(1405, 8, 30)),
            ("سی\u{200C}اُم آبان", jalali(1405, 8, 30)),
            ("سیام آبان", jalali(1405, 8, 30)),
            ("بیست و پنجم آبان ماه", jalali(1405, 8, 25)),
            ("پونزدهم آبان", jalali(1405, 8, 15)),
            ("دهم اردی بهشت", jalali(1405, 2, 10)),
            ("اول آذر ۱۴۰۴", jalali(1404, 9, 1)),
            ("پنجم دی ۰۴", jalali(1404, 10, 5)),
            ("۲۵ام آبان", jalali(1405, 8, 25)),
            ("۲۵م آبان", jalali(1405, 8, 25)),
            ("۲۵ ام آبان ۱۴۰۵", jalali(1405, 8, 25)),
            ("شنبه ۳۰ام آبان", jalali(1405, 8, 30)),
        ];
        for (typed, day) in cases {
            assert_eq!(parse_day(typed, today, 366), Ok(day), "{typed}");
        }
        assert_eq!(parse_coming_day("پانزدهم آذر", today, 366), Ok(jalali(1405, 9, 15)));
        assert_eq!(parse_day("سی و دوم آبان", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("سی و یکم مهر", today, 366), Err(DateInputError::NoSuchDay));
        for typed in ["اول", "۲۵ام", "بیستم و پنجم آبان", "پنج پنج آبان", "نیم آبان", "اول آذر ۲۰۲۵"]
        {
            assert_eq!(parse_day(typed, today, 366), Err(DateInputError::NotUnderstood), "{typed}");
        }
    }

    #[test]
    fn days_counted_from_today() {
        let today = sunday_1405_09_01();
        for (typed, back) in [
            ("دو روز پیش", 2),
            ("۲ روز پیش", 2),
            ("2 روز قبل", 2),
            ("یه روز پیش", 1),
            ("ده روز قبل", 10),
            ("بیست و یک روز پیش", 21),
        ] {
            assert_eq!(parse_day(typed, today, 366), Ok(today - Days::new(back)), "{typed}");
        }
        for (typed, ahead) in [("سه روز دیگه", 3), ("۳ روز بعد", 3), ("ده روز دیگر", 10)] {
            assert_eq!(parse_coming_day(typed, today, 366), Ok(today + Days::new(ahead)), "{typed}");
        }
        // The other direction is read, and is out of range, as a count beyond the range is.
        assert_eq!(parse_day("۳ روز بعد", today, 366), Err(DateInputError::InFuture));
        assert_eq!(parse_coming_day("دو روز پیش", today, 366), Err(DateInputError::TooOld));
        assert_eq!(parse_day("۴۰۰ روز پیش", today, 366), Err(DateInputError::TooOld));
        for typed in ["روز پیش", "دو روز", "دو هفته پیش", "دو روز پیش پیش", "۲ دو روز پیش", "سلام روز پیش"]
        {
            assert_eq!(parse_day(typed, today, 366), Err(DateInputError::NotUnderstood), "{typed}");
        }
    }

    #[test]
    fn other_spellings_of_days() {
        let today = sunday_1405_09_01();
        let cases = [
            ("30 aban", jalali(1405, 8, 30)),
            ("30 Aban 1405", jalali(1405, 8, 30)),
            ("1 AZAR", today),
            ("aban 30", jalali(1405, 8, 30)),
            ("10 dey 1404", jalali(1404, 10, 10)),
            ("10 dei 04", jalali(1404, 10, 10)),
            ("5 esfand 1404", jalali(1404, 12, 5)),
            ("1 farvardin", jalali(1405, 1, 1)),
            ("سشنبه", ymd(2026, 11, 17)),
            ("سشنبه پیش", ymd(2026, 11, 17)),
            ("یه شنبه", today),
            ("یه\u{200C}شنبه پیش", ymd(2026, 11, 15)),
            ("دیروز!", ymd(2026, 11, 21)),
            ("دیروز!!", ymd(2026, 11, 21)),
            ("امروز؟", today),
            ("۳۰ آبان؟", jalali(1405, 8, 30)),
            ("۱۴۰۵/۹/۱?", today),
            ("۸/۳۰ !", jalali(1405, 8, 30)),
            ("شنبه،", ymd(2026, 11, 21)),
            ("\u{200F}۱ آذر", today),
        ];
        for (typed, day) in cases {
            assert_eq!(parse_day(typed, today, 366), Ok(day), "{typed}");
        }
        // Punctuation only at the end; direction controls of any kind are refused.
        for typed in
            ["!", "؟", "!دیروز", "دی!روز", "دیروز!ا", "aban", "30 abaan", "\u{2067}۱ آذر\u{2069}", "\u{202D}۱ آذر"]
        {
            assert_eq!(parse_day(typed, today, 366), Err(DateInputError::NotUnderstood), "{typed:?}");
        }
    }

    #[test]
    fn two_numbers_are_read_either_way_unless_both_can_be_the_month() {
        let today = sunday_1405_09_01();
        assert_eq!(parse_day("۸/۲۵", today, 366), Ok(jalali(1405, 8, 25)));
        assert_eq!(parse_day("۲۵/۸", today, 366), Ok(jalali(1405, 8, 25)));
        assert_eq!(parse_day("۱۲/۲۵", today, 366), Ok(jalali(1404, 12, 25)));
        assert_eq!(parse_day("۲۵/۱۲", today, 366), Ok(jalali(1404, 12, 25)));
        assert_eq!(parse_coming_day("۱۰/۱۵", today, 366), Ok(jalali(1405, 10, 15)));
        // The same number twice reads one way.
        assert_eq!(parse_day("۵/۵", today, 366), Ok(jalali(1405, 5, 5)));
        // Both orders name a day within the range: refused.
        for typed in ["۵/۸", "۸/۵", "۳/۷", "۸/۱۰", "۹/۱", "۱۲/۱"] {
            assert_eq!(parse_day(typed, today, 366), Err(DateInputError::NotUnderstood), "{typed}");
        }
        assert_eq!(parse_coming_day("۱۰/۱", today, 366), Err(DateInputError::NotUnderstood));
        // A weekday or a shorter range leaves one of them.
        let aban_5 = jalali(1405, 8, 5);
        assert_eq!(parse_day(&format!("{} ۸/۵", weekday_name(aban_5.weekday())), today, 366), Ok(aban_5));
        assert_eq!(parse_day("۸/۵", today, 30), Ok(aban_5));
    }

    #[test]
    fn day_first_with_a_two_digit_year_is_read_when_year_first_is_more_than_a_year_ahead() {
        let today = sunday_1405_09_01();
        assert_eq!(parse_day("۲۵/۸/۰۵", today, 366), Ok(jalali(1405, 8, 25)));
        assert_eq!(parse_day("۳۰/۰۸/۰۵", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("۲۵/۱۲/۰۴", today, 366), Ok(jalali(1404, 12, 25)));
        assert_eq!(parse_coming_day("۱۵/۱/۰۶", today, 366), Ok(jalali(1406, 1, 15)));
        // Year first stands when it is within a year: «۰۵/۸/۲۵», «۰۶/۱/۱۵».
        assert_eq!(parse_day("۰۵/۸/۲۵", today, 366), Ok(jalali(1405, 8, 25)));
        assert_eq!(parse_coming_day("۰۶/۱/۱۵", today, 366), Ok(jalali(1406, 1, 15)));
        // Far ahead with no other reading is said to be in the future.
        assert_eq!(parse_day("۳۵/۱/۱", today, 366), Err(DateInputError::InFuture));
        assert_eq!(parse_day("۲۵/۱۳/۰۵", today, 366), Err(DateInputError::NoSuchDay));
    }

    #[test]
    fn a_day_without_a_year_is_the_last_one_for_a_past_day_and_the_next_one_for_a_coming_day() {
        let today = sunday_1405_09_01();
        assert_eq!(parse_day("۱ آذر", today, 366), Ok(today));
        assert_eq!(parse_day("۱۰ دی", today, 366), Ok(jalali(1404, 10, 10)));
        assert_eq!(parse_coming_day("۱ آذر", today, 366), Ok(today));
        assert_eq!(parse_coming_day("۱ فروردین", today, 366), Ok(jalali(1406, 1, 1)));
        // Within a month on the wrong side, this year's day, refused by the range: a slip.
        assert_eq!(parse_coming_day("۲۵/۸", today, 366), Err(DateInputError::TooOld));
        assert_eq!(parse_day("۲ آذر", today, 366), Err(DateInputError::InFuture));
        assert_eq!(parse_coming_day("۱۵ مهر", today, 366), Ok(jalali(1406, 7, 15)));
        // Across Nowruz, both ways.
        assert_eq!(parse_coming_day("۱ فروردین", jalali(1404, 12, 29), 366), Ok(jalali(1405, 1, 1)));
        assert_eq!(parse_day("۲۹/۱۲", jalali(1405, 1, 1), 366), Ok(jalali(1404, 12, 29)));
        // Esfand 30: last year's when that year had one, no such day otherwise.
        assert_eq!(parse_day("۳۰ اسفند", jalali(1404, 1, 10), 366), Ok(jalali(1403, 12, 30)));
        assert_eq!(parse_day("۳۰ اسفند", jalali(1405, 1, 10), 366), Err(DateInputError::NoSuchDay));
        // A weekday must still be the day's.
        let dey_10 = jalali(1404, 10, 10);
        assert_eq!(parse_day(&format!("{} ۱۰ دی", weekday_name(dey_10.weekday())), today, 366), Ok(dey_10));
        assert_eq!(
            parse_day(&format!("{} ۱۰ دی", weekday_name(today.weekday())), today, 366),
            Err(DateInputError::NotUnderstood)
        );
    }

    #[test]
    fn esfand_30_only_in_leap_years() {
        let today = jalali(1404, 1, 10);
        assert_eq!(parse_day("۳۰ اسفند ۱۴۰۳", today, 366), Ok(ymd(2025, 3, 20)));
        assert_eq!(parse_day("۱۴۰۳/۱۲/۳۰", today, 366), Ok(ymd(2025, 3, 20)));
        assert_eq!(parse_day("۳۰/۱۲/۱۴۰۳", today, 366), Ok(ymd(2025, 3, 20)));
        let today = jalali(1405, 1, 10);
        assert_eq!(parse_day("۳۰ اسفند ۱۴۰۴", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("۲۹ اسفند ۱۴۰۴", today, 366), Ok(ymd(2026, 3, 20)));
        assert_eq!(parse_coming_day("۳۰ اسفند ۱۴۰۵", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_coming_day("۲۹ اسفند", today, 366), Ok(jalali(1405, 12, 29)));
    }

    #[test]
    fn nowruz_boundaries() {
        // 1404/12/29 is the last day of 1404; 1405/01/01 (a Saturday) is the next day.
        let nowruz = ymd(2026, 3, 21);
        assert_eq!(format_day(nowruz, nowruz), "شنبه ۱ فروردین");
        assert_eq!(format_day(ymd(2026, 3, 20), nowruz), "جمعه ۲۹ اسفند ۱۴۰۴");
        assert_eq!(parse_day("دیروز", nowruz, 366), Ok(ymd(2026, 3, 20)));
        assert_eq!(parse_day("جمعه", nowruz, 366), Ok(ymd(2026, 3, 20)));
        assert_eq!(parse_day("شنبه", nowruz, 366), Ok(nowruz));
        // Without a year, Esfand is the one just ended.
        assert_eq!(parse_day("۲۹ اسفند", nowruz, 366), Ok(ymd(2026, 3, 20)));
        assert_eq!(parse_day("۲۹ اسفند ۱۴۰۴", nowruz, 366), Ok(ymd(2026, 3, 20)));
        assert_eq!(parse_day("۱۲/۲۹", ymd(2026, 3, 20), 366), Ok(ymd(2026, 3, 20)));
        assert_eq!(parse_coming_day("فردا", ymd(2026, 3, 20), 366), Ok(nowruz));
        // The day before Nowruz, the year shown is the one ending.
        assert_eq!(format_day(nowruz, ymd(2026, 3, 20)), "شنبه ۱ فروردین ۱۴۰۵");
        assert_eq!(format_day(ymd(2025, 3, 21), ymd(2025, 3, 21)), "جمعه ۱ فروردین");
        assert_eq!(format_day(ymd(2025, 3, 20), ymd(2025, 3, 21)), "پنج\u{200C}شنبه ۳۰ اسفند ۱۴۰۳");
    }

    #[test]
    fn shows_days_to_people() {
        let today = sunday_1405_09_01();
        assert_eq!(format_day(today, today), "یک\u{200C}شنبه ۱ آذر");
        assert_eq!(format_day(ymd(2025, 11, 22), today), "شنبه ۱ آذر ۱۴۰۴");
        assert_eq!(format_day(jalali(1405, 8, 30), today), "شنبه ۳۰ آبان");
        assert_eq!(format_day(jalali(1405, 8, 26), today), "سه\u{200C}شنبه ۲۶ آبان");
        assert_eq!(format_day(jalali(1405, 8, 27), today), "چهارشنبه ۲۷ آبان");
        assert_eq!(format_day(jalali(1405, 8, 28), today), "پنج\u{200C}شنبه ۲۸ آبان");
        assert_eq!(format_day(jalali(1405, 8, 29), today), "جمعه ۲۹ آبان");
        assert_eq!(format_day(jalali(1405, 8, 25), today), "دوشنبه ۲۵ آبان");
        assert_eq!(format_day(jalali(1405, 10, 10), today), "پنج\u{200C}شنبه ۱۰ دی");
        assert_eq!(format_day(jalali(1406, 1, 1), today), "یک\u{200C}شنبه ۱ فروردین ۱۴۰۶");
        // No Latin digits, no leading zero, and the tables keep the numeric form.
        assert!(!format_day(jalali(1405, 2, 5), today).chars().any(|c| c.is_ascii_digit()));
        assert_eq!(format_day(jalali(1405, 2, 5), today), "شنبه ۵ اردیبهشت");
        assert_eq!(format_jalali(today), "۱۴۰۵/۰۹/۰۱");
        assert_eq!(format_jalali_as_typed(today), "۱۴۰۵/۹/۱");
        assert_eq!(weekday_name(Weekday::Sun), "یک\u{200C}شنبه");
        assert_eq!(weekday_name(Weekday::Fri), "جمعه");
    }

    #[test]
    fn the_shown_form_reads_back() {
        let today = sunday_1405_09_01();
        assert_eq!(parse_day("یک‌شنبه ۱ آذر", today, 366), Ok(today));
        assert_eq!(parse_day("شنبه ۱ آذر ۱۴۰۴", today, 366), Ok(ymd(2025, 11, 22)));
        assert_eq!(parse_day("شنبه، ۱ آذر ۱۴۰۴", today, 366), Ok(ymd(2025, 11, 22)));
        assert_eq!(parse_day("شنبه ۳۰ آبان", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("شنبه ۱۴۰۵/۸/۳۰", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("شنبه ۸/۳۰", today, 366), Ok(jalali(1405, 8, 30)));
        assert_eq!(parse_day("۵شنبه ۲۸ آبان", today, 366), Ok(jalali(1405, 8, 28)));
        assert_eq!(parse_day("سه شنبه ۲۶ آبان", today, 366), Ok(jalali(1405, 8, 26)));
        assert_eq!(parse_day("سهشنبه ۲۶ آبان ۱۴۰۵", today, 366), Ok(jalali(1405, 8, 26)));
        // A weekday that is not the date's is refused.
        assert_eq!(parse_day("جمعه ۱ آذر", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("یکشنبه ۱ آذر ۱۴۰۴", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("شنبه ۱۴۰۵/۹/۱", today, 366), Err(DateInputError::NotUnderstood));
        // No such day is said as such; a weekday with «پیش» and a date is not a form.
        assert_eq!(parse_day("شنبه ۳۰ اسفند ۱۴۰۴", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_day("شنبه پیش ۳۰ آبان", today, 366), Err(DateInputError::NotUnderstood));
        // The weekday goes first.
        assert_eq!(parse_day("۳۰ آبان شنبه", today, 366), Err(DateInputError::NotUnderstood));
    }

    #[test]
    fn weekdays_in_past_days() {
        let today = sunday_1405_09_01();
        let saturday = ymd(2026, 11, 21);
        for typed in [
            "شنبه",
            "شنبه‌",
            " شنبه ",
            "شنبهٔ پیش",
            "شنبۀ پیش",
            "شنبه‌ی پیش",
            "شنبه پیش",
            "شنبه گذشته",
            "شنبه‌ی گذشته",
            "شنبه قبل",
        ] {
            assert_eq!(parse_day(typed, today, 366), Ok(saturday), "{typed}");
        }
        for typed in ["یکشنبه", "یک‌شنبه", "یک شنبه", "یكشنبه", "۱شنبه", "۱ شنبه"] {
            assert_eq!(parse_day(typed, today, 366), Ok(today), "{typed}");
        }
        for typed in ["یکشنبه پیش", "یک‌شنبهٔ گذشته", "یک شنبه ی قبل", "۱شنبه پیش"]
        {
            assert_eq!(parse_day(typed, today, 366), Ok(ymd(2026, 11, 15)), "{typed}");
        }
        let cases = [
            ("دوشنبه", ymd(2026, 11, 16)),
            ("دو شنبه", ymd(2026, 11, 16)),
            ("۲شنبه", ymd(2026, 11, 16)),
            ("سه‌شنبه", ymd(2026, 11, 17)),
            ("سه شنبه", ymd(2026, 11, 17)),
            ("۳ شنبه", ymd(2026, 11, 17)),
            ("چهارشنبه", ymd(2026, 11, 18)),
            ("چهار شنبه", ymd(2026, 11, 18)),
            ("چارشنبه", ymd(2026, 11, 18)),
            ("۴شنبه", ymd(2026, 11, 18)),
            ("پنجشنبه", ymd(2026, 11, 19)),
            ("پنج‌شنبه", ymd(2026, 11, 19)),
            ("پنج شنبه", ymd(2026, 11, 19)),
            ("۵شنبه", ymd(2026, 11, 19)),
            ("۵شنبه گذشته", ymd(2026, 11, 19)),
            ("جمعه", ymd(2026, 11, 20)),
            ("جمعه پیش", ymd(2026, 11, 20)),
        ];
        for (typed, day) in cases {
            assert_eq!(parse_day(typed, today, 366), Ok(day), "{typed}");
        }
        // «شنبهٔ آینده» is not a past day.
        assert_eq!(parse_day("شنبه آینده", today, 366), Err(DateInputError::InFuture));
        assert_eq!(parse_day("شنبه", today, 0), Err(DateInputError::TooOld));
        for typed in ["۶شنبه", "۰شنبه", "شنبه ها", "شنبه پیش پیش", "هفته پیش", "شنبه شنبه"]
        {
            assert_eq!(parse_day(typed, today, 366), Err(DateInputError::NotUnderstood), "{typed}");
        }
    }

    #[test]
    fn weekdays_in_coming_days() {
        let today = sunday_1405_09_01();
        assert_eq!(parse_coming_day("یکشنبه", today, 366), Ok(today));
        assert_eq!(parse_coming_day("یکشنبه آینده", today, 366), Ok(ymd(2026, 11, 29)));
        assert_eq!(parse_coming_day("یک‌شنبهٔ بعد", today, 366), Ok(ymd(2026, 11, 29)));
        assert_eq!(parse_coming_day("دوشنبه", today, 366), Ok(ymd(2026, 11, 23)));
        assert_eq!(parse_coming_day("دوشنبه آینده", today, 366), Ok(ymd(2026, 11, 23)));
        assert_eq!(parse_coming_day("سه شنبه", today, 366), Ok(ymd(2026, 11, 24)));
        assert_eq!(parse_coming_day("پنج‌شنبه", today, 366), Ok(ymd(2026, 11, 26)));
        assert_eq!(parse_coming_day("جمعه", today, 366), Ok(ymd(2026, 11, 27)));
        assert_eq!(parse_coming_day("شنبه", today, 366), Ok(ymd(2026, 11, 28)));
        assert_eq!(parse_coming_day("شنبه پیش", today, 366), Err(DateInputError::TooOld));
        assert_eq!(parse_coming_day("جمعه", today, 3), Err(DateInputError::TooFarAhead));
    }

    #[test]
    fn words_for_days() {
        let today = sunday_1405_09_01();
        assert_eq!(parse_day("امروز", today, 366), Ok(today));
        assert_eq!(parse_day(" امروز ", today, 366), Ok(today));
        assert_eq!(parse_day("دیروز", today, 366), Ok(ymd(2026, 11, 21)));
        assert_eq!(parse_day("پریروز", today, 366), Ok(ymd(2026, 11, 20)));
        assert_eq!(parse_day("پریروز", today, 1), Err(DateInputError::TooOld));
        // Words for coming days are not read as past days, nor the other way round.
        assert_eq!(parse_day("فردا", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_day("پس‌فردا", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_coming_day("دیروز", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_coming_day("پریروز", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_coming_day("فردا صبح", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_coming_day("امروز", today, 366), Ok(today));
        assert_eq!(parse_coming_day("فردا", today, 366), Ok(ymd(2026, 11, 23)));
        assert_eq!(parse_coming_day("پس‌فردا", today, 366), Ok(ymd(2026, 11, 24)));
        assert_eq!(parse_coming_day("پس فردا", today, 366), Ok(ymd(2026, 11, 24)));
        assert_eq!(parse_coming_day("پسفردا", today, 366), Ok(ymd(2026, 11, 24)));
        assert_eq!(parse_coming_day("پس‌فردا", today, 1), Err(DateInputError::TooFarAhead));
        assert_eq!(parse_day("امروز ۱ آذر", today, 366), Err(DateInputError::NotUnderstood));
    }

    #[test]
    fn coming_days() {
        let today = sunday_1405_09_01();
        assert_eq!(parse_coming_day("۱۴۰۵/۹/۱۵", today, 366), Ok(jalali(1405, 9, 15)));
        assert_eq!(parse_coming_day("۱۵ آذر", today, 366), Ok(jalali(1405, 9, 15)));
        assert_eq!(parse_coming_day("۱۵/۹/۱۴۰۵", today, 366), Ok(jalali(1405, 9, 15)));
        assert_eq!(parse_coming_day("۱۵ فروردین ۱۴۰۶", today, 366), Ok(jalali(1406, 1, 15)));
        assert_eq!(parse_coming_day("۱۵ فروردین ۰۶", today, 366), Ok(jalali(1406, 1, 15)));
        assert_eq!(parse_coming_day("یکشنبه ۱۵ فروردین ۱۴۰۶", today, 366), Ok(jalali(1406, 1, 15)));
        assert_eq!(parse_coming_day("۱۴۰۵/۰۹/۰۱", today, 366), Ok(today));
        assert_eq!(parse_coming_day("2026-12-01", today, 366), Ok(ymd(2026, 12, 1)));
        // Without a year, a day gone this year more than a month ago is next year's; the range
        // still holds. Yesterday's is a slip.
        assert_eq!(parse_coming_day("۱۵ فروردین", today, 366), Ok(jalali(1406, 1, 15)));
        assert_eq!(parse_coming_day("۱۵ فروردین", today, 90), Err(DateInputError::TooFarAhead));
        assert_eq!(parse_coming_day("۳۰ آبان", today, 366), Err(DateInputError::TooOld));
        assert_eq!(parse_coming_day("۳۰ آبان ۱۴۰۵", today, 366), Err(DateInputError::TooOld));
        assert_eq!(parse_coming_day("۱ آذر ۱۴۰۷", today, 366), Err(DateInputError::TooFarAhead));
        assert_eq!(parse_coming_day("۳۱ آذر", today, 366), Err(DateInputError::NoSuchDay));
        assert_eq!(parse_coming_day("شنبه ۱۵ آذر", today, 366), Err(DateInputError::NotUnderstood));
        assert_eq!(parse_coming_day("قسط", today, 366), Err(DateInputError::NotUnderstood));
    }

    #[test]
    fn nonsense_is_not_a_day() {
        let today = sunday_1405_09_01();
        let nonsense = [
            "",
            " ",
            "سلام",
            "۵",
            "۱۴۰۵",
            "۱۴۰۵/۹/۱/۲",
            "۱۴۰۵۰۹۰۱",
            "؟۱۴۰۵/۹/۱",
            "۱۴۰۵_۹_۱",
            "۴۰۵/۹/۱",
            "۱۶۰۰/۹/۱",
            "۲۵۰ هزار",
            "۱ آذر و ۲ آذر",
            "today",
            "۱۲:۳۰",
            "😀",
            "/",
        ];
        for typed in nonsense {
            assert_eq!(parse_day(typed, today, 366), Err(DateInputError::NotUnderstood), "{typed:?}");
            assert_eq!(parse_coming_day(typed, today, 366), Err(DateInputError::NotUnderstood), "{typed:?}");
        }
        assert_eq!(parse_full_date("۱ آذر ۱۴۰۵"), None);
        assert_eq!(parse_full_date("۹/۱"), None);
        assert_eq!(parse_full_date("امروز"), None);
        assert_eq!(parse_full_date("۱۴۰۵/۰۹/۰۱"), Some(today));
        assert_eq!(parse_full_date("2026-11-22"), Some(today));
        assert_eq!(parse_full_date("۱/۹/۱۴۰۵"), Some(today));
        assert_eq!(parse_full_date("۱۴۰۴/۱۲/۳۰"), None);
    }

    /// Every day of the year before `today` reads back from its shown form, and every day of the
    /// year after it as a coming day.
    fn shown_days_read_back(today: NaiveDate) {
        for back in 0..=365 {
            let day = today - Days::new(back);
            let shown = format_day(day, today);
            assert_eq!(parse_day(&shown, today, 366), Ok(day), "{shown} from {}", format_jalali(today));
            assert_eq!(parse_day(&format_jalali(day), today, 366), Ok(day));
            assert_eq!(parse_day(&format_jalali_as_typed(day), today, 366), Ok(day));
        }
        for ahead in 0..=366 {
            let day = today + Days::new(ahead);
            let shown = format_day(day, today);
            assert_eq!(parse_coming_day(&shown, today, 366), Ok(day), "{shown} from {}", format_jalali(today));
            assert_eq!(parse_coming_day(&format_jalali_as_typed(day), today, 366), Ok(day));
        }
    }

    #[test]
    fn shown_days_read_back_across_the_year_boundary() {
        for today in [
            jalali(1404, 12, 25),
            jalali(1405, 1, 5),
            jalali(1403, 12, 30),
            jalali(1404, 1, 1),
            jalali(1404, 12, 29),
            jalali(1405, 1, 1),
            sunday_1405_09_01(),
        ] {
            shown_days_read_back(today);
        }
    }

    proptest::proptest! {
        #[test]
        fn shown_days_read_back_from_any_today(today_offset in 0u64..36_500, back in 0u64..=365, ahead in 0u64..=366) {
            let today = ymd(1990, 1, 1) + Days::new(today_offset);
            let past = today - Days::new(back);
            proptest::prop_assert_eq!(parse_day(&format_day(past, today), today, 366), Ok(past));
            let coming = today + Days::new(ahead);
            proptest::prop_assert_eq!(parse_coming_day(&format_day(coming, today), today, 366), Ok(coming));
            // The weekday alone names a day within the week.
            let name = weekday_name(past.weekday());
            let last = parse_day(name, today, 366).unwrap();
            proptest::prop_assert!(last <= today && (today - last).num_days() < 7);
            proptest::prop_assert_eq!(last.weekday(), past.weekday());
            let next = parse_coming_day(name, today, 366).unwrap();
            proptest::prop_assert!(next >= today && (next - today).num_days() < 7);
            proptest::prop_assert_eq!(next.weekday(), past.weekday());
        }

        #[test]
        fn month_names_read_like_numbers(today_offset in 0u64..36_500, back in 0u64..=365) {
            let today = ymd(1990, 1, 1) + Days::new(today_offset);
            let day = today - Days::new(back);
            let j = JalaliDate::from_gregorian(day);
            let named = format!("{} {} {}", j.day, MONTH_NAMES[usize::from(j.month - 1)], j.year);
            let day_first = format!("{}/{}/{}", j.day, j.month, j.year);
            proptest::prop_assert_eq!(parse_day(&named, today, 366), Ok(day));
            proptest::prop_assert_eq!(parse_day(&to_persian_digits(&day_first), today, 366), Ok(day));
        }

        #[test]
        fn any_text_is_read_or_refused_without_panic(text in "[۰-۹0-9/ .آ-ی\u{200C}-]{0,20}") {
            let today = sunday_1405_09_01();
            if let Ok(day) = parse_day(&text, today, 366) {
                proptest::prop_assert!(day <= today && (today - day).num_days() <= 366);
            }
            if let Ok(day) = parse_coming_day(&text, today, 366) {
                proptest::prop_assert!(day >= today && (day - today).num_days() <= 366);
            }
            let _ = parse_full_date(&text);
        }
    }
}
