//! One-line reports typed at the main menu: «فروش ۲۵۰ هزار روسری», «مرجوعی ۵۰ هزار کیف».
//!
//! The amount is the run of number words that has a scale or stands alone; a count belongs to
//! the item: «فروش ۲۵۰ هزار ۲ تا روسری» is 250,000 toman for «۲ تا روسری», and
//! «فروش ۲ روسری ۲۵۰ هزار» 250,000 for «۲ روسری». When two runs could each be the amount, the
//! line is not guessed at: the report asks for the amount.

use super::report::ReportKind;
use crate::persian::amount::{AmountError, Expect, Reading, WordKind, ends_with_a_large_scale, read_amount, word_kind};
use crate::persian::digits::to_ascii_digits;
use crate::persian::text::clean_free_text;
use crate::persian::words::{NumberWord, number_word};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickReport {
    pub kind: ReportKind,
    /// The amount as read, or why it could not be read (the line started with a report word,
    /// so it was meant as a report).
    pub amount: Result<Reading, QuickProblem>,
    /// Everything else on the line, in order (the item, with any count), if anything.
    pub item: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuickProblem {
    Amount(AmountError),
    /// More than one part of the line could be the amount, or where the amount ends is unclear
    /// («۲ میلیون ۵۰۰ فرش»), or it is a range («بین ۲۰۰ تا ۳۰۰ هزار»).
    WhichIsTheAmount,
    /// The line gives a price for each («هر کدوم ۱۰ هزار», «کیلویی ۴۰ هزار»), not the total.
    PriceEach,
}

/// The report words a line can start with, and what each reports (longer words first, so
/// that «فروختم» is not «فروش» misread).
const REPORT_WORDS: [(&str, ReportKind); 6] = [
    ("فروختم", ReportKind::Sale),
    ("فروش", ReportKind::Sale),
    ("مرجوعی", ReportKind::Return),
    ("مرجوع", ReportKind::Return),
    ("برگشتی", ReportKind::Return),
    ("برگشت", ReportKind::Return),
];

/// Punctuation people put after the report word: «فروش، …», «فروش: …».
const AFTER_REPORT_WORD: [char; 6] = [':', '،', ',', '؛', '-', '.'];

/// The kind of report a line starts with, and the rest of the line: the report word may be
/// followed by a space, punctuation, or straight by digits («فروش۲۵۰ هزار»).
fn split_report_word(line: &str) -> Option<(ReportKind, &str)> {
    REPORT_WORDS.iter().find_map(|(word, kind)| {
        let rest = line.strip_prefix(word)?;
        let separated =
            rest.chars().next().is_none_or(|c| c == ' ' || c.is_numeric() || AFTER_REPORT_WORD.contains(&c));
        separated.then(|| (*kind, without_leading_punctuation(rest)))
    })
}

/// The rest of the line after the report word's spaces and punctuation; a minus or a dot
/// straight before a digit stays («فروش -۵۰ هزار» is refused as negative, «فروش .۵ میلیون» is
/// half a million).
fn without_leading_punctuation(rest: &str) -> &str {
    let mut rest = rest;
    while let Some(c) = rest.chars().next() {
        let part_of_a_number = matches!(c, '-' | '.') && rest[1..].chars().next().is_some_and(char::is_numeric);
        if part_of_a_number || c != ' ' && !AFTER_REPORT_WORD.contains(&c) {
            break;
        }
        rest = &rest[c.len_utf8()..];
    }
    rest
}

/// Whether a line is meant as a one-line report (it starts with a report word).
pub fn starts_as_report(line: &str) -> bool {
    split_report_word(&clean_free_text(line).replace(['ي', 'ى'], "ی")).is_some()
}

/// Words that make the number before them a count: «۲ تا», «۳ عدد», «دو جفت».
const COUNT_WORDS: [&str; 24] = [
    "تا",
    "عدد",
    "دونه",
    "دانه",
    "جفت",
    "بسته",
    "کیلو",
    "کیلوگرم",
    "گرم",
    "متر",
    "سانت",
    "قواره",
    "جین",
    "کارتن",
    "شاخه",
    "جلد",
    "دست",
    "تخته",
    "بطری",
    "شیشه",
    "ظرف",
    "کیسه",
    "لیتر",
    "تیکه",
];

/// Words after «هر» that make it «each» («هر کدوم»), besides the count words («هر عدد»).
const EACH: [&str; 5] = ["کدوم", "کدام", "کدومش", "یکی", "دونش"];

/// A count word made a price for each: «کیلویی», «جفتی», «دونه‌ای», «تایی».
fn is_per_unit_word(word: &str) -> bool {
    let word = word.replace('\u{200C}', "");
    COUNT_WORDS.iter().any(|count| [format!("{count}ی"), format!("{count}یی"), format!("{count}ای")].contains(&word))
}

/// A scale or unit made an adjective, said of one thing among several: «۱۰ تا نون ۵ هزاری».
const PER_PIECE_AMOUNT_WORDS: [&str; 4] = ["هزاری", "تومنی", "تومانی", "میلیونی"];

/// A word with digits joined to a count word («۲تا»): a count, whole.
fn is_joined_count(word: &str) -> bool {
    let letters = word.trim_start_matches(|c: char| c.is_numeric());
    letters.len() < word.len() && COUNT_WORDS.contains(&letters)
}

/// A run of words that could make an amount, by position in the line.
#[derive(Debug, Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
}

