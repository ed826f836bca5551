//! Loans: the facility of each level, installment schedules on the Jalali calendar,
//! allocation of payments, and arrears. Pure functions over plain data.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::persian::jalali::JalaliDate;

/// The loan rules of the programme (from the programme file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoanPolicy {
    pub arrears_buckets: Vec<i64>,
    pub installment_choices: Vec<u32>,
    pub max_installments: u32,
    pub levels: Vec<LevelFacility>,
}

/// The loan a level may receive.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LevelFacility {
    pub level: u8,
    pub min_toman: i64,
    pub max_toman: i64,
    /// Fee in basis points of the principal (100 = 1%).
    pub fee_basis_points: u32,
}

impl LoanPolicy {
    pub fn facility(&self, level: u8) -> Option<&LevelFacility> {
        self.levels.iter().find(|f| f.level == level)
    }

    /// Problems that make the policy unusable, in words an operator understands.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for level in 1..=3u8 {
            match self.levels.iter().filter(|f| f.level == level).count() {
                1 => {}
                0 => problems.push(format!("loans.levels has no facility for level {level}")),
                _ => problems.push(format!("loans.levels has level {level} more than once")),
            }
        }
        for f in &self.levels {
            if !(1..=3).contains(&f.level) {
                problems.push(format!("loans.levels: level {} does not exist (levels are 1–3)", f.level));
            }
            if f.min_toman <= 0 || f.min_toman > f.max_toman {
                problems.push(format!("loans.levels: level {} needs 0 < min_toman ≤ max_toman", f.level));
            }
            if f.fee_basis_points > 10_000 {
                problems.push(format!("loans.levels: level {} fee_basis_points above 10000 (100%)", f.level));
            }
        }
        if self.arrears_buckets.is_empty()
            || self.arrears_buckets[0] < 1
            || self.arrears_buckets.windows(2).any(|w| w[0] >= w[1])
        {
            problems.push("loans.arrears_buckets must be increasing day counts starting at 1 or more".into());
        }
        if self.max_installments == 0 || self.max_installments > 120 {
            problems.push("loans.max_installments must be between 1 and 120".into());
        }
        if self.installment_choices.iter().any(|&n| n == 0 || n > self.max_installments) {
            problems.push("loans.installment_choices must be between 1 and max_installments".into());
        }
        problems
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoanProblem {
    /// The amount is outside the level's range.
    OutOfRange {
        min: i64,
        max: i64,
    },
    NoFacility,
    BadInstallmentCount {
        max: u32,
    },
}

/// Checks a loan amount against the person's level; returns the fee.
pub fn check_loan(policy: &LoanPolicy, level: u8, principal: i64) -> Result<i64, LoanProblem> {
    let facility = policy.facility(level).ok_or(LoanProblem::NoFacility)?;
    if principal < facility.min_toman || principal > facility.max_toman {
        return Err(LoanProblem::OutOfRange { min: facility.min_toman, max: facility.max_toman });
    }
    Ok(fee(principal, facility.fee_basis_points))
}

pub fn check_installment_count(policy: &LoanPolicy, count: u32) -> Result<u32, LoanProblem> {
    if count == 0 || count > policy.max_installments {
        return Err(LoanProblem::BadInstallmentCount { max: policy.max_installments });
    }
    Ok(count)
}

/// The fee on a principal, rounded to the nearest toman.
pub fn fee(principal: i64, basis_points: u32) -> i64 {
    let raw = i128::from(principal) * i128::from(basis_points);
    ((raw + 5_000) / 10_000) as i64
}

/// One installment of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduledInstallment {
    pub number: u32,
    pub due_on: NaiveDate,
    pub amount: i64,
}

/// The day `months` Jalali months after `first`, on the same day of the month, or the
/// month's last day when that day does not exist (31 Shahrivar → 30 Mehr; 30 Esfand in a
/// common year → 29 Esfand).
pub fn add_jalali_months(first: NaiveDate, months: u32) -> Option<NaiveDate> {
    let start = JalaliDate::from_gregorian(first);
    let index = i64::from(start.month) - 1 + i64::from(months);
    let year = start.year + i32::try_from(index / 12).ok()?;
    let month = u8::try_from(index % 12 + 1).ok()?;
    let last = JalaliDate::days_in_month(year, month)?;
    JalaliDate { year, month, day: start.day.min(last) }.to_gregorian()
}

