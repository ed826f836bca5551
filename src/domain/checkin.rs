//! The weekly check-in: when to ask, and which answers the caseworker must see at once.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Asia::Tehran;
use serde::{Deserialize, Serialize};

/// When check-ins are asked (from the programme file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckinPolicy {
    #[serde(with = "weekday_name")]
    pub weekday: Weekday,
    pub hour: u32,
    pub quiet_start_hour: u32,
    pub quiet_end_hour: u32,
    pub open_hours: i64,
}

mod weekday_name {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(|_| serde::de::Error::custom(format!("{name:?} is not a weekday (saturday, sunday, ...)")))
    }
}

impl CheckinPolicy {
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.hour > 23 || self.quiet_start_hour > 23 || self.quiet_end_hour > 23 {
            problems.push("checkin hours must be 0–23".to_string());
        }
        if self.is_quiet_hour(self.hour) {
            problems.push(format!("checkin.hour {} falls in the quiet hours", self.hour));
        }
        if self.open_hours < 1 || self.open_hours > 24 * 7 {
            problems.push("checkin.open_hours must be between 1 and 168".to_string());
        }
        problems
    }

    fn is_quiet_hour(&self, hour: u32) -> bool {
        if self.quiet_start_hour <= self.quiet_end_hour {
            (self.quiet_start_hour..self.quiet_end_hour).contains(&hour)
        } else {
            hour >= self.quiet_start_hour || hour < self.quiet_end_hour
        }
    }

    /// Whether nothing may be sent to an entrepreneur at this instant.
    pub fn is_quiet(&self, now: DateTime<Utc>) -> bool {
        self.is_quiet_hour(now.with_timezone(&Tehran).hour())
    }

    /// The first moment at or after `now` when messages may go to entrepreneurs.
    pub fn next_allowed(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        if !self.is_quiet(now) {
            return now;
        }
        let local = now.with_timezone(&Tehran);
        let mut day = local.date_naive();
        if local.hour() >= self.quiet_end_hour {
            day += Duration::days(1);
        }
        let time = NaiveTime::from_hms_opt(self.quiet_end_hour.min(23), 0, 0).unwrap_or_default();
        Tehran.from_local_datetime(&day.and_time(time)).earliest().map_or(now, |t| t.with_timezone(&Utc))
    }

    /// The most recent check-in moment at or before `now`, as (its Tehran day, instant).
    pub fn latest_slot(&self, now: DateTime<Utc>) -> (NaiveDate, DateTime<Utc>) {
        let local = now.with_timezone(&Tehran);
        let back = (7 + local.weekday().num_days_from_monday() - self.weekday.num_days_from_monday()) % 7;
        let mut day = local.date_naive() - Duration::days(i64::from(back));
        let at = |day: NaiveDate| {
            let time = NaiveTime::from_hms_opt(self.hour.min(23), 0, 0).unwrap_or_default();
            Tehran.from_local_datetime(&day.and_time(time)).earliest().map_or(now, |t| t.with_timezone(&Utc))
        };
        if at(day) > now {
            day -= Duration::days(7);
        }
        (day, at(day))
    }

    /// The slot whose check-ins may be asked now, if any: its moment has come, it is still
    /// open, and it is not quiet time. (Who was already asked is for the caller to know.)
    pub fn slot_to_ask(&self, now: DateTime<Utc>) -> Option<NaiveDate> {
        let (day, at) = self.latest_slot(now);
        let still_open = now < at + Duration::hours(self.open_hours);
        (still_open && !self.is_quiet(now)).then_some(day)
    }
}

/// What got in the way this week (several may be ticked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Obstacle {
    SalesFell,
    Complaints,
    Money,
    FamilyHealth,
    LostInterest,
    MovingAway,
}

impl Obstacle {
    pub const ALL: [Obstacle; 6] = [
        Obstacle::SalesFell,
        Obstacle::Complaints,
        Obstacle::Money,
        Obstacle::FamilyHealth,
        Obstacle::LostInterest,
        Obstacle::MovingAway,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Obstacle::SalesFell => "sales",
            Obstacle::Complaints => "complaints",
            Obstacle::Money => "money",
            Obstacle::FamilyHealth => "family",
            Obstacle::LostInterest => "interest",
            Obstacle::MovingAway => "moving",
        }
    }

    pub fn parse(code: &str) -> Option<Obstacle> {
        Obstacle::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// How the week went: 1 (very hard) to 5 (very good).
pub const HARD_WEEK_AT_MOST: u8 = 2;

/// An answered check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinAnswer {
    pub mood: u8,
    pub obstacles: Vec<Obstacle>,
    pub has_message: bool,
}

