//! Loans in the bot: a caseworker's people and their cards, recording a loan, and an
//! entrepreneur's «وام من».

use teloxide::prelude::*;
use teloxide::types::ReplyMarkup;

use super::callbacks::Press;
use super::{
    App, Conversation, HandlerResult, State, Summary, clear_state, retire_buttons, save_state, say, say_summary,
    say_with_menu,
};
use crate::domain::loan::{LoanProblem, LoanState};
use crate::domain::loan_entry::{LoanEntry, LoanEntryProblem, LoanEntryStep, advance_loan_entry, choose_amount};
use crate::domain::person::{Person, may_act_for};
use crate::domain::reminder::Wording;
use crate::persian::digits::{format_number, format_phone, to_persian_digits};
use crate::persian::jalali::{DateInputError, format_day, format_jalali_as_typed};
use crate::persian::text::normalize_input;
use crate::store::NewOutboxMessage;
use crate::store::{LoanRow, NewLoan};
use crate::views::callback::Callback;
use crate::views::keyboards;
use crate::views::loans::money;
use crate::views::loans::{LoanView, Reader};

/// The loan the person is paying now: the newest one still active or paused with
/// something left to pay.
pub async fn current_loan(app: &App, entrepreneur_id: i64) -> anyhow::Result<Option<LoanView>> {
    Ok(app
        .loan_views(entrepreneur_id)
        .await?
        .into_iter()
        .find(|v| matches!(v.loan.state, LoanState::Active | LoanState::Paused) && v.standing.outstanding > 0))
}

/// «وام من»: the entrepreneur's loans and every installment.
pub async fn my_loans(app: &App, dialogue: &Conversation, person: &Person) -> HandlerResult {
    let views = app.loan_views(person.id).await?;
    if views.is_empty() {
        say_with_menu(app, dialogue, app.tr.msg("my-loans-none"), person.role);
        return Ok(());
    }
    let text = views.iter().map(|v| app.loan_words().details(v, Reader::Entrepreneur)).collect::<Vec<_>>().join("\n\n");
    say_with_menu(app, dialogue, text, person.role);
    Ok(())
}

/// The entrepreneur a press names, if the presser may act for them.
async fn entrepreneur_for(app: &App, viewer: &Person, id: i64) -> anyhow::Result<Option<Person>> {
    Ok(app.store.person(id).await?.filter(|p| may_act_for(viewer, p)))
}

/// «p:<id>»: a person's card, for their caseworker or a manager.
pub async fn on_person_button(
    app: &App,
    dialogue: &Conversation,
    viewer: &Person,
    id: i64,
) -> anyhow::Result<Option<String>> {
    let Some(person) = entrepreneur_for(app, viewer, id).await? else {
        return Ok(Some(app.tr.msg("button-expired")));
    };
    let invoices = app.store.invoice_count_since(person.id, super::report::invoice_window_start(app)).await?;
    let mut text = app.tr.msg_with(
        "person-card",
        &[
            ("name", person.full_name.clone()),
            ("business", person.business.clone().unwrap_or_default()),
            ("level", to_persian_digits(&person.level.to_string())),
            ("phone", format_phone(person.phone.as_deref().unwrap_or(""))),
            ("invoices", format_number(invoices)),
            ("months", format_number(i64::from(app.config.invoice_window_months))),
        ],
    );
    let views = app.loan_views(person.id).await?;
    if views.is_empty() {
        text.push_str(&format!("\n{}", app.tr.msg("person-no-loans")));
    }
    let mut rows = vec![vec![(app.tr.msg("btn-record-loan"), Callback::LoanNew { entrepreneur: person.id })]];
    for view in &views {
        text.push_str(&format!("\n\n{}", app.loan_words().details(view, Reader::Staff)));
        rows.extend(state_buttons(app, &view.loan));
    }
    let buttons = keyboards::inline(rows);
    say(dialogue, text, Some(ReplyMarkup::InlineKeyboard(buttons)));
    Ok(None)
}

