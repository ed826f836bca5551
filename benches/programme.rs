//! Pelekan at programme scale (issue 5). Each benchmark prints its figures next to a baseline
//! measured in the same run, and the ratio the target is stated in:
//!
//! - B1 messages: simulated entrepreneurs report sales through the full dialogue to
//!   `pelekan run`; baselines: a bare teloxide echo bot answering as many updates, and the
//!   same dialogue written as teloxide's examples are (`bots/idiomatic.rs`). Each bot runs in a
//!   process of its own; the fake Bot API and the simulated people run in this one.
//! - B2 scan: the daily scan over synthetic programmes of 20,000 and 200,000 people × 12
//!   months; baseline: one indexed SQL aggregate over the same rows (90-day sales per person).
//! - B3 delivery: outbox messages to distinct chats against a fake server that enforces
//!   Telegram's flood limits (30 a second overall, 1 a second per chat) with 429s.
//! - B4 memory: peak resident memory of `pelekan run` idle on the 200,000-person database and
//!   while it runs the daily scan, of `pelekan scan` alone, and of `pelekan export sales`.
//!
//! `cargo bench --bench programme [-- b1 b2 b3 b4]` runs them at full size; the synthetic
//! databases are made once and kept in `target/bench-data` (or `PELEKAN_BENCH_DATA`).
//! `cargo test` runs the same code at a tiny size, so that the benchmarks keep working.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Asia::Tehran;
use pelekan::bot::{Launch, start};
use pelekan::clock::Clock;
use pelekan::config::Config;
use pelekan::domain::person::Role;
use pelekan::fake_telegram::users::SaleReporter;
use pelekan::fake_telegram::{FakeTelegram, FakeUser};
use pelekan::i18n::Tr;
use pelekan::schedule::scan;
use pelekan::store::{NewInvite, NewOutboxMessage, NewPerson, Store};
use pelekan::synthetic::{Shape, seed};
use teloxide::prelude::*;

#[path = "bots/idiomatic.rs"]
mod idiomatic;

/// The last day of every synthetic history (fixed, so cached databases stay valid).
const END: (i32, u32, u32) = (2026, 11, 20);

struct Sizes {
    /// (simulated users at once, sales each): the second row has enough users that the
    /// limiter's waits no longer bound the rate, to show the cost of the work itself.
    b1_rounds: [(usize, usize); 2],
    b2_programmes: [(u64, u32); 2],
    b3_messages: usize,
    b4_idle: Duration,
    data: PathBuf,
}

impl Sizes {
    fn full() -> Sizes {
        Sizes {
            b1_rounds: [(200, 5), (1_000, 1)],
            b2_programmes: [(20_000, 12), (200_000, 12)],
            b3_messages: 600,
            b4_idle: Duration::from_secs(15),
            data: std::env::var_os("PELEKAN_BENCH_DATA")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data")),
        }
    }

    fn smoke(scratch: &Path) -> Sizes {
        Sizes {
            b1_rounds: [(4, 1), (8, 1)],
            b2_programmes: [(100, 2), (1_000, 2)],
            b3_messages: 40,
            b4_idle: Duration::from_secs(1),
            data: scratch.to_path_buf(),
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if let Ok(which) = std::env::var(BASELINE_BOT) {
        return serve_baseline(&which).await;
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes --bench; `cargo test` passes nothing: then a smoke run.
    let full = args.iter().any(|a| a == "--bench");
    let chosen: Vec<&str> = args.iter().map(String::as_str).filter(|a| a.starts_with('b')).collect();
    let wanted = |name: &str| chosen.is_empty() || chosen.contains(&name);
    let scratch = tempfile::tempdir()?;
    let sizes = if full { Sizes::full() } else { Sizes::smoke(scratch.path()) };
    std::fs::create_dir_all(&sizes.data)?;
    println!("Pelekan benchmarks ({}), {}", if full { "full size" } else { "smoke run" }, machine());
    if wanted("b1") {
        b1_messages(&sizes, scratch.path()).await?;
    }
    if wanted("b2") {
        b2_scan(&sizes, scratch.path()).await?;
    }
    if wanted("b3") {
        b3_delivery(&sizes, scratch.path()).await?;
    }
    if wanted("b4") {
        b4_memory(&sizes, scratch.path()).await?;
    }
    if wanted("b5") {
        b5_replies_during_bulk(full, scratch.path()).await?;
    }
    Ok(())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cores} × {cpu}")
}

// ---- measuring ----

/// Resident memory of a process from /proc (Linux): (now, peak) in MiB.
fn memory_of(pid: &str) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Starts a new peak-memory measurement of this process (Linux: resets VmHWM).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

// ---- B1: sale dialogues against two baselines, each bot in a process of its own ----

/// Set in the environment of a baseline bot's process: this bench binary started again as that
/// bot (`echo` or `idiomatic`). Every bot B1 measures runs in a process of its own, apart from
/// the harness (the fake server and the simulated people), so that the harness's work is not
/// counted as the bot's.
const BASELINE_BOT: &str = "PELEKAN_BENCH_BOT";
/// The idiomatic bot's SQLite file.
const BASELINE_DATABASE: &str = "PELEKAN_BENCH_DATABASE";

/// Runs a baseline bot against `TELOXIDE_API_URL` until the process is stopped.
async fn serve_baseline(which: &str) -> anyhow::Result<()> {
    // teloxide's and sqlx's logs (errors of handlers included) on stderr, filtered by RUST_LOG.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    // The harness holds this process's stdin open: when it ends, however it ends, so does this bot.
    std::thread::spawn(|| {
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new());
        std::process::exit(0)
    });
    let api: url::Url = std::env::var("TELOXIDE_API_URL")?.parse()?;
    let bot = Bot::new("123456:BENCH").set_api_url(api);
    match which {
        "echo" => {
            let echo = Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
                bot.send_message(msg.chat.id, msg.text().unwrap_or("…")).await?;
                respond(())
            });
            Dispatcher::builder(bot, echo).build().dispatch().await;
            Ok(())
        }
        "idiomatic" => idiomatic::run(bot, &std::env::var(BASELINE_DATABASE)?).await,
        other => anyhow::bail!("{BASELINE_BOT}={other:?}: no such baseline bot"),
    }
}

