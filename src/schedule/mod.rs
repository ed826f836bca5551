//! What happens by the clock rather than by a message: asking the weekly check-in and
//! closing check-ins left unanswered. One `tick` does everything due at the clock's
//! "now"; `pelekan run` ticks every half minute, tests tick after moving the clock.

use chrono::Duration;
use teloxide::types::ChatId;

use crate::bot::{App, Tg, checkins};

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub checkins_asked: usize,
    pub checkins_missed: u64,
}

pub async fn tick(app: &App, bot: &Tg) -> anyhow::Result<TickReport> {
    let now = app.clock.now();
    let policy = &app.config.programme.checkin;
    let mut report = TickReport {
        checkins_missed: app.store.expire_checkins(now, Duration::hours(policy.open_hours)).await?,
        ..TickReport::default()
    };
    if let Some(slot) = policy.slot_to_ask(now) {
        for (telegram_id, person_id) in app.store.entrepreneurs_to_check_in(slot).await? {
            // The row is written first: a crash after it means this person is not asked
            // this week, never that they are asked twice.
            let Some(checkin_id) = app.store.open_checkin(person_id, slot, now).await? else { continue };
            match checkins::send(bot, app, ChatId(telegram_id), checkin_id).await {
                Ok(()) => report.checkins_asked += 1,
                Err(e) => tracing::error!(
                    person = person_id,
                    checkin = checkin_id,
                    error = format!("{e:#}"),
                    "could not ask the weekly check-in"
                ),
            }
        }
    }
    Ok(report)
}
