//! The early-warning engine end to end: histories over simulated weeks, the daily scan,
//! alerts with the playbook, digests, reminders, official notices, and the outbox.

use chrono::{Days, NaiveDate};

use crate::harness::{Harness, text_of, user};
use pelekan::domain::person::Person;
use pelekan::domain::report::CompleteSale;
use pelekan::fake_telegram::{FakeUser, Fault};
use pelekan::persian::jalali::JalaliDate;
use pelekan::store::{NewLoan, NewOutboxMessage};

/// The scan day of most tests: 1405/09/01 (2026-11-22).
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn ago(days: u64) -> NaiveDate {
    today() - Days::new(days)
}

struct World {
    h: Harness,
    maryam: FakeUser,
    caseworker: Person,
    next_source: std::sync::atomic::AtomicI32,
}

impl World {
    /// The bot is not started until `start`: histories are written first.
    async fn new() -> World {
        let h = Harness::without_bot().await;
        let maryam = user(2001, "مریم", "کریمی");
        let caseworker = h.caseworker(&maryam).await;
        World { h, maryam, caseworker, next_source: 1.into() }
    }

    async fn start(&mut self) {
        self.h.start_bot().await;
    }

    /// An entrepreneur who joined 200 days ago and was seen today.
    async fn person(&self, id: i64, name: &str) -> (FakeUser, Person) {
        let who = user(id, name, "آزمون");
        let person = self.h.entrepreneur(&who, &self.caseworker).await;
        let joined = (self.h.clock.now() - chrono::Duration::days(200)).timestamp();
        sqlx::query("UPDATE people SET joined_at = ?, last_seen_at = ? WHERE id = ?")
            .bind(joined)
            .bind(self.h.clock.now().timestamp())
            .bind(person.id)
            .execute(self.h.store.pool())
            .await
            .unwrap();
        (who, person)
    }

    async fn sale(&self, person: &Person, day: NaiveDate, amount: i64) {
        let source = self.next_source.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let sale = CompleteSale { amount_toman: amount, item: "روسری".into(), customer: None, day, photo: None };
        self.h.store.store_sale(person.id, &sale, (-1, source), self.h.clock.now()).await.unwrap();
    }

    /// Sales every `every` days from `from` days ago to `to` days ago.
    async fn steady_sales(&self, person: &Person, from: u64, to: u64, every: u64, amount: i64) {
        let mut d = from;
        while d >= to {
            self.sale(person, ago(d), amount).await;
            if d < every {
                break;
            }
            d -= every;
        }
    }

    async fn checkin(&self, person: &Person, days_ago: u64, mood: Option<i64>, obstacles: &str) {
        let day = ago(days_ago);
        let at = (self.h.clock.now() - chrono::Duration::days(days_ago as i64)).timestamp();
        let status = if mood.is_some() { "answered" } else { "missed" };
        sqlx::query(
            "INSERT INTO checkins (entrepreneur_id, slot_day, asked_at, answered_at, status, mood, obstacles, urgent)
             VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
        )
        .bind(person.id)
        .bind(day.to_string())
        .bind(at)
        .bind(mood.map(|_| at))
        .bind(status)
        .bind(mood)
        .bind(mood.map(|_| obstacles.to_string()))
        .execute(self.h.store.pool())
        .await
        .unwrap();
    }

    async fn loan(&self, person: &Person, principal: i64, count: u32, first_due: NaiveDate) -> i64 {
        let source = self.next_source.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let loan = NewLoan {
            entrepreneur_id: person.id,
            level: 1,
            principal,
            fee: 0,
            schedule: pelekan::domain::loan::schedule(principal, count, first_due),
            recorded_by: self.caseworker.id,
            source: (-2, source),
        };
        self.h.store.record_loan(&loan, self.h.clock.now()).await.unwrap().0
    }

