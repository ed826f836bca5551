use chrono::{DateTime, Utc};
use sqlx::{Row, SqliteConnection};

use super::loans::parse_day;
use super::{Store, StoreResult};
use crate::domain::attachment::Attachment;
use crate::domain::loan::LoanState;
use crate::domain::reminder::{InstallmentNow, Wording};
use crate::telegram::limits::{MAX_CAPTION, MAX_TEXT, split_text};

/// Which messages leave first: a reply to what someone just did, then messages to staff, then
/// bulk (reminders, prompts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lane {
    Reply = 0,
    Staff = 1,
    Bulk = 2,
}

impl Lane {
    fn stored(lane: i64) -> Lane {
        match lane {
            0 => Lane::Reply,
            1 => Lane::Staff,
            _ => Lane::Bulk,
        }
    }
}

/// A change to a message already sent, made instead of sending a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// Its text and buttons replaced; sent as a new message when it can no longer be edited
    /// (what it says must arrive: the next question of a check-in, a page of a list).
    Replace(i32),
    /// Its text replaced and its buttons removed (a summary marked done); left as it is when it
    /// can no longer be edited.
    Mark(i32),
    /// Its buttons replaced, or removed when there are none; left as it is when it can no longer
    /// be edited.
    Buttons(i32),
}

impl Edit {
    /// The message it changes.
    pub fn message_id(self) -> i32 {
        match self {
            Edit::Replace(id) | Edit::Mark(id) | Edit::Buttons(id) => id,
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Edit::Replace(_) => "replace",
            Edit::Mark(_) => "mark",
            Edit::Buttons(_) => "buttons",
        }
    }

    fn stored(message_id: Option<i32>, kind: Option<String>) -> Option<Edit> {
        Some(match kind?.as_str() {
            "replace" => Edit::Replace(message_id?),
            "mark" => Edit::Mark(message_id?),
            _ => Edit::Buttons(message_id?),
        })
    }
}

/// What became of an answer in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Sent, as this message (or this message edited).
    As(i32),
    /// Not sent yet, or sent and not yet written down as sent.
    Waiting,
    /// Given up on, withdrawn, or no such answer.
    Never,
}

/// A message decided on, waiting to be delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutboxMessage {
    pub chat_id: i64,
    pub kind: &'static str,
    /// The same key cannot be queued twice (one reminder of a kind a day, one alert a situation).
    pub dedupe_key: Option<String>,
    pub text: String,
    /// Inline keyboard as JSON, if any.
    pub reply_markup: Option<String>,
    pub not_before: DateTime<Utc>,
    pub person_id: Option<i64>,
    /// Sent as this attachment with `text` as its caption.
    pub attachment: Option<Attachment>,
    /// A message to forward after the text: (from chat, message id).
    pub forward_from: Option<(i64, i32)>,
    /// A reminder worded again when it is sent (and withdrawn if no longer true).
    pub worded: Option<Wording>,
    /// Held back in the quiet hours when its time comes (a message to an entrepreneur that is
    /// not a reply).
    pub quiet_hours: bool,
    pub lane: Lane,
    /// A change to a message already sent instead of a new message.
    pub edit: Option<Edit>,
}

impl NewOutboxMessage {
    /// A reply to what the person just did, with its keyboard (JSON of a `ReplyMarkup`).
    pub fn reply(
        chat_id: i64,
        dedupe_key: String,
        text: String,
        markup: Option<String>,
        now: DateTime<Utc>,
    ) -> NewOutboxMessage {
        NewOutboxMessage {
            reply_markup: markup,
            lane: Lane::Reply,
            ..NewOutboxMessage::text(chat_id, "reply", Some(dedupe_key), text, now)
        }
    }

    /// A plain text message to a chat, now.
    pub fn text(
        chat_id: i64,
        kind: &'static str,
        dedupe_key: Option<String>,
        text: String,
        now: DateTime<Utc>,
    ) -> NewOutboxMessage {
        NewOutboxMessage {
            chat_id,
            kind,
            dedupe_key,
            text,
            reply_markup: None,
            not_before: now,
            person_id: None,
            attachment: None,
            forward_from: None,
            worded: None,
            quiet_hours: false,
            lane: Lane::Staff,
            edit: None,
        }
    }
}

