//! The update being handled and where its chat is in a conversation: the unit of work.
//!
//! Every write an update causes carries the update's seen record in the same transaction
//! (`store::seen`): the domain rows, given [`Conversation::update_key`], and the conversation
//! state. So a crash before that commit means the update is handled again from scratch (from
//! the inbox), and after it the update is done.
//!
//! Every answer ([`Conversation::say`], [`Conversation::edit`]) is an outbox row stored with
//! the update's work: with the first unit of work that commits for the update, or, when the
//! update stores nothing else, with where the chat goes next ([`Conversation::update`],
//! [`Conversation::exit`]), committed when the handler has finished ([`Conversation::finish`]).
//! Nothing is sent before that commit, so a crash before it handles the update again from
//! scratch, and a question is never sent for a step the chat did not move to. (The next update
//! of the same chat is handled only after this one: the dispatcher keeps a chat's updates in
//! order.)

use std::sync::{Arc, Mutex};

use teloxide::types::{CallbackQueryId, ChatId, InlineKeyboardMarkup, ReplyMarkup};

use super::State;
use crate::clock::Clock;
use crate::store::{Edit, NewOutboxMessage, Store, StoreResult, UpdateKey};
use crate::views::keyboards;

#[derive(Clone)]
pub struct Conversation {
    update: UpdateKey,
    store: Store,
    clock: Clock,
    next: Arc<Mutex<Option<Next>>>,
    /// A button press to answer once the update's work is committed, with its short note.
    press: Arc<Mutex<Option<PressAnswer>>>,
}

/// A button press and the short note to show on it.
pub type PressAnswer = (CallbackQueryId, Option<String>);

/// Where the chat goes when the handler has finished.
enum Next {
    /// To this state; `after_work` says whether the update's work was committed when it was
    /// decided (a state decided before a unit of work that then committed is that work's to
    /// set: the unit ends the conversation itself).
    Save {
        state: State,
        after_work: bool,
    },
    End,
}

impl Conversation {
    /// The conversation of the update's chat; None when the update was handled before (a
    /// redelivery to ignore).
    pub async fn open(update: UpdateKey, store: Store, clock: Clock) -> StoreResult<Option<(Conversation, State)>> {
        let Some(state) = store.conversation_unless_handled(&update).await? else { return Ok(None) };
        let conversation = Conversation { update, store, clock, next: Arc::default(), press: Arc::default() };
        Ok(Some((conversation, state.unwrap_or_default())))
    }

    pub fn chat_id(&self) -> ChatId {
        ChatId(self.update.chat_id)
    }

    /// The update, for the store's units of work, which record it with what they store.
    pub fn update_key(&self) -> &UpdateKey {
        &self.update
    }

    /// Answers in the update's chat with `text` and its keyboard, if any. Returns the answer's
    /// outbox key (a summary's buttons are live on the message it becomes).
    pub fn say(&self, text: String, markup: Option<ReplyMarkup>) -> String {
        self.answer(text, markup.as_ref().and_then(keyboards::as_json), None)
    }

    /// Answers by changing a message of the chat already sent: `text` with `buttons` (`edit`
    /// says which change, and what becomes of it when the message can no longer be edited).
    pub fn edit(&self, edit: Edit, text: String, buttons: Option<&InlineKeyboardMarkup>) -> String {
        self.answer(text, buttons.and_then(keyboards::as_json), Some(edit))
    }

    fn answer(&self, text: String, markup: Option<String>, edit: Option<Edit>) -> String {
        let now = self.clock.now();
        let reply = NewOutboxMessage::reply(self.update.chat_id, String::new(), text, markup, now);
        self.update.answer(NewOutboxMessage { dedupe_key: None, edit, ..reply })
    }

    /// The press this update is, to be answered with `note` once what it did is committed.
    pub fn note_press(&self, id: CallbackQueryId, note: Option<String>) {
        *self.press.lock().unwrap_or_else(|e| e.into_inner()) = Some((id, note));
    }

    /// The press to answer, and its note, if the update is a press.
    pub fn take_press(&self) -> Option<PressAnswer> {
        self.press.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// The chat moves to `state` when the handler has finished.
    pub fn update(&self, state: State) {
        self.set_next(Next::Save { state, after_work: self.update.committed() });
    }

    /// The chat's conversation ends (back to the menu) when the handler has finished.
    pub fn exit(&self) {
        self.set_next(Next::End);
    }

    fn set_next(&self, next: Next) {
        *self.next.lock().unwrap_or_else(|e| e.into_inner()) = Some(next);
    }

    /// The handler has finished well: where the chat goes next is committed with the update's
    /// seen record and the answers no unit stored yet (an update that changed nothing is
    /// recorded all the same, so that its sender counts as seen).
    pub async fn finish(&self) -> StoreResult<()> {
        let next = self.next.lock().unwrap_or_else(|e| e.into_inner()).take();
        let now = self.clock.now();
        match next {
            Some(Next::Save { state, after_work }) if after_work || !self.update.committed() => {
                self.store.save_conversation(&self.update, &state, now).await
            }
            Some(Next::End) => self.store.end_conversation_of(&self.update, now).await,
            _ => self.store.mark_handled(&self.update, now).await,
        }
    }

    /// The handler failed: nothing it decided is kept, and the update is recorded as handled
    /// with `answer` (telling the person to try again) queued, so that a restart does not
    /// handle it again in whatever the person is doing by then.
    pub async fn abandon(&self, answer: &NewOutboxMessage) -> StoreResult<()> {
        self.next.lock().unwrap_or_else(|e| e.into_inner()).take();
        self.update.drop_answers();
        self.store.enqueue_for(&self.update, answer, self.clock.now()).await.map(|_| ())
    }

    /// Whether what this update stored is committed: after that, an error must not tell the
    /// person their work was not done.
    pub fn committed(&self) -> bool {
        self.update.committed()
    }

    /// Whether answers of this update were stored in the outbox (which is then woken).
    pub fn queued_answers(&self) -> bool {
        self.update.queued_answers()
    }
}
