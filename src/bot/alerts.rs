//! The caseworker's side of an alert (reminder, official notice, pause-and-review, false
//! alarm, snooze) and the entrepreneur's acknowledgement of a notice. Every press is
//! checked against the alert's or notice's entrepreneur.

use chrono::Days;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup, MessageId};

use super::callbacks::Press;
use super::{App, Tg, keyboards, say};
use crate::domain::person::{Person, may_act_for};
use crate::persian::digits::format_number;
use crate::persian::jalali::format_jalali;
use crate::schedule::scan::{Ctx, alert_buttons, alert_text, markup_json, notice_facts, person_today};
use crate::store::{AlertRow, NewNotice, NewOutboxMessage};

/// The alert a press names and its entrepreneur, if the presser may act for them.
async fn alert_for(app: &App, viewer: &Person, id: &str) -> anyhow::Result<Option<(AlertRow, Person)>> {
    let Ok(id) = id.parse::<i64>() else { return Ok(None) };
    let Some(alert) = app.store.alert(id).await? else { return Ok(None) };
    let person = app.store.person(alert.entrepreneur_id).await?.filter(|p| may_act_for(viewer, p));
    Ok(person.map(|p| (alert, p)))
}

/// «a:…» buttons under an alert or a digest.
pub async fn on_alert_button(bot: &Tg, app: &App, press: &Press<'_>, rest: &str) -> anyhow::Result<Option<String>> {
    let expired = Some(app.tr.msg("button-expired"));
    let mut parts = rest.split(':');
    let (Some(action), Some(id)) = (parts.next(), parts.next()) else { return Ok(expired) };
    let Some((alert, person)) = alert_for(app, press.person, id).await? else { return Ok(expired) };
    let now = app.clock.now();
    let today = app.clock.today();
    let name = person.full_name.clone();
    match action {
        "show" => {
            let ctx = Ctx { store: &app.store, tr: &app.tr, config: &app.config };
            let text = alert_text(&ctx, &person, &alert.evidence, alert.scenario);
            bot.send_message(press.chat, text).reply_markup(alert_buttons(&app.tr, alert.id)).await?;
            Ok(None)
        }
        "rem" => {
            let message = NewOutboxMessage {
                chat_id: person.telegram_id,
                kind: "reminder_caseworker",
                dedupe_key: Some(format!("reminder_caseworker:{}:{today}", person.id)),
                text: app.tr.msg_with("reminder-from-caseworker", &[("name", name.clone())]),
                reply_markup: None,
                not_before: app.config.programme.checkin.next_allowed(now),
                person_id: Some(person.id),
                picture: None,
                forward_from: None,
                worded: None,
            };
            let queued = app.store.enqueue(&message, now).await?.is_some();
            app.outbox.now();
            Ok(Some(if queued {
                app.tr.msg_with("reminder-queued", &[("name", name)])
            } else {
                app.tr.msg("reminder-already-today")
            }))
        }
        "not" => {
            // The notice states what the records show today, nothing else.
            let ctx = Ctx { store: &app.store, tr: &app.tr, config: &app.config };
            let Some((history, signals)) = person_today(&ctx, person.id, now).await? else { return Ok(expired) };
            let facts = notice_facts(&app.tr, &history, &signals, today);
            if facts.is_empty() {
                say(bot, press.chat, app.tr.msg_with("notice-nothing-to-state", &[("name", name)]), None).await?;
                return Ok(None);
            }
            let text = app.tr.msg_with(
                "notice-text",
                &[("name", name.clone()), ("facts", facts.join("\n")), ("today", format_jalali(today))],
            );
            let draft = NewNotice {
                alert_id: Some(alert.id),
                entrepreneur_id: person.id,
                caseworker_id: press.person.id,
                loan_id: history.arrears.map(|a| a.loan_id),
                overdue: history.arrears.map_or(0, |a| a.amount),
                text: &text,
            };
            let notice = app.store.create_notice(&draft, now).await?;
            let buttons = keyboards::inline(vec![vec![
                (app.tr.msg("btn-notice-send"), format!("n:ok:{notice}")),
                (app.tr.msg("btn-notice-cancel"), format!("n:no:{notice}")),
            ]]);
            bot.send_message(press.chat, format!("{}\n\n{text}", app.tr.msg("notice-preview")))
                .reply_markup(buttons)
                .await?;
            Ok(None)
        }
        "rev" => {
            app.store.open_review(&alert, press.person.id, now).await?;
            say(bot, press.chat, app.tr.msg_with("review-opened", &[("name", name)]), None).await?;
            Ok(None)
        }
        "fa" => {
            app.store.set_alert_status(alert.id, "false_alarm", None).await?;
            Ok(Some(app.tr.msg("alert-marked-false")))
        }
        "sn" => {
            let row = app
                .config
                .programme
                .warnings
                .snooze_days
                .iter()
                .map(|d| {
                    let label = app.tr.part_with("btn-snooze-days", &[("days", format_number(*d))]);
                    InlineKeyboardButton::callback(label, format!("a:snd:{}:{d}", alert.id))
                })
                .collect::<Vec<_>>();
            bot.send_message(press.chat, app.tr.msg("alert-snooze-ask"))
                .reply_markup(InlineKeyboardMarkup::new(vec![row]))
                .await?;
            Ok(None)
        }
        "snd" => {
            let Some(days) = parts
                .next()
                .and_then(|d| d.parse::<i64>().ok())
                .filter(|d| app.config.programme.warnings.snooze_days.contains(d))
            else {
                return Ok(expired);
            };
            let until = today + Days::new(days as u64);
            app.store.set_alert_status(alert.id, "snoozed", Some(until)).await?;
            bot.retire_buttons(press.chat, MessageId(press.message_id)).await;
            Ok(Some(app.tr.msg_with("alert-snoozed", &[("until", format_jalali(until))])))
        }
        _ => Ok(expired),
    }
}