    /// The person shows up: seen now, and any open check-in answered with a good week.
    async fn shows_up(&self, person: &Person) {
        sqlx::query("UPDATE people SET last_seen_at = ? WHERE id = ?")
            .bind(self.h.clock.now().timestamp())
            .bind(person.id)
            .execute(self.h.store.pool())
            .await
            .unwrap();
        if let Some(id) = self.h.store.open_checkin_of(person.id).await.unwrap() {
            self.h.store.set_checkin_mood(None, id, 4, self.h.clock.now()).await.unwrap();
            self.h.store.finish_checkin(None, id, None, None, None, None, None, self.h.clock.now()).await.unwrap();
        }
    }

    async fn alerts(&self) -> Vec<(i64, Option<i64>, String)> {
        sqlx::query_as("SELECT entrepreneur_id, scenario, status FROM alerts ORDER BY id")
            .fetch_all(self.h.store.pool())
            .await
            .unwrap()
    }
}

fn jalali(y: i32, m: u8, d: u8) -> NaiveDate {
    JalaliDate { year: y, month: m, day: d }.to_gregorian().unwrap()
}

#[tokio::test]
async fn each_of_the_eight_scenarios_ends_in_its_alert_to_the_right_caseworker() {
    let mut w = World::new().await;
    let leila = user(2002, "لیلا", "نوری");
    w.h.caseworker(&leila).await;
    let mut expected = Vec::new();
    for scenario in 1..=8u8 {
        let (_, p) = w.person(3000 + i64::from(scenario), &format!("کارآفرین{scenario}")).await;
        // Everyone sells steadily unless the scenario says otherwise.
        if scenario != 3 && scenario != 6 {
            w.steady_sales(&p, 150, 1, 3, 200_000).await;
        }
        match scenario {
            1 => w.checkin(&p, 2, Some(3), "moving").await,
            2 => w.checkin(&p, 2, Some(3), "interest").await,
            3 => {
                w.steady_sales(&p, 150, 30, 3, 200_000).await;
                w.checkin(&p, 9, None, "").await;
                w.checkin(&p, 2, None, "").await;
                sqlx::query("UPDATE people SET unreachable_since = ? WHERE id = ?")
                    .bind((w.h.clock.now() - chrono::Duration::days(20)).timestamp())
                    .bind(p.id)
                    .execute(w.h.store.pool())
                    .await
                    .unwrap();
            }
            4 => {
                w.checkin(&p, 9, Some(2), "").await;
                w.checkin(&p, 2, Some(1), "").await;
            }
            5 => w.checkin(&p, 2, Some(2), "family").await,
            6 => {
                w.steady_sales(&p, 120, 31, 3, 300_000).await;
                w.sale(&p, ago(20), 100_000).await;
                w.sale(&p, ago(5), 100_000).await;
            }
            7 => {
                w.checkin(&p, 2, Some(3), "complaints").await;
                for d in [20, 12, 6] {
                    w.sale(&p, ago(d), -200_000).await;
                }
            }
            _ => {
                w.loan(&p, 12_000_000, 12, ago(40)).await;
                w.checkin(&p, 2, Some(3), "money").await;
            }
        }
        expected.push((p.id, Some(i64::from(scenario)), "open".to_string()));
    }
    w.start().await;
    let report = w.h.tick().await;
    assert_eq!(report.scan.unwrap().alerts, 8);
    assert_eq!(w.alerts().await, expected);
    for scenario in 1..=8u8 {
        let playbook = &w.h.config.playbook;
        let s = playbook.scenario(scenario).unwrap();
        let alert =
            w.h.expect(&w.maryam, &format!("the alert for scenario {scenario}"), |r| {
                text_of(r).contains(&format!("کارآفرین{scenario} آزمون"))
            })
            .await;
        let text = text_of(&alert);
        assert!(text.contains(&s.name) && text.contains(&format!("☐ {}", s.immediate_actions[0])), "{text}");
        assert!(
            alert.params["reply_markup"]["inline_keyboard"].to_string().contains("a:not:"),
            "alerts carry their buttons"
        );
    }
    let evidence = w.h.texts_to(&w.maryam).into_iter().find(|t| t.contains("کارآفرین8")).unwrap();
    assert!(evidence.contains("با ۱۰ روز تأخیر") || evidence.contains("روز تأخیر"), "{evidence}");
    assert!(w.h.texts_to(&leila).is_empty(), "another caseworker hears nothing");
    w.h.finish().await;
}

