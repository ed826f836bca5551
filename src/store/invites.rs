use chrono::{DateTime, Utc};
use sqlx::Row;

use super::outbox::{NewOutboxMessage, enqueue};
use super::seen::{UpdateKey, commit_unit};
use super::{NewPerson, Store, StoreError, StoreResult};
use crate::domain::invite::{CODE_LENGTH, Invite, code_from_random};
use crate::domain::person::{Person, Role};

/// An invite about to be created.
#[derive(Debug, Clone)]
pub struct NewInvite {
    pub code: String,
    pub role: Role,
    pub caseworker_id: Option<i64>,
    pub created_by: Option<i64>,
    pub expires_at: DateTime<Utc>,
}

impl NewInvite {
    /// A new invite with a fresh random code, usable for `valid_days` from `now`.
    pub fn random(
        role: Role,
        caseworker_id: Option<i64>,
        created_by: Option<i64>,
        now: DateTime<Utc>,
        valid_days: i64,
    ) -> StoreResult<NewInvite> {
        let mut bytes = [0u8; CODE_LENGTH];
        getrandom::fill(&mut bytes).map_err(StoreError::Randomness)?;
        Ok(NewInvite {
            code: code_from_random(bytes),
            role,
            caseworker_id,
            created_by,
            expires_at: now + chrono::Duration::days(valid_days),
        })
    }
}

impl Store {
    /// Stores a new invite; from a chat, with the update that asked for it and, with it,
    /// `reply` (the message that carries the link) is queued.
    pub async fn create_invite(
        &self,
        update: Option<&UpdateKey>,
        invite: &NewInvite,
        reply: Option<&NewOutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut tx = self.begin_unit(update, now).await?;
        sqlx::query("INSERT INTO invites (code, role, caseworker_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(&invite.code)
            .bind(invite.role.as_str())
            .bind(invite.caseworker_id)
            .bind(invite.created_by)
            .bind(now.timestamp())
            .bind(invite.expires_at.timestamp())
            .execute(&mut *tx)
            .await?;
        if let Some(reply) = reply {
            enqueue(&mut tx, reply, now).await?;
        }
        commit_unit(tx, update, "create_invite").await
    }

    pub async fn invite(&self, code: &str) -> StoreResult<Option<Invite>> {
        let row = sqlx::query(
            "SELECT code, role, caseworker_id, created_by, expires_at, used_by FROM invites WHERE code = ?",
        )
        .bind(code)
        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let role: String = row.try_get("role")?;
        let expires_at: i64 = row.try_get("expires_at")?;
        Ok(Role::parse(&role).map(|role| Invite {
            code: row.try_get("code").unwrap_or_default(),
            role,
            caseworker_id: row.try_get("caseworker_id").unwrap_or_default(),
            created_by: row.try_get("created_by").unwrap_or_default(),
            expires_at: DateTime::from_timestamp(expires_at, 0).unwrap_or_default(),
            used: row.try_get::<Option<i64>, _>("used_by").ok().flatten().is_some(),
        }))
    }

    /// Uses up the invite and adds the person, in one transaction. Returns None (and
    /// stores nothing) when the invite was used or expired in the meantime, or the
    /// Telegram account already belongs to someone.
    pub async fn join_with_invite(
        &self,
        update: Option<&UpdateKey>,
        code: &str,
        person: &NewPerson,
        notice: Option<&NewOutboxMessage>,
        welcome: Option<&NewOutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Person>> {
        let mut tx = self.begin_unit(update, now).await?;
        let inserted = sqlx::query(
            "INSERT INTO people (telegram_id, role, full_name, phone, business, caseworker_id, joined_at)
             SELECT ?, ?, ?, ?, ?, ?, ?
             WHERE NOT EXISTS (SELECT 1 FROM people WHERE telegram_id = ?)",
        )
        .bind(person.telegram_id)
        .bind(person.role.as_str())
        .bind(&person.full_name)
        .bind(&person.phone)
        .bind(&person.business)
        .bind(person.caseworker_id)
        .bind(now.timestamp())
        .bind(person.telegram_id)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() != 1 {
            return Ok(None);
        }
        let person_id = inserted.last_insert_rowid();
        let used = sqlx::query(
            "UPDATE invites SET used_by = ?, used_at = ? WHERE code = ? AND used_by IS NULL AND expires_at > ?",
        )
        .bind(person_id)
        .bind(now.timestamp())
        .bind(code)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        if used.rows_affected() != 1 {
            return Ok(None);
        }
        // Whoever is told about the newcomer is told with the join, and the newcomer welcomed,
        // as the joining conversation ends: all or nothing.
        for message in notice.into_iter().chain(welcome) {
            enqueue(&mut tx, message, now).await?;
        }
        super::dialogues::end_conversation(&mut tx, person.telegram_id).await?;
        commit_unit(tx, update, "join_with_invite").await?;
        self.person(person_id).await
    }
}
