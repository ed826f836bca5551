//! The daily scan: every entrepreneur's signals as of a day, alerts to caseworkers (or a
//! digest when there are many), reminders to entrepreneurs. People are read and decided a
//! batch at a time (`Batches`); `plan` collects every decision without storing anything (the
//! dry run), `run` stores each batch's reminders as it goes and the alerts at the end, each
//! with its outbox message, so memory holds one batch and the day's alerts, not everyone.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::config::Config;
use crate::domain::loan::{LoanState, standing};
use crate::domain::person::Person;
use crate::domain::reminder::{DueWhen, Wording};
use crate::domain::warning::{
    AlertReason, Arrears, History, ScenarioWeights, Signal, Situation, rank_scenarios, should_alert, signals,
};
use crate::i18n::Tr;
use crate::persian::jalali::tehran_day;
use crate::store::outbox::Lane;
use crate::store::{NewAlert, NewOutboxMessage, ScanInput, Store};
use crate::views::alerts::{alert_buttons, alert_text, digest_buttons, digest_text, evidence, installment_text};
use crate::views::keyboards;

/// People read and decided together: large enough that the per-query cost vanishes,
/// small enough that a batch's rows are a few megabytes.
const BATCH_SIZE: i64 = 1000;
/// How far back the scan reads sales and check-ins (the longest look-back of any signal).
const WINDOW_DAYS: u64 = 120;
/// Check-ins the signals look at, newest first.
const CHECKINS_LOOKED_AT: usize = 6;

/// What the scan needs: no Telegram, so that `pelekan scan` runs without a token.
pub struct Ctx<'a> {
    pub store: &'a Store,
    pub tr: &'a Tr,
    pub config: &'a Config,
}

/// An alert the scan decided on.
pub struct PlannedAlert {
    pub person: Person,
    pub caseworker: Arc<Person>,
    pub situation: Situation,
    pub signals: Vec<Signal>,
    pub scenario: Option<u8>,
    pub reason: AlertReason,
}

/// What the scan decided for some people (a batch, or everyone).
#[derive(Default)]
pub struct ScanPlan {
    pub day: NaiveDate,
    pub scanned: usize,
    pub rows_read: u64,
    pub alerts: Vec<PlannedAlert>,
    pub reminders: Vec<NewOutboxMessage>,
    /// People whose situation cleared (their alerts are closed).
    pub resolved: Vec<i64>,
}

/// What `run` stored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanSummary {
    pub scanned: usize,
    pub rows_read: u64,
    pub alerts: usize,
    pub reminders: usize,
    pub digests: usize,
}

/// One entrepreneur's history and signals now, read and judged exactly as the scan does.
pub async fn person_today(
    ctx: &Ctx<'_>,
    person_id: i64,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<(History, Vec<Signal>)>> {
    let today = tehran_day(now);
    let Some(mut input) = ctx.store.scan_person(person_id, today - Days::new(WINDOW_DAYS)).await? else {
        return Ok(None);
    };
    let history = history(&mut input, today, &ctx.config.programme.loans.arrears_buckets);
    let found = signals(&history, today, &ctx.config.programme.warnings);
    Ok(Some((history, found)))
}

fn history(input: &mut ScanInput, today: NaiveDate, buckets: &[i64]) -> History {
    let arrears = input
        .loans
        .iter()
        .filter_map(|loan| {
            let s = standing(&loan.installments, today, &loan.pauses, loan.stopped_on, buckets);
            let oldest_due = loan.installments.iter().filter(|i| i.unpaid() > 0).map(|i| i.due_on).min()?;
            Some(Arrears {
                loan_id: loan.id,
                days: s.days_past_due,
                amount: s.overdue_amount,
                bucket: s.arrears_bucket?,
                oldest_due,
            })
        })
        .max_by_key(|a| a.days);
    History {
        joined_on: tehran_day(input.joined_at),
        sales: std::mem::take(&mut input.sales),
        last_sale_on: input.last_sale_on,
        checkins: {
            let mut checkins = std::mem::take(&mut input.checkins);
            checkins.truncate(CHECKINS_LOOKED_AT);
            checkins
        },
        arrears,
        last_seen_on: input.last_seen_at.map(tehran_day),
        reminders_since_seen: input.reminders_since_seen,
        unreachable_since: input.unreachable_since.map(tehran_day),
    }
}

/// The scan's walk over everyone, a batch at a time.
pub struct Batches<'a> {
    ctx: &'a Ctx<'a>,
    now: DateTime<Utc>,
    pub today: NaiveDate,
    weights: Vec<ScenarioWeights>,
    pub caseworkers: BTreeMap<i64, Arc<Person>>,
    after_id: i64,
    done: bool,
}

