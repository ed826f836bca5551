//! Delivery that loses nothing: every alert, reminder, notice and reply is a row in the
//! `outbox` table, written in the same transaction as the decision to send it; this worker
//! delivers the rows, paced under Telegram's limits (`telegram::pace`).
//!
//! - One worker chooses, at each free slot, the row that leaves: replies first, then messages
//!   to staff, then bulk, and bulk only within its share of the rate ([`pick`]). A reply queued
//!   during a bulk drain takes the next slot.
//! - One attempt per turn. 429: the row waits `retry_after` (and every send with it); 5xx,
//!   timeouts, network errors: backoff. The wait is the row's `next_attempt_at`: no task waits
//!   with a message in hand, so rows that keep failing never hold up the others. After
//!   [`MAX_ATTEMPTS`] failures the row is marked failed and who answers for its recipient told.
//! - 403 (blocked) or a deleted account: gives up, marks the person unreachable and tells
//!   their caseworker.
//! - A reminder is worded when it is sent, and withdrawn if it is no longer true then
//!   ([`wording`]).
//! - A message to an entrepreneur that is not a reply waits out the quiet hours when its time
//!   comes, whenever it was queued.
//! - At least once, never lost: a row is marked sent once (`status = 'pending'` guards the
//!   update), after Telegram answered. Telegram may carry a request out and its answer never
//!   arrive (a timeout after acceptance), and a crash may come between Telegram's answer and
//!   the row marked sent: then the row is tried again and the message arrives twice. No Bot
//!   API client can tell such a send from one Telegram never took.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{InputFile, MessageId, ReplyMarkup};
use teloxide::{ApiError, RequestError};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::app::{App, Wake};
use crate::domain::attachment::{Attachment, SentAs};
use crate::domain::person::{Person, Role};
use crate::store::outbox::Lane;
use crate::store::outbox::{DeliveryEnd, Edit, RowEnd};
use crate::store::{NewOutboxMessage, OutboxRow};
use crate::telegram::{Claimed, Pace};
use crate::telegram::{Edited, Tg};

pub mod wording;

/// How many requests may be waiting for Telegram's answer at once: enough that the pacing, not
/// this, is what limits sending. A request may take teloxide's 17 s timeout, and teloxide
/// sleeps 10 s before it reads a 5xx answer (`DELAY_ON_SERVER_ERROR` in teloxide-core 0.13):
/// at 29 a second, about 500 may be under way in an outage.
pub const IN_FLIGHT: usize = 512;
/// How many due rows the worker holds to choose from, and at most how many of them to one
/// chat (more would wait for that chat's interval while others could go).
const HELD: usize = 128;
const HELD_PER_CHAT: usize = 2;
/// Rows read at a time, and at most how many pages one look reads (rows to chats already held
/// are skipped, so a long queue to one chat does not hide the others).
const PAGE: i64 = 256;
const MAX_PAGES: usize = 16;
/// The longest pause between retries of one message.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// Failed attempts (5xx, timeouts, network) after which a row is given up on and someone told:
/// with the backoff, about half an hour of trying. Only failures while Telegram answers other
/// sends count (see [`counts_toward_giving_up`]).
pub const MAX_ATTEMPTS: i64 = 14;
/// How recently Telegram must have answered some send for a row's failure to be the row's own
/// rather than an outage: longer than the longest backoff, so that a row retried at its slowest
/// still sees the other rows' answers.
pub const TELEGRAM_ANSWERED_WITHIN: chrono::Duration = chrono::Duration::minutes(10);
/// A row failing for this long is given up on even if Telegram answered nothing meanwhile.
pub const GIVE_UP_AFTER: chrono::Duration = chrono::Duration::days(2);
/// How often the worker looks at the table without being woken (rows queued by another
/// process, `pelekan scan`).
const POLL: Duration = Duration::from_secs(5);

/// What to do after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent(i32),
    RetryAfter(Duration),
    Transient(String),
    /// Blocked or gone: the person cannot be reached.
    Unreachable(String),
    /// Refused for good (a bad request): logged, not retried.
    Refused(String),
}

/// Classifies a send result (the id of the message sent or edited).
pub fn outcome(result: Result<i32, RequestError>) -> Outcome {
    match result {
        Ok(message_id) => Outcome::Sent(message_id),
        Err(RequestError::RetryAfter(seconds)) => Outcome::RetryAfter(seconds.duration()),
        Err(RequestError::Api(
            e @ (ApiError::BotBlocked
            | ApiError::UserDeactivated
            | ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup),
        )) => Outcome::Unreachable(e.to_string()),
        Err(RequestError::Api(ApiError::Unknown(text)))
            if !text.starts_with("Bad Request") && !text.starts_with("Forbidden") =>
        {
            Outcome::Transient(text)
        }
        Err(RequestError::Api(ApiError::Unknown(text))) if text.starts_with("Forbidden") => Outcome::Unreachable(text),
        Err(RequestError::Api(e)) => Outcome::Refused(e.to_string()),
        Err(e @ (RequestError::Network(_) | RequestError::Io(_) | RequestError::InvalidJson { .. })) => {
            Outcome::Transient(e.to_string())
        }
        Err(e) => Outcome::Refused(e.to_string()),
    }
}