/// A queued message as the worker sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: i64,
    pub chat_id: i64,
    pub kind: String,
    pub text: String,
    pub reply_markup: Option<String>,
    pub attempts: i64,
    pub person_id: Option<i64>,
    pub attachment: Option<Attachment>,
    pub forward_from: Option<(i64, i32)>,
    pub worded: Option<Wording>,
    pub quiet_hours: bool,
    pub lane: Lane,
    /// When its time came (its next attempt, as a Unix time): rows leave by lane, then by this.
    pub due_at: i64,
    /// When it was queued (a Unix time).
    pub created_at: i64,
    pub edit: Option<Edit>,
}

/// What a row becomes when its delivery ends.
#[derive(Debug, Clone, Copy)]
pub enum RowEnd<'a> {
    Sent {
        telegram_message_id: i32,
    },
    /// Given up on: blocked, deleted account, refused, or failing attempt after attempt.
    Failed {
        error: &'a str,
    },
    /// Not sent: what it said was no longer true when its time came.
    Withdrawn {
        why: &'a str,
    },
}

/// A delivery's end and what it sets off (see [`Store::end_delivery`]).
#[derive(Debug)]
pub struct DeliveryEnd<'a> {
    pub row: RowEnd<'a>,
    /// For an official notice's row: the caseworker's news of it, queued only if the notice was
    /// still waiting on this row (it becomes delivered when sent, failed otherwise).
    pub notice_news: Option<NewOutboxMessage>,
    /// The recipient to mark unreachable; `told` is queued only if they were not already.
    pub unreachable: Option<i64>,
    /// Those who answer for the recipient, told.
    pub told: Vec<NewOutboxMessage>,
}

