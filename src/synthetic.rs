//! `pelekan seed-synthetic`: a realistic, deterministic programme for benchmarks and
//! demonstrations. About ten sales a month per person with some returns, loans by level
//! (some paid late), weekly check-ins partly missed, and a known share of people in each
//! of the eight trouble situations at the end date.

use std::io::Write as _;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Tehran;
use sqlx::{QueryBuilder, Sqlite};

use crate::domain::loan::schedule;
use crate::random::SplitMix64;
use crate::store::{Store, StoreResult};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub entrepreneurs: u64,
    pub months: u32,
    pub caseworkers: u64,
    pub seed: u64,
    /// The last day of the history (the day a scan would look from).
    pub end: NaiveDate,
}

/// Percentage of people in each trouble situation (scenarios 1–8); the rest are healthy.
pub const TROUBLE_PERCENT_EACH: u64 = 2;

/// The scenario (1–8) a person is generated into, or 0 for healthy: a fixed share each.
pub fn trouble_of(person_index: u64) -> u8 {
    let slot = person_index % 100;
    if slot < 8 * TROUBLE_PERCENT_EACH { (slot / TROUBLE_PERCENT_EACH + 1) as u8 } else { 0 }
}

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    Tehran
        .from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap_or_default())
        .earliest()
        .map_or_else(Utc::now, |t| t.with_timezone(&Utc))
}

