//! Inline button presses. Callback data is never trusted: each press is checked against
//! the conversation stored for the presser's own chat and against the database.

use std::sync::Arc;

use anyhow::Context;
use teloxide::prelude::*;

use super::{
    App, Conversation, HandlerResult, State, Summary, alerts, checkins, clear_state, loans, mark_done, payments,
    people, report, retire_buttons, save_state,
};
use crate::domain::person::{Person, Role};
use crate::domain::report::{AnswerContext, ReportInput, ReportKind, ReportStep, advance};
use crate::persian::digits::format_number;
use crate::store::{FromSummary, NewOutboxMessage, StoreSaleOutcome, UpdateKey};
use crate::views::callback::{Callback, SaleButton};
use crate::views::keyboards;

pub async fn on_callback(app: Arc<App>, dialogue: Conversation, state: State, q: CallbackQuery) -> HandlerResult {
    let result = handle(&app, &dialogue, state, &q).await;
    // The spinner on the button stops whatever happened, with the note only once what the
    // press did is committed (`bot::finish`). This answer is no message: it shows for a moment
    // on the press, Telegram takes it only within seconds of the press, and one lost leaves
    // nothing undone (the spinner stops by itself). So it is made at once, not queued.
    dialogue.note_press(q.id.clone(), result.as_ref().ok().cloned().flatten());
    result.map(|_| ())
}

/// A button press: where, on which message, by whom (already known to the bot).
pub struct Press<'a> {
    pub chat: ChatId,
    pub message_id: i32,
    pub person: &'a Person,
    pub from: &'a teloxide::types::User,
    /// The press, recorded with what it stores.
    pub update: &'a UpdateKey,
    /// Whether the data is one of the pressed message's own buttons (false for a double tap
    /// on a message whose buttons are gone).
    pub carried: bool,
}

impl Press<'_> {
    /// The answer to this press as an outbox reply (one per press: its key is the press's).
    pub fn reply(&self, text: String, markup: Option<String>, now: chrono::DateTime<chrono::Utc>) -> NewOutboxMessage {
        NewOutboxMessage::reply(self.chat.0, format!("reply:{}", self.update.key), text, markup, now)
    }
}

/// Routes a press by its prefix. Returns a short note to show on the press, if any.
async fn handle(app: &App, dialogue: &Conversation, state: State, q: &CallbackQuery) -> anyhow::Result<Option<String>> {
    let expired = Some(app.tr.msg("button-expired"));
    let Some(message) = q.regular_message() else {
        return Ok(expired);
    };
    let chat = message.chat.id;
    // Buttons live in private chats only; a press must come from that chat's own user.
    if chat.0 != q.from.id.0 as i64 {
        return Ok(expired);
    }
    let Some(person) = app.sender(&q.from).await? else {
        return Ok(expired);
    };
    let data = q.data.as_deref().unwrap_or_default();
    // A press on a message with buttons carries the data of one of them: anything else was made
    // up by a client (a button of another message, another person's row). A message whose
    // buttons are gone is pressed by a double tap that left before they went: its handler
    // tells what became of the first.
    let buttons: Vec<&str> = message
        .reply_markup()
        .into_iter()
        .flat_map(|markup| markup.inline_keyboard.iter().flatten())
        .filter_map(|button| match &button.kind {
            teloxide::types::InlineKeyboardButtonKind::CallbackData(d) => Some(d.as_str()),
            _ => None,
        })
        .collect();
    let carried = buttons.contains(&data);
    if !buttons.is_empty() && !carried {
        return Ok(expired);
    }
    let press = Press {
        chat,
        message_id: message.id.0,
        person: &person,
        from: &q.from,
        update: dialogue.update_key(),
        carried,
    };
    let Some(callback) = Callback::decode(data) else { return Ok(expired) };
    let entrepreneur = person.role == Role::Entrepreneur;
    match callback {
        Callback::Sale(button) if entrepreneur => report_button(app, dialogue, state, message, &person, button).await,
        Callback::Checkin { checkin, press: what } if entrepreneur => {
            checkins::on_button(app, dialogue, state, &press, checkin, what).await
        }
        Callback::Person(id) => loans::on_person_button(app, dialogue, &person, id).await,
        Callback::PeopleList(at) => people::on_page(app, dialogue, message.id, &person, &at).await,
        Callback::PeopleSearch => people::on_search_button(app, dialogue, &person).await,
        Callback::LoanNew { entrepreneur } => loans::on_new(app, dialogue, &press, entrepreneur).await,
        Callback::LoanEntry { confirm } => loans::on_entry_button(app, dialogue, state, &press, confirm).await,
        Callback::LoanState { loan, to } => loans::on_state_button(app, dialogue, &press, loan, to).await,
        Callback::Payment { payment, confirm } => payments::on_button(app, dialogue, &press, payment, confirm).await,
        Callback::Alert { alert, action } => alerts::on_alert_button(app, dialogue, &press, alert, action).await,
        Callback::Notice { notice, action } => alerts::on_notice_button(app, dialogue, &press, notice, action).await,
        Callback::Sale(_) | Callback::Checkin { .. } => Ok(expired),
    }
}

