//! How many updates one chat may send: a bucket per chat that holds [`BURST`] updates and
//! refills at [`PER_SECOND`]. A chat past its bucket has its updates dropped before they are
//! stored or queued, so that someone sending hundreds of messages (a stranger's «/start» again
//! and again, a stuck client) never fills the dispatcher's queue that every chat waits on. A
//! person typing, even fast, never comes near it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

/// Updates a chat may send at once.
pub const BURST: f64 = 30.0;
/// Updates a chat may send each second, after the burst.
pub const PER_SECOND: f64 = 1.0;
/// Past this many chats remembered, those whose bucket is full again are forgotten.
const CHATS_REMEMBERED: usize = 10_000;

#[derive(Debug, Default)]
pub struct InboundLimits {
    buckets: HashMap<i64, Bucket>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: DateTime<Utc>,
    /// The last update was dropped.
    dropping: bool,
}

impl Bucket {
    fn refilled(self, now: DateTime<Utc>) -> f64 {
        let seconds = (now - self.at).num_milliseconds().max(0) as f64 / 1000.0;
        (self.tokens + seconds * PER_SECOND).min(BURST)
    }
}

/// What became of an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inbound {
    Taken,
    /// Dropped; `first` for the first one dropped since the chat was last within its limit
    /// (logged once, not once per update).
    Dropped {
        first: bool,
    },
}

impl InboundLimits {
    /// Whether one more update from `chat` is taken at `now`.
    pub fn take(&mut self, chat: i64, now: DateTime<Utc>) -> Inbound {
        if self.buckets.len() > CHATS_REMEMBERED {
            self.buckets.retain(|_, b| b.refilled(now) < BURST);
        }
        let bucket = self.buckets.entry(chat).or_insert(Bucket { tokens: BURST, at: now, dropping: false });
        let tokens = bucket.refilled(now);
        if tokens >= 1.0 {
            *bucket = Bucket { tokens: tokens - 1.0, at: now, dropping: false };
            Inbound::Taken
        } else {
            let first = !bucket.dropping;
            *bucket = Bucket { tokens, at: now, dropping: true };
            Inbound::Dropped { first }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn a_burst_is_taken_then_one_a_second() {
        let mut limits = InboundLimits::default();
        for _ in 0..30 {
            assert_eq!(limits.take(7, at(0)), Inbound::Taken);
        }
        assert_eq!(limits.take(7, at(0)), Inbound::Dropped { first: true });
        assert_eq!(limits.take(7, at(0)), Inbound::Dropped { first: false });
        // Another chat is not held back by the first.
        assert_eq!(limits.take(8, at(0)), Inbound::Taken);
        // Two seconds on, two more.
        assert_eq!(limits.take(7, at(2)), Inbound::Taken);
        assert_eq!(limits.take(7, at(2)), Inbound::Taken);
        assert_eq!(limits.take(7, at(2)), Inbound::Dropped { first: true });
        // After a quiet half minute the whole burst is there again.
        for _ in 0..30 {
            assert_eq!(limits.take(7, at(40)), Inbound::Taken);
        }
    }

    #[test]
    fn a_person_typing_fast_is_never_dropped() {
        let mut limits = InboundLimits::default();
        // A message every two seconds for ten minutes, and a few button taps each minute.
        for second in (0..600).step_by(2) {
            assert_eq!(limits.take(7, at(second)), Inbound::Taken);
            if second % 60 == 0 {
                for _ in 0..5 {
                    assert_eq!(limits.take(7, at(second)), Inbound::Taken);
                }
            }
        }
    }
}
