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
pub use invites::NewInvite;
pub use loans::{LoanRow, NewLoan, NewPayment, PaymentRow};
pub use outbox::{Edit, NewOutboxMessage, OutboxRow};
pub use people::{NewPerson, PeoplePage};
pub use sales::{FromSummary, SaleRow, StoreSaleOutcome};
pub use scan::{ScanBatch, ScanInput, ScanLoan};
pub use seen::UpdateKey;
pub use warnings::{AlertRow, NewAlert, NewNotice, NoticeRow, SCAN_TAKEOVER_AFTER};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("cannot make the database {path} readable by its owner only: {source}")]
    Permissions { path: String, source: std::io::Error },
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("no randomness for an invite code: {0}")]
    Randomness(getrandom::Error),
    #[error("update {key} from chat {chat_id} was already handled")]
    AlreadyHandled { chat_id: i64, key: String },
    #[error("dialogue state cannot be (de)serialised: {0}")]
    State(#[from] serde_json::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The database handle, cheap to clone.
/// Creates a folder (and its parents) readable by its owner only; an existing folder is left
/// as its owner set it.
fn create_private_folder(folder: &Path) -> std::io::Result<()> {
    if folder.exists() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(folder)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(folder)
}

/// The database file, created if missing, and its WAL and shared-memory files if there, made
/// readable and writable by their owner only (SQLite gives the files it creates later the
/// database file's mode).
fn make_private(file: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(file)?;
        for suffix in ["", "-wal", "-shm"] {
            let path = format!("{}{suffix}", file.display());
            let Ok(metadata) = std::fs::metadata(&path) else { continue };
            // Readable by others: made private. (A mode the owner chose that others cannot
            // read, such as 0640 for a backup group, is left as it is.)
            if metadata.permissions().mode() & 0o004 != 0 {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Connections that only read, beside the one writer.
const READERS: u32 = 4;

#[derive(Clone, Debug)]
pub struct Store {
    writer: SqlitePool,
    reader: SqlitePool,
}

impl Store {
    /// Opens (creating file and folder if needed) and migrates the database.
    /// WAL lets readers run beside the writer; the busy timeout makes a second writer wait
    /// instead of failing; foreign keys are enforced. The database holds names and phone
    /// numbers: a folder it creates, the file and its WAL and shared-memory files are readable
    /// by their owner only.
    pub async fn open(database_url: &str) -> StoreResult<Store> {
        let options = SqliteConnectOptions::from_str(database_url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let file = Path::new(options.get_filename());
        if let Some(folder) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_folder(folder)
                .map_err(|source| StoreError::Folder { path: folder.display().to_string(), source })?;
        }
        // (An in-memory database has no file: sqlx names it «file:sqlx-in-memory-…».)
        let in_memory = database_url.contains(":memory:") || database_url.contains("mode=memory");
        if !in_memory && !file.as_os_str().is_empty() {
            make_private(file)
                .map_err(|source| StoreError::Permissions { path: file.display().to_string(), source })?;
        }
        // One writer: commits queue for its connection in this process instead of sleeping in
        // SQLite's busy handler, and `BEGIN IMMEDIATE` ([`Store::begin`]) takes the write lock
        // up front, so a transaction that reads and then writes cannot fail with
        // SQLITE_BUSY_SNAPSHOT. (The busy timeout remains for another process, such as
        // `pelekan scan` beside `pelekan run`.) Readers run beside it in WAL mode, on
        // connections that refuse to write, so that a write sent to them fails loudly.
        let writer = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
        let store = Store { reader: writer.clone(), writer };
        store.migrate().await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(READERS)
            // A connection to a local file does not go stale; the check would cost a round trip
            // per query.
            .test_before_acquire(false)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Store { reader, ..store })
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        sqlx::migrate!("./migrations").run(&self.writer).await?;
        Ok(())
    }

    /// A write transaction that holds SQLite's write lock from its first statement.
    pub(crate) async fn begin(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.writer.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// The writing connection, for the tests' and the synthetic programme's own statements.
    pub fn pool(&self) -> &SqlitePool {
        &self.writer
    }

    #[cfg(test)]
    pub(crate) fn reader(&self) -> &SqlitePool {
        &self.reader
    }

    /// Hands `each` every row of `sql` as SQLite reads it (sqlx's `fetch`, through a bounded
    /// channel), so that an export of millions of rows never holds them all.
    async fn for_each_row<E: From<StoreError>>(
        &self,
        sql: &str,
        mut each: impl FnMut(&sqlx::sqlite::SqliteRow) -> Result<(), E>,
    ) -> Result<(), E> {
        use futures_util::TryStreamExt;
        let mut rows = sqlx::query(sql).fetch(&self.reader);
        while let Some(row) = rows.try_next().await.map_err(StoreError::from)? {
            each(&row)?;
        }
        Ok(())
    }

    /// Closes every connection, the readers first, so that the writer, closing last,
    /// checkpoints and removes the WAL.
    pub async fn close(&self) {
        close_every_connection(&self.reader).await;
        close_every_connection(&self.writer).await;
    }
}

/// sqlx 0.8's `Pool::close` can return with a connection still open: one on its way back to
/// the pool when `close` ran lands among the idle ones after `close` last looked there
/// (launchbadge/sqlx#3217, still so in 0.8.6; `closing_right_after_a_query_leaves_no_connection_open`
/// fails without this). Closing again closes it; a connection still checked out past the
/// deadline is left to close when it is returned.
async fn close_every_connection(pool: &SqlitePool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        pool.close().await;
        if pool.size() == 0 || tokio::time::Instant::now() >= deadline {
            return;
        }
        // The returning connection is in a task of its own: give it a moment to land.
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &str) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        std::env::temp_dir().join(format!("pelekan-{name}-{}-{nanos}", std::process::id()))
    }

    /// Transactions that read and then write, many at once: with several writing connections
    /// and a deferred BEGIN, some fail with SQLITE_BUSY_SNAPSHOT (or wait in the busy handler);
    /// with one writer and BEGIN IMMEDIATE every one commits.
    #[tokio::test]
    async fn concurrent_read_then_write_transactions_all_commit() {
        let root = scratch("writers");
        let store = Store::open(&format!("sqlite://{}", root.join("p.db").display())).await.unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..64i64 {
            let store = store.clone();
            tasks.spawn(async move {
                let mut tx = store.begin().await?;
                let seen: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM seen_updates").fetch_one(&mut *tx).await?;
                sqlx::query("INSERT INTO seen_updates (chat_id, key, seen_at) VALUES (?, ?, ?)")
                    .bind(i)
                    .bind(format!("k{seen}"))
                    .bind(0)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok::<_, StoreError>(())
            });
        }
        while let Some(result) = tasks.join_next().await {
            result.unwrap().unwrap();
        }
        let rows: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM seen_updates").fetch_one(store.reader()).await.unwrap();
        assert_eq!(rows, 64);
        store.close().await;
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// Closing right after a query (the connection still on its way back to the pool) closes
    /// every connection: the writer, last to close, checkpoints and removes the WAL. A
    /// connection left open would keep SQLite's shared memory of the file alive in this
    /// process, and a database copied over the same file later would be read through it.
    #[tokio::test]
    async fn closing_right_after_a_query_leaves_no_connection_open() {
        let root = scratch("close");
        let file = root.join("p.db");
        for round in 0..30 {
            let store = Store::open(&format!("sqlite://{}", file.display())).await.unwrap();
            store.add_manager(round, "مدیر", chrono::Utc::now()).await.unwrap();
            let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people").fetch_one(store.pool()).await.unwrap();
            let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people").fetch_one(store.reader()).await.unwrap();
            store.close().await;
            assert_eq!((store.writer.size(), store.reader.size()), (0, 0), "round {round}: connections left open");
            assert!(!root.join("p.db-wal").exists(), "round {round}: the WAL is still there");
        }
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// Old seen updates are forgotten however many there are (a batch at a time), the recent
    /// ones kept.
    #[tokio::test]
    async fn seen_updates_are_forgotten_in_batches_and_the_recent_kept() {
        let root = scratch("forget");
        let store = Store::open(&format!("sqlite://{}", root.join("p.db").display())).await.unwrap();
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4510)
             INSERT INTO seen_updates (chat_id, key, seen_at) SELECT i, 'k' || i, CASE WHEN i <= 4500 THEN ? ELSE ? END FROM n",
        )
        .bind(now.timestamp() - 8 * 86_400)
        .bind(now.timestamp())
        .execute(store.pool())
        .await
        .unwrap();
        assert_eq!(store.forget_seen_before(now, chrono::Duration::days(7)).await.unwrap(), 4500);
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM seen_updates").fetch_one(store.reader()).await.unwrap();
        assert_eq!(left, 10);
        store.close().await;
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[tokio::test]
    async fn the_readers_refuse_to_write() {
        let root = scratch("readers");
        let store = Store::open(&format!("sqlite://{}", root.join("p.db").display())).await.unwrap();
        let write = sqlx::query("DELETE FROM seen_updates").execute(store.reader()).await;
        assert!(write.is_err(), "a write sent to a reader must fail loudly");
        store.close().await;
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[tokio::test]
    async fn the_database_and_its_folder_are_readable_by_their_owner_only() {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
        let root = std::env::temp_dir().join(format!("pelekan-perms-{}-{nanos}", std::process::id()));
        let file = root.join("data").join("pelekan.db");
        let store = Store::open(&format!("sqlite://{}", file.display())).await.unwrap();
        // A write, so that the WAL and shared-memory files exist.
        store.add_manager(1, "مدیر", chrono::Utc::now()).await.unwrap();
        let file = file.display().to_string();
        assert_eq!(mode(&root.join("data").display().to_string()), 0o700);
        for path in [file.clone(), format!("{file}-wal"), format!("{file}-shm")] {
            assert_eq!(mode(&path), 0o600, "{path}");
        }
        store.close().await;
        // An existing database made readable by all is made private again when opened.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let store = Store::open(&format!("sqlite://{file}")).await.unwrap();
        assert_eq!(mode(&file), 0o600);
        store.close().await;
        std::fs::remove_dir_all(&root).unwrap();
    }
}