/// CPU time a process has used so far, all its threads, user and system (Linux /proc; in
/// USER_HZ ticks, 100 a second).
fn cpu_of(pid: &str) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name, which is in parentheses: utime and stime are the 12th and 13th.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}

/// A bot under test, started as a child process against the harness's fake server.
struct BotProcess {
    child: tokio::process::Child,
    pid: String,
}

impl BotProcess {
    /// Starts it and waits until it asks for updates.
    async fn start(mut command: tokio::process::Command, telegram: &FakeTelegram) -> anyhow::Result<BotProcess> {
        let child =
            command.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::inherit()).kill_on_drop(true).spawn()?;
        let pid = child.id().map(|p| p.to_string()).unwrap_or_default();
        let polling = telegram.wait_for(Duration::from_secs(60), |t| (t.polls_started() > 0).then_some(())).await;
        anyhow::ensure!(polling.is_some(), "B1: the bot under test did not start polling");
        Ok(BotProcess { child, pid })
    }

    fn cpu(&self) -> Duration {
        cpu_of(&self.pid)
    }

    async fn stop(mut self) -> anyhow::Result<()> {
        stop(&mut self.child).await
    }
}

fn baseline_command(which: &str, telegram: &FakeTelegram) -> anyhow::Result<tokio::process::Command> {
    let mut command = tokio::process::Command::new(std::env::current_exe()?);
    command
        .env(BASELINE_BOT, which)
        .env("TELOXIDE_API_URL", telegram.url().as_str())
        // sqlx's warnings of slow statements and acquires left out: the idiomatic bot's writers queue for the file.
        .env("RUST_LOG", std::env::var("PELEKAN_BENCH_LOG").unwrap_or_else(|_| "warn,sqlx=error".into()));
    Ok(command)
}

struct Throughput {
    updates: usize,
    /// From the first update sent to the last reply seen.
    elapsed: Duration,
    replies: Vec<Duration>,
    /// CPU used in that time by the bot's process, and by the harness's (this one).
    bot_cpu: Duration,
    harness_cpu: Duration,
    /// Requests the fake server refused as Telegram may refuse a correct bot's (for B1: an
    /// answer to a button press given too late).
    refused: usize,
}

impl Throughput {
    fn per_second(&self) -> f64 {
        self.updates as f64 / self.elapsed.as_secs_f64()
    }

    fn p99(&self) -> Duration {
        let mut sorted = self.replies.clone();
        sorted.sort();
        percentile(&sorted, 0.99)
    }

    fn line(&self, name: &str) -> String {
        let mut sorted = self.replies.clone();
        sorted.sort();
        let per_update = |cpu: Duration| cpu.as_secs_f64() * 1e6 / self.updates as f64;
        format!(
            "    {name:<24} {:>6} updates in {:>6.2} s = {:>7.1} updates/s; reply time p50 {}, p99 {}; CPU per update: bot {:.0} µs, harness {:.0} µs",
            self.updates,
            self.elapsed.as_secs_f64(),
            self.per_second(),
            ms(percentile(&sorted, 0.50)),
            ms(percentile(&sorted, 0.99)),
            per_update(self.bot_cpu),
            per_update(self.harness_cpu),
        ) + &if self.refused > 0 {
            format!("; {} requests refused under Telegram's rules", self.refused)
        } else {
            String::new()
        }
    }
}

fn test_bot(telegram: &FakeTelegram) -> Bot {
    Bot::new("123456:BENCH").set_api_url(telegram.url())
}

/// The bot as `pelekan run` starts it, against the fake server (no Ctrl-C, no scheduler ticks).
fn launch(telegram: &FakeTelegram, store: &Store, config: Config) -> Launch {
    Launch {
        bot: test_bot(telegram),
        store: store.clone(),
        config,
        clock: Clock::System,
        polling_timeout: Duration::from_secs(10),
        handle_ctrl_c: false,
        tick_every: None,
    }
}

async fn register(store: &Store, role: Role, telegram_id: i64, caseworker_id: Option<i64>) -> anyhow::Result<i64> {
    let now = Utc::now();
    let invite = NewInvite::random(role, caseworker_id, None, now, 7)?;
    store.create_invite(None, &invite, None, now).await?;
    let person = NewPerson {
        telegram_id,
        role,
        full_name: format!("کاربر {telegram_id}"),
        phone: None,
        business: None,
        caseworker_id,
    };
    let joined = store.join_with_invite(None, &invite.code, &person, None, None, now).await?;
    Ok(joined.map(|p| p.id).unwrap_or_default())
}

