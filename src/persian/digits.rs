//! Digits in and out: any digits accepted, Persian digits shown.

/// Maps Persian (۰–۹) and Arabic-Indic (٠–٩) digits to ASCII; everything else is kept.
pub fn to_ascii_digits(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            c => c,
        })
        .collect()
}

/// Maps ASCII digits to Persian digits; everything else is kept.
pub fn to_persian_digits(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32('۰' as u32 + (c as u32 - '0' as u32)).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A phone number as it is written in Iran, in Persian digits: «۰۹۳۵۱۲۳۴۵۶۷». A leading «+»
/// would land at the wrong end of a right-to-left line, so +98 becomes the local 0.
pub fn format_phone(phone: &str) -> String {
    let digits: String = to_ascii_digits(phone).chars().filter(char::is_ascii_digit).collect();
    let local = match digits.strip_prefix("98") {
        Some(rest) if rest.len() == 10 => format!("0{rest}"),
        _ => digits,
    };
    to_persian_digits(&local)
}

/// Persian thousands separator (U+066C).
pub const THOUSANDS_SEPARATOR: char = '٬';

/// A whole number in Persian digits with the Persian thousands separator: ۱۲٬۵۰۰٬۰۰۰.
/// Negative numbers get a leading minus sign.
pub fn format_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() * 3);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(THOUSANDS_SEPARATOR);
        }
        out.push(c);
    }
    to_persian_digits(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_shown_in_the_local_form() {
        assert_eq!(format_phone("+989351234567"), "۰۹۳۵۱۲۳۴۵۶۷");
        assert_eq!(format_phone("989121110000"), "۰۹۱۲۱۱۱۰۰۰۰");
        assert_eq!(format_phone("09351234567"), "۰۹۳۵۱۲۳۴۵۶۷");
    }

    #[test]
    fn converts_all_digit_families() {
        assert_eq!(to_ascii_digits("۱۲۳ ٤٥٦ 789"), "123 456 789");
        assert_eq!(to_persian_digits("1405/09/01"), "۱۴۰۵/۰۹/۰۱");
    }

    #[test]
    fn formats_with_persian_grouping() {
        assert_eq!(format_number(12_500_000), "۱۲٬۵۰۰٬۰۰۰");
        assert_eq!(format_number(0), "۰");
        assert_eq!(format_number(999), "۹۹۹");
        assert_eq!(format_number(1000), "۱٬۰۰۰");
        assert_eq!(format_number(-250_000), "-۲۵۰٬۰۰۰");
        assert_eq!(format_number(i64::MIN), "-۹٬۲۲۳٬۳۷۲٬۰۳۶٬۸۵۴٬۷۷۵٬۸۰۸");
    }
}
