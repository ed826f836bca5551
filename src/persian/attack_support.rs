//! Shared helpers for the table-driven attack tests (issue 10): what a Persian speaker means,
//! judged against what a reader returns, every mismatch of a table listed at once.

use super::amount::{AmountError, Reading};

/// What a Persian speaker means by an input.
#[derive(Debug, Clone, Copy)]
pub enum Want {
    /// One amount, beyond doubt.
    Sure(i64),
    /// Genuinely ambiguous: ask, and the buttons must include at least these readings.
    Ask(&'static [i64]),
    /// Ask with exactly these readings.
    AskExactly(&'static [i64]),
    /// Not an amount, for this reason.
    Refuse(AmountError),
    /// Not an amount, whatever the reason given.
    RefuseAny,
    /// Anything but a sure amount: refused, or asked.
    NotSure,
    /// Never a sure amount other than this one: Sure(x), a question including x, or a refusal.
    NotOther(i64),
}

/// Why `got` is not what a speaker meant, if it is not; "CRITICAL" when a wrong amount would be
/// stored without a question.
pub fn judge(got: &Result<Reading, AmountError>, want: Want) -> Option<String> {
    let ok = match (want, got) {
        (Want::Sure(x), Ok(Reading::Sure(y))) => x == *y,
        (Want::Ask(needed), Ok(Reading::Either(r))) => needed.iter().all(|n| r.contains(n)),
        (Want::AskExactly(needed), Ok(Reading::Either(r))) => needed == r.as_slice(),
        (Want::Refuse(e), Err(got)) => e == *got,
        (Want::RefuseAny, Err(_)) => true,
        (Want::NotSure, Ok(Reading::Either(_)) | Err(_)) => true,
        (Want::NotOther(x), Ok(Reading::Sure(y))) => x == *y,
        (Want::NotOther(x), Ok(Reading::Either(r))) => r.contains(&x),
        (Want::NotOther(_), Err(_)) => true,
        _ => false,
    };
    if ok {
        return None;
    }
    let severity = match got {
        Ok(Reading::Sure(_)) => "CRITICAL (a sure amount not meant)",
        Ok(Reading::Either(_)) => "asked, but not with the readings meant",
        Err(_) => "refused",
    };
    Some(format!("{severity}: got {got:?}, wanted {want:?}"))
}

/// Panics listing every mismatch, so that one run shows a whole table.
pub fn report(table_name: &str, mismatches: Vec<String>, total: usize) {
    if !mismatches.is_empty() {
        panic!("{table_name}: {} of {total} cases not as meant:\n{}", mismatches.len(), mismatches.join("\n"));
    }
}