impl<'a> Batches<'a> {
    pub async fn new(ctx: &'a Ctx<'a>, now: DateTime<Utc>) -> anyhow::Result<Batches<'a>> {
        let caseworkers = ctx.store.caseworkers().await?.into_iter().map(|c| (c.id, Arc::new(c))).collect();
        Ok(Batches {
            ctx,
            now,
            today: tehran_day(now),
            weights: ctx.config.playbook.weights(),
            caseworkers,
            after_id: 0,
            done: false,
        })
    }

    /// Reads and decides the next batch; None after the last.
    pub async fn next(&mut self) -> anyhow::Result<Option<ScanPlan>> {
        if self.done {
            return Ok(None);
        }
        let since = self.today - Days::new(WINDOW_DAYS);
        let batch = self.ctx.store.scan_batch(self.after_id, BATCH_SIZE, since).await?;
        self.done = batch.people.len() < BATCH_SIZE as usize;
        let Some(last) = batch.people.last() else { return Ok(None) };
        self.after_id = last.person.id;
        let mut plan = ScanPlan {
            day: self.today,
            scanned: batch.people.len(),
            rows_read: batch.rows_read,
            ..ScanPlan::default()
        };
        for input in batch.people {
            self.decide(input, &mut plan);
        }
        Ok(Some(plan))
    }

    /// One person's alert decision and reminders.
    fn decide(&self, mut input: ScanInput, plan: &mut ScanPlan) {
        let (ctx, today, now) = (self.ctx, self.today, self.now);
        let policy = &ctx.config.programme.warnings;
        let h = history(&mut input, today, &ctx.config.programme.loans.arrears_buckets);
        let person = &input.person;
        let found = signals(&h, today, policy);
        let situation = Situation::of(&found);
        if found.is_empty() {
            if input.last_alert.as_ref().is_some_and(|l| !l.resolved) {
                plan.resolved.push(person.id);
            }
        } else if let Some(reason) = should_alert(&situation, input.last_alert.as_ref(), today)
            && let Some(caseworker) = person.caseworker_id.and_then(|id| self.caseworkers.get(&id))
        {
            let scenario = rank_scenarios(&found, &self.weights).first().map(|(n, _)| *n);
            plan.alerts.push(PlannedAlert {
                person: person.clone(),
                caseworker: caseworker.clone(),
                situation,
                signals: found,
                scenario,
                reason,
            });
        }
        if h.unreachable_since.is_some() {
            return;
        }
        // Reminders: a nudge after some quiet days (then weekly), and installments coming due.
        let not_before = ctx.config.programme.checkin.next_allowed(now);
        // Each is worded again when sent (`outbox::wording`): the text here is as of today.
        let reminder = |kind, dedupe_key, text, worded| NewOutboxMessage {
            chat_id: person.telegram_id,
            kind,
            dedupe_key: Some(dedupe_key),
            text,
            reply_markup: None,
            not_before,
            person_id: Some(person.id),
            attachment: None,
            forward_from: None,
            worded: Some(worded),
            quiet_hours: true,
            lane: Lane::Bulk,
            edit: None,
        };
        let since_sale = (today - h.last_sale_on.unwrap_or(h.joined_on)).num_days();
        if since_sale >= policy.nudge_after_days && (since_sale - policy.nudge_after_days) % 7 == 0 {
            plan.reminders.push(reminder(
                "reminder_nudge",
                format!("nudge:{}:{today}", person.id),
                ctx.tr.msg_with("reminder-no-sales", &[("name", person.full_name.clone())]),
                Wording::NoSales { entrepreneur_id: person.id, decided_at: now },
            ));
        }
        for loan in input.loans.iter().filter(|l| l.state == LoanState::Active) {
            for installment in loan.installments.iter().filter(|i| i.unpaid() > 0) {
                let days_ahead = (installment.due_on - today).num_days();
                if days_ahead != 0 && days_ahead != policy.installment_reminder_days {
                    continue;
                }
                let when = DueWhen::of(installment.due_on, today);
                plan.reminders.push(reminder(
                    "reminder_installment",
                    format!("installment:{}:{today}", installment.id),
                    installment_text(ctx.tr, when, installment.due_on, installment.unpaid(), today),
                    Wording::Installment { installment_id: installment.id },
                ));
            }
        }
    }
}

/// Reads and decides everyone; stores nothing (the dry run).
pub async fn plan(ctx: &Ctx<'_>, now: DateTime<Utc>) -> anyhow::Result<ScanPlan> {
    let mut batches = Batches::new(ctx, now).await?;
    let mut plan = ScanPlan { day: batches.today, ..ScanPlan::default() };
    while let Some(batch) = batches.next().await? {
        plan.scanned += batch.scanned;
        plan.rows_read += batch.rows_read;
        plan.alerts.extend(batch.alerts);
        plan.reminders.extend(batch.reminders);
        plan.resolved.extend(batch.resolved);
    }
    Ok(plan)
}