#[tokio::test]
async fn a_healthy_entrepreneur_over_six_months_gets_no_alert() {
    let mut w = World::new().await;
    let (_, p) = w.person(3001, "زهرا").await;
    w.steady_sales(&p, 200, 0, 3, 200_000).await;
    let loan = w.loan(&p, 12_000_000, 6, today() + Days::new(10)).await;
    w.start().await;
    let installments = w.h.store.installments_of(loan).await.unwrap();
    for week in 0..26u64 {
        let day = today() + Days::new(week * 7);
        w.h.set_tehran(&format!("{day} 09:30"));
        for d in (0..7).step_by(3) {
            w.sale(&p, day + Days::new(d), 250_000).await;
        }
        // Installments paid the day before they fall due.
        for installment in installments.iter().filter(|i| i.due_on > day && i.due_on <= day + Days::new(7)) {
            let source = w.next_source.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let (id, _) =
                w.h.store
                    .report_payment(
                        None,
                        &pelekan::store::NewPayment {
                            loan_id: loan,
                            amount: installment.amount,
                            paid_on: installment.due_on - Days::new(1),
                            photo: None,
                            source: (-3, source),
                        },
                        |_| Vec::new(),
                        w.h.clock.now(),
                    )
                    .await
                    .unwrap();
            w.h.store.confirm_payment(id, w.caseworker.id, day, w.h.clock.now()).await.unwrap();
        }
        w.h.tick().await;
        w.shows_up(&p).await;
    }
    assert!(w.alerts().await.is_empty(), "{:?}", w.alerts().await);
    let scans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scan_runs").fetch_one(w.h.store.pool()).await.unwrap();
    assert_eq!(scans, 26);
    assert!(!w.h.texts_to(&w.maryam).iter().any(|t| t.contains("هشدار")));
    w.h.finish().await;
}

#[tokio::test]
async fn an_alert_is_not_repeated_escalates_when_worse_and_returns_after_a_snooze() {
    let mut w = World::new().await;
    let (_, p) = w.person(3001, "زهرا").await;
    w.steady_sales(&p, 150, 1, 3, 200_000).await;
    w.loan(&p, 12_000_000, 12, ago(3)).await;
    w.start().await;
    let scan_on = |day: NaiveDate| {
        w.h.set_tehran(&format!("{day} 09:00"));
    };
    scan_on(today());
    w.h.tick().await;
    assert_eq!(w.alerts().await.len(), 1);
    for d in 1..=4 {
        scan_on(today() + Days::new(d));
        w.shows_up(&p).await;
        w.sale(&p, today() + Days::new(d), 200_000).await;
        w.h.tick().await;
    }
    assert_eq!(w.alerts().await.len(), 1, "the same situation does not alert every day");
    // Day 8 of arrears: a new bucket.
    scan_on(today() + Days::new(5));
    w.sale(&p, today() + Days::new(5), 200_000).await;
    w.shows_up(&p).await;
    w.h.tick().await;
    assert_eq!(w.alerts().await.len(), 2, "escalation: 8 days late is a new bucket");
    w.h.expect(&w.maryam, "the escalated alert", |r| text_of(r).contains("۸ روز تأخیر")).await;
    let alert_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM alerts").fetch_one(w.h.store.pool()).await.unwrap();
    w.h.press(&w.maryam, &format!("a:sn:{alert_id}")).await;
    w.h.press(&w.maryam, &format!("a:snd:{alert_id}:7")).await;
    for d in 6..12 {
        scan_on(today() + Days::new(d));
        w.sale(&p, today() + Days::new(d), 200_000).await;
        w.shows_up(&p).await;
        w.h.tick().await;
    }
    let all: Vec<(String, String, Option<String>, String)> =
        sqlx::query_as("SELECT day, signals, snoozed_until, status FROM alerts ORDER BY id")
            .fetch_all(w.h.store.pool())
            .await
            .unwrap();
    assert_eq!(w.alerts().await.len(), 2, "snoozed for a week: {all:?}");
    scan_on(today() + Days::new(12));
    w.sale(&p, today() + Days::new(12), 200_000).await;
    w.shows_up(&p).await;
    w.h.tick().await;
    assert_eq!(w.alerts().await.len(), 3, "the snooze ended and the situation persists");
    w.h.finish().await;
}

