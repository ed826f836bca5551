//! The update being handled and where its chat is in a conversation: the unit of work.
//!
//! Every write an update causes carries the update's seen record in the same transaction
//! (`store::seen`): the conversation state ([`Conversation::update`], [`Conversation::exit`])
//! and the domain rows, given [`Conversation::update_key`]. So a crash before that commit means
//! the redelivered update is handled again from scratch, and after it the redelivery is ignored.

use teloxide::types::ChatId;

use super::State;
use crate::clock::Clock;
use crate::store::{Store, StoreResult, UpdateKey};

#[derive(Clone)]
pub struct Conversation {
    update: UpdateKey,
    store: Store,
    clock: Clock,
}

impl Conversation {
    /// The conversation of the update's chat; None when the update was handled before (a
    /// redelivery to ignore).
    pub async fn open(update: UpdateKey, store: Store, clock: Clock) -> StoreResult<Option<(Conversation, State)>> {
        if store.was_handled(&update).await? {
            return Ok(None);
        }
        let state = store.conversation(update.chat_id).await?.unwrap_or_default();
        Ok(Some((Conversation { update, store, clock }, state)))
    }

    pub fn chat_id(&self) -> ChatId {
        ChatId(self.update.chat_id)
    }

    /// The update, for the store's units of work, which record it with what they store.
    pub fn update_key(&self) -> &UpdateKey {
        &self.update
    }

    /// Moves the chat to `state`, recording the update, in one commit.
    pub async fn update(&self, state: State) -> StoreResult<()> {
        self.store.save_conversation(&self.update, &state, self.clock.now()).await
    }

    /// Ends the chat's conversation (back to the menu), recording the update, in one commit.
    pub async fn exit(&self) -> StoreResult<()> {
        self.store.end_conversation_of(&self.update, self.clock.now()).await
    }

    /// Records an update whose handling stored nothing, so that its sender counts as seen.
    pub async fn finish(&self) -> StoreResult<()> {
        self.store.mark_handled(&self.update, self.clock.now()).await
    }

    /// Whether what this update stored is committed: after that, an error must not tell the
    /// person their work was not done.
    pub fn committed(&self) -> bool {
        self.update.committed()
    }
}
