//! Upgrading a database that is in use: the migrations that rebuild a table keep every row and
//! every reference to it.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Executor, Row};

use pelekan::store::Store;

/// A database as the release before the outbox rebuild (migration 6) left it, in use:
/// a caseworker, an entrepreneur, a delivered notice and its outbox row.
#[tokio::test]
async fn the_outbox_rebuild_keeps_its_rows_and_the_notices_that_refer_to_them() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", folder.path().join("old.db").display());
    let options = SqliteConnectOptions::from_str(&url).unwrap().create_if_missing(true).foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = before.migrations.iter().filter(|m| m.version < 6).cloned().collect::<Vec<_>>().into();
    before.run(&pool).await.unwrap();
    pool.execute(
        "INSERT INTO people (id, telegram_id, role, full_name, caseworker_id, joined_at) VALUES
             (1, 100, 'caseworker', 'مریم', NULL, 0), (2, 200, 'entrepreneur', 'زهرا', 1, 0);
         INSERT INTO outbox (id, chat_id, kind, dedupe_key, text, not_before, status, next_attempt_at, created_at,
                             person_id, telegram_message_id, sent_at)
             VALUES (7, 200, 'notice', 'notice:1', '📜 اخطار رسمی', 0, 'sent', 0, 0, 2, 55, 10);
         INSERT INTO notices (id, entrepreneur_id, caseworker_id, overdue_toman, text, status, created_at, outbox_id)
             VALUES (1, 2, 1, 0, '📜 اخطار رسمی', 'delivered', 0, 7);",
    )
    .await
    .unwrap();
    pool.close().await;

    let store = Store::open(&url).await.expect("the upgrade applies to a database in use");
    let row = sqlx::query("SELECT status, telegram_message_id, photo_sent_as, worded FROM outbox WHERE id = 7")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>(0), "sent");
    assert_eq!(row.get::<i64, _>(1), 55);
    assert_eq!(row.get::<String, _>(2), "photo");
    assert_eq!(row.get::<Option<String>, _>(3), None);
    let broken: Vec<(String, i64, String, i64)> =
        sqlx::query_as("PRAGMA foreign_key_check").fetch_all(store.pool()).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    // The notice still refers to its outbox row, and the reference is still enforced.
    let deleted = sqlx::query("DELETE FROM outbox WHERE id = 7").execute(store.pool()).await;
    assert!(deleted.is_err(), "the notice's reference to its outbox row is kept");
    sqlx::query("UPDATE outbox SET status = 'withdrawn' WHERE id = 7").execute(store.pool()).await.unwrap();
}
