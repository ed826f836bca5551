//! A stand-in for the Telegram Bot API on loopback HTTP. The real bot (teloxide, the real
//! dispatcher) talks to it through `TELOXIDE_API_URL`; tests and `pelekan demo` play the
//! users. Every request is checked against the Bot API description (`spec.rs`, when one is
//! given) and against what Telegram refuses beyond it (`rules.rs`, always): anything real
//! Telegram would refuse is refused with Telegram's own answer, and recorded — as a violation
//! when a correct bot would never have made the request, and in any case as a refusal.

mod methods;
pub mod rules;
mod spec;
pub mod users;

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::random::SplitMix64;
use rules::Refused;

pub use rules::Refusal;
pub use spec::{ApiSpec, SpecError};

pub const BOT_ID: i64 = 7_000_000_001;
pub const BOT_USERNAME: &str = "pelekan_test_bot";

/// The server clock's start, as a Unix time (message `date`s count from it).
const EPOCH: i64 = 1_760_000_000;

/// Updates not fetched are kept for 24 hours only (BEHAVIOUR.md row 13;
/// core.telegram.org/bots/api#getting-updates).
const UPDATES_KEPT: Duration = Duration::from_secs(24 * 3600);

/// A person on the other side of the chat.
#[derive(Debug, Clone)]
pub struct FakeUser {
    pub id: i64,
    pub first_name: String,
    pub last_name: Option<String>,
}

impl FakeUser {
    pub fn new(id: i64, first_name: &str, last_name: Option<&str>) -> FakeUser {
        FakeUser { id, first_name: first_name.to_string(), last_name: last_name.map(str::to_string) }
    }

    fn json(&self) -> Value {
        let mut user = json!({ "id": self.id, "is_bot": false, "first_name": self.first_name, "language_code": "fa" });
        if let Some(last) = &self.last_name {
            user["last_name"] = json!(last);
        }
        user
    }

    fn chat(&self) -> Value {
        json!({ "id": self.id, "type": "private", "first_name": self.first_name })
    }
}

/// A message the bot sent (and its current text and buttons, after edits).
#[derive(Debug, Clone)]
pub struct SentMessage {
    pub chat_id: i64,
    pub message_id: i32,
    /// Its text, or a media message's caption ("" when it has none).
    pub text: String,
    pub reply_markup: Option<Value>,
    /// The whole Message object as returned to the bot (what a callback query carries).
    pub raw: Value,
    /// When the bot sent it.
    pub sent_at: std::time::Instant,
}

impl SentMessage {
    /// Callback data of every inline button, in order.
    pub fn inline_buttons(&self) -> Vec<(String, String)> {
        let rows = self.reply_markup.as_ref().and_then(|m| m.get("inline_keyboard")).and_then(Value::as_array);
        rows.into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|b| Some((b.get("text")?.as_str()?.to_string(), b.get("callback_data")?.as_str()?.to_string())))
            .collect()
    }
}

/// Something a user sent, as they know it: one of their messages, a button press, or an
/// edit of one of their messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserAction {
    Message { chat: i64, message_id: i32 },
    Press { callback_query_id: String },
    Edit { chat: i64, message_id: i32, edit_date: i64 },
}

impl UserAction {
    fn of_update(update: &Value) -> Option<UserAction> {
        if let Some(message) = update.get("message") {
            let chat = message["chat"]["id"].as_i64()?;
            let message_id = i32::try_from(message["message_id"].as_i64()?).ok()?;
            return Some(UserAction::Message { chat, message_id });
        }
        if let Some(message) = update.get("edited_message") {
            let chat = message["chat"]["id"].as_i64()?;
            let message_id = i32::try_from(message["message_id"].as_i64()?).ok()?;
            let edit_date = message["edit_date"].as_i64()?;
            return Some(UserAction::Edit { chat, message_id, edit_date });
        }
        let id = update.get("callback_query")?.get("id")?.as_str()?;
        Some(UserAction::Press { callback_query_id: id.to_string() })
    }

    fn chat(update: &Value) -> Option<i64> {
        update
            .pointer("/message/chat/id")
            .or_else(|| update.pointer("/edited_message/chat/id"))
            .or_else(|| update.pointer("/callback_query/from/id"))?
            .as_i64()
    }
}

/// One request the bot made.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub method: String,
    pub params: Map<String, Value>,
}

impl RecordedRequest {
    /// The reply keyboard labels sent with this request, if any.
    pub fn keyboard_labels(&self) -> Vec<String> {
        let markup = self.params.get("reply_markup");
        let rows = markup.and_then(|m| m.get("keyboard")).and_then(Value::as_array);
        rows.into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|b| b.as_str().or_else(|| b.get("text").and_then(Value::as_str)).map(str::to_string))
            .collect()
    }
}

/// An error to answer instead of success, for testing how the bot copes.
#[derive(Debug, Clone)]
pub enum Fault {
    TooManyRequests {
        retry_after: u32,
    },
    /// No answer for this long (past the client's timeout); the request is not carried out.
    Hang {
        seconds: u64,
    },
    /// The request is carried out (a message is delivered to its chat), then no answer for
    /// this long: the client times out on a request Telegram accepted.
    AcceptedThenHang {
        seconds: u64,
    },
    ServerError,
    /// The connection drops before any answer (a network error); not carried out.
    Disconnect,
    Blocked,
}

/// A request not answered at once: the connection dropped, or the answer held back this many
/// seconds (with what it would have been, for a request carried out).
enum Unanswered {
    Dropped,
    For(u64, Option<Response<Full<Bytes>>>),
}

/// The fake drops the connection instead of answering ([`Fault::Disconnect`]).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

