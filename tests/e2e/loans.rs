use sqlx::Row;

use crate::harness::{Harness, text_of, user};
use pelekan::domain::person::Person;
use pelekan::fake_telegram::FakeUser;
use pelekan::fake_telegram::{RecordedRequest, SentMessage};
use pelekan::persian::jalali::JalaliDate;

/// A caseworker (Maryam) and an entrepreneur (Zahra), the bot running.
pub struct Cast {
    pub h: Harness,
    pub maryam: FakeUser,
    pub zahra: FakeUser,
    pub zahra_person: Person,
}

pub async fn cast() -> Cast {
    let h = Harness::new().await;
    let maryam = user(2001, "مریم", "کریمی");
    let caseworker = h.caseworker(&maryam).await;
    let zahra = user(3001, "زهرا", "احمدی");
    let zahra_person = h.entrepreneur(&zahra, &caseworker).await;
    Cast { h, maryam, zahra, zahra_person }
}

/// The caseworker opens the person's card and records a loan with these answers; returns the
/// summary she confirmed, as it was when she pressed «تأیید».
pub async fn record_loan(c: &Cast, amount: &str, count: &str, first_due: &str) -> SentMessage {
    let h = &c.h;
    h.say(&c.maryam, &h.tr.msg("btn-my-people"));
    h.expect_text(&c.maryam, "کارآفرینان شما").await;
    h.press(&c.maryam, &format!("p:{}", c.zahra_person.id)).await;
    h.expect_text(&c.maryam, "👤 زهرا احمدی").await;
    h.press(&c.maryam, &format!("loan:new:{}", c.zahra_person.id)).await;
    h.expect_text(&c.maryam, "مبلغ وام پرداخت‌شده").await;
    h.say(&c.maryam, amount);
    h.expect_msg(&c.maryam, "loan-ask-count").await;
    h.say(&c.maryam, count);
    h.expect_text(&c.maryam, "سررسید قسط اول چه روزی است؟").await;
    h.say(&c.maryam, first_due);
    h.expect_text(&c.maryam, "خلاصهٔ وام").await;
    let summary = h.press(&c.maryam, "loan:ok").await;
    h.expect_text(&c.maryam, "وام زهرا احمدی ثبت شد").await;
    h.expect_text(&c.zahra, &h.tr.msg("loan-recorded-for-you")).await;
    summary
}

/// Zahra goes through «پرداخت قسط» up to the receipt question; returns the amount question.
pub async fn pay_up_to_receipt(c: &Cast, amount: &str) -> RecordedRequest {
    let h = &c.h;
    h.say(&c.zahra, &h.tr.msg("btn-payment"));
    let ask = h.expect_msg_with(&c.zahra, "payment-ask-amount", &[("button", "yes".into())]).await;
    h.say(&c.zahra, amount);
    h.expect(&c.zahra, "the date question", |r| text_of(r).starts_with("چه روزی بود")).await;
    h.say(&c.zahra, &h.tr.msg("btn-today"));
    h.expect_msg(&c.zahra, "payment-ask-photo").await;
    ask
}

