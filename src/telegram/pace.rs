//! When the next message may leave under Telegram's flood limits: at most `per_second` in
//! all, spread evenly (a burst of 30 in one instant is what provokes 429s), and one per chat
//! per `chat_interval`. Pure: the caller says what time it is, so the rules are tested
//! without waiting.
//!
//! Why not teloxide's `Throttle`: its worker wakes every 250 ms (`DELAY` in teloxide-core
//! 0.13), so every reply waited up to a quarter second for nothing, and a second's allowance
//! left in one burst per wake-up, which capped delivery at 23 a second (BENCHMARKS.md).

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// Telegram's sending limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendLimits {
    /// Messages a second, in all chats together.
    pub per_second: u32,
    /// The shortest time between two messages to one chat.
    pub chat_interval: Duration,
}

/// Past this many chats remembered, those whose interval has passed are forgotten.
const CHATS_REMEMBERED: usize = 10_000;

#[derive(Debug)]
pub struct Pace {
    /// The shortest time between any two messages.
    gap: Duration,
    chat_interval: Duration,
    /// Instants already promised to messages (kept until they can no longer collide).
    promised: BTreeSet<Instant>,
    last_to_chat: HashMap<i64, Instant>,
    /// After a 429, nothing leaves before this.
    frozen_until: Option<Instant>,
}

impl Pace {
    pub fn new(limits: SendLimits) -> Pace {
        Pace {
            // Rounded up: 30 gaps of a truncated 1/30 s would fit 31 messages into a second.
            gap: Duration::from_nanos(1_000_000_000u64.div_ceil(u64::from(limits.per_second.max(1)))),
            chat_interval: limits.chat_interval,
            promised: BTreeSet::new(),
            last_to_chat: HashMap::new(),
            frozen_until: None,
        }
    }

    /// Promises a message to `chat` the earliest instant at or after `now` that keeps every
    /// limit with all earlier promises; the caller sends it then.
    pub fn promise(&mut self, chat: i64, now: Instant) -> Instant {
        self.forget_before(now);
        let mut at = now;
        if let Some(frozen) = self.frozen_until {
            at = at.max(frozen);
        }
        if let Some(last) = self.last_to_chat.get(&chat) {
            at = at.max(*last + self.chat_interval);
        }
        // The first free slot: promises are sorted, and each one closer than a gap pushes
        // the slot past it (a message held back for its chat does not hold up other chats).
        let from = at.checked_sub(self.gap).unwrap_or(at);
        for &promised in self.promised.range(from..) {
            if promised >= at + self.gap {
                break;
            }
            if promised + self.gap > at {
                at = promised + self.gap;
            }
        }
        self.promised.insert(at);
        self.last_to_chat.insert(chat, at);
        at
    }

    /// A message to `chat` actually left at `at`: a task woken late by a busy machine sends
    /// after its slot, and the chat's next message keeps its distance from the real send, not
    /// from the slot (else two messages to one chat can reach Telegram closer than allowed).
    pub fn left(&mut self, chat: i64, at: Instant) {
        let last = self.last_to_chat.entry(chat).or_insert(at);
        *last = (*last).max(at);
    }

    /// Telegram answered 429: nothing leaves before `until`.
    pub fn freeze_until(&mut self, until: Instant) {
        self.frozen_until = Some(self.frozen_until.map_or(until, |f| f.max(until)));
    }

    fn forget_before(&mut self, now: Instant) {
        while self.promised.first().is_some_and(|first| *first + self.gap <= now) {
            self.promised.pop_first();
        }
        if self.last_to_chat.len() > CHATS_REMEMBERED {
            let interval = self.chat_interval;
            self.last_to_chat.retain(|_, last| *last + interval > now);
        }
        if self.frozen_until.is_some_and(|f| f <= now) {
            self.frozen_until = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TELEGRAM: SendLimits = SendLimits { per_second: 30, chat_interval: Duration::from_secs(1) };

    fn ms(start: Instant, at: Instant) -> u128 {
        at.duration_since(start).as_millis()
    }

    #[test]
    fn an_idle_bot_sends_at_once() {
        let start = Instant::now();
        let mut pace = Pace::new(TELEGRAM);
        assert_eq!(pace.promise(1, start), start);
        let later = start + Duration::from_secs(5);
        assert_eq!(pace.promise(1, later), later);
        assert_eq!(pace.promise(2, later + Duration::from_secs(1)), later + Duration::from_secs(1));
    }

    #[test]
    fn many_chats_at_once_are_spread_evenly_never_more_than_the_limit_in_any_second() {
        let start = Instant::now();
        let mut pace = Pace::new(TELEGRAM);
        let slots: Vec<Instant> = (0..300).map(|chat| pace.promise(chat, start)).collect();
        assert!(slots.windows(2).all(|w| w[1].duration_since(w[0]) >= Duration::from_secs(1) / 30));
        for (i, slot) in slots.iter().enumerate() {
            let in_a_second =
                slots[i..].iter().take_while(|s| s.duration_since(*slot) < Duration::from_secs(1)).count();
            assert!(in_a_second <= 30, "{in_a_second} messages in the second from slot {i}");
        }
        // 300 messages take 10 seconds: the full rate, no more and no less.
        assert_eq!(ms(start, slots[299]) / 100, 99);
    }

    #[test]
    fn one_chat_gets_one_message_a_second_without_holding_up_the_others() {
        let start = Instant::now();
        let mut pace = Pace::new(TELEGRAM);
        let first = pace.promise(7, start);
        let second = pace.promise(7, start);
        let other = pace.promise(8, start);
        assert_eq!(ms(start, first), 0);
        assert_eq!(ms(start, second), 1000);
        assert_eq!(ms(start, other), 33, "another chat takes the next free slot, not the one after chat 7");
        // The slot held for chat 7 a second ahead is kept clear of others.
        let around: Vec<Instant> = (100..140).map(|chat| pace.promise(chat, start)).collect();
        assert!(
            around.iter().all(|at| at.max(&second).duration_since(*at.min(&second)) >= Duration::from_secs(1) / 30)
        );
    }

    #[test]
    fn a_message_that_left_late_pushes_its_chat_s_next_one() {
        let start = Instant::now();
        let mut pace = Pace::new(TELEGRAM);
        assert_eq!(ms(start, pace.promise(7, start)), 0);
        // Its task woke 40 ms after its slot.
        pace.left(7, start + Duration::from_millis(40));
        assert_eq!(ms(start, pace.promise(7, start + Duration::from_millis(50))), 1040);
    }

    #[test]
    fn a_429_holds_every_chat_until_its_retry_after() {
        let start = Instant::now();
        let mut pace = Pace::new(TELEGRAM);
        pace.freeze_until(start + Duration::from_secs(3));
        assert_eq!(ms(start, pace.promise(1, start)), 3000);
        assert_eq!(ms(start, pace.promise(2, start + Duration::from_secs(4))), 4000, "the freeze ends");
    }

    #[test]
    fn memory_stays_small_over_a_long_run() {
        let start = Instant::now();
        let mut pace = Pace::new(TELEGRAM);
        for i in 0..50_000u32 {
            pace.promise(i64::from(i), start + Duration::from_millis(u64::from(i) * 40));
        }
        assert!(pace.promised.len() <= 2, "{} promises kept", pace.promised.len());
        assert!(pace.last_to_chat.len() <= CHATS_REMEMBERED + 1);
    }
}