/// Percentages of calls answered with each fault.
#[derive(Debug, Clone, Copy)]
pub struct FaultRates {
    pub server_error: u64,
    pub too_many_requests: u64,
    pub hang: u64,
    /// Carried out, then left unanswered for `hang_seconds` ([`Fault::AcceptedThenHang`]).
    pub accepted_then_hang: u64,
    /// How long a hang lasts (past the client's timeout).
    pub hang_seconds: u64,
}

/// The server's clock: real time since the start, plus what `pass_time` added.
struct ServerClock {
    started: Instant,
    offset: Duration,
}

impl ServerClock {
    fn now(&self) -> Duration {
        self.started.elapsed() + self.offset
    }
}

/// An update waiting for the bot, and when it was made (server time).
struct Pending {
    update: Value,
    at: Duration,
}

/// A message the bot sent, with what the fake needs to know of it.
struct BotMessage {
    sent: SentMessage,
    /// False when it was sent with a reply keyboard, `remove_keyboard` or `force_reply`
    /// (rule 1).
    editable: bool,
    /// When it was sent (server time).
    at: Duration,
    /// Deleted, by the person or by the bot.
    gone: bool,
}

/// A message a user sent to the bot.
struct UserMessage {
    raw: Value,
    at: Duration,
    gone: bool,
}

/// A file the fake has seen: its kind (the message field that carries it), its size, and the
/// JSON a message carries for it (for a photo, the whole PhotoSize array).
#[derive(Debug, Clone)]
struct FileInfo {
    kind: &'static str,
    size: u64,
    json: Value,
}

struct Inner {
    pending_updates: VecDeque<Pending>,
    next_update_id: i64,
    next_message_id: HashMap<i64, i32>,
    messages: HashMap<(i64, i32), BotMessage>,
    user_messages: HashMap<(i64, i32), UserMessage>,
    requests: Vec<RecordedRequest>,
    violations: Vec<String>,
    refusals: Vec<Refusal>,
    faults: VecDeque<(String, Fault)>,
    /// Per chat: the fault every send to it is answered with, until cleared.
    chat_faults: HashMap<i64, Fault>,
    /// Every call but getUpdates answered with this (an outage seen from the bot's sends).
    outage: Option<Fault>,
    /// Messages delivered by requests that were then left unanswered (chat, message id).
    unanswered: Vec<(i64, i32)>,
    /// Random faults for one method: (method, rates, generator state).
    random_faults: Option<(String, FaultRates, SplitMix64)>,
    next_callback_id: u64,
    clock: ServerClock,
    limits: Option<SendLimits>,
    /// Per chat: the ids of the messages the bot sent there, oldest first.
    sent_to: HashMap<i64, Vec<i32>>,
    /// Per callback query id: the bot's answer (its text, if any).
    callback_answers: HashMap<String, Option<String>>,
    /// Per callback query id: when the user pressed (server time).
    presses: HashMap<String, Duration>,
    /// When the bot acknowledged each user action's update (asked for updates past it).
    acknowledged: HashMap<UserAction, std::time::Instant>,
    /// Users who have written to the bot (rule 7).
    started: HashSet<i64>,
    blocked: HashSet<i64>,
    webhook: Option<String>,
    /// The most recent `allowed_updates` a getUpdates passed (None: Telegram's default).
    allowed_updates: Option<Vec<String>>,
    /// Bumped by each getUpdates; a waiting one that sees another number was superseded.
    poll_generation: u64,
    files: HashMap<String, FileInfo>,
    next_file: u64,
}

/// Telegram's flood limits, enforced on sends: beyond them the answer is 429.
#[derive(Debug, Default)]
struct SendLimits {
    overall_per_second: usize,
    chat_interval: Duration,
    /// When recent sends were accepted, oldest first (the last second's window).
    accepted: VecDeque<std::time::Instant>,
    last_to_chat: HashMap<i64, std::time::Instant>,
    /// Per group chat: its accepted sends in the last minute, oldest first.
    to_group: HashMap<i64, VecDeque<std::time::Instant>>,
    refused: usize,
}

/// No more than 20 messages a minute to one group (BEHAVIOUR.md row 11;
/// core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
const GROUP_SENDS_PER_MINUTE: usize = 20;

impl SendLimits {
    /// Accepts a send now, or says how long to wait.
    fn admit(&mut self, chat: i64, now: std::time::Instant) -> Result<(), u32> {
        let second = Duration::from_secs(1);
        let minute = Duration::from_secs(60);
        while self.accepted.front().is_some_and(|t| now.duration_since(*t) >= second) {
            self.accepted.pop_front();
        }
        let chat_busy = self.last_to_chat.get(&chat).is_some_and(|t| now.duration_since(*t) < self.chat_interval);
        if chat_busy || self.accepted.len() >= self.overall_per_second {
            self.refused += 1;
            return Err(1);
        }
        if chat < 0 {
            let group = self.to_group.entry(chat).or_default();
            while group.front().is_some_and(|t| now.duration_since(*t) >= minute) {
                group.pop_front();
            }
            if group.len() >= GROUP_SENDS_PER_MINUTE {
                self.refused += 1;
                let wait = group.front().map_or(minute, |t| minute.saturating_sub(now.duration_since(*t)));
                return Err(wait.as_secs_f64().ceil().max(1.0) as u32);
            }
            group.push_back(now);
        }
        self.accepted.push_back(now);
        self.last_to_chat.insert(chat, now);
        Ok(())
    }
}

