//! Reading an amount of money as people in Iran type it, and never taking a number they did
//! not mean: where a reading is genuinely ambiguous, every plausible reading is returned and
//! the bot asks, one button each.
//!
//! Read: Persian, Arabic-Indic or Latin digits; thousands separators (٬ , ، and spaces between
//! groups of three; several . or ٫ between groups of three); decimals before a multiplier with
//! . ٫ / or a comma («۲.۵ میلیون», «۱/۵ میلیون», «۲،۵ میلیون»); numbers in words, formal and
//! spoken (`words`); هزار، میلیون، میلیارد and their one-letter typos and Finglish («هزر»,
//! «میلون», «hezar», «2 milion»); «نیم»; a tail after میلیون or میلیارد that drops the next
//! scale («۲ میلیون و ۵۰۰» is 2,500,000); units تومان، تومن، ت، ریال (÷10) and «ه.ت»
//! (thousand toman), joined or spaced, even twice («۲ میلیون تومان و ۵۰۰ هزار تومان»); words
//! around the amount («مبلغ:», «… بود», parentheses, a trailing emoji).
//!
//! Ambiguous, asked about: «۴۰۰٫۰۰۰» (400 with three decimals, or 400 thousand), a small number
//! with the spoken «تومن» («۲۵۰ تومن», often said for 250 thousand), a bare small number, or one
//! far below what this person usually reports. Refused with a reason: a mobile number, and text
//! whose hidden direction controls make it read differently from how it looks.

use super::digits::to_ascii_digits;
use super::text::{has_hidden_direction, normalize_input};
use super::words::{NumberWord, number_word, to_words};

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
    #[error("looks like a phone number")]
    LooksLikePhone,
    #[error("hidden direction controls change how the text reads")]
    HiddenDirection,
}

/// What is known about the amount to expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    /// The largest amount allowed.
    pub max: i64,
    /// What this person usually reports (the median of their recent sales), if known.
    pub usual: Option<i64>,
    /// The amounts that can be meant, if the question has a range (a loan facility): a reading
    /// in it, with any scale the person left off, is taken; when no reading falls in it, the
    /// amount is read as written and the question explains the range.
    pub range: Option<(i64, i64)>,
}

impl Expect {
    pub fn at_most(max: i64) -> Expect {
        Expect { max, usual: None, range: None }
    }
}

/// How an amount reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// One amount, beyond doubt.
    Sure(i64),
    /// Several amounts it could mean, smallest first: ask which.
    Either(Vec<i64>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Toman,
    /// «تومن», as said: after a small number it often means thousand toman, and after one of
    /// one or two digits, in Tehran, million toman («۳ تومن»).
    SpokenToman,
    /// «ت», the price-tag shorthand: after a small number it usually means thousand toman
    /// («۱۸۰ت»).
    Short,
    Rial,
}

/// A run of digits and separators as typed (ASCII digits).
#[derive(Debug, Clone, PartialEq, Eq)]
struct DigitRun(String);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Digits(DigitRun),
    Word(NumberWord),
    Unit(Unit),
    And,
}

/// Fixed point: amounts are carried in millionths, so that decimals such as «۲٫۷۵ میلیون» stay
/// exact.
const ONE: u128 = 1_000_000;

/// A number as read from digits: value × ONE.
type Fixed = u128;

/// Words around an amount that carry nothing.
const FILLERS: [&str; 22] = [
    "مبلغ",
    "مبلغش",
    "قیمت",
    "قیمتش",
    "بود",
    "شد",
    "است",
    "هست",
    "حدود",
    "حدودا",
    "تقریبا",
    "تقریبن",
    "فقط",
    "مجموعا",
    "جمعا",
    "جمع",
    "کل",
    "فروش",
    "فروختم",
    "فروختیم",
    "شده",
    "میشه",
];

/// Unit and scale words as typed, with their Finglish spellings.
fn vocabulary(word: &str) -> Option<Token> {
    Some(match word {
        "تومان" | "تومانه" | "تومانی" | "toman" | "tooman" => Token::Unit(Unit::Toman),
        "t" | "ت" => Token::Unit(Unit::Short),
        "تومن" | "تومنه" | "تومنی" | "tomen" | "tomn" => Token::Unit(Unit::SpokenToman),
        "ریال" | "rial" | "riyal" | "irr" => Token::Unit(Unit::Rial),
        "k" | "ک" | "hezar" | "hezaar" | "hazar" | "hzar" | "hezr" | "thousand" => {
            Token::Word(NumberWord::Scale(1_000))
        }
        "m" | "م" | "milion" | "million" | "milyon" | "melyon" | "melyoon" | "melion" | "miliyon" | "میلیونی" => {
            Token::Word(NumberWord::Scale(1_000_000))
        }
        "b" | "milyard" | "miliard" | "milliard" | "billion" => Token::Word(NumberWord::Scale(1_000_000_000)),
        "و" | "va" | "o" => Token::And,
        _ => return number_word(word).map(Token::Word),
    })
}

/// The long words a one-letter slip is forgiven in («هزر», «هرار», «میلون»), right after a
/// number or a scale only: elsewhere «رئال», «ریل» or «مزار» are words of their own.
const FORGIVEN: [(&str, Token); 5] = [
    ("هزار", Token::Word(NumberWord::Scale(1_000))),
    ("میلیون", Token::Word(NumberWord::Scale(1_000_000))),
    ("میلیارد", Token::Word(NumberWord::Scale(1_000_000_000))),
    ("تومان", Token::Unit(Unit::Toman)),
    ("ریال", Token::Unit(Unit::Rial)),
];

