//! Simulated people for benchmarks and crash tests. Like a person, a `SaleReporter` reads the
//! bot's newest message and answers it, and says the same thing again when no answer comes
//! (after a crash, an update may be lost with the process that took it).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::{FakeTelegram, FakeUser, SentMessage, UserAction};
use crate::i18n::Tr;
use crate::persian::digits::to_persian_digits;

/// How long a person who knows the bot was restarted reads before answering: a reply in
/// several messages, or replies from two processes round a restart, arrive whole first.
const READING: Duration = Duration::from_millis(300);

/// The beginnings of the bot's texts the reporter recognises, and its answers.
struct Texts {
    ask_amount: String,
    ask_item: String,
    ask_customer: String,
    ask_day: String,
    ask_photo: String,
    summary: String,
    saved: String,
    already_saved: String,
    /// Button labels, as the keyboard shows them.
    skip_customer: String,
    today: String,
    skip_photo: String,
}

/// The first words of a message: enough to tell it apart, and free of its placeholders.
fn opening(tr: &Tr, id: &str, args: &[(&str, String)]) -> String {
    tr.part_with(id, args).lines().next().unwrap_or_default().chars().take(12).collect()
}

impl Texts {
    fn new(tr: &Tr) -> Texts {
        let none = String::new;
        Texts {
            ask_amount: opening(tr, "sale-ask-amount", &[]),
            ask_item: opening(tr, "sale-ask-item", &[]),
            ask_customer: opening(tr, "sale-ask-customer", &[]),
            ask_day: opening(tr, "sale-ask-day", &[("today", none())]),
            ask_photo: opening(tr, "sale-ask-photo", &[]),
            // «خلاصه»: the summary's heading names its kind (sale or return), so only the
            // first word is shared by every summary (and by the lead that comes before it).
            summary: opening(tr, "sale-summary", &[]).chars().take(5).collect(),
            saved: opening(tr, "sale-saved", &[("count", none()), ("months", none())]),
            already_saved: opening(tr, "sale-already-saved", &[]),
            skip_customer: tr.msg("btn-skip-customer"),
            today: tr.msg("btn-today"),
            skip_photo: tr.msg("btn-skip-photo"),
        }
    }
}

/// What the reporter does next.
#[derive(Clone)]
enum Action {
    Say(String),
    Confirm(SentMessage),
}

/// What came back for an action.
enum Reply {
    Message,
    /// A note on a pressed button (a pop-up, no message).
    Note(String),
}

/// A sale the bot acknowledged.
#[derive(Debug, Clone)]
pub struct SaleReported {
    /// The summary message whose «تأیید» the bot acknowledged (the sale's source).
    pub summary_message: i32,
    /// For each answer: from the user's update entering the server to the bot's reply.
    pub reply_times: Vec<Duration>,
    /// Actions said again because their answer was lost with a killed bot, or never came.
    pub repeats: usize,
    /// When the person saw the sale acknowledged, before reading on (the end of the bot's work).
    pub acknowledged_at: Instant,
}

/// An entrepreneur who reports sales through the full dialogue.
pub struct SaleReporter<'a> {
    telegram: &'a FakeTelegram,
    user: FakeUser,
    texts: Texts,
    /// How long to wait for an answer there is no reason to think lost, before saying it again.
    patience: Duration,
    /// When set, the bot may be killed: the person waits for the restarted bot's answer (the
    /// inbox hands it what the killed one took), and reads every message it sends before going
    /// on, as answers may come twice.
    survives_kills: bool,
    /// How long the person reads and types before answering the bot (none: at once).
    thinking: Duration,
}

impl<'a> SaleReporter<'a> {
    pub fn new(telegram: &'a FakeTelegram, tr: &Tr, user: FakeUser, patience: Duration) -> SaleReporter<'a> {
        SaleReporter {
            telegram,
            user,
            texts: Texts::new(tr),
            patience,
            survives_kills: false,
            thinking: Duration::ZERO,
        }
    }

    /// A person who takes `pause` to read and type each answer, as people do (a reply time
    /// then measures the bot, not Telegram's one message a second to a chat).
    pub fn thinking(mut self, pause: Duration) -> SaleReporter<'a> {
        self.thinking = pause;
        self
    }

