//! How many updates one chat may send: a bucket per chat that holds `burst` updates and
//! refills at `per_second` ([`InboundLimit::DEFAULT`]). A chat past its bucket has its updates dropped before they are
//! stored or queued, so that someone sending hundreds of messages (a stranger's «/start» again
//! and again, a stuck client) never fills the dispatcher's queue that every chat waits on. A
//! person typing, even fast, never comes near it. It counts real time (not the programme's
//! clock, which tests and rehearsals move): it limits traffic as it arrives.

use std::collections::HashMap;
use std::time::Instant;

/// Past this many chats remembered, those whose bucket is full again are forgotten.
const CHATS_REMEMBERED: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InboundLimit {
    /// Updates a chat may send at once.
    pub burst: f64,
    /// Updates a chat may send each second, after the burst.
    pub per_second: f64,
}

impl InboundLimit {
    /// Thirty at once, then one every two seconds: no faster than the bot answers a chat (one
    /// message a second to a chat, two for most steps), so that a chat's own queue in the
    /// dispatcher (64 updates) does not fill and hold up the rest.
    pub const DEFAULT: InboundLimit = InboundLimit { burst: 30.0, per_second: 0.5 };
    /// For tests and benchmarks whose simulated people act faster than any person can.
    pub const NONE: InboundLimit = InboundLimit { burst: 1e9, per_second: 1e9 };
}

#[derive(Debug)]
pub struct InboundLimits {
    limit: InboundLimit,
    buckets: HashMap<i64, Bucket>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
    /// The last update was dropped.
    dropping: bool,
}

impl Bucket {
    fn refilled(self, limit: InboundLimit, now: Instant) -> f64 {
        let seconds = now.saturating_duration_since(self.at).as_secs_f64();
        (self.tokens + seconds * limit.per_second).min(limit.burst)
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
    pub fn new(limit: InboundLimit) -> InboundLimits {
        InboundLimits { limit, buckets: HashMap::new() }
    }

    /// Whether one more update from `chat` is taken at `now`.
    pub fn take(&mut self, chat: i64, now: Instant) -> Inbound {
        let limit = self.limit;
        if self.buckets.len() > CHATS_REMEMBERED {
            self.buckets.retain(|_, b| b.refilled(limit, now) < limit.burst);
        }
        let bucket = self.buckets.entry(chat).or_insert(Bucket { tokens: limit.burst, at: now, dropping: false });
        let tokens = bucket.refilled(limit, now);
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

    fn at(seconds: u64) -> Instant {
        static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
        *START.get_or_init(Instant::now) + std::time::Duration::from_secs(seconds)
    }

    #[test]
    fn a_burst_is_taken_then_one_a_second() {
        let mut limits = InboundLimits::new(InboundLimit::DEFAULT);
        for _ in 0..30 {
            assert_eq!(limits.take(7, at(0)), Inbound::Taken);
        }
        assert_eq!(limits.take(7, at(0)), Inbound::Dropped { first: true });
        assert_eq!(limits.take(7, at(0)), Inbound::Dropped { first: false });
        // Another chat is not held back by the first.
        assert_eq!(limits.take(8, at(0)), Inbound::Taken);
        // Four seconds on, two more.
        assert_eq!(limits.take(7, at(4)), Inbound::Taken);
        assert_eq!(limits.take(7, at(4)), Inbound::Taken);
        assert_eq!(limits.take(7, at(4)), Inbound::Dropped { first: true });
        // After a quiet minute the whole burst is there again.
        for _ in 0..30 {
            assert_eq!(limits.take(7, at(70)), Inbound::Taken);
        }
    }

    #[test]
    fn a_person_typing_fast_is_never_dropped() {
        let mut limits = InboundLimits::new(InboundLimit::DEFAULT);
        // A message every five seconds for an hour (reading each answer), and a few button
        // taps each minute.
        for second in (0..3600).step_by(5) {
            assert_eq!(limits.take(7, at(second)), Inbound::Taken);
            if second % 60 == 0 {
                for _ in 0..5 {
                    assert_eq!(limits.take(7, at(second)), Inbound::Taken);
                }
            }
        }
    }
}
