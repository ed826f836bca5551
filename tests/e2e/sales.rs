use sqlx::Row;

use crate::harness::{Harness, text_of, user};
use pelekan::fake_telegram::FakeUser;

struct Stored {
    amount: i64,
    item: String,
    customer: Option<String>,
    day: String,
    photo: Option<String>,
}

async fn stored(h: &Harness) -> Vec<Stored> {
    sqlx::query("SELECT amount_toman, item, customer, sold_on, photo_file_id FROM sales ORDER BY id")
        .fetch_all(h.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| Stored { amount: r.get(0), item: r.get(1), customer: r.get(2), day: r.get(3), photo: r.get(4) })
        .collect()
}

/// A harness with one caseworker and one entrepreneur.
async fn with_entrepreneur() -> (Harness, FakeUser) {
    let h = Harness::new().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    (h, zahra)
}

#[tokio::test]
async fn a_full_sale_with_persian_digits_is_stored_on_confirm() {
    let (h, zahra) = with_entrepreneur().await;
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, "۲٬۵۰۰٬۰۰۰ تومان");
    // A first report has no past items or customers: the questions mention no such buttons.
    let item = h.expect_msg(&zahra, "sale-ask-item").await;
    assert!(!text_of(&item).contains("دکمه") && item.keyboard_labels() == [h.tr.msg("btn-cancel")]);
    h.say(&zahra, "روسری ابریشمی");
    h.expect_msg(&zahra, "sale-ask-customer").await;
    h.say(&zahra, "خانم رضایی");
    h.expect(&zahra, "the date question", |r| text_of(r).contains("امروز یک‌شنبه ۱ آذر است")).await;
    h.say(&zahra, "۱۴۰۵/۸/۲۹");
    h.expect_msg(&zahra, "sale-ask-photo").await;
    h.telegram.send_photo(&zahra, "invoice-photo-1");
    let summary = h.expect(&zahra, "the summary", |r| text_of(r).contains("۲٬۵۰۰٬۰۰۰ تومان")).await;
    assert!(text_of(&summary).contains("📅 تاریخ: جمعه ۲۹ آبان"), "{}", text_of(&summary));
    assert_eq!(h.sale_rows().await, 0, "nothing is stored before «تأیید»");
    h.press(&zahra, "sale:ok").await;
    let saved = h.expect_text(&zahra, "فروش شما ثبت شد").await;
    assert!(text_of(&saved).contains("۱ فروش ثبت کرده‌اید"), "{}", text_of(&saved));

    let rows = stored(&h).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].amount, 2_500_000);
    assert_eq!(rows[0].item, "روسری ابریشمی");
    assert_eq!(rows[0].customer.as_deref(), Some("خانم رضایی"));
    assert_eq!(rows[0].day, "2026-11-20");
    assert_eq!(rows[0].photo.as_deref(), Some("invoice-photo-1"), "the largest photo size is kept");

    // The next report offers what was sold and to whom as buttons.
    h.say(&zahra, "/sale");
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, "50000");
    // With buttons to press, the questions say so (the first time they did not).
    let items = h.expect_msg_with(&zahra, "sale-ask-item", &[("choices", "yes".into())]).await;
    assert!(items.keyboard_labels().contains(&"روسری ابریشمی".to_string()));
    h.say(&zahra, "روسری ابریشمی");
    let customers = h.expect_msg_with(&zahra, "sale-ask-customer", &[("choices", "yes".into())]).await;
    assert!(customers.keyboard_labels().contains(&"خانم رضایی".to_string()));
    h.finish().await;
}

