//! Amounts as Iranians type them, through the bot (issue 10): never a stored number the person
//! did not mean. The readings themselves are tested in `persian::amount`; these tests show them
//! in sales, returns, payments, loans and one-line reports, with the summary in digits and words.

use crate::harness::{Harness, text_of, user};
use crate::loans::{self, Receipt};
use pelekan::fake_telegram::FakeUser;
use pelekan::fake_telegram::RecordedRequest;

async fn zahra() -> (Harness, FakeUser) {
    let h = Harness::new().await;
    let caseworker = h.caseworker(&user(2001, "مریم", "کریمی")).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.entrepreneur(&zahra, &caseworker).await;
    (h, zahra)
}

async fn amounts(h: &Harness) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT amount_toman, item FROM sales ORDER BY id").fetch_all(h.store.pool()).await.unwrap()
}

/// A one-line report, through its summary to «تأیید».
async fn report_in_one_line(h: &Harness, who: &FakeUser, line: &str, summary_has: &str) {
    h.say(who, line);
    let summary = h.expect(who, "the summary", |r| text_of(r).starts_with("خلاصه")).await;
    assert!(text_of(&summary).contains(summary_has), "{line:?}: {}", text_of(&summary));
    h.press(who, "sale:ok").await;
    h.expect_text(who, "ثبت شد").await;
}

/// From the customer question: no customer, today, no photo; the summary that follows.
async fn skip_to_the_summary(h: &Harness, who: &FakeUser) -> RecordedRequest {
    h.say(who, &h.tr.msg("btn-skip-customer"));
    h.expect(who, "the date question", |r| text_of(r).starts_with("چه روزی بود")).await;
    h.say(who, &h.tr.msg("btn-today"));
    h.expect_msg(who, "sale-ask-photo").await;
    h.say(who, &h.tr.msg("btn-skip-photo"));
    h.expect(who, "the summary", |r| text_of(r).starts_with("خلاصه")).await
}

#[tokio::test]
async fn amounts_typed_every_way_are_stored_as_meant() {
    let (h, zahra) = zahra().await;
    let cases: &[(&str, i64, &str)] = &[
        ("فروش ۲ میلیون و ۵۰۰ روسری", 2_500_000, "۲٬۵۰۰٬۰۰۰ تومان — دو میلیون و پانصد هزار تومان"),
        ("فروش فرش ۱۲ میلیون ۵۰۰", 12_500_000, "دوازده میلیون و پانصد هزار تومان"),
        ("فروش ۲.۵۰۰ میلیون کیف", 2_500_000, "۲٬۵۰۰٬۰۰۰ تومان"),
        ("فروش ۱/۵ میلیون شال", 1_500_000, "یک میلیون و پانصد هزار تومان"),
        ("فروش دویست و پنجاه هزار تومان روسری", 250_000, "دویست و پنجاه هزار تومان"),
        ("فروش یه میلیون و نیم مانتو", 1_500_000, "۱٬۵۰۰٬۰۰۰ تومان"),
        ("فروش ۲۵۰هزارتومن جوراب", 250_000, "۲۵۰٬۰۰۰ تومان"),
        ("فروش ۵۰۰ ه.ت کفش", 500_000, "پانصد هزار تومان"),
        ("فروش ۳۰۰ هزر دستکش", 300_000, "سیصد هزار تومان"),
        ("فروش 250 hezar kolah", 250_000, "۲۵۰٬۰۰۰ تومان"),
        ("فروش ۲۵۰ هزار ۲ تا روسری", 250_000, "۲ تا روسری"),
        ("فروش ۲ روسری ۲۵۰ هزار", 250_000, "۲ روسری"),
        ("فروش ۵۰ هزار ۳ عدد نان", 50_000, "۳ عدد نان"),
        // A count without «تا» after the amount, as people type it.
        ("فروش ۲۵۰ هزار ۲ روسری", 250_000, "۲ روسری"),
        ("فروش کیک ۲۰۰ هزار", 200_000, "کیک"),
        ("فروش کیف ۱۲۰۰ هزار\u{200C}تومان", 1_200_000, "یک میلیون و دویست هزار تومان"),
        ("فروش، .۵ میلیون شال", 500_000, "پانصد هزار تومان"),
    ];
    for (line, _, summary_has) in cases {
        report_in_one_line(&h, &zahra, line, summary_has).await;
    }
    let stored: Vec<i64> = amounts(&h).await.into_iter().map(|(a, _)| a).collect();
    assert_eq!(stored, cases.iter().map(|(_, a, _)| *a).collect::<Vec<_>>());
    let items: Vec<String> = amounts(&h).await.into_iter().map(|(_, i)| i).collect();
    assert_eq!(&items[10..15], ["۲ تا روسری", "۲ روسری", "۳ عدد نان", "۲ روسری", "کیک"]);
    h.finish().await;
}