/// Monthly installments from `first_due` that add up exactly to `total`; the rounding
/// difference goes on the last one.
pub fn schedule(total: i64, count: u32, first_due: NaiveDate) -> Vec<ScheduledInstallment> {
    if count == 0 || total <= 0 {
        return Vec::new();
    }
    let each = total / i64::from(count);
    (0..count)
        .filter_map(|i| {
            let amount = if i + 1 == count { total - each * i64::from(count - 1) } else { each };
            Some(ScheduledInstallment { number: i + 1, due_on: add_jalali_months(first_due, i)?, amount })
        })
        .collect()
}

/// An installment as stored: what was due and what has been paid toward it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstallmentState {
    pub id: i64,
    pub due_on: NaiveDate,
    pub amount: i64,
    pub paid: i64,
}

impl InstallmentState {
    pub fn unpaid(&self) -> i64 {
        (self.amount - self.paid).max(0)
    }
}

/// How a confirmed payment is spread: oldest unpaid installments first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// (installment id, amount applied)
    pub applied: Vec<(i64, i64)>,
    /// What was paid beyond everything owed.
    pub overpaid: i64,
}

pub fn allocate(installments: &[InstallmentState], payment: i64) -> Allocation {
    let mut ordered: Vec<&InstallmentState> = installments.iter().filter(|i| i.unpaid() > 0).collect();
    ordered.sort_by_key(|i| (i.due_on, i.id));
    let mut left = payment.max(0);
    let mut applied = Vec::new();
    for installment in ordered {
        if left == 0 {
            break;
        }
        let part = left.min(installment.unpaid());
        applied.push((installment.id, part));
        left -= part;
    }
    Allocation { applied, overpaid: left }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoanState {
    Active,
    /// Installments suspended for a pause-and-review: days in a pause do not count as late.
    Paused,
    /// The business failed: nothing further falls due, so no debt piles up.
    Stopped,
    Repaid,
}

impl LoanState {
    pub fn as_str(self) -> &'static str {
        match self {
            LoanState::Active => "active",
            LoanState::Paused => "paused",
            LoanState::Stopped => "stopped",
            LoanState::Repaid => "repaid",
        }
    }

    /// The states a caseworker may move a loan to from this one (repaid is reached by
    /// payments alone; a stopped loan stays stopped).
    pub fn allowed_changes(self) -> &'static [LoanState] {
        match self {
            LoanState::Active => &[LoanState::Paused, LoanState::Stopped],
            LoanState::Paused => &[LoanState::Active, LoanState::Stopped],
            LoanState::Stopped | LoanState::Repaid => &[],
        }
    }

    pub fn parse(s: &str) -> Option<LoanState> {
        Some(match s {
            "active" => LoanState::Active,
            "paused" => LoanState::Paused,
            "stopped" => LoanState::Stopped,
            "repaid" => LoanState::Repaid,
            _ => return None,
        })
    }
}

/// A stretch of days in which the loan was paused: from `start` up to (not including) `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// The pauses of a loan and the day it was stopped, from its state changes in order
/// (each with the day it took effect).
pub fn pauses_and_stop(events: &[(LoanState, NaiveDate)]) -> (Vec<Pause>, Option<NaiveDate>) {
    let mut pauses: Vec<Pause> = Vec::new();
    let mut stopped = None;
    for &(state, day) in events {
        match state {
            LoanState::Paused if pauses.last().is_none_or(|p| p.end.is_some()) => {
                pauses.push(Pause { start: day, end: None })
            }
            LoanState::Active => {
                if let Some(open) = pauses.last_mut().filter(|p| p.end.is_none()) {
                    open.end = Some(day);
                }
            }
            LoanState::Stopped => stopped = Some(day),
            _ => {}
        }
    }
    (pauses, stopped)
}

/// Where a loan stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoanStanding {
    pub outstanding: i64,
    pub paid: i64,
    /// Unpaid amounts already due.
    pub overdue_amount: i64,
    /// Days since the oldest unpaid installment fell due, not counting paused days.
    pub days_past_due: i64,
    /// Index into the policy's arrears buckets (0 = the first, «1–7 days»), if late at all.
    pub arrears_bucket: Option<usize>,
    pub next_due: Option<(NaiveDate, i64)>,
}

