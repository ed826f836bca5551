//! When the next message may leave under Telegram's flood limits: at most `per_second` in
//! all, spread evenly (a burst of 30 in one instant is what provokes 429s), one per chat
//! per `chat_interval`, and bulk (reminders, prompts) within `bulk_share` of the rate, so that
//! replies always have room. Pure: the caller says what time it is, so the rules are tested
//! without waiting.
//!
//! Two ways to get a slot: a handler's send is *promised* the earliest free one and waits for
//! it; the outbox *claims* a slot only when it is free now, choosing then which of its rows
//! takes it, so that a reply queued during a bulk drain takes the next slot instead of waiting
//! behind bulk rows that booked the seconds ahead.
//!
//! Why not teloxide's `Throttle`: its worker wakes every 250 ms (`DELAY` in teloxide-core
//! 0.13), so every reply waited up to a quarter second for nothing, and a second's allowance
//! left in one burst per wake-up, which capped delivery at 23 a second (BENCHMARKS.md).

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// Telegram's sending limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SendLimits {
    /// Messages a second, in all chats together.
    pub per_second: u32,
    /// The shortest time between two messages to one chat.
    pub chat_interval: Duration,
    /// The largest share of `per_second` that bulk messages may take (0 < share ≤ 1): the rest
    /// of every second is kept for replies and messages to staff.
    pub bulk_share: f64,
}

/// Past this many chats remembered, those whose interval has passed are forgotten.
const CHATS_REMEMBERED: usize = 10_000;

/// A slot taken for one message to one chat ([`Pace::claim`]); the message leaves at once.
#[derive(Debug)]
#[must_use = "a slot taken is a message that should leave now"]
pub struct Claimed {
    chat: i64,
}

impl Claimed {
    pub fn chat(&self) -> i64 {
        self.chat
    }
}

#[derive(Debug)]
pub struct Pace {
    /// The shortest time between any two messages.
    gap: Duration,
    /// The shortest time between two bulk messages on average (`gap / bulk_share`).
    bulk_gap: Duration,
    chat_interval: Duration,
    /// Instants already promised to messages (kept until they can no longer collide).
    promised: BTreeSet<Instant>,
    last_to_chat: HashMap<i64, Instant>,
    /// When the next bulk message is due if bulk kept exactly to its share (a virtual
    /// schedule: one may leave up to a `bulk_gap` early, so that a slot a reply took, or a
    /// late wake-up, does not lower bulk's rate for good).
    bulk_due: Option<Instant>,
    /// After a 429, nothing leaves before this.
    frozen_until: Option<Instant>,
}

impl Pace {
    pub fn new(limits: SendLimits) -> Pace {
        // Rounded up: 30 gaps of a truncated 1/30 s would fit 31 messages into a second.
        let gap_nanos = 1_000_000_000u64.div_ceil(u64::from(limits.per_second.max(1)));
        let share = limits.bulk_share.clamp(f64::MIN_POSITIVE, 1.0);
        Pace {
            gap: Duration::from_nanos(gap_nanos),
            bulk_gap: Duration::from_nanos((gap_nanos as f64 / share).ceil().min(u64::MAX as f64) as u64),
            chat_interval: limits.chat_interval,
            promised: BTreeSet::new(),
            last_to_chat: HashMap::new(),
            bulk_due: None,
            frozen_until: None,
        }
    }

    /// Promises a message to `chat` the earliest instant at or after `now` that keeps every
    /// limit with all earlier promises; the caller sends it then.
    pub fn promise(&mut self, chat: i64, now: Instant) -> Instant {
        self.forget_before(now);
        let at = self.earliest(chat, false, now);
        self.take(chat, false, at, at);
        at
    }

