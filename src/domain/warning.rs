//! Early warning: signals computed from a person's history as of a day, each with its
//! evidence in numbers; scenarios ranked by the playbook's weights; and whether a
//! situation deserves a new alert. Pure functions over plain data.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::checkin::{HARD_WEEK_AT_MOST, Obstacle};

/// Thresholds of the warning signals (from the programme file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningPolicy {
    /// «No sale reported for N days».
    pub no_sales_days: i64,
    /// Sales of the last 30 days under this percentage of the monthly average of the 90
    /// days before count as falling.
    pub falling_below_percent: i64,
    /// Sales in the 90 days before the last 30 needed before falling sales or prices are judged.
    pub min_sales_for_trends: usize,
    /// Average sale price down by at least this percentage.
    pub price_fall_percent: i64,
    /// Returns as a share of sales (by count) in the last 30 days.
    pub returns_percent: i64,
    pub min_returns: usize,
    /// Days without any message from the person, with reminders sent meanwhile.
    pub no_response_days: i64,
    /// How long a check-in answer counts as news.
    pub report_fresh_days: i64,
    /// Hour (Asia/Tehran) of the daily scan.
    pub scan_hour: u32,
    /// More alerts than this for one caseworker in one scan: one digest instead.
    pub digest_after: usize,
    /// Snooze lengths offered as buttons.
    pub snooze_days: Vec<i64>,
    /// A gentle nudge after this many days without a sales report (then weekly).
    pub nudge_after_days: i64,
    /// Installment reminders this many days before the due date, and on it.
    pub installment_reminder_days: i64,
}

impl WarningPolicy {
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.scan_hour > 23 {
            problems.push("warnings.scan_hour must be 0–23".to_string());
        }
        for (name, value) in [
            ("no_sales_days", self.no_sales_days),
            ("no_response_days", self.no_response_days),
            ("report_fresh_days", self.report_fresh_days),
            ("nudge_after_days", self.nudge_after_days),
        ] {
            if value < 1 {
                problems.push(format!("warnings.{name} must be at least 1"));
            }
        }
        if !(1..=100).contains(&self.falling_below_percent) || !(1..=100).contains(&self.price_fall_percent) {
            problems.push("warnings percentages must be 1–100".to_string());
        }
        if self.snooze_days.is_empty() || self.snooze_days.iter().any(|d| *d < 1) {
            problems.push("warnings.snooze_days must list day counts of 1 or more".to_string());
        }
        problems
    }
}

/// The kinds of signal; the playbook weighs them by these names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    NoSales,
    SalesFalling,
    PricesFalling,
    ReturnsRising,
    Overdue,
    CheckinsMissed,
    HardWeeks,
    NoResponse,
    Blocked,
    ReportedSalesFell,
    ReportedComplaints,
    ReportedMoney,
    ReportedFamily,
    ReportedLostInterest,
    ReportedMoving,
}

impl SignalKind {
    pub fn code(self) -> &'static str {
        match self {
            SignalKind::NoSales => "no_sales",
            SignalKind::SalesFalling => "sales_falling",
            SignalKind::PricesFalling => "prices_falling",
            SignalKind::ReturnsRising => "returns_rising",
            SignalKind::Overdue => "overdue",
            SignalKind::CheckinsMissed => "checkins_missed",
            SignalKind::HardWeeks => "hard_weeks",
            SignalKind::NoResponse => "no_response",
            SignalKind::Blocked => "blocked",
            SignalKind::ReportedSalesFell => "reported_sales_fell",
            SignalKind::ReportedComplaints => "reported_complaints",
            SignalKind::ReportedMoney => "reported_money",
            SignalKind::ReportedFamily => "reported_family",
            SignalKind::ReportedLostInterest => "reported_lost_interest",
            SignalKind::ReportedMoving => "reported_moving",
        }
    }

    pub fn parse(code: &str) -> Option<SignalKind> {
        ALL_KINDS.into_iter().find(|k| k.code() == code)
    }

    fn reported(obstacle: Obstacle) -> SignalKind {
        match obstacle {
            Obstacle::SalesFell => SignalKind::ReportedSalesFell,
            Obstacle::Complaints => SignalKind::ReportedComplaints,
            Obstacle::Money => SignalKind::ReportedMoney,
            Obstacle::FamilyHealth => SignalKind::ReportedFamily,
            Obstacle::LostInterest => SignalKind::ReportedLostInterest,
            Obstacle::MovingAway => SignalKind::ReportedMoving,
        }
    }
}

