//! Crash safety: `pelekan run` is killed with SIGKILL at random moments while fifty
//! entrepreneurs report and confirm sales, and restarted each time; the people wait for an
//! answer, as people do. Every sale the bot acknowledged is stored exactly once, nothing else
//! is stored, nobody is left in a broken conversation, and nobody had to say anything twice.

use std::sync::Arc;
use std::time::Duration;

use pelekan::bot::State;
use pelekan::fake_telegram::FakeUser;
use pelekan::fake_telegram::users::{SaleReported, SaleReporter};
use pelekan::random::SplitMix64;
use sqlx::Row;

use crate::harness::{Harness, RunningBot, user};

const PEOPLE: i64 = 50;
const SALES_EACH: i64 = 3;
const KILLS: usize = 6;
/// How long a person waits for an answer they have no reason to think lost (a busy bot answers
/// late, not never).
const SLOW_BOT_PATIENCE: Duration = Duration::from_secs(60);

fn amount(person: i64, sale: i64) -> i64 {
    100_000 + person * 1_000 + sale
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_sale_is_stored_once_when_the_bot_is_killed_at_random_moments() {
    let seed: u64 = std::env::var("PELEKAN_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    });
    println!("kill moments from PELEKAN_CRASH_SEED={seed}");
    let h = Harness::without_bot().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let people: Vec<FakeUser> = (0..PEOPLE).map(|i| user(30_000 + i, "کارآفرین", "آزمون")).collect();
    for person in &people {
        h.entrepreneur(person, &caseworker).await;
    }

    let tr = Arc::new(pelekan::i18n::Tr::persian().unwrap());
    let mut kills = 0;
    let mut bot = RunningBot::spawn(&h.telegram, &h.config.database_url, None);
    let mut reporting = tokio::task::JoinSet::new();
    for (i, person) in people.iter().enumerate() {
        let (telegram, tr, person) = (h.telegram.clone(), tr.clone(), person.clone());
        reporting.spawn(async move {
            // A person repeats at once what a killed process took with it; a bot that is only
            // slow is waited for.
            let reporter = SaleReporter::new(&telegram, &tr, person.clone(), SLOW_BOT_PATIENCE).surviving();
            let mut acknowledged: Vec<(i64, SaleReported)> = Vec::new();
            for sale in 0..SALES_EACH {
                let amount = amount(i as i64, sale);
                acknowledged.push((amount, reporter.report(amount, 200).await?));
            }
            Ok::<_, String>((person.id, acknowledged))
        });
    }

    // Kill the bot after a random number of requests, again and again, while people report.
    let mut random = SplitMix64::new(seed);
    for _ in 0..KILLS {
        let from = h.telegram.request_count();
        // Spread over the burst (about 2,700 requests when nothing is repeated).
        let after = 20 + random.below(400) as usize;
        let busy =
            h.telegram.wait_for(Duration::from_secs(30), |t| (t.request_count() >= from + after).then_some(())).await;
        if busy.is_none() || reporting.is_empty() {
            break;
        }
        drop(bot);
        kills += 1;
        bot = RunningBot::spawn(&h.telegram, &h.config.database_url, None);
    }
    let mut acknowledged = Vec::new();
    while let Some(done) = reporting.join_next().await {
        acknowledged.push(done.expect("a reporter task").unwrap_or_else(|e| panic!("seed {seed}: {e}")));
    }
    drop(bot);

    // Every acknowledged sale is stored, once, from the summary that was confirmed.
    for (chat, sales) in &acknowledged {
        for (amount, reported) in sales {
            let rows = sqlx::query("SELECT amount_toman FROM sales WHERE source_chat_id = ? AND source_message_id = ?")
                .bind(chat)
                .bind(reported.summary_message)
                .fetch_all(h.store.pool())
                .await
                .unwrap();
            assert_eq!(rows.len(), 1, "seed {seed}: the sale of {amount} by chat {chat} is stored once");
            assert_eq!(rows[0].get::<i64, _>(0), *amount, "seed {seed}");
        }
    }
    // And nothing else: one row per acknowledged sale, no amount twice.
    let stored: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT p.telegram_id, s.amount_toman FROM sales s JOIN people p ON p.id = s.entrepreneur_id ORDER BY 1, 2",
    )
    .fetch_all(h.store.pool())
    .await
    .unwrap();
    let mut expected: Vec<(i64, i64)> =
        acknowledged.iter().flat_map(|(chat, sales)| sales.iter().map(|(a, _)| (*chat, *a))).collect();
    expected.sort();
    assert_eq!(stored, expected, "seed {seed}: exactly the acknowledged sales are stored");

    // Nobody is left mid-conversation: every finished report ended at the menu.
    let left: Vec<(i64, String)> =
        sqlx::query_as("SELECT chat_id, state FROM dialogues").fetch_all(h.store.pool()).await.unwrap();
    for (chat, state) in &left {
        let parsed: State = serde_json::from_str(state).unwrap_or_else(|e| panic!("chat {chat}: broken state {e}"));
        assert_eq!(parsed, State::Idle, "seed {seed}: chat {chat} was left in {parsed:?}");
    }
    let repeats: usize = acknowledged.iter().flat_map(|(_, s)| s.iter().map(|(_, r)| r.repeats)).sum();
    println!(
        "{} kills; {} sales acknowledged and stored once; people repeated themselves {repeats} times",
        kills,
        expected.len()
    );
    assert!(kills >= 3, "seed {seed}: the bot was killed only {kills} times while people reported");
    // Nothing a killed bot had taken was lost: the restarted one answered it (from the inbox,
    // or the outbox), so nobody had to say anything twice.
    assert_eq!(repeats, 0, "seed {seed}: people had to repeat themselves");
    assert!(h.telegram.violations().is_empty(), "{:?}", h.telegram.violations());
}
