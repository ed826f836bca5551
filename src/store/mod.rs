//! SQLite: the only place that knows SQL. Each submodule is one table's worth of queries.

mod checkins;
mod dialogues;
mod invites;
mod loans;
pub mod outbox;
mod people;
mod sales;
mod scan;
mod seen;
mod warnings;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use checkins::CheckinRow;
pub use dialogues::DialogueStore;
pub use invites::NewInvite;
pub use loans::{LoanRow, NewLoan, NewPayment, PaymentRow};
pub use outbox::{NewOutboxMessage, OutboxRow};
pub use people::NewPerson;
pub use sales::{FromSummary, SaleRow, StoreSaleOutcome};
pub use scan::{ScanBatch, ScanInput, ScanLoan};
pub use warnings::{AlertRow, NewAlert, NewNotice, NoticeRow, SCAN_TAKEOVER_AFTER};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("no randomness for an invite code: {0}")]
    Randomness(getrandom::Error),
    #[error("dialogue state cannot be (de)serialised: {0}")]
    State(#[from] serde_json::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The database handle, cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating file and folder if needed) and migrates the database.
    /// WAL lets readers run beside the writer; the busy timeout makes a second writer wait
    /// instead of failing; foreign keys are enforced.
    pub async fn open(database_url: &str) -> StoreResult<Store> {
        let options = SqliteConnectOptions::from_str(database_url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        if let Some(folder) = Path::new(options.get_filename()).parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|source| StoreError::Folder { path: folder.display().to_string(), source })?;
        }
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        let store = Store { pool };
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        sqlx::migrate!("./migrations").run(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
