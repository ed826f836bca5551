//! How many updates one chat may send, and how often people outside the programme are
//! answered.
//!
//! Updates: a bucket per chat that holds `burst` updates and refills at `per_second`
//! ([`InboundLimit::DEFAULT`]). A chat past its bucket has its updates dropped before they are
//! stored or queued, so that someone sending hundreds of messages (a stranger's «/start» again
//! and again, a stuck client) never fills the dispatcher's queue that every chat waits on. A
//! person typing, even fast, never comes near it.
//!
//! Strangers' answers ([`StrangerLimit`]): each stranger once in a while, all of them together
//! at a small rate, so that many strangers cannot use up the sends members' replies need.
//!
//! Both count real time (not the programme's clock, which tests and rehearsals move): they
//! limit traffic as it arrives.

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

/// How often people outside the programme are answered («this bot is for the programme's
/// members»): each chat at most once per `per_chat`, and all strangers together at most `burst`
/// at once, then `per_second`. However many strangers write, their answers never take more than
/// a sliver of the messages a second that members' replies share (29 in all, for the bot).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrangerLimit {
    pub per_chat: std::time::Duration,
    pub burst: f64,
    pub per_second: f64,
}

impl StrangerLimit {
    /// Once in ten minutes a chat; ten at once, then two a second, for all strangers together.
    pub const DEFAULT: StrangerLimit =
        StrangerLimit { per_chat: std::time::Duration::from_secs(600), burst: 10.0, per_second: 2.0 };
    /// For tests and benchmarks that write as strangers on purpose.
    pub const NONE: StrangerLimit = StrangerLimit { per_chat: std::time::Duration::ZERO, burst: 1e9, per_second: 1e9 };
}

/// Who outside the programme was answered when, and the shared allowance left.
#[derive(Debug)]
pub struct StrangerAnswers {
    limit: StrangerLimit,
    answered: HashMap<i64, Instant>,
    shared: Bucket,
}

impl StrangerAnswers {
    pub fn new(limit: StrangerLimit, now: Instant) -> StrangerAnswers {
        StrangerAnswers {
            limit,
            answered: HashMap::new(),
            shared: Bucket { tokens: limit.burst, at: now, dropping: false },
        }
    }

    /// Whether a stranger writing from `chat` at `now` is answered (and counted if so).
    pub fn may_answer(&mut self, chat: i64, now: Instant) -> bool {
        let per_chat = self.limit.per_chat;
        if self.answered.len() > CHATS_REMEMBERED {
            self.answered.retain(|_, at| now.saturating_duration_since(*at) < per_chat);
        }
        if self.answered.get(&chat).is_some_and(|at| now.saturating_duration_since(*at) < per_chat) {
            return false;
        }
        let bucket_limit = InboundLimit { burst: self.limit.burst, per_second: self.limit.per_second };
        let tokens = self.shared.refilled(bucket_limit, now);
        if tokens < 1.0 {
            self.shared = Bucket { tokens, at: now, dropping: true };
            return false;
        }
        self.shared = Bucket { tokens: tokens - 1.0, at: now, dropping: false };
        self.answered.insert(chat, now);
        true
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
    fn a_stranger_is_answered_once_in_ten_minutes_and_strangers_together_two_a_second() {
        let mut strangers = StrangerAnswers::new(StrangerLimit::DEFAULT, at(0));
        assert!(strangers.may_answer(1, at(0)));
        assert!(!strangers.may_answer(1, at(1)), "the same stranger again at once");
        assert!(!strangers.may_answer(1, at(599)));
        assert!(strangers.may_answer(1, at(600)), "ten minutes on");
        // A crowd: ten at once (one used above, refilled since), then two a second.
        let mut strangers = StrangerAnswers::new(StrangerLimit::DEFAULT, at(0));
        let answered = (100..200).filter(|chat| strangers.may_answer(*chat, at(0))).count();
        assert_eq!(answered, 10);
        let answered = (200..300).filter(|chat| strangers.may_answer(*chat, at(5))).count();
        assert_eq!(answered, 10, "five seconds refill ten");
        // Those not answered are answered when they write again later.
        assert!(strangers.may_answer(150, at(60)));
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
