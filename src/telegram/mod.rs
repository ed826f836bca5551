//! How Pelekan talks to Telegram: the teloxide `Bot`, with every message it sends paced under
//! Telegram's flood limits ([`pace`]), and every edit read the way Telegram means it
//! ([`edit`]). `Tg` has no `Deref` to `Bot`: a request it does not offer cannot be made by
//! accident around the pacing or the edit rules.

pub mod edit;
pub mod inbound;
pub mod limits;
pub mod pace;

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use teloxide::RequestError;
use teloxide::payloads::{ForwardMessage, SendDocument, SendMessage, SendPhoto};
use teloxide::prelude::*;
use teloxide::requests::{HasPayload, JsonRequest, MultipartRequest, Output};
use teloxide::types::{BotCommand, CallbackQueryId, InlineKeyboardMarkup, InputFile, Me, MessageId, Recipient};

pub use edit::Edited;
pub use pace::{Claimed, Pace, SendLimits};

/// How often one message is tried again after a 429 before the error is the caller's.
const RETRIES_AFTER_429: u32 = 3;

/// The bot as handlers and the outbox use it: sends wait their turn under the limits; edits
/// take "not modified" as done and a message that can no longer be edited as [`Edited::Impossible`].
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

impl Addressed for SendDocument {
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
    pub(crate) fn bot(&self) -> &Bot {
        &self.bot
    }

    pub fn send_message(&self, chat: impl Into<Recipient>, text: impl Into<String>) -> Paced<JsonRequest<SendMessage>> {
        Paced { request: self.bot.send_message(chat, text), tg: self.clone() }
    }

    pub fn send_photo(&self, chat: impl Into<Recipient>, photo: InputFile) -> Paced<MultipartRequest<SendPhoto>> {
        Paced { request: self.bot.send_photo(chat, photo), tg: self.clone() }
    }

    pub fn send_document(
        &self,
        chat: impl Into<Recipient>,
        document: InputFile,
    ) -> Paced<MultipartRequest<SendDocument>> {
        Paced { request: self.bot.send_document(chat, document), tg: self.clone() }
    }

    pub fn forward_message(
        &self,
        chat: impl Into<Recipient>,
        from_chat: impl Into<Recipient>,
        message: MessageId,
    ) -> Paced<JsonRequest<ForwardMessage>> {
        Paced { request: self.bot.forward_message(chat, from_chat, message), tg: self.clone() }
    }

    /// Who this bot is (getMe).
    pub async fn get_me(&self) -> Result<Me, RequestError> {
        self.bot.get_me().await
    }

    /// The command list Telegram shows beside the text field.
    pub async fn set_my_commands(&self, commands: Vec<BotCommand>) -> Result<(), RequestError> {
        self.bot.set_my_commands(commands).await.map(|_| ())
    }

    /// Stops the spinner on a pressed button, with a short note when there is one.
    pub async fn answer_press(&self, id: CallbackQueryId, note: Option<String>) -> Result<(), RequestError> {
        let mut request = self.bot.answer_callback_query(id);
        if let Some(note) = note {
            request = request.text(note);
        }
        request.await.map(|_| ())
    }

    /// Replaces a message's text and its buttons; `None` removes the buttons, as Telegram does
    /// when an edit carries none.
    pub async fn edit_text(
        &self,
        chat: ChatId,
        message: MessageId,
        text: String,
        buttons: Option<InlineKeyboardMarkup>,
    ) -> Result<Edited, RequestError> {
        let mut request = self.bot.edit_message_text(chat, message, text);
        request.payload_mut().reply_markup = buttons;
        edit::read(self.after_429(request).await.map(|_| ()))
    }

    /// Replaces a message's buttons; `None` removes them.
    pub async fn edit_buttons(
        &self,
        chat: ChatId,
        message: MessageId,
        buttons: Option<InlineKeyboardMarkup>,
    ) -> Result<Edited, RequestError> {
        let mut request = self.bot.edit_message_reply_markup(chat, message);
        request.payload_mut().reply_markup = buttons;
        edit::read(self.after_429(request).await.map(|_| ()))
    }

    /// Lets the outbox choose, under the limits, which of the messages it holds leaves now
    /// ([`Pace::claim`]); the one chosen is sent with [`Paced::in_slot`].
    pub fn choose<T>(&self, choose: impl FnOnce(&mut Pace) -> T) -> T {
        choose(&mut self.pace())
    }

    fn pace(&self) -> std::sync::MutexGuard<'_, Pace> {
        self.pace.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes a request that is not paced (an edit): Telegram limits those too, and after a 429
    /// it waits the time Telegram asked for (holding every send as well) and tries again.
    async fn after_429<R>(&self, request: R) -> Result<Output<R>, RequestError>
    where
        R: Request<Err = RequestError>,
    {
        let mut retries = 0;
        loop {
            match request.send_ref().await {
                Err(RequestError::RetryAfter(after)) if retries < RETRIES_AFTER_429 => {
                    retries += 1;
                    tracing::warn!(retry_after = ?after.duration(), "Telegram asked to slow down (429) on an edit");
                    self.pace().freeze_until(Instant::now() + after.duration());
                    tokio::time::sleep(after.duration()).await;
                }
                result => return result,
            }
        }
    }

    /// Sends when the limits allow; after a 429 every send waits the time Telegram asked for,
    /// and this one is tried again.
    async fn deliver<R>(self, request: R) -> Result<Output<R>, RequestError>
    where
        R: Request<Err = RequestError>,
        R::Payload: Addressed,
    {
        let chat = pace_key(request.payload_ref().recipient());
        let mut retries = 0;
        loop {
            let at = self.pace().promise(chat, Instant::now());
            tokio::time::sleep_until(at.into()).await;
            self.pace().left(chat, Instant::now());
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

/// The chat a send counts against in the pacing.
fn pace_key(recipient: &Recipient) -> i64 {
    match recipient {
        Recipient::Id(id) => id.0,
        // Pelekan sends to people by id; a channel by name shares one key.
        Recipient::ChannelUsername(_) => i64::MIN,
    }
}

impl<R> Paced<R>
where
    R: Request<Err = RequestError>,
    R::Payload: Addressed,
{
    /// Sends at once in a slot taken for it, one attempt. After a 429 every send waits the
    /// time Telegram asked for, and the error is the caller's: the outbox moves the row's next
    /// attempt instead of waiting with a message in hand.
    pub async fn in_slot(self, slot: Claimed) -> Result<Output<R>, RequestError> {
        debug_assert_eq!(slot.chat(), pace_key(self.request.payload_ref().recipient()), "a slot for another chat");
        let result = self.request.send().await;
        if let Err(RequestError::RetryAfter(after)) = &result {
            tracing::warn!(chat = slot.chat(), retry_after = ?after.duration(), "Telegram asked to slow down (429); every send waits");
            self.tg.pace().freeze_until(Instant::now() + after.duration());
        }
        result
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
