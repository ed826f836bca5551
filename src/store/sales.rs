use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::outbox::NewOutboxMessage;
use super::seen::{UpdateKey, commit_unit};
use super::{Store, StoreError, StoreResult};
use crate::domain::report::CompleteSale;

/// What a confirmed summary stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FromSummary {
    /// A sale or a return.
    Sale,
    Payment,
    Loan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreSaleOutcome {
    Stored {
        sale_id: i64,
    },
    /// This summary's «تأیید» had already stored a sale.
    AlreadyStored {
        sale_id: i64,
    },
}

/// A stored sale, for the export.
#[derive(Debug, Clone)]
pub struct SaleRow {
    pub id: i64,
    pub entrepreneur_id: i64,
    pub entrepreneur_name: String,
    pub caseworker_id: Option<i64>,
    pub amount_toman: i64,
    pub item: String,
    pub customer: Option<String>,
    pub sold_on: NaiveDate,
    pub photo_file_id: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

fn sale_from_row(r: &SqliteRow) -> StoreResult<SaleRow> {
    Ok(SaleRow {
        id: r.try_get(0)?,
        entrepreneur_id: r.try_get(1)?,
        entrepreneur_name: r.try_get(2)?,
        caseworker_id: r.try_get(3)?,
        amount_toman: r.try_get(4)?,
        item: r.try_get(5)?,
        customer: r.try_get(6)?,
        sold_on: day(&r.try_get::<String, _>(7)?),
        photo_file_id: r.try_get(8)?,
        recorded_at: DateTime::from_timestamp(r.try_get(9)?, 0).unwrap_or_default(),
    })
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

/// Sale invoices (not returns) sold on `since` or later.
async fn invoice_count(conn: &mut sqlx::SqliteConnection, entrepreneur_id: i64, since: NaiveDate) -> StoreResult<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM sales WHERE entrepreneur_id = ? AND sold_on >= ? AND amount_toman > 0")
        .bind(entrepreneur_id)
        .bind(since.format("%Y-%m-%d").to_string())
        .fetch_one(&mut *conn)
        .await?)
}

/// The sale's row, unless this summary's «تأیید» stored it before.
async fn insert_sale(
    conn: &mut sqlx::SqliteConnection,
    entrepreneur_id: i64,
    sale: &CompleteSale,
    source: (i64, i32),
    now: DateTime<Utc>,
) -> StoreResult<StoreSaleOutcome> {
    let inserted = sqlx::query(
        "INSERT INTO sales (entrepreneur_id, amount_toman, item, customer, sold_on, photo_file_id, photo_sent_as,
                            source_chat_id, source_message_id, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (source_chat_id, source_message_id) DO NOTHING",
    )
    .bind(entrepreneur_id)
    .bind(sale.amount_toman)
    .bind(&sale.item)
    .bind(&sale.customer)
    .bind(sale.day.format("%Y-%m-%d").to_string())
    .bind(sale.photo.as_ref().map(|p| &p.file_id))
    .bind(sale.photo.as_ref().map_or("photo", |p| p.sent_as.as_str()))
    .bind(source.0)
    .bind(source.1)
    .bind(now.timestamp())
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(StoreSaleOutcome::Stored { sale_id: inserted.last_insert_rowid() });
    }
    let sale_id: i64 = sqlx::query_scalar("SELECT id FROM sales WHERE source_chat_id = ? AND source_message_id = ?")
        .bind(source.0)
        .bind(source.1)
        .fetch_one(&mut *conn)
        .await?;
    Ok(StoreSaleOutcome::AlreadyStored { sale_id })
}

impl Store {
    /// Stores a confirmed sale once per summary message, however often it is confirmed.
    pub async fn store_sale(
        &self,
        entrepreneur_id: i64,
        sale: &CompleteSale,
        source: (i64, i32),
        now: DateTime<Utc>,
    ) -> StoreResult<StoreSaleOutcome> {
        let mut conn = self.writer.acquire().await?;
        insert_sale(&mut conn, entrepreneur_id, sale, source, now).await
    }

