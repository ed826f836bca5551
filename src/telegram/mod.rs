//! How Pelekan talks to Telegram: the teloxide `Bot`, with every message it sends paced under
//! Telegram's flood limits ([`pace`]). Edits, button answers and the rest are not limited by
//! Telegram in the same way and go straight through.

pub mod pace;

use std::future::{Future, IntoFuture};
use std::ops::Deref;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use teloxide::RequestError;
use teloxide::payloads::{ForwardMessage, SendMessage, SendPhoto};
use teloxide::prelude::*;
use teloxide::requests::{HasPayload, JsonRequest, MultipartRequest, Output};
use teloxide::types::{InputFile, MessageId, Recipient};

pub use pace::{Pace, SendLimits};

/// How often one message is tried again after a 429 before the error is the caller's.
const RETRIES_AFTER_429: u32 = 3;

/// The bot as handlers and the outbox use it. `send_message`, `send_photo` and
/// `forward_message` wait their turn under the limits; everything else is the plain `Bot`
/// (through `Deref`).
#[derive(Clone)]
pub struct Tg {
    bot: Bot,
    pace: Arc<Mutex<Pace>>,
}

/// A send request that waits for its turn when awaited (the teloxide setters work on it).
pub struct Paced<R> {
    request: R,
    tg: Tg,
}

/// A payload that goes to one chat.
pub trait Addressed {
    fn recipient(&self) -> &Recipient;
}

impl Addressed for SendMessage {
    fn recipient(&self) -> &Recipient {
        &self.chat_id
    }
}

impl Addressed for SendPhoto {
    fn recipient(&self) -> &Recipient {
        &self.chat_id
    }
}

impl Addressed for ForwardMessage {
    fn recipient(&self) -> &Recipient {
        &self.chat_id
    }
}

impl Tg {
    pub fn new(bot: Bot, limits: SendLimits) -> Tg {
        Tg { bot, pace: Arc::new(Mutex::new(Pace::new(limits))) }
    }

    /// The plain bot, for the dispatcher and polling.
    pub fn bot(&self) -> &Bot {
        &self.bot
    }

    pub fn send_message(&self, chat: impl Into<Recipient>, text: impl Into<String>) -> Paced<JsonRequest<SendMessage>> {
        Paced { request: self.bot.send_message(chat, text), tg: self.clone() }
    }

    pub fn send_photo(&self, chat: impl Into<Recipient>, photo: InputFile) -> Paced<MultipartRequest<SendPhoto>> {
        Paced { request: self.bot.send_photo(chat, photo), tg: self.clone() }
    }

    pub fn forward_message(
        &self,
        chat: impl Into<Recipient>,
        from_chat: impl Into<Recipient>,
        message: MessageId,
    ) -> Paced<JsonRequest<ForwardMessage>> {
        Paced { request: self.bot.forward_message(chat, from_chat, message), tg: self.clone() }
    }

    fn pace(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.pace.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sends when the limits allow; after a 429 every send waits the time Telegram asked for,
    /// and this one is tried again.
    async fn deliver<R>(self, request: R) -> Result<Output<R>, RequestError>
    where
        R: Request<Err = RequestError>,
        R::Payload: Addressed,
    {
        let chat = match request.payload_ref().recipient() {
            Recipient::Id(id) => id.0,
            // Pelekan sends to people by id; a channel by name shares one key.
            Recipient::ChannelUsername(_) => i64::MIN,
        };
        let mut retries = 0;
        loop {
            let at = self.pace().promise(chat, Instant::now());
            tokio::time::sleep_until(at.into()).await;
            match request.send_ref().await {
                Err(RequestError::RetryAfter(after)) if retries < RETRIES_AFTER_429 => {
                    retries += 1;
                    tracing::warn!(chat, retry_after = ?after.duration(), "Telegram asked to slow down (429); every send waits");
                    self.pace().freeze_until(Instant::now() + after.duration());
                }
                result => return result,
            }
        }
    }
}

impl Deref for Tg {
    type Target = Bot;

    fn deref(&self) -> &Bot {
        &self.bot
    }
}

impl<R: HasPayload> HasPayload for Paced<R> {
    type Payload = R::Payload;

    fn payload_mut(&mut self) -> &mut R::Payload {
        self.request.payload_mut()
    }

    fn payload_ref(&self) -> &R::Payload {
        self.request.payload_ref()
    }
}

impl<R> IntoFuture for Paced<R>
where
    R: Request<Err = RequestError> + Send + 'static,
    R::Payload: Addressed,
    Output<R>: Send,
{
    type Output = Result<Output<R>, RequestError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.tg.deliver(self.request))
    }
}