#[tokio::test]
async fn a_price_for_each_or_a_range_is_not_stored_as_the_total() {
    let (h, zahra) = zahra().await;
    h.say(&zahra, "فروش ۳ تا نان هر کدوم ۱۰ هزار");
    h.expect_msg(&zahra, "quick-report-price-each").await;
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "sale-cancelled").await;
    h.say(&zahra, "فروش بین ۲۰۰ تا ۳۰۰ هزار");
    h.expect_msg(&zahra, "quick-report-which-amount").await;
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "sale-cancelled").await;
    assert!(amounts(&h).await.is_empty(), "nothing stored");
    h.finish().await;
}

#[tokio::test]
async fn a_small_number_with_the_price_tag_t_is_asked() {
    let (h, zahra) = zahra().await;
    h.say(&zahra, "فروش روسری ۱۸۰ت");
    let asked = h.expect_msg(&zahra, "amount-ask-which").await;
    assert_eq!(asked.keyboard_labels(), ["۱۸۰ تومان", "۱۸۰ هزار تومان", &h.tr.msg("btn-cancel")]);
    h.say(&zahra, "۱۸۰ هزار تومان");
    let summary = h.expect(&zahra, "the summary", |r| text_of(r).starts_with("خلاصه")).await;
    assert!(text_of(&summary).contains("صد و هشتاد هزار تومان"), "{}", text_of(&summary));
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "ثبت شد").await;
    assert_eq!(amounts(&h).await, [(180_000, "روسری".to_string())]);
    h.finish().await;
}

#[tokio::test]
async fn an_amount_that_reads_two_ways_is_asked_with_a_button_for_each_reading() {
    let (h, zahra) = zahra().await;
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, "۴۰۰٫۰۰۰");
    let asked = h.expect_msg(&zahra, "amount-ask-which").await;
    assert_eq!(asked.keyboard_labels(), ["۴۰۰ تومان", "۴۰۰ هزار تومان", &h.tr.msg("btn-cancel")]);
    h.say(&zahra, "۴۰۰ هزار تومان");
    h.expect_msg_with(&zahra, "sale-ask-item", &[("choices", "no".into())]).await;
    h.say(&zahra, "روسری");
    h.expect_msg(&zahra, "sale-ask-customer").await;
    let summary = skip_to_the_summary(&h, &zahra).await;
    assert!(text_of(&summary).contains("۴۰۰٬۰۰۰ تومان — چهارصد هزار تومان"), "{}", text_of(&summary));
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;

    // «۲۵۰ تومن» in one line: asked too, then straight to the summary.
    h.say(&zahra, "فروش ۲۵۰ تومن کلاه");
    let asked = h.expect_msg(&zahra, "amount-ask-which").await;
    assert!(asked.keyboard_labels().contains(&"۲۵۰ هزار تومان".to_string()));
    h.say(&zahra, "۲۵۰ هزار تومان");
    h.expect(&zahra, "the summary", |r| text_of(r).contains("دویست و پنجاه هزار تومان")).await;
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;
    assert_eq!(amounts(&h).await, [(400_000, "روسری".to_string()), (250_000, "کلاه".to_string())]);
    h.finish().await;
}

