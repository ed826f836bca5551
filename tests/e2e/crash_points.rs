//! Crash proof at every boundary: `pelekan run` dies (aborts, as on a power cut) right before
//! or right after the commit of each conversation's unit of work (`PELEKAN_TEST_CRASH_AT`),
//! and is started again. The update it was handling was already acknowledged to Telegram (the
//! next getUpdates did so) but is in the inbox. Before the commit, nothing of it was stored:
//! the update is handled again from scratch, from the inbox. After the commit, it was stored with its seen record and its answer as an
//! outbox row: the redelivery is ignored and the answer leaves after the restart. Either way,
//! exactly one copy of what the person did is stored, and they get their answer once.

use pelekan::views::callback::{AlertAction, Callback};
use std::future::Future;
use std::time::Duration;

use pelekan::fake_telegram::FakeUser;
use pelekan::store::{NewAlert, NewInvite, NewLoan, NewOutboxMessage};

use crate::harness::{Harness, RunningBot, text_of, user};

/// How long a step up to the crash point may take (the child process starts and migrates).
const TO_THE_POINT: Duration = Duration::from_secs(30);
const MOMENTS: [&str; 2] = ["before", "after"];

/// A caseworker (Maryam) and an entrepreneur (Zahra), no bot running yet.
async fn cast() -> (Harness, FakeUser, FakeUser) {
    let h = Harness::without_bot().await;
    let maryam = user(2001, "مریم", "کریمی");
    let caseworker = h.caseworker(&maryam).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    (h, maryam, zahra)
}

/// Runs the person's actions against a bot that dies at `point`, waits for it to die there,
/// and starts a bot without a crash point; returns that one.
async fn dies_at(h: &Harness, point: &str, actions: impl Future<Output = ()>) -> RunningBot {
    let mut bot = RunningBot::spawn(&h.telegram, &h.config.database_url, Some(point));
    actions.await;
    bot.died_within(TO_THE_POINT).await;
    drop(bot);
    RunningBot::spawn(&h.telegram, &h.config.database_url, None)
}

async fn count(h: &Harness, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(h.store.pool()).await.unwrap()
}

/// Everything queued has left, and then: how many messages to `who` contain `fragment`.
async fn said(h: &Harness, who: &FakeUser, fragment: &str) -> usize {
    h.outbox_drained(TO_THE_POINT).await;
    h.texts_to(who).iter().filter(|t| t.contains(fragment)).count()
}

/// Said exactly once. After the commit, a message the dying process's outbox handed Telegram in
/// the instant between the commit and the death is sent again by the restarted one (the gap
/// no Bot API client can close, and the README states): at most twice then, never lost.
fn once(moment: &str, times: usize, what: &str) {
    match moment {
        "before" => assert_eq!(times, 1, "before: {what}"),
        _ => assert!((1..=2).contains(&times), "{moment}: {what}: {times} times"),
    }
}

