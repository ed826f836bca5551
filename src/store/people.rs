use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::{Store, StoreError, StoreResult};
use crate::domain::people_search::Search;
use crate::domain::person::{Person, Role};

/// Someone about to be added.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub telegram_id: i64,
    pub role: Role,
    pub full_name: String,
    pub phone: Option<String>,
    pub business: Option<String>,
    pub caseworker_id: Option<i64>,
}

const PERSON_COLUMNS: &str = "id, telegram_id, role, full_name, phone, business, caseworker_id, level";

pub(super) fn person_from_row(row: &SqliteRow) -> StoreResult<Person> {
    let role: String = row.try_get("role")?;
    Ok(Person {
        id: row.try_get("id")?,
        telegram_id: row.try_get("telegram_id")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
        full_name: row.try_get("full_name")?,
        phone: row.try_get("phone")?,
        business: row.try_get("business")?,
        caseworker_id: row.try_get("caseworker_id")?,
        level: row.try_get::<i64, _>("level")?.clamp(1, 3) as u8,
    })
}

impl Store {
    pub async fn person_by_telegram_id(&self, telegram_id: i64) -> StoreResult<Option<Person>> {
        let row = sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM people WHERE telegram_id = ?"))
            .bind(telegram_id)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(person_from_row).transpose()
    }

    pub async fn person(&self, id: i64) -> StoreResult<Option<Person>> {
        let row = sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(person_from_row).transpose()
    }

    /// A caseworker's entrepreneurs, by name.
    pub async fn people_of_caseworker(&self, caseworker_id: i64) -> StoreResult<Vec<Person>> {
        let rows =
            sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM people WHERE caseworker_id = ? ORDER BY full_name"))
                .bind(caseworker_id)
                .fetch_all(&self.reader)
                .await?;
        rows.iter().map(person_from_row).collect()
    }

    /// Adds a manager from the command line, or updates the name of an existing one.
    /// Refuses to turn a caseworker or entrepreneur into a manager silently.
    pub async fn add_manager(&self, telegram_id: i64, full_name: &str, now: DateTime<Utc>) -> StoreResult<Person> {
        if let Some(existing) = self.person_by_telegram_id(telegram_id).await? {
            if existing.role != Role::Manager {
                return Err(StoreError::Corrupt(format!(
                    "Telegram user {telegram_id} is already registered as {}",
                    existing.role.as_str()
                )));
            }
            sqlx::query("UPDATE people SET full_name = ? WHERE id = ?")
                .bind(full_name)
                .bind(existing.id)
                .execute(&self.writer)
                .await?;
        } else {
            sqlx::query("INSERT INTO people (telegram_id, role, full_name, joined_at) VALUES (?, 'manager', ?, ?)")
                .bind(telegram_id)
                .bind(full_name)
                .bind(now.timestamp())
                .execute(&self.writer)
                .await?;
        }
        self.person_by_telegram_id(telegram_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("manager vanished after insert".into()))
    }

    /// Every person with when they joined, handed to `each` as it is read (for the CSV export).
    pub async fn each_person<E: From<StoreError>>(
        &self,
        mut each: impl FnMut((Person, DateTime<Utc>)) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = format!("SELECT {PERSON_COLUMNS}, joined_at FROM people ORDER BY id");
        self.for_each_row(&sql, |row| {
            let joined: i64 = row.try_get("joined_at").map_err(StoreError::from)?;
            each((person_from_row(row)?, DateTime::from_timestamp(joined, 0).unwrap_or_default()))
        })
        .await
    }
}

impl Store {
    /// The programme's managers, who are told what no caseworker can be.
    pub async fn managers(&self) -> StoreResult<Vec<Person>> {
        let rows = sqlx::query(&format!("SELECT {PERSON_COLUMNS} FROM people WHERE role = 'manager' ORDER BY id"))
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(person_from_row).collect()
    }

    /// One page of the entrepreneurs a caseworker looks after (everyone's, for `None`), by
    /// name, that match `search`, each with their invoices since `since`; and how many match in
    /// all. Two queries, whatever the number of people.
    pub async fn people_page(
        &self,
        caseworker: Option<i64>,
        search: Option<&Search>,
        since: NaiveDate,
        offset: i64,
        limit: i64,
    ) -> StoreResult<PeoplePage> {
        // Names and kinds of work are compared folded as the search is (half-spaces as
        // spaces, Arabic letters as Persian ones): a name stored as «فاطمة» is found by
        // «فاطمه» and by «فاطمة» alike.
        macro_rules! folded {
            ($column:literal) => {
                concat!(
                    "REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(",
                    $column,
                    ", char(8204), ' '), 'ي', 'ی'), 'ى', 'ی'), 'ك', 'ک'), 'ھ', 'ه'), 'ة', 'ه')"
                )
            };
        }
        const MATCHES: &str = concat!(
            "role = 'entrepreneur' AND (?1 IS NULL OR caseworker_id = ?1) AND (?2 IS NULL OR ",
            folded!("full_name"),
            " LIKE ?2 ESCAPE '\\' OR ",
            folded!("COALESCE(business, '')"),
            " LIKE ?2 ESCAPE '\\' OR ",
            folded!("full_name"),
            " LIKE ?4 ESCAPE '\\' OR ",
            folded!("COALESCE(business, '')"),
            " LIKE ?4 ESCAPE '\\' OR (?3 IS NOT NULL AND phone LIKE ?3 ESCAPE '\\'))"
        );
        let like = |s: &str| format!("%{}%", s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let text = search.map(|s| like(&s.text));
        let phone = search.and_then(|s| s.phone_digits.as_deref()).map(like);
        let ascii = search.and_then(|s| s.text_ascii_digits.as_deref()).map(like);
        let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM people WHERE {MATCHES}"))
            .bind(caseworker)
            .bind(&text)
            .bind(&phone)
            .bind(&ascii)
            .fetch_one(&self.reader)
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT {PERSON_COLUMNS},
                    (SELECT COUNT(*) FROM sales s WHERE s.entrepreneur_id = people.id AND s.sold_on >= ?5
                     AND s.amount_toman > 0) AS invoices
             FROM people WHERE {MATCHES} ORDER BY full_name, id LIMIT ?6 OFFSET ?7"
        ))
        .bind(caseworker)
        .bind(&text)
        .bind(&phone)
        .bind(&ascii)
        .bind(since.format("%Y-%m-%d").to_string())
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.reader)
        .await?;
        let people = rows
            .iter()
            .map(|row| Ok((person_from_row(row)?, row.try_get("invoices")?)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(PeoplePage { total, people })
    }
}

/// A page of a list of people.
#[derive(Debug, Clone)]
pub struct PeoplePage {
    /// How many people match, on every page.
    pub total: i64,
    /// This page's people, each with their invoices in the window.
    pub people: Vec<(Person, i64)>,
}
