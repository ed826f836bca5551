//! Hostile and unlucky presses: forged and replayed button data, official notices in odd
//! orders and under Telegram faults, check-in buttons with failed edits, strangers, and the
//! outbox through outages. Each test asserts what a careful product does.

use std::time::Duration;

use crate::attack::{arrives, count_to, one_i64};
use crate::harness::{Harness, WAIT, user};
use pelekan::domain::person::Person;
use pelekan::fake_telegram::{FakeUser, Fault, SentMessage};

const SHORT: Duration = Duration::from_secs(4);

async fn one_text(h: &Harness, sql: &str) -> String {
    sqlx::query_scalar(sql).fetch_one(h.store.pool()).await.unwrap()
}

/// The newest message the bot delivered to `who` (waits for one).
async fn newest(h: &Harness, who: &FakeUser) -> SentMessage {
    h.telegram
        .wait_for(WAIT, |t| t.messages_to(who.id).into_iter().last())
        .await
        .unwrap_or_else(|| panic!("no message to {}", who.id))
}

/// `who` writes /start and gets any answer; returns that message (something to press on).
async fn a_message_of(h: &Harness, who: &FakeUser) -> SentMessage {
    let before = h.telegram.messages_to(who.id).len();
    h.say(who, "/start");
    h.telegram
        .wait_for(WAIT, |t| t.messages_to_after(who.id, before).into_iter().last())
        .await
        .unwrap_or_else(|| panic!("no answer to /start for {}", who.id))
}

fn expired(h: &Harness) -> String {
    h.tr.msg("button-expired")
}

fn note_of(answer: &pelekan::fake_telegram::RecordedRequest) -> String {
    answer.params.get("text").and_then(|t| t.as_str()).unwrap_or("").to_string()
}

/// The attack tests' town (Maryam, her people, their sales) with a second caseworker, Ali,
/// who forges presses on what is not his.
struct Town {
    town: crate::attack::Town,
    ali: FakeUser,
}

impl Town {
    async fn new() -> Town {
        let town = crate::attack::Town::new().await;
        let ali = user(2002, "علی", "رضایی");
        town.h.caseworker(&ali).await;
        Town { town, ali }
    }
}

impl std::ops::Deref for Town {
    type Target = crate::attack::Town;
    fn deref(&self) -> &crate::attack::Town {
        &self.town
    }
}

impl std::ops::DerefMut for Town {
    fn deref_mut(&mut self) -> &mut crate::attack::Town {
        &mut self.town
    }
}

/// Zahra, 20 days without a sale: one alert to Maryam after the first tick.
async fn town_with_quiet_zahra() -> (Town, FakeUser, Person, i64) {
    let mut t = Town::new().await;
    let (zahra, p) = t.person(3001, "زهرا").await;
    t.steady_sales(&p, 150, 20, 3).await;
    t.h.start_bot().await;
    t.h.tick().await;
    t.h.expect_text(&t.maryam, "🔔 هشدار: زهرا آزمون").await;
    let alert = t.alert_of(&p).await;
    (t, zahra, p, alert)
}

/// Maryam drafts the notice from the alert; returns the notice's id and its preview.
async fn draft(t: &Town, alert: i64) -> (i64, SentMessage) {
    t.h.press(&t.maryam, &format!("a:not:{alert}")).await;
    t.h.expect_text(&t.maryam, "پیش‌نمایش اخطار رسمی").await;
    let notice = one_i64(&t.h, "SELECT MAX(id) FROM notices").await;
    let preview = t.h.message_with_button(&t.maryam, &format!("n:ok:{notice}")).await;
    (notice, preview)
}

async fn alert_status(h: &Harness, alert: i64) -> String {
    sqlx::query_scalar("SELECT status FROM alerts WHERE id = ?").bind(alert).fetch_one(h.store.pool()).await.unwrap()
}

async fn notice_status(h: &Harness, notice: i64) -> Option<String> {
    sqlx::query_scalar("SELECT status FROM notices WHERE id = ?")
        .bind(notice)
        .fetch_optional(h.store.pool())
        .await
        .unwrap()
}

// ================================================================ 1. forged callback data

