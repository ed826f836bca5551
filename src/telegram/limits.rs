//! Telegram's length limits, and texts cut to fit them (BEHAVIOUR.md row 8: a text is at most
//! 4,096 characters, a caption 1,024, counted in UTF-16 units as Telegram counts them).

/// The longest text of one message.
pub const MAX_TEXT: usize = 4096;
/// The longest caption of a photo or document.
pub const MAX_CAPTION: usize = 1024;

fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Cuts a text into parts that each fit: the first within `first_limit` (a caption's, when
/// the first part goes with a file), the rest within [`MAX_TEXT`]. Cuts fall between lines
/// where they can, then between words, and only inside a word that is longer than a whole
/// part. Nothing is lost: the parts joined with the line breaks and spaces cut at are the text.
pub fn split_text(text: &str, first_limit: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text.trim_start_matches([' ', '\n']);
    let mut limit = first_limit;
    while units(rest) > limit {
        let cut = cut_at(rest, limit);
        let (part, after) = rest.split_at(cut);
        parts.push(part.trim_end_matches([' ', '\n']).to_string());
        rest = after.trim_start_matches([' ', '\n']);
        limit = MAX_TEXT;
    }
    if !rest.is_empty() || parts.is_empty() {
        parts.push(rest.to_string());
    }
    parts
}

/// Where to cut `text` so that the part before fits in `limit` units: after the last line
/// break that fits, else the last space, else the last character that fits.
fn cut_at(text: &str, limit: usize) -> usize {
    let mut fits = 0;
    let mut used = 0;
    let (mut last_line, mut last_space) = (None, None);
    for (i, c) in text.char_indices() {
        used += c.len_utf16();
        if used > limit {
            break;
        }
        fits = i + c.len_utf8();
        match c {
            '\n' => last_line = Some(i + 1),
            ' ' => last_space = Some(i + 1),
            _ => {}
        }
    }
    last_line.or(last_space).filter(|cut| *cut > 0).unwrap_or(fits.max(text.chars().next().map_or(0, char::len_utf8)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_short_text_is_one_part() {
        assert_eq!(split_text("سلام", MAX_TEXT), ["سلام"]);
        assert_eq!(split_text("", MAX_TEXT), [""]);
    }

    #[test]
    fn long_texts_are_cut_between_lines() {
        let line = "ا".repeat(1000);
        let text = format!("\n{}", [line.as_str(); 9].join("\n"));
        let parts = split_text(&text, MAX_TEXT);
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| units(p) <= MAX_TEXT));
        assert_eq!(parts[0], [line.as_str(); 4].join("\n"), "four whole lines fit in 4,096");
        // A caption first: only a line fits.
        let parts = split_text(&text, MAX_CAPTION);
        assert_eq!(parts[0], line);
    }

    #[test]
    fn a_line_longer_than_a_part_is_cut_between_words_then_anywhere() {
        let words = "کلمه ".repeat(2000);
        let parts = split_text(words.trim_end(), MAX_TEXT);
        assert!(parts.len() > 1 && parts.iter().all(|p| units(p) <= MAX_TEXT && !p.ends_with(' ')));
        let one_word = "ب".repeat(5000);
        let parts = split_text(&one_word, MAX_TEXT);
        assert_eq!(parts.iter().map(|p| units(p)).collect::<Vec<_>>(), [4096, 904]);
        // Emoji take two units each.
        let emoji = "🌱".repeat(3000);
        assert!(split_text(&emoji, MAX_TEXT).iter().all(|p| units(p) <= MAX_TEXT));
    }

    proptest! {
        /// Every part fits, no part is empty, and nothing but the cut spaces and line breaks is lost.
        #[test]
        fn parts_fit_and_lose_nothing(text in "[\\PC\\n ]{0,3000}", first in 1usize..200, words in 1usize..30) {
            let text = text.repeat(words);
            let parts = split_text(&text, first);
            prop_assert!(units(&parts[0]) <= first.max(2));
            prop_assert!(parts.iter().skip(1).all(|p| units(p) <= MAX_TEXT));
            prop_assert!(parts.len() == 1 || parts.iter().all(|p| !p.is_empty()), "{:?}", parts);
            let kept: String = parts.concat().chars().filter(|c| !matches!(c, ' ' | '\n')).collect();
            let meant: String = text.chars().filter(|c| !matches!(c, ' ' | '\n')).collect();
            prop_assert_eq!(kept, meant);
        }
    }
}
