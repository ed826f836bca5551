//! One-line reports typed at the main menu: «فروش ۲۵۰ هزار روسری», «مرجوعی ۵۰ هزار کیف».
//!
//! The amount is the run of number words that has a scale or stands alone; a count belongs to
//! the item: «فروش ۲۵۰ هزار ۲ تا روسری» is 250,000 toman for «۲ تا روسری», and
//! «فروش ۲ روسری ۲۵۰ هزار» 250,000 for «۲ روسری». When two runs could each be the amount, the
//! line is not guessed at: the report asks for the amount.

use super::report::ReportKind;
use crate::persian::amount::{
    AmountError, Expect, Reading, WordKind, ends_with_a_large_scale, is_unit_slip, number_in_words, read_amount,
    word_kind,
};
use crate::persian::digits::to_ascii_digits;
use crate::persian::text::{clean_free_text, has_hidden_direction};

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
const COUNT_WORDS: [&str; 25] = [
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
    "نفر",
];

/// Words after which a number names the thing, not its price: «سایز ۴۲», «مدل ۲۰».
const NAMING_WORDS: [&str; 5] = ["سایز", "سایزه", "شماره", "مدل", "سال"];

/// Words after «هر» that make it «each» («هر کدوم»), besides the count words («هر عدد»).
const EACH: [&str; 5] = ["کدوم", "کدام", "کدومش", "یکی", "دونش"];

/// Words about money: a number after them is no part of the item («تخفیف ۵۰»).
const MONEY_WORDS: [&str; 10] = ["تخفیف", "بیعانه", "پیش", "باقی", "مانده", "نقد", "قسط", "چک", "طلب", "بدهی"];

/// Words between two numbers that make a range: «۲ الی ۳ میلیون», «۲ یا ۳ میلیون».
const RANGE_WORDS: [&str; 3] = ["الی", "یا", "بین"];

/// A word compared as typed in any of its spellings: without half-spaces, «ئ» as «ی».
fn plain(word: &str) -> String {
    word.replace('\u{200C}', "").replace('ئ', "ی")
}

/// «هر کدوم», «هرکدوم», «هر‌کیلو»: each.
fn is_each(word: &str, next: Option<&str>) -> bool {
    let word = plain(word);
    let is_piece = |w: &str| EACH.contains(&w) || COUNT_WORDS.contains(&w);
    word == "هر" && next.is_some_and(|n| is_piece(&plain(n))) || word.strip_prefix("هر").is_some_and(is_piece)
}

/// A count word made a price for each: «کیلویی», «کیلوئی», «جفتی», «دونه‌ای», «تایی», «نفری»;
/// `next` is the word after, for «دونه ای» written apart.
fn is_per_unit_word(word: &str, next: Option<&str>) -> bool {
    let word = plain(word);
    let suffixed = COUNT_WORDS.iter().any(|count| ["ی", "یی", "ای"].iter().any(|s| word == format!("{count}{s}")));
    suffixed || COUNT_WORDS.contains(&word.as_str()) && next == Some("ای")
}

