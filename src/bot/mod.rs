//! The Telegram shell: reads updates, asks the rules, stores results, sends replies.
//!
//! One handler tree ([`schema`]); per-chat conversation state ([`State`]) lives in SQLite so
//! that a restart mid-conversation continues where the person was.

mod alerts;
pub(crate) mod callbacks;
pub mod checkins;
mod commands;
mod conversation;
mod edits;
mod inbox;
mod joining;
mod loans;
mod menu;
mod payments;
mod people;
mod report;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use teloxide::dispatching::{HandlerExt, UpdateFilterExt, UpdateHandler};
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, Me, MessageId, ReplyMarkup};
use teloxide::update_listeners::Polling;

use crate::clock::Clock;
use crate::config::Config;
use crate::domain::loan::LoanState;
use crate::domain::loan_entry::LoanEntry;
use crate::domain::person::Role;
use crate::domain::report::Report;
use crate::i18n::Tr;
use crate::store::outbox::Shown;
use crate::store::{Edit, NewOutboxMessage, Store, StoreError};
use crate::views::keyboards;

pub use crate::app::App;
pub use commands::Command;
pub use conversation::Conversation;
pub use joining::Joining;
pub use report::amount_choice_label;

pub use crate::telegram::{Edited, Tg};
pub type HandlerResult = anyhow::Result<()>;

/// Where a chat is in a conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub enum State {
    #[default]
    Idle,
    Joining(Joining),
    Report {
        report: Report,
        /// The summary whose buttons are live; buttons on any other message are stale.
        summary_message: Option<Summary>,
    },
    /// A caseworker or manager recording a disbursed loan.
    LoanEntry {
        entry: LoanEntry,
        summary_message: Option<Summary>,
    },
    /// The next message is why a loan's state is being changed.
    LoanStateReason {
        loan_id: i64,
        to: LoanState,
    },
    /// The next message is the note of this check-in for the caseworker.
    CheckinNote {
        checkin_id: i64,
    },
    /// The next message is what to look for in the list of people.
    PeopleSearch,
}

impl State {
    /// Where the chat is, for the log.
    fn name(&self) -> &'static str {
        match self {
            State::Idle => "at rest",
            State::Joining(_) => "joining",
            State::Report { .. } => "a report",
            State::LoanEntry { .. } => "a loan entry",
            State::LoanStateReason { .. } => "a loan state change",
            State::CheckinNote { .. } => "a check-in note",
            State::PeopleSearch => "a people search",
        }
    }
}

/// The whole handler tree. Each kind of update names its key against redelivery, then opens
/// its chat's conversation (`Conversation` and `State` for the handlers; an update handled
/// before goes no further), then goes to the handler of where the chat is.
pub fn schema() -> UpdateHandler<anyhow::Error> {
    let messages = Update::filter_message()
        .filter(|msg: Message| msg.chat.is_private())
        .filter_map_async(open)
        .chain(conversation_and_state())
        .chain(finishing())
        .branch(dptree::entry().filter_command::<Command>().endpoint(commands::on_command))
        .branch(dptree::case![State::Joining(joining)].endpoint(joining::on_message))
        .branch(dptree::case![State::Report { report, summary_message }].endpoint(report::on_message))
        .branch(dptree::case![State::LoanEntry { entry, summary_message }].endpoint(on_loan_entry_message))
        .branch(dptree::case![State::CheckinNote { checkin_id }].endpoint(on_checkin_note))
        .branch(dptree::case![State::LoanStateReason { loan_id, to }].endpoint(on_loan_state_reason))
        .branch(dptree::case![State::PeopleSearch].endpoint(on_people_search))
        .branch(dptree::case![State::Idle].endpoint(menu::on_message));
    let callbacks = Update::filter_callback_query()
        .filter_map_async(open)
        .chain(conversation_and_state())
        .chain(finishing())
        .endpoint(callbacks::on_callback);
    let edits = Update::filter_edited_message()
        .filter(|msg: Message| msg.chat.is_private())
        .filter_map_async(open)
        .chain(conversation_and_state())
        .chain(finishing())
        .endpoint(edits::on_edited_message);
    dptree::entry().branch(messages).branch(callbacks).branch(edits)
}

