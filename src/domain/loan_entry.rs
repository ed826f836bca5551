//! Recording a disbursed loan (by a caseworker or manager): amount → number of
//! installments → first due date → the schedule to confirm. A pure state machine.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::loan::{LoanPolicy, LoanProblem, ScheduledInstallment, check_installment_count, check_loan, schedule};
use crate::persian::amount::{AmountError, Expect, Reading, read_amount};
use crate::persian::digits::to_ascii_digits;
use crate::persian::jalali::{DateInputError, parse_coming_day};
use crate::persian::text::normalize_input;

/// How far ahead a first installment may fall.
const MAX_DAYS_TO_FIRST_DUE: i64 = 366;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoanEntryStep {
    Amount,
    /// The amount could be read more than one way within the facility: which was meant.
    ChooseAmount,
    Count,
    FirstDue,
    Review,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanEntry {
    pub entrepreneur_id: i64,
    /// The person's level when the entry started: it decides the facility.
    pub level: u8,
    pub step: LoanEntryStep,
    pub principal: Option<i64>,
    pub fee: Option<i64>,
    pub count: Option<u32>,
    pub first_due: Option<NaiveDate>,
    /// The readings of an ambiguous amount, while the caseworker chooses.
    #[serde(default)]
    pub amount_choices: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoanEntryProblem {
    Amount(AmountError),
    Loan(LoanProblem),
    Count,
    Day(DateInputError),
    UseButtons,
}

impl LoanEntry {
    pub fn new(entrepreneur_id: i64, level: u8) -> LoanEntry {
        LoanEntry {
            entrepreneur_id,
            level,
            step: LoanEntryStep::Amount,
            principal: None,
            fee: None,
            count: None,
            first_due: None,
            amount_choices: Vec::new(),
        }
    }

    /// The installments the entry describes (empty until complete).
    pub fn schedule(&self) -> Vec<ScheduledInstallment> {
        match (self.principal, self.fee, self.count, self.first_due) {
            (Some(p), Some(f), Some(n), Some(first)) => schedule(p + f, n, first),
            _ => Vec::new(),
        }
    }
}

fn parse_count(text: &str) -> Option<u32> {
    let text = to_ascii_digits(&normalize_input(text));
    let digits: Vec<&str> = text.split(' ').filter(|w| !matches!(*w, "قسط" | "ماه" | "ماهه" | "قسطی")).collect();
    match digits[..] {
        [n] => n.parse().ok(),
        _ => None,
    }
}

/// Takes the loan's principal (typed, or one of the readings offered) and goes on to the count.
pub fn choose_amount(entry: &LoanEntry, principal: i64, policy: &LoanPolicy) -> Result<LoanEntry, LoanEntryProblem> {
    let mut next = entry.clone();
    next.fee = Some(check_loan(policy, entry.level, principal).map_err(LoanEntryProblem::Loan)?);
    next.principal = Some(principal);
    next.amount_choices.clear();
    next.step = LoanEntryStep::Count;
    Ok(next)
}

/// Takes one typed answer at the current step; on a problem the entry is unchanged.
pub fn advance_loan_entry(
    entry: &LoanEntry,
    text: &str,
    today: NaiveDate,
    policy: &LoanPolicy,
) -> Result<LoanEntry, LoanEntryProblem> {
    let mut next = entry.clone();
    match entry.step {
        LoanEntryStep::Amount | LoanEntryStep::ChooseAmount => {
            // The facility's range decides what a bare «۱۵» means (15 million).
            let facility = policy.facility(entry.level).ok_or(LoanEntryProblem::Loan(LoanProblem::NoFacility))?;
            // Amounts above the facility are still read (up to a thousand times its ceiling), so
            // that `check_loan` names the facility's range instead of «too large».
            let expect = Expect {
                max: facility.max_toman.saturating_mul(1_000),
                usual: None,
                range: Some((facility.min_toman, facility.max_toman)),
            };
            match read_amount(text, &expect).map_err(LoanEntryProblem::Amount)? {
                Reading::Sure(principal) => return choose_amount(&next, principal, policy),
                Reading::Either(choices) => {
                    next.amount_choices = choices;
                    next.step = LoanEntryStep::ChooseAmount;
                }
            }
        }
        LoanEntryStep::Count => {
            let count = parse_count(text).ok_or(LoanEntryProblem::Count)?;
            next.count = Some(check_installment_count(policy, count).map_err(LoanEntryProblem::Loan)?);
            next.step = LoanEntryStep::FirstDue;
        }
        LoanEntryStep::FirstDue => {
            next.first_due = Some(parse_coming_day(text, today, MAX_DAYS_TO_FIRST_DUE).map_err(LoanEntryProblem::Day)?);
            next.step = LoanEntryStep::Review;
        }
        LoanEntryStep::Review => return Err(LoanEntryProblem::UseButtons),
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::loan::tests::policy;

    #[test]
    fn a_level_two_loan_with_its_fee() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let mut entry = LoanEntry::new(5, 2);
        for answer in ["۴۰ میلیون", "۱۲ قسط", "۱۴۰۵/۱۰/۱"] {
            entry = advance_loan_entry(&entry, answer, today, &policy()).unwrap();
        }
        assert_eq!(entry.step, LoanEntryStep::Review);
        assert_eq!((entry.principal, entry.fee, entry.count), (Some(40_000_000), Some(800_000), Some(12)));
        let plan = entry.schedule();
        assert_eq!(plan.len(), 12);
        assert_eq!(plan.iter().map(|i| i.amount).sum::<i64>(), 40_800_000);
    }

    #[test]
    fn out_of_range_and_bad_answers_are_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let entry = LoanEntry::new(5, 1);
        assert_eq!(
            advance_loan_entry(&entry, "۲۵ میلیون", today, &policy()),
            Err(LoanEntryProblem::Loan(LoanProblem::OutOfRange { min: 10_000_000, max: 20_000_000 }))
        );
        assert_eq!(
            advance_loan_entry(&entry, "زیاد", today, &policy()),
            Err(LoanEntryProblem::Amount(AmountError::NotUnderstood))
        );
        let at_count = advance_loan_entry(&entry, "۱۵ میلیون", today, &policy()).unwrap();
        // A bare number is read within the facility: «۱۵» is 15 million, «۱۲۰۰۰» 12 million.
        assert_eq!(advance_loan_entry(&entry, "۱۵", today, &policy()), Ok(at_count.clone()));
        assert_eq!(advance_loan_entry(&entry, "۱۲۰۰۰", today, &policy()).unwrap().principal, Some(12_000_000));
        assert_eq!(
            advance_loan_entry(&at_count, "۰", today, &policy()),
            Err(LoanEntryProblem::Loan(LoanProblem::BadInstallmentCount { max: 36 }))
        );
        assert_eq!(advance_loan_entry(&at_count, "دوازده", today, &policy()), Err(LoanEntryProblem::Count));
        let at_due = advance_loan_entry(&at_count, "10", today, &policy()).unwrap();
        assert_eq!(
            advance_loan_entry(&at_due, "۱۴۰۵/۸/۱", today, &policy()),
            Err(LoanEntryProblem::Day(DateInputError::TooOld))
        );
    }
}