/// Scans everyone and stores the decisions: each batch's cleared situations and reminders
/// as it goes, then the alerts, each caseworker's at once (one message each, or a digest).
pub async fn run(ctx: &Ctx<'_>, now: DateTime<Utc>) -> anyhow::Result<ScanSummary> {
    let mut batches = Batches::new(ctx, now).await?;
    let mut summary = ScanSummary::default();
    let mut by_caseworker: BTreeMap<i64, Vec<PlannedAlert>> = BTreeMap::new();
    while let Some(batch) = batches.next().await? {
        summary.scanned += batch.scanned;
        summary.rows_read += batch.rows_read;
        ctx.store.resolve_alerts(&batch.resolved).await?;
        summary.reminders += ctx.store.enqueue_all(&batch.reminders, now).await?;
        for alert in batch.alerts {
            by_caseworker.entry(alert.caseworker.id).or_default().push(alert);
        }
    }
    let since = ctx.store.previous_scan_start(batches.today).await?.unwrap_or(now - chrono::Duration::days(1));
    for caseworker in batches.caseworkers.values() {
        let alerts = by_caseworker.remove(&caseworker.id).unwrap_or_default();
        store_alerts(ctx, caseworker, batches.today, &alerts, since, now, &mut summary).await?;
    }
    Ok(summary)
}

/// A caseworker's alerts of the day: each with its own message, or when there are many,
/// all in one digest that also lists the check-in answers since the last scan.
async fn store_alerts(
    ctx: &Ctx<'_>,
    caseworker: &Person,
    day: NaiveDate,
    alerts: &[PlannedAlert],
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    summary: &mut ScanSummary,
) -> anyhow::Result<()> {
    let evidence: Vec<String> = alerts.iter().map(|a| evidence(ctx.tr, &a.signals, day)).collect();
    let new_alerts: Vec<NewAlert> = alerts
        .iter()
        .zip(&evidence)
        .map(|(alert, evidence)| NewAlert {
            entrepreneur_id: alert.person.id,
            caseworker_id: caseworker.id,
            day,
            situation: &alert.situation,
            evidence,
            scenario: alert.scenario,
        })
        .collect();
    let checkins = ctx.store.quiet_checkins(caseworker.id, since, now).await?;
    let as_digest = alerts.len() > ctx.config.programme.warnings.digest_after;
    if !as_digest {
        let message = |i: usize, id: i64| {
            let alert: &PlannedAlert = &alerts[i];
            let text = alert_text(ctx.tr, &ctx.config.playbook, &alert.person, &evidence[i], alert.scenario);
            NewOutboxMessage {
                reply_markup: keyboards::as_json(&alert_buttons(ctx.tr, id)),
                ..NewOutboxMessage::text(caseworker.telegram_id, "alert", Some(format!("alert:{id}")), text, now)
            }
        };
        summary.alerts += ctx.store.record_alerts(&new_alerts, message, now).await?;
        if !checkins.is_empty() {
            let text = digest_text(ctx.tr, &ctx.config.playbook, day, &[], &checkins);
            summary.digests +=
                usize::from(ctx.store.enqueue(&digest(caseworker, day, text, None, now), now).await?.is_some());
        }
        return Ok(());
    }
    let message = |ids: &[Option<i64>]| {
        let stored: Vec<(&PlannedAlert, i64)> =
            alerts.iter().zip(ids).filter_map(|(a, id)| Some((a, (*id)?))).collect();
        let buttons: Vec<(&Person, i64)> = stored.iter().map(|(a, id)| (&a.person, *id)).collect();
        let listed: Vec<(&Person, Option<u8>)> = stored.iter().map(|(a, _)| (&a.person, a.scenario)).collect();
        let text = digest_text(ctx.tr, &ctx.config.playbook, day, &listed, &checkins);
        digest(caseworker, day, text, keyboards::as_json(&digest_buttons(&buttons)), now)
    };
    let ids = ctx.store.record_alerts_with_digest(&new_alerts, message, now).await?;
    summary.alerts += ids.iter().flatten().count();
    summary.digests += 1;
    Ok(())
}

fn digest(
    caseworker: &Person,
    day: NaiveDate,
    text: String,
    reply_markup: Option<String>,
    now: DateTime<Utc>,
) -> NewOutboxMessage {
    let key = format!("digest:{}:{day}", caseworker.id);
    NewOutboxMessage { reply_markup, ..NewOutboxMessage::text(caseworker.telegram_id, "digest", Some(key), text, now) }
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
            alert_text(
                ctx.tr,
                &ctx.config.playbook,
                &alert.person,
                &evidence(ctx.tr, &alert.signals, plan.day),
                alert.scenario
            )
        );
    }
    for reminder in &plan.reminders {
        let _ = writeln!(out, "\n--- {} to chat {} ---\n{}", reminder.kind, reminder.chat_id, reminder.text);
    }
    out
}
