//! What an official notice says: claims taken from a person's records, each of which can be
//! checked again later. A notice is drafted from the claims that hold today, and is sent only
//! while every one of them still holds (a debt paid, a sale reported or a message received
//! since makes the notice untrue, and it is not sent).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::warning::{History, Signal};

/// One statement of fact a notice makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "claim", rename_all = "snake_case")]
pub enum Claim {
    /// At least `amount` toman of installments unpaid, the oldest due on `since`.
    Overdue { amount: i64, since: NaiveDate },
    /// No sale reported after `since` (the last sale's day).
    NoSaleSince { since: NaiveDate },
    /// No sale reported since joining on `joined_on`.
    NoSaleSinceJoining { joined_on: NaiveDate },
    /// The last `count` weekly check-ins went unanswered.
    CheckinsMissed { count: usize },
    /// Nothing heard from the person after `since`, though `reminders` reminders were sent.
    SilentSince { since: NaiveDate, reminders: usize },
}

/// The claims the records support on `today`. Trends and what a check-in reported are the
/// caseworker's to weigh, not a breach, and are never claimed.
pub fn claims(history: &History, signals: &[Signal], today: NaiveDate) -> Vec<Claim> {
    let days_ago = |days: i64| today - chrono::Duration::days(days);
    signals
        .iter()
        .filter_map(|signal| match signal {
            Signal::Overdue { amount, oldest_due, .. } => Some(Claim::Overdue { amount: *amount, since: *oldest_due }),
            Signal::NoSales { .. } => Some(match history.last_sale_on {
                Some(since) => Claim::NoSaleSince { since },
                None => Claim::NoSaleSinceJoining { joined_on: history.joined_on },
            }),
            Signal::CheckinsMissed { in_a_row } => Some(Claim::CheckinsMissed { count: *in_a_row }),
            Signal::NoResponse { days_silent, reminders } => {
                Some(Claim::SilentSince { since: days_ago(*days_silent), reminders: *reminders })
            }
            _ => None,
        })
        .collect()
}

/// Whether every claim still holds with the records as they are now.
pub fn still_true(made: &[Claim], history: &History, signals: &[Signal], today: NaiveDate) -> bool {
    let now = claims(history, signals, today);
    made.iter().all(|claim| match claim {
        Claim::Overdue { amount, since } => {
            now.iter().any(|c| matches!(c, Claim::Overdue { amount: a, since: s } if a >= amount && s <= since))
        }
        Claim::NoSaleSince { since } => history.last_sale_on.is_some_and(|last| last <= *since),
        Claim::NoSaleSinceJoining { .. } => history.last_sale_on.is_none(),
        Claim::CheckinsMissed { count } => {
            now.iter().any(|c| matches!(c, Claim::CheckinsMissed { count: n } if n >= count))
        }
        Claim::SilentSince { since, reminders } => now
            .iter()
            .any(|c| matches!(c, Claim::SilentSince { since: s, reminders: r } if s <= since && r >= reminders)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn overdue(amount: i64, oldest_due: NaiveDate) -> Signal {
        Signal::Overdue { days: 10, amount, bucket: 1, oldest_due }
    }

    #[test]
    fn only_breaches_are_claimed() {
        let history = History { joined_on: day(1), last_sale_on: Some(day(5)), ..History::default() };
        let signals = [
            overdue(1_000_000, day(3)),
            Signal::NoSales { days: 17, usual_gap_days: None },
            Signal::HardWeeks { in_a_row: 2 },
            Signal::SalesFalling { last_30_days: 1, monthly_before: 9 },
            Signal::CheckinsMissed { in_a_row: 2 },
            Signal::NoResponse { days_silent: 10, reminders: 3 },
        ];
        assert_eq!(
            claims(&history, &signals, day(22)),
            vec![
                Claim::Overdue { amount: 1_000_000, since: day(3) },
                Claim::NoSaleSince { since: day(5) },
                Claim::CheckinsMissed { count: 2 },
                Claim::SilentSince { since: day(12), reminders: 3 },
            ]
        );
        let never_sold = History { last_sale_on: None, ..history };
        assert_eq!(
            claims(&never_sold, &[Signal::NoSales { days: 21, usual_gap_days: None }], day(22)),
            vec![Claim::NoSaleSinceJoining { joined_on: day(1) }]
        );
    }

    #[test]
    fn a_claim_made_untrue_by_the_records_stops_the_notice() {
        let history = History { joined_on: day(1), last_sale_on: Some(day(5)), ..History::default() };
        let made = [Claim::Overdue { amount: 1_000_000, since: day(3) }, Claim::NoSaleSince { since: day(5) }];
        let signals = [overdue(1_000_000, day(3)), Signal::NoSales { days: 17, usual_gap_days: None }];
        assert!(still_true(&made, &history, &signals, day(22)));
        // The next morning, one more installment late: still true.
        let worse = [overdue(2_000_000, day(3)), Signal::NoSales { days: 18, usual_gap_days: None }];
        assert!(still_true(&made, &history, &worse, day(23)));
        // Paid in part.
        let paid = [overdue(400_000, day(3)), Signal::NoSales { days: 17, usual_gap_days: None }];
        assert!(!still_true(&made, &history, &paid, day(22)));
        // A sale reported since.
        let sold = History { last_sale_on: Some(day(22)), ..history.clone() };
        assert!(!still_true(&made, &sold, &signals[..1], day(22)));
        // Heard from since.
        let silent = [Claim::SilentSince { since: day(12), reminders: 3 }];
        assert!(!still_true(&silent, &history, &[], day(22)));
    }
}
