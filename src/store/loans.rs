use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::outbox::NewOutboxMessage;
use super::seen::{UpdateKey, commit_unit};
use super::{Store, StoreError, StoreResult};
use crate::domain::attachment::Attachment;
use crate::domain::loan::{
    Allocation, InstallmentState, LoanStanding, LoanState, Pause, ScheduledInstallment, allocate, pauses_and_stop,
    standing,
};

/// A loan as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoanRow {
    pub id: i64,
    pub entrepreneur_id: i64,
    pub level: u8,
    pub principal: i64,
    pub fee: i64,
    pub installments: u32,
    pub first_due_on: NaiveDate,
    pub state: LoanState,
    pub recorded_at: DateTime<Utc>,
}

/// A loan about to be recorded.
#[derive(Debug, Clone)]
pub struct NewLoan {
    pub entrepreneur_id: i64,
    pub level: u8,
    pub principal: i64,
    pub fee: i64,
    pub schedule: Vec<ScheduledInstallment>,
    pub recorded_by: i64,
    /// The confirmed summary message (chat, message id).
    pub source: (i64, i32),
}

/// A payment an entrepreneur reported.
pub struct NewPayment<'a> {
    pub loan_id: i64,
    pub amount: i64,
    pub paid_on: NaiveDate,
    pub photo: Option<&'a Attachment>,
    /// The confirmed summary message (chat, message id).
    pub source: (i64, i32),
}

/// A payment as stored, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: i64,
    pub loan_id: i64,
    pub entrepreneur_id: i64,
    pub caseworker_id: Option<i64>,
    pub amount: i64,
    pub paid_on: NaiveDate,
    pub photo_file_id: Option<String>,
    pub status: String,
    pub overpaid: i64,
    pub reported_at: DateTime<Utc>,
}

pub(super) fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

pub(super) fn parse_day(text: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| StoreError::Corrupt(format!("bad stored day {text:?}")))
}

fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or_default()
}

const LOAN_COLUMNS: &str =
    "id, entrepreneur_id, level, principal_toman, fee_toman, installments, first_due_on, state, recorded_at";

/// A `loan_events` row's (state, effective_on) in columns 0 and 1.
pub(super) fn loan_event_from_row(r: &SqliteRow) -> StoreResult<(LoanState, NaiveDate)> {
    let state: String = r.try_get(0)?;
    let state = LoanState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("unknown loan state {state:?}")))?;
    Ok((state, parse_day(&r.try_get::<String, _>(1)?)?))
}

fn loan_from_row(r: &SqliteRow) -> StoreResult<LoanRow> {
    let state: String = r.try_get("state")?;
    Ok(LoanRow {
        id: r.try_get("id")?,
        entrepreneur_id: r.try_get("entrepreneur_id")?,
        level: r.try_get::<i64, _>("level")?.clamp(1, 3) as u8,
        principal: r.try_get("principal_toman")?,
        fee: r.try_get("fee_toman")?,
        installments: r.try_get::<i64, _>("installments")?.max(0) as u32,
        first_due_on: parse_day(&r.try_get::<String, _>("first_due_on")?)?,
        state: LoanState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("unknown loan state {state:?}")))?,
        recorded_at: instant(r.try_get("recorded_at")?),
    })
}

/// An installment with its loan id and number, from (loan_id, number, id, due_on, amount, paid).
fn numbered_installment_from_row(r: &SqliteRow) -> StoreResult<(i64, u32, InstallmentState)> {
    Ok((
        r.try_get(0)?,
        r.try_get::<i64, _>(1)?.max(0) as u32,
        InstallmentState {
            id: r.try_get(2)?,
            due_on: parse_day(&r.try_get::<String, _>(3)?)?,
            amount: r.try_get(4)?,
            paid: r.try_get(5)?,
        },
    ))
}

const PAYMENT_SELECT: &str = "SELECT y.id, y.loan_id, l.entrepreneur_id, p.caseworker_id, y.amount_toman, y.paid_on,
        y.photo_file_id, y.status, y.overpaid_toman, y.reported_at
     FROM payments y JOIN loans l ON l.id = y.loan_id JOIN people p ON p.id = l.entrepreneur_id";

fn payment_from_row(r: &SqliteRow) -> StoreResult<PaymentRow> {
    Ok(PaymentRow {
        id: r.try_get(0)?,
        loan_id: r.try_get(1)?,
        entrepreneur_id: r.try_get(2)?,
        caseworker_id: r.try_get(3)?,
        amount: r.try_get(4)?,
        paid_on: parse_day(&r.try_get::<String, _>(5)?)?,
        photo_file_id: r.try_get(6)?,
        status: r.try_get(7)?,
        overpaid: r.try_get(8)?,
        reported_at: instant(r.try_get(9)?),
    })
}

