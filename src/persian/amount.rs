//! Reading an amount of money as people type it, and showing one.
//!
//! Accepts Persian, Arabic-Indic or Latin digits; the separators ٬ , ، and spaces between
//! groups of three; decimals with ٫ or a single `.`; the words هزار، میلیون، میلیارد (and
//! the shorthand ک / م / k after a number), several parts joined with «و» as in
//! «۲ میلیون و ۵۰۰ هزار»; and a unit تومان / تومن / ت / ریال. Amounts are whole toman
//! (1 toman = 10 rials).

use super::digits::{format_number, to_ascii_digits};
use super::text::normalize_input;

/// Why an amount could not be taken. The bot turns each into a Persian explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("no amount given")]
    Empty,
    #[error("not an amount")]
    NotUnderstood,
    #[error("negative amount")]
    Negative,
    #[error("zero amount")]
    Zero,
    #[error("not a whole number of toman")]
    NotWholeToman,
    #[error("amount above the allowed maximum")]
    TooLarge,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Toman,
    Rial,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A number as written: its digits without any separator, and how many of them
    /// stand after the decimal point.
    Number {
        digits: String,
        scale: u32,
    },
    Multiplier(u128),
    Unit(Unit),
    And,
}

fn multiplier_or_unit(word: &str) -> Option<Token> {
    Some(match word {
        "هزار" | "ک" | "k" | "هزارتومان" => Token::Multiplier(1_000),
        "میلیون" | "ملیون" | "م" | "m" | "میلیونی" => Token::Multiplier(1_000_000),
        "میلیارد" | "ملیارد" | "b" => Token::Multiplier(1_000_000_000),
        "تومان" | "تومن" | "ت" | "toman" | "t" => Token::Unit(Unit::Toman),
        "ریال" | "rial" | "irr" => Token::Unit(Unit::Rial),
        "و" => Token::And,
        _ => return None,
    })
}

const GROUP_SEPARATORS: [char; 4] = [',', '٬', '،', ' '];

/// Reads one run of digits and separators (already in ASCII digits) into a number.
fn read_number(run: &str) -> Result<Token, AmountError> {
    let decimal_mark = if run.contains('٫') {
        Some('٫')
    } else {
        let dots = run.matches('.').count();
        let after_dot = run.rsplit('.').next().unwrap_or("");
        let before_dot = run.split('.').next().unwrap_or("");
        let looks_grouped = after_dot.len() == 3 && before_dot.len() <= 3 && !before_dot.contains(GROUP_SEPARATORS);
        (dots == 1 && !looks_grouped).then_some('.')
    };
    let (whole, fraction) = match decimal_mark {
        Some(mark) => {
            let mut parts = run.splitn(2, mark);
            let whole = parts.next().unwrap_or("");
            let fraction = parts.next().unwrap_or("");
            if fraction.is_empty() || !fraction.chars().all(|c| c.is_ascii_digit()) {
                return Err(AmountError::NotUnderstood);
            }
            (whole, fraction)
        }
        None => (run, ""),
    };
    // Grouped digits: the first group 1–3 digits, every later group exactly 3.
    let groups: Vec<&str> = whole.split(|c: char| GROUP_SEPARATORS.contains(&c) || c == '.').collect();
    if groups.len() > 1 && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return Err(AmountError::NotUnderstood);
    }
    let mut digits: String = groups.concat();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(AmountError::NotUnderstood);
    }
    digits.push_str(fraction);
    Ok(Token::Number { digits, scale: fraction.len() as u32 })
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || GROUP_SEPARATORS.contains(&c) || c == '.' || c == '٫'
}

fn tokenize(text: &str) -> Result<Vec<Token>, AmountError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            // A separator belongs to the number only when a digit follows it; a space only
            // when exactly three digits follow (so «۲ ۵۰۰ ۰۰۰» is one number, «۲ ۵ هزار» not).
            while i < chars.len() {
                let c = chars[i];
                if c.is_ascii_digit() {
                    i += 1;
                } else if is_number_char(c) && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                    if c == ' ' {
                        let run = chars[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
                        if run != 3 {
                            break;
                        }
                    }
                    i += 1;
                } else {
                    break;
                }
            }
            let run: String = chars[start..i].iter().collect();
            tokens.push(read_number(&run)?);
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
            tokens.push(multiplier_or_unit(&word).ok_or(AmountError::NotUnderstood)?);
        } else if c == ' ' || c == '.' || c == '،' || c == ',' || c == '!' {
            i += 1;
        } else {
            return Err(AmountError::NotUnderstood);
        }
    }
    Ok(tokens)
}

