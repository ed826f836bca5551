//! Normalising what people type, and making what we send display right-to-left.

/// Right-to-left mark: makes a line whose first strong character is Latin or a digit
/// still lay out right-to-left in Telegram.
pub const RLM: char = '\u{200F}';

/// Characters that carry no meaning in typed input: bidi controls, zero-width joiners
/// and BOMs, and the Arabic tatweel used to stretch words.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200D}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{0640}' | '\u{061C}'
    )
}

/// Direction controls that reorder what is shown: a text carrying them reads differently from
/// how it looks (U+202A–U+202E embeddings and overrides, U+2066–U+2069 isolates). A direction
/// mark (U+200E, U+200F, U+061C) is harmless at the ends, but between two digits (or digits and
/// their separators) it splits the number in two, which right-to-left text shows in the other
/// order.
pub fn has_hidden_direction(text: &str) -> bool {
    let is_mark = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}');
    let is_separator = |c: char| matches!(c, ',' | '٬' | '،' | '.' | '٫' | '/' | ' ');
    let chars: Vec<char> = text.chars().collect();
    let digit_beside = |side: &[char], backwards: bool| {
        let mut side: Box<dyn Iterator<Item = &char>> =
            if backwards { Box::new(side.iter().rev()) } else { Box::new(side.iter()) };
        side.find(|c| !is_mark(**c) && !is_separator(**c)).is_some_and(|c| c.is_numeric())
    };
    chars.iter().enumerate().any(|(i, &c)| {
        matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            || is_mark(c) && digit_beside(&chars[..i], true) && digit_beside(&chars[i + 1..], false)
    })
}

/// Folds what a phone keyboard may produce into one form: Arabic ي/ى/ك become Persian ی/ک,
/// invisible controls go, ZWNJ and odd spaces become plain spaces, runs of spaces collapse,
/// and the ends are trimmed. Digits are left alone (see `digits::to_ascii_digits`).
pub fn normalize_input(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut last_space = true;
    for c in input.chars() {
        if is_invisible(c) {
            continue;
        }
        let c = match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ھ' => 'ه',
            'ة' => 'ه',
            '\u{200C}' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Like `normalize_input`, but keeps ZWNJ (for names and item descriptions, where the
/// half-space is part of correct spelling).
pub fn clean_free_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for word in input.split_whitespace() {
        let word: String = word
            .chars()
            .filter(|&c| !is_invisible(c))
            .map(|c| match c {
                'ي' | 'ى' => 'ی',
                'ك' => 'ک',
                'ھ' => 'ه',
                c => c,
            })
            .collect();
        let word = word.trim_matches('\u{200C}');
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_rtl_letter(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}') && !c.is_numeric()
}

/// Prefixes RLM to every line whose first letter-or-digit is not a right-to-left letter,
/// so that lines starting with a number, an emoji followed by a Latin word, or a Latin
/// item name still display right-to-left.
pub fn force_rtl_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let first = line.chars().find(|c| c.is_alphanumeric());
        if matches!(first, Some(c) if !is_rtl_letter(c)) && !line.starts_with(RLM) {
            out.push(RLM);
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_arabic_letters_and_invisible_marks() {
        assert_eq!(normalize_input("  علي\u{200F}  كار  "), "علی کار");
        assert_eq!(normalize_input("می\u{200C}شود"), "می شود");
        assert_eq!(normalize_input("\u{202B}۲۵۰\u{202C} هزار"), "۲۵۰ هزار");
    }

    #[test]
    fn free_text_keeps_half_spaces() {
        assert_eq!(clean_free_text(" روسری   بافتنیِ\u{200C}ها "), "روسری بافتنیِ\u{200C}ها");
        assert_eq!(clean_free_text("كيف"), "کیف");
    }

    #[test]
    fn lines_starting_with_digits_or_latin_get_rlm() {
        let text = force_rtl_lines("سلام\n۱۲ عدد\niPhone قاب\n");
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines[0], "سلام");
        assert!(lines[1].starts_with(RLM));
        assert!(lines[2].starts_with(RLM));
        assert_eq!(lines[3], "");
    }
}