impl<'a> DeliveryEnd<'a> {
    /// The row's end, setting nothing else off.
    pub fn just(row: RowEnd<'a>) -> DeliveryEnd<'a> {
        DeliveryEnd { row, notice_news: None, unreachable: None, told: Vec::new() }
    }
}

/// Queues a message inside the caller's transaction. None when its dedupe key was queued before.
///
/// One row is one Telegram message, so that a retry repeats nothing already delivered:
/// - a text longer than Telegram takes (4,096; 1,024 as a caption) is queued as several rows, cut
///   between lines (a long digest or note arrives whole, in parts); the file goes with the first
///   part, the buttons with the last; a reminder worded again when sent stays one row;
/// - a message to forward (a voice note) is a row of its own after the text.
///
/// The id returned is the last text part's (the one with the buttons).
pub async fn enqueue(
    conn: &mut SqliteConnection,
    message: &NewOutboxMessage,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    if let Some(edit) = message.edit {
        // An edit cannot be cut in parts: a replacement too long for one message is sent as
        // new messages instead; any other edit is the one row.
        if !matches!(edit, Edit::Replace(_)) || split_text(&message.text, MAX_TEXT).len() == 1 {
            return insert_row(conn, message, now).await;
        }
        return Box::pin(enqueue(conn, &NewOutboxMessage { edit: None, ..message.clone() }, now)).await;
    }
    let first_limit = if message.attachment.is_some() { MAX_CAPTION } else { MAX_TEXT };
    let parts =
        if message.worded.is_some() { vec![message.text.clone()] } else { split_text(&message.text, first_limit) };
    let last = parts.len() - 1;
    let mut id = None;
    for (i, text) in parts.into_iter().enumerate() {
        let part = NewOutboxMessage {
            text,
            dedupe_key: match i {
                0 => message.dedupe_key.clone(),
                _ => message.dedupe_key.as_ref().map(|key| format!("{key}#{}", i + 1)),
            },
            attachment: message.attachment.clone().filter(|_| i == 0),
            reply_markup: message.reply_markup.clone().filter(|_| i == last),
            forward_from: None,
            ..message.clone()
        };
        id = insert_row(conn, &part, now).await?;
        if id.is_none() {
            // Queued before (its dedupe key is taken): so were its other parts.
            return Ok(None);
        }
    }
    if message.forward_from.is_some() {
        let forward = NewOutboxMessage {
            text: String::new(),
            dedupe_key: message.dedupe_key.as_ref().map(|key| format!("{key}#forward")),
            attachment: None,
            reply_markup: None,
            worded: None,
            ..message.clone()
        };
        insert_row(conn, &forward, now).await?;
    }
    Ok(id)
}

/// One outbox row. None when its dedupe key was queued before. Whatever the caller said, a
/// message to an entrepreneur that answers nothing they just did (any lane but replies) waits
/// out the quiet hours: the rule holds for every message, including one added later.
async fn insert_row(
    conn: &mut SqliteConnection,
    message: &NewOutboxMessage,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    let result = sqlx::query(
        "INSERT INTO outbox (chat_id, kind, dedupe_key, text, reply_markup, not_before, status, next_attempt_at, created_at,
                             person_id, photo_file_id, photo_sent_as, forward_from, worded, quiet_hours, lane,
                             edit_message_id, edit_kind)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?8, ?9, ?10, ?11, ?12, ?13,
                ?14 OR (?15 != 0 AND EXISTS (SELECT 1 FROM people WHERE telegram_id = ?1 AND role = 'entrepreneur')),
                ?15, ?16, ?17
         WHERE true
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(message.chat_id)
    .bind(message.kind)
    .bind(&message.dedupe_key)
    .bind(&message.text)
    .bind(&message.reply_markup)
    .bind(message.not_before.timestamp())
    .bind(message.not_before.timestamp())
    .bind(now.timestamp())
    .bind(message.person_id)
    .bind(message.attachment.as_ref().map(|p| &p.file_id))
    .bind(message.attachment.as_ref().map_or("photo", |p| p.sent_as.as_str()))
    .bind(message.forward_from.map(|(chat, id)| format!("{chat}:{id}")))
    .bind(message.worded.as_ref().map(serde_json::to_string).transpose()?)
    .bind(message.quiet_hours)
    .bind(message.lane as i64)
    .bind(message.edit.map(Edit::message_id))
    .bind(message.edit.map(Edit::kind))
    .execute(&mut *conn)
    .await?;
    Ok((result.rows_affected() == 1).then(|| result.last_insert_rowid()))
}

/// Finishes a decision whose INSERT may have added a row: queues the message built from the
/// new row's id and commits both together. None, with nothing committed, when the row was
/// there already (the decision had been taken before).
pub(super) async fn commit_with_message(
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    update: Option<&super::UpdateKey>,
    unit: &'static str,
    inserted: &sqlx::sqlite::SqliteQueryResult,
    message: impl FnOnce(i64) -> Option<NewOutboxMessage>,
    now: DateTime<Utc>,
) -> StoreResult<Option<i64>> {
    if inserted.rows_affected() != 1 {
        return Ok(None);
    }
    let id = inserted.last_insert_rowid();
    if let Some(message) = message(id) {
        enqueue(&mut tx, &message, now).await?;
    }
    super::seen::commit_unit(tx, update, unit).await?;
    Ok(Some(id))
}

impl Store {
    /// Queues one message on its own (a decision that is only this message).
    pub async fn enqueue(&self, message: &NewOutboxMessage, now: DateTime<Utc>) -> StoreResult<Option<i64>> {
        // In a transaction: a long text is several rows, queued all or none.
        let mut tx = self.begin().await?;
        let id = enqueue(&mut tx, message, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Queues one message an update decided on, with the update's seen record.
    pub async fn enqueue_for(
        &self,
        update: &super::UpdateKey,
        message: &NewOutboxMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        let id = enqueue(&mut tx, message, now).await?;
        super::seen::commit_unit(tx, Some(update), "enqueue_for").await?;
        Ok(id)
    }

    /// Queues several messages in one transaction; returns how many were new.
    pub async fn enqueue_all(&self, messages: &[NewOutboxMessage], now: DateTime<Utc>) -> StoreResult<usize> {
        let mut tx = self.begin().await?;
        let mut queued = 0;
        for message in messages {
            queued += usize::from(enqueue(&mut tx, message, now).await?.is_some());
        }
        tx.commit().await?;
        Ok(queued)
    }

    /// Pending messages whose time has come, in the order they leave: replies first, then
    /// staff, then bulk; within a lane, the one whose time came first (then the oldest). Read
    /// on after `after` (a row of the previous page), so that a long queue is read in pages.
    pub async fn due_outbox(
        &self,
        now: DateTime<Utc>,
        after: Option<&OutboxRow>,
        limit: i64,
    ) -> StoreResult<Vec<OutboxRow>> {
        // The order is the index's (status, lane, next_attempt_at, id): each page is read off it
        // with no sort, however many rows wait behind.
        let (lane, due, id) = after.map_or((-1, i64::MIN, i64::MIN), |r| (r.lane as i64, r.due_at, r.id));
        let rows = sqlx::query(
            "SELECT id, chat_id, kind, text, reply_markup, attempts, person_id, photo_file_id, photo_sent_as, forward_from,
                    worded, quiet_hours, lane, next_attempt_at, created_at, edit_message_id, edit_kind
             FROM outbox
             WHERE status = 'pending' AND next_attempt_at <= ? AND (lane, next_attempt_at, id) > (?, ?, ?)
             ORDER BY lane, next_attempt_at, id LIMIT ?",
        )
        .bind(now.timestamp())
        .bind(lane)
        .bind(due)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxRow {
                    id: r.try_get(0)?,
                    chat_id: r.try_get(1)?,
                    kind: r.try_get(2)?,
                    text: r.try_get(3)?,
                    reply_markup: r.try_get(4)?,
                    attempts: r.try_get(5)?,
                    person_id: r.try_get(6)?,
                    attachment: Attachment::from_columns(r.try_get(7)?, r.try_get(8)?),
                    forward_from: r.try_get::<Option<String>, _>(9)?.and_then(|f| {
                        let (chat, id) = f.split_once(':')?;
                        Some((chat.parse().ok()?, id.parse().ok()?))
                    }),
                    worded: r.try_get::<Option<String>, _>(10)?.map(|w| serde_json::from_str(&w)).transpose()?,
                    quiet_hours: r.try_get(11)?,
                    lane: Lane::stored(r.try_get(12)?),
                    due_at: r.try_get(13)?,
                    created_at: r.try_get(14)?,
                    edit: Edit::stored(r.try_get(15)?, r.try_get(16)?),
                })
            })
            .collect()
    }

