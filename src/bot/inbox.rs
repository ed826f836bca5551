//! The inbox between Telegram and the handlers. teloxide's polling tells Telegram an update
//! arrived (the next getUpdates carries a higher offset) as soon as the dispatcher has taken
//! it, long before a handler has stored anything: a crash then would lose the update, as
//! Telegram never delivers it again. So each update the handlers take is stored first (the
//! next getUpdates is only asked for after that), and when the bot starts, the updates whose
//! handling never committed are handled before anything new.
//!
//! Before that, each chat's updates are counted against its inbound limit
//! (`telegram::inbound`): a chat sending hundreds of updates has the excess dropped here, so
//! that nothing from it queues in front of anyone else. Updates the handlers never take (groups,
//! channels, other kinds) are dropped here too.

use futures_util::stream::{self, BoxStream, StreamExt};
use teloxide::RequestError;
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, Update, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, Polling, UpdateListener};

use std::sync::{Arc, Mutex};

use crate::clock::Clock;
use crate::store::{Store, UpdateKey};
use crate::telegram::inbound::{Inbound, InboundLimit, InboundLimits};

/// How far back a restart looks for updates whose handling a crash interrupted. An answer much
/// later than that would come to a person who has long since said it again.
pub const REPLAY_WITHIN: chrono::Duration = chrono::Duration::hours(1);

/// The key that a redelivery of `update` repeats, for the updates the handlers take; None for
/// the rest (groups, channels, kinds the bot does not read).
pub fn update_key(update: &Update) -> Option<UpdateKey> {
    match &update.kind {
        UpdateKind::Message(msg) if msg.chat.is_private() => {
            Some(UpdateKey::new(msg.chat.id.0, format!("m{}", msg.id.0)))
        }
        // Each edit of a message is an update of its own (two within a second share the
        // message id and the edit date), so the update id is the key.
        UpdateKind::EditedMessage(msg) if msg.chat.is_private() => {
            Some(UpdateKey::new(msg.chat.id.0, format!("e{}", update.id.0)))
        }
        UpdateKind::CallbackQuery(q) => {
            Some(UpdateKey::new(i64::try_from(q.from.id.0).unwrap_or_default(), format!("c{}", q.id.0)))
        }
        _ => None,
    }
}

/// Telegram's long polling, with each update stored in the inbox before it is acknowledged.
pub struct InboxListener {
    polling: Polling<teloxide::Bot>,
    store: Store,
    clock: Clock,
    /// Updates a crash interrupted, handled first.
    unfinished: Vec<Update>,
    limits: Arc<Mutex<InboundLimits>>,
}

impl InboxListener {
    pub async fn new(
        polling: Polling<teloxide::Bot>,
        store: Store,
        clock: Clock,
        limit: InboundLimit,
    ) -> InboxListener {
        let since = clock.now() - REPLAY_WITHIN;
        let unfinished = match store.unfinished_updates(since).await {
            Ok(stored) => stored
                .iter()
                .filter_map(|json| match serde_json::from_str::<Update>(json) {
                    Ok(update) => Some(update),
                    Err(e) => {
                        tracing::error!(error = %e, "an update in the inbox cannot be read; it is not handled again");
                        None
                    }
                })
                .collect(),
            Err(e) => {
                tracing::error!(error = %e, "cannot read the inbox; updates a crash interrupted are not handled again");
                Vec::new()
            }
        };
        if !unfinished.is_empty() {
            tracing::info!(count = unfinished.len(), "handling again the updates a stop interrupted");
        }
        let limits = Arc::new(Mutex::new(InboundLimits::new(limit)));
        InboxListener { polling, store, clock, unfinished, limits }
    }
}

/// Takes an update: stored in the inbox, then handed to the handlers. None for one the
/// handlers do not take, one over its chat's inbound limit, or one received before (not to be
/// handled twice).
async fn received(store: &Store, clock: &Clock, limits: &Mutex<InboundLimits>, update: Update) -> Option<Update> {
    let key = update_key(&update)?;
    let inbound = limits.lock().unwrap_or_else(|e| e.into_inner()).take(key.chat_id, std::time::Instant::now());
    if let Inbound::Dropped { first } = inbound {
        if first {
            tracing::warn!(
                chat = key.chat_id,
                "a chat sends more than its inbound limit; its updates are dropped for now"
            );
        }
        return None;
    }
    let stored = match serde_json::to_string(&update) {
        Ok(json) => store.receive(&key, &json, clock.now()).await,
        Err(e) => {
            tracing::error!(chat = key.chat_id, key = key.key, error = %e, "cannot write an update to the inbox");
            return Some(update);
        }
    };
    match stored {
        Ok(true) => Some(update),
        Ok(false) => {
            tracing::info!(chat = key.chat_id, key = key.key, "an update received before; not handled twice");
            None
        }
        // Handled without the inbox's protection rather than not at all.
        Err(e) => {
            tracing::error!(chat = key.chat_id, key = key.key, error = %e, "cannot store an update in the inbox");
            Some(update)
        }
    }
}

impl<'a> AsUpdateStream<'a> for InboxListener {
    type StreamErr = RequestError;
    type Stream = BoxStream<'a, Result<Update, RequestError>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let unfinished = stream::iter(std::mem::take(&mut self.unfinished).into_iter().map(Ok));
        let (store, clock, limits) = (self.store.clone(), self.clock.clone(), self.limits.clone());
        // One update at a time, each stored before the stream is asked for the next: the
        // stream asks Telegram for more (acknowledging what it gave) as soon as it is polled past
        // its last update, so taking what is ready in batches (`ready_chunks`) would acknowledge
        // a batch before it is stored.
        let live = self.polling.as_stream().filter_map(move |result| {
            let (store, clock, limits) = (store.clone(), clock.clone(), limits.clone());
            async move {
                match result {
                    Ok(update) => received(&store, &clock, &limits, update).await.map(Ok),
                    Err(e) => Some(Err(e)),
                }
            }
        });
        unfinished.chain(live).boxed()
    }
}

impl UpdateListener for InboxListener {
    type Err = RequestError;

    fn stop_token(&mut self) -> StopToken {
        self.polling.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.polling.hint_allowed_updates(hint);
    }
}
