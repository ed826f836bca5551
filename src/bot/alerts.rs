//! The caseworker's side of an alert (reminder, official notice, pause-and-review, false
//! alarm, snooze) and the entrepreneur's acknowledgement of a notice. Every press is
//! checked against the alert's or notice's entrepreneur.

use chrono::{Days, NaiveDate};
use teloxide::prelude::*;
use teloxide::types::{MessageId, ReplyMarkup};

use super::callbacks::Press;
use super::{App, Conversation, retire_buttons, say};
use crate::domain::notice::{self, Claim};
use crate::domain::person::{Person, may_act_for};
use crate::domain::reminder::Wording;
use crate::persian::digits::format_number;
use crate::persian::jalali::{format_day, tehran_day};
use crate::schedule::scan::{Ctx, person_today};
use crate::store::outbox::Lane;
use crate::store::{AlertRow, NewNotice, NewOutboxMessage};
use crate::views::alerts::{alert_buttons, alert_text, notice_text};
use crate::views::callback::{AlertAction, Callback, NoticeAction};
use crate::views::keyboards;

/// The alert a press names and its entrepreneur, if the presser may act for them.
async fn alert_for(app: &App, viewer: &Person, id: i64) -> anyhow::Result<Option<(AlertRow, Person)>> {
    let Some(alert) = app.store.alert(id).await? else { return Ok(None) };
    let person = app.store.person(alert.entrepreneur_id).await?.filter(|p| may_act_for(viewer, p));
    Ok(person.map(|p| (alert, p)))
}

/// The buttons under an alert or a digest.
pub async fn on_alert_button(
    app: &App,
    dialogue: &Conversation,
    press: &Press<'_>,
    id: i64,
    action: AlertAction,
) -> anyhow::Result<Option<String>> {
    let expired = Some(app.tr.msg("button-expired"));
    let Some((alert, person)) = alert_for(app, press.person, id).await? else { return Ok(expired) };
    let now = app.clock.now();
    let today = app.clock.today();
    let name = person.full_name.clone();
    match action {
        AlertAction::Show => {
            let text = alert_text(&app.tr, &app.config.playbook, &person, &alert.evidence, alert.scenario);
            say(dialogue, text, Some(ReplyMarkup::InlineKeyboard(alert_buttons(&app.tr, alert.id))));
            Ok(None)
        }
        AlertAction::Reminder => {
            // One a day, counted by the day it is read: pressed at 23:50 and again at 00:10,
            // both would be read the same morning.
            let not_before = app.config.programme.checkin.next_allowed(now);
            let message = NewOutboxMessage {
                chat_id: person.telegram_id,
                kind: "reminder_caseworker",
                dedupe_key: Some(format!("reminder_caseworker:{}:{}", person.id, tehran_day(not_before))),
                text: app.tr.msg_with("reminder-from-caseworker", &[("name", name.clone())]),
                reply_markup: None,
                not_before,
                person_id: Some(person.id),
                attachment: None,
                forward_from: None,
                worded: None,
                quiet_hours: true,
                lane: Lane::Bulk,
                edit: None,
            };
            let queued = app.store.enqueue_for(press.update, &message, now).await?.is_some();
            Ok(Some(if queued {
                app.tr.msg_with("reminder-queued", &[("name", name)])
            } else {
                app.tr.msg("reminder-already-today")
            }))
        }
        AlertAction::Notice => {
            let Some(draft) = notice_now(app, &person, press.person, Some(alert.id), today).await? else {
                say(dialogue, app.tr.msg_with("notice-nothing-to-state", &[("name", name)]), None);
                return Ok(None);
            };
            // One draft per alert: a second tap finds the first preview open.
            // The draft and its preview are one unit of work: a Telegram error after it cannot
            // leave a draft that blocks a new one and was never shown.
            let preview =
                |notice: i64| Some(preview_message(app, press.chat, notice, &draft.text, "notice-preview", now));
            if app.store.draft_notice(press.update, &draft.as_new(), preview, now).await?.is_none() {
                return Ok(Some(app.tr.msg("notice-preview-open")));
            }
            Ok(None)
        }
        AlertAction::Review => {
            let text = app.tr.msg_with("review-opened", &[("name", name)]);
            let reply = press.reply(text, None, now);
            // Pressed again (a double tap, or on another alert of the same person): the review
            // open already is the one; said in the press's note, not in a second message.
            if !app.store.open_review(press.update, &alert, press.person.id, &reply, now).await? {
                return Ok(Some(app.tr.msg_with("review-already-open", &[("name", person.full_name.clone())])));
            }
            Ok(None)
        }
        AlertAction::FalseAlarm => {
            app.store.set_alert_status(press.update, alert.id, "false_alarm", None, app.clock.now()).await?;
            Ok(Some(app.tr.msg("alert-marked-false")))
        }
        AlertAction::Snooze => {
            let row = app
                .config
                .programme
                .warnings
                .snooze_days
                .iter()
                .map(|d| {
                    let label = app.tr.part_with("btn-snooze-days", &[("days", format_number(*d))]);
                    (label, Callback::Alert { alert: alert.id, action: AlertAction::SnoozeFor { days: *d } })
                })
                .collect::<Vec<_>>();
            say(
                dialogue,
                app.tr.msg("alert-snooze-ask"),
                Some(ReplyMarkup::InlineKeyboard(keyboards::inline(vec![row]))),
            );
            Ok(None)
        }
        AlertAction::SnoozeFor { days } => {
            if !app.config.programme.warnings.snooze_days.contains(&days) {
                return Ok(expired);
            }
            let until = today + Days::new(days as u64);
            retire_buttons(dialogue, MessageId(press.message_id));
            app.store.set_alert_status(press.update, alert.id, "snoozed", Some(until), app.clock.now()).await?;
            Ok(Some(app.tr.msg_with("alert-snoozed", &[("until", format_day(until, today))])))
        }
    }
}

