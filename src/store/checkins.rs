use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::Row;

use super::loans::day_text;
use super::outbox::{NewOutboxMessage, commit_with_message, enqueue};
use super::seen::{UpdateKey, commit_unit};
use super::{Store, StoreResult};
use crate::domain::checkin::{CheckinAnswer, Obstacle};

/// A check-in as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinRow {
    pub id: i64,
    pub entrepreneur_id: i64,
    pub status: String,
    pub mood: Option<u8>,
    pub obstacles: Vec<Obstacle>,
    /// Whether the obstacles question was answered (even with «nothing»).
    pub obstacles_answered: bool,
}

fn obstacles_text(obstacles: &[Obstacle]) -> String {
    obstacles.iter().map(|o| o.code()).collect::<Vec<_>>().join(",")
}

fn parse_obstacles(text: Option<&str>) -> Vec<Obstacle> {
    text.unwrap_or("").split(',').filter_map(Obstacle::parse).collect()
}

impl Store {
    /// Entrepreneurs (telegram id, person id) who have no check-in for this slot yet.
    pub async fn entrepreneurs_to_check_in(&self, slot_day: NaiveDate) -> StoreResult<Vec<(i64, i64)>> {
        let rows = sqlx::query(
            "SELECT p.telegram_id, p.id FROM people p
             WHERE p.role = 'entrepreneur'
               AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.entrepreneur_id = p.id AND c.slot_day = ?)
             ORDER BY p.id",
        )
        .bind(day_text(slot_day))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).collect()
    }

    /// Opens a check-in for a slot; None when one exists already (asked before).
    /// With `prompt`, the question is queued in the outbox in the same transaction.
    pub async fn open_checkin(
        &self,
        update: Option<&UpdateKey>,
        entrepreneur_id: i64,
        slot_day: NaiveDate,
        prompt: impl FnOnce(i64) -> Option<NewOutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let mut tx = self.begin_unit(update, now).await?;
        let inserted = sqlx::query(
            "INSERT INTO checkins (entrepreneur_id, slot_day, asked_at, status) VALUES (?, ?, ?, 'open')
             ON CONFLICT (entrepreneur_id, slot_day) DO NOTHING",
        )
        .bind(entrepreneur_id)
        .bind(day_text(slot_day))
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        commit_with_message(tx, update, "open_checkin", &inserted, prompt, now).await
    }

    /// The person's open check-in, if any.
    pub async fn open_checkin_of(&self, entrepreneur_id: i64) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM checkins WHERE entrepreneur_id = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
        )
        .bind(entrepreneur_id)
        .fetch_optional(&self.reader)
        .await?)
    }

    pub async fn checkin(&self, id: i64) -> StoreResult<Option<CheckinRow>> {
        let row = sqlx::query("SELECT id, entrepreneur_id, status, mood, obstacles FROM checkins WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.reader)
            .await?;
        let Some(r) = row else { return Ok(None) };
        let obstacles: Option<String> = r.try_get(4)?;
        Ok(Some(CheckinRow {
            id: r.try_get(0)?,
            entrepreneur_id: r.try_get(1)?,
            status: r.try_get(2)?,
            mood: r.try_get::<Option<i64>, _>(3)?.map(|m| m.clamp(1, 5) as u8),
            obstacles_answered: obstacles.is_some(),
            obstacles: parse_obstacles(obstacles.as_deref()),
        }))
    }

    /// Stores the answer to «how did the week go» on an open check-in.
    pub async fn set_checkin_mood(
        &self,
        update: Option<&UpdateKey>,
        id: i64,
        mood: u8,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(update, now).await?;
        let r = sqlx::query("UPDATE checkins SET mood = ? WHERE id = ? AND status = 'open'")
            .bind(i64::from(mood))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        commit_unit(tx, update, "set_checkin_mood").await?;
        Ok(r.rows_affected() == 1)
    }

    /// Stores the ticked obstacles (the question is answered; empty means «nothing»).
    pub async fn set_checkin_obstacles(
        &self,
        update: Option<&UpdateKey>,
        id: i64,
        obstacles: &[Obstacle],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(update, now).await?;
        let r = sqlx::query("UPDATE checkins SET obstacles = ? WHERE id = ? AND status = 'open'")
            .bind(obstacles_text(obstacles))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        commit_unit(tx, update, "set_checkin_obstacles").await?;
        Ok(r.rows_affected() == 1)
    }

    /// Completes an open check-in (queuing the caseworker's message when it is urgent, and the
    /// thanks, and ending the note conversation of `chat`, all in one transaction); false, with
    /// nothing done, when it was not open any more.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_checkin(
        &self,
        update: Option<&UpdateKey>,
        id: i64,
        note_text: Option<&str>,
        voice: Option<&str>,
        urgent: Option<&NewOutboxMessage>,
        thanks: Option<&NewOutboxMessage>,
        chat: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(update, now).await?;
        let r = sqlx::query(
            "UPDATE checkins SET status = 'answered', answered_at = ?, note_text = ?, note_voice_file_id = ?, urgent = ?,
                    obstacles = COALESCE(obstacles, '')
             WHERE id = ? AND status = 'open' AND mood IS NOT NULL",
        )
        .bind(now.timestamp())
        .bind(note_text)
        .bind(voice)
        .bind(urgent.is_some())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        // The caseworker's message is decided with the answer: both or neither.
        for message in urgent.into_iter().chain(thanks) {
            enqueue(&mut tx, message, now).await?;
        }
        if let Some(chat) = chat {
            super::dialogues::end_conversation(&mut tx, chat).await?;
        }
        commit_unit(tx, update, "finish_checkin").await?;
        Ok(true)
    }

    /// The answer before this check-in, for «a hard week two times running».
    pub async fn previous_answer(&self, entrepreneur_id: i64, before_id: i64) -> StoreResult<Option<CheckinAnswer>> {
        let row = sqlx::query(
            "SELECT mood, obstacles, note_text IS NOT NULL OR note_voice_file_id IS NOT NULL FROM checkins
             WHERE entrepreneur_id = ? AND id < ? AND status = 'answered' ORDER BY id DESC LIMIT 1",
        )
        .bind(entrepreneur_id)
        .bind(before_id)
        .fetch_optional(&self.reader)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(CheckinAnswer {
            mood: r.try_get::<i64, _>(0)?.clamp(1, 5) as u8,
            obstacles: parse_obstacles(r.try_get::<Option<String>, _>(1)?.as_deref()),
            has_message: r.try_get(2)?,
        }))
    }

    /// Marks check-ins open for longer than `open_for` as missed; returns how many.
    /// Open check-ins asked before `now - open_for` whose faces were answered: (id, person).
    pub async fn answered_but_open(&self, now: DateTime<Utc>, open_for: Duration) -> StoreResult<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT id, entrepreneur_id FROM checkins WHERE status = 'open' AND asked_at <= ? AND mood IS NOT NULL",
        )
        .bind((now - open_for).timestamp())
        .fetch_all(&self.reader)
        .await?)
    }

    pub async fn expire_checkins(&self, now: DateTime<Utc>, open_for: Duration) -> StoreResult<u64> {
        let r = sqlx::query("UPDATE checkins SET status = 'missed' WHERE status = 'open' AND asked_at <= ?")
            .bind((now - open_for).timestamp())
            .execute(&self.writer)
            .await?;
        Ok(r.rows_affected())
    }

    /// A person's check-ins by status (tests and the caseworker's view).
    pub async fn checkin_statuses(&self, entrepreneur_id: i64) -> StoreResult<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT status FROM checkins WHERE entrepreneur_id = ? ORDER BY id")
            .bind(entrepreneur_id)
            .fetch_all(&self.reader)
            .await?)
    }
}