/// A scale or unit made an adjective, said of one thing among several: «۱۰ تا نون ۵ هزاری»,
/// «۱۰هزاری».
fn is_per_piece_amount(word: &str) -> bool {
    let letters = plain(word.trim_start_matches(|c: char| c.is_numeric()));
    ["هزاری", "تومنی", "تومانی", "میلیونی"].contains(&letters.as_str())
}

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
    // Cleaning drops direction controls: a line that shows otherwise than it reads is refused
    // before, as the amount question refuses it.
    if has_hidden_direction(line) {
        return Some(QuickReport { kind, amount: Err(QuickProblem::Amount(AmountError::HiddenDirection)), item: None });
    }
    let rest = apart_from_letters(rest);
    let words = with_digit_groups_joined(rest.split(' ').filter(|w| !w.is_empty()).collect());
    let report = |amount, item| Some(QuickReport { kind, amount, item });
    if words.is_empty() {
        return report(Err(QuickProblem::Amount(AmountError::Empty)), None);
    }
    if words.iter().any(|w| w == "منفی") {
        return report(Err(QuickProblem::Amount(AmountError::Negative)), None);
    }
    let kinds = kinds_in_line(&words);
    let is_count_word = |i: usize| words.get(i).is_some_and(|w| COUNT_WORDS.contains(&w.as_str()));
    let mut amounts = Vec::new();
    // Where a count was taken out of the numbers («۲ تا», «۲ روسری»).
    let mut counts: Vec<usize> = Vec::new();
    // Where the amount ends is unclear, or the line gives a range.
    let mut unclear = false;
    // Runs whose tail after میلیون may be a count instead («۲ میلیون ۲۰۰ ماسک»): where it starts.
    let mut tail_or_count: Vec<(usize, usize)> = Vec::new();
    let runs = number_runs(&words, &kinds);
    for (n, &run) in runs.iter().enumerate() {
        // The part of the run after its last scale: the amount's tail, or a count.
        let last_scale = (run.start..run.end).rev().find(|i| kinds[*i] == WordKind::Scale);
        let tail_start = last_scale.map_or(run.start, |i| i + 1);
        let and_before_tail = kinds.get(tail_start) == Some(&WordKind::And);
        let tail = Run { start: if and_before_tail { tail_start + 1 } else { tail_start }, end: run.end };
        let tail_value = (tail.end > tail.start).then(|| value_of(&words[tail.start..tail.end])).flatten();
        let small_tail =
            tail_value.is_some_and(|v| v < 100) || tail.end == tail.start + 1 && words[tail.start] == "نیم";
        let more_follows = run.end < words.len();
        let mut amount = run;
        if tail.end > tail.start && is_count_word(run.end) {
            // «۲ تا», «۲۵۰ هزار بیست و پنج تا»: the count is all of the tail.
            let next = runs.get(n + 1).filter(|next| next.start == run.end + 1);
            // «۵ تا ۶ میلیون», «۲۰۰ تا ۳۰۰ هزار»: a range, when the two numbers are alike;
            // «۲ تا ۳۰۰ هزار» is two pieces.
            if words[run.end] == "تا"
                && last_scale.is_none()
                && let (Some(low), Some(next)) = (tail_value, next)
                && let Some(high) = leading_value(&words, &kinds, *next)
            {
                unclear |= low < high && high < low.saturating_mul(10);
            }
            amount.end = tail_start;
            counts.push(tail_start);
        } else if last_scale.is_none() && more_follows && small_tail {
            // «۲ روسری ۲۵۰ هزار»: a small number before more words is a count.
            amount.end = run.start;
            counts.push(run.start);
        } else if last_scale.is_some()
            && tail.end > tail.start
            && !(tail.end == tail.start + 1 && words[tail.start] == "نیم")
        {
            // (A tail of «نیم» is half the scale: «یه میلیون و نیم مانتو».)
            let after_large_scale = last_scale.is_some_and(|i| ends_with_a_large_scale(&words[i]));
            let count_starts_the_item = more_follows && !and_before_tail && small_tail;
            if count_starts_the_item {
                // «۲۵۰ هزار ۲ روسری».
                amount.end = tail_start;
                counts.push(tail_start);
            }
            unclear |= match (more_follows, and_before_tail, small_tail) {
                // «۲ میلیون و ۳ کیف»: three bags, or 2,003,000?
                (true, true, true) => true,
                // «۵۰۰ هزار ۱۲۰ ماسک»: 120 masks, or 500,120? After میلیون, both readings
                // are offered below: «۱۲ میلیون ۵۰۰ فرش», «۲ میلیون ۲۰۰ ماسک».
                (true, false, false) => {
                    if after_large_scale {
                        tail_or_count.push((run.start, tail_start));
                    }
                    !after_large_scale
                }
                // «۲۵۰ هزار ۲» at the end: 250,002, or two pieces?
                (false, false, true) => true,
                _ => false,
            };
        }
        while amount.end > amount.start && kinds[amount.end - 1] == WordKind::And {
            amount.end -= 1;
        }
        if amount.end > amount.start {
            amounts.push(amount);
        }
    }
    // A small bare number after a word of the item, beside an amount with a scale, is part of
    // the item («کفش ۴۲»), unless the word is about money («تخفیف ۵۰»: asked).
    if amounts.iter().any(|r| has_scale(&kinds, *r)) {
        amounts.retain(|r| {
            let names_the_item = r.start > 0
                && kinds[r.start - 1] == WordKind::Other
                && !MONEY_WORDS.contains(&words[r.start - 1].as_str());
            has_scale(&kinds, *r) || !names_the_item || value_of(&words[r.start..r.end]).is_none_or(|v| v >= 100)
        });
    }
    let between_numbers =
        |i: usize| i > 0 && kinds[i - 1] == WordKind::Number && kinds.get(i + 1) == Some(&WordKind::Number);
    let range =
        words.iter().enumerate().any(|(i, w)| w == "بین" || RANGE_WORDS.contains(&w.as_str()) && between_numbers(i));
    let price_each = words.iter().enumerate().any(|(i, w)| {
        let next = words.get(i + 1).map(String::as_str);
        // «کیلویی ۴۰ هزار» is a price a kilo; «۱ کیلویی» a size.
        let after_number = i > 0 && kinds[i - 1] == WordKind::Number;
        is_each(w, next)
            || is_per_unit_word(w, next) && !after_number
            || counts.iter().any(|c| *c < i)
                && (is_per_piece_amount(w)
                    || w == "یکی"
                    || COUNT_WORDS.contains(&w.as_str()) && !after_number && !is_count_word(i + 1))
    });
    let amount_run = match amounts.as_slice() {
        [_, ..] if price_each => return report(Err(QuickProblem::PriceEach), None),
        [one] if !unclear && !range => *one,
        [] if !unclear && !range => {
            return report(Err(QuickProblem::Amount(AmountError::NotUnderstood)), Some(words.join(" ")));
        }
        _ => return report(Err(QuickProblem::WhichIsTheAmount), None),
    };
    let read = |end: usize| read_amount(&words[amount_run.start..end].join(" "), expect).map_err(QuickProblem::Amount);
    let mut amount = read(amount_run.end);
    // «۲ میلیون ۲۰۰ ماسک»: 2,200,000, or 2,000,000 for 200 masks? Both are offered (the item
    // is kept without the number either way).
    if let Some((_, tail_start)) = tail_or_count.iter().find(|(start, _)| *start == amount_run.start)
        && let (Ok(Reading::Sure(with_tail)), Ok(Reading::Sure(without))) = (&amount, read(*tail_start))
    {
        amount = Ok(Reading::Either(vec![without.min(*with_tail), without.max(*with_tail)]));
    }
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
    let item = without_stray_brackets(&rest.join(" "));
    report(amount, Some(item).filter(|s| !s.is_empty()))
}

