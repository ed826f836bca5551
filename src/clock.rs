//! The one source of "now". Tests set it; nothing in the bot reads the system time directly.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::persian::jalali::tehran_day;

#[derive(Clone)]
pub enum Clock {
    System,
    /// The system clock moved by a fixed amount: `pelekan run --now` for rehearsals and
    /// benchmarks on data whose days are not today's. Time still passes.
    Shifted(Duration),
    /// A clock that stands still until moved (tests, the demo).
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock::Manual(Arc::new(Mutex::new(start)))
    }

    /// The system clock if `start` is None, else one that reads `start` now and runs on.
    pub fn starting_at(start: Option<DateTime<Utc>>) -> Clock {
        start.map_or(Clock::System, |at| Clock::Shifted(at - Utc::now()))
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Shifted(by) => Utc::now() + *by,
            Clock::Manual(t) => *t.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Today in Tehran.
    pub fn today(&self) -> NaiveDate {
        tehran_day(self.now())
    }

    /// Moves a manual clock; a no-op on the system clock.
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(t) = self {
            let mut t = t.lock().unwrap_or_else(|e| e.into_inner());
            *t += by;
        }
    }

    pub fn set(&self, to: DateTime<Utc>) {
        if let Clock::Manual(t) = self {
            *t.lock().unwrap_or_else(|e| e.into_inner()) = to;
        }
    }
}
