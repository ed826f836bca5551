use chrono::{DateTime, Duration, Utc};

use super::{Store, StoreResult};

impl Store {
    /// Records that an update (a message id, or a callback query id) was taken, and that
    /// its sender was seen (reachable again), in one transaction: one commit per update.
    /// False means it had been taken before: a re-delivery to ignore.
    pub async fn first_delivery(&self, chat_id: i64, key: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE people SET last_seen_at = ?, unreachable_since = NULL WHERE telegram_id = ?")
            .bind(now.timestamp())
            .bind(chat_id)
            .execute(&mut *tx)
            .await?;
        let result = sqlx::query("INSERT OR IGNORE INTO seen_updates (chat_id, key, seen_at) VALUES (?, ?, ?)")
            .bind(chat_id)
            .bind(key)
            .bind(now.timestamp())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(result.rows_affected() == 1)
    }

    /// Forgets updates older than `keep`: Telegram never re-delivers anything that old.
    pub async fn forget_seen_before(&self, now: DateTime<Utc>, keep: Duration) -> StoreResult<u64> {
        let result = sqlx::query("DELETE FROM seen_updates WHERE seen_at < ?")
            .bind((now - keep).timestamp())
            .execute(&self.writer)
            .await?;
        Ok(result.rows_affected())
    }
}