/// Whether two words differ by at most one letter added, dropped or changed.
fn one_slip_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    let prefix = short.iter().zip(long.iter()).take_while(|(x, y)| x == y).count();
    // The first letter is never the slip («نزار», «بزار» are not هزار), except ح for ه, which
    // sound the same («حزار»).
    if prefix == 0
        && !(a.first() == Some(&'ح') && b.first() == Some(&'ه') || a.first() == Some(&'ه') && b.first() == Some(&'ح'))
    {
        return false;
    }
    if prefix == long.len() {
        return true;
    }
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// One word's tokens: a known word, or up to three known words written joined («هزارتومن»,
/// «صدهزار», «صدوپنجاه»).
fn word_tokens(word: &str) -> Option<Vec<Token>> {
    if let Some(token) = vocabulary(word) {
        return Some(vec![token]);
    }
    joined_tokens(word, None, 3)
}

/// The unit or scale a word is with one slip («هزر», «میلون»), if exactly one.
fn slip_token(word: &str) -> Option<Token> {
    if word.chars().count() < 3 {
        return None;
    }
    let mut slips = FORGIVEN.iter().filter(|(known, _)| one_slip_apart(word, known));
    match (slips.next(), slips.next()) {
        (Some((_, token)), None) => Some(token.clone()),
        _ => None,
    }
}

/// Whether a word is a scale or «تومان» with one slip («هزر»), which a one-line report reads so
/// right after a number. (A slip of «ریال» is read only where an amount is asked: in a report
/// line, «۲ ریل» is two rails.)
pub fn is_unit_slip(word: &str) -> bool {
    slip_token(&to_ascii_digits(word).to_lowercase()).is_some_and(|t| t != Token::Unit(Unit::Rial))
}

/// A word made of up to `parts` known words written joined. A one-letter part is allowed only
/// where it cannot be a letter of an ordinary word: «و» beside number words («صدوپنجاه»,
/// «سیصدو پنجاه», «دویست‌وپنجاه»), or a unit or scale letter after a scale («هزارت»).
/// Otherwise «کیک» would be ک + یک (1,001 toman), «سیم» سی + م (30 million) and «دوم» two
/// million.
fn joined_tokens(word: &str, before: Option<&Token>, parts: usize) -> Option<Vec<Token>> {
    let one_letter_allowed = |token: &Token, last: bool| match (token, before) {
        // «صدو», «هزارو»; not «سهو» or «یهو», words of their own.
        (Token::And, Some(Token::Word(NumberWord::Small(n)))) => !last || *n >= 100,
        (Token::And, Some(Token::Word(_))) => true,
        (Token::And, None) => !last,
        (Token::Unit(_) | Token::Word(NumberWord::Scale(_)), Some(Token::Word(NumberWord::Scale(_)))) => last,
        _ => false,
    };
    let allowed = |part: &str, token: &Token, last: bool| part.chars().count() > 1 || one_letter_allowed(token, last);
    if let Some(before) = before
        && let Some(token) = vocabulary(word)
        && allowed(word, &token, true)
        && (*before != Token::And || matches!(token, Token::Word(_)))
        && !small_words_touch(before, &token)
    {
        return Some(vec![token]);
    }
    if parts < 2 {
        return None;
    }
    // The longest known word first: «سیصدو» is سیصد + و, not سی + صد + و.
    let ends: Vec<usize> = word.char_indices().skip(1).map(|(i, _)| i).collect();
    ends.into_iter().rev().find_map(|i| {
        let token = vocabulary(&word[..i])?;
        // After a joined «و», a number word; two small number words never touch («سینه» is
        // no سی + نه, «دوده» no دو + ده).
        let after_and = matches!(before, Some(Token::And));
        let small_after_small = before.is_some_and(|b| small_words_touch(b, &token));
        if !allowed(&word[..i], &token, false) || after_and && !matches!(token, Token::Word(_)) || small_after_small {
            return None;
        }
        let rest = joined_tokens(&word[i..], Some(&token), parts - 1)?;
        Some([vec![token], rest].concat())
    })
}

/// Two small number words written joined, which only «سه‌صد», «هفت‌صد» (a one-digit count of
/// hundreds) may be: «سینه» is no سی + نه, «دوده» no دو + ده.
fn small_words_touch(before: &Token, token: &Token) -> bool {
    match (before, token) {
        (Token::Word(NumberWord::Small(n)), Token::Word(NumberWord::Small(100))) => !(1..10).contains(n),
        (Token::Word(NumberWord::Small(_)), Token::Word(NumberWord::Small(_))) => true,
        _ => false,
    }
}

/// Characters that can stand inside a run of digits.
const RUN_MARKS: [char; 7] = [',', '٬', '،', '.', '٫', '/', ' '];

/// Marks that start a number when a digit follows: a decimal with no digit before it
/// («.۵ میلیون» is half a million, not five).
const LEADING_DECIMAL_MARKS: [char; 5] = ['.', '٫', '/', ',', '،'];