impl Inner {
    fn new() -> Inner {
        Inner {
            pending_updates: VecDeque::new(),
            next_update_id: 1,
            next_message_id: HashMap::new(),
            messages: HashMap::new(),
            user_messages: HashMap::new(),
            requests: Vec::new(),
            violations: Vec::new(),
            refusals: Vec::new(),
            faults: VecDeque::new(),
            chat_faults: HashMap::new(),
            outage: None,
            unanswered: Vec::new(),
            random_faults: None,
            next_callback_id: 0,
            clock: ServerClock { started: Instant::now(), offset: Duration::ZERO },
            limits: None,
            sent_to: HashMap::new(),
            callback_answers: HashMap::new(),
            presses: HashMap::new(),
            acknowledged: HashMap::new(),
            started: HashSet::new(),
            blocked: HashSet::new(),
            webhook: None,
            allowed_updates: None,
            poll_generation: 0,
            files: HashMap::new(),
            next_file: 0,
        }
    }

    fn new_message_id(&mut self, chat: i64) -> i32 {
        let id = self.next_message_id.entry(chat).or_insert(0);
        *id += 1;
        *id
    }

    /// Server time since the start.
    fn now(&self) -> Duration {
        self.clock.now()
    }

    /// The server clock as a Unix time, for message dates (increasing, not necessarily
    /// strictly).
    fn date(&self) -> i64 {
        EPOCH + self.now().as_secs() as i64
    }

    /// Drops the updates nobody fetched for 24 hours (rule 13).
    fn expire_updates(&mut self) {
        let now = self.now();
        self.pending_updates.retain(|p| now.saturating_sub(p.at) <= UPDATES_KEPT);
    }

    /// Rule 12: updates of kinds the bot did not ask for (in the most recent
    /// `allowed_updates`, or Telegram's default) are never delivered: a getUpdates skips and
    /// drops them. (Telegram notes that a new list «doesn't affect updates created before the
    /// call»; dropping those too is the stricter reading.)
    fn drop_unwanted_updates(&mut self) {
        let allowed = self.allowed_updates.clone();
        self.pending_updates.retain(|p| {
            let kind = update_kind(&p.update);
            match &allowed {
                Some(list) => list.iter().any(|k| k == kind),
                None => rules::allowed_by_default(kind),
            }
        });
    }

    fn remember_file(&mut self, file_id: &str, kind: &'static str, size: u64, json: Value) {
        self.files.insert(file_id.to_string(), FileInfo { kind, size, json });
    }

    /// Remembers every file a message carries (rule 15): every size of a photo is a photo.
    fn remember_files_of(&mut self, message: &Value) {
        for kind in rules::FILE_KINDS {
            let Some(value) = message.get(kind) else { continue };
            let files: Vec<&Value> = match value.as_array() {
                Some(sizes) => sizes.iter().collect(),
                None => vec![value],
            };
            for file in files {
                if let Some(id) = file.get("file_id").and_then(Value::as_str) {
                    let size = file.get("file_size").and_then(Value::as_u64).unwrap_or(0);
                    self.remember_file(id, kind, size, value.clone());
                }
            }
        }
    }

    /// Records a refusal (and the violation, if it is one) and builds Telegram's answer.
    fn refuse(&mut self, method: &str, refused: Refused) -> Response<Full<Bytes>> {
        if let Some(detail) = &refused.violation {
            tracing::error!(method, detail, description = refused.description, "fake Telegram refused a request");
            self.violations.push(format!("{detail} → {}", refused.description));
        }
        self.refusals.push(Refusal {
            method: method.to_string(),
            error_code: refused.error_code,
            description: refused.description.clone(),
        });
        error_response(refused.error_code, &refused.description)
    }
}

struct Shared {
    inner: Mutex<Inner>,
    spec: Option<ApiSpec>,
    /// Bumped on every request and every pushed update; waiters watch it.
    activity: watch::Sender<u64>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn bump(&self) {
        self.activity.send_modify(|n| *n += 1);
    }
}

