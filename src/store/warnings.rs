use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::loans::{day_text, parse_day};
use super::outbox::{NewOutboxMessage, commit_with_message, enqueue};
use super::seen::{UpdateKey, commit_unit};
use super::{Store, StoreResult};
use crate::domain::checkin::Obstacle;
use crate::domain::warning::Situation;

/// An alert as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub id: i64,
    pub entrepreneur_id: i64,
    pub caseworker_id: i64,
    pub day: NaiveDate,
    pub status: String,
    pub scenario: Option<u8>,
    pub evidence: String,
}

/// A new alert: stored and its message queued in one transaction.
pub struct NewAlert<'a> {
    pub entrepreneur_id: i64,
    pub caseworker_id: i64,
    pub day: NaiveDate,
    pub situation: &'a Situation,
    pub evidence: &'a str,
    pub scenario: Option<u8>,
}

/// An official notice drafted for the caseworker to confirm.
pub struct NewNotice<'a> {
    pub alert_id: Option<i64>,
    pub entrepreneur_id: i64,
    pub caseworker_id: i64,
    pub loan_id: Option<i64>,
    pub overdue: i64,
    pub text: &'a str,
}

/// An official notice as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRow {
    pub id: i64,
    pub entrepreneur_id: i64,
    pub caseworker_id: i64,
    pub text: String,
    pub status: String,
    /// When it was drafted.
    pub created_at: DateTime<Utc>,
}

fn alert_from_row(r: &sqlx::sqlite::SqliteRow) -> StoreResult<AlertRow> {
    Ok(AlertRow {
        id: r.try_get(0)?,
        entrepreneur_id: r.try_get(1)?,
        caseworker_id: r.try_get(2)?,
        day: parse_day(&r.try_get::<String, _>(3)?)?,
        status: r.try_get(4)?,
        scenario: r.try_get::<Option<i64>, _>(5)?.map(|s| s.clamp(0, 255) as u8),
        evidence: r.try_get(6)?,
    })
}

const ALERT_COLUMNS: &str = "id, entrepreneur_id, caseworker_id, day, status, scenario, evidence";

/// How long an unfinished scan is left to its process before another may take it over.
pub const SCAN_TAKEOVER_AFTER: chrono::Duration = chrono::Duration::minutes(15);

async fn insert_alert(
    conn: &mut sqlx::SqliteConnection,
    alert: &NewAlert<'_>,
    now: DateTime<Utc>,
) -> StoreResult<sqlx::sqlite::SqliteQueryResult> {
    Ok(sqlx::query(
        "INSERT INTO alerts (entrepreneur_id, caseworker_id, day, signals, arrears_bucket, evidence, scenario, status, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?) ON CONFLICT (entrepreneur_id, day) DO NOTHING",
    )
    .bind(alert.entrepreneur_id)
    .bind(alert.caseworker_id)
    .bind(day_text(alert.day))
    .bind(alert.situation.codes())
    .bind(alert.situation.arrears_bucket.map(|b| b as i64))
    .bind(alert.evidence)
    .bind(alert.scenario.map(i64::from))
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?)
}

