//! What the daily scan reads, a batch of entrepreneurs at a time: a handful of set-based
//! queries per batch instead of several per person, so that the scan stays close to the
//! cost of one pass over the rows it needs. Every query seeks by person through an index
//! and reads a bounded window (recent sales, recent check-ins), so the cost grows with the
//! number of people, not with the months of history behind them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;

use super::loans::{day_text, loan_event_from_row, parse_day};
use super::people::person_from_row;
use super::{Store, StoreError, StoreResult};
use crate::domain::checkin::Obstacle;
use crate::domain::loan::{InstallmentState, LoanState, Pause, pauses_and_stop};
use crate::domain::person::Person;
use crate::domain::warning::{CheckinRecord, LastAlert, Situation};
use crate::persian::jalali::tehran_day;

/// One loan as the scan needs it.
#[derive(Debug, Clone)]
pub struct ScanLoan {
    pub id: i64,
    pub state: LoanState,
    pub installments: Vec<InstallmentState>,
    pub pauses: Vec<Pause>,
    pub stopped_on: Option<NaiveDate>,
}

/// Everything the scan reads about one entrepreneur.
#[derive(Debug, Clone)]
pub struct ScanInput {
    pub person: Person,
    pub joined_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub unreachable_since: Option<DateTime<Utc>>,
    /// (day, amount) of sales and returns since the window's first day, oldest first.
    pub sales: Vec<(NaiveDate, i64)>,
    /// The last day with a sale (not a return), however old.
    pub last_sale_on: Option<NaiveDate>,
    /// Finished check-ins (answered or missed) in the window, newest first.
    pub checkins: Vec<CheckinRecord>,
    pub loans: Vec<ScanLoan>,
    /// Reminders delivered since the person was last seen (or joined).
    pub reminders_since_seen: usize,
    pub last_alert: Option<LastAlert>,
}

/// One batch of entrepreneurs, in id order.
pub struct ScanBatch {
    pub people: Vec<ScanInput>,
    /// Rows the batch's queries returned, for the benchmark.
    pub rows_read: u64,
}

/// The batch's entry of a person a joined row belongs to.
fn of<'a>(people: &'a mut [ScanInput], index: &HashMap<i64, usize>, id: i64) -> StoreResult<&'a mut ScanInput> {
    index
        .get(&id)
        .map(|&i| &mut people[i])
        .ok_or_else(|| StoreError::Corrupt(format!("scan read a row of person {id} outside its batch")))
}

fn instant(seconds: Option<i64>) -> Option<DateTime<Utc>> {
    seconds.and_then(|t| DateTime::from_timestamp(t, 0))
}

