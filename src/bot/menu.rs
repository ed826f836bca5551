//! The main menu: what a known person can start from rest, and one-line reports.

use std::sync::Arc;

use teloxide::prelude::*;

use super::{App, Conversation, HandlerResult, report, say_to_stranger, say_with_menu};
use crate::domain::person::{Person, Role};
use crate::domain::quick_report::{parse_quick_report, starts_as_report};
use crate::domain::report::{Report, ReportKind};
use crate::persian::amount::Expect;
use crate::persian::jalali::format_day;
use crate::persian::text::normalize_input;
use crate::store::{NewInvite, NewOutboxMessage};
use crate::views::keyboards;

pub async fn on_message(app: Arc<App>, dialogue: Conversation, msg: Message) -> HandlerResult {
    handle(&app, &dialogue, &msg).await
}

/// A message at rest: a menu button, a one-line report, or anything else.
pub(crate) async fn handle(app: &App, dialogue: &Conversation, msg: &Message) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else {
        return Ok(());
    };
    let Some(person) = app.sender(user).await? else {
        say_to_stranger(app, dialogue, app.tr.msg("stranger-hello"));
        return Ok(());
    };
    let Some(typed) = msg.text() else {
        say_with_menu(app, dialogue, app.tr.msg("menu-not-understood"), person.role);
        return Ok(());
    };
    let text = normalize_input(typed);
    let is = |id: &str| text == app.tr.msg(id);
    match person.role {
        Role::Entrepreneur if is("btn-sale") => {
            return begin_sale(app, dialogue, Some(person), ReportKind::Sale).await;
        }
        Role::Entrepreneur if is("btn-return") => {
            return begin_sale(app, dialogue, Some(person), ReportKind::Return).await;
        }
        Role::Caseworker if is("btn-invite-entrepreneur") => {
            return send_invite(app, dialogue, &person, Role::Entrepreneur).await;
        }
        Role::Entrepreneur if is("btn-payment") => {
            return super::payments::begin_payment(app, dialogue, &person).await;
        }
        Role::Entrepreneur if is("btn-my-loans") => return super::loans::my_loans(app, dialogue, &person).await,
        Role::Entrepreneur if is("btn-checkin") => {
            return super::checkins::begin(app, dialogue, &person).await;
        }
        Role::Caseworker if is("btn-my-people") => return super::people::list(app, dialogue, &person).await,
        Role::Manager if is("btn-all-people") => return super::people::list(app, dialogue, &person).await,
        Role::Manager if is("btn-invite-caseworker") => {
            return send_invite(app, dialogue, &person, Role::Caseworker).await;
        }
        _ if is("btn-help") => {
            let help = match person.role {
                Role::Entrepreneur => "help-entrepreneur",
                Role::Caseworker => "help-caseworker",
                Role::Manager => "help-manager",
            };
            say_with_menu(app, dialogue, app.tr.msg(help), person.role);
            return Ok(());
        }
        _ => {}
    }
    // A one-line report is read as typed: its half-spaces belong to the item, and direction
    // controls must be seen to be refused.
    if starts_as_report(typed) {
        if person.role != Role::Entrepreneur {
            say_with_menu(app, dialogue, app.tr.msg("sale-only-entrepreneurs"), person.role);
            return Ok(());
        }
        let expect = Expect {
            max: app.config.sale_limits.max_amount_toman,
            usual: app.store.usual_sale(person.id).await?,
            range: None,
        };
        if let Some(quick) = parse_quick_report(typed, &expect) {
            return report::begin_quick(app, dialogue, &person, quick).await;
        }
    }
    let hint =
        if person.role == Role::Entrepreneur { "menu-not-understood-entrepreneur" } else { "menu-not-understood" };
    say_with_menu(app, dialogue, app.tr.msg(hint), person.role);
    Ok(())
}

/// Starts a sale or return report, for entrepreneurs only.
pub async fn begin_sale(app: &App, dialogue: &Conversation, person: Option<Person>, kind: ReportKind) -> HandlerResult {
    match person {
        Some(p) if p.role == Role::Entrepreneur => {
            return report::ask(app, dialogue, Report::new(kind), Some(p.id)).await;
        }
        Some(p) => say_with_menu(app, dialogue, app.tr.msg("sale-only-entrepreneurs"), p.role),
        None => say_to_stranger(app, dialogue, app.tr.msg("stranger-hello")),
    }
    Ok(())
}

/// Creates an invite bound to the person asking, and queues the message with its link.
async fn send_invite(app: &App, dialogue: &Conversation, inviter: &Person, role: Role) -> HandlerResult {
    let chat = dialogue.chat_id();
    let now = app.clock.now();
    let caseworker_id = (role == Role::Entrepreneur).then_some(inviter.id);
    let invite = NewInvite::random(role, caseworker_id, Some(inviter.id), now, app.config.invite_valid_days)?;
    let id = if role == Role::Entrepreneur { "invite-entrepreneur-created" } else { "invite-caseworker-created" };
    let text = app.tr.msg_with(
        id,
        &[
            ("link", app.invite_link(&invite.code)),
            ("code", invite.code.clone()),
            ("expires", format_day(crate::persian::jalali::tehran_day(invite.expires_at), app.clock.today())),
        ],
    );
    // The invite and the message that carries its link are one unit of work.
    let menu = keyboards::as_json(&keyboards::main_menu(&app.tr, inviter.role));
    let reply = NewOutboxMessage::reply(chat.0, format!("reply:invite:{}", invite.code), text, menu, now);
    app.store.create_invite(Some(dialogue.update_key()), &invite, Some(&reply), now).await?;
    Ok(())
}
