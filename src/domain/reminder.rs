//! Reminders are worded when they are sent, not when they are decided: a reminder decided in
//! the evening and held back by quiet hours is read in the morning, and its «امروز» must be
//! true then. A reminder that is no longer true when its time comes (the installment was paid,
//! a sale was reported, the check-in closed) is withdrawn instead of sent.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::notice::Claim;

/// What a queued reminder is about: enough to word it, or withdraw it, when it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "about", rename_all = "snake_case")]
pub enum Wording {
    /// An installment coming due, or due.
    Installment { installment_id: i64 },
    /// Days without a sale, as of when the nudge was decided: withdrawn once a sale is
    /// reported after that.
    NoSales { entrepreneur_id: i64, decided_at: DateTime<Utc> },
    /// The weekly check-in's first question.
    Checkin { checkin_id: i64 },
    /// An official notice, sent only while what it claims still holds.
    Notice { entrepreneur_id: i64, claims: Vec<Claim> },
    /// News of a loan (a payment confirmed, the loan recorded): the news, then the loan as it
    /// stands when the news is read.
    LoanNews { entrepreneur_id: i64, loan_id: i64 },
}

/// An installment as it stands when its reminder is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstallmentNow {
    pub due_on: NaiveDate,
    pub unpaid: i64,
    /// Installments of a paused, stopped or repaid loan are not asked for.
    pub loan_active: bool,
}

/// A due day as seen from the day a reminder is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueWhen {
    Past,
    Today,
    Tomorrow,
    Later,
}

impl DueWhen {
    pub fn of(due_on: NaiveDate, today: NaiveDate) -> DueWhen {
        match (due_on - today).num_days() {
            d if d < 0 => DueWhen::Past,
            0 => DueWhen::Today,
            1 => DueWhen::Tomorrow,
            _ => DueWhen::Later,
        }
    }

    /// The selector the reminder's text is written for.
    pub fn code(self) -> &'static str {
        match self {
            DueWhen::Past => "past",
            DueWhen::Today => "today",
            DueWhen::Tomorrow => "tomorrow",
            DueWhen::Later => "later",
        }
    }
}

/// The installment reminder to send today, or None when there is nothing left to remind of.
pub fn installment_reminder(now: Option<InstallmentNow>, today: NaiveDate) -> Option<(DueWhen, InstallmentNow)> {
    let now = now.filter(|i| i.unpaid > 0 && i.loan_active)?;
    Some((DueWhen::of(now.due_on, today), now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, d).unwrap()
    }

    #[test]
    fn a_due_day_is_named_from_the_day_it_is_read() {
        let due = day(21);
        assert_eq!(DueWhen::of(due, day(18)), DueWhen::Later);
        assert_eq!(DueWhen::of(due, day(20)), DueWhen::Tomorrow);
        assert_eq!(DueWhen::of(due, day(21)), DueWhen::Today);
        // Held overnight: the morning after, the due day is yesterday, not «امروز».
        assert_eq!(DueWhen::of(due, day(22)), DueWhen::Past);
    }

    #[test]
    fn a_paid_or_paused_installment_is_not_reminded_of() {
        let due = InstallmentNow { due_on: day(21), unpaid: 1_000_000, loan_active: true };
        assert_eq!(installment_reminder(Some(due), day(21)), Some((DueWhen::Today, due)));
        assert_eq!(installment_reminder(Some(InstallmentNow { unpaid: 0, ..due }), day(21)), None);
        assert_eq!(installment_reminder(Some(InstallmentNow { loan_active: false, ..due }), day(21)), None);
        assert_eq!(installment_reminder(None, day(21)), None);
    }

    #[test]
    fn what_a_reminder_is_about_round_trips_as_json() {
        for wording in [
            Wording::Installment { installment_id: 7 },
            Wording::NoSales { entrepreneur_id: 3, decided_at: "2026-09-02T05:30:00Z".parse().unwrap() },
            Wording::Checkin { checkin_id: 9 },
            Wording::Notice { entrepreneur_id: 3, claims: vec![Claim::CheckinsMissed { count: 2 }] },
        ] {
            let json = serde_json::to_string(&wording).unwrap();
            assert_eq!(serde_json::from_str::<Wording>(&json).unwrap(), wording, "{json}");
        }
    }
}