/// Computes a loan's standing as of `today`. A stopped loan is frozen at `stopped_on`.
pub fn standing(
    installments: &[InstallmentState],
    today: NaiveDate,
    pauses: &[Pause],
    stopped_on: Option<NaiveDate>,
    buckets: &[i64],
) -> LoanStanding {
    let as_of = stopped_on.map_or(today, |s| s.min(today));
    let mut ordered: Vec<&InstallmentState> = installments.iter().collect();
    ordered.sort_by_key(|i| (i.due_on, i.id));
    let paid: i64 = ordered.iter().map(|i| i.paid.min(i.amount)).sum();
    let outstanding: i64 = ordered.iter().map(|i| i.unpaid()).sum();
    let late: Vec<&&InstallmentState> = ordered.iter().filter(|i| i.unpaid() > 0 && i.due_on < as_of).collect();
    let overdue_amount = late.iter().map(|i| i.unpaid()).sum();
    let days_past_due = late.first().map_or(0, |oldest| counted_days(oldest.due_on, as_of, pauses));
    let arrears_bucket =
        (days_past_due > 0).then(|| buckets.iter().rposition(|&start| days_past_due >= start)).flatten();
    let next_due = if stopped_on.is_some() {
        None
    } else {
        ordered.iter().find(|i| i.unpaid() > 0 && i.due_on >= today).map(|i| (i.due_on, i.unpaid()))
    };
    LoanStanding { outstanding, paid, overdue_amount, days_past_due, arrears_bucket, next_due }
}