/// «ثبت وام» on a person's card: starts recording a loan for them.
pub async fn on_new(
    app: &App,
    dialogue: &Conversation,
    press: &Press<'_>,
    entrepreneur: i64,
) -> anyhow::Result<Option<String>> {
    let Some(person) = entrepreneur_for(app, press.person, entrepreneur).await? else {
        return Ok(Some(app.tr.msg("button-expired")));
    };
    ask(app, dialogue, LoanEntry::new(person.id, person.level)).await?;
    Ok(None)
}

/// «تأیید» / «انصراف» under a loan entry's summary.
pub async fn on_entry_button(
    app: &App,
    dialogue: &Conversation,
    state: State,
    press: &Press<'_>,
    confirm: bool,
) -> anyhow::Result<Option<String>> {
    let (chat, message_id, viewer) = (press.chat, press.message_id, press.person);
    let expired = Some(app.tr.msg("button-expired"));
    // Confirm and cancel work only on the live summary of this chat's own entry; «تأیید»
    // pressed again on a recorded one says so.
    let live = match state {
        State::LoanEntry { entry, summary_message: Some(live) } if live.is(app, message_id).await? => Some(entry),
        _ => None,
    };
    let Some(entry) = live else {
        return if confirm { super::callbacks::already_confirmed(app, chat, message_id).await } else { Ok(expired) };
    };
    let Some(person) = app.store.person(entry.entrepreneur_id).await?.filter(|p| may_act_for(viewer, p)) else {
        return Ok(expired);
    };
    retire_buttons(dialogue, teloxide::types::MessageId(message_id));
    if confirm {
        let schedule = entry.schedule();
        let (Some(principal), Some(fee)) = (entry.principal, entry.fee) else { return Ok(expired) };
        let loan = NewLoan {
            entrepreneur_id: person.id,
            level: entry.level,
            principal,
            fee,
            schedule,
            recorded_by: viewer.id,
            source: (chat.0, message_id),
        };
        // One unit of work: the loan, the end of the conversation, the reply and the
        // entrepreneur's news (which waits out the quiet hours, and shows the loan as it
        // stands when read).
        let now = app.clock.now();
        let tell = |loan_id: i64| {
            let reply = NewOutboxMessage::reply(
                chat.0,
                format!("reply:loan:{loan_id}"),
                app.tr.msg_with("loan-recorded", &[("name", person.full_name.clone())]),
                keyboards::as_json(&keyboards::main_menu(&app.tr, viewer.role)),
                now,
            );
            let news = NewOutboxMessage {
                not_before: app.config.programme.checkin.next_allowed(now),
                person_id: Some(person.id),
                worded: Some(Wording::LoanNews { entrepreneur_id: person.id, loan_id }),
                quiet_hours: true,
                ..NewOutboxMessage::text(
                    person.telegram_id,
                    "loan_recorded",
                    Some(format!("loan-recorded:{loan_id}")),
                    app.tr.msg("loan-recorded-for-you"),
                    now,
                )
            };
            vec![reply, news]
        };
        let (loan_id, new) = app.store.record_loan_telling(Some(dialogue.update_key()), &loan, tell, now).await?;
        if !new {
            clear_state(dialogue).await?;
            return Ok(Some(app.tr.msg("loan-already-recorded")));
        }
        tracing::info!(loan = loan_id, entrepreneur = person.id, by = viewer.id, principal, "loan recorded");
        Ok(None)
    } else {
        clear_state(dialogue).await?;
        say_with_menu(app, dialogue, app.tr.msg("loan-entry-cancelled"), viewer.role);
        Ok(None)
    }
}

/// Asks the entry's current question (saving the state first).
pub async fn ask(app: &App, dialogue: &Conversation, entry: LoanEntry) -> HandlerResult {
    ask_after(app, dialogue, entry, None).await
}

