use crate::harness::{Harness, text_of, user};
use pelekan::domain::person::Role;
use pelekan::fake_telegram::FakeUser;

async fn people_count(h: &Harness) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM people").fetch_one(h.store.pool()).await.unwrap()
}

/// The caseworker makes an invite inside the bot and returns the code from its link.
async fn invite_from_bot(h: &Harness, caseworker: &FakeUser) -> String {
    let link = invite_link_from_bot(h, caseworker).await;
    link.split("?start=").nth(1).unwrap().to_string()
}

/// The caseworker makes an invite inside the bot and returns the link to send, as Telegram
/// finds it in the text (without the direction mark that keeps the line right to left).
async fn invite_link_from_bot(h: &Harness, caseworker: &FakeUser) -> String {
    h.say(caseworker, &h.tr.msg("btn-invite-entrepreneur"));
    let reply = h.expect_text(caseworker, "?start=").await;
    let word = text_of(&reply).split_whitespace().find(|w| w.contains("?start=")).unwrap();
    word.trim_start_matches(['\u{200f}', '\u{200e}']).to_string()
}

#[tokio::test]
async fn entrepreneur_joins_through_a_caseworkers_invite() {
    let h = Harness::new().await;
    let maryam = user(2001, "مریم", "کریمی");
    let caseworker = h.caseworker(&maryam).await;
    let link = invite_link_from_bot(&h, &maryam).await;
    assert!(link.starts_with("https://t.me/pelekan_test_bot?start="), "{link}");

    let zahra = user(3001, "زهرا", "احمدی");
    let stranger = user(3999, "غریبه", "کسی");
    // Opened as Telegram opens it: a start parameter Telegram would drop never reaches the bot.
    h.telegram.open_link(&zahra, &link);
    let ask = h.expect_msg(&zahra, "join-ask-contact").await;
    assert!(ask.params["reply_markup"]["keyboard"][0][0]["request_contact"].as_bool().unwrap());

    h.telegram.send_contact(&zahra, "989351234567", &stranger);
    h.expect_msg(&zahra, "join-error-not-own-contact").await;
    h.say(&zahra, "۰۹۳۵۱۲۳۴۵۶۷");
    h.expect_msg(&zahra, "join-error-use-contact-button").await;
    h.telegram.send_contact(&zahra, "+98 935 123 4567", &zahra);
    let ask_name = h.expect_msg(&zahra, "join-ask-name").await;
    assert_eq!(ask_name.keyboard_labels()[0], "زهرا احمدی", "the Telegram name is offered as a button");
    h.say(&zahra, "۱۲۳");
    h.expect_msg(&zahra, "join-error-name").await;
    h.say(&zahra, "  زهرا   احمدي ");
    let ask_business = h.expect_msg(&zahra, "join-ask-business").await;
    assert!(ask_business.keyboard_labels().contains(&h.tr.lines("business-types")[0]));
    assert_eq!(people_count(&h).await, 1, "nothing is stored before the last answer");
    h.say(&zahra, "خیاطی و پوشاک");
    h.expect_text(&zahra, "زهرا احمدی عزیز، عضویت شما کامل شد").await;
    let notice = h.expect_text(&maryam, "کارآفرین تازه‌ای به شما پیوست").await;
    assert!(text_of(&notice).contains("زهرا احمدی"));

    let person = h.store.person_by_telegram_id(zahra.id).await.unwrap().unwrap();
    assert_eq!(person.role, Role::Entrepreneur);
    assert_eq!(person.full_name, "زهرا احمدی");
    assert_eq!(person.phone.as_deref(), Some("+989351234567"));
    assert_eq!(person.business.as_deref(), Some("خیاطی و پوشاک"));
    assert_eq!(person.caseworker_id, Some(caseworker.id));
    assert_eq!(person.level, 1);

    // The same link cannot be used twice.
    let other = user(3002, "سارا", "رضایی");
    h.telegram.open_link(&other, &link);
    h.expect_msg(&other, "join-code-used").await;
    h.finish().await;
}

#[tokio::test]
async fn a_caseworker_joins_through_a_cli_invite() {
    let h = Harness::new().await;
    let now = h.clock.now();
    let code = "abcdefghijkm".to_string();
    h.store
        .create_invite(
            None,
            &pelekan::store::NewInvite {
                code: code.clone(),
                role: Role::Caseworker,
                caseworker_id: None,
                created_by: None,
                expires_at: now + chrono::Duration::days(7),
            },
            None,
            now,
        )
        .await
        .unwrap();
    let maryam = user(2001, "مریم", "کریمی");
    h.say(&maryam, &format!("/start {code}"));
    h.expect_msg(&maryam, "join-ask-contact").await;
    h.telegram.send_contact(&maryam, "989121110000", &maryam);
    h.expect_msg(&maryam, "join-ask-name").await;
    h.say(&maryam, "مریم کریمی");
    let done = h.expect_text(&maryam, "به‌عنوان مددکار کامل شد").await;
    assert!(done.keyboard_labels().contains(&h.tr.msg("btn-invite-entrepreneur")));
    let person = h.store.person_by_telegram_id(maryam.id).await.unwrap().unwrap();
    assert_eq!(person.role, Role::Caseworker);
    h.finish().await;
}

