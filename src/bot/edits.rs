//! A person edits a message they sent (correcting an amount, say). What they edited was read
//! as it first came, and may already be stored or answered; reading the edit could change a
//! stored report behind the person's back. So an edit is never taken: the person is told so,
//! and what to do instead, in words that fit where they are.

use std::sync::Arc;

use teloxide::prelude::*;

use super::{App, Conversation, HandlerResult, State, say, say_to_stranger};
use crate::domain::person::Role;
use crate::domain::report::ReportStep;

pub async fn on_edited_message(app: Arc<App>, dialogue: Conversation, state: State, msg: Message) -> HandlerResult {
    answer(&app, &dialogue, &state, &msg).await
}

async fn answer(app: &App, dialogue: &Conversation, state: &State, msg: &Message) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else { return Ok(()) };
    let role = app.sender(user).await?.map(|p| p.role);
    let text = app.tr.msg(reply_to_edit(role, state));
    if role.is_none() && *state == State::Idle {
        say_to_stranger(app, dialogue, text);
        return Ok(());
    }
    say(dialogue, text, None);
    Ok(())
}

/// What to say to an edit, by who edited and where they are.
pub fn reply_to_edit(role: Option<Role>, state: &State) -> &'static str {
    match (role, state) {
        (_, State::Report { report, summary_message: Some(_) }) if report.step == ReportStep::ChooseEdit => {
            "edit-not-read-choosing"
        }
        (_, State::Report { summary_message: Some(_), .. }) => "edit-not-read-summary",
        (_, State::Report { .. }) => "edit-not-read-report",
        (_, State::LoanEntry { summary_message: Some(_), .. }) => "edit-not-read-loan-summary",
        (_, State::CheckinNote { .. }) => "edit-not-read-note",
        (_, State::Joining(_) | State::LoanEntry { .. } | State::LoanStateReason { .. } | State::PeopleSearch) => {
            "edit-not-read-question"
        }
        (None, State::Idle) => "stranger-hello",
        (Some(Role::Entrepreneur), State::Idle) => "edit-not-read-entrepreneur",
        (Some(_), State::Idle) => "edit-not-read",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::loan::LoanState;
    use crate::domain::report::{Report, ReportKind};

    #[test]
    fn an_edit_is_answered_with_what_to_do_where_the_person_is() {
        let report = Report::new(ReportKind::Sale);
        let open = State::Report { report: report.clone(), summary_message: Some(super::super::Summary::Message(7)) };
        let asking = State::Report { report, summary_message: None };
        assert_eq!(reply_to_edit(Some(Role::Entrepreneur), &open), "edit-not-read-summary");
        let choosing = State::Report {
            report: Report { step: ReportStep::ChooseEdit, ..Report::new(ReportKind::Sale) },
            summary_message: Some(super::super::Summary::Message(7)),
        };
        assert_eq!(reply_to_edit(Some(Role::Entrepreneur), &choosing), "edit-not-read-choosing");
        assert_eq!(reply_to_edit(Some(Role::Entrepreneur), &asking), "edit-not-read-report");
        assert_eq!(reply_to_edit(Some(Role::Entrepreneur), &State::Idle), "edit-not-read-entrepreneur");
        assert_eq!(reply_to_edit(Some(Role::Caseworker), &State::Idle), "edit-not-read");
        assert_eq!(reply_to_edit(None, &State::Idle), "stranger-hello");
        assert_eq!(
            reply_to_edit(Some(Role::Entrepreneur), &State::CheckinNote { checkin_id: 1 }),
            "edit-not-read-note"
        );
        let reason = State::LoanStateReason { loan_id: 1, to: LoanState::Paused };
        assert_eq!(reply_to_edit(Some(Role::Caseworker), &reason), "edit-not-read-question");
    }
}