impl Store {
    /// Up to `size` entrepreneurs with an id above `after_id`, with everything the scan reads
    /// (sales and check-ins from `since` on).
    pub async fn scan_batch(&self, after_id: i64, size: i64, since: NaiveDate) -> StoreResult<ScanBatch> {
        let mut conn = self.reader.acquire().await?;
        let rows = sqlx::query(
            "SELECT id, telegram_id, role, full_name, phone, business, caseworker_id, level,
                    joined_at, last_seen_at, unreachable_since,
                    (SELECT sold_on FROM sales s WHERE s.entrepreneur_id = p.id AND s.amount_toman > 0
                     ORDER BY s.sold_on DESC LIMIT 1) AS last_sale_on
             FROM people p WHERE id > ? AND role = 'entrepreneur' ORDER BY id LIMIT ?",
        )
        .bind(after_id)
        .bind(size)
        .fetch_all(&mut *conn)
        .await?;
        let mut rows_read = rows.len() as u64;
        let mut people = Vec::with_capacity(rows.len());
        let mut index: HashMap<i64, usize> = HashMap::with_capacity(rows.len());
        for row in &rows {
            let person = person_from_row(row)?;
            index.insert(person.id, people.len());
            people.push(ScanInput {
                person,
                joined_at: instant(row.try_get("joined_at")?).unwrap_or_default(),
                last_seen_at: instant(row.try_get("last_seen_at")?),
                unreachable_since: instant(row.try_get("unreachable_since")?),
                sales: Vec::new(),
                last_sale_on: row.try_get::<Option<String>, _>("last_sale_on")?.map(|d| parse_day(&d)).transpose()?,
                checkins: Vec::new(),
                loans: Vec::new(),
                reminders_since_seen: 0,
                last_alert: None,
            });
        }
        let (Some(first), Some(last)) = (people.first(), people.last()) else {
            return Ok(ScanBatch { people, rows_read });
        };
        let (first, last) = (first.person.id, last.person.id);
        // Each query walks the batch's people by id and seeks into the other table's index.
        // CROSS JOIN fixes that order: left to itself, SQLite's planner would rather scan an
        // index on status, which reads the whole table for every batch.
        let sales = sqlx::query(
            "SELECT s.entrepreneur_id, s.sold_on, s.amount_toman FROM people p
             CROSS JOIN sales s ON s.entrepreneur_id = p.id AND s.sold_on >= ?
             WHERE p.id BETWEEN ? AND ? AND p.role = 'entrepreneur' ORDER BY s.entrepreneur_id, s.sold_on",
        )
        .bind(day_text(since))
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
        rows_read += sales.len() as u64;
        for r in &sales {
            let day = parse_day(&r.try_get::<String, _>(1)?)?;
            of(&mut people, &index, r.try_get(0)?)?.sales.push((day, r.try_get(2)?));
        }
        drop(sales);

        let checkins = sqlx::query(
            "SELECT c.entrepreneur_id, c.status, c.mood, c.obstacles, c.answered_at FROM people p
             CROSS JOIN checkins c ON c.entrepreneur_id = p.id AND c.slot_day >= ?
             WHERE p.id BETWEEN ? AND ? AND p.role = 'entrepreneur' AND c.status IN ('answered', 'missed')
             ORDER BY c.entrepreneur_id, c.slot_day DESC, c.id DESC",
        )
        .bind(day_text(since))
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
        rows_read += checkins.len() as u64;
        for r in &checkins {
            let status: String = r.try_get(1)?;
            let obstacles: Option<String> = r.try_get(3)?;
            of(&mut people, &index, r.try_get(0)?)?.checkins.push(CheckinRecord {
                missed: status == "missed",
                mood: r.try_get::<Option<i64>, _>(2)?.map(|m| m.clamp(1, 5) as u8),
                obstacles: obstacles.unwrap_or_default().split(',').filter_map(Obstacle::parse).collect(),
                answered_on: instant(r.try_get(4)?).map(tehran_day),
            });
        }
        drop(checkins);

        let installments = sqlx::query(
            "SELECT l.entrepreneur_id, l.id, l.state, i.id, i.due_on, i.amount, i.paid FROM people p
             CROSS JOIN loans l ON l.entrepreneur_id = p.id CROSS JOIN installments i ON i.loan_id = l.id
             WHERE p.id BETWEEN ? AND ? AND p.role = 'entrepreneur' ORDER BY l.entrepreneur_id, l.id DESC, i.number",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
        rows_read += installments.len() as u64;
        let mut loan_at: HashMap<i64, (i64, usize)> = HashMap::new();
        for r in &installments {
            let (person_id, loan_id): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
            let person = of(&mut people, &index, person_id)?;
            let at = match loan_at.get(&loan_id) {
                Some(&(_, at)) => at,
                None => {
                    let state: String = r.try_get(2)?;
                    let state = LoanState::parse(&state)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown loan state {state:?}")))?;
                    person.loans.push(ScanLoan {
                        id: loan_id,
                        state,
                        installments: Vec::new(),
                        pauses: Vec::new(),
                        stopped_on: None,
                    });
                    loan_at.insert(loan_id, (person_id, person.loans.len() - 1));
                    person.loans.len() - 1
                }
            };
            person.loans[at].installments.push(InstallmentState {
                id: r.try_get(3)?,
                due_on: parse_day(&r.try_get::<String, _>(4)?)?,
                amount: r.try_get(5)?,
                paid: r.try_get(6)?,
            });
        }
        drop(installments);

        let events = sqlx::query(
            "SELECT e.state, e.effective_on, e.loan_id FROM people p
             CROSS JOIN loans l ON l.entrepreneur_id = p.id CROSS JOIN loan_events e ON e.loan_id = l.id
             WHERE p.id BETWEEN ? AND ? AND p.role = 'entrepreneur' ORDER BY e.loan_id, e.id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
        rows_read += events.len() as u64;
        let mut by_loan: HashMap<i64, Vec<(LoanState, NaiveDate)>> = HashMap::new();
        for r in &events {
            by_loan.entry(r.try_get(2)?).or_default().push(loan_event_from_row(r)?);
        }
        for (loan_id, events) in by_loan {
            // A loan without installments has nothing to stand on; its events are moot.
            let Some(&(person_id, at)) = loan_at.get(&loan_id) else { continue };
            let (pauses, stopped_on) = pauses_and_stop(&events);
            let loan = &mut of(&mut people, &index, person_id)?.loans[at];
            loan.pauses = pauses;
            loan.stopped_on = stopped_on;
        }

        let reminders = sqlx::query(
            "SELECT p.id, COUNT(*) FROM people p
             CROSS JOIN outbox o ON o.person_id = p.id AND o.status = 'sent'
                          AND o.sent_at > COALESCE(p.last_seen_at, p.joined_at) AND o.kind LIKE 'reminder%'
             WHERE p.id BETWEEN ? AND ? AND p.role = 'entrepreneur' GROUP BY p.id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
        rows_read += reminders.len() as u64;
        for r in &reminders {
            of(&mut people, &index, r.try_get(0)?)?.reminders_since_seen = r.try_get::<i64, _>(1)?.max(0) as usize;
        }

        let alerts = sqlx::query(
            "SELECT p.id, a.signals, a.arrears_bucket, a.status, a.snoozed_until FROM people p
             CROSS JOIN alerts a ON a.id = (SELECT MAX(id) FROM alerts WHERE entrepreneur_id = p.id)
             WHERE p.id BETWEEN ? AND ? AND p.role = 'entrepreneur'",
        )
        .bind(first)
        .bind(last)
        .fetch_all(&mut *conn)
        .await?;
        rows_read += alerts.len() as u64;
        for r in &alerts {
            let signals: String = r.try_get(1)?;
            let bucket: Option<i64> = r.try_get(2)?;
            let status: String = r.try_get(3)?;
            let snoozed: Option<String> = r.try_get(4)?;
            of(&mut people, &index, r.try_get(0)?)?.last_alert = Some(LastAlert {
                situation: Situation::from_codes(&signals, bucket.map(|b| b.max(0) as usize)),
                snoozed_until: if status == "snoozed" { snoozed.map(|d| parse_day(&d)).transpose()? } else { None },
                resolved: status == "resolved",
            });
        }
        Ok(ScanBatch { people, rows_read })
    }

    /// One entrepreneur with everything the scan reads about them: a batch of one (the first
    /// entrepreneur with an id above `person_id - 1`), so that one person is read exactly as
    /// the scan reads everyone. None when `person_id` is not an entrepreneur.
    pub async fn scan_person(&self, person_id: i64, since: NaiveDate) -> StoreResult<Option<ScanInput>> {
        let batch = self.scan_batch(person_id - 1, 1, since).await?;
        Ok(batch.people.into_iter().next().filter(|input| input.person.id == person_id))
    }

    /// Every caseworker, by id.
    pub async fn caseworkers(&self) -> StoreResult<Vec<Person>> {
        let rows = sqlx::query(
            "SELECT id, telegram_id, role, full_name, phone, business, caseworker_id, level
             FROM people WHERE role = 'caseworker' ORDER BY id",
        )
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(person_from_row).collect()
    }
}
