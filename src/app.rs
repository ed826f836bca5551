//! What every handler, the outbox worker and the scheduler share: the store, the texts, the
//! configuration, the clock, and the outbox worker's wake-up. It sits below `bot`, `outbox` and
//! `schedule`, which all use it and none of which it knows.

use std::sync::Arc;

use anyhow::Context;
use futures_util::FutureExt;
use tokio::sync::{Notify, watch};

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::person::Person;
use crate::i18n::Tr;
use crate::store::Store;
use crate::telegram::inbound::StrangerAnswers;
use crate::views::loans::{LoanView, LoanWords};

/// What every handler may use.
pub struct App {
    pub store: Store,
    pub tr: Tr,
    pub config: Config,
    pub clock: Clock,
    /// The bot's @username, for invite links.
    pub username: String,
    /// Wakes the outbox worker after something was queued.
    pub outbox: Wake,
    /// Who outside the programme was answered lately.
    pub strangers: std::sync::Mutex<StrangerAnswers>,
}

impl App {
    pub async fn sender(&self, user: &teloxide::types::User) -> anyhow::Result<Option<Person>> {
        let id = i64::try_from(user.id.0).context("Telegram user id out of range")?;
        self.store.person_by_telegram_id(id).await.with_context(|| format!("loading user {id}"))
    }

    /// An entrepreneur's caseworker, if they have one.
    pub async fn caseworker_of(&self, person: &Person) -> anyhow::Result<Option<Person>> {
        match person.caseworker_id {
            Some(id) => Ok(self.store.person(id).await?),
            None => Ok(None),
        }
    }

    /// An entrepreneur's loans with where each stands today, newest first.
    pub async fn loan_views(&self, entrepreneur_id: i64) -> anyhow::Result<Vec<LoanView>> {
        let buckets = &self.config.programme.loans.arrears_buckets;
        let standings = self.store.loan_standings(entrepreneur_id, self.clock.today(), buckets).await?;
        Ok(standings
            .into_iter()
            .map(|(loan, installments, standing)| LoanView { loan, installments, standing })
            .collect())
    }

    /// How loans are written today.
    pub fn loan_words(&self) -> LoanWords<'_> {
        LoanWords { tr: &self.tr, buckets: &self.config.programme.loans.arrears_buckets, today: self.clock.today() }
    }

    /// Whether someone outside the programme writing from `chat` is answered now.
    pub fn may_answer_stranger(&self, chat: i64) -> bool {
        self.strangers.lock().unwrap_or_else(|e| e.into_inner()).may_answer(chat, std::time::Instant::now())
    }

    pub fn invite_link(&self, code: &str) -> String {
        format!("https://t.me/{}?start={code}", self.username)
    }
}

/// Wakes the worker when something is queued or the clock moved, and stops it.
#[derive(Clone)]
pub struct Wake {
    pub(crate) notify: Arc<Notify>,
    pub(crate) stopping: Arc<watch::Sender<bool>>,
}

impl Default for Wake {
    fn default() -> Wake {
        Wake { notify: Arc::default(), stopping: Arc::new(watch::channel(false).0) }
    }
}

impl Wake {
    pub fn now(&self) {
        self.notify.notify_one();
    }

    /// Asks the worker to stop: it takes no new rows, lets sends under way finish, and ends.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// Whether the worker was woken since it last looked (without waiting).
    pub(crate) fn woken(&self) -> bool {
        self.notify.notified().now_or_never().is_some()
    }
}