fn tokenize(text: &str) -> Result<Vec<Token>, AmountError> {
    let chars: Vec<char> = text.chars().collect();
    let digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let leading_mark = LEADING_DECIMAL_MARKS.contains(&c) && digit_at(i + 1) && (i == 0 || !digit_at(i - 1));
        if c.is_ascii_digit() || leading_mark {
            let mut run = String::new();
            if leading_mark {
                run.push('0');
            }
            // A mark belongs to the number only when a digit follows it; a space only when
            // exactly three digits follow (so «۲ ۵۰۰ ۰۰۰» is one number, «۲ ۵ هزار» not).
            while i < chars.len() {
                let c = chars[i];
                if c.is_ascii_digit() {
                    run.push(c);
                    i += 1;
                } else if RUN_MARKS.contains(&c) && digit_at(i + 1) {
                    if c == ' ' && chars[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count() != 3 {
                        break;
                    }
                    run.push(c);
                    i += 1;
                } else {
                    break;
                }
            }
            tokens.extend(space_groups(&run).into_iter().map(|part| Token::Digits(DigitRun(part))));
        } else if matches!(c, '-' | '−' | '–') {
            let before = chars[..i].iter().rev().find(|d| **d != ' ');
            let after = chars[i + 1..].iter().find(|d| **d != ' ');
            match (before, after) {
                // «۲۰۰-۳۰۰»: a range, not a negative amount.
                (Some(b), Some(a)) if b.is_ascii_digit() && a.is_ascii_digit() => {
                    return Err(AmountError::NotUnderstood);
                }
                // «مبلغ: -۵۰۰», or a minus typed last in right-to-left text («۵۰۰۰۰-»).
                (_, Some(a)) if a.is_ascii_digit() => return Err(AmountError::Negative),
                (Some(_), None) => return Err(AmountError::Negative),
                _ => i += 1,
            }
        } else if matches!(c, '%' | '٪' | '$' | '€' | '£' | '¢' | '﷼') {
            // Per cent, or another currency: no amount of toman. (﷼ is the rial sign, but as
            // often typed for toman: asking is better than guessing tenfold.)
            return Err(AmountError::NotUnderstood);
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if FILLERS.contains(&word.as_str()) {
                continue;
            }
            let after_a_number = matches!(tokens.last(), Some(Token::Digits(_) | Token::Word(_)));
            let read =
                word_tokens(&word).or_else(|| after_a_number.then(|| slip_token(&word)).flatten().map(|t| vec![t]));
            tokens.extend(read.ok_or(AmountError::NotUnderstood)?);
        } else if c.is_numeric() {
            // «½», «２５０»: a number, but not one read here.
            return Err(AmountError::NotUnderstood);
        } else {
            i += 1;
        }
    }
    Ok(tokens)
}

/// A run of digits with spaces in it, as the numbers it is: spaces group thousands only when
/// the last group is «۰۰۰» («۲ ۵۰۰ ۰۰۰», «۲۵۰ ۰۰۰»). Otherwise the groups are separate
/// numbers: «سایز ۴۰ ۲۵۰ هزار», or «۲۰۰ ۳۰۰» and «۱۰۰ ۲۰۰ ۳۰۰», prices side by side.
fn space_groups(run: &str) -> Vec<String> {
    let groups: Vec<&str> = run.split(' ').collect();
    if groups.len() < 2 || groups.last() == Some(&"000") {
        vec![run.to_string()]
    } else {
        groups.into_iter().map(str::to_string).collect()
    }
}

/// The values a run of digits can have (× ONE): more than one when a single «.» or «٫» (or a
/// comma before a multiplier) could be a decimal mark or a thousands separator. `scale` is the
/// multiplier written after the run, if any.
fn run_values(run: &DigitRun, scale: Option<u64>) -> Result<Vec<Fixed>, AmountError> {
    let text = run.0.as_str();
    let before_scale = scale.is_some();
    // A long number with a leading zero is a phone number, or part of one («۰۹۱۲۳۴۵۶۷۸»,
    // «۰۲۱۸۸۷۷۶۶»); a short one is only zero-padded.
    let first_group = text.split(|c: char| !c.is_ascii_digit()).next().unwrap_or("");
    if first_group.starts_with('0') && text.chars().filter(char::is_ascii_digit).count() >= 8 {
        return Err(AmountError::LooksLikePhone);
    }
    let marks: Vec<char> = text.chars().filter(|c| !c.is_ascii_digit()).collect();
    let whole = |s: &str| -> Result<Fixed, AmountError> {
        let significant = s.trim_start_matches('0');
        if significant.len() > 24 {
            return Err(AmountError::TooLarge);
        }
        let n: u128 =
            if significant.is_empty() { 0 } else { significant.parse().map_err(|_| AmountError::TooLarge)? };
        n.checked_mul(ONE).ok_or(AmountError::TooLarge)
    };
    let decimal = |int: &str, frac: &str| -> Result<Fixed, AmountError> {
        if frac.len() > 6 || int.is_empty() && frac.is_empty() {
            return Err(AmountError::NotUnderstood);
        }
        let scale = 10u128.pow(frac.len() as u32);
        let frac_value: u128 =
            if frac.is_empty() { 0 } else { frac.parse().map_err(|_| AmountError::NotUnderstood)? };
        Ok(whole(int)? + frac_value * (ONE / scale))
    };
    // Groups of three after the first (1–3 digits): a thousands-grouped number.
    let grouped = |separators: &[char]| -> Option<String> {
        let groups: Vec<&str> = text.split(|c: char| separators.contains(&c)).collect();
        let ok = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
        ok.then(|| groups.concat())
    };
    match marks.as_slice() {
        [] => Ok(vec![whole(text)?]),
        // One dot, ٫ or slash: a decimal before میلیون or میلیارد («۲.۵۰۰ میلیون»); alone or
        // before هزار, a decimal or, when three digits follow, a thousands separator too
        // («۱.۲۰۰ هزار» is 1,200 or 1,200 thousand).
        [mark @ ('.' | '٫' | '/')] => {
            let (int, frac) = text.split_once(*mark).unwrap_or((text, ""));
            let as_decimal = decimal(int, frac);
            if scale.is_some_and(|s| s >= 1_000_000) || *mark == '/' {
                return as_decimal.map(|v| vec![v]);
            }
            let mut values: Vec<Fixed> = as_decimal.into_iter().collect();
            if let Some(g) = grouped(&[*mark]) {
                values.push(whole(&g)?);
            }
            if values.is_empty() { Err(AmountError::NotUnderstood) } else { Ok(values) }
        }
        // One comma before a multiplier with one or two digits after it: a decimal
        // («۲،۵ میلیون»); with three, a decimal or a separator.
        [mark @ (',' | '،')] if before_scale => {
            let (int, frac) = text.split_once(*mark).unwrap_or((text, ""));
            let mut values = vec![decimal(int, frac)?];
            if let Some(g) = grouped(&[*mark]) {
                values.push(whole(&g)?);
            }
            Ok(values)
        }
        // Anything else must be groups of three: «۱٬۲۵۰٬۰۰۰», «1.250.000», «۱۲ ۵۰۰ ۰۰۰».
        _ => {
            let separator = marks[0];
            if marks.iter().any(|m| *m != separator) && !marks.iter().all(|m| [',', '٬', '،', ' '].contains(m)) {
                return Err(AmountError::NotUnderstood);
            }
            match grouped(&[',', '٬', '،', ' ', '.', '٫']) {
                Some(g) => Ok(vec![whole(&g)?]),
                None => Err(AmountError::NotUnderstood),
            }
        }
    }
}