/// A notice as the records support it now: its claims and its text.
struct NoticeDraft {
    entrepreneur_id: i64,
    caseworker_id: i64,
    alert_id: Option<i64>,
    claims: Vec<Claim>,
    overdue: Option<(i64, i64)>,
    text: String,
}

impl NoticeDraft {
    fn as_new(&self) -> NewNotice<'_> {
        NewNotice {
            alert_id: self.alert_id,
            entrepreneur_id: self.entrepreneur_id,
            caseworker_id: self.caseworker_id,
            loan_id: self.overdue.map(|(loan, _)| loan),
            overdue: self.overdue.map_or(0, |(_, amount)| amount),
            text: &self.text,
        }
    }
}

/// The notice the records support for `person` today, dated `dated`; None when they support
/// no claim.
async fn notice_now(
    app: &App,
    person: &Person,
    caseworker: &Person,
    alert_id: Option<i64>,
    dated: NaiveDate,
) -> anyhow::Result<Option<NoticeDraft>> {
    let ctx = Ctx { store: &app.store, tr: &app.tr, config: &app.config };
    let today = app.clock.today();
    let Some((history, signals)) = person_today(&ctx, person.id, app.clock.now()).await? else { return Ok(None) };
    let claims = notice::claims(&history, &signals, today);
    if claims.is_empty() {
        return Ok(None);
    }
    let text = notice_text(&app.tr, &person.full_name, &claims, dated);
    Ok(Some(NoticeDraft {
        entrepreneur_id: person.id,
        caseworker_id: caseworker.id,
        alert_id,
        claims,
        overdue: history.arrears.map(|a| (a.loan_id, a.amount)),
        text,
    }))
}

