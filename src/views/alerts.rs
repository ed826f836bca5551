//! The warning system's messages: an alert with its evidence and the scenario's first steps,
//! the morning digest, an official notice, an installment reminder.

use std::fmt::Write as _;

use chrono::NaiveDate;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::config::Playbook;
use crate::domain::checkin::Obstacle;
use crate::domain::notice::Claim;
use crate::domain::person::Person;
use crate::domain::reminder::DueWhen;
use crate::domain::warning::Signal;
use crate::i18n::Tr;
use crate::persian::digits::{format_number, to_persian_digits};
use crate::persian::jalali::format_day;
use crate::views::callback::{AlertAction, Callback};

/// One signal's evidence, in Persian numbers.
pub fn evidence_line(tr: &Tr, signal: &Signal, today: NaiveDate) -> String {
    let day = |d: &NaiveDate| format_day(*d, today);
    let n = format_number;
    match signal {
        Signal::NoSales { days, usual_gap_days: Some(usual) } => {
            tr.part_with("ev-no-sales-usual", &[("days", n(*days)), ("usual", n(*usual))])
        }
        Signal::NoSales { days, usual_gap_days: None } => tr.part_with("ev-no-sales", &[("days", n(*days))]),
        Signal::SalesFalling { last_30_days, monthly_before } => {
            tr.part_with("ev-sales-falling", &[("now", n(*last_30_days)), ("before", n(*monthly_before))])
        }
        Signal::PricesFalling { average_now, average_before } => {
            tr.part_with("ev-prices-falling", &[("now", n(*average_now)), ("before", n(*average_before))])
        }
        Signal::ReturnsRising { returns, sales } => {
            tr.part_with("ev-returns", &[("returns", n(*returns as i64)), ("sales", n(*sales as i64))])
        }
        Signal::Overdue { days, amount, oldest_due, .. } => {
            tr.part_with("ev-overdue", &[("due", day(oldest_due)), ("days", n(*days)), ("amount", n(*amount))])
        }
        Signal::CheckinsMissed { in_a_row } => tr.part_with("ev-checkins-missed", &[("count", n(*in_a_row as i64))]),
        Signal::HardWeeks { in_a_row } => tr.part_with("ev-hard-weeks", &[("count", n(*in_a_row as i64))]),
        Signal::NoResponse { days_silent, reminders } => {
            tr.part_with("ev-no-response", &[("days", n(*days_silent)), ("reminders", n(*reminders as i64))])
        }
        Signal::Blocked { since } => tr.part_with("ev-blocked", &[("since", day(since))]),
        Signal::Reported { obstacle, on } => {
            tr.part_with("ev-reported", &[("on", day(on)), ("what", tr.obstacle(*obstacle))])
        }
    }
}

/// The alert a caseworker reads: who, the evidence, the likely scenario and its first steps.
pub fn alert_text(tr: &Tr, playbook: &Playbook, person: &Person, evidence: &str, scenario: Option<u8>) -> String {
    let mut text = tr.msg_with(
        "alert-head",
        &[
            ("name", person.full_name.clone()),
            ("level", to_persian_digits(&person.level.to_string())),
            ("business", person.business.clone().unwrap_or_default()),
        ],
    );
    let _ = write!(text, "\n{evidence}");
    if let Some(s) = scenario.and_then(|n| playbook.scenario(n)) {
        text.push('\n');
        text.push_str(&tr.msg_with(
            "alert-scenario",
            &[
                ("number", format_number(i64::from(s.number))),
                ("name", s.name.clone()),
                ("recovery", s.recovery.clone()),
            ],
        ));
        for action in &s.immediate_actions {
            let _ = write!(text, "\n☐ {action}");
        }
    }
    text
}