pub const ALL_KINDS: [SignalKind; 15] = [
    SignalKind::NoSales,
    SignalKind::SalesFalling,
    SignalKind::PricesFalling,
    SignalKind::ReturnsRising,
    SignalKind::Overdue,
    SignalKind::CheckinsMissed,
    SignalKind::HardWeeks,
    SignalKind::NoResponse,
    SignalKind::Blocked,
    SignalKind::ReportedSalesFell,
    SignalKind::ReportedComplaints,
    SignalKind::ReportedMoney,
    SignalKind::ReportedFamily,
    SignalKind::ReportedLostInterest,
    SignalKind::ReportedMoving,
];

/// A warning signal with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// No sale for `days`; `usual_gap_days` is the person's usual gap between sales.
    NoSales {
        days: i64,
        usual_gap_days: Option<i64>,
    },
    /// Toman sold in the last 30 days against the monthly average of the 90 days before.
    SalesFalling {
        last_30_days: i64,
        monthly_before: i64,
    },
    PricesFalling {
        average_now: i64,
        average_before: i64,
    },
    ReturnsRising {
        returns: usize,
        sales: usize,
    },
    Overdue {
        days: i64,
        amount: i64,
        bucket: usize,
        oldest_due: NaiveDate,
    },
    CheckinsMissed {
        in_a_row: usize,
    },
    HardWeeks {
        in_a_row: usize,
    },
    NoResponse {
        days_silent: i64,
        reminders: usize,
    },
    Blocked {
        since: NaiveDate,
    },
    Reported {
        obstacle: Obstacle,
        on: NaiveDate,
    },
}

impl Signal {
    pub fn kind(&self) -> SignalKind {
        match self {
            Signal::NoSales { .. } => SignalKind::NoSales,
            Signal::SalesFalling { .. } => SignalKind::SalesFalling,
            Signal::PricesFalling { .. } => SignalKind::PricesFalling,
            Signal::ReturnsRising { .. } => SignalKind::ReturnsRising,
            Signal::Overdue { .. } => SignalKind::Overdue,
            Signal::CheckinsMissed { .. } => SignalKind::CheckinsMissed,
            Signal::HardWeeks { .. } => SignalKind::HardWeeks,
            Signal::NoResponse { .. } => SignalKind::NoResponse,
            Signal::Blocked { .. } => SignalKind::Blocked,
            Signal::Reported { obstacle, .. } => SignalKind::reported(*obstacle),
        }
    }
}

/// A check-in as the signals need it, newest first in [`History::checkins`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinRecord {
    pub missed: bool,
    pub mood: Option<u8>,
    pub obstacles: Vec<Obstacle>,
    /// The day it was answered (None when missed or still open).
    pub answered_on: Option<NaiveDate>,
}

/// The worst arrears of a person's loans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrears {
    /// The loan these arrears are on.
    pub loan_id: i64,
    pub days: i64,
    pub amount: i64,
    pub bucket: usize,
    pub oldest_due: NaiveDate,
}

/// Everything the signals look at, for one person.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    pub joined_on: NaiveDate,
    /// (day, amount) of every sale and return (negative) in the last 120 days.
    pub sales: Vec<(NaiveDate, i64)>,
    /// The day of the last sale ever (it may be older than the window).
    pub last_sale_on: Option<NaiveDate>,
    /// Finished check-ins (answered or missed), newest first.
    pub checkins: Vec<CheckinRecord>,
    pub arrears: Option<Arrears>,
    pub last_seen_on: Option<NaiveDate>,
    /// Reminders sent to the person since they were last seen.
    pub reminders_since_seen: usize,
    pub unreachable_since: Option<NaiveDate>,
}

fn days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// The usual number of days between sales days (the median gap), if there are enough.
fn usual_gap(sales: &[(NaiveDate, i64)]) -> Option<i64> {
    let mut days: Vec<NaiveDate> = sales.iter().filter(|(_, a)| *a > 0).map(|(d, _)| *d).collect();
    days.sort();
    days.dedup();
    let mut gaps: Vec<i64> = days.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
    if gaps.len() < 3 {
        return None;
    }
    gaps.sort();
    Some(gaps[gaps.len() / 2])
}