/// «n:…» buttons: the caseworker confirms or drops a notice; the entrepreneur acknowledges it.
pub async fn on_notice_button(bot: &Tg, app: &App, press: &Press<'_>, rest: &str) -> anyhow::Result<Option<String>> {
    let expired = Some(app.tr.msg("button-expired"));
    let Some((action, id)) = rest.split_once(':') else { return Ok(expired) };
    let Ok(id) = id.parse::<i64>() else { return Ok(expired) };
    let Some(notice) = app.store.notice(id).await? else { return Ok(expired) };
    let Some(person) = app.store.person(notice.entrepreneur_id).await? else { return Ok(expired) };
    let now = app.clock.now();
    match action {
        "ack" if press.person.id == person.id => {
            if !app.store.acknowledge_notice(id, now).await? {
                return Ok(expired);
            }
            bot.retire_buttons(press.chat, MessageId(press.message_id)).await;
            if let Some(caseworker) = app.store.person(notice.caseworker_id).await? {
                let message = NewOutboxMessage::text(
                    caseworker.telegram_id,
                    "notice_acknowledged",
                    Some(format!("notice-acknowledged:{id}")),
                    app.tr.msg_with("notice-acknowledged", &[("name", person.full_name.clone())]),
                    now,
                );
                app.store.enqueue(&message, now).await?;
                app.outbox.now();
            }
            Ok(Some(app.tr.msg("notice-ack-thanks")))
        }
        "ok" | "no" if may_act_for(press.person, &person) => {
            bot.retire_buttons(press.chat, MessageId(press.message_id)).await;
            if action == "no" {
                return Ok(Some(app.tr.msg("notice-cancelled")));
            }
            let ack = keyboards::inline(vec![vec![(app.tr.msg("btn-notice-ack"), format!("n:ack:{id}"))]]);
            let message = NewOutboxMessage {
                chat_id: person.telegram_id,
                kind: "notice",
                dedupe_key: Some(format!("notice:{id}")),
                text: notice.text.clone(),
                reply_markup: markup_json(&ack),
                not_before: app.config.programme.checkin.next_allowed(now),
                person_id: Some(person.id),
                picture: None,
                forward_from: None,
                worded: None,
            };
            if !app.store.confirm_notice(id, &message, now).await? {
                return Ok(expired);
            }
            app.outbox.now();
            say(bot, press.chat, app.tr.msg_with("notice-queued", &[("name", person.full_name.clone())]), None).await?;
            Ok(None)
        }
        _ => Ok(expired),
    }
}
