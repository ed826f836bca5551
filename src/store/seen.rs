//! Which updates were handled. An update's seen record is written in the same transaction as
//! what handling it stored (the conversation, the domain rows, the messages to send), so a
//! crash before that commit means the redelivered update is handled again from scratch, and
//! after it the redelivered update is ignored.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use serde::de::DeserializeOwned;
use sqlx::SqliteConnection;

use super::outbox::{NewOutboxMessage, enqueue};
use super::{Store, StoreError, StoreResult};

/// One update from Telegram: the chat it came from and a key that a redelivery repeats (a
/// message id, an edit's update id, a callback query id), with the answers decided for it
/// that are not stored yet.
#[derive(Clone, Debug)]
pub struct UpdateKey {
    pub chat_id: i64,
    pub key: String,
    /// Set once a transaction that carries the seen record has committed.
    committed: Arc<AtomicBool>,
    /// The messages this update's handler decided to send and no unit has stored yet: the next
    /// unit of work that commits for the update stores them as outbox rows, in its transaction.
    answers: Arc<Mutex<Vec<NewOutboxMessage>>>,
    /// How many answers were decided, to number their keys.
    decided: Arc<AtomicUsize>,
    /// Whether a unit stored messages (its own, or these) as outbox rows: the outbox is then
    /// woken.
    queued: Arc<AtomicBool>,
}

impl UpdateKey {
    pub fn new(chat_id: i64, key: String) -> UpdateKey {
        UpdateKey {
            chat_id,
            key,
            committed: Arc::default(),
            answers: Arc::default(),
            decided: Arc::default(),
            queued: Arc::default(),
        }
    }

    /// Whether what handling this update stored is committed (with its seen record).
    pub fn committed(&self) -> bool {
        self.committed.load(Ordering::Acquire)
    }

    /// A message to send for this update, stored with the next unit of work that commits.
    /// Returns its outbox key: the one it came with, or the update's own numbered one (so that
    /// a message can be found once sent, and never queued twice).
    pub fn answer(&self, mut message: NewOutboxMessage) -> String {
        let n = self.decided.fetch_add(1, Ordering::AcqRel) + 1;
        let key = message.dedupe_key.get_or_insert_with(|| format!("answer:{}:{}:{n}", self.chat_id, self.key)).clone();
        self.lock_answers().push(message);
        key
    }

    /// Forgets the answers not stored yet (the handler failed: they answer work not done).
    pub fn drop_answers(&self) {
        self.lock_answers().clear();
    }

    /// Whether answers wait to be stored.
    pub fn has_answers(&self) -> bool {
        !self.lock_answers().is_empty()
    }

    /// Whether a unit of this update may have stored messages as outbox rows.
    pub fn queued_answers(&self) -> bool {
        self.queued.load(Ordering::Acquire)
    }

