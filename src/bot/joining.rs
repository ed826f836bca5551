//! Joining through an invite: /start <code> → own phone number → name → business type.
//! Nothing is stored until the last answer, and then in one transaction that also uses
//! up the invite.

use serde::{Deserialize, Serialize};
use teloxide::prelude::*;
use teloxide::types::User;

use super::{
    App, Conversation, HandlerResult, State, clear_state, commands, save_state, say, say_to_stranger, say_with_menu,
};
use crate::domain::invite::{InviteProblem, check_invite, looks_like_code};
use crate::domain::person::{Person, Role, TextProblem, clean_label, normalize_phone};
use crate::views::keyboards;
use chrono::{DateTime, Utc};

use crate::store::{NewOutboxMessage, NewPerson};
use std::sync::Arc;

const MAX_NAME_CHARS: usize = 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Joining {
    pub code: String,
    pub role: Role,
    pub step: JoinStep,
    pub phone: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinStep {
    Contact,
    Name,
    Business,
}

/// /start, with or without an invite code.
pub async fn on_start(
    app: &App,
    dialogue: &Conversation,
    state: State,
    msg: &Message,
    person: Option<Person>,
    payload: &str,
) -> HandlerResult {
    if let Some(person) = person {
        // A known person: back to the menu, dropping any unfinished report.
        let had_report = matches!(state, State::Report { .. });
        clear_state(dialogue).await?;
        let mut text = app.tr.msg_with("welcome-back", &[("name", person.full_name.clone())]);
        if had_report {
            text = format!("{}\n{text}", app.tr.msg("sale-cancelled"));
        }
        say_with_menu(app, dialogue, text, person.role);
        return Ok(());
    }
    if payload.is_empty() {
        say_to_stranger(app, dialogue, app.tr.msg("stranger-hello"));
        return Ok(());
    }
    let invite = if looks_like_code(payload) { app.store.invite(payload).await? } else { None };
    if let Err(problem) = check_invite(invite.as_ref(), app.clock.now()) {
        say(dialogue, app.tr.msg(invite_problem_text(problem)), Some(keyboards::remove()));
        return Ok(());
    }
    let Some(invite) = invite else { return Ok(()) };
    let joining = Joining { code: invite.code, role: invite.role, step: JoinStep::Contact, phone: None, name: None };
    let Some(user) = msg.from.as_ref() else {
        return Ok(());
    };
    let intro = match joining.role {
        Role::Caseworker => "join-intro-caseworker",
        _ => "join-intro-entrepreneur",
    };
    say(dialogue, app.tr.msg(intro), None);
    ask(app, dialogue, &joining, user);
    save_state(dialogue, State::Joining(joining)).await
}

fn invite_problem_text(problem: InviteProblem) -> &'static str {
    match problem {
        InviteProblem::Unknown => "join-code-unknown",
        InviteProblem::Used => "join-code-used",
        InviteProblem::Expired => "join-code-expired",
    }
}

/// Asks the question of the current step.
pub fn ask(app: &App, dialogue: &Conversation, joining: &Joining, user: &User) {
    match joining.step {
        JoinStep::Contact => say(dialogue, app.tr.msg("join-ask-contact"), Some(keyboards::share_contact(&app.tr))),
        JoinStep::Name => {
            let telegram_name = clean_label(&user.full_name(), MAX_NAME_CHARS).ok();
            let markup = keyboards::choices_with_cancel(&app.tr, &telegram_name.into_iter().collect::<Vec<_>>(), 1);
            say(dialogue, app.tr.msg("join-ask-name"), Some(markup));
        }
        JoinStep::Business => {
            let markup = keyboards::choices_with_cancel(&app.tr, &app.tr.lines("business-types"), 2);
            say(dialogue, app.tr.msg("join-ask-business"), Some(markup));
        }
    }
}

pub async fn on_message(app: Arc<App>, dialogue: Conversation, joining: Joining, msg: Message) -> HandlerResult {
    handle(&app, &dialogue, joining, &msg).await
}

