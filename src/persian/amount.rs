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

use super::digits::{format_number, to_ascii_digits};
use super::text::{has_hidden_direction, normalize_input};
use super::words::{NumberWord, number_word, split_joined, to_words};

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
    /// The only amounts that can be meant, if the question has a range (a loan facility).
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
    /// «تومن», as said: after a small number it often means thousand toman.
    SpokenToman,
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
const FILLERS: [&str; 12] =
    ["مبلغ", "مبلغش", "قیمت", "قیمتش", "بود", "شد", "است", "هست", "حدود", "تقریبا", "فقط", "مجموعا"];

/// Unit and scale words as typed, with their Finglish spellings.
fn vocabulary(word: &str) -> Option<Token> {
    Some(match word {
        "تومان" | "toman" | "tooman" | "t" | "ت" => Token::Unit(Unit::Toman),
        "تومن" | "tomen" | "tomn" => Token::Unit(Unit::SpokenToman),
        "ریال" | "rial" | "riyal" | "irr" => Token::Unit(Unit::Rial),
        "k" | "ک" | "hezar" | "hezaar" | "hazar" | "thousand" => Token::Word(NumberWord::Scale(1_000)),
        "m" | "م" | "milion" | "million" | "milyon" | "melyoon" | "miliyon" | "میلیونی" => {
            Token::Word(NumberWord::Scale(1_000_000))
        }
        "b" | "milyard" | "miliard" | "milliard" | "billion" => Token::Word(NumberWord::Scale(1_000_000_000)),
        "و" | "va" | "o" => Token::And,
        _ => return number_word(word).map(Token::Word),
    })
}

/// The long words a one-letter slip is forgiven in («هزر», «هرار», «میلون»).
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
    if prefix == long.len() {
        return true;
    }
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// One word's tokens: a known word, two known words written joined («هزارتومن»,
/// «صدهزار»), or a unit or scale with one slip.
fn word_tokens(word: &str) -> Option<Vec<Token>> {
    if let Some(token) = vocabulary(word) {
        return Some(vec![token]);
    }
    if let Some((a, b)) = split_joined(word) {
        return Some(vec![Token::Word(a), Token::Word(b)]);
    }
    let joined =
        word.char_indices().skip(1).find_map(|(i, _)| Some(vec![vocabulary(&word[..i])?, vocabulary(&word[i..])?]));
    if joined.is_some() {
        return joined;
    }
    if word.chars().count() >= 3 {
        let mut slips = FORGIVEN.iter().filter(|(known, _)| one_slip_apart(word, known));
        if let (Some((_, token)), None) = (slips.next(), slips.next()) {
            return Some(vec![token.clone()]);
        }
    }
    None
}

/// Characters that can stand inside a run of digits.
const RUN_MARKS: [char; 7] = [',', '٬', '،', '.', '٫', '/', ' '];

fn tokenize(text: &str) -> Result<Vec<Token>, AmountError> {
    let chars: Vec<char> = text.chars().collect();
    // Spaces group digits («۲ ۵۰۰ ۰۰۰») in a number typed alone; beside words, two groups are
    // more likely two numbers («سایز ۴۰ ۲۵۰ هزار»), so three groups are needed there.
    let alone = !chars.iter().any(|c| c.is_alphabetic());
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            // A mark belongs to the number only when a digit follows it; a space only when
            // exactly three digits follow (so «۲ ۵۰۰ ۰۰۰» is one number, «۲ ۵ هزار» not).
            while i < chars.len() {
                let c = chars[i];
                if c.is_ascii_digit() {
                    i += 1;
                } else if RUN_MARKS.contains(&c) && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()) {
                    if c == ' ' && chars[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count() != 3 {
                        break;
                    }
                    i += 1;
                } else {
                    break;
                }
            }
            let run: String = chars[start..i].iter().collect();
            if !alone && run.contains(' ') && run.split(' ').count() < 3 {
                tokens.extend(run.split(' ').map(|part| Token::Digits(DigitRun(part.to_string()))));
            } else {
                tokens.push(Token::Digits(DigitRun(run)));
            }
        } else if matches!(c, '-' | '−' | '–')
            && chars[i + 1..].iter().find(|d| **d != ' ').is_some_and(char::is_ascii_digit)
        {
            // «مبلغ: -۵۰۰»: a minus anywhere before a number.
            return Err(AmountError::Negative);
        } else if c.is_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if FILLERS.contains(&word.as_str()) {
                continue;
            }
            tokens.extend(word_tokens(&word).ok_or(AmountError::NotUnderstood)?);
        } else {
            i += 1;
        }
    }
    Ok(tokens)
}