/// Opens the conversation of an update's chat; None for an update handled before.
async fn open(app: Arc<App>, bot: Tg, update: Update) -> Option<(Conversation, State)> {
    let update = inbox::update_key(&update)?;
    let (chat, key) = (update.chat_id, update.key.clone());
    match Conversation::open(update, app.store.clone(), app.clock.clone()).await {
        Ok(Some(opened)) => Some(opened),
        Ok(None) => {
            tracing::info!(chat, key, "ignoring an update handled before");
            None
        }
        Err(e) => {
            tracing::error!(chat, key, error = %e, "cannot load the conversation; the update is not handled");
            // Nothing was done: the person is told to try again (a restart within the hour
            // handles the update from the inbox all the same).
            if let Err(e) = bot.send_message(ChatId(chat), app.tr.msg("error-try-again")).await {
                tracing::warn!(chat, error = %e, "could not say that an update was not handled");
            }
            None
        }
    }
}

/// The one error layer, above every endpoint: when the endpoint has returned, the update's
/// unit of work is ended by [`finish`] (where the conversation goes is committed, or the
/// failure logged and, when nothing was stored, the person told to try again). No endpoint
/// ends its own; one added later cannot forget to.
fn finishing() -> UpdateHandler<anyhow::Error> {
    let needs = |t: dptree::Type| (t, std::panic::Location::caller());
    let signature = dptree::HandlerSignature::Other {
        obligations: [needs(dptree::Type::of::<Conversation>()), needs(dptree::Type::of::<State>())]
            .into_iter()
            .chain([needs(dptree::Type::of::<Tg>()), needs(dptree::Type::of::<Arc<App>>())])
            .collect(),
        guaranteed_outcomes: Default::default(),
        conditional_outcomes: Default::default(),
        continues: true,
    };
    dptree::from_fn(
        |deps: dptree::di::DependencyMap, below| async move {
            let (bot, app) = (deps.get::<Tg>(), deps.get::<Arc<App>>());
            let (dialogue, state) = (deps.get::<Conversation>(), deps.get::<State>());
            match below(deps).await {
                std::ops::ControlFlow::Break(result) => {
                    std::ops::ControlFlow::Break(finish(&bot, &app, &dialogue, state.name(), result).await)
                }
                // No endpoint took the update (none below matched): nothing to end.
                unmatched => unmatched,
            }
        },
        signature,
    )
}

/// Gives the handlers the opened conversation and its state apart.
fn conversation_and_state() -> UpdateHandler<anyhow::Error> {
    dptree::map(|opened: (Conversation, State)| opened.0).chain(dptree::map(|opened: (Conversation, State)| opened.1))
}

async fn on_loan_entry_message(
    app: Arc<App>,
    dialogue: Conversation,
    (entry, summary_message): (LoanEntry, Option<Summary>),
    msg: Message,
) -> HandlerResult {
    loans::on_message(&app, &dialogue, entry, summary_message, &msg).await
}

async fn on_loan_state_reason(
    app: Arc<App>,
    dialogue: Conversation,
    (loan_id, to): (i64, LoanState),
    msg: Message,
) -> HandlerResult {
    loans::on_state_reason(&app, &dialogue, loan_id, to, &msg).await
}

async fn on_people_search(app: Arc<App>, dialogue: Conversation, msg: Message) -> HandlerResult {
    people::on_search(&app, &dialogue, &msg).await
}

async fn on_checkin_note(app: Arc<App>, dialogue: Conversation, checkin_id: i64, msg: Message) -> HandlerResult {
    checkins::on_note(&app, &dialogue, checkin_id, &msg).await
}

/// Where the chat is in a conversation once this update is handled.
pub(crate) async fn save_state(dialogue: &Conversation, state: State) -> HandlerResult {
    dialogue.update(state);
    Ok(())
}

/// Ends the chat's conversation (back to the menu) once this update is handled.
pub(crate) async fn clear_state(dialogue: &Conversation) -> HandlerResult {
    dialogue.exit();
    Ok(())
}

// The answers below are decided, not sent: each is an outbox row stored with the update's
// work (`Conversation`), and leaves through the outbox once that is committed.

/// Answers with a text (cut in parts, between lines, when longer than Telegram takes) and an
/// optional keyboard.
pub(crate) fn say(dialogue: &Conversation, text: String, markup: Option<ReplyMarkup>) {
    dialogue.say(text, markup);
}