/// The fake server. Cheap to clone; the server stops when the runtime does.
#[derive(Clone)]
pub struct FakeTelegram {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

/// The kind of an update: its one field besides `update_id`.
fn update_kind(update: &Value) -> &str {
    update.as_object().and_then(|o| o.keys().find(|k| k.as_str() != "update_id")).map_or("", String::as_str)
}

/// Who an update comes from (the `from` of its one object).
fn sender_of(update: &Value) -> Option<i64> {
    update.as_object()?.iter().find(|(k, _)| k.as_str() != "update_id")?.1.pointer("/from/id")?.as_i64()
}

fn command_entities(text: &str) -> Option<Value> {
    text.starts_with('/').then(|| {
        let length = text.split_whitespace().next().unwrap_or("").encode_utf16().count();
        json!([{ "type": "bot_command", "offset": 0, "length": length }])
    })
}

impl FakeTelegram {
    /// Starts on a free loopback port. With a spec, every request is validated against it too.
    pub async fn start(spec: Option<ApiSpec>) -> std::io::Result<FakeTelegram> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (activity, _) = watch::channel(0);
        let shared = Arc::new(Shared { inner: Mutex::new(Inner::new()), spec, activity });
        let server_shared = shared.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let shared = server_shared.clone();
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle_http(shared.clone(), req));
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Ok(FakeTelegram { shared, addr })
    }

    /// What to give teloxide as `TELOXIDE_API_URL`.
    pub fn url(&self) -> url::Url {
        url::Url::parse(&format!("http://{}/", self.addr)).expect("a socket address is a valid URL")
    }

    // ---- time ----

    /// Moves the server clock on (message dates, the age of callback queries, the 24-hour
    /// and 48-hour rules); real time passes too.
    pub fn pass_time(&self, by: Duration) {
        {
            let mut inner = self.shared.lock();
            inner.clock.offset += by;
            inner.expire_updates();
        }
        self.shared.bump();
    }

    /// The server clock now, as a Unix time.
    pub fn server_date(&self) -> i64 {
        self.shared.lock().date()
    }

    // ---- the users' side ----

    /// Queues an update from a user; returns its update_id.
    fn push_update(&self, mut update: Value) -> i64 {
        let id = {
            let mut inner = self.shared.lock();
            // Rule 7: anyone who sends the bot anything has started it.
            if let Some(sender) = sender_of(&update) {
                inner.started.insert(sender);
            }
            let id = inner.next_update_id;
            inner.next_update_id += 1;
            update["update_id"] = json!(id);
            let at = inner.now();
            inner.pending_updates.push_back(Pending { update, at });
            id
        };
        self.shared.bump();
        id
    }

    fn push_message(&self, user: &FakeUser, fill: impl FnOnce(&mut Value)) -> i32 {
        let mut message = {
            let mut inner = self.shared.lock();
            let message_id = inner.new_message_id(user.id);
            let date = inner.date();
            json!({ "message_id": message_id, "date": date, "chat": user.chat(), "from": user.json() })
        };
        fill(&mut message);
        let id = message["message_id"].as_i64().unwrap_or_default() as i32;
        {
            let mut inner = self.shared.lock();
            inner.remember_files_of(&message);
            let at = inner.now();
            inner.user_messages.insert((user.id, id), UserMessage { raw: message.clone(), at, gone: false });
        }
        self.push_update(json!({ "message": message }));
        id
    }

    /// The user types a text (a /command gets its bot_command entity). Returns its message id.
    pub fn send_text(&self, user: &FakeUser, text: &str) -> i32 {
        self.push_message(user, |m| {
            m["text"] = json!(text);
            if let Some(entities) = command_entities(text) {
                m["entities"] = entities;
            }
        })
    }

    /// The user edits the text of a message they sent: an `edited_message` update (rule 12:
    /// delivered only if the bot's allowed_updates has `edited_message`, as Telegram's default
    /// does). Panics if they never sent it.
    pub fn edit_text(&self, user: &FakeUser, message_id: i32, new_text: &str) {
        let edited = {
            let mut inner = self.shared.lock();
            let date = inner.date();
            let Some(message) = inner.user_messages.get_mut(&(user.id, message_id)) else {
                panic!("user {} never sent message {message_id}, so cannot edit it", user.id);
            };
            let raw = &mut message.raw;
            let key = if raw.get("caption").is_some() || raw.get("text").is_none() { "caption" } else { "text" };
            if key == "text" {
                raw["text"] = json!(new_text);
                match command_entities(new_text) {
                    Some(entities) => raw["entities"] = entities,
                    None => {
                        if let Some(obj) = raw.as_object_mut() {
                            obj.remove("entities");
                        }
                    }
                }
            } else {
                raw["caption"] = json!(new_text);
            }
            raw["edit_date"] = json!(date);
            raw.clone()
        };
        self.push_update(json!({ "edited_message": edited }));
    }

    /// Opens a link as Telegram does (rule 10): `https://t.me/<BOT_USERNAME>?start=<p>`
    /// makes the user send `/start <p>` when p is 1–64 characters of `A–Z a–z 0–9 _ -`, and a
    /// plain `/start` otherwise. Returns the message id. Panics if the link is not to this bot.
    pub fn open_link(&self, user: &FakeUser, link: &str) -> i32 {
        let rest = ["https://t.me/", "http://t.me/", "t.me/", "https://telegram.me/"]
            .iter()
            .find_map(|prefix| link.strip_prefix(prefix))
            .unwrap_or_else(|| panic!("{link:?} is not a t.me link"));
        let (name, query) = rest.split_once('?').unwrap_or((rest, ""));
        assert!(
            name.trim_end_matches('/').eq_ignore_ascii_case(BOT_USERNAME),
            "{link:?} is not a link to this bot (@{BOT_USERNAME})"
        );
        let start = query.split('&').find_map(|pair| pair.strip_prefix("start="));
        match start {
            Some(p) if rules::valid_start_parameter(p) => self.send_text(user, &format!("/start {p}")),
            _ => self.send_text(user, "/start"),
        }
    }

    /// The user shares a contact (their own when `owner` is themself).
    pub fn send_contact(&self, user: &FakeUser, phone: &str, owner: &FakeUser) -> i32 {
        self.push_message(user, |m| {
            m["contact"] = json!({ "phone_number": phone, "first_name": owner.first_name, "user_id": owner.id });
        })
    }

    /// The user shares a contact from their phone book that is not a Telegram user: it has no
    /// `user_id` (rule 16; core.telegram.org/bots/api#contact).
    pub fn send_contact_of_other(&self, user: &FakeUser, phone: &str, first_name: &str) -> i32 {
        self.push_message(user, |m| {
            m["contact"] = json!({ "phone_number": phone, "first_name": first_name });
        })
    }

    /// The user sends a photo: sizes `<file_id>-small` and `<file_id>` (the largest).
    pub fn send_photo(&self, user: &FakeUser, file_id: &str) -> i32 {
        self.push_message(user, |m| {
            m["photo"] = json!([
                { "file_id": format!("{file_id}-small"), "file_unique_id": format!("{file_id}-s"), "width": 90, "height": 90, "file_size": 1000 },
                { "file_id": file_id, "file_unique_id": format!("{file_id}-u"), "width": 1280, "height": 960, "file_size": 90000 }
            ]);
        })
    }

    /// The user sends a file «as a file»: a document (an image sent so has mime image/jpeg).
    pub fn send_document(&self, user: &FakeUser, file_id: &str, file_name: &str, mime_type: &str, size: u64) -> i32 {
        self.push_message(user, |m| {
            m["document"] = json!({ "file_id": file_id, "file_unique_id": format!("{file_id}-u"),
                                    "file_name": file_name, "mime_type": mime_type, "file_size": size });
        })
    }

    pub fn send_sticker(&self, user: &FakeUser) -> i32 {
        self.push_message(user, |m| {
            m["sticker"] = json!({ "file_id": "sticker-1", "file_unique_id": "st1", "type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false, "file_size": 20000 });
        })
    }

    /// The user sends a voice note, file id «voice-1».
    pub fn send_voice(&self, user: &FakeUser) -> i32 {
        self.send_voice_file(user, "voice-1", 5000)
    }

    /// The user sends a voice note with this file id and size.
    pub fn send_voice_file(&self, user: &FakeUser, file_id: &str, size: u64) -> i32 {
        self.push_message(user, |m| {
            m["voice"] = json!({ "file_id": file_id, "file_unique_id": format!("{file_id}-u"), "duration": 3, "mime_type": "audio/ogg", "file_size": size });
        })
    }

    /// The user presses an inline button with this data under one of the bot's messages
    /// (the data need not be what the button really carries: forged presses are tests too).
    pub fn press(&self, user: &FakeUser, message: &SentMessage, data: &str) -> String {
        let (id, current) = {
            let mut inner = self.shared.lock();
            inner.next_callback_id += 1;
            let id = format!("cb{}", inner.next_callback_id);
            let now = inner.now();
            inner.presses.insert(id.clone(), now);
            // As Telegram does, the query carries the message as it is now (edited text and
            // buttons), not as the test last saw it.
            let current = inner.messages.get(&(message.chat_id, message.message_id)).map(|m| m.sent.raw.clone());
            (id, current.unwrap_or_else(|| message.raw.clone()))
        };
        self.push_update(json!({ "callback_query": {
            "id": id, "from": user.json(), "message": current, "chat_instance": format!("ci{}", user.id), "data": data
        }}));
        id
    }

    /// The person deletes a message in their chat (one of the bot's, or their own): later edits
    /// of it are answered «message to edit not found» (rule 5), a refusal, not a violation.
    pub fn user_deletes(&self, chat_id: i64, message_id: i32) {
        let mut inner = self.shared.lock();
        if let Some(message) = inner.messages.get_mut(&(chat_id, message_id)) {
            message.gone = true;
        } else if let Some(message) = inner.user_messages.get_mut(&(chat_id, message_id)) {
            message.gone = true;
        } else {
            panic!("there is no message {message_id} in chat {chat_id} to delete");
        }
    }

    /// A person the tests put in the database as if they had joined: they have started the
    /// bot, so it may write to them (rule 7).
    pub fn user_started(&self, user_id: i64) {
        self.shared.lock().started.insert(user_id);
    }

    /// The person blocks the bot: sends and edits to their chat are answered 403 (rule 7).
    pub fn block(&self, user_id: i64) {
        let mut inner = self.shared.lock();
        inner.blocked.insert(user_id);
        inner.started.insert(user_id);
    }

    pub fn unblock(&self, user_id: i64) {
        self.shared.lock().blocked.remove(&user_id);
    }

    /// Telegram delivers the most recent update again (as after a lost acknowledgement).
    pub fn redeliver_last(&self) {
        let last = {
            let inner = self.shared.lock();
            inner.requests.iter().rev().find(|r| r.method == "__delivered").map(|r| Value::Object(r.params.clone()))
        };
        if let Some(mut update) = last {
            if let Some(obj) = update.as_object_mut() {
                obj.remove("update_id");
            }
            self.push_update(update);
        }
    }

    /// From now on, answers calls of `method` with random faults at these rates
    /// (deterministic for a seed).
    pub fn random_faults(&self, method: &str, rates: FaultRates, seed: u64) {
        self.shared.lock().random_faults = Some((method.to_string(), rates, SplitMix64::new(seed.max(1))));
    }

    /// Queues an error answer for the next call of `method`.
    pub fn inject_fault(&self, method: &str, fault: Fault) {
        self.shared.lock().faults.push_back((method.to_string(), fault));
    }

    /// From now on, answers every send to `chat` with `fault` (None: as usual again).
    pub fn fault_chat(&self, chat: i64, fault: Option<Fault>) {
        let mut inner = self.shared.lock();
        match fault {
            Some(fault) => inner.chat_faults.insert(chat, fault),
            None => inner.chat_faults.remove(&chat),
        };
    }

    /// From now on, answers every call but getUpdates with `fault`, getMe included (None: as
    /// usual again): Telegram, or the way to it, down for the bot's sends.
    pub fn outage(&self, fault: Option<Fault>) {
        self.shared.lock().outage = fault;
    }

    /// The messages delivered by requests left unanswered ([`Fault::AcceptedThenHang`]), as
    /// (chat, message id): the bot never learnt they arrived.
    pub fn unanswered(&self) -> Vec<(i64, i32)> {
        self.shared.lock().unanswered.clone()
    }

    // ---- what the bot did ----

    /// From now on, answer sends beyond Telegram's flood limits with 429: more than
    /// `overall_per_second` in any second, a second send to a chat within `chat_interval`,
    /// or more than 20 a minute to one group chat.
    pub fn enforce_limits(&self, overall_per_second: usize, chat_interval: Duration) {
        self.shared.lock().limits = Some(SendLimits { overall_per_second, chat_interval, ..SendLimits::default() });
    }

    /// How many sends the flood limits refused.
    pub fn refused_by_limits(&self) -> usize {
        self.shared.lock().limits.as_ref().map_or(0, |l| l.refused)
    }

    /// Requests a correct bot would never make (each with what was wrong and Telegram's
    /// answer).
    pub fn violations(&self) -> Vec<String> {
        self.shared.lock().violations.clone()
    }

    /// Every non-2xx answer given for a rule's reason, violations included (injected faults
    /// and flood 429s are not listed).
    pub fn refusals(&self) -> Vec<Refusal> {
        self.shared.lock().refusals.clone()
    }

    /// How many getUpdates calls have begun (to wait until one is under way).
    pub fn polls_started(&self) -> u64 {
        self.shared.lock().poll_generation
    }

    /// How many requests have been recorded (an index for `requests_since`).
    pub fn request_count(&self) -> usize {
        self.shared.lock().requests.len()
    }

    /// The requests recorded from index `from` on (cheaper than `requests` on long runs).
    pub fn requests_since(&self, from: usize) -> Vec<RecordedRequest> {
        let inner = self.shared.lock();
        inner.requests.iter().skip(from).filter(|r| !r.method.starts_with("__")).cloned().collect()
    }

    /// The newest request matching `matches`, looked for from the end without copying the log.
    pub fn find_request(&self, matches: impl Fn(&RecordedRequest) -> bool) -> Option<RecordedRequest> {
        let inner = self.shared.lock();
        inner.requests.iter().rev().filter(|r| !r.method.starts_with("__")).find(|r| matches(r)).cloned()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.iter().filter(|r| !r.method.starts_with("__")).cloned().collect()
    }

    /// Messages the bot sent to a chat, oldest first, as they are now (after edits; deleted
    /// ones too).
    pub fn messages_to(&self, chat: i64) -> Vec<SentMessage> {
        self.messages_to_after(chat, 0)
    }

    /// How many messages the bot has sent to a chat (cheap, for waiting on a reply).
    pub fn sent_count(&self, chat: i64) -> usize {
        self.shared.lock().sent_to.get(&chat).map_or(0, Vec::len)
    }

    /// (messages the bot sent, chats they went to): a chat counted twice got a duplicate.
    pub fn sends(&self) -> (usize, usize) {
        let inner = self.shared.lock();
        (inner.sent_to.values().map(Vec::len).sum(), inner.sent_to.len())
    }

    /// The messages the bot sent to a chat after the first `skip`, oldest first, as they are now.
    pub fn messages_to_after(&self, chat: i64, skip: usize) -> Vec<SentMessage> {
        let inner = self.shared.lock();
        let ids = inner.sent_to.get(&chat).map(|ids| ids.iter().skip(skip)).into_iter().flatten();
        ids.filter_map(|id| inner.messages.get(&(chat, *id)).map(|m| m.sent.clone())).collect()
    }

    /// The bot's answer to a button press: None before it answers, then the text it showed.
    pub fn callback_answer(&self, callback_query_id: &str) -> Option<Option<String>> {
        self.shared.lock().callback_answers.get(callback_query_id).cloned()
    }

    /// When the bot acknowledged the update carrying a user's action (None: not yet).
    pub fn acknowledged_at(&self, action: &UserAction) -> Option<std::time::Instant> {
        self.shared.lock().acknowledged.get(action).copied()
    }

    /// How many updates from a chat the bot has not yet acknowledged.
    pub fn unacknowledged_from(&self, chat: i64) -> usize {
        self.shared.lock().pending_updates.iter().filter(|p| UserAction::chat(&p.update) == Some(chat)).count()
    }

    /// Whether every pushed update has been fetched and acknowledged by the bot.
    pub fn all_updates_taken(&self) -> bool {
        self.shared.lock().pending_updates.is_empty()
    }

    /// Waits (without sleeping blindly) until `check` finds something, or the timeout ends.
    pub async fn wait_for<T>(&self, timeout: Duration, mut check: impl FnMut(&FakeTelegram) -> Option<T>) -> Option<T> {
        let mut activity = self.shared.activity.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            activity.borrow_and_update();
            if let Some(found) = check(self) {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, activity.changed()).await.is_err() {
                return check(self);
            }
        }
    }

    /// Waits for the n-th (0-based) request of a method sent after `since` requests.
    pub async fn wait_for_request_count(&self, method: &str, count: usize, timeout: Duration) -> bool {
        self.wait_for(timeout, |t| (t.requests().iter().filter(|r| r.method == method).count() >= count).then_some(()))
            .await
            .is_some()
    }
}

