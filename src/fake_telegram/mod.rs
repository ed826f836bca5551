//! A stand-in for the Telegram Bot API on loopback HTTP. The real bot (teloxide, the real
//! dispatcher) talks to it through `TELOXIDE_API_URL`; tests and `pelekan demo` play the
//! users. Every request is checked against the Bot API description, and anything real
//! Telegram would refuse is refused and recorded as a violation.

mod spec;
pub mod users;

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

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

pub use spec::{ApiSpec, SpecError};

pub const BOT_ID: i64 = 7_000_000_001;
pub const BOT_USERNAME: &str = "pelekan_test_bot";

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

/// Something a user sent, as they know it: one of their messages, or a button press.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserAction {
    Message { chat: i64, message_id: i32 },
    Press { callback_query_id: String },
}

impl UserAction {
    fn of_update(update: &Value) -> Option<UserAction> {
        if let Some(message) = update.get("message") {
            let chat = message["chat"]["id"].as_i64()?;
            let message_id = i32::try_from(message["message_id"].as_i64()?).ok()?;
            return Some(UserAction::Message { chat, message_id });
        }
        let id = update.get("callback_query")?.get("id")?.as_str()?;
        Some(UserAction::Press { callback_query_id: id.to_string() })
    }

    fn chat(update: &Value) -> Option<i64> {
        update.pointer("/message/chat/id").or_else(|| update.pointer("/callback_query/from/id"))?.as_i64()
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
    ServerError,
    Blocked,
}

/// Percentages of calls answered with each fault.
#[derive(Debug, Clone, Copy)]
pub struct FaultRates {
    pub server_error: u64,
    pub too_many_requests: u64,
    pub hang: u64,
    /// How long a hang lasts (past the client's timeout).
    pub hang_seconds: u64,
}

#[derive(Default)]
struct Inner {
    pending_updates: VecDeque<Value>,
    next_update_id: i64,
    next_message_id: HashMap<i64, i32>,
    messages: HashMap<(i64, i32), SentMessage>,
    requests: Vec<RecordedRequest>,
    violations: Vec<String>,
    faults: VecDeque<(String, Fault)>,
    /// Random faults for one method: (method, rates, generator state).
    random_faults: Option<(String, FaultRates, SplitMix64)>,
    next_callback_id: u64,
    clock: i64,
    limits: Option<SendLimits>,
    /// Per chat: the ids of the messages the bot sent there, oldest first.
    sent_to: HashMap<i64, Vec<i32>>,
    /// Per callback query id: the bot's answer (its text, if any).
    callback_answers: HashMap<String, Option<String>>,
    /// When the bot acknowledged each user action's update (asked for updates past it).
    acknowledged: HashMap<UserAction, std::time::Instant>,
}

/// Telegram's flood limits, enforced on sends: beyond them the answer is 429.
#[derive(Debug, Default)]
struct SendLimits {
    overall_per_second: usize,
    chat_interval: Duration,
    /// When recent sends were accepted, oldest first (the last second's window).
    accepted: VecDeque<std::time::Instant>,
    last_to_chat: HashMap<i64, std::time::Instant>,
    refused: usize,
}

impl SendLimits {
    /// Accepts a send now, or says how long to wait.
    fn admit(&mut self, chat: i64, now: std::time::Instant) -> Result<(), u32> {
        let second = Duration::from_secs(1);
        while self.accepted.front().is_some_and(|t| now.duration_since(*t) >= second) {
            self.accepted.pop_front();
        }
        let chat_busy = self.last_to_chat.get(&chat).is_some_and(|t| now.duration_since(*t) < self.chat_interval);
        if chat_busy || self.accepted.len() >= self.overall_per_second {
            self.refused += 1;
            return Err(1);
        }
        self.accepted.push_back(now);
        self.last_to_chat.insert(chat, now);
        Ok(())
    }
}

const SENDING_METHODS: [&str; 5] = ["sendMessage", "sendPhoto", "sendDocument", "forwardMessage", "copyMessage"];

impl Inner {
    fn new_message_id(&mut self, chat: i64) -> i32 {
        let id = self.next_message_id.entry(chat).or_insert(0);
        *id += 1;
        *id
    }