fn no_violations(h: &Harness) {
    let violations = h.telegram.violations();
    assert!(violations.is_empty(), "the bot sent requests Telegram would refuse: {violations:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sale_and_a_return_are_stored_once_and_answered_when_the_bot_dies_at_their_commit() {
    for moment in MOMENTS {
        for (line, saved) in [("فروش ۲۵۰ هزار روسری", "فروش شما ثبت شد"), ("مرجوعی ۱۲۰ هزار روسری", "مرجوعی ثبت شد")]
        {
            let (h, _, zahra) = cast().await;
            let bot = dies_at(&h, &format!("{moment}:store_sale_with_reply"), async {
                h.say(&zahra, line);
                let summary = h.message_with_button(&zahra, "sale:ok").await;
                h.telegram.press(&zahra, &summary, "sale:ok");
            })
            .await;
            h.expect_text(&zahra, saved).await;
            assert_eq!(h.sale_rows().await, 1, "{moment} {line}: stored once");
            once(moment, said(&h, &zahra, saved).await, &format!("{line}: answered once"));
            let at_the_menu = || async { count(&h, "SELECT COUNT(*) FROM dialogues").await == 0 };
            crate::harness::eventually("back at the menu", at_the_menu).await;
            drop(bot);
            no_violations(&h);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn joining_makes_one_member_and_one_welcome_when_the_bot_dies_at_its_commit() {
    for moment in MOMENTS {
        let (h, maryam, _) = cast().await;
        let caseworker = h.store.person_by_telegram_id(maryam.id).await.unwrap().unwrap();
        let code = "abcdefghijkm".to_string();
        let invite = NewInvite {
            code: code.clone(),
            role: pelekan::domain::person::Role::Entrepreneur,
            caseworker_id: Some(caseworker.id),
            created_by: Some(caseworker.id),
            expires_at: h.clock.now() + chrono::Duration::days(7),
        };
        h.store.create_invite(None, &invite, None, h.clock.now()).await.unwrap();
        let sara = user(3002, "سارا", "رضایی");
        let bot = dies_at(&h, &format!("{moment}:join_with_invite"), async {
            h.telegram.open_link(&sara, &format!("https://t.me/pelekan_test_bot?start={code}"));
            h.expect_msg(&sara, "join-ask-contact").await;
            h.telegram.send_contact(&sara, "989351234567", &sara);
            h.expect_msg(&sara, "join-ask-name").await;
            h.say(&sara, "سارا رضایی");
            h.expect_msg(&sara, "join-ask-business").await;
            h.say(&sara, "خیاطی و پوشاک");
        })
        .await;
        h.expect_text(&sara, "عضویت شما کامل شد").await;
        let members = count(&h, "SELECT COUNT(*) FROM people WHERE telegram_id = 3002").await;
        assert_eq!(members, 1, "{moment}: one member");
        once(moment, said(&h, &sara, "عضویت شما کامل شد").await, "welcomed once");
        assert_eq!(said(&h, &sara, "استفاده شده").await, 0, "{moment}: never told the code is used");
        once(moment, said(&h, &maryam, "کارآفرین تازه‌ای به شما پیوست").await, "told once");
        drop(bot);
        no_violations(&h);
    }
}

/// A loan of 12 million in 12 installments for Zahra, recorded by Maryam; its id.
async fn a_loan(h: &Harness, zahra: &FakeUser) -> i64 {
    let person = h.store.person_by_telegram_id(zahra.id).await.unwrap().unwrap();
    let loan = NewLoan {
        entrepreneur_id: person.id,
        level: 1,
        principal: 12_000_000,
        fee: 0,
        schedule: pelekan::domain::loan::schedule(12_000_000, 12, h.clock.today() + chrono::Days::new(10)),
        recorded_by: person.caseworker_id.unwrap(),
        source: (-2, 1),
    };
    h.store.record_loan(&loan, h.clock.now()).await.unwrap().0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_with_its_receipt_is_stored_once_when_the_bot_dies_at_its_commit() {
    for moment in MOMENTS {
        let (h, maryam, zahra) = cast().await;
        a_loan(&h, &zahra).await;
        let bot = dies_at(&h, &format!("{moment}:report_payment"), async {
            h.say(&zahra, &h.tr.msg("btn-payment"));
            h.expect_msg_with(&zahra, "payment-ask-amount", &[("button", "yes".into())]).await;
            h.say(&zahra, "۱ میلیون");
            h.expect(&zahra, "the date question", |r| text_of(r).starts_with("چه روزی بود")).await;
            h.say(&zahra, &h.tr.msg("btn-today"));
            h.expect_msg(&zahra, "payment-ask-photo").await;
            h.telegram.send_photo(&zahra, "receipt-1");
            let summary = h.message_with_button(&zahra, "sale:ok").await;
            h.telegram.press(&zahra, &summary, "sale:ok");
        })
        .await;
        h.expect_msg(&zahra, "payment-pending").await;
        assert_eq!(count(&h, "SELECT COUNT(*) FROM payments").await, 1, "{moment}: one payment");
        let pending = h.tr.msg("payment-pending");
        once(moment, said(&h, &zahra, &pending).await, "told once");
        let requests = h.store.outbox_of_kind("payment_to_confirm").await.unwrap();
        assert_eq!(requests.len(), 1, "{moment}: the caseworker is asked once");
        assert!(
            h.telegram.messages_to(maryam.id).iter().any(|m| m.raw.get("photo").is_some()),
            "{moment}: with the receipt"
        );
        drop(bot);
        no_violations(&h);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_loan_entry_and_a_loan_state_change_are_stored_once_when_the_bot_dies_at_their_commit() {
    for moment in MOMENTS {
        let (h, maryam, zahra) = cast().await;
        let person = h.store.person_by_telegram_id(zahra.id).await.unwrap().unwrap();
        let bot = dies_at(&h, &format!("{moment}:record_loan_telling"), async {
            h.say(&maryam, &h.tr.msg("btn-my-people"));
            h.expect_text(&maryam, "کارآفرینان شما").await;
            h.press(&maryam, &format!("p:{}", person.id)).await;
            h.press(&maryam, &format!("loan:new:{}", person.id)).await;
            h.expect_text(&maryam, "مبلغ وام پرداخت‌شده").await;
            h.say(&maryam, "۱۲ میلیون");
            h.expect_msg(&maryam, "loan-ask-count").await;
            h.say(&maryam, "۱۲");
            h.expect_text(&maryam, "سررسید قسط اول چه روزی است؟").await;
            h.say(&maryam, "۱۴۰۵/۹/۱۵");
            let summary = h.message_with_button(&maryam, "loan:ok").await;
            h.telegram.press(&maryam, &summary, "loan:ok");
        })
        .await;
        h.expect_text(&maryam, "وام زهرا احمدی ثبت شد").await;
        assert_eq!(count(&h, "SELECT COUNT(*) FROM loans").await, 1, "{moment}: one loan");
        assert_eq!(count(&h, "SELECT COUNT(*) FROM installments").await, 12, "{moment}: its schedule once");
        once(moment, said(&h, &maryam, "وام زهرا احمدی ثبت شد").await, "answered once");
        let news = h.tr.msg("loan-recorded-for-you");
        once(moment, said(&h, &zahra, &news).await, "Zahra told once");
        let loan_id: i64 = count(&h, "SELECT id FROM loans").await;
        drop(bot);

        let bot = dies_at(&h, &format!("{moment}:set_loan_state"), async {
            h.press(&maryam, &format!("p:{}", person.id)).await;
            h.press(&maryam, &format!("ls:{loan_id}:paused")).await;
            h.expect_text(&maryam, &h.tr.msg("loan-ask-reason")).await;
            h.say(&maryam, "بیماری در خانواده");
        })
        .await;
        h.expect_text(&maryam, "وضعیت وام زهرا احمدی").await;
        assert_eq!(count(&h, "SELECT COUNT(*) FROM loan_events WHERE state = 'paused'").await, 1, "{moment}");
        once(moment, said(&h, &maryam, "وضعیت وام زهرا احمدی").await, "answered once");
        once(moment, said(&h, &zahra, "وضعیت وام شما").await, "Zahra told once");
        drop(bot);
        no_violations(&h);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkin_with_its_note_is_stored_once_when_the_bot_dies_at_its_commit() {
    for moment in MOMENTS {
        let (h, maryam, zahra) = cast().await;
        let bot = dies_at(&h, &format!("{moment}:finish_checkin"), async {
            h.say(&zahra, &h.tr.msg("btn-checkin"));
            h.expect_msg(&zahra, "checkin-ask-mood").await;
            let id = count(&h, "SELECT MAX(id) FROM checkins").await;
            h.press(&zahra, &format!("ci:m:{id}:2")).await;
            // The question of the note comes in place of the obstacles (an edit).
            h.press(&zahra, &format!("ci:od:{id}")).await;
            h.say(&zahra, "مادرم بیمار است");
        })
        .await;
        h.expect_msg(&zahra, "checkin-thanks").await;
        let answered = count(&h, "SELECT COUNT(*) FROM checkins WHERE status = 'answered' AND note_text IS NOT NULL");
        assert_eq!(answered.await, 1, "{moment}: the note is stored");
        once(moment, said(&h, &zahra, &h.tr.msg("checkin-thanks")).await, "thanked once");
        once(moment, said(&h, &maryam, "مادرم بیمار است").await, "the caseworker reads it once");
        drop(bot);
        no_violations(&h);
    }
}

/// An alert about Zahra to Maryam, with its buttons, queued as the scan would; its id.
async fn an_alert(h: &Harness, maryam: &FakeUser, zahra: &FakeUser) -> i64 {
    let person = h.store.person_by_telegram_id(zahra.id).await.unwrap().unwrap();
    let situation = pelekan::domain::warning::Situation::from_codes("no_sales", None);
    let alert = NewAlert {
        entrepreneur_id: person.id,
        caseworker_id: person.caseworker_id.unwrap(),
        day: h.clock.today(),
        situation: &situation,
        evidence: "•",
        scenario: Some(3),
    };
    let now = h.clock.now();
    let message = |_, id: i64| NewOutboxMessage {
        reply_markup: pelekan::views::keyboards::as_json(&pelekan::views::alerts::alert_buttons(&h.tr, id)),
        ..NewOutboxMessage::text(maryam.id, "alert", Some(format!("alert:{id}")), "هشدار".into(), now)
    };
    h.store.record_alerts(&[alert], message, now).await.unwrap();
    count(h, "SELECT id FROM alerts").await
}

/// «بازبینی»: the review and the caseworker's answer are one unit of work.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_is_opened_once_and_answered_when_the_bot_dies_at_its_commit() {
    for moment in MOMENTS {
        let (h, maryam, zahra) = cast().await;
        let alert_id = an_alert(&h, &maryam, &zahra).await;
        let press = Callback::Alert { alert: alert_id, action: AlertAction::Review }.encode();
        let bot = dies_at(&h, &format!("{moment}:open_review"), async {
            let shown = h.message_with_button(&maryam, &press).await;
            h.telegram.press(&maryam, &shown, &press);
        })
        .await;
        let opened = h.tr.msg_with("review-opened", &[("name", "زهرا احمدی".to_string())]);
        h.expect_text(&maryam, &opened).await;
        assert_eq!(count(&h, "SELECT COUNT(*) FROM reviews").await, 1, "{moment}: one review");
        once(moment, said(&h, &maryam, &opened).await, "the caseworker is answered once");
        drop(bot);
        no_violations(&h);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_button_is_stored_once_when_the_bot_dies_at_its_commit() {
    for moment in MOMENTS {
        let (h, maryam, zahra) = cast().await;
        let alert_id = an_alert(&h, &maryam, &zahra).await;
        let bot = dies_at(&h, &format!("{moment}:set_alert_status"), async {
            let shown = h.message_with_button(&maryam, &format!("a:fa:{alert_id}")).await;
            h.telegram.press(&maryam, &shown, &format!("a:fa:{alert_id}"));
        })
        .await;
        let status = || async {
            sqlx::query_scalar::<_, String>("SELECT status FROM alerts").fetch_one(h.store.pool()).await.unwrap()
        };
        if moment == "before" {
            // Nothing was stored: the press is handled again, and answered.
            let answered = h.telegram.wait_for(TO_THE_POINT, |t| t.find_request(|r| r.method == "answerCallbackQuery"));
            assert!(answered.await.is_some(), "the press is answered after the restart");
        }
        crate::harness::eventually("the alert is a false alarm", || async { status().await == "false_alarm" }).await;
        drop(bot);
        no_violations(&h);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notice_acknowledgement_is_stored_once_and_the_caseworker_told_once_when_the_bot_dies_at_its_commit() {
    for moment in MOMENTS {
        let (h, maryam, zahra) = cast().await;
        let person = h.store.person_by_telegram_id(zahra.id).await.unwrap().unwrap();
        let now = h.clock.now();
        // A notice confirmed by the caseworker (as her buttons would), queued to Zahra.
        let notice = pelekan::store::NewNotice {
            alert_id: None,
            entrepreneur_id: person.id,
            caseworker_id: person.caseworker_id.unwrap(),
            loan_id: None,
            overdue: 1_000_000,
            text: "📜 اخطار رسمی",
        };
        let drafted = pelekan::store::UpdateKey::new(maryam.id, "test-draft".into());
        let id = h.store.draft_notice(&drafted, &notice, |_| None, now).await.unwrap().unwrap();
        let buttons = format!(r#"{{"inline_keyboard":[[{{"text":"دریافت کردم","callback_data":"n:ack:{id}"}}]]}}"#);
        let message = NewOutboxMessage {
            reply_markup: Some(buttons),
            ..NewOutboxMessage::text(zahra.id, "notice", Some(format!("notice:{id}")), "📜 اخطار رسمی".into(), now)
        };
        let confirmed = pelekan::store::UpdateKey::new(maryam.id, "test-confirm".into());
        let reply = NewOutboxMessage::reply(maryam.id, "reply:test-confirm".into(), "ارسال شد".into(), None, now);
        assert!(h.store.confirm_notice(&confirmed, id, &message, &reply, now).await.unwrap());
        let bot = dies_at(&h, &format!("{moment}:acknowledge_notice"), async {
            let shown = h.message_with_button(&zahra, &format!("n:ack:{id}")).await;
            h.telegram.press(&zahra, &shown, &format!("n:ack:{id}"));
        })
        .await;
        h.expect_text(&maryam, "دریافت اخطار رسمی را تأیید کرد").await;
        let status = count(&h, "SELECT COUNT(*) FROM notices WHERE status = 'acknowledged'").await;
        assert_eq!(status, 1, "{moment}: acknowledged");
        once(moment, said(&h, &maryam, "دریافت اخطار رسمی را تأیید کرد").await, "told once");
        drop(bot);
        no_violations(&h);
    }
}