#[tokio::test]
async fn many_alerts_become_one_digest_with_the_quiet_checkins() {
    let mut w = World::new().await;
    let mut people = Vec::new();
    for i in 0..11 {
        let (_, p) = w.person(3100 + i, &format!("خاموش{i}")).await;
        w.steady_sales(&p, 150, 20, 3, 200_000).await;
        people.push(p);
    }
    let (_, fine) = w.person(3200, "سرحال").await;
    w.steady_sales(&fine, 150, 1, 3, 200_000).await;
    w.checkin(&fine, 0, Some(4), "").await;
    sqlx::query("UPDATE checkins SET answered_at = ? WHERE entrepreneur_id = ?")
        .bind(w.h.clock.now().timestamp() - 60)
        .bind(fine.id)
        .execute(w.h.store.pool())
        .await
        .unwrap();
    w.start().await;
    assert_eq!(w.h.tick().await.scan.unwrap().alerts, 11);
    let digest = w.h.expect_text(&w.maryam, "خلاصهٔ روزانه").await;
    let text = text_of(&digest);
    assert!(text.contains("۱۱ هشدار تازه") && text.contains("خاموش0") && text.contains("سرحال"), "{text}");
    let buttons = digest.params["reply_markup"]["inline_keyboard"].as_array().unwrap().len();
    assert_eq!(buttons, 11);
    assert_eq!(w.h.texts_to(&w.maryam).iter().filter(|t| t.contains("🔔")).count(), 0, "no separate alerts");
    let first: i64 = sqlx::query_scalar("SELECT MIN(id) FROM alerts").fetch_one(w.h.store.pool()).await.unwrap();
    w.h.press(&w.maryam, &format!("a:show:{first}")).await;
    w.h.expect_text(&w.maryam, "🔔 هشدار: خاموش0").await;
    w.h.finish().await;
}

#[tokio::test]
async fn installment_reminders_respect_quiet_hours_and_come_once_a_day() {
    let mut w = World::new().await;
    let (zahra, p) = w.person(3001, "زهرا").await;
    w.steady_sales(&p, 150, 1, 3, 200_000).await;
    w.loan(&p, 12_000_000, 12, today() + Days::new(3)).await;
    w.start().await;
    w.h.tick().await;
    w.h.expect_text(&zahra, "یادآوری: قسط وام شما").await;
    w.h.set_tehran(&format!("{} 15:00", today()));
    w.h.tick().await;
    let alert_free = w.h.texts_to(&zahra).iter().filter(|t| t.contains("یادآوری")).count();
    assert_eq!(alert_free, 1, "one reminder of a kind a day");

    // A caseworker's reminder at night waits for the morning.
    sqlx::query("UPDATE people SET last_seen_at = 0 WHERE id = ?").bind(p.id).execute(w.h.store.pool()).await.unwrap();
    w.h.set_tehran(&format!("{} 22:00", today()));
    let situation = pelekan::domain::warning::Situation::from_codes("no_sales", None);
    let alert = pelekan::store::NewAlert {
        entrepreneur_id: p.id,
        caseworker_id: w.caseworker.id,
        day: today(),
        situation: &situation,
        evidence: "•",
        scenario: Some(3),
    };
    let now = w.h.clock.now();
    let shown = |_, id: i64| NewOutboxMessage::reply(w.maryam.id, format!("t{id}"), "هشدار آزمایشی".into(), None, now);
    assert_eq!(w.h.store.record_alerts(&[alert], shown, now).await.unwrap(), 1);
    w.h.expect_text(&w.maryam, "هشدار آزمایشی").await;
    let message = w.h.telegram.messages_to(w.maryam.id).pop().unwrap();
    let alert_id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM alerts").fetch_one(w.h.store.pool()).await.unwrap();
    w.h.press_on(&w.maryam, &message, &format!("a:rem:{alert_id}")).await;
    w.h.tick().await;
    let queued = w.h.store.outbox_of_kind("reminder_caseworker").await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].1, "pending", "not sent in quiet hours");
    w.h.set_tehran(&format!("{} 08:00", today() + Days::new(1)));
    w.h.tick().await;
    w.h.expect_text(&zahra, "مددکارتان حال شما را می‌پرسد").await;
    w.h.finish().await;
}

