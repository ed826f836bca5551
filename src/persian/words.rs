//! Numbers in Persian words, both ways: «دو میلیون و پانصد هزار» ⇄ 2,500,000.
//!
//! Writing is for showing an amount beside its digits, so that a wrong reading is seen before
//! «تأیید». Reading takes the formal words and the spoken ones people type («یه»، «پونصد»،
//! «دویس»، «شیشصد»، «هفصد»، «پنجا»، «صدهزار» joined), and «نیم» (a half).

const ONES: [&str; 10] = ["", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"];
const TEENS: [&str; 10] = ["ده", "یازده", "دوازده", "سیزده", "چهارده", "پانزده", "شانزده", "هفده", "هجده", "نوزده"];
const TENS: [&str; 10] = ["", "", "بیست", "سی", "چهل", "پنجاه", "شصت", "هفتاد", "هشتاد", "نود"];
const HUNDREDS: [&str; 10] = ["", "صد", "دویست", "سیصد", "چهارصد", "پانصد", "ششصد", "هفتصد", "هشتصد", "نهصد"];
/// The scales above a thousand, largest first.
const SCALES: [(u64, &str); 4] =
    [(1_000_000_000_000, "هزار میلیارد"), (1_000_000_000, "میلیارد"), (1_000_000, "میلیون"), (1_000, "هزار")];

/// 1–999 in words: «سیصد و بیست و یک».
fn below_thousand(n: u64) -> String {
    let (hundreds, rest) = (n / 100, n % 100);
    let mut parts: Vec<&str> = Vec::new();
    if hundreds > 0 {
        parts.push(HUNDREDS[hundreds as usize]);
    }
    match rest {
        0 => {}
        1..=9 => parts.push(ONES[rest as usize]),
        10..=19 => parts.push(TEENS[(rest - 10) as usize]),
        _ => {
            parts.push(TENS[(rest / 10) as usize]);
            if rest % 10 > 0 {
                parts.push(ONES[(rest % 10) as usize]);
            }
        }
    }
    parts.join(" و ")
}

/// A whole number in Persian words: 2,500,000 → «دو میلیون و پانصد هزار»; 1,000 → «هزار»
/// (as it is said); 0 → «صفر».
pub fn to_words(n: u64) -> String {
    if n == 0 {
        return "صفر".to_string();
    }
    let mut parts = Vec::new();
    let mut rest = n;
    for (scale, name) in SCALES {
        let count = rest / scale;
        rest %= scale;
        if count == 0 {
            continue;
        }
        // «هزار», not «یک هزار»; but «یک میلیون», «یک میلیارد».
        if count == 1 && scale == 1_000 {
            parts.push(name.to_string());
        } else {
            parts.push(format!("{} {name}", to_words(count)));
        }
    }
    if rest > 0 {
        parts.push(below_thousand(rest));
    }
    parts.join(" و ")
}

/// What one word of a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberWord {
    /// 1–999, as one word («دویست», «پنجاه», «یه»).
    Small(u64),
    /// هزار, میلیون, میلیارد.
    Scale(u64),
    /// «نیم»: a half.
    Half,
}

/// The word's meaning, formal or spoken; None when it is not a number word.
pub fn number_word(word: &str) -> Option<NumberWord> {
    let small = |n| Some(NumberWord::Small(n));
    if let Some(i) = ONES.iter().position(|w| !w.is_empty() && *w == word) {
        return small(i as u64);
    }
    if let Some(i) = TEENS.iter().position(|w| *w == word) {
        return small(10 + i as u64);
    }
    if let Some(i) = TENS.iter().position(|w| !w.is_empty() && *w == word) {
        return small(10 * i as u64);
    }
    if let Some(i) = HUNDREDS.iter().position(|w| !w.is_empty() && *w == word) {
        return small(100 * i as u64);
    }
    match word {
        // Spoken forms.
        "یه" | "یکی" => small(1),
        "چار" => small(4),
        "شیش" => small(6),
        "هف" => small(7),
        "هش" => small(8),
        "یازد" => small(11),
        "پونزده" | "پونزه" => small(15),
        "شونزده" | "شونزه" => small(16),
        "هیفده" => small(17),
        "هیجده" | "هیژده" | "هژده" => small(18),
        "چل" => small(40),
        "پنجا" => small(50),
        "شیصت" => small(60),
        "دویس" | "دوصد" => small(200),
        "چارصد" => small(400),
        "پونصد" | "پانصت" => small(500),
        "شیشصد" | "شیش صد" => small(600),
        "هفصد" => small(700),
        "هشصد" => small(800),
        "هزار" => Some(NumberWord::Scale(1_000)),
        "میلیون" | "ملیون" => Some(NumberWord::Scale(1_000_000)),
        "میلیارد" | "ملیارد" => Some(NumberWord::Scale(1_000_000_000)),
        "نیم" | "نیمه" => Some(NumberWord::Half),
        _ => None,
    }
}