async fn b1_messages(sizes: &Sizes, scratch: &Path) -> anyhow::Result<()> {
    println!(
        "\nB1 messages: simulated entrepreneurs report sales through the whole dialogue; each bot in a process of its own"
    );
    for (round, (users, sales_each)) in sizes.b1_rounds.into_iter().enumerate() {
        println!("  {users} users at once × {sales_each} sales each:");
        let echo = b1_echo(users, sales_each * UPDATES_PER_SALE).await?;
        println!("{}", echo.line("echo bot (baseline)"));
        let idiomatic = b1_idiomatic(users, sales_each, &scratch.join(format!("b1-idiomatic-{round}.db"))).await?;
        println!("{}", idiomatic.line("idiomatic teloxide bot"));
        let ours = b1_pelekan(users, sales_each, &scratch.join(format!("b1-{round}.db"))).await?;
        println!("{}", ours.line("Pelekan sale dialogue"));
        println!(
            "    Pelekan: {:.2} of the echo bot's rate (target ≥ 0.35), {:.2}× the idiomatic bot's (target ≥ 1.5); reply p99 {} (target ≤ 50 ms at 200 people)",
            ours.per_second() / echo.per_second(),
            ours.per_second() / idiomatic.per_second(),
            ms(ours.p99())
        );
    }
    Ok(())
}

/// Updates in one sale: «/sale», amount, item, customer, day, photo, «تأیید».
const UPDATES_PER_SALE: usize = 7;
const PATIENCE: Duration = Duration::from_secs(30);

/// The first baseline: a bare echo bot, each user sending `updates` texts and waiting for each echo.
async fn b1_echo(users: usize, updates: usize) -> anyhow::Result<Throughput> {
    let telegram = FakeTelegram::start(None).await?;
    let echo = BotProcess::start(baseline_command("echo", &telegram)?, &telegram).await?;
    let (bot_cpu, harness_cpu) = (echo.cpu(), cpu_of("self"));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..users {
        let telegram = telegram.clone();
        tasks.spawn(async move {
            let user = FakeUser::new(5_000_000 + n as i64, "کاربر", None);
            let mut replies = Vec::with_capacity(updates);
            for i in 0..updates {
                let seen = telegram.sent_count(user.id);
                let sent = Instant::now();
                telegram.send_text(&user, &format!("پیام {i}"));
                telegram.wait_for(PATIENCE, |t| (t.sent_count(user.id) > seen).then_some(())).await;
                replies.push(sent.elapsed());
            }
            replies
        });
    }
    let mut replies = Vec::new();
    while let Some(done) = tasks.join_next().await {
        replies.extend(done?);
    }
    let elapsed = started.elapsed();
    let run = Throughput {
        updates: replies.len(),
        elapsed,
        replies,
        bot_cpu: echo.cpu() - bot_cpu,
        harness_cpu: cpu_of("self") - harness_cpu,
        refused: telegram.refusals().len(),
    };
    echo.stop().await?;
    Ok(run)
}

/// Each of `users` simulated entrepreneurs (Telegram ids from 5,000,000) reports `sales_each`
/// sales through the whole dialogue with the bot in `bot`'s process.
async fn report_sales(
    telegram: &FakeTelegram,
    bot: &BotProcess,
    users: usize,
    sales_each: usize,
) -> anyhow::Result<Throughput> {
    let tr = Arc::new(Tr::persian()?);
    let (bot_cpu, harness_cpu) = (bot.cpu(), cpu_of("self"));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..users {
        let (telegram, tr) = (telegram.clone(), tr.clone());
        tasks.spawn(async move {
            let user = FakeUser::new(5_000_000 + n as i64, "کاربر", None);
            let reporter = SaleReporter::new(&telegram, &tr, user, PATIENCE);
            let (mut replies, mut last) = (Vec::new(), started);
            for i in 0..sales_each {
                // A lost answer fails the run within a minute (the person would say it again after
                // PATIENCE, up to 40 times).
                let sale = tokio::time::timeout(2 * PATIENCE, reporter.report(100_000 + i as i64 * 1000, 40))
                    .await
                    .map_err(|_| anyhow::anyhow!("user {} got no answer within {PATIENCE:?}", reporter.user().id))?
                    .map_err(anyhow::Error::msg)?;
                anyhow::ensure!(sale.repeats == 0, "user {} waited {PATIENCE:?} for an answer", reporter.user().id);
                replies.extend(sale.reply_times);
                last = sale.acknowledged_at;
            }
            Ok((replies, last))
        });
    }
    let (mut replies, mut last) = (Vec::new(), started);
    while let Some(done) = tasks.join_next().await {
        let (times, acknowledged) = done??;
        replies.extend(times);
        last = last.max(acknowledged);
    }
    // The simulated people read for a moment after each acknowledgement (`read_to_the_end`):
    // the run ends at the last acknowledgement, not after the last reading.
    let (bot_cpu, harness_cpu) = (bot.cpu() - bot_cpu, cpu_of("self") - harness_cpu);
    no_violations("B1", telegram)?;
    let refused = telegram.refusals().len();
    Ok(Throughput { updates: replies.len(), elapsed: last - started, replies, bot_cpu, harness_cpu, refused })
}