#[tokio::test]
async fn every_wrong_answer_is_explained_and_asked_again() {
    let (h, zahra) = with_entrepreneur().await;
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    let amount_cases = [
        ("سلام", "amount-error-not-understood"),
        ("0", "amount-error-zero"),
        ("-50000", "amount-error-negative"),
        ("۱٫۵", "amount-error-fraction"),
    ];
    for (input, error) in amount_cases {
        h.say(&zahra, input);
        h.expect_msg_with(&zahra, error, &[("example", "۲۵۰ هزار تومان".into())]).await;
        h.expect_msg(&zahra, "sale-ask-amount").await;
    }
    h.say(&zahra, "۵ میلیارد");
    h.expect_text(&zahra, "این مبلغ بیشتر از ۱٬۰۰۰٬۰۰۰٬۰۰۰ تومان است").await;
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.telegram.send_sticker(&zahra);
    h.expect_msg(&zahra, "error-expected-text").await;
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.telegram.send_voice(&zahra);
    h.expect_msg(&zahra, "error-expected-text").await;
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.telegram.send_photo(&zahra, "not-now");
    h.expect_msg(&zahra, "error-expected-text").await;
    h.expect_msg(&zahra, "sale-ask-amount").await;

    h.say(&zahra, "250k");
    h.expect_msg(&zahra, "sale-ask-item").await;
    // A number at the item question is an amount, not what was sold.
    h.say(&zahra, "۱۲۳۴");
    h.expect_msg(&zahra, "sale-error-amount-as-item").await;
    h.expect_msg(&zahra, "sale-ask-item").await;
    h.say(&zahra, "#");
    h.expect_msg(&zahra, "error-text-no-letters").await;
    h.expect_msg(&zahra, "sale-ask-item").await;
    h.say(&zahra, &"ا".repeat(101));
    h.expect_text(&zahra, "کوتاه‌تر بنویسید").await;
    h.expect_msg(&zahra, "sale-ask-item").await;
    h.say(&zahra, "نان");
    h.expect_msg(&zahra, "sale-ask-customer").await;
    h.say(&zahra, &h.tr.msg("btn-skip-customer"));

    let day_cases = [
        ("فردا", "day-error-not-understood"),
        ("۱۴۰۵/۱۰/۱", "day-error-future"),
        ("۱۴۰۴/۱۲/۳۰", "day-error-no-such-day"),
        ("۱۴۰۰/۱/۱", "day-error-too-old"),
    ];
    // Examples of a typed day are recent days, made from today (1405/09/01 in the tests).
    let example = [("example", "۱۴۰۵/۸/۲۸".to_string())];
    for (input, error) in day_cases {
        let question = h.expect(&zahra, "the date question", |r| text_of(r).starts_with("چه روزی بود")).await;
        assert!(text_of(&question).contains("مثلاً ۱۴۰۵/۸/۲۸"), "{}", text_of(&question));
        h.say(&zahra, input);
        let wanted = h.tr.msg_with(error, &example);
        h.expect(&zahra, error, |r| text_of(r) == wanted).await;
    }
    h.expect(&zahra, "the date question", |r| text_of(r).starts_with("چه روزی بود")).await;
    h.say(&zahra, &h.tr.msg("btn-yesterday"));
    h.expect_msg(&zahra, "sale-ask-photo").await;
    h.say(&zahra, "عکس ندارم");
    h.expect_msg(&zahra, "sale-error-expected-photo").await;
    h.expect_msg(&zahra, "sale-ask-photo").await;
    h.say(&zahra, &h.tr.msg("btn-skip-photo"));
    h.expect(&zahra, "the summary", |r| text_of(r).contains("۲۵۰٬۰۰۰ تومان")).await;
    h.say(&zahra, "باشه");
    h.expect_msg(&zahra, "sale-error-use-buttons").await;
    h.expect(&zahra, "the summary again", |r| text_of(r).contains("۲۵۰٬۰۰۰ تومان")).await;
    assert_eq!(h.sale_rows().await, 0);
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;
    let rows = stored(&h).await;
    assert_eq!((rows[0].amount, rows[0].day.as_str(), rows[0].customer.clone()), (250_000, "2026-11-21", None));
    h.finish().await;
}

#[tokio::test]
async fn one_line_reports_become_the_same_summary() {
    let (h, zahra) = with_entrepreneur().await;
    h.say(&zahra, "فروش ۲۵۰ هزار روسری");
    let summary = h.expect(&zahra, "the summary", |r| text_of(r).contains("۲۵۰٬۰۰۰ تومان")).await;
    assert!(text_of(&summary).contains("روسری"));
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;

    h.say(&zahra, "فروش 120000");
    h.expect_msg_with(&zahra, "sale-ask-item", &[("choices", "yes".into())]).await;
    h.say(&zahra, "کیف");
    h.expect_msg(&zahra, "sale-ask-customer").await;
    h.say(&zahra, "/cancel");
    h.expect_msg(&zahra, "sale-cancelled").await;

    h.say(&zahra, "فروش زیاد روسری");
    h.expect(&zahra, "an explanation", |r| text_of(r).contains(&h.tr.msg("amount-error-not-understood"))).await;
    h.say(&zahra, "چطوری؟");
    h.expect_msg(&zahra, "menu-not-understood-entrepreneur").await;

    let rows = stored(&h).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].amount, rows[0].item.as_str(), rows[0].day.as_str()), (250_000, "روسری", "2026-11-22"));
    h.finish().await;
}

