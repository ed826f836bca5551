//! The one source of "now". Tests set it; nothing in the bot reads the system time directly.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use tokio::sync::watch;

use crate::persian::jalali::tehran_day;

#[derive(Clone)]
pub enum Clock {
    System,
    /// The system clock moved by a fixed amount: `pelekan run --now` for rehearsals and
    /// benchmarks on data whose days are not today's. Time still passes.
    Shifted(Duration),
    /// A clock that stands still until moved (tests, the demo). A watch, so that whoever waits
    /// for an instant ([`Clock::sleep_until`]) wakes when a test moves the clock past it.
    Manual(Arc<watch::Sender<DateTime<Utc>>>),
}

impl Clock {
    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock::Manual(Arc::new(watch::Sender::new(start)))
    }

    /// The system clock if `start` is None, else one that reads `start` now and runs on.
    pub fn starting_at(start: Option<DateTime<Utc>>) -> Clock {
        start.map_or(Clock::System, |at| Clock::Shifted(at - Utc::now()))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Shifted(by) => Utc::now() + *by,
            Clock::Manual(t) => *t.borrow(),
        }
    }

    /// Today in Tehran.
    pub fn today(&self) -> NaiveDate {
        tehran_day(self.now())
    }

    /// Moves a manual clock; a no-op on the system clock.
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(t) = self {
            t.send_modify(|t| *t += by);
        }
    }

    pub fn set(&self, to: DateTime<Utc>) {
        if let Clock::Manual(t) = self {
            t.send_replace(to);
        }
    }

    /// Returns once this clock reads `at` or later: after that much real time on a running
    /// clock, when a test moves it that far on a manual one.
    pub async fn sleep_until(&self, at: DateTime<Utc>) {
        match self {
            Clock::System | Clock::Shifted(_) => {
                let wait = (at - self.now()).to_std().unwrap_or_default();
                tokio::time::sleep(wait).await;
            }
            Clock::Manual(t) => {
                let mut moved = t.subscribe();
                // The sender lives in `self`, so the channel cannot close while this waits.
                let _ = moved.wait_for(|now| *now >= at).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_wait_on_a_manual_clock_ends_when_the_clock_is_moved_past_it() {
        let start = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let clock = Clock::manual(start);
        let waiting = tokio::spawn({
            let clock = clock.clone();
            async move { clock.sleep_until(start + Duration::seconds(10)).await }
        });
        clock.advance(Duration::seconds(5));
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished(), "five seconds are not ten");
        clock.advance(Duration::seconds(5));
        tokio::time::timeout(std::time::Duration::from_secs(5), waiting).await.unwrap().unwrap();
    }
}
