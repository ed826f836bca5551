//! The daily scan: every entrepreneur's signals as of a day, alerts to caseworkers (or a
//! digest when there are many), reminders to entrepreneurs. `plan` only reads; `apply`
//! writes each decision together with its outbox message.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Days, NaiveDate, Utc};
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

use crate::config::Config;
use crate::domain::person::{Person, Role};
use crate::domain::warning::{AlertReason, Arrears, History, Signal, Situation, rank_scenarios, should_alert, signals};
use crate::i18n::Tr;
use crate::persian::digits::{format_number, to_persian_digits};
use crate::persian::jalali::{format_jalali, tehran_day};
use crate::store::{NewAlert, NewOutboxMessage, Store};

/// What the scan needs: no Telegram, so that `pelekan scan` runs without a token.
pub struct Ctx<'a> {
    pub store: &'a Store,
    pub tr: &'a Tr,
    pub config: &'a Config,
}

/// An alert the scan decided on.
pub struct PlannedAlert {
    pub person: Person,
    pub caseworker: Person,
    pub situation: Situation,
    pub evidence: String,
    pub scenario: Option<u8>,
    pub reason: AlertReason,
}

/// Everything one scan decided.
pub struct ScanPlan {
    pub day: NaiveDate,
    pub scanned: usize,
    pub alerts: Vec<PlannedAlert>,
    pub reminders: Vec<NewOutboxMessage>,
    /// People whose situation cleared (their alerts are closed).
    pub resolved: Vec<i64>,
}

/// What `apply` stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanSummary {
    pub alerts: usize,
    pub reminders: usize,
    pub digests: usize,
}

/// One signal's evidence, in Persian numbers.
pub fn evidence_line(tr: &Tr, signal: &Signal) -> String {
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
        Signal::Overdue { days, amount, oldest_due, .. } => tr.part_with(
            "ev-overdue",
            &[("due", format_jalali(*oldest_due)), ("days", n(*days)), ("amount", n(*amount))],
        ),
        Signal::CheckinsMissed { in_a_row } => tr.part_with("ev-checkins-missed", &[("count", n(*in_a_row as i64))]),
        Signal::HardWeeks { in_a_row } => tr.part_with("ev-hard-weeks", &[("count", n(*in_a_row as i64))]),
        Signal::NoResponse { days_silent, reminders } => {
            tr.part_with("ev-no-response", &[("days", n(*days_silent)), ("reminders", n(*reminders as i64))])
        }
        Signal::Blocked { since } => tr.part_with("ev-blocked", &[("since", format_jalali(*since))]),
        Signal::Reported { obstacle, on } => {
            tr.part_with("ev-reported", &[("on", format_jalali(*on)), ("what", tr.obstacle(*obstacle))])
        }
    }
}