/// Reads a one-line report; None when the line does not start with a report word.
pub fn parse_quick_report(line: &str, expect: &Expect) -> Option<QuickReport> {
    let text = clean_free_text(line).replace(['ي', 'ى'], "ی");
    let (kind, rest) = split_report_word(&text)?;
    let words = with_digit_groups_joined(rest.split(' ').filter(|w| !w.is_empty()).collect());
    let report = |amount, item| Some(QuickReport { kind, amount, item });
    if words.is_empty() {
        return report(Err(QuickProblem::Amount(AmountError::Empty)), None);
    }
    if words.iter().any(|w| w == "منفی") {
        return report(Err(QuickProblem::Amount(AmountError::Negative)), None);
    }
    let kinds: Vec<WordKind> =
        words.iter().map(|w| if is_joined_count(w) { WordKind::Other } else { word_kind(w) }).collect();
    let is_count_word = |i: usize| words.get(i).is_some_and(|w| COUNT_WORDS.contains(&w.as_str()));
    let mut amounts = Vec::new();
    // A count was taken out of the numbers («۲ تا», «۲ روسری»).
    let mut counted = false;
    // Where the amount ends is unclear.
    let mut unclear = false;
    for mut run in number_runs(&kinds) {
        let last = run.end - 1;
        let more_follows = run.end < words.len();
        let before_last = |back: usize| last.checked_sub(back).filter(|i| *i >= run.start).map(|i| kinds[i]);
        let tail = kinds[last] == WordKind::Number && !is_count_word(run.end);
        let tail_after_scale = tail && before_last(1) == Some(WordKind::Scale);
        let tail_after_and = tail && before_last(1) == Some(WordKind::And) && before_last(2) == Some(WordKind::Scale);
        let bare = !kinds[run.start..run.end].contains(&WordKind::Scale);
        if is_count_word(run.end) {
            // «۲۰۰ تا ۳۰۰ هزار» is a range, unless the count is small («۲ تا ۳۰۰ هزار»).
            let range = words[run.end] == "تا"
                && !is_small_count(&words[last])
                && matches!(kinds.get(run.end + 1), Some(WordKind::Number | WordKind::Scale));
            unclear |= range;
            run.end -= 1;
            counted = true;
        } else if more_follows && (bare && run.end - run.start == 1 || tail_after_scale) {
            // «۲ روسری ۲۵۰ هزار», «۲۵۰ هزار ۲ روسری»: a small number before more words is a
            // count. A larger one after میلیون is the amount's tail («۱۲ میلیون ۵۰۰ فرش»); after
            // هزار it could be a count as well («۵۰۰ هزار ۱۲۰ ماسک»): asked.
            if is_small_count(&words[last]) {
                run.end -= 1;
                counted = true;
            } else if tail_after_scale && !ends_with_a_large_scale(&words[last - 1]) {
                unclear = true;
            }
        } else if more_follows && tail_after_and && is_small_count(&words[last]) {
            // «۲ میلیون و ۳ کیف»: three bags, or 2,003,000?
            unclear = true;
        }
        while run.end > run.start && kinds[run.end - 1] == WordKind::And {
            run.end -= 1;
        }
        if run.end > run.start {
            amounts.push(run);
        }
    }
    let per_unit = words.iter().enumerate().any(|(i, w)| {
        // «هر کدوم», «هر عدد»: each («هر روز» is not). «کیلویی ۴۰ هزار» is a price a kilo;
        // «۱ کیلویی» a size.
        let each = w == "هر"
            && words
                .get(i + 1)
                .is_some_and(|next| EACH.contains(&next.as_str()) || COUNT_WORDS.contains(&next.as_str()));
        each || is_per_unit_word(w) && (i == 0 || kinds[i - 1] != WordKind::Number)
    });
    let per_piece = counted && words.iter().any(|w| PER_PIECE_AMOUNT_WORDS.contains(&w.as_str()));
    let range = words.iter().any(|w| w == "بین");
    let amount_run = match amounts.as_slice() {
        [_, ..] if per_unit || per_piece => return report(Err(QuickProblem::PriceEach), None),
        [one] if !unclear && !range => *one,
        [] if !unclear => {
            return report(Err(QuickProblem::Amount(AmountError::NotUnderstood)), Some(words.join(" ")));
        }
        _ => return report(Err(QuickProblem::WhichIsTheAmount), None),
    };
    let amount = read_amount(&words[amount_run.start..amount_run.end].join(" "), expect).map_err(QuickProblem::Amount);
    // The item is the rest, without a «و» that joined it to the amount («… هزار و ۳ تا کیف»).
    let mut item_start = amount_run.end;
    while words.get(item_start).is_some_and(|w| w == "و") && item_start + 1 < words.len() {
        item_start += 1;
    }
    let rest: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, _)| *i < amount_run.start || *i >= item_start)
        .map(|(_, w)| w.as_str())
        .collect();
    let item = Some(rest.join(" ")).filter(|s| !s.is_empty());
    report(amount, item)
}

