//! Delivery that loses nothing and repeats nothing: every alert, reminder and notice is
//! a row in the `outbox` table, written in the same transaction as the decision to send
//! it; this worker delivers the rows, paced under Telegram's limits (`telegram::pace`).
//!
//! - 429: waits `retry_after`, then tries again; 5xx, timeouts, network errors: backoff.
//! - 403 (blocked) or a deleted account: gives up, marks the person unreachable and tells
//!   their caseworker.
//! - A reminder is worded when it is sent, and withdrawn if it is no longer true then
//!   ([`wording`]).
//! - A message to an entrepreneur that is not a reply waits out the quiet hours when its time
//!   comes, whenever it was queued.
//! - A row is marked sent once (`status = 'pending'` guards the update). The one gap no
//!   Bot API client can close: a crash after Telegram accepted a message and before the
//!   row is marked sent re-sends that message after the restart (milliseconds wide).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::requests::HasPayload;
use teloxide::types::{InputFile, MessageId, ReplyMarkup};
use teloxide::{ApiError, RequestError};
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::JoinSet;

use crate::bot::{App, Tg};
use crate::domain::attachment::{Attachment, SentAs};
use crate::domain::person::{Person, Role};
use crate::store::{NewOutboxMessage, NoticeRow, OutboxRow};

pub mod wording;

/// How many messages may be on their way at once (each waits its turn under the limits).
const IN_FLIGHT: usize = 64;
/// The longest pause between retries of one message.
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// Failed attempts (5xx, timeouts, network) after which a row is given up on and someone told:
/// with the backoff, about half an hour of trying.
const MAX_ATTEMPTS: i64 = 14;
/// How often the worker looks for rows whose time has come without being woken.
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

/// Classifies a send result.
pub fn outcome(result: Result<Message, RequestError>) -> Outcome {
    match result {
        Ok(message) => Outcome::Sent(message.id.0),
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

/// Wakes the worker when something is queued or the clock moved, and stops it.
#[derive(Clone)]
pub struct Wake {
    notify: Arc<Notify>,
    stopping: Arc<watch::Sender<bool>>,
}

impl Default for Wake {
    fn default() -> Wake {
        Wake { notify: Arc::default(), stopping: Arc::new(watch::channel(false).0) }
    }
}

impl Wake {
    pub fn now(&self) {
        self.notify.notify_one();
    }

    /// Asks the worker to stop: it takes no new rows, lets sends under way finish, and ends.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }
}

/// Runs until stopped: delivers due rows, each in its own task, never the same row twice
/// at once. On stop, sends under way finish (so that none is cut off after Telegram took it
/// and before it was marked sent); retries waiting for their turn wait for the next start.
pub async fn run(app: Arc<App>, bot: Tg, wake: Wake) {
    let in_flight: Arc<Mutex<HashSet<i64>>> = Arc::default();
    let permits = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = JoinSet::new();
    let mut stopping = wake.stopping.subscribe();
    while !*stopping.borrow_and_update() {
        while tasks.try_join_next().is_some() {}
        let batch = IN_FLIGHT * 4;
        let due = match app.store.due_outbox(app.clock.now(), batch as i64).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the outbox; trying again shortly");
                Vec::new()
            }
        };
        // A full batch means more rows are waiting: read on as soon as these are under way
        // (more than IN_FLIGHT rows came back, so the next read cannot be all rows in flight).
        let more_waiting = due.len() == batch;
        for row in due {
            if !in_flight.lock().unwrap_or_else(|e| e.into_inner()).insert(row.id) {
                continue;
            }
            let Ok(permit) = permits.clone().acquire_owned().await else { return };
            let (app, bot, in_flight, stop) = (app.clone(), bot.clone(), in_flight.clone(), wake.stopping.subscribe());
            tasks.spawn(async move {
                let id = row.id;
                deliver(&app, &bot, row, stop).await;
                in_flight.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
                drop(permit);
            });
        }
        if more_waiting {
            continue;
        }
        tokio::select! {
            _ = wake.notify.notified() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = stopping.changed() => {}
        }
    }
    while tasks.join_next().await.is_some() {}
}