/// Answers with a text and the person's main menu under it.
pub(crate) fn say_with_menu(app: &App, dialogue: &Conversation, text: String, role: Role) {
    dialogue.say(text, Some(keyboards::main_menu(&app.tr, role)));
}

/// Answers someone outside the programme with «this bot is for the programme's members»,
/// unless strangers were answered too often lately (`telegram::inbound::StrangerLimit`): then
/// nothing is sent, so that a crowd of strangers cannot use up the sends members' replies need.
pub(crate) fn say_to_stranger(app: &App, dialogue: &Conversation, text: String) {
    let chat = dialogue.chat_id().0;
    if !app.may_answer_stranger(chat) {
        tracing::debug!(chat, "a stranger answered lately, or too many strangers at once: not answered");
        return;
    }
    dialogue.say(text, Some(keyboards::remove()));
}

/// A summary whose buttons are live: the answer that shows it, by its outbox key, or, in a
/// conversation stored before answers went through the outbox, the message's id. A press is
/// on the live summary only when it is on the message that answer became.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Summary {
    Answer(String),
    Message(i32),
}

impl Summary {
    /// The message that shows the summary; None when it was never sent. The person can act on
    /// a summary (press it, type past it) between Telegram's answer to its send and the outbox
    /// writing down which message it became: while its row waits, it is looked at again, for
    /// a moment at most.
    pub async fn message(&self, app: &App) -> anyhow::Result<Option<i32>> {
        let key = match self {
            Summary::Message(id) => return Ok(Some(*id)),
            Summary::Answer(key) => key,
        };
        let deadline = tokio::time::Instant::now() + SUMMARY_WRITTEN_WITHIN;
        loop {
            match app.store.answer_shown(key).await? {
                Shown::As(id) => return Ok(Some(id)),
                Shown::Waiting if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                Shown::Waiting | Shown::Never => return Ok(None),
            }
        }
    }

    /// Whether `message`, just pressed, is the one that shows this summary.
    pub async fn is(&self, app: &App, message: i32) -> anyhow::Result<bool> {
        Ok(self.message(app).await? == Some(message))
    }
}

/// How long [`Summary::message`] waits for the outbox to write down the message a summary
/// became (milliseconds, unless the database is very busy).
const SUMMARY_WRITTEN_WITHIN: Duration = Duration::from_secs(2);

/// Sends a summary that its buttons will change later. A message sent with a reply keyboard
/// or with the removal of one can never be edited (Bot API, "Updating messages";
/// `../shared/telegram-bot-api/BEHAVIOUR.md` rule 1), so the question's keyboard is removed by
/// a lead message of its own that is never edited (`lead`, or «👇 لطفاً خلاصه را ببینید»), and
/// the summary carries its inline buttons from the start.
pub(crate) fn say_summary(
    app: &App,
    dialogue: &Conversation,
    lead: Option<String>,
    summary: String,
    buttons: InlineKeyboardMarkup,
) -> Summary {
    let lead = lead.unwrap_or_else(|| app.tr.msg("summary-lead"));
    dialogue.say(lead, Some(keyboards::remove()));
    Summary::Answer(dialogue.say(summary, Some(ReplyMarkup::InlineKeyboard(buttons))))
}

/// Asks a question with its keyboard, after `lead` (why the last answer was not taken), if any.
pub(crate) fn say_question(dialogue: &Conversation, lead: Option<String>, question: String, keyboard: ReplyMarkup) {
    if let Some(lead) = lead {
        dialogue.say(lead, None);
    }
    dialogue.say(question, Some(keyboard));
}

/// Shows `text` and `buttons` on a message a button was pressed on; when Telegram no longer
/// lets the bot edit it (deleted, too old) or refuses the edit, they arrive as a new message.
/// Returns the answer's outbox key.
pub(crate) fn replace_message(
    dialogue: &Conversation,
    message: MessageId,
    text: String,
    buttons: Option<InlineKeyboardMarkup>,
) -> String {
    dialogue.edit(Edit::Replace(message.0), text, buttons.as_ref())
}

/// Marks a summary as done (its text with `mark`, no buttons); a summary that can no longer be
/// edited stays as it was, and the reply that follows says what happened.
pub(crate) fn mark_done(dialogue: &Conversation, message: MessageId, text: String) {
    dialogue.edit(Edit::Mark(message.0), text, None);
}