#[tokio::test]
async fn an_official_notice_is_previewed_confirmed_delivered_and_acknowledged() {
    let mut w = World::new().await;
    let (zahra, p) = w.person(3001, "زهرا").await;
    w.steady_sales(&p, 150, 1, 3, 200_000).await;
    w.loan(&p, 12_000_000, 12, jalali(1405, 8, 20)).await;
    w.start().await;
    w.h.tick().await;
    let alert = w.h.expect_text(&w.maryam, "🔔 هشدار: زهرا آزمون").await;
    assert!(text_of(&alert).contains("قسط چهارشنبه ۲۰ آبان با ۱۱ روز تأخیر"), "{}", text_of(&alert));
    let alert_id: i64 = sqlx::query_scalar("SELECT id FROM alerts").fetch_one(w.h.store.pool()).await.unwrap();
    w.h.press(&w.maryam, &format!("a:not:{alert_id}")).await;
    let preview = w.h.expect_text(&w.maryam, "پیش‌نمایش اخطار رسمی").await;
    assert!(
        text_of(&preview).contains("۱٬۰۰۰٬۰۰۰ تومان") && text_of(&preview).contains("زهرا آزمون"),
        "{}",
        text_of(&preview)
    );
    assert!(w.h.store.outbox_of_kind("notice").await.unwrap().is_empty(), "nothing is sent before confirmation");
    let notice_id: i64 = sqlx::query_scalar("SELECT id FROM notices").fetch_one(w.h.store.pool()).await.unwrap();
    w.h.press(&w.maryam, &format!("n:ok:{notice_id}")).await;
    let notice = w.h.expect_text(&zahra, "📜 اخطار رسمی").await;
    assert!(notice.params["reply_markup"]["inline_keyboard"].to_string().contains(&format!("n:ack:{notice_id}")));
    w.h.expect_text(&w.maryam, "اخطار رسمی به زهرا آزمون رسید").await;
    w.h.press(&zahra, &format!("n:ack:{notice_id}")).await;
    w.h.expect_text(&w.maryam, "دریافت اخطار رسمی را تأیید کرد").await;
    let status: String = sqlx::query_scalar("SELECT status FROM notices").fetch_one(w.h.store.pool()).await.unwrap();
    assert_eq!(status, "acknowledged");
    w.h.finish().await;
}