/// The signals present on `today`. A healthy person has none.
pub fn signals(h: &History, today: NaiveDate, policy: &WarningPolicy) -> Vec<Signal> {
    let mut found = Vec::new();
    let since_sale = days(h.last_sale_on.unwrap_or(h.joined_on), today);
    if since_sale >= policy.no_sales_days {
        found.push(Signal::NoSales { days: since_sale, usual_gap_days: usual_gap(&h.sales) });
    }

    // Trends: the last 30 days against the 90 days before them.
    let recent_start = today - chrono::Days::new(30);
    let before_start = recent_start - chrono::Days::new(90);
    let in_window = |from: NaiveDate, to: NaiveDate| h.sales.iter().filter(move |(d, _)| *d >= from && *d < to);
    let recent: Vec<i64> = in_window(recent_start, today + chrono::Days::new(1)).map(|(_, a)| *a).collect();
    let before: Vec<i64> = in_window(before_start, recent_start).map(|(_, a)| *a).collect();
    let sold = |v: &[i64]| v.iter().filter(|a| **a > 0).sum::<i64>();
    let count = |v: &[i64]| v.iter().filter(|a| **a > 0).count();
    let enough_history = count(&before) >= policy.min_sales_for_trends && days(h.joined_on, today) >= 120;
    if enough_history {
        let monthly_before = sold(&before) / 3;
        let last_30_days = sold(&recent);
        if last_30_days * 100 < monthly_before * policy.falling_below_percent {
            found.push(Signal::SalesFalling { last_30_days, monthly_before });
        }
        if count(&recent) > 0 {
            let average_now = sold(&recent) / count(&recent) as i64;
            let average_before = sold(&before) / count(&before) as i64;
            if average_now * 100 <= average_before * (100 - policy.price_fall_percent) {
                found.push(Signal::PricesFalling { average_now, average_before });
            }
        }
    }
    let returns = recent.iter().filter(|a| **a < 0).count();
    let sales = count(&recent);
    if returns >= policy.min_returns && returns as i64 * 100 >= (sales.max(1) as i64) * policy.returns_percent {
        found.push(Signal::ReturnsRising { returns, sales });
    }

    if let Some(a) = h.arrears {
        found.push(Signal::Overdue { days: a.days, amount: a.amount, bucket: a.bucket, oldest_due: a.oldest_due });
    }

    let missed_in_a_row = h.checkins.iter().take_while(|c| c.missed).count();
    if missed_in_a_row >= 2 {
        found.push(Signal::CheckinsMissed { in_a_row: missed_in_a_row });
    }
    let answered: Vec<&CheckinRecord> = h.checkins.iter().filter(|c| !c.missed).collect();
    let hard_in_a_row = answered.iter().take_while(|c| c.mood.is_some_and(|m| m <= HARD_WEEK_AT_MOST)).count();
    if hard_in_a_row >= 2 {
        found.push(Signal::HardWeeks { in_a_row: hard_in_a_row });
    }
    if let Some(latest) = answered.first()
        && let Some(on) = latest.answered_on.filter(|on| days(*on, today) <= policy.report_fresh_days)
    {
        for obstacle in &latest.obstacles {
            found.push(Signal::Reported { obstacle: *obstacle, on });
        }
    }

    if let Some(since) = h.unreachable_since {
        found.push(Signal::Blocked { since });
    } else {
        let silent = days(h.last_seen_on.unwrap_or(h.joined_on), today);
        if silent >= policy.no_response_days && h.reminders_since_seen > 0 {
            found.push(Signal::NoResponse { days_silent: silent, reminders: h.reminders_since_seen });
        }
    }
    found
}

/// One scenario of the playbook, as the matching needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioWeights {
    pub number: u8,
    pub weights: BTreeMap<SignalKind, u32>,
}

/// Scenarios with a positive score, most likely first (ties: lower number first).
pub fn rank_scenarios(signals: &[Signal], scenarios: &[ScenarioWeights]) -> Vec<(u8, u32)> {
    let kinds: BTreeSet<SignalKind> = signals.iter().map(Signal::kind).collect();
    let mut ranked: Vec<(u8, u32)> = scenarios
        .iter()
        .map(|s| (s.number, kinds.iter().filter_map(|k| s.weights.get(k)).sum::<u32>()))
        .filter(|(_, score)| *score > 0)
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

/// What identifies a situation: which kinds of signal, and how late the loan is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Situation {
    pub kinds: BTreeSet<SignalKind>,
    pub arrears_bucket: Option<usize>,
}