#[tokio::test]
async fn an_amount_far_below_the_usual_and_a_phone_number_are_not_taken_as_they_look() {
    let (h, zahra) = zahra().await;
    for line in ["فروش ۳۰۰ هزار روسری", "فروش ۳۵۰ هزار شال", "فروش ۲۸۰ هزار کیف"]
    {
        report_in_one_line(&h, &zahra, line, "هزار تومان").await;
    }
    // She usually sells for about 300 thousand: «۳۰۰۰» is asked about.
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, "۳۰۰۰");
    let asked = h.expect_msg(&zahra, "amount-ask-which").await;
    assert_eq!(&asked.keyboard_labels()[..2], ["۳ هزار تومان", "۳ میلیون تومان"]);
    h.say(&zahra, "۰۹۱۲۳۴۵۶۷۸۹");
    h.expect_msg_with(&zahra, "amount-error-phone", &[("example", "۲۵۰ هزار تومان".into())]).await;
    h.expect_msg(&zahra, "amount-ask-which").await;
    // Hidden direction controls: the text would read otherwise than it looks.
    h.say(&zahra, "\u{202E}۰۰۰۵۲");
    h.expect_msg(&zahra, "amount-error-hidden-direction").await;
    h.expect_msg(&zahra, "amount-ask-which").await;
    h.say(&zahra, "۳ هزار تومان");
    h.expect_msg_with(&zahra, "sale-ask-item", &[("choices", "yes".into())]).await;
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "sale-cancelled").await;
    assert_eq!(amounts(&h).await.len(), 3, "nothing stored from the cancelled report");
    h.finish().await;
}

#[tokio::test]
async fn a_one_line_report_keeps_the_item_rules_of_the_question() {
    let (h, zahra) = zahra().await;
    h.say(&zahra, "فروش ۲۵۰ هزار #");
    h.expect_msg(&zahra, "error-text-no-letters").await;
    h.expect_msg_with(&zahra, "sale-ask-item", &[("choices", "no".into())]).await;
    h.say(&zahra, "روسری");
    h.expect(&zahra, "the summary", |r| text_of(r).contains("۲۵۰٬۰۰۰ تومان")).await;
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "sale-cancelled").await;
    h.say(&zahra, &format!("فروش ۲۵۰ هزار {}", "روسری ".repeat(600)));
    h.expect_text(&zahra, "کوتاه‌تر بنویسید").await;
    // Two parts that could each be the amount: asked, not guessed.
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "sale-cancelled").await;
    h.say(&zahra, "فروش ۲۵۰ هزار روسری ۳۰۰ هزار");
    h.expect_msg(&zahra, "quick-report-which-amount").await;
    h.expect_msg(&zahra, "sale-ask-amount").await;
    // Only emoji is no item, as at the question.
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "sale-cancelled").await;
    h.say(&zahra, "فروش ۲۵۰ هزار 😀👍");
    h.expect_msg(&zahra, "error-text-no-letters").await;
    h.expect_msg_with(&zahra, "sale-ask-item", &[("choices", "no".into())]).await;
    // Nor hidden direction controls in the line.
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "sale-cancelled").await;
    h.say(&zahra, "فروش \u{202E}۰۵۲\u{202C} هزار روسری");
    h.expect_text(&zahra, "نشانه‌های پنهانی").await;
    assert!(amounts(&h).await.is_empty());
    h.finish().await;
}

#[tokio::test]
async fn returns_read_amounts_the_same_way() {
    let (h, zahra) = zahra().await;
    // In words, guided: the summary says it in digits and words.
    h.say(&zahra, &h.tr.msg("btn-return"));
    h.expect_msg(&zahra, "return-ask-amount").await;
    h.say(&zahra, "پنجاه هزار تومن");
    h.expect_msg_with(&zahra, "sale-ask-item", &[("kind", "return".into()), ("choices", "no".into())]).await;
    h.say(&zahra, "کیف");
    h.expect_msg_with(&zahra, "sale-ask-customer", &[("kind", "return".into())]).await;
    let summary = skip_to_the_summary(&h, &zahra).await;
    assert!(text_of(&summary).contains("خلاصهٔ مرجوعی"), "{}", text_of(&summary));
    assert!(text_of(&summary).contains("۵۰٬۰۰۰ تومان — پنجاه هزار تومان"), "{}", text_of(&summary));
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "مرجوعی ثبت شد").await;
    // In one line, «۱۲۰» reads two ways: asked, and the pressed reading is stored.
    h.say(&zahra, "مرجوعی ۱۲۰ روسری");
    let asked = h.expect_msg(&zahra, "amount-ask-which").await;
    assert_eq!(&asked.keyboard_labels()[..2], ["۱۲۰ تومان", "۱۲۰ هزار تومان"]);
    h.say(&zahra, "۱۲۰ هزار تومان");
    let summary = h.expect(&zahra, "the summary", |r| text_of(r).contains("خلاصهٔ مرجوعی")).await;
    assert!(text_of(&summary).contains("صد و بیست هزار تومان"), "{}", text_of(&summary));
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "مرجوعی ثبت شد").await;
    assert_eq!(amounts(&h).await, [(-50_000, "کیف".to_string()), (-120_000, "روسری".to_string())]);
    h.finish().await;
}