/// Ali, another caseworker, forges every alert button naming Maryam's alert on Zahra, on a
/// message of his own chat. Each press is refused; the alert, the notices, Zahra's inbox and
/// the reviews are untouched.
#[tokio::test]
async fn another_caseworker_forges_every_alert_button() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let mine = a_message_of(h, &t.ali).await;
    let before = alert_status(h, alert).await;
    h.outbox_drained(WAIT).await;
    let zahra_before = h.telegram.messages_to(zahra.id).len();
    for data in ["show", "rem", "not", "rev", "fa", "sn"]
        .iter()
        .map(|c| format!("a:{c}:{alert}"))
        .chain([format!("a:snd:{alert}:7")])
    {
        let answer = h.press_on(&t.ali, &mine, &data).await;
        assert_eq!(note_of(&answer), expired(h), "Ali's forged {data:?} was answered otherwise");
    }
    h.outbox_drained(WAIT).await;
    assert_eq!(alert_status(h, alert).await, before, "Ali changed Maryam's alert");
    assert_eq!(one_i64(h, "SELECT COUNT(*) FROM notices").await, 0);
    assert_eq!(one_i64(h, "SELECT COUNT(*) FROM reviews").await, 0);
    assert_eq!(h.telegram.messages_to(zahra.id).len(), zahra_before, "Zahra got something from Ali's forged press");
    assert!(
        !h.telegram.messages_to(t.ali.id).iter().any(|m| m.text.contains("زهرا")),
        "Ali was shown something about Zahra: {:#?}",
        h.texts_to(&t.ali)
    );
    t.town.h.finish().await;
}

/// Zahra herself forges alert buttons about her own alert (she guesses the id): an
/// entrepreneur cannot mark her own alert a false alarm or snooze it.
#[tokio::test]
async fn entrepreneur_forges_buttons_on_her_own_alert() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let mine = a_message_of(h, &zahra).await;
    for data in
        [format!("a:fa:{alert}"), format!("a:snd:{alert}:7"), format!("a:not:{alert}"), format!("a:show:{alert}")]
    {
        let answer = h.press_on(&zahra, &mine, &data).await;
        assert_eq!(note_of(&answer), expired(h), "{data}");
    }
    assert_eq!(alert_status(h, alert).await, "open");
    assert_eq!(one_i64(h, "SELECT COUNT(*) FROM notices").await, 0);
    t.town.h.finish().await;
}

/// Zahra presses Maryam's preview (a message of Maryam's chat, forwarded or replayed to her
/// client): refused, the draft stays a draft.
#[tokio::test]
async fn press_on_a_message_of_another_chat() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let (notice, preview) = draft(&t, alert).await;
    for data in [format!("n:ok:{notice}"), format!("n:no:{notice}"), format!("n:ack:{notice}")] {
        let answer = h.press_on(&zahra, &preview, &data).await;
        assert_eq!(note_of(&answer), expired(h), "{data}");
    }
    // And Ali, on the same message.
    let answer = h.press_on(&t.ali, &preview, &format!("n:ok:{notice}")).await;
    assert_eq!(note_of(&answer), expired(h));
    assert_eq!(notice_status(h, notice).await.as_deref(), Some("draft"));
    h.outbox_drained(WAIT).await;
    assert_eq!(count_to(h, &zahra, "📜 اخطار رسمی"), 0);
    t.town.h.finish().await;
}

/// Wrong people on a draft notice: Ali (not her caseworker) on his own chat presses send and
/// cancel; Zahra forges «دریافت کردم» on the draft before anything was sent; Maryam presses
/// «دریافت کردم» on her own preview. All refused, the draft intact, then Maryam sends it and
/// Zahra gets it once.
#[tokio::test]
async fn wrong_people_on_a_draft_notice() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let (notice, preview) = draft(&t, alert).await;
    let alis = a_message_of(h, &t.ali).await;
    let zahras = a_message_of(h, &zahra).await;
    for data in [format!("n:ok:{notice}"), format!("n:no:{notice}")] {
        assert_eq!(note_of(&h.press_on(&t.ali, &alis, &data).await), expired(h), "Ali {data}");
    }
    assert_eq!(note_of(&h.press_on(&zahra, &zahras, &format!("n:ack:{notice}")).await), expired(h));
    assert_eq!(note_of(&h.press_on(&zahra, &zahras, &format!("n:ok:{notice}")).await), expired(h));
    assert_eq!(note_of(&h.press_on(&t.maryam, &preview, &format!("n:ack:{notice}")).await), expired(h));
    assert_eq!(notice_status(h, notice).await.as_deref(), Some("draft"));
    h.press_on(&t.maryam, &preview, &format!("n:ok:{notice}")).await;
    h.outbox_drained(WAIT).await;
    assert_eq!(count_to(h, &zahra, "📜 اخطار رسمی"), 1);
    assert_eq!(count_to(h, &t.maryam, "دریافت اخطار رسمی را تأیید کرد"), 0, "acknowledged by nobody yet");
    t.town.h.finish().await;
}