/// Splits a word written joined to the next («صدهزار», «دویستهزار») into the two number words
/// it is made of; None when it is not such a pair.
pub fn split_joined(word: &str) -> Option<(NumberWord, NumberWord)> {
    word.char_indices().skip(1).find_map(|(i, _)| Some((number_word(&word[..i])?, number_word(&word[i..])?)))
}

/// Reads a number written all in words («دو میلیون و پانصد هزار»); None when any word is not
/// a number word or the words do not make a number. (Amounts mixing digits and words, and the
/// spoken shortenings of a tail, are read by `amount`.)
pub fn from_words(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut last_scale = u64::MAX;
    let mut expect_number = true;
    let mut words: Vec<NumberWord> = Vec::new();
    for word in text.split_whitespace() {
        if word == "و" {
            if expect_number {
                return None;
            }
            expect_number = true;
            continue;
        }
        match number_word(word) {
            Some(w) => words.push(w),
            None => {
                let (a, b) = split_joined(word)?;
                words.extend([a, b]);
            }
        }
        expect_number = false;
    }
    if expect_number {
        return None;
    }
    // Within a group the parts come largest first, each kind once: «سیصد و بیست و یک», never
    // «بیست سیصد» nor «پنجاه پنجاه».
    let mut stage = Stage::Start;
    for word in words {
        match word {
            NumberWord::Small(n) => {
                let next = Stage::of(n);
                if !stage.may_be_followed_by(next) {
                    return None;
                }
                stage = next;
                current += n;
            }
            NumberWord::Scale(scale) => {
                if scale >= last_scale {
                    return None;
                }
                total += current.max(1) * scale;
                last_scale = scale;
                current = 0;
                stage = Stage::Start;
            }
            NumberWord::Half => return None,
        }
    }
    Some(total + current)
}

/// Where a group of words below a thousand has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Start,
    Hundreds,
    Tens,
    /// Ones or a teen: the group is complete.
    Done,
}

impl Stage {
    fn of(n: u64) -> Stage {
        match n {
            100.. => Stage::Hundreds,
            20.. if n.is_multiple_of(10) => Stage::Tens,
            _ => Stage::Done,
        }
    }

    fn may_be_followed_by(self, next: Stage) -> bool {
        match self {
            Stage::Start => true,
            Stage::Hundreds => next != Stage::Hundreds,
            Stage::Tens => next == Stage::Done,
            Stage::Done => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn writes_numbers_as_they_are_said() {
        let cases: &[(u64, &str)] = &[
            (1, "یک"),
            (15, "پانزده"),
            (21, "بیست و یک"),
            (250, "دویست و پنجاه"),
            (1_000, "هزار"),
            (1_250, "هزار و دویست و پنجاه"),
            (100_000, "صد هزار"),
            (321_000, "سیصد و بیست و یک هزار"),
            (2_500_000, "دو میلیون و پانصد هزار"),
            (1_000_000, "یک میلیون"),
            (12_500_000, "دوازده میلیون و پانصد هزار"),
            (1_200_000_000, "یک میلیارد و دویست میلیون"),
            (2_000_500, "دو میلیون و پانصد"),
        ];
        for (n, words) in cases {
            assert_eq!(to_words(*n), *words, "{n}");
        }
    }

    #[test]
    fn reads_formal_and_spoken_words() {
        let cases: &[(&str, u64)] = &[
            ("دویست و پنجاه هزار", 250_000),
            ("پونصد هزار", 500_000),
            ("یه میلیون", 1_000_000),
            ("سیصد و بیست هزار", 320_000),
            ("دویس", 200),
            ("شیشصد", 600),
            ("هفصد", 700),
            ("پنجا", 50),
            ("صدهزار", 100_000),
            ("یک میلیارد و دویست میلیون", 1_200_000_000),
        ];
        for (text, n) in cases {
            assert_eq!(from_words(text), Some(*n), "{text}");
        }
        for nonsense in ["", "و", "دو و", "بیست سیصد", "هزار میلیون", "سلام", "پنجاه پنجاه"]
        {
            assert_eq!(from_words(nonsense), None, "{nonsense}");
        }
    }

    #[test]
    fn every_amount_written_in_words_reads_back_on_a_sample() {
        // Every number to 10,000, and then a spread to 10^10.
        for n in 1..=10_000u64 {
            assert_eq!(from_words(&to_words(n)), Some(n), "{n}: {}", to_words(n));
        }
        let mut n = 10_001u64;
        while n <= 10_000_000_000 {
            assert_eq!(from_words(&to_words(n)), Some(n), "{n}: {}", to_words(n));
            n = n * 7 / 3 + 1;
        }
    }

    proptest! {
        #[test]
        fn words_round_trip(n in 1u64..=10_000_000_000) {
            prop_assert_eq!(from_words(&to_words(n)), Some(n));
        }
    }
}