/// Whether Telegram refused a message because of its file (an unknown or foreign file id, a
/// file of another kind, too big), not because of its text or buttons.
fn refused_for_its_file(error: &str) -> bool {
    ["wrong file id", "file identifier", "type of file mismatch", "file is too big", "invalid file"]
        .iter()
        .any(|reason| error.contains(reason))
}

/// Backoff after `attempts` failed tries: 1 s, 2 s, 4 s, … up to five minutes.
pub fn backoff(attempts: i64) -> Duration {
    Duration::from_secs(1u64 << attempts.clamp(0, 16) as u32).min(MAX_BACKOFF)
}

/// After a failed attempt that may be tried again: the pause before the next, or None when
/// `attempts` tries are enough (the row is then given up on).
pub fn next_try(attempts: i64) -> Option<Duration> {
    (attempts < MAX_ATTEMPTS).then(|| backoff(attempts))
}

/// Whether a failed attempt counts toward giving the row up. During an outage (Telegram, or
/// the network to it, answered no send for [`TELEGRAM_ANSWERED_WITHIN`]) every row fails
/// alike: counting those failures would give up, after half an hour, on every message waiting,
/// payment requests with them. So then the row keeps trying at its slowest pace, and only a
/// row failing while others get through, or failing for [`GIVE_UP_AFTER`], is given up on.
pub fn counts_toward_giving_up(
    last_answer: Option<chrono::DateTime<chrono::Utc>>,
    queued_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> bool {
    let telegram_answers = last_answer.is_some_and(|at| now - at <= TELEGRAM_ANSWERED_WITHIN);
    telegram_answers || now - queued_at >= GIVE_UP_AFTER
}

/// When Telegram last answered a send (with anything but a transient failure), as a Unix time
/// (0: not since the worker started).
#[derive(Default)]
struct LastAnswer(std::sync::atomic::AtomicI64);

impl LastAnswer {
    fn heard(&self, now: chrono::DateTime<chrono::Utc>) {
        self.0.fetch_max(now.timestamp(), std::sync::atomic::Ordering::Relaxed);
    }

    fn at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let at = self.0.load(std::sync::atomic::Ordering::Relaxed);
        (at > 0).then(|| chrono::DateTime::from_timestamp(at, 0)).flatten()
    }
}