/// The runs of number words, scales and «و» between them. Two numbers side by side, with no
/// scale or «و» between, are two things.
fn number_runs(kinds: &[WordKind]) -> Vec<Run> {
    let in_number = |i: usize| matches!(kinds.get(i), Some(WordKind::Number | WordKind::Scale));
    let mut runs = Vec::new();
    let mut i = 0;
    while i < kinds.len() {
        if !in_number(i) {
            i += 1;
            continue;
        }
        let start = i;
        while in_number(i) || kinds.get(i) == Some(&WordKind::And) && in_number(i + 1) {
            i += 1;
            if kinds.get(i) == Some(&WordKind::Number) && kinds[i - 1] == WordKind::Number {
                break;
            }
        }
        runs.push(Run { start, end: i });
    }
    runs
}

/// Digits grouped by spaces as the amount reader groups them: three groups or more
/// («۲ ۵۰۰ ۰۰۰ فرش»), or a last group of «۰۰۰» («۲۵۰ ۰۰۰»), are one number.
fn with_digit_groups_joined(words: Vec<&str>) -> Vec<String> {
    let is_digits = |w: &str| to_ascii_digits(w).chars().all(|c| c.is_ascii_digit());
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut end = i + 1;
        if is_digits(words[i]) && words[i].chars().count() <= 3 {
            while end < words.len() && is_digits(words[end]) && words[end].chars().count() == 3 {
                end += 1;
            }
        }
        let groups = end - i;
        if !(groups >= 3 || groups == 2 && to_ascii_digits(words[i + 1]) == "000") {
            end = i + 1;
        }
        out.push(words[i..end].join(" "));
        i = end;
    }
    out
}