/// Fills the database; reports progress on standard error.
pub async fn seed(store: &Store, shape: Shape) -> StoreResult<()> {
    let mut random = SplitMix64::new(shape.seed);
    let start = shape.end - Days::new(u64::from(shape.months) * 30);
    let pool = store.pool();
    let base_id: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(telegram_id), 0) FROM people").fetch_one(pool).await?;
    let mut tx = pool.begin().await?;
    let mut caseworker_ids = Vec::new();
    for c in 0..shape.caseworkers.max(1) {
        let id =
            sqlx::query("INSERT INTO people (telegram_id, role, full_name, joined_at) VALUES (?, 'caseworker', ?, ?)")
                .bind(base_id + 1 + c as i64)
                .bind(format!("مددکار {}", c + 1))
                .bind(at(start, 9).timestamp())
                .execute(&mut *tx)
                .await?
                .last_insert_rowid();
        caseworker_ids.push(id);
    }
    tx.commit().await?;

    let batch = 500u64;
    let mut done = 0u64;
    let mut source = 0i64;
    while done < shape.entrepreneurs {
        let mut tx = pool.begin().await?;
        let upto = (done + batch).min(shape.entrepreneurs);
        for index in done..upto {
            let trouble = trouble_of(index);
            let joined = start + Days::new(random.below(20));
            let level = match random.below(10) {
                0 => 3,
                1..=2 => 2,
                _ => 1,
            };
            let person_id = sqlx::query(
                "INSERT INTO people (telegram_id, role, full_name, business, caseworker_id, level, joined_at, last_seen_at, unreachable_since)
                 VALUES (?, 'entrepreneur', ?, 'خیاطی', ?, ?, ?, ?, ?)",
            )
            .bind(base_id + 1_000_000 + index as i64)
            .bind(format!("کارآفرین {}", index + 1))
            .bind(caseworker_ids[(index % caseworker_ids.len() as u64) as usize])
            .bind(i64::from(level))
            .bind(at(joined, 10).timestamp())
            .bind(at(shape.end - Days::new(if trouble == 3 { 40 } else { 1 }), 12).timestamp())
            .bind((trouble == 3).then(|| at(shape.end - Days::new(20), 12).timestamp()))
            .execute(&mut *tx)
            .await?
            .last_insert_rowid();

            // Sales: every 1–5 days; troubled people change in the last 30 days.
            let mut rows: Vec<(NaiveDate, i64)> = Vec::new();
            let mut day = joined + Days::new(random.below(3));
            while day <= shape.end {
                let recent = (shape.end - day).num_days() < 30;
                let mut amount = 50_000 + random.below(45) as i64 * 10_000;
                let skip = match trouble {
                    3 => (shape.end - day).num_days() < 30,
                    6 if recent => random.below(3) != 0,
                    _ => false,
                };
                if trouble == 6 && recent {
                    amount /= 3;
                }
                if !skip {
                    let returned = random.below(100) < if trouble == 7 && recent { 40 } else { 3 };
                    rows.push((day, if returned { -amount } else { amount }));
                }
                day = day + Days::new(1 + random.below(5));
            }
            for chunk in rows.chunks(3000) {
                let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                    "INSERT INTO sales (entrepreneur_id, amount_toman, item, sold_on, source_chat_id, source_message_id, recorded_at) ",
                );
                insert.push_values(chunk, |mut b, (day, amount)| {
                    source += 1;
                    b.push_bind(person_id)
                        .push_bind(*amount)
                        .push_bind("روسری")
                        .push_bind(day.to_string())
                        .push_bind(-7)
                        .push_bind(source)
                        .push_bind(at(*day, 18).timestamp());
                });
                insert.build().execute(&mut *tx).await?;
            }

            // Weekly check-ins, most answered; troubled people report their trouble lately.
            let mut week = joined + Days::new(7);
            let mut checkins: Vec<(NaiveDate, Option<i64>, &str)> = Vec::new();
            while week <= shape.end {
                let last_two = (shape.end - week).num_days() < 14;
                let (mood, obstacles) = match trouble {
                    1 if last_two => (Some(3), "moving"),
                    2 if last_two => (Some(3), "interest"),
                    3 if last_two => (None, ""),
                    4 if last_two => (Some(1 + random.below(2) as i64), ""),
                    5 if last_two => (Some(2), "family"),
                    7 if last_two => (Some(3), "complaints"),
                    8 if last_two => (Some(3), "money"),
                    _ if random.below(100) < 12 => (None, ""),
                    _ => (Some(3 + random.below(3) as i64), ""),
                };
                checkins.push((week, mood, obstacles));
                week = week + Days::new(7);
            }
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO checkins (entrepreneur_id, slot_day, asked_at, answered_at, status, mood, obstacles) ",
            );
            if !checkins.is_empty() {
                insert.push_values(&checkins, |mut b, (day, mood, obstacles)| {
                    b.push_bind(person_id)
                        .push_bind(day.to_string())
                        .push_bind(at(*day, 10).timestamp())
                        .push_bind(mood.map(|_| at(*day, 12).timestamp()))
                        .push_bind(if mood.is_some() { "answered" } else { "missed" })
                        .push_bind(*mood)
                        .push_bind(mood.map(|_| obstacles.to_string()));
                });
                insert.build().execute(&mut *tx).await?;
            }

            // A loan for most: twelve monthly installments from a month after joining; paid
            // on time, except the last two due for people with money trouble.
            if random.below(10) < 6 || trouble == 8 {
                let principal = match level {
                    1 => 10_000_000 + random.below(11) as i64 * 1_000_000,
                    2 => 30_000_000 + random.below(21) as i64 * 1_000_000,
                    _ => 70_000_000 + random.below(31) as i64 * 1_000_000,
                };
                let fee = if level == 2 { principal / 50 } else { 0 };
                let plan = schedule(principal + fee, 12, joined + Days::new(30));
                source += 1;
                let loan_id = sqlx::query(
                    "INSERT INTO loans (entrepreneur_id, level, principal_toman, fee_toman, installments, first_due_on, state,
                                        recorded_by, recorded_at, source_chat_id, source_message_id)
                     VALUES (?, ?, ?, ?, 12, ?, 'active', ?, ?, -8, ?)",
                )
                .bind(person_id)
                .bind(i64::from(level))
                .bind(principal)
                .bind(fee)
                .bind(plan.first().map(|i| i.due_on.to_string()).unwrap_or_default())
                .bind(caseworker_ids[0])
                .bind(at(joined, 11).timestamp())
                .bind(source)
                .execute(&mut *tx)
                .await?
                .last_insert_rowid();
                let due_before_end: Vec<NaiveDate> = plan.iter().map(|i| i.due_on).filter(|d| *d < shape.end).collect();
                let unpaid_from =
                    if trouble == 8 { due_before_end.len().saturating_sub(2) } else { due_before_end.len() };
                let mut insert: QueryBuilder<Sqlite> =
                    QueryBuilder::new("INSERT INTO installments (loan_id, number, due_on, amount, paid) ");
                insert.push_values(plan.iter().enumerate(), |mut b, (i, installment)| {
                    let paid = if i < unpaid_from { installment.amount } else { 0 };
                    b.push_bind(loan_id)
                        .push_bind(i64::from(installment.number))
                        .push_bind(installment.due_on.to_string())
                        .push_bind(installment.amount)
                        .push_bind(paid);
                });
                insert.build().execute(&mut *tx).await?;
                sqlx::query("INSERT INTO loan_events (loan_id, state, effective_on, by_person, at, reason) VALUES (?, 'active', ?, ?, ?, 'synthetic')")
                    .bind(loan_id)
                    .bind(joined.to_string())
                    .bind(caseworker_ids[0])
                    .bind(at(joined, 11).timestamp())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        done = upto;
        eprint!("\r{done}/{} entrepreneurs ({}%)", shape.entrepreneurs, done * 100 / shape.entrepreneurs.max(1));
        let _ = std::io::stderr().flush();
    }
    eprintln!();
    Ok(())
}