    fn now(&mut self) -> i64 {
        self.clock += 1;
        1_760_000_000 + self.clock
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

impl FakeTelegram {
    /// Starts on a free loopback port. With a spec, every request is validated.
    pub async fn start(spec: Option<ApiSpec>) -> std::io::Result<FakeTelegram> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (activity, _) = watch::channel(0);
        let shared =
            Arc::new(Shared { inner: Mutex::new(Inner { next_update_id: 1, ..Inner::default() }), spec, activity });
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

    // ---- the users' side ----

    fn push_update(&self, mut update: Value) -> i64 {
        let id = {
            let mut inner = self.shared.lock();
            let id = inner.next_update_id;
            inner.next_update_id += 1;
            update["update_id"] = json!(id);
            inner.pending_updates.push_back(update);
            id
        };
        self.shared.bump();
        id
    }

    fn push_message(&self, user: &FakeUser, fill: impl FnOnce(&mut Value)) -> i32 {
        let mut message = {
            let mut inner = self.shared.lock();
            let message_id = inner.new_message_id(user.id);
            let date = inner.now();
            json!({ "message_id": message_id, "date": date, "chat": user.chat(), "from": user.json() })
        };
        fill(&mut message);
        let id = message["message_id"].as_i64().unwrap_or_default() as i32;
        self.push_update(json!({ "message": message }));
        id
    }

    /// The user types a text (a /command gets its bot_command entity). Returns its message id.
    pub fn send_text(&self, user: &FakeUser, text: &str) -> i32 {
        self.push_message(user, |m| {
            m["text"] = json!(text);
            if text.starts_with('/') {
                let length = text.split_whitespace().next().unwrap_or("").encode_utf16().count();
                m["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": length }]);
            }
        })
    }

    /// The user shares a contact (their own when `owner` is themself).
    pub fn send_contact(&self, user: &FakeUser, phone: &str, owner: &FakeUser) -> i32 {
        self.push_message(user, |m| {
            m["contact"] = json!({ "phone_number": phone, "first_name": owner.first_name, "user_id": owner.id });
        })
    }

    pub fn send_photo(&self, user: &FakeUser, file_id: &str) -> i32 {
        self.push_message(user, |m| {
            m["photo"] = json!([
                { "file_id": format!("{file_id}-small"), "file_unique_id": format!("{file_id}-s"), "width": 90, "height": 90, "file_size": 1000 },
                { "file_id": file_id, "file_unique_id": format!("{file_id}-u"), "width": 1280, "height": 960, "file_size": 90000 }
            ]);
        })
    }