/// Waits `duration`, or less if the worker is stopping; false when stopping.
async fn pause(duration: Duration, stop: &mut watch::Receiver<bool>) -> bool {
    if *stop.borrow_and_update() {
        return false;
    }
    tokio::select! {
        _ = tokio::time::sleep(duration) => !*stop.borrow(),
        _ = stop.changed() => false,
    }
}

async fn send(bot: &Tg, row: &OutboxRow) -> Result<Message, RequestError> {
    let chat = ChatId(row.chat_id);
    // Inline buttons, or a reply's keyboard (the main menu under a reply).
    let markup = row.reply_markup.as_deref().and_then(|m| serde_json::from_str::<ReplyMarkup>(m).ok());
    // A row of its own forwards a message (a voice note after its text); rows from before
    // that have both send the text, then forward.
    if let Some((from_chat, message_id)) = row.forward_from
        && row.text.is_empty()
    {
        return bot.forward_message(chat, ChatId(from_chat), MessageId(message_id)).await;
    }
    let text = row.text.clone();
    let sent = match &row.attachment {
        // Each kind of file with its own method: Telegram refuses a document's id in sendPhoto.
        Some(Attachment { file_id, sent_as: SentAs::Photo }) => {
            let mut request = bot.send_photo(chat, InputFile::file_id(file_id.clone().into())).caption(text);
            request.payload_mut().reply_markup = markup;
            request.await?
        }
        Some(Attachment { file_id, sent_as: SentAs::Document }) => {
            let mut request = bot.send_document(chat, InputFile::file_id(file_id.clone().into())).caption(text);
            request.payload_mut().reply_markup = markup;
            request.await?
        }
        None => {
            let mut request = bot.send_message(chat, text);
            request.payload_mut().reply_markup = markup;
            request.await?
        }
    };
    if let Some((from_chat, message_id)) = row.forward_from {
        bot.forward_message(chat, ChatId(from_chat), MessageId(message_id)).await?;
    }
    Ok(sent)
}