/// The buttons under a report's summary, for the entrepreneur whose report it is.
async fn report_button(
    app: &App,
    dialogue: &Conversation,
    state: State,
    message: &Message,
    person: &Person,
    button: SaleButton,
) -> anyhow::Result<Option<String>> {
    let expired = Some(app.tr.msg("button-expired"));
    let chat = message.chat.id;
    let live_report = match state {
        State::Report { report, summary_message: Some(summary) } if summary.is(app, message.id.0).await? => {
            Some(report)
        }
        _ => None,
    };
    let Some(report) = live_report else {
        // A second press of a summary that was already confirmed says so; anything else is stale.
        if button == SaleButton::Confirm {
            return already_confirmed(app, chat, message.id.0).await;
        }
        return Ok(expired);
    };
    let today = app.clock.today();
    let limits = &app.config.sale_limits;
    match button {
        SaleButton::Confirm if matches!(report.kind, ReportKind::Payment { .. }) => {
            let ReportKind::Payment { loan_id } = report.kind else {
                return Ok(expired);
            };
            payments::submit(app, dialogue, message.id.0, person, &report, loan_id).await?;
            Ok(None)
        }
        SaleButton::Confirm => {
            let Some(sale) = report.complete() else {
                return Ok(expired);
            };
            // One unit of work: the sale, the end of the conversation and the reply are
            // committed together; the reply then leaves through the outbox (retried there, so
            // a Telegram error after the commit never says «کارتان انجام نشد»).
            let id = if sale.amount_toman < 0 { "return-saved" } else { "sale-saved" };
            let menu = keyboards::as_json(&keyboards::main_menu(&app.tr, person.role));
            let reply = |invoices: i64| {
                let text = app.tr.msg_with(
                    id,
                    &[
                        ("count", format_number(invoices)),
                        ("months", format_number(i64::from(app.config.invoice_window_months))),
                    ],
                );
                NewOutboxMessage::reply(
                    chat.0,
                    format!("reply:sale:{}:{}", chat.0, message.id.0),
                    text,
                    menu.clone(),
                    app.clock.now(),
                )
            };
            let stored_text = format!("{}\n{}", report::summary_text(app, &report), app.tr.msg("sale-stored-mark"));
            mark_done(dialogue, message.id, stored_text);
            let outcome = app
                .store
                .store_sale_with_reply(
                    dialogue.update_key(),
                    person.id,
                    &sale,
                    (chat.0, message.id.0),
                    report::invoice_window_start(app),
                    reply,
                    app.clock.now(),
                )
                .await
                .with_context(|| format!("storing a sale for entrepreneur {}", person.id))?;
            let StoreSaleOutcome::Stored { sale_id } = outcome else {
                // Stored before the conversation was ended (by an older version): end it now.
                clear_state(dialogue).await?;
                return already_confirmed(app, chat, message.id.0).await;
            };
            tracing::info!(entrepreneur = person.id, sale = sale_id, amount = sale.amount_toman, "sale stored");
            Ok(None)
        }
        SaleButton::Cancel => {
            retire_buttons(dialogue, message.id);
            let stale = State::Report { report, summary_message: None };
            super::commands::cancel(app, dialogue, stale, Some(person.role)).await?;
            Ok(None)
        }
        // A second tap of «ویرایش» or «بازگشت»: the summary already shows what it asked for.
        SaleButton::Edit if report.step == ReportStep::ChooseEdit => Ok(None),
        SaleButton::Back if report.step == ReportStep::Review => Ok(None),
        SaleButton::Edit | SaleButton::Back => {
            let input = if button == SaleButton::Edit { ReportInput::Edit } else { ReportInput::BackToReview };
            let Ok(next) = advance(&report, input, &AnswerContext { today, limits, usual: None }) else {
                return Ok(expired);
            };
            let buttons = if next.step == ReportStep::ChooseEdit {
                report::edit_buttons(app, next.kind)
            } else {
                report::review_buttons(app)
            };
            // The summary with the other buttons; when it is gone (deleted by the person), it
            // comes again as a new message, and its buttons are live there.
            let text = report::summary_with_hint(app, &report);
            let shown = super::replace_message(dialogue, message.id, text, Some(buttons));
            save_state(dialogue, State::Report { report: next, summary_message: Some(Summary::Answer(shown)) }).await?;
            Ok(None)
        }
        SaleButton::Field(field) => {
            let Ok(next) =
                advance(&report, ReportInput::EditField(field), &AnswerContext { today, limits, usual: None })
            else {
                return Ok(expired);
            };
            retire_buttons(dialogue, message.id);
            report::ask(app, dialogue, next, Some(person.id)).await?;
            Ok(None)
        }
    }
}

/// The note for «تأیید» pressed again on a summary: what it stored, or that the button is stale.
pub async fn already_confirmed(app: &App, chat: ChatId, message_id: i32) -> anyhow::Result<Option<String>> {
    let id = match app.store.stored_from_summary(chat.0, message_id).await? {
        Some(FromSummary::Sale) => "sale-already-saved",
        Some(FromSummary::Payment) => "payment-already-sent",
        Some(FromSummary::Loan) => "loan-already-recorded",
        None => "button-expired",
    };
    Ok(Some(app.tr.msg(id)))
}