#[tokio::test]
async fn a_return_is_stored_as_a_negative_sale() {
    let (h, zahra) = with_entrepreneur().await;
    h.say(&zahra, &h.tr.msg("btn-return"));
    h.expect_msg(&zahra, "return-ask-amount").await;
    h.say(&zahra, "۵۰ هزار");
    h.expect_msg_with(&zahra, "sale-ask-item", &[("kind", "return".into())]).await;
    h.say(&zahra, "روسری");
    h.expect_msg_with(&zahra, "sale-ask-customer", &[("kind", "return".into())]).await;
    h.say(&zahra, &h.tr.msg("btn-skip-customer"));
    h.expect(&zahra, "the date question", |r| text_of(r).starts_with("چه روزی بود")).await;
    h.say(&zahra, &h.tr.msg("btn-today"));
    h.expect_msg(&zahra, "sale-ask-photo").await;
    h.say(&zahra, &h.tr.msg("btn-skip-photo"));
    let summary = h.expect(&zahra, "the summary", |r| text_of(r).contains("خلاصهٔ مرجوعی")).await;
    assert!(text_of(&summary).contains("۵۰٬۰۰۰ تومان"));
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "مرجوعی ثبت شد").await;
    assert_eq!(stored(&h).await[0].amount, -50_000);
    h.finish().await;
}

#[tokio::test]
async fn cancel_works_at_every_step_and_stores_nothing() {
    let (h, zahra) = with_entrepreneur().await;
    let answers = ["۱۰۰ هزار", "نان", "خانم رضایی", "امروز"];
    for steps in 0..=answers.len() {
        h.say(&zahra, &h.tr.msg("btn-sale"));
        h.expect_msg(&zahra, "sale-ask-amount").await;
        for answer in &answers[..steps] {
            h.say(&zahra, answer);
        }
        // Alternate between the button and the command.
        let cancel = if steps % 2 == 0 { h.tr.msg("btn-cancel") } else { "/cancel".to_string() };
        h.say(&zahra, &cancel);
        h.expect_msg(&zahra, "sale-cancelled").await;
    }
    // And from the summary's own «انصراف».
    h.say(&zahra, "فروش ۱۰۰ هزار نان");
    h.message_with_button(&zahra, "sale:no").await;
    h.press(&zahra, "sale:no").await;
    h.expect_msg(&zahra, "sale-cancelled").await;
    assert_eq!(h.sale_rows().await, 0);
    let cleared = || async {
        let state: Option<String> = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
            .bind(zahra.id)
            .fetch_optional(h.store.pool())
            .await
            .unwrap();
        state.is_none()
    };
    crate::harness::eventually("the conversation is cleared", cleared).await;
    h.finish().await;
}

#[tokio::test]
async fn a_field_can_be_edited_from_the_summary() {
    let (h, zahra) = with_entrepreneur().await;
    h.say(&zahra, "فروش ۱۰۰ هزار نان");
    h.press(&zahra, "sale:edit").await;
    h.press(&zahra, "sale:f:amount").await;
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, "۱۲۰ هزار");
    let summary = h.expect(&zahra, "the new summary", |r| text_of(r).contains("۱۲۰٬۰۰۰ تومان")).await;
    assert!(text_of(&summary).contains("نان"));
    // The first summary's buttons are stale now.
    let old = h.telegram.messages_to(zahra.id).into_iter().find(|m| m.text.contains("۱۰۰٬۰۰۰ تومان")).unwrap();
    let answer = h.press_on(&zahra, &old, "sale:ok").await;
    assert_eq!(answer.params["text"], h.tr.msg("button-expired"));
    assert_eq!(h.sale_rows().await, 0);
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;
    assert_eq!(stored(&h).await[0].amount, 120_000);
    h.finish().await;
}

/// A person corrects a typed amount by editing the message: the edit is not taken (it could
/// change a report behind their back), they are told what to do instead, and nothing changes.
#[tokio::test]
async fn an_edited_message_is_answered_and_changes_nothing() {
    let (h, zahra) = with_entrepreneur().await;
    let line = h.say(&zahra, "فروش ۵۵ هزار کلاه");
    h.expect(&zahra, "the summary", |r| text_of(r).contains("۵۵٬۰۰۰ تومان")).await;
    h.telegram.edit_text(&zahra, line, "فروش ۶۵ هزار کلاه");
    h.expect_msg(&zahra, "edit-not-read-summary").await;
    assert_eq!(h.sale_rows().await, 0);
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;
    assert_eq!(stored(&h).await[0].amount, 55_000, "the summary the person confirmed, not the edit");

    // At rest, later: nothing changes, and they are told whom to ask.
    h.telegram.edit_text(&zahra, line, "فروش ۷۵ هزار کلاه");
    h.expect_msg(&zahra, "edit-not-read-entrepreneur").await;
    // Mid-report: answer the question; fix things on the summary.
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    let amount = h.say(&zahra, "۴۰ هزار");
    h.expect_msg_with(&zahra, "sale-ask-item", &[("choices", "yes".into())]).await;
    h.telegram.edit_text(&zahra, amount, "۴۵ هزار");
    h.expect_msg(&zahra, "edit-not-read-report").await;
    let rows = stored(&h).await;
    assert_eq!((rows.len(), rows[0].amount), (1, 55_000));
    h.finish().await;
}