async fn handle(app: &App, dialogue: &Conversation, mut joining: Joining, msg: &Message) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else {
        return Ok(());
    };
    if msg.text().map(str::trim) == Some(app.tr.msg("btn-cancel").as_str()) {
        return commands::cancel(app, dialogue, State::Joining(joining), None).await;
    }
    let problem = match joining.step {
        JoinStep::Contact => match msg.contact() {
            Some(contact) if contact.user_id == Some(user.id) => {
                joining.phone = Some(normalize_phone(&contact.phone_number));
                joining.step = JoinStep::Name;
                None
            }
            Some(_) => Some("join-error-not-own-contact"),
            None => Some("join-error-use-contact-button"),
        },
        JoinStep::Name | JoinStep::Business => match msg.text().map(|t| clean_label(t, MAX_NAME_CHARS)) {
            Some(Ok(text)) => {
                if joining.step == JoinStep::Name {
                    joining.name = Some(text);
                    joining.step = JoinStep::Business;
                    if joining.role != Role::Entrepreneur {
                        return join(app, dialogue, joining, None, user).await;
                    }
                    None
                } else {
                    return join(app, dialogue, joining, Some(text), user).await;
                }
            }
            Some(Err(TextProblem::TooLong)) => Some("error-text-too-long"),
            Some(Err(TextProblem::Empty | TextProblem::NoLetters)) => Some("join-error-name"),
            None => Some("error-expected-text"),
        },
    };
    if let Some(problem) = problem {
        let text = app.tr.msg_with(problem, &[("max", crate::persian::digits::format_number(MAX_NAME_CHARS as i64))]);
        say(dialogue, text, None);
    }
    ask(app, dialogue, &joining, user);
    save_state(dialogue, State::Joining(joining)).await
}

async fn join(
    app: &App,
    dialogue: &Conversation,
    joining: Joining,
    business: Option<String>,
    user: &User,
) -> HandlerResult {
    let chat = ChatId(user.id.0 as i64);
    let now = app.clock.now();
    // The invite is read again: it may have been used or expired while this person typed.
    let invite = app.store.invite(&joining.code).await?;
    let outcome = match check_invite(invite.as_ref(), now) {
        Err(problem) => Err(problem),
        Ok(()) => {
            let new_person = NewPerson {
                telegram_id: user.id.0 as i64,
                role: joining.role,
                full_name: joining.name.clone().unwrap_or_else(|| user.full_name()),
                phone: joining.phone.clone(),
                business,
                caseworker_id: invite.as_ref().and_then(|i| i.caseworker_id),
            };
            let notice = newcomer_notice(app, &new_person, invite.as_ref().and_then(|i| i.created_by), now).await?;
            let welcome_id = match new_person.role {
                Role::Entrepreneur => "join-done-entrepreneur",
                _ => "join-done-caseworker",
            };
            // One unit of work: the person, the invite used, the notice, the welcome with the
            // menu (through the outbox) and the end of the joining conversation.
            let welcome = NewOutboxMessage::reply(
                chat.0,
                format!("reply:joined:{}", chat.0),
                app.tr.msg_with(welcome_id, &[("name", new_person.full_name.clone())]),
                keyboards::as_json(&keyboards::main_menu(&app.tr, new_person.role)),
                now,
            );
            app.store
                .join_with_invite(
                    Some(dialogue.update_key()),
                    &joining.code,
                    &new_person,
                    notice.as_ref(),
                    Some(&welcome),
                    now,
                )
                .await?
                .ok_or(InviteProblem::Used)
        }
    };
    let person = match outcome {
        Ok(person) => person,
        Err(problem) => {
            // Nothing was stored: the conversation ends, and the person is told why.
            clear_state(dialogue).await?;
            say(dialogue, app.tr.msg(invite_problem_text(problem)), Some(keyboards::remove()));
            return Ok(());
        }
    };
    tracing::info!(person = person.id, role = person.role.as_str(), "joined");
    Ok(())
}

/// The message telling whoever is responsible about a newcomer: an entrepreneur's
/// caseworker, or the manager who invited a caseworker. Queued with the join itself.
async fn newcomer_notice(
    app: &App,
    person: &NewPerson,
    invited_by: Option<i64>,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<NewOutboxMessage>> {
    let (recipient, id) = match person.role {
        Role::Entrepreneur => (person.caseworker_id, "caseworker-new-entrepreneur"),
        _ => (invited_by, "manager-new-caseworker"),
    };
    let Some(recipient) = (match recipient {
        Some(id) => app.store.person(id).await?,
        None => None,
    }) else {
        return Ok(None);
    };
    let text = app.tr.msg_with(
        id,
        &[
            ("name", person.full_name.clone()),
            ("business", person.business.clone().unwrap_or_default()),
            ("phone", crate::persian::digits::format_phone(person.phone.as_deref().unwrap_or(""))),
        ],
    );
    let key = format!("joined:{}", person.telegram_id);
    Ok(Some(NewOutboxMessage::text(recipient.telegram_id, "joined", Some(key), text, now)))
}