/// Asks Telegram who the bot is (`getMe`, which sends nothing): when that is answered,
/// Telegram is reachable now.
async fn telegram_answers(
    bot: &Tg,
    last_answer: &LastAnswer,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<chrono::DateTime<chrono::Utc>> {
    match bot.get_me().await {
        Ok(_) => {
            last_answer.heard(now);
            Some(now)
        }
        Err(e) => {
            tracing::warn!(error = %e, "Telegram does not answer: failed sends are not counted toward giving up");
            None
        }
    }
}

/// What the worker does next with the rows it holds.
#[derive(Debug)]
pub enum Pick {
    /// The row at this index leaves now, in the slot taken for it.
    Now(usize, Claimed),
    /// None may leave before this instant.
    At(Instant),
    /// Every row held is to a chat with a row under way: the next to end frees one.
    Busy,
    /// No row is held.
    Nothing,
}

/// Chooses the row that leaves now: the first in the order held (replies, staff, bulk; within
/// a lane the one whose time came first) whose chat is free and whose lane has room under the
/// limits, bulk only within its share; else when the first chance comes. A row that
/// `must_wait` (its chat has a row under way, or an earlier reply waiting to be tried again)
/// is passed over, so that a chat's messages arrive in their order (a question after the line
/// that says why the last answer was not taken).
pub fn pick(rows: &[OutboxRow], must_wait: &dyn Fn(&OutboxRow) -> bool, pace: &mut Pace, now: Instant) -> Pick {
    let mut soonest: Option<Instant> = None;
    let mut waiting = false;
    for (i, row) in rows.iter().enumerate() {
        if must_wait(row) {
            waiting = true;
            continue;
        }
        match pace.claim(row.chat_id, row.lane == Lane::Bulk, now) {
            Ok(slot) => return Pick::Now(i, slot),
            Err(at) => soonest = Some(soonest.map_or(at, |s| s.min(at))),
        }
    }
    match soonest {
        Some(at) => Pick::At(at),
        None if waiting => Pick::Busy,
        None => Pick::Nothing,
    }
}

/// A row's attempt as its task reports it to the worker.
struct Tried {
    chat: i64,
    id: i64,
    reply: bool,
    after: After,
}

impl Tried {
    /// The chat is free again; a reply waiting for another try holds back the replies after it.
    /// True when the replies it held back may go now (they are read again).
    fn free(self, busy: &mut HashSet<i64>, behind: &mut HashMap<i64, i64>) -> bool {
        busy.remove(&self.chat);
        match self.after {
            After::Again if self.reply => {
                let first = behind.entry(self.chat).or_insert(self.id);
                *first = (*first).min(self.id);
                false
            }
            _ if behind.get(&self.chat) == Some(&self.id) => behind.remove(&self.chat).is_some(),
            _ => false,
        }
    }
}

/// Whether a row is a reply queued after a reply of its chat that waits for its next try.
fn waits_behind(row: &OutboxRow, behind: &HashMap<i64, i64>) -> bool {
    row.lane == Lane::Reply && behind.get(&row.chat_id).is_some_and(|first| row.id > *first)
}

/// The due rows the worker holds, and what it knew when it read them.
struct Held {
    rows: Vec<OutboxRow>,
    /// More rows were due than were read.
    more: bool,
    /// Chats with more due rows than were held: read again once their held rows are sent.
    capped: HashSet<i64>,
    read_at: Instant,
}

impl Held {
    fn empty() -> Held {
        Held { rows: Vec::new(), more: false, capped: HashSet::new(), read_at: Instant::now() }
    }

    /// Takes the row at `i` out; true when rows that were left unread should be read now (all
    /// held are under way, or those of a chat that had more).
    fn take(&mut self, i: usize) -> (OutboxRow, bool) {
        let row = self.rows.remove(i);
        let chat_done = self.capped.contains(&row.chat_id) && !self.rows.iter().any(|r| r.chat_id == row.chat_id);
        let read_on = chat_done || (self.rows.is_empty() && self.more);
        (row, read_on)
    }

    /// Rows queued elsewhere (another process) or come due while the worker was busy are
    /// found by a read at least this often.
    fn stale(&self) -> bool {
        self.read_at.elapsed() >= POLL
    }
}

/// Reads the due rows to choose from: in the order they leave, none in flight, at most
/// [`HELD_PER_CHAT`] to one chat.
async fn read_due(app: &App, in_flight: &HashSet<i64>, behind: &HashMap<i64, i64>) -> anyhow::Result<Held> {
    let now = app.clock.now();
    let mut rows: Vec<OutboxRow> = Vec::new();
    let mut per_chat: HashMap<i64, usize> = HashMap::new();
    let mut capped = HashSet::new();
    let mut more = false;
    let mut last: Option<OutboxRow> = None;
    for _ in 0..MAX_PAGES {
        let page = app.store.due_outbox(now, last.as_ref(), PAGE).await?;
        more = page.len() as i64 == PAGE;
        last = page.last().cloned();
        for row in page {
            let to_chat = per_chat.entry(row.chat_id).or_default();
            // Replies behind one that waits for its next try are not held: they would take the
            // places of that reply, which must leave first.
            if in_flight.contains(&row.id) || waits_behind(&row, behind) {
                continue;
            }
            if *to_chat < HELD_PER_CHAT {
                *to_chat += 1;
                rows.push(row);
            } else {
                capped.insert(row.chat_id);
            }
        }
        if !more || rows.len() >= HELD {
            break;
        }
    }
    Ok(Held { rows, more, capped, read_at: Instant::now() })
}

/// Runs until stopped: at each free slot sends the most urgent due row whose turn it is, each
/// send in a task of its own that makes one attempt and records what became of it. On stop,
/// sends under way finish (so that none is cut off after Telegram took it and before it was
/// marked sent); rows not yet sent wait for the next start.
pub async fn run(app: Arc<App>, bot: Tg, wake: Wake) {
    let mut in_flight: HashSet<i64> = HashSet::new();
    // Rows whose task ended; they leave `in_flight` only when the next read begins, so that a
    // read that saw a row still pending never sends it again after its task marked it sent.
    let finished: Arc<Mutex<Vec<i64>>> = Arc::default();
    let permits = Arc::new(Semaphore::new(IN_FLIGHT));
    let last_answer: Arc<LastAnswer> = Arc::default();
    // Chats with a row under way; each task says when its chat is free again, and whether its
    // row waits for another try. Replies queued after a reply that waits for another try wait
    // behind it (`behind`: chat → that reply), so that they arrive in their order.
    let mut busy: HashSet<i64> = HashSet::new();
    let mut behind: HashMap<i64, i64> = HashMap::new();
    let (freed, mut freed_chats) = tokio::sync::mpsc::unbounded_channel::<Tried>();
    let mut tasks = JoinSet::new();
    let mut stopping = wake.stopping.subscribe();
    let mut held = Held::empty();
    let mut stale = true;
    while !*stopping.borrow_and_update() {
        while tasks.try_join_next().is_some() {}
        while let Ok(tried) = freed_chats.try_recv() {
            stale |= tried.free(&mut busy, &mut behind);
        }
        stale |= wake.woken() || held.stale();
        if stale {
            for id in finished.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
                in_flight.remove(&id);
            }
            match read_due(&app, &in_flight, &behind).await {
                Ok(read) => held = read,
                Err(e) => {
                    tracing::error!(error = format!("{e:#}"), "cannot read the outbox; trying again shortly");
                    held = Held::empty();
                }
            }
            stale = false;
        }
        hold_back_for_the_night(&app, &mut held.rows).await;
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            _ = stopping.changed() => continue,
        };
        let must_wait = |row: &OutboxRow| busy.contains(&row.chat_id) || waits_behind(row, &behind);
        match bot.choose(|pace| pick(&held.rows, &must_wait, pace, Instant::now())) {
            Pick::Now(i, slot) => {
                let (row, read_on) = held.take(i);
                in_flight.insert(row.id);
                busy.insert(row.chat_id);
                let (app, bot, finished, last_answer, freed) =
                    (app.clone(), bot.clone(), finished.clone(), last_answer.clone(), freed.clone());
                tasks.spawn(async move {
                    let (id, chat, reply) = (row.id, row.chat_id, row.lane == Lane::Reply);
                    let after = attempt(&app, &bot, row, slot, &last_answer).await;
                    finished.lock().unwrap_or_else(|e| e.into_inner()).push(id);
                    let _ = freed.send(Tried { chat, id, reply, after });
                    drop(permit);
                });
                stale = read_on;
            }
            Pick::At(at) => {
                drop(permit);
                tokio::select! {
                    _ = tokio::time::sleep_until(at.into()) => {}
                    Some(tried) = freed_chats.recv() => stale |= tried.free(&mut busy, &mut behind),
                    _ = wake.notify.notified() => stale = true,
                    _ = stopping.changed() => {}
                }
            }
            Pick::Busy => {
                drop(permit);
                // Rows held behind a reply that waits for another try: that try's time comes by
                // the clock (rarely: only after a failure, so the read is rare too).
                let retry_at = if behind.is_empty() {
                    None
                } else {
                    app.store.next_outbox_due(app.clock.now()).await.ok().flatten()
                };
                tokio::select! {
                    Some(tried) = freed_chats.recv() => stale |= tried.free(&mut busy, &mut behind),
                    _ = async { app.clock.sleep_until(retry_at?).await; Some(()) }, if retry_at.is_some() => stale = true,
                    _ = tokio::time::sleep(POLL) => stale = true,
                    _ = wake.notify.notified() => stale = true,
                    _ = stopping.changed() => {}
                }
            }
            Pick::Nothing if held.more => stale = true,
            Pick::Nothing => {
                drop(permit);
                // Asked only when idle: a busy worker reads often enough anyway.
                let next_due = match app.store.next_outbox_due(app.clock.now()).await {
                    Ok(at) => at,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot read when the next outbox row is due");
                        None
                    }
                };
                tokio::select! {
                    _ = wake.notify.notified() => {}
                    _ = async { app.clock.sleep_until(next_due?).await; Some(()) }, if next_due.is_some() => {}
                    _ = tokio::time::sleep(POLL) => {}
                    _ = stopping.changed() => {}
                }
                stale = true;
            }
        }
    }
    while tasks.join_next().await.is_some() {}
}

