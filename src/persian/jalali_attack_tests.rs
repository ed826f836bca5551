//! Attack tests for `jalali::parse_day` and `parse_coming_day` (issue 10 §3): days typed every
//! way people type them where a day is asked, each with the day a Persian speaker means. Cases
//! read as meant are regular tests, the last of them one test per kind of finding since fixed.

use chrono::NaiveDate;

use super::jalali::{DateInputError, JalaliDate, parse_coming_day, parse_day};
use DateInputError::*;

/// What a speaker means by a typed day.
#[derive(Debug, Clone, Copy)]
enum Day {
    Is(NaiveDate),
    Refuse(DateInputError),
    RefuseAny,
    /// Never a day other than this one: that day, or a refusal.
    NotOther(NaiveDate),
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn j(year: i32, month: u8, day: u8) -> NaiveDate {
    JalaliDate { year, month, day }.to_gregorian().unwrap()
}

/// 1405/09/01, a Sunday (یک‌شنبه).
fn today() -> NaiveDate {
    ymd(2026, 11, 22)
}

fn judge(got: Result<NaiveDate, DateInputError>, want: Day) -> Option<String> {
    let ok = match (want, got) {
        (Day::Is(d), Ok(g)) => d == g,
        (Day::Refuse(e), Err(g)) => e == g,
        (Day::RefuseAny, Err(_)) => true,
        (Day::NotOther(d), Ok(g)) => d == g,
        (Day::NotOther(_), Err(_)) => true,
        _ => false,
    };
    if ok {
        return None;
    }
    let severity = if got.is_ok() { "CRITICAL (a day not meant)" } else { "refused" };
    let shown = |r: Result<NaiveDate, DateInputError>| match r {
        Ok(d) => format!("Ok({})", JalaliDate::from_gregorian(d)),
        Err(e) => format!("Err({e:?})"),
    };
    let wanted = match want {
        Day::Is(d) => format!("Is({})", JalaliDate::from_gregorian(d)),
        Day::NotOther(d) => format!("NotOther({})", JalaliDate::from_gregorian(d)),
        other => format!("{other:?}"),
    };
    Some(format!("{severity}: got {}, wanted {wanted}", shown(got)))
}

/// The mismatches of a table of past days (a sale, a payment), each line naming its input.
fn past(today: NaiveDate, table: &[(&str, Day)]) -> Vec<String> {
    table
        .iter()
        .filter_map(|(input, want)| judge(parse_day(input, today, 366), *want).map(|m| format!("  {input:?}: {m}")))
        .collect()
}

/// The mismatches of a table of coming days (a first installment).
fn coming(today: NaiveDate, table: &[(&str, Day)]) -> Vec<String> {
    table
        .iter()
        .filter_map(|(input, want)| {
            judge(parse_coming_day(input, today, 366), *want).map(|m| format!("  {input:?}: {m}"))
        })
        .collect()
}

fn check_past(name: &str, today: NaiveDate, table: &[(&str, Day)]) {
    super::attack_support::report(name, past(today, table), table.len());
}

fn check_coming(name: &str, today: NaiveDate, table: &[(&str, Day)]) {
    super::attack_support::report(name, coming(today, table), table.len());
}

// ───────────────────────────── cases that read as meant ─────────────────────────────

#[test]
fn numeric_days_every_way() {
    let t = today();
    let aban_30 = j(1405, 8, 30);
    check_past(
        "numeric",
        t,
        &[
            ("۱۴۰۵/۹/۱", Day::Is(t)),
            ("۱۴۰۵/۰۹/۰۱", Day::Is(t)),
            ("1405/9/1", Day::Is(t)),
            ("١٤٠٥/٩/١", Day::Is(t)),
            ("۱۴۰۵/9/۱", Day::Is(t)),
            ("۱۴۰۵-۹-۱", Day::Is(t)),
            ("۱۴۰۵.۹.۱", Day::Is(t)),
            ("۱۴۰۵٫۹٫۱", Day::Is(t)),
            ("۱۴۰۵،۹،۱", Day::Is(t)),
            ("۱۴۰۵ ۹ ۱", Day::Is(t)),
            ("۱۴۰۵/ ۹ /۱", Day::Is(t)),
            ("  ۱۴۰۵/۹/۱  ", Day::Is(t)),
            ("۱۴۰۵/۹/۱.", Day::Is(t)),
            ("\u{200F}۱۴۰۵/۹/۱", Day::Is(t)),
            ("۱/۹/۱۴۰۵", Day::Is(t)),
            ("۰۱/۰۹/۱۴۰۵", Day::Is(t)),
            ("1-9-1405", Day::Is(t)),
            ("۳۰/۸/۱۴۰۵", Day::Is(aban_30)),
            ("۸/۳۰", Day::Is(aban_30)),
            ("۳۰/۸", Day::Is(aban_30)),
            ("۳۰ ۸", Day::Is(aban_30)),
            ("۱۵/۸", Day::Is(j(1405, 8, 15))),
            ("۸/۱۵", Day::Is(j(1405, 8, 15))),
            ("۰۵/۸/۳۰", Day::Is(aban_30)),
            ("۵/۸/۳۰", Day::Is(aban_30)),
            ("٠٥/٨/٣٠", Day::Is(aban_30)),
            ("۰۵/۰۸/۱۰", Day::Is(j(1405, 8, 10))),
            ("۱۴۰۵/۶/۳۱", Day::Is(j(1405, 6, 31))),
            ("۱۴۰۴/۱۲/۲۹", Day::Is(j(1404, 12, 29))),
            ("2026-11-21", Day::Is(aban_30)),
            ("2026/11/21", Day::Is(aban_30)),
            ("۲۰۲۶-۱۱-۲۱", Day::Is(aban_30)),
        ],
    );
}

#[test]
fn month_names_every_way() {
    let t = today();
    check_past(
        "month names",
        t,
        &[
            ("۱ آذر", Day::Is(t)),
            ("۱ آذر ۱۴۰۵", Day::Is(t)),
            ("۱ آذرماه", Day::Is(t)),
            ("۱ آذر ماه", Day::Is(t)),
            ("۱ آذر\u{200C}ماه ۱۴۰۵", Day::Is(t)),
            ("۱آذر", Day::Is(t)),
            ("۱ اذر", Day::Is(t)),
            ("01 آذر", Day::Is(t)),
            ("۲۵ آبان", Day::Is(j(1405, 8, 25))),
            ("۲۵ آبان ۰۵", Day::Is(j(1405, 8, 25))),
            ("۲۵ آبان ۵", Day::Is(j(1405, 8, 25))),
            ("۲۵ آبان،", Day::Is(j(1405, 8, 25))),
            ("۲۵ آبان.", Day::Is(j(1405, 8, 25))),
            ("۲۵ آبان ماه ۱۴۰۵", Day::Is(j(1405, 8, 25))),
            ("۲۵/آبان/۱۴۰۵", Day::Is(j(1405, 8, 25))),
            ("۲۵-آبان-۱۴۰۵", Day::Is(j(1405, 8, 25))),
            ("٢٥ آبان", Day::Is(j(1405, 8, 25))),
            ("۲۵ مهر", Day::Is(j(1405, 7, 25))),
            ("۱ فروردین", Day::Is(j(1405, 1, 1))),
            ("۱۰ اردیبهشت", Day::Is(j(1405, 2, 10))),
            ("۱۰ ارديبهشت", Day::Is(j(1405, 2, 10))),
            ("۱۰ اردی بهشت", Day::Is(j(1405, 2, 10))),
            ("۱۰ اردی\u{200C}بهشت", Day::Is(j(1405, 2, 10))),
            ("۱۰ خرداد", Day::Is(j(1405, 3, 10))),
            ("۱۰ تیر", Day::Is(j(1405, 4, 10))),
            ("۱۴ مرداد", Day::Is(j(1405, 5, 14))),
            ("۱۴ امرداد", Day::Is(j(1405, 5, 14))),
            ("۳۱ شهریور", Day::Is(j(1405, 6, 31))),
            ("۱۰ دی ۱۴۰۴", Day::Is(j(1404, 10, 10))),
            ("۱۰ دی ماه ۱۴۰۴", Day::Is(j(1404, 10, 10))),
            ("۱۰ دیماه ۱۴۰۴", Day::Is(j(1404, 10, 10))),
            ("۱۰ دي ۱۴۰۴", Day::Is(j(1404, 10, 10))),
            ("۵ بهمن ۱۴۰۴", Day::Is(j(1404, 11, 5))),
            ("۲۹ اسفند ۱۴۰۴", Day::Is(j(1404, 12, 29))),
            ("۲۹ اسفند ۰۴", Day::Is(j(1404, 12, 29))),
        ],
    );
}

#[test]
fn words_and_weekdays() {
    let t = today();
    check_past(
        "words and weekdays",
        t,
        &[
            ("امروز", Day::Is(t)),
            (" امروز ", Day::Is(t)),
            ("امروز.", Day::Is(t)),
            ("دیروز", Day::Is(ymd(2026, 11, 21))),
            ("ديروز", Day::Is(ymd(2026, 11, 21))),
            ("دیروز\u{200C}", Day::Is(ymd(2026, 11, 21))),
            ("پریروز", Day::Is(ymd(2026, 11, 20))),
            ("پری روز", Day::Is(ymd(2026, 11, 20))),
            ("پری\u{200C}روز", Day::Is(ymd(2026, 11, 20))),
            ("شنبه", Day::Is(ymd(2026, 11, 21))),
            ("شنبه گذشته", Day::Is(ymd(2026, 11, 21))),
            ("شنبه پیش", Day::Is(ymd(2026, 11, 21))),
            ("شنبه\u{200C}ی پیش", Day::Is(ymd(2026, 11, 21))),
            ("شنبهٔ قبل", Day::Is(ymd(2026, 11, 21))),
            ("یکشنبه", Day::Is(t)),
            ("یک شنبه", Day::Is(t)),
            ("یک\u{200C}شنبه", Day::Is(t)),
            ("یکشنبه پیش", Day::Is(ymd(2026, 11, 15))),
            ("دوشنبه", Day::Is(ymd(2026, 11, 16))),
            ("۲ شنبه", Day::Is(ymd(2026, 11, 16))),
            ("سه\u{200C}شنبه", Day::Is(ymd(2026, 11, 17))),
            ("سه شنبه", Day::Is(ymd(2026, 11, 17))),
            ("۳شنبه", Day::Is(ymd(2026, 11, 17))),
            ("چهارشنبه", Day::Is(ymd(2026, 11, 18))),
            ("چارشنبه", Day::Is(ymd(2026, 11, 18))),
            ("پنجشنبه", Day::Is(ymd(2026, 11, 19))),
            ("پنج شنبه", Day::Is(ymd(2026, 11, 19))),
            ("پنشنبه", Day::Is(ymd(2026, 11, 19))),
            ("۵ شنبه", Day::Is(ymd(2026, 11, 19))),
            ("۵\u{200C}شنبه", Day::Is(ymd(2026, 11, 19))),
            ("جمعه", Day::Is(ymd(2026, 11, 20))),
            ("جمعه گذشته", Day::Is(ymd(2026, 11, 20))),
            ("شنبه ۳۰ آبان", Day::Is(j(1405, 8, 30))),
            ("شنبه، ۳۰ آبان", Day::Is(j(1405, 8, 30))),
            ("شنبه ۳۰ آبان ۱۴۰۵", Day::Is(j(1405, 8, 30))),
            ("شنبه ۱۴۰۵/۸/۳۰", Day::Is(j(1405, 8, 30))),
            ("یکشنبه ۱ آذر", Day::Is(t)),
        ],
    );
}

#[test]
fn past_days_refused_with_the_right_reason() {
    let t = today();
    check_past(
        "past refusals",
        t,
        &[
            ("۱۴۰۵/۹/۲", Day::Refuse(InFuture)),
            ("۲ آذر ۱۴۰۵", Day::Refuse(InFuture)),
            ("شنبه آینده", Day::Refuse(InFuture)),
            ("۱۴۰۵/۱۳/۱", Day::Refuse(NoSuchDay)),
            ("۱۴۰۵/۹/۳۱", Day::Refuse(NoSuchDay)),
            ("۱۴۰۵/۷/۳۱", Day::Refuse(NoSuchDay)),
            ("۱۴۰۴/۱۲/۳۰", Day::Refuse(NoSuchDay)),
            ("۳۱ مهر", Day::Refuse(NoSuchDay)),
            ("۳۰ اسفند ۱۴۰۴", Day::Refuse(NoSuchDay)),
            ("۱۴۰۳/۱/۱", Day::Refuse(TooOld)),
            ("۹۹/۱۲/۲۵", Day::Refuse(TooOld)),
            ("۱ آذر ۱۴۰۳", Day::Refuse(TooOld)),
            ("فردا", Day::Refuse(NotUnderstood)),
            ("سلام", Day::Refuse(NotUnderstood)),
            ("آذر", Day::Refuse(NotUnderstood)),
            ("جمعه ۱ آذر", Day::Refuse(NotUnderstood)),
            ("۲۵۰ هزار", Day::Refuse(NotUnderstood)),
            ("۲۵۰۰۰۰", Day::Refuse(NotUnderstood)),
            ("۱۵۰۰", Day::Refuse(NotUnderstood)),
            ("۰۹۱۲۳۴۵۶۷۸۹", Day::Refuse(NotUnderstood)),
            ("۱۲:۳۰", Day::Refuse(NotUnderstood)),
            ("😀", Day::Refuse(NotUnderstood)),
            ("", Day::RefuseAny),
            ("۲۵", Day::RefuseAny),
            ("۹", Day::RefuseAny),
            ("هفته پیش", Day::RefuseAny),
            ("ماه پیش", Day::RefuseAny),
            ("۸/۳۰/۱۴۰۵", Day::RefuseAny),
            ("22/11/2026", Day::RefuseAny),
            ("11/21/2026", Day::RefuseAny),
            ("۱ آذر و ۲ آذر", Day::RefuseAny),
            ("۱۴۰۵/۹/۱ ساعت ۱۰", Day::RefuseAny),
            ("۰/۰/۰", Day::RefuseAny),
            ("۱۴۰۵/۹", Day::RefuseAny),
            ("آذر ۱۴۰۵", Day::RefuseAny),
            ("۳۰ آبان ۲۰۲۶", Day::RefuseAny),
            ("۱۴۰۵/۹/۱/۱", Day::RefuseAny),
            // A dash is a separator like any other.
            ("-۱۴۰۵/۹/۱", Day::NotOther(t)),
        ],
    );
}

#[test]
fn coming_days_every_way() {
    let t = today();
    check_coming(
        "coming",
        t,
        &[
            ("امروز", Day::Is(t)),
            ("فردا", Day::Is(ymd(2026, 11, 23))),
            ("پس فردا", Day::Is(ymd(2026, 11, 24))),
            ("پس\u{200C}فردا", Day::Is(ymd(2026, 11, 24))),
            ("پسفردا", Day::Is(ymd(2026, 11, 24))),
            ("۱۵ آذر", Day::Is(j(1405, 9, 15))),
            ("۱ دی", Day::Is(j(1405, 10, 1))),
            ("۱ دی ماه", Day::Is(j(1405, 10, 1))),
            ("۱۴۰۵/۱۰/۱", Day::Is(j(1405, 10, 1))),
            ("۱۰/۱۵", Day::Is(j(1405, 10, 15))),
            ("۱/۱۰/۱۴۰۵", Day::Is(j(1405, 10, 1))),
            ("شنبه", Day::Is(ymd(2026, 11, 28))),
            ("شنبه آینده", Day::Is(ymd(2026, 11, 28))),
            ("شنبه بعد", Day::Is(ymd(2026, 11, 28))),
            ("شنبه\u{200C}ی آینده", Day::Is(ymd(2026, 11, 28))),
            ("یکشنبه آینده", Day::Is(ymd(2026, 11, 29))),
            ("۱۵ فروردین ۱۴۰۶", Day::Is(j(1406, 1, 15))),
            ("۱۵ فروردین ۰۶", Day::Is(j(1406, 1, 15))),
            ("۱۴۰۶/۱/۱۵", Day::Is(j(1406, 1, 15))),
            ("۰۶/۱/۱۵", Day::Is(j(1406, 1, 15))),
            ("۱۴۰۷/۱/۱", Day::Refuse(TooFarAhead)),
            ("دیروز", Day::Refuse(NotUnderstood)),
            ("۳۰ آبان ۱۴۰۵", Day::Refuse(TooOld)),
            ("۱۴۰۵/۸/۳۰", Day::Refuse(TooOld)),
            ("۳۱ آذر", Day::Refuse(NoSuchDay)),
            ("ماه بعد", Day::RefuseAny),
            ("۱۵ میلیون", Day::RefuseAny),
        ],
    );
}

#[test]
fn around_nowruz() {
    // 1405/01/03: the last days of Esfand 1404 are a few days back.
    let t = j(1405, 1, 3);
    check_past(
        "nowruz",
        t,
        &[
            ("دیروز", Day::Is(j(1405, 1, 2))),
            ("پریروز", Day::Is(j(1405, 1, 1))),
            ("۲۹ اسفند ۱۴۰۴", Day::Is(j(1404, 12, 29))),
            ("۱۴۰۴/۱۲/۲۹", Day::Is(j(1404, 12, 29))),
            ("۰۴/۱۲/۲۹", Day::Is(j(1404, 12, 29))),
            ("۲۹/۱۲/۱۴۰۴", Day::Is(j(1404, 12, 29))),
            ("۱ فروردین", Day::Is(j(1405, 1, 1))),
        ],
    );
}

// ─────────────────── fixed findings: days that used to be refused or guessed ───────────────────

/// Two numbers that can both be the month («۵/۸»: 8 Mordad, or 5 Aban as people who type
/// «۵/۸/۱۴۰۵» day first mean it) name two days in range, and are refused, as the three-number
/// form is; the question then shows the full form.
#[test]
fn two_numbers_that_read_both_ways_are_refused() {
    let t = today();
    let mismatches = [
        past(t, &[("۵/۸", Day::Refuse(NotUnderstood)), ("۳/۷", Day::Refuse(NotUnderstood))]),
        // 1 Dey, or 10 Farvardin 1406: both coming within the year.
        coming(t, &[("۱۰/۱", Day::Refuse(NotUnderstood))]),
    ]
    .concat();
    super::attack_support::report("two numbers both ways", mismatches, 3);
}

/// A right-to-left override makes the text show otherwise than it reads («۵۰۴۱/۸/۰۳»); a date
/// with direction controls is refused, as an amount is.
#[test]
fn a_direction_override_in_a_date_is_refused() {
    check_past("bidi override", today(), &[("\u{202E}۳۰/۸/۱۴۰۵\u{202C}", Day::RefuseAny)]);
}

/// Day first with a two-digit year («۲۵/۸/۰۵», as on receipts) is read day first: year first it
/// would be 1425/08/05, more than a year ahead, a day no one means.
#[test]
fn day_first_with_a_two_digit_year_is_read_when_year_first_is_years_ahead() {
    check_past(
        "day first, two-digit year",
        today(),
        &[
            ("۲۵/۸/۰۵", Day::Is(j(1405, 8, 25))),
            ("۱۰/۸/۰۵", Day::Is(j(1405, 8, 10))),
            ("۱۲/۸/۰۵", Day::Is(j(1405, 8, 12))),
            ("۳۰/۰۸/۰۵", Day::Is(j(1405, 8, 30))),
        ],
    );
}

/// A day and month without a year: for a past day, last year's when this year's is still to
/// come («۱۰ دی» in Azar, «۲۹ اسفند» in Farvardin); for a coming day, next year's when this
/// year's has gone («۱ فروردین» in Azar). Within a month of today, this year's day is kept and
/// refused by the range: «۲ آذر» typed for a sale on 1 Azar is a slip, not a sale of a year ago.
#[test]
fn a_day_without_a_year_is_last_or_next_years_when_this_years_is_on_the_wrong_side() {
    let t = today();
    let mismatches = [
        past(
            t,
            &[
                ("۱۰ دی", Day::Is(j(1404, 10, 10))),
                ("۲۹ اسفند", Day::Is(j(1404, 12, 29))),
                ("۲ آذر", Day::Refuse(InFuture)),
            ],
        ),
        past(j(1405, 1, 3), &[("۲۹ اسفند", Day::Is(j(1404, 12, 29))), ("۱۲/۲۹", Day::Is(j(1404, 12, 29)))]),
        coming(
            t,
            &[
                ("۱ فروردین", Day::Is(j(1406, 1, 1))),
                ("۱۵ فروردین", Day::Is(j(1406, 1, 15))),
                ("۳۰ آبان", Day::Refuse(TooOld)),
            ],
        ),
    ]
    .concat();
    super::attack_support::report("no year", mismatches, 8);
}

/// Days as ordinals or in words are read: «اول آذر», «یکم آذر», «سی‌ام آبان», «بیست و پنجم
/// آبان», «پنج آبان», «۲۵ام آبان».
#[test]
fn ordinal_and_word_days_are_read() {
    let t = today();
    let mismatches = [
        past(
            t,
            &[
                ("اول آذر", Day::Is(t)),
                ("یکم آذر", Day::Is(t)),
                ("سی\u{200C}ام آبان", Day::Is(j(1405, 8, 30))),
                ("سی ام آبان", Day::Is(j(1405, 8, 30))),
                ("بیست و پنجم آبان", Day::Is(j(1405, 8, 25))),
                ("پنج آبان", Day::Is(j(1405, 8, 5))),
                ("۲۵ام آبان", Day::Is(j(1405, 8, 25))),
            ],
        ),
        coming(
            t,
            &[
                ("اول دی", Day::Is(j(1405, 10, 1))),
                ("دهم دی", Day::Is(j(1405, 10, 10))),
                ("پانزدهم آذر", Day::Is(j(1405, 9, 15))),
            ],
        ),
    ]
    .concat();
    super::attack_support::report("ordinal days", mismatches, 10);
}

/// A count of days from today is read: «دو روز پیش», «۳ روز قبل», «سه روز دیگه».
#[test]
fn days_ago_and_days_ahead_are_read() {
    let t = today();
    let mismatches = [
        past(
            t,
            &[
                ("دو روز پیش", Day::Is(ymd(2026, 11, 20))),
                ("۲ روز پیش", Day::Is(ymd(2026, 11, 20))),
                ("۳ روز قبل", Day::Is(ymd(2026, 11, 19))),
            ],
        ),
        coming(t, &[("سه روز دیگه", Day::Is(ymd(2026, 11, 25)))]),
    ]
    .concat();
    super::attack_support::report("days ago", mismatches, 4);
}

/// Other spellings and orders are read: the month first («آبان ۲۵»), Finglish months
/// («30 aban»), «سشنبه», the spoken «یه شنبه», and punctuation at the end («دیروز!»).
#[test]
fn other_spellings_of_days_are_read() {
    let t = today();
    check_past(
        "other spellings",
        t,
        &[
            ("آبان ۲۵", Day::Is(j(1405, 8, 25))),
            ("30 aban", Day::Is(j(1405, 8, 30))),
            ("سشنبه", Day::Is(ymd(2026, 11, 17))),
            ("یه شنبه", Day::Is(t)),
            ("دیروز!", Day::Is(ymd(2026, 11, 21))),
        ],
    );
}