/// Parses a typed amount into whole toman. Never panics, whatever the input.
pub fn parse_amount(input: &str) -> Result<i64, AmountError> {
    let text = to_ascii_digits(&normalize_input(input)).to_lowercase();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    if text.starts_with(['-', '−', '–']) || text.starts_with("منفی") {
        return Err(AmountError::Negative);
    }
    let tokens = tokenize(&text)?;

    // Sum of terms «number [multiplier]», multipliers strictly decreasing, «و» between
    // terms allowed, one unit at the very end. Values are kept in tenths of a rial
    // scaled by 10^scale so that decimals stay exact.
    let mut total_rials: u128 = 0;
    let mut unit = Unit::Toman;
    let mut last_multiplier = u128::MAX;
    let mut i = 0;
    let mut saw_number = false;
    let mut terms: Vec<(String, u32, u128)> = Vec::new();
    while i < tokens.len() {
        match &tokens[i] {
            Token::Number { digits, scale } => {
                let multiplier = match tokens.get(i + 1) {
                    Some(Token::Multiplier(m)) => {
                        i += 1;
                        *m
                    }
                    _ => 1,
                };
                if multiplier >= last_multiplier {
                    return Err(AmountError::NotUnderstood);
                }
                last_multiplier = multiplier;
                terms.push((digits.clone(), *scale, multiplier));
                saw_number = true;
            }
            Token::And if saw_number && matches!(tokens.get(i + 1), Some(Token::Number { .. })) => {}
            Token::Unit(u) if saw_number && i == tokens.len() - 1 => unit = *u,
            _ => return Err(AmountError::NotUnderstood),
        }
        i += 1;
    }
    if !saw_number {
        return Err(AmountError::NotUnderstood);
    }
    let to_rials: u128 = match unit {
        Unit::Toman => 10,
        Unit::Rial => 1,
    };
    for (digits, scale, multiplier) in terms {
        // Leading zeros are harmless; strip them so long zero runs cannot overflow.
        let significant = digits.trim_start_matches('0');
        if significant.len() > 30 {
            return Err(AmountError::TooLarge);
        }
        let mantissa: u128 =
            if significant.is_empty() { 0 } else { significant.parse().map_err(|_| AmountError::TooLarge)? };
        let divisor = 10u128.checked_pow(scale).ok_or(AmountError::NotWholeToman)?;
        let scaled =
            mantissa.checked_mul(multiplier).and_then(|v| v.checked_mul(to_rials)).ok_or(AmountError::TooLarge)?;
        if scaled % divisor != 0 {
            return Err(AmountError::NotWholeToman);
        }
        total_rials = total_rials.checked_add(scaled / divisor).ok_or(AmountError::TooLarge)?;
    }
    if total_rials == 0 {
        return Err(AmountError::Zero);
    }
    if !total_rials.is_multiple_of(10) {
        return Err(AmountError::NotWholeToman);
    }
    i64::try_from(total_rials / 10).map_err(|_| AmountError::TooLarge)
}

/// Parses and checks against the programme's maximum.
pub fn parse_amount_at_most(input: &str, max_toman: i64) -> Result<i64, AmountError> {
    let amount = parse_amount(input)?;
    if amount > max_toman {
        return Err(AmountError::TooLarge);
    }
    Ok(amount)
}

/// The number part of «۱۲٬۵۰۰٬۰۰۰ تومان»; the unit word comes from the locale files.
pub fn format_toman(amount: i64) -> String {
    format_number(amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_common_forms() {
        let cases: &[(&str, i64)] = &[
            ("250000", 250_000),
            ("۲۵۰۰۰۰", 250_000),
            ("٢٥٠٠٠٠", 250_000),
            ("۲۵۰ هزار", 250_000),
            ("۲۵۰هزار تومان", 250_000),
            ("250k", 250_000),
            ("۲۵۰ک", 250_000),
            ("۱٫۵ میلیون", 1_500_000),
            ("1.5 میلیون تومن", 1_500_000),
            ("۲ میلیون و ۵۰۰ هزار", 2_500_000),
            ("2 میلیون 500 هزار تومان", 2_500_000),
            ("۱۲٬۵۰۰٬۰۰۰", 12_500_000),
            ("12,500,000 تومان", 12_500_000),
            ("12،500،000", 12_500_000),
            ("۱۲ ۵۰۰ ۰۰۰", 12_500_000),
            ("1.500.000", 1_500_000),
            ("2.500", 2_500),
            ("۲۵۰۰۰۰۰ ریال", 250_000),
            ("۳م", 3_000_000),
            ("۱ میلیارد", 1_000_000_000),
            ("  \u{200F}۵۰ هزار ت ", 50_000),
            ("۵۰ هزار تومان.", 50_000),
            ("۵۰ ملیون", 50_000_000),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_amount(input), Ok(*expected), "input {input:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_positive_whole_toman() {
        let cases: &[(&str, AmountError)] = &[
            ("", AmountError::Empty),
            ("   ", AmountError::Empty),
            ("سلام", AmountError::NotUnderstood),
            ("۲۵۰ هزار روسری", AmountError::NotUnderstood),
            ("12,34", AmountError::NotUnderstood),
            ("-500", AmountError::Negative),
            ("منفی ۵۰۰", AmountError::Negative),
            ("0", AmountError::Zero),
            ("۰ تومان", AmountError::Zero),
            ("1.5", AmountError::NotWholeToman),
            ("15 ریال", AmountError::NotWholeToman),
            ("99999999999999999999999999", AmountError::TooLarge),
            ("۵۰۰ هزار میلیون", AmountError::NotUnderstood),
            ("تومان", AmountError::NotUnderstood),
            ("۵ تومان ۵", AmountError::NotUnderstood),
            ("1;DROP TABLE sales", AmountError::NotUnderstood),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_amount(input), Err(*expected), "input {input:?}");
        }
    }

    #[test]
    fn maximum_is_enforced() {
        assert_eq!(parse_amount_at_most("۲ میلیارد", 1_000_000_000), Err(AmountError::TooLarge));
        assert_eq!(parse_amount_at_most("۱ میلیارد", 1_000_000_000), Ok(1_000_000_000));
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(n in 1i64..=i64::MAX) {
            prop_assert_eq!(parse_amount(&format_toman(n)), Ok(n));
            let with_unit = format!("{} تومان", format_toman(n));
            prop_assert_eq!(parse_amount(&with_unit), Ok(n));
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,64}") {
            let _ = parse_amount(&s);
        }

        #[test]
        fn digit_and_separator_soup_never_panics(s in "[0-9۰-۹٠-٩,٬،.٫ هزارمیلونک-]{0,40}") {
            let _ = parse_amount(&s);
        }
    }
}
