//! Loan payments: the entrepreneur reports one (the report conversation with kind
//! Payment), it stays pending, and their caseworker confirms or rejects it.

use teloxide::types::MessageId;

use super::callbacks::Press;
use super::loans::current_loan;
use super::{App, Conversation, HandlerResult, report, retire_buttons, say_with_menu};
use crate::domain::loan::Allocation;
use crate::domain::person::{Person, may_act_for};
use crate::domain::reminder::Wording;
use crate::domain::report::{Report, ReportKind};
use crate::persian::jalali::format_day;
use crate::store::outbox::Lane;
use crate::store::{NewOutboxMessage, NewPayment};
use crate::views::callback::Callback;
use crate::views::keyboards;
use crate::views::loans::money;

/// «پرداخت قسط»: starts a payment report for the loan being repaid.
pub async fn begin_payment(app: &App, dialogue: &Conversation, person: &Person) -> HandlerResult {
    match current_loan(app, person.id).await? {
        Some(view) => {
            let payment = Report::new(ReportKind::Payment { loan_id: view.loan.id });
            report::ask(app, dialogue, payment, Some(person.id)).await
        }
        None => {
            say_with_menu(app, dialogue, app.tr.msg("payment-no-loan"), person.role);
            Ok(())
        }
    }
}

/// The amount offered as a button: what is overdue, or else the next installment.
pub async fn suggested_amount(app: &App, entrepreneur_id: i64) -> anyhow::Result<Option<i64>> {
    Ok(current_loan(app, entrepreneur_id).await?.and_then(|v| {
        if v.standing.overdue_amount > 0 {
            Some(v.standing.overdue_amount)
        } else {
            v.standing.next_due.map(|(_, amount)| amount)
        }
    }))
}

/// Stores a confirmed payment report as pending and tells the caseworker, with the receipt: one
/// unit of work with the person's reply and the end of the conversation.
pub async fn submit(
    app: &App,
    dialogue: &Conversation,
    summary: i32,
    person: &Person,
    report: &Report,
    loan_id: i64,
) -> HandlerResult {
    let chat = dialogue.chat_id();
    let (Some(amount), Some(day)) = (report.amount, report.day) else { return Ok(()) };
    // The loan must still be this person's: the conversation may be older than a change.
    let Some(loan) = app.store.loan(loan_id).await?.filter(|l| l.entrepreneur_id == person.id) else {
        super::clear_state(dialogue).await?;
        say_with_menu(app, dialogue, app.tr.msg("button-expired"), person.role);
        return Ok(());
    };
    // The summary marked as sent, with the payment's commit.
    let sent_text = format!("{}\n{}", report::summary_text(app, report), app.tr.msg("payment-sent-mark"));
    super::mark_done(dialogue, teloxide::types::MessageId(summary), sent_text);
    let now = app.clock.now();
    let caseworker = app.caseworker_of(person).await?;
    let text = app.tr.msg_with(
        "payment-to-confirm",
        &[
            ("name", person.full_name.clone()),
            ("amount", money(&app.tr, amount)),
            ("day", format_day(day, app.clock.today())),
        ],
    );
    let pending = NewOutboxMessage::reply(
        chat.0,
        format!("reply:payment-reported:{}:{summary}", chat.0),
        app.tr.msg("payment-pending"),
        keyboards::as_json(&keyboards::main_menu(&app.tr, person.role)),
        now,
    );
    let request = |payment_id: i64| {
        let caseworker = caseworker.as_ref()?;
        let buttons = keyboards::inline(vec![vec![
            (app.tr.msg("btn-payment-confirm"), Callback::Payment { payment: payment_id, confirm: true }),
            (app.tr.msg("btn-payment-reject"), Callback::Payment { payment: payment_id, confirm: false }),
        ]]);
        Some(NewOutboxMessage {
            reply_markup: keyboards::as_json(&buttons),
            attachment: report.photo.clone(),
            ..NewOutboxMessage::text(
                caseworker.telegram_id,
                "payment_to_confirm",
                Some(format!("payment:{payment_id}")),
                text,
                now,
            )
        })
    };
    let payment =
        NewPayment { loan_id: loan.id, amount, paid_on: day, photo: report.photo.as_ref(), source: (chat.0, summary) };
    let messages = |payment_id: i64| request(payment_id).into_iter().chain([pending.clone()]).collect();
    let (payment_id, new) = app.store.report_payment(Some(dialogue.update_key()), &payment, messages, now).await?;
    if new {
        tracing::info!(payment = payment_id, entrepreneur = person.id, amount, "payment reported");
    } else {
        super::clear_state(dialogue).await?;
        say_with_menu(app, dialogue, app.tr.msg("payment-already-sent"), person.role);
    }
    Ok(())
}

