//! What a caseworker types to find someone in their list: part of a name or of the kind of
//! work, or part of a phone number typed any way («۰۹۳۵ ۱۲۳», «+98 935», «935-12»).

use crate::persian::digits::to_ascii_digits;
use crate::persian::text::normalize_input;

/// The longest search, in characters: it travels in the buttons that page through the results
/// (64 bytes of callback data, «pl:<page>:<search>»).
pub const MAX_CHARS: usize = 24;
/// The longest search in bytes, for letters that take three or four (symbols, emoji): what is
/// left of 64 after «pl:» and a page number of up to five digits and «:».
const MAX_BYTES: usize = 64 - "pl:99999:".len();

/// A search as the list's query uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The text folded as names are compared (Arabic letters to Persian, half-spaces to spaces),
    /// digits as typed.
    pub text: String,
    /// The same with Persian digits as ASCII ones (or None when it has none), as names and
    /// kinds of work keep digits as they were typed.
    pub text_ascii_digits: Option<String>,
    /// Digits to look for in phone numbers, when the search is a number: without a leading
    /// «0», «98», «+98» or «0098», which stored numbers carry in another form.
    pub phone_digits: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchProblem {
    Empty,
    TooLong,
}

/// Reads a search.
pub fn search(input: &str) -> Result<Search, SearchProblem> {
    let text = normalize_input(input);
    if text.is_empty() {
        return Err(SearchProblem::Empty);
    }
    if text.chars().count() > MAX_CHARS || text.len() > MAX_BYTES {
        return Err(SearchProblem::TooLong);
    }
    let ascii = to_ascii_digits(&text);
    let number: String = ascii.chars().filter(|c| !matches!(c, ' ' | '-' | '+' | '(' | ')')).collect();
    let phone_digits = (number.len() >= 3 && number.chars().all(|c| c.is_ascii_digit())).then(|| {
        let national = ["0098", "98", "0"].iter().find_map(|p| number.strip_prefix(p)).unwrap_or(&number);
        national.to_string()
    });
    let text_ascii_digits = (ascii != text).then_some(ascii);
    Ok(Search { text, text_ascii_digits, phone_digits: phone_digits.filter(|d| !d.is_empty()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_work_are_folded_as_stored_names_are() {
        let found = search("  زهرا   احمدي ").unwrap();
        assert_eq!(found, Search { text: "زهرا احمدی".into(), text_ascii_digits: None, phone_digits: None });
        // Digits are looked for both as typed and as ASCII.
        let with_digits = search("خیاطی ۲").unwrap();
        assert_eq!((with_digits.text.as_str(), with_digits.text_ascii_digits.as_deref()), ("خیاطی ۲", Some("خیاطی 2")));
        assert_eq!(search("خیاطی").unwrap().text, "خیاطی");
    }

    #[test]
    fn a_phone_is_found_however_it_is_typed() {
        for typed in ["۰۹۳۵ ۱۲۳", "0935123", "+98 935 123", "0098935123", "935-123"] {
            assert_eq!(search(typed).unwrap().phone_digits.as_deref(), Some("935123"), "{typed}");
        }
        // Two digits are too few to be a phone search (they would match nearly everyone).
        assert_eq!(search("۱۲").unwrap().phone_digits, None);
    }

    #[test]
    fn empty_and_long_searches_are_refused() {
        assert_eq!(search("   "), Err(SearchProblem::Empty));
        assert_eq!(search(&"ب".repeat(MAX_CHARS + 1)), Err(SearchProblem::TooLong));
        assert!(search(&"ب".repeat(MAX_CHARS)).is_ok());
        // Letters of three or four bytes count by their bytes.
        assert_eq!(search(&"😀".repeat(15)), Err(SearchProblem::TooLong));
        assert_eq!(search(&"ﻻ".repeat(20)), Err(SearchProblem::TooLong));
        // Any search taken fits the buttons' data with its page number.
        for taken in ["ب".repeat(MAX_CHARS), "😀".repeat(13), "ﻻ".repeat(18)] {
            assert!(search(&taken).is_ok(), "{taken}");
            assert!(format!("pl:99999:{taken}").len() <= 64, "{taken}");
        }
    }
}