/// What each word of the line is, in its place: a unit with a slip counts right after a
/// number («۳۰۰ هزر»); a number after «سایز» or a count word's «و نیم» («۲ کیلو و نیم») names
/// the thing; digits joined to a count word («۲تا») are a count.
fn kinds_in_line(words: &[String]) -> Vec<WordKind> {
    let mut kinds: Vec<WordKind> = words.iter().map(|w| word_kind(w)).collect();
    for i in 0..words.len() {
        let before = |back: usize| i.checked_sub(back).map(|j| words[j].as_str());
        if is_joined_count(&words[i]) || before(1).is_some_and(|b| NAMING_WORDS.contains(&b)) {
            kinds[i] = WordKind::Other;
        } else if words[i] == "م" && kinds.get(i + 1) == Some(&WordKind::Number) {
            // «پارچه ۳ م ۱۵۰ هزار»: three metres; a million would not be followed by a number.
            kinds[i] = WordKind::Other;
        } else if kinds[i] == WordKind::Other && i > 0 && kinds[i - 1] == WordKind::Number && is_unit_slip(&words[i]) {
            kinds[i] = WordKind::Scale;
        } else if words[i] == "نیم" && before(1) == Some("و") && before(2).is_some_and(|b| COUNT_WORDS.contains(&b))
        {
            kinds[i] = WordKind::Other;
            kinds[i - 1] = WordKind::Other;
        }
    }
    kinds
}

fn has_scale(kinds: &[WordKind], run: Run) -> bool {
    kinds[run.start..run.end].contains(&WordKind::Scale)
}

/// The value of number words or digits with nothing else («۲», «بیست و پنج»), if that is what
/// they are.
fn value_of(words: &[String]) -> Option<u64> {
    let text = words.join(" ");
    let digits = to_ascii_digits(&text);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return digits.parse().ok();
    }
    number_in_words(&text)
}

/// The value of the numbers a run starts with, before any scale: «۶» of «۶ میلیون».
fn leading_value(words: &[String], kinds: &[WordKind], run: Run) -> Option<u64> {
    let end = (run.start..run.end).find(|i| kinds[*i] == WordKind::Scale).unwrap_or(run.end);
    (end > run.start).then(|| value_of(&words[run.start..end])).flatten()
}