#[tokio::test]
async fn payments_and_loans_read_amounts_the_same_way() {
    let c = loans::cast().await;
    let h = &c.h;
    // A bare «۱۵» at the loan question is 15 million: the only reading within the facility.
    h.say(&c.maryam, &h.tr.msg("btn-my-people"));
    h.expect_text(&c.maryam, "کارآفرینان شما").await;
    h.press(&c.maryam, &format!("p:{}", c.zahra_person.id)).await;
    h.press(&c.maryam, &format!("loan:new:{}", c.zahra_person.id)).await;
    h.expect_text(&c.maryam, "مبلغ وام پرداخت‌شده").await;
    h.say(&c.maryam, "۱۵");
    h.expect_msg(&c.maryam, "loan-ask-count").await;
    h.say(&c.maryam, "۱۲");
    h.expect_text(&c.maryam, "سررسید قسط اول چه روزی است؟").await;
    h.say(&c.maryam, "۱۴۰۵/۹/۱۵");
    let review = h.expect_text(&c.maryam, "خلاصهٔ وام").await;
    assert!(text_of(&review).contains("۱۵٬۰۰۰٬۰۰۰ تومان — پانزده میلیون تومان"), "{}", text_of(&review));
    h.press(&c.maryam, "loan:ok").await;
    h.expect_text(&c.maryam, "ثبت شد").await;
    // A payment in words; the caseworker's request shows it in digits and words.
    let (_, summary, _) = loans::pay(&c, "یک میلیون و دویست و پنجاه هزار تومان", Receipt::Skipped).await;
    assert!(text_of(&summary).contains("۱٬۲۵۰٬۰۰۰ تومان — یک میلیون و دویست و پنجاه هزار تومان"));
    let request = h.expect_text(&c.maryam, "پرداخت قسطی را گزارش کرده است").await;
    assert!(text_of(&request).contains("یک میلیون و دویست و پنجاه هزار تومان"), "{}", text_of(&request));
    let principal: i64 =
        sqlx::query_scalar("SELECT principal_toman FROM loans").fetch_one(h.store.pool()).await.unwrap();
    let paid: i64 = sqlx::query_scalar("SELECT amount_toman FROM payments").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!((principal, paid), (15_000_000, 1_250_000));
    c.h.finish().await;
}