impl Situation {
    pub fn of(signals: &[Signal]) -> Situation {
        Situation {
            kinds: signals.iter().map(Signal::kind).collect(),
            arrears_bucket: signals.iter().find_map(|s| match s {
                Signal::Overdue { bucket, .. } => Some(*bucket),
                _ => None,
            }),
        }
    }

    pub fn codes(&self) -> String {
        self.kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
    }

    pub fn from_codes(codes: &str, arrears_bucket: Option<usize>) -> Situation {
        Situation { kinds: codes.split(',').filter_map(SignalKind::parse).collect(), arrears_bucket }
    }

    /// Something new, or a later arrears bucket.
    fn is_worse_than(&self, before: &Situation) -> bool {
        !self.kinds.is_subset(&before.kinds) || self.arrears_bucket > before.arrears_bucket
    }
}

/// The last alert of a person, as the decision needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastAlert {
    pub situation: Situation,
    pub snoozed_until: Option<NaiveDate>,
    /// The situation cleared after this alert (a scan found nothing).
    pub resolved: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertReason {
    New,
    Worse,
    SnoozeEnded,
}

/// Whether today's situation deserves an alert, given the person's last one.
pub fn should_alert(now: &Situation, last: Option<&LastAlert>, today: NaiveDate) -> Option<AlertReason> {
    if now.kinds.is_empty() {
        return None;
    }
    let Some(last) = last.filter(|l| !l.resolved) else { return Some(AlertReason::New) };
    if now.is_worse_than(&last.situation) {
        return Some(AlertReason::Worse);
    }
    match last.snoozed_until {
        Some(until) if today >= until => Some(AlertReason::SnoozeEnded),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> WarningPolicy {
        WarningPolicy {
            no_sales_days: 14,
            falling_below_percent: 50,
            min_sales_for_trends: 6,
            price_fall_percent: 30,
            returns_percent: 20,
            min_returns: 3,
            no_response_days: 21,
            report_fresh_days: 14,
            scan_hour: 9,
            digest_after: 10,
            snooze_days: vec![3, 7, 14],
            nudge_after_days: 7,
            installment_reminder_days: 3,
        }
    }

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(n as u64)
    }

    /// Sales every `every` days of `amount`, from day 0 to `until`.
    fn steady(every: i64, amount: i64, until: i64) -> Vec<(NaiveDate, i64)> {
        (0..=until).step_by(every as usize).map(|d| (day(d), amount)).collect()
    }

    fn history(sales: Vec<(NaiveDate, i64)>) -> History {
        let last_sale_on = sales.iter().filter(|(_, a)| *a > 0).map(|(d, _)| *d).max();
        History { joined_on: day(0), last_sale_on, last_seen_on: last_sale_on, sales, ..History::default() }
    }

    fn kinds(signals: &[Signal]) -> Vec<SignalKind> {
        signals.iter().map(Signal::kind).collect()
    }

    #[test]
    fn a_healthy_person_has_no_signal() {
        let h = history(steady(3, 200_000, 180));
        assert!(signals(&h, day(180), &policy()).is_empty());
    }

    #[test]
    fn silence_in_sales_is_measured_against_the_usual_rhythm() {
        let h = history(steady(3, 200_000, 150));
        let found = signals(&h, day(170), &policy());
        assert_eq!(found[0], Signal::NoSales { days: 20, usual_gap_days: Some(3) });
        // A newcomer with no sale yet.
        let newcomer = History { joined_on: day(0), ..History::default() };
        assert_eq!(kinds(&signals(&newcomer, day(13), &policy())), vec![]);
        assert_eq!(kinds(&signals(&newcomer, day(14), &policy())), vec![SignalKind::NoSales]);
    }

    #[test]
    fn falling_sales_and_prices_need_history() {
        let mut sales = steady(3, 200_000, 150);
        sales.extend(steady(10, 90_000, 30).into_iter().map(|(d, a)| (d + chrono::Days::new(151), a)));
        let h = history(sales);
        let found = kinds(&signals(&h, day(181), &policy()));
        assert!(found.contains(&SignalKind::SalesFalling), "{found:?}");
        assert!(found.contains(&SignalKind::PricesFalling), "{found:?}");
        // The same drop for someone who joined 60 days ago is not judged.
        let mut new = history(
            steady(3, 200_000, 40)
                .into_iter()
                .chain(steady(10, 90_000, 20).into_iter().map(|(d, a)| (d + chrono::Days::new(41), a)))
                .collect(),
        );
        new.joined_on = day(0);
        let found = kinds(&signals(&new, day(61), &policy()));
        assert!(!found.contains(&SignalKind::SalesFalling) && !found.contains(&SignalKind::PricesFalling), "{found:?}");
    }

    #[test]
    fn returns_checkins_arrears_and_silence() {
        let mut sales = steady(3, 200_000, 100);
        sales.extend([(day(95), -200_000), (day(97), -200_000), (day(99), -200_000)]);
        let mut h = history(sales);
        h.checkins = vec![
            CheckinRecord { missed: true, mood: None, obstacles: vec![], answered_on: None },
            CheckinRecord { missed: true, mood: None, obstacles: vec![], answered_on: None },
            CheckinRecord {
                missed: false,
                mood: Some(2),
                obstacles: vec![Obstacle::Money],
                answered_on: Some(day(90)),
            },
        ];
        h.arrears = Some(Arrears { loan_id: 1, days: 12, amount: 1_000_000, bucket: 1, oldest_due: day(88) });
        let found = kinds(&signals(&h, day(100), &policy()));
        assert_eq!(
            found,
            vec![SignalKind::ReturnsRising, SignalKind::Overdue, SignalKind::CheckinsMissed, SignalKind::ReportedMoney]
        );
        h.last_seen_on = Some(day(70));
        h.reminders_since_seen = 2;
        assert!(kinds(&signals(&h, day(100), &policy())).contains(&SignalKind::NoResponse));
        h.unreachable_since = Some(day(99));
        let found = kinds(&signals(&h, day(100), &policy()));
        assert!(found.contains(&SignalKind::Blocked) && !found.contains(&SignalKind::NoResponse));
    }

    #[test]
    fn scenarios_are_ranked_by_weight() {
        let weights =
            |n: u8, w: &[(SignalKind, u32)]| ScenarioWeights { number: n, weights: w.iter().copied().collect() };
        let scenarios = vec![
            weights(3, &[(SignalKind::NoResponse, 5), (SignalKind::Overdue, 2)]),
            weights(8, &[(SignalKind::Overdue, 4)]),
        ];
        let overdue = [Signal::Overdue { days: 10, amount: 1, bucket: 1, oldest_due: day(0) }];
        assert_eq!(rank_scenarios(&overdue, &scenarios), vec![(8, 4), (3, 2)]);
        assert!(rank_scenarios(&[], &scenarios).is_empty());
    }

    #[test]
    fn the_same_situation_alerts_once_and_again_when_worse_or_after_a_snooze() {
        let overdue = |bucket| Situation { kinds: [SignalKind::Overdue].into(), arrears_bucket: Some(bucket) };
        let today = day(10);
        assert_eq!(should_alert(&overdue(0), None, today), Some(AlertReason::New));
        let last = LastAlert { situation: overdue(0), snoozed_until: None, resolved: false };
        assert_eq!(should_alert(&overdue(0), Some(&last), today), None);
        assert_eq!(should_alert(&overdue(1), Some(&last), today), Some(AlertReason::Worse));
        let mut more = overdue(0);
        more.kinds.insert(SignalKind::NoSales);
        assert_eq!(should_alert(&more, Some(&last), today), Some(AlertReason::Worse));
        let snoozed = LastAlert { snoozed_until: Some(day(12)), ..last.clone() };
        assert_eq!(should_alert(&overdue(0), Some(&snoozed), today), None);
        assert_eq!(should_alert(&overdue(0), Some(&snoozed), day(12)), Some(AlertReason::SnoozeEnded));
        let resolved = LastAlert { resolved: true, ..last };
        assert_eq!(should_alert(&overdue(0), Some(&resolved), today), Some(AlertReason::New));
        assert_eq!(should_alert(&Situation::default(), None, today), None);
        assert_eq!(Situation::from_codes(&more.codes(), Some(0)), more);
    }
}