/// How the entrepreneur answers the receipt question.
pub enum Receipt<'a> {
    Photo(&'a str),
    /// An image sent «as a file»: a document to Telegram.
    File(&'a str),
    Skipped,
}

/// The entrepreneur reports a payment of `amount` (as typed) made today, through to «تأیید»;
/// returns the amount question, and the summary they confirmed (as sent, and as it was when
/// they pressed «تأیید»).
pub async fn pay(c: &Cast, amount: &str, receipt: Receipt<'_>) -> (RecordedRequest, RecordedRequest, SentMessage) {
    let h = &c.h;
    let ask = pay_up_to_receipt(c, amount).await;
    // Each of these returns the message id, which is not needed here.
    let _ = match receipt {
        Receipt::Photo(id) => h.telegram.send_photo(&c.zahra, id),
        Receipt::File(id) => h.telegram.send_document(&c.zahra, id, "رسید.jpg", "image/jpeg", 180_000),
        Receipt::Skipped => h.say(&c.zahra, &h.tr.msg("btn-skip-photo")),
    };
    let summary = h.expect(&c.zahra, "the summary", |r| text_of(r).contains("خلاصهٔ پرداخت قسط")).await;
    let pressed = h.press(&c.zahra, "sale:ok").await;
    h.expect_msg(&c.zahra, "payment-pending").await;
    (ask, summary, pressed)
}

fn jalali(y: i32, m: u8, d: u8) -> String {
    JalaliDate { year: y, month: m, day: d }.to_gregorian().unwrap().to_string()
}

async fn installments(h: &Harness) -> Vec<(String, i64, i64)> {
    sqlx::query("SELECT due_on, amount, paid FROM installments ORDER BY number")
        .fetch_all(h.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[tokio::test]
async fn a_loan_out_of_range_is_refused_and_one_in_range_gets_a_jalali_schedule_over_the_year_end() {
    let c = cast().await;
    let h = &c.h;
    h.say(&c.maryam, &h.tr.msg("btn-my-people"));
    h.expect_text(&c.maryam, "کارآفرینان شما").await;
    h.press(&c.maryam, &format!("p:{}", c.zahra_person.id)).await;
    h.press(&c.maryam, &format!("loan:new:{}", c.zahra_person.id)).await;
    h.expect_text(&c.maryam, "بین ۱۰٬۰۰۰٬۰۰۰ و ۲۰٬۰۰۰٬۰۰۰ تومان").await;
    h.say(&c.maryam, "۲۵ میلیون");
    h.expect_text(&c.maryam, "در بازهٔ وام این سطح نیست").await;
    h.say(&c.maryam, "۱۰ میلیون");
    h.expect_msg(&c.maryam, "loan-ask-count").await;
    h.say(&c.maryam, "۳");
    // The example is a coming day, made from today (1405/09/01): a month and five days on.
    let question = h.expect_text(&c.maryam, "سررسید قسط اول چه روزی است؟").await;
    assert!(text_of(&question).contains("مثلاً ۱۴۰۵/۱۰/۶"), "{}", text_of(&question));
    assert_eq!(question.keyboard_labels()[0], "سه‌شنبه ۱ دی", "a month from today, as a button");
    h.say(&c.maryam, "فردا صبح");
    let hint = h.expect_text(&c.maryam, "این تاریخ را متوجه نشدم").await;
    assert!(
        text_of(&hint).contains("دکمهٔ تاریخ") && !text_of(&hint).contains("«امروز»"),
        "only buttons that exist: {}",
        text_of(&hint)
    );
    h.expect_text(&c.maryam, "سررسید قسط اول چه روزی است؟").await;
    h.say(&c.maryam, "۱۴۰۵/۸/۱");
    h.expect_msg(&c.maryam, "loan-error-first-due-past").await;
    h.say(&c.maryam, "۱۴۰۵/۱۱/۳۰");
    let review = h.expect_text(&c.maryam, "خلاصهٔ وام").await;
    // Days as people say them, with the year when it is not this year.
    for line in ["۳۰ بهمن — ۳٬۳۳۳٬۳۳۳", "۲۹ اسفند — ۳٬۳۳۳٬۳۳۳", "۳۰ فروردین ۱۴۰۶ — ۳٬۳۳۳٬۳۳۴"]
    {
        assert!(text_of(&review).contains(line), "{line} missing from {}", text_of(&review));
    }
    let loans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM loans").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(loans, 0, "nothing is stored before «تأیید»");
    h.press(&c.maryam, "loan:ok").await;
    h.expect_text(&c.maryam, "وام زهرا احمدی ثبت شد").await;
    h.expect_text(&c.zahra, &h.tr.msg("loan-recorded-for-you")).await;
    assert_eq!(
        installments(h).await,
        vec![
            (jalali(1405, 11, 30), 3_333_333, 0),
            (jalali(1405, 12, 29), 3_333_333, 0),
            (jalali(1406, 1, 30), 3_333_334, 0)
        ]
    );
    let event: (String, String) =
        sqlx::query_as("SELECT state, reason FROM loan_events").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(event, ("active".to_string(), "recorded".to_string()));
    c.h.finish().await;
}

#[tokio::test]
async fn a_payment_with_a_receipt_is_confirmed_and_allocated_and_a_rejected_one_changes_nothing() {
    let c = cast().await;
    let h = &c.h;
    record_loan(&c, "۱۲ میلیون", "۱۲", "۱۴۰۵/۹/۱۵").await;

    // The installment is offered as a button, and pressed.
    let (ask, _, _) = pay(&c, "۱٬۰۰۰٬۰۰۰ تومان", Receipt::Photo("receipt-1")).await;
    assert!(ask.keyboard_labels().contains(&"۱٬۰۰۰٬۰۰۰ تومان".to_string()), "{:?}", ask.keyboard_labels());

    // The caseworker gets the receipt with the buttons.
    let receipt = h
        .telegram
        .wait_for(crate::harness::WAIT, |t| {
            t.requests()
                .into_iter()
                .find(|r| r.method == "sendPhoto" && r.params["chat_id"].as_i64() == Some(c.maryam.id))
        })
        .await
        .expect("the caseworker is sent the receipt");
    assert_eq!(receipt.params["photo"], "receipt-1");
    assert!(receipt.params["caption"].as_str().unwrap().contains("۱٬۰۰۰٬۰۰۰ تومان"));
    let paid: i64 = sqlx::query_scalar("SELECT SUM(paid) FROM installments").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(paid, 0, "nothing is allocated while pending");
    let payment_id: i64 = sqlx::query_scalar("SELECT id FROM payments").fetch_one(h.store.pool()).await.unwrap();
    let decision = h.press(&c.maryam, &format!("pay:ok:{payment_id}")).await;
    // Both sides read the amount in digits and words; the entrepreneur, her loan's summary too.
    h.expect_text(&c.maryam, "پرداخت زهرا احمدی تأیید و در اقساط ثبت شد.\nمبلغ: ۱٬۰۰۰٬۰۰۰ تومان — یک میلیون تومان")
        .await;
    let news = h.expect_text(&c.zahra, "✅ پرداخت قسط شما تأیید شد.\nمبلغ: ۱٬۰۰۰٬۰۰۰ تومان — یک میلیون تومان").await;
    assert!(text_of(&news).contains("مانده: ۱۱٬۰۰۰٬۰۰۰ تومان — یازده میلیون تومان"), "{}", text_of(&news));
    let rows = installments(h).await;
    assert_eq!((rows[0].2, rows[1].2), (1_000_000, 0));

    // A second press changes nothing.
    let again = h.press_on(&c.maryam, &decision, &format!("pay:ok:{payment_id}")).await;
    assert_eq!(again.params["text"], h.tr.msg("payment-already-decided"));

    // A partial payment, then a rejected one, then an overpayment.
    let cases = [
        (
            "۴۰۰ هزار",
            "ok",
            "پرداخت زهرا احمدی تأیید و در اقساط ثبت شد.\nمبلغ: ۴۰۰٬۰۰۰ تومان — چهارصد هزار تومان",
            "✅ پرداخت قسط شما تأیید شد.\nمبلغ: ۴۰۰٬۰۰۰ تومان — چهارصد هزار تومان",
        ),
        (
            "۵ میلیون",
            "no",
            "پرداخت زهرا احمدی رد شد. به او هم خبر می‌دهیم.\nمبلغ: ۵٬۰۰۰٬۰۰۰ تومان — پنج میلیون تومان",
            "❌ پرداخت قسط شما تأیید نشد. لطفاً با مددکارتان تماس بگیرید.\nمبلغ: ۵٬۰۰۰٬۰۰۰ تومان — پنج میلیون تومان\nتاریخ: ",
        ),
        (
            "۱۲ میلیون",
            "ok",
            "پرداخت زهرا احمدی تأیید و در اقساط ثبت شد.\nمبلغ: ۱۲٬۰۰۰٬۰۰۰ تومان — دوازده میلیون تومان",
            "بیشتر از بدهی‌تان پرداخت کرده‌اید. مددکارتان دربارهٔ آن با شما صحبت می‌کند.\nمبلغ اضافه: ۱٬۴۰۰٬۰۰۰ تومان — یک میلیون و چهارصد هزار تومان",
        ),
    ];
    for (amount, decision, to_caseworker, to_entrepreneur) in cases {
        pay(&c, amount, Receipt::Skipped).await;
        let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM payments").fetch_one(h.store.pool()).await.unwrap();
        h.press(&c.maryam, &format!("pay:{decision}:{id}")).await;
        h.expect_text(&c.maryam, to_caseworker).await;
        h.expect_text(&c.zahra, to_entrepreneur).await;
    }
    let rows = installments(h).await;
    assert!(rows.iter().all(|(_, amount, paid)| amount == paid), "everything is paid: {rows:?}");
    let overpaid: i64 = sqlx::query_scalar("SELECT overpaid_toman FROM payments ORDER BY id DESC LIMIT 1")
        .fetch_one(h.store.pool())
        .await
        .unwrap();
    assert_eq!(overpaid, 1_000_000 + 400_000);
    let state: String = sqlx::query_scalar("SELECT state FROM loans").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(state, "repaid");
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM payments ORDER BY id").fetch_all(h.store.pool()).await.unwrap();
    assert_eq!(statuses, vec!["confirmed", "confirmed", "rejected", "confirmed"]);
    c.h.finish().await;
}

#[tokio::test]
async fn days_past_due_grow_with_the_clock() {
    let c = cast().await;
    let h = &c.h;
    record_loan(&c, "۱۲ میلیون", "۱۲", "۱۴۰۵/۹/۱۵").await;
    h.say(&c.zahra, &h.tr.msg("btn-my-loans"));
    // Days are named as people say them, in a sentence and in the schedule.
    let view = h.expect_text(&c.zahra, "قسط بعدی: یک‌شنبه ۱۵ آذر — ۱٬۰۰۰٬۰۰۰ تومان").await;
    assert!(text_of(&view).contains("۱. یک‌شنبه ۱۵ آذر — ۱٬۰۰۰٬۰۰۰ تومان"), "{}", text_of(&view));
    // The loan's own amounts in digits and words (issue 10).
    for line in
        ["مبلغ وام: ۱۲٬۰۰۰٬۰۰۰ تومان — دوازده میلیون تومان\n", "مانده: ۱۲٬۰۰۰٬۰۰۰ تومان — دوازده میلیون تومان\n"]
    {
        assert!(text_of(&view).contains(line), "{line:?} missing from {}", text_of(&view));
    }
    assert!(!text_of(&view).contains("عقب افتاده"));

    h.set_tehran("2026-12-16 12:00"); // 1405/09/25: ten days after the first due date
    h.say(&c.zahra, &h.tr.msg("btn-my-loans"));
    // Arrears to the entrepreneur in plain words, without the bucket.
    let view = h.expect_text(&c.zahra, "عقب افتاده").await;
    assert!(
        text_of(&view).contains("⚠️ ۱٬۰۰۰٬۰۰۰ تومان از قسط‌هایتان ۱۰ روز عقب افتاده است.\n(یک میلیون تومان)"),
        "{}",
        text_of(&view)
    );
    assert!(!text_of(&view).contains("گروه"), "{}", text_of(&view));
    assert!(text_of(&view).contains("⚠️ دیرکرد"));

    h.clock.advance(chrono::Duration::days(25));
    h.say(&c.maryam, &h.tr.msg("btn-my-people"));
    h.expect_text(&c.maryam, "کارآفرینان شما").await;
    h.press(&c.maryam, &format!("p:{}", c.zahra_person.id)).await;
    let card = h.expect_text(&c.maryam, "👤 زهرا احمدی").await;
    assert!(
        text_of(&card).contains(
            "⚠️ قسط‌ها ۳۵ روز عقب افتاده است (گروه ۳۱ تا ۹۰ روز).\nمبلغ عقب‌افتاده: ۲٬۰۰۰٬۰۰۰ تومان — دو میلیون تومان"
        ),
        "{}",
        text_of(&card)
    );
    c.h.finish().await;
}

#[tokio::test]
async fn a_caseworker_cannot_see_or_act_on_another_caseworkers_people() {
    let c = cast().await;
    let h = &c.h;
    record_loan(&c, "۱۲ میلیون", "۱۲", "۱۴۰۵/۹/۱۵").await;
    pay(&c, "۱ میلیون", Receipt::Skipped).await;
    let payment_id: i64 = sqlx::query_scalar("SELECT id FROM payments").fetch_one(h.store.pool()).await.unwrap();

    let leila = user(2002, "لیلا", "نوری");
    h.caseworker(&leila).await;
    h.say(&leila, &h.tr.msg("btn-my-people"));
    let list = h.expect_msg(&leila, "my-people-none").await;
    assert!(!crate::harness::text_of(&list).contains("زهرا"));
    // Leila forges presses on a message of her own chat.
    let own = h.telegram.messages_to(leila.id).pop().unwrap();
    let pid = c.zahra_person.id;
    for data in [
        format!("p:{pid}"),
        format!("loan:new:{pid}"),
        format!("pay:ok:{payment_id}"),
        format!("pay:no:{payment_id}"),
        "loan:ok".into(),
    ] {
        let answer = h.press_on(&leila, &own, &data).await;
        assert_eq!(answer.params["text"], h.tr.msg("button-expired"), "{data}");
    }
    // And the entrepreneur cannot confirm her own payment.
    let zahras = h.telegram.messages_to(c.zahra.id).pop().unwrap();
    let answer = h.press_on(&c.zahra, &zahras, &format!("pay:ok:{payment_id}")).await;
    assert_eq!(answer.params["text"], h.tr.msg("button-expired"));
    let status: String = sqlx::query_scalar("SELECT status FROM payments").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(status, "pending");
    assert!(!h.texts_to(&leila).iter().any(|t| t.contains("زهرا")), "Leila saw nothing of Zahra");
    c.h.finish().await;
}

#[tokio::test]
async fn a_pause_freezes_arrears_and_a_stop_ends_what_falls_due_with_who_when_and_why() {
    let c = cast().await;
    let h = &c.h;
    record_loan(&c, "۱۲ میلیون", "۱۲", "۱۴۰۵/۹/۱۵").await;
    let loan_id: i64 = sqlx::query_scalar("SELECT id FROM loans").fetch_one(h.store.pool()).await.unwrap();
    h.set_tehran("2026-12-11 12:00"); // 1405/09/20: five days late

    // Pause, with a reason.
    h.say(&c.maryam, &h.tr.msg("btn-my-people"));
    h.expect_text(&c.maryam, "کارآفرینان شما").await;
    h.press(&c.maryam, &format!("p:{}", c.zahra_person.id)).await;
    let card = h.expect_text(&c.maryam, "👤 زهرا احمدی").await;
    assert!(text_of(&card).contains("۵ روز عقب افتاده"), "{}", text_of(&card));
    h.press(&c.maryam, &format!("ls:{loan_id}:paused")).await;
    h.expect_text(&c.maryam, &h.tr.msg("loan-ask-reason")).await;
    h.say(&c.maryam, "بیماری در خانواده؛ بازبینی دوهفته‌ای");
    h.expect_text(&c.maryam, "وضعیت وام زهرا احمدی").await;
    h.expect_text(&c.zahra, "وضعیت وام شما").await;

    // Twenty days later the arrears have not grown.
    h.clock.advance(chrono::Duration::days(20));
    h.say(&c.zahra, &h.tr.msg("btn-my-loans"));
    let view = h.expect_text(&c.zahra, "عقب افتاده").await;
    assert!(text_of(&view).contains("۵ روز عقب افتاده"), "{}", text_of(&view));

    // Resume, then stop: after the stop nothing further falls due.
    h.press(&c.maryam, &format!("p:{}", c.zahra_person.id)).await;
    h.press(&c.maryam, &format!("ls:{loan_id}:active")).await;
    h.say(&c.maryam, "مشکل برطرف شد");
    h.expect_text(&c.maryam, "به «فعال» تغییر کرد").await;
    h.press(&c.maryam, &format!("p:{}", c.zahra_person.id)).await;
    h.press(&c.maryam, &format!("ls:{loan_id}:stopped")).await;
    h.say(&c.maryam, "تعطیلی کامل کارگاه");
    h.expect_text(&c.maryam, "تغییر کرد").await;
    h.clock.advance(chrono::Duration::days(90));
    h.say(&c.zahra, &h.tr.msg("btn-my-loans"));
    let view = h.expect_text(&c.zahra, "قسط بعدی: ندارد").await;
    assert!(text_of(&view).contains("۵ روز عقب افتاده"), "frozen at the stop: {}", text_of(&view));

    // A stopped loan offers no more changes, and a forged one is refused.
    let message = h.telegram.messages_to(c.maryam.id).pop().unwrap();
    let answer = h.press_on(&c.maryam, &message, &format!("ls:{loan_id}:active")).await;
    assert_eq!(answer.params["text"], h.tr.msg("loan-state-change-not-allowed"));
    let events: Vec<(String, Option<i64>, String)> =
        sqlx::query_as("SELECT state, by_person, reason FROM loan_events ORDER BY id")
            .fetch_all(h.store.pool())
            .await
            .unwrap();
    let maryam_id = Some(c.zahra_person.caseworker_id.unwrap());
    assert_eq!(
        events,
        vec![
            ("active".into(), maryam_id, "recorded".into()),
            ("paused".into(), maryam_id, "بیماری در خانواده؛ بازبینی دوهفته‌ای".into()),
            ("active".into(), maryam_id, "مشکل برطرف شد".into()),
            ("stopped".into(), maryam_id, "تعطیلی کامل کارگاه".into()),
        ]
    );
    c.h.finish().await;
}

/// A receipt sent «as a file» is a document to Telegram: it reaches the caseworker as one (a
/// document's id in sendPhoto is refused, `type of file mismatch`), and the payment can be
/// decided.
#[tokio::test]
async fn a_receipt_sent_as_an_image_file_reaches_the_caseworker_as_a_document() {
    let c = cast().await;
    let h = &c.h;
    record_loan(&c, "۱۲ میلیون", "۱۲", "۱۴۰۵/۹/۱۵").await;
    let (_, summary, _) = pay(&c, "۱ میلیون", Receipt::File("receipt-file-1")).await;
    assert!(text_of(&summary).contains(&h.tr.msg("sale-photo-yes")), "{}", text_of(&summary));

    let receipt = h
        .telegram
        .wait_for(crate::harness::WAIT, |t| {
            t.requests()
                .into_iter()
                .find(|r| r.method == "sendDocument" && r.params["chat_id"].as_i64() == Some(c.maryam.id))
        })
        .await
        .expect("the caseworker is sent the receipt as the file it came as");
    assert_eq!(receipt.params["document"], "receipt-file-1");
    assert!(receipt.params["caption"].as_str().unwrap().contains("۱٬۰۰۰٬۰۰۰ تومان"));
    h.outbox_drained(crate::harness::WAIT).await;
    let requests = h.store.outbox_of_kind("payment_to_confirm").await.unwrap();
    assert_eq!(requests[0].1, "sent", "{requests:?}");
    let stored: (String, String) =
        sqlx::query_as("SELECT photo_file_id, photo_sent_as FROM payments").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(stored, ("receipt-file-1".to_string(), "document".to_string()));

    // The request carries its buttons on a document: deciding removes them from its caption message.
    let payment_id: i64 = sqlx::query_scalar("SELECT id FROM payments").fetch_one(h.store.pool()).await.unwrap();
    h.press(&c.maryam, &format!("pay:ok:{payment_id}")).await;
    h.expect_text(&c.zahra, "✅ پرداخت قسط شما تأیید شد.\nمبلغ: ۱٬۰۰۰٬۰۰۰ تومان — یک میلیون تومان").await;
    c.h.finish().await;
}

/// An attachment Telegram no longer takes (here: a file id it does not know) must not cost the
/// request: it goes without the attachment, with a line saying so.
#[tokio::test]
async fn a_request_whose_attachment_is_refused_is_sent_without_it() {
    let c = cast().await;
    let h = &c.h;
    let message = pelekan::store::NewOutboxMessage {
        attachment: Some(pelekan::domain::attachment::Attachment::photo("no-such-file")),
        ..pelekan::store::NewOutboxMessage::text(
            c.maryam.id,
            "payment_to_confirm",
            None,
            "💳 پرداخت".into(),
            h.clock.now(),
        )
    };
    h.store.enqueue(&message, h.clock.now()).await.unwrap();
    h.tick().await;
    let sent = h.expect_text(&c.maryam, "💳 پرداخت").await;
    assert!(text_of(&sent).contains(&h.tr.msg("attachment-not-attached")), "{}", text_of(&sent));
    h.outbox_drained(crate::harness::WAIT).await;
    assert_eq!(h.store.outbox_of_kind("payment_to_confirm").await.unwrap()[0].1, "sent");
    // The refused attempt is Telegram's answer to a request the bot made on purpose here.
    assert!(
        h.telegram.violations().iter().all(|v| v.contains("wrong file identifier")),
        "{:?}",
        h.telegram.violations()
    );
}

/// «تأیید» pressed again on a payment or a loan summary already confirmed says what it stored.
#[tokio::test]
async fn a_second_confirm_on_a_payment_or_loan_summary_says_it_was_done() {
    let c = cast().await;
    let h = &c.h;
    let loan_summary = record_loan(&c, "۱۲ میلیون", "۱۲", "۱۴۰۵/۹/۱۵").await;
    let again = h.press_on(&c.maryam, &loan_summary, "loan:ok").await;
    assert_eq!(again.params["text"], h.tr.msg("loan-already-recorded"));
    let loans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM loans").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(loans, 1);

    let (_, _, payment_summary) = pay(&c, "۱ میلیون", Receipt::Skipped).await;
    let again = h.press_on(&c.zahra, &payment_summary, "sale:ok").await;
    assert_eq!(again.params["text"], h.tr.msg("payment-already-sent"));
    let payments: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(payments, 1);
    c.h.finish().await;
}

/// Two staff changing one loan at once: the change decided against a state that is no longer
/// the loan's is not applied (nothing stored, nothing queued), so both cannot win.
#[tokio::test]
async fn a_loan_state_change_applies_only_from_the_state_it_was_decided_against() {
    use pelekan::domain::loan::LoanState;
    let c = cast().await;
    let h = &c.h;
    let loan = pelekan::store::NewLoan {
        entrepreneur_id: c.zahra_person.id,
        level: 1,
        principal: 12_000_000,
        fee: 0,
        schedule: pelekan::domain::loan::schedule(12_000_000, 12, h.clock.today() + chrono::Days::new(10)),
        recorded_by: c.zahra_person.caseworker_id.unwrap(),
        source: (-2, 1),
    };
    let (loan_id, _) = h.store.record_loan(&loan, h.clock.now()).await.unwrap();
    let (today, now) = (h.clock.today(), h.clock.now());
    let first = pelekan::store::UpdateKey::new(2001, "test-first".into());
    let pause = (LoanState::Active, LoanState::Paused);
    assert!(h.store.set_loan_state(&first, loan_id, pause, None, "یک", today, None, &[], now).await.unwrap());
    // The second decided «stopped» while the loan was still active.
    let second = pelekan::store::UpdateKey::new(1001, "test-second".into());
    let stop = (LoanState::Active, LoanState::Stopped);
    assert!(!h.store.set_loan_state(&second, loan_id, stop, None, "دو", today, None, &[], now).await.unwrap());
    let events: Vec<String> = sqlx::query_scalar("SELECT state FROM loan_events WHERE loan_id = ? ORDER BY id")
        .bind(loan_id)
        .fetch_all(h.store.pool())
        .await
        .unwrap();
    assert_eq!(events, ["active", "paused"]);
    c.h.finish().await;
}