#[tokio::test]
async fn telegram_faults_and_timeouts_still_deliver_every_message_exactly_once_and_a_block_is_reported() {
    let mut w = World::new().await;
    let people = [w.person(3001, "الف").await, w.person(3002, "ب").await, w.person(3003, "پ").await];
    w.start().await;
    // Every fault here is one Telegram did not carry out, a hang too (`Fault::Hang`): so
    // exactly once. A timeout after Telegram took the message may deliver it twice
    // (`resilience::an_outbox_message_accepted_then_timed_out_arrives_twice_and_is_sent_once_more_at_most`).
    w.h.telegram.inject_fault("sendMessage", Fault::TooManyRequests { retry_after: 1 });
    w.h.telegram.inject_fault("sendMessage", Fault::ServerError);
    w.h.telegram.inject_fault("sendMessage", Fault::Hang { seconds: crate::harness::CLIENT_TIMEOUT.as_secs() + 2 });
    w.h.telegram.inject_fault("sendMessage", Fault::ServerError);
    let now = w.h.clock.now();
    for (i, (_, p)) in people.iter().enumerate() {
        let message = pelekan::store::NewOutboxMessage {
            chat_id: p.telegram_id,
            kind: "reminder_test",
            dedupe_key: Some(format!("test:{i}")),
            text: format!("پیام آزمایشی {i}"),
            reply_markup: None,
            not_before: now,
            person_id: Some(p.id),
            attachment: None,
            forward_from: None,
            worded: None,
            quiet_hours: false,
            lane: pelekan::store::outbox::Lane::Bulk,
            edit: None,
        };
        w.h.store.enqueue(&message, now).await.unwrap();
        w.h.store.enqueue(&message, now).await.unwrap();
    }
    w.h.tick().await;
    w.h.outbox_drained_retrying(crate::harness::WAIT).await;
    for (i, (who, _)) in people.iter().enumerate() {
        // What Telegram accepted (refused attempts are not deliveries).
        let got = w.h.telegram.messages_to(who.id).iter().filter(|m| m.text == format!("پیام آزمایشی {i}")).count();
        assert_eq!(got, 1, "message {i} delivered exactly once");
    }
    assert!(w.h.telegram.unanswered().is_empty());
    let rows = w.h.store.outbox_of_kind("reminder_test").await.unwrap();
    assert!(rows.iter().all(|(_, status, id)| status == "sent" && id.is_some()), "{rows:?}");

    // A person who blocked the bot: given up on, marked unreachable, caseworker told.
    w.h.telegram.inject_fault("sendMessage", Fault::Blocked);
    let (_, blocked) = &people[0];
    let message = pelekan::store::NewOutboxMessage {
        chat_id: blocked.telegram_id,
        kind: "reminder_test",
        dedupe_key: Some("test:blocked".into()),
        text: "پیام به کسی که ربات را بسته".into(),
        reply_markup: None,
        not_before: now,
        person_id: Some(blocked.id),
        attachment: None,
        forward_from: None,
        worded: None,
        quiet_hours: false,
        lane: pelekan::store::outbox::Lane::Bulk,
        edit: None,
    };
    w.h.store.enqueue(&message, now).await.unwrap();
    w.h.tick().await;
    w.h.expect_text(&w.maryam, "پیام‌ها به الف آزمون نمی‌رسد").await;
    let (_, unreachable) = w.h.store.presence(blocked.id).await.unwrap();
    assert!(unreachable.is_some());
    w.h.finish().await;
}

#[tokio::test]
async fn a_restart_between_decision_and_delivery_delivers_once_and_the_scan_never_runs_twice() {
    let mut w = World::new().await;
    let (_, p) = w.person(3001, "زهرا").await;
    w.steady_sales(&p, 150, 20, 3, 200_000).await;
    // The decision is taken while no bot runs (as after a crash right after the scan).
    let ctx = pelekan::schedule::scan::Ctx { store: &w.h.store, tr: &w.h.tr, config: &w.h.config };
    let now = w.h.clock.now();
    assert!(w.h.store.claim_scan(today(), now).await.unwrap());
    assert!(!w.h.store.claim_scan(today(), now).await.unwrap(), "a second claim for the day is refused");
    let summary = pelekan::schedule::scan::run(&ctx, now).await.unwrap();
    assert_eq!(summary.alerts, 1);
    w.start().await;
    w.h.expect_text(&w.maryam, "🔔 هشدار: زهرا آزمون").await;
    assert!(w.h.tick().await.scan.is_none(), "today's scan already ran");
    w.h.restart().await;
    w.h.tick().await;
    w.h.outbox_drained(crate::harness::WAIT).await;
    assert_eq!(w.h.texts_to(&w.maryam).iter().filter(|t| t.contains("🔔 هشدار")).count(), 1);
    w.h.finish().await;
}