/// A request's body, parsed: its parameters, and the sizes of the files uploaded with it
/// (by the name of the part that carries each).
struct Body {
    params: Map<String, Value>,
    uploads: HashMap<String, u64>,
}

async fn handle_http(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Dropped> {
    let path = req.uri().path().to_string();
    let content_type =
        req.headers().get(hyper::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    // Path: /bot<token>/<method>
    // teloxide writes method names in PascalCase; Telegram ignores the case of the first letter.
    let method = lower_first(path.rsplit('/').next().unwrap_or(""));
    let parsed = if body.is_empty() {
        Ok(Body { params: Map::new(), uploads: HashMap::new() })
    } else if content_type.starts_with("application/json") {
        match serde_json::from_slice(&body) {
            Ok(Value::Object(params)) => Ok(Body { params, uploads: HashMap::new() }),
            _ => Err(format!("{method}: body is not a JSON object")),
        }
    } else if content_type.starts_with("multipart/form-data") {
        parse_multipart(&content_type, &body).ok_or_else(|| format!("{method}: malformed multipart body"))
    } else {
        Err(format!("{method}: unsupported content type {content_type:?}"))
    };
    let Body { params, uploads } = match parsed {
        Ok(body) => body,
        Err(problem) => return Ok(refuse_schema(&shared, &method, problem)),
    };
    if let Some(spec) = &shared.spec {
        let problems = spec.violations(&method, &params);
        if !problems.is_empty() {
            return Ok(refuse_schema(&shared, &method, problems.join("; ")));
        }
    }
    if method == "getUpdates" {
        return Ok(get_updates(&shared, params).await);
    }
    let answer = {
        let mut inner = shared.lock();
        inner.requests.push(RecordedRequest { method: method.clone(), params: params.clone() });
        let queued =
            inner.faults.iter().position(|(m, _)| m == &method).and_then(|i| inner.faults.remove(i)).map(|(_, f)| f);
        let random = match &mut inner.random_faults {
            Some((m, rates, state)) if *m == method => {
                let roll = state.below(100);
                let mut bound = 0;
                let mut next = |rate: u64| {
                    bound += rate;
                    roll < bound
                };
                if next(rates.server_error) {
                    Some(Fault::ServerError)
                } else if next(rates.too_many_requests) {
                    Some(Fault::TooManyRequests { retry_after: 1 })
                } else if next(rates.hang) {
                    Some(Fault::Hang { seconds: rates.hang_seconds })
                } else if next(rates.accepted_then_hang) {
                    Some(Fault::AcceptedThenHang { seconds: rates.hang_seconds })
                } else {
                    None
                }
            }
            _ => None,
        };
        let chat = methods::chat_id_of(&params);
        let sending = rules::SENDING_METHODS.contains(&method.as_str());
        let for_chat = chat.filter(|_| sending).and_then(|chat| inner.chat_faults.get(&chat).cloned());
        let fault =
            inner.outage.clone().or(queued).or(random).or(for_chat).or_else(|| match (&mut inner.limits, chat) {
                (Some(limits), Some(chat)) if sending => limits
                    .admit(chat, std::time::Instant::now())
                    .err()
                    .map(|retry_after| Fault::TooManyRequests { retry_after }),
                _ => None,
            });
        match fault {
            Some(Fault::Hang { seconds }) => Err(Unanswered::For(seconds, None)),
            Some(Fault::AcceptedThenHang { seconds }) => {
                // Carried out as if all were well; only the answer is lost.
                let answer = match methods::answer(&mut inner, &method, &params, &uploads) {
                    Ok(result) => {
                        if let (Some(chat), Some(id)) = (chat, result.get("message_id").and_then(Value::as_i64)) {
                            inner.unanswered.push((chat, id as i32));
                        }
                        ok(result)
                    }
                    Err(refused) => inner.refuse(&method, refused),
                };
                Err(Unanswered::For(seconds, Some(answer)))
            }
            Some(Fault::Disconnect) => Err(Unanswered::Dropped),
            Some(fault) => Ok(fault_response(fault)),
            None => Ok(match methods::answer(&mut inner, &method, &params, &uploads) {
                Ok(result) => ok(result),
                Err(refused) => inner.refuse(&method, refused),
            }),
        }
    };
    shared.bump();
    match answer {
        Ok(answer) => Ok(answer),
        // Answered only after the client has given up: what a request carried out would have
        // been answered, an error for one that was not.
        Err(Unanswered::Dropped) => Err(Dropped),
        Err(Unanswered::For(seconds, answer)) => {
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            Ok(answer.unwrap_or_else(|| fault_response(Fault::ServerError)))
        }
    }
}

fn find_bytes(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = from;
    while at + needle.len() <= haystack.len() {
        let next = haystack[at..=haystack.len() - needle.len()].iter().position(|b| *b == first)? + at;
        if haystack[next..].starts_with(needle) {
            return Some(next);
        }
        at = next + 1;
    }
    None
}

/// The fields of a multipart/form-data body (how teloxide sends photos and documents).
/// An uploaded file becomes the text «<uploaded file NAME>» (its size is kept aside); JSON
/// objects (reply_markup) are parsed.
fn parse_multipart(content_type: &str, body: &[u8]) -> Option<Body> {
    let boundary = content_type.split(';').find_map(|p| p.trim().strip_prefix("boundary="))?.trim_matches('"');
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut fields = Map::new();
    let mut uploads = HashMap::new();
    let mut at = find_bytes(body, delimiter, 0)? + delimiter.len();
    loop {
        if body[at..].starts_with(b"--") {
            break;
        }
        let end = find_bytes(body, delimiter, at)?;
        let mut part = &body[at..end];
        part = part.strip_prefix(b"\r\n").unwrap_or(part);
        part = part.strip_suffix(b"\r\n").unwrap_or(part);
        let split = find_bytes(part, b"\r\n\r\n", 0)?;
        let headers = String::from_utf8_lossy(&part[..split]).to_string();
        let raw_value = &part[split + 4..];
        let name = headers.split("name=\"").nth(1)?.split('"').next()?.to_string();
        let value = if let Some(file) = headers.split("filename=\"").nth(1) {
            uploads.insert(name.clone(), raw_value.len() as u64);
            json!(format!("<uploaded file {}>", file.split('"').next().unwrap_or("")))
        } else {
            let value = String::from_utf8_lossy(raw_value).to_string();
            if value.starts_with(['{', '[']) {
                serde_json::from_str(&value).unwrap_or_else(|_| json!(value))
            } else if let (Ok(number), false) = (value.parse::<i64>(), matches!(name.as_str(), "text" | "caption")) {
                // Form fields are text; ids read back as the numbers JSON bodies carry.
                json!(number)
            } else {
                json!(value)
            }
        };
        fields.insert(name, value);
        at = end + delimiter.len();
    }
    // Uploaded files travel in parts of their own, named by an «attach://NAME» value.
    let attached: Vec<String> = fields
        .values()
        .flat_map(|v| {
            let mut names = Vec::new();
            collect_attached(v, &mut names);
            names
        })
        .collect();
    for name in attached {
        fields.remove(&name);
    }
    Some(Body { params: fields, uploads })
}

/// Every «attach://NAME» in a value (InputMedia objects carry them).
fn collect_attached(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::String(s) => names.extend(s.strip_prefix("attach://").map(str::to_string)),
        Value::Array(items) => items.iter().for_each(|v| collect_attached(v, names)),
        Value::Object(map) => map.values().for_each(|v| collect_attached(v, names)),
        _ => {}
    }
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// A request that does not fit the Bot API description (or cannot be read): a violation.
fn refuse_schema(shared: &Shared, method: &str, problem: String) -> Response<Full<Bytes>> {
    let description = format!("Bad Request: {problem}");
    let response = shared.lock().refuse(method, Refused::violation(&description, problem));
    shared.bump();
    response
}

fn respond(status: StatusCode, body: Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("application/json"));
    response
}

/// Telegram's error shape: `{"ok":false,"error_code":N,"description":"..."}`.
fn error_response(error_code: u16, description: &str) -> Response<Full<Bytes>> {
    respond(
        StatusCode::from_u16(error_code).unwrap_or(StatusCode::BAD_REQUEST),
        json!({ "ok": false, "error_code": error_code, "description": description }),
    )
}

fn ok(result: Value) -> Response<Full<Bytes>> {
    respond(StatusCode::OK, json!({ "ok": true, "result": result }))
}

fn fault_response(fault: Fault) -> Response<Full<Bytes>> {
    match fault {
        Fault::TooManyRequests { retry_after } => respond(
            StatusCode::TOO_MANY_REQUESTS,
            json!({ "ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {retry_after}"), "parameters": { "retry_after": retry_after } }),
        ),
        Fault::ServerError => error_response(500, "Internal Server Error"),
        Fault::Hang { .. } | Fault::AcceptedThenHang { .. } | Fault::Disconnect => {
            error_response(504, "Gateway Timeout")
        }
        Fault::Blocked => error_response(403, rules::BLOCKED),
    }
}

