//! One-line reports typed at the main menu: «فروش ۲۵۰ هزار روسری», «مرجوعی ۵۰ هزار کیف».

use super::report::ReportKind;
use crate::persian::amount::{AmountError, parse_amount};
use crate::persian::text::clean_free_text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickReport {
    pub kind: ReportKind,
    /// The amount as read, or why it could not be read (the line started with a report
    /// word, so it was meant as a report).
    pub amount: Result<i64, AmountError>,
    pub item: Option<String>,
}

fn kind_of(word: &str) -> Option<ReportKind> {
    match word {
        "فروش" | "فروختم" | "فروش:" => Some(ReportKind::Sale),
        "مرجوعی" | "مرجوع" | "برگشتی" | "برگشت" => Some(ReportKind::Return),
        _ => None,
    }
}

/// Reads a one-line report; None when the line does not start with a report word.
/// The amount is the longest run of words after the keyword that reads as an amount;
/// what follows is the item. «فروش روسری ۲۵۰ هزار» (item first) is understood too.
pub fn parse_quick_report(line: &str) -> Option<QuickReport> {
    let text = clean_free_text(line).replace(['ي', 'ى'], "ی");
    let mut words = text.split(' ');
    let kind = kind_of(words.next()?)?;
    let rest: Vec<&str> = words.collect();
    if rest.is_empty() {
        return Some(QuickReport { kind, amount: Err(AmountError::Empty), item: None });
    }
    let item_of = |words: &[&str]| Some(words.join(" ")).filter(|s| !s.is_empty());
    for split in (1..=rest.len()).rev() {
        if let Ok(amount) = parse_amount(&rest[..split].join(" ")) {
            return Some(QuickReport { kind, amount: Ok(amount), item: item_of(&rest[split..]) });
        }
    }
    for split in 1..rest.len() {
        if let Ok(amount) = parse_amount(&rest[split..].join(" ")) {
            return Some(QuickReport { kind, amount: Ok(amount), item: item_of(&rest[..split]) });
        }
    }
    // Meant as a report but the amount is unreadable: say why, using the first word's problem.
    let amount = match parse_amount(rest[0]) {
        Err(e) => Err(e),
        Ok(_) => Err(AmountError::NotUnderstood),
    };
    Some(QuickReport { kind, amount, item: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_line_reports() {
        assert_eq!(
            parse_quick_report("فروش ۲۵۰ هزار روسری"),
            Some(QuickReport { kind: ReportKind::Sale, amount: Ok(250_000), item: Some("روسری".into()) })
        );
        assert_eq!(
            parse_quick_report("فروش روسری ابریشمی ۲ میلیون و ۵۰۰ هزار تومان"),
            Some(QuickReport {
                kind: ReportKind::Sale, amount: Ok(2_500_000), item: Some("روسری ابریشمی".into())
            })
        );
        assert_eq!(
            parse_quick_report("مرجوعی ۵۰ هزار کیف"),
            Some(QuickReport { kind: ReportKind::Return, amount: Ok(50_000), item: Some("کیف".into()) })
        );
        assert_eq!(
            parse_quick_report("فروش 120000"),
            Some(QuickReport { kind: ReportKind::Sale, amount: Ok(120_000), item: None })
        );
    }

    #[test]
    fn other_lines_are_not_reports() {
        assert_eq!(parse_quick_report("سلام"), None);
        assert_eq!(parse_quick_report(""), None);
        assert_eq!(parse_quick_report("۲۵۰ هزار"), None);
    }

    #[test]
    fn unreadable_amounts_are_reported_as_such() {
        assert_eq!(
            parse_quick_report("فروش"),
            Some(QuickReport { kind: ReportKind::Sale, amount: Err(AmountError::Empty), item: None })
        );
        assert_eq!(
            parse_quick_report("فروش زیاد روسری"),
            Some(QuickReport { kind: ReportKind::Sale, amount: Err(AmountError::NotUnderstood), item: None })
        );
        assert_eq!(
            parse_quick_report("فروش 0 نان"),
            Some(QuickReport { kind: ReportKind::Sale, amount: Err(AmountError::Zero), item: None })
        );
    }
}