#[tokio::test]
async fn bad_codes_get_a_polite_answer_and_store_nothing() {
    let h = Harness::new().await;
    let maryam = user(2001, "مریم", "کریمی");
    h.caseworker(&maryam).await;
    let expired_code = invite_from_bot(&h, &maryam).await;
    let used_code = invite_from_bot(&h, &maryam).await;
    let first = user(3001, "زهرا", "احمدی");
    h.say(&first, &format!("/start {used_code}"));
    h.expect_msg(&first, "join-ask-contact").await;
    h.telegram.send_contact(&first, "989351234567", &first);
    h.expect_msg(&first, "join-ask-name").await;
    h.say(&first, "زهرا احمدی");
    h.expect_msg(&first, "join-ask-business").await;
    h.say(&first, "آرایشگری");
    h.expect_text(&first, "عضویت شما کامل شد").await;
    let before = people_count(&h).await;

    let visitor = user(4001, "مهمان", "یک");
    h.say(&visitor, "/start");
    h.expect_msg(&visitor, "stranger-hello").await;
    h.say(&visitor, "/start zzzzzzzzzzzz");
    h.expect_msg(&visitor, "join-code-unknown").await;
    h.say(&visitor, "/start ../../etc/passwd';DROP TABLE people;--");
    h.expect_msg(&visitor, "join-code-unknown").await;
    h.say(&visitor, &format!("/start {used_code}"));
    h.expect_msg(&visitor, "join-code-used").await;
    h.clock.advance(chrono::Duration::days(8));
    h.say(&visitor, &format!("/start {expired_code}"));
    h.expect_msg(&visitor, "join-code-expired").await;
    h.say(&visitor, "فروش ۲۵۰ هزار روسری");
    h.expect_msg(&visitor, "stranger-hello").await;

    assert_eq!(people_count(&h).await, before);
    let dialogue: Option<String> = sqlx::query_scalar("SELECT state FROM dialogues WHERE chat_id = ?")
        .bind(visitor.id)
        .fetch_optional(h.store.pool())
        .await
        .unwrap();
    assert!(
        dialogue.is_none() || dialogue.as_deref() == Some("\"Idle\""),
        "no half-joined state is kept: {dialogue:?}"
    );
    h.finish().await;
}

#[tokio::test]
async fn cancelling_a_join_stores_nothing_and_a_member_sees_the_menu() {
    let h = Harness::new().await;
    let maryam = user(2001, "مریم", "کریمی");
    h.caseworker(&maryam).await;
    let code = invite_from_bot(&h, &maryam).await;
    let zahra = user(3001, "زهرا", "احمدی");
    h.say(&zahra, &format!("/start {code}"));
    h.expect_msg(&zahra, "join-ask-contact").await;
    h.say(&zahra, &h.tr.msg("btn-cancel"));
    h.expect_msg(&zahra, "join-cancelled").await;
    assert!(h.store.person_by_telegram_id(zahra.id).await.unwrap().is_none());
    assert!(!h.store.invite(&code).await.unwrap().unwrap().used, "a cancelled join leaves the invite usable");

    h.say(&maryam, "/start");
    let menu = h.expect_text(&maryam, "خوش آمدید").await;
    assert!(menu.keyboard_labels().contains(&h.tr.msg("btn-my-people")));
    h.finish().await;
}

#[tokio::test]
async fn a_manager_invites_a_caseworker_from_the_bot_and_is_told_when_they_join() {
    let h = Harness::new().await;
    let boss = user(1001, "مدیر", "برنامه");
    h.store.add_manager(boss.id, "مدیر برنامه", h.clock.now()).await.unwrap();
    h.say(&boss, "/start");
    let menu = h.expect_text(&boss, "خوش آمدید").await;
    assert!(menu.keyboard_labels().contains(&h.tr.msg("btn-invite-caseworker")));
    h.say(&boss, &h.tr.msg("btn-invite-caseworker"));
    let reply = h.expect_text(&boss, "?start=").await;
    let code = text_of(&reply).split("?start=").nth(1).unwrap().split_whitespace().next().unwrap().to_string();

    let maryam = user(2001, "مریم", "کریمی");
    h.say(&maryam, &format!("/start {code}"));
    h.expect_msg(&maryam, "join-ask-contact").await;
    h.telegram.send_contact(&maryam, "989121110000", &maryam);
    h.expect_msg(&maryam, "join-ask-name").await;
    h.say(&maryam, "مریم کریمی");
    h.expect_text(&maryam, "به‌عنوان مددکار کامل شد").await;
    h.expect_text(&boss, "مددکار تازه‌ای با لینک دعوت شما عضو شد").await;
    assert_eq!(h.store.person_by_telegram_id(maryam.id).await.unwrap().unwrap().role, Role::Caseworker);
    h.finish().await;
}