    fn lock_answers(&self) -> std::sync::MutexGuard<'_, Vec<NewOutboxMessage>> {
        self.answers.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Writes the update's seen record (and that its sender was seen, reachable again) inside the
/// caller's transaction. A second transaction of the same update writes nothing more; an
/// update another worker already committed is refused with [`StoreError::AlreadyHandled`].
pub(super) async fn record_update(
    conn: &mut SqliteConnection,
    update: &UpdateKey,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    if update.committed() {
        return Ok(());
    }
    // (A trigger marks the sender seen and reachable: migration 0010.)
    let inserted = sqlx::query("INSERT OR IGNORE INTO seen_updates (chat_id, key, seen_at) VALUES (?, ?, ?)")
        .bind(update.chat_id)
        .bind(&update.key)
        .bind(now.timestamp())
        .execute(&mut *conn)
        .await?;
    if inserted.rows_affected() == 0 {
        return Err(StoreError::AlreadyHandled { chat_id: update.chat_id, key: update.key.clone() });
    }
    Ok(())
}

/// Commits a unit of work (`unit` names it, for the crash tests): with `update`, a transaction
/// begun by [`Store::begin_unit`] that carries the update's seen record; without, work that no
/// update asked for (the command line, the scheduler).
///
/// The update's answers decided so far are stored with it, as outbox rows: what a person is
/// told is committed with what it tells of, or not at all.
pub(super) async fn commit_unit(
    mut tx: sqlx::Transaction<'_, sqlx::Sqlite>,
    update: Option<&UpdateKey>,
    unit: &'static str,
) -> StoreResult<()> {
    let answers = update.map(|u| std::mem::take(&mut *u.lock_answers())).unwrap_or_default();
    for answer in &answers {
        enqueue(&mut tx, answer, answer.not_before).await?;
    }
    crash_point(Moment::BeforeCommit, unit);
    tx.commit().await?;
    crash_point(Moment::AfterCommit, unit);
    if let Some(update) = update {
        update.committed.store(true, Ordering::Release);
        // Any unit but a bare move of the conversation may have queued messages of its own.
        let bare = matches!(unit, "save_conversation" | "end_conversation_of" | "mark_handled");
        if !answers.is_empty() || !bare {
            update.queued.store(true, Ordering::Release);
        }
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Moment {
    BeforeCommit,
    AfterCommit,
}

/// The crash tests' hook (`tests/e2e/crash_points.rs`): with `PELEKAN_TEST_CRASH_AT` set to
/// `before:<unit>` or `after:<unit>`, the process dies right before or after that unit's
/// commit, as it would on a power cut (no destructor runs, nothing is flushed). Unset, as in
/// production, it costs one comparison.
fn crash_point(moment: Moment, unit: &str) {
    static AT: std::sync::OnceLock<Option<(Moment, String)>> = std::sync::OnceLock::new();
    let at = AT.get_or_init(|| {
        let value = std::env::var("PELEKAN_TEST_CRASH_AT").ok()?;
        match value.split_once(':')? {
            ("before", unit) => Some((Moment::BeforeCommit, unit.to_string())),
            ("after", unit) => Some((Moment::AfterCommit, unit.to_string())),
            _ => None,
        }
    });
    if at.as_ref().is_some_and(|(m, u)| *m == moment && u == unit) {
        std::process::abort();
    }
}

impl Store {
    /// A write transaction for a unit of work; for an update, its seen record already in it.
    pub(super) async fn begin_unit(
        &self,
        update: Option<&UpdateKey>,
        now: DateTime<Utc>,
    ) -> StoreResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
        let mut tx = self.begin().await?;
        if let Some(update) = update {
            record_update(&mut tx, update, now).await?;
        }
        Ok(tx)
    }

    /// The update's chat's conversation state (`None` inside when it has none, or an
    /// unreadable one), or `None` when the update was handled before: one query, as every
    /// update asks both.
    pub async fn conversation_unless_handled<D: DeserializeOwned>(
        &self,
        update: &UpdateKey,
    ) -> StoreResult<Option<Option<D>>> {
        let (handled, state): (bool, Option<String>) = sqlx::query_as(
            "SELECT EXISTS (SELECT 1 FROM seen_updates WHERE chat_id = ?1 AND key = ?2),
                    (SELECT state FROM dialogues WHERE chat_id = ?1)",
        )
        .bind(update.chat_id)
        .bind(&update.key)
        .fetch_one(&self.reader)
        .await?;
        Ok((!handled).then(|| super::dialogues::read_state(update.chat_id, state)))
    }

    /// Records an update whose handling stored nothing (a help text, a stale button), so that
    /// its sender counts as seen; nothing when its work already carried the record.
    pub async fn mark_handled(&self, update: &UpdateKey, now: DateTime<Utc>) -> StoreResult<()> {
        if update.has_answers() {
            // Answers to store with it: a transaction.
            let tx = self.begin_unit(Some(update), now).await?;
            return commit_unit(tx, Some(update), "mark_handled").await;
        }
        if update.committed() {
            return Ok(());
        }
        // One statement, which commits by itself: no transaction around it (two round trips
        // to SQLite's thread fewer for every update that stores nothing).
        let mut conn = self.writer.acquire().await?;
        record_update(&mut conn, update, now).await?;
        update.committed.store(true, Ordering::Release);
        Ok(())
    }

    /// Forgets seen updates older than `keep` (Telegram never re-delivers anything that old),
    /// and updates received more than a day ago.
    pub async fn forget_seen_before(&self, now: DateTime<Utc>, keep: Duration) -> StoreResult<u64> {
        let before = (now - keep).timestamp();
        let forgotten = self.delete_in_batches("seen_updates", "seen_at", before).await?;
        // The inbox is read back an hour at most; a day covers any restart.
        self.delete_in_batches("inbox", "received_at", (now - Duration::days(1)).timestamp()).await?;
        Ok(forgotten)
    }

    /// Deletes `table`'s rows whose `column` is before `before`, a batch per transaction: a day
    /// of a large programme's updates is many thousand rows, and one transaction over all of
    /// them would hold the one writer, and so every person's answer, for as long.
    async fn delete_in_batches(&self, table: &str, column: &str, before: i64) -> StoreResult<u64> {
        const BATCH: i64 = 2000;
        // Both tables are keyed by (chat_id, key), without a rowid.
        let sql = format!(
            "DELETE FROM {table} WHERE (chat_id, key) IN (SELECT chat_id, key FROM {table} WHERE {column} < ? LIMIT ?)"
        );
        let mut deleted = 0;
        loop {
            let done = sqlx::query(&sql).bind(before).bind(BATCH).execute(&self.writer).await?.rows_affected();
            deleted += done;
            if done < BATCH as u64 {
                return Ok(deleted);
            }
        }
    }
}

impl Store {
    /// Stores an update as received, before Telegram is told so; false when it was received
    /// before (Telegram delivering it again, or already taken from the inbox after a restart).
    pub async fn receive(&self, update: &UpdateKey, json: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let inserted =
            sqlx::query("INSERT OR IGNORE INTO inbox (chat_id, key, update_json, received_at) VALUES (?, ?, ?, ?)")
                .bind(update.chat_id)
                .bind(&update.key)
                .bind(json)
                .bind(now.timestamp())
                .execute(&self.writer)
                .await?;
        Ok(inserted.rows_affected() == 1)
    }

    /// Updates received since `since` whose handling never committed (a crash came first), in
    /// the order they came, as stored by [`Store::receive`].
    pub async fn unfinished_updates(&self, since: DateTime<Utc>) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT update_json FROM inbox i
             WHERE received_at >= ?
               AND NOT EXISTS (SELECT 1 FROM seen_updates s WHERE s.chat_id = i.chat_id AND s.key = i.key)
             ORDER BY received_at, rowid",
        )
        .bind(since.timestamp())
        .fetch_all(&self.reader)
        .await?)
    }
}