    /// A person who lives through the bot being killed.
    pub fn surviving(mut self) -> SaleReporter<'a> {
        self.survives_kills = true;
        self
    }

    /// Waits for the answer to `action`: None when it is lost or the patience ran out.
    async fn answer_to(&self, action: &UserAction, seen: usize) -> Option<Reply> {
        let chat = self.user.id;
        let reply = self
            .telegram
            .wait_for(self.patience, |t| {
                if t.sent_count(chat) > seen {
                    return Some(Some(Reply::Message));
                }
                if let UserAction::Press { callback_query_id } = action
                    && let Some(Some(note)) = t.callback_answer(callback_query_id)
                {
                    return Some(Some(Reply::Note(note)));
                }
                None
            })
            .await
            .flatten();
        if matches!(reply, Some(Reply::Message)) && self.survives_kills {
            self.read_to_the_end().await;
        }
        reply
    }

    /// Waits until the bot has taken everything this person sent and then stayed quiet for a
    /// moment, so that the newest message is the one to answer.
    async fn read_to_the_end(&self) {
        let chat = self.user.id;
        loop {
            self.telegram.wait_for(self.patience, |t| (t.unacknowledged_from(chat) == 0).then_some(())).await;
            let count = self.telegram.sent_count(chat);
            if self.telegram.wait_for(READING, |t| (t.sent_count(chat) > count).then_some(())).await.is_none() {
                return;
            }
        }
    }

    pub fn user(&self) -> &FakeUser {
        &self.user
    }

    /// Reports one sale of `amount` toman from «/sale» to the acknowledgement; gives up (with
    /// what it last saw) after `most_actions` actions.
    pub async fn report(&self, amount: i64, most_actions: usize) -> Result<SaleReported, String> {
        let chat = self.user.id;
        let mut action = Action::Say("/sale".into());
        let mut reported =
            SaleReported { summary_message: 0, reply_times: Vec::new(), repeats: 0, acknowledged_at: Instant::now() };
        // The last few exchanges, for the message when the person gives up.
        let mut transcript: VecDeque<String> = VecDeque::new();
        for _ in 0..most_actions {
            if transcript.len() == 12 {
                transcript.pop_front();
            }
            transcript.push_back(match &action {
                Action::Say(text) => format!("says {text:?}"),
                Action::Confirm(summary) => format!("presses «تأیید» on message {}", summary.message_id),
            });
            if !self.thinking.is_zero() && !matches!(&action, Action::Say(text) if text == "/sale") {
                tokio::time::sleep(self.thinking).await;
            }
            let seen = self.telegram.sent_count(chat);
            let started = Instant::now();
            let sent = match &action {
                Action::Say(text) => {
                    UserAction::Message { chat, message_id: self.telegram.send_text(&self.user, text) }
                }
                Action::Confirm(summary) => {
                    reported.summary_message = summary.message_id;
                    UserAction::Press { callback_query_id: self.telegram.press(&self.user, summary, "sale:ok") }
                }
            };
            let reply = self.answer_to(&sent, seen).await;
            match &reply {
                None => transcript.push_back("(no answer)".into()),
                Some(Reply::Note(note)) => transcript.push_back(format!("note {note:?}")),
                Some(Reply::Message) => {
                    for m in self.telegram.messages_to_after(chat, seen) {
                        transcript.push_back(format!("bot: {:?}", m.text.chars().take(40).collect::<String>()));
                    }
                }
            }
            let next = match reply {
                None => {
                    reported.repeats += 1;
                    continue;
                }
                Some(Reply::Note(note)) if note.contains(&self.texts.already_saved) => {
                    reported.acknowledged_at = Instant::now();
                    // The reply leaves through the outbox: read it before the next report.
                    self.read_to_the_end().await;
                    return Ok(reported);
                }
                // Any other note (a stale button): start the report again.
                Some(Reply::Note(_)) => Action::Say("/sale".into()),
                Some(Reply::Message) => {
                    reported.reply_times.push(started.elapsed());
                    // One answer may be several messages (a summary, then a hint): read them all.
                    let replies = self.telegram.messages_to_after(chat, seen);
                    let pressed = matches!(sent, UserAction::Press { .. });
                    if pressed && replies.iter().any(|m| m.text.contains(&self.texts.saved)) {
                        reported.acknowledged_at = Instant::now();
                        self.read_to_the_end().await;
                        return Ok(reported);
                    }
                    let confirmable = |m: &SentMessage| m.inline_buttons().iter().any(|(_, d)| d == "sale:ok");
                    let mut summary = replies.iter().rev().find(|m| confirmable(m)).cloned();
                    let unfinished = replies.iter().any(|m| m.text.contains(&self.texts.summary));
                    if summary.is_none() && unfinished {
                        // The summary follows its lead («👇 … خلاصه …», the message that takes the
                        // keyboard away): wait for it (from a restarted bot, if need be).
                        summary = self
                            .telegram
                            .wait_for(self.patience, |t| {
                                t.messages_to_after(chat, seen).into_iter().rev().find(|m| confirmable(m))
                            })
                            .await;
                    }
                    match summary.as_ref().or(replies.last()) {
                        Some(message) => self.answer(message.clone(), amount),
                        None => continue,
                    }
                }
            };
            action = next;
        }
        Err(format!(
            "user {chat} gave up on a sale after {most_actions} actions; the last exchanges:\n{}",
            Vec::from(transcript).join("\n")
        ))
    }

    /// What a person answers to the bot's message.
    fn answer(&self, message: SentMessage, amount: i64) -> Action {
        let t = &self.texts;
        let says = |opening: &str| message.text.contains(opening);
        if message.inline_buttons().iter().any(|(_, data)| data == "sale:ok") {
            Action::Confirm(message)
        } else if says(&t.ask_amount) {
            Action::Say(to_persian_digits(&amount.to_string()))
        } else if says(&t.ask_item) {
            Action::Say("روسری".into())
        } else if says(&t.ask_customer) {
            Action::Say(t.skip_customer.clone())
        } else if says(&t.ask_day) {
            Action::Say(t.today.clone())
        } else if says(&t.ask_photo) {
            Action::Say(t.skip_photo.clone())
        } else {
            // The menu, an error, anything unexpected: begin the report again.
            Action::Say("/sale".into())
        }
    }
}