/// The second baseline: the same dialogue as teloxide's examples would write it
/// (`benches/bots/idiomatic.rs`).
async fn b1_idiomatic(users: usize, sales_each: usize, database: &Path) -> anyhow::Result<Throughput> {
    let telegram = FakeTelegram::start(None).await?;
    for n in 0..users {
        telegram.user_started(5_000_000 + n as i64);
    }
    let mut command = baseline_command("idiomatic", &telegram)?;
    command.env(BASELINE_DATABASE, database);
    let bot = BotProcess::start(command, &telegram).await?;
    let run = report_sales(&telegram, &bot, users, sales_each).await?;
    bot.stop().await?;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", database.display())).await?;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sales").fetch_one(&pool).await?;
    pool.close().await;
    anyhow::ensure!(
        stored as usize == users * sales_each,
        "B1 idiomatic stored {stored} sales, expected {}",
        users * sales_each
    );
    Ok(run)
}

/// Pelekan: `pelekan run`, the real dispatcher, dialogues, outbox and SQLite.
async fn b1_pelekan(users: usize, sales_each: usize, database: &Path) -> anyhow::Result<Throughput> {
    let telegram = FakeTelegram::start(None).await?;
    let database_url = format!("sqlite://{}", database.display());
    let store = Store::open(&database_url).await?;
    let caseworker = register(&store, Role::Caseworker, 4_000_000, None).await?;
    // People put in the database as if they had joined have started the bot.
    telegram.user_started(4_000_000);
    for n in 0..users {
        register(&store, Role::Entrepreneur, 5_000_000 + n as i64, Some(caseworker)).await?;
        telegram.user_started(5_000_000 + n as i64);
    }
    // A clock on which the scheduler has nothing to do: a Wednesday noon (no check-in open,
    // no quiet hours) whose scan has run.
    let now = quiet_noon();
    let day = now.with_timezone(&Tehran).date_naive();
    anyhow::ensure!(store.claim_scan(day, now).await?, "B1: the scan of {day} was claimed already");
    store.finish_scan(day, 0, 0, now).await?;
    store.close().await;
    let mut command = run_command(&telegram, &database_url, now);
    command.env("PELEKAN_UNTHROTTLED", "1");
    let bot = BotProcess::start(command, &telegram).await?;
    let run = report_sales(&telegram, &bot, users, sales_each).await?;
    bot.stop().await?;
    let store = Store::open(&database_url).await?;
    let stored = store.sale_count().await? as usize;
    store.close().await;
    anyhow::ensure!(stored == users * sales_each, "B1 stored {stored} sales, expected {}", users * sales_each);
    Ok(run)
}

