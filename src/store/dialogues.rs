//! teloxide dialogue storage on our own SQLite pool. teloxide's SqliteStorage would open a
//! second pool and table of its own; keeping dialogues beside the data they lead to
//! means one file to back up and one migration history.

use std::marker::PhantomData;
use std::sync::Arc;

use futures_util::future::BoxFuture;
use serde::Serialize;
use serde::de::DeserializeOwned;
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;

use super::{Store, StoreError};
use crate::clock::Clock;

/// Ends a chat's conversation, inside the caller's transaction when it has one: a unit of work
/// ends the conversation in the same commit as what it collected.
pub(super) async fn end_conversation(conn: &mut sqlx::SqliteConnection, chat_id: i64) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM dialogues WHERE chat_id = ?").bind(chat_id).execute(&mut *conn).await?;
    Ok(())
}

pub struct DialogueStore<D> {
    store: Store,
    clock: Clock,
    _state: PhantomData<fn() -> D>,
}

impl<D> DialogueStore<D> {
    pub fn new(store: Store, clock: Clock) -> Arc<DialogueStore<D>> {
        Arc::new(DialogueStore { store, clock, _state: PhantomData })
    }
}

impl<D> Storage<D> for DialogueStore<D>
where
    D: Serialize + DeserializeOwned + Send + 'static,
{
    type Error = StoreError;

    fn remove_dialogue(self: Arc<Self>, chat_id: ChatId) -> BoxFuture<'static, Result<(), StoreError>> {
        Box::pin(async move {
            let mut conn = self.store.writer().acquire().await?;
            end_conversation(&mut conn, chat_id.0).await
        })
    }

    fn update_dialogue(self: Arc<Self>, chat_id: ChatId, dialogue: D) -> BoxFuture<'static, Result<(), StoreError>> {
        Box::pin(async move {
            let state = serde_json::to_string(&dialogue)?;
            sqlx::query(
                "INSERT INTO dialogues (chat_id, state, updated_at) VALUES (?, ?, ?)
                 ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
            )
            .bind(chat_id.0)
            .bind(state)
            .bind(self.clock.now().timestamp())
            .execute(self.store.writer())
            .await?;
            Ok(())
        })
    }

    fn get_dialogue(self: Arc<Self>, chat_id: ChatId) -> BoxFuture<'static, Result<Option<D>, StoreError>> {
        Box::pin(async move {
            let state: Option<String> = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
                .bind(chat_id.0)
                .fetch_optional(self.store.reader())
                .await?;
            match state {
                None => Ok(None),
                // A state written by an older version that no longer parses starts over
                // rather than locking the person out of the bot.
                Some(json) => match serde_json::from_str(&json) {
                    Ok(d) => Ok(Some(d)),
                    Err(e) => {
                        tracing::warn!(chat_id = chat_id.0, error = %e, "stored dialogue state unreadable; starting over");
                        Ok(None)
                    }
                },
            }
        })
    }
}