/// One way of reading the tokens: the total in rials × ONE, and what kind of amount it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Total {
    rials: Fixed,
    /// A multiplier (هزار، میلیون، …) was written.
    scaled: bool,
    /// The units written, if any.
    unit: Option<Unit>,
}

/// Adds up the tokens, the digit runs read as `values` says (one value per run, in order).
fn add_up(tokens: &[Token], values: &[Fixed]) -> Result<Total, AmountError> {
    let mut runs = values.iter();
    let mut total: Fixed = 0;
    let mut current: Option<Fixed> = None;
    let mut last_scale = u128::MAX;
    let mut unit: Option<Unit> = None;
    let mut any_scale = false;
    let mut after_and = false;
    let mut pending_half = false;
    // A unit after a scale and another after the tail make two parts, each as written
    // («۲ میلیون تومان و ۵۰۰ تومان»); with one unit, the tail drops the next scale as in speech
    // («۲ میلیون تومان و ۵۰۰», «۲ میلیون و ۵۰۰ تومان»).
    let mut unit_after_scale = false;
    let mut unit_after_tail = false;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Digits(_) => {
                let value = *runs.next().ok_or(AmountError::NotUnderstood)?;
                if current.is_some() {
                    return Err(AmountError::NotUnderstood);
                }
                current = Some(value);
            }
            Token::Word(NumberWord::Small(n)) => {
                let n = u128::from(*n) * ONE;
                current = Some(match current {
                    // «سیصد و بیست»: a word adds to the words before it, smaller each time.
                    Some(c) if c % (100 * ONE) == 0 && n < 100 * ONE || c % (10 * ONE) == 0 && n < 10 * ONE => c + n,
                    // «یک صد», «هفت صد», «هفت‌صد»: hundreds in two words.
                    Some(c) if n == 100 * ONE && c % ONE == 0 && (ONE..10 * ONE).contains(&c) => c * 100,
                    Some(_) => return Err(AmountError::NotUnderstood),
                    None => n,
                });
            }
            Token::Word(NumberWord::Half) => {
                // «نیم میلیون», «یک و نیم میلیون»: half of the scale that follows; «۲ میلیون و نیم»:
                // half of the scale before.
                let next_is_scale = matches!(tokens.get(i + 1), Some(Token::Word(NumberWord::Scale(_))));
                if next_is_scale {
                    current = Some(current.unwrap_or(0) + ONE / 2);
                } else if last_scale != u128::MAX && current.is_none() {
                    pending_half = true;
                } else {
                    return Err(AmountError::NotUnderstood);
                }
            }
            Token::Word(NumberWord::Scale(scale)) => {
                let scale = u128::from(*scale);
                if scale >= last_scale {
                    return Err(AmountError::NotUnderstood);
                }
                let count = current.take().unwrap_or(ONE);
                total = total
                    .checked_add(count.checked_mul(scale).ok_or(AmountError::TooLarge)?)
                    .ok_or(AmountError::TooLarge)?;
                last_scale = scale;
                any_scale = true;
            }
            Token::Unit(u) => {
                // One unit for the whole amount, written once or after each part.
                if unit.is_some_and(|known| kind(known) != kind(*u)) {
                    return Err(AmountError::NotUnderstood);
                }
                unit = Some(*u);
                if any_scale {
                    if current.is_none() {
                        unit_after_scale = true;
                    } else {
                        unit_after_tail = true;
                    }
                }
            }
            Token::And => {
                if current.is_none() && !any_scale || after_and {
                    return Err(AmountError::NotUnderstood);
                }
                after_and = true;
                continue;
            }
        }
        after_and = false;
    }
    if after_and {
        return Err(AmountError::NotUnderstood);
    }
    if pending_half {
        total += last_scale * ONE / 2;
    }
    if let Some(tail) = current {
        if any_scale {
            // A tail after میلیون or میلیارد drops the next scale: «۲ میلیون و ۵۰۰» is
            // 2,500,000 («۱ میلیارد و ۲۰۰» 1,200,000,000); after هزار it is as written.
            let literal = unit_after_scale && unit_after_tail;
            let step = if last_scale >= 1_000_000 && !literal { last_scale / 1_000 } else { 1 };
            let tail = if tail < 1_000 * ONE && tail % ONE == 0 { tail * step } else { tail };
            if tail >= last_scale * ONE {
                return Err(AmountError::NotUnderstood);
            }
            total += tail;
        } else {
            total += tail;
        }
    }
    if !any_scale && current.is_none() && !pending_half {
        return Err(AmountError::NotUnderstood);
    }
    let rials = match unit {
        Some(Unit::Rial) => total,
        _ => total.checked_mul(10).ok_or(AmountError::TooLarge)?,
    };
    Ok(Total { rials, scaled: any_scale, unit })
}

fn kind(unit: Unit) -> u8 {
    match unit {
        Unit::Toman | Unit::SpokenToman | Unit::Short => 0,
        Unit::Rial => 1,
    }
}