    /// What became of an answer (its key as [`super::UpdateKey::answer`] gave it): the message
    /// it became once sent (the message sent, or the one it edited), or whether it still waits.
    pub async fn answer_shown(&self, dedupe_key: &str) -> StoreResult<Shown> {
        let row: Option<(String, Option<i32>)> =
            sqlx::query_as("SELECT status, telegram_message_id FROM outbox WHERE dedupe_key = ?")
                .bind(dedupe_key)
                .fetch_optional(&self.reader)
                .await?;
        Ok(match row {
            Some((status, Some(id))) if status == "sent" => Shown::As(id),
            Some((status, _)) if status == "pending" => Shown::Waiting,
            _ => Shown::Never,
        })
    }

    /// An edit of a message that can no longer be edited is sent as a new message, at its next
    /// turn.
    pub async fn outbox_edit_as_send(&self, id: i64, error: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET edit_message_id = NULL, edit_kind = NULL, last_error = ?
             WHERE id = ? AND status = 'pending'",
        )
        .bind(error)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// When the next pending row's time comes, after `now` (None: no row waits).
    pub async fn next_outbox_due(&self, now: DateTime<Utc>) -> StoreResult<Option<DateTime<Utc>>> {
        let at: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending' AND next_attempt_at > ?",
        )
        .bind(now.timestamp())
        .fetch_one(&self.reader)
        .await?;
        Ok(at.and_then(|at| DateTime::from_timestamp(at, 0)))
    }

    /// Holds back until `until` every pending row kept from the quiet hours whose time has
    /// come by `now` (they are on): one statement however long the backlog. How many.
    pub async fn outbox_held_for_the_night(&self, now: DateTime<Utc>, until: DateTime<Utc>) -> StoreResult<u64> {
        let r = sqlx::query(
            "UPDATE outbox SET next_attempt_at = ? WHERE status = 'pending' AND quiet_hours AND next_attempt_at <= ?",
        )
        .bind(until.timestamp())
        .bind(now.timestamp())
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected())
    }

    /// Records a failed attempt and when to try again (rounded up to the second, so never
    /// sooner); `counted`: whether it counts toward giving up (a 429 does not: the row was
    /// never looked at).
    pub async fn outbox_retry_at(&self, id: i64, at: DateTime<Utc>, error: &str, counted: bool) -> StoreResult<()> {
        let at = at.timestamp() + i64::from(at.timestamp_subsec_nanos() > 0);
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + ?, last_error = ?, next_attempt_at = ? WHERE id = ? AND status = 'pending'",
        )
        .bind(i64::from(counted))
        .bind(error)
        .bind(at)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// The row is to be sent without its attachment (Telegram would not take the file), with
    /// `text`; its time stays, so it leaves at the next turn.
    pub async fn outbox_without_attachment(&self, id: i64, text: &str, error: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET photo_file_id = NULL, text = ?, attempts = attempts + 1, last_error = ?
             WHERE id = ? AND status = 'pending'",
        )
        .bind(text)
        .bind(error)
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// A row queued before one row was one message, with a text and a message to forward
    /// after it, becomes two: this one the text, and a new one after it the forward (so that
    /// each leaves in its own slot, and a failed forward repeats nothing).
    pub async fn outbox_split_forward(&self, id: i64) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO outbox (chat_id, kind, dedupe_key, text, not_before, status, next_attempt_at, created_at,
                                 person_id, forward_from, quiet_hours, lane)
             SELECT chat_id, kind, dedupe_key || '#forward', '', not_before, 'pending', next_attempt_at, created_at,
                    person_id, forward_from, quiet_hours, lane
             FROM outbox WHERE id = ? AND status = 'pending' AND text != '' AND forward_from IS NOT NULL
             ON CONFLICT (dedupe_key) DO NOTHING",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE outbox SET forward_from = NULL WHERE id = ? AND status = 'pending' AND text != ''")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An installment as its reminder needs it when sent.
    pub async fn installment_now(&self, installment_id: i64) -> StoreResult<Option<InstallmentNow>> {
        let row = sqlx::query(
            "SELECT i.due_on, i.amount - i.paid, l.state FROM installments i JOIN loans l ON l.id = i.loan_id
             WHERE i.id = ?",
        )
        .bind(installment_id)
        .fetch_optional(&self.reader)
        .await?;
        row.map(|r| {
            Ok(InstallmentNow {
                due_on: parse_day(&r.try_get::<String, _>(0)?)?,
                unpaid: r.try_get(1)?,
                loan_active: r.try_get::<String, _>(2)? == LoanState::Active.as_str(),
            })
        })
        .transpose()
    }

    /// Whether the person reported a sale (not a return) after `since`.
    pub async fn sale_reported_since(&self, entrepreneur_id: i64, since: DateTime<Utc>) -> StoreResult<bool> {
        Ok(sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM sales WHERE entrepreneur_id = ? AND amount_toman > 0 AND recorded_at > ?)",
        )
        .bind(entrepreneur_id)
        .bind(since.timestamp())
        .fetch_one(&self.reader)
        .await?)
    }

    /// (id, status, telegram message id) of every message of a kind, for tests and the demo.
    pub async fn outbox_of_kind(&self, kind: &str) -> StoreResult<Vec<(i64, String, Option<i64>)>> {
        let rows = sqlx::query("SELECT id, status, telegram_message_id FROM outbox WHERE kind = ? ORDER BY id")
            .bind(kind)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))).collect()
    }

    /// Ends a row's delivery for good, with everything that follows from it, in one
    /// transaction: a crash cannot leave a notice recorded as delivered with its caseworker
    /// never told, or a person marked unreachable with nobody told. False (and nothing
    /// stored) when the row was no longer pending.
    pub async fn end_delivery(&self, outbox_id: i64, end: &DeliveryEnd<'_>, now: DateTime<Utc>) -> StoreResult<bool> {
        let row = match end.row {
            RowEnd::Sent { telegram_message_id } => sqlx::query(
                "UPDATE outbox SET status = 'sent', sent_at = ?, telegram_message_id = ?, attempts = attempts + 1
                 WHERE id = ? AND status = 'pending'",
            )
            .bind(now.timestamp())
            .bind(telegram_message_id)
            .bind(outbox_id),
            RowEnd::Failed { error } => sqlx::query(
                "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'",
            )
            .bind(error)
            .bind(outbox_id),
            RowEnd::Withdrawn { why } => {
                sqlx::query("UPDATE outbox SET status = 'withdrawn', last_error = ? WHERE id = ? AND status = 'pending'")
                    .bind(why)
                    .bind(outbox_id)
            }
        };
        // Most rows set nothing off: one statement, no transaction around it.
        if end.notice_news.is_none() && end.unreachable.is_none() && end.told.is_empty() {
            return Ok(row.execute(&self.writer).await?.rows_affected() == 1);
        }
        let mut tx = self.begin().await?;
        if row.execute(&mut *tx).await?.rows_affected() != 1 {
            return Ok(false);
        }
        if let Some(news) = &end.notice_news {
            // A notice that reached its reader is delivered; one that did not leave has failed.
            let settled = match end.row {
                RowEnd::Sent { .. } => sqlx::query(
                    "UPDATE notices SET status = 'delivered', delivered_at = ? WHERE outbox_id = ? AND status = 'confirmed'",
                )
                .bind(now.timestamp()),
                _ => sqlx::query("UPDATE notices SET status = 'failed' WHERE outbox_id = ? AND status = 'confirmed'"),
            };
            if settled.bind(outbox_id).execute(&mut *tx).await?.rows_affected() == 1 {
                enqueue(&mut tx, news, now).await?;
            }
        }
        let tell = match end.unreachable {
            Some(person_id) => {
                sqlx::query("UPDATE people SET unreachable_since = ? WHERE id = ? AND unreachable_since IS NULL")
                    .bind(now.timestamp())
                    .bind(person_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1
            }
            None => true,
        };
        if tell {
            for message in &end.told {
                enqueue(&mut tx, message, now).await?;
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Marks a person unreachable (blocked the bot, account deleted); true if newly so.
    pub async fn mark_unreachable(&self, person_id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let r = sqlx::query("UPDATE people SET unreachable_since = ? WHERE id = ? AND unreachable_since IS NULL")
            .bind(now.timestamp())
            .bind(person_id)
            .execute(&self.writer)
            .await?;
        Ok(r.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store in a file of its own, removed when the test ends.
    struct TempStore(Store, std::path::PathBuf);

    impl Drop for TempStore {
        fn drop(&mut self) {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", self.1.display()));
            }
        }
    }

    async fn store() -> TempStore {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let path = std::env::temp_dir().join(format!("pelekan-outbox-{}-{nanos}.db", std::process::id()));
        TempStore(Store::open(&format!("sqlite://{}", path.display())).await.unwrap(), path)
    }

    #[tokio::test]
    async fn a_long_text_is_queued_as_one_row_a_message_buttons_on_the_last() {
        let temp = store().await;
        let store = &temp.0;
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let digest = (0..80).map(|i| format!("{i}. {}", "ا".repeat(80))).collect::<Vec<_>>().join("\n");
        assert!(digest.encode_utf16().count() > MAX_TEXT);
        let mut message = NewOutboxMessage::text(7, "digest", Some("digest:7".into()), digest.clone(), now);
        message.reply_markup = Some("{\"inline_keyboard\":[]}".into());
        let last = store.enqueue(&message, now).await.unwrap().expect("queued");
        let rows = store.due_outbox(now, None, 10).await.unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.text.encode_utf16().count() <= MAX_TEXT));
        assert_eq!(rows.iter().map(|r| r.text.as_str()).collect::<Vec<_>>().join("\n"), digest, "cut between lines");
        assert_eq!((rows[0].reply_markup.is_none(), rows[1].id, rows[1].reply_markup.is_some()), (true, last, true));
        // Queued again under the same key: nothing more.
        assert_eq!(store.enqueue(&message, now).await.unwrap(), None);
        assert_eq!(store.due_outbox(now, None, 10).await.unwrap().len(), 2);
    }

    /// A delivery's end and what it sets off are stored together, once: a second end of the
    /// same row changes nothing, and a person already unreachable is not announced again.
    #[tokio::test]
    async fn a_delivery_ends_once_with_what_it_sets_off() {
        let temp = store().await;
        let store = &temp.0;
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let manager = store.add_manager(9, "مدیر", now).await.unwrap().id;
        let told = |key: &str| NewOutboxMessage::text(8, "unreachable", Some(key.into()), "نمی‌رسد".into(), now);
        let queued = |kind: &'static str| async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE kind = ?")
                .bind(kind)
                .fetch_one(store.reader())
                .await
                .unwrap()
        };

        // A notice's row: delivered with its caseworker's news, in one go.
        let row = store.enqueue(&NewOutboxMessage::text(7, "notice", None, "اخطار".into(), now), now).await;
        let row = row.unwrap().unwrap();
        sqlx::query(
            "INSERT INTO notices (entrepreneur_id, caseworker_id, overdue_toman, text, status, created_at, outbox_id)
             VALUES (?, ?, 0, 'اخطار', 'confirmed', ?, ?)",
        )
        .bind(manager)
        .bind(manager)
        .bind(now.timestamp())
        .bind(row)
        .execute(store.pool())
        .await
        .unwrap();
        let news = NewOutboxMessage::text(8, "notice_delivered", Some("nd:1".into()), "رسید".into(), now);
        let end = DeliveryEnd { notice_news: Some(news), ..DeliveryEnd::just(RowEnd::Sent { telegram_message_id: 5 }) };
        assert!(store.end_delivery(row, &end, now).await.unwrap());
        let status: String = sqlx::query_scalar("SELECT status FROM notices").fetch_one(store.reader()).await.unwrap();
        assert_eq!((status.as_str(), queued("notice_delivered").await), ("delivered", 1));
        assert!(!store.end_delivery(row, &end, now).await.unwrap(), "a row ends once");

        // Unreachable: marked, and who answers told, the first time only.
        for (i, key) in ["u:1", "u:2"].into_iter().enumerate() {
            let row = store.enqueue(&NewOutboxMessage::text(7, "alert", None, "هشدار".into(), now), now).await;
            let end = DeliveryEnd {
                unreachable: Some(manager),
                told: vec![told(key)],
                ..DeliveryEnd::just(RowEnd::Failed { error: "403" })
            };
            assert!(store.end_delivery(row.unwrap().unwrap(), &end, now).await.unwrap());
            assert_eq!(queued("unreachable").await, 1, "round {i}");
        }
    }

    /// The quiet hours hold for every message to an entrepreneur that is not a reply, whether
    /// or not its caller asked for them; not for replies, nor for staff.
    #[tokio::test]
    async fn every_message_to_an_entrepreneur_but_a_reply_waits_out_the_quiet_hours() {
        let temp = store().await;
        let store = &temp.0;
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let manager = store.add_manager(9, "مدیر", now).await.unwrap().id;
        sqlx::query(
            "INSERT INTO people (telegram_id, role, full_name, level, joined_at, caseworker_id)
             VALUES (7, 'entrepreneur', 'زهرا', 1, 0, ?)",
        )
        .bind(manager)
        .execute(store.pool())
        .await
        .unwrap();
        let news = NewOutboxMessage::text(7, "news", Some("n".into()), "خبر".into(), now);
        let reply = NewOutboxMessage::reply(7, "r".into(), "ثبت شد".into(), None, now);
        let to_staff = NewOutboxMessage::text(9, "news", Some("s".into()), "خبر".into(), now);
        for message in [&news, &reply, &to_staff] {
            store.enqueue(message, now).await.unwrap();
        }
        let held: Vec<(String, bool)> = sqlx::query_as("SELECT dedupe_key, quiet_hours FROM outbox ORDER BY id")
            .fetch_all(store.reader())
            .await
            .unwrap();
        assert_eq!(held, [("n".to_string(), true), ("r".to_string(), false), ("s".to_string(), false)]);
    }

    #[tokio::test]
    async fn a_reply_leaves_before_bulk_queued_earlier() {
        let temp = store().await;
        let store = &temp.0;
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        for i in 0..5 {
            let reminder = NewOutboxMessage {
                lane: Lane::Bulk,
                ..NewOutboxMessage::text(i, "reminder_nudge", Some(format!("nudge:{i}")), "یادآوری".into(), now)
            };
            store.enqueue(&reminder, now).await.unwrap();
        }
        store.enqueue(&NewOutboxMessage::text(9, "alert", None, "هشدار".into(), now), now).await.unwrap();
        store.enqueue(&NewOutboxMessage::reply(7, "reply:1".into(), "ثبت شد".into(), None, now), now).await.unwrap();
        let first: Vec<String> = store.due_outbox(now, None, 3).await.unwrap().into_iter().map(|r| r.kind).collect();
        assert_eq!(first, ["reply", "alert", "reminder_nudge"]);
        // Read on in pages from the last row read: the four other reminders, in order.
        let page = store.due_outbox(now, None, 3).await.unwrap();
        let rest = store.due_outbox(now, page.last(), 10).await.unwrap();
        assert_eq!(rest.iter().map(|r| r.chat_id).collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[tokio::test]
    async fn a_retry_waits_in_its_row_and_a_row_with_a_text_and_a_forward_becomes_two() {
        let temp = store().await;
        let store = &temp.0;
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let id = store.enqueue(&NewOutboxMessage::text(7, "alert", Some("a:1".into()), "هشدار".into(), now), now).await;
        let id = id.unwrap().unwrap();
        // Not due again before its time (rounded up to the second); a 429 does not count.
        let later = now + chrono::Duration::milliseconds(1500);
        store.outbox_retry_at(id, later, "500", true).await.unwrap();
        store.outbox_retry_at(id, later, "429", false).await.unwrap();
        assert!(store.due_outbox(now + chrono::Duration::seconds(1), None, 10).await.unwrap().is_empty());
        assert_eq!(store.next_outbox_due(now).await.unwrap(), Some(now + chrono::Duration::seconds(2)));
        let due = store.due_outbox(now + chrono::Duration::seconds(2), None, 10).await.unwrap();
        assert_eq!((due.len(), due[0].attempts), (1, 1));

        // A row queued before one row was one message: a text and a voice note to forward.
        sqlx::query("UPDATE outbox SET forward_from = '3001:12' WHERE id = ?")
            .bind(id)
            .execute(store.pool())
            .await
            .unwrap();
        store.outbox_split_forward(id).await.unwrap();
        store.outbox_split_forward(id).await.unwrap();
        let rows = store.due_outbox(now + chrono::Duration::seconds(2), None, 10).await.unwrap();
        let parts: Vec<(&str, Option<(i64, i32)>)> = rows.iter().map(|r| (r.text.as_str(), r.forward_from)).collect();
        assert_eq!(parts, [("هشدار", None), ("", Some((3001, 12)))], "the text, then the forward, once");
    }
}