/// Tries one row until it is sent or given up on.
async fn deliver(app: &App, bot: &Tg, mut row: OutboxRow, mut stop: watch::Receiver<bool>) {
    let mut attempts = row.attempts;
    // Each attempt words the text again from what was queued, never from the last wording
    // (which would add the loan's state once more at every retry).
    let queued_text = row.text.clone();
    loop {
        // The quiet hours hold at the moment of sending too: a backlog after a restart, or a
        // retry that runs late, waits for the morning.
        let quiet = &app.config.programme.checkin;
        let now = app.clock.now();
        if row.quiet_hours && quiet.is_quiet(now) {
            let morning = quiet.next_allowed(now);
            tracing::info!(outbox = row.id, chat = row.chat_id, kind = row.kind, %morning, "quiet hours; held back");
            if let Err(e) = app.store.outbox_postponed(row.id, morning).await {
                tracing::error!(outbox = row.id, error = %e, "cannot hold a message back for the quiet hours");
            }
            return;
        }
        // Worded at each attempt: a retry after midnight must not say «امروز» of yesterday.
        if let Some(wording) = row.worded.clone() {
            row.text = queued_text.clone();
            match wording::word_now(app, &row, &wording).await {
                Ok(Some(text)) => row.text = text,
                Ok(None) => {
                    tracing::info!(
                        outbox = row.id,
                        chat = row.chat_id,
                        kind = row.kind,
                        "reminder no longer true; withdrawn"
                    );
                    if let Err(e) = app.store.outbox_withdrawn(row.id, "no longer true when its time came").await {
                        tracing::error!(outbox = row.id, error = %e, "cannot record a withdrawn reminder");
                    }
                    if row.kind == "notice"
                        && let Err(e) = notice_withdrawn(app, row.id).await
                    {
                        tracing::error!(outbox = row.id, error = format!("{e:#}"), "cannot record a notice not sent");
                    }
                    return;
                }
                Err(e) => {
                    attempts += 1;
                    tracing::error!(
                        outbox = row.id,
                        chat = row.chat_id,
                        error = format!("{e:#}"),
                        "cannot word a reminder; will retry"
                    );
                    if !pause(backoff(attempts), &mut stop).await {
                        return;
                    }
                    continue;
                }
            }
        }
        let result = outcome(send(bot, &row).await);
        let recorded = match &result {
            Outcome::Sent(message_id) => app.store.outbox_sent(row.id, *message_id, app.clock.now()).await.map(|_| ()),
            Outcome::RetryAfter(_) => app.store.outbox_attempt_failed(row.id, &format!("{result:?}")).await,
            Outcome::Transient(error) if next_try(attempts + 1).is_none() => {
                app.store.outbox_failed(row.id, error).await
            }
            Outcome::Transient(_) => app.store.outbox_attempt_failed(row.id, &format!("{result:?}")).await,
            // Tried again at once without the attachment (below).
            Outcome::Refused(error) if row.attachment.is_some() && refused_for_its_file(error) => {
                app.store.outbox_attempt_failed(row.id, error).await
            }
            Outcome::Unreachable(error) | Outcome::Refused(error) => app.store.outbox_failed(row.id, error).await,
        };
        if let Err(e) = recorded {
            tracing::error!(outbox = row.id, chat = row.chat_id, error = %e, "cannot record a delivery attempt");
        }
        match result {
            Outcome::Sent(_) => {
                if row.kind == "notice"
                    && let Err(e) = notice_delivered(app, row.id).await
                {
                    tracing::error!(outbox = row.id, error = format!("{e:#}"), "cannot record a notice's delivery");
                }
                return;
            }
            Outcome::RetryAfter(wait) => {
                tracing::warn!(outbox = row.id, chat = row.chat_id, seconds = wait.as_secs(), "Telegram asked to wait");
                if !pause(wait, &mut stop).await {
                    return;
                }
            }
            Outcome::Transient(error) => {
                attempts += 1;
                let Some(wait) = next_try(attempts) else {
                    tracing::error!(
                        outbox = row.id,
                        chat = row.chat_id,
                        kind = row.kind,
                        attempts,
                        error,
                        "delivery failed too often; given up"
                    );
                    if let Err(e) = given_up(app, &row).await {
                        tracing::error!(
                            outbox = row.id,
                            error = format!("{e:#}"),
                            "cannot tell of a message given up on"
                        );
                    }
                    return;
                };
                tracing::warn!(
                    outbox = row.id,
                    chat = row.chat_id,
                    kind = row.kind,
                    error,
                    "delivery failed; will retry"
                );
                if !pause(wait, &mut stop).await {
                    return;
                }
            }
            Outcome::Unreachable(error) => {
                tracing::warn!(
                    outbox = row.id,
                    chat = row.chat_id,
                    kind = row.kind,
                    error,
                    "person unreachable; not retrying"
                );
                if let Err(e) = recipient_unreachable(app, &row).await {
                    tracing::error!(
                        outbox = row.id,
                        chat = row.chat_id,
                        error = format!("{e:#}"),
                        "cannot record that a person is unreachable"
                    );
                }
                return;
            }
            // An attachment Telegram will not take (an old or foreign file id) must not cost the
            // message: a payment waits for this request to be confirmed.
            Outcome::Refused(error) if row.attachment.is_some() && refused_for_its_file(&error) => {
                tracing::warn!(
                    outbox = row.id,
                    chat = row.chat_id,
                    kind = row.kind,
                    error,
                    "Telegram refused the attachment; sending the text without it"
                );
                row.attachment = None;
                row.text = format!("{}\n{}", row.text, app.tr.msg("attachment-not-attached"));
            }
            Outcome::Refused(error) => {
                tracing::error!(
                    outbox = row.id,
                    chat = row.chat_id,
                    kind = row.kind,
                    error,
                    "Telegram refused a message; not retrying"
                );
                if let Err(e) = given_up(app, &row).await {
                    tracing::error!(outbox = row.id, error = format!("{e:#}"), "cannot tell of a message given up on");
                }
                return;
            }
        }
    }
}