/// Days in [from, to) that fall in no pause.
fn counted_days(from: NaiveDate, to: NaiveDate, pauses: &[Pause]) -> i64 {
    let total = (to - from).num_days().max(0);
    let paused: i64 = pauses
        .iter()
        .map(|p| {
            let start = p.start.max(from);
            let end = p.end.unwrap_or(to).min(to);
            (end - start).num_days().max(0)
        })
        .sum();
    (total - paused).max(0)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn jalali(y: i32, m: u8, d: u8) -> NaiveDate {
        JalaliDate { year: y, month: m, day: d }.to_gregorian().unwrap()
    }

    /// The seed's facilities, shared by the loan-entry tests.
    pub(crate) fn policy() -> LoanPolicy {
        LoanPolicy {
            arrears_buckets: vec![1, 8, 31, 91],
            installment_choices: vec![6, 12],
            max_installments: 36,
            levels: vec![
                LevelFacility { level: 1, min_toman: 10_000_000, max_toman: 20_000_000, fee_basis_points: 0 },
                LevelFacility { level: 2, min_toman: 30_000_000, max_toman: 50_000_000, fee_basis_points: 200 },
                LevelFacility { level: 3, min_toman: 70_000_000, max_toman: 100_000_000, fee_basis_points: 0 },
            ],
        }
    }

    #[test]
    fn amounts_outside_the_level_are_refused() {
        let p = policy();
        assert_eq!(check_loan(&p, 1, 15_000_000), Ok(0));
        assert_eq!(check_loan(&p, 1, 25_000_000), Err(LoanProblem::OutOfRange { min: 10_000_000, max: 20_000_000 }));
        assert_eq!(check_loan(&p, 1, 9_999_999), Err(LoanProblem::OutOfRange { min: 10_000_000, max: 20_000_000 }));
        assert_eq!(check_loan(&p, 2, 40_000_000), Ok(800_000));
        assert_eq!(check_loan(&p, 3, 60_000_000), Err(LoanProblem::OutOfRange { min: 70_000_000, max: 100_000_000 }));
        assert!(p.problems().is_empty());
        let mut broken = policy();
        broken.levels.pop();
        broken.arrears_buckets = vec![8, 1];
        assert_eq!(broken.problems().len(), 2, "{:?}", broken.problems());
    }

    #[test]
    fn months_keep_the_day_or_take_the_last_one() {
        // 31 Shahrivar 1405 → 30 Mehr → 30 Aban … → 29 Esfand (1405 is a common year).
        let first = jalali(1405, 6, 31);
        assert_eq!(add_jalali_months(first, 1), Some(jalali(1405, 7, 30)));
        assert_eq!(add_jalali_months(first, 6), Some(jalali(1405, 12, 29)));
        assert_eq!(add_jalali_months(first, 7), Some(jalali(1406, 1, 31)));
        // 30 Esfand of a leap year exists.
        assert_eq!(add_jalali_months(jalali(1403, 11, 30), 1), Some(jalali(1403, 12, 30)));
        assert_eq!(add_jalali_months(jalali(1404, 11, 30), 1), Some(jalali(1404, 12, 29)));
    }

    #[test]
    fn schedules_add_up_exactly_over_a_year_end() {
        let plan = schedule(10_000_000, 3, jalali(1404, 11, 30));
        let dues: Vec<NaiveDate> = plan.iter().map(|i| i.due_on).collect();
        assert_eq!(dues, vec![jalali(1404, 11, 30), jalali(1404, 12, 29), jalali(1405, 1, 30)]);
        assert_eq!(plan.iter().map(|i| i.amount).collect::<Vec<_>>(), vec![3_333_333, 3_333_333, 3_333_334]);
        let total: i64 = schedule(40_800_000, 12, jalali(1405, 9, 15)).iter().map(|i| i.amount).sum();
        assert_eq!(total, 40_800_000);
        assert!(schedule(0, 12, jalali(1405, 9, 15)).is_empty());
    }

    fn installments(paid: &[i64]) -> Vec<InstallmentState> {
        paid.iter()
            .enumerate()
            .map(|(i, &p)| InstallmentState {
                id: i as i64 + 1,
                due_on: add_jalali_months(jalali(1405, 7, 1), i as u32).unwrap(),
                amount: 1_000_000,
                paid: p,
            })
            .collect()
    }

    #[test]
    fn payments_go_to_the_oldest_unpaid_first() {
        let list = installments(&[1_000_000, 400_000, 0, 0]);
        assert_eq!(allocate(&list, 1_000_000), Allocation { applied: vec![(2, 600_000), (3, 400_000)], overpaid: 0 });
        assert_eq!(allocate(&list, 200_000), Allocation { applied: vec![(2, 200_000)], overpaid: 0 });
        assert_eq!(
            allocate(&list, 3_000_000),
            Allocation { applied: vec![(2, 600_000), (3, 1_000_000), (4, 1_000_000)], overpaid: 400_000 }
        );
    }

    #[test]
    fn arrears_grow_with_the_days_and_stop_during_a_pause() {
        let list = installments(&[1_000_000, 0, 0, 0]);
        let buckets = [1, 8, 31, 91];
        let second_due = list[1].due_on;
        let on = |days: i64| second_due + chrono::Days::new(days as u64);
        let s = standing(&list, second_due, &[], None, &buckets);
        assert_eq!((s.days_past_due, s.overdue_amount, s.arrears_bucket), (0, 0, None));
        assert_eq!(s.next_due, Some((second_due, 1_000_000)));
        assert_eq!(s.outstanding, 3_000_000);
        let s = standing(&list, on(5), &[], None, &buckets);
        assert_eq!((s.days_past_due, s.overdue_amount, s.arrears_bucket), (5, 1_000_000, Some(0)));
        let s = standing(&list, on(40), &[], None, &buckets);
        assert_eq!((s.days_past_due, s.overdue_amount, s.arrears_bucket), (40, 2_000_000, Some(2)));
        // Paused for 20 of those 40 days.
        let pause = [Pause { start: on(10), end: Some(on(30)) }];
        assert_eq!(standing(&list, on(40), &pause, None, &buckets).days_past_due, 20);
        let open_pause = [Pause { start: on(10), end: None }];
        assert_eq!(standing(&list, on(40), &open_pause, None, &buckets).days_past_due, 10);
        // Stopped: frozen at the stop, nothing further due.
        let stopped = standing(&list, on(200), &[], Some(on(3)), &buckets);
        assert_eq!((stopped.days_past_due, stopped.overdue_amount, stopped.next_due), (3, 1_000_000, None));
        let s = standing(&list, on(100), &[], None, &buckets);
        assert_eq!(s.arrears_bucket, Some(3));
    }
}