impl Store {
    /// Records a disbursed loan with its schedule and first state, in one transaction.
    /// Returns the loan id and whether it is new (false: this summary was confirmed before).
    pub async fn record_loan(&self, loan: &NewLoan, now: DateTime<Utc>) -> StoreResult<(i64, bool)> {
        self.record_loan_telling(None, loan, |_| Vec::new(), now).await
    }

    /// Records a loan as [`Store::record_loan`] does, as one unit of work: with the end of the
    /// recording conversation (the summary's chat) and the messages that tell of it (made from
    /// the new loan's id) in the same transaction. Nothing is queued for a loan recorded before.
    pub async fn record_loan_telling(
        &self,
        update: Option<&UpdateKey>,
        loan: &NewLoan,
        tell: impl FnOnce(i64) -> Vec<NewOutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<(i64, bool)> {
        let mut tx = self.begin_unit(update, now).await?;
        let first_due = loan.schedule.first().map(|i| day_text(i.due_on)).unwrap_or_default();
        let inserted = sqlx::query(
            "INSERT INTO loans (entrepreneur_id, level, principal_toman, fee_toman, installments, first_due_on, state,
                                recorded_by, recorded_at, source_chat_id, source_message_id)
             VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)
             ON CONFLICT (source_chat_id, source_message_id) DO NOTHING",
        )
        .bind(loan.entrepreneur_id)
        .bind(i64::from(loan.level))
        .bind(loan.principal)
        .bind(loan.fee)
        .bind(loan.schedule.len() as i64)
        .bind(&first_due)
        .bind(loan.recorded_by)
        .bind(now.timestamp())
        .bind(loan.source.0)
        .bind(loan.source.1)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            let id = sqlx::query_scalar("SELECT id FROM loans WHERE source_chat_id = ? AND source_message_id = ?")
                .bind(loan.source.0)
                .bind(loan.source.1)
                .fetch_one(&mut *tx)
                .await?;
            return Ok((id, false));
        }
        let loan_id = inserted.last_insert_rowid();
        for installment in &loan.schedule {
            sqlx::query("INSERT INTO installments (loan_id, number, due_on, amount) VALUES (?, ?, ?, ?)")
                .bind(loan_id)
                .bind(i64::from(installment.number))
                .bind(day_text(installment.due_on))
                .bind(installment.amount)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO loan_events (loan_id, state, effective_on, by_person, at, reason) VALUES (?, 'active', ?, ?, ?, 'recorded')")
            .bind(loan_id)
            .bind(&first_due)
            .bind(loan.recorded_by)
            .bind(now.timestamp())
            .execute(&mut *tx)
            .await?;
        super::dialogues::end_conversation(&mut tx, loan.source.0).await?;
        for message in tell(loan_id) {
            super::outbox::enqueue(&mut tx, &message, now).await?;
        }
        commit_unit(tx, update, "record_loan_telling").await?;
        Ok((loan_id, true))
    }

    /// A person's loans, newest first, each with its installments and where it stands today.
    pub async fn loan_standings(
        &self,
        entrepreneur_id: i64,
        today: NaiveDate,
        arrears_buckets: &[i64],
    ) -> StoreResult<Vec<(LoanRow, Vec<InstallmentState>, LoanStanding)>> {
        let mut out = Vec::new();
        for loan in self.loans_of(entrepreneur_id).await? {
            let installments = self.installments_of(loan.id).await?;
            let (pauses, stopped_on) = self.loan_pauses(loan.id).await?;
            let standing = standing(&installments, today, &pauses, stopped_on, arrears_buckets);
            out.push((loan, installments, standing));
        }
        Ok(out)
    }

    pub async fn loan(&self, id: i64) -> StoreResult<Option<LoanRow>> {
        let row = sqlx::query(&format!("SELECT {LOAN_COLUMNS} FROM loans WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(loan_from_row).transpose()
    }

    /// A person's loans, newest first.
    pub async fn loans_of(&self, entrepreneur_id: i64) -> StoreResult<Vec<LoanRow>> {
        let rows = sqlx::query(&format!("SELECT {LOAN_COLUMNS} FROM loans WHERE entrepreneur_id = ? ORDER BY id DESC"))
            .bind(entrepreneur_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(loan_from_row).collect()
    }

    /// Every loan, oldest first, handed to `each` as it is read (for the CSV export).
    pub async fn each_loan<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(LoanRow) -> Result<(), E>,
    ) -> Result<(), E> {
        self.for_each_row(&format!("SELECT {LOAN_COLUMNS} FROM loans ORDER BY id"), |r| each(loan_from_row(r)?)).await
    }

    pub async fn installments_of(&self, loan_id: i64) -> StoreResult<Vec<InstallmentState>> {
        let rows = sqlx::query("SELECT id, due_on, amount, paid FROM installments WHERE loan_id = ? ORDER BY number")
            .bind(loan_id)
            .fetch_all(&self.reader)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(InstallmentState {
                    id: r.try_get(0)?,
                    due_on: parse_day(&r.try_get::<String, _>(1)?)?,
                    amount: r.try_get(2)?,
                    paid: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Every installment with its loan id and number, handed to `each` as it is read (for the
    /// CSV export).
    pub async fn each_installment<E: From<StoreError>>(
        &self,
        mut each: impl FnMut((i64, u32, InstallmentState)) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = "SELECT loan_id, number, id, due_on, amount, paid FROM installments ORDER BY loan_id, number";
        self.for_each_row(sql, |r| each(numbered_installment_from_row(r)?)).await
    }

    /// The pauses of a loan and the day it was stopped, from its state history.
    pub async fn loan_pauses(&self, loan_id: i64) -> StoreResult<(Vec<Pause>, Option<NaiveDate>)> {
        let rows = sqlx::query("SELECT state, effective_on FROM loan_events WHERE loan_id = ? ORDER BY id")
            .bind(loan_id)
            .fetch_all(&self.reader)
            .await?;
        let events = rows.iter().map(loan_event_from_row).collect::<StoreResult<Vec<_>>>()?;
        Ok(pauses_and_stop(&events))
    }

    /// Moves a loan to a new state, recording who, when and why, as one unit of work: with the
    /// end of the conversation that asked why (`chat`), and the messages that tell of it.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_loan_state(
        &self,
        update: &UpdateKey,
        loan_id: i64,
        (from, state): (LoanState, LoanState),
        by: Option<i64>,
        reason: &str,
        effective_on: NaiveDate,
        chat: Option<i64>,
        tell: &[NewOutboxMessage],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        // Only from the state the change was decided against: two people changing one loan at
        // once cannot both apply a change, the second against a state it never saw.
        let changed = sqlx::query("UPDATE loans SET state = ? WHERE id = ? AND state = ?")
            .bind(state.as_str())
            .bind(loan_id)
            .bind(from.as_str())
            .execute(&mut *tx)
            .await?;
        if changed.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO loan_events (loan_id, state, effective_on, by_person, at, reason) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(loan_id)
        .bind(state.as_str())
        .bind(day_text(effective_on))
        .bind(by)
        .bind(now.timestamp())
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        if let Some(chat) = chat {
            super::dialogues::end_conversation(&mut tx, chat).await?;
        }
        for message in tell {
            super::outbox::enqueue(&mut tx, message, now).await?;
        }
        commit_unit(tx, Some(update), "set_loan_state").await?;
        Ok(true)
    }

    /// Stores a reported payment as pending; (payment id, whether new).
    /// Stores a reported payment as pending, as one unit of work: with the messages made from
    /// its id (the caseworker's request to confirm, the person's reply) and the end of the
    /// conversation in its summary's chat, in one transaction. (id, whether new); nothing is
    /// queued for a payment reported before.
    pub async fn report_payment(
        &self,
        update: Option<&UpdateKey>,
        payment: &NewPayment<'_>,
        messages: impl FnOnce(i64) -> Vec<NewOutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<(i64, bool)> {
        let mut tx = self.begin_unit(update, now).await?;
        let inserted = sqlx::query(
            "INSERT INTO payments (loan_id, amount_toman, paid_on, photo_file_id, photo_sent_as, status, reported_at,
                                   source_chat_id, source_message_id)
             VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)
             ON CONFLICT (source_chat_id, source_message_id) DO NOTHING",
        )
        .bind(payment.loan_id)
        .bind(payment.amount)
        .bind(day_text(payment.paid_on))
        .bind(payment.photo.map(|p| &p.file_id))
        .bind(payment.photo.map_or("photo", |p| p.sent_as.as_str()))
        .bind(now.timestamp())
        .bind(payment.source.0)
        .bind(payment.source.1)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 1 {
            let id = inserted.last_insert_rowid();
            for message in messages(id) {
                super::outbox::enqueue(&mut tx, &message, now).await?;
            }
            super::dialogues::end_conversation(&mut tx, payment.source.0).await?;
            commit_unit(tx, update, "report_payment").await?;
            return Ok((id, true));
        }
        drop(tx);
        let id = sqlx::query_scalar("SELECT id FROM payments WHERE source_chat_id = ? AND source_message_id = ?")
            .bind(payment.source.0)
            .bind(payment.source.1)
            .fetch_one(&self.reader)
            .await?;
        Ok((id, false))
    }

    pub async fn payment(&self, id: i64) -> StoreResult<Option<PaymentRow>> {
        let row =
            sqlx::query(&format!("{PAYMENT_SELECT} WHERE y.id = ?")).bind(id).fetch_optional(&self.reader).await?;
        row.as_ref().map(payment_from_row).transpose()
    }

    /// Every payment, oldest first, handed to `each` as it is read (for the CSV export).
    pub async fn each_payment<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(PaymentRow) -> Result<(), E>,
    ) -> Result<(), E> {
        self.for_each_row(&format!("{PAYMENT_SELECT} ORDER BY y.id"), |r| each(payment_from_row(r)?)).await
    }

    /// Confirms a pending payment and allocates it to the oldest unpaid installments, in
    /// one transaction. None when it was not pending (already decided).
    pub async fn confirm_payment(
        &self,
        payment_id: i64,
        by: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Allocation>> {
        self.confirm_payment_telling(None, payment_id, by, today, |_| Vec::new(), now).await
    }

    /// Confirms a pending payment as [`Store::confirm_payment`] does, and queues the messages
    /// that tell of it (made from its allocation) in the same transaction: one unit of work.
    pub async fn confirm_payment_telling(
        &self,
        update: Option<&UpdateKey>,
        payment_id: i64,
        by: i64,
        today: NaiveDate,
        tell: impl FnOnce(&Allocation) -> Vec<NewOutboxMessage>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Allocation>> {
        let mut tx = self.begin_unit(update, now).await?;
        let decided = sqlx::query("UPDATE payments SET status = 'confirmed', decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'")
            .bind(by)
            .bind(now.timestamp())
            .bind(payment_id)
            .execute(&mut *tx)
            .await?;
        if decided.rows_affected() != 1 {
            return Ok(None);
        }
        let (loan_id, amount): (i64, i64) = sqlx::query_as("SELECT loan_id, amount_toman FROM payments WHERE id = ?")
            .bind(payment_id)
            .fetch_one(&mut *tx)
            .await?;
        let rows = sqlx::query("SELECT id, due_on, amount, paid FROM installments WHERE loan_id = ?")
            .bind(loan_id)
            .fetch_all(&mut *tx)
            .await?;
        let installments = rows
            .iter()
            .map(|r| {
                Ok(InstallmentState {
                    id: r.try_get(0)?,
                    due_on: parse_day(&r.try_get::<String, _>(1)?)?,
                    amount: r.try_get(2)?,
                    paid: r.try_get(3)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let allocation = allocate(&installments, amount);
        for (installment_id, part) in &allocation.applied {
            sqlx::query("UPDATE installments SET paid = paid + ? WHERE id = ?")
                .bind(part)
                .bind(installment_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO payment_allocations (payment_id, installment_id, amount) VALUES (?, ?, ?)")
                .bind(payment_id)
                .bind(installment_id)
                .bind(part)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE payments SET overpaid_toman = ? WHERE id = ?")
            .bind(allocation.overpaid)
            .bind(payment_id)
            .execute(&mut *tx)
            .await?;
        let unpaid: i64 =
            sqlx::query_scalar("SELECT COALESCE(SUM(amount - paid), 0) FROM installments WHERE loan_id = ?")
                .bind(loan_id)
                .fetch_one(&mut *tx)
                .await?;
        if unpaid == 0 {
            sqlx::query("UPDATE loans SET state = 'repaid' WHERE id = ?").bind(loan_id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO loan_events (loan_id, state, effective_on, by_person, at, reason) VALUES (?, 'repaid', ?, ?, ?, 'fully repaid')")
                .bind(loan_id)
                .bind(day_text(today))
                .bind(by)
                .bind(now.timestamp())
                .execute(&mut *tx)
                .await?;
        }
        for message in tell(&allocation) {
            super::outbox::enqueue(&mut tx, &message, now).await?;
        }
        commit_unit(tx, update, "confirm_payment_telling").await?;
        Ok(Some(allocation))
    }

    /// Rejects a pending payment and queues the messages that tell of it, in one transaction;
    /// false, with nothing queued, when it was already decided.
    pub async fn reject_payment(
        &self,
        update: &UpdateKey,
        payment_id: i64,
        by: i64,
        tell: &[NewOutboxMessage],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        let decided = sqlx::query("UPDATE payments SET status = 'rejected', decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'")
            .bind(by)
            .bind(now.timestamp())
            .bind(payment_id)
            .execute(&mut *tx)
            .await?;
        if decided.rows_affected() != 1 {
            return Ok(false);
        }
        for message in tell {
            super::outbox::enqueue(&mut tx, message, now).await?;
        }
        commit_unit(tx, Some(update), "reject_payment").await?;
        Ok(true)
    }
}
