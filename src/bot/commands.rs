//! Slash commands. They work at any step: /cancel ends what is under way, /start and
//! /sale begin afresh, /help explains and leaves the conversation where it was.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;

use super::{App, Conversation, HandlerResult, State, Tg, clear_state, joining, menu, report, say, say_to_stranger};
use crate::domain::report::ReportKind;
use crate::views::keyboards;

#[derive(BotCommands, Clone, Debug, PartialEq)]
#[command(rename_rule = "lowercase")]
pub enum Command {
    Start(String),
    Sale,
    Return,
    Cancel,
    Help,
}

pub async fn on_command(
    bot: Tg,
    app: Arc<App>,
    dialogue: Conversation,
    state: State,
    msg: Message,
    command: Command,
) -> HandlerResult {
    handle(&bot, &app, &dialogue, state, &msg, command).await
}

async fn handle(
    bot: &Tg,
    app: &App,
    dialogue: &Conversation,
    state: State,
    msg: &Message,
    command: Command,
) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else {
        return Ok(());
    };
    let person = app.sender(user).await?;
    match command {
        Command::Start(payload) => joining::on_start(bot, app, dialogue, state, msg, person, payload.trim()).await,
        Command::Cancel => match (state, person) {
            (State::CheckinNote { checkin_id }, Some(person)) => {
                super::checkins::skip_note(bot, app, dialogue, msg.chat.id, &person, checkin_id).await
            }
            (state, person) => cancel(bot, app, dialogue, state, msg.chat.id, person.map(|p| p.role)).await,
        },
        Command::Help => {
            let role = person.as_ref().map(|p| p.role);
            let text = match role {
                Some(crate::domain::person::Role::Entrepreneur) => app.tr.msg("help-entrepreneur"),
                Some(crate::domain::person::Role::Caseworker) => app.tr.msg("help-caseworker"),
                Some(crate::domain::person::Role::Manager) => app.tr.msg("help-manager"),
                None => return say_to_stranger(bot, app, msg.chat.id, app.tr.msg("stranger-hello")).await,
            };
            say(bot, msg.chat.id, text, None).await?;
            ask_again(bot, app, dialogue, msg.chat.id, state, user, person.map(|p| p.id)).await
        }
        Command::Sale | Command::Return => {
            let kind = if command == Command::Sale { ReportKind::Sale } else { ReportKind::Return };
            menu::begin_sale(bot, app, dialogue, msg.chat.id, person, kind).await
        }
    }
}

/// Mid-conversation, asks the pending question again so the person can go on (after help,
/// or after something else came in between).
pub async fn ask_again(
    bot: &Tg,
    app: &App,
    dialogue: &Conversation,
    chat: ChatId,
    state: State,
    user: &teloxide::types::User,
    person_id: Option<i64>,
) -> HandlerResult {
    match state {
        State::Report { report, .. } => report::ask(bot, app, dialogue, chat, report, person_id).await,
        State::Joining(joining) => joining::ask(bot, app, chat, &joining, user).await,
        State::LoanEntry { entry, .. } => super::loans::ask(bot, app, dialogue, chat, entry).await,
        State::LoanStateReason { .. } => say(bot, chat, app.tr.msg("loan-ask-reason"), None).await.map(|_| ()),
        State::PeopleSearch => {
            let args = [("max", crate::persian::digits::format_number(crate::domain::people_search::MAX_CHARS as i64))];
            say(bot, chat, app.tr.msg_with("people-search-ask", &args), None).await.map(|_| ())
        }
        State::Idle | State::CheckinNote { .. } => Ok(()),
    }
}

/// Ends whatever is under way without storing anything, and shows the menu.
pub async fn cancel(
    bot: &Tg,
    app: &App,
    dialogue: &Conversation,
    state: State,
    chat: ChatId,
    role: Option<crate::domain::person::Role>,
) -> HandlerResult {
    clear_state(dialogue).await?;
    let text = match state {
        State::Idle => app.tr.msg("nothing-to-cancel"),
        State::Joining(_) => app.tr.msg("join-cancelled"),
        State::Report { .. } => app.tr.msg("sale-cancelled"),
        State::LoanEntry { .. } | State::LoanStateReason { .. } => app.tr.msg("loan-entry-cancelled"),
        // Handled before: cancelling the note finishes the check-in without one.
        State::CheckinNote { .. } => app.tr.msg("checkin-thanks"),
        State::PeopleSearch => app.tr.msg("people-search-cancelled"),
    };
    let markup = role.map(|r| keyboards::main_menu(&app.tr, r)).unwrap_or_else(keyboards::remove);
    say(bot, chat, text, Some(markup)).await?;
    Ok(())
}

/// The command list Telegram shows, with Persian descriptions from the locale files.
pub fn menu_commands(tr: &crate::i18n::Tr) -> Vec<teloxide::types::BotCommand> {
    [
        ("start", "cmd-start"),
        ("sale", "cmd-sale"),
        ("return", "cmd-return"),
        ("cancel", "cmd-cancel"),
        ("help", "cmd-help"),
    ]
    .into_iter()
    .map(|(command, id)| teloxide::types::BotCommand::new(command, tr.msg(id)))
    .collect()
}
