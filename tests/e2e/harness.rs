//! The test harness later issues reuse: the real bot and dispatcher, a temporary SQLite
//! database, a controllable clock, and the fake Telegram server that refuses anything the
//! Bot API description would refuse.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use pelekan::bot::{Launch, Running, start};
use pelekan::clock::Clock;
use pelekan::config::Config;
use pelekan::domain::person::{Person, Role};
use pelekan::fake_telegram::{ApiSpec, FakeTelegram, FakeUser, RecordedRequest, SentMessage};
use pelekan::i18n::Tr;
use pelekan::store::{NewInvite, NewPerson, Store};
use teloxide::Bot;

/// How long to wait for the bot before a test fails. Generous: CI machines are slow;
/// a passing test never waits this long.
pub const WAIT: Duration = Duration::from_secs(30);

/// The bot's HTTP timeout in tests; long polls ask for less than this.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(3);

pub struct Harness {
    pub telegram: FakeTelegram,
    pub store: Store,
    pub clock: Clock,
    pub config: Config,
    pub tr: Tr,
    running: Option<Running>,
    /// Per chat: how many requests the tests have already looked at.
    marks: Mutex<HashMap<i64, usize>>,
    _folder: tempfile::TempDir,
}

/// 10:00 in Tehran on Sunday 1 Azar 1405 (2026-11-22).
pub fn start_time() -> DateTime<Utc> {
    "2026-11-22T06:30:00Z".parse().unwrap()
}

impl Harness {
    /// A fresh database and fake Telegram, with the bot running.
    pub async fn new() -> Harness {
        let mut h = Harness::without_bot().await;
        h.start_bot().await;
        h
    }

    pub async fn without_bot() -> Harness {
        let spec = ApiSpec::beside_project()
            .expect("the Bot API description ../shared/telegram-bot-api/api.json is needed by the tests");
        let telegram = FakeTelegram::start(Some(spec)).await.unwrap();
        let folder = tempfile::tempdir().unwrap();
        let database_url = format!("sqlite://{}", folder.path().join("test.db").display());
        let store = Store::open(&database_url).await.unwrap();
        let mut config = Config { database_url, ..Config::default() };
        // Telegram's real per-chat limit (one message a second) would make every test
        // wait seconds per step; the limiter itself is the same code.
        config.send_limits = pelekan::config::UNTHROTTLED;
        // The tests' people act faster than any person can (the flood test sets the real limit).
        config.inbound_limit = pelekan::telegram::inbound::InboundLimit::NONE;
        config.stranger_limit = pelekan::telegram::inbound::StrangerLimit::NONE;
        Harness {
            telegram,
            store,
            clock: Clock::manual(start_time()),
            config,
            tr: Tr::persian().unwrap(),
            running: None,
            marks: Mutex::new(HashMap::new()),
            _folder: folder,
        }
    }

    pub async fn start_bot(&mut self) {
        // A short client timeout, so that a request the fake server leaves hanging fails fast.
        let client = teloxide::net::default_reqwest_settings().timeout(CLIENT_TIMEOUT).build().expect("an HTTP client");
        let bot = Bot::with_client("123456:TEST", client).set_api_url(self.telegram.url());
        let running = start(Launch {
            bot,
            store: self.store.clone(),
            config: self.config.clone(),
            clock: self.clock.clone(),
            polling_timeout: Duration::from_secs(1),
            handle_ctrl_c: false,
            tick_every: None,
        })
        .await
        .expect("the bot starts");
        self.running = Some(running);
    }

    /// Runs the scheduler's work once, at the clock's current time.
    pub async fn tick(&self) -> pelekan::schedule::TickReport {
        self.running.as_ref().expect("the bot is running").tick().await.unwrap()
    }

    /// Sets the clock to a Tehran wall-clock time, «2026-11-28 10:00».
    pub fn set_tehran(&self, local: &str) {
        use chrono::TimeZone;
        let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        self.clock.set(chrono_tz::Asia::Tehran.from_local_datetime(&naive).unwrap().with_timezone(&Utc));
    }

