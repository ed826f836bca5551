//! Slash commands. They work at any step: /cancel ends what is under way, /start and
//! /sale begin afresh, /help explains and leaves the conversation where it was.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::utils::command::BotCommands;

use super::{App, Conversation, HandlerResult, State, clear_state, joining, menu, report, say, say_to_stranger};
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
    app: Arc<App>,
    dialogue: Conversation,
    state: State,
    msg: Message,
    command: Command,
) -> HandlerResult {
    handle(&app, &dialogue, state, &msg, command).await
}

async fn handle(app: &App, dialogue: &Conversation, state: State, msg: &Message, command: Command) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else {
        return Ok(());
    };
    let person = app.sender(user).await?;
    match command {
        Command::Start(payload) => joining::on_start(app, dialogue, state, msg, person, payload.trim()).await,
        Command::Cancel => match (state, person) {
            (State::CheckinNote { checkin_id }, Some(person)) => {
                super::checkins::skip_note(app, dialogue, &person, checkin_id).await
            }
            (state, person) => cancel(app, dialogue, state, person.map(|p| p.role)).await,
        },
        Command::Help => {
            let role = person.as_ref().map(|p| p.role);
            let text = match role {
                Some(crate::domain::person::Role::Entrepreneur) => app.tr.msg("help-entrepreneur"),
                Some(crate::domain::person::Role::Caseworker) => app.tr.msg("help-caseworker"),
                Some(crate::domain::person::Role::Manager) => app.tr.msg("help-manager"),
                None => {
                    say_to_stranger(app, dialogue, app.tr.msg("stranger-hello"));
                    return Ok(());
                }
            };
            say(dialogue, text, None);
            ask_again(app, dialogue, state, user, person.map(|p| p.id)).await
        }
        Command::Sale | Command::Return => {
            let kind = if command == Command::Sale { ReportKind::Sale } else { ReportKind::Return };
            menu::begin_sale(app, dialogue, person, kind).await
        }
    }
}

/// Mid-conversation, asks the pending question again so the person can go on (after help,
/// or after something else came in between).
pub async fn ask_again(
    app: &App,
    dialogue: &Conversation,
    state: State,
    user: &teloxide::types::User,
    person_id: Option<i64>,
) -> HandlerResult {
    match state {
        State::Report { report, .. } => return report::ask(app, dialogue, report, person_id).await,
        State::Joining(joining) => joining::ask(app, dialogue, &joining, user),
        State::LoanEntry { entry, .. } => return super::loans::ask(app, dialogue, entry).await,
        State::LoanStateReason { .. } => say(dialogue, app.tr.msg("loan-ask-reason"), None),
        State::PeopleSearch => {
            let args = [("max", crate::persian::digits::format_number(crate::domain::people_search::MAX_CHARS as i64))];
            say(dialogue, app.tr.msg_with("people-search-ask", &args), None)
        }
        State::Idle | State::CheckinNote { .. } => {}
    }
    Ok(())
}

/// Ends whatever is under way without storing anything, and shows the menu.
pub async fn cancel(
    app: &App,
    dialogue: &Conversation,
    state: State,
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
    say(dialogue, text, Some(markup));
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