/// Removes a message's buttons, as far as Telegram still allows: a message that is gone or can
/// no longer be edited keeps them, and their presses are read as stale anyway.
pub(crate) fn retire_buttons(dialogue: &Conversation, message: MessageId) {
    dialogue.edit(Edit::Buttons(message.0), String::new(), None);
}

/// Ends the handling of an update: an update that stored nothing is recorded as handled; a
/// failure is logged with who it was for, and the person is told to try again only when
/// nothing of their update was stored (after a commit, trying again would store it twice; what
/// was stored has its answer in the outbox). Nothing a handler does may take the bot down.
pub(crate) async fn finish(
    bot: &Tg,
    app: &App,
    dialogue: &Conversation,
    what: &str,
    result: HandlerResult,
) -> HandlerResult {
    let chat = dialogue.chat_id();
    let key = &dialogue.update_key().key;
    match result {
        Ok(()) => {
            if let Err(e) = dialogue.finish().await {
                tracing::error!(chat = chat.0, key, what, error = %e, "cannot store where the conversation goes");
                if !dialogue.committed() {
                    abandon(bot, app, dialogue).await;
                }
            }
        }
        Err(error) if matches!(error.downcast_ref::<StoreError>(), Some(StoreError::AlreadyHandled { .. })) => {
            tracing::info!(chat = chat.0, key, what, "an update handled meanwhile by another worker; ignored");
        }
        Err(error) if dialogue.committed() => {
            tracing::error!(
                chat = chat.0,
                key,
                what,
                error = format!("{error:#}"),
                "handler failed after its work was stored"
            );
        }
        Err(error) => {
            tracing::error!(
                chat = chat.0,
                key,
                what,
                error = format!("{error:#}"),
                "handler failed; nothing was stored"
            );
            abandon(bot, app, dialogue).await;
        }
    }
    // What was committed leaves now, not at the outbox's next look.
    if dialogue.queued_answers() {
        app.outbox.now();
    }
    if let Some((press, note)) = dialogue.take_press() {
        // The note tells what the press did: only when that was committed.
        let note = note.filter(|_| dialogue.committed());
        if let Err(e) = bot.answer_press(press, note).await {
            tracing::warn!(chat = chat.0, key, error = %e, "could not answer a button press");
        }
    }
    Ok(())
}

/// Records a failed update as handled, with «دوباره امتحان کنید» for its person in the
/// outbox. When the database cannot take even that (it is what failed), the person is told
/// directly, the one answer that cannot wait for it; a restart may then handle the update again.
async fn abandon(bot: &Tg, app: &App, dialogue: &Conversation) {
    let chat = dialogue.chat_id();
    let key = &dialogue.update_key().key;
    let answer =
        NewOutboxMessage::reply(chat.0, format!("reply:{key}"), app.tr.msg("error-try-again"), None, app.clock.now());
    match dialogue.abandon(&answer).await {
        Ok(()) => app.outbox.now(),
        Err(e) => {
            tracing::error!(chat = chat.0, key, error = %e, "cannot record a failed update as handled");
            if let Err(e) = bot.send_message(chat, answer.text).await {
                tracing::warn!(chat = chat.0, error = %e, "could not tell a person to try again");
            }
        }
    }
}

/// How the bot is started: by `pelekan run`, by the tests and by the demo.
pub struct Launch {
    pub bot: Bot,
    pub store: Store,
    pub config: Config,
    pub clock: Clock,
    /// Long-polling timeout; short in tests so that shutdown is quick.
    pub polling_timeout: Duration,
    pub handle_ctrl_c: bool,
    /// How often the scheduler ticks by itself; None in tests, which call `Running::tick`.
    pub tick_every: Option<Duration>,
}

/// A running dispatcher; `stop` ends it cleanly.
pub struct Running {
    shutdown: teloxide::dispatching::ShutdownToken,
    task: tokio::task::JoinHandle<()>,
    scheduler: Option<tokio::task::JoinHandle<()>>,
    outbox: tokio::task::JoinHandle<()>,
    app: Arc<App>,
}

impl Running {
    pub async fn stop(self) {
        if let Some(scheduler) = &self.scheduler {
            scheduler.abort();
        }
        stop_dispatcher(&self.shutdown, || self.task.is_finished()).await;
        let _ = self.task.await;
        self.app.outbox.stop();
        let _ = self.outbox.await;
    }