#[tokio::test]
async fn alert_and_notice_buttons_are_checked_against_the_database() {
    let mut w = World::new().await;
    let (zahra, p) = w.person(3001, "زهرا").await;
    w.steady_sales(&p, 150, 20, 3, 200_000).await;
    let leila = user(2002, "لیلا", "نوری");
    w.h.caseworker(&leila).await;
    w.start().await;
    w.h.tick().await;
    w.h.expect_text(&w.maryam, "🔔 هشدار: زهرا آزمون").await;
    let alert_id: i64 = sqlx::query_scalar("SELECT id FROM alerts").fetch_one(w.h.store.pool()).await.unwrap();
    w.h.press(&w.maryam, &format!("a:not:{alert_id}")).await;
    w.h.expect_text(&w.maryam, "پیش‌نمایش اخطار رسمی").await;
    let notice_id: i64 = sqlx::query_scalar("SELECT id FROM notices").fetch_one(w.h.store.pool()).await.unwrap();

    // Another caseworker, and the entrepreneur herself, press with copied data.
    w.h.say(&leila, "/help");
    w.h.expect_msg(&leila, "help-caseworker").await;
    let leilas = w.h.telegram.messages_to(leila.id).pop().unwrap();
    for data in ["rem", "not", "rev", "fa", "sn", "show"].map(|a| format!("a:{a}:{alert_id}")).into_iter().chain([
        format!("a:snd:{alert_id}:7"),
        format!("n:ok:{notice_id}"),
        format!("n:ack:{notice_id}"),
        "a:rem:abc".into(),
        "n:".into(),
    ]) {
        let answer = w.h.press_on(&leila, &leilas, &data).await;
        assert_eq!(answer.params["text"], w.h.tr.msg("button-expired"), "{data}");
    }
    w.h.say(&zahra, "/help");
    w.h.expect_msg(&zahra, "help-entrepreneur").await;
    let zahras = w.h.telegram.messages_to(zahra.id).pop().unwrap();
    for data in [format!("a:fa:{alert_id}"), format!("n:ok:{notice_id}"), format!("n:ack:{notice_id}")] {
        let answer = w.h.press_on(&zahra, &zahras, &data).await;
        assert_eq!(answer.params["text"], w.h.tr.msg("button-expired"), "{data}");
    }
    let (alert_status, notice_status): (String, String) =
        sqlx::query_as("SELECT a.status, n.status FROM alerts a, notices n").fetch_one(w.h.store.pool()).await.unwrap();
    assert_eq!((alert_status.as_str(), notice_status.as_str()), ("open", "draft"));
    assert!(w.h.store.outbox_of_kind("reminder_caseworker").await.unwrap().is_empty());
    w.h.finish().await;
}

#[tokio::test]
async fn a_quiet_week_brings_a_gentle_nudge_once_a_week() {
    let mut w = World::new().await;
    let (zahra, p) = w.person(3001, "زهرا").await;
    w.steady_sales(&p, 150, 7, 3, 200_000).await;
    w.start().await;
    // The last sale was nine days ago: nudges after 14 and 21 days, none in between.
    for day in 0..13 {
        w.h.set_tehran(&format!("{} 09:00", today() + Days::new(day)));
        w.h.tick().await;
        w.shows_up(&p).await;
    }
    w.h.expect_text(&zahra, "چند روزی است فروشی ثبت نکرده‌اید").await;
    let nudges = w.h.store.outbox_of_kind("reminder_nudge").await.unwrap();
    assert_eq!(nudges.len(), 2, "14 and 21 days without a sale: {nudges:?}");
    w.h.finish().await;
}