/// The quiet hours hold at the moment of sending too: a backlog after a restart, or a retry
/// that runs late, waits for the morning (and takes no slot).
async fn hold_back_for_the_night(app: &App, rows: &mut Vec<OutboxRow>) {
    let quiet = &app.config.programme.checkin;
    let now = app.clock.now();
    if !rows.iter().any(|r| r.quiet_hours) || !quiet.is_quiet(now) {
        return;
    }
    let morning = quiet.next_allowed(now);
    rows.retain(|r| !r.quiet_hours);
    // All of them at once, read or not yet read.
    match app.store.outbox_held_for_the_night(now, morning).await {
        Ok(held) => tracing::info!(held, %morning, "quiet hours; messages held back until the morning"),
        Err(e) => {
            tracing::error!(error = %e, "cannot hold messages back for the quiet hours; they are looked at again at the next read")
        }
    }
}

/// What Telegram made of a row it took.
enum Done {
    /// This message was sent, or edited.
    Shown(i32),
    /// An edit of a message that can no longer be edited (deleted, too old).
    Uneditable,
}

/// Sends one row in its slot (or makes its edit).
async fn send(bot: &Tg, row: &OutboxRow, slot: Claimed) -> Result<Done, RequestError> {
    let chat = ChatId(row.chat_id);
    // Inline buttons, or a reply's keyboard (the main menu under a reply).
    let markup = row.reply_markup.as_deref().and_then(|m| serde_json::from_str::<ReplyMarkup>(m).ok());
    if let Some(edit) = row.edit {
        let buttons = match markup {
            Some(ReplyMarkup::InlineKeyboard(buttons)) => Some(buttons),
            _ => None,
        };
        let message = MessageId(edit.message_id());
        let edited = match edit {
            Edit::Replace(_) | Edit::Mark(_) => bot.edit_text(chat, message, row.text.clone(), buttons).await?,
            Edit::Buttons(_) => bot.edit_buttons(chat, message, buttons).await?,
        };
        return Ok(if edited == Edited::Impossible { Done::Uneditable } else { Done::Shown(message.0) });
    }
    let shown = |sent: Result<Message, RequestError>| sent.map(|m| Done::Shown(m.id.0));
    if let Some((from_chat, message_id)) = row.forward_from {
        return shown(bot.forward_message(chat, ChatId(from_chat), MessageId(message_id)).in_slot(slot).await);
    }
    let text = row.text.clone();
    shown(match &row.attachment {
        // Each kind of file with its own method: Telegram refuses a document's id in sendPhoto.
        Some(Attachment { file_id, sent_as: SentAs::Photo }) => {
            let mut request = bot.send_photo(chat, InputFile::file_id(file_id.clone().into())).caption(text);
            request.payload_mut().reply_markup = markup;
            request.in_slot(slot).await
        }
        Some(Attachment { file_id, sent_as: SentAs::Document }) => {
            let mut request = bot.send_document(chat, InputFile::file_id(file_id.clone().into())).caption(text);
            request.payload_mut().reply_markup = markup;
            request.in_slot(slot).await
        }
        None => {
            let mut request = bot.send_message(chat, text);
            request.payload_mut().reply_markup = markup;
            request.in_slot(slot).await
        }
    })
}