/// Zahra forges «دریافت کردم» (n:ack:<id>) for a notice Maryam confirmed but that has not
/// reached her yet (her chat is failing). A careful bot refuses: she cannot have read what
/// she never got. Maryam must not be told «… دریافت اخطار رسمی را تأیید کرد» for a notice
/// that was never delivered, and must still hear of its delivery when it arrives.
#[tokio::test]
async fn notice_acknowledged_before_it_was_delivered() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let zahras = a_message_of(h, &zahra).await;
    let (notice, preview) = draft(&t, alert).await;
    // Zahra's chat fails every send: the notice stays queued.
    h.telegram.fault_chat(zahra.id, Some(Fault::ServerError));
    h.press_on(&t.maryam, &preview, &format!("n:ok:{notice}")).await;
    h.expect_text(&t.maryam, "اخطار رسمی برای").await;
    assert_eq!(notice_status(h, notice).await.as_deref(), Some("confirmed"));
    let answer = h.press_on(&zahra, &zahras, &format!("n:ack:{notice}")).await;
    let told_early = arrives(h, &t.maryam, "دریافت اخطار رسمی را تأیید کرد", SHORT).await;
    let status_then = notice_status(h, notice).await;
    // Her chat recovers; the notice arrives.
    h.telegram.fault_chat(zahra.id, None);
    h.outbox_drained_retrying(Duration::from_secs(60)).await;
    let delivered_news = count_to(h, &t.maryam, "📬 اخطار رسمی به");
    assert!(
        note_of(&answer) == expired(h) && !told_early && delivered_news == 1,
        "Zahra's ack of an undelivered notice answered {:?}; Maryam told «acknowledged» before delivery: \
         {told_early}; notice status after the ack: {status_then:?}; Maryam's «delivered» news: {delivered_news}",
        note_of(&answer)
    );
    t.town.h.finish().await;
}

// ================================================================ 2. notices in odd orders

/// Maryam presses «ارسال» then (thumb still there) «انصراف» and «ارسال» again on the same
/// preview: one notice, one «فرستاده می‌شود», the cancel says the button is stale (not
/// «اخطار فرستاده نشد», which would be false).
#[tokio::test]
async fn send_then_cancel_then_send_on_one_preview() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let (notice, preview) = draft(&t, alert).await;
    h.press_on(&t.maryam, &preview, &format!("n:ok:{notice}")).await;
    let cancel = h.press_on(&t.maryam, &preview, &format!("n:no:{notice}")).await;
    let again = h.press_on(&t.maryam, &preview, &format!("n:ok:{notice}")).await;
    h.outbox_drained(WAIT).await;
    assert_ne!(note_of(&cancel), h.tr.msg("notice-cancelled"), "told «not sent» about a notice that is sent");
    assert_eq!(note_of(&again), expired(h));
    assert_eq!(count_to(h, &zahra, "📜 اخطار رسمی"), 1);
    assert_eq!(count_to(h, &t.maryam, "اخطار رسمی برای"), 1);
    t.town.h.finish().await;
}

/// Telegram fails the edit that removes the preview's buttons after «ارسال». The notice is
/// still sent once, Maryam is told once, and a second press on the buttons left there says
/// they are stale.
#[tokio::test]
async fn notice_send_with_failed_button_removal() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let (notice, preview) = draft(&t, alert).await;
    h.telegram.inject_fault("editMessageReplyMarkup", Fault::ServerError);
    let first = h.press_on(&t.maryam, &preview, &format!("n:ok:{notice}")).await;
    let second = h.press_on(&t.maryam, &preview, &format!("n:ok:{notice}")).await;
    h.outbox_drained_retrying(WAIT).await;
    assert_ne!(note_of(&first), expired(h));
    assert_eq!(note_of(&second), expired(h));
    assert_eq!(count_to(h, &zahra, "📜 اخطار رسمی"), 1);
    assert_eq!(count_to(h, &t.maryam, "اخطار رسمی برای"), 1);
    assert_eq!(count_to(h, &t.maryam, &h.tr.msg("error-try-again")), 0, "told to try again after it was queued");
    t.town.h.finish().await;
}

/// Telegram fails the notice's delivery once (500) and drops the connection once: it is
/// retried and reaches Zahra once; Maryam hears of the delivery once.
#[tokio::test]
async fn notice_delivery_survives_a_500_and_a_disconnect() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let (notice, preview) = draft(&t, alert).await;
    h.telegram.fault_chat(zahra.id, Some(Fault::ServerError));
    h.press_on(&t.maryam, &preview, &format!("n:ok:{notice}")).await;
    h.expect_text(&t.maryam, "اخطار رسمی برای").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.telegram.fault_chat(zahra.id, Some(Fault::Disconnect));
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.telegram.fault_chat(zahra.id, None);
    h.outbox_drained_retrying(Duration::from_secs(60)).await;
    assert_eq!(count_to(h, &zahra, "📜 اخطار رسمی"), 1);
    assert_eq!(count_to(h, &t.maryam, "📬 اخطار رسمی به"), 1);
    assert_eq!(notice_status(h, notice).await.as_deref(), Some("delivered"));
    t.town.h.finish().await;
}