    pub fn send_sticker(&self, user: &FakeUser) -> i32 {
        self.push_message(user, |m| {
            m["sticker"] = json!({ "file_id": "sticker-1", "file_unique_id": "st1", "type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false });
        })
    }

    pub fn send_voice(&self, user: &FakeUser) -> i32 {
        self.push_message(user, |m| {
            m["voice"] = json!({ "file_id": "voice-1", "file_unique_id": "vo1", "duration": 3, "mime_type": "audio/ogg", "file_size": 5000 });
        })
    }

    /// The user presses an inline button with this data under one of the bot's messages
    /// (the data need not be what the button really carries: forged presses are tests too).
    pub fn press(&self, user: &FakeUser, message: &SentMessage, data: &str) -> String {
        let id = {
            let mut inner = self.shared.lock();
            inner.next_callback_id += 1;
            format!("cb{}", inner.next_callback_id)
        };
        self.push_update(json!({ "callback_query": {
            "id": id, "from": user.json(), "message": message.raw, "chat_instance": format!("ci{}", user.id), "data": data
        }}));
        id
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

    // ---- what the bot did ----

    /// From now on, answer sends beyond Telegram's flood limits with 429: more than
    /// `overall_per_second` in any second, or a second send to a chat within `chat_interval`.
    pub fn enforce_limits(&self, overall_per_second: usize, chat_interval: Duration) {
        self.shared.lock().limits = Some(SendLimits { overall_per_second, chat_interval, ..SendLimits::default() });
    }

    /// How many sends the flood limits refused.
    pub fn refused_by_limits(&self) -> usize {
        self.shared.lock().limits.as_ref().map_or(0, |l| l.refused)
    }

    pub fn violations(&self) -> Vec<String> {
        self.shared.lock().violations.clone()
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

    /// Messages the bot sent to a chat, oldest first, as they are now (after edits).
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
        ids.filter_map(|id| inner.messages.get(&(chat, *id)).cloned()).collect()
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
        self.shared.lock().pending_updates.iter().filter(|u| UserAction::chat(u) == Some(chat)).count()
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

async fn handle_http(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path().to_string();
    let content_type =
        req.headers().get(hyper::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = req.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
    // Path: /bot<token>/<method>
    // teloxide writes method names in PascalCase; Telegram ignores the case of the first letter.
    let method = lower_first(path.rsplit('/').next().unwrap_or(""));
    let params: Map<String, Value> = if body.is_empty() {
        Map::new()
    } else if content_type.starts_with("application/json") {
        match serde_json::from_slice(&body) {
            Ok(Value::Object(map)) => map,
            _ => {
                return Ok(refuse(&shared, &method, format!("{method}: body is not a JSON object")));
            }
        }
    } else if content_type.starts_with("multipart/form-data") {
        match parse_multipart(&content_type, &body) {
            Some(map) => map,
            None => {
                return Ok(refuse(&shared, &method, format!("{method}: malformed multipart body")));
            }
        }
    } else {
        return Ok(refuse(&shared, &method, format!("{method}: unsupported content type {content_type:?}")));
    };
    if let Some(spec) = &shared.spec {
        let problems = spec.violations(&method, &params);
        if !problems.is_empty() {
            return Ok(refuse(&shared, &method, problems.join("; ")));
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
                if roll < rates.server_error {
                    Some(Fault::ServerError)
                } else if roll < rates.server_error + rates.too_many_requests {
                    Some(Fault::TooManyRequests { retry_after: 1 })
                } else if roll < rates.server_error + rates.too_many_requests + rates.hang {
                    Some(Fault::Hang { seconds: rates.hang_seconds })
                } else {
                    None
                }
            }
            _ => None,
        };
        let fault = queued.or(random).or_else(|| match (&mut inner.limits, chat_id_of(&params)) {
            (Some(limits), Some(chat)) if SENDING_METHODS.contains(&method.as_str()) => limits
                .admit(chat, std::time::Instant::now())
                .err()
                .map(|retry_after| Fault::TooManyRequests { retry_after }),
            _ => None,
        });
        match fault {
            Some(Fault::Hang { seconds }) => Err(seconds),
            Some(fault) => Ok(fault_response(fault)),
            None => Ok(answer_method(&mut inner, &method, &params)),
        }
    };
    shared.bump();
    match answer {
        Ok(answer) => Ok(answer),
        Err(seconds) => {
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            Ok(fault_response(Fault::ServerError))
        }
    }
}

/// The fields of a multipart/form-data body (how teloxide sends photos and documents).
/// An uploaded file becomes the text «<uploaded file NAME>»; JSON objects (reply_markup)
/// are parsed.
fn parse_multipart(content_type: &str, body: &[u8]) -> Option<Map<String, Value>> {
    let boundary = content_type.split(';').find_map(|p| p.trim().strip_prefix("boundary="))?.trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(body);
    let mut fields = Map::new();
    for part in text.split(delimiter.as_str()).skip(1) {
        if part.starts_with("--") {
            break;
        }
        let (headers, value) = part.trim_start_matches("\r\n").split_once("\r\n\r\n")?;
        let name = headers.split("name=\"").nth(1)?.split('"').next()?.to_string();
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let value = if let Some(file) = headers.split("filename=\"").nth(1) {
            json!(format!("<uploaded file {}>", file.split('"').next().unwrap_or("")))
        } else if value.starts_with(['{', '[']) {
            serde_json::from_str(value).unwrap_or_else(|_| json!(value))
        } else if let (Ok(number), false) = (value.parse::<i64>(), matches!(name.as_str(), "text" | "caption")) {
            // Form fields are text; ids read back as the numbers JSON bodies carry.
            json!(number)
        } else {
            json!(value)
        };
        fields.insert(name, value);
    }
    // Uploaded files travel in parts of their own, named by an «attach://NAME» value.
    let attached: Vec<String> =
        fields.values().filter_map(|v| v.as_str()?.strip_prefix("attach://").map(str::to_string)).collect();
    for name in attached {
        fields.remove(&name)?;
    }
    Some(fields)
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

fn refuse(shared: &Shared, method: &str, problem: String) -> Response<Full<Bytes>> {
    tracing::error!(method, problem, "fake Telegram refused a request");
    shared.lock().violations.push(problem.clone());
    shared.bump();
    respond(
        StatusCode::BAD_REQUEST,
        json!({ "ok": false, "error_code": 400, "description": format!("Bad Request: {problem}") }),
    )
}

fn respond(status: StatusCode, body: Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("application/json"));
    response
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
        Fault::ServerError => respond(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({ "ok": false, "error_code": 500, "description": "Internal Server Error" }),
        ),
        Fault::Hang { .. } => respond(
            StatusCode::GATEWAY_TIMEOUT,
            json!({ "ok": false, "error_code": 504, "description": "Gateway Timeout" }),
        ),
        Fault::Blocked => respond(
            StatusCode::FORBIDDEN,
            json!({ "ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user" }),
        ),
    }
}

async fn get_updates(shared: &Shared, params: Map<String, Value>) -> Response<Full<Bytes>> {
    let offset = params.get("offset").and_then(Value::as_i64).unwrap_or(0);
    let limit = params.get("limit").and_then(Value::as_u64).unwrap_or(100).clamp(1, 100) as usize;
    let timeout = Duration::from_secs(params.get("timeout").and_then(Value::as_u64).unwrap_or(0));
    let mut activity = shared.activity.subscribe();
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        activity.borrow_and_update();
        {
            let mut inner = shared.lock();
            // An offset acknowledges every update before it, as in Telegram.
            while inner.pending_updates.front().and_then(|u| u["update_id"].as_i64()).is_some_and(|id| id < offset) {
                if let Some(update) = inner.pending_updates.pop_front() {
                    if let Some(action) = UserAction::of_update(&update) {
                        inner.acknowledged.insert(action, std::time::Instant::now());
                    }
                    if let Value::Object(map) = update {
                        inner.requests.push(RecordedRequest { method: "__delivered".into(), params: map });
                    }
                }
            }
            let ready: Vec<Value> = inner.pending_updates.iter().take(limit).cloned().collect();
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

fn bot_user() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "پلکان", "username": BOT_USERNAME,
            "can_join_groups": false, "can_read_all_group_messages": false, "supports_inline_queries": false, "can_connect_to_business": false, "has_main_web_app": false })
}

fn chat_id_of(params: &Map<String, Value>) -> Option<i64> {
    match params.get("chat_id")? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

fn markup_of(params: &Map<String, Value>) -> Option<Value> {
    match params.get("reply_markup")? {
        Value::String(s) => serde_json::from_str(s).ok(),
        v => Some(v.clone()),
    }
}

fn bad_request(description: &str) -> Response<Full<Bytes>> {
    respond(
        StatusCode::BAD_REQUEST,
        json!({ "ok": false, "error_code": 400, "description": format!("Bad Request: {description}") }),
    )
}

fn answer_method(inner: &mut Inner, method: &str, params: &Map<String, Value>) -> Response<Full<Bytes>> {
    match method {
        "getMe" => ok(bot_user()),
        "getWebhookInfo" => ok(json!({ "url": "", "has_custom_certificate": false, "pending_update_count": 0 })),
        "deleteWebhook" | "setMyCommands" | "deleteMyCommands" => ok(json!(true)),
        "answerCallbackQuery" => {
            if let Some(id) = params.get("callback_query_id").and_then(Value::as_str) {
                let text = params.get("text").and_then(Value::as_str).map(str::to_string);
                inner.callback_answers.insert(id.to_string(), text);
            }
            ok(json!(true))
        }
        "sendMessage" | "sendPhoto" | "sendDocument" => {
            let Some(chat) = chat_id_of(params) else {
                return bad_request("chat not found");
            };
            let message_id = inner.new_message_id(chat);
            let date = inner.now();
            let text_key = if method == "sendMessage" { "text" } else { "caption" };
            let text = params.get(text_key).and_then(Value::as_str).unwrap_or("").to_string();
            let reply_markup = markup_of(params);
            let mut raw = json!({ "message_id": message_id, "date": date, "from": bot_user(),
                                  "chat": { "id": chat, "type": "private", "first_name": "User" } });
            raw[text_key] = json!(text);
            let file_id = format!("file-{chat}-{message_id}");
            match method {
                "sendPhoto" => {
                    raw["photo"] =
                        json!([{ "file_id": file_id, "file_unique_id": file_id, "width": 800, "height": 600 }])
                }
                "sendDocument" => raw["document"] = json!({ "file_id": file_id, "file_unique_id": file_id }),
                _ => {}
            }
            // Telegram echoes only inline keyboards back in the Message.
            if let Some(m) = reply_markup.as_ref().filter(|m| m.get("inline_keyboard").is_some()) {
                raw["reply_markup"] = m.clone();
            }
            let sent = SentMessage {
                chat_id: chat,
                message_id,
                text,
                reply_markup: raw.get("reply_markup").cloned(),
                raw: raw.clone(),
                sent_at: std::time::Instant::now(),
            };
            inner.messages.insert((chat, message_id), sent);
            inner.sent_to.entry(chat).or_default().push(message_id);
            ok(raw)
        }
        "forwardMessage" | "copyMessage" => {
            let (Some(chat), Some(from_chat)) =
                (chat_id_of(params), params.get("from_chat_id").and_then(Value::as_i64))
            else {
                return bad_request("chat not found");
            };
            let message_id = inner.new_message_id(chat);
            let date = inner.now();
            let raw = json!({ "message_id": message_id, "date": date, "from": bot_user(),
                              "chat": { "id": chat, "type": "private", "first_name": "User" },
                              "forward_origin": { "type": "hidden_user", "date": date, "sender_user_name": format!("user {from_chat}") },
                              "text": "(forwarded)" });
            let sent = SentMessage {
                chat_id: chat,
                message_id,
                text: "(forwarded)".into(),
                reply_markup: None,
                raw: raw.clone(),
                sent_at: std::time::Instant::now(),
            };
            inner.messages.insert((chat, message_id), sent);
            inner.sent_to.entry(chat).or_default().push(message_id);
            if method == "copyMessage" { ok(json!({ "message_id": message_id })) } else { ok(raw) }
        }
        "editMessageText" | "editMessageReplyMarkup" => {
            let (Some(chat), Some(message_id)) = (chat_id_of(params), params.get("message_id").and_then(Value::as_i64))
            else {
                return bad_request("message to edit not found");
            };
            let Some(message) = inner.messages.get_mut(&(chat, message_id as i32)) else {
                return bad_request("message to edit not found");
            };
            let new_text =
                params.get("text").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| message.text.clone());
            let new_markup = markup_of(params)
                .filter(|m| m.get("inline_keyboard").is_some_and(|k| k.as_array().is_some_and(|a| !a.is_empty())));
            if new_text == message.text && new_markup == message.reply_markup {
                return bad_request(
                    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
                );
            }
            message.text = new_text.clone();
            message.reply_markup = new_markup.clone();
            message.raw["text"] = json!(new_text);
            match new_markup {
                Some(m) => message.raw["reply_markup"] = m,
                None => {
                    if let Some(obj) = message.raw.as_object_mut() {
                        obj.remove("reply_markup");
                    }
                }
            }
            message.raw["edit_date"] = json!(1_760_000_000);
            ok(message.raw.clone())
        }
        other => bad_request(&format!("the fake server does not implement {other}")),
    }
}