/// Noon in Tehran on the next Wednesday after today.
fn quiet_noon() -> chrono::DateTime<Utc> {
    use chrono::Datelike;
    let today = Utc::now().with_timezone(&Tehran).date_naive();
    let ahead = (chrono::Weekday::Wed.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    let day = today + chrono::Days::new(u64::from(if ahead == 0 { 7 } else { ahead }));
    let noon = day.and_hms_opt(12, 0, 0).expect("a valid time");
    Tehran.from_local_datetime(&noon).earliest().expect("Tehran has this time").with_timezone(&Utc)
}

// ---- B2: the daily scan against one SQL aggregate ----

/// A synthetic programme's database, made once and kept (a marker file says it is complete).
async fn programme_db(sizes: &Sizes, people: u64, months: u32) -> anyhow::Result<PathBuf> {
    let path = sizes.data.join(format!("programme-{people}x{months}.db"));
    let complete = path.with_extension("complete");
    if !complete.exists() {
        for stale in [path.clone(), path.with_extension("db-wal"), path.with_extension("db-shm")] {
            let _ = std::fs::remove_file(stale);
        }
        println!("  making a synthetic programme of {people} people × {months} months in {}", path.display());
        let started = Instant::now();
        let store = Store::open(&format!("sqlite://{}", path.display())).await?;
        let end = NaiveDate::from_ymd_opt(END.0, END.1, END.2).expect("a valid day");
        let caseworkers = people.div_ceil(60);
        seed(&store, Shape { entrepreneurs: people, months, caseworkers, seed: 1, end }).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(store.pool()).await?;
        store.close().await;
        let size = std::fs::metadata(&path)?.len();
        println!("  made in {:.0} s: {:.2} GB", started.elapsed().as_secs_f64(), size as f64 / 1e9);
        std::fs::write(&complete, "")?;
    }
    Ok(path)
}

/// A copy to scan (the scan writes alerts; the kept database stays as made). An earlier copy
/// is removed first, never written over: SQLite keeps one shared memory per file in a process,
/// and a connection still open to the earlier copy would have the new one read through it.
fn scratch_copy(from: &Path, scratch: &Path) -> anyhow::Result<PathBuf> {
    let folder = scratch.join("copies");
    std::fs::create_dir_all(&folder)?;
    let to = folder.join(from.file_name().unwrap_or_default());
    for leftover in [to.clone(), to.with_extension("db-wal"), to.with_extension("db-shm")] {
        let _ = std::fs::remove_file(leftover);
    }
    std::fs::copy(from, &to)?;
    Ok(to)
}

/// Tehran's `hour` o'clock on the synthetic history's last day.
fn end_at(hour: u32) -> chrono::DateTime<Utc> {
    let day =
        NaiveDate::from_ymd_opt(END.0, END.1, END.2).and_then(|d| d.and_hms_opt(hour, 0, 0)).expect("a valid time");
    Tehran.from_local_datetime(&day).earliest().expect("Tehran has this time").with_timezone(&Utc)
}

struct ScanFigures {
    people: u64,
    scan: Duration,
    baseline: Duration,
    rows: u64,
    baseline_rows: i64,
    peak_mib: f64,
    alerts: usize,
}

async fn scan_once(sizes: &Sizes, scratch: &Path, people: u64, months: u32) -> anyhow::Result<ScanFigures> {
    let kept = programme_db(sizes, people, months).await?;
    let copy = scratch_copy(&kept, scratch)?;
    let database_url = format!("sqlite://{}", copy.display());
    let store = Store::open(&database_url).await?;
    let now = end_at(10);
    let since = (now - chrono::Duration::days(90)).with_timezone(&Tehran).date_naive().to_string();
    let aggregate = "SELECT p.id, SUM(s.amount_toman), COUNT(*) FROM people p
                     CROSS JOIN sales s ON s.entrepreneur_id = p.id AND s.sold_on >= ?
                     WHERE p.role = 'entrepreneur' GROUP BY p.id";
    // The first run reads the pages in; the second is timed.
    let mut baseline = Duration::ZERO;
    let mut baseline_rows = 0;
    for _ in 0..2 {
        let started = Instant::now();
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(aggregate).bind(&since).fetch_all(store.pool()).await?;
        baseline = started.elapsed();
        baseline_rows = rows.iter().map(|r| r.2).sum();
    }
    let tr = Tr::persian()?;
    let config = Config { database_url, ..Config::default() };
    let ctx = scan::Ctx { store: &store, tr: &tr, config: &config };
    // The bench process holds other benchmarks' leftovers: count what the scan adds.
    let (before_mib, _) = memory_of("self");
    reset_peak_memory();
    let started = Instant::now();
    let summary = scan::run(&ctx, now).await?;
    let elapsed = started.elapsed();
    let (_, peak_mib) = memory_of("self");
    let peak_mib = peak_mib - before_mib;
    store.close().await;
    let _ = std::fs::remove_file(&copy);
    anyhow::ensure!(summary.scanned as u64 == people, "B2 scanned {} of {people} people", summary.scanned);
    Ok(ScanFigures {
        people,
        scan: elapsed,
        baseline,
        rows: summary.rows_read,
        baseline_rows,
        peak_mib,
        alerts: summary.alerts,
    })
}

async fn b2_scan(sizes: &Sizes, scratch: &Path) -> anyhow::Result<()> {
    println!("\nB2 the daily scan (alerts and reminders stored) against one indexed SQL aggregate");
    let mut figures = Vec::new();
    for (people, months) in sizes.b2_programmes {
        let f = scan_once(sizes, scratch, people, months).await?;
        println!(
            "  {:>7} people × {months} months: scan {:>7.2} s, {:>9} rows read, {:>6} alerts, peak memory +{:.0} MiB | baseline {:>6.2} s over {:>9} sales rows | scan/baseline {:.2} (target ≤ 3)",
            f.people,
            f.scan.as_secs_f64(),
            f.rows,
            f.alerts,
            f.peak_mib,
            f.baseline.as_secs_f64(),
            f.baseline_rows,
            f.scan.as_secs_f64() / f.baseline.as_secs_f64()
        );
        figures.push(f);
    }
    if let [small, large] = &figures[..] {
        let growth = large.scan.as_secs_f64() / small.scan.as_secs_f64();
        let people = large.people as f64 / small.people as f64;
        println!("  {people:.0}× the people took {growth:.2}× the time (target ≤ 11)");
    }
    Ok(())
}

// ---- B3: delivery under Telegram's flood limits ----

async fn b3_delivery(sizes: &Sizes, scratch: &Path) -> anyhow::Result<()> {
    let n = sizes.b3_messages;
    println!(
        "\nB3 delivery: {n} outbox messages to distinct chats; the fake server answers 429 beyond 30/s overall or 1/s per chat"
    );
    let telegram = FakeTelegram::start(None).await?;
    telegram.enforce_limits(30, Duration::from_secs(1));
    let database_url = format!("sqlite://{}", scratch.join("b3.db").display());
    let store = Store::open(&database_url).await?;
    let now = Utc::now();
    let messages: Vec<NewOutboxMessage> = (0..n)
        .map(|i| NewOutboxMessage::text(6_000_000 + i as i64, "bench", None, format!("پیام شماره {i}"), now))
        .collect();
    store.enqueue_all(&messages, now).await?;
    // Each chat is a person who has started the bot (else B3 would measure 403s).
    for message in &messages {
        telegram.user_started(message.chat_id);
    }
    let config = Config { database_url, bot_username: Some("pelekan_bench_bot".into()), ..Config::default() };
    let started = Instant::now();
    let running = start(launch(&telegram, &store, config)).await?;
    let limit = Duration::from_secs(60 + n as u64 / 10);
    let delivered = telegram.wait_for(limit, |t| (t.sends().1 >= n).then(|| started.elapsed())).await;
    running.stop().await;
    let (accepted, chats) = telegram.sends();
    let elapsed = delivered.unwrap_or_else(|| started.elapsed());
    let rate = n as f64 / elapsed.as_secs_f64();
    println!(
        "  {n} delivered in {:.2} s = {rate:.1}/s, {:.2} of 30/s (target ≥ 0.95); 429s provoked {}; lost {}; duplicated {}",
        elapsed.as_secs_f64(),
        rate / 30.0,
        telegram.refused_by_limits(),
        n.saturating_sub(chats),
        accepted - chats
    );
    anyhow::ensure!(delivered.is_some(), "B3: only {chats} of {n} messages were delivered within {limit:?}");
    no_violations("B3", &telegram)?;
    Ok(())
}

// ---- B4: memory of `pelekan run` ----

async fn b4_memory(sizes: &Sizes, scratch: &Path) -> anyhow::Result<()> {
    let (people, months) = sizes.b2_programmes[1];
    println!("\nB4 memory of `pelekan run` on {people} people × {months} months");
    let kept = programme_db(sizes, people, months).await?;
    let copy = scratch_copy(&kept, scratch)?;
    let database_url = format!("sqlite://{}", copy.display());

    // Idle: before the day's scan hour.
    let telegram = FakeTelegram::start(None).await?;
    everyone_started(&telegram, &database_url).await?;
    let mut idle = spawn_run(&telegram, &database_url, end_at(8))?;
    let pid = idle.id().map(|p| p.to_string()).unwrap_or_default();
    let up = telegram.wait_for(Duration::from_secs(60), |t| t.find_request(|r| r.method == "getMe").map(|_| ())).await;
    anyhow::ensure!(up.is_some(), "B4: pelekan run did not start");
    tokio::time::sleep(sizes.b4_idle).await;
    let (idle_now, idle_peak) = memory_of(&pid);
    stop(&mut idle).await?;

    // `pelekan scan` alone, the same day's scan on the same copy.
    let day = NaiveDate::from_ymd_opt(END.0, END.1, END.2).expect("a valid day").to_string();
    let mut scan = pelekan_command(&database_url);
    scan.args(["scan", "--as-of", &day]).stdout(Stdio::null()).stderr(Stdio::inherit()).kill_on_drop(true);
    let scan_alone = measured(scan.spawn()?, "pelekan scan").await?;
    let watcher = Store::open(&database_url).await?;
    let scanned: Option<i64> =
        sqlx::query_scalar("SELECT people FROM scan_runs WHERE day = ?").bind(&day).fetch_one(watcher.pool()).await?;
    anyhow::ensure!(scanned == Some(people as i64), "B4: `pelekan scan` scanned {scanned:?} of {people} people");

    // `pelekan export sales`, every row read back here as it comes.
    let sales: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sales").fetch_one(watcher.pool()).await?;
    watcher.close().await;
    let mut export = pelekan_command(&database_url);
    export
        .args(["export", "sales", "--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    let mut exporting = export.spawn()?;
    let output = std::fs::File::from(exporting.stdout.take().context("the export's output")?.into_owned_fd()?);
    let lines = tokio::task::spawn_blocking(move || csv_lines(output));
    let export_run = measured(exporting, "pelekan export").await?;
    let exported = lines.await??.saturating_sub(1);
    anyhow::ensure!(exported == sales as u64, "B4: the export wrote {exported} rows of {sales} sales");

    // The scan: started after the scan hour, the run scans at once (on a fresh copy: the one
    // above has had the day's scan).
    let copy = scratch_copy(&kept, scratch)?;
    let database_url = format!("sqlite://{}", copy.display());
    let telegram = FakeTelegram::start(None).await?;
    everyone_started(&telegram, &database_url).await?;
    let started = Instant::now();
    let mut scanning = spawn_run(&telegram, &database_url, end_at(10))?;
    let pid = scanning.id().map(|p| p.to_string()).unwrap_or_default();
    let watcher = Store::open(&database_url).await?;
    let mut finished = false;
    let mut scan_took = Duration::ZERO;
    while started.elapsed() < Duration::from_secs(900) && !finished {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let at: Option<Option<i64>> = sqlx::query_scalar("SELECT finished_at FROM scan_runs WHERE day = ?")
            .bind(&day)
            .fetch_optional(watcher.pool())
            .await?;
        finished = matches!(at, Some(Some(_)));
        scan_took = started.elapsed();
    }
    let (_, scan_peak) = memory_of(&pid);
    stop(&mut scanning).await?;
    anyhow::ensure!(finished, "B4: the scan did not finish");
    no_violations("B4", &telegram)?;
    println!("  idle: {idle_now:.1} MiB resident, peak {idle_peak:.1} MiB (target < 40 MB)");
    println!(
        "  `pelekan scan` alone: peak {:.1} MiB; {people} people scanned in {:.1} s",
        scan_alone.peak_mib,
        scan_alone.took.as_secs_f64()
    );
    println!(
        "  `pelekan export sales`: peak {:.1} MiB = {:.1} MB (target < 50 MB); {exported} rows (every sale) in {:.1} s",
        export_run.peak_mib,
        export_run.peak_mib * 1.048_576,
        export_run.took.as_secs_f64()
    );
    println!(
        "  scan: peak {scan_peak:.1} MiB (target < 100 MB); the scan was done {:.1} s after start",
        scan_took.as_secs_f64()
    );
    watcher.close().await;
    Ok(())
}

/// How a `pelekan` command that ran to its end went.
struct Finished {
    took: Duration,
    /// The last VmHWM read before it exited (read every 20 ms; the kernel keeps the peak).
    peak_mib: f64,
}

/// Waits for `child` to exit successfully, reading its peak resident memory as it runs.
async fn measured(mut child: tokio::process::Child, what: &str) -> anyhow::Result<Finished> {
    let started = Instant::now();
    let pid = child.id().map(|p| p.to_string()).unwrap_or_default();
    let mut peak_mib = 0.0_f64;
    let status = loop {
        // Read before asking whether it exited: an exited process has no VmHWM (NaN) left.
        let (_, peak) = memory_of(&pid);
        if peak.is_finite() {
            peak_mib = peak_mib.max(peak);
        }
        if let Some(status) = child.try_wait()? {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    anyhow::ensure!(status.success(), "B4: {what} failed: {status}");
    Ok(Finished { took: started.elapsed(), peak_mib })
}

/// The CSV lines read from `output`, each ended by CRLF (the synthetic programme's texts hold no
/// line breaks of their own).
fn csv_lines(mut output: std::fs::File) -> std::io::Result<u64> {
    use std::io::Read;
    let mut buffer = vec![0; 256 * 1024];
    let (mut lines, mut after_cr) = (0, false);
    loop {
        let n = output.read(&mut buffer)?;
        if n == 0 {
            return Ok(lines);
        }
        for &byte in &buffer[..n] {
            lines += u64::from(after_cr && byte == b'\n');
            after_cr = byte == b'\r';
        }
    }
}

/// A benchmark's figures count only if the bot made no request Telegram would refuse.
fn no_violations(bench: &str, telegram: &FakeTelegram) -> anyhow::Result<()> {
    let violations = telegram.violations();
    anyhow::ensure!(violations.is_empty(), "{bench}: the bot sent requests Telegram would refuse: {violations:#?}");
    Ok(())
}

/// The synthetic programme's people joined as people do: each has started the bot, so the
/// scan's messages to them are delivered, not refused with 403.
async fn everyone_started(telegram: &FakeTelegram, database_url: &str) -> anyhow::Result<()> {
    let store = Store::open(database_url).await?;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT telegram_id FROM people").fetch_all(store.pool()).await?;
    store.close().await;
    for id in ids {
        telegram.user_started(id);
    }
    Ok(())
}

fn spawn_run(
    telegram: &FakeTelegram,
    database_url: &str,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<tokio::process::Child> {
    Ok(run_command(telegram, database_url, now)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?)
}

/// `pelekan run` against the fake server, its clock starting at `now`.
fn run_command(telegram: &FakeTelegram, database_url: &str, now: chrono::DateTime<Utc>) -> tokio::process::Command {
    let mut command = pelekan_command(database_url);
    command
        .arg("run")
        .env("TELOXIDE_TOKEN", "123456:BENCH")
        .env("TELOXIDE_API_URL", telegram.url().as_str())
        .env("PELEKAN_BOT_USERNAME", "pelekan_bench_bot")
        .env("PELEKAN_NOW", now.to_rfc3339());
    command
}

/// The `pelekan` binary on a database.
fn pelekan_command(database_url: &str) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_pelekan"));
    command
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", std::env::var("PELEKAN_BENCH_LOG").unwrap_or_else(|_| "warn".into()));
    command
}

async fn stop(child: &mut tokio::process::Child) -> anyhow::Result<()> {
    if let Some(pid) = child.id() {
        // SIGTERM: the run stops cleanly.
        let _ = std::process::Command::new("kill").arg(pid.to_string()).status();
    }
    match tokio::time::timeout(Duration::from_secs(30), child.wait()).await {
        Ok(status) => {
            status?;
        }
        Err(_) => child.kill().await?,
    }
    Ok(())
}

// ---- B5: replies during a bulk drain ----

/// B5's size: people reporting sales, bulk rows draining, how long a person reads and types
/// each answer, and the mean pause between two of a person's sales.
struct B5Size {
    people: usize,
    bulk: usize,
    thinking: Duration,
    between_sales: Duration,
}

impl B5Size {
    fn new(full: bool) -> B5Size {
        if full {
            // Two sales a person in the ~14 minutes the drain takes: about 3.5 replies a second,
            // well within the fifth of the rate bulk leaves free.
            B5Size {
                people: 200,
                bulk: 20_000,
                thinking: Duration::from_millis(1500),
                between_sales: Duration::from_secs(440),
            }
        } else {
            B5Size { people: 3, bulk: 60, thinking: Duration::from_millis(200), between_sales: Duration::from_secs(1) }
        }
    }
}

/// B5: simulated people report sales through the whole dialogue (reading and typing each
/// answer) while bulk outbox rows drain, against a fake server enforcing Telegram's limits as in
/// B3, with the real send limits (29 a second, bulk at most `bulk_share` of it). Measured: from
/// each update to the bot's reply, and bulk's rate against its share.
async fn b5_replies_during_bulk(full: bool, scratch: &Path) -> anyhow::Result<()> {
    let size = B5Size::new(full);
    let limits = Config::default().send_limits;
    let share = f64::from(limits.per_second) * limits.bulk_share;
    println!(
        "\nB5 replies during a bulk drain: {} people report sales while {} bulk messages drain (share {share:.1}/s); the fake server answers 429 beyond 30/s overall or 1/s per chat",
        size.people, size.bulk
    );
    let tr = Arc::new(Tr::persian()?);
    let telegram = FakeTelegram::start(None).await?;
    telegram.enforce_limits(30, Duration::from_secs(1));
    let database_url = format!("sqlite://{}", scratch.join("b5.db").display());
    let store = Store::open(&database_url).await?;
    let caseworker = register(&store, Role::Caseworker, 4_000_000, None).await?;
    telegram.user_started(4_000_000);
    for n in 0..size.people {
        register(&store, Role::Entrepreneur, 5_000_000 + n as i64, Some(caseworker)).await?;
        telegram.user_started(5_000_000 + n as i64);
    }
    let now = Utc::now();
    let bulk_chats: Vec<i64> = (0..size.bulk as i64).map(|i| 6_000_000 + i).collect();
    let bulk: Vec<NewOutboxMessage> = bulk_chats
        .iter()
        .map(|chat| NewOutboxMessage {
            lane: pelekan::store::outbox::Lane::Bulk,
            ..NewOutboxMessage::text(*chat, "bench_bulk", None, format!("پیام همگانی {chat}"), now)
        })
        .collect();
    store.enqueue_all(&bulk, now).await?;
    for chat in &bulk_chats {
        telegram.user_started(*chat);
    }
    let config = Config { database_url, bot_username: Some("pelekan_bench_bot".into()), ..Config::default() };
    let running = start(launch(&telegram, &store, config)).await?;
    let (done, done_watch) = tokio::sync::watch::channel(false);

    let mut people = tokio::task::JoinSet::new();
    for n in 0..size.people {
        let (telegram, tr, mut done) = (telegram.clone(), tr.clone(), done_watch.clone());
        let (thinking, between) = (size.thinking, size.between_sales);
        people.spawn(async move {
            let user = FakeUser::new(5_000_000 + n as i64, "کاربر", None);
            let reporter = SaleReporter::new(&telegram, &tr, user, PATIENCE).thinking(thinking);
            let mut random = pelekan::random::SplitMix64::new(n as u64 + 1);
            let (mut replies, mut sales) = (Vec::new(), 0usize);
            // The first sale at any moment of two pauses, then a pause of half to one and a half.
            let mut pause = between.mul_f64(random.below(2_000) as f64 / 1_000.0);
            loop {
                // Until the drain is over: a sale under way is finished, none begun after.
                let over = tokio::select! {
                    _ = tokio::time::sleep(pause) => false,
                    _ = done.wait_for(|over| *over) => true,
                };
                if over {
                    break;
                }
                let sale = reporter.report(100_000 + sales as i64 * 1000, 40).await.map_err(anyhow::Error::msg)?;
                anyhow::ensure!(sale.repeats == 0, "user {} waited {PATIENCE:?} for an answer", reporter.user().id);
                replies.extend(sale.reply_times);
                sales += 1;
                pause = between.mul_f64(0.5 + random.below(1_000) as f64 / 1_000.0);
            }
            Ok((replies, sales))
        });
    }

    // The drain: every bulk chat has its message (or the time is up).
    let limit = Duration::from_secs(120) + Duration::from_secs_f64(size.bulk as f64 / share * 1.5);
    let bulk_sent = |t: &FakeTelegram| bulk_chats.iter().filter(|c| t.sent_count(**c) > 0).count();
    let finished = telegram.wait_for(limit, |t| (bulk_sent(t) == size.bulk).then_some(())).await;
    done.send_replace(true);
    let mut replies = Vec::new();
    let mut sales = 0;
    while let Some(person) = people.join_next().await {
        let (times, count) = person??;
        replies.extend(times);
        sales += count;
    }
    running.stop().await;
    anyhow::ensure!(
        finished.is_some(),
        "B5: {} of {} bulk messages delivered within {limit:?}",
        bulk_sent(&telegram),
        size.bulk
    );

    let mut at: Vec<Instant> = bulk_chats.iter().flat_map(|c| telegram.messages_to(*c)).map(|m| m.sent_at).collect();
    at.sort();
    let copies = at.len();
    let drain = at.last().zip(at.first()).map_or(Duration::ZERO, |(last, first)| last.duration_since(*first));
    let bulk_rate = (copies.saturating_sub(1)) as f64 / drain.as_secs_f64().max(f64::MIN_POSITIVE);
    replies.sort();
    let stored = store.sale_count().await? as usize;
    println!(
        "  replies: {} updates answered in {sales} sales; update to reply p50 {}, p95 {} (target ≤ 1.2 s), p99 {}, longest {}",
        replies.len(),
        ms(percentile(&replies, 0.50)),
        ms(percentile(&replies, 0.95)),
        ms(percentile(&replies, 0.99)),
        ms(replies.last().copied().unwrap_or_default())
    );
    println!(
        "  bulk: {copies} delivered in {:.1} s = {bulk_rate:.2}/s, {:.3} of its share (target ≥ 0.9); 429s provoked {}; lost {}; duplicated {}",
        drain.as_secs_f64(),
        bulk_rate / share,
        telegram.refused_by_limits(),
        size.bulk - bulk_sent(&telegram),
        copies - bulk_sent(&telegram)
    );
    anyhow::ensure!(stored == sales, "B5 stored {stored} sales, {sales} were acknowledged");
    no_violations("B5", &telegram)?;
    store.close().await;
    Ok(())
}