    pub async fn stop_bot(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await;
        }
    }

    /// Stops the bot and starts a new one on the same database (as after a restart).
    pub async fn restart(&mut self) {
        self.stop_bot().await;
        self.start_bot().await;
    }

    /// Ends the test: the bot stops, and no request it made may have been refused.
    pub async fn finish(mut self) {
        self.stop_bot().await;
        let violations = self.telegram.violations();
        assert!(violations.is_empty(), "the bot sent requests Telegram would refuse: {violations:#?}");
    }

    // ---- people, added the way joining would add them ----

    async fn join(&self, user: &FakeUser, role: Role, caseworker_id: Option<i64>, business: Option<&str>) -> Person {
        let now = self.clock.now();
        let invite = NewInvite::random(role, caseworker_id, None, now, 7).unwrap();
        let code = invite.code.clone();
        self.store.create_invite(None, &invite, None, now).await.unwrap();
        let name = format!("{} {}", user.first_name, user.last_name.clone().unwrap_or_default()).trim().to_string();
        let person = NewPerson {
            telegram_id: user.id,
            role,
            full_name: name,
            phone: Some(format!("+98912{:07}", user.id % 10_000_000)),
            business: business.map(str::to_string),
            caseworker_id,
        };
        let joined = self.store.join_with_invite(None, &code, &person, None, None, now).await.unwrap().unwrap();
        // Joining through an invite starts the bot: it may write to them (rule 7).
        self.telegram.user_started(user.id);
        joined
    }

    pub async fn caseworker(&self, user: &FakeUser) -> Person {
        self.join(user, Role::Caseworker, None, None).await
    }

    pub async fn entrepreneur(&self, user: &FakeUser, caseworker: &Person) -> Person {
        self.join(user, Role::Entrepreneur, Some(caseworker.id), Some("خیاطی")).await
    }

    // ---- talking ----

    pub fn say(&self, user: &FakeUser, text: &str) -> i32 {
        self.telegram.send_text(user, text)
    }

    /// Presses a button on the newest message to this user that has it; returns the
    /// callback query id. Waits until the bot has answered the press.
    pub async fn press(&self, user: &FakeUser, data: &str) -> SentMessage {
        let message = self.message_with_button(user, data).await;
        self.press_on(user, &message, data).await;
        message
    }

    /// Presses with any data on a given message (forged and stale presses too), and waits
    /// for the bot's answer to the press.
    pub async fn press_on(&self, user: &FakeUser, message: &SentMessage, data: &str) -> RecordedRequest {
        let id = self.telegram.press(user, message, data);
        let answer = self
            .telegram
            .wait_for(WAIT, |t| {
                t.find_request(|r| {
                    r.method == "answerCallbackQuery"
                        && r.params.get("callback_query_id").and_then(|v| v.as_str()) == Some(id.as_str())
                })
            })
            .await;
        let answer = answer.unwrap_or_else(|| panic!("the bot did not answer the press {data:?} of user {}", user.id));
        // The press is answered once its work is committed; what it says leaves through the
        // outbox right after.
        self.replies_sent().await;
        answer
    }

    /// Waits until every reply (the outbox's first lane: answers to what people did) whose time
    /// has come was sent, or moved to a later try (a 5xx answer is read after teloxide's 10 s
    /// pause).
    pub async fn replies_sent(&self) {
        eventually_within(WAIT, "the outbox sends the replies that are due", || async {
            let due: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM outbox o WHERE status = 'pending' AND lane = 0 AND {BEING_TRIED}"
            ))
            .bind(self.clock.now().timestamp())
            .fetch_one(self.store.pool())
            .await
            .unwrap();
            due == 0
        })
        .await;
    }

    pub async fn message_with_button(&self, user: &FakeUser, data: &str) -> SentMessage {
        let found = self
            .telegram
            .wait_for(WAIT, |t| {
                t.messages_to(user.id).into_iter().rev().find(|m| m.inline_buttons().iter().any(|(_, d)| d == data))
            })
            .await;
        found.unwrap_or_else(|| panic!("no message to user {} has a button {data:?}", user.id))
    }

    /// Waits for the next message to this user (after those already expected) that
    /// satisfies `matches`, and returns it.
    pub async fn expect(
        &self,
        user: &FakeUser,
        what: &str,
        matches: impl Fn(&RecordedRequest) -> bool,
    ) -> RecordedRequest {
        let mark = *self.marks.lock().unwrap().get(&user.id).unwrap_or(&0);
        let found = self
            .telegram
            .wait_for(WAIT, |t| {
                let requests = t.requests();
                requests
                    .iter()
                    .enumerate()
                    .skip(mark)
                    .find(|(_, r)| r.method == "sendMessage" && chat_of(r) == Some(user.id) && matches(r))
                    .map(|(i, r)| (i, r.clone()))
            })
            .await;
        let Some((index, request)) = found else {
            let sent = self.texts_to(user);
            panic!("user {} never got {what}; messages so far: {sent:#?}", user.id);
        };
        self.marks.lock().unwrap().insert(user.id, index + 1);
        request
    }

    /// Waits for the next message whose text is exactly this locale message.
    pub async fn expect_msg(&self, user: &FakeUser, id: &str) -> RecordedRequest {
        let wanted = self.tr.msg(id);
        self.expect(user, id, |r| text_of(r) == wanted).await
    }

    /// Waits for the next message whose text is exactly this locale message with these arguments.
    pub async fn expect_msg_with(&self, user: &FakeUser, id: &str, args: &[(&str, String)]) -> RecordedRequest {
        let wanted = self.tr.msg_with(id, args);
        self.expect(user, id, |r| text_of(r) == wanted).await
    }

    /// Waits for the next message whose text contains this fragment.
    pub async fn expect_text(&self, user: &FakeUser, fragment: &str) -> RecordedRequest {
        self.expect(user, fragment, |r| text_of(r).contains(fragment)).await
    }

    pub fn texts_to(&self, user: &FakeUser) -> Vec<String> {
        self.telegram
            .requests()
            .iter()
            .filter(|r| r.method == "sendMessage" && chat_of(r) == Some(user.id))
            .map(|r| text_of(r).to_string())
            .collect()
    }

    /// Waits until no outbox message is left unsent (checking after each request the
    /// fake server sees, and at least every 200 ms).
    pub async fn outbox_drained(&self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
                .fetch_one(self.store.pool())
                .await
                .unwrap();
            if unsent == 0 {
                return;
            }
            if tokio::time::Instant::now() >= deadline {
                let rows: Vec<(i64, i64, String, i64, i64)> = sqlx::query_as(
                    "SELECT id, chat_id, substr(text, 1, 30), next_attempt_at, attempts FROM outbox WHERE status = 'pending'",
                )
                .fetch_all(self.store.pool())
                .await
                .unwrap();
                panic!("{unsent} outbox messages still unsent at {}: {rows:?}", self.clock.now().timestamp());
            }
            self.telegram.wait_for(Duration::from_millis(200), |_| None::<()>).await;
        }
    }

    /// Waits until no outbox message is left unsent, moving the clock on as time would for
    /// retries: whenever every pending row waits for its time (a backoff, a 429's retry_after),
    /// the clock is set to the earliest. Only for tests where nothing else minds the clock moving.
    pub async fn outbox_drained_retrying(&self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let unsent = self.clock_to_next_attempt().await;
            if unsent == 0 {
                return;
            }
            if tokio::time::Instant::now() >= deadline {
                let rows: Vec<(i64, i64, String, i64, i64)> = sqlx::query_as(
                    "SELECT id, chat_id, substr(text, 1, 30), next_attempt_at, attempts FROM outbox WHERE status = 'pending'",
                )
                .fetch_all(self.store.pool())
                .await
                .unwrap();
                panic!("{unsent} outbox messages still unsent at {}: {rows:?}", self.clock.now().timestamp());
            }
            self.telegram.wait_for(Duration::from_millis(200), |_| None::<()>).await;
        }
    }

    /// When every pending outbox row waits for its next attempt (none is being tried: a row
    /// being tried is still due), moves the clock to the first of them. How many are pending.
    pub async fn clock_to_next_attempt(&self) -> i64 {
        // A row due now is being tried, unless it waits behind an earlier reply of its chat
        // that waits for its next try (a chat's messages leave in order).
        let (unsent, being_tried, next): (i64, i64, Option<i64>) = sqlx::query_as(&format!(
            "SELECT COUNT(*), COUNT(CASE WHEN {BEING_TRIED} THEN 1 END),
                    MIN(CASE WHEN next_attempt_at > ?1 THEN next_attempt_at END)
             FROM outbox o WHERE status = 'pending'"
        ))
        .bind(self.clock.now().timestamp())
        .fetch_one(self.store.pool())
        .await
        .unwrap();
        if let Some(next) = next.filter(|_| being_tried == 0) {
            self.clock.set(DateTime::from_timestamp(next, 0).unwrap());
        }
        unsent
    }

    pub async fn sale_rows(&self) -> i64 {
        self.store.sale_count().await.unwrap()
    }
}