/// The values a run of digits can have (× ONE): more than one when a single «.» or «٫» (or a
/// comma before a multiplier) could be a decimal mark or a thousands separator.
fn run_values(run: &DigitRun, before_scale: bool) -> Result<Vec<Fixed>, AmountError> {
    let text = run.0.as_str();
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
        // One dot, ٫ or slash: a decimal before a multiplier; alone, a decimal or, when three
        // digits follow, a thousands separator too.
        [mark @ ('.' | '٫' | '/')] => {
            let (int, frac) = text.split_once(*mark).unwrap_or((text, ""));
            let as_decimal = decimal(int, frac);
            if before_scale || *mark == '/' {
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
    /// No multiplier and no unit: a bare number.
    bare: bool,
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
    // A unit right after a scale closes that part («۲ میلیون تومان و ۵۰۰ تومان»): what follows
    // is as written.
    let mut closed = false;
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
                closed |= current.is_none() && any_scale;
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
            let step = if last_scale >= 1_000_000 && !closed { last_scale / 1_000 } else { 1 };
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
    Ok(Total { rials, bare: !any_scale && unit.is_none(), unit })
}

fn kind(unit: Unit) -> u8 {
    match unit {
        Unit::Toman | Unit::SpokenToman => 0,
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

/// «ه.ت» and «ه ت», shorthand for هزار تومان, written out (as whole words only: «نه تومان» is
/// nine toman).
fn thousand_toman_spelt_out(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let word = words[i].trim_end_matches(['.', '،', ',']);
        if word == "ه.ت" || word == "هت" {
            out.push("هزار تومان");
        } else if word == "ه" && words.get(i + 1).is_some_and(|next| next.trim_end_matches('.') == "ت") {
            out.push("هزار تومان");
            i += 1;
        } else {
            out.push(words[i]);
        }
        i += 1;
    }
    out.join(" ")
}

/// Whether the text is a mobile number rather than an amount («۰۹۱۲…», «+98 912…»).
fn looks_like_phone(text: &str) -> bool {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let others = text.chars().any(|c| c.is_alphabetic());
    !others && (digits.len() == 11 && digits.starts_with("09") || digits.len() == 12 && digits.starts_with("989"))
}

/// Reads an amount, and every reading it could have.
pub fn read_amount(input: &str, expect: &Expect) -> Result<Reading, AmountError> {
    if has_hidden_direction(input) {
        return Err(AmountError::HiddenDirection);
    }
    let text = to_ascii_digits(&normalize_input(input)).to_lowercase();
    let text = thousand_toman_spelt_out(&text);
    let text = text.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
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
            let before_scale = matches!(tokens.get(i + 1), Some(Token::Word(NumberWord::Scale(_))));
            choices.push(run_values(run, before_scale)?);
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
        match add_up(&tokens, values).and_then(|t| to_toman(&t).map(|toman| (toman, t))) {
            Ok(found) => totals.push(found),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    if totals.is_empty() {
        return Err(first_error.unwrap_or(AmountError::NotUnderstood));
    }
    let mut readings: Vec<i64> = totals.iter().map(|(toman, _)| *toman).collect();
    if let [(amount, total)] = totals.as_slice() {
        readings = scale_readings(*amount, total, expect);
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

/// The readings of an amount that was written without a scale where one may be missing: a bare
/// number, or a small one with the spoken «تومن».
fn scale_readings(amount: i64, total: &Total, expect: &Expect) -> Vec<i64> {
    let may_lack_a_scale = total.bare || total.unit == Some(Unit::SpokenToman) || total.unit == Some(Unit::Toman);
    if !may_lack_a_scale {
        return vec![amount];
    }
    if let Some((min, max)) = expect.range {
        // A question with a range (a loan of 10–20 million): the readings in it.
        let within: Vec<i64> = [1, 1_000, 1_000_000]
            .iter()
            .filter_map(|m| amount.checked_mul(*m))
            .filter(|a| (min..=max).contains(a))
            .collect();
        return if within.is_empty() { vec![amount] } else { within };
    }
    let thousand = amount.saturating_mul(1_000);
    // Under a fiftieth of what the person usually reports: a missing «هزار» is likelier than
    // such a sale.
    let far_below_usual = expect.usual.is_some_and(|usual| amount.saturating_mul(50) < usual);
    let small = amount < 1_000;
    let ask = match total.unit {
        None => small || far_below_usual,
        Some(Unit::SpokenToman) => small || far_below_usual,
        // «تومان» written out is taken as written, unless it is far below this person's usual.
        _ => far_below_usual,
    };
    if ask { vec![amount, thousand] } else { vec![amount] }
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

/// The kind of one word (already normalised, digits in any script).
pub fn word_kind(word: &str) -> WordKind {
    let word = to_ascii_digits(word).to_lowercase();
    if matches!(word.trim_end_matches(['.', '،']), "ه.ت" | "هت") {
        return WordKind::Scale;
    }
    if word.chars().any(|c| c.is_ascii_digit()) {
        // «۲۵۰هزار» is a number with its scale; «۲تا» a count.
        let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
        return match word_tokens(&letters) {
            Some(tokens) if tokens.iter().any(|t| matches!(t, Token::Unit(_) | Token::Word(NumberWord::Scale(_)))) => {
                WordKind::Scale
            }
            _ => WordKind::Number,
        };
    }
    match word_tokens(&word).as_deref() {
        Some([Token::And]) => WordKind::And,
        Some(tokens) if tokens.iter().all(|t| matches!(t, Token::Word(NumberWord::Small(_) | NumberWord::Half))) => {
            WordKind::Number
        }
        Some(_) => WordKind::Scale,
        None => WordKind::Other,
    }
}

/// Reads an amount that must be beyond doubt (the command line, tests): the one reading, or
/// NotUnderstood when there are several.
pub fn parse_amount(input: &str) -> Result<i64, AmountError> {
    match read_amount(input, &Expect::at_most(i64::MAX))? {
        Reading::Sure(amount) => Ok(amount),
        Reading::Either(_) => Err(AmountError::NotUnderstood),
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

/// The largest unit an amount is a whole number of, for a short label: (count, unit) with unit
/// "million", "thousand" or "one" («۴۰۰ هزار تومان», «۲ میلیون تومان», «۴۰۰ تومان»).
pub fn in_round_units(amount: i64) -> (i64, &'static str) {
    if amount != 0 && amount % 1_000_000 == 0 {
        (amount / 1_000_000, "million")
    } else if amount != 0 && amount % 1_000 == 0 {
        (amount / 1_000, "thousand")
    } else {
        (amount, "one")
    }
}

/// The number part of «۱۲٬۵۰۰٬۰۰۰ تومان»; the unit word comes from the locale files.
pub fn format_toman(amount: i64) -> String {
    format_number(amount)
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let mut n = 1_000i64;
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
            prop_assert_eq!(sure(&format_toman(n)), Ok(n));
            let with_unit = format!("{} تومان", format_toman(n));
            prop_assert_eq!(sure(&with_unit), Ok(n));
        }

        #[test]
        fn amounts_in_words_read_back(n in 1_000i64..=10_000_000_000) {
            let written = toman_in_words(n);
            prop_assert_eq!(sure(&written), Ok(n), "{}", written);
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