/// The `allowed_updates` a getUpdates passed, if any (a JSON array, or one in a string).
fn allowed_updates_of(params: &Map<String, Value>) -> Option<Vec<String>> {
    let value = match params.get("allowed_updates")? {
        Value::String(s) => serde_json::from_str(s).ok()?,
        Value::Null => return None,
        v => v.clone(),
    };
    Some(value.as_array()?.iter().filter_map(Value::as_str).map(str::to_string).collect())
}

async fn get_updates(shared: &Shared, params: Map<String, Value>) -> Response<Full<Bytes>> {
    let offset = params.get("offset").and_then(Value::as_i64).unwrap_or(0);
    let limit = params.get("limit").and_then(Value::as_u64).unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(params.get("timeout").and_then(Value::as_u64).unwrap_or(0));
    let mut activity = shared.activity.subscribe();
    let generation = {
        let mut inner = shared.lock();
        // Rule 12 (core.telegram.org/bots/api#getupdates): no getUpdates while a webhook is set.
        if inner.webhook.is_some() {
            return inner.refuse("getUpdates", Refused::refusal(409, rules::WEBHOOK_ACTIVE));
        }
        // The list is remembered for later calls that pass none; an empty list means the
        // default (core.telegram.org/bots/api#getupdates).
        if let Some(list) = allowed_updates_of(&params) {
            inner.allowed_updates = (!list.is_empty()).then_some(list);
        }
        inner.poll_generation += 1;
        inner.poll_generation
    };
    // Wakes an earlier getUpdates still waiting: it is answered 409 below.
    shared.bump();
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        activity.borrow_and_update();
        {
            let mut inner = shared.lock();
            // Rule 12: only one getUpdates at a time per token; a newer one terminates this.
            if inner.poll_generation != generation {
                return inner.refuse("getUpdates", Refused::refusal(409, rules::TERMINATED_BY_OTHER));
            }
            inner.expire_updates();
            inner.drop_unwanted_updates();
            if offset < 0 {
                // «updates starting from -offset update from the end of the updates queue. All
                // previous updates will be forgotten.»
                let keep = offset.unsigned_abs() as usize;
                while inner.pending_updates.len() > keep {
                    inner.pending_updates.pop_front();
                }
            }
            // An offset acknowledges every update before it, as in Telegram.
            while inner
                .pending_updates
                .front()
                .and_then(|p| p.update["update_id"].as_i64())
                .is_some_and(|id| id < offset)
            {
                if let Some(Pending { update, .. }) = inner.pending_updates.pop_front() {
                    if let Some(action) = UserAction::of_update(&update) {
                        inner.acknowledged.insert(action, std::time::Instant::now());
                    }
                    if let Value::Object(map) = update {
                        inner.requests.push(RecordedRequest { method: "__delivered".into(), params: map });
                    }
                }
            }
            let ready: Vec<Value> = inner.pending_updates.iter().take(limit).map(|p| p.update.clone()).collect();
            if !ready.is_empty() {
                return ok(Value::Array(ready));
            }
        }
        if tokio::time::timeout_at(deadline, activity.changed()).await.is_err() {
            shared.bump();
            return ok(json!([]));
        }
    }
}