/// Days as people type them (issue 10 §3), at the sale's date question; the summary names the
/// day as people say it («جمعه ۲۹ آبان»), the database keeps the ISO day.
#[tokio::test]
async fn days_are_read_however_they_are_typed() {
    let (h, zahra) = with_entrepreneur().await;
    // Today is Sunday 1 Azar 1405 (2026-11-22).
    let cases = [
        ("۲۹ آبان", "2026-11-20", "جمعه ۲۹ آبان"),
        ("۳۰ آبان ۱۴۰۵", "2026-11-21", "شنبه ۳۰ آبان"),
        ("۲۸/۸/۱۴۰۵", "2026-11-19", "پنج‌شنبه ۲۸ آبان"),
        ("۰۵/۸/۲۷", "2026-11-18", "چهارشنبه ۲۷ آبان"),
        ("جمعه", "2026-11-20", "جمعه ۲۹ آبان"),
        ("پریروز", "2026-11-20", "جمعه ۲۹ آبان"),
        ("۱۵ آذر ۱۴۰۴", "2025-12-06", "شنبه ۱۵ آذر ۱۴۰۴"),
        ("بیست و پنجم آبان", "2026-11-16", "دوشنبه ۲۵ آبان"),
        ("۲۶/۸/۰۵", "2026-11-17", "سه‌شنبه ۲۶ آبان"),
        ("آبان ۲۷", "2026-11-18", "چهارشنبه ۲۷ آبان"),
        ("دو روز پیش", "2026-11-20", "جمعه ۲۹ آبان"),
        ("دیروز!", "2026-11-21", "شنبه ۳۰ آبان"),
        // Without a year, a day still to come this year is last year's, shown with its year.
        ("۱۰ دی", "2025-12-31", "چهارشنبه ۱۰ دی ۱۴۰۴"),
    ];
    for (typed, stored_day, shown) in cases {
        h.say(&zahra, &h.tr.msg("btn-sale"));
        h.expect_msg(&zahra, "sale-ask-amount").await;
        h.say(&zahra, "۱۰۰ هزار");
        h.expect(&zahra, "the item question", |r| text_of(r).starts_with("چه جنسی بود")).await;
        h.say(&zahra, "نان");
        h.expect(&zahra, "the customer question", |r| text_of(r).starts_with("به چه کسی فروختید")).await;
        h.say(&zahra, &h.tr.msg("btn-skip-customer"));
        h.expect(&zahra, "the date question", |r| text_of(r).starts_with("چه روزی بود")).await;
        h.say(&zahra, typed);
        h.expect_msg(&zahra, "sale-ask-photo").await;
        h.say(&zahra, &h.tr.msg("btn-skip-photo"));
        let summary = h.expect(&zahra, "the summary", |r| text_of(r).starts_with("خلاصه")).await;
        assert!(text_of(&summary).contains(&format!("📅 تاریخ: {shown}")), "{typed}: {}", text_of(&summary));
        h.press(&zahra, "sale:ok").await;
        h.expect_text(&zahra, "فروش شما ثبت شد").await;
        let day = stored(&h).await.last().unwrap().day.clone();
        assert_eq!(day, stored_day, "{typed}");
    }
    h.finish().await;
}

/// A question is an outbox row committed with the step it asks: when Telegram fails it once,
/// it arrives all the same (tried again), the conversation is at that step, and the person is
/// never told to try again (trying again would begin the report afresh).
#[tokio::test]
async fn a_question_telegram_failed_once_arrives_all_the_same() {
    let (h, zahra) = with_entrepreneur().await;
    h.telegram.inject_fault("sendMessage", pelekan::fake_telegram::Fault::ServerError);
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await; // the attempt Telegram fails
    h.outbox_drained_retrying(crate::harness::WAIT).await;
    let delivered: Vec<String> = h.telegram.messages_to(zahra.id).into_iter().map(|m| m.text).collect();
    assert_eq!(delivered, [h.tr.msg("sale-ask-amount")], "tried again, and delivered");
    let state: Option<String> = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
        .bind(zahra.id)
        .fetch_optional(h.store.pool())
        .await
        .unwrap();
    assert!(state.is_some_and(|s| s.contains("Amount")), "the conversation is at the amount question");
    let try_again = h.tr.msg("error-try-again");
    assert!(!h.texts_to(&zahra).contains(&try_again), "{:?}", h.texts_to(&zahra));
    // The answer goes on from there.
    h.say(&zahra, "۲۵۰ هزار");
    h.expect_msg_with(&zahra, "sale-ask-item", &[("choices", "no".into()), ("kind", "sale".into())]).await;
    h.finish().await;
}