/// Says `lead` (why the last answer was not taken), then asks the entry's current question.
async fn ask_after(app: &App, dialogue: &Conversation, entry: LoanEntry, lead: Option<String>) -> HandlerResult {
    let policy = &app.config.programme.loans;
    let (text, choices) = match entry.step {
        LoanEntryStep::Amount => {
            let facility = policy.facility(entry.level);
            let args = [
                ("level", to_persian_digits(&entry.level.to_string())),
                ("min", format_number(facility.map_or(0, |f| f.min_toman))),
                ("max", format_number(facility.map_or(0, |f| f.max_toman))),
            ];
            (app.tr.msg_with("loan-ask-amount", &args), vec![])
        }
        LoanEntryStep::ChooseAmount => {
            let labels = entry.amount_choices.iter().map(|a| super::report::amount_choice_label(&app.tr, *a)).collect();
            (app.tr.msg("amount-ask-which"), labels)
        }
        LoanEntryStep::Count => {
            let choices = policy.installment_choices.iter().map(|n| format_number(i64::from(*n))).collect();
            (app.tr.msg("loan-ask-count"), choices)
        }
        LoanEntryStep::FirstDue => {
            let choices = next_month(app).map(|day| format_day(day, app.clock.today())).into_iter().collect();
            (app.tr.msg_with("loan-ask-first-due", &[("example", coming_day_example(app))]), choices)
        }
        LoanEntryStep::Review => {
            let buttons = keyboards::inline(vec![vec![
                (app.tr.msg("btn-confirm"), Callback::LoanEntry { confirm: true }),
                (app.tr.msg("btn-cancel"), Callback::LoanEntry { confirm: false }),
            ]]);
            let summary = say_summary(app, dialogue, lead, review_text(app, &entry), buttons);
            return save_state(dialogue, State::LoanEntry { entry, summary_message: Some(summary) }).await;
        }
    };
    save_state(dialogue, State::LoanEntry { entry, summary_message: None }).await?;
    super::say_question(dialogue, lead, text, keyboards::choices_with_cancel(&app.tr, &choices, 3));
    Ok(())
}

fn review_text(app: &App, entry: &LoanEntry) -> String {
    let schedule = entry.schedule();
    let mut text = app.tr.msg_with(
        "loan-review",
        &[
            ("kind", app.loan_words().kind(entry.level)),
            ("principal", money(&app.tr, entry.principal.unwrap_or_default())),
            ("fee", money(&app.tr, entry.fee.unwrap_or_default())),
            ("count", format_number(schedule.len() as i64)),
        ],
    );
    for installment in &schedule {
        text.push('\n');
        text.push_str(&app.loan_words().installment_line(installment.number, installment.due_on, installment.amount));
    }
    text
}

/// A typed answer while a loan is being recorded.
pub async fn on_message(
    app: &App,
    dialogue: &Conversation,
    entry: LoanEntry,
    summary_message: Option<Summary>,
    msg: &Message,
) -> HandlerResult {
    let Some(user) = msg.from.as_ref() else { return Ok(()) };
    let viewer = app.sender(user).await?;
    let entrepreneur = app.store.person(entry.entrepreneur_id).await?;
    let text = msg.text().map(normalize_input);
    let allowed = matches!((&viewer, &entrepreneur), (Some(v), Some(e)) if may_act_for(v, e));
    if !allowed || text.as_deref() == Some(app.tr.msg("btn-cancel").as_str()) {
        let stale = State::LoanEntry { entry, summary_message };
        return super::commands::cancel(app, dialogue, stale, viewer.map(|v| v.role)).await;
    }
    let policy = &app.config.programme.loans;
    // At the choice of readings, a button's label is that reading.
    let chosen = text.as_ref().and_then(|t| {
        let labelled = |a: &&i64| super::report::amount_choice_label(&app.tr, **a) == *t;
        entry.amount_choices.iter().find(labelled).filter(|_| entry.step == LoanEntryStep::ChooseAmount)
    });
    // The answer is read as it was typed: the amount reader refuses hidden direction controls
    // that normalizing would strip (every reader normalizes for itself).
    let answered = match chosen {
        Some(amount) => Some(choose_amount(&entry, *amount, policy)),
        None => msg.text().map(|t| advance_loan_entry(&entry, t, app.clock.today(), policy)),
    };
    let (next, lead) = match answered {
        Some(Ok(next)) => (next, None),
        Some(Err(problem)) => {
            let lead = problem_text(app, &entry, problem);
            (entry, Some(lead))
        }
        None => (entry, Some(app.tr.msg("error-expected-text"))),
    };
    super::report::retire_summary(app, dialogue, summary_message).await?;
    ask_after(app, dialogue, next, lead).await
}