#[tokio::test]
async fn a_reminder_held_overnight_reads_true_in_the_morning_and_a_paid_one_is_withdrawn() {
    let mut w = World::new().await;
    let (zahra, zahras) = w.person(3001, "زهرا").await;
    let (sara, saras) = w.person(3002, "سارا").await;
    for p in [&zahras, &saras] {
        w.steady_sales(p, 150, 1, 3, 200_000).await;
        w.loan(p, 12_000_000, 12, today()).await;
    }
    // The bot was down all day: it starts at 22:00 and catches up on the day's scan, whose
    // «due today» reminders wait for the end of quiet hours.
    w.h.set_tehran(&format!("{} 22:00", today()));
    w.start().await;
    w.h.tick().await;
    let queued = w.h.store.outbox_of_kind("reminder_installment").await.unwrap();
    assert_eq!(queued.len(), 2, "{queued:?}");
    assert!(queued.iter().all(|(_, status, _)| status == "pending"), "nothing at night: {queued:?}");
    // Sara pays before morning; the caseworker confirms it.
    let loan: i64 = sqlx::query_scalar("SELECT id FROM loans WHERE entrepreneur_id = ?")
        .bind(saras.id)
        .fetch_one(w.h.store.pool())
        .await
        .unwrap();
    let payment =
        pelekan::store::NewPayment { loan_id: loan, amount: 1_000_000, paid_on: today(), photo: None, source: (-3, 1) };
    let (payment_id, _) = w.h.store.report_payment(None, &payment, |_| Vec::new(), w.h.clock.now()).await.unwrap();
    w.h.store.confirm_payment(payment_id, w.caseworker.id, today(), w.h.clock.now()).await.unwrap();

    w.h.set_tehran(&format!("{} 08:00", today() + Days::new(1)));
    w.h.tick().await;
    w.h.outbox_drained(crate::harness::WAIT).await;
    let morning = w.h.expect_text(&zahra, "یادآوری: قسط وام شما").await;
    assert!(
        text_of(&morning).contains("از یک‌شنبه ۱ آذر سررسید شده و هنوز پرداخت نشده")
            && !text_of(&morning).contains("امروز"),
        "yesterday's due date is not called today: {}",
        text_of(&morning)
    );
    assert!(w.h.texts_to(&sara).iter().all(|t| !t.contains("یادآوری")), "a paid installment is not reminded of");
    let statuses: Vec<String> =
        w.h.store.outbox_of_kind("reminder_installment").await.unwrap().into_iter().map(|r| r.1).collect();
    assert_eq!(statuses.iter().filter(|s| *s == "withdrawn").count(), 1, "{statuses:?}");
    w.h.finish().await;
}

#[tokio::test]
async fn a_notice_states_only_what_the_records_show() {
    let mut w = World::new().await;
    // Reported a sale five days ago, has no loan, and let two check-ins go unanswered.
    let (_, zahra) = w.person(3001, "زهرا").await;
    w.steady_sales(&zahra, 150, 5, 3, 200_000).await;
    w.checkin(&zahra, 14, None, "").await;
    w.checkin(&zahra, 7, None, "").await;
    // Two hard weeks, answered: worrying, but nothing to put in an official notice.
    let (_, sara) = w.person(3002, "سارا").await;
    w.steady_sales(&sara, 150, 2, 3, 200_000).await;
    w.checkin(&sara, 14, Some(1), "").await;
    w.checkin(&sara, 7, Some(2), "").await;
    w.start().await;
    w.h.tick().await;
    w.h.outbox_drained(crate::harness::WAIT).await;
    let alert = |p: &Person| {
        sqlx::query_scalar::<_, i64>("SELECT id FROM alerts WHERE entrepreneur_id = ?")
            .bind(p.id)
            .fetch_one(w.h.store.pool())
    };
    let (zahras_alert, saras_alert) = (alert(&zahra).await.unwrap(), alert(&sara).await.unwrap());

    w.h.press(&w.maryam, &format!("a:not:{zahras_alert}")).await;
    let preview = w.h.expect_text(&w.maryam, "پیش‌نمایش اخطار رسمی").await;
    let text = text_of(&preview);
    assert!(text.contains("به ۲ گزارش هفتگی آخر جواب نداده‌اید"), "{text}");
    for untrue in ["فروشی ثبت نکرده", "قسط", "پیامی از شما نرسیده"] {
        assert!(!text.contains(untrue), "the notice claims {untrue:?}, which the records do not show: {text}");
    }

    w.h.press(&w.maryam, &format!("a:not:{saras_alert}")).await;
    w.h.expect_text(&w.maryam, "سوابق امروز چیزی برای اخطار رسمی به سارا آزمون نشان نمی‌دهد").await;
    let drafts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notices").fetch_one(w.h.store.pool()).await.unwrap();
    assert_eq!(drafts, 1, "no notice is drafted when there is nothing to state");
    w.h.finish().await;
}