pub fn chat_of(request: &RecordedRequest) -> Option<i64> {
    request.params.get("chat_id").and_then(|c| c.as_i64())
}

pub fn text_of(request: &RecordedRequest) -> &str {
    request.params.get("text").and_then(|t| t.as_str()).unwrap_or("")
}

pub fn user(id: i64, first: &str, last: &str) -> FakeUser {
    FakeUser::new(id, first, Some(last))
}

/// Waits until `check` holds, looking again every few milliseconds; fails the test after ten
/// seconds. For conditions in the database, which sends no signal when it changes.
/// Whether a pending outbox row `o` is due at `?1` and being tried: not waiting behind an
/// earlier reply of its chat that waits for its next try (a chat's messages leave in order).
const BEING_TRIED: &str = "o.next_attempt_at <= ?1 AND NOT EXISTS (
    SELECT 1 FROM outbox p WHERE p.status = 'pending' AND p.lane = 0 AND p.chat_id = o.chat_id
                           AND p.id < o.id AND p.next_attempt_at > ?1)";

pub async fn eventually<F, Fut>(what: &str, check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    eventually_within(Duration::from_secs(10), what, check).await
}

/// [`eventually`] with a deadline of its own.
pub async fn eventually_within<F, Fut>(timeout: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// `pelekan run` as a child process, killed with SIGKILL when dropped: no clean-up of any kind
/// runs, and a failing test leaves no process behind. Its clock starts at [`start_time`], as
/// the harness's does.
pub struct RunningBot(std::process::Child);

impl RunningBot {
    /// With `crash_at` («before:store_sale_with_reply», «after:…»), the bot dies at that moment
    /// of that unit of work (`PELEKAN_TEST_CRASH_AT`, see `store::seen`).
    pub fn spawn(telegram: &FakeTelegram, database_url: &str, crash_at: Option<&str>) -> RunningBot {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_pelekan"));
        command
            .arg("run")
            .env("TELOXIDE_TOKEN", "123456:TEST")
            .env("TELOXIDE_API_URL", telegram.url().as_str())
            .env("DATABASE_URL", database_url)
            .env("PELEKAN_BOT_USERNAME", "pelekan_test_bot")
            .env("PELEKAN_UNTHROTTLED", "true")
            .env("PELEKAN_NOW", start_time().to_rfc3339())
            .env("RUST_LOG", std::env::var("PELEKAN_TEST_BOT_LOG").unwrap_or_else(|_| "error".into()))
            .env_remove("PELEKAN_TEST_CRASH_AT");
        if let Some(point) = crash_at {
            command.env("PELEKAN_TEST_CRASH_AT", point);
        }
        RunningBot(command.spawn().expect("pelekan run starts"))
    }

    /// Waits until the process has died by itself (at its crash point); fails the test if it
    /// is still running after `timeout`.
    pub async fn died_within(&mut self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(status) = self.0.try_wait().expect("the bot process can be waited for") {
                eprintln!("the bot died: {status}");
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "the bot did not reach its crash point");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for RunningBot {
    fn drop(&mut self) {
        let _ = self.0.kill(); // SIGKILL on Unix
        let _ = self.0.wait(); // at once: a killed process does not linger
    }
}