/// The usual first due date, a month from today: offered as a button.
fn next_month(app: &App) -> Option<chrono::NaiveDate> {
    crate::domain::loan::add_jalali_months(app.clock.today(), 1)
}

/// An example of a typed first due date: a coming day other than the button's.
fn coming_day_example(app: &App) -> String {
    let day = next_month(app).unwrap_or_else(|| app.clock.today()) + chrono::Days::new(5);
    format_jalali_as_typed(day)
}

fn problem_text(app: &App, entry: &LoanEntry, problem: LoanEntryProblem) -> String {
    let policy = &app.config.programme.loans;
    let max_installments = i64::from(policy.max_installments);
    match problem {
        // The same answers as every amount question, with this level's range where it helps.
        LoanEntryProblem::Amount(e) => {
            let (min, max) = policy.facility(entry.level).map_or((0, 0), |f| (f.min_toman, f.max_toman));
            super::report::amount_problem_text(app, e, super::report::AmountQuestion::Loan { min, max })
        }
        LoanEntryProblem::Loan(LoanProblem::OutOfRange { min, max }) => {
            app.tr.msg_with("loan-error-out-of-range", &[("min", format_number(min)), ("max", format_number(max))])
        }
        LoanEntryProblem::Loan(LoanProblem::NoFacility) => app.tr.msg("loan-error-no-facility"),
        LoanEntryProblem::Loan(LoanProblem::BadInstallmentCount { .. }) | LoanEntryProblem::Count => {
            app.tr.msg_with("loan-error-count", &[("max", format_number(max_installments))])
        }
        LoanEntryProblem::Day(DateInputError::TooOld) => app.tr.msg("loan-error-first-due-past"),
        LoanEntryProblem::Day(DateInputError::TooFarAhead) => app.tr.msg("loan-error-first-due-far"),
        LoanEntryProblem::Day(DateInputError::NoSuchDay) => {
            app.tr.msg_with("day-error-no-such-day", &[("example", coming_day_example(app))])
        }
        LoanEntryProblem::Day(_) => {
            app.tr.msg_with("loan-error-first-due-not-understood", &[("example", coming_day_example(app))])
        }
        LoanEntryProblem::UseButtons => app.tr.msg("loan-error-use-buttons"),
    }
}

fn state_change_label(app: &App, loan: &LoanRow, to: LoanState) -> String {
    let id = match to {
        LoanState::Paused => "btn-loan-pause",
        LoanState::Active => "btn-loan-resume",
        _ => "btn-loan-stop",
    };
    app.tr.part_with(id, &[("principal", format_number(loan.principal))])
}

/// The state changes a caseworker may make to a loan, as one row of buttons.
fn state_buttons(app: &App, loan: &LoanRow) -> Vec<Vec<(String, Callback)>> {
    let row: Vec<(String, Callback)> = loan
        .state
        .allowed_changes()
        .iter()
        .map(|to| (state_change_label(app, loan, *to), Callback::LoanState { loan: loan.id, to: *to }))
        .collect();
    if row.is_empty() { vec![] } else { vec![row] }
}

/// The loan a press names and its entrepreneur, if the presser may act for them.
async fn loan_for(app: &App, viewer: &Person, loan_id: i64) -> anyhow::Result<Option<(LoanRow, Person)>> {
    let Some(loan) = app.store.loan(loan_id).await? else { return Ok(None) };
    let person = app.store.person(loan.entrepreneur_id).await?.filter(|p| may_act_for(viewer, p));
    Ok(person.map(|p| (loan, p)))
}

