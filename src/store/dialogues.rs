//! Where each chat is in a conversation, one JSON row per chat beside the data it leads to
//! (one file to back up, one migration history). The state is written in the transaction of
//! the update that moved it, with that update's seen record.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::seen::{UpdateKey, commit_unit};
use super::{Store, StoreError, StoreResult};

/// Ends a chat's conversation inside the caller's transaction: a unit of work ends the
/// conversation in the same commit as what it collected.
pub(super) async fn end_conversation(conn: &mut sqlx::SqliteConnection, chat_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM dialogues WHERE chat_id = ?").bind(chat_id).execute(&mut *conn).await?;
    Ok(())
}

/// A stored state read back; None when there is none, or when it was written by an older
/// version and no longer parses (starting over beats locking the person out).
pub(super) fn read_state<D: DeserializeOwned>(chat_id: i64, state: Option<String>) -> Option<D> {
    state.and_then(|json| match serde_json::from_str(&json) {
        Ok(d) => Some(d),
        Err(e) => {
            tracing::warn!(chat_id, error = %e, "stored dialogue state unreadable; starting over");
            None
        }
    })
}

impl Store {
    /// Moves the update's chat to `state`, with the update's seen record, in one commit.
    pub async fn save_conversation<D: Serialize>(
        &self,
        update: &UpdateKey,
        state: &D,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let json = serde_json::to_string(state)?;
        let mut tx = self.begin_unit(Some(update), now).await?;
        sqlx::query(
            "INSERT INTO dialogues (chat_id, state, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
        )
        .bind(update.chat_id)
        .bind(json)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        commit_unit(tx, Some(update), "save_conversation").await
    }

    /// Ends the update's chat's conversation, with the update's seen record, in one commit.
    pub async fn end_conversation_of(&self, update: &UpdateKey, now: DateTime<Utc>) -> StoreResult<()> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        end_conversation(&mut tx, update.chat_id).await?;
        commit_unit(tx, Some(update), "end_conversation_of").await
    }
}
