//! The list of people: a page at a time in one message, searchable by name, phone or work.

use pelekan::fake_telegram::{FakeUser, SentMessage};

use crate::harness::{Harness, eventually, user};

fn people_buttons(message: &SentMessage) -> usize {
    message.inline_buttons().iter().filter(|(_, d)| d.starts_with("p:")).count()
}

async fn the_list(h: &Harness, who: &FakeUser, message_id: i32) -> SentMessage {
    h.telegram.messages_to(who.id).into_iter().find(|m| m.message_id == message_id).unwrap()
}

#[tokio::test]
async fn the_list_pages_through_everyone_in_one_message_and_finds_by_name_phone_or_work() {
    let h = Harness::new().await;
    let maryam = user(2001, "مریم", "کریمی");
    let caseworker = h.caseworker(&maryam).await;
    for i in 0..25 {
        h.entrepreneur(&user(3000 + i, "کارآفرین", &format!("شماره {i:02}")), &caseworker).await;
    }
    sqlx::query("UPDATE people SET business = 'نان‌پزی خانگی' WHERE telegram_id = 3007")
        .execute(h.store.pool())
        .await
        .unwrap();
    // A name stored with Arabic letters (as some keyboards type them).
    sqlx::query("UPDATE people SET full_name = 'فاطمة كريمي' WHERE telegram_id = 3011")
        .execute(h.store.pool())
        .await
        .unwrap();
    let sara = user(3100, "سارا", "رضایی");
    h.entrepreneur(&sara, &h.caseworker(&user(2002, "نرگس", "امینی")).await).await;

    h.say(&maryam, &h.tr.msg("btn-my-people"));
    h.expect_text(&maryam, "کارآفرینان شما (۲۵ نفر)").await;
    let list = h.message_with_button(&maryam, "pl:1").await;
    assert!(list.text.contains("صفحهٔ ۱ از ۳"), "{}", list.text);
    assert_eq!(people_buttons(&list), 10);
    assert!(!list.text.contains("سارا"), "another caseworker's people are not listed");
    assert!(!list.inline_buttons().iter().any(|(_, d)| d == "pl:-1"));

    // The page turns in place: still one message. (A page the message has no button for is
    // not turned to.)
    h.press_on(&maryam, &list, "pl:2").await;
    assert_eq!(the_list(&h, &maryam, list.message_id).await.text, list.text, "no button for page 3 yet");
    h.press_on(&maryam, &list, "pl:1").await;
    let middle = the_list(&h, &maryam, list.message_id).await;
    assert!(middle.text.contains("صفحهٔ ۲ از ۳"), "{}", middle.text);
    h.press_on(&maryam, &middle, "pl:2").await;
    let last = the_list(&h, &maryam, list.message_id).await;
    assert!(last.text.contains("صفحهٔ ۳ از ۳"), "{}", last.text);
    assert_eq!(people_buttons(&last), 5);
    assert!(last.inline_buttons().iter().any(|(_, d)| d == "pl:1"), "back a page");
    assert!(!last.inline_buttons().iter().any(|(_, d)| d == "pl:3"), "no page after the last");
    let sent = h.telegram.messages_to(maryam.id).len();

    // Found by a phone typed the way people type it, by work, and by part of a name.
    // A name stored with Arabic letters is found typed either way.
    let searches = [
        ("۰۹۱۲ ۰۰۰ ۳۰۰۷", "شماره 07"),
        ("نان پزی", "شماره 07"),
        ("شماره ۱۲", "شماره 12"),
        ("فاطمه کریمی", "فاطمة كريمي"),
        ("فاطمة", "فاطمة كريمي"),
    ];
    for (typed, found) in searches {
        h.press(&maryam, "ps").await;
        h.expect_msg_with(&maryam, "people-search-ask", &[("max", "۲۴".into())]).await;
        h.say(&maryam, typed);
        let results = h.expect_text(&maryam, "۱ نفر با «").await;
        let text = crate::harness::text_of(&results).to_string();
        assert!(text.contains(found), "{typed}: {text}");
    }
    assert!(h.telegram.messages_to(maryam.id).len() > sent);

    // Nobody: said so, with the menu back.
    h.press(&maryam, "ps").await;
    h.say(&maryam, "هیچ‌کس");
    h.expect_text(&maryam, "کسی با «هیچ کس» پیدا نشد").await;
    // A search too long to carry in the buttons is refused with a reason, and asked again.
    h.press(&maryam, "ps").await;
    h.say(&maryam, &"ب".repeat(30));
    h.expect_msg_with(&maryam, "people-search-too-long", &[("max", "۲۴".into())]).await;
    h.say(&maryam, &h.tr.msg("btn-cancel"));
    h.expect_msg(&maryam, "people-search-cancelled").await;

    // A page number forged on the button shows nothing it should not.
    let answer = h.press_on(&maryam, &list, "pl:99").await;
    assert_eq!(answer.params["text"], h.tr.msg("button-expired"));
    eventually("the conversation ended", || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM dialogues WHERE chat_id = 2001")
            .fetch_one(h.store.pool())
            .await
            .unwrap()
            == 0
    })
    .await;
    h.finish().await;
}

#[tokio::test]
async fn a_manager_lists_everyone() {
    let h = Harness::new().await;
    let manager = user(1001, "مدیر", "برنامه");
    h.store.add_manager(manager.id, "مدیر برنامه", h.clock.now()).await.unwrap();
    h.telegram.user_started(manager.id);
    for (cw, name) in [(2001, "مریم"), (2002, "نرگس")] {
        let caseworker = h.caseworker(&user(cw, name, "مددکار")).await;
        for i in 0..3 {
            h.entrepreneur(&user(cw * 10 + i, name, &format!("کارآفرین {i}")), &caseworker).await;
        }
    }
    h.say(&manager, &h.tr.msg("btn-all-people"));
    h.expect_text(&manager, "(۶ نفر)").await;
    h.finish().await;
}