/// The reading buttons are reply-keyboard buttons: a tap sends the label as a message. A
/// second tap of the same reading (or the amount typed again) arrives at the item question;
/// it is an amount, not what was sold, so it is refused there and the item is asked again.
#[tokio::test]
async fn a_reading_tapped_twice_is_not_taken_as_the_item() {
    let (h, zahra) = zahra().await;
    let refused = h.tr.msg("sale-error-amount-as-item");
    let item_question = |kind: &str, choices: &str| {
        h.tr.msg_with("sale-ask-item", &[("kind", kind.into()), ("choices", choices.into())])
    };

    // A sale asked step by step: both taps arrive before the item question is read.
    h.say(&zahra, &h.tr.msg("btn-sale"));
    h.expect_msg(&zahra, "sale-ask-amount").await;
    h.say(&zahra, "۴۰۰٫۰۰۰");
    h.expect_msg(&zahra, "amount-ask-which").await;
    h.say(&zahra, "۴۰۰ هزار تومان");
    h.say(&zahra, "۴۰۰ هزار تومان");
    h.expect(&zahra, "the item question", |r| text_of(r) == item_question("sale", "no")).await;
    h.expect(&zahra, "why the second tap was not taken", |r| text_of(r) == refused).await;
    h.expect(&zahra, "the item question again", |r| text_of(r) == item_question("sale", "no")).await;
    // The same amount typed another way is refused too.
    h.say(&zahra, "۴۰۰۰۰۰");
    h.expect(&zahra, "the refusal", |r| text_of(r) == refused).await;
    h.expect(&zahra, "the item question again", |r| text_of(r) == item_question("sale", "no")).await;
    // A press on the question's message (there is no inline button there; a forged or stale
    // press) is answered and changes nothing.
    let which = h.tr.msg("amount-ask-which");
    let question = h.telegram.messages_to(zahra.id).into_iter().rev().find(|m| m.text == which).unwrap();
    let answer = h.press_on(&zahra, &question, "amount:400000").await;
    assert_eq!(answer.params["text"], h.tr.msg("button-expired"));
    h.say(&zahra, "روسری");
    h.expect_msg(&zahra, "sale-ask-customer").await;
    let summary = skip_to_the_summary(&h, &zahra).await;
    assert!(text_of(&summary).contains("📦 جنس: روسری\n"), "{}", text_of(&summary));
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;

    // A return: the same.
    h.say(&zahra, &h.tr.msg("btn-return"));
    h.expect_msg(&zahra, "return-ask-amount").await;
    h.say(&zahra, "۱۲۰");
    h.expect_msg(&zahra, "amount-ask-which").await;
    h.say(&zahra, "۱۲۰ هزار تومان");
    h.say(&zahra, "۱۲۰ هزار تومان");
    h.expect(&zahra, "the item question", |r| text_of(r) == item_question("return", "yes")).await;
    h.expect(&zahra, "the refusal", |r| text_of(r) == refused).await;
    h.expect(&zahra, "the item question again", |r| text_of(r) == item_question("return", "yes")).await;
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "sale-cancelled").await;

    // A one-line report without an item: the reading is asked, then the item.
    h.say(&zahra, "فروش ۲۵۰ تومن");
    h.expect_msg(&zahra, "amount-ask-which").await;
    h.say(&zahra, "۲۵۰ هزار تومان");
    h.say(&zahra, "۲۵۰ هزار تومان");
    h.expect(&zahra, "the item question", |r| text_of(r).starts_with("چه جنسی بود؟")).await;
    h.expect(&zahra, "the refusal", |r| text_of(r) == refused).await;
    h.expect(&zahra, "the item question again", |r| text_of(r).starts_with("چه جنسی بود؟")).await;
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "sale-cancelled").await;

    // A one-line report with its item: the reading leads to the summary; the second tap is no
    // answer to it, and the item stays the one the line named.
    h.say(&zahra, "فروش ۲۵۰ تومن کلاه");
    h.expect_msg(&zahra, "amount-ask-which").await;
    h.say(&zahra, "۲۵۰ هزار تومان");
    h.say(&zahra, "۲۵۰ هزار تومان");
    h.expect(&zahra, "the summary", |r| text_of(r).contains("📦 جنس: کلاه\n")).await;
    h.expect_msg(&zahra, "sale-error-use-buttons").await;
    h.press(&zahra, "sale:ok").await;
    h.expect_text(&zahra, "فروش شما ثبت شد").await;

    assert_eq!(amounts(&h).await, [(400_000, "روسری".to_string()), (250_000, "کلاه".to_string())]);
    h.finish().await;
}

