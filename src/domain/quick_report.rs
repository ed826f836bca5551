//! One-line reports typed at the main menu: «فروش ۲۵۰ هزار روسری», «مرجوعی ۵۰ هزار کیف».
//!
//! The amount is the run of number words that has a scale or stands alone; a count belongs to
//! the item: «فروش ۲۵۰ هزار ۲ تا روسری» is 250,000 toman for «۲ تا روسری», and
//! «فروش ۲ روسری ۲۵۰ هزار» 250,000 for «۲ روسری». When two runs could each be the amount, the
//! line is not guessed at: the report asks for the amount.

use super::report::ReportKind;
use crate::persian::amount::{AmountError, Expect, Reading, WordKind, read_amount, word_kind};
use crate::persian::text::clean_free_text;

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
    /// More than one part of the line could be the amount.
    WhichIsTheAmount,
}

/// Whether a line starting with this word is meant as a one-line report.
pub fn is_report_word(word: &str) -> bool {
    kind_of(word).is_some()
}

fn kind_of(word: &str) -> Option<ReportKind> {
    match word {
        "فروش" | "فروختم" | "فروش:" => Some(ReportKind::Sale),
        "مرجوعی" | "مرجوع" | "برگشتی" | "برگشت" => Some(ReportKind::Return),
        _ => None,
    }
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

/// A run of words that could make an amount, by position in the line.
#[derive(Debug, Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
}

/// Reads a one-line report; None when the line does not start with a report word.
pub fn parse_quick_report(line: &str, expect: &Expect) -> Option<QuickReport> {
    let text = clean_free_text(line).replace(['ي', 'ى'], "ی");
    let mut words = text.split(' ');
    let kind = kind_of(words.next()?)?;
    let words: Vec<&str> = words.collect();
    if words.is_empty() {
        return Some(QuickReport { kind, amount: Err(QuickProblem::Amount(AmountError::Empty)), item: None });
    }
    let kinds: Vec<WordKind> = words.iter().map(|w| word_kind(w)).collect();
    let is_count = |i: usize| words.get(i).is_some_and(|w| COUNT_WORDS.contains(w));
    // Runs of number words, scales and «و» between them.
    let mut runs = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if matches!(kinds[i], WordKind::Number | WordKind::Scale) {
            let start = i;
            while i < words.len()
                && (matches!(kinds[i], WordKind::Number | WordKind::Scale)
                    || kinds[i] == WordKind::And
                        && matches!(kinds.get(i + 1), Some(WordKind::Number | WordKind::Scale)))
            {
                i += 1;
                // Two numbers side by side, with no scale or «و» between, are two things.
                if i < words.len() && kinds[i] == WordKind::Number && kinds[i - 1] == WordKind::Number {
                    break;
                }
            }
            runs.push(Run { start, end: i });
        } else {
            i += 1;
        }
    }
    // A count is the last number of a run followed by a count word («۲ تا»), or a bare number
    // under a hundred with more after it («۲ روسری», «سایز ۴۰ ۲۵۰ هزار»): it goes with the item.
    let mut amounts = Vec::new();
    for run in runs {
        let mut run = run;
        let bare = !kinds[run.start..run.end].contains(&WordKind::Scale);
        if is_count(run.end)
            || bare && run.end < words.len() && run.end - run.start == 1 && is_small_count(words[run.start])
        {
            run.end -= 1;
            while run.end > run.start && kinds[run.end - 1] == WordKind::And {
                run.end -= 1;
            }
        }
        if run.end > run.start {
            amounts.push(run);
        }
    }
    let amount_run = match amounts.as_slice() {
        [one] => *one,
        [] => {
            let amount = Err(QuickProblem::Amount(AmountError::NotUnderstood));
            return Some(QuickReport { kind, amount, item: Some(words.join(" ")) });
        }
        _ => {
            let amount = Err(QuickProblem::WhichIsTheAmount);
            return Some(QuickReport { kind, amount, item: None });
        }
    };
    let amount = read_amount(&words[amount_run.start..amount_run.end].join(" "), expect).map_err(QuickProblem::Amount);
    let rest: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, _)| !(amount_run.start..amount_run.end).contains(i))
        .map(|(_, w)| *w)
        .collect();
    let item = Some(rest.join(" ")).filter(|s| !s.is_empty());
    Some(QuickReport { kind, amount, item })
}

/// A number small enough to be a count of things (digits under a hundred, or a number word).
fn is_small_count(word: &str) -> bool {
    let digits = crate::persian::digits::to_ascii_digits(word);
    digits.parse::<u32>().map_or(word_kind(word) == WordKind::Number, |n| n < 100)
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