/// Whether a row's delivery ended with an attempt, or the row waits for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum After {
    Ended,
    Again,
}

/// One attempt at one row in the slot taken for it; what became of it is recorded in the row
/// (sent, given up on, or when to try again).
async fn attempt(app: &App, bot: &Tg, mut row: OutboxRow, slot: Claimed, last_answer: &LastAnswer) -> After {
    // Worded at each attempt from what was queued: a retry after midnight must not say
    // «امروز» of yesterday.
    if let Some(wording) = row.worded.clone() {
        match wording::word_now(app, &row, &wording).await {
            Ok(Some(text)) => row.text = text,
            Ok(None) => {
                tracing::info!(
                    outbox = row.id,
                    chat = row.chat_id,
                    kind = row.kind,
                    "reminder no longer true; withdrawn"
                );
                // A notice not sent: its caseworker is told, and may draft it again.
                let end = DeliveryEnd {
                    notice_news: notice_news(app, &row, "notice_withdrawn", "notice-withdrawn").await,
                    ..DeliveryEnd::just(RowEnd::Withdrawn { why: "no longer true when its time came" })
                };
                return end_delivery(app, &row, end).await;
            }
            Err(e) => return failed(app, &row, &format!("cannot word a reminder: {e:#}"), true).await,
        }
    }
    // A row from before one row was one message: its text now, its forward in a row of its own.
    if row.forward_from.is_some() && !row.text.is_empty() {
        if let Err(e) = app.store.outbox_split_forward(row.id).await {
            return failed(app, &row, &format!("cannot queue the forward apart: {e}"), true).await;
        }
        row.forward_from = None;
        app.outbox.now();
    }
    let result = match send(bot, &row, slot).await {
        Ok(Done::Shown(id)) => Outcome::Sent(id),
        Ok(Done::Uneditable) => return uneditable(app, &row, "the message can no longer be edited").await,
        Err(e) => outcome(Err(e)),
    };
    let now = app.clock.now();
    if !matches!(result, Outcome::Transient(_)) {
        last_answer.heard(now);
    }
    match result {
        Outcome::Sent(message_id) => {
            let end = DeliveryEnd {
                notice_news: notice_news(app, &row, "notice_delivered", "notice-delivered").await,
                ..DeliveryEnd::just(RowEnd::Sent { telegram_message_id: message_id })
            };
            end_delivery(app, &row, end).await
        }
        Outcome::RetryAfter(wait) => {
            tracing::warn!(outbox = row.id, chat = row.chat_id, seconds = wait.as_secs(), "Telegram asked to wait");
            let error = format!("429: retry after {} s", wait.as_secs());
            if let Err(e) = app.store.outbox_retry_at(row.id, now + wait, &error, false).await {
                tracing::error!(outbox = row.id, error = %e, "cannot record a delivery attempt");
            }
            app.outbox.now();
            After::Again
        }
        Outcome::Transient(error) => {
            let queued_at = chrono::DateTime::from_timestamp(row.created_at, 0).unwrap_or(now);
            let heard = match last_answer.at() {
                Some(at) if now - at <= TELEGRAM_ANSWERED_WITHIN => Some(at),
                // Nothing else got through lately: whether Telegram answers at all tells an
                // outage from this row's own trouble.
                _ => telegram_answers(bot, last_answer, now).await,
            };
            failed(app, &row, &error, counts_toward_giving_up(heard, queued_at, now)).await
        }
        Outcome::Unreachable(error) => {
            tracing::warn!(
                outbox = row.id,
                chat = row.chat_id,
                kind = row.kind,
                error,
                "person unreachable; not retrying"
            );
            let end = unreachable(app, &row, &error).await;
            end_delivery(app, &row, end).await
        }
        // An attachment Telegram will not take (an old or foreign file id) must not cost the
        // message: a payment waits for this request to be confirmed. It goes without it, in
        // its next turn.
        Outcome::Refused(error) if row.attachment.is_some() && refused_for_its_file(&error) => {
            tracing::warn!(
                outbox = row.id,
                chat = row.chat_id,
                kind = row.kind,
                error,
                "Telegram refused the attachment; sending the text without it"
            );
            let text = format!("{}\n{}", row.text, app.tr.msg("attachment-not-attached"));
            if let Err(e) = app.store.outbox_without_attachment(row.id, &text, &error).await {
                tracing::error!(outbox = row.id, error = %e, "cannot drop a refused attachment");
            }
            app.outbox.now();
            After::Again
        }
        // An edit Telegram will not make: what it says is sent as a new message, or, for an
        // edit that only tidies (a mark, buttons gone), nothing more is done.
        Outcome::Refused(error) if row.edit.is_some() => uneditable(app, &row, &error).await,
        Outcome::Refused(error) => {
            tracing::error!(
                outbox = row.id,
                chat = row.chat_id,
                kind = row.kind,
                error,
                "Telegram refused a message; not retrying"
            );
            let end = given_up(app, &row, &error).await;
            end_delivery(app, &row, end).await
        }
    }
}