/// «تأیید» / «رد» under a reported payment, pressed by the entrepreneur's caseworker or a manager.
pub async fn on_button(
    app: &App,
    dialogue: &Conversation,
    press: &Press<'_>,
    id: i64,
    confirm: bool,
) -> anyhow::Result<Option<String>> {
    let (chat, message_id, viewer) = (press.chat, press.message_id, press.person);
    let expired = Some(app.tr.msg("button-expired"));
    let Some(payment) = app.store.payment(id).await? else { return Ok(expired) };
    let Some(entrepreneur) = app.store.person(payment.entrepreneur_id).await?.filter(|e| may_act_for(viewer, e)) else {
        return Ok(expired);
    };
    let now = app.clock.now();
    let done = if confirm { "payment-confirmed-by-you" } else { "payment-rejected-by-you" };
    // What the decision tells, queued with it in one transaction: the caseworker's reply, and
    // the entrepreneur's news (not a reply to anything she did: it waits out the quiet hours).
    let reply = NewOutboxMessage::reply(
        chat.0,
        format!("reply:payment:{id}"),
        app.tr.msg_with(done, &[("name", entrepreneur.full_name.clone()), ("amount", money(&app.tr, payment.amount))]),
        None,
        now,
    );
    let news = |text: String, worded: Option<Wording>| NewOutboxMessage {
        reply_markup: keyboards::as_json(&keyboards::main_menu(&app.tr, entrepreneur.role)),
        not_before: app.config.programme.checkin.next_allowed(now),
        person_id: Some(entrepreneur.id),
        worded,
        quiet_hours: true,
        lane: Lane::Staff,
        ..NewOutboxMessage::text(
            entrepreneur.telegram_id,
            "payment_decided",
            Some(format!("payment-decided:{id}")),
            text,
            now,
        )
    };
    // Decided now or before, the buttons go, with the decision's commit.
    retire_buttons(dialogue, MessageId(message_id));
    let decided = if confirm {
        let tell = |allocation: &Allocation| {
            let mut text = app.tr.msg_with("payment-confirmed", &[("amount", money(&app.tr, payment.amount))]);
            if allocation.overpaid > 0 {
                text.push('\n');
                text.push_str(&app.tr.msg_with("payment-overpaid", &[("amount", money(&app.tr, allocation.overpaid))]));
            }
            // The loan as it stands is added when the news is read.
            let worded = Wording::LoanNews { entrepreneur_id: entrepreneur.id, loan_id: payment.loan_id };
            vec![reply.clone(), news(text, Some(worded))]
        };
        let confirmed =
            app.store.confirm_payment_telling(Some(press.update), id, viewer.id, app.clock.today(), tell, now).await?;
        if confirmed.is_some() {
            tracing::info!(payment = id, by = viewer.id, "payment confirmed");
        }
        confirmed.is_some()
    } else {
        let text = app.tr.msg_with(
            "payment-rejected",
            &[("amount", money(&app.tr, payment.amount)), ("day", format_day(payment.paid_on, app.clock.today()))],
        );
        app.store.reject_payment(press.update, id, viewer.id, &[reply.clone(), news(text, None)], now).await?
    };
    if !decided {
        return Ok(Some(app.tr.msg("payment-already-decided")));
    }
    Ok(None)
}