impl Store {
    /// Claims a day's scan. False when that day's scan already ran, or started less than
    /// `SCAN_TAKEOVER_AFTER` ago and may still be running. A scan that started longer ago and
    /// never finished died with its process: claiming it again finishes its work (the scan is
    /// idempotent: one alert per person and day, reminders and digests deduplicated).
    pub async fn claim_scan(&self, day: NaiveDate, now: DateTime<Utc>) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO scan_runs (day, started_at) VALUES (?, ?)
             ON CONFLICT (day) DO UPDATE SET started_at = excluded.started_at
             WHERE scan_runs.finished_at IS NULL AND scan_runs.started_at <= excluded.started_at - ?",
        )
        .bind(day_text(day))
        .bind(now.timestamp())
        .bind(SCAN_TAKEOVER_AFTER.num_seconds())
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn finish_scan(
        &self,
        day: NaiveDate,
        people: usize,
        alerts: usize,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE scan_runs SET finished_at = ?, people = ?, alerts = ? WHERE day = ?")
            .bind(now.timestamp())
            .bind(people as i64)
            .bind(alerts as i64)
            .bind(day_text(day))
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// When the last scan started (for the digest of check-ins since).
    pub async fn previous_scan_start(&self, before: NaiveDate) -> StoreResult<Option<DateTime<Utc>>> {
        let at: Option<i64> = sqlx::query_scalar("SELECT MAX(started_at) FROM scan_runs WHERE day < ?")
            .bind(day_text(before))
            .fetch_one(&self.reader)
            .await?;
        Ok(at.and_then(|t| DateTime::from_timestamp(t, 0)))
    }

    /// (last seen, unreachable since) of a person.
    pub async fn presence(&self, person_id: i64) -> StoreResult<(Option<DateTime<Utc>>, Option<DateTime<Utc>>)> {
        let (seen, unreachable): (Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT last_seen_at, unreachable_since FROM people WHERE id = ?")
                .bind(person_id)
                .fetch_one(&self.reader)
                .await?;
        Ok((
            seen.and_then(|t| DateTime::from_timestamp(t, 0)),
            unreachable.and_then(|t| DateTime::from_timestamp(t, 0)),
        ))
    }

    /// Marks the alerts of people whose situation has cleared resolved, in one commit (the
    /// scan calls it once per batch).
    pub async fn resolve_alerts(&self, entrepreneur_ids: &[i64]) -> StoreResult<u64> {
        if entrepreneur_ids.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let mut resolved = 0;
        for id in entrepreneur_ids {
            let r =
                sqlx::query("UPDATE alerts SET status = 'resolved' WHERE entrepreneur_id = ? AND status <> 'resolved'")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            resolved += r.rows_affected();
        }
        tx.commit().await?;
        Ok(resolved)
    }

    /// Stores a caseworker's alerts of the day, each with its own message (built from its
    /// position in `alerts` and its new id), in one commit. Returns how many were new (a
    /// person who already had that day's alert gets none).
    pub async fn record_alerts(
        &self,
        alerts: &[NewAlert<'_>],
        message: impl Fn(usize, i64) -> NewOutboxMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<usize> {
        let mut tx = self.begin().await?;
        let mut stored = 0;
        for (i, alert) in alerts.iter().enumerate() {
            let inserted = insert_alert(&mut tx, alert, now).await?;
            if inserted.rows_affected() == 1 {
                enqueue(&mut tx, &message(i, inserted.last_insert_rowid()), now).await?;
                stored += 1;
            }
        }
        tx.commit().await?;
        Ok(stored)
    }

    /// Stores a caseworker's alerts of the day and the digest that lists them in one
    /// transaction: a crash leaves all of them with their digest, or none. The digest is
    /// built from the alerts' ids (None where the person already had that day's alert).
    pub async fn record_alerts_with_digest(
        &self,
        alerts: &[NewAlert<'_>],
        digest: impl FnOnce(&[Option<i64>]) -> NewOutboxMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<Option<i64>>> {
        let mut tx = self.begin().await?;
        let mut ids = Vec::with_capacity(alerts.len());
        for alert in alerts {
            let inserted = insert_alert(&mut tx, alert, now).await?;
            ids.push((inserted.rows_affected() == 1).then(|| inserted.last_insert_rowid()));
        }
        enqueue(&mut tx, &digest(&ids), now).await?;
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn alert(&self, id: i64) -> StoreResult<Option<AlertRow>> {
        let row = sqlx::query(&format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(alert_from_row).transpose()
    }

    pub async fn alerts_of(&self, entrepreneur_id: i64) -> StoreResult<Vec<AlertRow>> {
        let rows = sqlx::query(&format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE entrepreneur_id = ? ORDER BY id"))
            .bind(entrepreneur_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(alert_from_row).collect()
    }

    /// Sets an alert's status from a caseworker's button, with the update of the press.
    pub async fn set_alert_status(
        &self,
        update: &UpdateKey,
        id: i64,
        status: &str,
        snoozed_until: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        sqlx::query("UPDATE alerts SET status = ?, snoozed_until = ? WHERE id = ?")
            .bind(status)
            .bind(snoozed_until.map(day_text))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        commit_unit(tx, Some(update), "set_alert_status").await
    }

    /// Opens a pause-and-review from an alert (recorded now; the workflow comes later), with
    /// the caseworker's reply; false (no reply queued) when one is open already for the person.
    pub async fn open_review(
        &self,
        update: &UpdateKey,
        alert: &AlertRow,
        by: i64,
        reply: &NewOutboxMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        let opened = sqlx::query(
            "INSERT INTO reviews (entrepreneur_id, alert_id, opened_by, opened_at, scenario, status)
             SELECT ?, ?, ?, ?, ?, 'open'
             WHERE NOT EXISTS (SELECT 1 FROM reviews WHERE entrepreneur_id = ? AND status = 'open')",
        )
        .bind(alert.entrepreneur_id)
        .bind(alert.id)
        .bind(by)
        .bind(now.timestamp())
        .bind(alert.scenario.map(i64::from))
        .bind(alert.entrepreneur_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        sqlx::query("UPDATE alerts SET status = 'review' WHERE id = ?").bind(alert.id).execute(&mut *tx).await?;
        if opened {
            enqueue(&mut tx, reply, now).await?;
        }
        commit_unit(tx, Some(update), "open_review").await?;
        Ok(opened)
    }

    /// Drafts a notice and queues its preview (made from the draft's id) in one transaction;
    /// None, with nothing queued, when a draft for the same alert is open already (a second tap).
    pub async fn draft_notice(
        &self,
        update: &UpdateKey,
        notice: &NewNotice<'_>,
        preview: impl FnOnce(i64) -> Option<NewOutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<i64>> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        let r = sqlx::query(
            "INSERT INTO notices (alert_id, entrepreneur_id, caseworker_id, loan_id, overdue_toman, text, status, created_at)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'draft', ?7
             WHERE NOT EXISTS (SELECT 1 FROM notices WHERE alert_id IS ?1 AND status = 'draft')",
        )
        .bind(notice.alert_id)
        .bind(notice.entrepreneur_id)
        .bind(notice.caseworker_id)
        .bind(notice.loan_id)
        .bind(notice.overdue)
        .bind(notice.text)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        commit_with_message(tx, Some(update), "draft_notice", &r, preview, now).await
    }

    /// Writes a draft anew (the records changed since it was previewed); false if not a draft.
    /// Changes a draft to what the records now say and queues its new preview, in one
    /// transaction; false, with nothing queued, if it is no longer a draft.
    pub async fn redraft_notice(
        &self,
        update: &UpdateKey,
        id: i64,
        notice: &NewNotice<'_>,
        preview: &NewOutboxMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        let r = sqlx::query(
            "UPDATE notices SET text = ?, loan_id = ?, overdue_toman = ? WHERE id = ? AND status = 'draft'",
        )
        .bind(notice.text)
        .bind(notice.loan_id)
        .bind(notice.overdue)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        enqueue(&mut tx, preview, now).await?;
        commit_unit(tx, Some(update), "redraft_notice").await?;
        Ok(true)
    }

    /// Drops a draft the caseworker cancelled (or one the records no longer support): it can
    /// never be confirmed afterwards. False if it was not a draft.
    /// Drops a notice's draft, with the caseworker's reply when there is one to give.
    pub async fn drop_notice_draft(
        &self,
        update: &UpdateKey,
        id: i64,
        reply: Option<&NewOutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        let r = sqlx::query("DELETE FROM notices WHERE id = ? AND status = 'draft'").bind(id).execute(&mut *tx).await?;
        if let Some(reply) = reply.filter(|_| r.rows_affected() == 1) {
            enqueue(&mut tx, reply, now).await?;
        }
        commit_unit(tx, Some(update), "drop_notice_draft").await?;
        Ok(r.rows_affected() == 1)
    }

    /// The notice an outbox row carries, if any.
    pub async fn notice_of_outbox(&self, outbox_id: i64) -> StoreResult<Option<NoticeRow>> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM notices WHERE outbox_id = ?")
            .bind(outbox_id)
            .fetch_optional(&self.reader)
            .await?;
        match id {
            Some(id) => self.notice(id).await,
            None => Ok(None),
        }
    }

    pub async fn notice(&self, id: i64) -> StoreResult<Option<NoticeRow>> {
        let row = sqlx::query(
            "SELECT id, entrepreneur_id, caseworker_id, text, status, created_at FROM notices WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&self.reader)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(NoticeRow {
            id: r.try_get(0)?,
            entrepreneur_id: r.try_get(1)?,
            caseworker_id: r.try_get(2)?,
            text: r.try_get(3)?,
            status: r.try_get(4)?,
            created_at: DateTime::from_timestamp(r.try_get(5)?, 0).unwrap_or_default(),
        }))
    }

    /// Confirms a draft notice and queues it, in one transaction; false if not a draft.
    pub async fn confirm_notice(
        &self,
        update: &UpdateKey,
        id: i64,
        message: &NewOutboxMessage,
        reply: &NewOutboxMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        let r =
            sqlx::query("UPDATE notices SET status = 'confirmed', confirmed_at = ? WHERE id = ? AND status = 'draft'")
                .bind(now.timestamp())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        let outbox_id = enqueue(&mut tx, message, now).await?;
        sqlx::query("UPDATE notices SET outbox_id = ? WHERE id = ?").bind(outbox_id).bind(id).execute(&mut *tx).await?;
        enqueue(&mut tx, reply, now).await?;
        commit_unit(tx, Some(update), "confirm_notice").await?;
        Ok(true)
    }

    /// Records the entrepreneur's acknowledgement; false if it was not delivered (or done before).
    /// With it, `tell` (the caseworker's message) is queued in the same transaction.
    pub async fn acknowledge_notice(
        &self,
        update: &UpdateKey,
        id: i64,
        tell: Option<&NewOutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        let r = sqlx::query("UPDATE notices SET status = 'acknowledged', acknowledged_at = ? WHERE id = ? AND status IN ('confirmed', 'delivered')")
            .bind(now.timestamp())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if r.rows_affected() != 1 {
            return Ok(false);
        }
        if let Some(message) = tell {
            enqueue(&mut tx, message, now).await?;
        }
        commit_unit(tx, Some(update), "acknowledge_notice").await?;
        Ok(true)
    }

    /// Check-in answers that did not need an immediate message, for a caseworker's digest:
    /// (name, mood, obstacle codes).
    pub async fn quiet_checkins(
        &self,
        caseworker_id: i64,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> StoreResult<Vec<(String, u8, Vec<Obstacle>)>> {
        let rows = sqlx::query(
            // From the caseworker's people into each one's recent check-ins (CROSS JOIN fixes
            // that order; otherwise SQLite walks every answered check-in for each caseworker).
            // A check-in answered since `since` was asked at most a month before it.
            "SELECT p.full_name, c.mood, c.obstacles FROM people p
             CROSS JOIN checkins c ON c.entrepreneur_id = p.id AND c.slot_day >= ?
             WHERE p.caseworker_id = ? AND c.status = 'answered' AND c.urgent = 0 AND c.answered_at > ? AND c.answered_at <= ?
             ORDER BY c.answered_at",
        )
        .bind(day_text(crate::persian::jalali::tehran_day(since) - chrono::Days::new(31)))
        .bind(caseworker_id)
        .bind(since.timestamp())
        .bind(until.timestamp())
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|r| {
                let obstacles: Option<String> = r.try_get(2)?;
                Ok((
                    r.try_get(0)?,
                    r.try_get::<Option<i64>, _>(1)?.unwrap_or(3).clamp(1, 5) as u8,
                    obstacles.unwrap_or_default().split(',').filter_map(Obstacle::parse).collect(),
                ))
            })
            .collect()
    }
}