/// Why the caseworker must see an answer now rather than in the daily digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrgentReason {
    HardWeekTwice,
    FamilyHealth,
    MovingAway,
    Message,
}

/// The reasons to tell the caseworker at once (empty: keep for the digest).
pub fn urgent_reasons(answer: &CheckinAnswer, previous: Option<&CheckinAnswer>) -> Vec<UrgentReason> {
    let mut reasons = Vec::new();
    if answer.mood <= HARD_WEEK_AT_MOST && previous.is_some_and(|p| p.mood <= HARD_WEEK_AT_MOST) {
        reasons.push(UrgentReason::HardWeekTwice);
    }
    if answer.obstacles.contains(&Obstacle::FamilyHealth) {
        reasons.push(UrgentReason::FamilyHealth);
    }
    if answer.obstacles.contains(&Obstacle::MovingAway) {
        reasons.push(UrgentReason::MovingAway);
    }
    if answer.has_message {
        reasons.push(UrgentReason::Message);
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> CheckinPolicy {
        CheckinPolicy { weekday: Weekday::Sat, hour: 10, quiet_start_hour: 21, quiet_end_hour: 8, open_hours: 48 }
    }

    fn tehran(s: &str) -> DateTime<Utc> {
        Tehran
            .from_local_datetime(&chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap())
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn slots_are_saturday_ten_in_tehran() {
        let p = policy();
        // 2026-11-21 is a Saturday.
        assert_eq!(
            p.latest_slot(tehran("2026-11-21 10:00")),
            (NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(), tehran("2026-11-21 10:00"))
        );
        assert_eq!(p.latest_slot(tehran("2026-11-21 09:59")).0, NaiveDate::from_ymd_opt(2026, 11, 14).unwrap());
        assert_eq!(p.latest_slot(tehran("2026-11-27 23:00")).0, NaiveDate::from_ymd_opt(2026, 11, 21).unwrap());
        assert!(p.problems().is_empty());
    }

    #[test]
    fn asks_in_the_slot_never_in_quiet_hours_and_not_after_it_closed() {
        let p = policy();
        assert_eq!(p.slot_to_ask(tehran("2026-11-21 10:00")), NaiveDate::from_ymd_opt(2026, 11, 21));
        assert_eq!(p.slot_to_ask(tehran("2026-11-21 09:59")), None, "the week before is closed");
        assert_eq!(p.slot_to_ask(tehran("2026-11-21 22:00")), None, "quiet hours");
        assert_eq!(
            p.slot_to_ask(tehran("2026-11-22 08:00")),
            NaiveDate::from_ymd_opt(2026, 11, 21),
            "the morning after"
        );
        assert_eq!(p.slot_to_ask(tehran("2026-11-23 10:00")), None, "closed after 48 hours");
        let mut bad = policy();
        bad.hour = 22;
        assert_eq!(bad.problems().len(), 1);
    }

    #[test]
    fn messages_wait_for_the_morning() {
        let p = policy();
        assert_eq!(p.next_allowed(tehran("2026-11-21 12:00")), tehran("2026-11-21 12:00"));
        assert_eq!(p.next_allowed(tehran("2026-11-21 22:30")), tehran("2026-11-22 08:00"));
        assert_eq!(p.next_allowed(tehran("2026-11-22 03:00")), tehran("2026-11-22 08:00"));
    }

    #[test]
    fn urgent_answers() {
        let hard = CheckinAnswer { mood: 2, obstacles: vec![], has_message: false };
        let fine = CheckinAnswer { mood: 4, obstacles: vec![Obstacle::SalesFell], has_message: false };
        assert!(urgent_reasons(&hard, None).is_empty());
        assert!(urgent_reasons(&hard, Some(&fine)).is_empty());
        assert_eq!(urgent_reasons(&hard, Some(&hard)), vec![UrgentReason::HardWeekTwice]);
        let family =
            CheckinAnswer { mood: 3, obstacles: vec![Obstacle::FamilyHealth, Obstacle::MovingAway], has_message: true };
        assert_eq!(
            urgent_reasons(&family, None),
            vec![UrgentReason::FamilyHealth, UrgentReason::MovingAway, UrgentReason::Message]
        );
        assert!(urgent_reasons(&fine, None).is_empty());
    }
}
