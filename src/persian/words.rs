//! Numbers in Persian words: writing them («دو میلیون و پانصد هزار» for 2,500,000), and the
//! meaning of each number word, formal or spoken.
//!
//! Writing is for showing an amount beside its digits, so that a wrong reading is seen before
//! «تأیید». The word meanings take the formal words and the spoken ones people type («یه»،
//! «پونصد»، «دویس»، «بیس»، «شیشصد»، «هفصد»، «پنجا»، «یکصد») and «نیم» (a half); `amount` reads
//! whole amounts from them (joined words, «و», scales), and its tests read every written
//! amount back.

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
        "بیس" => small(20),
        "چل" => small(40),
        "پنجا" => small(50),
        "شیصت" => small(60),
        "یکصد" => small(100),
        "دویس" | "دوصد" | "دویصت" | "دویسد" => small(200),
        "چارصد" => small(400),
        "پونصد" | "پانصت" => small(500),
        "شیشصد" | "شیش صد" => small(600),
        "هفصد" => small(700),
        "هشصد" => small(800),
        "نوصد" | "نهصت" => small(900),
        "هزار" => Some(NumberWord::Scale(1_000)),
        "میلیون" | "ملیون" => Some(NumberWord::Scale(1_000_000)),
        "میلیارد" | "ملیارد" => Some(NumberWord::Scale(1_000_000_000)),
        "نیم" | "نیمه" => Some(NumberWord::Half),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