/// A loan's amount gets the same specific answers as a sale's (issue 10), with this level's
/// range where it helps, and nothing is stored.
#[tokio::test]
async fn a_loan_amount_that_is_a_phone_number_or_hides_direction_controls_gets_the_specific_answer() {
    let c = loans::cast().await;
    let h = &c.h;
    h.say(&c.maryam, &h.tr.msg("btn-my-people"));
    h.expect_text(&c.maryam, "کارآفرینان شما").await;
    h.press(&c.maryam, &format!("p:{}", c.zahra_person.id)).await;
    h.press(&c.maryam, &format!("loan:new:{}", c.zahra_person.id)).await;
    let question = h.expect_text(&c.maryam, "مبلغ وام پرداخت‌شده").await;
    let question = text_of(&question).to_string();
    // The level's smallest loan is the example; above anything a loan of this level could
    // be, its range is the answer.
    let example = [("example", "۱۰ میلیون تومان".to_string())];
    let cases = [
        ("۰۹۱۲۳۴۵۶۷۸۹", h.tr.msg_with("amount-error-phone", &example)),
        ("\u{202E}۱۵ میلیون", h.tr.msg("amount-error-hidden-direction")),
        ("-۱۵ میلیون", h.tr.msg("amount-error-negative-plain")),
        ("پول زیاد", h.tr.msg_with("loan-error-amount", &example)),
        (
            "۵۰ میلیارد",
            h.tr.msg_with("loan-error-out-of-range", &[("min", "۱۰٬۰۰۰٬۰۰۰".into()), ("max", "۲۰٬۰۰۰٬۰۰۰".into())]),
        ),
    ];
    for (typed, answer) in &cases {
        h.say(&c.maryam, typed);
        h.expect(&c.maryam, answer, |r| text_of(r) == answer).await;
        h.expect(&c.maryam, "the amount question again", |r| text_of(r) == question).await;
    }
    let loans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM loans").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(loans, 0);
    h.say(&c.maryam, "۱۵ میلیون");
    h.expect_msg(&c.maryam, "loan-ask-count").await;
    h.say(&c.maryam, &h.tr.msg("btn-cancel"));
    h.expect_msg(&c.maryam, "loan-entry-cancelled").await;
    let loans: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM loans").fetch_one(h.store.pool()).await.unwrap();
    assert_eq!(loans, 0, "nothing stored from the cancelled entry");
    c.h.finish().await;
}

/// A level-two loan has a fee: its review shows the amount and the fee in digits and words.
#[tokio::test]
async fn a_loan_review_shows_the_principal_and_the_fee_in_words() {
    let c = loans::cast().await;
    let h = &c.h;
    sqlx::query("UPDATE people SET level = 2 WHERE id = ?")
        .bind(c.zahra_person.id)
        .execute(h.store.pool())
        .await
        .unwrap();
    h.say(&c.maryam, &h.tr.msg("btn-my-people"));
    h.expect_text(&c.maryam, "کارآفرینان شما").await;
    h.press(&c.maryam, &format!("p:{}", c.zahra_person.id)).await;
    h.press(&c.maryam, &format!("loan:new:{}", c.zahra_person.id)).await;
    h.expect_text(&c.maryam, "مبلغ وام پرداخت‌شده").await;
    h.say(&c.maryam, "۴۰ میلیون");
    h.expect_msg(&c.maryam, "loan-ask-count").await;
    h.say(&c.maryam, "۱۲");
    h.expect_text(&c.maryam, "سررسید قسط اول چه روزی است؟").await;
    h.say(&c.maryam, "۱۴۰۵/۱۰/۱");
    let review = h.expect_text(&c.maryam, "خلاصهٔ وام").await;
    for line in ["مبلغ: ۴۰٬۰۰۰٬۰۰۰ تومان — چهل میلیون تومان\n", "کارمزد: ۸۰۰٬۰۰۰ تومان — هشتصد هزار تومان\n"]
    {
        assert!(text_of(&review).contains(line), "{line:?} missing from {}", text_of(&review));
    }
    h.press(&c.maryam, "loan:ok").await;
    h.expect_text(&c.maryam, "ثبت شد").await;
    // The entrepreneur's news carries the loan's summary, in digits and words.
    let news = h.expect_text(&c.zahra, &h.tr.msg("loan-recorded-for-you")).await;
    for line in [
        "مبلغ وام: ۴۰٬۰۰۰٬۰۰۰ تومان — چهل میلیون تومان\n",
        "کارمزد: ۸۰۰٬۰۰۰ تومان — هشتصد هزار تومان\n",
        "پرداخت‌شده: ۰ تومان\n",
        "مانده: ۴۰٬۸۰۰٬۰۰۰ تومان — چهل میلیون و هشتصد هزار تومان\n",
    ] {
        assert!(text_of(&news).contains(line), "{line:?} missing from {}", text_of(&news));
    }
    c.h.finish().await;
}