/// A Total in whole toman, or why not.
fn to_toman(total: &Total) -> Result<i64, AmountError> {
    if total.rials == 0 {
        return Err(AmountError::Zero);
    }
    if !total.rials.is_multiple_of(10 * ONE) {
        return Err(AmountError::NotWholeToman);
    }
    i64::try_from(total.rials / (10 * ONE)).map_err(|_| AmountError::TooLarge)
}

/// «ه.ت» and «ه ت», shorthand for هزار تومان, written out, also joined to the digits
/// («۵۰۰ه.ت»); as whole words only: «نه تومان» is nine toman.
fn thousand_toman_spelt_out(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = words[i].trim_end_matches(['.', '،', ',']);
        let digits = word.trim_end_matches(|c: char| !c.is_ascii_digit());
        let letters = &word[digits.len()..];
        let t_follows = words.get(i + 1).is_some_and(|next| next.trim_end_matches('.') == "ت");
        if letters == "ه.ت" || letters == "هت" {
            out.push(format!("{digits} هزار تومان"));
        } else if letters == "ه" && t_follows {
            out.push(format!("{digits} هزار تومان"));
            i += 1;
        } else {
            out.push(words[i].to_string());
        }
        i += 1;
    }
    out.join(" ").trim().to_string()
}

/// Whether the text is a mobile number rather than an amount («۰۹۱۲…», «+98 912…»).
fn looks_like_phone(text: &str) -> bool {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let others = text.chars().any(|c| c.is_alphabetic());
    !others && (digits.len() == 11 && digits.starts_with("09") || digits.len() == 12 && digits.starts_with("989"))
}

/// Harakat and tanwin («تقریباً», «حدوداً»): they change nothing in a number word.
fn without_harakat(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '\u{064B}'..='\u{0652}')).collect()
}

/// A whole number written in words only («بیست و پنج», «دو», «سیصد و بیست»), read by the same
/// rules as an amount; None when the text is anything else. (For days: «بیست و پنجم آبان».)
pub fn number_in_words(text: &str) -> Option<u64> {
    let tokens = tokenize(&normalize_input(text)).ok()?;
    let words_only = !tokens.is_empty()
        && tokens.iter().all(|t| matches!(t, Token::And | Token::Word(NumberWord::Small(_) | NumberWord::Scale(_))));
    if !words_only {
        return None;
    }
    let total = add_up(&tokens, &[]).ok()?;
    // add_up counts in rials × ONE.
    u64::try_from(total.rials / (10 * ONE)).ok()
}