    /// Takes the slot at `now` for a message to `chat` (`bulk`: counted against the bulk
    /// share) if it is free, or says when the earliest one comes. The slot right after the
    /// last one taken is still taken by a worker woken up to a quarter gap after it, so that
    /// lateness does not add up into a slower rate; the chat's interval counts from `now`, when
    /// the message really leaves.
    pub fn claim(&mut self, chat: i64, bulk: bool, now: Instant) -> Result<Claimed, Instant> {
        let late = now.checked_sub(self.gap / 4).unwrap_or(now);
        self.forget_before(late);
        let missed = self.promised.range(..=now).next_back().map(|last| *last + self.gap).filter(|next| *next >= late);
        let at = self.earliest(chat, bulk, missed.map_or(now, |next| next.min(now)));
        if at > now {
            return Err(at);
        }
        self.take(chat, bulk, at, now);
        Ok(Claimed { chat })
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

    /// The earliest instant at or after `from` that keeps every limit for a message to `chat`.
    fn earliest(&self, chat: i64, bulk: bool, from: Instant) -> Instant {
        let mut at = from;
        if let Some(frozen) = self.frozen_until {
            at = at.max(frozen);
        }
        if let Some(last) = self.last_to_chat.get(&chat) {
            at = at.max(*last + self.chat_interval);
        }
        if bulk && let Some(due) = self.bulk_due {
            at = at.max(due.checked_sub(self.bulk_gap).unwrap_or(due));
        }
        // The first free slot: promises are sorted, and each one closer than a gap pushes
        // the slot past it (a message held back for its chat does not hold up other chats).
        let start = at.checked_sub(self.gap).unwrap_or(at);
        for &promised in self.promised.range(start..) {
            if promised >= at + self.gap {
                break;
            }
            if promised + self.gap > at {
                at = promised + self.gap;
            }
        }
        at
    }

    /// Books the slot `at` for a message to `chat` that leaves at `leaves`.
    fn take(&mut self, chat: i64, bulk: bool, at: Instant, leaves: Instant) {
        self.promised.insert(at);
        self.left(chat, leaves);
        if bulk {
            self.bulk_due = Some(self.bulk_due.map_or(at, |due| due.max(at)) + self.bulk_gap);
        }
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

    const TELEGRAM: SendLimits = SendLimits { per_second: 30, chat_interval: Duration::from_secs(1), bulk_share: 0.8 };

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

    #[test]
    fn a_claim_takes_the_slot_now_or_says_when_the_next_one_comes() {
        let start = Instant::now() + Duration::from_secs(1);
        let mut pace = Pace::new(TELEGRAM);
        assert_eq!(pace.claim(1, false, start).map(|c| c.chat()).ok(), Some(1));
        let next = pace.claim(2, false, start).expect_err("the slot is taken");
        assert_eq!(ms(start, next), 33);
        assert!(pace.claim(2, false, next).is_ok());
        // Chat 1 waits out its interval, counted from when its message left.
        assert_eq!(
            pace.claim(1, false, next).expect_err("chat 1 had one a moment ago"),
            start + TELEGRAM.chat_interval
        );
        // A handler's send is promised the next free slot, and a claim keeps clear of it.
        let promised = pace.promise(3, next);
        assert_eq!(ms(start, promised), 66);
        assert_eq!(ms(start, pace.claim(4, false, promised).expect_err("promised to chat 3")), 100);
    }

    #[test]
    fn a_worker_woken_a_moment_late_loses_no_rate() {
        let start = Instant::now() + Duration::from_secs(1);
        let mut pace = Pace::new(TELEGRAM);
        let (mut at, mut chat) = (start, 0);
        while chat < 300 {
            match pace.claim(chat, false, at) {
                Ok(_) => chat += 1,
                // Woken 3 ms after the slot it was told of, every time.
                Err(slot) => at = slot + Duration::from_millis(3),
            }
        }
        // 300 messages in 10 s, as when every slot is met on time.
        assert_eq!(ms(start, at) / 100, 99);
        // An idle pace takes no slot in the past: the next message after a pause waits a gap.
        let later = at + Duration::from_secs(5);
        assert!(pace.claim(chat, false, later).is_ok());
        assert_eq!(ms(later, pace.claim(chat + 1, false, later).expect_err("taken")), 33);
    }

    /// Claims bulk messages to distinct chats as fast as the pace allows for `seconds`, and a
    /// reply every `reply_every` (offered first, as the outbox does): (bulk sent, replies sent, the
    /// longest a reply waited).
    fn drain(seconds: u64, reply_every: Option<Duration>) -> (usize, usize, Duration) {
        let start = Instant::now() + Duration::from_secs(1);
        let end = start + Duration::from_secs(seconds);
        let mut pace = Pace::new(TELEGRAM);
        let (mut bulk, mut replies, mut at, mut chat, mut longest) = (0, 0, start, 0, Duration::ZERO);
        let mut next_reply = reply_every.map(|_| start);
        while at < end {
            let mut soonest = end;
            if let (Some(due), Some(every)) = (next_reply, reply_every) {
                if due <= at {
                    chat += 1;
                    match pace.claim(chat, false, at) {
                        Ok(_) => {
                            replies += 1;
                            longest = longest.max(at - due);
                            next_reply = Some(due + every);
                            continue;
                        }
                        Err(next) => soonest = soonest.min(next),
                    }
                } else {
                    soonest = soonest.min(due);
                }
            }
            chat += 1;
            match pace.claim(chat, true, at) {
                Ok(_) => bulk += 1,
                Err(next) => at = soonest.min(next),
            }
        }
        (bulk, replies, longest)
    }

    #[test]
    fn bulk_alone_keeps_to_its_share_of_the_rate() {
        let (bulk, _, _) = drain(10, None);
        // 0.8 of 30 a second for 10 s, and at most the one message early the schedule allows.
        assert!((240..=242).contains(&bulk), "{bulk} bulk messages in 10 s");
    }

    #[test]
    fn other_messages_take_what_bulk_leaves_and_bulk_still_gets_its_share() {
        // Five replies a second, within the fifth of the rate bulk leaves them: each leaves at
        // its first free slot, and bulk still drains at its share.
        let (bulk, replies, longest) = drain(10, Some(Duration::from_millis(200)));
        assert!((238..=242).contains(&bulk), "{bulk} bulk messages in 10 s");
        assert_eq!(replies, 50);
        assert!(longest <= Pace::new(TELEGRAM).gap, "a reply waited {longest:?}, more than one slot");
        assert!(bulk + replies <= 301, "{} in all", bulk + replies);
    }
}