/// An edit that cannot be made: a replacement is sent as a new message at its next turn (the
/// next question must arrive); a mark or a change of buttons is dropped, the message staying as
/// it was (its buttons' presses are then read as stale).
async fn uneditable(app: &App, row: &OutboxRow, error: &str) -> After {
    if let Some(Edit::Replace(message)) = row.edit {
        tracing::info!(outbox = row.id, chat = row.chat_id, message, error, "cannot edit a message; sending it anew");
        if let Err(e) = app.store.outbox_edit_as_send(row.id, error).await {
            tracing::error!(outbox = row.id, error = %e, "cannot turn an edit into a new message");
        }
        app.outbox.now();
        return After::Again;
    }
    tracing::info!(outbox = row.id, chat = row.chat_id, error, "cannot edit a message; left as it is");
    end_delivery(app, row, DeliveryEnd::just(RowEnd::Withdrawn { why: "the message could not be edited" })).await
}

/// A failed attempt: the row's next one after its backoff, or, after [`MAX_ATTEMPTS`], the row
/// given up on and who answers for its recipient told.
async fn failed(app: &App, row: &OutboxRow, error: &str, counts: bool) -> After {
    let attempts = row.attempts + i64::from(counts);
    // Not counted (an outage): tried again at the slowest pace, never given up on for it.
    let next = if counts { next_try(attempts) } else { Some(backoff(attempts.max(MAX_ATTEMPTS))) };
    let Some(wait) = next else {
        tracing::error!(
            outbox = row.id,
            chat = row.chat_id,
            kind = row.kind,
            attempts,
            error,
            "delivery failed too often; given up"
        );
        let end = given_up(app, row, error).await;
        return end_delivery(app, row, end).await;
    };
    tracing::warn!(
        outbox = row.id,
        chat = row.chat_id,
        kind = row.kind,
        attempts,
        error,
        "delivery failed; will retry"
    );
    if let Err(e) = app.store.outbox_retry_at(row.id, app.clock.now() + wait, error, counts).await {
        tracing::error!(outbox = row.id, error = %e, "cannot record a delivery attempt");
    }
    // The worker learns when this row comes due again.
    app.outbox.now();
    After::Again
}

/// Stores the end of a row's delivery with what it sets off (one transaction), and wakes the
/// worker for the messages it queued.
async fn end_delivery(app: &App, row: &OutboxRow, end: DeliveryEnd<'_>) -> After {
    match app.store.end_delivery(row.id, &end, app.clock.now()).await {
        Ok(_) => {
            if end.notice_news.is_some() || !end.told.is_empty() {
                app.outbox.now();
            }
            After::Ended
        }
        Err(e) => {
            tracing::error!(
                outbox = row.id,
                chat = row.chat_id,
                kind = row.kind,
                outcome = ?end.row,
                error = %e,
                "cannot record how a delivery ended; the row stays pending and is sent again"
            );
            After::Again
        }
    }
}

/// For a notice's row: its caseworker's news, in the text `text_id` (None for other rows, or
/// when who to tell cannot be read, which is logged).
async fn notice_news(app: &App, row: &OutboxRow, kind: &'static str, text_id: &str) -> Option<NewOutboxMessage> {
    if row.kind != "notice" {
        return None;
    }
    let news = async {
        let Some(notice) = app.store.notice_of_outbox(row.id).await? else { return Ok(None) };
        let (Some(caseworker), Some(person)) =
            (app.store.person(notice.caseworker_id).await?, app.store.person(notice.entrepreneur_id).await?)
        else {
            return Ok(None);
        };
        Ok::<_, anyhow::Error>(Some(NewOutboxMessage::text(
            caseworker.telegram_id,
            kind,
            Some(format!("{text_id}:{}", notice.id)),
            app.tr.msg_with(text_id, &[("name", person.full_name)]),
            app.clock.now(),
        )))
    };
    news.await.unwrap_or_else(|e| {
        tracing::error!(outbox = row.id, error = format!("{e:#}"), "cannot read whom to tell of a notice");
        None
    })
}
/// Who is told when messages to `recipient` cannot be delivered: an entrepreneur's caseworker;
/// for a caseworker, the managers (payments and alerts wait for them). Nobody for a manager.
async fn who_answers_for(app: &App, recipient: &Person) -> anyhow::Result<Vec<Person>> {
    Ok(match recipient.role {
        Role::Entrepreneur => app.caseworker_of(recipient).await?.into_iter().collect(),
        Role::Caseworker => app.store.managers().await?,
        Role::Manager => Vec::new(),
    })
}

/// The person a row was for: its chat's person, or the person it names.
async fn recipient_of(app: &App, row: &OutboxRow) -> anyhow::Result<Option<Person>> {
    match app.store.person_by_telegram_id(row.chat_id).await? {
        Some(person) => Ok(Some(person)),
        None => match row.person_id {
            Some(id) => Ok(app.store.person(id).await?),
            None => Ok(None),
        },
    }
}

/// The messages that tell those who answer for the recipient, in the text `text_id`, under
/// `dedupe_key`.
async fn told_about(
    app: &App,
    recipient: &Person,
    kind: &'static str,
    text_id: &str,
    dedupe_key: &str,
) -> anyhow::Result<Vec<NewOutboxMessage>> {
    let now = app.clock.now();
    let told: Vec<NewOutboxMessage> = who_answers_for(app, recipient)
        .await?
        .into_iter()
        .map(|to| {
            NewOutboxMessage::text(
                to.telegram_id,
                kind,
                Some(format!("{dedupe_key}:{}", to.id)),
                app.tr.msg_with(text_id, &[("name", recipient.full_name.clone())]),
                now,
            )
        })
        .collect();
    if told.is_empty() {
        tracing::warn!(person = recipient.id, kind, "nobody to tell that messages do not reach this person");
    }
    Ok(told)
}