/// A number small enough to be a count of things: digits alone under a hundred, or a number
/// word under a hundred («دو», «یه»).
fn is_small_count(word: &str) -> bool {
    let digits = to_ascii_digits(word);
    if digits.chars().all(|c| c.is_ascii_digit()) {
        return digits.parse::<u32>().is_ok_and(|n| n < 100);
    }
    matches!(number_word(word), Some(NumberWord::Small(n)) if n < 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPECT: Expect = Expect { max: 1_000_000_000, usual: None, range: None };

    fn report(kind: ReportKind, amount: i64, item: Option<&str>) -> Option<QuickReport> {
        Some(QuickReport { kind, amount: Ok(Reading::Sure(amount)), item: item.map(str::to_string) })
    }

    fn parse(line: &str) -> Option<QuickReport> {
        parse_quick_report(line, &EXPECT)
    }

    #[test]
    fn reads_one_line_reports() {
        assert_eq!(parse("فروش ۲۵۰ هزار روسری"), report(ReportKind::Sale, 250_000, Some("روسری")));
        assert_eq!(
            parse("فروش روسری ابریشمی ۲ میلیون و ۵۰۰ هزار تومان"),
            report(ReportKind::Sale, 2_500_000, Some("روسری ابریشمی"))
        );
        assert_eq!(parse("مرجوعی ۵۰ هزار کیف"), report(ReportKind::Return, 50_000, Some("کیف")));
        assert_eq!(parse("فروش 120000"), report(ReportKind::Sale, 120_000, None));
        assert_eq!(parse("فروش نان و پنیر ۸۰ هزار"), report(ReportKind::Sale, 80_000, Some("نان و پنیر")));
    }

    #[test]
    fn a_count_goes_with_the_item() {
        assert_eq!(parse("فروش ۲۵۰ هزار ۲ تا روسری"), report(ReportKind::Sale, 250_000, Some("۲ تا روسری")));
        assert_eq!(parse("فروش ۵۰ هزار ۳ عدد نان"), report(ReportKind::Sale, 50_000, Some("۳ عدد نان")));
        assert_eq!(parse("فروش ۲ روسری ۲۵۰ هزار"), report(ReportKind::Sale, 250_000, Some("۲ روسری")));
        assert_eq!(parse("فروش دو جفت جوراب ۱۲۰ هزار"), report(ReportKind::Sale, 120_000, Some("دو جفت جوراب")));
        assert_eq!(parse("فروش ۳ تا کیف ۱ میلیون"), report(ReportKind::Sale, 1_000_000, Some("۳ تا کیف")));
        assert_eq!(parse("فروش ۲۵۰ هزار ۲ روسری"), report(ReportKind::Sale, 250_000, Some("۲ روسری")));
        assert_eq!(parse("فروش ۱۲ میلیون ۵۰۰ فرش"), report(ReportKind::Sale, 12_500_000, Some("فرش")));
        assert_eq!(parse("فروش ۵۰۰ هزار ۱۲۰ ماسک").unwrap().amount, Err(QuickProblem::WhichIsTheAmount));
        assert_eq!(parse("فروش: .۵ میلیون شال"), report(ReportKind::Sale, 500_000, Some("شال")));
        assert_eq!(parse("فروش،۲۵۰ هزار"), report(ReportKind::Sale, 250_000, None));
        // The «و» that joined the count to the amount is in neither.
        assert_eq!(parse("فروش ۲۵۰ هزار و ۳ تا کیف"), report(ReportKind::Sale, 250_000, Some("۳ تا کیف")));
    }

    #[test]
    fn a_price_each_asks_for_the_total() {
        for line in ["فروش ۳ تا نان هر کدوم ۱۰ هزار", "فروش ۵ کیلو سیب کیلویی ۴۰ هزار", "فروش ۱۰ تا نون ۵ هزاری"]
        {
            assert_eq!(parse(line).unwrap().amount, Err(QuickProblem::PriceEach), "{line}");
        }
        // «هر روز» is no price each; «۱ کیلویی» is a size, not a price a kilo.
        assert_eq!(parse("فروش هر روز ۵۰ هزار"), report(ReportKind::Sale, 50_000, Some("هر روز")));
        assert_eq!(parse("فروش کیک ۱ کیلویی ۴۵۰ هزار"), report(ReportKind::Sale, 450_000, Some("کیک ۱ کیلویی")));
    }

    #[test]
    fn an_unclear_split_is_asked_not_guessed() {
        // «۴۰ ۲۵۰ هزار» is two numbers; the small bare one stays with the item.
        assert_eq!(parse("فروش روسری سایز ۴۰ ۲۵۰ هزار"), report(ReportKind::Sale, 250_000, Some("روسری سایز ۴۰")));
        let two_amounts = parse("فروش ۲۵۰ هزار روسری ۳۰۰ هزار").unwrap();
        assert_eq!(two_amounts.amount, Err(QuickProblem::WhichIsTheAmount));
        // An ambiguous amount is asked about, its readings kept.
        let either = parse("فروش ۲۵۰ تومن روسری").unwrap();
        assert_eq!(either.amount, Ok(Reading::Either(vec![250, 250_000])));
        assert_eq!(either.item.as_deref(), Some("روسری"));
    }

    #[test]
    fn other_lines_are_not_reports() {
        assert_eq!(parse("سلام"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("۲۵۰ هزار"), None);
    }

    #[test]
    fn unreadable_amounts_are_reported_as_such() {
        let amount = |line: &str| parse(line).unwrap().amount;
        assert_eq!(amount("فروش"), Err(QuickProblem::Amount(AmountError::Empty)));
        assert_eq!(amount("فروش زیاد روسری"), Err(QuickProblem::Amount(AmountError::NotUnderstood)));
        assert_eq!(amount("فروش نان 0"), Err(QuickProblem::Amount(AmountError::Zero)));
        assert_eq!(
            amount("فروش ۲۵ روسری"),
            Err(QuickProblem::Amount(AmountError::NotUnderstood)),
            "a count, no amount"
        );
    }
}