/// A draft notice shown to the caseworker with «ارسال» and «انصراف», as a reply in the outbox
/// (its key names the draft and the text shown, so a preview of the same text is queued once).
fn preview_message(
    app: &App,
    chat: ChatId,
    notice: i64,
    text: &str,
    heading: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> NewOutboxMessage {
    let buttons = keyboards::inline(vec![vec![
        (app.tr.msg("btn-notice-send"), Callback::Notice { notice, action: NoticeAction::Send }),
        (app.tr.msg("btn-notice-cancel"), Callback::Notice { notice, action: NoticeAction::Cancel }),
    ]]);
    let key = format!("reply:notice-preview:{notice}:{heading}:{}", now.timestamp());
    NewOutboxMessage::reply(
        chat.0,
        key,
        format!("{}\n\n{text}", app.tr.msg(heading)),
        keyboards::as_json(&buttons),
        now,
    )
}

/// A notice's buttons: the caseworker confirms or drops it; the entrepreneur acknowledges it.
pub async fn on_notice_button(
    app: &App,
    dialogue: &Conversation,
    press: &Press<'_>,
    id: i64,
    action: NoticeAction,
) -> anyhow::Result<Option<String>> {
    let expired = Some(app.tr.msg("button-expired"));
    let Some(notice) = app.store.notice(id).await? else { return Ok(expired) };
    let Some(person) = app.store.person(notice.entrepreneur_id).await? else { return Ok(expired) };
    let now = app.clock.now();
    // The buttons go with what they did, in its commit (a failure leaves them, so that a draft
    // can still be sent or dropped).
    let retire = || retire_buttons(dialogue, MessageId(press.message_id));
    match action {
        // Acknowledged from the notice itself, or once it was delivered: not by data sent on
        // some other message before the notice reached her.
        NoticeAction::Acknowledge
            if press.person.id == person.id && (press.carried || notice.status == "delivered") =>
        {
            // The acknowledgement and the caseworker's message are one unit of work.
            let tell = app.store.person(notice.caseworker_id).await?.map(|caseworker| {
                NewOutboxMessage::text(
                    caseworker.telegram_id,
                    "notice_acknowledged",
                    Some(format!("notice-acknowledged:{id}")),
                    app.tr.msg_with("notice-acknowledged", &[("name", person.full_name.clone())]),
                    now,
                )
            });
            retire();
            if !app.store.acknowledge_notice(press.update, id, tell.as_ref(), now).await? {
                return Ok(expired);
            }
            Ok(Some(app.tr.msg("notice-ack-thanks")))
        }
        NoticeAction::Cancel if may_act_for(press.person, &person) => {
            // Dropped, so that a later tap on «ارسال» cannot send what was cancelled.
            retire();
            let dropped = app.store.drop_notice_draft(press.update, id, None, now).await?;
            Ok(Some(app.tr.msg(if dropped { "notice-cancelled" } else { "button-expired" })))
        }
        NoticeAction::Send if may_act_for(press.person, &person) => {
            if notice.status != "draft" {
                return Ok(expired);
            }
            // The records may have changed since the preview: what is sent is what they show now
            // (under the date it was drafted, which is the date the caseworker saw).
            let drafted_on = tehran_day(notice.created_at);
            let Some(draft) = notice_now(app, &person, press.person, None, drafted_on).await? else {
                let text = app.tr.msg_with("notice-nothing-to-state", &[("name", person.full_name.clone())]);
                let reply = press.reply(text, None, now);
                retire();
                if !app.store.drop_notice_draft(press.update, id, Some(&reply), now).await? {
                    return Ok(expired);
                }
                return Ok(None);
            };
            if draft.text != notice.text {
                let preview = preview_message(app, press.chat, id, &draft.text, "notice-preview-changed", now);
                retire();
                if !app.store.redraft_notice(press.update, id, &draft.as_new(), &preview, now).await? {
                    return Ok(expired);
                }
                return Ok(None);
            }
            let ack = keyboards::inline(vec![vec![(
                app.tr.msg("btn-notice-ack"),
                Callback::Notice { notice: id, action: NoticeAction::Acknowledge },
            )]]);
            let message = NewOutboxMessage {
                chat_id: person.telegram_id,
                kind: "notice",
                dedupe_key: Some(format!("notice:{id}")),
                text: notice.text.clone(),
                reply_markup: keyboards::as_json(&ack),
                not_before: app.config.programme.checkin.next_allowed(now),
                person_id: Some(person.id),
                attachment: None,
                forward_from: None,
                // Not sent if, by the time it leaves, what it claims no longer holds.
                worded: Some(Wording::Notice { entrepreneur_id: person.id, claims: draft.claims }),
                quiet_hours: true,
                lane: Lane::Bulk,
                edit: None,
            };
            let text = app.tr.msg_with("notice-queued", &[("name", person.full_name.clone())]);
            let reply = press.reply(text, None, now);
            retire();
            if !app.store.confirm_notice(press.update, id, &message, &reply, now).await? {
                return Ok(expired);
            }
            Ok(None)
        }
        _ => Ok(expired),
    }
}