/// Reads an amount, and every reading it could have.
pub fn read_amount(input: &str, expect: &Expect) -> Result<Reading, AmountError> {
    if has_hidden_direction(input) {
        return Err(AmountError::HiddenDirection);
    }
    // Numbers on two lines are two numbers, not one («۲۵۰⏎۳۰۰» is no 250,300).
    if input.lines().filter(|line| line.chars().any(char::is_numeric)).count() > 1 {
        return Err(AmountError::NotUnderstood);
    }
    let text = to_ascii_digits(&without_harakat(&normalize_input(input))).to_lowercase();
    let text = thousand_toman_spelt_out(&text);
    let text = text.as_str();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    // «نه» alone is «no» far more often than nine toman.
    if text == "نه" {
        return Err(AmountError::NotUnderstood);
    }
    if text.starts_with(['-', '−', '–']) || text.starts_with("منفی") {
        return Err(AmountError::Negative);
    }
    if looks_like_phone(text) {
        return Err(AmountError::LooksLikePhone);
    }
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err(AmountError::NotUnderstood);
    }
    // Each digit run's possible values; every combination is a reading (at most a few).
    let mut choices: Vec<Vec<Fixed>> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if let Token::Digits(run) = token {
            // A later part with a leading zero («۲۵۰ هزار ۰۹۱۲») is no part of an amount.
            if i > 0 && run.0.len() > 1 && run.0.starts_with('0') && run.0.as_bytes()[1].is_ascii_digit() {
                return Err(AmountError::NotUnderstood);
            }
            let scale = match tokens.get(i + 1) {
                Some(Token::Word(NumberWord::Scale(scale))) => Some(*scale),
                _ => None,
            };
            choices.push(run_values(run, scale)?);
        }
    }
    let mut combinations: Vec<Vec<Fixed>> = vec![Vec::new()];
    for options in &choices {
        combinations =
            combinations.iter().flat_map(|c| options.iter().map(move |v| [c.clone(), vec![*v]].concat())).collect();
        if combinations.len() > 8 {
            return Err(AmountError::NotUnderstood);
        }
    }
    let mut totals = Vec::new();
    let mut first_error = None;
    for values in &combinations {
        match add_up(&tokens, values) {
            Ok(total) => totals.push(total),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    let mut readings = match expect.range {
        Some(range) => readings_in_range(&totals, range),
        None => Vec::new(),
    };
    if readings.is_empty() {
        let mut whole = Vec::new();
        for total in &totals {
            match to_toman(total) {
                Ok(toman) => whole.push((toman, *total)),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        readings = match whole.as_slice() {
            [] => return Err(first_error.unwrap_or(AmountError::NotUnderstood)),
            // With a range and no reading in it, the amount as written: the question explains.
            [(amount, _)] if expect.range.is_some() => vec![*amount],
            [(amount, total)] => scale_readings(*amount, total, expect),
            several => several.iter().map(|(toman, _)| *toman).collect(),
        };
    }
    readings.sort_unstable();
    readings.dedup();
    readings.retain(|r| *r <= expect.max);
    match readings.as_slice() {
        [] => Err(AmountError::TooLarge),
        [one] => Ok(Reading::Sure(*one)),
        _ => Ok(Reading::Either(readings)),
    }
}

/// Whether an amount so written may have lost its scale: a bare number, or a number with only
/// a unit of toman («۲۵۰ تومن», «۱۲ تومان»).
fn may_lack_a_scale(total: &Total) -> bool {
    !total.scaled && total.unit != Some(Unit::Rial)
}

/// For a question with a range (a loan of 10–20 million): every reading of every way the
/// digits can be taken, with the scale that may have been left off, that falls in the range:
/// «۱۵» and «۱۵.۰۰۰» are 15 million, «۱۲.۵» and «۱۲/۵» 12.5 million. Empty when none does (the
/// amount is then read as written and the range left to the question to explain).
fn readings_in_range(totals: &[Total], (min, max): (i64, i64)) -> Vec<i64> {
    let mut within = Vec::new();
    for total in totals {
        let multipliers: &[u128] = if may_lack_a_scale(total) { &[1, 1_000, 1_000_000] } else { &[1] };
        for m in multipliers {
            let rials = total.rials.saturating_mul(*m);
            if !rials.is_multiple_of(10 * ONE) {
                continue;
            }
            if let Ok(toman) = i64::try_from(rials / (10 * ONE))
                && (min..=max).contains(&toman)
            {
                within.push(toman);
            }
        }
    }
    within
}

/// The readings of an amount that was written without a scale where one may be missing: a bare
/// number, or a small one with «تومن» or «ت».
fn scale_readings(amount: i64, total: &Total, expect: &Expect) -> Vec<i64> {
    if !may_lack_a_scale(total) {
        return vec![amount];
    }
    // Under a fiftieth of what the person usually reports: a missing «هزار» is likelier than
    // such a sale.
    let far_below_usual = expect.usual.is_some_and(|usual| amount.saturating_mul(50) < usual);
    let small = amount < 1_000;
    let thousand = amount.saturating_mul(1_000);
    match total.unit {
        // «۳ تومن», «ده تومن»: said for three or ten million too.
        Some(Unit::SpokenToman) if amount < 100 => vec![amount, thousand, amount.saturating_mul(1_000_000)],
        None | Some(Unit::SpokenToman | Unit::Short) if small || far_below_usual => vec![amount, thousand],
        // «تومان» written out is taken as written, unless it is far below this person's usual.
        Some(Unit::Toman) if far_below_usual => vec![amount, thousand],
        _ => vec![amount],
    }
}

/// What one word of a line is, for telling an amount from the words around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKind {
    /// Digits, or a number word (a count as much as an amount).
    Number,
    /// A scale or a unit: the word makes an amount of the numbers before it.
    Scale,
    /// «و», which joins the parts of an amount.
    And,
    Other,
}

/// Whether a word is, or ends with, میلیون or میلیارد, after which a tail drops the next
/// scale («۱۲ میلیون ۵۰۰» is 12,500,000).
pub fn ends_with_a_large_scale(word: &str) -> bool {
    let letters: String = to_ascii_digits(word).to_lowercase().chars().filter(|c| c.is_alphabetic()).collect();
    word_tokens(&letters)
        .and_then(|tokens| tokens.last().cloned())
        .is_some_and(|t| matches!(t, Token::Word(NumberWord::Scale(s)) if s >= 1_000_000))
}

/// The kind of one word (already normalised, digits in any script).
pub fn word_kind(word: &str) -> WordKind {
    // «هزار‌تومان», as the Persian keyboard writes it, is one word of two units; «(۲۵۰», «هزار!»
    // are what they hold.
    let word = to_ascii_digits(word).to_lowercase().replace('\u{200C}', "");
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    if matches!(word.trim_end_matches(['.', '،']), "ه.ت" | "هت") {
        return WordKind::Scale;
    }
    if word.chars().any(char::is_numeric) {
        // «۲۵۰هزار» and «۱۸۰ت» are numbers with their scale; «A52» or «۲تا» no amount.
        let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.is_empty() {
            return WordKind::Number;
        }
        return match word_tokens(&letters) {
            Some(tokens) if tokens.iter().all(|t| matches!(t, Token::Unit(_) | Token::Word(NumberWord::Scale(_)))) => {
                WordKind::Scale
            }
            _ => WordKind::Other,
        };
    }
    match word_tokens(word).as_deref() {
        Some([Token::And]) => WordKind::And,
        Some(tokens) if tokens.iter().all(|t| matches!(t, Token::Word(NumberWord::Small(_) | NumberWord::Half))) => {
            WordKind::Number
        }
        Some(_) => WordKind::Scale,
        None => WordKind::Other,
    }
}

/// An amount in words, as it reads back: «دو میلیون و پانصد هزار تومان». A remainder under a
/// thousand straight after میلیون or میلیارد would read as thousands («دو میلیون و یک» is said
/// for 2,001,000), so it is written as a part of its own: «دو میلیون تومان و یک تومان».
pub fn toman_in_words(amount: i64) -> String {
    let n = amount.unsigned_abs();
    let rest = n % 1_000;
    if n >= 1_000_000 && rest != 0 && (n / 1_000).is_multiple_of(1_000) {
        format!("{} تومان و {} تومان", to_words(n - rest), to_words(rest))
    } else {
        format!("{} تومان", to_words(n))
    }
}

/// The unit of a short label for an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundUnit {
    Million,
    Thousand,
    One,
}

impl RoundUnit {
    /// The unit's name, as the locale files select on it.
    pub fn name(self) -> &'static str {
        match self {
            RoundUnit::Million => "million",
            RoundUnit::Thousand => "thousand",
            RoundUnit::One => "one",
        }
    }
}