/// A row whose recipient is unreachable (blocked, deleted account): given up on, the recipient
/// marked unreachable, and, the first time, who answers for them told.
async fn unreachable<'a>(app: &App, row: &OutboxRow, error: &'a str) -> DeliveryEnd<'a> {
    let mut end = DeliveryEnd::just(RowEnd::Failed { error });
    let now = app.clock.now();
    let told = async {
        let Some(recipient) = recipient_of(app, row).await? else { return Ok(None) };
        let text_id = match recipient.role {
            Role::Caseworker => "manager-caseworker-unreachable",
            _ => "caseworker-person-unreachable",
        };
        let key = format!("unreachable:{}:{}", recipient.id, now.timestamp());
        Ok::<_, anyhow::Error>(Some((recipient.id, told_about(app, &recipient, "unreachable", text_id, &key).await?)))
    };
    match told.await {
        Ok(Some((person, told))) => (end.unreachable, end.told) = (Some(person), told),
        Ok(None) => {}
        Err(e) => tracing::error!(
            outbox = row.id,
            error = format!("{e:#}"),
            "cannot read whom to tell of an unreachable person"
        ),
    }
    end
}

/// A row given up on (refused, or failing attempt after attempt): who answers for the recipient
/// is told, never a silent drop; once a day per recipient, so that an outage does not turn every
/// reminder into a message to a caseworker.
async fn given_up<'a>(app: &App, row: &OutboxRow, error: &'a str) -> DeliveryEnd<'a> {
    let mut end = DeliveryEnd::just(RowEnd::Failed { error });
    if matches!(row.edit, Some(Edit::Mark(_) | Edit::Buttons(_))) {
        // Only a tidying of a message the person has: nobody needs to hear of it.
        return end;
    }
    let told = async {
        let Some(recipient) = recipient_of(app, row).await? else { return Ok(Vec::new()) };
        let key = format!("undelivered:{}:{}", recipient.id, app.clock.today());
        told_about(app, &recipient, "undelivered", "message-not-delivered", &key).await
    };
    match told.await {
        Ok(told) => end.told = told,
        Err(e) => tracing::error!(
            outbox = row.id,
            error = format!("{e:#}"),
            "cannot read whom to tell of a message given up on"
        ),
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_sorted_into_what_to_do() {
        assert_eq!(
            outcome(Err(RequestError::Api(ApiError::BotBlocked))),
            Outcome::Unreachable("Forbidden: bot was blocked by the user".into())
        );
        assert!(matches!(
            outcome(Err(RequestError::Api(ApiError::Unknown("Internal Server Error".into())))),
            Outcome::Transient(_)
        ));
        assert!(matches!(
            outcome(Err(RequestError::Api(ApiError::Unknown("Bad Request: x".into())))),
            Outcome::Refused(_)
        ));
        assert!(matches!(outcome(Err(RequestError::Api(ApiError::MessageTextIsEmpty))), Outcome::Refused(_)));
    }

    #[test]
    fn only_a_refused_file_is_dropped_from_a_message() {
        assert!(refused_for_its_file("Bad Request: type of file mismatch"));
        assert!(refused_for_its_file("Bad Request: wrong file identifier/HTTP URL specified"));
        assert!(!refused_for_its_file("Bad Request: message caption is too long"));
    }

    #[test]
    fn a_row_failing_again_and_again_is_given_up_on() {
        assert_eq!(next_try(1), Some(Duration::from_secs(2)));
        assert_eq!(next_try(MAX_ATTEMPTS - 1), Some(MAX_BACKOFF));
        assert_eq!(next_try(MAX_ATTEMPTS), None);
        let trying: Duration = (1..MAX_ATTEMPTS).filter_map(next_try).sum();
        assert!(trying > Duration::from_secs(20 * 60) && trying < Duration::from_secs(60 * 60), "{trying:?}");
    }

    #[test]
    fn backoff_grows_and_stops_growing() {
        assert_eq!(backoff(0), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(40), MAX_BACKOFF);
    }

    /// In an outage no failure counts, however long it lasts short of two days; a failure while
    /// Telegram answers other sends counts at once.
    #[test]
    fn only_failures_while_telegram_answers_others_count_toward_giving_up() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let minutes = chrono::Duration::minutes;
        let queued = now - minutes(90);
        assert!(counts_toward_giving_up(Some(now - minutes(1)), queued, now), "others get through");
        assert!(counts_toward_giving_up(Some(now - TELEGRAM_ANSWERED_WITHIN), queued, now));
        assert!(!counts_toward_giving_up(Some(now - minutes(11)), queued, now), "an outage of 11 minutes");
        assert!(!counts_toward_giving_up(None, queued, now), "nothing answered since the start");
        assert!(counts_toward_giving_up(None, now - GIVE_UP_AFTER, now), "two days of trying are enough");
    }

    const TELEGRAM: crate::telegram::SendLimits = crate::config::TELEGRAM_LIMITS;

    fn row(id: i64, chat_id: i64, lane: Lane) -> OutboxRow {
        OutboxRow {
            id,
            chat_id,
            kind: "test".into(),
            text: "پیام".into(),
            reply_markup: None,
            attempts: 0,
            person_id: None,
            attachment: None,
            forward_from: None,
            worded: None,
            quiet_hours: false,
            lane,
            due_at: 0,
            created_at: 0,
            edit: None,
        }
    }

    /// Sends what `pick` chooses (removing it) and returns its id, or when the next chance comes.
    fn send_next(rows: &mut Vec<OutboxRow>, pace: &mut Pace, now: Instant) -> Result<i64, Option<Instant>> {
        match pick(rows, &|_| false, pace, now) {
            Pick::Now(i, _) => Ok(rows.remove(i).id),
            Pick::At(at) => Err(Some(at)),
            Pick::Nothing | Pick::Busy => Err(None),
        }
    }

    #[test]
    fn a_reply_queued_during_a_bulk_drain_takes_the_next_slot() {
        let start = Instant::now() + Duration::from_secs(1);
        let mut pace = Pace::new(TELEGRAM);
        let mut rows: Vec<OutboxRow> = (1..=1000).map(|i| row(i, 10_000 + i, Lane::Bulk)).collect();
        assert_eq!(send_next(&mut rows, &mut pace, start), Ok(1));
        let next = send_next(&mut rows, &mut pace, start).expect_err("one slot is taken").unwrap();
        // A reply and a message to staff are queued: both go before the 998 bulk rows.
        rows.insert(0, row(5000, 7, Lane::Reply));
        rows.insert(1, row(5001, 8, Lane::Staff));
        assert_eq!(send_next(&mut rows, &mut pace, next), Ok(5000), "the reply takes the next slot");
        let after = send_next(&mut rows, &mut pace, next).expect_err("taken").unwrap();
        assert_eq!(send_next(&mut rows, &mut pace, after), Ok(5001));
        assert!(after.duration_since(start) < Duration::from_millis(100));
    }

    #[test]
    fn a_row_to_a_busy_chat_does_not_hold_up_the_others() {
        let start = Instant::now() + Duration::from_secs(1);
        let mut pace = Pace::new(TELEGRAM);
        let mut rows = vec![row(1, 7, Lane::Reply), row(2, 7, Lane::Reply), row(3, 8, Lane::Bulk)];
        assert_eq!(send_next(&mut rows, &mut pace, start), Ok(1));
        let next = send_next(&mut rows, &mut pace, start).expect_err("taken").unwrap();
        // Chat 7 waits out its second; the bulk row to chat 8 goes meanwhile.
        assert_eq!(send_next(&mut rows, &mut pace, next), Ok(3));
        let later = send_next(&mut rows, &mut pace, next).expect_err("chat 7 is busy").unwrap();
        assert_eq!(later, start + TELEGRAM.chat_interval);
        assert_eq!(send_next(&mut rows, &mut pace, later), Ok(2));
        assert_eq!(send_next(&mut rows, &mut pace, later), Err(None));
    }

    #[test]
    fn bulk_keeps_to_its_share_while_staff_and_replies_take_the_rest() {
        let start = Instant::now() + Duration::from_secs(1);
        let end = start + Duration::from_secs(20);
        let mut pace = Pace::new(TELEGRAM);
        let mut rows: Vec<OutboxRow> = (1..=2000).map(|i| row(i, 10_000 + i, Lane::Bulk)).collect();
        let (mut now, mut next_id, mut sent_bulk, mut sent_other) = (start, 100_000, 0, 0);
        // Two replies and two messages to staff a second, each queued at its moment.
        let mut arrivals: Vec<(Instant, Lane)> = (0..80)
            .map(|i| (start + Duration::from_millis(250 * i), if i % 2 == 0 { Lane::Reply } else { Lane::Staff }))
            .collect();
        let mut longest_wait = Duration::ZERO;
        let mut queued_at: HashMap<i64, Instant> = HashMap::new();
        while now < end {
            while arrivals.first().is_some_and(|(at, _)| *at <= now) {
                let (at, lane) = arrivals.remove(0);
                next_id += 1;
                let place = rows.iter().position(|r| r.lane > lane).unwrap_or(rows.len());
                rows.insert(place, row(next_id, next_id, lane));
                queued_at.insert(next_id, at);
            }
            match send_next(&mut rows, &mut pace, now) {
                Ok(id) => match queued_at.get(&id) {
                    Some(at) => {
                        sent_other += 1;
                        longest_wait = longest_wait.max(now - *at);
                    }
                    None => sent_bulk += 1,
                },
                Err(at) => {
                    let arrival = arrivals.first().map(|(at, _)| *at);
                    now = [at, arrival].into_iter().flatten().min().unwrap_or(end);
                }
            }
        }
        let share = TELEGRAM.per_second as f64 * TELEGRAM.bulk_share * 20.0;
        assert_eq!(sent_other, 80);
        assert!(longest_wait < Duration::from_millis(70), "a reply or staff message waited {longest_wait:?}");
        assert!(
            (sent_bulk as f64) <= share + 2.0 && sent_bulk as f64 >= share * 0.97,
            "{sent_bulk} bulk, share {share}"
        );
    }
}