/// An official notice's text: the claims the records support (`domain::notice`), named by
/// date rather than counted in days, since a notice confirmed at night is read in the morning.
pub fn notice_text(tr: &Tr, name: &str, claims: &[Claim], day: NaiveDate) -> String {
    let n = format_number;
    let date = |d: NaiveDate| format_day(d, day);
    let facts: Vec<String> = claims
        .iter()
        .map(|claim| match claim {
            Claim::Overdue { amount, since } => {
                tr.part_with("notice-fact-overdue", &[("amount", n(*amount)), ("due", date(*since))])
            }
            Claim::NoSaleSince { since } => tr.part_with("notice-fact-no-sales", &[("since", date(*since))]),
            Claim::NoSaleSinceJoining { joined_on } => {
                tr.part_with("notice-fact-no-sales-since-joining", &[("since", date(*joined_on))])
            }
            Claim::CheckinsMissed { count } => {
                tr.part_with("notice-fact-checkins-missed", &[("count", n(*count as i64))])
            }
            Claim::SilentSince { since, reminders } => {
                tr.part_with("notice-fact-no-response", &[("since", date(*since)), ("reminders", n(*reminders as i64))])
            }
        })
        .collect();
    tr.msg_with(
        "notice-text",
        &[("name", name.to_string()), ("facts", facts.join("\n")), ("today", format_day(day, day))],
    )
}

/// The buttons under an alert.
pub fn alert_buttons(tr: &Tr, alert_id: i64) -> InlineKeyboardMarkup {
    let b = |id: &str, action: AlertAction| {
        InlineKeyboardButton::callback(tr.part_with(id, &[]), Callback::Alert { alert: alert_id, action }.encode())
    };
    InlineKeyboardMarkup::new(vec![
        vec![b("btn-alert-reminder", AlertAction::Reminder), b("btn-alert-notice", AlertAction::Notice)],
        vec![b("btn-alert-review", AlertAction::Review), b("btn-alert-false", AlertAction::FalseAlarm)],
        vec![b("btn-alert-snooze", AlertAction::Snooze)],
    ])
}

/// The evidence lines of an alert.
pub fn evidence(tr: &Tr, signals: &[Signal], today: NaiveDate) -> String {
    signals.iter().map(|s| format!("• {}", evidence_line(tr, s, today))).collect::<Vec<_>>().join("\n")
}

/// The rules' view of a person; moves their sales and check-ins out of `input` (not copied: the
/// scan reads them for 200,000 people).
/// A digest: the day's alerts (when there are many) and the quiet check-in answers.
pub fn digest_text(
    tr: &Tr,
    playbook: &Playbook,
    day: NaiveDate,
    alerts: &[(&Person, Option<u8>)],
    checkins: &[(String, u8, Vec<Obstacle>)],
) -> String {
    let mut text = tr.msg_with("digest-head", &[("day", format_day(day, day))]);
    if !alerts.is_empty() {
        text.push('\n');
        text.push_str(&tr.msg_with("digest-alerts", &[("count", format_number(alerts.len() as i64))]));
        for (person, scenario) in alerts {
            let scenario = scenario.and_then(|n| playbook.scenario(n)).map(|s| s.name.clone()).unwrap_or_default();
            let line = tr.part_with("digest-alert-line", &[("name", person.full_name.clone()), ("scenario", scenario)]);
            let _ = write!(text, "\n• {line}");
        }
    }
    if !checkins.is_empty() {
        text.push('\n');
        text.push_str(&tr.msg("digest-checkins"));
        for (name, mood, obstacles) in checkins {
            let what = if obstacles.is_empty() {
                tr.part_with("obstacles-none", &[])
            } else {
                obstacles.iter().map(|o| tr.obstacle(*o)).collect::<Vec<_>>().join("، ")
            };
            let line = tr
                .part_with("digest-checkin-line", &[("name", name.clone()), ("mood", tr.mood(*mood)), ("what", what)]);
            let _ = write!(text, "\n• {line}");
        }
    }
    text
}

/// A digest's buttons: one per alert, opening it in full (Telegram shows at most 100).
pub fn digest_buttons(alerts: &[(&Person, i64)]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(alerts.iter().take(100).map(|(person, id)| {
        vec![InlineKeyboardButton::callback(
            person.full_name.clone(),
            Callback::Alert { alert: *id, action: AlertAction::Show }.encode(),
        )]
    }))
}

/// An installment reminder as read on the day it is sent.
pub fn installment_text(tr: &Tr, when: DueWhen, due_on: NaiveDate, unpaid: i64, today: NaiveDate) -> String {
    tr.msg_with(
        "reminder-installment",
        &[("when", when.code().to_string()), ("day", format_day(due_on, today)), ("amount", format_number(unpaid))],
    )
}