/// Zahra acknowledges with the button-removing edit failing, then triple-taps the buttons
/// left there: thanked once, Maryam told once, status acknowledged.
#[tokio::test]
async fn acknowledge_with_failed_edit_and_triple_tap() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let (notice, preview) = draft(&t, alert).await;
    h.press_on(&t.maryam, &preview, &format!("n:ok:{notice}")).await;
    let delivered = h.message_with_button(&zahra, &format!("n:ack:{notice}")).await;
    h.telegram.inject_fault("editMessageReplyMarkup", Fault::ServerError);
    let answers = [
        h.press_on(&zahra, &delivered, &format!("n:ack:{notice}")).await,
        h.press_on(&zahra, &delivered, &format!("n:ack:{notice}")).await,
        h.press_on(&zahra, &delivered, &format!("n:ack:{notice}")).await,
    ];
    h.outbox_drained_retrying(WAIT).await;
    let thanked = answers.iter().filter(|a| note_of(a) == h.tr.msg("notice-ack-thanks")).count();
    assert_eq!(thanked, 1, "{:?}", answers.iter().map(note_of).collect::<Vec<_>>());
    assert_eq!(count_to(h, &t.maryam, "دریافت اخطار رسمی را تأیید کرد"), 1);
    assert_eq!(notice_status(h, notice).await.as_deref(), Some("acknowledged"));
    t.town.h.finish().await;
}

/// Maryam cancels a draft while Telegram fails the edit: the draft is dropped, she reads
/// «اخطار فرستاده نشد», and «ارسال» on the buttons left there sends nothing.
#[tokio::test]
async fn cancel_with_failed_edit_then_send() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let (notice, preview) = draft(&t, alert).await;
    h.telegram.inject_fault("editMessageReplyMarkup", Fault::ServerError);
    let cancel = h.press_on(&t.maryam, &preview, &format!("n:no:{notice}")).await;
    let send = h.press_on(&t.maryam, &preview, &format!("n:ok:{notice}")).await;
    h.outbox_drained_retrying(WAIT).await;
    assert_eq!(note_of(&cancel), h.tr.msg("notice-cancelled"));
    assert_eq!(note_of(&send), expired(h));
    assert_eq!(count_to(h, &zahra, "📜 اخطار رسمی"), 0);
    t.town.h.finish().await;
}