/// «ls:<loan>:<state>»: asks why, before the state is changed.
pub async fn on_state_button(
    app: &App,
    dialogue: &Conversation,
    press: &Press<'_>,
    loan_id: i64,
    to: LoanState,
) -> anyhow::Result<Option<String>> {
    let expired = Some(app.tr.msg("button-expired"));
    let Some((loan, _)) = loan_for(app, press.person, loan_id).await? else { return Ok(expired) };
    if !loan.state.allowed_changes().contains(&to) {
        return Ok(Some(app.tr.msg("loan-state-change-not-allowed")));
    }
    save_state(dialogue, State::LoanStateReason { loan_id, to }).await?;
    let text = format!("{}\n{}", state_change_label(app, &loan, to), app.tr.msg("loan-ask-reason"));
    say(dialogue, text, Some(keyboards::choices_with_cancel(&app.tr, &[], 1)));
    Ok(None)
}

/// The reason typed for a state change: the change is made and both sides are told.
pub async fn on_state_reason(
    app: &App,
    dialogue: &Conversation,
    loan_id: i64,
    to: LoanState,
    msg: &Message,
) -> HandlerResult {
    let chat = msg.chat.id;
    let Some(user) = msg.from.as_ref() else { return Ok(()) };
    let viewer = app.sender(user).await?;
    let target = match &viewer {
        Some(v) => loan_for(app, v, loan_id).await?,
        None => None,
    };
    let text = msg.text().map(normalize_input);
    let (Some(viewer), Some((loan, person))) = (viewer, target) else {
        return super::commands::cancel(app, dialogue, State::LoanStateReason { loan_id, to }, None).await;
    };
    if text.as_deref() == Some(app.tr.msg("btn-cancel").as_str()) {
        let stale = State::LoanStateReason { loan_id, to };
        return super::commands::cancel(app, dialogue, stale, Some(viewer.role)).await;
    }
    let reason = match msg.text().map(|t| crate::domain::person::clean_label(t, MAX_REASON_CHARS)) {
        Some(Ok(reason)) => reason,
        _ => {
            say(dialogue, app.tr.msg("loan-ask-reason"), None);
            return Ok(());
        }
    };
    if !loan.state.allowed_changes().contains(&to) {
        clear_state(dialogue).await?;
        say_with_menu(app, dialogue, app.tr.msg("loan-state-change-not-allowed"), viewer.role);
        return Ok(());
    }
    // One unit of work: the new state, the end of this conversation, the reply and the
    // entrepreneur's news (which waits out the quiet hours).
    let now = app.clock.now();
    let args = [("name", person.full_name.clone()), ("state", app.loan_words().state(to)), ("reason", reason.clone())];
    let key = format!("{}:{}:{}:{}", loan.id, to.as_str(), chat.0, msg.id.0);
    let reply = NewOutboxMessage::reply(
        chat.0,
        format!("reply:loan-state:{key}"),
        app.tr.msg_with("loan-state-changed", &args),
        keyboards::as_json(&keyboards::main_menu(&app.tr, viewer.role)),
        now,
    );
    let news = NewOutboxMessage {
        not_before: app.config.programme.checkin.next_allowed(now),
        person_id: Some(person.id),
        quiet_hours: true,
        ..NewOutboxMessage::text(
            person.telegram_id,
            "loan_state_changed",
            Some(format!("loan-state:{key}")),
            app.tr.msg_with("loan-state-changed-for-you", &args),
            now,
        )
    };
    let changed = app
        .store
        .set_loan_state(
            dialogue.update_key(),
            loan.id,
            (loan.state, to),
            Some(viewer.id),
            &reason,
            app.clock.today(),
            Some(chat.0),
            &[reply, news],
            now,
        )
        .await?;
    if !changed {
        // Someone else changed the loan meanwhile: nothing is stored.
        clear_state(dialogue).await?;
        say_with_menu(app, dialogue, app.tr.msg("loan-state-change-not-allowed"), viewer.role);
        return Ok(());
    }
    tracing::info!(loan = loan.id, state = to.as_str(), by = viewer.id, "loan state changed");
    Ok(())
}

const MAX_REASON_CHARS: usize = 300;