/// Records an official notice's delivery and tells the caseworker.
async fn notice_delivered(app: &App, outbox_id: i64) -> anyhow::Result<()> {
    let notice = app.store.notice_delivered(outbox_id, app.clock.now()).await?;
    tell_of_notice(app, notice, "notice_delivered", "notice-delivered").await
}

/// Records that a confirmed notice was not sent (what it claimed no longer holds) and tells the
/// caseworker, who may draft it again.
async fn notice_withdrawn(app: &App, outbox_id: i64) -> anyhow::Result<()> {
    let notice = app.store.notice_withdrawn(outbox_id).await?;
    tell_of_notice(app, notice, "notice_withdrawn", "notice-withdrawn").await
}

/// Tells a notice's caseworker what became of it, in the text `text_id`, once.
async fn tell_of_notice(app: &App, notice: Option<NoticeRow>, kind: &'static str, text_id: &str) -> anyhow::Result<()> {
    let now = app.clock.now();
    let Some(notice) = notice else { return Ok(()) };
    let (Some(caseworker), Some(person)) =
        (app.store.person(notice.caseworker_id).await?, app.store.person(notice.entrepreneur_id).await?)
    else {
        return Ok(());
    };
    let message = NewOutboxMessage::text(
        caseworker.telegram_id,
        kind,
        Some(format!("{text_id}:{}", notice.id)),
        app.tr.msg_with(text_id, &[("name", person.full_name)]),
        now,
    );
    app.store.enqueue(&message, now).await?;
    app.outbox.now();
    Ok(())
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

/// Tells those who answer for the recipient, in the text `text_id`, under `dedupe_key`.
async fn tell_about(
    app: &App,
    recipient: &Person,
    kind: &'static str,
    text_id: &str,
    dedupe_key: &str,
) -> anyhow::Result<()> {
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
    app.store.enqueue_all(&told, now).await?;
    app.outbox.now();
    Ok(())
}

/// Marks the recipient unreachable and, the first time, tells who answers for them.
async fn recipient_unreachable(app: &App, row: &OutboxRow) -> anyhow::Result<()> {
    let now = app.clock.now();
    let Some(recipient) = recipient_of(app, row).await? else { return Ok(()) };
    if !app.store.mark_unreachable(recipient.id, now).await? {
        return Ok(());
    }
    let text_id = match recipient.role {
        Role::Caseworker => "manager-caseworker-unreachable",
        _ => "caseworker-person-unreachable",
    };
    tell_about(app, &recipient, "unreachable", text_id, &format!("unreachable:{}:{}", recipient.id, now.timestamp()))
        .await
}

/// A row given up on (refused, or failing attempt after attempt): who answers for the recipient
/// is told, never a silent drop; once a day per recipient, so that an outage does not turn every
/// reminder into a message to a caseworker.
async fn given_up(app: &App, row: &OutboxRow) -> anyhow::Result<()> {
    let Some(recipient) = recipient_of(app, row).await? else { return Ok(()) };
    let key = format!("undelivered:{}:{}", recipient.id, app.clock.today());
    tell_about(app, &recipient, "undelivered", "message-not-delivered", &key).await
}

/// After a failed attempt that may be tried again: the pause before the next, or None when
/// `attempts` tries are enough (the row is then given up on).
pub fn next_try(attempts: i64) -> Option<Duration> {
    (attempts < MAX_ATTEMPTS).then(|| backoff(attempts))
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
}