/// The largest unit an amount is a whole number of, for a short label: (count, unit), as in
/// «۴۰۰ هزار تومان», «۲ میلیون تومان», «۴۰۰ تومان».
pub fn in_round_units(amount: i64) -> (i64, RoundUnit) {
    if amount != 0 && amount % 1_000_000 == 0 {
        (amount / 1_000_000, RoundUnit::Million)
    } else if amount != 0 && amount % 1_000 == 0 {
        (amount / 1_000, RoundUnit::Thousand)
    } else {
        (amount, RoundUnit::One)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persian::digits::format_number;
    use proptest::prelude::*;

    fn sure(input: &str) -> Result<i64, AmountError> {
        match read_amount(input, &Expect::at_most(i64::MAX))? {
            Reading::Sure(a) => Ok(a),
            Reading::Either(r) => panic!("{input:?} read as either of {r:?}"),
        }
    }

    fn either(input: &str, expect: &Expect) -> Vec<i64> {
        match read_amount(input, expect) {
            Ok(Reading::Either(r)) => r,
            other => panic!("{input:?} read as {other:?}"),
        }
    }

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
            assert_eq!(sure(input), Ok(*expected), "input {input:?}");
        }
    }

    #[test]
    fn after_a_million_the_tail_is_thousands() {
        for (input, expected) in [
            ("۲ میلیون و ۵۰۰", 2_500_000),
            ("۱۲ میلیون ۵۰۰", 12_500_000),
            ("دو میلیون و پانصد", 2_500_000),
            ("۳ میلیون و ۲۵", 3_025_000),
            ("یک میلیارد و دویست", 1_200_000_000),
            ("۱ میلیارد و ۵۰۰ میلیون", 1_500_000_000),
            ("۲ میلیون و ۵۰۰ هزار", 2_500_000),
            ("۲ میلیون و ۵۰۰ تومان", 2_500_000),
            ("۱۲۵ هزار و ۵۰۰", 125_500),
            ("۱۲۵ هزار و پانصد", 125_500),
        ] {
            assert_eq!(sure(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn a_decimal_before_a_multiplier() {
        for (input, expected) in [
            ("۲.۵۰۰ میلیون", 2_500_000),
            ("۲٫۵ میلیون", 2_500_000),
            ("۱/۵ میلیون", 1_500_000),
            ("۲،۵ میلیون", 2_500_000),
            ("2,75 میلیون", 2_750_000),
            ("۱٫۲۵۰٫۰۰۰", 1_250_000),
            ("0.5 میلیون", 500_000),
        ] {
            assert_eq!(sure(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn words_formal_and_spoken() {
        for (input, expected) in [
            ("دویست و پنجاه هزار", 250_000),
            ("پونصد هزار تومن", 500_000),
            ("یه میلیون", 1_000_000),
            ("نیم میلیون", 500_000),
            ("یک و نیم میلیون", 1_500_000),
            ("سیصد و بیست هزار", 320_000),
            ("دویس هزار", 200_000),
            ("شیشصد هزار", 600_000),
            ("هفصد هزار", 700_000),
            ("پنجا هزار", 50_000),
            ("صدهزار", 100_000),
            ("صدهزار تومان", 100_000),
            ("۲ میلیون و نیم", 2_500_000),
            ("۲ و نیم میلیون", 2_500_000),
            ("دو میلیون و پانصد هزار", 2_500_000),
        ] {
            assert_eq!(sure(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn units_joined_abbreviated_twice_and_with_slips() {
        for (input, expected) in [
            ("۲۵۰هزارتومن", 250_000),
            ("۲۵۰هزارت", 250_000),
            ("۵۰۰ ه.ت", 500_000),
            ("۵۰۰ ه ت", 500_000),
            ("نه تومان", 9),
            ("هفتصد و سی و نه تومان", 739),
            ("۲ میلیون تومان و ۵۰۰ هزار تومان", 2_500_000),
            ("۲۵۰ هزر", 250_000),
            ("۲ میلون", 2_000_000),
            ("۳۰۰ هرار", 300_000),
            ("250 hezar", 250_000),
            ("2 milion", 2_000_000),
            ("مبلغ: ۲۵۰ هزار", 250_000),
            ("۲۵۰ هزار بود", 250_000),
            ("(۲۵۰ هزار تومان)", 250_000),
            ("۲۵۰ هزار 👍", 250_000),
            ("۵۰۰۰۰۰ ریال", 50_000),
        ] {
            assert_eq!(sure(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn every_amount_in_words_reads_back_on_a_sample() {
        for n in 1..=2_000i64 {
            assert_eq!(sure(&toman_in_words(n)), Ok(n), "{n}: {}", toman_in_words(n));
        }
        let mut n = 2_001i64;
        while n <= 10_000_000_000 {
            assert_eq!(sure(&toman_in_words(n)), Ok(n), "{n}: {}", toman_in_words(n));
            n = n * 3 / 2 + 7;
        }
        for n in [2_000_001, 1_000_000_200, 1_200_000_005, 5_000_999] {
            assert_eq!(sure(&toman_in_words(n)), Ok(n), "{n}: {}", toman_in_words(n));
        }
        assert_eq!(toman_in_words(2_500_000), "دو میلیون و پانصد هزار تومان");
        assert_eq!(toman_in_words(2_000_001), "دو میلیون تومان و یک تومان");
    }

    #[test]
    fn numbers_in_words_alone() {
        for (text, n) in [("بیست و پنج", 25), ("دو", 2), ("سی", 30), ("سیصد و بیست", 320), ("دو هزار", 2_000)]
        {
            assert_eq!(number_in_words(text), Some(n), "{text}");
        }
        for text in ["۲۵", "بیست تومان", "نیم", "روسری", "", "و"] {
            assert_eq!(number_in_words(text), None, "{text}");
        }
    }

    #[test]
    fn words_are_told_apart_by_kind() {
        for (word, kind) in [
            ("۲۵۰", WordKind::Number),
            ("دویست", WordKind::Number),
            ("هزار", WordKind::Scale),
            ("تومان", WordKind::Scale),
            ("۲۵۰هزار", WordKind::Scale),
            ("و", WordKind::And),
            ("روسری", WordKind::Other),
            ("تا", WordKind::Other),
        ] {
            assert_eq!(word_kind(word), kind, "{word}");
        }
    }

    #[test]
    fn ambiguous_readings_are_all_returned() {
        let plain = Expect::at_most(1_000_000_000);
        assert_eq!(either("۴۰۰٫۰۰۰", &plain), vec![400, 400_000]);
        assert_eq!(either("400.000", &plain), vec![400, 400_000]);
        assert_eq!(either("۲۵۰ تومن", &plain), vec![250, 250_000]);
        assert_eq!(either("۲۵۰", &plain), vec![250, 250_000]);
        // Far below what this person usually sells for.
        let usual = Expect { usual: Some(450_000), ..plain };
        assert_eq!(either("۲۵۰۰", &usual), vec![2_500, 2_500_000]);
        assert_eq!(either("۲۵۰۰ تومان", &usual), vec![2_500, 2_500_000]);
        assert_eq!(read_amount("۲۵۰۰", &plain), Ok(Reading::Sure(2_500)));
        assert_eq!(read_amount("۲۵۰۰ تومان", &plain), Ok(Reading::Sure(2_500)));
        // A readings above the maximum is no reading.
        assert_eq!(read_amount("۲۵۰", &Expect::at_most(100_000)), Ok(Reading::Sure(250)));
        // A range decides: a loan of 10–20 million.
        let loan = Expect { range: Some((10_000_000, 20_000_000)), ..plain };
        assert_eq!(read_amount("۱۵", &loan), Ok(Reading::Sure(15_000_000)));
        assert_eq!(read_amount("۱۵۰۰۰", &loan), Ok(Reading::Sure(15_000_000)));
        assert_eq!(read_amount("۱۵ میلیون", &loan), Ok(Reading::Sure(15_000_000)));
        assert_eq!(read_amount("۲۵", &loan), Ok(Reading::Sure(25)));
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
            ("۰۹۱۲۳۴۵۶۷۸۹", AmountError::LooksLikePhone),
            ("0935 123 4567", AmountError::LooksLikePhone),
            ("+98 912 345 6789", AmountError::LooksLikePhone),
            ("\u{202E}۰۰۰۵۲", AmountError::HiddenDirection),
            ("۲۵۰\u{2067} هزار", AmountError::HiddenDirection),
            ("۲ میلیون و ۳۰۰۰۰۰۰", AmountError::NotUnderstood),
            ("و", AmountError::NotUnderstood),
            ("۲ و و ۳", AmountError::NotUnderstood),
        ];
        for (input, expected) in cases {
            assert_eq!(read_amount(input, &Expect::at_most(i64::MAX)), Err(*expected), "input {input:?}");
        }
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(n in 1_000i64..=i64::MAX / 100) {
            prop_assert_eq!(sure(&format_number(n)), Ok(n));
            let with_unit = format!("{} تومان", format_number(n));
            prop_assert_eq!(sure(&with_unit), Ok(n));
        }

        #[test]
        fn amounts_in_words_read_back(n in 1i64..=10_000_000_000) {
            let written = toman_in_words(n);
            prop_assert_eq!(sure(&written), Ok(n), "{}", written);
        }

        /// The same amount in Persian, Arabic-Indic or Latin digits reads the same.
        #[test]
        fn every_digit_script_reads_the_same(n in 1i64..=1_000_000_000, scale in 0usize..3) {
            let unit = ["", " هزار", " میلیون"][scale];
            let latin = format!("{n}{unit}");
            let persian: String = latin.chars().map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0x06F0 + d).unwrap())).collect();
            let arabic: String = latin.chars().map(|c| c.to_digit(10).map_or(c, |d| char::from_u32(0x0660 + d).unwrap())).collect();
            let expect = Expect::at_most(i64::MAX);
            let read = read_amount(&latin, &expect);
            prop_assert_eq!(&read_amount(&persian, &expect), &read);
            prop_assert_eq!(&read_amount(&arabic, &expect), &read);
        }

        /// Words that carry nothing, a trailing emoji or full stop, change nothing.
        #[test]
        fn fillers_change_nothing(n in 1i64..=999, filler in 0usize..5) {
            let plain = format!("{n} هزار تومان");
            let dressed = [
                format!("مبلغ: {plain}"),
                format!("{plain} بود"),
                format!("حدوداً {plain}"),
                format!("{plain} 👍"),
                format!("({plain})."),
            ][filler].clone();
            let expect = Expect::at_most(i64::MAX);
            prop_assert_eq!(read_amount(&dressed, &expect), read_amount(&plain, &expect));
        }

        /// Readings offered are sorted, distinct, at least two, and none above the maximum.
        #[test]
        fn readings_are_sorted_distinct_and_allowed(s in "[0-9۰-۹,٬.٫ ]{1,12}( ?(تومن|ت|تومان|هزار))?", usual in proptest::option::of(1i64..10_000_000), max in 1_000i64..=1_000_000_000) {
            if let Ok(Reading::Either(readings)) = read_amount(&s, &Expect { max, usual, range: None }) {
                prop_assert!(readings.len() >= 2);
                prop_assert!(readings.windows(2).all(|w| w[0] < w[1]), "{:?}", readings);
                prop_assert!(readings.iter().all(|r| *r <= max && *r > 0), "{:?}", readings);
            }
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,64}") {
            let _ = read_amount(&s, &Expect::at_most(1_000_000_000));
        }

        #[test]
        fn digit_and_separator_soup_never_panics(s in "[0-9۰-۹٠-٩,٬،.٫/ هزارمیلونکنیمو-]{0,40}") {
            let _ = read_amount(&s, &Expect { max: 1_000_000_000, usual: Some(300_000), range: Some((10, 1_000_000)) });
        }
    }
}