    /// Stores a confirmed sale or return as one unit of work: the row, the end of the
    /// conversation, and the reply (made from the person's invoice count since `since`, the new
    /// sale counted), in one transaction. A second «تأیید» of the same summary stores nothing
    /// and queues nothing. The reply leaves through the outbox, so a Telegram error after the
    /// commit delays it and never turns into «کارتان انجام نشد».
    #[allow(clippy::too_many_arguments)]
    pub async fn store_sale_with_reply(
        &self,
        update: &UpdateKey,
        entrepreneur_id: i64,
        sale: &CompleteSale,
        source: (i64, i32),
        since: NaiveDate,
        reply: impl FnOnce(i64) -> NewOutboxMessage,
        now: DateTime<Utc>,
    ) -> StoreResult<StoreSaleOutcome> {
        let mut tx = self.begin_unit(Some(update), now).await?;
        let outcome = insert_sale(&mut tx, entrepreneur_id, sale, source, now).await?;
        if matches!(outcome, StoreSaleOutcome::AlreadyStored { .. }) {
            return Ok(outcome);
        }
        let invoices = invoice_count(&mut tx, entrepreneur_id, since).await?;
        super::dialogues::end_conversation(&mut tx, source.0).await?;
        super::outbox::enqueue(&mut tx, &reply(invoices), now).await?;
        commit_unit(tx, Some(update), "store_sale_with_reply").await?;
        Ok(outcome)
    }

    /// What a summary message's «تأیید» already stored, if anything (a second tap says so).
    pub async fn stored_from_summary(&self, chat_id: i64, message_id: i32) -> StoreResult<Option<FromSummary>> {
        let kind: Option<String> = sqlx::query_scalar(
            "SELECT 'sale' FROM sales WHERE source_chat_id = ?1 AND source_message_id = ?2
             UNION ALL SELECT 'payment' FROM payments WHERE source_chat_id = ?1 AND source_message_id = ?2
             UNION ALL SELECT 'loan' FROM loans WHERE source_chat_id = ?1 AND source_message_id = ?2
             LIMIT 1",
        )
        .bind(chat_id)
        .bind(message_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(kind.map(|k| match k.as_str() {
            "payment" => FromSummary::Payment,
            "loan" => FromSummary::Loan,
            _ => FromSummary::Sale,
        }))
    }

    /// What this person usually sells for: the median of their last 20 sales (not returns),
    /// once there are at least three.
    pub async fn usual_sale(&self, entrepreneur_id: i64) -> StoreResult<Option<i64>> {
        let mut amounts: Vec<i64> = sqlx::query_scalar(
            "SELECT amount_toman FROM sales WHERE entrepreneur_id = ? AND amount_toman > 0
             ORDER BY sold_on DESC, id DESC LIMIT 20",
        )
        .bind(entrepreneur_id)
        .fetch_all(&self.reader)
        .await?;
        if amounts.len() < 3 {
            return Ok(None);
        }
        amounts.sort_unstable();
        Ok(Some(amounts[amounts.len() / 2]))
    }

    /// Sales invoices (not returns) dated from `since` on.
    pub async fn invoice_count_since(&self, entrepreneur_id: i64, since: NaiveDate) -> StoreResult<i64> {
        let mut conn = self.reader.acquire().await?;
        invoice_count(&mut conn, entrepreneur_id, since).await
    }

    /// The most recently used distinct values of a column, newest first (for buttons).
    async fn recent_distinct(&self, entrepreneur_id: i64, column: &str, limit: i64) -> StoreResult<Vec<String>> {
        let query = format!(
            "SELECT {column} AS value FROM sales WHERE entrepreneur_id = ? AND {column} IS NOT NULL
             GROUP BY {column} ORDER BY MAX(id) DESC LIMIT ?"
        );
        let rows = sqlx::query(&query).bind(entrepreneur_id).bind(limit).fetch_all(&self.reader).await?;
        rows.iter().map(|r| Ok(r.try_get("value")?)).collect()
    }

    pub async fn recent_items(&self, entrepreneur_id: i64, limit: i64) -> StoreResult<Vec<String>> {
        self.recent_distinct(entrepreneur_id, "item", limit).await
    }

    pub async fn recent_customers(&self, entrepreneur_id: i64, limit: i64) -> StoreResult<Vec<String>> {
        self.recent_distinct(entrepreneur_id, "customer", limit).await
    }

    /// Every sale, oldest first, handed to `each` as it is read (for the CSV export).
    pub async fn each_sale<E: From<StoreError>>(
        &self,
        mut each: impl FnMut(SaleRow) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = "SELECT s.id, s.entrepreneur_id, p.full_name, p.caseworker_id, s.amount_toman, s.item, s.customer,
                          s.sold_on, s.photo_file_id, s.recorded_at
                   FROM sales s JOIN people p ON p.id = s.entrepreneur_id ORDER BY s.id";
        self.for_each_row(sql, |r| each(sale_from_row(r)?)).await
    }

    /// How many sales rows there are (tests and the demo check nothing was stored twice).
    pub async fn sale_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM sales").fetch_one(&self.reader).await?)
    }
}