    /// Runs everything due by the clock now (the scheduler's work), once.
    pub async fn tick(&self) -> anyhow::Result<crate::schedule::TickReport> {
        let report = crate::schedule::tick(&self.app).await;
        // The clock may have moved past messages that were waiting for the morning.
        self.app.outbox.now();
        report
    }

    /// Stops the dispatcher from elsewhere (a signal handler); `wait` then returns.
    pub fn shutdown_token(&self) -> teloxide::dispatching::ShutdownToken {
        self.shutdown.clone()
    }

    /// Waits until the dispatcher ends (Ctrl-C, SIGTERM), then lets the outbox finish.
    pub async fn wait(self) {
        let _ = self.task.await;
        if let Some(scheduler) = &self.scheduler {
            scheduler.abort();
        }
        self.app.outbox.stop();
        let _ = self.outbox.await;
    }
}

/// Stops a dispatcher. teloxide refuses to stop one that has not begun dispatching yet
/// (a stop right after a start, on a busy machine), so that case is tried again until it
/// has begun or has ended.
pub async fn stop_dispatcher(token: &teloxide::dispatching::ShutdownToken, finished: impl Fn() -> bool) {
    loop {
        match token.shutdown() {
            Ok(done) => return done.await,
            Err(_) if finished() => return,
            Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
        }
    }
}

/// Builds the dispatcher and starts polling in the background.
pub async fn start(launch: Launch) -> anyhow::Result<Running> {
    let tr = Tr::persian()?;
    let bot = Tg::new(launch.bot, launch.config.send_limits);
    // Asked once, and kept: teloxide's dispatcher asks again as it begins, and panics if
    // Telegram does not answer then (an outage right after the start left the bot deaf).
    let cached = teloxide::adaptors::CacheMe::new(bot.bot().clone());
    let me: Me = cached.get_me().await.context("asking Telegram who this bot is (getMe); is TELOXIDE_TOKEN right?")?;
    let username = launch.config.bot_username.clone().or_else(|| me.user.username.clone()).unwrap_or_default();
    bot.set_my_commands(commands::menu_commands(&tr)).await.context("registering the command list (setMyCommands)")?;
    if let Err(e) = launch
        .store
        .forget_seen_before(launch.clock.now(), chrono::Duration::days(crate::schedule::SEEN_KEPT_DAYS))
        .await
    {
        tracing::warn!(error = %e, "could not prune the table of seen updates");
    }
    let strangers =
        crate::telegram::inbound::StrangerAnswers::new(launch.config.stranger_limit, std::time::Instant::now());
    let app = Arc::new(App {
        store: launch.store.clone(),
        tr,
        config: launch.config,
        clock: launch.clock.clone(),
        username,
        outbox: crate::app::Wake::default(),
        strangers: std::sync::Mutex::new(strangers),
    });
    let outbox = tokio::spawn(crate::outbox::run(app.clone(), bot.clone(), app.outbox.clone()));
    let scheduler = launch.tick_every.map(|every| {
        let app = app.clone();
        tokio::spawn(async move {
            let mut interval = tokio::time::interval(every);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                if let Err(e) = crate::schedule::tick(&app).await {
                    tracing::error!(error = format!("{e:#}"), "scheduled work failed; trying again at the next tick");
                }
            }
        })
    });

    let mut builder = Dispatcher::builder(cached, schema())
        .dependencies(dptree::deps![app.clone(), me, bot.clone()])
        .default_handler(|_| async {})
        .error_handler(Arc::new(|error: anyhow::Error| async move {
            tracing::error!(error = format!("{error:#}"), "update handling failed");
        }));
    if launch.handle_ctrl_c {
        builder = builder.enable_ctrlc_handler();
    }
    let mut dispatcher = builder.build();
    let shutdown = dispatcher.shutdown_token();
    let polling = Polling::builder(bot.bot().clone()).timeout(launch.polling_timeout).delete_webhook().await.build();
    let listener =
        inbox::InboxListener::new(polling, launch.store.clone(), launch.clock.clone(), app.config.inbound_limit).await;
    let task = tokio::spawn(async move {
        dispatcher
            .dispatch_with_listener(
                listener,
                teloxide::error_handlers::LoggingErrorHandler::with_custom_text("polling Telegram failed"),
            )
            .await;
    });
    Ok(Running { shutdown, task, scheduler, outbox, app })
}