/// Letters and digits typed joined («روسری۲۵۰ هزار») and punctuation between words
/// («هزار،روسری»), set apart; digits and their separators are left as they are.
fn apart_from_letters(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let is_letter = |c: Option<&char>| c.is_some_and(|c| c.is_alphabetic() && !c.is_ascii());
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let (before, after) = (i.checked_sub(1).and_then(|j| chars.get(j)), chars.get(i + 1));
        if matches!(c, '،' | ',' | ':' | '؛' | '(' | ')') && (is_letter(before) || is_letter(after)) {
            out.push(' ');
            continue;
        }
        if c.is_numeric() && is_letter(before) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// The item without the brackets the amount was cut out of («(۲ تا روسری» of
/// «۲۵۰ هزار تومن (۲ تا روسری)»): brackets that no longer pair are dropped.
fn without_stray_brackets(item: &str) -> String {
    if item.matches('(').count() == item.matches(')').count() {
        return item.to_string();
    }
    item.replace(['(', ')'], "").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The runs of number words, scales and «و» between them. Two numbers side by side, with no
/// scale or «و» between, are two things, unless they are words that make one number together
/// («هفت صد», «بیست پنج»).
fn number_runs(words: &[String], kinds: &[WordKind]) -> Vec<Run> {
    let in_number = |i: usize| matches!(kinds.get(i), Some(WordKind::Number | WordKind::Scale));
    let one_number = |i: usize| number_in_words(&format!("{} {}", words[i - 1], words[i])).is_some();
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
            if kinds.get(i) == Some(&WordKind::Number) && kinds[i - 1] == WordKind::Number && !one_number(i) {
                break;
            }
        }
        runs.push(Run { start, end: i });
    }
    runs
}

/// Digits grouped by spaces as the amount reader groups them: groups of three ending in «۰۰۰»
/// («۲ ۵۰۰ ۰۰۰ فرش», «۲۵۰ ۰۰۰») are one number.
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
        if end - i < 2 || to_ascii_digits(words[end - 1]) != "000" {
            end = i + 1;
        }
        out.push(words[i..end].join(" "));
        i = end;
    }
    out
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
        assert_eq!(parse("فروش یه میلیون و نیم مانتو"), report(ReportKind::Sale, 1_500_000, Some("مانتو")));
        assert_eq!(parse("فروش ۲۵۰ هزار تومن (۲ تا روسری)"), report(ReportKind::Sale, 250_000, Some("۲ تا روسری")));
        assert_eq!(parse("فروش فرش ۱۲ میلیون ۵۰۰"), report(ReportKind::Sale, 12_500_000, Some("فرش")));
        // Before the item, the hundreds after میلیون may be a count: both readings are offered.
        assert_eq!(parse("فروش ۱۲ میلیون ۵۰۰ فرش").unwrap().amount, Ok(Reading::Either(vec![12_000_000, 12_500_000])));
        assert_eq!(parse("فروش ۵۰۰ هزار ۱۲۰ ماسک").unwrap().amount, Err(QuickProblem::WhichIsTheAmount));
        assert_eq!(parse("فروش: .۵ میلیون شال"), report(ReportKind::Sale, 500_000, Some("شال")));
        assert_eq!(parse("فروش،۲۵۰ هزار"), report(ReportKind::Sale, 250_000, None));
        // The «و» that joined the count to the amount is in neither.
        assert_eq!(parse("فروش ۲۵۰ هزار و ۳ تا کیف"), report(ReportKind::Sale, 250_000, Some("۳ تا کیف")));
    }

    #[test]
    fn hidden_direction_controls_are_refused_as_in_the_question() {
        for line in ["فروش \u{202E}۰۵۲\u{202C} هزار روسری", "فروش ۲\u{200F}۵۰ هزار"] {
            assert_eq!(
                parse(line).unwrap().amount,
                Err(QuickProblem::Amount(AmountError::HiddenDirection)),
                "{line:?}"
            );
        }
        // A direction mark at the end of a line changes nothing.
        assert_eq!(parse("فروش ۲۵۰ هزار روسری\u{200F}"), report(ReportKind::Sale, 250_000, Some("روسری")));
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