/// The notice button under the alert, pressed with the preview's send failing (500 on the
/// outbox send): the preview is retried, one draft, one preview.
#[tokio::test]
async fn notice_preview_send_fails_once() {
    let (t, _zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let message = h.message_with_button(&t.maryam, &format!("a:not:{alert}")).await;
    h.telegram.inject_fault("sendMessage", Fault::ServerError);
    h.press_on(&t.maryam, &message, &format!("a:not:{alert}")).await;
    h.press_on(&t.maryam, &message, &format!("a:not:{alert}")).await;
    h.outbox_drained_retrying(Duration::from_secs(60)).await;
    assert_eq!(one_i64(h, "SELECT COUNT(*) FROM notices").await, 1);
    assert_eq!(count_to(h, &t.maryam, "پیش‌نمایش اخطار رسمی"), 1);
    t.town.h.finish().await;
}

/// A false alarm pressed after a review was opened, and a snooze after that: the alert's
/// last word is what Maryam pressed last, each press answered; no request refused.
#[tokio::test]
async fn review_false_alarm_snooze_in_odd_order() {
    let (t, _zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let message = h.message_with_button(&t.maryam, &format!("a:rev:{alert}")).await;
    h.press_on(&t.maryam, &message, &format!("a:rev:{alert}")).await;
    h.press_on(&t.maryam, &message, &format!("a:rev:{alert}")).await;
    h.outbox_drained(WAIT).await;
    let reviews = one_i64(h, "SELECT COUNT(*) FROM reviews").await;
    let opened = count_to(h, &t.maryam, &h.tr.msg_with("review-opened", &[("name", "زهرا آزمون".into())]));
    assert_eq!((reviews, opened), (1, 1), "a double tap on «بازبینی» opened {reviews} reviews, told {opened} times");
    let fa = h.press_on(&t.maryam, &message, &format!("a:fa:{alert}")).await;
    assert_eq!(note_of(&fa), h.tr.msg("alert-marked-false"));
    assert_eq!(alert_status(h, alert).await, "false_alarm");
    t.town.h.finish().await;
}

// ================================================================ 3. check-ins

async fn start_checkin(h: &Harness, zahra: &FakeUser) -> i64 {
    h.say(zahra, &h.tr.msg("btn-checkin"));
    h.expect_msg(zahra, "checkin-ask-mood").await;
    one_i64(h, "SELECT MAX(id) FROM checkins").await
}

/// Telegram fails the edit that turns the faces into the obstacles question. The face is
/// stored; Zahra must see something (the next question, or an answer on the press), not a
/// button that did nothing.
#[tokio::test]
async fn checkin_face_with_failed_edit_leaves_zahra_with_nothing() {
    let c = crate::loans::cast().await;
    let h = &c.h;
    let id = start_checkin(h, &c.zahra).await;
    let faces = h.message_with_button(&c.zahra, &format!("ci:m:{id}:4")).await;
    h.telegram.inject_fault("editMessageText", Fault::ServerError);
    let answer = h.press_on(&c.zahra, &faces, &format!("ci:m:{id}:4")).await;
    // The edit is an outbox row: tried again after its pause.
    h.outbox_drained_retrying(WAIT).await;
    let mood: Option<i64> =
        sqlx::query_scalar("SELECT mood FROM checkins WHERE id = ?").bind(id).fetch_one(h.store.pool()).await.unwrap();
    let asked = h
        .telegram
        .wait_for(SHORT, |t| {
            t.messages_to(c.zahra.id).into_iter().find(|m| m.text == h.tr.msg("checkin-ask-obstacles"))
        })
        .await
        .is_some();
    assert!(
        asked || !note_of(&answer).is_empty(),
        "mood stored: {mood:?}; the obstacles question shown: {asked}; the press answered {:?}; Zahra's chat: {:#?}",
        note_of(&answer),
        h.texts_to(&c.zahra)
    );
    c.h.finish().await;
}

/// The same failed edit at «تمام» (obstacles done): the note question must still come (or
/// the press say something); and pressing «تمام» again works.
#[tokio::test]
async fn checkin_done_with_failed_edit() {
    let c = crate::loans::cast().await;
    let h = &c.h;
    let id = start_checkin(h, &c.zahra).await;
    h.press(&c.zahra, &format!("ci:m:{id}:2")).await;
    let obstacles = h.message_with_button(&c.zahra, &format!("ci:od:{id}")).await;
    h.press_on(&c.zahra, &obstacles, &format!("ci:o:{id}:money:1")).await;
    h.telegram.inject_fault("editMessageText", Fault::ServerError);
    let answer = h.press_on(&c.zahra, &obstacles, &format!("ci:od:{id}")).await;
    h.outbox_drained_retrying(WAIT).await;
    let asked = h
        .telegram
        .wait_for(SHORT, |t| t.messages_to(c.zahra.id).into_iter().find(|m| m.text == h.tr.msg("checkin-ask-note")))
        .await
        .is_some();
    let told_retry = count_to(h, &c.zahra, &h.tr.msg("error-try-again")) > 0;
    let first_ok = asked || told_retry || !note_of(&answer).is_empty();
    // Pressing again does it.
    h.press_on(&c.zahra, &obstacles, &format!("ci:od:{id}")).await;
    h.press(&c.zahra, &format!("ci:skip:{id}")).await;
    h.expect_msg(&c.zahra, "checkin-thanks").await;
    let (status, obstacles_stored): (String, String) =
        sqlx::query_as("SELECT status, obstacles FROM checkins WHERE id = ?")
            .bind(id)
            .fetch_one(h.store.pool())
            .await
            .unwrap();
    assert_eq!(status, "answered");
    assert!(obstacles_stored.contains("money"), "{obstacles_stored}");
    assert!(first_ok, "«تمام» with a failed edit showed nothing and said nothing: {:#?}", h.texts_to(&c.zahra));
    c.h.finish().await;
}

/// Another entrepreneur (Fatemeh) and the caseworker forge presses on Zahra's check-in: refused,
/// nothing of Zahra's check-in changes.
#[tokio::test]
async fn checkin_of_another_person_forged() {
    let c = crate::loans::cast().await;
    let h = &c.h;
    let fatemeh = user(3002, "فاطمه", "نوری");
    let caseworker = h.store.person_by_telegram_id(c.maryam.id).await.unwrap().unwrap();
    h.entrepreneur(&fatemeh, &caseworker).await;
    let id = start_checkin(h, &c.zahra).await;
    let hers = a_message_of(h, &fatemeh).await;
    let maryams = a_message_of(h, &c.maryam).await;
    for data in [
        format!("ci:m:{id}:1"),
        format!("ci:o:{id}:money:1"),
        format!("ci:on:{id}"),
        format!("ci:od:{id}"),
        format!("ci:skip:{id}"),
    ] {
        assert_eq!(note_of(&h.press_on(&fatemeh, &hers, &data).await), expired(h), "Fatemeh {data}");
        assert_eq!(note_of(&h.press_on(&c.maryam, &maryams, &data).await), expired(h), "Maryam {data}");
    }
    let (status, mood): (String, Option<i64>) = sqlx::query_as("SELECT status, mood FROM checkins WHERE id = ?")
        .bind(id)
        .fetch_one(h.store.pool())
        .await
        .unwrap();
    assert_eq!((status.as_str(), mood), ("open", None));
    assert_eq!(one_i64(h, "SELECT COUNT(*) FROM checkins").await, 1, "a forged press opened a check-in");
    c.h.finish().await;
}

/// Zahra presses «تمام», «هیچ مشکلی نبود» and «نه، پیامی ندارم» before choosing a face
/// (forged or an old client), then the old faces after finishing: the early ones are refused,
/// the late one says the check-in is done; the stored mood is the one she chose.
#[tokio::test]
async fn checkin_buttons_out_of_order_and_after_done() {
    let c = crate::loans::cast().await;
    let h = &c.h;
    let id = start_checkin(h, &c.zahra).await;
    let faces = h.message_with_button(&c.zahra, &format!("ci:m:{id}:4")).await;
    for data in [format!("ci:od:{id}"), format!("ci:on:{id}"), format!("ci:skip:{id}"), format!("ci:o:{id}:money:1")] {
        assert_eq!(note_of(&h.press_on(&c.zahra, &faces, &data).await), expired(h), "{data} before a face");
    }
    h.press_on(&c.zahra, &faces, &format!("ci:m:{id}:4")).await;
    h.press(&c.zahra, &format!("ci:on:{id}")).await;
    h.press(&c.zahra, &format!("ci:skip:{id}")).await;
    h.expect_msg(&c.zahra, "checkin-thanks").await;
    let late = h.press_on(&c.zahra, &faces, &format!("ci:m:{id}:1")).await;
    assert_eq!(note_of(&late), h.tr.msg("checkin-closed"));
    let mood: i64 =
        sqlx::query_scalar("SELECT mood FROM checkins WHERE id = ?").bind(id).fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(mood, 4);
    // The message's buttons are gone: a late press is told the check-in is done.
    let skip_again = h.press_on(&c.zahra, &faces, &format!("ci:skip:{id}")).await;
    assert_eq!(note_of(&skip_again), h.tr.msg("checkin-closed"));
    h.outbox_drained(WAIT).await;
    assert_eq!(count_to(h, &c.zahra, &h.tr.msg("checkin-thanks")), 1);
    c.h.finish().await;
}

/// The note is typed while Telegram fails the thanks (500 on the outbox send): the note is
/// stored once, the thanks arrive once, Maryam gets no duplicate.
#[tokio::test]
async fn checkin_note_with_failed_thanks() {
    let c = crate::loans::cast().await;
    let h = &c.h;
    let id = start_checkin(h, &c.zahra).await;
    h.press(&c.zahra, &format!("ci:m:{id}:1")).await;
    h.press(&c.zahra, &format!("ci:o:{id}:family:1")).await;
    h.press(&c.zahra, &format!("ci:od:{id}")).await;
    assert!(arrives(h, &c.zahra, &h.tr.msg("checkin-ask-note"), WAIT).await);
    h.telegram.fault_chat(c.zahra.id, Some(Fault::ServerError));
    h.say(&c.zahra, "مادرم بیمار است");
    tokio::time::sleep(Duration::from_millis(500)).await;
    h.telegram.fault_chat(c.zahra.id, None);
    h.outbox_drained_retrying(Duration::from_secs(60)).await;
    assert_eq!(count_to(h, &c.zahra, &h.tr.msg("checkin-thanks")), 1, "{:#?}", h.texts_to(&c.zahra));
    assert_eq!(count_to(h, &c.maryam, "مادرم بیمار است"), 1);
    let note = one_text(h, &format!("SELECT note_text FROM checkins WHERE id = {id}")).await;
    assert_eq!(note, "مادرم بیمار است");
    c.h.finish().await;
}

// ================================================================ 4. strangers

/// A stranger writes /start, text, edits it, and presses forged buttons naming real rows
/// (a check-in, a notice, an alert, a person, a page, a payment, a loan). Each is answered
/// plainly or as stale, nothing is stored for them, nothing changes.
#[tokio::test]
async fn stranger_presses_every_kind_of_button() {
    let (t, zahra, p, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let (notice, _) = draft(&t, alert).await;
    let stranger = user(9001, "ناشناس", "غریبه");
    let hello = a_message_of(h, &stranger).await;
    assert_eq!(hello.text, h.tr.msg("stranger-hello"));
    let typed = h.say(&stranger, "سلام، من هم می‌خواهم وام بگیرم");
    h.telegram.edit_text(&stranger, typed, "سلام");
    for data in [
        format!("a:fa:{alert}"),
        format!("n:ok:{notice}"),
        format!("n:no:{notice}"),
        format!("n:ack:{notice}"),
        format!("p:{}", p.id),
        "pl:0".to_string(),
        "pl:0:زهرا".to_string(),
        "ps".to_string(),
        format!("loan:new:{}", p.id),
        "loan:ok".to_string(),
        "pay:ok:1".to_string(),
        "ci:m:1:3".to_string(),
        "sale:ok".to_string(),
        "garbage".to_string(),
        "".to_string(),
    ] {
        assert_eq!(note_of(&h.press_on(&stranger, &hello, &data).await), expired(h), "stranger {data:?}");
    }
    h.outbox_drained(WAIT).await;
    assert_eq!(notice_status(h, notice).await.as_deref(), Some("draft"));
    assert_eq!(alert_status(h, alert).await, "open");
    assert_eq!(count_to(h, &zahra, "📜 اخطار رسمی"), 0);
    let people: i64 = one_i64(h, "SELECT COUNT(*) FROM people WHERE telegram_id = 9001").await;
    assert_eq!(people, 0);
    let leaked = h.telegram.messages_to(stranger.id).into_iter().filter(|m| m.text.contains("زهرا")).count();
    assert_eq!(leaked, 0, "a stranger was shown Zahra: {:#?}", h.texts_to(&stranger));
    t.town.h.finish().await;
}

/// Zahra reports a sale while three strangers write at every step: her conversation is
/// hers alone, the sale is stored once, each stranger is answered with the hello.
#[tokio::test]
async fn member_sale_interleaved_with_strangers() {
    let c = crate::loans::cast().await;
    let h = &c.h;
    let strangers: Vec<FakeUser> = (0..3).map(|i| user(9100 + i, "غریبه", "شماره")).collect();
    let noise = |text: &str| {
        for s in &strangers {
            h.say(s, text);
        }
    };
    h.say(&c.zahra, &h.tr.msg("btn-sale"));
    noise("/start");
    h.expect_msg(&c.zahra, "sale-ask-amount").await;
    noise("۵۰۰ هزار");
    h.say(&c.zahra, "۳۰۰ هزار");
    noise("روسری");
    h.expect_text(&c.zahra, "چه جنسی بود؟").await;
    h.say(&c.zahra, "شال");
    noise(&h.tr.msg("btn-skip-customer"));
    h.expect_text(&c.zahra, "به چه کسی فروختید؟").await;
    h.say(&c.zahra, &h.tr.msg("btn-skip-customer"));
    noise(&h.tr.msg("btn-today"));
    h.expect_text(&c.zahra, "چه روزی بود؟").await;
    h.say(&c.zahra, &h.tr.msg("btn-today"));
    noise(&h.tr.msg("btn-skip-photo"));
    h.expect_msg(&c.zahra, "sale-ask-photo").await;
    h.say(&c.zahra, &h.tr.msg("btn-skip-photo"));
    let summary = h.message_with_button(&c.zahra, "sale:ok").await;
    for s in &strangers {
        let hello = newest(h, s).await;
        assert_eq!(note_of(&h.press_on(s, &hello, "sale:ok").await), expired(h));
    }
    h.press_on(&c.zahra, &summary, "sale:ok").await;
    h.press_on(&c.zahra, &summary, "sale:ok").await;
    h.outbox_drained(WAIT).await;
    assert_eq!(h.sale_rows().await, 1);
    let amount = one_i64(h, "SELECT amount_toman FROM sales").await;
    assert_eq!(amount, 300_000);
    for s in &strangers {
        let texts = h.texts_to(s);
        assert!(!texts.is_empty() && texts.iter().all(|t| *t == h.tr.msg("stranger-hello")), "{texts:#?}");
    }
    c.h.finish().await;
}

// ================================================================ 5. outbox under faults

/// Telegram is down (500 on everything) while the scan queues the alert and Maryam's notice
/// is queued; then it is back. Every message arrives once; nothing is given up.
#[tokio::test]
async fn outage_right_after_start_then_recovery_delivers_each_once() {
    let mut t = Town::new().await;
    let (zahra, p) = t.person(3001, "زهرا").await;
    t.steady_sales(&p, 150, 20, 3).await;
    t.h.start_bot().await;
    let h = &t.h;
    h.telegram.outage(Some(Fault::ServerError));
    h.tick().await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    h.telegram.outage(Some(Fault::Disconnect));
    tokio::time::sleep(Duration::from_secs(1)).await;
    h.telegram.outage(None);
    h.outbox_drained_retrying(Duration::from_secs(60)).await;
    assert_eq!(count_to(h, &t.maryam, "🔔 هشدار: زهرا آزمون"), 1, "{:#?}", h.texts_to(&t.maryam));
    let alert = t.alert_of(&p).await;
    let (notice, preview) = draft(&t, alert).await;
    h.telegram.outage(Some(Fault::Disconnect));
    let id = h.telegram.press(&t.maryam, &preview, &format!("n:ok:{notice}"));
    // The press is handled even if its answer cannot reach Telegram.
    crate::harness::eventually("the notice is confirmed", || async {
        notice_status(h, notice).await.as_deref() != Some("draft")
    })
    .await;
    let _ = id;
    tokio::time::sleep(Duration::from_secs(1)).await;
    h.telegram.outage(None);
    h.outbox_drained_retrying(Duration::from_secs(60)).await;
    let failed = one_i64(h, "SELECT COUNT(*) FROM outbox WHERE status = 'failed'").await;
    assert_eq!(failed, 0, "the outbox gave up during a short outage");
    assert_eq!(count_to(h, &zahra, "📜 اخطار رسمی"), 1);
    assert_eq!(count_to(h, &t.maryam, "اخطار رسمی برای"), 1);
    t.town.h.finish().await;
}

/// A reminder pressed during an outage, then twice after: one reminder reaches Zahra.
#[tokio::test]
async fn reminder_pressed_in_an_outage_arrives_once() {
    let (t, zahra, _, alert) = town_with_quiet_zahra().await;
    let h = &t.h;
    let message = h.message_with_button(&t.maryam, &format!("a:rem:{alert}")).await;
    h.telegram.outage(Some(Fault::ServerError));
    h.telegram.press(&t.maryam, &message, &format!("a:rem:{alert}"));
    crate::harness::eventually("the reminder is queued", || async {
        one_i64(h, "SELECT COUNT(*) FROM outbox WHERE kind = 'reminder_caseworker'").await == 1
    })
    .await;
    h.telegram.outage(None);
    let again = h.press_on(&t.maryam, &message, &format!("a:rem:{alert}")).await;
    assert_eq!(note_of(&again), h.tr.msg("reminder-already-today"));
    h.outbox_drained_retrying(Duration::from_secs(60)).await;
    assert_eq!(count_to(h, &zahra, "مددکارتان حال شما را می‌پرسد"), 1);
    t.town.h.finish().await;
}

/// Forged people-list pages: past the end, huge, zero-padded, negative, a search with LIKE
/// wildcards and a search that is too long: each is stale (never another caseworker's
/// people), and no request is refused.
#[tokio::test]
async fn odd_people_list_pages() {
    let mut t = Town::new().await;
    let (_zahra, _) = t.person(3001, "زهرا").await;
    // Ali has his own person, who must never show on Maryam's pages.
    let ali_person = t.h.store.person_by_telegram_id(t.ali.id).await.unwrap().unwrap();
    let hamid = user(3500, "حمید", "دیگری");
    t.h.entrepreneur(&hamid, &ali_person).await;
    t.h.start_bot().await;
    let h = &t.h;
    h.say(&t.maryam, &h.tr.msg("btn-my-people"));
    h.expect_text(&t.maryam, "کارآفرینان شما").await;
    let list = h.message_with_button(&t.maryam, "ps").await;
    for data in [
        "pl:1",
        "pl:99999",
        "pl:100000",
        "pl:9223372036854775807",
        "pl:01",
        "pl:-1",
        "pl:0:%",
        "pl:0:_",
        "pl:0:حمید",
        "pl:0:   ",
        "pl:0:",
        "pl:0:بببببببببببببببببببببببببببببببببببببببب",
    ] {
        let answer = h.press_on(&t.maryam, &list, data).await;
        let shown = h.telegram.messages_to(t.maryam.id).into_iter().find(|m| m.message_id == list.message_id).unwrap();
        assert!(!shown.text.contains("حمید"), "{data} showed Ali's person: {}", shown.text);
        assert_eq!(note_of(&answer), expired(h), "{data}");
    }
    t.town.h.finish().await;
}
