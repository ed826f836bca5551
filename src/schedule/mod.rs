//! What happens by the clock rather than by a message: the daily scan, asking the weekly
//! check-in and closing check-ins left unanswered. One `tick` does everything due at the clock's
//! "now"; `pelekan run` ticks every half minute, tests tick after moving the clock.

pub mod checkins;
pub mod scan;

use chrono::{Duration, Timelike};
use chrono_tz::Asia::Tehran;

use crate::app::App;

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub checkins_asked: usize,
    /// Check-ins whose time ran out after the faces were answered: kept as answered.
    pub checkins_closed_answered: u64,
    pub checkins_missed: u64,
    /// The daily scan, when it ran in this tick.
    pub scan: Option<scan::ScanSummary>,
    /// Seen updates forgotten (those older than [`SEEN_KEPT_DAYS`]).
    pub seen_forgotten: u64,
}

/// How long an update is remembered as seen: Telegram keeps undelivered updates for a day.
pub const SEEN_KEPT_DAYS: i64 = 7;

pub async fn tick(app: &App) -> anyhow::Result<TickReport> {
    let now = app.clock.now();
    let policy = &app.config.programme.checkin;
    // What was answered is kept before the rest are recorded as missed.
    let closed = checkins::close_answered(app).await?;
    let mut report = TickReport {
        checkins_closed_answered: closed,
        checkins_missed: app.store.expire_checkins(now, Duration::hours(policy.open_hours)).await?,
        ..TickReport::default()
    };
    if let Some(slot) = policy.slot_to_ask(now) {
        for (telegram_id, person_id) in app.store.entrepreneurs_to_check_in(slot).await? {
            // The check-in and its prompt are stored together; the outbox delivers the prompt.
            let prompt = |checkin_id| Some(checkins::prompt(app, telegram_id, person_id, checkin_id));
            if app.store.open_checkin(None, person_id, slot, prompt, now).await?.is_some() {
                report.checkins_asked += 1;
            }
        }
        app.outbox.now();
    }
    // The daily scan: once the hour has come, once a day (the database refuses a second
    // claim, even from a second process), and on start if today's was missed.
    let local = now.with_timezone(&Tehran);
    if local.hour() >= app.config.programme.warnings.scan_hour && app.store.claim_scan(local.date_naive(), now).await? {
        let ctx = scan::Ctx { store: &app.store, tr: &app.tr, config: &app.config };
        let summary = scan::run(&ctx, now).await?;
        app.store.finish_scan(local.date_naive(), summary.scanned, summary.alerts, now).await?;
        tracing::info!(
            day = %local.date_naive(),
            scanned = summary.scanned,
            alerts = summary.alerts,
            digests = summary.digests,
            reminders = summary.reminders,
            "daily scan done"
        );
        report.scan = Some(summary);
        app.outbox.now();
    }
    // Updates too old for Telegram to deliver again are forgotten, whoever ran the day's scan
    // (another process may have): at each tick, a query that finds nothing most of the time.
    report.seen_forgotten = app.store.forget_seen_before(now, Duration::days(SEEN_KEPT_DAYS)).await?;
    Ok(report)
}