/// The alert a caseworker reads: who, the evidence, the likely scenario and its first steps.
pub fn alert_text(ctx: &Ctx<'_>, person: &Person, evidence: &str, scenario: Option<u8>) -> String {
    let tr = ctx.tr;
    let mut text = tr.msg_with(
        "alert-head",
        &[
            ("name", person.full_name.clone()),
            ("level", to_persian_digits(&person.level.to_string())),
            ("business", person.business.clone().unwrap_or_default()),
        ],
    );
    let _ = write!(text, "\n{evidence}");
    if let Some(s) = scenario.and_then(|n| ctx.config.playbook.scenario(n)) {
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

/// The buttons under an alert.
pub fn alert_buttons(tr: &Tr, alert_id: i64) -> InlineKeyboardMarkup {
    let b = |id: &str, data: String| InlineKeyboardButton::callback(tr.part_with(id, &[]), data);
    InlineKeyboardMarkup::new(vec![
        vec![b("btn-alert-reminder", format!("a:rem:{alert_id}")), b("btn-alert-notice", format!("a:not:{alert_id}"))],
        vec![b("btn-alert-review", format!("a:rev:{alert_id}")), b("btn-alert-false", format!("a:fa:{alert_id}"))],
        vec![b("btn-alert-snooze", format!("a:sn:{alert_id}"))],
    ])
}

pub fn markup_json(markup: &InlineKeyboardMarkup) -> Option<String> {
    serde_json::to_string(markup).ok()
}

async fn history(ctx: &Ctx<'_>, person: &Person, joined: DateTime<Utc>, today: NaiveDate) -> anyhow::Result<History> {
    let (sales, last_sale_on) = ctx.store.sales_history(person.id, today - Days::new(120)).await?;
    let checkins = ctx.store.finished_checkins(person.id, 6).await?;
    let buckets = &ctx.config.programme.loans.arrears_buckets;
    let arrears = ctx
        .store
        .loan_standings(person.id, today, buckets)
        .await?
        .into_iter()
        .filter_map(|(_, installments, s)| {
            let oldest_due = installments.iter().filter(|i| i.unpaid() > 0).map(|i| i.due_on).min()?;
            Some(Arrears { days: s.days_past_due, amount: s.overdue_amount, bucket: s.arrears_bucket?, oldest_due })
        })
        .max_by_key(|a| a.days);
    let (seen, unreachable) = ctx.store.presence(person.id).await?;
    let reminders_since_seen = ctx.store.reminders_sent_since(person.id, seen.unwrap_or(joined)).await?;
    Ok(History {
        joined_on: tehran_day(joined),
        sales,
        last_sale_on,
        checkins,
        arrears,
        last_seen_on: seen.map(tehran_day),
        reminders_since_seen,
        unreachable_since: unreachable.map(tehran_day),
    })
}

/// Reads everything and decides; stores nothing.
pub async fn plan(ctx: &Ctx<'_>, now: DateTime<Utc>) -> anyhow::Result<ScanPlan> {
    let today = tehran_day(now);
    let policy = &ctx.config.programme.warnings;
    let quiet = &ctx.config.programme.checkin;
    let weights = ctx.config.playbook.weights();
    let everyone = ctx.store.all_people().await?;
    let caseworkers: BTreeMap<i64, Person> =
        everyone.iter().filter(|(p, _)| p.role == Role::Caseworker).map(|(p, _)| (p.id, p.clone())).collect();
    let mut plan = ScanPlan { day: today, scanned: 0, alerts: Vec::new(), reminders: Vec::new(), resolved: Vec::new() };
    for (person, joined) in everyone.iter().filter(|(p, _)| p.role == Role::Entrepreneur) {
        plan.scanned += 1;
        let h = history(ctx, person, *joined, today).await?;
        let found = signals(&h, today, policy);
        let situation = Situation::of(&found);
        let last = ctx.store.last_alert(person.id).await?;
        if found.is_empty() {
            if last.as_ref().is_some_and(|l| !l.resolved) {
                plan.resolved.push(person.id);
            }
        } else if let Some(reason) = should_alert(&situation, last.as_ref(), today)
            && let Some(caseworker) = person.caseworker_id.and_then(|id| caseworkers.get(&id))
        {
            let evidence =
                found.iter().map(|s| format!("• {}", evidence_line(ctx.tr, s))).collect::<Vec<_>>().join("\n");
            let scenario = rank_scenarios(&found, &weights).first().map(|(n, _)| *n);
            plan.alerts.push(PlannedAlert {
                person: person.clone(),
                caseworker: caseworker.clone(),
                situation,
                evidence,
                scenario,
                reason,
            });
        }
        if h.unreachable_since.is_some() {
            continue;
        }
        // Reminders: a nudge after some quiet days (then weekly), and installments coming due.
        let not_before = quiet.next_allowed(now);
        let since_sale = (today - h.last_sale_on.unwrap_or(h.joined_on)).num_days();
        if since_sale >= policy.nudge_after_days && (since_sale - policy.nudge_after_days) % 7 == 0 {
            plan.reminders.push(NewOutboxMessage {
                chat_id: person.telegram_id,
                kind: "reminder_nudge",
                dedupe_key: Some(format!("nudge:{}:{today}", person.id)),
                text: ctx.tr.msg_with("reminder-no-sales", &[("name", person.full_name.clone())]),
                reply_markup: None,
                not_before,
                person_id: Some(person.id),
                photo_file_id: None,
                forward_from: None,
            });
        }
        for (loan, installments, _) in
            ctx.store.loan_standings(person.id, today, &ctx.config.programme.loans.arrears_buckets).await?
        {
            if loan.state != crate::domain::loan::LoanState::Active {
                continue;
            }
            for installment in installments.iter().filter(|i| i.unpaid() > 0) {
                let days_left = (installment.due_on - today).num_days();
                let id = match days_left {
                    0 => "reminder-installment-today",
                    d if d == policy.installment_reminder_days => "reminder-installment-soon",
                    _ => continue,
                };
                plan.reminders.push(NewOutboxMessage {
                    chat_id: person.telegram_id,
                    kind: "reminder_installment",
                    dedupe_key: Some(format!("installment:{}:{today}", installment.id)),
                    text: ctx.tr.msg_with(
                        id,
                        &[("day", format_jalali(installment.due_on)), ("amount", format_number(installment.unpaid()))],
                    ),
                    reply_markup: None,
                    not_before,
                    person_id: Some(person.id),
                    photo_file_id: None,
                    forward_from: None,
                });
            }
        }
    }
    Ok(plan)
}

/// Stores the plan's decisions, each with its outbox message, and the caseworkers' digests.
pub async fn apply(ctx: &Ctx<'_>, plan: ScanPlan, now: DateTime<Utc>) -> anyhow::Result<ScanSummary> {
    let mut summary = ScanSummary::default();
    for person_id in &plan.resolved {
        ctx.store.resolve_alerts(*person_id).await?;
    }
    let mut by_caseworker: BTreeMap<i64, Vec<PlannedAlert>> = BTreeMap::new();
    for alert in plan.alerts {
        by_caseworker.entry(alert.caseworker.id).or_default().push(alert);
    }
    let since = ctx.store.previous_scan_start(plan.day).await?.unwrap_or(now - chrono::Duration::days(1));
    let caseworkers: Vec<Person> =
        ctx.store.all_people().await?.into_iter().map(|(p, _)| p).filter(|p| p.role == Role::Caseworker).collect();
    for caseworker in caseworkers {
        let alerts = by_caseworker.remove(&caseworker.id).unwrap_or_default();
        let as_digest = alerts.len() > ctx.config.programme.warnings.digest_after;
        let mut digest_lines = Vec::new();
        let mut digest_buttons = Vec::new();
        for alert in &alerts {
            let new = NewAlert {
                entrepreneur_id: alert.person.id,
                caseworker_id: caseworker.id,
                day: plan.day,
                situation: &alert.situation,
                evidence: &alert.evidence,
                scenario: alert.scenario,
            };
            let text = alert_text(ctx, &alert.person, &alert.evidence, alert.scenario);
            let message = |id: i64| {
                (!as_digest).then(|| NewOutboxMessage {
                    chat_id: caseworker.telegram_id,
                    kind: "alert",
                    dedupe_key: Some(format!("alert:{id}")),
                    text,
                    reply_markup: markup_json(&alert_buttons(ctx.tr, id)),
                    not_before: now,
                    person_id: None,
                    photo_file_id: None,
                    forward_from: None,
                })
            };
            let Some(id) = ctx.store.record_alert(&new, message, now).await? else { continue };
            summary.alerts += 1;
            let scenario = alert
                .scenario
                .and_then(|n| ctx.config.playbook.scenario(n))
                .map(|s| s.name.clone())
                .unwrap_or_default();
            digest_lines.push(
                ctx.tr.part_with(
                    "digest-alert-line",
                    &[("name", alert.person.full_name.clone()), ("scenario", scenario)],
                ),
            );
            if digest_buttons.len() < 100 {
                digest_buttons
                    .push(vec![InlineKeyboardButton::callback(alert.person.full_name.clone(), format!("a:show:{id}"))]);
            }
        }
        let checkins = ctx.store.quiet_checkins(caseworker.id, since, now).await?;
        if !as_digest && checkins.is_empty() {
            continue;
        }
        let mut text = ctx.tr.msg_with("digest-head", &[("day", format_jalali(plan.day))]);
        if as_digest {
            text.push('\n');
            text.push_str(&ctx.tr.msg_with("digest-alerts", &[("count", format_number(digest_lines.len() as i64))]));
            for line in &digest_lines {
                let _ = write!(text, "\n• {line}");
            }
        }
        if !checkins.is_empty() {
            text.push('\n');
            text.push_str(&ctx.tr.msg("digest-checkins"));
            for (name, mood, obstacles) in &checkins {
                let what = if obstacles.is_empty() {
                    ctx.tr.part_with("obstacles-none", &[])
                } else {
                    obstacles.iter().map(|o| ctx.tr.obstacle(*o)).collect::<Vec<_>>().join("، ")
                };
                let mood = ctx.tr.mood(*mood);
                let _ = write!(
                    text,
                    "\n• {}",
                    ctx.tr.part_with("digest-checkin-line", &[("name", name.clone()), ("mood", mood), ("what", what)])
                );
            }
        }
        let message = NewOutboxMessage {
            chat_id: caseworker.telegram_id,
            kind: "digest",
            dedupe_key: Some(format!("digest:{}:{}", caseworker.id, plan.day)),
            text,
            reply_markup: if as_digest { markup_json(&InlineKeyboardMarkup::new(digest_buttons)) } else { None },
            not_before: now,
            person_id: None,
            photo_file_id: None,
            forward_from: None,
        };
        if ctx.store.enqueue(&message, now).await?.is_some() {
            summary.digests += 1;
        }
    }
    for reminder in &plan.reminders {
        if ctx.store.enqueue(reminder, now).await?.is_some() {
            summary.reminders += 1;
        }
    }
    Ok(summary)
}

/// What a dry run prints: every decision, nothing stored.
pub fn describe(ctx: &Ctx<'_>, plan: &ScanPlan) -> String {
    let mut out = format!(
        "scan of {} ({}): {} entrepreneurs, {} alerts, {} reminders, {} situations cleared\n",
        plan.day,
        crate::persian::jalali::JalaliDate::from_gregorian(plan.day),
        plan.scanned,
        plan.alerts.len(),
        plan.reminders.len(),
        plan.resolved.len()
    );
    for alert in &plan.alerts {
        let _ = writeln!(
            out,
            "\n--- alert to {} ({:?}) ---\n{}",
            alert.caseworker.full_name,
            alert.reason,
            alert_text(ctx, &alert.person, &alert.evidence, alert.scenario)
        );
    }
    for reminder in &plan.reminders {
        let _ = writeln!(out, "\n--- {} to chat {} ---\n{}", reminder.kind, reminder.chat_id, reminder.text);
    }
    out
}
